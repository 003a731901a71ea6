/**
 * Creating arrays from data (zarr-python's `create_array(data=...)`, `from_array`, `save_array`,
 * `group[key] = value`): infer shape and dtype, create, write.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "../stores/memory.ts";
 * import { createArrayAt } from "./from_data.ts";
 * const a = await createArrayAt(new MemoryStore(), "x", { data: [[1, 2], [3, 4]] });
 * console.log(a.shape, a.dtype); // [2, 2] int64
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import { ZarrTypeError, ZarrValueError } from "../errors.ts";
import { isNDArray } from "../buffer/ndarray.ts";
import {
  type DataType,
  inferDataType,
  inferScalarDataType,
  parseDataType,
} from "../metadata/dtype.ts";
import { AsyncArray } from "./array.ts";
import { initArray, type InitArrayOptions } from "./create.ts";
import { coerceToContainer } from "./values.ts";

/** Infers the data type of user data the way numpy's `asarray` would. */
export function inferDataTypeOf(value: unknown): DataType {
  if (value instanceof AsyncArray) return value.dataType;
  if (isNDArray(value)) return parseDataType(value.dtype);
  if (ArrayBuffer.isView(value)) return inferDataType(value);
  if (Array.isArray(value)) {
    let kind: "bool" | "int" | "float" | "bigint" | "string" | "bytes" | undefined;
    let maxLen = 1;
    const visit = (v: unknown) => {
      if (Array.isArray(v)) return v.forEach(visit);
      if (typeof v === "boolean") kind ??= "bool";
      else if (typeof v === "bigint") kind = kind === "float" ? "float" : "bigint";
      else if (typeof v === "number") {
        if (!Number.isInteger(v)) kind = "float";
        else if (kind !== "float") kind = "int";
      } else if (typeof v === "string") {
        kind = "string";
        maxLen = Math.max(maxLen, [...v].length);
      } else if (v instanceof Uint8Array) {
        kind = "bytes";
        maxLen = Math.max(maxLen, v.length);
      } else throw new ZarrTypeError(`cannot infer a data type from ${String(v)}`);
    };
    visit(value);
    switch (kind) {
      case undefined:
      case "float":
        return parseDataType("float64");
      case "bool":
        return parseDataType("bool");
      case "int":
      case "bigint":
        return parseDataType("int64");
      case "string":
        return parseDataType(`U${maxLen}`);
      case "bytes":
        return parseDataType(`S${maxLen}`);
    }
  }
  return inferScalarDataType(value);
}

/** Shape of user data (NDArray, typed array, nested arrays, scalar). */
export function shapeOf(value: unknown): number[] {
  if (value instanceof AsyncArray) return value.shape;
  if (isNDArray(value)) return [...value.shape];
  if (ArrayBuffer.isView(value)) return [(value as unknown as ArrayLike<unknown>).length];
  const shape: number[] = [];
  let v: unknown = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/** Options of {@link createArrayAt}. */
export interface CreateArrayAtOptions extends InitArrayOptions {
  data?: unknown;
  writeData?: boolean;
}

/**
 * Creates an array at `path`: with `data`, shape/dtype come from the data (and may not be given),
 * chunks from the source array when it is an AsyncArray, and the data is written.
 */
export async function createArrayAt(
  store: Store,
  path: string,
  opts: CreateArrayAtOptions,
): Promise<AsyncArray> {
  const { data, writeData = true, ...rest } = opts;
  if (data === undefined) {
    if (rest.shape === undefined) {
      throw new ZarrValueError("The data parameter was set to None, but shape was not specified.");
    }
    if (rest.dtype === undefined) {
      throw new ZarrValueError("The data parameter was set to None, but dtype was not specified.");
    }
    return await initArray(store, path, rest);
  }
  if (rest.shape !== undefined) {
    throw new ZarrValueError(
      "The data parameter was used, but the shape parameter was also used. This is an error.",
    );
  }
  if (rest.dtype !== undefined) {
    throw new ZarrValueError(
      "The data parameter was used, but the dtype parameter was also used. This is an error.",
    );
  }
  return await arrayFromData(store, path, data, rest, writeData);
}

/** Creates an array shaped like `data` (dtype may be overridden) and writes the data into it. */
export async function arrayFromData(
  store: Store,
  path: string,
  data: unknown,
  opts: InitArrayOptions,
  writeData = true,
): Promise<AsyncArray> {
  const src = data instanceof AsyncArray ? data : undefined;
  const dtype = opts.dtype ?? (src ? src.dataType : inferDataTypeOf(data));
  const shape = opts.shape ?? shapeOf(data);
  const init: InitArrayOptions = { ...opts, shape, dtype };
  if (src) {
    init.chunks ??= src.chunks;
    if (src.shards && init.shards === undefined && (opts.zarrFormat ?? src.zarrFormat) === 3) {
      init.shards = src.shards;
    }
    if (init.fillValue === undefined) init.fillValue = src.fillValue;
    init.attributes ??= { ...src.attrs };
  }
  const arr = await initArray(store, path, init);
  if (writeData) {
    const value = src ? await src.getitem(null) : data;
    await arr.setitem(null, value);
  }
  return arr;
}

/** zarr-python's `save_array` into an exact path: create (or overwrite) and write. */
export async function saveArrayInto(
  store: Store,
  path: string,
  value: unknown,
  opts: InitArrayOptions,
): Promise<AsyncArray> {
  const shape = shapeOf(value);
  const dtype = inferDataTypeOf(value);
  const arr = await initArray(store, path, { ...opts, shape, dtype });
  const c = coerceToContainer(value, dtype);
  await arr.setitem(null, { data: c.data, shape: c.shape, _coerced: true });
  return arr;
}
