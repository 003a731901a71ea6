/**
 * The read path: selection -> per-chunk projections -> concurrent store reads -> decode ->
 * copy into one output buffer allocated once (missing chunks become the fill value).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.full([6], 3, { chunks: [4], dtype: "uint8" });
 * console.log((await a.getitem("::-2")).data); // Uint8Array [3, 3, 3]
 * ```
 * @module
 */
import type { AsyncArray } from "./array.ts";
import { ioConcurrency } from "./array.ts";
import type { NDArray } from "../buffer/ndarray.ts";
import { cStrides, product } from "../buffer/ndarray.ts";
import { allocate, slotsPerElement, toContainerValue } from "../metadata/dtype.ts";
import { copyRegion, fillRegion } from "../buffer/copy.ts";
import { BasicIndexer } from "./indexing/basic.ts";
import type { Indexer } from "./indexing/basic.ts";
import type { Selection } from "./indexing/selection.ts";
import { forEachConcurrent } from "../node/locks.ts";
import { ChunkNotFoundError } from "../errors.ts";
import type { ChunkSpec } from "../codecs/types.ts";

/** Per-call read options. */
export interface ReadOptions {
  /** Where the result lands: `zarr.cpu` (default). GPU prototypes come from the gpu module. */
  prototype?: unknown;
}

/** The spec of a whole (padded) chunk of the array. */
export function chunkSpecOf(array: AsyncArray): ChunkSpec {
  return {
    shape: array.metadata.chunkShape,
    dtype: array.metadata.dataType,
    fillValue: array.effectiveFillValue,
  };
}

/** The container value(s) used to fill missing regions. */
export function fillSlots(
  array: AsyncArray,
): number | bigint | string | Uint8Array | readonly number[] {
  const dt = array.metadata.dataType;
  const fv = array.effectiveFillValue;
  if (dt.kind === "complex") return fv as [number, number];
  return toContainerValue(dt, fv);
}

/** Reads a basic selection into a new C-contiguous NDArray. */
export async function readSelection(
  array: AsyncArray,
  selection: Selection,
  _opts: ReadOptions,
): Promise<NDArray> {
  const ix = BasicIndexer.fromSelection(selection, array.metadata.shape, array.metadata.chunkShape);
  return await readIndexer(array, ix);
}

/** Reads through any indexer (basic, orthogonal, ...). */
export async function readIndexer(array: AsyncArray, ix: Indexer): Promise<NDArray> {
  const dt = array.metadata.dataType;
  const slots = slotsPerElement(dt);
  const out = allocate(dt, product(ix.shape));
  const outShape = ix.keepDimsShape;
  const spec = chunkSpecOf(array);
  const fill = fillSlots(array);
  const missing: string[] = [];
  await forEachConcurrent(ix, ioConcurrency(), async (p) => {
    const key = array.chunkKey(p.chunkCoords);
    const bytes = await array.store.get(key);
    if (bytes === undefined) {
      if (!array.config.readMissingChunks) {
        missing.push(`${key} (chunk ${JSON.stringify(p.chunkCoords)})`);
        return;
      }
      fillRegion(out, outShape, p.outSelection, fill, slots);
      return;
    }
    const chunk = await array.pipeline.decode(bytes, spec, key);
    copyRegion(chunk.data, spec.shape, p.chunkSelection, out, outShape, p.outSelection, slots);
  });
  if (missing.length) {
    throw new ChunkNotFoundError(
      `${missing.length} chunk(s) of array ${array.name} are missing and read_missing_chunks is false: ${
        missing.slice(0, 10).join(", ")
      }`,
    );
  }
  return { data: out, shape: [...ix.shape], stride: cStrides(ix.shape), dtype: dt.str };
}
