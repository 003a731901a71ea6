/**
 * The `crc32c` codec (bytes -> bytes): appends the CRC32C (Castagnoli) checksum of the data as 4
 * little-endian bytes and verifies it on decode. The checksum is a table-driven slicing-by-8
 * implementation.
 *
 * @example
 * ```ts
 * import { crc32c } from "./crc32c.ts";
 * console.log(crc32c(new TextEncoder().encode("123456789")).toString(16)); // e3069283
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import { type CodecContext, readConfig, whereSuffix } from "./common.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "./types.ts";

/** Reflected Castagnoli polynomial. */
const POLY = 0x82f63b78;

/** 8 tables of 256 entries: T[k*256+b] is the CRC of byte b followed by k zero bytes. */
const TABLE: Int32Array = (() => {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + b] = c;
    }
  }
  return t;
})();

/**
 * CRC32C of `data`, continuing from `crc` (the CRC of preceding data; 0 to start). Returns an
 * unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * import { crc32c } from "./crc32c.ts";
 * const all = crc32c(new Uint8Array([1, 2, 3, 4]));
 * const split = crc32c(new Uint8Array([3, 4]), crc32c(new Uint8Array([1, 2])));
 * console.log(all === split); // true
 * ```
 */
export function crc32c(data: Uint8Array, crc = 0): number {
  const t = TABLE;
  let c = ~crc;
  let i = 0;
  const n = data.length;
  const end8 = n - (n & 7);
  while (i < end8) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c = t[1792 + (c & 0xff)] ^ t[1536 + ((c >>> 8) & 0xff)] ^ t[1280 + ((c >>> 16) & 0xff)] ^
      t[1024 + (c >>> 24)] ^ t[768 + data[i + 4]] ^ t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^ t[data[i + 7]];
    i += 8;
  }
  while (i < n) c = t[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * The v3 `crc32c` codec (`{"name":"crc32c"}`).
 *
 * @example
 * ```ts
 * import { Crc32cCodec } from "./crc32c.ts";
 * const c = new Crc32cCodec();
 * const framed = c.encode(new Uint8Array([1, 2, 3]));
 * console.log(framed.length, c.decode(framed)); // 7 Uint8Array [1, 2, 3]
 * ```
 */
export class Crc32cCodec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name = "crc32c";

  /**
   * Builds the codec from v3 metadata (no configuration allowed).
   *
   * @example
   * ```ts
   * import { Crc32cCodec } from "./crc32c.ts";
   * Crc32cCodec.fromMetadata({ name: "crc32c" });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): Crc32cCodec {
    readConfig(meta, [], ctx.where);
    return new Crc32cCodec();
  }

  /**
   * Builds the codec from the numcodecs config `{"id":"crc32c"}` (numcodecs >= 0.13; only the
   * default `location: "end"` is supported).
   *
   * @example
   * ```ts
   * import { Crc32cCodec } from "./crc32c.ts";
   * Crc32cCodec.fromV2({ id: "crc32c", location: "end" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): Crc32cCodec {
    const { id: _id, ...rest } = config;
    const cfg = readConfig({ name: "crc32c", configuration: rest }, ["location"], ctx.where);
    if (cfg.location !== undefined && cfg.location !== "end") {
      throw new MetadataValidationError(
        `codec 'crc32c': only location "end" is supported, got ${JSON.stringify(cfg.location)}${
          whereSuffix(ctx.where)
        }`,
      );
    }
    return new Crc32cCodec();
  }

  /** Data followed by its CRC32C, little-endian. */
  encode(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length + 4);
    out.set(bytes);
    const c = crc32c(bytes);
    const n = bytes.length;
    out[n] = c & 0xff;
    out[n + 1] = (c >>> 8) & 0xff;
    out[n + 2] = (c >>> 16) & 0xff;
    out[n + 3] = c >>> 24;
    return out;
  }

  /** Verifies and strips the checksum (returns a view, no copy). */
  decode(bytes: Uint8Array): Uint8Array {
    const n = bytes.length - 4;
    if (n < 0) {
      throw new CodecError(
        `crc32c checksum mismatch: input of ${bytes.length} bytes is shorter than the 4-byte checksum`,
      );
    }
    const stored =
      (bytes[n] | (bytes[n + 1] << 8) | (bytes[n + 2] << 16) | (bytes[n + 3] << 24)) >>>
      0;
    const data = bytes.subarray(0, n);
    const actual = crc32c(data);
    if (stored !== actual) {
      throw new CodecError(
        `crc32c checksum mismatch: stored 0x${stored.toString(16).padStart(8, "0")}, computed 0x${
          actual.toString(16).padStart(8, "0")
        }`,
      );
    }
    return data;
  }

  /** Encoded size: 4 bytes more. */
  encodedSize(decodedSize: number): number {
    return decodedSize + 4;
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: "crc32c" };
  }

  /** v2 numcodecs config. */
  toV2JSON(): V2CodecConfig {
    return { id: "crc32c" };
  }
}
