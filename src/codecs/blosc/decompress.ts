/**
 * Decoding of c-blosc 1.x buffers: header validation, memcpyed buffers, the block offset table,
 * split streams, every inner compressor, and the byte / bit unshuffle per block (the leftover
 * tail that is not a whole element, or not a whole group of 8 elements for bit shuffle, stays as
 * it is). Every size is checked against the buffer before it is used, so corrupt or truncated
 * input raises {@link CodecError} instead of reading out of bounds or allocating without limit.
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
import { CodecError } from "../../errors.ts";
import { errorMessage } from "../common.ts";
import {
  BLOSC_HEADER_LENGTH,
  BLOSC_MAX_SPLITS,
  BLOSC_MIN_BUFFERSIZE,
  FLAG_BITSHUFFLE,
  FLAG_SHUFFLE,
  readBloscHeader,
  readU32,
} from "./header.ts";
import { decompressStream, MAX_RATIO } from "./inner.ts";
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
 * Decodes one c-blosc 1.x buffer. Raises {@link CodecError} on malformed, truncated or
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
  const h = readBloscHeader(bytes);
  const { nbytes, blocksize, cbytes, typesize } = h;
  const max = options.maxOutputLength;
  if (max !== undefined && nbytes > max) {
    throw new CodecError(
      `blosc: the header declares ${nbytes} decoded bytes, more than the expected maximum of ${max}`,
    );
  }
  if (nbytes === 0) return new Uint8Array(0);
  if (h.memcpyed) {
    if (cbytes !== nbytes + BLOSC_HEADER_LENGTH) {
      throw new CodecError(
        `blosc: memcpyed buffer of ${cbytes} bytes cannot hold ${nbytes} decoded bytes`,
      );
    }
    return bytes.slice(BLOSC_HEADER_LENGTH, BLOSC_HEADER_LENGTH + nbytes);
  }
  const format = h.format;
  if (format === undefined) {
    throw new CodecError(`blosc: unknown inner compressor code ${h.flags >>> 5}`);
  }
  if (h.versionlz !== 1) {
    throw new CodecError(`blosc: unsupported ${format} format version ${h.versionlz}`);
  }
  const leftover = nbytes % blocksize;
  const nblocks = (nbytes - leftover) / blocksize + (leftover > 0 ? 1 : 0);
  const tableEnd = BLOSC_HEADER_LENGTH + 4 * nblocks;
  if (tableEnd > cbytes) {
    throw new CodecError(
      `blosc: truncated buffer: ${nblocks} block offsets do not fit in ${cbytes} bytes`,
    );
  }
  if (max === undefined && nbytes > (cbytes - tableEnd) * MAX_RATIO[format]) {
    throw new CodecError(
      `blosc: the header declares ${nbytes} decoded bytes, more than ${cbytes} bytes of ` +
        `${format} data can hold`,
    );
  }
  const flags = h.flags;
  const out = new Uint8Array(nbytes);
  const byteShuffle = (flags & FLAG_SHUFFLE) !== 0 && typesize > 1;
  const tmp = byteShuffle || (flags & FLAG_BITSHUFFLE) ? tmpBuffer(blocksize) : out;
  for (let j = 0; j < nblocks; j++) {
    const leftoverBlock = j === nblocks - 1 && leftover > 0;
    const bsize = leftoverBlock ? leftover : blocksize;
    const start = j * blocksize;
    const bitShuffle = !byteShuffle && (flags & FLAG_BITSHUFFLE) !== 0 && bsize >= typesize;
    const nsplits = !h.dontSplit && !leftoverBlock && typesize <= BLOSC_MAX_SPLITS &&
        Math.floor(bsize / typesize) >= BLOSC_MIN_BUFFERSIZE
      ? typesize
      : 1;
    const neblock = Math.floor(bsize / nsplits);
    if (neblock * nsplits !== bsize) {
      throw new CodecError(`blosc: block size ${bsize} is not a multiple of typesize ${typesize}`);
    }
    const target = byteShuffle || bitShuffle ? tmp : out;
    let tp = target === out ? start : 0;
    let sp = readU32(bytes, BLOSC_HEADER_LENGTH + 4 * j);
    for (let s = 0; s < nsplits; s++) {
      if (sp > cbytes - 4) {
        throw new CodecError(`blosc: block ${j}: stream offset ${sp} outside the buffer`);
      }
      const csize = readU32(bytes, sp);
      sp += 4;
      if (csize > cbytes - sp) {
        throw new CodecError(
          `blosc: block ${j}: stream of ${csize} bytes at ${sp} runs past the buffer end`,
        );
      }
      if (csize === neblock) {
        target.set(bytes.subarray(sp, sp + neblock), tp);
      } else {
        try {
          decompressStream(format, bytes, sp, sp + csize, target, tp, tp + neblock);
        } catch (e) {
          throw new CodecError(`blosc: block ${j}: ${errorMessage(e)}`, { cause: e });
        }
      }
      sp += csize;
      tp += neblock;
    }
    if (byteShuffle) unshuffleBlock(typesize, bsize, tmp, 0, out, start);
    else if (bitShuffle) bitunshuffleBlock(typesize, bsize, tmp, 0, out, start);
  }
  return out;
}
