/**
 * Encoding of c-blosc 1.x buffers: the automatic block size (c-blosc's policy: a multiple of the
 * 32 KiB L1 size by compression level, doubled for the high-ratio compressors, enlarged for
 * split blocks), per-block byte or bit shuffle with the real element size, split streams
 * (one per byte of the element, except for zstd and for small blocks), the raw-stream fallback
 * for incompressible streams and the memcpyed fallback for tiny or incompressible buffers.
 *
 * Perf: LZ4 blocks with byte shuffle (or none) go through the WebAssembly kernels
 * (`./wasm_kernels.ts`: SIMD shuffle and the same LZ4 encoder, byte-identical output); other
 * blocks, or every block where WebAssembly is missing, take the TypeScript shuffles and inner
 * compressors. {@link bloscCompressInto} writes into a caller's (possibly shared) buffer.
 *
 * @example
 * ```ts
 * import { bloscCompress } from "./compress.ts";
 * const data = new Uint8Array(new Int16Array(5000).fill(7).buffer);
 * const packed = bloscCompress(data, { cname: "zstd", clevel: 5, shuffle: 1, typesize: 2 });
 * console.log(packed.length < 200); // true
 * ```
 * @module
 */
import { ZarrValueError } from "../../errors.ts";
import {
  BLOSC_HEADER_LENGTH,
  BLOSC_MAX_BLOCKSIZE,
  BLOSC_MAX_BUFFERSIZE,
  BLOSC_MAX_SPLITS,
  BLOSC_MAX_TYPESIZE,
  BLOSC_MIN_BUFFERSIZE,
  type BloscCname,
  FLAG_BITSHUFFLE,
  FLAG_DONT_SPLIT,
  FLAG_MEMCPYED,
  FLAG_SHUFFLE,
  formatCode,
  writeBloscHeader,
  writeU32,
} from "./header.ts";
import { compressStream } from "./inner.ts";
import { snappyMaxCompressedLength } from "./snappy.ts";
import { bitshuffleBlock, shuffleBlock } from "./shuffle.ts";
import { lz4BlockEncoder } from "./wasm_kernels.ts";

/** Options of {@link bloscCompress}. */
export interface BloscCompressOptions {
  /** Inner compressor. */
  cname: BloscCname;
  /** Compression level 0-9 (0 stores the data memcpyed). */
  clevel: number;
  /** 0 no shuffle, 1 byte shuffle, 2 bit shuffle. */
  shuffle: 0 | 1 | 2;
  /** Element size in bytes (values above 255 are coded as 1, as c-blosc does). */
  typesize: number;
  /** Block size in bytes; 0 (default) chooses it automatically. */
  blocksize?: number;
}

const L1 = 32 * 1024;

function highRatio(cname: BloscCname): boolean {
  return cname === "lz4hc" || cname === "zlib" || cname === "zstd";
}

/**
 * Whether blocks of `blocksize` bytes are split into one stream per byte of the element
 * (c-blosc's default "forward compatible" split mode: never for zstd).
 *
 * @example
 * ```ts
 * import { splitBlock } from "./compress.ts";
 * console.log(splitBlock("lz4", 4, 131072), splitBlock("zstd", 4, 131072)); // true false
 * ```
 */
export function splitBlock(cname: BloscCname, typesize: number, blocksize: number): boolean {
  return cname !== "zstd" && typesize <= BLOSC_MAX_SPLITS &&
    Math.floor(blocksize / typesize) >= BLOSC_MIN_BUFFERSIZE;
}

/**
 * The block size c-blosc 1.x picks for a buffer (`forced` > 0: the requested size, clamped).
 *
 * @example
 * ```ts
 * import { computeBlocksize } from "./compress.ts";
 * console.log(computeBlocksize("lz4", 5, 4, 4 << 20, 0)); // 524288
 * console.log(computeBlocksize("zstd", 5, 4, 4 << 20, 0)); // 262144
 * ```
 */
export function computeBlocksize(
  cname: BloscCname,
  clevel: number,
  typesize: number,
  nbytes: number,
  forced: number,
): number {
  if (nbytes < typesize) return 1;
  let blocksize = nbytes;
  if (forced !== 0) {
    blocksize = Math.min(Math.max(forced, BLOSC_MIN_BUFFERSIZE), BLOSC_MAX_BLOCKSIZE);
  } else if (nbytes >= L1) {
    blocksize = highRatio(cname) ? 2 * L1 : L1;
    const factor = [0.25, 0.5, 1, 2, 4, 4, 8, 8, 8, 8][clevel];
    blocksize *= factor;
    if (clevel === 9 && highRatio(cname)) blocksize *= 2;
  }
  if (clevel > 0 && splitBlock(cname, typesize, blocksize)) {
    blocksize = Math.min(blocksize, 1 << 18) * typesize;
    blocksize = Math.min(Math.max(blocksize, 1 << 16), 1 << 20);
  }
  if (blocksize > nbytes) blocksize = nbytes;
  if (blocksize > typesize) blocksize = Math.floor(blocksize / typesize) * typesize;
  return blocksize;
}

const KEEP_SCRATCH = 1 << 24;
let destScratch = new Uint8Array(0);
let blockScratch = new Uint8Array(0);

/**
 * The most bytes {@link bloscCompressInto} writes for `nbytes` of input (the header plus the
 * input stored as it is).
 *
 * @example
 * ```ts
 * import { bloscMaxCompressedSize } from "./compress.ts";
 * console.log(bloscMaxCompressedSize(1000)); // 1016
 * ```
 */
export function bloscMaxCompressedSize(nbytes: number): number {
  return nbytes + BLOSC_HEADER_LENGTH;
}

/**
 * Encodes `src` as one c-blosc 1.x buffer. Throws `ZarrValueError` for a clevel outside 0-9, an unknown cname or
 * shuffle, a typesize below 1, or input larger than the format allows.
 *
 * @example
 * ```ts
 * import { bloscCompress } from "./compress.ts";
 * const packed = bloscCompress(new Uint8Array(10), { cname: "lz4", clevel: 5, shuffle: 1, typesize: 1 });
 * console.log(packed.length, packed[2] & 0x02); // 26 2 (tiny buffers are stored memcpyed)
 * ```
 */
export function bloscCompress(src: Uint8Array, options: BloscCompressOptions): Uint8Array {
  const destsize = bloscMaxCompressedSize(src.length);
  const dest = destScratch.length >= destsize ? destScratch : new Uint8Array(destsize);
  if (dest !== destScratch && destsize <= KEEP_SCRATCH) destScratch = dest;
  return dest.slice(0, bloscCompressInto(src, options, dest));
}

/**
 * Encodes `src` as one c-blosc 1.x buffer written at the start of `dest` (which needs
 * {@link bloscMaxCompressedSize} bytes; it may be a view over a `SharedArrayBuffer`) and returns
 * its length. Same errors as {@link bloscCompress}, and `ZarrValueError` when `dest` is too small.
 *
 * @example
 * ```ts
 * import { bloscCompressInto, bloscMaxCompressedSize } from "./compress.ts";
 * const src = new Uint8Array(new Float32Array(4096).fill(1.5).buffer);
 * const dest = new Uint8Array(bloscMaxCompressedSize(src.length));
 * const n = bloscCompressInto(src, { cname: "lz4", clevel: 5, shuffle: 1, typesize: 4 }, dest);
 * console.log(n < 200); // true
 * ```
 */
export function bloscCompressInto(
  src: Uint8Array,
  options: BloscCompressOptions,
  dest: Uint8Array,
): number {
  const { cname, clevel, shuffle } = options;
  if (!Number.isInteger(clevel) || clevel < 0 || clevel > 9) {
    throw new ZarrValueError(`blosc: clevel must be an integer in [0, 9], got ${clevel}`);
  }
  if (shuffle !== 0 && shuffle !== 1 && shuffle !== 2) {
    throw new ZarrValueError(`blosc: shuffle must be 0, 1 or 2, got ${shuffle}`);
  }
  const format = formatCode(cname);
  if (format < 0) throw new ZarrValueError(`blosc: unknown compressor '${cname}'`);
  if (!Number.isInteger(options.typesize) || options.typesize < 1) {
    throw new ZarrValueError(`blosc: typesize must be a positive integer, got ${options.typesize}`);
  }
  const nbytes = src.length;
  if (nbytes > BLOSC_MAX_BUFFERSIZE) {
    throw new ZarrValueError(`blosc: input of ${nbytes} bytes exceeds the format's limit`);
  }
  const destsize = bloscMaxCompressedSize(nbytes);
  if (dest.length < destsize) {
    throw new ZarrValueError(
      `blosc: output buffer of ${dest.length} bytes, ${destsize} needed for ${nbytes} bytes`,
    );
  }
  const typesize = options.typesize > BLOSC_MAX_TYPESIZE ? 1 : options.typesize;
  const blocksize = computeBlocksize(cname, clevel, typesize, nbytes, options.blocksize ?? 0);
  const leftover = nbytes % blocksize;
  const nblocks = (nbytes - leftover) / blocksize + (leftover > 0 ? 1 : 0);
  const dontSplit = !splitBlock(cname, typesize, blocksize);
  let flags = (shuffle === 1 ? FLAG_SHUFFLE : 0) | (shuffle === 2 ? FLAG_BITSHUFFLE : 0) |
    (dontSplit ? FLAG_DONT_SPLIT : 0) | (format << 5);
  let cbytes = 0;
  if (clevel > 0 && nbytes >= BLOSC_MIN_BUFFERSIZE) {
    cbytes = compressBlocks(src, dest, destsize, {
      cname,
      clevel,
      shuffle,
      typesize,
      blocksize,
      nblocks,
      leftover,
      split: !dontSplit,
    });
  }
  if (cbytes === 0) {
    flags |= FLAG_MEMCPYED;
    dest.set(src, BLOSC_HEADER_LENGTH);
    cbytes = destsize;
  }
  writeBloscHeader(dest, flags, typesize, nbytes, blocksize, cbytes);
  return cbytes;
}

interface Layout {
  cname: BloscCname;
  clevel: number;
  shuffle: 0 | 1 | 2;
  typesize: number;
  blocksize: number;
  nblocks: number;
  leftover: number;
  split: boolean;
}

/** Writes the offset table and the blocks; returns the encoded size, or 0 when it does not fit. */
function compressBlocks(src: Uint8Array, dest: Uint8Array, destsize: number, l: Layout): number {
  const { cname, clevel, typesize, blocksize, nblocks, leftover } = l;
  let pos = BLOSC_HEADER_LENGTH + 4 * nblocks;
  if (pos > destsize) return 0;
  if (blockScratch.length < blocksize) {
    const b = new Uint8Array(blocksize);
    if (blocksize > KEEP_SCRATCH) return compressWith(b);
    blockScratch = b;
  }
  return compressWith(blockScratch);

  function compressWith(tmp: Uint8Array): number {
    // perf: LZ4 blocks (byte shuffle or none) through the WebAssembly kernels, same bytes
    const wasm = cname === "lz4" && l.shuffle !== 2 ? lz4BlockEncoder(blocksize) : undefined;
    for (let j = 0; j < nblocks; j++) {
      writeU32(dest, BLOSC_HEADER_LENGTH + 4 * j, pos);
      const leftoverBlock = j === nblocks - 1 && leftover > 0;
      const bsize = leftoverBlock ? leftover : blocksize;
      const start = j * blocksize;
      if (wasm) {
        const nsplits = l.split && !leftoverBlock ? typesize : 1;
        const shuffled = l.shuffle === 1;
        const n = wasm.encode(
          src,
          start,
          bsize,
          typesize,
          shuffled,
          nsplits,
          10 - clevel,
          dest,
          pos,
          destsize - pos,
        );
        if (n < 0) return 0;
        pos += n;
        continue;
      }
      let buf = src;
      let bp = start;
      if (l.shuffle === 1 && typesize > 1) {
        shuffleBlock(typesize, bsize, src, start, tmp, 0);
        buf = tmp;
        bp = 0;
      } else if (l.shuffle === 2 && bsize >= typesize) {
        bitshuffleBlock(typesize, bsize, src, start, tmp, 0);
        buf = tmp;
        bp = 0;
      }
      const nsplits = l.split && !leftoverBlock ? typesize : 1;
      const neblock = bsize / nsplits;
      for (let s = 0; s < nsplits; s++, bp += neblock) {
        const sizePos = pos;
        pos += 4;
        let maxout = cname === "snappy" ? snappyMaxCompressedLength(neblock) : neblock;
        if (pos + maxout > destsize) {
          maxout = destsize - pos;
          if (maxout <= 0) return 0;
        }
        let n = compressStream(cname, clevel, buf, bp, bp + neblock, dest, pos, pos + maxout);
        if (n === 0 || n >= neblock) {
          if (pos + neblock > destsize) return 0;
          dest.set(buf.subarray(bp, bp + neblock), pos);
          n = neblock;
        }
        writeU32(dest, sizePos, n);
        pos += n;
      }
    }
    return pos;
  }
}
