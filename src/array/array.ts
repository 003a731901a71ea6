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
import { IndexError, ReadOnlyError, ZarrValueError } from "../errors.ts";
import { writeNodeMetadata } from "../node/io.ts";
import { forEachConcurrent } from "../node/locks.ts";
import { encodeChunkKey } from "../metadata/mod.ts";
import { readIndexer, type ReadOptions, readSelection } from "./read.ts";
import { writeIndexer, type WriteOptions, writeSelection } from "./write.ts";
import { chunkGridShape } from "./indexing/chunk_grid.ts";
import type {
  BasicSelection,
  BlockSelection,
  CoordinateSelection,
  MaskSelection,
  OrthogonalSelection,
  Selection,
} from "./indexing/selection.ts";
import { orthogonalIndexer } from "./indexing/orthogonal.ts";
import { BasicIndexer } from "./indexing/basic.ts";
import { CoordinateIndexer } from "./indexing/coordinate.ts";
import { MaskIndexer } from "./indexing/mask.ts";
import { BlockIndexer } from "./indexing/block.ts";
import { vindexIndexer } from "./indexing/get_indexer.ts";
import type { Indexer } from "./indexing/projection.ts";
import { arrayInfoFields, countInitializedChunks } from "./stats.ts";
import { formatArrayInfo } from "./info.ts";
import { deleteChunksOutside } from "./resize.ts";
import { coerceToContainer } from "./values.ts";
import { type DeviceTarget, hostValue } from "../api/meta_array.ts";
import { arrayDisplay } from "../display/array_html.ts";

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
  /** Where reads land by default (`metaArray` of the creation/open call; GPU prototypes). */
  metaArray?: unknown;
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
   * Reads a selection, like zarr-python's `Array.__getitem__`. Basic selections: ints (drop
   * the axis), `zarr.slice(...)` with any step, `zarr.ellipsis` / `"..."`, numpy-style strings,
   * `null` for everything, or a JS array of those, one per axis. Selections with integer
   * arrays or boolean masks fall back as in zarr-python: one integer array per axis (with ints)
   * is a coordinate selection (`[[1, 2], [1, 2]]` reads two points), a boolean array of the
   * array's shape a mask selection, and a single array among ints and slices (or a mask per
   * axis) an orthogonal selection (`[[0, 2], "1:"]`). A JS array is always the per-axis
   * tuple: Python's `z[[0, 2]]` is `getitem([[0, 2]])`. Another `AsyncArray` of an integer or
   * bool dtype may be the selection (it is read first).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([[0, 1, 2], [3, 4, 5]], { dtype: "int32" });
   * console.log((await a.getitem("1, ::-1")).data); // Int32Array [5, 4, 3]
   * console.log((await a.getitem([[0, 1], [2, 0]])).data); // Int32Array [2, 3] (points)
   * console.log((await a.getitem([[1, 0], "0:2"])).data); // Int32Array [3, 4, 0, 1] (rows)
   * ```
   */
  getitem<R>(
    selection: Selection | AsyncArray | undefined,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  getitem(selection?: Selection | AsyncArray, opts?: ReadOptions): Promise<NDArray>;
  async getitem(selection?: Selection | AsyncArray, opts: ReadOptions = {}): Promise<NDArray> {
    return await readSelection(this, await materialize(selection ?? null), opts);
  }

  /**
   * Writes a selection (any form {@link AsyncArray.getitem} accepts) from an NDArray, typed
   * array, nested arrays or a scalar (broadcast numpy-style).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([5], { chunks: [2], dtype: "float64" });
   * await a.setitem("1:3", 7);
   * await a.setitem([[4, 0]], [1, 2]); // coordinate selection on a 1-d array
   * console.log((await a.getitem(null)).data); // Float64Array [2, 7, 7, 0, 1]
   * ```
   */
  async setitem(
    selection: Selection | AsyncArray | undefined,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    this.#assertWritable();
    // a GPUNDArray (gpu module) is read back to the host, then encoded as usual
    await writeSelection(
      this,
      await materialize(selection ?? null),
      await hostValue(value),
      opts,
    );
  }

  /**
   * Reads a basic selection only, zarr-python's `get_basic_selection`: ints, slices, ellipsis,
   * `null`, strings; integer arrays and masks raise `IndexError("unsupported selection item
   * for basic indexing; ...")` instead of falling back as {@link AsyncArray.getitem} does.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([[0, 1], [2, 3]], { dtype: "int8" });
   * console.log((await a.getBasicSelection([zarr.slice(null), -1])).data); // Int8Array [1, 3]
   * ```
   */
  getBasicSelection<R>(
    selection: BasicSelection | undefined,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  getBasicSelection(selection?: BasicSelection, opts?: ReadOptions): Promise<NDArray>;
  async getBasicSelection(selection?: BasicSelection, opts: ReadOptions = {}): Promise<NDArray> {
    const m = this.metadata;
    return await readIndexer(
      this,
      BasicIndexer.fromSelection(selection ?? null, m.shape, m.chunkShape),
      opts,
    );
  }

  /**
   * Writes a basic selection only, zarr-python's `set_basic_selection` (see
   * {@link AsyncArray.getBasicSelection}).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([2, 2], { dtype: "int8" });
   * await a.setBasicSelection([null, 0], [1, 2]);
   * console.log((await a.getitem(null)).data); // Int8Array [1, 0, 2, 0]
   * ```
   */
  async setBasicSelection(
    selection: BasicSelection | undefined,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    const m = this.metadata;
    await this.#write(
      BasicIndexer.fromSelection(selection ?? null, m.shape, m.chunkShape),
      value,
      opts,
    );
  }

  /**
   * Reads an orthogonal (outer) selection, zarr-python's `get_orthogonal_selection`: per axis an
   * int, a slice, `null`, an integer array (any order, repeats, negatives) or a boolean mask of
   * the axis length; the result is the outer product (numpy's `a[np.ix_(...)]`).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([[0, 1, 2], [3, 4, 5]], { dtype: "int8" });
   * const r = await a.getOrthogonalSelection([[1, 1, 0], [true, false, true]]);
   * console.log(r.shape, r.data); // [3, 2] Int8Array [3, 5, 3, 5, 0, 2]
   * ```
   */
  getOrthogonalSelection<R>(
    selection: OrthogonalSelection,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  getOrthogonalSelection(selection: OrthogonalSelection, opts?: ReadOptions): Promise<NDArray>;
  async getOrthogonalSelection(
    selection: OrthogonalSelection,
    opts: ReadOptions = {},
  ): Promise<NDArray> {
    const m = this.metadata;
    return await readIndexer(this, orthogonalIndexer(selection, m.shape, m.chunkShape), opts);
  }

  /**
   * Writes an orthogonal selection (see {@link AsyncArray.getOrthogonalSelection}); the value
   * broadcasts to the selection's shape. With repeated indices the last value wins.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([3, 3], { chunks: [2, 2], dtype: "int8" });
   * await a.setOrthogonalSelection([[0, 2], [0, 2]], 1); // the four corners
   * console.log((await a.getitem(null)).data); // Int8Array [1, 0, 1, 0, 0, 0, 1, 0, 1]
   * ```
   */
  async setOrthogonalSelection(
    selection: OrthogonalSelection,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    const m = this.metadata;
    await this.#write(orthogonalIndexer(selection, m.shape, m.chunkShape), value, opts);
  }

  /**
   * Reads a coordinate (point) selection, zarr-python's `get_coordinate_selection`: one integer
   * or integer array per axis, broadcast together; the result has the broadcast shape (`[1]`
   * when all are ints).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([[0, 1, 2], [3, 4, 5]], { dtype: "int16" });
   * console.log((await a.getCoordinateSelection([[1, 0, 1], [2, 2, 0]])).data); // Int16Array [5, 2, 3]
   * ```
   */
  getCoordinateSelection<R>(
    selection: CoordinateSelection,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  getCoordinateSelection(selection: CoordinateSelection, opts?: ReadOptions): Promise<NDArray>;
  async getCoordinateSelection(
    selection: CoordinateSelection,
    opts: ReadOptions = {},
  ): Promise<NDArray> {
    const m = this.metadata;
    return await readIndexer(
      this,
      CoordinateIndexer.fromSelection(selection, m.shape, m.chunkShape),
      opts,
    );
  }

  /**
   * Writes a coordinate selection. The value is a scalar, has one element per point (any
   * shape, taken in C order, as zarr-python), or broadcasts to the selection's shape; a point
   * listed twice keeps the last value.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([2, 2], { dtype: "int16" });
   * await a.setCoordinateSelection([[0, 1], [1, 0]], [5, 6]);
   * console.log((await a.getitem(null)).data); // Int16Array [0, 5, 6, 0]
   * ```
   */
  async setCoordinateSelection(
    selection: CoordinateSelection,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    const m = this.metadata;
    await this.#write(
      CoordinateIndexer.fromSelection(selection, m.shape, m.chunkShape),
      value,
      opts,
    );
  }

  /**
   * Reads a mask selection, zarr-python's `get_mask_selection`: one boolean array (nested JS
   * booleans or a `"bool"` NDArray) of exactly the array's shape; the result is 1-d, the
   * selected elements in C order.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([[0, 1], [2, 3]], { dtype: "uint8" });
   * console.log((await a.getMaskSelection([[true, false], [true, true]])).data); // Uint8Array [0, 2, 3]
   * ```
   */
  getMaskSelection<R>(
    mask: MaskSelection,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  getMaskSelection(mask: MaskSelection, opts?: ReadOptions): Promise<NDArray>;
  async getMaskSelection(mask: MaskSelection, opts: ReadOptions = {}): Promise<NDArray> {
    const m = this.metadata;
    return await readIndexer(this, new MaskIndexer(mask, m.shape, m.chunkShape), opts);
  }

  /**
   * Writes a mask selection; the value is a scalar or has one element per true entry.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([4], { dtype: "uint8" });
   * await a.setMaskSelection([true, false, false, true], [1, 2]);
   * console.log((await a.getitem(null)).data); // Uint8Array [1, 0, 0, 2]
   * ```
   */
  async setMaskSelection(
    mask: MaskSelection,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    const m = this.metadata;
    await this.#write(new MaskIndexer(mask, m.shape, m.chunkShape), value, opts);
  }

  /**
   * Reads a block selection, zarr-python's `get_block_selection`: ints and slices (step 1)
   * count chunks instead of elements; negative block indices count from the end. For sharded
   * arrays a block is a shard (the chunk grid of the metadata), as in zarr-python.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([0, 1, 2, 3, 4, 5, 6], { chunks: [3], dtype: "int32" });
   * console.log((await a.getBlockSelection(-1)).data); // Int32Array [6]
   * console.log((await a.getBlockSelection(zarr.slice(0, 2))).data.length); // 6
   * ```
   */
  getBlockSelection<R>(
    selection: BlockSelection,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  getBlockSelection(selection: BlockSelection, opts?: ReadOptions): Promise<NDArray>;
  async getBlockSelection(selection: BlockSelection, opts: ReadOptions = {}): Promise<NDArray> {
    const m = this.metadata;
    return await readIndexer(this, new BlockIndexer(selection, m.shape, m.chunkShape), opts);
  }

  /**
   * Writes a block selection (see {@link AsyncArray.getBlockSelection}).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([4], { chunks: [2], dtype: "int32" });
   * await a.setBlockSelection(1, 9);
   * console.log((await a.getitem(null)).data); // Int32Array [0, 0, 9, 9]
   * ```
   */
  async setBlockSelection(
    selection: BlockSelection,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    const m = this.metadata;
    await this.#write(new BlockIndexer(selection, m.shape, m.chunkShape), value, opts);
  }

  /**
   * Orthogonal indexing accessor (zarr-python's `oindex`): `get`/`set` take an
   * {@link OrthogonalSelection}.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([10, 11, 12], { dtype: "int32" });
   * console.log((await a.oindex.get([[2, 0, 2]])).data); // Int32Array [12, 10, 12]
   * ```
   */
  get oindex(): AsyncOIndex {
    return new AsyncOIndex(this);
  }

  /**
   * Vectorized indexing accessor (zarr-python's `vindex`): `get`/`set` take a
   * {@link CoordinateSelection} or a {@link MaskSelection}.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([[1, 2], [3, 4]], { dtype: "int32" });
   * console.log((await a.vindex.get([[0, 1], [1, 1]])).data); // Int32Array [2, 4]
   * console.log((await a.vindex.get([[true, false], [false, true]])).data); // Int32Array [1, 4]
   * ```
   */
  get vindex(): AsyncVIndex {
    return new AsyncVIndex(this);
  }

  /**
   * Block indexing accessor (zarr-python's `blocks`): `get`/`set` take a
   * {@link BlockSelection}.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([0, 1, 2, 3, 4], { chunks: [2], dtype: "int32" });
   * console.log((await a.blocks.get(1)).data); // Int32Array [2, 3]
   * ```
   */
  get blocks(): AsyncBlockIndex {
    return new AsyncBlockIndex(this);
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

  /** Writes through an indexer: the read-only check, a GPUNDArray read back, then the write. */
  async #write(ix: Indexer, value: unknown, opts: WriteOptions): Promise<void> {
    this.#assertWritable();
    await writeIndexer(this, ix, await hostValue(value), opts);
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

  /**
   * Jupyter display (async: the kernel awaits it): `text/plain` and an HTML info table with a
   * preview picture for numeric 1-D/2-D arrays (see `src/display/array_html.ts`).
   */
  async [Symbol.for("Jupyter.display")](): Promise<Record<string, string>> {
    return await arrayDisplay(this);
  }
}

/**
 * Reads a selection given as another `AsyncArray` (zarr-python materializes a zarr Array used
 * as an index); it must hold integers or booleans.
 */
async function materialize<T>(selection: T | AsyncArray): Promise<T | NDArray> {
  if (!(selection instanceof AsyncArray)) return selection;
  const kind = selection.dataType.kind;
  if (kind !== "int" && kind !== "uint" && kind !== "bool") {
    throw new IndexError(
      `Invalid array dtype: ${selection.dtype}. Arrays used as indices must be of integer or ` +
        "boolean type",
    );
  }
  return await selection.getitem(null);
}

/**
 * The `oindex` accessor of an {@link AsyncArray}: orthogonal selections with `get` and `set`
 * (zarr-python's `AsyncOIndex`, plus the setter of its sync `OIndex`).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.zeros([2, 3], { dtype: "int8" });
 * await a.oindex.set([null, [0, 2]], 1);
 * console.log((await a.oindex.get([0, [2, 1]])).data); // Int8Array [1, 0]
 * ```
 */
export class AsyncOIndex {
  /** The array indexed. */
  readonly array: AsyncArray;

  constructor(array: AsyncArray) {
    this.array = array;
  }

  /**
   * Reads an orthogonal selection (see {@link AsyncArray.getOrthogonalSelection}); an
   * `AsyncArray` of integers or booleans is read and used as the selection.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([1, 2, 3], { dtype: "int8" });
   * console.log((await a.oindex.get([[false, true, true]])).data); // Int8Array [2, 3]
   * ```
   */
  get<R>(
    selection: OrthogonalSelection | AsyncArray,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  get(selection: OrthogonalSelection | AsyncArray, opts?: ReadOptions): Promise<NDArray>;
  async get(selection: OrthogonalSelection | AsyncArray, opts: ReadOptions = {}): Promise<NDArray> {
    return await this.array.getOrthogonalSelection(await materialize(selection), opts);
  }

  /**
   * Writes an orthogonal selection (see {@link AsyncArray.setOrthogonalSelection}).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([4], { dtype: "int8" });
   * await a.oindex.set([[-1, -1, 0, 0]], [0, 1, 2, 3]); // last write wins
   * console.log((await a.getitem(null)).data); // Int8Array [3, 0, 0, 1]
   * ```
   */
  async set(
    selection: OrthogonalSelection,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    await this.array.setOrthogonalSelection(selection, value, opts);
  }
}

/**
 * The `vindex` accessor of an {@link AsyncArray}: coordinate or mask selections with `get` and
 * `set`; other selections raise `VindexInvalidSelectionError` (zarr-python's `AsyncVIndex`, plus
 * the setter of its sync `VIndex`).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.zeros([3, 3], { dtype: "int8" });
 * await a.vindex.set([[0, 1, 2], [0, 1, 2]], 1); // the diagonal
 * console.log((await a.vindex.get([[0, 1], [0, 0]])).data); // Int8Array [1, 0]
 * ```
 */
export class AsyncVIndex {
  /** The array indexed. */
  readonly array: AsyncArray;

  constructor(array: AsyncArray) {
    this.array = array;
  }

  /**
   * Reads a coordinate or mask selection; an `AsyncArray` of integers or booleans is read and
   * used as the selection.
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([4, 5, 6], { dtype: "int8" });
   * console.log((await a.vindex.get([[2, 2]])).data); // Int8Array [6, 6]
   * ```
   */
  get<R>(
    selection: CoordinateSelection | MaskSelection | AsyncArray,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  get(
    selection: CoordinateSelection | MaskSelection | AsyncArray,
    opts?: ReadOptions,
  ): Promise<NDArray>;
  async get(
    selection: CoordinateSelection | MaskSelection | AsyncArray,
    opts: ReadOptions = {},
  ): Promise<NDArray> {
    const m = this.array.metadata;
    const sel = await materialize(selection);
    return await readIndexer(this.array, vindexIndexer(sel, m.shape, m.chunkShape), opts);
  }

  /**
   * Writes a coordinate or mask selection (see {@link AsyncArray.setCoordinateSelection} and
   * {@link AsyncArray.setMaskSelection}).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([3], { dtype: "int8" });
   * await a.vindex.set([true, false, true], [7, 8]);
   * console.log((await a.getitem(null)).data); // Int8Array [7, 0, 8]
   * ```
   */
  async set(
    selection: CoordinateSelection | MaskSelection,
    value: unknown,
    opts: WriteOptions = {},
  ): Promise<void> {
    if (this.array.readOnly) {
      throw new ReadOnlyError(
        `array ${this.array.name} is read-only (the store was opened read-only)`,
      );
    }
    const m = this.array.metadata;
    const ix = vindexIndexer(selection, m.shape, m.chunkShape);
    await writeIndexer(this.array, ix, await hostValue(value), opts);
  }
}

/**
 * The `blocks` accessor of an {@link AsyncArray}: block selections with `get` and `set`
 * (zarr-python's `BlockIndex`, async).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const a = await zarr.zeros([4, 4], { chunks: [2, 2], dtype: "int8" });
 * await a.blocks.set([1, 0], 3);
 * console.log((await a.blocks.get([1, 0])).data); // Int8Array [3, 3, 3, 3]
 * ```
 */
export class AsyncBlockIndex {
  /** The array indexed. */
  readonly array: AsyncArray;

  constructor(array: AsyncArray) {
    this.array = array;
  }

  /**
   * Reads a block selection (see {@link AsyncArray.getBlockSelection}).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.array([0, 1, 2, 3], { chunks: [2], dtype: "int8" });
   * console.log((await a.blocks.get("-1:")).data); // Int8Array [2, 3]
   * ```
   */
  get<R>(
    selection: BlockSelection,
    opts: ReadOptions<DeviceTarget<R>> & { prototype: DeviceTarget<R> },
  ): Promise<R>;
  get(selection: BlockSelection, opts?: ReadOptions): Promise<NDArray>;
  async get(selection: BlockSelection, opts: ReadOptions = {}): Promise<NDArray> {
    return await this.array.getBlockSelection(selection, opts);
  }

  /**
   * Writes a block selection (see {@link AsyncArray.setBlockSelection}).
   *
   * @example
   * ```ts
   * import * as zarr from "../../mod.ts";
   * const a = await zarr.zeros([4], { chunks: [2], dtype: "int8" });
   * await a.blocks.set(0, [1, 2]);
   * console.log((await a.getitem(null)).data); // Int8Array [1, 2, 0, 0]
   * ```
   */
  async set(selection: BlockSelection, value: unknown, opts: WriteOptions = {}): Promise<void> {
    await this.array.setBlockSelection(selection, value, opts);
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
