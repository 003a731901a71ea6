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
import type { DataContainer } from "../metadata/dtype.ts";
import { copyProjection, fillProjection } from "../buffer/projection_copy.ts";
import { getIndexer } from "./indexing/get_indexer.ts";
import type { ChunkProjection, Indexer } from "./indexing/projection.ts";
import type { Selection } from "./indexing/selection.ts";
import { forEachConcurrent } from "../node/locks.ts";
import { ChunkNotFoundError, ZarrTypeError, ZarrValueError } from "../errors.ts";
import { type ChunkSpec, isPartialDecoder } from "../codecs/types.ts";
import { projectionBox } from "./indexing/projection.ts";
import { chunkDecoder } from "../workers/chunk_codec.ts"; // perf: worker-pool decode
import { PooledRead } from "../workers/chunk_reader.ts"; // perf: workers read, decode, copy
import { LocalStore } from "../stores/local.ts";
import { resolveDevicePrototype } from "../api/meta_array.ts";
import { config } from "../config.ts";
import { type ProgressOption, progressReporter } from "../display/progress.ts";
import { checkOut, isNDArray, isShared, type ReadOut } from "./read_out.ts";

export { copyProjection, fillProjection } from "../buffer/projection_copy.ts";

/**
 * Per-call read options. `P` types `prototype`: with a device prototype (`zarr.gpu.webgpu()`)
 * or a `GPUNDArray` as the type hint, `getitem` and the `get*Selection` methods resolve to that
 * prototype's array type (a `GPUNDArray`) instead of an `NDArray`.
 */
export interface ReadOptions<P = unknown> {
  /** Where the result lands: `zarr.cpu` (default), or a GPU prototype from the gpu module. */
  prototype?: P;
  /**
   * Progress of a large read, in chunks: a callback `({done, total})`, or `true` for a live bar
   * (updated in place in a Jupyter notebook, on stderr in a terminal).
   */
  progress?: ProgressOption;
  /**
   * Where the values land (zarr-python's `out=`): an NDArray of exactly the selection's shape and
   * the array's dtype (C-contiguous), or its flat container alone (a typed array of the dtype's
   * container type and `elements x slots` length; a plain array for string and bytes dtypes).
   * Every element is written (fill value for missing chunks) and the result's `data` is `out`'s
   * container. Backed by a `SharedArrayBuffer` (`zarr.emptyOutput`), large reads decode into it
   * from the codec workers; otherwise they copy in the calling thread. Not with a GPU prototype.
   */
  out?: ReadOut;
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
 * Reads through any indexer (basic, orthogonal, coordinate, mask, block): each intersecting
 * chunk is fetched and decoded once, concurrently, and copied into one output allocated up
 * front; missing chunks become the fill value (or raise `ChunkNotFoundError` when
 * `read_missing_chunks` is false).
 *
 * Large reads of typed data go through the codec worker pool ({@link PooledRead}): the workers
 * read the chunk files themselves (LocalStore) or take the fetched bytes, decode, and copy into
 * an output backed by a `SharedArrayBuffer`, so the result's `data.buffer` is then shared
 * memory. Everything else runs in the calling thread.
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
  if (dev) {
    if (opts.out !== undefined) {
      throw new ZarrTypeError(
        `out argument is for CPU reads: array ${array.name} reads to a GPU prototype here ` +
          "(prototype option, meta_array or config buffer 'webgpu')",
      );
    }
    return await dev.readIndexer(array, ix, opts) as NDArray;
  }
  const dt = array.metadata.dataType;
  // checked before any I/O: a mismatch raises and nothing is read
  const given = opts.out === undefined ? undefined : checkOut(opts.out, ix.shape, dt);
  const slots = slotsPerElement(dt);
  const size = product(ix.shape);
  const outShape = ix.keepDimsShape;
  const spec = chunkSpecOf(array);
  const fill = fillSlots(array);
  const missing: string[] = [];
  const onMissing = (p: ChunkProjection, key: string) => {
    if (!array.config.readMissingChunks) {
      missing.push(`${key} (chunk ${JSON.stringify(p.chunkCoords)})`);
    } else fillProjection(out, outShape, p, fill, slots);
  };
  const prog = progressReporter(opts.progress, `read ${array.basename || "array"}`);
  // an out the workers cannot write (not shared memory) is filled in the calling thread
  const mode = size > 0 && (given === undefined || isShared(given))
    ? PooledRead.mode(array, ix.nchunks)
    : undefined;
  let out: DataContainer;
  let pooled: PooledRead | undefined;
  try {
    pooled = mode
      ? PooledRead.start(
        array,
        size,
        outShape,
        {
          missing: onMissing,
          redo: (p) => readProjection(p),
          done: (n) => prog.tick(n),
        },
        mode,
        given,
      )
      : undefined;
    out = pooled ? pooled.out : given ?? allocate(dt, size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ZarrValueError(
      `selection of shape [${ix.shape}] (${size} elements) is too large to read into memory`,
    );
  }
  const pipe = array.pipeline;
  // a chain that is only a partial decoder (sharding): windows fetch just the inner chunks needed
  const partial = pipe.arrayArray.length === 0 && pipe.bytesBytes.length === 0 &&
      isPartialDecoder(pipe.arrayBytes)
    ? pipe.arrayBytes
    : undefined;
  const whole = product(spec.shape);
  // in-thread decode (the pool's chunks come back here only to be redone, raising the errors)
  const decode = pooled
    ? (bytes: Uint8Array, key: string) => pipe.decode(bytes, spec, key)
    : chunkDecoder(array); // perf: worker pool when it pays, else in-thread
  const owns = array.store instanceof LocalStore;
  if (opts.progress) prog.start(ix.nchunks);
  const isPartial = (p: ChunkProjection) => {
    if (!partial) return false;
    const box = projectionBox(p);
    return product(box.stop.map((s, i) => s - box.start[i])) < whole;
  };
  let error: unknown;
  let failed = false;
  try {
    if (pooled && mode === "files" && !partial) {
      // the workers read the files: hand out keys as fast as they take them
      for (const p of ix) {
        const wait = pooled.push(p, array.chunkKey(p.chunkCoords));
        if (wait) await wait;
      }
    } else {
      await forEachConcurrent(ix, ioConcurrency(), async (p) => {
        if (!pooled || isPartial(p)) {
          await readProjection(p);
          prog.tick();
          return;
        }
        const key = array.chunkKey(p.chunkCoords);
        if (mode === "files") {
          const wait = pooled.push(p, key);
          if (wait) await wait;
          return;
        }
        const bytes = await array.store.get(key);
        if (bytes === undefined) {
          onMissing(p, key);
          prog.tick();
          return;
        }
        const mine = owns && bytes.byteOffset === 0 &&
          bytes.byteLength === bytes.buffer.byteLength;
        const wait = pooled.push(p, key, mine ? bytes : bytes.slice());
        if (wait) await wait;
      });
    }
  } catch (e) {
    failed = true;
    error = e;
  }
  // every chunk handed to the workers settles before the output is returned or dropped
  try {
    await pooled?.finish();
  } catch (e) {
    if (!failed) {
      failed = true;
      error = e;
    }
  }
  if (failed) throw error;
  prog.finish();
  async function readProjection(p: ChunkProjection): Promise<void> {
    const key = array.chunkKey(p.chunkCoords);
    if (partial) {
      const box = projectionBox(p);
      const boxShape = box.stop.map((s, i) => s - box.start[i]);
      if (product(boxShape) < whole) {
        const sub = await partial.decodePartial((r) => array.store.get(key, r), spec, box, key);
        if (sub === undefined) {
          onMissing(p, key);
          return;
        }
        copyProjection(sub.data, boxShape, box.start, p, out, outShape, slots);
        return;
      }
    }
    const bytes = await array.store.get(key);
    if (bytes === undefined) {
      onMissing(p, key);
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
  // an NDArray out is the result itself (its shape, stride and dtype were checked)
  if (given !== undefined && isNDArray(opts.out)) return opts.out;
  return { data: out, shape: [...ix.shape], stride: cStrides(ix.shape), dtype: dt.str };
}
