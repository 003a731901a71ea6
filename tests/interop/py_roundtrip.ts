/**
 * Machinery of the live zarr-python 2.13 round-trip matrix
 * (`zarr_python_roundtrip_test.ts`): case descriptions shared with the Python driver
 * (`py/roundtrip.py`), deterministic test data, writing and reading with this library, exact
 * value comparison, metadata comparison and the printed matrix.
 *
 * One case is a small hierarchy: arrays (dtype, shape, chunks, order, dimension separator,
 * fill value, compressor, filters, written region, attributes) and groups, optionally
 * consolidated or inside a zip file. The flow of a run:
 *
 * 1. {@link prepareCases} writes each array's input values to `DIR/in/` and, for every case
 *    whose codecs are all registered here, writes the hierarchy with this library to
 *    `DIR/ours/` (direction A input). Cases with unregistered codecs are "pending".
 * 2. {@link runPython} runs `py/roundtrip.py` once: zarr-python 2.13 writes every case to
 *    `DIR/py/`, reads it back into `DIR/ref/` (the reference values: for lossy filters,
 *    zarr-python's own encode/decode result), reads `DIR/ours/` and compares it with the
 *    reference (direction A), and returns the bytes of every metadata document of both stores.
 * 3. {@link checkCase} reads `DIR/py/` with this library and compares it with the reference
 *    bit for bit (direction B), and compares the metadata documents (see {@link compareMetadata}).
 * @module
 */
import * as zarr from "../../mod.ts";
import { PYTHON, pythonAvailable } from "../python.ts";
import "../../src/codecs/builtins.ts";
import { codecFromV2 } from "../../src/codecs/registry.ts";
import type { V2CodecConfig } from "../../src/codecs/types.ts";
import { parseJSON } from "../../src/metadata/json.ts";
import { b64, product, recordingStore, toB64 } from "./helpers.ts";

export { PYTHON };
/** The Python driver. */
export const DRIVER: string = decodeURIComponent(
  new URL("./py/roundtrip.py", import.meta.url).pathname,
);

/** Whether zarr-python 2.x and numcodecs are there (see {@link pythonAvailable}). */
export function zarrPython2Available(suite: string): boolean {
  return pythonAvailable(suite);
}

/** A numcodecs config (`{"id": "zlib", "level": 1}`). */
export type V2Config = V2CodecConfig;
/** A v2 fill value as the case list gives it (64-bit integers as decimal strings). */
export type FillJSON = null | boolean | number | string | [number | string, number | string];
/** The four groups of the matrix. */
export type Group = "dtype" | "compressor" | "filter" | "layout";

/** One array of a case (shared with the Python driver through `cases.json`). */
export interface ArraySpec {
  /** Path inside the case's store ("" = the root). */
  path: string;
  /** numpy dtype string as zarr-python 2.13 writes it (`"<f8"`, `">M8[ns]"`, `"|O"`). */
  dtype: string;
  /** Object codec of `|O` arrays. */
  objectCodec?: "vlen-utf8" | "vlen-bytes";
  shape: number[];
  chunks: number[];
  order: "C" | "F";
  /** `dimension_separator`. */
  sep: "." | "/";
  fill: FillJSON;
  compressor: V2Config | null;
  filters: V2Config[] | null;
  /** Only this block (`[start, stop)` per axis) is written; the rest reads as fill. */
  region?: [number, number][];
  attrs?: Record<string, unknown>;
  /** The filter chain loses information: compare with zarr-python's own decode, not the input. */
  lossy?: boolean;
  /** Name of the value generator (see {@link GENERATORS}); default by dtype. */
  gen?: string;
  /** Input / reference file name (set by {@link prepareCases}). */
  input?: string;
  /** How values travel: raw little-endian bytes, JSON strings, or JSON base64 strings. */
  encoding?: "raw" | "str" | "b64";
}

/** One row of the matrix (shared with the Python driver). */
export interface CaseSpec {
  id: string;
  group: Group;
  /** Row label in the printed matrix. */
  label: string;
  /** Directory (or zip file) name under `ours/` and `py/` (set by {@link prepareCases}). */
  dir?: string;
  arrays: ArraySpec[];
  /** Groups to create first (attributes set at creation). */
  groups: { path: string; attrs?: Record<string, unknown> }[];
  consolidated?: boolean;
  zip?: boolean;
  /**
   * A library bug that would stop the whole run (hang, crash): the case is not executed here
   * and shows as failed with this note.
   */
  knownBug?: string;
}

// ---------------------------------------------------------------------------------------------
// dtypes and deterministic values

type Family =
  | "bool"
  | "int"
  | "uint"
  | "float"
  | "complex"
  | "datetime"
  | "U"
  | "S"
  | "str"
  | "vbytes";

interface DInfo {
  family: Family;
  /** Bytes per slot (per component for complex); 0 for object kinds. */
  size: number;
  /** Characters (U) or bytes (S). */
  len?: number;
}

/** What a numpy dtype string of the matrix is. */
export function dinfo(spec: Pick<ArraySpec, "dtype" | "objectCodec">): DInfo {
  const dt = spec.dtype;
  if (dt === "|O") return { family: spec.objectCodec === "vlen-bytes" ? "vbytes" : "str", size: 0 };
  const m = /^[<>|]([a-zA-Z])(\d+)/.exec(dt);
  if (!m) throw new Error(`matrix dtype not understood: ${dt}`);
  const n = Number(m[2]);
  switch (m[1]) {
    case "b":
      return { family: "bool", size: 1 };
    case "i":
      return { family: "int", size: n };
    case "u":
      return { family: "uint", size: n };
    case "f":
      return { family: "float", size: n };
    case "c":
      return { family: "complex", size: n / 2 };
    case "M":
    case "m":
      return { family: "datetime", size: 8 };
    case "U":
      return { family: "U", size: 0, len: n };
    case "S":
      return { family: "S", size: 0, len: n };
  }
  throw new Error(`matrix dtype not understood: ${dt}`);
}

/** The dtype this library is given for a spec (object arrays by their v3 names). */
export function ourDtype(spec: ArraySpec): string {
  if (spec.dtype !== "|O") return spec.dtype;
  return spec.objectCodec === "vlen-bytes" ? "variable_length_bytes" : "string";
}

/** A small deterministic generator (xorshift32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = (Math.imul(seed + 1, 2654435761) >>> 0) || 1;
  }
  u32(): number {
    let x = this.#s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.#s = x;
    return x;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 2 ** 32;
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  big64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.u32() % xs.length];
  }
}

type TA =
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
/** The flat values of an array, in the library's container form. */
export type Container = TA | string[] | Uint8Array[];

const INT_CTORS: Record<number, new (n: number) => TA> = {
  1: Int8Array,
  2: Int16Array,
  4: Int32Array,
  8: BigInt64Array,
};
const UINT_CTORS: Record<number, new (n: number) => TA> = {
  1: Uint8Array,
  2: Uint16Array,
  4: Uint32Array,
  8: BigUint64Array,
};
const FLOAT_CTORS: Record<number, new (n: number) => TA> = {
  2: Float16Array,
  4: Float32Array,
  8: Float64Array,
};
const FLOAT_LIMITS: Record<number, [number, number]> = {
  2: [65504, 2 ** -24],
  4: [3.4028234663852886e38, 2 ** -149],
  8: [Number.MAX_VALUE, Number.MIN_VALUE],
};

const UNICODE_POOL = [
  "",
  "a",
  "héllo",
  "日本語",
  "🚀x",
  "Zürich",
  "ab c",
  "Ωμέγα",
  "\u00e9\u0301",
  "tab\tnl\n",
  "x",
  "ÿ",
  "€",
];

function codePoints(s: string): number {
  return [...s].length;
}

function floatValues(n: number, r: Rng, size: number): number[] {
  const [max, tiny] = FLOAT_LIMITS[size];
  const specials = [NaN, Infinity, -Infinity, -0, 0, tiny, max, -max, 1, -1.5, 0.1];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i < specials.length) out.push(specials[i]);
    else {
      const sign = r.u32() & 1 ? -1 : 1;
      out.push(sign * r.float() * 10 ** r.int(-4, size === 2 ? 3 : 6));
    }
  }
  return out;
}

/** The default values of a dtype family: specials first (min/max, NaN, NaT...), then random. */
function defaultValues(info: DInfo, n: number, r: Rng): Container {
  switch (info.family) {
    case "bool":
      return Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : r.u32() & 1));
    case "int":
    case "uint": {
      const signed = info.family === "int";
      const C = (signed ? INT_CTORS : UINT_CTORS)[info.size];
      const a = new C(n);
      const bits = BigInt(info.size * 8);
      const min = signed ? -(1n << (bits - 1n)) : 0n;
      const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
      const specials = [min, max, 0n, signed ? -1n : 1n, signed ? 1n : max >> 1n];
      for (let i = 0; i < n; i++) {
        let v = i < specials.length ? specials[i] : r.big64();
        v = signed ? BigInt.asIntN(Number(bits), v) : BigInt.asUintN(Number(bits), v);
        (a as unknown as (number | bigint)[])[i] = info.size === 8 ? v : Number(v);
      }
      return a;
    }
    case "float": {
      const C = FLOAT_CTORS[info.size];
      const a = new C(n);
      floatValues(n, r, info.size).forEach((v, i) => ((a as Float64Array)[i] = v));
      return a;
    }
    case "complex": {
      const C = FLOAT_CTORS[info.size];
      const a = new C(2 * n);
      // pair up specials with ordinary numbers: (NaN, x), (x, inf), (-0, ...)
      const vals = floatValues(2 * n, r, info.size);
      for (let i = 0; i < n; i++) {
        (a as Float64Array)[2 * i] = vals[i];
        (a as Float64Array)[2 * i + 1] = vals[2 * n - 1 - i];
      }
      return a;
    }
    case "datetime": {
      const a = new BigInt64Array(n);
      const specials = [-(2n ** 63n), 0n, -1n, 1n, 86400n];
      for (let i = 0; i < n; i++) {
        a[i] = i < specials.length
          ? specials[i]
          : BigInt(r.int(-1_000_000_000, 1_000_000_000)) * BigInt(r.int(1, 1000));
      }
      return a;
    }
    case "U": {
      const pool = UNICODE_POOL.filter((s) => codePoints(s) <= info.len!);
      pool.push("z".repeat(info.len!));
      return Array.from({ length: n }, (_, i) => (i < pool.length ? pool[i] : r.pick(pool)));
    }
    case "S": {
      const out: Uint8Array[] = [];
      for (let i = 0; i < n; i++) {
        const len = i === 0 ? 0 : i === 1 ? info.len! : r.int(0, info.len!);
        const b = Uint8Array.from({ length: len }, () => r.int(0, 255));
        if (len) b[len - 1] = r.int(1, 255); // numpy strips trailing NULs
        out.push(b);
      }
      return out;
    }
    case "str": {
      const chars = [
        "a",
        "Z",
        "0",
        " ",
        "é",
        "ß",
        "日",
        "本",
        "🚀",
        "🎉",
        "\u0301",
        "\n",
        '"',
        "\\",
      ];
      const out: string[] = [...UNICODE_POOL, "long:" + "xyz€".repeat(80)];
      while (out.length < n) {
        out.push(Array.from({ length: r.int(0, 12) }, () => r.pick(chars)).join(""));
      }
      return out.slice(0, n);
    }
    case "vbytes": {
      const out: Uint8Array[] = [new Uint8Array(0), new Uint8Array([0]), new Uint8Array([255, 0])];
      while (out.length < n) {
        out.push(Uint8Array.from({ length: r.int(0, 40) }, () => r.int(0, 255)));
      }
      return out.slice(0, n);
    }
  }
}

/** Named value generators for the filter and compressor rows (natural data of each codec). */
export const GENERATORS: Record<string, (n: number, r: Rng) => Container> = {
  /** int32 random walk. */
  walk32: (n, r) => {
    const a = new Int32Array(n);
    let v = r.int(-1000, 1000);
    for (let i = 0; i < n; i++) a[i] = v += r.int(-500, 500);
    return a;
  },
  /** int64 random walk with large steps. */
  walk64: (n, r) => {
    const a = new BigInt64Array(n);
    let v = BigInt(r.int(-1000, 1000)) << 40n;
    for (let i = 0; i < n; i++) a[i] = v += BigInt(r.int(-500, 500)) << 30n;
    return a;
  },
  /** int32 walk whose first value and steps fit int16 (delta with astype <i2). */
  smallwalk: (n, r) => {
    const a = new Int32Array(n);
    let v = r.int(-100, 100);
    for (let i = 0; i < n; i++) {
      a[i] = v;
      v += r.int(-100, 100);
    }
    return a;
  },
  /** Random bytes (uint8 deltas wrap around). */
  bytes: (n, r) => Uint8Array.from({ length: n }, () => r.int(0, 255)),
  /** Smooth float64 with a few specials (NaN, ±inf, -0). */
  smooth64: (n, r) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = 100 * Math.sin(i / 7) + r.float() - 0.5;
    if (n > 8) [a[1], a[3], a[5], a[7]] = [NaN, Infinity, -Infinity, -0];
    return a;
  },
  /** Smooth float32 with a few specials. */
  smooth32: (n, r) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = 100 * Math.sin(i / 7) + r.float() - 0.5;
    if (n > 8) [a[1], a[3], a[5], a[7]] = [NaN, Infinity, -Infinity, -0];
    return a;
  },
  /** Finite smooth float64 (delta on floats). */
  finite64: (n, r) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = 10 * Math.cos(i / 5) + r.float();
    return a;
  },
  /** float64 in [1000, 7500): fixedscaleoffset(offset=1000, scale=10) to uint16. */
  fso: (n, r) => Float64Array.from({ length: n }, () => 1000 + r.float() * 6500),
  /** float64 in ±10000: fixedscaleoffset(offset=0, scale=100) to int32. */
  fsoSigned: (n, r) => Float64Array.from({ length: n }, () => (r.float() - 0.5) * 20000),
  /** int64 values that fit int16 (astype <i8 -> <i2). */
  small64: (n, r) => BigInt64Array.from({ length: n }, () => BigInt(r.int(-32768, 32767))),
  /** Labels of the categorize rows, plus one unknown value (decodes to ""). */
  labels: (n, r) => {
    const pool = ["α", "beta", "gamma", "", "zzz"];
    return Array.from({ length: n }, (_, i) => (i < pool.length ? pool[i] : r.pick(pool)));
  },
  /** Compressible float64: a smooth field with some noise and specials. */
  field64: (n, r) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = Math.round(1000 * Math.sin(i / 50)) / 8 + (r.u32() % 4);
    if (n > 8) [a[2], a[4], a[6]] = [NaN, -Infinity, -0];
    return a;
  },
  /** Compressible uint16 with repetition. */
  field16: (n, r) => Uint16Array.from({ length: n }, (_, i) => ((i * 7) % 1000) + (r.u32() % 3)),
  /** Small uint8 values (bit shuffling helps). */
  nibbles: (n, r) => Uint8Array.from({ length: n }, (_, i) => (i >> 4) % 16 ^ (r.u32() % 2)),
};

/** The values of an array spec (deterministic in `seed`). */
export function makeValues(spec: ArraySpec, seed: number): Container {
  const n = product(spec.shape);
  const r = new Rng(seed);
  if (spec.gen) {
    const g = GENERATORS[spec.gen];
    if (!g) throw new Error(`unknown generator ${spec.gen}`);
    return g(n, r);
  }
  return defaultValues(dinfo(spec), n, r);
}

function encodingOf(spec: ArraySpec): "raw" | "str" | "b64" {
  const f = dinfo(spec).family;
  return f === "U" || f === "str" ? "str" : f === "S" || f === "vbytes" ? "b64" : "raw";
}

function typedBytes(a: TA): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function stripNul(b: Uint8Array): Uint8Array {
  let n = b.length;
  while (n > 0 && b[n - 1] === 0) n--;
  return b.subarray(0, n);
}

/** The file form of values (`raw`: host little-endian bytes; else JSON). */
function encodeValues(values: Container, enc: "raw" | "str" | "b64"): Uint8Array {
  if (enc === "raw") return typedBytes(values as TA);
  const list = enc === "str" ? (values as string[]) : (values as Uint8Array[]).map((b) => toB64(b));
  return new TextEncoder().encode(JSON.stringify(list));
}

/** The fill value of a spec as this library takes it. */
export function ourFill(spec: ArraySpec): unknown {
  const f = spec.fill;
  if (f === null) return null;
  const info = dinfo(spec);
  const num = (x: number | string) => (typeof x === "string" ? Number(x) : x);
  switch (info.family) {
    case "float":
      return num(f as number | string);
    case "complex": {
      const [re, im] = f as [number | string, number | string];
      return [num(re), num(im)];
    }
    case "int":
    case "uint":
      return info.size === 8 ? BigInt(f as string | number) : Number(f);
    case "datetime":
      return BigInt(f as string | number);
    case "S":
      return b64(f as string);
    default:
      return f;
  }
}

// ---------------------------------------------------------------------------------------------
// writing with this library

function subBlock(values: Container, shape: number[], region: [number, number][], slots: number) {
  const sub = region.map(([a, b]) => b - a);
  const n = product(sub);
  const strides = shape.map((_, i) => product(shape.slice(i + 1)));
  const out: Container = ArrayBuffer.isView(values)
    ? new (values.constructor as new (n: number) => TA)(n * slots)
    : new Array(n);
  const idx = new Array(sub.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let d = 0; d < sub.length; d++) off += (region[d][0] + idx[d]) * strides[d];
    for (let s = 0; s < slots; s++) {
      (out as unknown as unknown[])[k * slots + s] =
        (values as unknown as unknown[])[off * slots + s];
    }
    for (let d = sub.length - 1; d >= 0; d--) {
      if (++idx[d] < sub[d]) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: sub };
}

/** The unregistered numcodecs ids a spec needs (empty when everything is registered). */
export function pendingCodecs(spec: ArraySpec): string[] {
  const cfgs: V2Config[] = [
    ...(spec.filters ?? []),
    ...(spec.compressor ? [spec.compressor] : []),
    ...(spec.objectCodec ? [{ id: spec.objectCodec }] : []),
  ];
  const out: string[] = [];
  for (const c of cfgs) {
    try {
      codecFromV2(c);
    } catch (e) {
      if (e instanceof zarr.UnknownCodecError) out.push(c.id);
      // other errors (a configuration the factory wants context for) surface when writing
    }
  }
  return out;
}

async function openOurStore(root: string, zip: boolean, mode: "r" | "w"): Promise<zarr.Store> {
  if (zip) return await zarr.ZipStore.open(root, { mode });
  return new zarr.LocalStore(root, { readOnly: mode === "r" });
}

async function closeStore(store: zarr.Store): Promise<void> {
  if (store instanceof zarr.ZipStore) await store.close();
}

/** Writes a case with this library (format 2) under `root`. */
export async function writeOurs(c: CaseSpec, root: string, values: Container[]): Promise<void> {
  const store = await openOurStore(root, c.zip ?? false, "w");
  try {
    for (const g of c.groups) {
      await zarr.group({ store, path: g.path || undefined, zarrFormat: 2, attributes: g.attrs });
    }
    for (let i = 0; i < c.arrays.length; i++) {
      const spec = c.arrays[i];
      const arr = await zarr.create(spec.shape, {
        store,
        path: spec.path || undefined,
        zarrFormat: 2,
        chunks: spec.chunks,
        dtype: ourDtype(spec),
        compressor: spec.compressor,
        filters: spec.objectCodec ? undefined : spec.filters,
        order: spec.order,
        dimensionSeparator: spec.sep,
        fillValue: ourFill(spec),
        attributes: spec.attrs,
      });
      const slots = dinfo(spec).family === "complex" ? 2 : 1;
      const dtype = ourDtype(spec);
      if (spec.region) {
        const { data, shape } = subBlock(values[i], spec.shape, spec.region, slots);
        const sel = spec.region.map(([a, b]) => zarr.slice(a, b));
        await arr.setitem(sel, zarr.ndarray(data as never, shape, dtype));
      } else {
        await arr.setitem(null, zarr.ndarray(values[i] as never, spec.shape, dtype));
      }
    }
    if (c.consolidated) await zarr.consolidateMetadata(store);
  } finally {
    await closeStore(store);
  }
}

/** What {@link prepareCases} found out before Python runs. */
export interface Prepared {
  c: CaseSpec;
  values: Container[];
  /** Unregistered codec ids. */
  pending: string[];
  /** Our write failed (direction A then fails). */
  writeError?: string;
}

/** Materializes inputs and writes our side of every case. */
export async function prepareCases(cases: CaseSpec[], dir: string): Promise<Prepared[]> {
  await Deno.mkdir(`${dir}/in`, { recursive: true });
  await Deno.mkdir(`${dir}/ours`, { recursive: true });
  const out: Prepared[] = [];
  for (let ci = 0; ci < cases.length; ci++) {
    const c = cases[ci];
    c.dir = `c${String(ci).padStart(3, "0")}${c.zip ? ".zip" : ""}`;
    const values: Container[] = [];
    for (let ai = 0; ai < c.arrays.length; ai++) {
      const spec = c.arrays[ai];
      spec.encoding = encodingOf(spec);
      spec.input = `${ci}_${ai}.${spec.encoding === "raw" ? "bin" : "json"}`;
      const v = makeValues(spec, ci * 31 + ai);
      values.push(v);
      await Deno.writeFile(`${dir}/in/${spec.input}`, encodeValues(v, spec.encoding));
    }
    const pending = [...new Set(c.arrays.flatMap(pendingCodecs))];
    const p: Prepared = { c, values, pending };
    if (pending.length === 0 && !c.knownBug) {
      try {
        await writeOurs(c, `${dir}/ours/${c.dir}`, values);
      } catch (e) {
        p.writeError = `${(e as Error).name}: ${(e as Error).message}`;
        await Deno.remove(`${dir}/ours/${c.dir}`, { recursive: true }).catch(() => {});
      }
    }
    out.push(p);
  }
  await Deno.writeTextFile(`${dir}/cases.json`, JSON.stringify(cases));
  return out;
}

// ---------------------------------------------------------------------------------------------
// the Python side

/** One case's answer from `py/roundtrip.py`. */
export interface PyResult {
  id: string;
  /** numcodecs 0.11 lacks these ids (or blosc compressors): the case cannot run. */
  pyUnsupported?: string[];
  /** zarr-python failed to write or read its own hierarchy. */
  pyError?: string;
  /** zarr-python's own round trip differs from the input (lossless cases; a harness bug). */
  selfCheck?: Record<string, string>;
  /** Direction A: zarr-python read our hierarchy. */
  a?: { ok: boolean; detail: string };
  ourTraceback?: string;
  /** base64 bytes of python's / our metadata documents, by store key. */
  pyDocs?: Record<string, string>;
  ourDocs?: Record<string, string>;
  /** base64 of what zarr-python 3 would write for python's .zarray/.zattrs/.zgroup content. */
  py3Docs?: Record<string, string>;
}

/** Runs the Python driver over `dir` once and returns its results by case id. */
export async function runPython(
  dir: string,
): Promise<{ zarr: string; numcodecs: string; results: Map<string, PyResult> }> {
  const r = await new Deno.Command(PYTHON, {
    args: [DRIVER, dir],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!r.success) {
    throw new Error(`py/roundtrip.py failed:\n${new TextDecoder().decode(r.stderr)}`);
  }
  const doc = JSON.parse(await Deno.readTextFile(`${dir}/results.json`)) as {
    zarr: string;
    numcodecs: string;
    results: PyResult[];
  };
  return {
    zarr: doc.zarr,
    numcodecs: doc.numcodecs,
    results: new Map(doc.results.map((x) => [x.id, x])),
  };
}

// ---------------------------------------------------------------------------------------------
// reading with this library and comparing

function cOrderIndices(nd: zarr.NDArray): number[] {
  const n = product(nd.shape);
  const out = new Array<number>(n);
  const idx = new Array(nd.shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += idx[d] * nd.stride[d];
    out[k] = off;
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < nd.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function showSlot(bytes: Uint8Array, info: DInfo): string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const one = (o: number): string => {
    switch (info.family) {
      case "float":
      case "complex":
        return String(
          info.size === 2
            ? dv.getFloat16(o, true)
            : info.size === 4
            ? dv.getFloat32(o, true)
            : dv.getFloat64(o, true),
        );
      case "int":
      case "datetime":
        return info.size === 8 ? String(dv.getBigInt64(o, true)) : String(
          info.size === 1
            ? dv.getInt8(o)
            : info.size === 2
            ? dv.getInt16(o, true)
            : dv.getInt32(o, true),
        );
      case "uint":
      case "bool":
        return info.size === 8 ? String(dv.getBigUint64(o, true)) : String(
          info.size === 1
            ? dv.getUint8(o)
            : info.size === 2
            ? dv.getUint16(o, true)
            : dv.getUint32(o, true),
        );
      default:
        return "?";
    }
  };
  const v = info.family === "complex" ? `(${one(0)}, ${one(info.size)})` : one(0);
  return `${v} [0x${hex}]`;
}

/**
 * Compares an NDArray we read with zarr-python's reference values (file in `ref/`): numeric
 * values bit for bit in C order, strings exactly, fixed bytes with trailing NULs stripped (as
 * numpy does). Returns null when equal, else the first difference.
 */
export function compareWithRef(
  nd: zarr.NDArray,
  spec: ArraySpec,
  ref: Uint8Array,
): string | null {
  if (nd.shape.length !== spec.shape.length || nd.shape.some((s, i) => s !== spec.shape[i])) {
    return `shape [${nd.shape}] != [${spec.shape}]`;
  }
  const info = dinfo(spec);
  const order = cOrderIndices(nd);
  if (spec.encoding === "raw") {
    const slots = info.family === "complex" ? 2 : 1;
    const w = info.size * slots;
    const data = nd.data as TA;
    if (!ArrayBuffer.isView(data)) return `expected a typed array, got ${typeof data}`;
    if (data.BYTES_PER_ELEMENT !== info.size) {
      return `container ${data.constructor.name} for dtype ${spec.dtype}`;
    }
    const src = typedBytes(data);
    if (ref.length !== order.length * w) {
      return `reference has ${ref.length / w} elements, array ${order.length}`;
    }
    for (let k = 0; k < order.length; k++) {
      const got = src.subarray(order[k] * w, order[k] * w + w);
      const exp = ref.subarray(k * w, k * w + w);
      for (let b = 0; b < w; b++) {
        if (got[b] !== exp[b]) {
          return `element ${k}: got ${showSlot(got, info)}, expected ${showSlot(exp, info)}`;
        }
      }
    }
    return null;
  }
  const expected = JSON.parse(new TextDecoder().decode(ref)) as string[];
  if (expected.length !== order.length) {
    return `reference has ${expected.length} elements, array ${order.length}`;
  }
  const data = nd.data as unknown[];
  for (let k = 0; k < order.length; k++) {
    const v = data[order[k]];
    let got: string;
    if (spec.encoding === "str") {
      if (typeof v !== "string") return `element ${k}: got ${typeof v}, expected a string`;
      got = v;
    } else {
      if (!(v instanceof Uint8Array)) return `element ${k}: got ${typeof v}, expected bytes`;
      got = toB64(info.family === "S" ? stripNul(v) : v);
    }
    if (got !== expected[k]) {
      return `element ${k}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected[k])}`;
    }
  }
  return null;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a), bigintSafe) === JSON.stringify(sortKeys(b), bigintSafe);
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? `${v}n` : v;
}

function sortKeys(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(sortKeys);
  if (o && typeof o === "object") {
    return Object.fromEntries(
      Object.keys(o).sort().map((k) => [k, sortKeys((o as Record<string, unknown>)[k])]),
    );
  }
  return o;
}

/** Direction B: reads python's hierarchy with this library; returns the problems found. */
export async function readTheirs(c: CaseSpec, dir: string): Promise<string[]> {
  const problems: string[] = [];
  const root = `${dir}/py/${c.dir}`;
  const base = await openOurStore(root, c.zip ?? false, "r");
  try {
    const log: string[] = [];
    const store = c.consolidated ? recordingStore(base, log) : base;
    const top = c.consolidated
      ? await zarr.openConsolidated(store, { mode: "r", zarrFormat: 2 })
      : undefined;
    for (const spec of c.arrays) {
      const where = spec.path || "<root>";
      try {
        let arr: zarr.AsyncArray;
        if (top) {
          const node = spec.path ? await top.getitem(spec.path) : undefined;
          if (!(node instanceof zarr.AsyncArray)) throw new Error(`not an array: ${spec.path}`);
          arr = node;
        } else {
          arr = await zarr.openArray({ store, path: spec.path || undefined, mode: "r" });
        }
        if (arr.zarrFormat !== 2) problems.push(`${where}: zarrFormat ${arr.zarrFormat}`);
        const nd = await arr.getitem(null) as zarr.NDArray;
        const ref = await Deno.readFile(`${dir}/ref/${spec.input}`);
        const diff = compareWithRef(nd, spec, ref);
        if (diff) problems.push(`${where}: ${diff}`);
        if (!sameJSON(arr.attrs, spec.attrs ?? {})) {
          problems.push(`${where}: attrs ${JSON.stringify(arr.attrs, bigintSafe)}`);
        }
      } catch (e) {
        problems.push(`${where}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    for (const g of c.groups) {
      try {
        const grp = top && g.path === ""
          ? top
          : top
          ? await top.getitem(g.path)
          : await zarr.openGroup(store, { path: g.path || undefined, mode: "r" });
        if (!(grp instanceof zarr.AsyncGroup)) throw new Error("not a group");
        if (!sameJSON(grp.attrs, g.attrs ?? {})) {
          problems.push(`group '${g.path}': attrs ${JSON.stringify(grp.attrs)}`);
        }
      } catch (e) {
        problems.push(`group '${g.path}': ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    if (c.consolidated) {
      // the root's .zgroup/.zattrs/.zmetadata are read; no child document may be
      const extra = log.filter((k) => /\/\.z(array|attrs|group)$/.test(k));
      if (extra.length) {
        problems.push(`consolidated open still read ${extra.join(", ")}`);
      }
    }
  } finally {
    await closeStore(base);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// metadata

/** Differences between two parsed JSON values, as `path: ours vs python` lines. */
export function jsonDiff(ours: unknown, py: unknown, path = ""): string[] {
  const show = (v: unknown) => JSON.stringify(v, bigintSafe);
  const isObj = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(ours) && isObj(py)) {
    const o = ours as Record<string, unknown>;
    const p = py as Record<string, unknown>;
    const out: string[] = [];
    for (const k of new Set([...Object.keys(o), ...Object.keys(p)])) {
      const sub = path ? `${path}.${k}` : k;
      if (!(k in p)) out.push(`${sub}: ours ${show(o[k])}, python has no such key`);
      else if (!(k in o)) out.push(`${sub}: missing in ours, python ${show(p[k])}`);
      else out.push(...jsonDiff(o[k], p[k], sub));
    }
    return out;
  }
  if (Array.isArray(ours) && Array.isArray(py) && ours.length === py.length) {
    return ours.flatMap((v, i) => jsonDiff(v, py[i], `${path}[${i}]`));
  }
  if (typeof ours === "number" && typeof py === "number" && Object.is(ours, py)) return [];
  if (typeof ours === "number" && typeof py === "number" && ours === py) return [];
  if (show(ours) === show(py)) return [];
  return [`${path || "<doc>"}: ours ${show(ours)}, python ${show(py)}`];
}

function firstLineDiff(a: string, b: string): string {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      return `line ${i + 1}: ours ${JSON.stringify(la[i] ?? "<eof>")}, zarr-python 3 ${
        JSON.stringify(lb[i] ?? "<eof>")
      }`;
    }
  }
  return "identical lines";
}

/** Outcome of the metadata comparison of one case. */
export interface MetaOutcome {
  /** Content differences from zarr-python 2.13's documents (parsed JSON). */
  parsed: string[];
  /** Byte differences from what zarr-python 3 writes for the same content. */
  bytes: string[];
  /** Differences that are zarr-python 3 behaviour (not counted). */
  expected: string[];
}

const dec = new TextDecoder();
const ZMD_CHILD_KEY = "consolidated_metadata";

/**
 * Compares our metadata documents with zarr-python 2.13's for the same hierarchy.
 *
 * - `.zarray`, `.zgroup`, `.zattrs`: parsed JSON must be equal. A `.zattrs` that 2.13 does not
 *   write (no attributes) counts as `{}`: zarr-python 3 always writes one (an expected
 *   difference, listed but not counted).
 * - Bytes: ours must equal what zarr-python 3 writes for python's content (field order of
 *   zarr-python 3's `.zarray`, codec configs in numcodecs' `get_config()` order, 2-space indent;
 *   zarr-python 2.13 itself writes sorted keys with a 4-space indent, which nobody mimics).
 * - `.zmetadata`: the same entries with equal content; zarr-python 3 marks child groups with a
 *   `consolidated_metadata` key (expected) and lists a `.zattrs` for every node.
 */
export function compareMetadata(r: PyResult): MetaOutcome {
  const out: MetaOutcome = { parsed: [], bytes: [], expected: [] };
  const py = r.pyDocs ?? {};
  const ours = r.ourDocs ?? {};
  const py3 = r.py3Docs ?? {};
  const parse = (b64s: string, where: string) => parseJSON(dec.decode(b64(b64s)), where);
  const keys = [...new Set([...Object.keys(py), ...Object.keys(ours)])].sort();
  for (const k of keys) {
    const name = k.slice(k.lastIndexOf("/") + 1);
    if (name === ".zmetadata") continue;
    if (!(k in ours)) {
      out.parsed.push(`${k}: not written by us`);
      continue;
    }
    const mine = parse(ours[k], `our ${k}`);
    if (!(k in py)) {
      if (name === ".zattrs" && sameJSON(mine, {})) {
        out.expected.push(`.zattrs {} written (2.13 writes none without attributes) [${k}]`);
        if (dec.decode(b64(ours[k])) !== "{}") out.bytes.push(`${k}: not the bytes "{}"`);
      } else out.parsed.push(`${k}: not written by zarr-python 2.13`);
      continue;
    }
    const theirs = parse(py[k], `python ${k}`) as Record<string, unknown>;
    let diffs = jsonDiff(mine, theirs);
    if (
      name === ".zarray" && Array.isArray(theirs.shape) && theirs.shape.length === 0 &&
      theirs.compressor === null
    ) {
      // zarr-python 2.13's _init_array_metadata sets compressor=None when shape == ();
      // zarr-python 3 keeps the compressor it was given, as we do
      const n = diffs.length;
      diffs = diffs.filter((d) => !d.startsWith("compressor"));
      if (diffs.length < n) {
        out.expected.push(`compressor kept for a 0-d array (2.13 drops it) [${k}]`);
      }
    }
    out.parsed.push(...diffs.map((d) => `${k}: ${d}`));
    if (k in py3) {
      const a = dec.decode(b64(ours[k]));
      const b = dec.decode(b64(py3[k]));
      if (a !== b) out.bytes.push(`${k}: ${firstLineDiff(a, b)}`);
    }
  }
  const zk = keys.filter((k) => k.endsWith(".zmetadata"));
  for (const k of zk) {
    if (!(k in ours) || !(k in py)) {
      out.parsed.push(`${k}: only in ${k in ours ? "ours" : "python's"}`);
      continue;
    }
    const m1 = (parse(ours[k], `our ${k}`) as { metadata: Record<string, unknown> }).metadata;
    const m2 = (parse(py[k], `python ${k}`) as { metadata: Record<string, unknown> }).metadata;
    for (const key of new Set([...Object.keys(m1), ...Object.keys(m2)])) {
      let a = m1[key];
      const b = m2[key];
      if (key.endsWith(".zgroup") && a && typeof a === "object" && ZMD_CHILD_KEY in a) {
        const { [ZMD_CHILD_KEY]: _cm, ...rest } = a as Record<string, unknown>;
        a = rest;
        out.expected.push(`child .zgroup entry carries consolidated_metadata [${k}: ${key}]`);
      }
      if (b === undefined && key.endsWith(".zattrs") && sameJSON(a, {})) {
        out.expected.push(`.zattrs {} listed in .zmetadata (2.13 lists none) [${k}: ${key}]`);
        continue;
      }
      if (a === undefined) out.parsed.push(`${k}: entry ${key} missing in ours`);
      else if (b === undefined) out.parsed.push(`${k}: entry ${key} only in ours`);
      else out.parsed.push(...jsonDiff(a, b).map((d) => `${k}[${key}]: ${d}`));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// the matrix

/** Status of one column. */
export type Cell = "ok" | "FAIL" | "pending" | "n/a" | "known bug";

/** One evaluated row. */
export interface Outcome {
  c: CaseSpec;
  weToPy: Cell;
  pyToWe: Cell;
  meta: Cell;
  /** Overall: failed if any column failed; pending if any is pending; n/a if python cannot. */
  status: "passed" | "pending" | "failed" | "n/a";
  notes: string[];
  metaOutcome?: MetaOutcome;
}

/** Evaluates one case from the preparation, the Python result and our read of python's store. */
export async function checkCase(
  p: Prepared,
  r: PyResult | undefined,
  dir: string,
): Promise<Outcome> {
  const o: Outcome = {
    c: p.c,
    weToPy: "ok",
    pyToWe: "ok",
    meta: "ok",
    status: "passed",
    notes: [],
  };
  if (!r) {
    o.weToPy = o.pyToWe = o.meta = "FAIL";
    o.notes.push("no result from python");
  } else if (r.pyUnsupported) {
    o.weToPy = o.pyToWe = o.meta = "n/a";
    o.notes.push(`numcodecs 0.11 lacks ${r.pyUnsupported.join(", ")}`);
  } else if (r.pyError) {
    o.weToPy = o.pyToWe = o.meta = "FAIL";
    o.notes.push(`zarr-python failed on its own side: ${r.pyError.trim().split("\n").pop()}`);
  } else if (p.c.knownBug) {
    o.weToPy = o.pyToWe = o.meta = "known bug";
    o.notes.push(`known bug, not run: ${p.c.knownBug}`);
  } else if (p.pending.length) {
    o.weToPy = o.pyToWe = o.meta = "pending";
    o.notes.push(`codec not registered: ${p.pending.join(", ")}`);
  } else {
    for (const [path, diff] of Object.entries(r.selfCheck ?? {})) {
      o.notes.push(`harness: zarr-python's own round trip of ${path || "<root>"} differs: ${diff}`);
      o.pyToWe = "FAIL";
    }
    if (p.writeError) {
      o.weToPy = "FAIL";
      o.meta = "FAIL";
      o.notes.push(`we->py: our write failed: ${p.writeError}`);
    } else if (!r.a) {
      o.weToPy = "FAIL";
      o.notes.push("we->py: python did not find our store");
    } else if (!r.a.ok) {
      o.weToPy = "FAIL";
      o.notes.push(`we->py: ${r.a.detail}`);
    }
    const problems = await readTheirs(p.c, dir);
    if (problems.length) {
      o.pyToWe = "FAIL";
      o.notes.push(...problems.map((x) => `py->we: ${x}`));
    }
    if (!p.writeError) {
      const m = compareMetadata(r);
      o.metaOutcome = m;
      if (m.parsed.length || m.bytes.length) o.meta = "FAIL";
      o.notes.push(...m.parsed.map((x) => `meta (vs 2.13): ${x}`));
      o.notes.push(...m.bytes.map((x) => `meta bytes (vs zarr-python 3): ${x}`));
    }
  }
  const cells = [o.weToPy, o.pyToWe, o.meta];
  o.status = cells.some((x) => x === "FAIL" || x === "known bug")
    ? "failed"
    : cells.includes("pending")
    ? "pending"
    : cells.every((x) => x === "n/a")
    ? "n/a"
    : "passed";
  return o;
}

const GROUP_TITLES: Record<Group, string> = {
  dtype: "data types (compressor zstd level 0)",
  compressor: "compressors",
  filter: "filters",
  layout: "layouts",
};

/** Counts per status. */
export function counts(os: Outcome[]): Record<Outcome["status"], number> {
  const c = { passed: 0, pending: 0, failed: 0, "n/a": 0 };
  for (const o of os) c[o.status]++;
  return c;
}

/** The printed matrix: one line per case, grouped, with notes under failing rows. */
export function formatMatrix(os: Outcome[], versions: string): string {
  const w = Math.max(20, ...os.map((o) => o.c.label.length));
  const lines = [
    "",
    `=== zarr-python 2.13 live round trip (${versions}) ===`,
    `${"case".padEnd(w)} | we->py    | py->we    | metadata  `,
  ];
  for (const g of Object.keys(GROUP_TITLES) as Group[]) {
    const rows = os.filter((o) => o.c.group === g);
    if (!rows.length) continue;
    const k = counts(rows);
    lines.push(
      `--- ${GROUP_TITLES[g]}: ${k.passed} passed, ${k.pending} pending, ${k.failed} failed` +
        (k["n/a"] ? `, ${k["n/a"]} n/a` : "") + ` ---`,
    );
    for (const o of rows) {
      lines.push(
        `${o.c.label.padEnd(w)} | ${o.weToPy.padEnd(9)} | ${o.pyToWe.padEnd(9)} | ${o.meta}`,
      );
      const show = o.status === "passed" ? [] : o.notes;
      for (const n of show) lines.push(`${" ".repeat(w)}   ! ${n}`);
    }
  }
  const expected = new Map<string, number>();
  for (const o of os) {
    for (const e of o.metaOutcome?.expected ?? []) {
      const what = e.replace(/ \[.*\]$/, "");
      expected.set(what, (expected.get(what) ?? 0) + 1);
    }
  }
  if (expected.size) {
    lines.push("metadata differences from 2.13 that are zarr-python 3 behaviour (not counted):");
    for (const [what, n] of expected) lines.push(`  ${n} x ${what}`);
  }
  const k = counts(os);
  lines.push(
    `SUMMARY zarr-python 2.13 round trip: ${os.length} cases: ${k.passed} passed, ` +
      `${k.pending} pending, ${k.failed} failed, ${k["n/a"]} n/a (python cannot)`,
  );
  return lines.join("\n");
}
