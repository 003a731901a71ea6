/**
 * Which part of an array's codec chain runs on the device, and the CPU half of a chunk's decode.
 *
 * The device takes the tail of the decode: a leading `blosc` (its unshuffle / bitunshuffle; the
 * blocks are decompressed on the CPU by `bloscDecompressRaw`) or numcodecs `shuffle` filter,
 * the `bytes` codec (byte swap for big-endian data, bool normalization) and any number of
 * `transpose` codecs (v3 `transpose`, v2 `order: "F"`), which fold into the gather's per-axis
 * strides. The other bytes -> bytes codecs (zstd, gzip, crc32c...) decode on the CPU, through the
 * codec worker pool when it pays. Chains the device cannot run (sharding, numcodecs array
 * filters...) fall back to the CPU read path, then one upload.
 *
 * @example
 * ```ts ignore
 * const plan = planRead(array);
 * console.log(plan.describe()); // e.g. "blosc-unshuffle > swap8 > transpose > gather"
 * ```
 * @module
 */
import type { AsyncArray } from "../src/array/array.ts";
import { chunkSpecOf } from "../src/array/read.ts";
import { cStrides, product } from "../src/buffer/ndarray.ts";
import { BloscCodec } from "../src/codecs/blosc/codec.ts";
import { bloscDecompressRaw } from "../src/codecs/blosc/raw.ts";
import { BytesCodec, NATIVE_LITTLE_ENDIAN } from "../src/codecs/bytes.ts";
import { ShuffleCodec } from "../src/codecs/filters/shuffle.ts";
import { TransposeCodec } from "../src/codecs/transpose.ts";
import type { BytesBytesCodec, ChunkSpec } from "../src/codecs/types.ts";
import { type DataType, hasEndianness, parseDataType } from "../src/metadata/dtype.ts";
import { ZarrError } from "../src/errors.ts";
import { codecPool } from "../src/workers/pool.ts";
import { MIN_POOL_BYTES } from "../src/workers/chunk_codec.ts";
import { elementBytes } from "./ndarray.ts";
import { SHUFFLE_MODE } from "./unshuffle.ts";

/** One chunk ready for the arena: its bytes and what the unshuffle stage must do with them. */
export interface StagedChunk {
  /** `chunkBytes` bytes: shuffled blocks, stored-order elements, or a CPU-decoded chunk. */
  bytes: Uint8Array;
  /** {@link SHUFFLE_MODE} value (0: plain). */
  mode: number;
  /** Element size of the shuffle. */
  typesize: number;
  /** Block size of the shuffle. */
  blocksize: number;
}

/** Byte-swap unit of a dtype stored big-endian (complex: each half). */
function swapUnit(dt: DataType): number {
  if (!hasEndianness(dt) || dt.itemsize === 1) return 0;
  return dt.kind === "complex" ? dt.itemsize / 2 : dt.itemsize;
}

/** The resolved permutation of a transpose codec for `ndim` axes. */
function orderOf(t: TransposeCodec, ndim: number): readonly number[] {
  if (t.order === "C") return Array.from({ length: ndim }, (_, i) => i);
  if (t.order === "F") return Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  return t.order;
}

/** A bytes codec whose decoder takes the expected-size bound the pipeline passes. */
type BoundedDecoder = BytesBytesCodec & {
  decode(b: Uint8Array, o?: { maxOutputLength?: number }): Promise<Uint8Array> | Uint8Array;
};

/** Extra bytes a bounded decoder may produce before the expected size check fails. */
const SLACK = 64;

/**
 * How one array's chunks are read onto the device. Build with {@link planRead}.
 */
export class ReadPlan {
  /** Element bytes. */
  readonly B: number;
  /** Byte-swap unit (0: none). */
  readonly S: number;
  /** Normalize bool bytes to 0/1 on the device. */
  readonly bool: boolean;
  /** Per decoded-chunk axis: element stride in the layout the arena holds. */
  readonly strides: number[];
  /** Bytes of one decoded chunk. */
  readonly chunkBytes: number;
  /** False when the chain cannot run on the device: the read is a CPU read and one upload. */
  readonly onDevice: boolean;
  /** The device shuffle stage: a blosc container or the numcodecs filter, or none. */
  readonly shuffle: "blosc" | "filter" | undefined;
  /** Whether the chain has a transpose the gather folds in. */
  readonly transposed: boolean;
  readonly #array: AsyncArray;
  readonly #spec: ChunkSpec;
  readonly #cpuBytes: readonly BytesBytesCodec[];
  readonly #cpuSizes: (number | undefined)[];
  readonly #elementsize: number;

  /** A plan for `array` (see {@link planRead}). */
  constructor(array: AsyncArray) {
    this.#array = array;
    const dt = array.metadata.dataType;
    this.B = elementBytes(dt);
    this.#spec = chunkSpecOf(array);
    const shape = this.#spec.shape;
    this.chunkBytes = product(shape) * this.B;
    const pipe = array.pipeline;
    const ab = pipe.arrayBytes;
    const allTranspose = pipe.arrayArray.every((c) => c instanceof TransposeCodec);
    this.onDevice = allTranspose && ab instanceof BytesCodec && NATIVE_LITTLE_ENDIAN;
    // the stored layout: axis i of the bytes holds decoded axis axisOf[i]
    let axisOf = shape.map((_, i) => i);
    if (this.onDevice) {
      for (const t of pipe.arrayArray as TransposeCodec[]) {
        const o = orderOf(t, shape.length);
        axisOf = o.map((k) => axisOf[k]);
      }
    }
    const stored = cStrides(axisOf.map((d) => shape[d]));
    this.strides = new Array<number>(shape.length);
    axisOf.forEach((d, i) => (this.strides[d] = stored[i]));
    this.transposed = axisOf.some((d, i) => d !== i);
    this.S = this.onDevice && (ab as BytesCodec).endian === "big" ? swapUnit(dt) : 0;
    this.bool = this.onDevice && dt.kind === "bool";
    const first = pipe.bytesBytes[0];
    this.shuffle = !this.onDevice
      ? undefined
      : first instanceof BloscCodec
      ? "blosc"
      : first instanceof ShuffleCodec
      ? "filter"
      : undefined;
    this.#elementsize = first instanceof ShuffleCodec ? first.elementsize : 1;
    this.#cpuBytes = pipe.bytesBytes.slice(this.shuffle ? 1 : 0);
    // expected decoded size of each bytes codec (bounds decompression bombs)
    const sizes: (number | undefined)[] = [];
    let size: number | undefined = this.chunkBytes;
    for (const c of pipe.bytesBytes) {
      sizes.push(size);
      size = size === undefined ? undefined : c.encodedSize?.(size);
    }
    this.#cpuSizes = sizes.slice(this.shuffle ? 1 : 0);
  }

  /** Pipeline-cache key of the gather stage. */
  get gatherKey(): string {
    return `gather:${this.B}:${this.S}:${this.bool ? 1 : 0}`;
  }

  /** The device stages in order, for benches and messages. */
  describe(): string {
    const s: string[] = [];
    if (this.shuffle === "blosc") s.push("blosc-unshuffle");
    if (this.shuffle === "filter") s.push("unshuffle");
    if (this.S) s.push(`swap${this.S}`);
    if (this.transposed) s.push("transpose");
    s.push("gather");
    return this.onDevice ? s.join(" > ") : "cpu read + upload";
  }

  /** The CPU bytes -> bytes decoders, through the worker pool when it pays. */
  async #cpuDecode(stored: Uint8Array): Promise<Uint8Array> {
    const codecs = this.#cpuBytes;
    if (codecs.length === 0) return stored;
    const pool = codecPool();
    const size = this.#cpuSizes[0];
    if (pool && size !== undefined && size >= MIN_POOL_BYTES) {
      // the worker decodes `bytes` (uint8) + these codecs: exactly their decoded bytes
      const chain = [{ name: "bytes" }, ...codecs.map((c) => c.toJSON())];
      const spec = { shape: [size], dtype: parseDataType("uint8"), fillValue: 0 };
      const r = await pool.decode(chain, this.#array.pipeline.where, spec, stored.slice());
      if (r && !("back" in r)) return new Uint8Array(r.buffer, r.byteOffset, r.byteLength);
    }
    let b = stored;
    for (let i = codecs.length - 1; i >= 0; i--) {
      const want = this.#cpuSizes[i];
      b = await (codecs[i] as BoundedDecoder).decode(
        b,
        want === undefined ? undefined : { maxOutputLength: want + SLACK },
      );
    }
    return b;
  }

  /**
   * The CPU half of one chunk's decode (only for chains {@link onDevice}): what goes into the
   * arena. Any failure re-runs the full CPU decode, whose error names the codec and the chunk.
   */
  async stage(stored: Uint8Array, key: string): Promise<StagedChunk> {
    let staged: StagedChunk | undefined;
    try {
      const b = await this.#cpuDecode(stored);
      if (this.shuffle === "blosc") {
        const r = bloscDecompressRaw(b, { maxOutputLength: this.chunkBytes });
        if (r.nbytes === this.chunkBytes) {
          staged = {
            bytes: r.data,
            mode: SHUFFLE_MODE[r.shuffle],
            typesize: r.typesize,
            blocksize: r.blocksize,
          };
        }
      } else if (b.length !== this.chunkBytes) staged = undefined;
      else if (this.shuffle === "filter" && this.#elementsize > 1) {
        if (b.length % this.#elementsize === 0) {
          staged = {
            bytes: b,
            mode: SHUFFLE_MODE.shuffle,
            typesize: this.#elementsize,
            blocksize: b.length,
          };
        }
      } else staged = { bytes: b, mode: 0, typesize: 1, blocksize: 1 };
    } catch {
      staged = undefined;
    }
    if (staged) return staged;
    await this.#array.pipeline.decode(stored, this.#spec, key); // raises the codec's error
    throw new ZarrError(
      `chunk '${key}' of array ${this.#array.name} decodes on the CPU but not for the GPU path`,
    );
  }
}

/**
 * The device read plan of an array (see the module docs); throws `ZarrTypeError` for dtypes the
 * GPU cannot hold.
 *
 * @example
 * ```ts
 * import * as zarr from "../mod.ts";
 * import { planRead } from "./plan.ts";
 * const a = await zarr.zeros([8, 8], { chunks: [4, 4], dtype: ">i4", zarrFormat: 2, order: "F" });
 * console.log(planRead(a).describe()); // swap4 > transpose > gather
 * ```
 */
export function planRead(array: AsyncArray): ReadPlan {
  return new ReadPlan(array);
}
