/**
 * The `blosc` codec (bytes -> bytes): v3 `blosc` as zarr-python 3 writes it, v3
 * `numcodecs.blosc`, and the v2 numcodecs `{"id":"blosc",...}` compressor. Reads and writes
 * c-blosc 1.x buffers with every inner compressor (blosclz, lz4, lz4hc, snappy, zlib, zstd) and
 * every shuffle, using the real element size as typesize.
 *
 * @example
 * ```ts
 * import { BloscCodec } from "./codec.ts";
 * const c = new BloscCodec({ cname: "lz4", typesize: 4, shuffle: "shuffle" });
 * const data = new Uint8Array(new Float32Array(1024).fill(0.5).buffer);
 * console.log(c.decode(c.encode(data)).length); // 4096
 * ```
 * @module
 */
import { MetadataValidationError, ZarrValueError } from "../../errors.ts";
import { type BytesDecodeOptions, type CodecContext, readConfig, whereSuffix } from "../common.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "../types.ts";
import {
  bloscCompress,
  bloscCompressInto,
  type BloscCompressOptions,
  bloscMaxCompressedSize,
} from "./compress.ts";
import { bloscDecompress } from "./decompress.ts";
import { type AreaLease, lendOutputArea } from "./wasm_kernels.ts";
import { BLOSC_CNAMES, BLOSC_SHUFFLES, type BloscCname, type BloscShuffle } from "./header.ts";

/** Options of {@link BloscCodec}. */
export interface BloscCodecOptions {
  /**
   * Element size for the shuffles. Unset: the item size of `itemsize` (the array's data type),
   * else 1.
   */
  typesize?: number;
  /** Inner compressor. Default `"zstd"` for `blosc`, `"lz4"` for the numcodecs forms. */
  cname?: BloscCname | string;
  /** Compression level 0-9 (checked when encoding). Default 5. */
  clevel?: number;
  /**
   * Shuffle: a name (v3) or a numcodecs number (0 none, 1 byte, 2 bit, -1 automatic: bit
   * shuffle for 1-byte elements, byte shuffle otherwise). Unset: automatic, as zarr-python tunes
   * it (v3) or numcodecs' default byte shuffle (numcodecs forms).
   */
  shuffle?: BloscShuffle | -1 | 0 | 1 | 2;
  /** Block size in bytes; 0 = automatic. Default 0. */
  blocksize?: number;
  /** Item size of the data type reaching the codec (tunes unset `typesize` / `shuffle`). */
  itemsize?: number;
  /** `"blosc"` (default) or `"numcodecs.blosc"`. */
  name?: "blosc" | "numcodecs.blosc";
}

/** What {@link BloscCodec.fromMetadata} / {@link BloscCodec.fromV2} know about the array. */
export interface BloscContext extends CodecContext {
  /** Item size to tune with when no `dtype` is given. */
  itemsize?: number;
}

const V3_KEYS = ["typesize", "cname", "clevel", "shuffle", "blocksize"];
const V2_KEYS = ["cname", "clevel", "shuffle", "blocksize", "typesize"];

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

function invalid(codec: string, msg: string, where?: string): MetadataValidationError {
  return new MetadataValidationError(`codec '${codec}': ${msg}${whereSuffix(where)}`);
}

/**
 * The blosc compressor. `name` is `"blosc"` (v3, configuration
 * `{typesize, cname, clevel, shuffle, blocksize}`) or `"numcodecs.blosc"` (configuration in
 * numcodecs form, `shuffle` a number); both have the v2 form
 * `{"id":"blosc","cname":...,"clevel":...,"shuffle":...,"blocksize":...}`.
 *
 * @example
 * ```ts
 * import { BloscCodec } from "./codec.ts";
 * const c = BloscCodec.fromMetadata({ name: "blosc", configuration: { cname: "lz4" } }, { itemsize: 2 });
 * console.log(JSON.stringify(c.toJSON()));
 * // {"name":"blosc","configuration":{"typesize":2,"cname":"lz4","clevel":5,"shuffle":"shuffle","blocksize":0}}
 * console.log(JSON.stringify(c.toV2JSON()));
 * // {"id":"blosc","cname":"lz4","clevel":5,"shuffle":1,"blocksize":0}
 * ```
 */
export class BloscCodec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name: `blosc` or `numcodecs.blosc`. */
  readonly name: "blosc" | "numcodecs.blosc";
  /** Element size used for the shuffles. */
  readonly typesize: number;
  /** Inner compressor name (checked when encoding for the numcodecs forms). */
  readonly cname: string;
  /** Compression level. */
  readonly clevel: number;
  /** Effective shuffle. */
  readonly shuffle: BloscShuffle;
  /** The numcodecs shuffle number (-1 = automatic, kept as configured). */
  readonly shuffleCode: -1 | 0 | 1 | 2;
  /** Block size (0 = automatic). */
  readonly blocksize: number;
  /** Whether `typesize` was configured (numcodecs forms write it back only then). */
  readonly typesizeGiven: boolean;

  /** A codec from options; see {@link BloscCodecOptions} for the defaults. */
  constructor(options: BloscCodecOptions = {}) {
    const name = options.name ?? "blosc";
    this.name = name;
    const numcodecs = name === "numcodecs.blosc";
    const item = options.itemsize !== undefined && options.itemsize > 0 ? options.itemsize : 1;
    const ts = options.typesize;
    if (ts !== undefined && (!isInt(ts) || ts < 1)) {
      throw invalid(name, `'typesize' must be a positive integer, got ${JSON.stringify(ts)}`);
    }
    this.typesizeGiven = ts !== undefined;
    this.typesize = ts ?? item;
    const cname = options.cname ?? (numcodecs ? "lz4" : "zstd");
    if (typeof cname !== "string") {
      throw invalid(name, `'cname' must be a string, got ${JSON.stringify(cname)}`);
    }
    if (!numcodecs && !BLOSC_CNAMES.includes(cname as BloscCname)) {
      throw invalid(
        name,
        `cname must be one of ${JSON.stringify(BLOSC_CNAMES)}, got ${JSON.stringify(cname)}`,
      );
    }
    this.cname = cname;
    const clevel = options.clevel ?? 5;
    if (!isInt(clevel)) {
      throw invalid(name, `'clevel' must be an integer, got ${JSON.stringify(clevel)}`);
    }
    this.clevel = clevel;
    const blocksize = options.blocksize ?? 0;
    if (!isInt(blocksize)) {
      throw invalid(name, `'blocksize' must be an integer, got ${JSON.stringify(blocksize)}`);
    }
    this.blocksize = blocksize;
    const sh = options.shuffle ?? (numcodecs ? 1 : -1);
    let code: number;
    if (typeof sh === "string" && !numcodecs) {
      code = BLOSC_SHUFFLES.indexOf(sh);
      if (code < 0) {
        throw invalid(
          name,
          `shuffle must be one of ${JSON.stringify(BLOSC_SHUFFLES)}, got ${JSON.stringify(sh)}`,
        );
      }
    } else if (isInt(sh) && sh >= -1 && sh <= 2) {
      code = sh;
    } else {
      throw invalid(name, `invalid shuffle ${JSON.stringify(sh)}`);
    }
    this.shuffleCode = code as -1 | 0 | 1 | 2;
    // automatic: zarr-python tunes v3 `blosc` by the data type's item size; numcodecs decides
    // by the typesize it compresses with
    const autoBy = numcodecs ? this.typesize : item;
    this.shuffle = code === -1 ? (autoBy === 1 ? "bitshuffle" : "shuffle") : BLOSC_SHUFFLES[code];
  }

  /**
   * Builds the codec from v3 metadata: `blosc` (zarr-python 3's configuration; unset `typesize`
   * and `shuffle` are tuned from the data type reaching the codec) or `numcodecs.blosc`
   * (numcodecs' configuration).
   *
   * @example
   * ```ts
   * import { BloscCodec } from "./codec.ts";
   * import { parseDataType } from "../../metadata/dtype.ts";
   * const c = BloscCodec.fromMetadata({ name: "blosc" }, { dtype: parseDataType("uint8") });
   * console.log(c.typesize, c.shuffle, c.cname); // 1 bitshuffle zstd
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: BloscContext = {}): BloscCodec {
    const numcodecs = meta.name === "numcodecs.blosc";
    const cfg = readConfig(meta, numcodecs ? V2_KEYS : V3_KEYS, ctx.where);
    const sh = cfg.shuffle;
    if (!numcodecs && sh !== undefined && sh !== null && typeof sh !== "string") {
      throw invalid(
        "blosc",
        `shuffle must be one of ${JSON.stringify(BLOSC_SHUFFLES)}, got ${JSON.stringify(sh)}`,
        ctx.where,
      );
    }
    return BloscCodec.make(numcodecs ? "numcodecs.blosc" : "blosc", cfg, ctx);
  }

  /**
   * Builds the codec from a v2 numcodecs config `{"id":"blosc","cname":"lz4","clevel":5,
   * "shuffle":1,"blocksize":0}` (numcodecs' defaults for missing keys; `typesize` as numcodecs
   * 0.16+ accepts it). The element size is the data type's item size.
   *
   * @example
   * ```ts
   * import { BloscCodec } from "./codec.ts";
   * const c = BloscCodec.fromV2({ id: "blosc", shuffle: -1 }, { itemsize: 1 });
   * console.log(c.cname, c.shuffle); // lz4 bitshuffle
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: BloscContext = {}): BloscCodec {
    const { id: _id, ...rest } = config;
    const cfg = readConfig({ name: "numcodecs.blosc", configuration: rest }, V2_KEYS, ctx.where);
    return BloscCodec.make("numcodecs.blosc", cfg, ctx);
  }

  private static make(
    name: "blosc" | "numcodecs.blosc",
    cfg: Record<string, unknown>,
    ctx: BloscContext,
  ): BloscCodec {
    const itemsize = ctx.itemsize ?? ctx.dtype?.itemsize;
    const orUndef = (v: unknown) => (v === null ? undefined : v);
    try {
      return new BloscCodec({
        name,
        typesize: orUndef(cfg.typesize) as number | undefined,
        cname: orUndef(cfg.cname) as string | undefined,
        clevel: orUndef(cfg.clevel) as number | undefined,
        shuffle: orUndef(cfg.shuffle) as BloscShuffle | undefined,
        blocksize: orUndef(cfg.blocksize) as number | undefined,
        itemsize,
      });
    } catch (e) {
      if (e instanceof MetadataValidationError && ctx.where !== undefined) {
        throw new MetadataValidationError(`${e.message}${whereSuffix(ctx.where)}`, { cause: e });
      }
      throw e;
    }
  }

  /** Compresses to one c-blosc 1.x buffer with this codec's typesize and shuffle. */
  encode(bytes: Uint8Array): Uint8Array {
    return bloscCompress(bytes, this.#options());
  }

  /**
   * Compresses like {@link BloscCodec.encode} but into `dest` (at least
   * {@link BloscCodec.maxEncodedSize} bytes, possibly over a `SharedArrayBuffer`); returns the
   * encoded length. Lets a writer reuse its output buffers.
   *
   * @example
   * ```ts
   * import { BloscCodec } from "./codec.ts";
   * const c = new BloscCodec({ cname: "lz4", typesize: 4 });
   * const data = new Uint8Array(4096);
   * const dest = new Uint8Array(c.maxEncodedSize(data.length));
   * const n = c.encodeInto(data, dest);
   * console.log(c.decode(dest.subarray(0, n)).length); // 4096
   * ```
   */
  encodeInto(bytes: Uint8Array, dest: Uint8Array): number {
    return bloscCompressInto(bytes, this.#options(), dest);
  }

  /** The most bytes {@link BloscCodec.encodeInto} writes for `nbytes` of input. */
  maxEncodedSize(nbytes: number): number {
    return bloscMaxCompressedSize(nbytes);
  }

  /**
   * Lends an output buffer for {@link BloscCodec.encodeInto} of `nbytes` of input, inside the
   * WebAssembly kernels' memory (encoding into it saves copying each block out), until
   * `release()`; `undefined` when there is none (no kernels, or already lent).
   *
   * @example
   * ```ts
   * import { BloscCodec } from "./codec.ts";
   * const c = new BloscCodec({ cname: "lz4", typesize: 4 });
   * const data = new Uint8Array(new Float32Array(8192).fill(3).buffer);
   * const lease = c.lendOutput(data.length);
   * const dest = lease?.bytes ?? new Uint8Array(c.maxEncodedSize(data.length));
   * const n = c.encodeInto(data, dest);
   * console.log(c.decode(dest.slice(0, n)).length); // 32768
   * lease?.release();
   * ```
   */
  lendOutput(nbytes: number): AreaLease | undefined {
    return lendOutputArea(bloscMaxCompressedSize(nbytes), nbytes);
  }

  #options(): BloscCompressOptions {
    if (!BLOSC_CNAMES.includes(this.cname as BloscCname)) {
      throw new ZarrValueError(
        `blosc: unknown compressor ${JSON.stringify(this.cname)}; expected one of ${
          JSON.stringify(BLOSC_CNAMES)
        }`,
      );
    }
    return {
      cname: this.cname as BloscCname,
      clevel: this.clevel,
      shuffle: BLOSC_SHUFFLES.indexOf(this.shuffle) as 0 | 1 | 2,
      typesize: this.typesize,
      blocksize: this.blocksize,
    };
  }

  /**
   * Decompresses one c-blosc 1.x buffer (the buffer records its own compressor, typesize and
   * shuffle). With `maxOutputLength`, a larger declared size raises `CodecError` before any
   * allocation.
   */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    return bloscDecompress(bytes, options);
  }

  /** v3 metadata, in zarr-python's key order. */
  toJSON(): CodecMetadata {
    if (this.name === "numcodecs.blosc") {
      const configuration: Record<string, unknown> = {
        cname: this.cname,
        clevel: this.clevel,
        shuffle: this.shuffleCode,
        blocksize: this.blocksize,
      };
      if (this.typesizeGiven) configuration.typesize = this.typesize;
      return { name: this.name, configuration };
    }
    return {
      name: "blosc",
      configuration: {
        typesize: this.typesize,
        cname: this.cname,
        clevel: this.clevel,
        shuffle: this.shuffle,
        blocksize: this.blocksize,
      },
    };
  }

  /** v2 numcodecs config, as numcodecs' `get_config` writes it. */
  toV2JSON(): V2CodecConfig {
    return {
      id: "blosc",
      cname: this.cname,
      clevel: this.clevel,
      shuffle: this.name === "blosc" ? BLOSC_SHUFFLES.indexOf(this.shuffle) : this.shuffleCode,
      blocksize: this.blocksize,
    };
  }
}
