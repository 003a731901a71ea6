/**
 * The numcodecs `LZ4` compressor (bytes -> bytes): v2 id `lz4`, v3 name `numcodecs.lz4`. The
 * encoded form is a 4-byte little-endian decoded size followed by one LZ4 block.
 *
 * @example
 * ```ts
 * import { LZ4Codec } from "./lz4.ts";
 * const c = new LZ4Codec();
 * console.log(c.decode(c.encode(new Uint8Array(1000))).length); // 1000
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import { type BytesDecodeOptions, type CodecContext, readConfig, whereSuffix } from "./common.ts";
import { lz4Compress, lz4CompressBound, lz4Decompress } from "./blosc/lz4.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "./types.ts";

/** An LZ4 block cannot expand data by more than this factor (255 bytes per length byte). */
const MAX_RATIO = 256;
/** numcodecs stores the size as a C `int`. */
const MAX_SIZE = 2 ** 31 - 1;

/**
 * numcodecs `LZ4(acceleration=1)`: `{"id":"lz4","acceleration":1}` in v2,
 * `{"name":"numcodecs.lz4","configuration":{"acceleration":1}}` in v3. An acceleration of 0 or
 * less means the default (1), as in numcodecs.
 *
 * @example
 * ```ts
 * import { LZ4Codec } from "./lz4.ts";
 * console.log(JSON.stringify(new LZ4Codec(3).toV2JSON())); // {"id":"lz4","acceleration":3}
 * ```
 */
export class LZ4Codec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name = "numcodecs.lz4";
  /** LZ4 acceleration (higher: faster, larger output). */
  readonly acceleration: number;

  /** A codec with the given acceleration (default 1). */
  constructor(acceleration = 1) {
    if (typeof acceleration !== "number" || !Number.isInteger(acceleration)) {
      throw new MetadataValidationError(
        `codec 'numcodecs.lz4': 'acceleration' must be an integer, got ${
          JSON.stringify(acceleration)
        }`,
      );
    }
    this.acceleration = acceleration;
  }

  /**
   * Builds the codec from v3 metadata `{"name":"numcodecs.lz4","configuration":{"acceleration":1}}`.
   *
   * @example
   * ```ts
   * import { LZ4Codec } from "./lz4.ts";
   * console.log(LZ4Codec.fromMetadata({ name: "numcodecs.lz4" }).acceleration); // 1
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): LZ4Codec {
    const cfg = readConfig(meta, ["acceleration"], ctx.where);
    const a = cfg.acceleration ?? 1;
    if (typeof a !== "number" || !Number.isInteger(a)) {
      throw new MetadataValidationError(
        `codec '${meta.name}': 'acceleration' must be an integer, got ${JSON.stringify(a)}${
          whereSuffix(ctx.where)
        }`,
      );
    }
    return new LZ4Codec(a);
  }

  /**
   * Builds the codec from a v2 numcodecs config `{"id":"lz4","acceleration":1}`.
   *
   * @example
   * ```ts
   * import { LZ4Codec } from "./lz4.ts";
   * console.log(LZ4Codec.fromV2({ id: "lz4", acceleration: 5 }).acceleration); // 5
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): LZ4Codec {
    const { id: _id, ...rest } = config;
    return LZ4Codec.fromMetadata({ name: "numcodecs.lz4", configuration: rest }, ctx);
  }

  /** Compresses to the 4-byte size header plus one LZ4 block. */
  encode(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    if (n > MAX_SIZE) {
      throw new CodecError(`numcodecs.lz4 encode failed: input of ${n} bytes is too large`);
    }
    const out = new Uint8Array(4 + lz4CompressBound(n));
    out[0] = n;
    out[1] = n >>> 8;
    out[2] = n >>> 16;
    out[3] = n >>> 24;
    const written = lz4Compress(bytes, 0, n, out, 4, out.length, this.acceleration);
    if (written === 0) throw new CodecError("numcodecs.lz4 encode failed: output overflow");
    return out.slice(0, 4 + written);
  }

  /**
   * Decompresses the 4-byte size header plus one LZ4 block. The declared size must not exceed
   * `maxOutputLength` (when given) nor what the block can stand for; the block must decode to
   * exactly that size.
   */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    if (bytes.length < 4) {
      throw new CodecError(`numcodecs.lz4 decode failed: input of ${bytes.length} bytes`);
    }
    const size = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
    if (size > MAX_SIZE) {
      throw new CodecError(`numcodecs.lz4 decode failed: invalid decoded size ${size}`);
    }
    const max = options.maxOutputLength;
    if (max !== undefined && size > max) {
      throw new CodecError(
        `numcodecs.lz4 decode failed: the header declares ${size} bytes, more than the ` +
          `expected maximum of ${max} bytes`,
      );
    }
    if (size > (bytes.length - 4) * MAX_RATIO) {
      throw new CodecError(
        `numcodecs.lz4 decode failed: the header declares ${size} bytes, more than ` +
          `${bytes.length - 4} bytes of LZ4 data can hold`,
      );
    }
    const out = new Uint8Array(size);
    if (size === 0 && bytes.length === 4) return out;
    let end: number;
    try {
      end = lz4Decompress(bytes, 4, bytes.length, out, 0, size);
    } catch (e) {
      throw new CodecError(`numcodecs.lz4 decode failed: ${(e as Error).message}`, { cause: e });
    }
    if (end !== size) {
      throw new CodecError(
        `numcodecs.lz4 decode failed: decoded ${end} bytes, the header declares ${size}`,
      );
    }
    return out;
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: this.name, configuration: { acceleration: this.acceleration } };
  }

  /** v2 numcodecs config. */
  toV2JSON(): V2CodecConfig {
    return { id: "lz4", acceleration: this.acceleration };
  }
}
