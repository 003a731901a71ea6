/**
 * Stored-chunk statistics and the fields of `info()`.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { countInitializedChunks } from "./stats.ts";
 * const a = await zarr.ones([4], { chunks: [2] });
 * await a.setitem(null, 2);
 * console.log(await countInitializedChunks(a)); // 2
 * ```
 * @module
 */
import type { AsyncArray } from "./array.ts";
import { decodeChunkKey } from "../metadata/mod.ts";
import { chunkGridShape } from "./indexing/chunk_grid.ts";
import type { ArrayInfoFields } from "./info.ts";
import { codecRepr, dtypeRepr, pyRepr } from "./info.ts";

/** Number of stored chunks (shards for sharded arrays) whose keys are inside the grid. */
export async function countInitializedChunks(array: AsyncArray): Promise<number> {
  const grid = chunkGridShape(array.metadata.shape, array.metadata.chunkShape);
  const prefix = array.path === "" ? "" : array.path + "/";
  let n = 0;
  for await (const key of array.store.listPrefix(prefix)) {
    const coords = decodeChunkKey(array.metadata.chunkKeyEncoding, key.slice(prefix.length));
    if (!coords || coords.length !== grid.length) continue;
    if (coords.every((c, i) => c >= 0 && c < grid[i])) n++;
  }
  return n;
}

/** The fields of zarr-python's ArrayInfo for this array. */
export function arrayInfoFields(array: AsyncArray): ArrayInfoFields {
  const m = array.metadata;
  const codecs = m.codecs[0]?.name === "sharding_indexed"
    ? (m.codecs[0].configuration as { codecs: typeof m.codecs }).codecs
    : m.codecs;
  const fields: ArrayInfoFields = {
    zarrFormat: m.zarrFormat,
    dataTypeRepr: dtypeRepr(
      m.dataType,
      m.zarrFormat === 2 ? (m.v2?.endian ?? null) : endianOf(codecs),
    ),
    fillValueRepr: pyRepr(m.fillValue, m.dataType),
    shape: m.shape,
    chunkShape: array.chunks,
    order: array.order,
    readOnly: array.readOnly,
    storeType: array.store.typeName,
    nbytes: array.nbytes,
    filters: [],
    compressors: [],
    sharded: array.shards !== null,
  };
  if (array.shards) fields.shardShape = array.shards;
  if (m.zarrFormat === 2) {
    fields.filters = (m.v2?.filters ?? []).map((c) => codecRepr(c));
    fields.compressors = m.v2?.compressor ? [codecRepr(m.v2.compressor)] : [];
  } else {
    const i = codecs.findIndex((c) =>
      c.name === "bytes" || c.name.startsWith("vlen-") || c.name === "sharding_indexed"
    );
    fields.filters = codecs.slice(0, Math.max(0, i)).map((c) => codecRepr(c));
    fields.serializer = i >= 0 ? codecRepr(codecs[i]) : undefined;
    fields.compressors = codecs.slice(i + 1).map((c) => codecRepr(c));
  }
  return fields;
}

function endianOf(
  codecs: { name: string; configuration?: Record<string, unknown> }[],
): "little" | "big" | null {
  const b = codecs.find((c) => c.name === "bytes");
  return (b?.configuration?.endian as "little" | "big" | undefined) ?? (b ? null : "little");
}
