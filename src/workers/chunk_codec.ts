/**
 * Chunk decode/encode through the codec worker pool when it pays (typed data types, compressed
 * chains, chunks of at least {@link MIN_POOL_BYTES} decoded), in the calling thread otherwise or
 * whenever a worker cannot do it. Results equal the in-thread pipeline's.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { chunkDecoder } from "./chunk_codec.ts";
 * const a = await zarr.array([1, 2, 3, 4], { chunks: [4], dtype: "int32" });
 * const dec = chunkDecoder(a);
 * const bytes = await a.store.get(a.chunkKey([0]));
 * console.log((await dec(bytes!, a.chunkKey([0]))).data); // Int32Array [1, 2, 3, 4]
 * ```
 * @module
 */
import type { AsyncArray } from "../array/array.ts";
import type { Chunk, ChunkSpec } from "../codecs/types.ts";
import { type DataContainer, typedArrayConstructor } from "../metadata/dtype.ts";
import { product } from "../buffer/ndarray.ts";
import { LocalStore } from "../stores/local.ts";
import { codecPool } from "./pool.ts";

/** Decoded chunks smaller than this (bytes) are coded in the calling thread. */
export const MIN_POOL_BYTES = 64 * 1024;

function specOf(array: AsyncArray): ChunkSpec {
  return {
    shape: array.metadata.chunkShape,
    dtype: array.metadata.dataType,
    fillValue: array.effectiveFillValue,
  };
}

/** Whether chunks of `array` go to the pool (a pool exists and the chain is worth it). */
function pooled(array: AsyncArray, spec: ChunkSpec): boolean {
  if (!codecPool()) return false;
  const C = typedArrayConstructor(spec.dtype);
  if (!C || spec.dtype.kind === "V") return false;
  if (product(spec.shape) * spec.dtype.itemsize < MIN_POOL_BYTES) return false;
  try {
    return array.pipeline.encodedSize(spec) === undefined; // compressed (or otherwise costly)
  } catch {
    return false;
  }
}

/**
 * A decoder for whole chunks of `array` (`bytes` as the store returned them), through the
 * worker pool when it pays. The bytes are transferred to the worker when the store hands out
 * fresh buffers (LocalStore), copied otherwise.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { chunkDecoder } from "./chunk_codec.ts";
 * const a = await zarr.full([2], 7, { chunks: [2], dtype: "uint8" });
 * await a.setitem(null, 5);
 * console.log((await chunkDecoder(a)((await a.store.get("c/0"))!, "c/0")).data); // Uint8Array [5, 5]
 * ```
 */
export function chunkDecoder(
  array: AsyncArray,
): (bytes: Uint8Array, key: string) => Promise<Chunk> {
  const pipe = array.pipeline;
  const spec = specOf(array);
  if (!pooled(array, spec)) return (bytes, key) => pipe.decode(bytes, spec, key);
  const owns = array.store instanceof LocalStore;
  const codecs = array.metadata.codecs;
  return async (bytes, key) => {
    const pool = codecPool();
    const whole = owns && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const r = pool?.decode(codecs, pipe.where, spec, whole ? bytes : bytes.slice());
    if (!r) return await pipe.decode(bytes, spec, key);
    const v = await r;
    if ("back" in v) {
      // a worker that died took the bytes with it: read them again
      const again = v.back.length || !whole ? v.back : await array.store.get(key);
      return await pipe.decode(again && again.length ? again : bytes, spec, key);
    }
    return { data: v as unknown as DataContainer, shape: spec.shape };
  };
}

/**
 * An encoder for whole C-ordered chunks of `array`, through the worker pool when it pays. The
 * worker gets a copy of the values (the caller's chunk is never detached).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { chunkEncoder } from "./chunk_codec.ts";
 * const a = await zarr.create([2], { chunks: [2], dtype: "uint8" });
 * const b = await chunkEncoder(a)({ data: Uint8Array.of(1, 2), shape: [2] }, "c/0");
 * console.log(b instanceof Uint8Array); // true
 * ```
 */
export function chunkEncoder(
  array: AsyncArray,
): (chunk: Chunk, key: string) => Promise<Uint8Array> {
  const pipe = array.pipeline;
  const spec = specOf(array);
  if (!pooled(array, spec)) return (chunk, key) => pipe.encode(chunk, spec, key);
  const codecs = array.metadata.codecs;
  return async (chunk, key) => {
    const d = chunk.data as unknown as ArrayBufferView & { slice(): ArrayBufferView };
    const r = codecPool()?.encode(codecs, pipe.where, spec, d.slice());
    if (!r) return await pipe.encode(chunk, spec, key);
    const v = await r;
    return "back" in v ? await pipe.encode(chunk, spec, key) : v;
  };
}
