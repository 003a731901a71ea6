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
import { type ContainerValue, copyRegion, type DimRange, fillRegion } from "../buffer/copy.ts";
import { copyOrthogonal, fillOrthogonal, fillPositions, gatherPoints } from "../buffer/gather.ts";
import type { DataContainer } from "../metadata/dtype.ts";
import { getIndexer } from "./indexing/get_indexer.ts";
import type { ChunkProjection, Indexer } from "./indexing/projection.ts";
import type { Selection } from "./indexing/selection.ts";
import { forEachConcurrent } from "../node/locks.ts";
import { ChunkNotFoundError, ZarrValueError } from "../errors.ts";
import { type ChunkSpec, isPartialDecoder } from "../codecs/types.ts";
import { projectionBox } from "./indexing/projection.ts";
import { chunkDecoder } from "../workers/chunk_codec.ts"; // perf: worker-pool decode
import { resolveDevicePrototype } from "../api/meta_array.ts";
import { config } from "../config.ts";
import { type ProgressOption, progressReporter } from "../display/progress.ts";

/** Per-call read options. */
export interface ReadOptions {
  /** Where the result lands: `zarr.cpu` (default). GPU prototypes come from the gpu module. */
  prototype?: unknown;
  /**
   * Progress of a large read, in chunks: a callback `({done, total})`, or `true` for a live bar
   * (updated in place in a Jupyter notebook, on stderr in a terminal).
   */
  progress?: ProgressOption;
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

/**
 * Reads any selection accepted by `getitem` (basic, or integer arrays / masks dispatched to
 * coordinate, mask or orthogonal indexing) into a new C-contiguous NDArray.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { readSelection } from "./read.ts";
 * const a = await zarr.array([1, 2, 3, 4], { chunks: [2], dtype: "int8" });
 * console.log((await readSelection(a, [[3, 0]], {})).data); // Int8Array [4, 1]
 * ```
 */
export async function readSelection(
  array: AsyncArray,
  selection: Selection,
  _opts: ReadOptions,
): Promise<NDArray> {
  const ix = getIndexer(selection, array.metadata.shape, array.metadata.chunkShape);
  return await readIndexer(array, ix, _opts);
}

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
 * import { copyProjection } from "./read.ts";
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
 * import { fillProjection } from "./read.ts";
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

/**
 * Reads through any indexer (basic, orthogonal, coordinate, mask, block): each intersecting
 * chunk is fetched and decoded once, concurrently, and copied into one output allocated up
 * front; missing chunks become the fill value (or raise `ChunkNotFoundError` when
 * `read_missing_chunks` is false).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { readIndexer } from "./read.ts";
 * import { CoordinateIndexer } from "./indexing/coordinate.ts";
 * const a = await zarr.array([5, 6, 7], { chunks: [2], dtype: "int16" });
 * const ix = CoordinateIndexer.fromSelection([[2, 0, 2]], a.shape, a.metadata.chunkShape);
 * console.log((await readIndexer(a, ix)).data); // Int16Array [7, 5, 7]
 * ```
 */
export async function readIndexer(
  array: AsyncArray,
  ix: Indexer,
  opts: ReadOptions = {},
): Promise<NDArray> {
  // a device prototype (gpu module) reads the indexer itself; the result is a GPUNDArray
  const dev = resolveDevicePrototype(opts.prototype, array.metaArray, config.get("buffer"));
  if (dev) return await dev.readIndexer(array, ix) as NDArray;
  const dt = array.metadata.dataType;
  const slots = slotsPerElement(dt);
  const size = product(ix.shape);
  let out: DataContainer;
  try {
    out = allocate(dt, size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ZarrValueError(
      `selection of shape [${ix.shape}] (${size} elements) is too large to read into memory`,
    );
  }
  const outShape = ix.keepDimsShape;
  const spec = chunkSpecOf(array);
  const fill = fillSlots(array);
  const missing: string[] = [];
  const pipe = array.pipeline;
  // a chain that is only a partial decoder (sharding): windows fetch just the inner chunks needed
  const partial = pipe.arrayArray.length === 0 && pipe.bytesBytes.length === 0 &&
      isPartialDecoder(pipe.arrayBytes)
    ? pipe.arrayBytes
    : undefined;
  const whole = product(spec.shape);
  const decode = chunkDecoder(array); // perf: worker pool when it pays, else in-thread
  const prog = progressReporter(opts.progress, `read ${array.name}`);
  if (opts.progress) prog.start(ix.nchunks);
  await forEachConcurrent(ix, ioConcurrency(), async (p) => {
    await readProjection(p);
    prog.tick();
  });
  prog.finish();
  async function readProjection(p: ChunkProjection): Promise<void> {
    const key = array.chunkKey(p.chunkCoords);
    if (partial) {
      const box = projectionBox(p);
      const boxShape = box.stop.map((s, i) => s - box.start[i]);
      if (product(boxShape) < whole) {
        const sub = await partial.decodePartial((r) => array.store.get(key, r), spec, box, key);
        if (sub === undefined) {
          if (!array.config.readMissingChunks) {
            missing.push(`${key} (chunk ${JSON.stringify(p.chunkCoords)})`);
          } else fillProjection(out, outShape, p, fill, slots);
          return;
        }
        copyProjection(sub.data, boxShape, box.start, p, out, outShape, slots);
        return;
      }
    }
    const bytes = await array.store.get(key);
    if (bytes === undefined) {
      if (!array.config.readMissingChunks) {
        missing.push(`${key} (chunk ${JSON.stringify(p.chunkCoords)})`);
        return;
      }
      fillProjection(out, outShape, p, fill, slots);
      return;
    }
    const chunk = await decode(bytes, key);
    copyProjection(chunk.data, spec.shape, null, p, out, outShape, slots);
  }
  if (missing.length) {
    throw new ChunkNotFoundError(
      `${missing.length} chunk(s) of array ${array.name} are missing and read_missing_chunks is false: ${
        missing.slice(0, 10).join(", ")
      }`,
    );
  }
  return { data: out, shape: [...ix.shape], stride: cStrides(ix.shape), dtype: dt.str };
}
