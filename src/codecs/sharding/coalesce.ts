/**
 * Byte-range coalescing for partial shard reads: neighbouring inner chunks of a shard are read
 * with one ranged request when the gap between them is small and the merged request stays
 * bounded.
 *
 * @example
 * ```ts
 * import { coalesceRanges } from "./coalesce.ts";
 * const groups = coalesceRanges(
 *   [{ offset: 0, length: 10 }, { offset: 12, length: 10 }, { offset: 500, length: 4 }],
 *   { maxGap: 8, maxBytes: 1024 },
 * );
 * console.log(groups.map((g) => [g.offset, g.length])); // [[0, 22], [500, 4]]
 * ```
 * @module
 */

/** A byte range `[offset, offset + length)`. */
export interface ByteRange {
  /** First byte. */
  offset: number;
  /** Number of bytes. */
  length: number;
}

/** Limits of {@link coalesceRanges}. */
export interface CoalesceOptions {
  /** Largest gap (bytes between one range's end and the next one's start) bridged by a merge. */
  maxGap: number;
  /** Largest size of a merged request; a single range larger than this stays on its own. */
  maxBytes: number;
}

/** One request covering one or more input ranges. */
export interface CoalescedRange<T extends ByteRange> extends ByteRange {
  /** The input ranges this request covers, in ascending offset order. */
  members: T[];
}

/**
 * Groups byte ranges into requests: ranges are sorted by offset, and a range joins the current
 * group when the gap from the group's end to its start is at most `maxGap` and the merged group
 * spans at most `maxBytes`. Overlapping ranges always merge when the size allows. The input is
 * not modified; every input range lands in exactly one group, and each group's
 * `[offset, offset + length)` covers all of its members.
 *
 * @example
 * ```ts
 * import { coalesceRanges } from "./coalesce.ts";
 * const g = coalesceRanges([{ offset: 8, length: 8 }, { offset: 0, length: 8 }], {
 *   maxGap: 0,
 *   maxBytes: 100,
 * });
 * console.log(g.length, g[0].offset, g[0].length); // 1 0 16
 * ```
 */
export function coalesceRanges<T extends ByteRange>(
  ranges: readonly T[],
  options: CoalesceOptions,
): CoalescedRange<T>[] {
  const { maxGap, maxBytes } = options;
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset || a.length - b.length);
  const out: CoalescedRange<T>[] = [];
  let cur: CoalescedRange<T> | undefined;
  for (const r of sorted) {
    if (cur) {
      const end = cur.offset + cur.length;
      const gap = r.offset - end;
      const mergedEnd = Math.max(end, r.offset + r.length);
      if (gap <= maxGap && mergedEnd - cur.offset <= maxBytes) {
        cur.length = mergedEnd - cur.offset;
        cur.members.push(r);
        continue;
      }
      out.push(cur);
    }
    cur = { offset: r.offset, length: r.length, members: [r] };
  }
  if (cur) out.push(cur);
  return out;
}
