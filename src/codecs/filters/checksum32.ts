/**
 * numcodecs' 32-bit checksum codecs (bytes -> bytes): `numcodecs.crc32` (zlib CRC-32),
 * `numcodecs.adler32`, `numcodecs.crc32c` and `numcodecs.fletcher32` (HDF5 / netCDF Fletcher-32).
 * Each frames the data with its 4-byte little-endian checksum and verifies it on decode.
 *
 * Layout: crc32 and adler32 put the checksum before the data (numcodecs 0.11 always; numcodecs
 * >= 0.13 by default, with a `location` option `"start"` / `"end"`); crc32c puts it at the end by
 * default (`location` too); fletcher32 always appends it (no option).
 *
 * @example
 * ```ts
 * import { adler32, Checksum32Codec } from "./checksum32.ts";
 * console.log(adler32(new TextEncoder().encode("Wikipedia")).toString(16)); // 11e60398
 * const c = Checksum32Codec.fromV2({ id: "adler32" });
 * console.log(c.encode(Uint8Array.of(1, 2))); // Uint8Array [4, 0, 6, 0, 1, 2]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../../errors.ts";
import { type CodecContext, readConfig, whereSuffix } from "../common.ts";
import { crc32c } from "../crc32c.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "../types.ts";

/** The checksum algorithms (numcodecs ids). */
export type Checksum32Id = "crc32" | "adler32" | "crc32c" | "fletcher32";

/** Where the checksum goes. */
export type ChecksumLocation = "start" | "end";

const CRC32_TABLE: Int32Array = (() => {
  const t = new Int32Array(4 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b];
    for (let k = 1; k < 4; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + b] = c;
    }
  }
  return t;
})();

/**
 * zlib's CRC-32 of `data` (`zlib.crc32`), continuing from `crc`.
 *
 * @example
 * ```ts
 * import { crc32 } from "./checksum32.ts";
 * console.log(crc32(new TextEncoder().encode("123456789")).toString(16)); // cbf43926
 * ```
 */
export function crc32(data: Uint8Array, crc = 0): number {
  const t = CRC32_TABLE;
  let c = ~crc;
  let i = 0;
  const n = data.length;
  const end4 = n - (n & 3);
  while (i < end4) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^
      t[c >>> 24];
    i += 4;
  }
  while (i < n) c = t[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * zlib's Adler-32 of `data` (`zlib.adler32`, starting value 1).
 *
 * @example
 * ```ts
 * import { adler32 } from "./checksum32.ts";
 * console.log(adler32(new Uint8Array(0))); // 1
 * ```
 */
export function adler32(data: Uint8Array, start = 1): number {
  let a = start & 0xffff;
  let b = start >>> 16;
  const n = data.length;
  let i = 0;
  while (i < n) {
    // 3800 bytes keep b below 2^31 (small-integer arithmetic) before the reduction
    const end = Math.min(n, i + 3800);
    for (; i < end; i++) {
      a = (a + data[i]) | 0;
      b = (b + a) | 0;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * The Fletcher-32 of HDF5 / netCDF (numcodecs' `Fletcher32`): 16-bit big-endian words, sums
 * folded every 360 words, an odd last byte taken as the high byte of a word.
 *
 * @example
 * ```ts
 * import { fletcher32 } from "./checksum32.ts";
 * console.log(fletcher32(Uint8Array.of(1, 2, 3, 4)).toString(16)); // 4080406
 * ```
 */
export function fletcher32(data: Uint8Array): number {
  const total = data.length;
  let words = total >>> 1;
  let sum1 = 0;
  let sum2 = 0;
  let p = 0;
  while (words > 0) {
    const t = words > 360 ? 360 : words;
    words -= t;
    const end = p + 2 * t;
    for (; p < end; p += 2) {
      sum1 += (data[p] << 8) | data[p + 1];
      sum2 += sum1;
    }
    sum2 %= 4294967296; // uint32 wrap-around of the C code (exact: only additions in between)
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  if (total & 1) {
    sum1 += data[p] << 8;
    sum2 += sum1;
    sum2 %= 4294967296;
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  return ((sum2 << 16) | sum1) >>> 0;
}

const ALGORITHMS: Record<Checksum32Id, (d: Uint8Array) => number> = {
  crc32: (d) => crc32(d),
  adler32: (d) => adler32(d),
  crc32c: (d) => crc32c(d),
  fletcher32,
};
const DEFAULT_LOCATION: Record<Checksum32Id, ChecksumLocation> = {
  crc32: "start",
  adler32: "start",
  crc32c: "end",
  fletcher32: "end",
};

/** One of numcodecs' 32-bit checksum codecs. */
export class Checksum32Codec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name (`numcodecs.<id>`). */
  readonly name: string;
  /** numcodecs id. */
  readonly id: Checksum32Id;
  /** Where the checksum goes. */
  readonly location: ChecksumLocation;
  readonly #explicitLocation: boolean;
  readonly #sum: (d: Uint8Array) => number;

  /**
   * A checksum codec; `location` defaults to numcodecs' (start for crc32 / adler32, end for
   * crc32c; fletcher32 has no option and always appends).
   *
   * @example
   * ```ts
   * import { Checksum32Codec } from "./checksum32.ts";
   * new Checksum32Codec("adler32", "end").location; // "end"
   * ```
   */
  constructor(id: Checksum32Id, location?: ChecksumLocation, where?: string) {
    if (!(id in ALGORITHMS)) {
      throw new MetadataValidationError(`unknown checksum '${id}'${whereSuffix(where)}`);
    }
    this.id = id;
    this.name = `numcodecs.${id}`;
    if (location !== undefined && location !== "start" && location !== "end") {
      throw new MetadataValidationError(
        `codec '${this.name}': 'location' must be "start" or "end", got ${
          JSON.stringify(location)
        }${whereSuffix(where)}`,
      );
    }
    this.#explicitLocation = location !== undefined;
    this.location = location ?? DEFAULT_LOCATION[id];
    this.#sum = ALGORITHMS[id];
  }

  /**
   * Builds the codec from v3 metadata (`numcodecs.adler32`, ...); `location` is accepted except
   * for fletcher32.
   *
   * @example
   * ```ts
   * import { Checksum32Codec } from "./checksum32.ts";
   * Checksum32Codec.fromMetadata({ name: "numcodecs.fletcher32", configuration: {} });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): Checksum32Codec {
    const id = meta.name.replace(/^numcodecs\./, "") as Checksum32Id;
    const cfg = readConfig(meta, id === "fletcher32" ? [] : ["location"], ctx.where);
    return new Checksum32Codec(id, cfg.location as ChecksumLocation | undefined, ctx.where);
  }

  /**
   * Builds the codec from a numcodecs config (`{"id": "adler32"}`, ...).
   *
   * @example
   * ```ts
   * import { Checksum32Codec } from "./checksum32.ts";
   * Checksum32Codec.fromV2({ id: "crc32", location: "end" }).location; // "end"
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): Checksum32Codec {
    const { id, ...rest } = config;
    return Checksum32Codec.fromMetadata({ name: `numcodecs.${id}`, configuration: rest }, ctx);
  }

  /** The data with its checksum (4 bytes, little-endian) before or after it. */
  encode(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    const out = new Uint8Array(n + 4);
    const start = this.location === "start";
    out.set(bytes, start ? 4 : 0);
    const c = this.#sum(bytes);
    const at = start ? 0 : n;
    out[at] = c & 0xff;
    out[at + 1] = (c >>> 8) & 0xff;
    out[at + 2] = (c >>> 16) & 0xff;
    out[at + 3] = c >>> 24;
    return out;
  }

  /** Verifies and strips the checksum (returns a view). */
  decode(bytes: Uint8Array): Uint8Array {
    const n = bytes.length - 4;
    if (n < 0) {
      throw new CodecError(
        `${this.id}: input of ${bytes.length} bytes is too short to contain a 32-bit checksum`,
      );
    }
    const start = this.location === "start";
    const at = start ? 0 : n;
    const stored =
      (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
    const data = start ? bytes.subarray(4) : bytes.subarray(0, n);
    const actual = this.#sum(data);
    if (stored !== actual) {
      throw new CodecError(
        `${this.id} checksum mismatch: stored 0x${
          stored.toString(16).padStart(8, "0")
        }, computed 0x${actual.toString(16).padStart(8, "0")}`,
      );
    }
    return data;
  }

  /** Encoded size: 4 bytes more. */
  encodedSize(decodedSize: number): number {
    return decodedSize + 4;
  }

  /** v3 metadata (`location` only when it was given). */
  toJSON(): CodecMetadata {
    return {
      name: this.name,
      configuration: this.#explicitLocation ? { location: this.location } : {},
    };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    return this.#explicitLocation ? { id: this.id, location: this.location } : { id: this.id };
  }
}
