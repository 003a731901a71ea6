/**
 * Copies between one chunk's decoded values and a read's output along a chunk projection (basic
 * ranges, orthogonal index lists or points), and fills a projection's output positions with one
 * value. The read path uses these in the calling thread and in the codec workers alike.
 *
 * @example
 * ```ts
 * import { copyProjection } from "./projection_copy.ts";
 * const out = new Int8Array(2);
 * const p = {
 *   chunkCoords: [0],
 *   chunkSelection: [{ start: 1, step: 2, count: 2 }],
 *   outSelection: [{ start: 0, step: 1, count: 2 }],
 *   isComplete: false,
 * };
 * copyProjection(Int8Array.of(1, 2, 3, 4), [4], null, p, out, [2]);
 * console.log(out); // Int8Array [2, 4]
 * ```
 * @module
 */
import { product } from "./ndarray.ts";
import { type ContainerValue, copyRegion, type DimRange, fillRegion } from "./copy.ts";
import { copyOrthogonal, fillOrthogonal, fillPositions, gatherPoints } from "./gather.ts";
import type { DataContainer } from "../metadata/dtype.ts";
import type { ChunkProjection } from "../array/indexing/projection.ts";

/**
 * Copies the part of one decoded chunk that a projection selects into the output. The chunk
 * container may hold only a box of the chunk: `chunkData` is C-ordered with shape `chunkShape`
 * and covers `[origin, origin + chunkShape)` of the whole chunk (`origin` `null` or zeros for a
 * whole decoded chunk). The projection's chunk selections are translated by `-origin`, so a
 * partial decoder can decode just `projectionBox(p)` and pass its `start` as the origin.
 * `out` is C-ordered with `outShape` (the indexer's `keepDimsShape`).
 *
 * Basic projections take `copyRegion` (whole contiguous runs), orthogonal ones the index-list
 * copy, point projections a gather.
 *
 * @example
 * ```ts
 * import { copyProjection } from "./projection_copy.ts";
 * // a chunk of shape [8] of which only elements 4..7 were decoded
 * const box = Int32Array.of(40, 50, 60, 70);
 * const out = new Int32Array(2);
 * const p = {
 *   kind: "orthogonal" as const,
 *   chunkCoords: [0],
 *   chunkSelection: [Uint32Array.of(6, 4)],
 *   outSelection: [{ start: 0, step: 1, count: 2 }],
 *   isComplete: false,
 * };
 * copyProjection(box, [4], [4], p, out, [2]);
 * console.log(out); // Int32Array [60, 40]
 * ```
 */
export function copyProjection(
  chunkData: DataContainer,
  chunkShape: readonly number[],
  origin: readonly number[] | null,
  p: ChunkProjection,
  out: DataContainer,
  outShape: readonly number[],
  slots = 1,
): void {
  const shifted = origin !== null && origin.some((o) => o !== 0);
  switch (p.kind) {
    case "points":
      gatherPoints(
        chunkData,
        chunkShape,
        p.chunkSelection,
        out,
        product(outShape),
        p.outSelection,
        slots,
        shifted ? origin : undefined,
      );
      return;
    case "orthogonal":
      copyOrthogonal(
        chunkData,
        chunkShape,
        p.chunkSelection,
        out,
        outShape,
        p.outSelection,
        slots,
        shifted ? origin : undefined,
      );
      return;
    default: {
      const sel: readonly DimRange[] = shifted
        ? p.chunkSelection.map((r, i) => ({
          start: r.start - origin[i],
          step: r.step,
          count: r.count,
        }))
        : p.chunkSelection;
      copyRegion(chunkData, chunkShape, sel, out, outShape, p.outSelection, slots);
    }
  }
}

/**
 * Writes one value (a missing chunk's fill value) into the output positions of a projection.
 *
 * @example
 * ```ts
 * import { fillProjection } from "./projection_copy.ts";
 * const out = new Float32Array(3);
 * fillProjection(out, [3], {
 *   kind: "points",
 *   chunkCoords: [0],
 *   chunkSelection: [Uint32Array.of(1, 1)],
 *   outSelection: Uint32Array.of(2, 0),
 *   isComplete: false,
 * }, 5);
 * console.log(out); // Float32Array [5, 0, 5]
 * ```
 */
export function fillProjection(
  out: DataContainer,
  outShape: readonly number[],
  p: ChunkProjection,
  value: ContainerValue | readonly number[],
  slots = 1,
): void {
  switch (p.kind) {
    case "points":
      fillPositions(out, product(outShape), p.outSelection, value, slots);
      return;
    case "orthogonal":
      fillOrthogonal(out, outShape, p.outSelection, value, slots);
      return;
    default:
      fillRegion(out, outShape, p.outSelection, value, slots);
  }
}
