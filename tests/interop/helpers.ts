/**
 * Shared helpers of the interop suites: where the fixtures live, the skip/fail rule when they
 * are missing, exact value comparison, sha256 of decoded data, a key-recording store wrapper and
 * the summary tables.
 *
 * The fixtures are read in place from `$ZARR_FIXTURES`, else `../shared/fixtures` relative to
 * the project root (resolved from this file, so the working directory does not matter).
 * @module
 */
import * as zarr from "../../mod.ts";
import { jsonBytes, parseJSONBytes } from "../../src/metadata/json.ts";

/** Absolute path of the fixtures root. */
export const FIXTURES: string = (() => {
  const env = Deno.env.get("ZARR_FIXTURES");
  if (env !== undefined && env !== "") {
    return env.startsWith("/") ? env : `${Deno.cwd()}/${env}`;
  }
  return decodeURIComponent(new URL("../../../shared/fixtures", import.meta.url).pathname);
})();

/** True when CI=true: missing fixtures then fail instead of skipping. */
export const IN_CI: boolean = Deno.env.get("CI") === "true";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that every `paths` (relative to {@link FIXTURES}) exists. When something is missing:
 * with CI=true a failing test is registered; otherwise the reason is printed. Returns true when
 * the suite should be ignored.
 */
export function fixturesMissing(suite: string, paths: string[]): boolean {
  const missing = paths.filter((p) => !exists(`${FIXTURES}/${p}`));
  if (missing.length === 0) return false;
  const reason = `${suite}: fixtures not found under ${FIXTURES}: ${missing.join(", ")} ` +
    `(set ZARR_FIXTURES to the fixtures folder)`;
  if (IN_CI) {
    Deno.test(`${suite}: fixtures are present`, () => {
      throw new Error(reason);
    });
  } else {
    console.log(`SKIP ${reason}`);
  }
  return true;
}

/** Hex sha256 of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Decodes standard base64. */
export function b64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Encodes standard base64. */
export function toB64(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

/** C-order strides of a shape, in elements. */
export function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Product of a shape. */
export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const FLOAT_WORDS: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
};

function expectFloat(v: unknown): number {
  if (typeof v === "string" && v in FLOAT_WORDS) return FLOAT_WORDS[v];
  if (typeof v === "number") return v;
  throw new Error(`bad float in expectation: ${JSON.stringify(v)}`);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function show(x: unknown): string {
  if (typeof x === "bigint") return `${x}n`;
  if (x instanceof Uint8Array) return `bytes[${Array.from(x).join(",")}]`;
  if (typeof x === "number" && Object.is(x, -0)) return "-0";
  return JSON.stringify(x) ?? String(x);
}

/** The kind of comparison a public dtype string calls for. */
export function valueKind(
  dtype: string,
): "bool" | "int" | "bigint" | "float" | "complex" | "str" | "bytes" {
  if (dtype === "bool") return "bool";
  if (dtype === "int64" || dtype === "uint64") return "bigint";
  if (dtype.startsWith("datetime64") || dtype.startsWith("timedelta64")) return "bigint";
  if (/^u?int(8|16|32)$/.test(dtype)) return "int";
  if (/^float(16|32|64)$/.test(dtype)) return "float";
  if (/^complex(64|128)$/.test(dtype)) return "complex";
  if (dtype === "string" || /^U\d+$/.test(dtype)) return "str";
  return "bytes";
}

/** The element at flat index `i` of an NDArray's data, as a comparable JS value. */
export function elementAt(nd: zarr.NDArray, i: number): unknown {
  const kind = valueKind(nd.dtype);
  const d = nd.data as ArrayLike<unknown>;
  if (kind === "complex") return [d[2 * i], d[2 * i + 1]];
  return d[i];
}

/**
 * Compares the C-order data of an NDArray with a flat list of manifest-style expected values
 * (bool as true/false, 64-bit ints and datetimes as numbers or decimal strings, NaN/Infinity as
 * strings, complex as [re, im], fixed bytes as base64 strings, vlen bytes as {base64}, strings).
 * Floats compare bit-exactly (NaN equals NaN, -0 differs from 0). `mask[i] === false` skips an
 * element. Returns the first mismatch, or null.
 */
export function firstMismatch(
  nd: zarr.NDArray,
  expected: readonly unknown[],
  mask?: readonly boolean[],
): string | null {
  const n = product(nd.shape);
  if (n !== expected.length) return `size ${n} != expected ${expected.length}`;
  const kind = valueKind(nd.dtype);
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const a = elementAt(nd, i);
    const e = expected[i];
    let ok: boolean;
    switch (kind) {
      case "bool":
        ok = a === (e ? 1 : 0) || a === e;
        break;
      case "int":
        ok = a === Number(e);
        break;
      case "bigint":
        ok = a === BigInt(e as string | number);
        break;
      case "float":
        ok = Object.is(a, expectFloat(e));
        break;
      case "complex": {
        const [re, im] = a as [number, number];
        const [ere, eim] = e as [unknown, unknown];
        ok = Object.is(re, expectFloat(ere)) && Object.is(im, expectFloat(eim));
        break;
      }
      case "str":
        ok = a === e;
        break;
      case "bytes": {
        const eb = typeof e === "string"
          ? b64(e)
          : e instanceof Uint8Array
          ? e
          : b64((e as { base64: string }).base64);
        ok = a instanceof Uint8Array && bytesEqual(a, eb);
        break;
      }
    }
    if (!ok) return `element ${i}: got ${show(a)}, expected ${show(e)}`;
  }
  return null;
}

/**
 * sha256 per the v2 manifest conventions: numeric types hash their C-order little-endian bytes;
 * fixed bytes (`S<n>`, `V<n>`, structured records) hash the zero-padded fixed-width bytes; strings and vlen bytes hash the
 * UTF-8 of the compact JSON of the flat values (vlen bytes as `{"base64": ...}`).
 */
export async function manifestSha256(nd: zarr.NDArray): Promise<string> {
  const kind = valueKind(nd.dtype);
  const n = product(nd.shape);
  if (kind === "str") {
    const vals = (nd.data as string[]).slice(0, n);
    return await sha256Hex(new TextEncoder().encode(JSON.stringify(vals)));
  }
  if (kind === "bytes") {
    const vals = (nd.data as Uint8Array[]).slice(0, n);
    const m = /^[SV](\d+)$/.exec(nd.dtype);
    if (m || nd.dtype.startsWith("[")) {
      // fixed-width: S/V by their length, structured records by their (equal) lengths
      const w = m ? Number(m[1]) : (vals[0]?.length ?? 0);
      const out = new Uint8Array(w * n);
      vals.forEach((v, i) => out.set(v.subarray(0, w), i * w));
      return await sha256Hex(out);
    }
    const json = JSON.stringify(vals.map((v) => ({ base64: toB64(v) })));
    return await sha256Hex(new TextEncoder().encode(json));
  }
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error("big-endian hosts are not supported by this check");
  }
  const ta = nd.data as unknown as ArrayBufferView;
  const slots = kind === "complex" ? 2 : 1;
  const itemBytes = (ta as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return await sha256Hex(new Uint8Array(ta.buffer, ta.byteOffset, n * slots * itemBytes));
}

/** Asserts-style check that an NDArray is C-contiguous; returns an error text or null. */
export function notCContiguous(nd: zarr.NDArray): string | null {
  const want = cStrides(nd.shape);
  for (let i = 0; i < want.length; i++) {
    if (nd.shape[i] > 1 && nd.stride[i] !== want[i]) {
      return `stride [${nd.stride}] is not C-contiguous for shape [${nd.shape}]`;
    }
  }
  return null;
}

/** Flat C-order values of `arange(start, start + n)`. */
export function arange(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

/**
 * Wraps a store so that every `get` key is recorded (to prove which metadata documents a
 * consolidated open reads); `overrides` replaces the bytes of some keys. Methods run on the
 * wrapped store; `withReadOnly` stays wrapped.
 */
export function recordingStore(
  inner: zarr.Store,
  log: string[],
  overrides: Map<string, Uint8Array> = new Map(),
): zarr.Store {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "get") {
        return (key: string, range?: zarr.RangeRequest) => {
          log.push(key);
          const o = overrides.get(key);
          if (o !== undefined && range === undefined) return Promise.resolve(o);
          return target.get(key, range);
        };
      }
      if (prop === "withReadOnly") {
        return (ro: boolean) => recordingStore(target.withReadOnly(ro), log, overrides);
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** Outcome of one array of a suite, for the summary table. */
export interface Row {
  path: string;
  inScope: boolean;
  result: "read" | "failed" | "out-of-scope-raises" | "read (beyond scope)" | "pending";
  note?: string;
}

/** Prints a summary table and the counts of a suite. */
export function printTable(title: string, rows: Row[]): void {
  const w = Math.max(10, ...rows.map((r) => r.path.length));
  const lines = [
    ``,
    `=== ${title} ===`,
    `${"array path".padEnd(w)} | in-scope | result`,
    `${"-".repeat(w)}-|----------|${"-".repeat(28)}`,
  ];
  for (const r of rows) {
    const note = r.note ? `  (${r.note})` : "";
    lines.push(
      `${r.path.padEnd(w)} | ${(r.inScope ? "yes" : "no").padEnd(8)} | ${r.result}${note}`,
    );
  }
  const inScope = rows.filter((r) => r.inScope);
  const ok = inScope.filter((r) => r.result === "read").length;
  const oos = rows.filter((r) => !r.inScope);
  const raises = oos.filter((r) => r.result === "out-of-scope-raises").length;
  const beyond = oos.filter((r) => r.result === "read (beyond scope)").length;
  lines.push(
    `${title}: in-scope read ok ${ok} of ${inScope.length}; out-of-scope ${oos.length} ` +
      `(raise a ZarrError: ${raises}, read exactly anyway: ${beyond})`,
  );
  console.log(lines.join("\n"));
}

/**
 * Opens and reads an out-of-scope array; it must raise a ZarrError subclass (`cls` when given).
 * If it reads instead (support landed later), `verify` must accept the data. Returns the row.
 */
export async function checkOutOfScope(
  path: string,
  open: () => Promise<zarr.AsyncArray>,
  cls: new (...args: never[]) => Error,
  verify: (nd: zarr.NDArray) => void | Promise<void>,
  reason: string,
): Promise<Row> {
  let nd: zarr.NDArray;
  try {
    const a = await open();
    nd = await a.getitem(null) as zarr.NDArray;
  } catch (e) {
    if (!(e instanceof zarr.ZarrError)) {
      throw new Error(`${path}: expected a ZarrError (${reason}), got ${String(e)}`, { cause: e });
    }
    const { name, message } = e;
    if (!(e instanceof cls)) {
      throw new Error(`${path}: expected ${cls.name} (${reason}), got ${name}: ${message}`, {
        cause: e,
      });
    }
    return { path, inScope: false, result: "out-of-scope-raises", note: `${reason}: ${e.name}` };
  }
  await verify(nd);
  return { path, inScope: false, result: "read (beyond scope)", note: reason };
}

/** Whether an array is in scope now, and what an out-of-scope one must raise. */
export interface Scope {
  inScope: boolean;
  reason: string;
  /** The error class an out-of-scope array must raise. */
  cls: new (...args: never[]) => Error;
}

/** The codecs, filters and object codecs the library supports now (see the task brief). */
export const V2_COMPRESSORS: ReadonlySet<string> = new Set([
  "zlib",
  "gzip",
  "zstd",
  "blosc",
  "lz4",
  "bz2",
  "lzma",
]);
export const V2_FILTERS: ReadonlySet<string> = new Set([
  "vlen-utf8",
  "vlen-bytes",
  "delta",
  "fixedscaleoffset",
  "astype",
  "quantize",
  "bitround",
  "packbits",
  "categorize",
  "shuffle",
  "adler32",
  "fletcher32",
  "crc32",
  "crc32c",
]);
const OBJECT_CODECS = new Set(["vlen-utf8", "vlen-bytes", "categorize"]);
export const V3_CODECS: ReadonlySet<string> = new Set([
  "bytes",
  "transpose",
  "gzip",
  "zstd",
  "crc32c",
  "vlen-utf8",
  "vlen-bytes",
  "numcodecs.zlib",
  "numcodecs.gzip",
  "numcodecs.zstd",
  "numcodecs.delta",
  "blosc",
  "numcodecs.blosc",
  "numcodecs.lz4",
  "numcodecs.bz2",
  "numcodecs.lzma",
  "sharding_indexed",
  "numcodecs.fixedscaleoffset",
  "numcodecs.astype",
  "numcodecs.quantize",
  "numcodecs.bitround",
  "numcodecs.packbits",
  "numcodecs.categorize",
  "numcodecs.shuffle",
  "numcodecs.adler32",
  "numcodecs.fletcher32",
  "numcodecs.crc32",
  "numcodecs.crc32c",
]);
const V3_DTYPE_NAMES = new Set([
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float16",
  "float32",
  "float64",
  "complex64",
  "complex128",
  "string",
  "variable_length_bytes",
  "fixed_length_utf32",
  "null_terminated_bytes",
  "raw_bytes",
  "structured",
  "struct",
  "numpy.datetime64",
  "numpy.timedelta64",
]);

/** The parts of a `.zarray` that decide the scope. */
export interface V2Zarray {
  compressor: { id: string } | null;
  dtype: string | unknown[];
  filters: { id: string }[] | null;
}

/** Decides from a `.zarray` alone whether an array is in scope now. */
export function classifyV2(z: V2Zarray): Scope {
  const ids = [...(z.filters ?? []).map((f) => f.id), ...(z.compressor ? [z.compressor.id] : [])];
  if (z.dtype === "|O" && !ids.some((id) => OBJECT_CODECS.has(id))) {
    return { inScope: false, reason: `object codec ${ids[0] ?? "none"}`, cls: zarr.ZarrError };
  }
  const unknown = [
    ...(z.filters ?? []).filter((f) => !V2_FILTERS.has(f.id)).map((f) => `filter ${f.id}`),
    ...(z.compressor && !V2_COMPRESSORS.has(z.compressor.id)
      ? [`compressor ${z.compressor.id}`]
      : []),
  ];
  if (unknown.length) {
    return { inScope: false, reason: unknown.join(", "), cls: zarr.UnknownCodecError };
  }
  return { inScope: true, reason: "", cls: zarr.ZarrError };
}

function v3CodecNames(codecs: unknown[], out: string[] = []): string[] {
  for (const c of codecs) {
    const name = typeof c === "string" ? c : (c as { name: string }).name;
    out.push(name);
    const cfg = typeof c === "object"
      ? (c as { configuration?: Record<string, unknown> }).configuration
      : undefined;
    for (const k of ["codecs", "index_codecs"]) {
      if (cfg && Array.isArray(cfg[k])) v3CodecNames(cfg[k] as unknown[], out);
    }
  }
  return out;
}

/** Decides from a v3 `zarr.json` alone whether an array is in scope now. */
export function classifyV3(doc: { data_type: unknown; codecs: unknown[] }): Scope {
  const dt = doc.data_type;
  const dtName = typeof dt === "string" ? dt : (dt as { name?: string })?.name;
  if (typeof dtName !== "string" || !V3_DTYPE_NAMES.has(dtName)) {
    return { inScope: false, reason: `data type ${JSON.stringify(dt)}`, cls: zarr.ZarrError };
  }
  const unknown = [...new Set(v3CodecNames(doc.codecs).filter((n) => !V3_CODECS.has(n)))];
  if (unknown.length) {
    return { inScope: false, reason: unknown.join(", "), cls: zarr.UnknownCodecError };
  }
  return { inScope: true, reason: "", cls: zarr.ZarrError };
}

/**
 * The `.zmetadata` of `store` without the entries of `drop` (array paths): proves the
 * consolidated path while one unsupported entry makes the real document unreadable as a whole.
 * The library's JSON reader/writer keep 64-bit integers (fill values) exact.
 */
export async function filterZmetadata(
  store: zarr.Store,
  drop: ReadonlySet<string>,
  key = ".zmetadata",
): Promise<Uint8Array> {
  const doc = parseJSONBytes((await store.get(key))!) as { metadata: Record<string, unknown> };
  for (const k of Object.keys(doc.metadata)) {
    if (drop.has(k.slice(0, k.lastIndexOf("/")))) delete doc.metadata[k];
  }
  return jsonBytes(doc);
}

/** Reads an array fully. */
export async function readAll(
  store: zarr.Store,
  path: string,
  zarrFormat?: 2 | 3,
): Promise<zarr.NDArray> {
  const a = await zarr.openArray({ store, path, mode: "r", zarrFormat });
  return await a.getitem(null) as zarr.NDArray;
}
