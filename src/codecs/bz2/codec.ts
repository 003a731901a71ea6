/**
 * The numcodecs `BZ2` compressor (bytes -> bytes): v3 name `numcodecs.bz2`, v2 id `bz2`. Pure
 * TypeScript bzip2 (see `encode.ts` and `decode.ts`); streams it writes are read by Python's
 * `bz2` module and vice versa.
 *
 * @example
 * ```ts
 * import { BZ2Codec } from "./codec.ts";
 * const c = new BZ2Codec(9);
 * console.log(c.decode(c.encode(new Uint8Array([1, 2, 3])))); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */
import {
  type BytesDecodeOptions,
  checkInt,
  type CodecContext,
  compressionError,
  readConfig,
} from "../common.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { bz2Decompress } from "./decode.ts";
import { bz2Compress } from "./encode.ts";

/**
 * numcodecs `BZ2` (`{"id":"bz2","level":9}` in v2;
 * `{"name":"numcodecs.bz2","configuration":{"level":9}}` in v3). Level 1..9 (numcodecs' default
 * is 1) sets the block size, level x 100 kB.
 *
 * @example
 * ```ts
 * import { BZ2Codec } from "./codec.ts";
 * console.log(JSON.stringify(new BZ2Codec(9).toV2JSON())); // {"id":"bz2","level":9}
 * ```
 */
export class BZ2Codec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name = "numcodecs.bz2";
  /** Compression level 1..9. */
  readonly level: number;

  /** A codec at `level` (1..9, default 1 as in numcodecs). */
  constructor(level = 1) {
    this.level = checkInt(level, this.name, "level", 1, 9);
  }

  /**
   * Builds the codec from v3 metadata `{"name":"numcodecs.bz2","configuration":{"level":L}}`.
   *
   * @example
   * ```ts
   * import { BZ2Codec } from "./codec.ts";
   * console.log(BZ2Codec.fromMetadata({ name: "numcodecs.bz2" }).level); // 1
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): BZ2Codec {
    const cfg = readConfig(meta, ["level"], ctx.where);
    const level = checkInt(cfg.level ?? 1, meta.name, "level", 1, 9, ctx.where);
    return new BZ2Codec(level);
  }

  /**
   * Builds the codec from a v2 numcodecs config `{"id":"bz2","level":L}`.
   *
   * @example
   * ```ts
   * import { BZ2Codec } from "./codec.ts";
   * console.log(BZ2Codec.fromV2({ id: "bz2", level: 9 }).level); // 9
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): BZ2Codec {
    const { id: _id, ...rest } = config;
    return BZ2Codec.fromMetadata({ name: "numcodecs.bz2", configuration: rest }, ctx);
  }

  /**
   * Compresses to one bzip2 stream.
   *
   * @example
   * ```ts
   * import { BZ2Codec } from "./codec.ts";
   * console.log(new BZ2Codec(9).encode(new Uint8Array(10)).subarray(0, 4)); // "BZh9" bytes
   * ```
   */
  encode(bytes: Uint8Array): Uint8Array {
    try {
      return bz2Compress(bytes, this.level);
    } catch (e) {
      throw compressionError("bz2", "encode", e);
    }
  }

  /**
   * Decompresses one or more concatenated bzip2 streams; `maxOutputLength` bounds the output.
   *
   * @example
   * ```ts
   * import { BZ2Codec } from "./codec.ts";
   * const c = new BZ2Codec();
   * console.log(c.decode(c.encode(new Uint8Array(5)), { maxOutputLength: 5 }).length); // 5
   * ```
   */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    try {
      return bz2Decompress(bytes, { maxOutputLength: options.maxOutputLength });
    } catch (e) {
      throw compressionError("bz2", "decode", e, options.maxOutputLength);
    }
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: this.name, configuration: { level: this.level } };
  }

  /** v2 numcodecs config. */
  toV2JSON(): V2CodecConfig {
    return { id: "bz2", level: this.level };
  }
}
