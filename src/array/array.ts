/**
 * `AsyncArray`: a Zarr array (v2 or v3) in a store, with zarr-python 3's async API.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.zeros([4, 4], { chunks: [2, 2], dtype: "int32" });
 * await a.setitem("1:3, 1:3", 7);
 * console.log((await a.getitem([1, null])).data); // Int32Array [0, 7, 7, 0]
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import type { ArrayMetadata } from "../metadata/model.ts";
import { type DataType, defaultFillValue, type Scalar } from "../metadata/dtype.ts";
import { buildPipeline, type CodecPipeline } from "../codecs/pipeline.ts";
import { type ArrayConfig, arrayConfigFrom, config } from "../config.ts";
import { baseName, joinPath, nodeName } from "../path.ts";
import { type NDArray, product } from "../buffer/ndarray.ts";
import { ReadOnlyError, ZarrValueError } from "../errors.ts";
import { writeNodeMetadata } from "../node/io.ts";
import { forEachConcurrent } from "../node/locks.ts";
import { encodeChunkKey } from "../metadata/mod.ts";
import { type ReadOptions, readSelection } from "./read.ts";
import { writeSelection } from "./write.ts";
import { chunkGridShape } from "./indexing/chunk_grid.ts";
import type { Selection } from "./indexing/selection.ts";
import { arrayInfoFields, countInitializedChunks } from "./stats.ts";
import { formatArrayInfo } from "./info.ts";
import { deleteChunksOutside } from "./resize.ts";
import { coerceToContainer } from "./values.ts";

/** A Zarr array. Create one with the api functions (`zarr.create`, `zarr.openArray`...). */
export class AsyncArray {
  /** Normalized metadata (v2 documents are normalized to the v3 model). */
  metadata: ArrayMetadata;
  /** The store holding the array. */
  readonly store: Store;
  /** Normalized path of the array inside the store ("" for the root). */
  readonly path: string;
  /** Runtime configuration (order, write_empty_chunks, read_missing_chunks). */
  readonly config: ArrayConfig;
  #pipeline: CodecPipeline | undefined;

  constructor(metadata: ArrayMetadata, store: Store, path: string, cfg?: Partial<ArrayConfig>) {
    this.metadata = metadata;
    this.store = store;
    this.path = path;
    const base = arrayConfigFrom();
    if (metadata.zarrFormat === 2) base.order = metadata.order;
    this.config = { ...base, ...(cfg ?? {}) };
  }

  /** The codec pipeline used for chunks. */
  get pipeline(): CodecPipeline {
    // built on first use, so listing a hierarchy works even when a codec is unknown; the error
    // (UnknownCodecError naming the codec and the array) comes with the first chunk I/O.
    this.#pipeline ??= buildPipeline(this.metadata.codecs, nodeName(this.path), {
      dtype: this.metadata.dataType,
      shape: this.metadata.chunkShape,
      fillValue: this.effectiveFillValue,
    });
    return this.#pipeline;
  }
  /** Array shape. */
  get shape(): number[] {
    return [...this.metadata.shape];
  }
  /** Public dtype string (`"float32"`, `"U10"`, `"datetime64[ns]"`...). */
  get dtype(): string {
    return this.metadata.dataType.str;
  }
  /** The normalized data type. */
  get dataType(): DataType {
    return this.metadata.dataType;
  }
  /** Chunk shape (the inner chunk shape for sharded arrays). */
  get chunks(): number[] {
    const inner = this.#shardingInner();
    return inner ? [...inner] : [...this.metadata.chunkShape];
  }
  /** Shard shape, or null when not sharded. */
  get shards(): number[] | null {
    return this.#shardingInner() ? [...this.metadata.chunkShape] : null;
  }
  #shardingInner(): number[] | undefined {
    const c = this.metadata.codecs[0];
    if (c?.name !== "sharding_indexed") return undefined;
    return (c.configuration as { chunk_shape?: number[] } | undefined)?.chunk_shape;
  }
  /** Fill value as stored (null only for v2 arrays written with a null fill). */
  get fillValue(): Scalar | null {
    return this.metadata.fillValue;
  }
  /** The fill value used for missing chunks (the dtype default when the stored one is null). */
  get effectiveFillValue(): Scalar {
    return this.metadata.fillValue ?? defaultFillValue(this.metadata.dataType);
  }
  /** User attributes. */
  get attrs(): Record<string, unknown> {
    return this.metadata.attributes;
  }
  /** `"/" + path`. */
  get name(): string {
    return nodeName(this.path);
  }
  /** Last path segment. */
  get basename(): string {
    return baseName(this.path);
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.metadata.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return product(this.metadata.shape);
  }
  /** Bytes of the uncompressed data (size * itemsize). */
  get nbytes(): number {
    return this.size * (this.metadata.dataType.itemsize || 8);
  }
  /** Memory order of reads ("C" or "F"). */
  get order(): "C" | "F" {
    return this.config.order;
  }
  /** Zarr format, 2 or 3. */
  get zarrFormat(): 2 | 3 {
    return this.metadata.zarrFormat;
  }
  /** Whether the array refuses writes. */
  get readOnly(): boolean {
    return this.store.readOnly;
  }
  /** Chunk grid shape (number of chunks, or shards, per axis). */
  get cdataShape(): number[] {
    return chunkGridShape(this.metadata.shape, this.metadata.chunkShape);
  }
  /** Number of chunks (inner chunks when sharded). */
  get nchunks(): number {
    return product(chunkGridShape(this.metadata.shape, this.chunks));
  }
  /** Dimension names or null. */
  get dimensionNames(): (string | null)[] | null {
    return this.metadata.dimensionNames;
  }

  /** Store key of a chunk (or shard) by grid coordinates. */
  chunkKey(coords: number[]): string {
    return joinPath(this.path, encodeChunkKey(this.metadata.chunkKeyEncoding, coords));
  }

  /**
   * Reads a basic selection: ints (drop the axis), `zarr.slice(...)` with any step,
   * `zarr.ellipsis` / `"..."`, numpy-style strings, `null` for everything.
   */
  getitem(selection?: Selection, opts: ReadOptions = {}): Promise<NDArray> {
    return readSelection(this, selection ?? null, opts);
  }

  /** Writes a basic selection from an NDArray, typed array, nested arrays or a scalar. */
  async setitem(selection: Selection | undefined, value: unknown): Promise<void> {
    this.#assertWritable();
    await writeSelection(this, selection ?? null, value);
  }

  /**
   * Changes the shape. Chunks wholly outside a smaller shape are deleted; data in boundary
   * chunks stays (as in zarr-python).
   */
  async resize(newShape: number[] | number, deleteOutsideChunks = true): Promise<void> {
    this.#assertWritable();
    const shape = typeof newShape === "number" ? [newShape] : [...newShape];
    if (shape.length !== this.ndim) {
      throw new ZarrValueError(
        `resize: new shape (${shape}) must have ${this.ndim} dimensions, like the array`,
      );
    }
    for (const n of shape) {
      if (!Number.isInteger(n) || n < 0) {
        throw new ZarrValueError(`resize: invalid shape (${shape})`);
      }
    }
    const old = this.metadata.shape;
    if (deleteOutsideChunks) await deleteChunksOutside(this, old, shape);
    const meta = { ...this.metadata, shape };
    await writeNodeMetadata(this.store, this.path, meta);
    this.metadata = meta;
  }

  /** Appends data along `axis`; returns the new shape. */
  async append(data: unknown, axis = 0): Promise<number[]> {
    this.#assertWritable();
    const value = coerceToContainer(data, this.metadata.dataType);
    const shape = this.shape;
    if (axis < 0) axis += this.ndim;
    if (axis < 0 || axis >= this.ndim) throw new ZarrValueError(`axis ${axis} out of range`);
    if (value.shape.length !== this.ndim) {
      throw new ZarrValueError(
        `shape of data to append is not compatible with the array; all dimensions must match ` +
          `except for the dimension being appended (array ${fmtShape(shape)}, data ${
            fmtShape(value.shape)
          })`,
      );
    }
    for (let i = 0; i < this.ndim; i++) {
      if (i !== axis && value.shape[i] !== shape[i]) {
        throw new ZarrValueError(
          `shape of data to append is not compatible with the array; all dimensions must match ` +
            `except for the dimension being appended (array ${fmtShape(shape)}, data ${
              fmtShape(value.shape)
            })`,
        );
      }
    }
    const newShape = [...shape];
    newShape[axis] += value.shape[axis];
    await this.resize(newShape);
    const sel = shape.map((
      n,
      i,
    ) => (i === axis ? { kind: "slice" as const, start: n, stop: newShape[i], step: 1 } : null));
    await writeSelection(this, sel, { data: value.data, shape: value.shape, _coerced: true });
    return newShape;
  }

  /** Merges `attrs` into the attributes and rewrites the metadata; returns this array. */
  async updateAttributes(attrs: Record<string, unknown>): Promise<AsyncArray> {
    this.#assertWritable();
    const meta = { ...this.metadata, attributes: { ...this.metadata.attributes, ...attrs } };
    await writeNodeMetadata(this.store, this.path, meta);
    this.metadata = meta;
    return this;
  }

  /** Number of chunks (inner chunks for sharded arrays) that are stored. */
  async nchunksInitialized(): Promise<number> {
    const shards = await countInitializedChunks(this);
    const inner = this.shards
      ? product(this.metadata.chunkShape.map((s, i) => s / this.chunks[i]))
      : 1;
    return shards * inner;
  }

  /** Bytes stored under the array's path (metadata included). */
  async nbytesStored(): Promise<number> {
    const prefix = this.path === "" ? "" : this.path + "/";
    const keys = await Array.fromAsync(this.store.listPrefix(prefix));
    let total = 0;
    await forEachConcurrent(keys, ioConcurrency(), async (k) => {
      const size = (await this.store.getSize(k)) ?? 0; // read before adding: += would race
      total += size;
    });
    return total;
  }

  /** zarr-python's `info`: a text summary without store I/O. */
  info(): string {
    return formatArrayInfo(arrayInfoFields(this));
  }

  /** zarr-python's `info_complete()`: the summary with stored bytes and initialized chunks. */
  async infoComplete(): Promise<string> {
    const fields = arrayInfoFields(this);
    fields.nbytesStored = await this.nbytesStored();
    fields.chunksInitialized = await countInitializedChunks(this);
    return formatArrayInfo(fields);
  }

  /** A copy of this array object with another runtime configuration. */
  withConfig(cfg: Partial<ArrayConfig>): AsyncArray {
    return new AsyncArray(this.metadata, this.store, this.path, { ...this.config, ...cfg });
  }

  #assertWritable(): void {
    if (this.store.readOnly) {
      throw new ReadOnlyError(`array ${this.name} is read-only (the store was opened read-only)`);
    }
  }

  toString(): string {
    return `<AsyncArray ${this.store.typeName}://${this.path} shape=${
      fmtShape(this.shape)
    } dtype=${this.dtype}>`;
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Jupyter display: text and HTML summaries. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const info = this.info();
    const esc = info.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return { "text/plain": this.toString() + "\n" + info, "text/html": `<pre>${esc}</pre>` };
  }
}

/** Python tuple repr of a shape: `(2,)`, `(3, 4)`, `()`. */
export function fmtShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Concurrency limit for chunk I/O. */
export function ioConcurrency(): number {
  return Math.max(1, Number(config.get("async.concurrency")) || 10);
}
