/**
 * Chunk regions as selections, for code that copies an array chunk by chunk.
 *
 * @example
 * ```ts
 * import { chunkRegionSelection } from "./chunk_regions.ts";
 * console.log(chunkRegionSelection([1], [10], [15])); // [{kind: "slice", start: 10, stop: 15, step: 1}]
 * ```
 * @module
 */
import { chunkGridShape, chunkRegion } from "./indexing/chunk_grid.ts";
import { type Slice, slice } from "./indexing/slice.ts";

export { chunkGridShape };

/** The region of the array covered by the chunk at `coords` (clipped at the edge), as slices. */
export function chunkRegionSelection(
  coords: readonly number[],
  chunks: readonly number[],
  shape: readonly number[],
): Slice[] {
  return chunkRegion(coords, chunks, shape).map((r) => slice(r.start, r.start + r.count, 1));
}
