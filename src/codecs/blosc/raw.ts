/**
 * Decompression of a c-blosc 1.x buffer without the final unshuffle: every block is decoded in
 * place, and what is left to undo (byte shuffle or bit shuffle, per block) is reported with the
 * typesize and block size, so another stage (the WebGPU read path) can unshuffle many chunks at
 * once. {@link bloscUnshuffleRaw} finishes the job on the CPU; the pair gives exactly the bytes
 * of `bloscDecompress`.
 *
 * Per-block rules left to the unshuffle (c-blosc 1.x's): byte shuffle only with `typesize > 1`,
 * each block's tail that is not a whole element stays as it is; bit shuffle only on blocks whose
 * element count is a non-zero multiple of 8 (other blocks are stored plain), again with the
 * partial-element tail as it is. The last block may be shorter than `blocksize`.
 *
 * @example
 * ```ts
 * import { bloscCompress } from "./compress.ts";
 * import { bloscDecompressRaw, bloscUnshuffleRaw } from "./raw.ts";
 * const data = new Uint8Array(new Uint32Array(2000).map((_, i) => i).buffer);
 * const packed = bloscCompress(data, { cname: "lz4", clevel: 5, shuffle: 1, typesize: 4 });
 * const raw = bloscDecompressRaw(packed);
 * console.log(raw.shuffle, raw.typesize); // shuffle 4
 * console.log(bloscUnshuffleRaw(raw).every((b, i) => b === data[i])); // true
 * ```
 * @module
 */
import { type BloscShuffle, FLAG_BITSHUFFLE, FLAG_SHUFFLE } from "./header.ts";
import { blockLayout, decodeBlockStreams, planBlocks } from "./blocks.ts";
import { bitunshuffleBlock, unshuffleBlock } from "./shuffle.ts";

/** A decompressed but still shuffled blosc buffer. */
export interface BloscRaw {
  /** The decoded bytes, each block still in its shuffled layout. */
  data: Uint8Array;
  /**
   * The shuffle left to undo: `"noshuffle"` when nothing is (memcpyed buffers, byte shuffle of
   * 1-byte elements, no shuffle flag).
   */
  shuffle: BloscShuffle;
  /** Element size of the shuffle. */
  typesize: number;
  /** Block size (the last block holds the rest, `nbytes % blocksize` when non-zero). */
  blocksize: number;
  /** Decoded size. */
  nbytes: number;
}

/** Options of {@link bloscDecompressRaw}. */
export interface BloscRawOptions {
  /** Largest decoded size accepted (a larger header claim fails before any allocation). */
  maxOutputLength?: number;
}

/**
 * Decompresses the blocks of one c-blosc 1.x buffer without unshuffling them. Validation and
 * errors are those of `bloscDecompress` (`CodecError` on malformed, truncated or
 * oversized input).
 *
 * @example
 * ```ts
 * import { bloscDecompressRaw } from "./raw.ts";
 * // a memcpyed buffer holding [1, 2, 3]: nothing to unshuffle
 * const b = new Uint8Array([2, 1, 0x02, 1, 3, 0, 0, 0, 3, 0, 0, 0, 19, 0, 0, 0, 1, 2, 3]);
 * const r = bloscDecompressRaw(b);
 * console.log(r.data, r.shuffle); // Uint8Array [1, 2, 3] noshuffle
 * ```
 */
export function bloscDecompressRaw(bytes: Uint8Array, options: BloscRawOptions = {}): BloscRaw {
  const plan = planBlocks(bytes, options.maxOutputLength);
  const h = plan.header;
  const { nbytes, blocksize, typesize } = h;
  const plain = (data: Uint8Array): BloscRaw => ({
    data,
    shuffle: "noshuffle",
    typesize: Math.max(1, typesize),
    blocksize: Math.max(1, blocksize),
    nbytes,
  });
  if (plan.kind === "empty") return plain(new Uint8Array(0));
  if (plan.kind === "memcpyed") return plain(plan.data.slice());
  const out = new Uint8Array(nbytes);
  for (let j = 0; j < plan.nblocks; j++) {
    const b = blockLayout(plan, j);
    decodeBlockStreams(plan, bytes, j, b, out, b.start);
  }
  const byteShuffle = (h.flags & FLAG_SHUFFLE) !== 0 && typesize > 1;
  const shuffle: BloscShuffle = byteShuffle
    ? "shuffle"
    : (h.flags & FLAG_BITSHUFFLE) !== 0
    ? "bitshuffle"
    : "noshuffle";
  return { data: out, shuffle, typesize, blocksize, nbytes };
}

/**
 * Undoes the shuffle a {@link BloscRaw} reports, block by block, on the CPU (the reference the
 * GPU unshuffle stage is tested against). Returns `raw.data` itself when nothing is shuffled.
 *
 * @example
 * ```ts
 * import { bloscUnshuffleRaw } from "./raw.ts";
 * const raw = { data: new Uint8Array([1, 3, 2, 4]), shuffle: "shuffle" as const, typesize: 2, blocksize: 4, nbytes: 4 };
 * console.log(bloscUnshuffleRaw(raw)); // Uint8Array [1, 2, 3, 4]
 * ```
 */
export function bloscUnshuffleRaw(raw: BloscRaw): Uint8Array {
  const { data, shuffle, typesize, blocksize, nbytes } = raw;
  if (shuffle === "noshuffle") return data;
  const out = new Uint8Array(nbytes);
  for (let start = 0; start < nbytes; start += blocksize) {
    const bsize = Math.min(blocksize, nbytes - start);
    if (shuffle === "shuffle") unshuffleBlock(typesize, bsize, data, start, out, start);
    else if (bsize >= typesize) bitunshuffleBlock(typesize, bsize, data, start, out, start);
    else out.set(data.subarray(start, start + bsize), start);
  }
  return out;
}
