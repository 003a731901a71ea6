/**
 * The messages of a pooled write: a batch of whole chunks that the calling thread has copied
 * into input slots of a `SharedArrayBuffer`; a codec worker encodes each into its output slot of
 * the same buffer and answers with the encoded sizes (or, for a LocalStore, writes the chunk file
 * itself). Nothing is copied or transferred between threads, and the slots are reused for the
 * whole write.
 *
 * @example
 * ```ts
 * import { LEFT_TO_CALLER } from "./write_messages.ts";
 * console.log(LEFT_TO_CALLER); // -1
 * ```
 * @module
 */
import type { TaskSpec } from "./pool.ts";

/** The size reported for a chunk the worker did not encode (the caller encodes it). */
export const LEFT_TO_CALLER = -1;
/** The size reported for a chunk the worker encoded and also stored (`files` batches). */
export const STORED = -2;

/** Where a worker stores the chunks it encoded itself: a LocalStore of its own. */
export interface FileTarget {
  /** The LocalStore root directory. */
  root: string;
  /** Whether writes are synced to disk (the caller's store setting). */
  fsync: boolean;
}

/** A batch of chunks for one codec worker. */
export interface WriteBatchMessage {
  /** Task id (set by the pool). */
  id: number;
  /** Always `"write"`. */
  op: "write";
  /** Cache key of the pipeline inside the worker. */
  key: string;
  /** v3 codec metadata of the chain. */
  codecs: readonly unknown[];
  /** Array path for messages. */
  where?: string;
  /** Decoded chunk spec. */
  spec: TaskSpec;
  /** Every input slot: a typed array of the data type over a `SharedArrayBuffer`. */
  input: ArrayBufferView;
  /** Container values per input slot (elements times slots per element). */
  slotValues: number;
  /** Every output slot: bytes over a `SharedArrayBuffer`. */
  output: Uint8Array;
  /** Bytes per output slot. */
  slotBytes: number;
  /** The slot of each chunk of the batch (its input and its output). */
  slots: number[];
  /** With `files`: the store key of each chunk, which the worker then stores itself. */
  keys?: string[];
  /** The store the worker writes to (absent: the caller stores the encoded slots). */
  files?: FileTarget;
}

/** A worker's answer to a {@link WriteBatchMessage}. */
export interface WriteBatchReply {
  /**
   * The encoded size of each chunk in its output slot, in batch order, {@link STORED} when the
   * worker stored it too, or {@link LEFT_TO_CALLER}; absent when the whole batch failed
   * (`error`).
   */
  sizes?: Int32Array;
  /** Why the whole batch failed. */
  error?: string;
}
