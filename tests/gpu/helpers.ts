/**
 * Shared helpers of the GPU case files (run by `gpu_test.ts` once per WebGPU backend): the
 * adapter (fails under CI=true when missing, skips with a printed reason otherwise), bit-exact
 * comparison against the CPU path with a per-file counter, and deterministic test data.
 * @module
 */
import * as zarr from "../../mod.ts";
import nodeAssert from "node:assert/strict";
import { parseDataType } from "../../src/metadata/dtype.ts";

/** Asserts a condition. */
export function assert(c: unknown, msg?: string): asserts c {
  nodeAssert.ok(c, msg);
}

/** Deep strict equality. */
export function assertEquals(a: unknown, b: unknown, msg?: string): void {
  nodeAssert.deepStrictEqual(a, b, msg);
}

let proto: zarr.gpu.WebGPUPrototype | undefined;
let reason = "";
try {
  proto = await zarr.gpu.webgpu();
} catch (e) {
  reason = (e as Error).message;
}
// release the device before the runtime tears down (Mesa's GL backend could abort at exit with
// "corrupted size vs. prev_size" when the device was still alive then)
globalThis.addEventListener("unload", () => proto?.device.destroy());
if (!proto) {
  if (Deno.env.get("CI") === "true") {
    Deno.test("gpu: a WebGPU adapter exists (CI)", () => {
      throw new Error(`no WebGPU adapter under CI: ${reason}`);
    });
  } else console.log(`SKIP gpu tests: ${reason}`);
}

/** A test that runs only when an adapter exists; the prototype's knobs are reset after it. */
export function gtest(name: string, fn: (p: zarr.gpu.WebGPUPrototype) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !proto,
    fn: async () => {
      const p = proto!;
      const saved = [p.arenaBytes, p.maxBindingBytes, p.doubleBuffer] as const;
      try {
        await fn(p);
      } finally {
        [p.arenaBytes, p.maxBindingBytes, p.doubleBuffer] = saved;
      }
    },
  });
}

/** The packed bytes of a CPU NDArray (records of structured / `V` / `S` types packed). */
export function bytesOf(a: zarr.NDArray): Uint8Array {
  const dt = parseDataType(a.dtype);
  const n = a.shape.reduce((x, y) => x * y, 1);
  if (Array.isArray(a.data)) {
    const out = new Uint8Array(n * dt.itemsize);
    (a.data as Uint8Array[]).forEach((r, i) => out.set(r, i * dt.itemsize));
    return out;
  }
  const v = a.data as unknown as ArrayBufferView;
  return new Uint8Array(v.buffer, v.byteOffset, n * dt.itemsize);
}

/** Bit-exact comparisons made by this process (printed by {@link reportCount}). */
export const counter = { reads: 0 };

/**
 * Reads `sel` on the CPU and on the device and asserts equal shape, dtype and bytes (and, for
 * record types, the same record lengths, since `S` values are NUL-stripped on the host).
 */
export async function assertSame(
  p: zarr.gpu.WebGPUPrototype,
  arr: zarr.AsyncArray,
  sel: string | null,
  what: string,
): Promise<void> {
  const want = await arr.getitem(sel);
  const g = await arr.getitem(sel, { prototype: p });
  assert(g instanceof zarr.gpu.GPUNDArray, `${what}: not a GPUNDArray`);
  const got = await g.toHost();
  g.destroy();
  assertEquals(got.shape, want.shape, `${what} ${sel}: shape`);
  assertEquals(got.dtype, want.dtype, `${what} ${sel}: dtype`);
  assertEquals(bytesOf(got), bytesOf(want), `${what} ${sel}: bytes differ`);
  if (Array.isArray(want.data)) {
    assertEquals(
      (got.data as Uint8Array[]).map((r) => r.length),
      (want.data as Uint8Array[]).map((r) => r.length),
      `${what} ${sel}: record lengths`,
    );
  }
  counter.reads++;
}

/** Registers a last test that prints `BITEXACT <label> <n>` for the runner to sum. */
export function reportCount(label: string): void {
  Deno.test({
    name: `gpu: ${label} bit-exact count`,
    ignore: !proto,
    fn: () => console.log(`BITEXACT ${label} ${counter.reads}`),
  });
}

/** Deterministic pseudo-random bytes (an LCG), `n` of them. */
export function randomBytes(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const raw = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < raw.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    raw[i] = s >>> 24;
  }
  return raw;
}

const CTORS: Record<string, new (b: ArrayBuffer, o: number, n: number) => unknown> = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float16: Float16Array,
  float32: Float32Array,
  float64: Float64Array,
  complex64: Float32Array,
  complex128: Float64Array,
};

/**
 * Quiets signaling NaNs among float32 words (sets bit 22). The CPU read path copies complex64
 * values through float loads on strided reads, which quiets them (a CPU-side defect reported
 * separately); the device keeps every bit, so bit-exact comparisons of complex64 data use quiet
 * NaNs. The GPU keeps signaling payloads too, see the known-answer case in `cases.ts`.
 */
function quietFloat32(raw: Uint8Array<ArrayBuffer>): void {
  const w = new Uint32Array(raw.buffer, 0, raw.length >>> 2);
  for (let i = 0; i < w.length; i++) {
    if ((w[i] & 0x7f800000) === 0x7f800000 && (w[i] & 0x7fffff) !== 0) w[i] |= 0x400000;
  }
}

/**
 * `n` elements of deterministic pseudo-random bytes reinterpreted as the dtype (NaNs and
 * subnormals included; bools 0/1; record types as `Uint8Array` records). With `smooth`, the
 * higher bytes of each element are mostly zero, so shuffled blosc blocks compress (random bytes
 * would be stored memcpyed, skipping the shuffle).
 */
export function randomData(dtype: string, n: number, seed: number, smooth = false): zarr.NDArray {
  const dt = parseDataType(dtype);
  const raw = randomBytes(n * dt.itemsize, seed);
  if (smooth) {
    const B = dt.itemsize;
    for (let i = 0; i < raw.length; i++) {
      const j = i % B;
      raw[i] &= j === 0 ? (B === 1 ? 0x07 : 0xff) : j === 1 ? 0x0f : 0x01;
    }
  }
  if (dtype === "complex64") quietFloat32(raw);
  if (dt.kind === "V" || dt.kind === "S") {
    const recs: Uint8Array[] = [];
    for (let i = 0; i < n; i++) recs.push(raw.slice(i * dt.itemsize, (i + 1) * dt.itemsize));
    return { data: recs, shape: [n], stride: [1], dtype: dt.str } as unknown as zarr.NDArray;
  }
  if (dtype === "bool") { for (let i = 0; i < raw.length; i++) raw[i] &= 1; }
  const slots = dt.kind === "complex" ? 2 : 1;
  const data = new CTORS[dtype](raw.buffer, 0, n * slots);
  return { data, shape: [n], stride: [1], dtype: dt.str } as zarr.NDArray;
}
