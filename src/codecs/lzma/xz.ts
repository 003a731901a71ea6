/**
 * The .xz container (the `FORMAT_XZ` of Python's `lzma`): stream header, blocks with their
 * filter chains (LZMA2, optionally after delta), integrity checks (none, CRC-32, CRC-64,
 * SHA-256; other check ids are skipped unverified), the index and the stream footer.
 * Concatenated streams and stream padding are accepted. Every header, the index and the footer
 * are validated against each other.
 *
 * @example
 * ```ts
 * import { xzCompress, xzDecompress } from "./xz.ts";
 * const packed = xzCompress(new TextEncoder().encode("hello"), { preset: 6, check: 4 });
 * console.log(new TextDecoder().decode(xzDecompress(packed))); // hello
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { CodecError } from "../../errors.ts";
import { crc32, crc64Bytes } from "./crc.ts";
import { type EncoderTuning, lzma2Encode, presetTuning } from "./encoder.ts";
import {
  deltaDecode,
  deltaEncode,
  FILTER_DELTA,
  FILTER_LZMA2,
  filterName,
  type FilterSpec,
} from "./filters.ts";
import { lzma2Decode, lzma2DictByte, lzma2DictSize } from "./lzma2.ts";
import { type OutputBuffer, outputFor } from "./output.ts";

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FOOTER_MAGIC = [0x59, 0x5a];

/** Check ids. */
export const CHECK_NONE = 0;
/** CRC-32. */
export const CHECK_CRC32 = 1;
/** CRC-64 (xz's default). */
export const CHECK_CRC64 = 4;
/** SHA-256. */
export const CHECK_SHA256 = 10;

/**
 * Size in bytes of the check field of a check id (0..15).
 *
 * @example
 * ```ts
 * import { checkSize } from "./xz.ts";
 * console.log(checkSize(4)); // 8
 * ```
 */
export function checkSize(check: number): number {
  if (check === 0) return 0;
  return 4 << Math.floor((check - 1) / 3);
}

function computeCheck(check: number, data: Uint8Array, start: number, end: number): Uint8Array {
  switch (check) {
    case CHECK_NONE:
      return new Uint8Array(0);
    case CHECK_CRC32: {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, crc32(data, 0, start, end), true);
      return b;
    }
    case CHECK_CRC64:
      return crc64Bytes(data, start, end);
    case CHECK_SHA256:
      return new Uint8Array(createHash("sha256").update(data.subarray(start, end)).digest());
    default:
      throw new CodecError(`lzma: unsupported integrity check ${check}`);
  }
}

/** Reads a variable-length integer (1..9 bytes, shortest form). */
function readVli(b: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (pos + i >= end) throw new CodecError("lzma: truncated .xz header");
    const byte = b[pos + i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (!(byte & 0x80)) {
      if (byte === 0 && i > 0) throw new CodecError("lzma: non-minimal integer in .xz header");
      if (value > Number.MAX_SAFE_INTEGER) {
        throw new CodecError("lzma: integer in .xz header too large");
      }
      return [value, pos + i + 1];
    }
  }
  throw new CodecError("lzma: invalid integer in .xz header");
}

function writeVli(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

function putU32(out: number[], v: number): void {
  out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

/** Options of {@link xzDecompress}. */
export interface XzDecompressOptions {
  /** Largest output accepted; more raises a CodecError. */
  maxOutputLength?: number;
}

/**
 * True when `b` starts with the .xz magic bytes.
 *
 * @example
 * ```ts
 * import { isXz } from "./xz.ts";
 * console.log(isXz(new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]))); // true
 * ```
 */
export function isXz(b: Uint8Array, pos = 0): boolean {
  if (b.length - pos < 6) return false;
  for (let i = 0; i < 6; i++) if (b[pos + i] !== MAGIC[i]) return false;
  return true;
}

/**
 * Decompresses one or more concatenated .xz streams (with stream padding between them).
 *
 * @example
 * ```ts
 * import { xzCompress, xzDecompress } from "./xz.ts";
 * console.log(xzDecompress(xzCompress(new Uint8Array(0), {})).length); // 0 (an empty stream)
 * ```
 */
export function xzDecompress(input: Uint8Array, options: XzDecompressOptions = {}): Uint8Array {
  if (input.length === 0) throw new CodecError("lzma: empty input is not an .xz stream");
  const out = outputFor(input.length, options.maxOutputLength);
  let pos = 0;
  let streams = 0;
  while (pos < input.length) {
    if (streams > 0) {
      // Stream padding: a multiple of four zero bytes.
      const padStart = pos;
      while (pos < input.length && input[pos] === 0) pos++;
      if ((pos - padStart) % 4 !== 0) {
        throw new CodecError("lzma: stream padding is not a multiple of four bytes");
      }
      if (pos === input.length) break;
    }
    if (!isXz(input, pos)) {
      throw new CodecError(
        streams === 0
          ? "lzma: not an .xz stream (bad magic bytes)"
          : `lzma: unexpected data after .xz stream ${streams} (byte ${pos})`,
      );
    }
    pos = decodeStream(input, pos, out);
    streams++;
  }
  return out.result();
}

interface IndexRecord {
  unpadded: number;
  uncompressed: number;
}

function decodeStream(input: Uint8Array, start: number, out: OutputBuffer): number {
  const len = input.length;
  if (len - start < 12) throw new CodecError("lzma: truncated .xz stream header");
  const flags0 = input[start + 6];
  const flags1 = input[start + 7];
  if (crc32(input, 0, start + 6, start + 8) !== u32(input, start + 8)) {
    throw new CodecError("lzma: .xz stream header CRC mismatch");
  }
  if (flags0 !== 0 || flags1 & 0xf0) {
    throw new CodecError("lzma: unsupported .xz stream flags");
  }
  const check = flags1 & 0x0f;
  const cSize = checkSize(check);
  let pos = start + 12;
  const records: IndexRecord[] = [];
  for (;;) {
    if (pos >= len) throw new CodecError("lzma: truncated .xz stream (no index)");
    if (input[pos] === 0) break; // index indicator
    const blockStart = pos;
    const outStart = out.len;
    pos = decodeBlock(input, pos, out);
    const compressedEnd = pos;
    // Block padding to a multiple of four, then the check.
    while ((pos - blockStart) % 4 !== 0) {
      if (pos >= len) throw new CodecError("lzma: truncated .xz block");
      if (input[pos++] !== 0) throw new CodecError("lzma: non-zero .xz block padding");
    }
    if (len - pos < cSize) throw new CodecError("lzma: truncated .xz block check");
    if (check === CHECK_CRC32 || check === CHECK_CRC64 || check === CHECK_SHA256) {
      const want = computeCheck(check, out.buf, outStart, out.len);
      for (let i = 0; i < cSize; i++) {
        if (input[pos + i] !== want[i]) {
          throw new CodecError(
            `lzma: .xz block ${
              check === CHECK_SHA256 ? "SHA-256" : check === 1 ? "CRC32" : "CRC64"
            } check mismatch (corrupt data)`,
          );
        }
      }
    }
    pos += cSize;
    records.push({
      unpadded: compressedEnd - blockStart + cSize,
      uncompressed: out.len - outStart,
    });
  }
  // Index.
  const indexStart = pos;
  pos++;
  let count: number;
  [count, pos] = readVli(input, pos, len);
  if (count !== records.length) {
    throw new CodecError(
      `lzma: .xz index lists ${count} blocks, the stream has ${records.length}`,
    );
  }
  for (const r of records) {
    let unpadded: number;
    let uncompressed: number;
    [unpadded, pos] = readVli(input, pos, len);
    [uncompressed, pos] = readVli(input, pos, len);
    if (unpadded !== r.unpadded || uncompressed !== r.uncompressed) {
      throw new CodecError("lzma: .xz index does not match the blocks");
    }
  }
  while ((pos - indexStart) % 4 !== 0) {
    if (pos >= len) throw new CodecError("lzma: truncated .xz index");
    if (input[pos++] !== 0) throw new CodecError("lzma: non-zero .xz index padding");
  }
  if (len - pos < 4) throw new CodecError("lzma: truncated .xz index");
  if (crc32(input, 0, indexStart, pos) !== u32(input, pos)) {
    throw new CodecError("lzma: .xz index CRC mismatch");
  }
  pos += 4;
  const indexSize = pos - indexStart;
  // Footer.
  if (len - pos < 12) throw new CodecError("lzma: truncated .xz stream footer");
  if (crc32(input, 0, pos + 4, pos + 10) !== u32(input, pos)) {
    throw new CodecError("lzma: .xz stream footer CRC mismatch");
  }
  const backward = (u32(input, pos + 4) + 1) * 4;
  if (backward !== indexSize) {
    throw new CodecError("lzma: .xz stream footer does not match the index size");
  }
  if (input[pos + 8] !== flags0 || input[pos + 9] !== flags1) {
    throw new CodecError("lzma: .xz stream footer flags differ from the header");
  }
  if (input[pos + 10] !== FOOTER_MAGIC[0] || input[pos + 11] !== FOOTER_MAGIC[1]) {
    throw new CodecError("lzma: bad .xz stream footer magic");
  }
  return pos + 12;
}

/** Decodes one block (header and compressed data); returns the position after the data. */
function decodeBlock(input: Uint8Array, start: number, out: OutputBuffer): number {
  const len = input.length;
  const headerSize = (input[start] + 1) * 4;
  const headerEnd = start + headerSize;
  if (headerEnd > len) throw new CodecError("lzma: truncated .xz block header");
  if (crc32(input, 0, start, headerEnd - 4) !== u32(input, headerEnd - 4)) {
    throw new CodecError("lzma: .xz block header CRC mismatch");
  }
  const flags = input[start + 1];
  if (flags & 0x3c) throw new CodecError("lzma: reserved .xz block flags set");
  const nFilters = (flags & 3) + 1;
  let pos = start + 2;
  const fieldsEnd = headerEnd - 4;
  let compressedSize: number | undefined;
  let uncompressedSize: number | undefined;
  if (flags & 0x40) [compressedSize, pos] = readVli(input, pos, fieldsEnd);
  if (flags & 0x80) [uncompressedSize, pos] = readVli(input, pos, fieldsEnd);
  if (compressedSize === 0) throw new CodecError("lzma: .xz block with zero compressed size");
  const chain: FilterSpec[] = [];
  let dictSize = 0;
  for (let i = 0; i < nFilters; i++) {
    let id: number;
    let propsSize: number;
    [id, pos] = readVli(input, pos, fieldsEnd);
    [propsSize, pos] = readVli(input, pos, fieldsEnd);
    if (pos + propsSize > fieldsEnd) throw new CodecError("lzma: truncated .xz filter flags");
    const last = i === nFilters - 1;
    if (id === FILTER_LZMA2) {
      if (!last) throw new CodecError("lzma: LZMA2 is not the last filter of an .xz block");
      if (propsSize !== 1) throw new CodecError("lzma: invalid LZMA2 filter properties");
      dictSize = lzma2DictSize(input[pos]);
      chain.push({ kind: "lzma2", lc: 3, lp: 0, pb: 2 });
    } else if (id === FILTER_DELTA) {
      if (last) throw new CodecError("lzma: the delta filter ends an .xz filter chain");
      if (propsSize !== 1) throw new CodecError("lzma: invalid delta filter properties");
      chain.push({ kind: "delta", dist: input[pos] + 1 });
    } else {
      throw new CodecError(`lzma: the ${filterName(id)} filter of this .xz block is not supported`);
    }
    pos += propsSize;
  }
  if (chain[chain.length - 1].kind !== "lzma2") {
    throw new CodecError("lzma: the .xz block's filter chain does not end with LZMA2");
  }
  for (; pos < fieldsEnd; pos++) {
    if (input[pos] !== 0) throw new CodecError("lzma: non-zero .xz block header padding");
  }
  const dataEnd = compressedSize === undefined ? len : headerEnd + compressedSize;
  if (dataEnd > len) throw new CodecError("lzma: truncated .xz block data");
  const outStart = out.len;
  // A capacity hint only (the header is not trusted for large allocations).
  if (uncompressedSize !== undefined) out.reserve(Math.min(uncompressedSize, 1 << 24));
  const end = lzma2Decode(input, headerEnd, dataEnd, out, dictSize);
  if (compressedSize !== undefined && end !== dataEnd) {
    throw new CodecError("lzma: .xz block compressed size does not match its header");
  }
  if (uncompressedSize !== undefined && out.len - outStart !== uncompressedSize) {
    throw new CodecError("lzma: .xz block uncompressed size does not match its header");
  }
  for (let i = chain.length - 2; i >= 0; i--) {
    const f = chain[i];
    if (f.kind === "delta") deltaDecode(out.buf.subarray(outStart, out.len), f.dist);
  }
  return end;
}

/** Options of {@link xzCompress}. */
export interface XzCompressOptions {
  /** Preset 0..9 (default 6), maybe with the extreme flag 0x80000000. */
  preset?: number;
  /** Check id: 0 (none), 1 (CRC-32), 4 (CRC-64, default), 10 (SHA-256). */
  check?: number;
  /** Filter chain (an optional delta, then LZMA2); default LZMA2 with `preset`. */
  filters?: FilterSpec[];
}

/**
 * Compresses into one .xz stream with one block (none for empty input), the way `xz` and
 * Python's `lzma.compress` lay streams out.
 *
 * @example
 * ```ts
 * import { xzCompress } from "./xz.ts";
 * console.log(xzCompress(new Uint8Array(0), {}).length); // 32
 * ```
 */
export function xzCompress(data: Uint8Array, options: XzCompressOptions = {}): Uint8Array {
  const check = options.check ?? CHECK_CRC64;
  if (![CHECK_NONE, CHECK_CRC32, CHECK_CRC64, CHECK_SHA256].includes(check)) {
    throw new CodecError(`lzma: unsupported integrity check ${check}`);
  }
  const chain: FilterSpec[] = options.filters ??
    [{ kind: "lzma2", preset: options.preset, lc: 3, lp: 0, pb: 2 }];
  const lz = chain[chain.length - 1];
  if (lz.kind !== "lzma2" || chain.slice(0, -1).some((f) => f.kind !== "delta")) {
    throw new CodecError("lzma: .xz streams support an optional delta filter followed by LZMA2");
  }
  const head: number[] = [...MAGIC, 0, check];
  putU32(head, crc32(new Uint8Array([0, check])));
  const parts: Uint8Array[] = [new Uint8Array(head)];
  const index: number[] = [0];
  if (data.length === 0) {
    writeVli(index, 0);
  } else {
    let filtered = data;
    for (const f of chain) if (f.kind === "delta") filtered = deltaEncode(filtered, f.dist);
    const preset = lz.preset ?? options.preset ?? 6;
    const tuning: EncoderTuning = presetTuning(preset, data.length);
    if (lz.dictSize !== undefined) tuning.dictSize = Math.min(lz.dictSize, tuning.dictSize);
    const packed = lzma2Encode(filtered, preset, tuning, { lc: lz.lc, lp: lz.lp, pb: lz.pb });
    // Block header: sizes known, filter flags, padding, CRC32.
    const bh: number[] = [0, chain.length - 1 | 0x40 | 0x80];
    writeVli(bh, packed.length);
    writeVli(bh, data.length);
    for (const f of chain) {
      if (f.kind === "delta") bh.push(FILTER_DELTA, 1, f.dist - 1);
      else bh.push(FILTER_LZMA2, 1, lzma2DictByte(tuning.dictSize));
    }
    while ((bh.length + 4) % 4 !== 0) bh.push(0);
    bh[0] = (bh.length + 4) / 4 - 1;
    putU32(bh, crc32(new Uint8Array(bh)));
    parts.push(new Uint8Array(bh), packed);
    const pad = (4 - ((bh.length + packed.length) % 4)) % 4;
    parts.push(new Uint8Array(pad), computeCheck(check, data, 0, data.length));
    writeVli(index, 1);
    writeVli(index, bh.length + packed.length + checkSize(check));
    writeVli(index, data.length);
  }
  while (index.length % 4 !== 0) index.push(0);
  putU32(index, crc32(new Uint8Array(index)));
  parts.push(new Uint8Array(index));
  const foot: number[] = [];
  putU32(foot, index.length / 4 - 1);
  foot.push(0, check);
  const footer: number[] = [];
  putU32(footer, crc32(new Uint8Array(foot)));
  footer.push(...foot, ...FOOTER_MAGIC);
  parts.push(new Uint8Array(footer));
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
