/**
 * The numcodecs `LZMA` compressor (bytes -> bytes): v3 name `numcodecs.lzma`, v2 id `lzma`.
 * Pure TypeScript: .xz (default), legacy .lzma and raw streams, read and written (see `xz.ts`,
 * `alone.ts`, `decoder.ts`, `encoder.ts`).
 *
 * @example
 * ```ts
 * import { LZMACodec } from "./codec.ts";
 * const c = new LZMACodec();
 * console.log(c.decode(c.encode(new Uint8Array([1, 2, 3])))); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */
import { MetadataValidationError } from "../../errors.ts";
import {
  type BytesDecodeOptions,
  type CodecContext,
  compressionError,
  errorMessage,
  readConfig,
  whereSuffix,
} from "../common.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { aloneCompress, aloneDecompress, rawCompress, rawDecompress } from "./alone.ts";
import { type FilterSpec, parseFilters } from "./filters.ts";
import { isXz, xzCompress, xzDecompress } from "./xz.ts";
import { CodecError } from "../../errors.ts";

/** Container formats of Python's `lzma` module. */
export const FORMAT_AUTO = 0;
/** .xz (numcodecs' default). */
export const FORMAT_XZ = 1;
/** Legacy .lzma. */
export const FORMAT_ALONE = 2;
/** No container; needs `filters`. */
export const FORMAT_RAW = 3;

/** Configuration of {@link LZMACodec}, as numcodecs' `LZMA.get_config()` lists it. */
export interface LZMACodecOptions {
  /** Container: 0 auto (decode only), 1 .xz (default), 2 .lzma, 3 raw. */
  format?: number;
  /** Integrity check of .xz: -1 default (CRC-64), 0 none, 1 CRC-32, 4 CRC-64, 10 SHA-256. */
  check?: number;
  /** Compression preset 0..9 (maybe with the extreme flag 0x80000000); null = 6. */
  preset?: number | null;
  /** Filter chain (list of `{"id": ..., ...}`); null = LZMA2 with `preset`. */
  filters?: Record<string, unknown>[] | null;
}

const KEYS = ["format", "check", "preset", "filters"];

/**
 * numcodecs `LZMA`: `{"id":"lzma","format":1,"check":-1,"preset":null,"filters":null}` in v2,
 * `{"name":"numcodecs.lzma","configuration":{...the same keys}}` in v3.
 *
 * Reading handles .xz with LZMA2 and delta filters (CRC-32/CRC-64/SHA-256 verified), .lzma, and
 * raw LZMA1/LZMA2 streams. Writing produces LZMA-compressed LZMA2 chunks from a greedy/lazy
 * hash-chain encoder (smaller than bz2 or zlib output for typical data, though larger than xz's
 * at the same preset). BCJ filters are not supported.
 *
 * @example
 * ```ts
 * import { LZMACodec } from "./codec.ts";
 * console.log(JSON.stringify(new LZMACodec().toV2JSON()));
 * // {"id":"lzma","format":1,"check":-1,"preset":null,"filters":null}
 * ```
 */
export class LZMACodec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name = "numcodecs.lzma";
  /** Container format. */
  readonly format: number;
  /** Integrity check id (-1 = default). */
  readonly check: number;
  /** Preset or null. */
  readonly preset: number | null;
  /** Filter chain as configured, or null. */
  readonly filters: Record<string, unknown>[] | null;

  /** A codec with numcodecs' defaults unless overridden. Raises for invalid combinations. */
  constructor(options: LZMACodecOptions = {}, where?: string) {
    const bad = (msg: string): never => {
      throw new MetadataValidationError(`codec 'numcodecs.lzma': ${msg}${whereSuffix(where)}`);
    };
    const format = options.format ?? FORMAT_XZ;
    if (![0, 1, 2, 3].includes(format as number)) {
      bad(`'format' must be 0, 1, 2 or 3, got ${JSON.stringify(format)}`);
    }
    const check = options.check ?? -1;
    if (typeof check !== "number" || !Number.isInteger(check) || check < -1 || check > 15) {
      bad(`'check' must be an integer in [-1, 15], got ${JSON.stringify(check)}`);
    }
    if (format !== FORMAT_XZ && check !== -1 && check !== 0) {
      bad("integrity checks are only supported by the .xz format (format 1)");
    }
    const preset = options.preset ?? null;
    if (
      preset !== null &&
      (typeof preset !== "number" || !Number.isInteger(preset) || preset < 0 ||
        preset > 0xffffffff || (preset & 0x7fffffff) > 9 ||
        (preset > 9 && preset < 0x80000000))
    ) {
      bad(`'preset' must be null or 0..9 (optionally | 0x80000000), got ${JSON.stringify(preset)}`);
    }
    const filters = options.filters ?? null;
    if (filters !== null) {
      if (preset !== null) bad("cannot specify both 'preset' and 'filters'");
      if (!Array.isArray(filters)) bad(`'filters' must be null or a list`);
    }
    if (format === FORMAT_RAW && filters === null) bad("the raw format (3) needs 'filters'");
    if (format === FORMAT_RAW) {
      try {
        parseFilters(filters);
      } catch (e) {
        bad(errorMessage(e).replace(/^lzma: /, ""));
      }
    }
    this.format = format;
    this.check = check;
    this.preset = preset;
    this.filters = filters;
  }

  /**
   * Builds the codec from v3 metadata (`numcodecs.lzma` with any of format, check, preset,
   * filters).
   *
   * @example
   * ```ts
   * import { LZMACodec } from "./codec.ts";
   * console.log(LZMACodec.fromMetadata({ name: "numcodecs.lzma", configuration: { preset: 1 } }).preset); // 1
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): LZMACodec {
    const cfg = readConfig(meta, KEYS, ctx.where);
    return new LZMACodec(cfg as LZMACodecOptions, ctx.where);
  }

  /**
   * Builds the codec from a v2 numcodecs config `{"id":"lzma", ...}`.
   *
   * @example
   * ```ts
   * import { LZMACodec } from "./codec.ts";
   * console.log(LZMACodec.fromV2({ id: "lzma", format: 1, check: -1, preset: null, filters: null }).format); // 1
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): LZMACodec {
    const { id: _id, ...rest } = config;
    return LZMACodec.fromMetadata({ name: "numcodecs.lzma", configuration: rest }, ctx);
  }

  private chain(): FilterSpec[] | undefined {
    return this.filters === null ? undefined : parseFilters(this.filters);
  }

  /**
   * Compresses in the configured container.
   *
   * @example
   * ```ts
   * import { LZMACodec } from "./codec.ts";
   * console.log(new LZMACodec().encode(new Uint8Array(10))[1]); // 55 (".xz" magic "\xfd7zXZ")
   * ```
   */
  encode(bytes: Uint8Array): Uint8Array {
    try {
      const preset = this.preset ?? 6;
      const chain = this.chain();
      switch (this.format) {
        case FORMAT_XZ:
          return xzCompress(bytes, {
            preset,
            check: this.check === -1 ? 4 : this.check,
            filters: chain,
          });
        case FORMAT_ALONE:
          if (chain !== undefined && (chain.length !== 1 || chain[0].kind !== "lzma1")) {
            throw new CodecError("lzma: the .lzma format needs a single LZMA1 filter");
          }
          return aloneCompress(bytes, preset, chain?.[0]);
        case FORMAT_RAW:
          return rawCompress(bytes, chain!, preset);
        default:
          throw new CodecError("lzma: format 0 (auto) can only decode");
      }
    } catch (e) {
      throw compressionError("lzma", "encode", e);
    }
  }

  /**
   * Decompresses; `maxOutputLength` bounds the output. Format 0 detects .xz or .lzma.
   *
   * @example
   * ```ts
   * import { LZMACodec } from "./codec.ts";
   * const c = new LZMACodec({ format: 2 });
   * console.log(c.decode(c.encode(new Uint8Array(5))).length); // 5
   * ```
   */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    const opts = { maxOutputLength: options.maxOutputLength };
    try {
      switch (this.format) {
        case FORMAT_RAW:
          return rawDecompress(bytes, this.chain()!, opts);
        case FORMAT_ALONE:
          return aloneDecompress(bytes, opts);
        case FORMAT_AUTO:
          return isXz(bytes) ? xzDecompress(bytes, opts) : aloneDecompress(bytes, opts);
        default:
          return xzDecompress(bytes, opts);
      }
    } catch (e) {
      throw compressionError("lzma", "decode", e, options.maxOutputLength);
    }
  }

  /** v3 metadata (all four keys, as zarr-python writes them). */
  toJSON(): CodecMetadata {
    return {
      name: this.name,
      configuration: {
        format: this.format,
        check: this.check,
        preset: this.preset,
        filters: this.filters,
      },
    };
  }

  /** v2 numcodecs config, in numcodecs' key order. */
  toV2JSON(): V2CodecConfig {
    return {
      id: "lzma",
      format: this.format,
      check: this.check,
      preset: this.preset,
      filters: this.filters,
    };
  }
}
