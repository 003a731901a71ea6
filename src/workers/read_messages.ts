/**
 * The messages of a pooled read: a batch of chunks that a codec worker reads (from a LocalStore
 * file, or from bytes the main thread fetched), decodes and copies straight into the read's
 * output, a typed array over a `SharedArrayBuffer`. Only a status per chunk comes back.
 *
 * @example
 * ```ts
 * import { ReadStatus } from "./read_messages.ts";
 * console.log(ReadStatus.Missing); // 1
 * ```
 * @module
 */
import type { BasicProjection, ChunkProjection } from "../array/indexing/projection.ts";
import type { TaskSpec } from "./pool.ts";

/** What became of one chunk of a batch. */
export const ReadStatus = {
  /** Decoded and copied into the output. */
  Done: 0,
  /** No such chunk: the caller fills its region (or reports it missing). */
  Missing: 1,
  /** The worker could not do it (unreadable, corrupt, too large...): the caller redoes it. */
  Failed: 2,
} as const;

/** Where the chunks of a batch come from when the worker reads them itself. */
export interface FileSource {
  /** The LocalStore root directory. */
  root: string;
  /** Identity of the calling thread's store instance (a worker keeps one store per id). */
  storeId: number;
}

/** A batch of chunks for one codec worker. */
export interface ReadBatchMessage {
  /** Task id (set by the pool). */
  id: number;
  /** Always `"read"`. */
  op: "read";
  /** Cache key of the pipeline inside the worker. */
  key: string;
  /** v3 codec metadata of the chain. */
  codecs: readonly unknown[];
  /** Array path for messages. */
  where?: string;
  /** Decoded chunk spec. */
  spec: TaskSpec;
  /** The read's output (a typed array over a `SharedArrayBuffer`), C-ordered. */
  out: ArrayBufferView;
  /** The output's shape with dropped axes kept as extent 1. */
  outShape: readonly number[];
  /** Container slots per element (2 for complex). */
  slots: number;
  /** Chunk files are read from this LocalStore (when `bytes` is absent). */
  files?: FileSource;
  /** Chunk files larger than this many bytes are left to the caller. */
  maxFileBytes: number;
  /** Store keys of the chunks. */
  keys: string[];
  /**
   * Basic projections, packed (cheaper to send than objects): per chunk and axis the chunk
   * selection's `start, step, count`, then the output selection's (6 numbers per axis).
   */
  ranges?: Float64Array;
  /** Where each chunk goes in the output, for other projection kinds. */
  projections?: ChunkProjection[];
  /** The chunks' encoded bytes, when the caller fetched them (transferred). */
  bytes?: Uint8Array[];
}

/** A worker's answer: one {@link ReadStatus} per chunk, in batch order. */
export interface ReadBatchReply {
  /** Status per chunk; absent when the whole batch failed (`error`). */
  status?: Uint8Array;
  /** Why the whole batch failed. */
  error?: string;
}

/**
 * Packs the ranges of basic projection `p` at chunk slot `i` of `ranges` (6 numbers per axis).
 *
 * @example
 * ```ts
 * import { packRanges, unpackRanges } from "./read_messages.ts";
 * const r = new Float64Array(6);
 * const one = { start: 0, step: 1, count: 4 };
 * packRanges(r, 0, { chunkCoords: [0], chunkSelection: [one], outSelection: [one], isComplete: true });
 * console.log(unpackRanges(r, 0, 1).outSelection); // [ { start: 0, step: 1, count: 4 } ]
 * ```
 */
export function packRanges(ranges: Float64Array, i: number, p: BasicProjection): void {
  const nd = p.chunkSelection.length;
  let o = i * nd * 6;
  for (let d = 0; d < nd; d++) {
    const c = p.chunkSelection[d], q = p.outSelection[d];
    ranges[o++] = c.start;
    ranges[o++] = c.step;
    ranges[o++] = c.count;
    ranges[o++] = q.start;
    ranges[o++] = q.step;
    ranges[o++] = q.count;
  }
}

/** The basic projection packed at chunk slot `i` of `ranges` (`ndim` axes); no chunk coords. */
export function unpackRanges(ranges: Float64Array, i: number, ndim: number): BasicProjection {
  const chunkSelection = new Array(ndim), outSelection = new Array(ndim);
  let o = i * ndim * 6;
  for (let d = 0; d < ndim; d++) {
    chunkSelection[d] = { start: ranges[o], step: ranges[o + 1], count: ranges[o + 2] };
    outSelection[d] = { start: ranges[o + 3], step: ranges[o + 4], count: ranges[o + 5] };
    o += 6;
  }
  return { chunkCoords: [], chunkSelection, outSelection, isComplete: false };
}
