/**
 * zarr-python's `_like_args`: the creation options that make a new array "like" another.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { likeArgs } from "./like.ts";
 * const a = await zarr.zeros([4], { chunks: [2], dtype: "int8" });
 * console.log(likeArgs(a).chunks); // [2]
 * ```
 * @module
 */
import { AsyncArray } from "../array/array.ts";
import { isNDArray, type NDArray } from "../buffer/ndarray.ts";
import type { ArrayCreateOptions } from "../array/create.ts";
import { inferDataType } from "../metadata/dtype.ts";

/** Options copied from `a`: shape, chunks, dtype; for Zarr arrays also fill value and codecs. */
export function likeArgs(a: AsyncArray | NDArray | ArrayBufferView): ArrayCreateOptions {
  if (a instanceof AsyncArray) {
    const out: ArrayCreateOptions = {
      shape: a.shape,
      chunks: a.chunks,
      dtype: a.dataType,
      fillValue: a.fillValue,
      zarrFormat: a.zarrFormat,
    };
    if (a.zarrFormat === 2) {
      out.order = a.metadata.order;
      out.compressor = a.metadata.v2?.compressor ?? null;
      out.filters = a.metadata.v2?.filters ?? null;
    } else {
      out.codecs = a.metadata.codecs;
      out.chunks = [...a.metadata.chunkShape]; // the grid shape (the shard shape when sharded)
      out.chunkKeyEncoding = a.metadata.chunkKeyEncoding;
    }
    return out;
  }
  if (isNDArray(a)) return { shape: [...a.shape], dtype: a.dtype };
  return {
    shape: [(a as unknown as ArrayLike<unknown>).length],
    dtype: inferDataType(a),
  };
}
