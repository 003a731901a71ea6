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
import { CodecError } from "../../errors.ts";
import { errorMessage } from "../common.ts";
import {
  BLOSC_HEADER_LENGTH,
  BLOSC_MAX_SPLITS,
  BLOSC_MIN_BUFFERSIZE,
  type BloscShuffle,
  FLAG_BITSHUFFLE,
  FLAG_SHUFFLE,
  readBloscHeader,
  readU32,
} from "./header.ts";
import { decompressStream, MAX_RATIO } from "./inner.ts";
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
 * errors are those of `bloscDecompress` ({@link CodecError} on malformed, truncated or
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
  const h = readBloscHeader(bytes);
  const { nbytes, blocksize, cbytes, typesize } = h;
  const max = options.maxOutputLength;
  if (max !== undefined && nbytes > max) {
    throw new CodecError(
      `blosc: the header declares ${nbytes} decoded bytes, more than the expected maximum of ${max}`,
    );
  }
  const plain = (data: Uint8Array): BloscRaw => ({
    data,
    shuffle: "noshuffle",
    typesize: Math.max(1, typesize),
    blocksize: Math.max(1, blocksize),
    nbytes,
  });
  if (nbytes === 0) return plain(new Uint8Array(0));
  if (h.memcpyed) {
    if (cbytes !== nbytes + BLOSC_HEADER_LENGTH) {
      throw new CodecError(
        `blosc: memcpyed buffer of ${cbytes} bytes cannot hold ${nbytes} decoded bytes`,
      );
    }
    return plain(bytes.slice(BLOSC_HEADER_LENGTH, BLOSC_HEADER_LENGTH + nbytes));
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
  const out = new Uint8Array(nbytes);
  for (let j = 0; j < nblocks; j++) {
    const leftoverBlock = j === nblocks - 1 && leftover > 0;
    const bsize = leftoverBlock ? leftover : blocksize;
    const nsplits = !h.dontSplit && !leftoverBlock && typesize <= BLOSC_MAX_SPLITS &&
        Math.floor(bsize / typesize) >= BLOSC_MIN_BUFFERSIZE
      ? typesize
      : 1;
    const neblock = Math.floor(bsize / nsplits);
    if (neblock * nsplits !== bsize) {
      throw new CodecError(`blosc: block size ${bsize} is not a multiple of typesize ${typesize}`);
    }
    let tp = j * blocksize;
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
        out.set(bytes.subarray(sp, sp + neblock), tp);
      } else {
        try {
          decompressStream(format, bytes, sp, sp + csize, out, tp, tp + neblock);
        } catch (e) {
          throw new CodecError(`blosc: block ${j}: ${errorMessage(e)}`, { cause: e });
        }
      }
      sp += csize;
      tp += neblock;
    }
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
