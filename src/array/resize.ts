/**
 * Chunk deletion when an array shrinks.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.ones([10], { chunks: [2] });
 * await a.setitem(null, 5);
 * await a.resize([4]);
 * console.log(await a.nchunksInitialized()); // 2
 * ```
 * @module
 */
import type { AsyncArray } from "./array.ts";
import { ioConcurrency } from "./array.ts";
import { chunkCoordsIter, chunkGridShape } from "./indexing/chunk_grid.ts";
import { forEachConcurrent } from "../node/locks.ts";

/** Deletes the chunks of the old grid that lie wholly outside the new shape. */
export async function deleteChunksOutside(
  array: AsyncArray,
  oldShape: number[],
  newShape: number[],
): Promise<void> {
  const chunks = array.metadata.chunkShape;
  const oldGrid = chunkGridShape(oldShape, chunks);
  const newGrid = chunkGridShape(newShape, chunks);
  if (oldGrid.every((n, i) => n <= newGrid[i])) return;
  const outside = function* () {
    for (const c of chunkCoordsIter(oldGrid)) {
      if (c.some((v, i) => v >= newGrid[i])) yield c;
    }
  };
  await forEachConcurrent(outside(), ioConcurrency(), async (c) => {
    await array.store.delete(array.chunkKey(c));
  });
}
