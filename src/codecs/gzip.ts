/**
 * The `gzip` codec (bytes -> bytes), backed by the native `node:zlib`. Decoding accepts gzip
 * streams (several members included) and, for robustness, zlib streams.
 *
 * @example
 * ```ts
 * import { GzipCodec } from "./gzip.ts";
 * const c = new GzipCodec(5);
 * const packed = c.encode(new Uint8Array(1000));
 * console.log(c.decode(packed).length); // 1000
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

/** Options of {@link GzipCodec}. */
export interface GzipCodecOptions {
  /** v3 name to write: `"gzip"` (default) or `"numcodecs.gzip"`. */
  name?: string;
}

/**
 * The v3 `gzip` codec (`{"name":"gzip","configuration":{"level":5}}`), also the v2 numcodecs
 * `{"id":"gzip","level":L}` compressor.
 *
 * @example
 * ```ts
 * import { GzipCodec } from "./gzip.ts";
 * console.log(JSON.stringify(new GzipCodec(1).toV2JSON())); // {"id":"gzip","level":1}
 * ```
 */
export class GzipCodec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name: string;
  /** Compression level 0-9. */
  readonly level: number;

  /** A codec at `level` (0-9, default 5, zarr-python's default). */
  constructor(level = 5, options: GzipCodecOptions = {}) {
    this.name = options.name ?? "gzip";
    this.level = checkInt(level, this.name, "level", 0, 9);
  }

  /**
   * Builds the codec from v3 metadata (`gzip` or `numcodecs.gzip`).
   *
   * @example
   * ```ts
   * import { GzipCodec } from "./gzip.ts";
   * console.log(GzipCodec.fromMetadata({ name: "gzip", configuration: { level: 3 } }).level); // 3
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): GzipCodec {
    const cfg = readConfig(meta, ["level"], ctx.where);
    const level = cfg.level ?? 5;
    checkInt(level, meta.name, "level", 0, 9, ctx.where);
    return new GzipCodec(level as number, { name: meta.name });
  }

  /**
   * Builds the codec from a v2 numcodecs config `{"id":"gzip","level":L}` (numcodecs' default
   * level is 1).
   *
   * @example
   * ```ts
   * import { GzipCodec } from "./gzip.ts";
   * console.log(GzipCodec.fromV2({ id: "gzip" }).level); // 1
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): GzipCodec {
    const { id: _id, ...rest } = config;
    const cfg = readConfig({ name: "gzip", configuration: rest }, ["level"], ctx.where);
    const level = cfg.level ?? 1;
    checkInt(level, "gzip", "level", 0, 9, ctx.where);
    return new GzipCodec(level as number);
  }

  /** Compresses to a gzip stream. */
  encode(bytes: Uint8Array): Uint8Array {
    try {
      return plainBytes(zlib.gzipSync(bytes, { level: this.level }));
    } catch (e) {
      throw compressionError(this.name, "encode", e);
    }
  }

  /** Decompresses a gzip (or zlib) stream; `maxOutputLength` bounds the output. */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    try {
      return plainBytes(zlib.unzipSync(bytes, zlibLimit(options.maxOutputLength)));
    } catch (e) {
      throw compressionError(this.name, "decode", e, options.maxOutputLength);
    }
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: this.name, configuration: { level: this.level } };
  }

  /** v2 numcodecs config. */
  toV2JSON(): V2CodecConfig {
    return { id: "gzip", level: this.level };
  }
}
