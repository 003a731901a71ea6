/**
 * Decoding of c-blosc 1.x buffers: header validation, memcpyed buffers, the block offset table,
 * split streams, every inner compressor, and the byte / bit unshuffle per block (the leftover
 * tail that is not a whole element, or not a whole group of 8 elements for bit shuffle, stays as
 * it is). Every size is checked against the buffer before it is used, so corrupt or truncated
 * input raises `CodecError` instead of reading out of bounds or allocating without limit.
 *
 * @example
 * ```ts
 * import { bloscCompress } from "./compress.ts";
 * import { bloscDecompress } from "./decompress.ts";
 * const data = new Uint8Array(new Float32Array(1000).fill(1.5).buffer);
 * const packed = bloscCompress(data, { cname: "lz4", clevel: 5, shuffle: 1, typesize: 4 });
 * console.log(bloscDecompress(packed).length); // 4000
 * ```
 * @module
 */
import { FLAG_BITSHUFFLE, FLAG_SHUFFLE } from "./header.ts";
import { blockLayout, decodeBlockStreams, planBlocks } from "./blocks.ts";
import { bitunshuffleBlock, unshuffleBlock } from "./shuffle.ts";

/** Options of {@link bloscDecompress}. */
export interface BloscDecompressOptions {
  /** Largest decoded size accepted (a larger header claim fails before any allocation). */
  maxOutputLength?: number;
}

/** Scratch kept between calls for blocks up to this size. */
const KEEP_SCRATCH = 1 << 24;
let scratch = new Uint8Array(0);

function tmpBuffer(size: number): Uint8Array {
  if (scratch.length >= size) return scratch;
  const b = new Uint8Array(size);
  if (size <= KEEP_SCRATCH) scratch = b;
  return b;
}

/**
 * Decodes one c-blosc 1.x buffer. Raises `CodecError` on malformed, truncated or
 * oversized input (decoded size above `maxOutputLength`, or, without it, above what the
 * encoded bytes can stand for with the inner compressor).
 *
 * @example
 * ```ts
 * import { bloscDecompress } from "./decompress.ts";
 * // a memcpyed buffer holding [1, 2, 3]
 * const b = new Uint8Array([2, 1, 0x02, 1, 3, 0, 0, 0, 3, 0, 0, 0, 19, 0, 0, 0, 1, 2, 3]);
 * console.log(bloscDecompress(b)); // Uint8Array [1, 2, 3]
 * ```
 */
export function bloscDecompress(
  bytes: Uint8Array,
  options: BloscDecompressOptions = {},
): Uint8Array {
  const plan = planBlocks(bytes, options.maxOutputLength);
  if (plan.kind === "empty") return new Uint8Array(0);
  if (plan.kind === "memcpyed") return plan.data.slice();
  const { nbytes, blocksize, typesize, flags } = plan.header;
  const out = new Uint8Array(nbytes);
  const byteShuffle = (flags & FLAG_SHUFFLE) !== 0 && typesize > 1;
  const tmp = byteShuffle || (flags & FLAG_BITSHUFFLE) ? tmpBuffer(blocksize) : out;
  for (let j = 0; j < plan.nblocks; j++) {
    const b = blockLayout(plan, j);
    const { bsize, start } = b;
    const bitShuffle = !byteShuffle && (flags & FLAG_BITSHUFFLE) !== 0 && bsize >= typesize;
    const target = byteShuffle || bitShuffle ? tmp : out;
    decodeBlockStreams(plan, bytes, j, b, target, target === out ? start : 0);
    if (byteShuffle) unshuffleBlock(typesize, bsize, tmp, 0, out, start);
    else if (bitShuffle) bitunshuffleBlock(typesize, bsize, tmp, 0, out, start);
  }
  return out;
}
