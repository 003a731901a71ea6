/**
 * The WebAssembly blosc block encoder (built from `./wasm/kernels.as.ts`): one call shuffles a
 * block with SIMD and encodes its split streams with LZ4, byte for byte as the TypeScript path
 * (`./shuffle.ts`, `./lz4_fast.ts`) does, about twice as fast. The module is instantiated on
 * first use in each thread (a few KiB, compiled at once); where WebAssembly or its SIMD is
 * missing, {@link lz4BlockEncoder} answers `undefined` and the TypeScript path runs.
 *
 * @example
 * ```ts
 * import { lz4BlockEncoder } from "./wasm_kernels.ts";
 * const enc = lz4BlockEncoder(4096);
 * const block = new Uint8Array(new Float32Array(1024).fill(2.5).buffer);
 * const out = new Uint8Array(4096 + 64);
 * const n = enc?.encode(block, 0, 4096, 4, true, 4, 5, out, 0, out.length);
 * console.log(n === undefined || n < 200); // true
 * ```
 * @module
 */
import { KERNELS_WASM_BASE64 } from "./wasm/kernels_wasm.ts";

/** Slack after each region: the kernels read and write up to 16 bytes past a stream's end. */
const SLACK = 64;
/** Blocks above this size are left to the TypeScript path. */
const MAX_BLOCK = 1 << 24;

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  lz4Block(
    src: number,
    size: number,
    typesize: number,
    doShuffle: number,
    nsplits: number,
    acceleration: number,
    tmp: number,
    out: number,
    cap: number,
  ): number;
}

/** Encodes one blosc block with LZ4 streams (see {@link lz4BlockEncoder}). */
export interface Lz4BlockEncoder {
  /**
   * Encodes the block `src[srcPos, srcPos + size)`: byte-shuffled with `typesize` when
   * `shuffle`, cut into `nsplits` streams, each written to `dest` at `destPos` as c-blosc does
   * (a 4-byte size, then the LZ4 block or the raw stream). `cap` is the room left in `dest`.
   * Returns the bytes written, or -1 when they do not fit `cap`.
   */
  encode(
    src: Uint8Array,
    srcPos: number,
    size: number,
    typesize: number,
    shuffle: boolean,
    nsplits: number,
    acceleration: number,
    dest: Uint8Array,
    destPos: number,
    cap: number,
  ): number;
}

let exports: Exports | null | undefined;
let enabled = true;

function instance(): Exports | null {
  if (exports !== undefined) return exports;
  try {
    const bin = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bin), {});
    exports = inst.exports as unknown as Exports;
  } catch {
    exports = null; // no WebAssembly, or no SIMD
  }
  return exports;
}

/**
 * Turns the WebAssembly kernels off (`false`: every block takes the TypeScript path) or back
 * on. For tests and measurements; the output is the same either way.
 *
 * @example
 * ```ts
 * import { useWasmKernels } from "./wasm_kernels.ts";
 * useWasmKernels(false);
 * useWasmKernels(true);
 * ```
 */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}

/** Where the regions are: laid out for blocks of `block` bytes and an output area of `area`. */
interface Layout {
  block: number;
  area: number;
  inP: number;
  tmpP: number;
  outP: number;
  areaP: number;
}

let layout: Layout | undefined;
/** Whether the output area is lent out (the layout may not change meanwhile). */
let areaLent = false;

/**
 * Lays the regions out for blocks up to `block` bytes and an output area of `area` bytes
 * (keeping larger earlier sizes), growing the memory; `undefined` when it cannot.
 */
function fit(ex: Exports, block: number, area: number): Layout | undefined {
  if (layout && layout.block >= block && layout.area >= area) return layout;
  if (areaLent) return undefined; // a lent area must not move
  block = Math.max(block, layout?.block ?? 0);
  area = Math.max(area, layout?.area ?? 0);
  const inP = ex.heapBase();
  const tmpP = inP + block + SLACK;
  const outP = tmpP + block + SLACK;
  // a block's output: every stream raw plus its 4-byte size (at most 255 streams)
  const areaP = outP + block + 4 * 256 + SLACK;
  const need = areaP + area + SLACK;
  const mem = ex.memory;
  if (mem.buffer.byteLength < need) {
    try {
      mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
    } catch {
      return undefined;
    }
  }
  layout = { block, area, inP, tmpP, outP, areaP };
  return layout;
}

/** An output buffer inside the kernels' memory, lent until {@link AreaLease.release}. */
export interface AreaLease {
  /** The buffer (blocks encoded into it skip the copy out of the kernels' memory). */
  bytes: Uint8Array;
  /** Gives the buffer back. */
  release(): void;
}

/**
 * Lends an output buffer of `size` bytes inside the kernels' memory, for encoding chunks of up
 * to `maxBlock` bytes straight into it (see {@link Lz4BlockEncoder.encode}); `undefined` when
 * the kernels are unavailable or the buffer is already lent. The memory does not move while it
 * is lent.
 *
 * @example
 * ```ts
 * import { lendOutputArea } from "./wasm_kernels.ts";
 * const lease = lendOutputArea(1 << 16, 1 << 16);
 * console.log(lease === undefined || lease.bytes.length === 1 << 16); // true
 * lease?.release();
 * ```
 */
export function lendOutputArea(size: number, maxBlock: number): AreaLease | undefined {
  if (!enabled || areaLent || maxBlock > MAX_BLOCK || size > MAX_BLOCK + 4096) return undefined;
  const ex = instance();
  const l = ex ? fit(ex, maxBlock, size) : undefined;
  if (!ex || !l) return undefined;
  areaLent = true;
  let lent = true;
  return {
    bytes: new Uint8Array(ex.memory.buffer, l.areaP, size),
    release() {
      if (lent) areaLent = false;
      lent = false;
    },
  };
}

/**
 * The WebAssembly block encoder for blocks up to `maxBlock` bytes, its memory grown to fit;
 * `undefined` when the kernels are off or unavailable, or the block is too large.
 *
 * @example
 * ```ts
 * import { lz4BlockEncoder } from "./wasm_kernels.ts";
 * console.log(lz4BlockEncoder(1 << 30)); // undefined (too large)
 * ```
 */
export function lz4BlockEncoder(maxBlock: number): Lz4BlockEncoder | undefined {
  if (!enabled || maxBlock > MAX_BLOCK) return undefined;
  const ex = instance();
  const l = ex ? fit(ex, maxBlock, 0) : undefined;
  if (!ex || !l) return undefined;
  const mem = ex.memory;
  return {
    encode(src, srcPos, size, typesize, shuffle, nsplits, acceleration, dest, destPos, cap) {
      const u8 = new Uint8Array(mem.buffer);
      u8.set(src.subarray(srcPos, srcPos + size), l.inP);
      const room = Math.min(cap, size + 4 * nsplits);
      // straight into `dest` when it is the lent area, else through the block output region
      const direct = dest.buffer === mem.buffer;
      const out = direct ? dest.byteOffset + destPos : l.outP;
      const sh = shuffle ? 1 : 0;
      const n = ex.lz4Block(l.inP, size, typesize, sh, nsplits, acceleration, l.tmpP, out, room);
      if (n > 0 && !direct) dest.set(u8.subarray(out, out + n), destPos);
      return n;
    },
  };
}
