/**
 * Fill values: reading them from metadata JSON, writing them back, and casting user input, with
 * zarr-python 3's rules (`core/dtype/npy/*.py from_json_scalar / to_json_scalar / cast_scalar`).
 *
 * JSON forms by kind:
 * - bool: `true` / `false` (reads take any JSON value by Python truthiness, as `np.bool_(x)`);
 * - ints: JSON integers, 64-bit ones exact (`bigint` scalars); reads also accept `1.0` and `"1"`;
 * - floats: numbers written as Python floats (`0.0`, `1e-05`), or `"NaN"`, `"Infinity"`,
 *   `"-Infinity"`; v3 also reads IEEE bit patterns `"0x7fc00000"` (4, 8 or 16 hex digits read
 *   big-endian as float16/32/64); reads accept numeric strings (`"3.14"`);
 * - complex: `[re, im]`, each part a float as above;
 * - `S` / `V` / variable-length bytes: standard base64;
 * - `U` / string: plain strings;
 * - datetime64 / timedelta64: the int64 count, NaT = -2^63; reads accept `"NaT"`;
 * - v2 `null` is kept (returned as `null`).
 *
 * **NaN payloads.** A scalar is a JS `number`, and V8 does not keep NaN payload bits reliably (an
 * object property store canonicalizes a NaN read from float32 bits, `DataView.setFloat16`
 * canonicalizes, array literals quiet signalling NaNs; see `tests/metadata/fill_value_test.ts`).
 * So the scalar of a NaN fill is always a plain `NaN`, and the exact bits live in the JSON: readers
 * keep the original `fill_value` JSON in `ArrayMetadata.fillValueJSON` when {@link hasNaNPayload}
 * says it holds a hex NaN other than the canonical one, and writers emit that JSON again as long as
 * the scalar is still NaN. {@link parseHexFloat} gives the bits for code that wants to fill chunks
 * with the exact pattern.
 *
 * @example
 * ```ts
 * import { fillValueFromJSON, fillValueToJSON } from "./fill_value.ts";
 * import { parseDataType } from "./dtype.ts";
 * const f4 = parseDataType("float32");
 * console.log(fillValueFromJSON(f4, "0x3f800000", 3)); // 1
 * console.log(fillValueToJSON(f4, NaN, 3)); // "NaN"
 * ```
 * @module
 */
import { ZarrTypeError, ZarrValueError } from "../errors.ts";
import type { DataType, Scalar } from "./dtype.ts";
import { pyFloat, pyFloatRepr, stringifyJSON } from "./json.ts";

const NAT = -(2n ** 63n);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The range of an integer data type. */
function intRange(dt: DataType): [bigint, bigint] {
  const bits = BigInt(dt.itemsize * 8);
  if (dt.kind === "uint") return [0n, 2n ** bits - 1n];
  return [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
}

/** A short, Python-ish rendering of a JSON value for error messages. */
function show(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (v instanceof Uint8Array) return `bytes(${Array.from(v).join(",")})`;
  try {
    const s = stringifyJSON(v, null);
    return s.length > 200 ? s.slice(0, 200) + "..." : s;
  } catch {
    return String(v);
  }
}

function invalid(json: unknown, dt: DataType, where: string | undefined, why: string): never {
  const at = where ? ` in ${where}` : "";
  throw new ZarrTypeError(
    `Invalid fill_value: ${show(json)} for data type ${dt.str}${at}: ${why}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Python-compatible string parsing

const PY_INT_RE = /^[+-]?\d(?:_?\d)*$/;
const PY_FLOAT_RE =
  /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf|infinity|nan)$/i;

/** Python's `int(s)` for strings (base 10, underscores, surrounding whitespace); undefined if invalid. */
function pyInt(s: string): bigint | undefined {
  const t = s.trim();
  if (!PY_INT_RE.test(t)) return undefined;
  return BigInt(t.replace(/_/g, ""));
}

/** Python's `float(s)` for strings; undefined if invalid. */
function pyFloatParse(s: string): number | undefined {
  const t = s.trim();
  if (!PY_FLOAT_RE.test(t)) return undefined;
  const u = t.replace(/_/g, "").toLowerCase();
  const sign = u.startsWith("-") ? -1 : 1;
  const body = u.replace(/^[+-]/, "");
  if (body === "nan") return NaN;
  if (body === "inf" || body === "infinity") return sign * Infinity;
  return Number(u);
}

/** Python truthiness of a JSON value (`np.bool_(x)`). */
function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "bigint") return v !== 0n;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

// ---------------------------------------------------------------------------------------------
// base64 (standard alphabet, like Python's base64.b64encode / b64decode)

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map<string, number>([...B64].map((c, i) => [c, i]));

/**
 * Standard base64 encoding (RFC 4648 with padding), as Python's `base64.b64encode`.
 *
 * @example
 * ```ts
 * import { base64Encode } from "./fill_value.ts";
 * console.log(base64Encode(new TextEncoder().encode("X"))); // "WA=="
 * ```
 */
export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i], b = bytes[i + 1], c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += b === undefined ? "=" : B64[(n >> 6) & 63];
    out += c === undefined ? "=" : B64[n & 63];
  }
  return out;
}

/**
 * Standard base64 decoding as Python's `base64.b64decode` (non-alphabet characters are discarded,
 * padding is required); throws `ZarrValueError` on bad padding.
 *
 * @example
 * ```ts
 * import { base64Decode } from "./fill_value.ts";
 * console.log(base64Decode("WA==")); // Uint8Array(1) [ 88 ]
 * ```
 */
export function base64Decode(s: string): Uint8Array {
  // Python discards characters outside the alphabet (validate=False), then checks padding.
  let clean = "";
  let pad = 0;
  for (const ch of s) {
    if (ch === "=") {
      pad++;
      continue;
    }
    if (B64_INDEX.has(ch)) {
      if (pad > 0) {
        // data after padding: Python stops at the first complete quantum; be strict instead
        throw new ZarrValueError("Invalid base64: data after padding");
      }
      clean += ch;
    }
  }
  const rem = clean.length % 4;
  if (rem === 1) throw new ZarrValueError("Invalid base64: bad length");
  if (rem !== 0 && pad < 4 - rem) throw new ZarrValueError("Invalid base64: incorrect padding");
  const outLen = Math.floor((clean.length * 3) / 4);
  const out = new Uint8Array(outLen);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n = (B64_INDEX.get(clean[i])! << 18) | (B64_INDEX.get(clean[i + 1])! << 12) |
      ((B64_INDEX.get(clean[i + 2]) ?? 0) << 6) | (B64_INDEX.get(clean[i + 3]) ?? 0);
    if (o < outLen) out[o++] = (n >> 16) & 255;
    if (o < outLen && i + 2 < clean.length) out[o++] = (n >> 8) & 255;
    if (o < outLen && i + 3 < clean.length) out[o++] = n & 255;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// floats

const CANONICAL_NAN_HEX: Record<number, string> = {
  2: "7e00",
  4: "7fc00000",
  8: "7ff8000000000000",
};

/** A decoded v3 hex float. */
export interface HexFloat {
  /** The value as a JS number (NaN payloads are not guaranteed to survive in it). */
  value: number;
  /** The raw bits, as written. */
  bits: bigint;
  /** Bytes of the encoding: 2 (float16), 4 (float32) or 8 (float64). */
  width: 2 | 4 | 8;
  /** True when the bits are a NaN other than the canonical quiet NaN of that width. */
  nonCanonicalNaN: boolean;
}

/**
 * Decodes a v3 hex float string `"0x…"` (4, 8 or 16 hex digits, big-endian float16/32/64).
 * Returns undefined when the string is not of that form.
 *
 * @example
 * ```ts
 * import { parseHexFloat } from "./fill_value.ts";
 * const h = parseHexFloat("0x7fc00001")!;
 * console.log(Number.isNaN(h.value), h.width, h.nonCanonicalNaN); // true 4 true
 * ```
 */
export function parseHexFloat(s: string): HexFloat | undefined {
  if (!s.startsWith("0x")) return undefined;
  const hex = s.slice(2);
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const width = hex.length / 2;
  if (width !== 2 && width !== 4 && width !== 8) return undefined;
  const dv = new DataView(new ArrayBuffer(8));
  const bits = BigInt("0x" + hex);
  let value: number;
  if (width === 2) {
    dv.setUint16(0, Number(bits));
    value = dv.getFloat16(0);
  } else if (width === 4) {
    dv.setUint32(0, Number(bits));
    value = dv.getFloat32(0);
  } else {
    dv.setBigUint64(0, bits);
    value = dv.getFloat64(0);
  }
  const nonCanonicalNaN = Number.isNaN(value) && hex.toLowerCase() !== CANONICAL_NAN_HEX[width];
  return { value, bits, width, nonCanonicalNaN };
}

/**
 * True when a fill_value JSON holds a hex NaN other than the canonical one (for complex: in either
 * part); such JSON is kept verbatim in `ArrayMetadata.fillValueJSON` so the payload survives.
 *
 * @example
 * ```ts
 * import { hasNaNPayload } from "./fill_value.ts";
 * console.log(hasNaNPayload("0x7fc00001"), hasNaNPayload("0x7fc00000"), hasNaNPayload("NaN")); // true false false
 * ```
 */
export function hasNaNPayload(json: unknown): boolean {
  if (typeof json === "string") return parseHexFloat(json)?.nonCanonicalNaN ?? false;
  if (Array.isArray(json) && json.length === 2) return json.some((p) => hasNaNPayload(p));
  return false;
}

/** Rounds to the precision of a float width (float16/32/64). */
function roundFloat(x: number, itemsize: number): number {
  if (itemsize === 2) return Math.f16round(x);
  if (itemsize === 4) return Math.fround(x);
  return x;
}

/** A JSON float (strict: numbers, the special strings, v3 hex), or undefined. */
function jsonFloatStrict(json: unknown, zarrFormat: 2 | 3): number | undefined | "badhex" {
  if (typeof json === "number") return json;
  if (typeof json === "bigint") return Number(json);
  if (typeof json === "boolean") return json ? 1 : 0; // Python: isinstance(True, int)
  if (typeof json === "string") {
    if (json === "NaN") return NaN;
    if (json === "Infinity") return Infinity;
    if (json === "-Infinity") return -Infinity;
    if (zarrFormat === 3 && json.startsWith("0x")) {
      const h = parseHexFloat(json);
      return h ? h.value : "badhex";
    }
  }
  return undefined;
}

function floatFromJSON(
  json: unknown,
  dt: DataType,
  zarrFormat: 2 | 3,
  where: string | undefined,
  allowFloatishStr: boolean,
  itemsize: number,
): number {
  const strict = jsonFloatStrict(json, zarrFormat);
  if (strict === "badhex") {
    invalid(
      json,
      dt,
      where,
      "expected the '0x' prefix to be followed by 4, 8, or 16 hexadecimal characters",
    );
  }
  if (strict !== undefined) return roundFloat(strict, itemsize);
  if (allowFloatishStr && typeof json === "string") {
    const f = pyFloatParse(json);
    if (f !== undefined) return roundFloat(f, itemsize);
  }
  invalid(json, dt, where, "expected a float or a special string encoding of a float");
}

function floatToJSON(x: number, itemsize: number): unknown {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return pyFloat(roundFloat(x, itemsize));
}

// ---------------------------------------------------------------------------------------------
// ints

function intFromJSON(json: unknown, dt: DataType, where: string | undefined): bigint {
  let v: bigint | undefined;
  if (typeof json === "bigint") v = json;
  else if (typeof json === "number") {
    if (!Number.isFinite(json) || !Number.isInteger(json)) {
      invalid(json, dt, where, "expected an integer");
    }
    v = BigInt(json);
  } else if (typeof json === "boolean") v = json ? 1n : 0n;
  else if (typeof json === "string") v = pyInt(json);
  if (v === undefined) invalid(json, dt, where, "expected an integer");
  return v;
}

function checkIntRange(v: bigint, dt: DataType, json: unknown, where: string | undefined): Scalar {
  const [lo, hi] = intRange(dt);
  if (v < lo || v > hi) invalid(json, dt, where, `out of bounds for ${dt.name}`);
  return dt.itemsize === 8 ? v : Number(v);
}

function intToJSON(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

// ---------------------------------------------------------------------------------------------
// bytes and strings

function truncateChars(s: string, n: number | undefined): string {
  if (n === undefined) return s;
  const cps = [...s];
  return cps.length > n ? cps.slice(0, n).join("") : s;
}

function fitBytes(b: Uint8Array, dt: DataType): Uint8Array {
  if (dt.kind === "S") return b.length > dt.itemsize ? b.slice(0, dt.itemsize) : b;
  if (dt.kind === "V") {
    if (b.length === dt.itemsize) return b;
    const out = new Uint8Array(dt.itemsize);
    out.set(b.subarray(0, dt.itemsize));
    return out;
  }
  return b;
}

/** Turns `JSON.rawJSON` markers (as made by `pyFloat`) back into plain values, recursively in arrays. */
function unwrapRaw(v: unknown): unknown {
  // deno-lint-ignore no-explicit-any
  const J = JSON as any;
  if (v !== null && typeof v === "object" && J.isRawJSON?.(v)) {
    return JSON.parse((v as { rawJSON: string }).rawJSON);
  }
  if (Array.isArray(v) && v.some((x) => x !== null && typeof x === "object")) {
    return v.map(unwrapRaw);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// public API

/**
 * Reads a `fill_value` from metadata JSON for a data type, with zarr-python 3's rules. Returns
 * `null` only for a v2 `null`. Throws `ZarrTypeError("Invalid fill_value: …")` naming `where`
 * when the JSON does not fit the data type.
 *
 * @example
 * ```ts
 * import { fillValueFromJSON } from "./fill_value.ts";
 * import { parseDataType } from "./dtype.ts";
 * fillValueFromJSON(parseDataType("uint64"), 18446744073709551615n, 3); // 18446744073709551615n
 * fillValueFromJSON(parseDataType("complex128"), ["NaN", "Infinity"], 3); // [NaN, Infinity]
 * fillValueFromJSON(parseDataType("|S1"), "WA==", 2); // Uint8Array [88]
 * ```
 */
export function fillValueFromJSON(
  dt: DataType,
  json: unknown,
  zarrFormat: 2 | 3,
  where?: string,
): Scalar | null {
  json = unwrapRaw(json);
  if (json === null && zarrFormat === 2) return null;
  switch (dt.kind) {
    case "bool":
      return pyTruthy(json);
    case "int":
    case "uint":
      return checkIntRange(intFromJSON(json, dt, where), dt, json, where);
    case "float":
      return floatFromJSON(json, dt, zarrFormat, where, true, dt.itemsize);
    case "complex": {
      if (!Array.isArray(json) || json.length !== 2) {
        invalid(json, dt, where, "expected a JSON array of two floats [re, im]");
      }
      const half = dt.itemsize / 2;
      return [
        floatFromJSON(json[0], dt, zarrFormat, where, false, half),
        floatFromJSON(json[1], dt, zarrFormat, where, false, half),
      ];
    }
    case "string":
      // zarr-python 2 wrote numbers for vlen string fills; str() them
      if (typeof json === "string") return json;
      if (typeof json === "number") {
        return Number.isInteger(json) ? String(json) : pyFloatRepr(json);
      }
      if (typeof json === "bigint") return json.toString();
      if (typeof json === "boolean") return json ? "True" : "False";
      return invalid(json, dt, where, "expected a string or number");
    case "U":
      if (typeof json !== "string") invalid(json, dt, where, "expected a string");
      return truncateChars(json, dt.length);
    case "S":
    case "V":
    case "vbytes": {
      // zarr-python 2 wrote `0` as the default fill of object (vlen-bytes) arrays; numcodecs'
      // VLenBytes encodes 0 as b"", so read it as the empty byte string.
      if (dt.kind === "vbytes" && zarrFormat === 2 && json === 0) return new Uint8Array(0);
      if (typeof json !== "string") invalid(json, dt, where, "expected a base64 string");
      let b: Uint8Array;
      try {
        b = base64Decode(json);
      } catch (e) {
        invalid(json, dt, where, (e as Error).message);
      }
      return fitBytes(b, dt);
    }
    case "datetime":
    case "timedelta": {
      if (json === "NaT") return NAT;
      let v: bigint | undefined;
      if (typeof json === "bigint") v = json;
      else if (typeof json === "number" && Number.isInteger(json)) v = BigInt(json);
      if (v === undefined) invalid(json, dt, where, "expected an integer or 'NaT'");
      if (v < INT64_MIN || v > INT64_MAX) invalid(json, dt, where, "out of bounds for int64");
      return v;
    }
  }
  invalid(json, dt, where, "unsupported data type");
}

/**
 * Writes a fill value as metadata JSON (zarr-python 3's `to_json_scalar`). Floats come back as
 * {@link pyFloat} raw-JSON markers (so `0` is written `0.0`) or the special strings; 64-bit ints
 * beyond 2^53 as `bigint` (write them with `stringifyJSON`). `null` gives `null` for v2 and
 * throws for v3.
 *
 * @example
 * ```ts
 * import { fillValueToJSON } from "./fill_value.ts";
 * import { parseDataType } from "./dtype.ts";
 * import { stringifyJSON } from "./json.ts";
 * stringifyJSON(fillValueToJSON(parseDataType("complex64"), [Infinity, 0], 3), null); // '["Infinity", 0.0]'
 * fillValueToJSON(parseDataType("|S1"), new TextEncoder().encode("X"), 2); // "WA=="
 * ```
 */
export function fillValueToJSON(dt: DataType, value: Scalar | null, zarrFormat: 2 | 3): unknown {
  if (value === null || value === undefined) {
    if (zarrFormat === 2) return null;
    throw new ZarrValueError("`fill_value` is required.");
  }
  const v = castFillValue(dt, value);
  switch (dt.kind) {
    case "bool":
      return v as boolean;
    case "int":
    case "uint":
      return intToJSON(BigInt(v as number | bigint));
    case "float":
      return floatToJSON(v as number, dt.itemsize);
    case "complex": {
      const [re, im] = v as [number, number];
      return [floatToJSON(re, dt.itemsize / 2), floatToJSON(im, dt.itemsize / 2)];
    }
    case "string":
    case "U":
      return v as string;
    case "S":
    case "V":
    case "vbytes":
      return base64Encode(v as Uint8Array);
    case "datetime":
    case "timedelta":
      return intToJSON(v as bigint);
  }
}

/**
 * Casts a user-supplied fill value to the scalar of a data type (zarr-python's `cast_scalar`):
 * ints truncate numbers and check bounds (bigint for 64-bit), floats round to the type's precision
 * and accept `"NaN"`/`"Infinity"`/numeric strings, complex takes `[re, im]` or a real number,
 * bool uses Python truthiness, `S`/`V`/vbytes take bytes or strings (UTF-8), datetimes take
 * integer counts, bigint, `"NaT"` or `null` (NaT). Throws `ZarrTypeError` for a value of the wrong
 * kind and `ZarrValueError` for one out of bounds.
 *
 * @example
 * ```ts
 * import { castFillValue } from "./fill_value.ts";
 * import { parseDataType } from "./dtype.ts";
 * castFillValue(parseDataType("int64"), 7); // 7n
 * castFillValue(parseDataType("float32"), 0.1); // 0.10000000149011612
 * ```
 */
export function castFillValue(dt: DataType, value: unknown, where?: string): Scalar {
  const at = where ? ` in ${where}` : "";
  const bad = (): never => {
    throw new ZarrTypeError(
      `Cannot convert object ${show(value)} with type ${typeof value} to a scalar compatible ` +
        `with the data type ${dt.str}${at}.`,
    );
  };
  switch (dt.kind) {
    case "bool":
      return pyTruthy(value);
    case "int":
    case "uint": {
      let v: bigint | undefined;
      if (typeof value === "bigint") v = value;
      else if (typeof value === "number") {
        if (!Number.isFinite(value)) {
          throw new ZarrValueError(`cannot convert float ${show(value)} to integer${at}`);
        }
        v = BigInt(Math.trunc(value));
      } else if (typeof value === "boolean") v = value ? 1n : 0n;
      else if (typeof value === "string") v = pyInt(value);
      if (v === undefined) return bad();
      const [lo, hi] = intRange(dt);
      if (v < lo || v > hi) {
        throw new ZarrValueError(`Python integer ${v} out of bounds for ${dt.name}${at}`);
      }
      return dt.itemsize === 8 ? v : Number(v);
    }
    case "float": {
      let x: number | undefined;
      if (typeof value === "number") x = value;
      else if (typeof value === "bigint") x = Number(value);
      else if (typeof value === "boolean") x = value ? 1 : 0;
      else if (typeof value === "string") {
        const s = jsonFloatStrict(value, 3);
        x = typeof s === "number" ? s : pyFloatParse(value);
      }
      if (x === undefined) return bad();
      return roundFloat(x, dt.itemsize);
    }
    case "complex": {
      const half = dt.itemsize / 2;
      const part = (p: unknown): number => {
        if (typeof p === "number") return roundFloat(p, half);
        if (typeof p === "bigint") return roundFloat(Number(p), half);
        if (typeof p === "boolean") return p ? 1 : 0;
        if (typeof p === "string") {
          const s = jsonFloatStrict(p, 3);
          const x = typeof s === "number" ? s : pyFloatParse(p);
          if (x !== undefined) return roundFloat(x, half);
        }
        return bad();
      };
      if (Array.isArray(value) && value.length === 2) return [part(value[0]), part(value[1])];
      if (
        typeof value === "number" || typeof value === "bigint" || typeof value === "boolean" ||
        typeof value === "string"
      ) return [part(value), 0];
      return bad();
    }
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number") {
        return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
      }
      if (typeof value === "bigint") return value.toString();
      if (typeof value === "boolean") return value ? "True" : "False";
      return bad();
    case "U":
      if (typeof value === "string") return truncateChars(value, dt.length);
      if (typeof value === "number" || typeof value === "bigint") {
        return truncateChars(String(value), dt.length);
      }
      return bad();
    case "S":
    case "V":
    case "vbytes":
      if (value instanceof Uint8Array) return fitBytes(value, dt);
      if (typeof value === "string") return fitBytes(new TextEncoder().encode(value), dt);
      if (typeof value === "number" && Number.isInteger(value) && dt.kind !== "V") {
        return fitBytes(new TextEncoder().encode(String(value)), dt);
      }
      return bad();
    case "datetime":
    case "timedelta": {
      if (value === null || value === undefined || value === "NaT") return NAT;
      let v: bigint | undefined;
      if (typeof value === "bigint") v = value;
      else if (typeof value === "number" && Number.isInteger(value)) v = BigInt(value);
      else if (typeof value === "string") v = pyInt(value);
      if (v === undefined) return bad();
      if (v < INT64_MIN || v > INT64_MAX) {
        throw new ZarrValueError(`${v} out of bounds for int64${at}`);
      }
      return v;
    }
  }
  return bad();
}

/**
 * Compares two fill values of a data type the way zarr-python compares metadata (by their JSON
 * form), so NaN equals NaN and `-0.0` differs from `0.0`.
 *
 * @example
 * ```ts
 * import { fillValuesEqual } from "./fill_value.ts";
 * import { parseDataType } from "./dtype.ts";
 * fillValuesEqual(parseDataType("float64"), NaN, NaN); // true
 * ```
 */
export function fillValuesEqual(
  dt: DataType,
  a: Scalar | null,
  b: Scalar | null,
  zarrFormat: 2 | 3 = 2,
): boolean {
  if (a === null || b === null) return a === b;
  return stringifyJSON(fillValueToJSON(dt, a, zarrFormat), null) ===
    stringifyJSON(fillValueToJSON(dt, b, zarrFormat), null);
}

/**
 * The fill_value JSON to write for an array: `raw` (the JSON as read, see
 * `ArrayMetadata.fillValueJSON`) when it carries a NaN payload that still matches `value`, else
 * {@link fillValueToJSON}. v2 cannot express payloads and always re-encodes.
 *
 * @example
 * ```ts
 * import { fillValueJSONFor } from "./fill_value.ts";
 * import { parseDataType } from "./dtype.ts";
 * fillValueJSONFor(parseDataType("float32"), NaN, 3, "0x7fc00001"); // "0x7fc00001"
 * ```
 */
export function fillValueJSONFor(
  dt: DataType,
  value: Scalar | null,
  zarrFormat: 2 | 3,
  raw?: unknown,
): unknown {
  if (zarrFormat === 3 && raw !== undefined && value !== null && hasNaNPayload(raw)) {
    try {
      const fromRaw = fillValueFromJSON(dt, raw, 3);
      if (fillValuesEqual(dt, fromRaw, value)) return raw;
    } catch {
      // fall through to re-encoding
    }
  }
  return fillValueToJSON(dt, value, zarrFormat);
}
