/**
 * Data types: one normalized model for v2 (`"<f4"`, `"|O"`, `"<M8[ns]"`) and v3 (`"float32"`,
 * `{"name":"numpy.datetime64",...}`) names, and the typed containers that hold their values.
 *
 * Public dtype strings (`AsyncArray.dtype`, `NDArray.dtype`) are the v3 names for the simple types
 * and numpy-like forms for parametrized ones: `"U10"`, `"S5"`, `"V3"`, `"datetime64[ns]"`,
 * `"timedelta64[10s]"`, `"string"`, `"variable_length_bytes"`.
 *
 * @example
 * ```ts
 * import { parseDataType } from "./dtype.ts";
 * const dt = parseDataType("<M8[10s]");
 * console.log(dt.str, dt.itemsize); // datetime64[10s] 8
 * ```
 * @module
 */
import { ZarrTypeError, ZarrValueError } from "../errors.ts";

/** Kinds of data types. */
export type DataTypeKind =
  | "bool"
  | "int"
  | "uint"
  | "float"
  | "complex"
  | "string" // variable-length UTF-8
  | "vbytes" // variable-length bytes
  | "U" // fixed_length_utf32
  | "S" // null_terminated_bytes
  | "V" // raw_bytes
  | "datetime"
  | "timedelta";

/** Datetime units accepted by numpy. */
export const DATETIME_UNITS = [
  "Y",
  "M",
  "W",
  "D",
  "h",
  "m",
  "s",
  "ms",
  "us",
  "μs",
  "ns",
  "ps",
  "fs",
  "as",
  "generic",
] as const;
/** A datetime unit. */
export type DatetimeUnit = (typeof DATETIME_UNITS)[number];

/** A normalized data type. */
export interface DataType {
  /** v3 `data_type` name. */
  readonly name: string;
  /** Kind. */
  readonly kind: DataTypeKind;
  /** Bytes per element in the binary (bytes codec) form; 0 for variable-length kinds. */
  readonly itemsize: number;
  /** Characters (U) or bytes (S, V). */
  readonly length?: number;
  /** Datetime unit. */
  readonly unit?: DatetimeUnit;
  /** Datetime scale factor (`10` in `M8[10s]`). */
  readonly scaleFactor?: number;
  /** Public dtype string. */
  readonly str: string;
  /** Fields of a structured type (kind `V`, name `structured`), packed in order. */
  readonly fields?: readonly StructField[];
}

/** One field of a structured data type: packed at `offset` inside each record. */
export interface StructField {
  /** Field name. */
  readonly name: string;
  /** Field data type (fixed size). */
  readonly dtype: DataType;
  /** Byte order of the field in the stored records (`null` for one-byte / order-less types). */
  readonly endian: "little" | "big" | null;
  /** Byte offset inside the record. */
  readonly offset: number;
}

/** A scalar value of some data type. Complex values are `[re, im]`; datetimes are bigint counts. */
export type Scalar = number | bigint | boolean | string | Uint8Array | [number, number];

/** Typed arrays used for numeric data. */
export type TypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float16Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The flat container of an NDArray's values. */
export type DataContainer = TypedArray | string[] | Uint8Array[];

const NUMERIC: Record<string, [DataTypeKind, number]> = {
  bool: ["bool", 1],
  int8: ["int", 1],
  int16: ["int", 2],
  int32: ["int", 4],
  int64: ["int", 8],
  uint8: ["uint", 1],
  uint16: ["uint", 2],
  uint32: ["uint", 4],
  uint64: ["uint", 8],
  float16: ["float", 2],
  float32: ["float", 4],
  float64: ["float", 8],
  complex64: ["complex", 8],
  complex128: ["complex", 16],
};

const cache = new Map<string, DataType>();

function make(dt: DataType): DataType {
  const hit = cache.get(dt.str);
  if (hit) return hit;
  Object.freeze(dt);
  cache.set(dt.str, dt);
  return dt;
}

/** The simple (non-parametrized) data type of a v3 name. */
function simple(name: string): DataType | undefined {
  const n = NUMERIC[name];
  if (n) return make({ name, kind: n[0], itemsize: n[1], str: name });
  if (name === "string") return make({ name, kind: "string", itemsize: 0, str: "string" });
  if (name === "variable_length_bytes" || name === "bytes") {
    return make({
      name: "variable_length_bytes",
      kind: "vbytes",
      itemsize: 0,
      str: "variable_length_bytes",
    });
  }
  return undefined;
}

/** Fixed-length UTF-32 string type of `length` characters. */
export function fixedUnicode(length: number): DataType {
  return make({
    name: "fixed_length_utf32",
    kind: "U",
    itemsize: 4 * length,
    length,
    str: `U${length}`,
  });
}
/** Null-terminated bytes type of `length` bytes (numpy `S`). */
export function fixedBytes(length: number): DataType {
  return make({
    name: "null_terminated_bytes",
    kind: "S",
    itemsize: length,
    length,
    str: `S${length}`,
  });
}
/** Raw bytes type of `length` bytes (numpy `V`). */
export function rawBytes(length: number): DataType {
  return make({ name: "raw_bytes", kind: "V", itemsize: length, length, str: `V${length}` });
}
/**
 * A structured (record) data type: fields packed in order, no padding. Values are the raw record
 * bytes (`Uint8Array` of `itemsize` per element), exactly as numpy lays them out.
 *
 * @example
 * ```ts
 * import { parseNumpyDtype, structuredType } from "./dtype.ts";
 * const dt = structuredType([
 *   { name: "x", dtype: parseNumpyDtype("<i4").dtype, endian: "little" },
 *   { name: "tag", dtype: parseNumpyDtype("|S3").dtype, endian: null },
 * ]);
 * console.log(dt.itemsize, dt.str); // 7 [('x', '<i4'), ('tag', 'S3')]
 * ```
 */
export function structuredType(
  fields: readonly { name: string; dtype: DataType; endian: "little" | "big" | null }[],
): DataType {
  if (!Array.isArray(fields) || fields.length === 0) {
    throw new ZarrValueError("a structured data type needs at least one field");
  }
  const seen = new Set<string>();
  let offset = 0;
  const out: StructField[] = [];
  for (const f of fields) {
    if (typeof f.name !== "string") {
      throw new ZarrValueError(`structured field names must be strings, got ${String(f.name)}`);
    }
    if (seen.has(f.name)) throw new ZarrValueError(`duplicate structured field name '${f.name}'`);
    seen.add(f.name);
    if (isVariableLength(f.dtype)) {
      throw new ZarrValueError(
        `structured field '${f.name}' has the variable-length type ${f.dtype.str}`,
      );
    }
    out.push(Object.freeze({ name: f.name, dtype: f.dtype, endian: f.endian, offset }));
    offset += f.dtype.itemsize;
  }
  const str = `[${
    out.map((f) => `('${f.name}', '${dataTypeToV2(f.dtype, f.endian ?? "little")}')`).join(", ")
  }]`;
  return make({
    name: "structured",
    kind: "V",
    itemsize: offset,
    length: offset,
    str: str.replaceAll("'|", "'"),
    fields: Object.freeze(out),
  });
}

/** numpy datetime64 / timedelta64 type. */
export function datetimeType(
  kind: "datetime" | "timedelta",
  unit: DatetimeUnit,
  scaleFactor = 1,
): DataType {
  if (!DATETIME_UNITS.includes(unit)) throw new ZarrValueError(`invalid datetime unit '${unit}'`);
  if (!Number.isInteger(scaleFactor) || scaleFactor < 1 || scaleFactor >= 2 ** 31) {
    throw new ZarrValueError(`invalid datetime scale factor ${scaleFactor}`);
  }
  const u = unit === "μs" ? "us" : unit;
  const inner = scaleFactor === 1 ? u : `${scaleFactor}${u}`;
  return make({
    name: kind === "datetime" ? "numpy.datetime64" : "numpy.timedelta64",
    kind,
    itemsize: 8,
    unit: u as DatetimeUnit,
    scaleFactor,
    str: `${kind}64[${inner}]`,
  });
}

const V2_CODES: Record<string, string> = {
  b1: "bool",
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  u1: "uint8",
  u2: "uint16",
  u4: "uint32",
  u8: "uint64",
  f2: "float16",
  f4: "float32",
  f8: "float64",
  c8: "complex64",
  c16: "complex128",
};

const NUMPY_ALIASES: Record<string, string> = {
  float: "float64",
  double: "float64",
  single: "float32",
  half: "float16",
  int: "int64",
  bool_: "bool",
  "?": "bool",
  complex: "complex128",
  str: "string",
  i: "int32",
  I: "uint32",
  b: "int8",
  B: "uint8",
  h: "int16",
  H: "uint16",
  l: "int64",
  L: "uint64",
  q: "int64",
  Q: "uint64",
  e: "float16",
  f: "float32",
  d: "float64",
  F: "complex64",
  D: "complex128",
};

/** Result of parsing a numpy-style dtype string: the type and the byte order written in it. */
export interface ParsedNumpyDtype {
  dtype: DataType;
  endian: "little" | "big" | null;
}

function positiveLength(s: string, what: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) {
    throw new ZarrValueError(`invalid ${what} length in dtype '${s}'`);
  }
  return n;
}

/**
 * Parses numpy-style dtype strings (`"<f4"`, `"i8"`, `"|b1"`, `"U10"`, `"S5"`, `"M8[ns]"`,
 * `"datetime64[10s]"`) and plain v3 names. Returns the byte order given in the string (or
 * `null` when it had none or it does not apply).
 */
export function parseNumpyDtype(input: string): ParsedNumpyDtype {
  const s0 = input.trim();
  const s = NUMPY_ALIASES[s0] ?? s0;
  const direct = simple(s);
  if (direct) return { dtype: direct, endian: null };
  let m = /^(datetime64|timedelta64)\[(\d*)(\w+|μs)\]$/.exec(s);
  if (m) {
    return {
      dtype: datetimeType(
        m[1] === "datetime64" ? "datetime" : "timedelta",
        m[3] as DatetimeUnit,
        m[2] ? Number(m[2]) : 1,
      ),
      endian: null,
    };
  }
  if (/^U\d+$/.test(s)) {
    return { dtype: fixedUnicode(positiveLength(s.slice(1), "U")), endian: null };
  }
  if (/^S\d+$/.test(s)) return { dtype: fixedBytes(positiveLength(s.slice(1), "S")), endian: null };
  if (/^V\d+$/.test(s)) return { dtype: rawBytes(positiveLength(s.slice(1), "V")), endian: null };
  m = /^([<>|=]?)([a-zA-Z]\d*)(\[(\d*)(\w+|μs)\])?$/.exec(s);
  if (m) {
    const order = m[1];
    const code = m[2];
    const endian = order === "<" || order === "=" ? "little" : order === ">" ? "big" : null;
    if (m[3]) {
      if (code !== "M8" && code !== "m8") {
        throw new ZarrTypeError(`data type '${input}' not understood`);
      }
      const dt = datetimeType(
        code === "M8" ? "datetime" : "timedelta",
        m[5] as DatetimeUnit,
        m[4] ? Number(m[4]) : 1,
      );
      return { dtype: dt, endian: endian ?? "little" };
    }
    if (V2_CODES[code]) {
      const dt = simple(V2_CODES[code])!;
      return { dtype: dt, endian: dt.itemsize > 1 ? (endian ?? "little") : null };
    }
    const k = code[0];
    const rest = code.slice(1);
    if (k === "U" && rest) {
      return { dtype: fixedUnicode(positiveLength(rest, "U")), endian: endian ?? "little" };
    }
    if (k === "S" && rest) return { dtype: fixedBytes(positiveLength(rest, "S")), endian: null };
    if (k === "V" && rest) return { dtype: rawBytes(positiveLength(rest, "V")), endian: null };
    if (k === "O" && !rest) {
      throw new ZarrValueError(
        `data type '${input}' is the numpy "Object" data type, which is ambiguous: ` +
          `use "string" or "variable_length_bytes"`,
      );
    }
  }
  throw new ZarrTypeError(`data type '${input}' not understood`);
}

/** Parses any user-facing dtype: a DataType, a numpy-style string, or a v3 JSON data_type. */
export function parseDataType(input: unknown): DataType {
  if (input === undefined || input === null) return simple("float64")!;
  if (typeof input === "object" && input !== null && "kind" in input && "str" in input) {
    return input as DataType;
  }
  if (typeof input === "string") {
    // a structured type's `str` (as NDArrays carry it) names the type built earlier
    if (input.startsWith("[")) {
      const known = cache.get(input);
      if (known) return known;
    }
    return parseNumpyDtype(input).dtype;
  }
  return dataTypeFromV3JSON(input);
}

/** Reads a v3 `data_type` value. */
export function dataTypeFromV3JSON(json: unknown): DataType {
  if (typeof json === "string") {
    const dt = simple(json);
    if (dt) return dt;
    throw new ZarrValueError(`unknown data_type '${json}'`);
  }
  if (json && typeof json === "object" && !Array.isArray(json)) {
    const o = json as { name?: unknown; configuration?: Record<string, unknown> };
    const cfg = o.configuration ?? {};
    const len = cfg.length_bytes;
    switch (o.name) {
      case "fixed_length_utf32":
        if (typeof len === "number" && Number.isInteger(len) && len > 0 && len % 4 === 0) {
          return fixedUnicode(len / 4);
        }
        break;
      case "null_terminated_bytes":
        if (typeof len === "number" && Number.isInteger(len) && len > 0) return fixedBytes(len);
        break;
      case "raw_bytes":
        if (typeof len === "number" && Number.isInteger(len) && len > 0) return rawBytes(len);
        break;
      case "structured":
      case "struct": {
        const fields = cfg.fields;
        if (!Array.isArray(fields) || fields.length === 0) break;
        return structuredType(fields.map((f) => {
          let name: unknown, type: unknown;
          if (Array.isArray(f) && f.length === 2) [name, type] = f;
          else if (f && typeof f === "object") {
            name = (f as Record<string, unknown>).name;
            type = (f as Record<string, unknown>).data_type;
          }
          if (typeof name !== "string") {
            throw new ZarrValueError(`invalid structured field ${JSON.stringify(f)}`);
          }
          const dtype = dataTypeFromV3JSON(type);
          return { name, dtype, endian: hasEndianness(dtype) ? "little" as const : null };
        }));
      }
      case "numpy.datetime64":
      case "numpy.timedelta64": {
        const unit = cfg.unit as DatetimeUnit;
        const sf = cfg.scale_factor ?? 1;
        if (typeof unit === "string" && typeof sf === "number") {
          return datetimeType(o.name === "numpy.datetime64" ? "datetime" : "timedelta", unit, sf);
        }
        break;
      }
      default: {
        if (typeof o.name === "string" && simple(o.name)) return simple(o.name)!;
        throw new ZarrValueError(`unknown data_type ${JSON.stringify(json)}`);
      }
    }
    throw new ZarrValueError(`invalid configuration for data_type ${JSON.stringify(json)}`);
  }
  throw new ZarrValueError(`invalid data_type ${JSON.stringify(json)}`);
}

/** Writes a v3 `data_type` value. */
export function dataTypeToV3JSON(dt: DataType): unknown {
  switch (dt.kind) {
    case "U":
    case "S":
    case "V":
      if (dt.fields) {
        return {
          name: "structured",
          configuration: { fields: dt.fields.map((f) => [f.name, dataTypeToV3JSON(f.dtype)]) },
        };
      }
      return { name: dt.name, configuration: { length_bytes: dt.itemsize } };
    case "datetime":
    case "timedelta":
      return { name: dt.name, configuration: { unit: dt.unit, scale_factor: dt.scaleFactor } };
    default:
      return dt.name;
  }
}

/**
 * Writes a v2 `dtype` value: a string, or for structured types the list of `[name, dtype]`
 * pairs (each field in its own byte order).
 *
 * @example
 * ```ts
 * import { dataTypeToV2Json, parseNumpyDtype } from "./dtype.ts";
 * console.log(dataTypeToV2Json(parseNumpyDtype("<i4").dtype, "big")); // >i4
 * ```
 */
export function dataTypeToV2Json(
  dt: DataType,
  endian: "little" | "big" | null = "little",
): string | unknown[] {
  if (dt.fields) {
    return dt.fields.map((f) => [f.name, dataTypeToV2Json(f.dtype, f.endian ?? "little")]);
  }
  return dataTypeToV2(dt, endian);
}

/** Writes a v2 `dtype` string with the given byte order. */
export function dataTypeToV2(dt: DataType, endian: "little" | "big" | null = "little"): string {
  const e = endian === "big" ? ">" : "<";
  switch (dt.kind) {
    case "bool":
      return "|b1";
    case "int":
    case "uint":
    case "float": {
      const c = dt.kind === "int" ? "i" : dt.kind === "uint" ? "u" : "f";
      return dt.itemsize === 1 ? `|${c}1` : `${e}${c}${dt.itemsize}`;
    }
    case "complex":
      return `${e}c${dt.itemsize}`;
    case "string":
    case "vbytes":
      return "|O";
    case "U":
      return `${e}U${dt.length}`;
    case "S":
      return `|S${dt.length}`;
    case "V":
      return `|V${dt.length}`;
    case "datetime":
    case "timedelta": {
      const c = dt.kind === "datetime" ? "M8" : "m8";
      const sf = dt.scaleFactor === 1 ? "" : String(dt.scaleFactor);
      return `${e}${c}[${sf}${dt.unit}]`;
    }
  }
}

/** True when the bytes codec needs an `endian` for this type. */
export function hasEndianness(dt: DataType): boolean {
  switch (dt.kind) {
    case "int":
    case "uint":
    case "float":
      return dt.itemsize > 1;
    case "complex":
    case "U":
    case "datetime":
    case "timedelta":
      return true;
    default:
      return false;
  }
}

/** Whether values are variable-length (no fixed binary form). */
export function isVariableLength(dt: DataType): boolean {
  return dt.kind === "string" || dt.kind === "vbytes";
}

/** Number of container slots per element (2 for complex, else 1). */
export function slotsPerElement(dt: DataType): number {
  return dt.kind === "complex" ? 2 : 1;
}

// deno-lint-ignore no-explicit-any
type TypedCtor = new (n: number | ArrayBufferLike, offset?: number, length?: number) => any;

/** The typed-array constructor for numeric kinds; undefined for object kinds. */
export function typedArrayConstructor(dt: DataType): TypedCtor | undefined {
  switch (dt.name) {
    case "bool":
    case "uint8":
      return Uint8Array;
    case "int8":
      return Int8Array;
    case "int16":
      return Int16Array;
    case "uint16":
      return Uint16Array;
    case "int32":
      return Int32Array;
    case "uint32":
      return Uint32Array;
    case "int64":
      return BigInt64Array;
    case "uint64":
      return BigUint64Array;
    case "float16":
      return Float16Array;
    case "float32":
    case "complex64":
      return Float32Array;
    case "float64":
    case "complex128":
      return Float64Array;
    case "numpy.datetime64":
    case "numpy.timedelta64":
      return BigInt64Array;
  }
  return undefined;
}

/** Whether the data container is a JS array of objects (strings or byte strings). */
export function isObjectKind(dt: DataType): boolean {
  return typedArrayConstructor(dt) === undefined;
}

/** Allocates a container for `n` elements, zeroed (object kinds filled with the default). */
export function allocate(dt: DataType, n: number): DataContainer {
  const C = typedArrayConstructor(dt);
  if (C) return new C(n * slotsPerElement(dt));
  if (dt.kind === "string" || dt.kind === "U") return new Array<string>(n).fill("");
  const out = new Array<Uint8Array>(n);
  const zero = new Uint8Array(dt.kind === "V" ? dt.itemsize : 0);
  for (let i = 0; i < n; i++) out[i] = zero;
  return out;
}

/** Allocates a container for `n` elements filled with `value`. */
export function allocateFilled(dt: DataType, n: number, value: Scalar): DataContainer {
  const data = allocate(dt, n);
  fillContainer(dt, data, value, 0, n);
  return data;
}

/** Writes `value` into elements `[start, end)` of `data`. */
export function fillContainer(
  dt: DataType,
  data: DataContainer,
  value: Scalar,
  start: number,
  end: number,
): void {
  if (dt.kind === "complex") {
    const [re, im] = value as [number, number];
    const d = data as Float32Array | Float64Array;
    if (re === 0 && im === 0 && !Object.is(re, -0) && !Object.is(im, -0)) {
      d.fill(0, start * 2, end * 2);
      return;
    }
    for (let i = start; i < end; i++) {
      d[2 * i] = re;
      d[2 * i + 1] = im;
    }
    return;
  }
  // deno-lint-ignore no-explicit-any
  (data as any).fill(toContainerValue(dt, value), start, end);
}

/** Converts a scalar into what the container stores (bool -> 0/1, int64 -> bigint...). */
export function toContainerValue(
  dt: DataType,
  value: Scalar,
): number | bigint | string | Uint8Array {
  switch (dt.kind) {
    case "bool":
      return value ? 1 : 0;
    case "int":
    case "uint":
      if (dt.itemsize === 8) return typeof value === "bigint" ? value : BigInt(value as number);
      return Number(value);
    case "datetime":
    case "timedelta":
      return typeof value === "bigint" ? value : BigInt(value as number);
    case "float":
      return Number(value);
    case "string":
    case "U":
      return String(value);
    default:
      return value as Uint8Array;
  }
}

/** The default fill value of a type (zarr-python's `default_scalar()`). */
export function defaultFillValue(dt: DataType): Scalar {
  switch (dt.kind) {
    case "bool":
      return false;
    case "int":
    case "uint":
      return dt.itemsize === 8 ? 0n : 0;
    case "float":
      return 0;
    case "complex":
      return [0, 0];
    case "string":
    case "U":
      return "";
    case "vbytes":
    case "S":
      return new Uint8Array(0);
    case "V":
      return new Uint8Array(dt.itemsize);
    case "datetime":
    case "timedelta":
      return -(2n ** 63n);
  }
}

/** Infers a data type from a JS container (typed array or array of strings / bytes). */
export function inferDataType(data: unknown): DataType {
  if (data instanceof Int8Array) return simple("int8")!;
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return simple("uint8")!;
  if (data instanceof Int16Array) return simple("int16")!;
  if (data instanceof Uint16Array) return simple("uint16")!;
  if (data instanceof Int32Array) return simple("int32")!;
  if (data instanceof Uint32Array) return simple("uint32")!;
  if (data instanceof BigInt64Array) return simple("int64")!;
  if (data instanceof BigUint64Array) return simple("uint64")!;
  if (data instanceof Float16Array) return simple("float16")!;
  if (data instanceof Float32Array) return simple("float32")!;
  if (data instanceof Float64Array) return simple("float64")!;
  throw new ZarrTypeError(`cannot infer a data type from ${Object.prototype.toString.call(data)}`);
}

/** Infers the data type of a JS scalar the way numpy would (`1` -> int64, `1.5` -> float64). */
export function inferScalarDataType(v: unknown): DataType {
  if (typeof v === "boolean") return simple("bool")!;
  if (typeof v === "bigint") return simple("int64")!;
  if (typeof v === "number") return Number.isInteger(v) ? simple("int64")! : simple("float64")!;
  if (typeof v === "string") return fixedUnicode(Math.max(1, [...v].length));
  if (v instanceof Uint8Array) return fixedBytes(Math.max(1, v.length));
  throw new ZarrTypeError(`cannot infer a data type from ${String(v)}`);
}
