/**
 * Pooled reads: the codec workers read (LocalStore files, opened by the worker itself) or take
 * (bytes the caller fetched from any other store) whole chunks, decode them and copy them
 * straight into the read's output, a typed array over a `SharedArrayBuffer`. The calling thread
 * only hands out batches of chunk keys; it copies nothing and no decoded bytes cross threads.
 *
 * Chunks are grouped into batches of about {@link BATCH_BYTES} decoded bytes (at most
 * {@link BATCH_CHUNKS} chunks), and at most two batches per worker are in flight, so memory stays
 * near the output size whatever the number of chunks. Chunks a worker could not do (corrupt,
 * unreadable, too large) are redone in the calling thread, which raises the usual errors.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { PooledRead } from "./chunk_reader.ts";
 * const a = await zarr.zeros([1000], { chunks: [10], dtype: "int32" });
 * console.log(PooledRead.mode(a, 1) === undefined); // true: small in-memory reads stay in thread
 * ```
 * @module
 */
import type { AsyncArray } from "../array/array.ts";
import type { BasicProjection, ChunkProjection } from "../array/indexing/projection.ts";
import type { ChunkSpec } from "../codecs/types.ts";
import { type DataContainer, typedArrayConstructor } from "../metadata/dtype.ts";
import { product } from "../buffer/ndarray.ts";
import { LocalStore } from "../stores/local.ts";
import { type CodecPool, codecPool } from "./pool.ts";
import { type FileSource, packRanges, type ReadBatchReply, ReadStatus } from "./read_messages.ts";
import { MIN_POOL_BYTES } from "./chunk_codec.ts";

/** Decoded bytes per batch (a batch closes when it reaches this). */
export const BATCH_BYTES = 1 << 20;
/** Chunks per batch at most. */
export const BATCH_CHUNKS = 256;
/** Batches in flight per worker. */
export const BATCHES_PER_WORKER = 2;
/** Uncompressed LocalStore reads go to the pool from this many chunks... */
export const MIN_FILE_CHUNKS = 16;
/** ...and this many decoded bytes on. */
export const MIN_FILE_BYTES = 256 * 1024;

/** How a read's chunks reach the workers: read by them, or fetched by the caller. */
export type PooledMode = "files" | "bytes";

/** What the caller does for the chunks a worker did not copy. */
export interface PooledReadHandlers {
  /** The chunk does not exist (fill its region, or note it missing). */
  missing(p: ChunkProjection, key: string): void;
  /** The worker could not do it: read it in the calling thread (raising the usual errors). */
  redo(p: ChunkProjection, key: string): Promise<void>;
  /** `n` more chunks are finished. */
  done(n: number): void;
}

interface Batch {
  keys: string[];
  projections: ChunkProjection[];
  /** Basic projections packed for the worker (absent: the batch sends `projections`). */
  ranges?: Float64Array;
  bytes?: Uint8Array[];
  transfer: ArrayBuffer[];
}

const storeIds = new WeakMap<LocalStore, number>();
let nextStoreId = 1;

function fileSource(store: LocalStore): FileSource {
  let id = storeIds.get(store);
  if (id === undefined) storeIds.set(store, id = nextStoreId++);
  return { root: store.root, storeId: id };
}

/** The store reads chunk files the plain LocalStore way (no wrapped or overridden `get`). */
function plainLocal(store: unknown): store is LocalStore {
  return store instanceof LocalStore && store.get === LocalStore.prototype.get;
}

function specOf(array: AsyncArray): ChunkSpec {
  return {
    shape: array.metadata.chunkShape,
    dtype: array.metadata.dataType,
    fillValue: array.effectiveFillValue,
  };
}

/**
 * One pooled read into a shared output. Feed it the whole-chunk projections with
 * {@link PooledRead.push} (awaiting what it returns: that is the back-pressure), then await
 * {@link PooledRead.finish}.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { PooledRead } from "./chunk_reader.ts";
 * const dir = await Deno.makeTempDir();
 * const a = await zarr.full([4096], 1, { chunks: [64], dtype: "float32", store: dir });
 * await a.setitem(null, 2);
 * const r = PooledRead.start(a, 4096, [4096], {
 *   missing: () => {},
 *   redo: () => Promise.resolve(),
 *   done: () => {},
 * }, "files")!;
 * r.push({
 *   chunkCoords: [0], chunkSelection: [{ start: 0, step: 1, count: 64 }],
 *   outSelection: [{ start: 0, step: 1, count: 64 }], isComplete: true,
 * }, a.chunkKey([0]));
 * await r.finish();
 * console.log(r.out[63], r.out[64]); // 2 0
 * ```
 */
export class PooledRead {
  /** The output: a typed array over a `SharedArrayBuffer`. */
  readonly out: DataContainer;
  readonly #pool: CodecPool;
  readonly #base: Omit<
    Parameters<CodecPool["read"]>[0],
    "keys" | "projections" | "ranges" | "bytes"
  >;
  readonly #ndim: number;
  readonly #handlers: PooledReadHandlers;
  readonly #weight: number;
  readonly #max: number;
  #batch: Batch | undefined;
  #ready: Batch[] = [];
  #inflight = 0;
  #waiters: (() => void)[] = [];
  #pending = new Set<Promise<void>>();
  #failed = false;
  #error: unknown;

  private constructor(
    pool: CodecPool,
    array: AsyncArray,
    out: DataContainer,
    outShape: readonly number[],
    handlers: PooledReadHandlers,
    mode: PooledMode,
  ) {
    const spec = specOf(array);
    const dt = spec.dtype;
    const slots = dt.kind === "complex" ? 2 : 1;
    const chunkBytes = product(spec.shape) * dt.itemsize;
    this.out = out;
    this.#pool = pool;
    this.#handlers = handlers;
    this.#weight = Math.max(1, chunkBytes);
    this.#ndim = spec.shape.length;
    this.#max = Math.max(1, pool.size) * BATCHES_PER_WORKER;
    this.#base = {
      op: "read",
      key: poolKey(array, spec),
      codecs: array.metadata.codecs,
      where: array.pipeline.where,
      spec,
      out: out as unknown as ArrayBufferView,
      outShape,
      slots,
      files: mode === "files" ? fileSource(array.store as LocalStore) : undefined,
      maxFileBytes: 2 * chunkBytes + (1 << 20),
    };
  }

  /**
   * How chunks of `array` would reach the pool for a read of `nchunks` chunks: `"files"` (a plain
   * LocalStore: the workers read the files), `"bytes"` (another store, compressed chunks of at
   * least `MIN_POOL_BYTES`), or `undefined` (read in the calling thread: no pool, a data type
   * without typed arrays, or too little work to be worth it).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * import { PooledRead } from "./chunk_reader.ts";
   * const a = await zarr.create([8], { chunks: [4], dtype: "string" });
   * console.log(PooledRead.mode(a, 2)); // undefined
   * ```
   */
  static mode(array: AsyncArray, nchunks: number): PooledMode | undefined {
    if (typeof SharedArrayBuffer !== "function" || !codecPool()) return undefined;
    const spec = specOf(array);
    const dt = spec.dtype;
    if (!typedArrayConstructor(dt) || dt.kind === "V") return undefined;
    const chunkBytes = product(spec.shape) * dt.itemsize;
    let compressed: boolean;
    try {
      compressed = array.pipeline.encodedSize(spec) === undefined;
    } catch {
      return undefined;
    }
    const costly = compressed && chunkBytes >= MIN_POOL_BYTES;
    if (plainLocal(array.store)) {
      const many = nchunks >= MIN_FILE_CHUNKS && nchunks * chunkBytes >= MIN_FILE_BYTES;
      return costly || many ? "files" : undefined;
    }
    return costly ? "bytes" : undefined;
  }

  /**
   * Starts a pooled read of `size` elements (output shape `outShape`, dropped axes kept as 1)
   * into `out` (the caller's: a typed array of the data type's container type, `size x slots`
   * long, over a `SharedArrayBuffer`) or else a newly allocated shared output; `undefined` when
   * the pool is gone.
   */
  static start(
    array: AsyncArray,
    size: number,
    outShape: readonly number[],
    handlers: PooledReadHandlers,
    mode: PooledMode,
    given?: DataContainer,
  ): PooledRead | undefined {
    const pool = codecPool();
    if (!pool) return undefined;
    const dt = array.metadata.dataType;
    const C = typedArrayConstructor(dt)!;
    const slots = dt.kind === "complex" ? 2 : 1;
    const width = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const out = given ?? new C(new SharedArrayBuffer(size * slots * width)) as DataContainer;
    return new PooledRead(pool, array, out, outShape, handlers, mode);
  }

  /**
   * Queues the whole chunk of projection `p` (store key `key`; `bytes` when the caller fetched
   * them: they are transferred). Returns a promise to await before pushing more while full
   * batches wait for a free worker, else `undefined`. Throws the first error of a redone chunk.
   */
  push(p: ChunkProjection, key: string, bytes?: Uint8Array): Promise<void> | undefined {
    if (this.#failed) throw this.#error;
    const basic = p.kind === undefined;
    if (this.#batch && (this.#batch.ranges !== undefined) !== basic) this.#close();
    const b = this.#batch ??= {
      keys: [],
      projections: [],
      ranges: basic ? new Float64Array(this.#perBatch * this.#ndim * 6) : undefined,
      bytes: bytes ? [] : undefined,
      transfer: [],
    };
    if (b.ranges) packRanges(b.ranges, b.keys.length, p as BasicProjection);
    b.keys.push(key);
    b.projections.push(p);
    if (bytes && b.bytes) {
      b.bytes.push(bytes);
      b.transfer.push(bytes.buffer as ArrayBuffer);
    }
    if (b.keys.length >= this.#perBatch) this.#close();
    if (this.#ready.length === 0) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Sends what is queued, waits for every chunk, and throws the first error. */
  async finish(): Promise<void> {
    if (this.#batch) this.#close();
    while (this.#pending.size) await Promise.all([...this.#pending]);
    if (this.#failed) throw this.#error;
  }

  /** Chunks per batch: about {@link BATCH_BYTES} decoded, at most {@link BATCH_CHUNKS}. */
  get #perBatch(): number {
    return Math.max(1, Math.min(BATCH_CHUNKS, Math.ceil(BATCH_BYTES / this.#weight)));
  }

  /** Ends the batch being filled and sends it when a worker has room. */
  #close(): void {
    const b = this.#batch!;
    this.#batch = undefined;
    if (b.ranges) {
      b.ranges = b.ranges.subarray(0, b.keys.length * this.#ndim * 6);
      b.transfer.push(b.ranges.buffer as ArrayBuffer);
    }
    this.#ready.push(b);
    this.#send();
  }

  /** Sends ready batches while fewer than the maximum are in flight. */
  #send(): void {
    while (this.#ready.length && this.#inflight < this.#max) this.#dispatch(this.#ready.shift()!);
    if (this.#ready.length === 0) {
      const w = this.#waiters;
      this.#waiters = [];
      for (const f of w) f();
    }
  }

  #dispatch(b: Batch): void {
    const r = this.#failed ? undefined : this.#pool.read(
      {
        ...this.#base,
        keys: b.keys,
        ranges: b.ranges,
        projections: b.ranges ? undefined : b.projections,
        bytes: b.bytes,
      },
      b.transfer,
    );
    this.#inflight++;
    const task = (r ?? Promise.resolve<ReadBatchReply>({ error: "no codec worker" }))
      .then((reply) => this.#complete(b, reply))
      .catch((e) => this.#fail(e))
      .finally(() => {
        this.#pending.delete(task);
        this.#inflight--;
        this.#send();
      });
    this.#pending.add(task);
  }

  async #complete(b: Batch, reply: ReadBatchReply): Promise<void> {
    const st = reply.status;
    const redo: Promise<void>[] = [];
    let n = 0;
    for (let i = 0; i < b.keys.length; i++) {
      const s = st ? st[i] : ReadStatus.Failed;
      if (s === ReadStatus.Done) n++;
      else if (s === ReadStatus.Missing) {
        this.#handlers.missing(b.projections[i], b.keys[i]);
        n++;
      } else if (!this.#failed) {
        redo.push(
          this.#handlers.redo(b.projections[i], b.keys[i]).then(() => this.#handlers.done(1)),
        );
      }
    }
    if (n) this.#handlers.done(n);
    const rs = await Promise.allSettled(redo);
    for (const r of rs) if (r.status === "rejected") this.#fail(r.reason);
  }

  #fail(e: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#error = e;
  }
}

function poolKey(array: AsyncArray, spec: ChunkSpec): string {
  return `${array.pipeline.where ?? ""}\u0000${spec.dtype.str}\u0000${spec.shape}\u0000${
    String(spec.fillValue)
  }\u0000${JSON.stringify(array.metadata.codecs)}`;
}
