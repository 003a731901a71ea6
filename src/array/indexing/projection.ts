/**
 * Chunk projections: what each indexer yields per intersecting chunk, and the {@link Indexer}
 * interface the read and write paths program against.
 *
 * Three kinds of projection exist:
 * - {@link BasicProjection} (no `kind` field): strided ranges per axis on both sides, from basic
 *   and block selections (the `copyRegion` fast path).
 * - {@link OrthogonalProjection} (`kind: "orthogonal"`): per axis a range or an index list, on
 *   both sides; the selected elements are the outer product of the axes.
 * - {@link PointProjection} (`kind: "points"`): `K` points, with chunk-local coordinates per axis
 *   and flat positions in the output (coordinate and mask selections).
 *
 * {@link projectionBox} gives the chunk-local bounding box a projection reads, so a partial
 * decoder (sharding) can decode only that box and hand it to `copyProjection` (read.ts) with
 * the box's start as the origin.
 *
 * @example
 * ```ts
 * import { projectionBox } from "./projection.ts";
 * const p = {
 *   kind: "orthogonal" as const,
 *   chunkCoords: [0, 1],
 *   chunkSelection: [Uint32Array.of(4, 1), { start: 2, step: 1, count: 3 }],
 *   outSelection: [Uint32Array.of(1, 0), { start: 0, step: 1, count: 3 }],
 *   isComplete: false,
 * };
 * console.log(projectionBox(p)); // { start: [1, 2], stop: [5, 5] }
 * ```
 * @module
 */
import type { DimRange } from "../../buffer/copy.ts";
import { axisExtent, type AxisSelection, type IndexList } from "../../buffer/gather.ts";

/** Where one chunk's part of a basic selection comes from and goes to (strided ranges). */
export interface BasicProjection {
  /** Absent for basic projections (the other kinds set it). */
  kind?: undefined;
  /** Grid coordinates of the chunk. */
  chunkCoords: number[];
  /** Per array axis: the selected elements in chunk-local coordinates (steps may be < 0). */
  chunkSelection: DimRange[];
  /**
   * Per array axis: where those elements land in the output viewed at `keepDimsShape`
   * (dropped axes: `{ start: 0, step: 1, count: 1 }`).
   */
  outSelection: DimRange[];
  /**
   * True when the selection covers every element of the chunk inside the array bounds (a
   * write needs no read-modify-write; edge padding does not count).
   */
  isComplete: boolean;
}

/** One chunk's part of an orthogonal selection: ranges or index lists per axis, outer product. */
export interface OrthogonalProjection {
  /** Discriminant. */
  kind: "orthogonal";
  /** Grid coordinates of the chunk. */
  chunkCoords: number[];
  /** Per array axis: chunk-local indices (a range or an explicit list; lists may repeat). */
  chunkSelection: AxisSelection[];
  /** Per array axis: positions in the output viewed at `keepDimsShape`, paired with the above. */
  outSelection: AxisSelection[];
  /** True when every in-bounds element of the chunk is selected. */
  isComplete: boolean;
}

/** One chunk's part of a coordinate (or mask) selection: `K` points. */
export interface PointProjection {
  /** Discriminant. */
  kind: "points";
  /** Grid coordinates of the chunk. */
  chunkCoords: number[];
  /** Per array axis: the chunk-local coordinate of each point (all of length `K`). */
  chunkSelection: IndexList[];
  /** Flat C-order positions of the points in the output (a range when contiguous). */
  outSelection: DimRange | IndexList;
  /** True when every in-bounds element of the chunk is among the points. */
  isComplete: boolean;
}

/** Any chunk projection. */
export type ChunkProjection = BasicProjection | OrthogonalProjection | PointProjection;

/** What every indexer offers the read/write paths. */
export interface Indexer extends Iterable<ChunkProjection> {
  /** Which projections it yields (`"basic"` when absent). */
  readonly kind?: "basic" | "orthogonal" | "points";
  /** Output shape (dropped axes removed). */
  readonly shape: number[];
  /** Output shape with extent-1 axes in place of dropped axes (same rank as the array). */
  readonly keepDimsShape: number[];
  /** Array axes dropped by integer indices, ascending. */
  readonly dropAxes: number[];
  /** Number of projections (intersecting chunks). */
  readonly nchunks: number;
}

/**
 * The chunk-local bounding box (half-open, per axis `[start, stop)`) of the elements a
 * projection reads from (or writes to) its chunk. Cost: O(1) per range axis, one pass over
 * index lists and point coordinates.
 *
 * Use it to decode only part of a chunk (e.g. the inner chunks of a shard): decode the box,
 * then call `copyProjection(boxData, boxShape, box.start, p, out, outShape, slots)` from
 * `read.ts`, where `boxShape[i] = box.stop[i] - box.start[i]`.
 *
 * @example
 * ```ts
 * import { projectionBox } from "./projection.ts";
 * const p = {
 *   chunkCoords: [2],
 *   chunkSelection: [{ start: 7, step: -3, count: 3 }], // elements 7, 4, 1
 *   outSelection: [{ start: 0, step: 1, count: 3 }],
 *   isComplete: false,
 * };
 * console.log(projectionBox(p)); // { start: [1], stop: [8] }
 * ```
 */
export function projectionBox(p: ChunkProjection): { start: number[]; stop: number[] } {
  const sel = p.chunkSelection as readonly AxisSelection[];
  const start = new Array<number>(sel.length);
  const stop = new Array<number>(sel.length);
  for (let i = 0; i < sel.length; i++) {
    const [lo, hi] = axisExtent(sel[i]);
    start[i] = hi < lo ? 0 : lo;
    stop[i] = hi < lo ? 0 : hi + 1;
  }
  return { start, stop };
}
