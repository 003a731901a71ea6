/**
 * Reads into a caller's buffer (zarr-python's `out=`): the checks an `out` must pass before a
 * read starts, and {@link emptyOutput}, which allocates a reusable output over a
 * `SharedArrayBuffer` so the codec workers of large reads decode straight into it.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.full([4, 4], 7, { chunks: [2, 2], dtype: "int16" });
 * const out = zarr.emptyOutput(a, "0:2");
 * const r = await a.getitem("0:2", { out });
 * console.log(r.data === out.data, r.data); // true Int16Array(8) [7, 7, 7, 7, 7, 7, 7, 7]
 * ```
 * @module
 */
import type { AsyncArray } from "./array.ts";
import { cStrides, type NDArray, product } from "../buffer/ndarray.ts";
import {
  allocate,
  type DataContainer,
  type DataType,
  slotsPerElement,
  typedArrayConstructor,
} from "../metadata/dtype.ts";
import { ZarrTypeError, ZarrValueError } from "../errors.ts";
import type { Indexer } from "./indexing/projection.ts";
import type {
  BasicSelection,
  BlockSelection,
  CoordinateSelection,
  MaskSelection,
  OrthogonalSelection,
  Selection,
} from "./indexing/selection.ts";
import { getIndexer, vindexIndexer } from "./indexing/get_indexer.ts";
import { BasicIndexer } from "./indexing/basic.ts";
import { orthogonalIndexer } from "./indexing/orthogonal.ts";
import { BlockIndexer } from "./indexing/block.ts";

/** What a read's `out` may be: an NDArray, or its flat C-ordered container alone. */
export type ReadOut = NDArray | DataContainer;

/** Whether `o` is an NDArray (not a bare container). */
export const isNDArray = (o: unknown): o is NDArray =>
  typeof o === "object" && o !== null && !ArrayBuffer.isView(o) && !Array.isArray(o) &&
  "data" in o && "shape" in o;

const ctorName = (o: unknown): string =>
  o === null ? "null" : typeof o === "object" ? (o.constructor?.name ?? "object") : typeof o;

/**
 * Checks `out` against a read of `shape` (the selection's shape) of `dt` and returns its flat
 * container. Shape, length and C-contiguity mismatches raise `ZarrValueError`; a wrong kind of
 * buffer or dtype raises `ZarrTypeError`. Nothing is read before this passes.
 *
 * @example
 * ```ts
 * import { checkOut } from "./read_out.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const f32 = parseDataType("float32");
 * console.log(checkOut(new Float32Array(6), [2, 3], f32).length); // 6
 * try {
 *   checkOut(new Float32Array(5), [2, 3], f32);
 * } catch (e) {
 *   console.log((e as Error).message); // length of out argument doesn't match...
 * }
 * ```
 */
export function checkOut(out: unknown, shape: readonly number[], dt: DataType): DataContainer {
  const size = product(shape);
  let data: unknown = out;
  if (isNDArray(out)) {
    if (
      !Array.isArray(out.shape) || out.shape.length !== shape.length ||
      out.shape.some((n, i) => n !== shape[i])
    ) {
      throw new ZarrValueError(
        `shape of out argument doesn't match. Expected [${shape}], got [${out.shape}]`,
      );
    }
    if (out.dtype !== dt.str) {
      throw new ZarrTypeError(
        `dtype of out argument doesn't match. Expected ${dt.str}, got ${out.dtype}`,
      );
    }
    const c = cStrides(shape);
    if (out.stride && out.stride.some((s, i) => shape[i] > 1 && s !== c[i])) {
      throw new ZarrValueError(
        `out argument must be C-contiguous: expected strides [${c}], got [${out.stride}]`,
      );
    }
    data = out.data;
  }
  const C = typedArrayConstructor(dt);
  const slots = slotsPerElement(dt);
  const want = C ? `a ${C.name}` : `a plain Array (${dt.str} values are objects)`;
  const wrongKind = C
    ? !(data instanceof (C as unknown as typeof Uint8Array))
    : !Array.isArray(data);
  if (wrongKind) {
    throw new ZarrTypeError(
      `out argument needs to be an NDArray or ${want} for a ${dt.str} read. Got ${ctorName(data)}`,
    );
  }
  const got = (data as DataContainer).length;
  if (got !== size * slots) {
    throw new ZarrValueError(
      `length of out argument doesn't match. Expected ${
        size * slots
      } (${size} elements of ${dt.str}${
        slots > 1 ? `, ${slots} slots each` : ""
      } for shape [${shape}]), got ${got}`,
    );
  }
  return data as DataContainer;
}

/** Which getter the output of {@link emptyOutput} is for (how its selection is read). */
export type OutputIndexing = "getitem" | "basic" | "orthogonal" | "vindex" | "block";

/** Options of {@link emptyOutput}. */
export interface EmptyOutputOptions {
  /**
   * How `selection` is interpreted: as `getitem` does (default), or as `getBasicSelection`,
   * `getOrthogonalSelection` / `oindex`, `getCoordinateSelection` / `getMaskSelection` /
   * `vindex`, or `getBlockSelection` / `blocks` do.
   */
  indexing?: OutputIndexing;
}

function indexerFor(array: AsyncArray, selection: unknown, how: OutputIndexing): Indexer {
  const { shape, chunkShape } = array.metadata;
  switch (how) {
    case "getitem":
      return getIndexer((selection ?? null) as Selection, shape, chunkShape);
    case "basic":
      return BasicIndexer.fromSelection((selection ?? null) as BasicSelection, shape, chunkShape);
    case "orthogonal":
      return orthogonalIndexer((selection ?? null) as OrthogonalSelection, shape, chunkShape);
    case "vindex":
      return vindexIndexer(selection as CoordinateSelection | MaskSelection, shape, chunkShape);
    case "block":
      return new BlockIndexer(selection as BlockSelection, shape, chunkShape);
  }
  throw new ZarrValueError(
    `indexing must be one of getitem, basic, orthogonal, vindex, block; got ${String(how)}`,
  );
}

/**
 * Allocates an output for reads of `selection` of `array` (the whole array by default), to pass
 * as `{ out }` to `getitem`, the `get*Selection` methods or `oindex`/`vindex`/`blocks`. Numeric
 * data types get a typed array over a `SharedArrayBuffer`, so large reads decode into it from
 * the codec workers directly; reusing one output across reads also skips the page faults of
 * touching fresh memory on every read. Object data types (strings, bytes) get a plain array.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.array([[1, 2, 3], [4, 5, 6]], { chunks: [1, 3], dtype: "float32" });
 * const out = zarr.emptyOutput(a, [null, 1]); // shape [2]
 * for (const col of [0, 1, 2]) {
 *   const r = await a.getitem([null, col], { out });
 *   console.log(r.data === out.data, [...r.data]); // true [1, 4], then [2, 5], then [3, 6]
 * }
 * const pts = zarr.emptyOutput(a, [[0, 1], [2, 0]], { indexing: "orthogonal" });
 * console.log(pts.shape); // [2, 2]
 * ```
 */
export function emptyOutput(
  array: AsyncArray,
  selection?: Selection | BlockSelection,
  opts: EmptyOutputOptions = {},
): NDArray {
  const ix = indexerFor(array, selection, opts.indexing ?? "getitem");
  const dt = array.metadata.dataType;
  const shape = [...ix.shape];
  const n = product(shape) * slotsPerElement(dt);
  const C = typedArrayConstructor(dt);
  let data: DataContainer;
  if (C && typeof SharedArrayBuffer === "function") {
    const width = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    data = new C(new SharedArrayBuffer(n * width));
  } else data = allocate(dt, product(shape));
  return { data, shape, stride: cStrides(shape), dtype: dt.str };
}

/** Whether `data` is a typed array over a `SharedArrayBuffer` (the workers can write it). */
export function isShared(data: DataContainer): boolean {
  return typeof SharedArrayBuffer === "function" && ArrayBuffer.isView(data) &&
    data.buffer instanceof SharedArrayBuffer;
}
