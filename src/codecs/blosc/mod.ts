/**
 * The blosc codec and its parts: the c-blosc 1.x container (header, compress, decompress), the
 * shuffles, and the inner LZ4, BloscLZ and Snappy block formats.
 *
 * @example
 * ```ts
 * import { BloscCodec } from "./mod.ts";
 * const c = new BloscCodec({ cname: "zstd", typesize: 8 });
 * console.log(c.decode(c.encode(new Uint8Array(800))).length); // 800
 * ```
 * @module
 */
export { BloscCodec, type BloscCodecOptions, type BloscContext } from "./codec.ts";
export {
  bloscCompress,
  bloscCompressInto,
  type BloscCompressOptions,
  bloscMaxCompressedSize,
  computeBlocksize,
  splitBlock,
} from "./compress.ts";
export { bloscDecompress, type BloscDecompressOptions } from "./decompress.ts";
export {
  BLOSC_CNAMES,
  BLOSC_SHUFFLES,
  type BloscCname,
  type BloscHeader,
  type BloscShuffle,
  readBloscHeader,
} from "./header.ts";
export { lz4Compress, lz4CompressBound, lz4CompressHC, lz4Decompress } from "./lz4.ts";
export { blosclzCompress, blosclzDecompress } from "./blosclz.ts";
export { snappyCompress, snappyDecompress, snappyMaxCompressedLength } from "./snappy.ts";
export { bitshuffleBlock, bitunshuffleBlock, shuffleBlock, unshuffleBlock } from "./shuffle.ts";
