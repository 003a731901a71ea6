/**
 * The shard index of `sharding_indexed`: one `(offset, nbytes)` pair of uint64 per inner chunk,
 * in C order of the inner chunk grid, with `2^64 - 1` in both fields marking a missing chunk.
 * This module parses a decoded index into plain numbers, validating every entry, and builds the
 * uint64 array of a new index.
 *
 * @example
 * ```ts
 * import { MISSING, parseShardIndex } from "./index.ts";
 * const raw = BigUint64Array.of(0n, 4n, MISSING, MISSING);
 * const idx = parseShardIndex(raw, [2], { start: 0, end: 4 });
 * console.log(idx.offsets[0], idx.lengths[0], idx.isMissing(1)); // 0 4 true
 * ```
 * @module
 */

/** The uint64 value marking a missing inner chunk (`2^64 - 1`). */
export const MISSING: bigint = (1n << 64n) - 1n;

/** Which byte region entries may point into (`[start, end)`); `end` undefined when unknown. */
export interface DataRegion {
  /** First byte an inner chunk may start at (the index size when the index is at the start). */
  start: number;
  /** One past the last byte an inner chunk may use (undefined when the shard size is unknown). */
  end?: number;
}

/**
 * A parsed shard index. `offsets[i]` / `lengths[i]` belong to inner chunk `i` (C order of the
 * inner grid); a missing chunk has offset `-1`.
 *
 * @example
 * ```ts
 * import { ShardIndex } from "./index.ts";
 * const idx = new ShardIndex([2], new Float64Array([-1, 0]), new Float64Array([0, 8]));
 * console.log(idx.isMissing(0), idx.allMissing()); // true false
 * ```
 */
export class ShardIndex {
  /** Inner chunks per shard along each axis. */
  readonly chunksPerShard: number[];
  /** Byte offset of each inner chunk, `-1` when missing. */
  readonly offsets: Float64Array;
  /** Byte length of each inner chunk (0 when missing). */
  readonly lengths: Float64Array;

  /** An index over `chunksPerShard` from parallel offset/length arrays. */
  constructor(chunksPerShard: number[], offsets: Float64Array, lengths: Float64Array) {
    this.chunksPerShard = chunksPerShard;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  /** Number of inner chunks. */
  get size(): number {
    return this.offsets.length;
  }

  /** Whether inner chunk `i` (C-order linear index) is absent. */
  isMissing(i: number): boolean {
    return this.offsets[i] < 0;
  }

  /** Whether every inner chunk is absent. */
  allMissing(): boolean {
    for (let i = 0; i < this.offsets.length; i++) if (this.offsets[i] >= 0) return false;
    return true;
  }
}

/**
 * The grid coordinates of C-order linear index `i` in a grid of `shape`.
 *
 * @example
 * ```ts
 * import { unravel } from "./index.ts";
 * console.log(unravel(5, [2, 3])); // [1, 2]
 * ```
 */
export function unravel(i: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return out;
}

/**
 * Validates and converts a decoded index (`2 * prod(chunksPerShard)` uint64 values) into a
 * {@link ShardIndex}. Throws an `Error` naming the first bad inner chunk when an entry is half
 * missing, points before `region.start` or past `region.end`, or does not fit a safe integer.
 *
 * @example
 * ```ts
 * import { parseShardIndex } from "./index.ts";
 * try {
 *   parseShardIndex(BigUint64Array.of(10n, 100n), [1], { start: 0, end: 50 });
 * } catch (e) {
 *   console.log((e as Error).message.includes("outside")); // true
 * }
 * ```
 */
export function parseShardIndex(
  raw: BigUint64Array | BigInt64Array,
  chunksPerShard: readonly number[],
  region: DataRegion,
): ShardIndex {
  let n = 1;
  for (const c of chunksPerShard) n *= c;
  if (raw.length !== 2 * n) {
    throw new Error(
      `corrupt shard index: ${raw.length} values, expected ${2 * n} for an inner grid of ` +
        `[${chunksPerShard}]`,
    );
  }
  // BigInt64Array views of the same bytes read 2^64-1 as -1n: normalize to unsigned.
  const u = raw instanceof BigUint64Array
    ? raw
    : new BigUint64Array(raw.buffer, raw.byteOffset, raw.length);
  const offsets = new Float64Array(n);
  const lengths = new Float64Array(n);
  const start = BigInt(region.start);
  const end = region.end === undefined ? BigInt(Number.MAX_SAFE_INTEGER) : BigInt(region.end);
  for (let i = 0; i < n; i++) {
    const off = u[2 * i];
    const len = u[2 * i + 1];
    if (off === MISSING || len === MISSING) {
      if (off !== len) {
        throw new Error(
          `corrupt shard index: inner chunk [${unravel(i, chunksPerShard)}] has offset ${off} ` +
            `and nbytes ${len}; a missing chunk needs 2^64-1 in both`,
        );
      }
      offsets[i] = -1;
      continue;
    }
    if (off < start || off + len > end) {
      const where = region.end === undefined
        ? `the shard (data starts at byte ${region.start})`
        : `the shard's data bytes [${region.start}, ${region.end})`;
      throw new Error(
        `corrupt shard index: inner chunk [${unravel(i, chunksPerShard)}] at offset ${off} ` +
          `with ${len} bytes lies outside ${where}`,
      );
    }
    offsets[i] = Number(off);
    lengths[i] = Number(len);
  }
  return new ShardIndex([...chunksPerShard], offsets, lengths);
}
