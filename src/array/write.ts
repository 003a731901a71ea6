/**
 * The write path: value -> dtype container -> per-chunk projections; each touched chunk is
 * written once, whole chunks without reading, partial ones by read-modify-write under a
 * per-key lock (so concurrent writers in a process lose nothing). Chunks equal to the fill value
 * are deleted unless `write_empty_chunks` is set.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.zeros([4], { chunks: [2], dtype: "int8" });
 * await a.setitem("2:", [5, 6]);
 * console.log(await a.nchunksInitialized()); // 1
 * ```
 * @module
 */
import type { AsyncArray } from "./array.ts";
import { ioConcurrency } from "./array.ts";
import { product } from "../buffer/ndarray.ts";
import { allocate, allocateFilled, slotsPerElement } from "../metadata/dtype.ts";
import { allEqual, copyRegion, planBroadcast } from "../buffer/copy.ts";
import { BasicIndexer, type ChunkProjection, type Indexer } from "./indexing/basic.ts";
import type { Selection } from "./indexing/selection.ts";
import { forEachConcurrent, withKeyLock } from "../node/locks.ts";
import { coerceToContainer } from "./values.ts";
import { chunkSpecOf } from "./read.ts";
import type { Chunk } from "../codecs/types.ts";

/** Writes a basic selection. */
export async function writeSelection(
  array: AsyncArray,
  selection: Selection,
  value: unknown,
): Promise<void> {
  const ix = BasicIndexer.fromSelection(selection, array.metadata.shape, array.metadata.chunkShape);
  await writeIndexer(array, ix, value);
}

/** Writes through any indexer (basic, orthogonal, ...). */
export async function writeIndexer(array: AsyncArray, ix: Indexer, value: unknown): Promise<void> {
  const dt = array.metadata.dataType;
  const slots = slotsPerElement(dt);
  const v = coerceToContainer(value, dt);
  const plan = planBroadcast(v.shape, ix.shape, ix.dropAxes);
  const spec = chunkSpecOf(array);
  const n = product(spec.shape);
  const fill = array.effectiveFillValue;
  const writeEmpty = array.config.writeEmptyChunks;
  await forEachConcurrent(ix, ioConcurrency(), async (p: ChunkProjection) => {
    const key = array.chunkKey(p.chunkCoords);
    await withKeyLock(array.store, key, async () => {
      let chunk: Chunk;
      if (p.isComplete) {
        // the value covers the chunk: only edge padding (beyond the array) needs the fill value
        const padded = p.chunkCoords.some((c, i) =>
          (c + 1) * spec.shape[i] > array.metadata.shape[i]
        );
        chunk = { data: padded ? allocateFilled(dt, n, fill) : allocate(dt, n), shape: spec.shape };
      } else {
        const existing = await array.store.get(key);
        chunk = existing === undefined
          ? { data: allocateFilled(dt, n, fill), shape: spec.shape }
          : await array.pipeline.decode(existing, spec, key);
        // never modify stored bytes in place (a zero-copy decode may alias them)
        const d = chunk.data;
        if (existing && ArrayBuffer.isView(d) && d.buffer === existing.buffer) {
          chunk = { data: d.slice() as typeof d, shape: chunk.shape };
        }
      }
      copyRegion(
        v.data,
        plan.shape,
        plan.ranges(p.outSelection),
        chunk.data,
        spec.shape,
        p.chunkSelection,
        slots,
      );
      if (!writeEmpty && allEqual(dt, chunk.data, fill)) {
        await array.store.delete(key);
        return;
      }
      const bytes = await array.pipeline.encode(chunk, spec, key);
      await array.store.set(key, bytes);
    });
  });
}
