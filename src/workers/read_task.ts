/**
 * The worker side of a pooled read ({@link ./read_messages.ts}): for each chunk of a batch, read
 * its file (through a LocalStore of the worker's own, so keys get the same validation and
 * symlink confinement as `LocalStore.get`) into a reused scratch buffer, or take the bytes the
 * caller sent; decode with the array's pipeline; copy the projection straight into the shared
 * output. Nothing but a status per chunk goes back. Any failure is reported as
 * {@link ReadStatus.Failed} and the caller redoes that chunk in its own thread, so errors keep
 * their usual type and message.
 *
 * @example
 * ```ts
 * import { runReadBatch } from "./read_task.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const out = new Uint8Array(new SharedArrayBuffer(2));
 * const reply = await runReadBatch({
 *   id: 1, op: "read", key: "k", codecs: [{ name: "bytes" }],
 *   spec: { shape: [2], dtype: parseDataType("uint8"), fillValue: 0 },
 *   out, outShape: [2], slots: 1, maxFileBytes: 64, keys: ["c/0"],
 *   ranges: Float64Array.of(0, 1, 2, 0, 1, 2), // chunk [0:2] -> out [0:2]
 *   bytes: [Uint8Array.of(7, 8)],
 * });
 * console.log(reply.status, out); // Uint8Array [0] Uint8Array [7, 8]
 * ```
 * @module
 */
import { buildPipeline, CodecPipeline } from "../codecs/pipeline.ts";
import type { ChunkSpec, CodecMetadata } from "../codecs/types.ts";
import type { DataContainer } from "../metadata/dtype.ts";
import { LocalStore } from "../stores/local.ts";
import { copyProjection } from "../buffer/projection_copy.ts";
import {
  type ReadBatchMessage,
  type ReadBatchReply,
  ReadStatus,
  unpackRanges,
} from "./read_messages.ts";
import { releaseZstdScratch, scratchZstd } from "./zstd_scratch.ts";

const pipelines = new Map<string, CodecPipeline>();
const stores = new Map<number, LocalStore>();
/** Scratch buffers above this size are dropped after each batch. */
const KEEP_SCRATCH = 1 << 24;
let scratch = new Uint8Array(1 << 16);

function pipelineFor(m: ReadBatchMessage): CodecPipeline {
  let p = pipelines.get(m.key);
  if (!p) {
    const built = buildPipeline(m.codecs as CodecMetadata[], m.where, {
      dtype: m.spec.dtype,
      shape: [...m.spec.shape],
      fillValue: m.spec.fillValue,
    });
    // decoded chunks are copied out before the next decode: zstd may reuse one buffer
    p = new CodecPipeline(
      built.arrayArray,
      built.arrayBytes,
      built.bytesBytes.map(scratchZstd),
      built.where,
    );
    if (pipelines.size > 64) pipelines.clear();
    pipelines.set(m.key, p);
  }
  return p;
}

function storeFor(root: string, id: number): LocalStore {
  let s = stores.get(id);
  if (!s) {
    if (stores.size > 16) stores.clear();
    s = new LocalStore(root, { readOnly: true });
    stores.set(id, s);
  }
  return s;
}

/** Why a chunk is left to the caller (an internal marker, never shown). */
class LeftToCaller extends Error {}

function isMissing(e: unknown): boolean {
  return e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory ||
    e instanceof Deno.errors.IsADirectory;
}

/**
 * The whole file at `path` in the scratch buffer (valid until the next call); `undefined` when
 * there is no such file. Files above `max` bytes raise {@link LeftToCaller}.
 */
function readFile(path: string, max: number): Uint8Array | undefined {
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(path, { read: true });
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
  try {
    let n = 0;
    for (;;) {
      if (n === scratch.length) {
        const info = f.statSync();
        if (!info.isFile) return undefined;
        const want = Math.max(info.size + 1, n * 2);
        if (n > max || info.size > max) throw new LeftToCaller();
        const bigger = new Uint8Array(Math.min(want, max + 1));
        bigger.set(scratch.subarray(0, n));
        scratch = bigger;
      }
      const r = f.readSync(scratch.subarray(n));
      if (r === null) break;
      n += r;
    }
    return scratch.subarray(0, n);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  } finally {
    f.close();
  }
}

/**
 * Reads, decodes and copies every chunk of a batch into the shared output.
 *
 * @example
 * ```ts
 * import { runReadBatch } from "./read_task.ts";
 * // see the module example
 * console.log(typeof runReadBatch); // function
 * ```
 */
export async function runReadBatch(m: ReadBatchMessage): Promise<ReadBatchReply> {
  const status = new Uint8Array(m.keys.length);
  let pipe: CodecPipeline;
  try {
    pipe = pipelineFor(m);
  } catch (e) {
    return { error: String((e as Error)?.message ?? e) };
  }
  const spec: ChunkSpec = {
    shape: [...m.spec.shape],
    dtype: m.spec.dtype,
    fillValue: m.spec.fillValue,
  };
  const out = m.out as unknown as DataContainer;
  const store = m.files ? storeFor(m.files.root, m.files.storeId) : undefined;
  const nd = spec.shape.length;
  for (let i = 0; i < m.keys.length; i++) {
    try {
      let bytes: Uint8Array | undefined;
      if (m.bytes) bytes = m.bytes[i];
      else if (store) bytes = readFile(await store.filePath(m.keys[i]), m.maxFileBytes);
      if (bytes === undefined) {
        status[i] = ReadStatus.Missing;
        continue;
      }
      const chunk = await pipe.decode(bytes, spec, m.keys[i]);
      const p = m.ranges ? unpackRanges(m.ranges, i, nd) : m.projections![i];
      copyProjection(chunk.data, spec.shape, null, p, out, m.outShape, m.slots);
    } catch {
      status[i] = ReadStatus.Failed;
    }
  }
  if (scratch.length > KEEP_SCRATCH) scratch = new Uint8Array(1 << 16);
  releaseZstdScratch(KEEP_SCRATCH);
  return { status };
}
