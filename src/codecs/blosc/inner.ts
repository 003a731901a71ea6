/**
 * blosc's inner compressors behind one interface: each call codes one split stream.
 * zlib and zstd use the native `node:zlib`; lz4 (and lz4hc, same stream format), blosclz and
 * snappy use this folder's own implementations.
 *
 * @example
 * ```ts
 * import { compressStream, decompressStream } from "./inner.ts";
 * const input = new Uint8Array(4096).fill(3);
 * const packed = new Uint8Array(4096);
 * const n = compressStream("zstd", 5, input, 0, 4096, packed, 0, 4096);
 * const back = new Uint8Array(4096);
 * decompressStream("zstd", packed, 0, n, back, 0, 4096);
 * ```
 * @module
 */
import zlib from "node:zlib";
import { errorMessage } from "../common.ts";
import { blosclzCompress, blosclzDecompress } from "./blosclz.ts";
import type { BLOSC_FORMATS, BloscCname } from "./header.ts";
import { lz4Compress, lz4CompressHC, lz4Decompress } from "./lz4.ts";
import { snappyCompress, snappyDecompress } from "./snappy.ts";

/** An inner compressor format as recorded in the header. */
export type BloscFormat = (typeof BLOSC_FORMATS)[number];

/**
 * The most bytes one encoded byte can stand for, per format (with margin): bounds the decoded
 * size a buffer may claim when the caller gives no maximum.
 */
export const MAX_RATIO: Record<BloscFormat, number> = {
  blosclz: 256,
  lz4: 256,
  snappy: 32,
  zlib: 1100,
  zstd: 33000,
};

/**
 * Decodes one stream `src[sp, send)` of format `format` into exactly `dst[dp, dend)`. Throws when
 * the stream is corrupt or does not decode to exactly that many bytes.
 *
 * @example
 * ```ts
 * import { decompressStream } from "./inner.ts";
 * const out = new Uint8Array(3);
 * decompressStream("lz4", new Uint8Array([0x30, 1, 2, 3]), 0, 4, out, 0, 3); // out: [1, 2, 3]
 * ```
 */
export function decompressStream(
  format: BloscFormat,
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
): void {
  const want = dend - dp;
  let end: number;
  switch (format) {
    case "lz4":
      end = lz4Decompress(src, sp, send, dst, dp, dend);
      break;
    case "blosclz":
      end = blosclzDecompress(src, sp, send, dst, dp, dend);
      break;
    case "snappy":
      end = snappyDecompress(src, sp, send, dst, dp, dend);
      break;
    case "zlib":
    case "zstd": {
      let out: Uint8Array;
      const input = src.subarray(sp, send);
      const limit = { maxOutputLength: Math.max(1, want) };
      try {
        out = format === "zlib"
          ? zlib.inflateSync(input, limit)
          : zlib.zstdDecompressSync(input, limit);
      } catch (e) {
        throw new Error(`${format}: ${errorMessage(e)}`);
      }
      if (out.length === want) dst.set(out, dp);
      end = dp + out.length;
      break;
    }
  }
  if (end !== dend) {
    throw new Error(`${format} stream decoded to ${end - dp} bytes, expected ${want}`);
  }
}

/** zstd level for a blosc clevel, as c-blosc maps it. */
function zstdLevel(clevel: number): number {
  if (clevel >= 9) return 22;
  if (clevel === 8) return 20;
  return clevel * 2 - 1;
}

/**
 * Encodes `src[sp, send)` with `cname` at `clevel` (1-9) into `dst[dp, dend)`; returns the
 * number of bytes written, or 0 when the result does not fit (the caller stores the stream raw).
 *
 * @example
 * ```ts
 * import { compressStream } from "./inner.ts";
 * const out = new Uint8Array(1000);
 * console.log(compressStream("lz4", 5, new Uint8Array(1000), 0, 1000, out, 0, 1000) > 0); // true
 * ```
 */
export function compressStream(
  cname: BloscCname,
  clevel: number,
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
): number {
  switch (cname) {
    case "lz4":
      return lz4Compress(src, sp, send, dst, dp, dend, 10 - clevel);
    case "lz4hc":
      return lz4CompressHC(src, sp, send, dst, dp, dend, clevel);
    case "blosclz":
      return blosclzCompress(src, sp, send, dst, dp, dend);
    case "snappy":
      return snappyCompress(src, sp, send, dst, dp, dend);
    case "zlib":
    case "zstd": {
      const input = src.subarray(sp, send);
      const c = zlib.constants;
      const out = cname === "zlib"
        ? zlib.deflateSync(input, { level: clevel })
        : zlib.zstdCompressSync(
          input,
          {
            params: { [c.ZSTD_c_compressionLevel]: zstdLevel(clevel) },
            pledgedSrcSize: send - sp,
          } as zlib.ZstdOptions,
        );
      if (out.length > dend - dp) return 0;
      dst.set(out, dp);
      return out.length;
    }
  }
}
