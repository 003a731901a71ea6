/**
 * A lazily started pool of codec workers (module Web Workers), sized by the config key
 * `threading.max_workers` (default `navigator.hardwareConcurrency`; `0` disables it). Chunks go
 * to the least busy worker with their bytes transferred, not copied; decoded buffers come back
 * transferred. Read batches ({@link CodecPool.read}) go further: the worker reads or takes the
 * chunks and copies them into the caller's shared output, and only statuses come back. Workers
 * idle for {@link IDLE_MS} are terminated (by an unref'd timer), so scripts and tests end without
 * closing the pool.
 * Whenever workers cannot be used (no `node:worker_threads`, a worker failed to start, a codec
 * unknown to the worker...) the calls answer `undefined` or hand the input back, and the caller
 * runs the codecs in its own thread.
 *
 * @example
 * ```ts
 * import { codecPool } from "./pool.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const codecs = [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd" }];
 * const spec = { shape: [4], dtype: parseDataType("float32"), fillValue: 0 };
 * const pool = codecPool();
 * const bytes = await pool?.encode(codecs, "a", spec, Float32Array.of(1, 2, 3, 4));
 * if (bytes instanceof Uint8Array) console.log(await pool?.decode(codecs, "a", spec, bytes));
 * ```
 * @module
 */
import { config } from "../config.ts";
import type { DataType, Scalar } from "../metadata/dtype.ts";
import type { ReadBatchMessage, ReadBatchReply } from "./read_messages.ts";
import type { WriteBatchMessage, WriteBatchReply } from "./write_messages.ts";

/** The spec part of a task (a plain, structured-cloneable object). */
export interface TaskSpec {
  /** Decoded chunk shape. */
  shape: readonly number[];
  /** Data type. */
  dtype: DataType;
  /** Fill value. */
  fillValue: Scalar;
}

/** A message to a codec worker. */
export interface TaskMessage {
  /** Task id. */
  id: number;
  /** What to do. */
  op: "decode" | "encode";
  /** Cache key of the pipeline inside the worker. */
  key: string;
  /** v3 codec metadata of the chain. */
  codecs: readonly unknown[];
  /** Array path for messages. */
  where?: string;
  /** Decoded chunk spec. */
  spec: TaskSpec;
  /** Encoded bytes (decode). */
  bytes?: Uint8Array;
  /** C-ordered chunk values (encode). */
  data?: ArrayBufferView;
}

/** What a task gives back: a result, or the input returned (`back`) with the worker's error. */
type Reply = {
  data?: ArrayBufferView;
  bytes?: Uint8Array;
  error?: string;
  back?: ArrayBufferView;
  status?: Uint8Array;
  sizes?: Int32Array;
};

/** Idle time (ms) after which the workers are terminated. */
export const IDLE_MS = 1500;

interface Slot {
  worker: Worker;
  busy: number;
}

/** Workers the pool would use: `threading.max_workers`, else the core count (0 = no pool). */
export function poolSize(): number {
  const v = config.get("threading.max_workers");
  if (v !== null && v !== undefined) {
    const n = Math.floor(Number(v));
    return Number.isFinite(n) && n > 0 ? n : 0;
  }
  return Math.max(1, Number(globalThis.navigator?.hardwareConcurrency) || 1);
}

/**
 * A pool of codec workers. Use the shared one from {@link codecPool}.
 *
 * @example
 * ```ts
 * import { CodecPool } from "./pool.ts";
 * const pool = new CodecPool(1);
 * pool.close();
 * ```
 */
export class CodecPool {
  #slots: Slot[] = [];
  #pending = new Map<number, { slot: Slot; resolve: (r: Reply) => void }>();
  #next = 1;
  #broken = false;
  #busy = 0;
  #idle: number | undefined;

  /** A pool of at most `size` workers, started on first use. */
  constructor(readonly size: number) {}

  /** False once a worker failed to start or died: callers then use their own thread. */
  get usable(): boolean {
    return !this.#broken && this.size > 0;
  }

  /** Workers started so far. */
  get started(): number {
    return this.#slots.length;
  }

  #fail(): void {
    this.#broken = true;
    this.#busy = 0;
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      p.resolve({ error: "codec worker unavailable" });
    }
    for (const s of this.#slots) s.worker.terminate();
    this.#slots = [];
  }

  #pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.#slots) if (!best || s.busy < best.busy) best = s;
    if ((!best || best.busy > 0) && this.#slots.length < this.size) {
      let worker: Worker;
      try {
        worker = new Worker(new URL("./codec_worker.ts", import.meta.url), { type: "module" });
      } catch {
        this.#broken = true;
        return undefined;
      }
      const slot: Slot = { worker, busy: 0 };
      worker.onmessage = (e: MessageEvent<Reply & { id: number }>) => {
        const m = e.data;
        const p = this.#pending.get(m.id);
        if (!p) return;
        this.#pending.delete(m.id);
        p.slot.busy--;
        if (--this.#busy === 0) this.#armIdle();
        p.resolve(m);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        this.#fail();
      };
      this.#slots.push(slot);
      return slot;
    }
    return best;
  }

  #armIdle(): void {
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    const t = setTimeout(() => {
      this.#idle = undefined;
      if (this.#busy === 0) this.close();
    }, IDLE_MS) as unknown as number;
    this.#idle = t;
    try {
      Deno.unrefTimer(t);
    } catch { /* not Deno: the timer just runs */ }
  }

  #run(
    m: Omit<TaskMessage, "id"> | Omit<ReadBatchMessage, "id"> | Omit<WriteBatchMessage, "id">,
    transfer: ArrayBuffer[],
  ): Promise<Reply> | undefined {
    if (!this.usable) return undefined;
    const slot = this.#pick();
    if (!slot) return undefined;
    const id = this.#next++;
    const reply = new Promise<Reply>((resolve) => this.#pending.set(id, { slot, resolve }));
    slot.busy++;
    if (this.#busy++ === 0 && this.#idle !== undefined) {
      clearTimeout(this.#idle);
      this.#idle = undefined;
    }
    slot.worker.postMessage({ ...m, id }, transfer);
    return reply;
  }

  #key(codecs: readonly unknown[], where: string | undefined, spec: TaskSpec): string {
    return `${where ?? ""}\u0000${spec.dtype.str}\u0000${spec.shape}\u0000${
      String(spec.fillValue)
    }` +
      `\u0000${JSON.stringify(codecs)}`;
  }

  /**
   * Decodes `bytes` (transferred: the caller must not use them afterwards unless they are handed
   * back) in a worker. Resolves to the decoded typed array, or to `{ back }` (the bytes) when
   * the worker could not decode them; `undefined` when no worker is available.
   */
  decode(
    codecs: readonly unknown[],
    where: string | undefined,
    spec: TaskSpec,
    bytes: Uint8Array,
  ): Promise<ArrayBufferView | { back: Uint8Array }> | undefined {
    const r = this.#run(
      { op: "decode", key: this.#key(codecs, where, spec), codecs, where, spec, bytes },
      [bytes.buffer as ArrayBuffer],
    );
    return r?.then((m) =>
      m.data ?? { back: (m.back as Uint8Array | undefined) ?? new Uint8Array(0) }
    );
  }

  /**
   * Encodes a C-ordered chunk (its buffer transferred) in a worker. Resolves to the encoded
   * bytes, or `{ back }` (the values) when the worker could not encode them; `undefined` when no
   * worker is available.
   */
  encode(
    codecs: readonly unknown[],
    where: string | undefined,
    spec: TaskSpec,
    data: ArrayBufferView,
  ): Promise<Uint8Array | { back: ArrayBufferView }> | undefined {
    const r = this.#run(
      { op: "encode", key: this.#key(codecs, where, spec), codecs, where, spec, data },
      [data.buffer as ArrayBuffer],
    );
    return r?.then((m) => m.bytes ?? { back: m.back! });
  }

  /**
   * Sends a batch of chunks to a worker that reads (or takes the transferred `bytes` of), decodes
   * and copies each into the shared output of `m` (see {@link ./read_messages.ts}). Resolves to
   * a status per chunk, or `{ error }` when the whole batch failed (a worker died...);
   * `undefined` when no worker is available.
   */
  read(
    m: Omit<ReadBatchMessage, "id">,
    transfer: ArrayBuffer[],
  ): Promise<ReadBatchReply> | undefined {
    return this.#run(m, transfer)?.then((r) =>
      r.status ? { status: r.status } : { error: r.error ?? "no status from the codec worker" }
    );
  }

  /**
   * Sends a batch of chunks that a worker encodes from the shared input slots of `m` into its
   * output slots, or stores itself when `m.files` is set (see {@link ./write_messages.ts}).
   * Resolves to a size per chunk, or `{ error }` when the whole batch failed; `undefined` when
   * no worker is available.
   */
  write(m: Omit<WriteBatchMessage, "id">): Promise<WriteBatchReply> | undefined {
    return this.#run(m, [])?.then((r) =>
      r.sizes ? { sizes: r.sizes } : { error: r.error ?? "no sizes from the codec worker" }
    );
  }

  /** Batches in flight now, over all workers. */
  get inFlight(): number {
    return this.#busy;
  }

  /** Terminates the workers (a later call starts new ones). */
  close(): void {
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#idle = undefined;
    this.#busy = 0;
    for (const s of this.#slots) s.worker.terminate();
    this.#slots = [];
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      p.resolve({ error: "pool closed" });
    }
  }
}

let shared: CodecPool | undefined;

/**
 * The shared pool sized by `threading.max_workers` (rebuilt when the setting changes), or
 * `undefined` when it is disabled (`0`) or workers failed.
 *
 * @example
 * ```ts
 * import { codecPool } from "./pool.ts";
 * console.log(codecPool() === undefined || codecPool()!.size > 0); // true
 * ```
 */
export function codecPool(): CodecPool | undefined {
  const n = poolSize();
  if (n === 0) return undefined;
  if (shared && shared.size !== n) {
    shared.close();
    shared = undefined;
  }
  shared ??= new CodecPool(n);
  return shared.usable ? shared : undefined;
}

/** Decode workers the read path uses now (0 when chunks decode in the calling thread). */
export function decodeWorkers(): number {
  return codecPool()?.size ?? 0;
}
