/**
 * Codecs: the registry, the pipeline and every built-in codec.
 *
 * @example
 * ```ts
 * import { buildPipeline, defaultCodecsV3 } from "./mod.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const p = buildPipeline(defaultCodecsV3(parseDataType("int16")));
 * console.log(p.bytesBytes[0].name); // zstd
 * ```
 * @module
 */
export type {
  ArrayArrayCodec,
  ArrayBytesCodec,
  BytesBytesCodec,
  Chunk,
  ChunkSpec,
  Codec,
  CodecMetadata,
  V2CodecConfig,
} from "./types.ts";
export type { BytesDecodeOptions, CodecContext } from "./common.ts";
export type { DataContainer, DataType, Scalar } from "../metadata/dtype.ts";
export { BytesCodec, type BytesCodecOptions, byteswap, type Endian } from "./bytes.ts";
export { inversePermutation, isPermutation, permute, TransposeCodec } from "./transpose.ts";
export type { TransposeOrder } from "./transpose.ts";
export { GzipCodec, type GzipCodecOptions } from "./gzip.ts";
export { ZlibCodec } from "./zlib.ts";
export { inspectZstdFrames, ZstdCodec, type ZstdCodecOptions, type ZstdFrameInfo } from "./zstd.ts";
export { crc32c, Crc32cCodec } from "./crc32c.ts";
export { scanVlen, VLenBytesCodec, writeVlen } from "./vlen_bytes.ts";
export { VLenUTF8Codec } from "./vlen_utf8.ts";
import "./builtins.ts";
export {
  type CodecFactory,
  codecFromMetadata,
  codecFromV2,
  type FactoryContext,
  hasV2Form,
  type InnerPipeline,
  registerCodec,
  registeredCodecs,
  registerV2Codec,
  type V2CodecFactory,
  type V2Serializable,
} from "./registry.ts";
export { buildPipeline, CodecPipeline, defaultCodecsV3, type PipelineOptions } from "./pipeline.ts";
export * from "./delta.ts";
export {
  type ByteRange,
  type CoalescedRange,
  type CoalesceOptions,
  coalesceRanges,
  MISSING as SHARD_INDEX_MISSING,
  mortonOrder,
  type PartialDecodeOptions,
  type ShardBox,
  ShardIndex,
  ShardingCodec,
} from "./sharding/mod.ts";
export { AsTypeCodec, type AsTypeOptions } from "./filters/astype.ts";
export { BitRoundCodec } from "./filters/bitround.ts";
export { CategorizeCodec, type CategorizeOptions } from "./filters/categorize.ts";
export {
  adler32,
  Checksum32Codec,
  type Checksum32Id,
  type ChecksumLocation,
  crc32,
  fletcher32,
} from "./filters/checksum32.ts";
export { FixedScaleOffsetCodec, type FixedScaleOffsetOptions } from "./filters/fixedscaleoffset.ts";
export { PackBitsCodec } from "./filters/packbits.ts";
export { QuantizeCodec, type QuantizeOptions, quantizeScale } from "./filters/quantize.ts";
export { ShuffleCodec } from "./filters/shuffle.ts";
export {
  type BloscCname,
  BloscCodec,
  type BloscCodecOptions,
  bloscCompress,
  bloscDecompress,
  type BloscShuffle,
} from "./blosc/mod.ts";
export { LZ4Codec } from "./lz4.ts";
export { BZ2Codec } from "./bz2/codec.ts";
export { bz2Compress } from "./bz2/encode.ts";
export { bz2Decompress, type Bz2DecompressOptions } from "./bz2/decode.ts";
export {
  FORMAT_ALONE,
  FORMAT_AUTO,
  FORMAT_RAW,
  FORMAT_XZ,
  LZMACodec,
  type LZMACodecOptions,
} from "./lzma/codec.ts";
export {
  xzCompress,
  type XzCompressOptions,
  xzDecompress,
  type XzDecompressOptions,
} from "./lzma/xz.ts";
