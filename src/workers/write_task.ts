/**
 * The worker side of a pooled write ({@link ./write_messages.ts}): each chunk of a batch is
 * encoded from its input slot straight into its output slot, and with `files` also stored
 * through a LocalStore of the worker's own (same root and fsync setting, the same key checks,
 * temporary file and rename). A chain whose only bytes->bytes
 * codec can encode into a caller's buffer (blosc) runs without any allocation: the array->bytes
 * codec gives a view of the slot, the compressor writes into the output slot. Other chains run
 * the whole pipeline and copy the result into the slot. A chunk that fails, or whose encoding
 * does not fit its slot, is reported {@link LEFT_TO_CALLER}: the caller encodes it in its own
 * thread, which raises the usual errors.
 *
 * @example
 * ```ts
 * import { runWriteBatch } from "./write_task.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const sab = new SharedArrayBuffer(64);
 * const input = new Int32Array(sab, 0, 8).fill(7);
 * const output = new Uint8Array(sab, 32, 32);
 * const reply = await runWriteBatch({
 *   id: 1, op: "write", key: "k", codecs: [{ name: "bytes", configuration: { endian: "little" } }],
 *   spec: { shape: [4], dtype: parseDataType("int32"), fillValue: 0 },
 *   input, slotValues: 4, output, slotBytes: 16, slots: [1],
 * });
 * console.log(reply.sizes, output.subarray(16, 20)); // Int32Array [16] Uint8Array [7, 0, 0, 0]
 * ```
 * @module
 */
import { buildPipeline, type CodecPipeline } from "../codecs/pipeline.ts";
import type { BytesBytesCodec, ChunkSpec, CodecMetadata } from "../codecs/types.ts";
import type { DataContainer } from "../metadata/dtype.ts";
import { LocalStore } from "../stores/local.ts";
import {
  type FileTarget,
  LEFT_TO_CALLER,
  STORED,
  type WriteBatchMessage,
  type WriteBatchReply,
} from "./write_messages.ts";

/** A bytes->bytes codec that can encode into a buffer it is given (blosc). */
export interface EncodesInto {
  /** Encodes `bytes` into `dest` and returns the encoded length. */
  encodeInto(bytes: Uint8Array, dest: Uint8Array): number;
  /** The most bytes {@link EncodesInto.encodeInto} writes for `nbytes` of input. */
  maxEncodedSize(nbytes: number): number;
  /** A reusable output buffer where encoding is cheapest, lent until `release()`. */
  lendOutput?(nbytes: number): { bytes: Uint8Array; release(): void } | undefined;
}

/**
 * The chain's compressor when it can encode into a given buffer and is the chain's only
 * bytes->bytes codec after no array->array codec, else `undefined`.
 *
 * @example
 * ```ts
 * import { directEncoder } from "./write_task.ts";
 * import { buildPipeline } from "../codecs/pipeline.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const pipe = buildPipeline([{ name: "bytes" }, { name: "blosc", configuration: { cname: "lz4" } }],
 *   undefined, { dtype: parseDataType("float32"), shape: [8], fillValue: 0 });
 * console.log(directEncoder(pipe) !== undefined); // true
 * ```
 */
export function directEncoder(pipe: CodecPipeline): (BytesBytesCodec & EncodesInto) | undefined {
  if (pipe.arrayArray.length !== 0 || pipe.bytesBytes.length !== 1) return undefined;
  const c = pipe.bytesBytes[0] as BytesBytesCodec & Partial<EncodesInto>;
  return typeof c.encodeInto === "function" && typeof c.maxEncodedSize === "function"
    ? c as BytesBytesCodec & EncodesInto
    : undefined;
}

const pipelines = new Map<string, CodecPipeline>();
const stores = new Map<string, LocalStore>();

/** This thread's writable LocalStore for `t` (same root and fsync setting as the caller's). */
function storeFor(t: FileTarget): LocalStore {
  const id = `${t.fsync ? 1 : 0}${t.root}`;
  let s = stores.get(id);
  if (!s) {
    if (stores.size > 16) stores.clear();
    s = new LocalStore(t.root, { fsync: t.fsync });
    stores.set(id, s);
  }
  return s;
}

function pipelineFor(m: WriteBatchMessage): CodecPipeline {
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

type Sliceable = ArrayBufferView & { subarray(a: number, b: number): DataContainer };

/**
 * Encodes every chunk of a batch into its output slot and reports the sizes.
 *
 * @example
 * ```ts
 * import { runWriteBatch } from "./write_task.ts";
 * // see the module example
 * console.log(typeof runWriteBatch); // function
 * ```
 */
export async function runWriteBatch(m: WriteBatchMessage): Promise<WriteBatchReply> {
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
  const direct = directEncoder(pipe);
  const store = m.files && m.keys ? storeFor(m.files) : undefined;
  const input = m.input as Sliceable;
  const sizes = new Int32Array(m.slots.length);
  for (let i = 0; i < m.slots.length; i++) {
    const slot = m.slots[i];
    const data = input.subarray(slot * m.slotValues, (slot + 1) * m.slotValues);
    const out = m.output.subarray(slot * m.slotBytes, (slot + 1) * m.slotBytes);
    const chunk = { data, shape: spec.shape };
    // perf: when the worker stores the chunk, encode into the codec's own buffer (no copy)
    let lease: { bytes: Uint8Array; release(): void } | undefined;
    try {
      let encoded: Uint8Array;
      if (direct) {
        const bytes = await pipe.arrayBytes.encode(chunk, spec);
        const need = direct.maxEncodedSize(bytes.length);
        lease = store ? direct.lendOutput?.(bytes.length) : undefined;
        const dest = lease && lease.bytes.length >= need ? lease.bytes : out;
        if (need > dest.length) throw new Error("slot too small");
        encoded = dest.subarray(0, direct.encodeInto(bytes, dest));
      } else {
        encoded = await pipe.encode(chunk, spec);
        if (!store) {
          if (encoded.length > out.length) throw new Error("slot too small");
          out.set(encoded);
        }
      }
      if (store) {
        try {
          await store.set(m.keys![i], encoded);
          sizes[i] = STORED;
        } catch {
          sizes[i] = LEFT_TO_CALLER; // the caller redoes it and raises the error
        }
      } else {
        sizes[i] = encoded.length;
      }
    } catch {
      sizes[i] = LEFT_TO_CALLER;
    } finally {
      lease?.release();
    }
  }
  return { sizes };
}
