/**
 * numpy arithmetic for the numcodecs filters, exact to numpy 1.24 (the numpy of numcodecs 0.11 /
 * zarr-python 2.13): `astype` casts (wrap-around integer casts, correctly rounded int -> float,
 * float -> int as numpy's x86-64 cast loops produce it, NaN / out of range included), the legacy
 * value-based promotion of an array with a Python scalar (`arr - 1000` on int8 computes in
 * int16), element-wise `+ - * /` with a scalar in that type (integer wrap-around, float16 and
 * float32 rounding) and `np.around` (round half to even).
 *
 * @example
 * ```ts
 * import { castArray, scalarOp } from "./numeric.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const f8 = parseDataType("float64");
 * console.log(castArray(Float64Array.of(300.7, -1.5, NaN), f8, parseDataType("uint8")));
 * // Uint8Array [44, 255, 0]
 * const r = scalarOp(Int8Array.of(1, 2), parseDataType("int8"), 1000, "sub");
 * console.log(r.dtype.name, r.data); // int16 Int16Array [-999, -998]
 * ```
 * @module
 */
import { allocate, type DataType, parseDataType, type TypedArray } from "../../metadata/dtype.ts";

/** A Python scalar from a codec configuration: a JSON number (int when integral) or a bigint. */
export type PyScalar = number | bigint;

/** Element-wise operations of an array with a Python scalar. */
export type ScalarOp = "add" | "sub" | "mul" | "div";

const TWO31 = 2 ** 31;
const TWO63 = 2 ** 63;
const TWO52 = 2 ** 52;
const INT64_MIN = -(2n ** 63n);
const BIG_TWO63 = 2n ** 63n;

function isBig(dt: DataType): boolean {
  return (dt.kind === "int" || dt.kind === "uint") && dt.itemsize === 8;
}

/** numpy's C-style truncating float -> int32 conversion (cvttsd2si): INT_MIN when invalid. */
function cvtt32(x: number): number {
  return x > -2147483649 && x < 2147483648 ? Math.trunc(x) : -2147483648;
}

/** float -> int64 conversion (cvttsd2si, 64-bit): INT64_MIN when NaN or out of range. */
function cvtt64(x: number): bigint {
  return x >= -TWO63 && x < TWO63 ? BigInt(Math.trunc(x)) : INT64_MIN;
}

/** float -> uint32 as numpy 1.24's float32 / float64 cast loops do on x86-64. */
function toUint32(x: number): number {
  if (x >= TWO31) return (cvtt32(x - TWO31) ^ 0x80000000) >>> 0;
  return cvtt32(x) >>> 0;
}

/** float -> uint64 as numpy's cast loops do on x86-64. */
function toUint64(x: number): bigint {
  if (x >= TWO63) return BigInt.asUintN(64, cvtt64(x - TWO63)) ^ BIG_TWO63;
  return BigInt.asUintN(64, cvtt64(x));
}

/** A bigint rounded to the nearest float32 (ties to even) with one rounding. */
function bigToFloat32(v: bigint): number {
  const neg = v < 0n;
  let a = neg ? -v : v;
  if (a <= 9007199254740992n) return Math.fround(Number(v));
  const bits = a.toString(2).length;
  const shift = BigInt(bits - 24);
  let q = a >> shift;
  const rem = a - (q << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  a = q << shift;
  const r = Math.fround(Number(a)); // exact: 24 significant bits
  return neg ? -r : r;
}

type AnyArray = TypedArray & { [i: number]: number | bigint };

/**
 * numpy's `astype` (unsafe casting) between numeric types, into `out` when given (it must have
 * the right type and length). Integer casts wrap; int -> float rounds once, to nearest even;
 * float -> int truncates, with numpy's x86-64 results for NaN, infinities and out-of-range values
 * (C leaves them undefined): int8/16, uint8/16 and int32 go through int32 (invalid -> INT_MIN
 * before wrapping), int64 gives INT64_MIN, uint32 / uint64 use numpy's unsigned sequence; float16
 * sources go to uint32 through int64. Anything -> bool is `x != 0` (NaN is true); complex -> real
 * keeps the real part.
 *
 * @example
 * ```ts
 * import { castArray } from "./numeric.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * castArray(Float32Array.of(1e10, -3.7), parseDataType("float32"), parseDataType("int32"));
 * // Int32Array [-2147483648, -3]
 * ```
 */
export function castArray(
  src: TypedArray,
  from: DataType,
  to: DataType,
  out?: TypedArray,
): TypedArray {
  const fromSlots = from.kind === "complex" ? 2 : 1;
  const n = src.length / fromSlots;
  const dst = (out ?? allocate(to, n)) as AnyArray;
  const s = src as AnyArray;
  if (from.kind === "complex") {
    if (to.kind === "complex") {
      (dst as Float64Array).set(s as Float64Array);
      return dst;
    }
    const re = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = s[2 * i] as number;
    return castArray(re, F8, to, dst);
  }
  if (to.kind === "complex") {
    const tmp = castArray(src, from, F8) as Float64Array;
    const d = dst as Float64Array;
    for (let i = 0; i < n; i++) {
      d[2 * i] = tmp[i];
      d[2 * i + 1] = 0;
    }
    return dst;
  }
  const sBig = isBig(from);
  const dBig = isBig(to);
  if (to.kind === "bool") {
    const d = dst as Uint8Array;
    if (sBig) { for (let i = 0; i < n; i++) d[i] = s[i] !== 0n ? 1 : 0; }
    else for (let i = 0; i < n; i++) d[i] = (s[i] as number) !== 0 ? 1 : 0;
    return dst;
  }
  if (from.kind === "bool" || from.kind === "int" || from.kind === "uint") {
    // integers (and bool) -> anything
    if (sBig && dBig) {
      (dst as BigInt64Array).set(s as BigInt64Array); // BigInt64 <-> BigUint64 wraps
    } else if (sBig) {
      if (to.kind === "float") {
        if (to.itemsize === 4) {
          for (let i = 0; i < n; i++) dst[i] = bigToFloat32(s[i] as bigint);
        } else for (let i = 0; i < n; i++) dst[i] = Number(s[i] as bigint);
      } else {
        for (let i = 0; i < n; i++) dst[i] = Number(BigInt.asIntN(32, s[i] as bigint));
      }
    } else if (dBig) {
      for (let i = 0; i < n; i++) dst[i] = BigInt(s[i] as number);
    } else {
      (dst as Float64Array).set(s as Float64Array); // wraps / rounds once
    }
    return dst;
  }
  // float source
  if (to.kind === "float") {
    (dst as Float64Array).set(s as Float64Array);
    return dst;
  }
  const x = asFloat64(src);
  if (to.itemsize === 8) {
    const d = dst as BigInt64Array;
    if (to.kind === "int") { for (let i = 0; i < n; i++) d[i] = cvtt64(x[i]); }
    else for (let i = 0; i < n; i++) d[i] = toUint64(x[i]);
    return dst;
  }
  if (to.kind === "uint" && to.itemsize === 4) {
    const d = dst as Uint32Array;
    if (from.itemsize === 2) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        d[i] = Number.isFinite(v) ? Math.trunc(v) : 0; // through int64, low 32 bits
      }
    } else for (let i = 0; i < n; i++) d[i] = toUint32(x[i]);
    return dst;
  }
  // int8/16, uint8/16 wrap from numpy's int32 conversion
  const d = dst instanceof Int32Array ? dst : new Int32Array(n);
  for (let i = 0; i < n; i++) d[i] = cvtt32(x[i]);
  if (d !== dst) (dst as Int32Array).set(d);
  return dst;
}

/** A float64 view or copy of numeric (non-bigint) data, so that the hot loops stay monomorphic. */
function asFloat64(a: TypedArray): Float64Array {
  if (a instanceof Float64Array) return a;
  const out = new Float64Array(a.length);
  out.set(a as Float32Array);
  return out;
}

/**
 * Casts one Python scalar to a numeric type (as numpy does when it meets `dt` in a loop).
 *
 * @example
 * ```ts
 * import { castScalar } from "./numeric.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * console.log(castScalar(0.1, parseDataType("float16"))); // 0.0999755859375
 * ```
 */
export function castScalar(v: PyScalar, dt: DataType): number | bigint {
  if (typeof v === "bigint") {
    const src = v >= BIG_TWO63 ? BigUint64Array.of(v) : BigInt64Array.of(BigInt.asIntN(64, v));
    return castArray(src, v >= BIG_TWO63 ? U8 : I8, dt)[0];
  }
  if (isBig(dt) && Number.isInteger(v)) {
    return dt.kind === "int" ? BigInt.asIntN(64, BigInt(v)) : BigInt.asUintN(64, BigInt(v));
  }
  return castArray(Float64Array.of(v), F8, dt)[0];
}

const F8 = parseDataType("float64");
const I8 = parseDataType("int64");
const U8 = parseDataType("uint64");

function typeOf(kind: "int" | "uint" | "float", size: number): DataType {
  const name = kind === "float" ? `float${size * 8}` : `${kind}${size * 8}`;
  return parseDataType(name);
}

/**
 * numpy's `promote_types` for bool, integer and float types.
 *
 * @example
 * ```ts
 * import { promoteTypes } from "./numeric.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * promoteTypes(parseDataType("uint8"), parseDataType("int8")).name; // "int16"
 * ```
 */
export function promoteTypes(a: DataType, b: DataType): DataType {
  if (a.name === b.name) return a;
  if (a.kind === "bool") return b;
  if (b.kind === "bool") return a;
  if (a.kind === "complex" || b.kind === "complex") {
    const fa = a.kind === "complex" ? a.itemsize / 2 : a.kind === "float" ? a.itemsize : 8;
    const fb = b.kind === "complex" ? b.itemsize / 2 : b.kind === "float" ? b.itemsize : 8;
    return parseDataType(`complex${Math.max(fa, fb, 4) * 16}`);
  }
  if (a.kind === "float" || b.kind === "float") {
    const minFloat = (t: DataType) =>
      t.kind === "float" ? t.itemsize : t.itemsize === 1 ? 2 : t.itemsize === 2 ? 4 : 8;
    return typeOf("float", Math.max(minFloat(a), minFloat(b)));
  }
  if (a.kind === b.kind) return a.itemsize >= b.itemsize ? a : b;
  const u = a.kind === "uint" ? a : b;
  const i = a.kind === "uint" ? b : a;
  if (i.itemsize > u.itemsize) return i;
  if (u.itemsize < 8) return typeOf("int", u.itemsize * 2);
  return F8;
}

/** numpy's `min_scalar_type` of a Python int, with the "fits the signed type" flag. */
function minIntType(v: bigint): { dt: DataType; smallUnsigned: boolean } | undefined {
  if (v >= 0n) {
    for (const size of [1, 2, 4, 8]) {
      const bits = BigInt(size * 8);
      if (v < 1n << bits) {
        return { dt: typeOf("uint", size), smallUnsigned: v < 1n << (bits - 1n) };
      }
    }
    return undefined;
  }
  for (const size of [1, 2, 4, 8]) {
    if (v >= -(1n << BigInt(size * 8 - 1))) {
      return { dt: typeOf("int", size), smallUnsigned: false };
    }
  }
  return undefined;
}

/**
 * The type numpy 1.24 computes `arr <op> scalar` in, for an array of `dt` and a Python scalar
 * (legacy value-based casting). Integral numbers count as Python ints unless `pyFloat` is set
 * (a JSON document does not say whether `10` was `10.0`).
 *
 * @example
 * ```ts
 * import { scalarResultType } from "./numeric.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * scalarResultType(parseDataType("float16"), 1000).name; // "float32"
 * ```
 */
export function scalarResultType(dt: DataType, v: PyScalar, pyFloat = false): DataType {
  const isInt = typeof v === "bigint" || (!pyFloat && Number.isInteger(v));
  if (dt.kind === "complex") return dt;
  if (dt.kind === "bool") return isInt ? I8 : F8;
  if (!isInt) {
    if (dt.kind !== "float") return F8;
    const x = Math.abs(v as number);
    const size = !Number.isFinite(x) || x < 65000 ? 2 : x < 3.4e38 ? 4 : 8;
    return promoteTypes(dt, typeOf("float", size));
  }
  const m = minIntType(BigInt(v));
  if (!m) return F8; // beyond 64 bits: numpy would use an object array
  let st = m.dt;
  if (dt.kind === "int" && st.kind === "uint" && m.smallUnsigned) st = typeOf("int", st.itemsize);
  return promoteTypes(dt, st);
}

/**
 * `arr <op> scalar` with numpy's loop type ({@link scalarResultType}; true division of integers
 * computes in float64): both operands are cast to that type, integers wrap, float16 / float32
 * results are rounded once to their precision. `pyFloat` marks the scalar as a Python float.
 *
 * @example
 * ```ts
 * import { scalarOp } from "./numeric.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const r = scalarOp(Uint16Array.of(5, 7), parseDataType("uint16"), 10, "div");
 * console.log(r.dtype.name, r.data); // float64 Float64Array [0.5, 0.7]
 * ```
 */
export function scalarOp(
  data: TypedArray,
  dt: DataType,
  v: PyScalar,
  op: ScalarOp,
  pyFloat = false,
): { data: TypedArray; dtype: DataType } {
  let rt = scalarResultType(dt, v, pyFloat);
  if (op === "div" && rt.kind !== "float" && rt.kind !== "complex") rt = F8;
  const a = rt.name === dt.name ? data : castArray(data, dt, rt);
  const n = a.length;
  if (rt.kind === "complex") {
    const b = typeof v === "bigint" ? Number(v) : v;
    const x = a as Float64Array;
    const o = allocate(rt, n / 2) as Float64Array;
    for (let i = 0; i < n; i += 2) {
      const re = x[i];
      const im = x[i + 1];
      if (op === "add") {
        o[i] = re + b;
        o[i + 1] = im;
      } else if (op === "sub") {
        o[i] = re - b;
        o[i + 1] = im;
      } else if (op === "mul") {
        o[i] = re * b;
        o[i + 1] = im * b;
      } else {
        o[i] = re / b;
        o[i + 1] = im / b;
      }
    }
    return { data: o, dtype: rt };
  }
  const b = castScalar(v, rt);
  if (typeof b === "bigint") {
    const x = a as BigInt64Array;
    const o = allocate(rt, n) as BigInt64Array;
    if (op === "add") { for (let i = 0; i < n; i++) o[i] = x[i] + b; }
    else if (op === "sub") { for (let i = 0; i < n; i++) o[i] = x[i] - b; }
    else for (let i = 0; i < n; i++) o[i] = x[i] * b;
    return { data: o, dtype: rt };
  }
  // numbers: compute in a float64 buffer (exact for integers up to 32 bits; float16 / float32
  // rounded once when stored), then store into the result type (integers wrap)
  const x = asFloat64(a);
  const o = x === a ? new Float64Array(n) : x; // never write into the caller's data
  if (op === "add") { for (let i = 0; i < n; i++) o[i] = x[i] + b; }
  else if (op === "sub") { for (let i = 0; i < n; i++) o[i] = x[i] - b; }
  else if (op === "div") { for (let i = 0; i < n; i++) o[i] = x[i] / b; }
  else if (rt.kind !== "float" && rt.itemsize === 4) {
    for (let i = 0; i < n; i++) o[i] = Math.imul(x[i], b);
  } else for (let i = 0; i < n; i++) o[i] = x[i] * b;
  if (rt.name === "float64") return { data: o, dtype: rt };
  const out = allocate(rt, n) as Float64Array;
  out.set(o);
  return { data: out, dtype: rt };
}

/**
 * numpy's round half to even (`np.around(x)`, `np.rint`) of a double.
 *
 * @example
 * ```ts
 * import { roundHalfEven } from "./numeric.ts";
 * console.log(roundHalfEven(2.5), roundHalfEven(-1.5), roundHalfEven(0.49999999999999994)); // 2 -2 0
 * ```
 */
export function roundHalfEven(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < TWO52)) return x; // already an integer, or NaN / infinite
  const r = ax + TWO52 - TWO52; // the FPU's round to nearest, ties to even
  return x > 0 ? r : x < 0 ? -r : x; // keeps -0 (and the sign of results rounding to 0)
}

/**
 * `np.around` of a float (or complex) array, in place; integer arrays are left as they are.
 *
 * @example
 * ```ts
 * import { aroundInPlace } from "./numeric.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const a = Float64Array.of(0.5, 1.5, -2.5);
 * aroundInPlace(a, parseDataType("float64"));
 * console.log(a); // Float64Array [0, 2, -2]
 * ```
 */
export function aroundInPlace(data: TypedArray, dt: DataType): void {
  if (dt.kind !== "float" && dt.kind !== "complex") return;
  const a = asFloat64(data);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const ax = Math.abs(x);
    if (ax < TWO52) {
      const r = ax + TWO52 - TWO52;
      a[i] = x > 0 ? r : x < 0 ? -r : x;
    }
  }
  if (a !== data) (data as Float64Array).set(a);
}
