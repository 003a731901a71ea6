/**
 * The `sharding_indexed` codec and its helpers: the codec, the shard index, byte-range
 * coalescing for partial reads and the Morton order of inner chunks.
 *
 * @example
 * ```ts
 * import { coalesceRanges, mortonOrder } from "./mod.ts";
 * console.log(mortonOrder([2, 2]), coalesceRanges([{ offset: 0, length: 4 }], { maxGap: 0, maxBytes: 8 }).length);
 * // [0, 2, 1, 3] 1
 * ```
 * @module
 */
export {
  DEFAULT_INDEX_CODECS,
  DEFAULT_SHARDING_CODECS,
  type IndexLocation,
  type PartialDecodeOptions,
  type ShardBox,
  ShardingCodec,
  type ShardingCodecParts,
  type ShardingFactoryContext,
} from "./codec.ts";
export {
  type ByteRange,
  type CoalescedRange,
  type CoalesceOptions,
  coalesceRanges,
} from "./coalesce.ts";
export { type DataRegion, MISSING, parseShardIndex, ShardIndex, unravel } from "./index.ts";
export { mortonOrder } from "./morton.ts";
