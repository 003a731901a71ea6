/**
 * zarr-python's `ArrayInfo` text (what `arr.info` / `await arr.info_complete()` print), plus the
 * Python-repr helpers it needs: Python reprs of scalars, tuples, dicts and bytes; the reprs of
 * zarr-python's data type classes (`Float64(endianness='little')`, `Int8()`,
 * `FixedLengthUTF32(length=10, endianness='little')`...); the reprs of v3 codecs
 * (`BytesCodec(endian='little')`, `ZstdCodec(level=0, checksum=False)`) and of numcodecs v2 codecs
 * (`Zstd(level=0)`, `Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE, blocksize=0)`); and fill values
 * formatted the way Python's `format(numpy_scalar, "")` does.
 *
 * Pure functions, no I/O. Source of truth: zarr-python `src/zarr/core/_info.py`, `tests/test_info.py`,
 * `src/zarr/core/dtype/npy/*.py`, `src/zarr/codecs/*.py` and numcodecs' `__repr__` methods.
 *
 * @example
 * ```ts
 * import { codecRepr, dtypeRepr, formatArrayInfo } from "./info.ts";
 * console.log(formatArrayInfo({
 *   zarrFormat: 3, dataTypeRepr: dtypeRepr("int32"), fillValueRepr: "0", shape: [100, 100],
 *   chunkShape: [10, 100], order: "C", readOnly: true, storeType: "MemoryStore", filters: [],
 *   serializer: codecRepr({ name: "bytes", configuration: { endian: "little" } }), compressors: [],
 * }));
 * ```
 * @module
 */

// ---------------------------------------------------------------------------------------------
// Python reprs
// ---------------------------------------------------------------------------------------------

/** Marks a JS number to be printed as a Python `float` (`0.0`, not `0`) by {@link pyRepr}. */
export class PyFloat {
  /** @param value the number */
  constructor(readonly value: number) {}
}

/** Marks a JS array to be printed as a Python `tuple` (`(1,)`, not `[1]`) by {@link pyRepr}. */
export class PyTuple {
  /** @param items the items */
  constructor(readonly items: readonly unknown[]) {}
}

/** Marks a string to be printed bare (already a repr, e.g. a nested codec repr) by {@link pyRepr}. */
export class PyRaw {
  /** @param text the text printed as is */
  constructor(readonly text: string) {}
}

/**
 * Shorthand for `new PyFloat(x)`.
 *
 * @example
 * ```ts
 * import { pyFloat, pyRepr } from "./info.ts";
 * console.log(pyRepr(pyFloat(0))); // 0.0
 * ```
 */
export function pyFloat(x: number): PyFloat {
  return new PyFloat(x);
}

/**
 * Shorthand for `new PyTuple(items)`.
 *
 * @example
 * ```ts
 * import { pyRepr, pyTuple } from "./info.ts";
 * console.log(pyRepr(pyTuple([2]))); // (2,)
 * ```
 */
export function pyTuple(items: readonly unknown[]): PyTuple {
  return new PyTuple(items);
}

/** Splits a finite non-zero |x| into its shortest round-trip digits and decimal point position. */
function shortestDigits(x: number): { digits: string; decpt: number } {
  const [mant, expStr] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  return { digits, decpt: parseInt(expStr, 10) + 1 };
}

/** Python's `float_repr_style == "short"` formatting; `addDot0` appends ".0" to integral values. */
function pyFloatFormat(x: number, addDot0: boolean, forceSign = false): string {
  let body: string;
  if (Number.isNaN(x)) body = "nan";
  else if (!Number.isFinite(x)) body = "inf";
  else if (x === 0) body = addDot0 ? "0.0" : "0";
  else {
    const { digits, decpt } = shortestDigits(x);
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) body = "0." + "0".repeat(-decpt) + digits;
      else if (decpt >= digits.length) {
        body = digits + "0".repeat(decpt - digits.length) + (addDot0 ? ".0" : "");
      } else body = digits.slice(0, decpt) + "." + digits.slice(decpt);
    } else {
      const e = decpt - 1;
      body = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" +
        (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
    }
  }
  const negative = Number.isNaN(x) ? false : x < 0 || Object.is(x, -0);
  if (negative) return "-" + body;
  return forceSign ? "+" + body : body;
}

/**
 * Python's `repr(float)`: shortest round-trip digits, `.0` on integral values, scientific
 * notation outside `1e-4 <= |x| < 1e16`, `nan`, `inf`, `-inf`.
 *
 * @example
 * ```ts
 * import { pyFloatRepr } from "./info.ts";
 * console.log(pyFloatRepr(0), pyFloatRepr(1e16), pyFloatRepr(1e-5)); // 0.0 1e+16 1e-05
 * ```
 */
export function pyFloatRepr(x: number): string {
  return pyFloatFormat(x, true);
}

/**
 * Python's `repr(complex)`: `0j`, `(1+2j)`, `(1.5-0.5j)`, `(nan+infj)`.
 *
 * @example
 * ```ts
 * import { pyComplexRepr } from "./info.ts";
 * console.log(pyComplexRepr(1, 2)); // (1+2j)
 * ```
 */
export function pyComplexRepr(re: number, im: number): string {
  if (re === 0 && !Object.is(re, -0)) return pyFloatFormat(im, false) + "j";
  return `(${pyFloatFormat(re, false)}${pyFloatFormat(im, false, true)}j)`;
}

/**
 * Python's `format(x, ".{digits}f")`: correctly rounded, ties to even (unlike `toFixed`).
 *
 * @example
 * ```ts
 * import { pyFormatFixed } from "./info.ts";
 * console.log(pyFormatFixed(1.25, 1), pyFormatFixed(976.5625, 1)); // 1.2 976.6
 * ```
 */
export function pyFormatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (a >= 1e21) {
    return (neg ? "-" : "") + BigInt(a).toString() + (digits > 0 ? "." + "0".repeat(digits) : "");
  }
  const exact = a.toFixed(Math.min(100, digits + 60));
  const [intPart, frac] = exact.split(".");
  const rest = frac.slice(digits);
  let out = a.toFixed(digits);
  if (/^50*$/.test(rest)) {
    // an exact tie: round half to even
    const kept = digits > 0 ? intPart + "." + frac.slice(0, digits) : intPart;
    const last = Number(kept[kept.length - 1]);
    if (last % 2 === 0) out = kept;
  }
  return (neg ? "-" : "") + out;
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/**
 * Python's `repr(str)`: single quotes unless the text has `'` and no `"`, escapes for
 * backslash, the quote, `\t \n \r`, and non-printable characters (`\x..`, `\u....`, `\U........`).
 *
 * @example
 * ```ts
 * import { pyStrRepr } from "./info.ts";
 * console.log(pyStrRepr("a'b")); // "a'b"
 * ```
 */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (ch !== " " && NON_PRINTABLE.test(ch)) {
      if (cp < 0x100) out += "\\x" + cp.toString(16).padStart(2, "0");
      else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
      else out += "\\U" + cp.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return out + quote;
}

/**
 * Python's `repr(bytes)`: `b''`, `b'ab\x00'`.
 *
 * @example
 * ```ts
 * import { pyBytesRepr } from "./info.ts";
 * console.log(pyBytesRepr(new Uint8Array([97, 0]))); // b'a\x00'
 * ```
 */
export function pyBytesRepr(b: Uint8Array): string {
  let hasSingle = false, hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = "b" + String.fromCharCode(quote);
  for (const c of b) {
    if (c === quote || c === 0x5c) out += "\\" + String.fromCharCode(c);
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c < 0x20 || c >= 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += String.fromCharCode(c);
  }
  return out + String.fromCharCode(quote);
}

/**
 * Python's tuple repr of a sequence of already-formatted items: `()`, `(x,)`, `(x, y)`.
 *
 * @example
 * ```ts
 * import { pyTupleOf } from "./info.ts";
 * console.log(pyTupleOf(["Crc32cCodec()"])); // (Crc32cCodec(),)
 * ```
 */
export function pyTupleOf(items: readonly string[]): string {
  if (items.length === 1) return `(${items[0]},)`;
  return `(${items.join(", ")})`;
}

/**
 * A shape as Python prints a tuple of ints: `()`, `(2,)`, `(3, 4)`. Bigints are accepted.
 *
 * @example
 * ```ts
 * import { shapeRepr } from "./info.ts";
 * console.log(shapeRepr([2]), shapeRepr([3, 4]), shapeRepr([])); // (2,) (3, 4) ()
 * ```
 */
export function shapeRepr(shape: readonly (number | bigint)[]): string {
  return pyTupleOf(shape.map((n) => String(n)));
}

/**
 * The Python repr of a JS value: `null`/`undefined` -> `None`, booleans -> `True`/`False`,
 * integral numbers and bigints -> ints, other numbers -> floats (`nan`, `inf`), strings -> `'x'`,
 * `Uint8Array` -> `b'..'`, arrays -> lists, `Set` -> sets, `Map` and plain objects -> dicts
 * (insertion order). {@link PyFloat}, {@link PyTuple} and {@link PyRaw} force a float, a tuple
 * or a verbatim text.
 *
 * With a data type, the value is a fill value of that type and is printed as `info` prints
 * it: `pyRepr(v, dtype)` is {@link formatFillValue}`(v, dtype)` (`0.0` for a float64 zero,
 * a bare string for strings).
 *
 * @example
 * ```ts
 * import { pyFloat, pyRepr, pyTuple } from "./info.ts";
 * console.log(pyRepr({ level: 1, shuffle: null, t: pyTuple([1, 0]), x: pyFloat(0) }));
 * // {'level': 1, 'shuffle': None, 't': (1, 0), 'x': 0.0}
 * console.log(pyRepr(0, "float64")); // 0.0
 * ```
 */
export function pyRepr(value: unknown, dtype?: DtypeLike): string {
  if (dtype !== undefined) return formatFillValue(value, dtype);
  if (value === null || value === undefined) return "None";
  if (value instanceof PyRaw) return value.text;
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (value instanceof PyTuple) return pyTupleOf(value.items.map((x) => pyRepr(x)));
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "bigint":
      return value.toString();
    case "number":
      return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 1e21
        ? String(value)
        : pyFloatRepr(value);
    case "string":
      return pyStrRepr(value);
  }
  if (value instanceof Uint8Array) return pyBytesRepr(value);
  if (Array.isArray(value)) return `[${value.map((x) => pyRepr(x)).join(", ")}]`;
  if (value instanceof Set) {
    return value.size === 0 ? "set()" : `{${[...value].map((x) => pyRepr(x)).join(", ")}}`;
  }
  const entries = value instanceof Map
    ? [...value.entries()]
    : Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
}

// ---------------------------------------------------------------------------------------------
// Data types
// ---------------------------------------------------------------------------------------------

/**
 * A data type as {@link dtypeRepr} accepts it: a v3 name (`"float64"`, `"string"`), a public
 * dtype string of this library (`"U10"`, `"S5"`, `"V3"`, `"datetime64[ns]"`), a numpy string
 * (`"<f8"`, `">i4"`, `"|b1"`, `"<M8[10s]"`, `"|O"`), a v3 JSON object
 * (`{name: "fixed_length_utf32", configuration: {length_bytes: 40}}`), or a normalized data type
 * object (`{name, length?, unit?, scaleFactor?}`, as in `src/metadata/dtype.ts`); structured types
 * as `{name: "struct", fields: [[name, dtype], ...]}`.
 */
export type DtypeLike =
  | string
  | {
    name: string;
    kind?: string;
    length?: number;
    unit?: string;
    scaleFactor?: number;
    configuration?: Record<string, unknown>;
    fields?:
      | readonly (readonly [string, DtypeLike])[]
      | readonly { name: string; data_type: DtypeLike }[]
      | readonly { name: string; dtype: DtypeLike }[];
  };

/** What a data type resolves to for reprs. */
interface ResolvedDtype {
  /** zarr-python class name. */
  cls: string;
  /** v3-ish kind for fill value formatting. */
  kind:
    | "bool"
    | "int"
    | "uint"
    | "float"
    | "complex"
    | "U"
    | "string"
    | "S"
    | "V"
    | "vbytes"
    | "datetime"
    | "timedelta"
    | "struct"
    | "unknown";
  itemsize: number;
  hasEndian: boolean;
  /** Byte order from a numpy string prefix, if any. */
  endian?: "little" | "big";
  length?: number;
  unit?: string;
  scaleFactor?: number;
  fields?: [string, ResolvedDtype][];
}

const SIMPLE: Record<string, [string, ResolvedDtype["kind"], number, boolean]> = {
  bool: ["Bool", "bool", 1, false],
  int8: ["Int8", "int", 1, false],
  uint8: ["UInt8", "uint", 1, false],
  int16: ["Int16", "int", 2, true],
  uint16: ["UInt16", "uint", 2, true],
  int32: ["Int32", "int", 4, true],
  uint32: ["UInt32", "uint", 4, true],
  int64: ["Int64", "int", 8, true],
  uint64: ["UInt64", "uint", 8, true],
  float16: ["Float16", "float", 2, true],
  float32: ["Float32", "float", 4, true],
  float64: ["Float64", "float", 8, true],
  complex64: ["Complex64", "complex", 8, true],
  complex128: ["Complex128", "complex", 16, true],
};

const NP_CODES: Record<string, string> = {
  b1: "bool",
  i1: "int8",
  u1: "uint8",
  i2: "int16",
  u2: "uint16",
  i4: "int32",
  u4: "uint32",
  i8: "int64",
  u8: "uint64",
  f2: "float16",
  f4: "float32",
  f8: "float64",
  c8: "complex64",
  c16: "complex128",
  "?": "bool",
  b: "int8",
  B: "uint8",
  h: "int16",
  H: "uint16",
  i: "int32",
  I: "uint32",
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

const ALIASES: Record<string, string> = {
  float: "float64",
  int: "int64",
  complex: "complex128",
  str: "string",
  variable_length_utf8: "string",
  bytes: "variable_length_bytes",
  object: "O",
};

function simple(name: string): ResolvedDtype | undefined {
  const s = SIMPLE[name];
  if (!s) return undefined;
  return { cls: s[0], kind: s[1], itemsize: s[2], hasEndian: s[3] };
}

function timeType(kind: "datetime" | "timedelta", unit: string, scale: number): ResolvedDtype {
  return {
    cls: kind === "datetime" ? "DateTime64" : "TimeDelta64",
    kind,
    itemsize: 8,
    hasEndian: true,
    unit: unit === "μs" ? "us" : unit,
    scaleFactor: scale,
  };
}

/** Parses `"ns"`, `"10s"`, `""` (generic) into unit and scale factor. */
function parseUnit(inner: string | undefined): [string, number] {
  if (!inner) return ["generic", 1];
  const m = /^(\d*)(.+)$/.exec(inner);
  if (!m) return ["generic", 1];
  return [m[2], m[1] ? Number(m[1]) : 1];
}

function resolveString(input: string): ResolvedDtype {
  let s = input.trim();
  s = ALIASES[s] ?? s;
  const direct = simple(s);
  if (direct) return direct;
  if (s === "string") {
    return { cls: "VariableLengthUTF8", kind: "string", itemsize: 0, hasEndian: false };
  }
  if (s === "variable_length_bytes") {
    return { cls: "VariableLengthBytes", kind: "vbytes", itemsize: 0, hasEndian: false };
  }
  // our public names for time types: datetime64[ns], timedelta64[10s]
  let m = /^(datetime|timedelta)64(?:\[([^\]]*)\])?$/.exec(s);
  if (m) {
    const [unit, scale] = parseUnit(m[2]);
    return timeType(m[1] as "datetime" | "timedelta", unit, scale);
  }
  // numpy strings, with an optional byte order
  m = /^([<>|=!]?)(.*)$/.exec(s)!;
  const order = m[1];
  const body = m[2];
  const endian: "little" | "big" | undefined = order === ">" || order === "!"
    ? "big"
    : order === "<"
    ? "little"
    : undefined;
  const withEndian = (r: ResolvedDtype): ResolvedDtype =>
    endian && r.hasEndian ? { ...r, endian } : r;
  if (NP_CODES[body]) return withEndian(simple(NP_CODES[body])!);
  if (body === "O") {
    return { cls: "VariableLengthUTF8", kind: "string", itemsize: 0, hasEndian: false };
  }
  m = /^([USVa])(\d+)$/.exec(body);
  if (m) {
    const n = Number(m[2]);
    if (m[1] === "U") {
      return withEndian({
        cls: "FixedLengthUTF32",
        kind: "U",
        itemsize: 4 * n,
        hasEndian: true,
        length: n,
      });
    }
    if (m[1] === "V") {
      return { cls: "RawBytes", kind: "V", itemsize: n, hasEndian: false, length: n };
    }
    return { cls: "NullTerminatedBytes", kind: "S", itemsize: n, hasEndian: false, length: n };
  }
  m = /^([Mm])8(?:\[([^\]]*)\])?$/.exec(body);
  if (m) {
    const [unit, scale] = parseUnit(m[2]);
    return withEndian(timeType(m[1] === "M" ? "datetime" : "timedelta", unit, scale));
  }
  return { cls: input, kind: "unknown", itemsize: 0, hasEndian: false };
}

function resolveObject(o: Exclude<DtypeLike, string>): ResolvedDtype {
  const cfg = o.configuration ?? {};
  const name = o.name;
  switch (name) {
    case "fixed_length_utf32": {
      const n = o.length ?? Number(cfg.length_bytes ?? 0) / 4;
      return { cls: "FixedLengthUTF32", kind: "U", itemsize: 4 * n, hasEndian: true, length: n };
    }
    case "null_terminated_bytes": {
      const n = o.length ?? Number(cfg.length_bytes ?? 0);
      return { cls: "NullTerminatedBytes", kind: "S", itemsize: n, hasEndian: false, length: n };
    }
    case "raw_bytes": {
      const n = o.length ?? Number(cfg.length_bytes ?? 0);
      return { cls: "RawBytes", kind: "V", itemsize: n, hasEndian: false, length: n };
    }
    case "numpy.datetime64":
    case "numpy.timedelta64":
      return timeType(
        name === "numpy.datetime64" ? "datetime" : "timedelta",
        o.unit ?? String(cfg.unit ?? "generic"),
        o.scaleFactor ?? Number(cfg.scale_factor ?? 1),
      );
    case "struct":
    case "structured": {
      const raw = (o.fields ?? (cfg.fields as DtypeLike[] | undefined) ?? []) as unknown[];
      const fields: [string, ResolvedDtype][] = raw.map((f) => {
        if (Array.isArray(f)) return [String(f[0]), resolveDtype(f[1] as DtypeLike)];
        const r = f as { name: string; data_type?: DtypeLike; dtype?: DtypeLike };
        return [r.name, resolveDtype((r.data_type ?? r.dtype) as DtypeLike)];
      });
      return {
        cls: "Struct",
        kind: "struct",
        itemsize: fields.reduce((a, [, d]) => a + d.itemsize, 0),
        hasEndian: false,
        fields,
      };
    }
  }
  return resolveString(name);
}

function resolveDtype(d: DtypeLike): ResolvedDtype {
  return typeof d === "string" ? resolveString(d) : resolveObject(d);
}

function resolvedRepr(r: ResolvedDtype, endian: "little" | "big"): string {
  const e = r.endian ?? endian;
  const params: string[] = [];
  switch (r.cls) {
    case "FixedLengthUTF32":
      params.push(`length=${r.length}`, `endianness=${pyStrRepr(e)}`);
      break;
    case "NullTerminatedBytes":
    case "RawBytes":
      params.push(`length=${r.length}`);
      break;
    case "DateTime64":
    case "TimeDelta64":
      params.push(
        `endianness=${pyStrRepr(e)}`,
        `scale_factor=${r.scaleFactor}`,
        `unit=${pyStrRepr(r.unit ?? "generic")}`,
      );
      break;
    case "Struct": {
      const fs = (r.fields ?? []).map(([n, d]) => `(${pyStrRepr(n)}, ${resolvedRepr(d, endian)})`);
      params.push(`fields=${pyTupleOf(fs)}`);
      break;
    }
    default:
      if (r.hasEndian) params.push(`endianness=${pyStrRepr(e)}`);
  }
  return `${r.cls}(${params.join(", ")})`;
}

/**
 * The repr of zarr-python's data type object (`ZDType`) for a data type, as `Data type` in
 * `info` prints it. v3 data types are always little-endian; for v2 pass the byte order of the
 * dtype string (a numpy string with `>` is big-endian by itself). Types without a byte order
 * (`bool`, `int8`, `uint8`, bytes, strings) ignore it.
 *
 * @example
 * ```ts
 * import { dtypeRepr } from "./info.ts";
 * console.log(dtypeRepr("float64"));        // Float64(endianness='little')
 * console.log(dtypeRepr("U10"));            // FixedLengthUTF32(length=10, endianness='little')
 * console.log(dtypeRepr("datetime64[ns]")); // DateTime64(endianness='little', scale_factor=1, unit='ns')
 * console.log(dtypeRepr(">i4"));            // Int32(endianness='big')
 * ```
 */
export function dtypeRepr(dtype: DtypeLike, endian?: "little" | "big" | null): string {
  return resolvedRepr(resolveDtype(dtype), endian ?? "little");
}

/**
 * numpy's `dtype.str` for a data type (`"<f8"`, `"|u1"`, `"<U10"`, `"|S5"`, `"<M8[ns]"`, `"|O"`),
 * as numcodecs reprs print dtypes.
 *
 * @example
 * ```ts
 * import { numpyDtypeStr } from "./info.ts";
 * console.log(numpyDtypeStr("int32"), numpyDtypeStr("u1"), numpyDtypeStr(">f8")); // <i4 |u1 >f8
 * ```
 */
export function numpyDtypeStr(dtype: DtypeLike, endian?: "little" | "big" | null): string {
  const r = resolveDtype(dtype);
  const e = r.endian ?? endian ?? "little";
  const bo = r.hasEndian && r.itemsize > 1 ? (e === "big" ? ">" : "<") : "|";
  switch (r.kind) {
    case "bool":
      return "|b1";
    case "int":
      return `${bo}i${r.itemsize}`;
    case "uint":
      return `${bo}u${r.itemsize}`;
    case "float":
      return `${bo}f${r.itemsize}`;
    case "complex":
      return `${bo}c${r.itemsize}`;
    case "U":
      return `${e === "big" ? ">" : "<"}U${r.length}`;
    case "S":
      return `|S${r.length}`;
    case "V":
      return `|V${r.length}`;
    case "string":
    case "vbytes":
      return "|O";
    case "datetime":
    case "timedelta": {
      const u = r.unit === "generic"
        ? ""
        : `[${r.scaleFactor === 1 ? "" : r.scaleFactor}${r.unit}]`;
      return `${e === "big" ? ">" : "<"}${r.kind === "datetime" ? "M" : "m"}8${u}`;
    }
  }
  return typeof dtype === "string" ? dtype : dtype.name;
}

/**
 * numpy's `str(dtype)` (what zarr-python's `tree()` prints after the shape): `float64`, `bool`,
 * `<U10`, `|S5`, `|V3`, `datetime64[ns]`, `StringDType()` for the variable-length string type,
 * `object` for variable-length bytes; big-endian numbers as `>f8`. Unknown strings pass through.
 *
 * @example
 * ```ts
 * import { numpyDtypeName } from "./info.ts";
 * console.log(numpyDtypeName("float64"), numpyDtypeName("U10"), numpyDtypeName("string"));
 * // float64 <U10 StringDType()
 * ```
 */
export function numpyDtypeName(dtype: DtypeLike, endian?: "little" | "big" | null): string {
  const r = resolveDtype(dtype);
  const e = r.endian ?? endian ?? "little";
  switch (r.kind) {
    case "bool":
    case "int":
    case "uint":
    case "float":
    case "complex": {
      const name = Object.entries(SIMPLE).find(([, v]) => v[0] === r.cls)![0];
      return r.hasEndian && e === "big" ? numpyDtypeStr(dtype, endian) : name;
    }
    case "U":
    case "S":
    case "V":
      return numpyDtypeStr(dtype, endian);
    case "string":
      return "StringDType()";
    case "vbytes":
      return "object";
    case "datetime":
    case "timedelta": {
      if (e === "big") return numpyDtypeStr(dtype, endian);
      const u = r.unit === "generic"
        ? ""
        : `[${r.scaleFactor === 1 ? "" : r.scaleFactor}${r.unit}]`;
      return `${r.kind}64${u}`;
    }
    case "struct":
      return `[${
        (r.fields ?? []).map(([n, d]) => `(${pyStrRepr(n)}, ${pyStrRepr(numpyDtypeStrOf(d, e))})`)
          .join(", ")
      }]`;
  }
  return typeof dtype === "string" ? dtype : dtype.name;
}

function numpyDtypeStrOf(r: ResolvedDtype, endian: "little" | "big"): string {
  // rebuild a string the resolver understands
  switch (r.kind) {
    case "U":
      return numpyDtypeStr(`U${r.length}`, endian);
    case "S":
      return `|S${r.length}`;
    case "V":
      return `|V${r.length}`;
    case "datetime":
    case "timedelta":
      return numpyDtypeStr(
        `${r.kind}64[${r.scaleFactor === 1 ? "" : r.scaleFactor}${r.unit}]`,
        endian,
      );
  }
  const name = Object.entries(SIMPLE).find(([, v]) => v[0] === r.cls)?.[0];
  return name ? numpyDtypeStr(name, r.endian ?? endian) : "|O";
}

// ---------------------------------------------------------------------------------------------
// Fill values
// ---------------------------------------------------------------------------------------------

const f16round: (x: number) => number =
  (Math as unknown as { f16round?: (x: number) => number }).f16round ?? ((x: number) => x);

const NAT = -(2n ** 63n);

const UNITS_PER_DAY: Record<string, bigint> = {
  h: 24n,
  m: 1440n,
  s: 86400n,
  ms: 86400n * 10n ** 3n,
  us: 86400n * 10n ** 6n,
  ns: 86400n * 10n ** 9n,
  ps: 86400n * 10n ** 12n,
  fs: 86400n * 10n ** 15n,
  as: 86400n * 10n ** 18n,
};

const SUBSECOND_DIGITS: Record<string, number> = { ms: 3, us: 6, ns: 9, ps: 12, fs: 15, as: 18 };

const TIMEDELTA_NAMES: Record<string, string> = {
  Y: "years",
  M: "months",
  W: "weeks",
  D: "days",
  h: "hours",
  m: "minutes",
  s: "seconds",
  ms: "milliseconds",
  us: "microseconds",
  ns: "nanoseconds",
  ps: "picoseconds",
  fs: "femtoseconds",
  as: "attoseconds",
  generic: "generic time units",
};

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function pad2(n: bigint | number): string {
  return String(n).padStart(2, "0");
}

/** C's `%04d` of a year (numpy prints `-005`, `0970`, `10000`). */
function formatYear(y: bigint): string {
  if (y < 0n) return "-" + (-y).toString().padStart(3, "0");
  return y.toString().padStart(4, "0");
}

/** Proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: bigint): [bigint, bigint, bigint] {
  const z = days + 719468n;
  const era = floorDiv(z, 146097n);
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  const y = yoe + era * 400n + (m <= 2n ? 1n : 0n);
  return [y, m, d];
}

/**
 * numpy's `str(np.datetime64(value, f"{scale}{unit}"))`: `NaT`, `1970-01-01`,
 * `1970-01-01T00:00:00.000000000`.
 *
 * @example
 * ```ts
 * import { datetimeStr } from "./info.ts";
 * console.log(datetimeStr(0n, "ns")); // 1970-01-01T00:00:00.000000000
 * ```
 */
export function datetimeStr(value: bigint | number, unit: string, scaleFactor = 1): string {
  const v = BigInt(value);
  if (v === NAT) return "NaT";
  const u = unit === "μs" ? "us" : unit;
  const total = v * BigInt(scaleFactor);
  if (u === "generic") return total.toString();
  if (u === "Y") return formatYear(1970n + total);
  if (u === "M") {
    const y = 1970n + floorDiv(total, 12n);
    const mo = total - floorDiv(total, 12n) * 12n + 1n;
    return `${formatYear(y)}-${pad2(mo)}`;
  }
  let days: bigint;
  let rem = 0n;
  if (u === "W") days = total * 7n;
  else if (u === "D") days = total;
  else {
    const per = UNITS_PER_DAY[u];
    if (per === undefined) return total.toString();
    days = floorDiv(total, per);
    rem = total - days * per;
  }
  const [y, m, d] = civilFromDays(days);
  let out = `${formatYear(y)}-${pad2(m)}-${pad2(d)}`;
  if (u === "W" || u === "D") return out;
  const per = UNITS_PER_DAY[u];
  const perHour = per / 24n;
  const hh = rem / perHour;
  rem -= hh * perHour;
  out += `T${pad2(hh)}`;
  if (u === "h") return out;
  const perMin = perHour / 60n;
  const mm = rem / perMin;
  rem -= mm * perMin;
  out += `:${pad2(mm)}`;
  if (u === "m") return out;
  const perSec = perMin / 60n;
  const ss = rem / perSec;
  rem -= ss * perSec;
  out += `:${pad2(ss)}`;
  if (u === "s") return out;
  return out + "." + rem.toString().padStart(SUBSECOND_DIGITS[u], "0");
}

/**
 * numpy's `str(np.timedelta64(value, f"{scale}{unit}"))`: `NaT`, `0 seconds`, `20 seconds`.
 *
 * @example
 * ```ts
 * import { timedeltaStr } from "./info.ts";
 * console.log(timedeltaStr(2n, "s", 10)); // 20 seconds
 * ```
 */
export function timedeltaStr(value: bigint | number, unit: string, scaleFactor = 1): string {
  const v = BigInt(value);
  if (v === NAT) return "NaT";
  const u = unit === "μs" ? "us" : unit;
  return `${v * BigInt(scaleFactor)} ${TIMEDELTA_NAMES[u] ?? u}`;
}

/**
 * A fill value as zarr-python's `info` prints it, i.e. Python's `format(scalar, "")` of the
 * numpy scalar the metadata holds: bools `True`/`False`; ints as decimals; floats of every width
 * as Python's repr of the (rounded to the width) double (`0.0`, `nan`, `-inf`,
 * `0.10000000149011612` for float32 0.1); complex `[re, im]` as `0j`, `(1+2j)`; strings bare
 * (`''` prints nothing); bytes as `b'..'` (trailing NULs stripped for `S`); datetimes as numpy
 * prints them (`NaT`, `1970-01-01T00:00:00`); timedeltas as `0 seconds`; `null` as `None`.
 *
 * @example
 * ```ts
 * import { formatFillValue } from "./info.ts";
 * console.log(formatFillValue(0, "float64"), formatFillValue(false, "bool")); // 0.0 False
 * console.log(formatFillValue(-(2n ** 63n), "datetime64[ns]")); // NaT
 * ```
 */
export function formatFillValue(value: unknown, dtype: DtypeLike): string {
  if (value === null || value === undefined) return "None";
  const r = resolveDtype(dtype);
  const num = (v: unknown): number => {
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "string") {
      if (v === "NaN") return NaN;
      if (v === "Infinity") return Infinity;
      if (v === "-Infinity") return -Infinity;
      return Number(v);
    }
    return NaN;
  };
  const round = (x: number): number =>
    r.itemsize === 4 || (r.kind === "complex" && r.itemsize === 8)
      ? Math.fround(x)
      : r.itemsize === 2
      ? f16round(x)
      : x;
  switch (r.kind) {
    case "bool":
      return value === true || value === 1 || value === 1n ? "True" : "False";
    case "int":
    case "uint":
      return typeof value === "bigint" ? value.toString() : String(Math.trunc(num(value)));
    case "float":
      return pyFloatRepr(round(num(value)));
    case "complex": {
      const [re, im] = Array.isArray(value) ? value : [value, 0];
      return pyComplexRepr(round(num(re)), round(num(im)));
    }
    case "U":
    case "string":
      return String(value);
    case "S":
    case "V":
    case "vbytes": {
      let b = value instanceof Uint8Array
        ? value
        : typeof value === "string"
        ? new TextEncoder().encode(value)
        : new Uint8Array(0);
      if (r.kind === "S") {
        let end = b.length;
        while (end > 0 && b[end - 1] === 0) end--;
        b = b.subarray(0, end);
      }
      return pyBytesRepr(b);
    }
    case "datetime":
      return typeof value === "bigint" || typeof value === "number"
        ? datetimeStr(value, r.unit ?? "generic", r.scaleFactor ?? 1)
        : String(value);
    case "timedelta":
      return typeof value === "bigint" || typeof value === "number"
        ? timedeltaStr(value, r.unit ?? "generic", r.scaleFactor ?? 1)
        : String(value);
  }
  return pyRepr(value);
}

// ---------------------------------------------------------------------------------------------
// Codecs
// ---------------------------------------------------------------------------------------------

/** A v3 codec entry `{name, configuration?}` or a v2 numcodecs config `{id, ...}`. */
export type CodecLike =
  | { name: string; configuration?: Record<string, unknown>; [k: string]: unknown }
  | { id: string; [k: string]: unknown };

/** Options of {@link codecRepr}. */
export interface CodecReprOptions {
  /** Item size of the array's data type: tunes a v3 `blosc` without `typesize`/`shuffle`. */
  itemsize?: number;
}

const NUMCODECS_V3_CLASSES: Record<string, string> = {
  blosc: "Blosc",
  lz4: "LZ4",
  zstd: "Zstd",
  zlib: "Zlib",
  gzip: "GZip",
  bz2: "BZ2",
  lzma: "LZMA",
  shuffle: "Shuffle",
  delta: "Delta",
  bitround: "BitRound",
  fixedscaleoffset: "FixedScaleOffset",
  quantize: "Quantize",
  packbits: "PackBits",
  astype: "AsType",
  crc32: "CRC32",
  crc32c: "CRC32C",
  adler32: "Adler32",
  fletcher32: "Fletcher32",
  jenkins_lookup3: "JenkinsLookup3",
  pcodec: "PCodec",
  zfpy: "ZFPY",
};

/** Python `{}`-formatting of a number (`str(x)`): ints bare, floats as repr. */
function pyStr(v: unknown): string {
  if (typeof v === "string") return v;
  return pyRepr(v);
}

function codecTuple(list: unknown, opts: CodecReprOptions): string {
  const arr = Array.isArray(list) ? list : [];
  return pyTupleOf(arr.map((c) => codecRepr(c as CodecLike, opts)));
}

function v3CodecRepr(
  name: string,
  cfg: Record<string, unknown>,
  opts: CodecReprOptions,
): string {
  switch (name) {
    case "bytes":
      return `BytesCodec(endian=${pyRepr(cfg.endian ?? null)})`;
    case "transpose":
      return `TransposeCodec(order=${pyRepr(pyTuple((cfg.order as unknown[]) ?? []))})`;
    case "gzip":
      return `GzipCodec(level=${pyRepr(cfg.level ?? 5)})`;
    case "zstd":
      return `ZstdCodec(level=${pyRepr(cfg.level ?? 0)}, checksum=${
        pyRepr(cfg.checksum ?? false)
      })`;
    case "crc32c":
      return "Crc32cCodec()";
    case "vlen-utf8":
      return "VLenUTF8Codec()";
    case "vlen-bytes":
      return "VLenBytesCodec()";
    case "blosc": {
      const tunable: string[] = [];
      let typesize = cfg.typesize;
      let shuffle = cfg.shuffle;
      if (typesize === undefined || typesize === null) {
        if (opts.itemsize !== undefined) typesize = opts.itemsize;
        else {
          typesize = 1;
          tunable.push("typesize");
        }
      }
      if (shuffle === undefined || shuffle === null) {
        if (opts.itemsize !== undefined) shuffle = opts.itemsize === 1 ? "bitshuffle" : "shuffle";
        else {
          shuffle = "bitshuffle";
          tunable.push("shuffle");
        }
      }
      const tun = tunable.length === 0 ? "set()" : `{${tunable.map(pyStrRepr).join(", ")}}`;
      return `BloscCodec(_tunable_attrs=${tun}, typesize=${pyRepr(typesize)}, cname=${
        pyRepr(cfg.cname ?? "zstd")
      }, clevel=${pyRepr(cfg.clevel ?? 5)}, shuffle=${pyRepr(shuffle)}, blocksize=${
        pyRepr(cfg.blocksize ?? 0)
      })`;
    }
    case "sharding_indexed": {
      const chunk = pyRepr(pyTuple((cfg.chunk_shape as unknown[]) ?? []));
      const codecs = codecTuple(
        cfg.codecs ?? [{ name: "bytes", configuration: { endian: "little" } }],
        opts,
      );
      const index = codecTuple(
        cfg.index_codecs ??
          [{ name: "bytes", configuration: { endian: "little" } }, { name: "crc32c" }],
        {},
      );
      return `ShardingCodec(chunk_shape=${chunk}, codecs=${codecs}, index_codecs=${index}, index_location=${
        pyRepr(cfg.index_location ?? "end")
      }, subchunk_write_order=${pyRepr(cfg.subchunk_write_order ?? "morton")})`;
    }
    case "scale_offset":
      return `ScaleOffset(offset=${pyRepr(cfg.offset ?? 0)}, scale=${pyRepr(cfg.scale ?? 1)})`;
    case "cast_value":
      return `CastValue(dtype=${dtypeRepr((cfg.data_type ?? "unknown") as DtypeLike)}, rounding=${
        pyRepr(cfg.rounding ?? "nearest-even")
      }, out_of_range=${pyRepr(cfg.out_of_range ?? null)}, scalar_map=${
        pyRepr(cfg.scalar_map ?? null)
      })`;
  }
  if (name.startsWith("numcodecs.")) {
    const id = name.slice("numcodecs.".length);
    const cls = NUMCODECS_V3_CLASSES[id] ?? id;
    const conf = { ...cfg };
    delete conf.id;
    return `${cls}(codec_name=${pyStrRepr(name)}, codec_config=${pyRepr(conf)})`;
  }
  const params = Object.entries(cfg).map(([k, v]) => `${k}=${pyRepr(v)}`);
  return `${name}(${params.join(", ")})`;
}

const BLOSC_SHUFFLE_REPR = ["AUTOSHUFFLE", "NOSHUFFLE", "SHUFFLE", "BITSHUFFLE"];

/** numcodecs' default `Codec.__repr__`: non-private attributes, sorted by name. */
function defaultNumcodecsRepr(cls: string, attrs: Record<string, unknown>): string {
  const keys = Object.keys(attrs).filter((k) => !k.startsWith("_")).sort();
  return `${cls}(${keys.map((k) => `${k}=${pyRepr(attrs[k])}`).join(", ")})`;
}

/** Python's `textwrap.fill(text, 80, break_long_words=False, subsequent_indent=" " * 5)`, on spaces. */
function wrap80(text: string): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    const candidate = line === "" ? w : line + " " + w;
    const indent = lines.length === 0 ? 0 : 5;
    if (line !== "" && candidate.length + indent > 80) {
      lines.push(line);
      line = w;
    } else line = candidate;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : "     " + l)).join("\n");
}

function v2CodecRepr(id: string, c: Record<string, unknown>): string {
  const get = (k: string, d: unknown) => (c[k] === undefined ? d : c[k]);
  const npStr = (v: unknown) => pyStrRepr(numpyDtypeStr(String(v)));
  const astypeSuffix = (dtype: unknown, astype: unknown) => {
    if (astype === undefined || astype === null) return "";
    const a = numpyDtypeStr(String(astype));
    return a === numpyDtypeStr(String(dtype)) ? "" : `, astype=${pyStrRepr(a)}`;
  };
  switch (id) {
    case "zstd":
      return `Zstd(level=${pyRepr(get("level", 0))})`;
    case "blosc": {
      const sh = Number(get("shuffle", 1));
      return `Blosc(cname=${pyRepr(get("cname", "lz4"))}, clevel=${
        pyRepr(get("clevel", 5))
      }, shuffle=${BLOSC_SHUFFLE_REPR[sh + 1] ?? String(sh)}, blocksize=${
        pyStr(get("blocksize", 0))
      })`;
    }
    case "lz4":
      return `LZ4(acceleration=${pyRepr(get("acceleration", 1))})`;
    case "zlib":
      return `Zlib(level=${pyRepr(get("level", 1))})`;
    case "gzip":
      return `GZip(level=${pyRepr(get("level", 1))})`;
    case "bz2":
      return `BZ2(level=${pyRepr(get("level", 1))})`;
    case "lzma":
      return `LZMA(format=${pyRepr(get("format", 1))}, check=${pyRepr(get("check", -1))}, preset=${
        pyRepr(get("preset", null))
      }, filters=${pyRepr(get("filters", null))})`;
    case "delta":
      return `Delta(dtype=${npStr(c.dtype)}${astypeSuffix(c.dtype, c.astype)})`;
    case "fixedscaleoffset":
      return `FixedScaleOffset(scale=${pyStr(c.scale)}, offset=${pyStr(c.offset)}, dtype=${
        npStr(c.dtype)
      }${astypeSuffix(c.dtype, c.astype)})`;
    case "quantize":
      return `Quantize(digits=${pyStr(c.digits)}, dtype=${npStr(c.dtype)}${
        astypeSuffix(c.dtype, c.astype)
      })`;
    case "astype":
      return `AsType(encode_dtype=${npStr(c.encode_dtype)}, decode_dtype=${npStr(c.decode_dtype)})`;
    case "categorize": {
      const labels = ((c.labels as unknown[]) ?? []).map(String);
      let l = pyRepr(labels.slice(0, 3));
      if (labels.length > 3) l = l.slice(0, -1) + ", ...]";
      return `Categorize(dtype=${npStr(c.dtype)}, astype=${
        npStr(get("astype", "u1"))
      }, labels=${l})`;
    }
    case "shuffle":
      return `Shuffle(elementsize=${pyStr(get("elementsize", 4))})`;
    case "bitround":
      return `BitRound(keepbits=${pyRepr(c.keepbits)})`;
    case "packbits":
      return "PackBits()";
    case "crc32":
    case "crc32c":
    case "adler32": {
      const cls = id === "crc32" ? "CRC32" : id === "crc32c" ? "CRC32C" : "Adler32";
      return defaultNumcodecsRepr(
        cls,
        c.location === undefined || c.location === null ? {} : { location: c.location },
      );
    }
    case "fletcher32":
      return "Fletcher32()";
    case "jenkins_lookup3":
      return defaultNumcodecsRepr("JenkinsLookup3", {
        initval: get("initval", 0),
        prefix: get("prefix", null),
      });
    case "vlen-utf8":
      return "VLenUTF8()";
    case "vlen-bytes":
      return "VLenBytes()";
    case "vlen-array":
      return `VLenArray(dtype=${npStr(c.dtype)})`;
    case "base64":
      return "Base64()";
    case "pickle":
      return `Pickle(protocol=${pyStr(get("protocol", 5))})`;
    case "msgpack2":
      return `MsgPack(raw=${pyRepr(get("raw", false))}, use_bin_type=${
        pyRepr(get("use_bin_type", true))
      }, use_single_float=${pyRepr(get("use_single_float", false))})`;
    case "json2": {
      const indent = get("indent", null);
      let seps = get("separators", null) as unknown[] | null;
      if (seps === null) seps = indent === null ? [",", ":"] : [", ", ": "];
      const enc: Record<string, unknown> = {
        allow_nan: get("allow_nan", true),
        check_circular: get("check_circular", true),
        ensure_ascii: get("ensure_ascii", true),
        indent,
        separators: pyTuple(seps),
        skipkeys: get("skipkeys", false),
        sort_keys: get("sort_keys", true),
      };
      const params = [`encoding=${pyRepr(get("encoding", "utf-8"))}`]
        .concat(Object.keys(enc).map((k) => `${k}=${pyRepr(enc[k])}`))
        .concat([`strict=${pyRepr(get("strict", true))}`]);
      return wrap80(`JSON(${params.join(", ")})`);
    }
    case "pcodec":
      return defaultNumcodecsRepr("PCodec", {
        level: get("level", 8),
        mode_spec: get("mode_spec", "auto"),
        delta_spec: get("delta_spec", "auto"),
        paging_spec: get("paging_spec", "equal_pages_up_to"),
        delta_encoding_order: get("delta_encoding_order", null),
        equal_pages_up_to: get("equal_pages_up_to", 262144),
      });
    case "zfpy":
      return `ZFPY(mode=${pyRepr(get("mode", 3))}, tolerance=${pyStr(get("tolerance", -1))}, rate=${
        pyStr(get("rate", -1))
      }, precision=${pyStr(get("precision", -1))})`;
  }
  const attrs = { ...c };
  delete attrs.id;
  return defaultNumcodecsRepr(id, attrs);
}

/**
 * The Python repr of a codec, as `info` prints it. A v3 entry `{name, configuration?}` gives the
 * zarr-python codec class repr (`BytesCodec(endian='little')`, `ZstdCodec(level=0,
 * checksum=False)`, `GzipCodec(level=5)`, `TransposeCodec(order=(1, 0))`, `Crc32cCodec()`,
 * `BloscCodec(_tunable_attrs=set(), typesize=4, ...)`, `ShardingCodec(...)`, the `numcodecs.*`
 * wrappers as `Zstd(codec_name='numcodecs.zstd', codec_config={'level': 1})`); a v2 numcodecs
 * config `{id, ...}` gives the numcodecs repr (`Zstd(level=0)`, `Zlib(level=1)`, `GZip(level=5)`,
 * `Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE, blocksize=0)`, `Delta(dtype='<i4')`).
 * Pass the codecs as stored (after zarr-python's evolution: no `endian` on `bytes` for 1-byte
 * types gives `BytesCodec(endian=None)`).
 *
 * @example
 * ```ts
 * import { codecRepr } from "./info.ts";
 * console.log(codecRepr({ name: "zstd", configuration: { level: 0, checksum: false } }));
 * // ZstdCodec(level=0, checksum=False)
 * console.log(codecRepr({ id: "zstd", level: 0 })); // Zstd(level=0)
 * ```
 */
export function codecRepr(meta: CodecLike | string, opts: CodecReprOptions = {}): string {
  if (typeof meta === "string") return v3CodecRepr(meta, {}, opts);
  if ("name" in meta && typeof meta.name === "string") {
    return v3CodecRepr(meta.name, (meta.configuration ?? {}) as Record<string, unknown>, opts);
  }
  const c = meta as Record<string, unknown>;
  return v2CodecRepr(String(c.id), c);
}

// ---------------------------------------------------------------------------------------------
// ArrayInfo
// ---------------------------------------------------------------------------------------------

/**
 * zarr-python's `human_readable_size`: `"1"`, `"1.0K"`, `"976.6K"`, `"1.0M"`, ... (base 1024,
 * one decimal, ties to even).
 *
 * @example
 * ```ts
 * import { humanReadableSize } from "./info.ts";
 * console.log(humanReadableSize(1_000_000)); // 976.6K
 * ```
 */
export function humanReadableSize(size: number | bigint): string {
  const s = Number(size);
  const units: [number, string][] = [[2 ** 10, "K"], [2 ** 20, "M"], [2 ** 30, "G"], [
    2 ** 40,
    "T",
  ], [2 ** 50, "P"]];
  if (s < 2 ** 10) return String(size);
  for (let i = 0; i < units.length; i++) {
    const next = i + 1 < units.length ? units[i + 1][0] : Infinity;
    if (s < next) return pyFormatFixed(s / units[i][0], 1) + units[i][1];
  }
  return pyFormatFixed(s / 2 ** 50, 1) + "P";
}

/**
 * zarr-python's `byte_info`: `"480"` below 1024, else `"1000000 (976.6K)"`.
 *
 * @example
 * ```ts
 * import { byteInfo } from "./info.ts";
 * console.log(byteInfo(480), byteInfo(1280)); // 480 1280 (1.2K)
 * ```
 */
export function byteInfo(size: number | bigint): string {
  if (Number(size) < 2 ** 10) return String(size);
  return `${size} (${humanReadableSize(size)})`;
}

/**
 * The fields of zarr-python's `ArrayInfo`, already reduced to plain values: reprs are strings
 * (build them with {@link dtypeRepr}, {@link formatFillValue}, {@link codecRepr}).
 */
export interface ArrayInfoFields {
  /** 2 or 3. */
  zarrFormat: 2 | 3;
  /** `Data type` text, e.g. `Float64(endianness='little')` ({@link dtypeRepr}). */
  dataTypeRepr: string;
  /** `Fill value` text, e.g. `0.0`, `nan`, `False`, `None` ({@link formatFillValue}). */
  fillValueRepr: string;
  /** Array shape. */
  shape: readonly (number | bigint)[];
  /** Shard shape (sharded arrays only; also switches to `Shards Initialized`). */
  shardShape?: readonly (number | bigint)[] | null;
  /** Chunk shape (inner chunks when sharded); `null` prints `<variable>` (rectilinear grids). */
  chunkShape: readonly (number | bigint)[] | null;
  /** `C` or `F`. */
  order: "C" | "F";
  /** Whether the store is read-only. */
  readOnly: boolean;
  /** Store class name, e.g. `MemoryStore`. */
  storeType: string;
  /** Filter reprs ({@link codecRepr}). */
  filters: readonly string[];
  /** Serializer repr; omitted (v2) when undefined or null. */
  serializer?: string | null;
  /** Compressor reprs ({@link codecRepr}). */
  compressors: readonly string[];
  /** `No. bytes` (uncompressed size); omitted when undefined. */
  nbytes?: number | bigint | null;
  /** `No. bytes stored` (`info_complete` only). */
  nbytesStored?: number | bigint | null;
  /** `Chunks Initialized` / `Shards Initialized` (`info_complete` only). */
  chunksInitialized?: number | bigint | null;
  /** Forces the `Shards Initialized` label; by default it follows `shardShape`. */
  sharded?: boolean;
}

/**
 * zarr-python's `repr(ArrayInfo)`, exactly: the `Type` ... `Compressors` lines, then `No. bytes`,
 * `No. bytes stored`, `Storage ratio` (when stored > 0) and `Chunks Initialized` (or
 * `Shards Initialized`) when known. No trailing newline.
 *
 * @example
 * ```ts
 * import { formatArrayInfo } from "./info.ts";
 * const text = formatArrayInfo({
 *   zarrFormat: 3, dataTypeRepr: "Int32(endianness='little')", fillValueRepr: "0",
 *   shape: [100, 100], chunkShape: [10, 100], order: "C", readOnly: true,
 *   storeType: "MemoryStore", filters: [], serializer: "BytesCodec(endian='little')",
 *   compressors: [],
 * });
 * console.log(text.split("\n")[0]); // Type               : Array
 * ```
 */
export function formatArrayInfo(info: ArrayInfoFields): string {
  const lines: string[] = [];
  const add = (label: string, value: string) => lines.push(`${label.padEnd(19)}: ${value}`);
  const sharded = info.sharded ?? (info.shardShape !== undefined && info.shardShape !== null);
  add("Type", "Array");
  add("Zarr format", String(info.zarrFormat));
  add("Data type", info.dataTypeRepr);
  add("Fill value", info.fillValueRepr);
  add("Shape", shapeRepr(info.shape));
  if (info.shardShape !== undefined && info.shardShape !== null) {
    add("Shard shape", shapeRepr(info.shardShape));
  }
  add("Chunk shape", info.chunkShape === null ? "<variable>" : shapeRepr(info.chunkShape));
  add("Order", info.order);
  add("Read-only", info.readOnly ? "True" : "False");
  add("Store type", info.storeType);
  add("Filters", pyTupleOf(info.filters));
  if (info.serializer !== undefined && info.serializer !== null) add("Serializer", info.serializer);
  add("Compressors", pyTupleOf(info.compressors));
  const hasBytes = info.nbytes !== undefined && info.nbytes !== null;
  const hasStored = info.nbytesStored !== undefined && info.nbytesStored !== null;
  if (hasBytes) add("No. bytes", byteInfo(info.nbytes!));
  if (hasStored) add("No. bytes stored", byteInfo(info.nbytesStored!));
  if (hasBytes && hasStored && Number(info.nbytesStored) > 0) {
    add("Storage ratio", pyFormatFixed(Number(info.nbytes) / Number(info.nbytesStored), 1));
  }
  if (info.chunksInitialized !== undefined && info.chunksInitialized !== null) {
    add(sharded ? "Shards Initialized" : "Chunks Initialized", String(info.chunksInitialized));
  }
  return lines.join("\n");
}
