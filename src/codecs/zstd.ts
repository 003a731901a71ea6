/**
 * The `zstd` codec (bytes -> bytes), backed by the native zstd of `node:zlib`.
 *
 * Encoded frames record their content size (as numcodecs' one-shot `ZSTD_compress` does, so older
 * numcodecs releases can read them) and, with `checksum: true`, a content checksum. Decoding
 * handles frames without a content size (streaming decompression), several frames, and skippable
 * frames; it first walks the frame and block headers so that truncated input fails with a
 * {@link CodecError} instead of yielding short output, and it refuses to inflate beyond a
 * caller-given maximum (decompression bombs).
 *
 * @example
 * ```ts
 * import { ZstdCodec } from "./zstd.ts";
 * const c = new ZstdCodec({ level: 3, checksum: true });
 * console.log(c.decode(c.encode(new Uint8Array(100))).length); // 100
 * ```
 * @module
 */
import zlib from "node:zlib";
import { CodecError, MetadataValidationError } from "../errors.ts";
import {
  type BytesDecodeOptions,
  checkInt,
  type CodecContext,
  compressionError,
  plainBytes,
  readConfig,
  whereSuffix,
  zlibLimit,
} from "./common.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "./types.ts";

const ZSTD_MAGIC = 0xfd2fb528;
const MIN_LEVEL = -131072;
const MAX_LEVEL = 22;

/** What {@link inspectZstdFrames} learns from the frame headers. */
export interface ZstdFrameInfo {
  /** Number of zstd (non-skippable) frames. */
  frames: number;
  /** Total decoded size when every frame records its content size; undefined otherwise. */
  contentSize: number | undefined;
  /** Whether every frame carries a content checksum. */
  checksum: boolean;
  /** Byte ranges `[start, end)` of the zstd frames (skippable frames excluded). */
  spans: Array<[number, number]>;
}

/**
 * Walks the frame and block headers of a zstd stream without decompressing it. Raises
 * {@link CodecError} on truncated or malformed input.
 *
 * @example
 * ```ts
 * import { inspectZstdFrames, ZstdCodec } from "./zstd.ts";
 * const info = inspectZstdFrames(new ZstdCodec().encode(new Uint8Array(10)));
 * console.log(info.contentSize); // 10
 * ```
 */
export function inspectZstdFrames(bytes: Uint8Array): ZstdFrameInfo {
  const len = bytes.length;
  if (len === 0) throw new CodecError("zstd: empty input is not a zstd frame");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  let pos = 0;
  let frames = 0;
  let total = 0;
  let known = true;
  let checksum = true;
  const spans: Array<[number, number]> = [];
  const truncated = () => new CodecError(`zstd: truncated frame (input of ${len} bytes)`);
  while (pos < len) {
    if (len - pos < 4) throw truncated();
    const magic = dv.getUint32(pos, true);
    if ((magic & 0xfffffff0) >>> 0 === 0x184d2a50) {
      if (len - pos < 8) throw truncated();
      pos += 8 + dv.getUint32(pos + 4, true);
      if (pos > len) throw truncated();
      continue;
    }
    if (magic !== ZSTD_MAGIC) {
      throw new CodecError(
        `zstd: unknown frame magic 0x${magic.toString(16).padStart(8, "0")} at byte ${pos}`,
      );
    }
    const frameStart = pos;
    pos += 4;
    if (pos >= len) throw truncated();
    const fhd = bytes[pos++];
    const fcsFlag = fhd >>> 6;
    const single = (fhd >>> 5) & 1;
    if (fhd & 0x08) throw new CodecError("zstd: reserved bit set in frame header");
    const hasChecksum = (fhd >>> 2) & 1;
    const dictSize = [0, 1, 2, 4][fhd & 3];
    if (!single) pos += 1;
    pos += dictSize;
    const fcsSize = fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag];
    if (pos + fcsSize > len) throw truncated();
    let fcs: number | undefined;
    switch (fcsSize) {
      case 1:
        fcs = bytes[pos];
        break;
      case 2:
        fcs = dv.getUint16(pos, true) + 256;
        break;
      case 4:
        fcs = dv.getUint32(pos, true);
        break;
      case 8:
        fcs = Number(dv.getBigUint64(pos, true));
        break;
    }
    pos += fcsSize;
    if (fcs === undefined) known = false;
    else total += fcs;
    for (;;) {
      if (pos + 3 > len) throw truncated();
      const bh = bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16);
      const last = bh & 1;
      const type = (bh >>> 1) & 3;
      if (type === 3) throw new CodecError(`zstd: reserved block type at byte ${pos}`);
      pos += 3 + (type === 1 ? 1 : bh >>> 3);
      if (pos > len) throw truncated();
      if (last) break;
    }
    if (hasChecksum) {
      pos += 4;
      if (pos > len) throw truncated();
    } else {
      checksum = false;
    }
    frames++;
    spans.push([frameStart, pos]);
  }
  return {
    frames,
    contentSize: known ? total : undefined,
    checksum: frames > 0 && checksum,
    spans,
  };
}

function bufferTooLarge(): Error {
  return Object.assign(new RangeError("output too large"), { code: "ERR_BUFFER_TOO_LARGE" });
}

/** Options of {@link ZstdCodec}. */
export interface ZstdCodecOptions {
  /** Compression level (0 = zstd's default, negative = fast modes, at most 22). Default 0. */
  level?: number;
  /** Write a content checksum. Default false. */
  checksum?: boolean;
  /** v3 name to write: `"zstd"` (default) or `"numcodecs.zstd"`. */
  name?: string;
}

/**
 * The v3 `zstd` codec: `{"name":"zstd","configuration":{"level":0,"checksum":false}}`; in v2 the
 * numcodecs `{"id":"zstd","level":L}` compressor (with `"checksum":true` only when set, as
 * zarr-python 3 writes it).
 *
 * @example
 * ```ts
 * import { ZstdCodec } from "./zstd.ts";
 * console.log(JSON.stringify(new ZstdCodec().toJSON()));
 * // {"name":"zstd","configuration":{"level":0,"checksum":false}}
 * ```
 */
export class ZstdCodec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name: string;
  /** Compression level. */
  readonly level: number;
  /** Whether frames carry a content checksum. */
  readonly checksum: boolean;

  /** A codec with the given level (default 0) and checksum flag (default false). */
  constructor(options: ZstdCodecOptions = {}) {
    this.name = options.name ?? "zstd";
    this.level = checkInt(options.level ?? 0, this.name, "level", MIN_LEVEL, MAX_LEVEL);
    const checksum = options.checksum ?? false;
    if (typeof checksum !== "boolean") {
      throw new MetadataValidationError(
        `codec '${this.name}': 'checksum' must be a boolean, got ${JSON.stringify(checksum)}`,
      );
    }
    this.checksum = checksum;
  }

  /**
   * Builds the codec from v3 metadata (`zstd` or `numcodecs.zstd`).
   *
   * @example
   * ```ts
   * import { ZstdCodec } from "./zstd.ts";
   * const c = ZstdCodec.fromMetadata({ name: "zstd", configuration: { level: 5, checksum: true } });
   * console.log(c.level, c.checksum); // 5 true
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): ZstdCodec {
    const cfg = readConfig(meta, ["level", "checksum"], ctx.where);
    return ZstdCodec.make(meta.name, cfg, ctx.where);
  }

  /**
   * Builds the codec from a v2 numcodecs config `{"id":"zstd","level":L,"checksum"?:bool}`
   * (numcodecs' default level is 1).
   *
   * @example
   * ```ts
   * import { ZstdCodec } from "./zstd.ts";
   * console.log(ZstdCodec.fromV2({ id: "zstd", level: 1 }).level); // 1
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): ZstdCodec {
    const { id: _id, ...rest } = config;
    const cfg = readConfig({ name: "zstd", configuration: rest }, ["level", "checksum"], ctx.where);
    // numcodecs' Zstd defaults to level 1 (zarr-python's v3 ZstdCodec to 0).
    return ZstdCodec.make("zstd", { level: 1, ...cfg }, ctx.where);
  }

  /** Validates a parsed configuration and builds the codec. */
  private static make(name: string, cfg: Record<string, unknown>, where?: string): ZstdCodec {
    const level = checkInt(cfg.level ?? 0, name, "level", MIN_LEVEL, MAX_LEVEL, where);
    const checksum = cfg.checksum ?? false;
    if (typeof checksum !== "boolean") {
      throw new MetadataValidationError(
        `codec '${name}': 'checksum' must be a boolean, got ${JSON.stringify(checksum)}${
          whereSuffix(where)
        }`,
      );
    }
    return new ZstdCodec({ level, checksum, name });
  }

  /** Compresses to one zstd frame that records its content size. */
  encode(bytes: Uint8Array): Uint8Array {
    const c = zlib.constants;
    // `pledgedSrcSize` (supported by Deno's node:zlib, missing from its typings) makes the frame
    // header record the content size.
    const options: zlib.ZstdOptions & { pledgedSrcSize?: number } = {
      params: {
        [c.ZSTD_c_compressionLevel]: this.level,
        [c.ZSTD_c_checksumFlag]: this.checksum ? 1 : 0,
      },
      pledgedSrcSize: bytes.length,
    };
    try {
      return plainBytes(zlib.zstdCompressSync(bytes, options));
    } catch (e) {
      throw compressionError(this.name, "encode", e);
    }
  }

  /**
   * Decompresses one or more zstd frames. With `maxOutputLength`, output beyond it (or a frame
   * header declaring more) raises {@link CodecError} before any large allocation.
   */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    const info = inspectZstdFrames(bytes);
    let max = options.maxOutputLength;
    if (info.contentSize !== undefined) {
      if (max !== undefined && info.contentSize > max) {
        throw new CodecError(
          `${this.name} decode failed: the frame declares ${info.contentSize} bytes, more than ` +
            `the expected maximum of ${max} bytes`,
        );
      }
      max = info.contentSize;
    }
    let out: Uint8Array;
    const one = info.spans.length === 1 && info.spans[0][0] === 0 &&
      info.spans[0][1] === bytes.length;
    try {
      if (one) {
        out = plainBytes(zlib.zstdDecompressSync(bytes, zlibLimit(max)));
      } else {
        // node's decompressor stops after the first frame: decode frame by frame.
        const parts: Uint8Array[] = [];
        let total = 0;
        for (const [a, b] of info.spans) {
          const left = max === undefined ? undefined : Math.max(max - total, 0);
          const part = zlib.zstdDecompressSync(bytes.subarray(a, b), zlibLimit(left));
          if (left !== undefined && part.length > left) throw bufferTooLarge();
          parts.push(part);
          total += part.length;
        }
        out = new Uint8Array(total);
        let pos = 0;
        for (const p of parts) {
          out.set(p, pos);
          pos += p.length;
        }
      }
    } catch (e) {
      throw compressionError(this.name, "decode", e, max);
    }
    if (info.contentSize !== undefined && out.length !== info.contentSize) {
      throw new CodecError(
        `${this.name} decode failed: got ${out.length} bytes but the frame declares ${info.contentSize}`,
      );
    }
    return out;
  }

  /** v3 metadata (`level` then `checksum`). */
  toJSON(): CodecMetadata {
    return { name: this.name, configuration: { level: this.level, checksum: this.checksum } };
  }

  /** v2 numcodecs config; a false `checksum` is left out, as zarr-python 3 does. */
  toV2JSON(): V2CodecConfig {
    return this.checksum
      ? { id: "zstd", level: this.level, checksum: true }
      : { id: "zstd", level: this.level };
  }
}
