/**
 * Pooled writes: the calling thread copies each whole chunk into an input slot of a
 * `SharedArrayBuffer`, a codec worker encodes it into the matching output slot and, for a plain
 * LocalStore, writes the chunk file itself; for other stores the calling thread hands a view (or
 * a copy) of the slot to the store. No chunk is allocated, copied for a worker or transferred;
 * the slots (a few per worker) are reused for the whole write, and their buffer is kept for the
 * next write.
 *
 * Chunks go to a worker at once while fewer than {@link BATCHES_PER_WORKER} batches per worker
 * are in flight; beyond that they wait in batches of about {@link BATCH_BYTES} (at most
 * {@link BATCH_CHUNKS} chunks), sent as workers finish. Chunks a worker did not encode (or
 * store) come back as `undefined`, and the caller encodes and stores them in its own thread,
 * which raises the usual errors.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { PooledWrite } from "./chunk_writer.ts";
 * const a = await zarr.create([4], { chunks: [2], dtype: "int8" });
 * console.log(PooledWrite.start(a, 2)); // undefined: small uncompressed chunks stay in thread
 * ```
 * @module
 */
import type { AsyncArray } from "../array/array.ts";
import type { ChunkSpec } from "../codecs/types.ts";
import { type DataContainer, typedArrayConstructor } from "../metadata/dtype.ts";
import { product } from "../buffer/ndarray.ts";
import { type CodecPool, codecPool } from "./pool.ts";
import {
  type FileTarget,
  LEFT_TO_CALLER,
  STORED,
  type WriteBatchMessage,
  type WriteBatchReply,
} from "./write_messages.ts";
import { LocalStore } from "../stores/local.ts";
import { directEncoder } from "./write_task.ts";
import { MIN_POOL_BYTES } from "./chunk_codec.ts";

/** Decoded bytes per waiting batch (a batch closes when it reaches this). */
export const BATCH_BYTES = 1 << 20;
/** Chunks per batch at most. */
export const BATCH_CHUNKS = 64;
/** Batches in flight per worker. */
export const BATCHES_PER_WORKER = 2;
/** Batches' worth of slots besides those in flight: being filled, or being stored. */
export const SPARE_BATCHES = 4;

/** A pool that takes write batches (the method is optional: older pools lack it). */
type WritePool = CodecPool & {
  write?(m: Omit<WriteBatchMessage, "id">): Promise<WriteBatchReply> | undefined;
};

/** One buffer of slots kept between writes (the largest recently used one)... */
let spare: SharedArrayBuffer | undefined;
/** ...for this long after the last write (ms)... */
const KEEP_MS = 2000;
/** ...unless above this size. */
const KEEP_BYTES = 64 << 20;
let dropTimer: number | undefined;

/** Keeps `buffer` for the next write, for {@link KEEP_MS}. */
function keepSpare(buffer: SharedArrayBuffer): void {
  if (buffer.byteLength > KEEP_BYTES) return;
  if (!spare || spare.byteLength < buffer.byteLength) spare = buffer;
  if (dropTimer !== undefined) clearTimeout(dropTimer);
  dropTimer = setTimeout(() => {
    spare = undefined;
    dropTimer = undefined;
  }, KEEP_MS) as unknown as number;
  try {
    Deno.unrefTimer(dropTimer);
  } catch { /* not Deno: the timer just runs */ }
}

interface Waiting {
  slot: number;
  key: string;
  resolve: (bytes: Uint8Array | "stored" | undefined) => void;
}

/**
 * Where the workers may store chunks themselves: a plain LocalStore (its own `get`/`set`, not
 * read-only) that tells its fsync setting; else `undefined` (the caller stores).
 */
function fileTarget(store: unknown): FileTarget | undefined {
  if (!(store instanceof LocalStore) || store.readOnly) return undefined;
  if (store.set !== LocalStore.prototype.set) return undefined;
  const fsync = (store as unknown as { fsync?: unknown }).fsync;
  return typeof fsync === "boolean" ? { root: store.root, fsync } : undefined;
}

function specOf(array: AsyncArray): ChunkSpec {
  return {
    shape: array.metadata.chunkShape,
    dtype: array.metadata.dataType,
    fillValue: array.effectiveFillValue,
  };
}

/**
 * One pooled write. {@link PooledWrite.acquire} a slot, fill {@link PooledWrite.input} with the
 * chunk's values, {@link PooledWrite.encode} it, store the bytes, then
 * {@link PooledWrite.release} the slot; {@link PooledWrite.close} at the end.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { PooledWrite } from "./chunk_writer.ts";
 * const a = await zarr.create([65536], { chunks: [32768], dtype: "float32", compressor: { id: "zstd" }, zarrFormat: 2 });
 * const w = PooledWrite.start(a, 2); // undefined without a pool
 * if (w) {
 *   const slot = await w.acquire();
 *   (w.input(slot) as Float32Array).fill(1.5);
 *   const bytes = await w.encode(slot, a.chunkKey([0])); // in memory: the caller stores them
 *   console.log(bytes === undefined || (bytes !== "stored" && bytes.length < 1000)); // true
 *   w.release(slot);
 *   w.close();
 * }
 * ```
 */
export class PooledWrite {
  readonly #pool: WritePool;
  readonly #base: Omit<WriteBatchMessage, "id" | "slots" | "keys">;
  readonly #buffer: SharedArrayBuffer;
  readonly #inputs: DataContainer[] = [];
  readonly #free: number[] = [];
  readonly #slotWaiters: ((slot: number) => void)[] = [];
  readonly #batchChunks: number;
  readonly #maxInflight: number;
  #queue: Waiting[][] = [];
  #inflight = 0;
  #closed = false;

  /** Slots of this write (chunks being filled, encoded or stored at once). */
  readonly slots: number;

  private constructor(pool: WritePool, array: AsyncArray, spec: ChunkSpec, slotBytes: number) {
    const dt = spec.dtype;
    const C = typedArrayConstructor(dt)!;
    const width = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const slotValues = product(spec.shape) * (dt.kind === "complex" ? 2 : 1);
    const inBytes = slotValues * width;
    this.#pool = pool;
    this.#batchChunks = Math.max(1, Math.min(BATCH_CHUNKS, Math.floor(BATCH_BYTES / inBytes)));
    this.#maxInflight = Math.max(1, pool.size) * BATCHES_PER_WORKER;
    this.slots = (this.#maxInflight + SPARE_BATCHES) * this.#batchChunks;
    const need = this.slots * (inBytes + slotBytes);
    let buffer = spare;
    if (buffer && buffer.byteLength >= need) spare = undefined;
    else buffer = new SharedArrayBuffer(need);
    this.#buffer = buffer;
    const input = new C(buffer, 0, this.slots * slotValues) as unknown as ArrayBufferView;
    const output = new Uint8Array(buffer, this.slots * inBytes, this.slots * slotBytes);
    for (let s = 0; s < this.slots; s++) {
      this.#inputs.push(new C(buffer, s * inBytes, slotValues) as DataContainer);
      this.#free.push(this.slots - 1 - s);
    }
    this.#base = {
      op: "write",
      key: poolKey(array, spec),
      codecs: array.metadata.codecs,
      where: array.pipeline.where,
      spec,
      input,
      slotValues,
      output,
      slotBytes,
      files: fileTarget(array.store),
    };
  }

  /**
   * A pooled write for `nchunks` whole chunks of `array`, or `undefined` when chunks are better
   * encoded in the calling thread: no pool (or one without write batches), no
   * `SharedArrayBuffer`, a data type without typed arrays, an uncompressed chain, or chunks
   * under `MIN_POOL_BYTES`.
   */
  static start(array: AsyncArray, nchunks: number): PooledWrite | undefined {
    if (typeof SharedArrayBuffer !== "function" || nchunks < 1) return undefined;
    const pool = codecPool() as WritePool | undefined;
    if (!pool || typeof pool.write !== "function") return undefined;
    const spec = specOf(array);
    const dt = spec.dtype;
    if (!typedArrayConstructor(dt) || dt.kind === "V") return undefined;
    const inBytes = product(spec.shape) * dt.itemsize;
    if (inBytes < MIN_POOL_BYTES) return undefined;
    try {
      if (array.pipeline.encodedSize(spec) !== undefined) return undefined; // uncompressed
    } catch {
      return undefined;
    }
    const direct = directEncoder(array.pipeline);
    const slotBytes = direct
      ? direct.maxEncodedSize(inBytes)
      : inBytes + Math.ceil(inBytes / 64) + 4096;
    return new PooledWrite(pool, array, spec, slotBytes);
  }

  /** A free slot (waits while every slot is busy). */
  acquire(): Promise<number> {
    const s = this.#free.pop();
    if (s !== undefined) return Promise.resolve(s);
    return new Promise((resolve) => this.#slotWaiters.push(resolve));
  }

  /** The input of `slot`: a container for one whole chunk, C-ordered (not zeroed). */
  input(slot: number): DataContainer {
    return this.#inputs[slot];
  }

  /**
   * Encodes the chunk in `slot` (store key `key`): resolves to `"stored"` when the worker also
   * wrote it to the store (a LocalStore), else to a view of its output slot (valid until the
   * slot is released) for the caller to store, or `undefined` when no worker did it (the caller
   * then encodes and stores it).
   */
  encode(slot: number, key: string): Promise<Uint8Array | "stored" | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const w: Waiting = { slot, key, resolve };
      const last = this.#queue[this.#queue.length - 1];
      if (last && last.length < this.#batchChunks) last.push(w);
      else this.#queue.push([w]);
      this.#send();
    });
  }

  /** Gives `slot` back. */
  release(slot: number): void {
    const next = this.#slotWaiters.shift();
    if (next) next(slot);
    else this.#free.push(slot);
  }

  /** Ends the write: keeps the slot buffer for the next one. Call once every slot is back. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    keepSpare(this.#buffer);
  }

  #send(): void {
    while (this.#queue.length && this.#inflight < this.#maxInflight) {
      const batch = this.#queue.shift()!;
      this.#dispatch(batch);
    }
  }

  #dispatch(batch: Waiting[]): void {
    let r: Promise<WriteBatchReply> | undefined;
    try {
      r = this.#pool.write!({
        ...this.#base,
        slots: batch.map((w) => w.slot),
        keys: this.#base.files ? batch.map((w) => w.key) : undefined,
      });
    } catch {
      r = undefined;
    }
    if (!r) {
      for (const w of batch) w.resolve(undefined);
      return;
    }
    this.#inflight++;
    r.then(
      (reply) => this.#complete(batch, reply),
      () => this.#complete(batch, { error: "codec worker failed" }),
    ).finally(() => {
      this.#inflight--;
      this.#send();
    });
  }

  #complete(batch: Waiting[], reply: WriteBatchReply): void {
    const out = this.#base.output;
    const size = this.#base.slotBytes;
    for (let i = 0; i < batch.length; i++) {
      const n = reply.sizes ? reply.sizes[i] : LEFT_TO_CALLER;
      const { slot, resolve } = batch[i];
      if (n === STORED) resolve("stored");
      else if (n < 0) resolve(undefined);
      else resolve(out.subarray(slot * size, slot * size + n));
    }
  }
}

function poolKey(array: AsyncArray, spec: ChunkSpec): string {
  return `w\u0000${array.pipeline.where ?? ""}\u0000${spec.dtype.str}\u0000${spec.shape}\u0000${
    String(spec.fillValue)
  }\u0000${JSON.stringify(array.metadata.codecs)}`;
}
