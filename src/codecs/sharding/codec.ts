/**
 * The `sharding_indexed` codec (array -> bytes) of the Zarr v3 sharding specification: a shard
 * is cut into inner chunks of `chunk_shape`, each coded by an inner codec pipeline, stored back to
 * back (in Morton order) with an index of `(offset, nbytes)` uint64 pairs at the start or the end
 * of the shard. Missing inner chunks read as the fill value; inner chunks equal to the fill value
 * are not stored. {@link ShardingCodec.decodePartial} reads a window of a shard with ranged
 * requests (the index, then coalesced runs of the needed inner chunks).
 *
 * @example
 * ```ts
 * import { buildPipeline } from "../pipeline.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const dtype = parseDataType("int32");
 * const p = buildPipeline([{
 *   name: "sharding_indexed",
 *   configuration: { chunk_shape: [2], codecs: [{ name: "bytes", configuration: { endian: "little" } }] },
 * }], "a", { dtype, shape: [4] });
 * const spec = { shape: [4], dtype, fillValue: 0 };
 * const bytes = await p.encode({ data: Int32Array.of(1, 2, 0, 0), shape: [4] }, spec);
 * console.log(bytes.length); // 8 data bytes + 2 * 16 index bytes + 4 crc32c bytes = 44
 * console.log((await p.decode(bytes, spec)).data); // Int32Array [1, 2, 0, 0]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError, ZarrValueError } from "../../errors.ts";
import {
  allocate,
  allocateFilled,
  type DataType,
  parseDataType,
  slotsPerElement,
} from "../../metadata/dtype.ts";
import { allEqual, copyRegion, type DimRange } from "../../buffer/copy.ts";
import { product } from "../../buffer/ndarray.ts";
import { config } from "../../config.ts";
import { forEachConcurrent } from "../../node/locks.ts";
import type { RangeRequest } from "../../stores/types.ts";
import { errorMessage, readConfig, whereSuffix } from "../common.ts";
import type { FactoryContext, InnerPipeline } from "../registry.ts";
import type { ArrayBytesCodec, Chunk, ChunkSpec, CodecMetadata } from "../types.ts";
import { coalesceRanges } from "./coalesce.ts";
import { MISSING, parseShardIndex, type ShardIndex, unravel } from "./index.ts";
import { mortonOrder } from "./morton.ts";

/** Where the shard index is stored. */
export type IndexLocation = "start" | "end";

/** The uint64 data type of shard indexes. */
const UINT64: DataType = parseDataType("uint64");

/** Inner chunks coded concurrently per shard. */
const INNER_CONCURRENCY = 16;

/** The default inner codecs (`bytes`, little-endian), as zarr-python fills them in. */
export const DEFAULT_SHARDING_CODECS: readonly CodecMetadata[] = Object.freeze([
  { name: "bytes", configuration: { endian: "little" } },
]);

/** The default index codecs: `bytes` little-endian, then `crc32c`. */
export const DEFAULT_INDEX_CODECS: readonly CodecMetadata[] = Object.freeze([
  { name: "bytes", configuration: { endian: "little" } },
  { name: "crc32c" },
]);

/**
 * The factory context of the sharding codec: the registry's {@link FactoryContext}, optionally
 * with the shard shape (`shape`) so that divisibility is checked when the codec is built.
 */
export interface ShardingFactoryContext extends FactoryContext {
  /** The shard shape (the decoded-side chunk shape), when the builder knows it. */
  shape?: readonly number[];
}

/** Options of {@link ShardingCodec.decodePartial}. */
export interface PartialDecodeOptions {
  /**
   * Largest gap in bytes between two needed inner chunks that one request still spans
   * (default: config `array.sharding_coalesce_max_gap_bytes`, 1 MiB).
   */
  maxGap?: number;
  /**
   * Largest size in bytes of one coalesced request (default: config
   * `array.sharding_coalesce_max_bytes`, 16 MiB).
   */
  maxBytes?: number;
  /** Requests in flight at once (default: config `async.concurrency`). */
  concurrency?: number;
}

/** A window of a shard: `[start, stop)` per axis, in shard-local element coordinates. */
export interface ShardBox {
  /** First element per axis (inclusive). */
  start: readonly number[];
  /** End per axis (exclusive). */
  stop: readonly number[];
}

/** The parts a {@link ShardingCodec} is made of. */
export interface ShardingCodecParts {
  /** Inner chunk shape. */
  chunkShape: readonly number[];
  /** Pipeline of the inner chunks. */
  inner: InnerPipeline;
  /** Pipeline of the index (must have a fixed encoded size). */
  index: InnerPipeline;
  /** Index position (default `"end"`). */
  indexLocation?: IndexLocation;
  /** Array path for messages. */
  where?: string;
}

function fullRanges(shape: readonly number[]): DimRange[] {
  return shape.map((c) => ({ start: 0, step: 1, count: c }));
}

/**
 * The v3 `sharding_indexed` codec. Build it from metadata through the codec pipeline (which
 * supplies the nested pipeline builder), e.g. with `buildPipeline` or by creating an array with
 * `shards`.
 *
 * `toJSON()` writes zarr-python 3's form: `{"name": "sharding_indexed", "configuration":
 * {"chunk_shape", "codecs", "index_codecs", "index_location"}}` with the inner chains as evolved
 * for the data type.
 *
 * Encoding skips inner chunks that equal the fill value (zarr-python's default
 * `write_empty_chunks=false` behaviour) and lays the others out in Morton order; a shard whose
 * inner chunks are all empty encodes to the index alone. `encodedSize` is undefined (sizes vary).
 *
 * @example
 * ```ts
 * import { buildPipeline } from "../pipeline.ts";
 * import { ShardingCodec } from "./codec.ts";
 * const p = buildPipeline([{ name: "sharding_indexed", configuration: { chunk_shape: [8, 8] } }]);
 * const codec = p.arrayBytes as ShardingCodec;
 * console.log(codec.supportsPartialDecode, codec.indexLocation); // true end
 * ```
 */
export class ShardingCodec implements ArrayBytesCodec {
  /** Codec kind. */
  readonly kind = "array_to_bytes" as const;
  /** v3 name. */
  readonly name = "sharding_indexed";
  /**
   * Marks codecs that implement {@link ShardingCodec.decodePartial} (ranged reads of a window of
   * one stored object).
   */
  readonly supportsPartialDecode = true;
  /** Inner chunk shape. */
  readonly chunkShape: readonly number[];
  /** Index position. */
  readonly indexLocation: IndexLocation;
  /** Pipeline of the inner chunks. */
  readonly inner: InnerPipeline;
  /** Pipeline of the shard index. */
  readonly index: InnerPipeline;
  /** Array path for messages. */
  readonly where?: string;

  /** A codec from already-built parts (see {@link ShardingCodec.fromMetadata}). */
  constructor(parts: ShardingCodecParts) {
    this.chunkShape = Object.freeze([...parts.chunkShape]);
    this.inner = parts.inner;
    this.index = parts.index;
    this.indexLocation = parts.indexLocation ?? "end";
    this.where = parts.where;
  }

  /**
   * Builds the codec from v3 metadata. `ctx.buildPipeline` (given by the codec pipeline) builds
   * the inner and index pipelines; `ctx.dtype`, `ctx.ndim` and `ctx.shape`, when known, are
   * checked against the configuration. Bad configurations raise
   * {@link MetadataValidationError} naming `ctx.where`.
   *
   * @example
   * ```ts
   * import { buildPipeline } from "../pipeline.ts";
   * const p = buildPipeline([{
   *   name: "sharding_indexed",
   *   configuration: { chunk_shape: [2, 2], index_location: "start" },
   * }]);
   * console.log(p.toJSON()[0].configuration?.index_location); // start
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: ShardingFactoryContext = {}): ShardingCodec {
    const where = ctx.where;
    const fail = (msg: string): never => {
      throw new MetadataValidationError(`codec 'sharding_indexed': ${msg}${whereSuffix(where)}`);
    };
    const cfg = readConfig(
      meta,
      ["chunk_shape", "codecs", "index_codecs", "index_location"],
      where,
    );
    const cs = cfg.chunk_shape;
    if (
      !Array.isArray(cs) || cs.length === 0 ||
      cs.some((x) => typeof x !== "number" || !Number.isSafeInteger(x) || x < 1)
    ) {
      fail(
        `'chunk_shape' must be a non-empty list of positive integers, got ${JSON.stringify(cs)}`,
      );
    }
    const chunkShape = cs as number[];
    const ndim = ctx.shape?.length ?? ctx.ndim;
    if (ndim !== undefined && ndim !== chunkShape.length) {
      fail(
        `'chunk_shape' [${chunkShape}] has ${chunkShape.length} dimension(s) but the shards ` +
          `have ${ndim}`,
      );
    }
    if (ctx.shape) {
      ctx.shape.forEach((edge, i) => {
        if (edge % chunkShape[i] !== 0) {
          fail(
            `the shard shape [${ctx.shape}] is not divisible by the inner chunk shape ` +
              `[${chunkShape}] (dimension ${i})`,
          );
        }
      });
    }
    const loc = cfg.index_location ?? "end";
    if (loc !== "start" && loc !== "end") {
      fail(`'index_location' must be "start" or "end", got ${JSON.stringify(loc)}`);
    }
    const codecs = cfg.codecs ?? DEFAULT_SHARDING_CODECS;
    const indexCodecs = cfg.index_codecs ?? DEFAULT_INDEX_CODECS;
    if (!Array.isArray(codecs)) fail(`'codecs' must be a list, got ${JSON.stringify(codecs)}`);
    if (!Array.isArray(indexCodecs)) {
      fail(`'index_codecs' must be a list, got ${JSON.stringify(indexCodecs)}`);
    }
    const build = ctx.buildPipeline;
    if (!build) {
      fail("the nested pipelines need a pipeline builder; build the codec through a pipeline");
    }
    const inner = build!(codecs as CodecMetadata[], where, {
      dtype: ctx.dtype,
      shape: [...chunkShape],
    });
    // Nested sharding: the inner chunk shape is the nested codec's shard shape, known here.
    const nested = inner as Partial<{ arrayArray: readonly unknown[]; arrayBytes: unknown }>;
    if (nested.arrayBytes instanceof ShardingCodec && nested.arrayArray?.length === 0) {
      nested.arrayBytes.chunksPerShard(chunkShape);
    }
    const indexProbe = [...new Array<number>(chunkShape.length).fill(1), 2];
    const index = build!(indexCodecs as CodecMetadata[], where, {
      dtype: UINT64,
      shape: indexProbe,
    });
    let size: number | undefined;
    try {
      size = index.encodedSize({ shape: indexProbe, dtype: UINT64, fillValue: MISSING });
    } catch (e) {
      fail(`invalid 'index_codecs': ${errorMessage(e)}`);
    }
    if (size === undefined) {
      fail(
        `'index_codecs' must have a fixed encoded size (e.g. bytes + crc32c, no compressors), ` +
          `got ${JSON.stringify(index.toJSON().map((c) => c.name))}`,
      );
    }
    return new ShardingCodec({
      chunkShape,
      inner,
      index,
      indexLocation: loc as IndexLocation,
      where,
    });
  }

  /** v3 metadata, in zarr-python 3's key order. */
  toJSON(): CodecMetadata {
    return {
      name: "sharding_indexed",
      configuration: {
        chunk_shape: [...this.chunkShape],
        codecs: this.inner.toJSON(),
        index_codecs: this.index.toJSON(),
        index_location: this.indexLocation,
      },
    };
  }

  /** Encoded size: undefined (inner chunks vary in size and may be omitted). */
  encodedSize(_spec: ChunkSpec): number | undefined {
    return undefined;
  }

  /**
   * Inner chunks per shard along each axis for a shard of `shape`. Raises
   * {@link MetadataValidationError} when the rank differs or an axis is not divisible.
   *
   * @example
   * ```ts
   * import { buildPipeline } from "../pipeline.ts";
   * import type { ShardingCodec } from "./codec.ts";
   * const p = buildPipeline([{ name: "sharding_indexed", configuration: { chunk_shape: [2, 5] } }]);
   * console.log((p.arrayBytes as ShardingCodec).chunksPerShard([4, 10])); // [2, 2]
   * ```
   */
  chunksPerShard(shape: readonly number[]): number[] {
    const cs = this.chunkShape;
    if (shape.length !== cs.length) {
      throw new MetadataValidationError(
        `codec 'sharding_indexed': the shard shape [${shape}] and the inner chunk shape [${cs}] ` +
          `have different ranks${whereSuffix(this.where)}`,
      );
    }
    return shape.map((s, i) => {
      if (s % cs[i] !== 0) {
        throw new MetadataValidationError(
          `codec 'sharding_indexed': the shard shape [${shape}] is not divisible by the inner ` +
            `chunk shape [${cs}] (dimension ${i})${whereSuffix(this.where)}`,
        );
      }
      return s / cs[i];
    });
  }

  /**
   * Size in bytes of the encoded index of a shard of `shape`.
   *
   * @example
   * ```ts
   * import { buildPipeline } from "../pipeline.ts";
   * import type { ShardingCodec } from "./codec.ts";
   * const p = buildPipeline([{ name: "sharding_indexed", configuration: { chunk_shape: [2] } }]);
   * console.log((p.arrayBytes as ShardingCodec).indexSize([8])); // 4 * 16 + 4 = 68
   * ```
   */
  indexSize(shape: readonly number[]): number {
    const cps = this.chunksPerShard(shape);
    const size = this.index.encodedSize(indexSpec(cps));
    if (size === undefined) {
      throw new MetadataValidationError(
        `codec 'sharding_indexed': the index codecs have no fixed encoded size${
          whereSuffix(this.where)
        }`,
      );
    }
    return size;
  }

  /** The spec of one inner chunk of a shard of `spec`. */
  private innerSpec(spec: ChunkSpec): ChunkSpec {
    return { shape: [...this.chunkShape], dtype: spec.dtype, fillValue: spec.fillValue };
  }

  /** Decodes and validates an encoded index. */
  private async readIndex(
    bytes: Uint8Array,
    cps: number[],
    region: { start: number; end?: number },
  ): Promise<ShardIndex> {
    const chunk = await this.index.decode(bytes, indexSpec(cps), "shard index");
    const raw = chunk.data;
    if (!(raw instanceof BigUint64Array) && !(raw instanceof BigInt64Array)) {
      throw new Error("the index codecs did not decode to 64-bit integers");
    }
    return parseShardIndex(raw, cps, region);
  }

  /** Decodes inner chunk `i` and copies the part inside `[lo, hi)` (shard coords) to `out`. */
  private async decodeInner(
    bytes: Uint8Array,
    i: number,
    cps: number[],
    innerSpec: ChunkSpec,
    out: Chunk,
    lo: readonly number[],
    hi: readonly number[],
  ): Promise<void> {
    const g = unravel(i, cps);
    const cs = this.chunkShape;
    const chunk = await this.inner.decode(bytes, innerSpec, `inner chunk [${g}]`);
    const src: DimRange[] = [];
    const dst: DimRange[] = [];
    for (let d = 0; d < cs.length; d++) {
      const c0 = g[d] * cs[d];
      const a = Math.max(c0, lo[d]);
      const b = Math.min(c0 + cs[d], hi[d]);
      src.push({ start: a - c0, step: 1, count: b - a });
      dst.push({ start: a - lo[d], step: 1, count: b - a });
    }
    copyRegion(
      chunk.data,
      cs,
      src,
      out.data,
      out.shape,
      dst,
      slotsPerElement(innerSpec.dtype),
    );
  }

  /**
   * Decodes a whole shard: validates the index against the shard's length (a corrupt index
   * raises an `Error`, wrapped by the pipeline into a `CodecError` naming the key), decodes each
   * present inner chunk through the inner pipeline and places it; missing inner chunks read as
   * `spec.fillValue`.
   */
  async decode(bytes: Uint8Array, spec: ChunkSpec): Promise<Chunk> {
    const shape = [...spec.shape];
    const cps = this.chunksPerShard(shape);
    const indexSize = this.indexSize(shape);
    if (bytes.length < indexSize) {
      throw new Error(
        `shard of ${bytes.length} bytes is shorter than its index (${indexSize} bytes): ` +
          `truncated or not a shard`,
      );
    }
    const atStart = this.indexLocation === "start";
    const indexBytes = atStart
      ? bytes.subarray(0, indexSize)
      : bytes.subarray(bytes.length - indexSize);
    const region = atStart
      ? { start: indexSize, end: bytes.length }
      : { start: 0, end: bytes.length - indexSize };
    const idx = await this.readIndex(indexBytes, cps, region);
    const dt = spec.dtype;
    const n = product(shape);
    const innerSpec = this.innerSpec(spec);
    if (idx.size === 1 && !idx.isMissing(0)) {
      const off = idx.offsets[0];
      return await this.inner.decode(
        bytes.subarray(off, off + idx.lengths[0]),
        innerSpec,
        `inner chunk [${unravel(0, cps)}]`,
      );
    }
    let anyMissing = false;
    const present: number[] = [];
    for (let i = 0; i < idx.size; i++) {
      if (idx.isMissing(i)) anyMissing = true;
      else present.push(i);
    }
    const out: Chunk = {
      data: anyMissing ? allocateFilled(dt, n, spec.fillValue) : allocate(dt, n),
      shape,
    };
    const zero = shape.map(() => 0);
    await forEachConcurrent(present, INNER_CONCURRENCY, async (i) => {
      const off = idx.offsets[i];
      await this.decodeInner(
        bytes.subarray(off, off + idx.lengths[i]),
        i,
        cps,
        innerSpec,
        out,
        zero,
        shape,
      );
    });
    return out;
  }

  /**
   * Encodes a whole shard: inner chunks equal to the fill value are left out, the others are
   * encoded through the inner pipeline and laid out in Morton order, followed (or preceded) by
   * the encoded index.
   */
  async encode(chunk: Chunk, spec: ChunkSpec): Promise<Uint8Array> {
    const shape = [...spec.shape];
    const cps = this.chunksPerShard(shape);
    const indexSize = this.indexSize(shape);
    const dt = spec.dtype;
    const slots = slotsPerElement(dt);
    const cs = this.chunkShape;
    const innerSpec = this.innerSpec(spec);
    const innerN = product(cs);
    const n = product(cps);
    const parts = new Array<Uint8Array | undefined>(n);
    const full = fullRanges(cs);
    const morton = mortonOrder(cps);
    await forEachConcurrent(morton, INNER_CONCURRENCY, async (i) => {
      let data = chunk.data;
      if (n > 1) {
        const g = unravel(i, cps);
        data = allocate(dt, innerN);
        const src = g.map((gi, d) => ({ start: gi * cs[d], step: 1, count: cs[d] }));
        copyRegion(chunk.data, shape, src, data, cs, full, slots);
      }
      if (allEqual(dt, data, spec.fillValue)) return;
      parts[i] = await this.inner.encode(
        { data, shape: [...cs] },
        innerSpec,
        `inner chunk [${unravel(i, cps)}]`,
      );
    });
    const raw = new BigUint64Array(2 * n).fill(MISSING);
    const base = this.indexLocation === "start" ? indexSize : 0;
    let pos = 0;
    const order = morton.filter((i) => parts[i] !== undefined);
    for (const i of order) {
      const len = parts[i]!.length;
      raw[2 * i] = BigInt(base + pos);
      raw[2 * i + 1] = BigInt(len);
      pos += len;
    }
    const indexBytes = await this.index.encode(
      { data: raw, shape: [...cps, 2] },
      indexSpec(cps),
      "shard index",
    );
    if (indexBytes.length !== indexSize) {
      throw new Error(
        `the index codecs produced ${indexBytes.length} bytes, expected ${indexSize}`,
      );
    }
    const out = new Uint8Array(indexSize + pos);
    let at = base;
    for (const i of order) {
      out.set(parts[i]!, at);
      at += parts[i]!.length;
    }
    out.set(indexBytes, this.indexLocation === "start" ? 0 : pos);
    return out;
  }

  /**
   * Reads the window `box` of one shard with ranged requests, without fetching the whole shard.
   *
   * Contract (for the array read path):
   * - `fetch(range)` reads a byte range of the stored shard object (`store.get(key, range)`) and
   *   resolves `undefined` when the object does not exist.
   * - `spec` is the spec of the whole shard (`shape` = the array's chunk shape in metadata, i.e.
   *   the shard shape; `dtype`; `fillValue`).
   * - `box` is `[start, stop)` per axis in shard-local element coordinates (`0 <= start <= stop
   *   <= spec.shape`); the result is a C-contiguous chunk of shape `stop - start` holding those
   *   elements, with missing inner chunks read as `spec.fillValue`. Resolves `undefined` when the
   *   shard does not exist (so the caller can apply `read_missing_chunks`).
   * - Requests: exactly one for the index (`{suffix: indexSize}` with the index at the end,
   *   `{offset: 0, length: indexSize}` at the start), then one `{offset, length}` request per
   *   group of needed inner chunks, coalesced when the gap is at most `maxGap` and the group at
   *   most `maxBytes` (config `array.sharding_coalesce_max_gap_bytes` /
   *   `array.sharding_coalesce_max_bytes` unless given), issued concurrently.
   * - Only valid when this codec is the whole chain of the array (no array->array codec before
   *   it, no bytes->bytes codec after it): check `pipeline.arrayArray.length === 0 &&
   *   pipeline.bytesBytes.length === 0 && pipeline.arrayBytes.supportsPartialDecode`.
   * - Errors (corrupt or truncated index or data) raise a {@link CodecError} naming `key` and the
   *   array; a bad `box` raises `ZarrValueError`. The result never shares memory with fetched
   *   bytes.
   * - Nested sharding: inner shards are fetched and decoded whole.
   *
   * @example
   * ```ts
   * import { buildPipeline } from "../pipeline.ts";
   * import { MemoryStore } from "../../stores/memory.ts";
   * import { parseDataType } from "../../metadata/dtype.ts";
   * import type { ShardingCodec } from "./codec.ts";
   * const dtype = parseDataType("uint8");
   * const p = buildPipeline([{ name: "sharding_indexed", configuration: { chunk_shape: [2, 2] } }],
   *   "a", { dtype, shape: [4, 4] });
   * const spec = { shape: [4, 4], dtype, fillValue: 0 };
   * const store = new MemoryStore();
   * await store.set("c/0/0", await p.encode({ data: new Uint8Array(16).fill(7), shape: [4, 4] }, spec));
   * const codec = p.arrayBytes as ShardingCodec;
   * const win = await codec.decodePartial((r) => store.get("c/0/0", r), spec,
   *   { start: [1, 1], stop: [3, 2] }, "c/0/0");
   * console.log(win?.shape, win?.data); // [2, 1] Uint8Array [7, 7]
   * ```
   */
  async decodePartial(
    fetch: (range: RangeRequest) => Promise<Uint8Array | undefined>,
    spec: ChunkSpec,
    box: ShardBox,
    key?: string,
    options: PartialDecodeOptions = {},
  ): Promise<Chunk | undefined> {
    const shape = [...spec.shape];
    const ndim = shape.length;
    if (box.start.length !== ndim || box.stop.length !== ndim) {
      throw new ZarrValueError(
        `sharding decodePartial: the box has ${box.start.length}/${box.stop.length} axes, the ` +
          `shard [${shape}] has ${ndim}`,
      );
    }
    for (let d = 0; d < ndim; d++) {
      const a = box.start[d];
      const b = box.stop[d];
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < a || b > shape[d]) {
        throw new ZarrValueError(
          `sharding decodePartial: box [${box.start}]..[${box.stop}] is not inside the shard ` +
            `[${shape}] (axis ${d})`,
        );
      }
    }
    try {
      return await this.#decodePartial(fetch, spec, box, options);
    } catch (e) {
      const chunk = key === undefined ? "chunk" : `chunk '${key}'`;
      throw new CodecError(
        `decoding ${chunk} with codec 'sharding_indexed' failed${whereSuffix(this.where)}: ${
          errorMessage(e)
        }`,
        { cause: e },
      );
    }
  }

  async #decodePartial(
    fetch: (range: RangeRequest) => Promise<Uint8Array | undefined>,
    spec: ChunkSpec,
    box: ShardBox,
    options: PartialDecodeOptions,
  ): Promise<Chunk | undefined> {
    const shape = [...spec.shape];
    const cps = this.chunksPerShard(shape);
    const indexSize = this.indexSize(shape);
    const atStart = this.indexLocation === "start";
    const indexBytes = await fetch(
      atStart ? { offset: 0, length: indexSize } : { suffix: indexSize },
    );
    if (indexBytes === undefined) return undefined;
    if (indexBytes.length !== indexSize) {
      throw new Error(
        `shard index read returned ${indexBytes.length} bytes, expected ${indexSize}: the ` +
          `shard is truncated or not a shard`,
      );
    }
    const idx = await this.readIndex(indexBytes, cps, { start: atStart ? indexSize : 0 });
    const dt = spec.dtype;
    const lo = box.start;
    const hi = box.stop;
    const outShape = shape.map((_, d) => hi[d] - lo[d]);
    const n = product(outShape);
    if (n === 0) return { data: allocate(dt, 0), shape: outShape };
    // Inner chunks intersecting the box, in C order.
    const cs = this.chunkShape;
    const gLo = lo.map((a, d) => Math.floor(a / cs[d]));
    const gHi = hi.map((b, d) => Math.ceil(b / cs[d]));
    const needed: { i: number; offset: number; length: number }[] = [];
    let anyMissing = false;
    const g = [...gLo];
    const strides = new Array<number>(cps.length);
    let acc = 1;
    for (let d = cps.length - 1; d >= 0; d--) {
      strides[d] = acc;
      acc *= cps[d];
    }
    for (;;) {
      let i = 0;
      for (let d = 0; d < g.length; d++) i += g[d] * strides[d];
      if (idx.isMissing(i)) anyMissing = true;
      else needed.push({ i, offset: idx.offsets[i], length: idx.lengths[i] });
      let d = g.length - 1;
      for (; d >= 0; d--) {
        if (++g[d] < gHi[d]) break;
        g[d] = gLo[d];
      }
      if (d < 0) break;
    }
    const out: Chunk = {
      data: anyMissing ? allocateFilled(dt, n, spec.fillValue) : allocate(dt, n),
      shape: outShape,
    };
    if (needed.length === 0) return out;
    const maxGap = options.maxGap ??
      Number(config.get("array.sharding_coalesce_max_gap_bytes", 1048576));
    const maxBytes = options.maxBytes ??
      Number(config.get("array.sharding_coalesce_max_bytes", 16777216));
    const concurrency = options.concurrency ??
      Math.max(1, Number(config.get("async.concurrency", 10)) || 10);
    const groups = coalesceRanges(needed, { maxGap, maxBytes });
    const innerSpec = this.innerSpec(spec);
    let vanished = false;
    await forEachConcurrent(groups, concurrency, async (grp) => {
      if (vanished) return;
      const bytes = grp.length === 0
        ? new Uint8Array(0)
        : await fetch({ offset: grp.offset, length: grp.length });
      if (bytes === undefined) {
        vanished = true;
        return;
      }
      if (bytes.length !== grp.length) {
        throw new Error(
          `read of bytes [${grp.offset}, ${grp.offset + grp.length}) returned ${bytes.length} ` +
            `bytes: the shard is truncated or its index is corrupt`,
        );
      }
      await forEachConcurrent(grp.members, INNER_CONCURRENCY, async (m) => {
        const at = m.offset - grp.offset;
        await this.decodeInner(
          bytes.subarray(at, at + m.length),
          m.i,
          cps,
          innerSpec,
          out,
          lo,
          hi,
        );
      });
    });
    if (vanished) return undefined;
    return out;
  }
}

/** The spec of the index of a shard with `cps` inner chunks per axis. */
function indexSpec(cps: readonly number[]): ChunkSpec {
  return { shape: [...cps, 2], dtype: UINT64, fillValue: MISSING };
}
