/**
 * The codec worker: a module Web Worker that decodes (or encodes) chunks with the very
 * pipeline code of the main thread. Started by {@link ./pool.ts}; not meant to be imported.
 *
 * Messages in: `{ id, op: "decode", key, codecs, where, spec, bytes }`,
 * `{ id, op: "encode", key, codecs, where, spec, data }` or a read batch (`op: "read"`, see
 * {@link ./read_messages.ts}, answered `{ id, status }`). Messages out: `{ id, data }` (decoded
 * container, its buffer transferred), `{ id, bytes }` (encoded bytes, transferred) or
 * `{ id, error, bytes?, data? }` (the input handed back so the caller can redo the work in its
 * own thread and raise the usual error).
 *
 * @module
 */
import { buildPipeline, type CodecPipeline } from "../codecs/pipeline.ts";
import type { ChunkSpec, CodecMetadata } from "../codecs/types.ts";
import type { DataContainer } from "../metadata/dtype.ts";
import type { TaskMessage } from "./pool.ts";
import type { ReadBatchMessage } from "./read_messages.ts";
import { runReadBatch } from "./read_task.ts";
import type { WriteBatchMessage } from "./write_messages.ts";
import { runWriteBatch } from "./write_task.ts";

const pipelines = new Map<string, CodecPipeline>();

function pipelineFor(m: TaskMessage): CodecPipeline {
  let p = pipelines.get(m.key);
  if (!p) {
    p = buildPipeline(m.codecs as CodecMetadata[], m.where, {
      dtype: m.spec.dtype,
      shape: [...m.spec.shape],
      fillValue: m.spec.fillValue,
    });
    if (pipelines.size > 64) pipelines.clear();
    pipelines.set(m.key, p);
  }
  return p;
}

/** An ArrayBuffer the view may be sent with (the whole buffer, or a copy when it is shared). */
function ownBuffer<T extends ArrayBufferView>(v: T): T {
  if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) return v;
  const C = v.constructor as new (b: ArrayBufferLike) => T;
  return new C(new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice().buffer);
}

const port = globalThis as unknown as {
  onmessage:
    | ((e: MessageEvent<TaskMessage | ReadBatchMessage | WriteBatchMessage>) => void)
    | null;
  postMessage(m: unknown, transfer: ArrayBuffer[]): void;
};

// read batches share the worker's scratch buffers: one at a time, in arrival order
let reads: Promise<void> = Promise.resolve();

port.onmessage = async (e: MessageEvent<TaskMessage | ReadBatchMessage | WriteBatchMessage>) => {
  if (e.data.op === "write") {
    const w = e.data;
    let reply;
    try {
      reply = await runWriteBatch(w);
    } catch (err) {
      reply = { error: String((err as Error)?.message ?? err) };
    }
    port.postMessage({ id: w.id, ...reply }, []);
    return;
  }
  if (e.data.op === "read") {
    const r = e.data;
    reads = reads.then(async () => {
      let reply;
      try {
        reply = await runReadBatch(r);
      } catch (err) {
        reply = { error: String((err as Error)?.message ?? err) };
      }
      port.postMessage({ id: r.id, ...reply }, []);
    });
    return;
  }
  const m = e.data;
  try {
    const pipe = pipelineFor(m);
    const spec: ChunkSpec = {
      shape: [...m.spec.shape],
      dtype: m.spec.dtype,
      fillValue: m.spec.fillValue,
    };
    if (m.op === "decode") {
      const chunk = await pipe.decode(m.bytes!, spec);
      const data = chunk.data;
      if (!ArrayBuffer.isView(data)) throw new Error("decoded chunk is not a typed array");
      const own = ownBuffer(data);
      port.postMessage({ id: m.id, data: own }, [own.buffer as ArrayBuffer]);
    } else {
      const bytes = ownBuffer(
        await pipe.encode({ data: m.data as DataContainer, shape: [...m.spec.shape] }, spec),
      );
      port.postMessage({ id: m.id, bytes }, [bytes.buffer as ArrayBuffer]);
    }
  } catch (e) {
    const back = m.op === "decode" ? m.bytes! : m.data as ArrayBufferView;
    port.postMessage(
      { id: m.id, error: String((e as Error)?.message ?? e), back },
      [back.buffer as ArrayBuffer],
    );
  }
};
