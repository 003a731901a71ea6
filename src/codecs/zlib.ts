/**
 * The numcodecs `zlib` compressor (bytes -> bytes): v3 name `numcodecs.zlib`, v2 id `zlib`.
 * Backed by the native `node:zlib`; decoding accepts zlib streams and, for robustness, gzip.
 *
 * @example
 * ```ts
 * import { ZlibCodec } from "./zlib.ts";
 * const c = new ZlibCodec(1);
 * console.log(c.decode(c.encode(new Uint8Array([1, 2, 3])))); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */
import zlib from "node:zlib";
import {
  type BytesDecodeOptions,
  checkInt,
  type CodecContext,
  compressionError,
  plainBytes,
  readConfig,
  zlibLimit,
} from "./common.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "./types.ts";

/**
 * numcodecs `Zlib` (`{"id":"zlib","level":1}` in v2;
 * `{"name":"numcodecs.zlib","configuration":{"level":1}}` in v3). Level -1 means zlib's default.
 *
 * @example
 * ```ts
 * import { ZlibCodec } from "./zlib.ts";
 * console.log(JSON.stringify(new ZlibCodec().toJSON()));
 * // {"name":"numcodecs.zlib","configuration":{"level":1}}
 * ```
 */
export class ZlibCodec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name = "numcodecs.zlib";
  /** Compression level -1..9. */
  readonly level: number;

  /** A codec at `level` (-1..9, default 1, numcodecs' default). */
  constructor(level = 1) {
    this.level = checkInt(level, this.name, "level", -1, 9);
  }

  /**
   * Builds the codec from v3 metadata `{"name":"numcodecs.zlib","configuration":{"level":L}}`.
   *
   * @example
   * ```ts
   * import { ZlibCodec } from "./zlib.ts";
   * console.log(ZlibCodec.fromMetadata({ name: "numcodecs.zlib" }).level); // 1
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): ZlibCodec {
    const cfg = readConfig(meta, ["level"], ctx.where);
    const level = cfg.level ?? 1;
    checkInt(level, meta.name, "level", -1, 9, ctx.where);
    return new ZlibCodec(level as number);
  }

  /**
   * Builds the codec from a v2 numcodecs config `{"id":"zlib","level":L}`.
   *
   * @example
   * ```ts
   * import { ZlibCodec } from "./zlib.ts";
   * console.log(ZlibCodec.fromV2({ id: "zlib", level: 9 }).level); // 9
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): ZlibCodec {
    const { id: _id, ...rest } = config;
    return ZlibCodec.fromMetadata({ name: "numcodecs.zlib", configuration: rest }, ctx);
  }

  /** Compresses to a zlib stream. */
  encode(bytes: Uint8Array): Uint8Array {
    try {
      return plainBytes(zlib.deflateSync(bytes, { level: this.level }));
    } catch (e) {
      throw compressionError("zlib", "encode", e);
    }
  }

  /** Decompresses a zlib (or gzip) stream; `maxOutputLength` bounds the output. */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    try {
      return plainBytes(zlib.unzipSync(bytes, zlibLimit(options.maxOutputLength)));
    } catch (e) {
      throw compressionError("zlib", "decode", e, options.maxOutputLength);
    }
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: this.name, configuration: { level: this.level } };
  }

  /** v2 numcodecs config. */
  toV2JSON(): V2CodecConfig {
    return { id: "zlib", level: this.level };
  }
}
