/**
 * The write path: value -> dtype container -> per-chunk projections; each touched chunk is
 * written once, whole chunks without reading, partial ones by read-modify-write under a
 * per-key lock (so concurrent writers in a process lose nothing). Chunks equal to the fill value
 * are deleted unless `write_empty_chunks` is set (a word-at-a-time check that stops at the first
 * difference).
 *
 * Perf: whole chunks of compressed typed arrays go through a pooled write
 * (`../workers/chunk_writer.ts`): each is filled in a reused shared slot and encoded there by a
 * codec worker, which also writes the file of a plain LocalStore; other stores get a view of the
 * encoded slot (LocalStore) or a copy (stores that keep values). Other chunks are encoded by
 * `chunkEncoder` (the pool when it pays, else here).
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
import {
  allocate,
  allocateFilled,
  type DataContainer,
  type DataType,
  fillContainer,
  slotsPerElement,
} from "../metadata/dtype.ts";
import { allEqual, type BroadcastPlan, copyRegion, planBroadcast } from "../buffer/copy.ts";
import { axisCount, copyOrthogonal, scatterPoints } from "../buffer/gather.ts";
import { getIndexer } from "./indexing/get_indexer.ts";
import type { ChunkProjection, Indexer } from "./indexing/projection.ts";
import type { Selection } from "./indexing/selection.ts";
import { forEachConcurrent, withKeyLock } from "../node/locks.ts";
import { chunkEncoder } from "../workers/chunk_codec.ts"; // perf: worker-pool encode
import { PooledWrite } from "../workers/chunk_writer.ts"; // perf: workers encode shared slots
import { LocalStore } from "../stores/local.ts";
import { coerceToContainer } from "./values.ts";
import { chunkSpecOf } from "./read.ts";
import type { Chunk } from "../codecs/types.ts";
import { ZarrValueError } from "../errors.ts";
import { type ProgressOption, progressReporter } from "../display/progress.ts";

/** Per-call write options. */
export interface WriteOptions {
  /**
   * Progress of a large write, in chunks: a callback `({done, total})`, or `true` for a live bar
   * (updated in place in a Jupyter notebook, on stderr in a terminal).
   */
  progress?: ProgressOption;
}

/**
 * Writes any selection accepted by `setitem` (basic, or integer arrays / masks dispatched to
 * coordinate, mask or orthogonal indexing).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { writeSelection } from "./write.ts";
 * const a = await zarr.zeros([3, 3], { chunks: [2, 2], dtype: "int8" });
 * await writeSelection(a, [[0, 2], [0, 2]], 1); // the points (0, 0) and (2, 2)
 * console.log((await a.getitem(null)).data); // Int8Array [1, 0, 0, 0, 0, 0, 0, 0, 1]
 * ```
 */
export async function writeSelection(
  array: AsyncArray,
  selection: Selection,
  value: unknown,
  opts: WriteOptions = {},
): Promise<void> {
  const ix = getIndexer(selection, array.metadata.shape, array.metadata.chunkShape);
  await writeIndexer(array, ix, value, opts);
}

/** The write value, prepared once per write for the indexer's kind of projection. */
type Source =
  | { kind: "region"; data: DataContainer; plan: BroadcastPlan }
  | { kind: "points"; data: DataContainer; size: number; broadcast: boolean };

/**
 * Prepares the value of a point (coordinate/mask) write, zarr-python style: a scalar (or any
 * single element) is broadcast, a value with as many elements as points is taken in C order
 * (whatever its shape), and anything else must broadcast numpy-style to the selection shape;
 * otherwise `ZarrValueError("Attempting to set a selection of N elements with an array of M
 * elements.")`.
 */
function pointSource(
  v: { data: DataContainer; shape: number[] },
  selShape: readonly number[],
  dt: DataType,
): Source {
  const n = product(selShape);
  const m = product(v.shape);
  if (m === 1) return { kind: "points", data: v.data, size: 1, broadcast: true };
  if (m === n) return { kind: "points", data: v.data, size: n, broadcast: false };
  let plan: BroadcastPlan;
  try {
    plan = planBroadcast(v.shape, selShape);
  } catch {
    throw new ZarrValueError(
      `Attempting to set a selection of ${n} elements with an array of ${m} elements.`,
    );
  }
  const slots = slotsPerElement(dt);
  const out = allocate(dt, n);
  const whole = selShape.map((c) => ({ start: 0, step: 1, count: c }));
  copyRegion(v.data, plan.shape, plan.ranges(whole), out, selShape, whole, slots);
  return { kind: "points", data: out, size: n, broadcast: false };
}

/** Copies the value's part for one projection into the (decoded or fresh) chunk. */
function applyProjection(
  src: Source,
  p: ChunkProjection,
  chunk: DataContainer,
  chunkShape: readonly number[],
  slots: number,
): void {
  if (p.kind === "points") {
    if (src.kind !== "points") throw new ZarrValueError("point projection without point source");
    scatterPoints(
      src.data,
      src.size,
      src.broadcast ? null : p.outSelection,
      chunk,
      chunkShape,
      p.chunkSelection,
      slots,
    );
    return;
  }
  if (src.kind !== "region") throw new ZarrValueError("region projection without region source");
  const { plan } = src;
  if (p.kind === "orthogonal") {
    const srcSel = p.outSelection.map((s, i) =>
      plan.shape[i] === 1 ? { start: 0, step: 0, count: axisCount(s) } : s
    );
    copyOrthogonal(src.data, plan.shape, srcSel, chunk, chunkShape, p.chunkSelection, slots);
    return;
  }
  copyRegion(
    src.data,
    plan.shape,
    plan.ranges(p.outSelection),
    chunk,
    chunkShape,
    p.chunkSelection,
    slots,
  );
}

/**
 * Writes through any indexer (basic, orthogonal, coordinate, mask, block). The value is
 * broadcast numpy-style (a scalar fills the selection); every touched chunk is written exactly
 * once: complete chunks without a read, partial ones by read-modify-write under the per-key
 * lock. With repeated indices or points the last value wins, as in numpy.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { writeIndexer } from "./write.ts";
 * import { orthogonalIndexer } from "./indexing/orthogonal.ts";
 * const a = await zarr.zeros([4], { chunks: [2], dtype: "int32" });
 * await writeIndexer(a, orthogonalIndexer([[3, 0, 3]], a.shape, a.metadata.chunkShape), [1, 2, 3]);
 * console.log((await a.getitem(null)).data); // Int32Array [2, 0, 0, 3]
 * ```
 */
export async function writeIndexer(
  array: AsyncArray,
  ix: Indexer,
  value: unknown,
  opts: WriteOptions = {},
): Promise<void> {
  const dt = array.metadata.dataType;
  const slots = slotsPerElement(dt);
  const v = coerceToContainer(value, dt);
  const src: Source = ix.kind === "points"
    ? pointSource(v, ix.shape, dt)
    : { kind: "region", data: v.data, plan: planBroadcast(v.shape, ix.shape, ix.dropAxes) };
  const spec = chunkSpecOf(array);
  const n = product(spec.shape);
  const fill = array.effectiveFillValue;
  const writeEmpty = array.config.writeEmptyChunks;
  const encode = chunkEncoder(array); // perf: worker pool when it pays, else in-thread
  // perf: whole chunks are filled in shared slots and encoded there by the workers
  const pooled = PooledWrite.start(array, ix.nchunks);
  const lanes = Math.max(ioConcurrency(), pooled?.slots ?? 0);
  const prog = progressReporter(opts.progress, `write ${array.basename || "array"}`);
  if (opts.progress) prog.start(ix.nchunks);
  try {
    await forEachConcurrent(ix, lanes, async (p: ChunkProjection) => {
      const key = array.chunkKey(p.chunkCoords);
      await withKeyLock(
        array.store,
        key,
        () => pooled && p.isComplete ? writePooled(pooled, p, key) : writeProjection(p, key),
      );
      prog.tick();
    });
  } finally {
    pooled?.close();
  }
  prog.finish();

  /** Whether the whole chunk of `p` reaches past the array's end (its padding needs the fill). */
  function padded(p: ChunkProjection): boolean {
    return p.chunkCoords.some((c, i) => (c + 1) * spec.shape[i] > array.metadata.shape[i]);
  }

  async function writeProjection(p: ChunkProjection, key: string): Promise<void> {
    let chunk: Chunk;
    if (p.isComplete) {
      // the value covers the chunk: only edge padding (beyond the array) needs the fill value
      chunk = {
        data: padded(p) ? allocateFilled(dt, n, fill) : allocate(dt, n),
        shape: spec.shape,
      };
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
    applyProjection(src, p, chunk.data, spec.shape, slots);
    if (!writeEmpty && allEqual(dt, chunk.data, fill)) {
      await array.store.delete(key);
      return;
    }
    const bytes = await encode(chunk, key);
    await array.store.set(key, bytes);
  }

  /** A whole chunk through a slot of the pooled write (the store gets a view of the slot). */
  async function writePooled(w: PooledWrite, p: ChunkProjection, key: string): Promise<void> {
    const slot = await w.acquire();
    try {
      const data = w.input(slot);
      if (padded(p)) fillContainer(dt, data, fill, 0, n);
      applyProjection(src, p, data, spec.shape, slots);
      if (!writeEmpty && allEqual(dt, data, fill)) {
        await array.store.delete(key);
        return;
      }
      let bytes = await w.encode(slot, key);
      if (bytes === "stored") return; // the worker wrote the LocalStore file
      if (bytes === undefined) {
        bytes = await array.pipeline.encode({ data, shape: spec.shape }, spec, key);
      } else if (!writesThrough(array.store)) {
        bytes = bytes.slice(); // the store may keep the value: give it its own copy
      }
      await array.store.set(key, bytes);
    } finally {
      w.release(slot);
    }
  }
}

/**
 * Whether `store.set` is done with the value when it resolves (a plain LocalStore writes it to
 * a file), so it may be given a view of a reused buffer.
 */
function writesThrough(store: unknown): boolean {
  return store instanceof LocalStore && store.set === LocalStore.prototype.set;
}
