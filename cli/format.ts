/**
 * Printing NDArrays: numpy's `repr` (line width 75, arrays of more than 1000 elements
 * summarized with `...` and 3 edge items per axis, then `shape=` as numpy 2.2 does), nested JSON
 * lists, and CSV for 0-, 1- and 2-D data.
 *
 * Numbers follow numpy's default print options: integers right-aligned; floats with the fewest
 * digits that identify the value in their width (float16/32/64), at most 8 decimals, one
 * positional or scientific notation for the whole array (scientific when a magnitude is
 * >= 1e8, < 1e-4, or the largest is more than 1000 times the smallest), padded to align the
 * decimal points.
 *
 * @example
 * ```ts
 * import { ndarray } from "../mod.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * import { formatRepr } from "./format.ts";
 * const a = ndarray(new Float32Array([1, 2.5, -3]), [3]);
 * console.log(formatRepr(a, parseDataType("float32"))); // array([ 1. ,  2.5, -3. ], dtype=float32)
 * ```
 * @module
 */
import type { NDArray } from "../mod.ts";
import type { DataType, StructField } from "../src/metadata/dtype.ts";
import {
  datetimeStr,
  numpyDtypeName,
  pyBytesRepr,
  pyFloatRepr,
  pyFormatFixed,
  pyStrRepr,
  shapeRepr,
} from "../src/array/info.ts";

const LINE_WIDTH = 75;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const FLOAT_PRECISION = 8;
const NAT = -(2n ** 63n);

/** A value read out of an NDArray. */
type Value = number | bigint | boolean | string | Uint8Array | [number, number];

/** Reads element values of an NDArray by index tuple. */
class Reader {
  readonly a: NDArray;
  readonly dt: DataType;
  constructor(a: NDArray, dt: DataType) {
    this.a = a;
    this.dt = dt;
  }
  get(index: readonly number[]): Value {
    let off = 0;
    for (let i = 0; i < index.length; i++) off += index[i] * this.a.stride[i];
    const d = this.a.data as ArrayLike<unknown>;
    switch (this.dt.kind) {
      case "bool":
        return d[off] !== 0 && d[off] !== false;
      case "complex":
        return [d[2 * off] as number, d[2 * off + 1] as number];
      default:
        return d[off] as Value;
    }
  }
}

/** The indices shown along an axis: all, or the edge items around a `...`. */
function shownIndices(n: number, summarize: boolean): (number | null)[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const out: (number | null)[] = [];
  for (let i = 0; i < EDGE_ITEMS; i++) out.push(i);
  out.push(null);
  for (let i = n - EDGE_ITEMS; i < n; i++) out.push(i);
  return out;
}

/** Every shown element's value (the edges only when summarized). */
function shownValues(r: Reader, summarize: boolean): Value[] {
  const shape = r.a.shape;
  const out: Value[] = [];
  const axes = shape.map((n) => shownIndices(n, summarize).filter((i) => i !== null) as number[]);
  if (axes.some((ix) => ix.length === 0)) return out;
  const idx = new Array<number>(shape.length).fill(0);
  const pos = new Array<number>(shape.length).fill(0);
  for (;;) {
    for (let k = 0; k < shape.length; k++) idx[k] = axes[k][pos[k]];
    out.push(r.get(idx));
    let k = shape.length - 1;
    while (k >= 0) {
      pos[k]++;
      if (pos[k] < axes[k].length) break;
      pos[k] = 0;
      k--;
    }
    if (k < 0) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// floats
// ---------------------------------------------------------------------------------------------

function roundTo(width: 16 | 32 | 64, x: number): number {
  if (width === 32) return Math.fround(x);
  if (width === 16) return Math.f16round(x);
  return x;
}

/** Shortest digits identifying |x| among floats of `width` bits: `d.ddd` and exponent. */
function shortest(x: number, width: 16 | 32 | 64): { digits: string; exp: number } {
  const a = Math.abs(x);
  if (a === 0) return { digits: "0", exp: 0 };
  let s = "";
  for (let p = 1; p <= 17; p++) {
    s = a.toExponential(p - 1);
    if (roundTo(width, Number(s)) === a) break;
  }
  const [mant, e] = s.split("e");
  return { digits: mant.replace(".", ""), exp: Number(e) };
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Positional text, unique digits capped at `precision` decimals, trailing zeros trimmed ("1."). */
function positional(x: number, width: 16 | 32 | 64, precision: number): string {
  const { digits, exp } = shortest(x, width);
  const decimals = digits.length - 1 - exp;
  let body: string;
  if (decimals > precision) {
    body = pyFormatFixed(Math.abs(x), precision);
  } else if (exp >= 0) {
    const intDigits = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    body = intDigits + "." + digits.slice(exp + 1);
  } else {
    body = "0." + "0".repeat(-exp - 1) + digits;
  }
  if (!body.includes(".")) body += ".";
  body = body.replace(/0+$/, "");
  if (body.startsWith(".")) body = "0" + body;
  return (isNegative(x) ? "-" : "") + body;
}

/** Scientific parts: sign+int digit, fraction digits, exponent (sign and >= 2 digits). */
function scientific(
  x: number,
  width: 16 | 32 | 64,
  precision: number,
): { int: string; frac: string; exp: string } {
  let { digits, exp } = shortest(x, width);
  if (digits.length - 1 > precision) {
    const [m, e] = Math.abs(x).toExponential(precision).split("e");
    digits = m.replace(".", "").replace(/0+$/, "") || "0";
    exp = Number(e);
  }
  const sign = isNegative(x) ? "-" : "";
  const e = Math.abs(exp).toString().padStart(2, "0");
  return { int: sign + digits[0], frac: digits.slice(1), exp: (exp < 0 ? "-" : "+") + e };
}

/** numpy's FloatingFormat for one array of values: returns the element formatter. */
function floatFormatter(
  values: readonly number[],
  width: 16 | 32 | 64,
  plusSign = false,
): (x: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const nonZero = finite.map((v) => Math.abs(v)).filter((v) => v !== 0);
  let expMode = false;
  if (nonZero.length) {
    const max = Math.max(...nonZero), min = Math.min(...nonZero);
    expMode = max >= 1e8 || min < 1e-4 || max / min > 1e3;
  }
  const sign = (s: string) => (plusSign && !s.startsWith("-") ? "+" + s : s);
  let padLeft = 0, padRight = 0;
  let format: (x: number) => string;
  if (finite.length === 0) {
    format = () => "";
  } else if (expMode) {
    const parts = finite.map((v) => scientific(v, width, FLOAT_PRECISION));
    const precision = Math.max(...parts.map((p) => p.frac.length));
    const expSize = Math.max(...parts.map((p) => p.exp.length - 1));
    padLeft = Math.max(...parts.map((p) => sign(p.int).length));
    padRight = expSize + 2 + precision;
    format = (x) => {
      const p = scientific(x, width, FLOAT_PRECISION);
      const e = p.exp[0] + p.exp.slice(1).padStart(expSize, "0");
      return sign(p.int).padStart(padLeft) + "." + p.frac.padEnd(precision, "0") + "e" + e;
    };
  } else {
    const strs = finite.map((v) => sign(positional(v, width, FLOAT_PRECISION)));
    padLeft = Math.max(...strs.map((s) => s.split(".")[0].length));
    padRight = Math.max(...strs.map((s) => s.split(".")[1].length));
    format = (x) => {
      const [i, f] = sign(positional(x, width, FLOAT_PRECISION)).split(".");
      return i.padStart(padLeft) + "." + f.padEnd(padRight);
    };
  }
  if (finite.length !== values.length) {
    const negInf = plusSign || values.some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset);
  }
  return (x: number) => {
    if (Number.isFinite(x)) return format(x);
    const text = Number.isNaN(x)
      ? (plusSign ? "+nan" : "nan")
      : x < 0
      ? "-inf"
      : plusSign
      ? "+inf"
      : "inf";
    return text.padStart(padLeft + padRight + 1);
  };
}

function floatWidth(dt: DataType): 16 | 32 | 64 {
  const bits = (dt.kind === "complex" ? dt.itemsize / 2 : dt.itemsize) * 8;
  return bits === 16 ? 16 : bits === 32 ? 32 : 64;
}

// ---------------------------------------------------------------------------------------------
// element formatters
// ---------------------------------------------------------------------------------------------

function decodeUtf32(b: Uint8Array, little: boolean): string {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let s = "";
  for (let i = 0; i + 4 <= b.length; i += 4) {
    const cp = v.getUint32(i, little);
    if (cp === 0) break;
    s += String.fromCodePoint(cp);
  }
  return s;
}

function stripNuls(b: Uint8Array): Uint8Array {
  let n = b.length;
  while (n > 0 && b[n - 1] === 0) n--;
  return b.subarray(0, n);
}

/** One field of a structured record, as Python shows it inside a tuple. */
function fieldRepr(rec: Uint8Array, f: StructField): string {
  const b = rec.subarray(f.offset, f.offset + f.dtype.itemsize);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = f.endian !== "big";
  const size = f.dtype.itemsize;
  switch (f.dtype.kind) {
    case "bool":
      return b[0] ? "True" : "False";
    case "int":
      return size === 1
        ? String(v.getInt8(0))
        : size === 2
        ? String(v.getInt16(0, le))
        : size === 4
        ? String(v.getInt32(0, le))
        : v.getBigInt64(0, le).toString();
    case "uint":
      return size === 1
        ? String(v.getUint8(0))
        : size === 2
        ? String(v.getUint16(0, le))
        : size === 4
        ? String(v.getUint32(0, le))
        : v.getBigUint64(0, le).toString();
    case "float":
      return pyFloatRepr(
        size === 2 ? v.getFloat16(0, le) : size === 4 ? v.getFloat32(0, le) : v.getFloat64(0, le),
      );
    case "complex": {
      const h = size / 2;
      const re = h === 4 ? v.getFloat32(0, le) : v.getFloat64(0, le);
      const im = h === 4 ? v.getFloat32(h, le) : v.getFloat64(h, le);
      return `(${pyFloatRepr(re)}${im < 0 || Object.is(im, -0) ? "" : "+"}${pyFloatRepr(im)}j)`;
    }
    case "S":
      return pyBytesRepr(stripNuls(b));
    case "U":
      return pyStrRepr(decodeUtf32(b, le));
    case "datetime": {
      const n = v.getBigInt64(0, le);
      return pyStrRepr(datetimeStr(n, f.dtype.unit!, f.dtype.scaleFactor ?? 1));
    }
    case "timedelta": {
      const n = v.getBigInt64(0, le);
      return n === NAT ? "'NaT'" : n.toString();
    }
    default:
      return pyBytesRepr(b);
  }
}

function recordRepr(rec: Uint8Array, fields: readonly StructField[]): string {
  const items = fields.map((f) => fieldRepr(rec, f));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/** numpy's element formatter for the shown values of an array. */
function elementFormatter(dt: DataType, values: readonly Value[], zeroD: boolean) {
  switch (dt.kind) {
    case "bool": {
      const t = zeroD ? "True" : " True";
      return (v: Value) => (v ? t : "False");
    }
    case "int":
    case "uint": {
      const w = Math.max(0, ...values.map((v) => String(v).length));
      return (v: Value) => String(v).padStart(w);
    }
    case "float": {
      const f = floatFormatter(values as number[], floatWidth(dt));
      return (v: Value) => f(v as number);
    }
    case "complex": {
      const pairs = values as [number, number][];
      const fr = floatFormatter(pairs.map((p) => p[0]), floatWidth(dt));
      const fi = floatFormatter(pairs.map((p) => p[1]), floatWidth(dt), true);
      return (v: Value) => {
        const [re, im] = v as [number, number];
        const i = fi(im);
        const cut = i.trimEnd().length;
        return fr(re) + i.slice(0, cut) + "j" + i.slice(cut);
      };
    }
    case "datetime":
    case "timedelta": {
      const text = (v: Value) => {
        const n = v as bigint;
        if (n === NAT) return "'NaT'";
        return dt.kind === "datetime"
          ? `'${datetimeStr(n, dt.unit!, dt.scaleFactor ?? 1)}'`
          : n.toString();
      };
      const w = Math.max(0, ...values.map((v) => text(v).length));
      return (v: Value) => text(v).padStart(w);
    }
    case "string":
    case "U":
      return (v: Value) => pyStrRepr(v as string);
    case "S":
      return (v: Value) => pyBytesRepr(stripNuls(v as Uint8Array));
    case "V":
      if (dt.fields) return (v: Value) => recordRepr(v as Uint8Array, dt.fields!);
      return (v: Value) => pyBytesRepr(v as Uint8Array);
    default:
      return (v: Value) => (v instanceof Uint8Array ? pyBytesRepr(v) : String(v));
  }
}

// ---------------------------------------------------------------------------------------------
// layout
// ---------------------------------------------------------------------------------------------

/** Appends `word` to the current line, wrapping onto a new one when it would pass `width`. */
function extendLine(
  acc: { s: string; line: string },
  word: string,
  width: number,
  indent: string,
): void {
  const needsWrap = acc.line.length + word.length > width && acc.line.length > indent.length;
  if (needsWrap) {
    acc.s += acc.line.trimEnd() + "\n";
    acc.line = indent;
  }
  acc.line += word;
}

/** numpy's nested bracket layout of the shown elements. */
function layout(
  r: Reader,
  fmt: (v: Value) => string,
  summarize: boolean,
  lineWidth: number,
  prefix: string,
): string {
  const sep = ", ";
  const ndim = r.a.shape.length;
  const rec = (index: number[], hanging: string, width: number): string => {
    const axis = index.length;
    if (axis === ndim) return fmt(r.get(index));
    const nextHanging = hanging + " ";
    const nextWidth = width - 1;
    const shown = shownIndices(r.a.shape[axis], summarize);
    const axesLeft = ndim - axis;
    let s = "";
    if (axesLeft === 1) {
      const elemWidth = width - 1;
      const acc = { s: "", line: hanging };
      shown.forEach((i, k) => {
        const word = i === null ? "..." : rec([...index, i], nextHanging, nextWidth);
        extendLine(acc, word, elemWidth, hanging);
        if (k < shown.length - 1) acc.line += sep;
      });
      s = acc.s + acc.line;
    } else {
      const lineSep = sep.trimEnd() + "\n".repeat(axesLeft - 1);
      shown.forEach((i, k) => {
        const nested = i === null ? "..." : rec([...index, i], nextHanging, nextWidth);
        s += hanging + nested + (k < shown.length - 1 ? lineSep : "");
      });
    }
    return "[" + s.slice(hanging.length) + "]";
  };
  // the hanging indent skips over the prefix and the opening bracket
  return rec([], " ".repeat(prefix.length + 1), lineWidth);
}

/** numpy's `dtype=` text: bare names for simple types, quoted otherwise. */
function dtypeShort(dt: DataType): string {
  const name = numpyDtypeName(dt);
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(name) || name.endsWith("()") || name.startsWith("[")) {
    return name;
  }
  return `'${name}'`;
}

const IMPLIED = new Set(["float64", "int64", "bool", "complex128"]);

/**
 * numpy's `repr` of an array, e.g. `array([[1, 2], [3, 4]], dtype=int32)`; more than 1000
 * elements are summarized with `...` and followed by `shape=(...)`.
 *
 * @example
 * ```ts
 * import { ndarray } from "../mod.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * import { formatRepr } from "./format.ts";
 * console.log(formatRepr(ndarray(new Float64Array([0.5, 2]), [2]), parseDataType("float64")));
 * // array([0.5, 2. ])
 * ```
 */
export function formatRepr(a: NDArray, dt: DataType): string {
  const r = new Reader(a, dt);
  const size = a.shape.reduce((p, n) => p * n, 1);
  const summarize = size > THRESHOLD;
  const prefix = "array(";
  let body: string;
  if (size > 0 || (a.shape.length === 1 && a.shape[0] === 0)) {
    const fmt = elementFormatter(dt, shownValues(r, summarize), a.shape.length === 0);
    body = a.shape.length === 0
      ? fmt(r.get([]))
      : layout(r, fmt, summarize, LINE_WIDTH - 1, prefix);
  } else {
    body = `[], shape=${shapeRepr(a.shape)}`;
  }
  const extras: string[] = [];
  if (summarize) extras.push(`shape=${shapeRepr(a.shape)}`);
  if (!IMPLIED.has(dt.str) || size === 0) extras.push(`dtype=${dtypeShort(dt)}`);
  if (extras.length === 0) return `${prefix}${body})`;
  const head = `${prefix}${body},`;
  const tail = extras.join(", ") + ")";
  const lastLine = head.length - (head.lastIndexOf("\n") + 1);
  const spacer = lastLine + tail.length + 1 > LINE_WIDTH ? "\n" + " ".repeat(prefix.length) : " ";
  return head + spacer + tail;
}

// ---------------------------------------------------------------------------------------------
// JSON and CSV
// ---------------------------------------------------------------------------------------------

function base64(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return '"NaN"';
  if (!Number.isFinite(x)) return x < 0 ? '"-Infinity"' : '"Infinity"';
  if (Object.is(x, -0)) return "-0.0";
  return JSON.stringify(x);
}

function floatText(x: number, width: 16 | 32 | 64): number {
  // the shortest decimal of the value in its own width (float32 0.1 -> 0.1)
  if (!Number.isFinite(x) || x === 0) return x;
  const { digits, exp } = shortest(x, width);
  return Number(`${isNegative(x) ? "-" : ""}${digits[0]}.${digits.slice(1)}e${exp}`);
}

function recordJSON(rec: Uint8Array, fields: readonly StructField[]): string {
  const items = fields.map((f) => {
    const text = fieldRepr(rec, f);
    if (f.dtype.kind === "S") {
      return JSON.stringify(base64(stripNuls(rec.subarray(f.offset, f.offset + f.dtype.itemsize))));
    }
    if (f.dtype.kind === "U" || f.dtype.kind === "datetime") {
      return JSON.stringify(text.slice(1, -1));
    }
    if (text === "True" || text === "False") return text.toLowerCase();
    if (text === "nan") return '"NaN"';
    if (text === "inf" || text === "-inf") return text === "inf" ? '"Infinity"' : '"-Infinity"';
    if (f.dtype.kind === "complex") return JSON.stringify(text);
    return text;
  });
  return `{${fields.map((f, i) => `${JSON.stringify(f.name)}: ${items[i]}`).join(", ")}}`;
}

/** The JSON text of one value (bigints written exactly). */
function jsonValue(dt: DataType, v: Value): string {
  switch (dt.kind) {
    case "bool":
      return v ? "true" : "false";
    case "int":
    case "uint":
      return String(v);
    case "float":
      return jsonFloat(floatText(v as number, floatWidth(dt)));
    case "complex": {
      const [re, im] = v as [number, number];
      const w = floatWidth(dt);
      return `[${jsonFloat(floatText(re, w))}, ${jsonFloat(floatText(im, w))}]`;
    }
    case "datetime":
      return (v as bigint) === NAT
        ? '"NaT"'
        : JSON.stringify(datetimeStr(v as bigint, dt.unit!, dt.scaleFactor ?? 1));
    case "timedelta":
      return (v as bigint) === NAT ? '"NaT"' : (v as bigint).toString();
    case "string":
    case "U":
      return JSON.stringify(v);
    case "S":
      return JSON.stringify(base64(stripNuls(v as Uint8Array)));
    case "V":
      if (dt.fields) return recordJSON(v as Uint8Array, dt.fields);
      return JSON.stringify(base64(v as Uint8Array));
    default:
      return v instanceof Uint8Array ? JSON.stringify(base64(v)) : JSON.stringify(v);
  }
}

/**
 * Nested JSON lists of an array (a bare value for 0-d): numbers as numbers (64-bit integers
 * exact), floats with their shortest digits, NaN and infinities as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"` (Zarr's fill-value convention), complex as `[re, im]`, datetimes
 * as ISO text, NaT as `"NaT"`, byte strings as base64, structured records as objects.
 *
 * @example
 * ```ts
 * import { ndarray } from "../mod.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * import { formatJSON } from "./format.ts";
 * console.log(formatJSON(ndarray(new Int8Array([1, 2, 3, 4]), [2, 2]), parseDataType("int8")));
 * // [[1, 2], [3, 4]]
 * ```
 */
export function formatJSON(a: NDArray, dt: DataType): string {
  const r = new Reader(a, dt);
  const rec = (index: number[]): string => {
    if (index.length === a.shape.length) return jsonValue(dt, r.get(index));
    const n = a.shape[index.length];
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(rec([...index, i]));
    return `[${parts.join(", ")}]`;
  };
  return rec([]);
}

function csvCell(dt: DataType, v: Value): string {
  let text: string;
  switch (dt.kind) {
    case "bool":
      text = v ? "true" : "false";
      break;
    case "float": {
      const x = floatText(v as number, floatWidth(dt));
      text = Number.isNaN(x) ? "nan" : !Number.isFinite(x) ? (x < 0 ? "-inf" : "inf") : String(x);
      break;
    }
    case "complex": {
      const w = floatWidth(dt);
      const [re, im] = (v as [number, number]).map((x) => floatText(x, w));
      const f = (x: number) =>
        Number.isNaN(x) ? "nan" : !Number.isFinite(x) ? (x < 0 ? "-inf" : "inf") : String(x);
      text = `${f(re)}${im < 0 || Object.is(im, -0) || Number.isNaN(im) ? "" : "+"}${f(im)}j`;
      break;
    }
    case "datetime":
      text = datetimeStr(v as bigint, dt.unit!, dt.scaleFactor ?? 1);
      break;
    case "timedelta":
      text = (v as bigint) === NAT ? "NaT" : (v as bigint).toString();
      break;
    case "string":
    case "U":
      text = v as string;
      break;
    case "S":
      text = base64(stripNuls(v as Uint8Array));
      break;
    case "V":
      text = dt.fields ? recordRepr(v as Uint8Array, dt.fields) : base64(v as Uint8Array);
      break;
    default:
      text = v instanceof Uint8Array ? base64(v) : String(v);
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV of a 0-, 1- or 2-D array: one row per line (a 1-D array is one column), RFC 4180
 * quoting, `nan`/`inf`/`-inf` for non-finite floats, `true`/`false` for booleans. Returns
 * `undefined` for more dimensions.
 *
 * @example
 * ```ts
 * import { ndarray } from "../mod.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * import { formatCSV } from "./format.ts";
 * console.log(formatCSV(ndarray(new Int8Array([1, 2, 3, 4]), [2, 2]), parseDataType("int8")));
 * // 1,2
 * // 3,4
 * ```
 */
export function formatCSV(a: NDArray, dt: DataType): string | undefined {
  const r = new Reader(a, dt);
  const lines: string[] = [];
  if (a.shape.length === 0) lines.push(csvCell(dt, r.get([])));
  else if (a.shape.length === 1) {
    for (let i = 0; i < a.shape[0]; i++) lines.push(csvCell(dt, r.get([i])));
  } else if (a.shape.length === 2) {
    for (let i = 0; i < a.shape[0]; i++) {
      const row: string[] = [];
      for (let j = 0; j < a.shape[1]; j++) row.push(csvCell(dt, r.get([i, j])));
      lines.push(row.join(","));
    }
  } else return undefined;
  return lines.join("\n");
}
