/**
 * The 16-byte header of a c-blosc 1.x buffer and the constants of the format.
 *
 * | bytes | field |
 * |---|---|
 * | 0 | format version (2; 1 for very old writers) |
 * | 1 | inner-compressor format version (1) |
 * | 2 | flags: bit 0 byte shuffle, bit 1 memcpyed, bit 2 bit shuffle, bit 3 reserved, bit 4 blocks not split, bits 5-7 inner compressor |
 * | 3 | typesize (element size used by the shuffles) |
 * | 4-7 | nbytes: decoded size (little-endian) |
 * | 8-11 | blocksize |
 * | 12-15 | cbytes: encoded size, header included |
 *
 * Unless memcpyed, a table of `nblocks` 32-bit block offsets follows, then per block one or
 * `typesize` split streams, each a 32-bit compressed size followed by that many bytes (a size
 * equal to the stream's decoded size means the bytes are stored raw). A memcpyed buffer is the
 * header followed by the raw data.
 *
 * @example
 * ```ts
 * import { readBloscHeader } from "./header.ts";
 * const buf = new Uint8Array(80); // header + 64 memcpyed bytes
 * buf.set([2, 1, 0x13, 4, 64, 0, 0, 0, 64, 0, 0, 0, 80, 0, 0, 0]);
 * const h = readBloscHeader(buf);
 * console.log(h.nbytes, h.memcpyed, h.shuffle); // 64 true shuffle
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";

/** Header length in bytes (also c-blosc's `BLOSC_MAX_OVERHEAD`). */
export const BLOSC_HEADER_LENGTH = 16;
/** Buffers smaller than this are always stored memcpyed. */
export const BLOSC_MIN_BUFFERSIZE = 128;
/** Largest typesize the header can hold; larger element sizes are coded as 1. */
export const BLOSC_MAX_TYPESIZE = 255;
/** Largest decoded size of one buffer. */
export const BLOSC_MAX_BUFFERSIZE = 2 ** 31 - 1 - BLOSC_HEADER_LENGTH;
/** Largest block size c-blosc accepts. */
export const BLOSC_MAX_BLOCKSIZE = Math.floor((2 ** 31 - 1 - BLOSC_MAX_TYPESIZE * 4) / 3);
/** Splits are only made for typesizes up to this. */
export const BLOSC_MAX_SPLITS = 16;

/** Flag bits. */
export const FLAG_SHUFFLE = 0x01;
/** The data follows the header uncompressed. */
export const FLAG_MEMCPYED = 0x02;
/** Bit shuffle. */
export const FLAG_BITSHUFFLE = 0x04;
/** Reserved bit (set only by formats this decoder does not know). */
export const FLAG_RESERVED = 0x08;
/** Blocks are not split into per-byte streams. */
export const FLAG_DONT_SPLIT = 0x10;

/** Blosc inner compressor names. */
export type BloscCname = "blosclz" | "lz4" | "lz4hc" | "snappy" | "zlib" | "zstd";
/** Blosc shuffle names (as in v3 metadata). */
export type BloscShuffle = "noshuffle" | "shuffle" | "bitshuffle";

/** The inner compressors, in the order of their format codes in the header flags. */
export const BLOSC_FORMATS = ["blosclz", "lz4", "snappy", "zlib", "zstd"] as const;
/** All cnames, in zarr-python's order. */
export const BLOSC_CNAMES: readonly BloscCname[] = [
  "lz4",
  "lz4hc",
  "blosclz",
  "snappy",
  "zlib",
  "zstd",
];
/** The shuffle names by their numcodecs / c-blosc number (0, 1, 2). */
export const BLOSC_SHUFFLES: readonly BloscShuffle[] = ["noshuffle", "shuffle", "bitshuffle"];

/**
 * The header format code of a cname (lz4 and lz4hc share the lz4 format).
 *
 * @example
 * ```ts
 * import { formatCode } from "./header.ts";
 * console.log(formatCode("lz4hc"), formatCode("zstd")); // 1 4
 * ```
 */
export function formatCode(cname: BloscCname): number {
  return cname === "lz4hc" ? 1 : BLOSC_FORMATS.indexOf(cname);
}

/** A parsed header. */
export interface BloscHeader {
  /** Format version (byte 0). */
  version: number;
  /** Inner-compressor format version (byte 1). */
  versionlz: number;
  /** Raw flags byte. */
  flags: number;
  /** Element size for the shuffles. */
  typesize: number;
  /** Decoded size. */
  nbytes: number;
  /** Block size. */
  blocksize: number;
  /** Encoded size, header included. */
  cbytes: number;
  /** Whether the data is stored raw after the header. */
  memcpyed: boolean;
  /** The shuffle recorded in the flags. */
  shuffle: BloscShuffle;
  /** Whether blocks are kept whole (no per-byte split streams). */
  dontSplit: boolean;
  /** Inner compressor format (`lz4` also stands for lz4hc). */
  format: (typeof BLOSC_FORMATS)[number] | undefined;
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/**
 * Parses and validates the header of `bytes` (a c-blosc 1.x buffer). Raises
 * {@link CodecError} when the input is shorter than the header or than the encoded size it
 * declares, for unknown versions and reserved flags, and for sizes outside the format's limits.
 *
 * @example
 * ```ts
 * import { readBloscHeader } from "./header.ts";
 * try {
 *   readBloscHeader(new Uint8Array(3));
 * } catch (e) {
 *   console.log((e as Error).message); // blosc: truncated header (3 bytes)
 * }
 * ```
 */
export function readBloscHeader(bytes: Uint8Array): BloscHeader {
  if (bytes.length < BLOSC_HEADER_LENGTH) {
    throw new CodecError(`blosc: truncated header (${bytes.length} bytes)`);
  }
  const version = bytes[0];
  const versionlz = bytes[1];
  const flags = bytes[2];
  const typesize = bytes[3];
  const nbytes = u32(bytes, 4);
  const blocksize = u32(bytes, 8);
  const cbytes = u32(bytes, 12);
  if (version !== 1 && version !== 2) {
    throw new CodecError(
      `blosc: unsupported format version ${version} (only c-blosc 1.x buffers, versions 1 and 2)`,
    );
  }
  if (flags & FLAG_RESERVED) throw new CodecError("blosc: reserved header flag set");
  if (cbytes < BLOSC_HEADER_LENGTH) {
    throw new CodecError(`blosc: header declares an encoded size of ${cbytes} bytes`);
  }
  if (cbytes > bytes.length) {
    throw new CodecError(
      `blosc: truncated buffer: the header declares ${cbytes} bytes, got ${bytes.length}`,
    );
  }
  if (nbytes > BLOSC_MAX_BUFFERSIZE) {
    throw new CodecError(`blosc: decoded size ${nbytes} exceeds the format's limit`);
  }
  if (nbytes > 0) {
    if (typesize === 0) throw new CodecError("blosc: typesize 0 in header");
    if (blocksize === 0 || blocksize > nbytes || blocksize > BLOSC_MAX_BLOCKSIZE) {
      throw new CodecError(`blosc: invalid block size ${blocksize} for ${nbytes} bytes`);
    }
  }
  const memcpyed = (flags & FLAG_MEMCPYED) !== 0;
  const shuffle: BloscShuffle = flags & FLAG_SHUFFLE
    ? "shuffle"
    : flags & FLAG_BITSHUFFLE
    ? "bitshuffle"
    : "noshuffle";
  return {
    version,
    versionlz,
    flags,
    typesize,
    nbytes,
    blocksize,
    cbytes,
    memcpyed,
    shuffle,
    dontSplit: (flags & FLAG_DONT_SPLIT) !== 0,
    format: BLOSC_FORMATS[flags >>> 5],
  };
}

/**
 * Writes a header into `out[0, 16)`.
 *
 * @example
 * ```ts
 * import { writeBloscHeader } from "./header.ts";
 * const out = new Uint8Array(16);
 * writeBloscHeader(out, 0x21, 4, 1000, 1000, 200);
 * console.log(out[0], out[2], out[3]); // 2 33 4
 * ```
 */
export function writeBloscHeader(
  out: Uint8Array,
  flags: number,
  typesize: number,
  nbytes: number,
  blocksize: number,
  cbytes: number,
): void {
  out[0] = 2;
  out[1] = 1;
  out[2] = flags;
  out[3] = typesize;
  writeU32(out, 4, nbytes);
  writeU32(out, 8, blocksize);
  writeU32(out, 12, cbytes);
}

/**
 * Writes a little-endian 32-bit unsigned integer.
 *
 * @example
 * ```ts
 * import { writeU32 } from "./header.ts";
 * const b = new Uint8Array(4);
 * writeU32(b, 0, 258); // b: [2, 1, 0, 0]
 * ```
 */
export function writeU32(out: Uint8Array, p: number, v: number): void {
  out[p] = v;
  out[p + 1] = v >>> 8;
  out[p + 2] = v >>> 16;
  out[p + 3] = v >>> 24;
}

/**
 * Reads a little-endian 32-bit unsigned integer.
 *
 * @example
 * ```ts
 * import { readU32 } from "./header.ts";
 * console.log(readU32(new Uint8Array([2, 1, 0, 0]), 0)); // 258
 * ```
 */
export function readU32(b: Uint8Array, p: number): number {
  return u32(b, p);
}
