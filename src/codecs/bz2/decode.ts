/**
 * bzip2 decompression: one or more concatenated `BZh` streams, as Python's `bz2.decompress`
 * accepts them. Every header field and table is validated, block and stream CRCs are verified,
 * and the output never grows past a caller-given maximum; corrupt or truncated input raises a
 * {@link CodecError} naming the problem.
 *
 * Blocks are decoded in the order of the format: the symbol map, the Huffman selectors and
 * code-length tables, the MTF/RLE2 symbol stream, the inverse BWT and the initial run-length
 * expansion. Randomised blocks (written only by bzip2 0.9.0 and older) are refused.
 *
 * @example
 * ```ts
 * import { bz2Compress } from "./encode.ts";
 * import { bz2Decompress } from "./decode.ts";
 * const data = new TextEncoder().encode("hello hello hello");
 * console.log(new TextDecoder().decode(bz2Decompress(bz2Compress(data, 9)))); // hello hello hello
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";
import { BitReader } from "./bitio.ts";
import { linkRows } from "./bwt.ts";
import { bz2CrcUpdate, combineStreamCrc } from "./crc.ts";
import { FAST_BITS, HuffmanDecoder, MAX_CODE_LEN } from "./huffman.ts";

const BLOCK_MAGIC_HI = 0x314159;
const BLOCK_MAGIC_LO = 0x265359;
const EOS_MAGIC_HI = 0x177245;
const EOS_MAGIC_LO = 0x385090;
/** Most selectors libbzip2 keeps (later ones are read and ignored, as libbzip2 1.0.8 does). */
const MAX_SELECTORS = 18002;
const GROUP_SIZE = 50;

/** Options of {@link bz2Decompress}. */
export interface Bz2DecompressOptions {
  /** Largest output accepted; more raises a CodecError. */
  maxOutputLength?: number;
}

/** A growable output buffer that refuses to exceed a maximum length. */
class Output {
  buf: Uint8Array;
  len = 0;
  readonly max: number;

  constructor(initial: number, max: number) {
    this.max = max;
    // Capacity never exceeds `max`: writers only check the maximum when they grow the buffer.
    this.buf = new Uint8Array(Math.max(0, Math.min(initial, max)));
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need > this.max) {
      throw new CodecError(
        `bz2: decompressed data exceeds the expected maximum of ${this.max} bytes`,
      );
    }
    if (need <= this.buf.length) return;
    let cap = Math.max(64, this.buf.length * 2);
    while (cap < need) cap *= 2;
    const next = new Uint8Array(Math.min(cap, this.max));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** The bytes written (a copy when the buffer is much larger). */
  result(): Uint8Array {
    if (this.len === this.buf.length) return this.buf;
    if (this.buf.length - this.len > this.buf.length >>> 3) return this.buf.slice(0, this.len);
    return this.buf.subarray(0, this.len);
  }
}

/**
 * Decompresses bzip2 data (one or more concatenated streams; empty input gives empty output).
 *
 * @example
 * ```ts
 * import { bz2Decompress } from "./decode.ts";
 * // "BZh9" followed by the end-of-stream marker: an empty stream
 * const empty = new Uint8Array([0x42, 0x5a, 0x68, 0x39, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0, 0, 0, 0]);
 * console.log(bz2Decompress(empty).length); // 0
 * ```
 */
export function bz2Decompress(input: Uint8Array, options: Bz2DecompressOptions = {}): Uint8Array {
  const limit = options.maxOutputLength;
  const bounded = limit !== undefined && Number.isFinite(limit);
  const max = bounded ? Math.max(0, Math.floor(limit)) : Number.MAX_SAFE_INTEGER;
  // A known expected size (up to 256 MiB) is allocated at once; otherwise grow from a guess.
  const out = new Output(bounded && max <= 1 << 28 ? max : input.length * 4 + 1024, max);
  let pos = 0;
  let streams = 0;
  while (pos < input.length) {
    pos = decodeStream(input, pos, out, streams);
    streams++;
  }
  return out.result();
}

/** Decodes the stream starting at byte `start`; returns the byte position after it. */
function decodeStream(input: Uint8Array, start: number, out: Output, index: number): number {
  const rest = input.length - start;
  if (
    rest < 4 || input[start] !== 0x42 || input[start + 1] !== 0x5a || input[start + 2] !== 0x68
  ) {
    throw new CodecError(
      index === 0
        ? "bz2: not a bzip2 stream (missing 'BZh' signature)"
        : `bz2: unexpected data after the end of bzip2 stream ${index} (byte ${start})`,
    );
  }
  const levelChar = input[start + 3];
  if (levelChar < 0x31 || levelChar > 0x39) {
    throw new CodecError(`bz2: invalid block size digit 0x${levelChar.toString(16)} in header`);
  }
  const blockMax = (levelChar - 0x30) * 100000;
  const r = new BitReader(input, start + 4);
  let tt: Int32Array | undefined;
  let streamCrc = 0;
  for (;;) {
    const hi = r.bits(24);
    const lo = r.bits(24);
    if (hi === BLOCK_MAGIC_HI && lo === BLOCK_MAGIC_LO) {
      const storedCrc = r.bits32();
      tt ??= new Int32Array(blockMax);
      const outStart = out.len;
      decodeBlock(r, tt, blockMax, out);
      const crc = ~bz2CrcUpdate(0xffffffff, out.buf, outStart, out.len) >>> 0;
      if (crc !== storedCrc) {
        throw new CodecError(
          `bz2: block CRC mismatch (stored 0x${hex(storedCrc)}, computed 0x${hex(crc)})`,
        );
      }
      streamCrc = combineStreamCrc(streamCrc, crc);
    } else if (hi === EOS_MAGIC_HI && lo === EOS_MAGIC_LO) {
      const stored = r.bits32();
      r.checkOverrun("the end-of-stream marker");
      if (stored !== streamCrc) {
        throw new CodecError(
          `bz2: stream CRC mismatch (stored 0x${hex(stored)}, computed 0x${hex(streamCrc)})`,
        );
      }
      r.alignToByte();
      return r.bitPosition >>> 3;
    } else {
      r.checkOverrun("a block header");
      throw new CodecError("bz2: invalid block signature (corrupt data)");
    }
  }
}

function hex(v: number): string {
  return v.toString(16).padStart(8, "0");
}

/** Decodes one block (after its magic and CRC) and appends its bytes to `out`. */
function decodeBlock(r: BitReader, tt: Int32Array, blockMax: number, out: Output): void {
  if (r.bits(1)) {
    throw new CodecError("bz2: randomised blocks (bzip2 0.9.0 and older) are not supported");
  }
  const origPtr = r.bits(24);
  // Symbol map: which byte values occur in the block.
  const seqToUnseq = new Uint8Array(256);
  let nInUse = 0;
  const used16 = r.bits(16);
  for (let i = 0; i < 16; i++) {
    if (used16 & (0x8000 >>> i)) {
      const bits = r.bits(16);
      for (let j = 0; j < 16; j++) if (bits & (0x8000 >>> j)) seqToUnseq[nInUse++] = i * 16 + j;
    }
  }
  if (nInUse === 0) throw new CodecError("bz2: block uses no symbols (corrupt data)");
  const alphaSize = nInUse + 2;
  const nGroups = r.bits(3);
  if (nGroups < 2 || nGroups > 6) {
    throw new CodecError(`bz2: invalid number of Huffman tables ${nGroups}`);
  }
  const nSelectorsRaw = r.bits(15);
  if (nSelectorsRaw < 1) throw new CodecError("bz2: block has no selectors (corrupt data)");
  const nSelectors = Math.min(nSelectorsRaw, MAX_SELECTORS);
  const selectors = new Uint8Array(nSelectors);
  const mtfGroups = [0, 1, 2, 3, 4, 5];
  for (let i = 0; i < nSelectorsRaw; i++) {
    let j = 0;
    while (r.bits(1)) {
      j++;
      if (j >= nGroups) throw new CodecError("bz2: invalid selector (corrupt data)");
    }
    if (r.overrun) r.checkOverrun("the selectors");
    if (i < nSelectors) {
      const g = mtfGroups[j];
      for (let k = j; k > 0; k--) mtfGroups[k] = mtfGroups[k - 1];
      mtfGroups[0] = g;
      selectors[i] = g;
    }
  }
  const tables: HuffmanDecoder[] = [];
  const lengths = new Uint8Array(alphaSize);
  for (let t = 0; t < nGroups; t++) {
    let cur = r.bits(5);
    for (let s = 0; s < alphaSize; s++) {
      for (;;) {
        if (cur < 1 || cur > MAX_CODE_LEN) {
          r.checkOverrun("the code-length tables");
          throw new CodecError(`bz2: invalid Huffman code length ${cur}`);
        }
        if (!r.bits(1)) break;
        cur += r.bits(1) ? -1 : 1;
      }
      lengths[s] = cur;
    }
    r.checkOverrun("the code-length tables");
    tables.push(new HuffmanDecoder(lengths));
  }

  // Symbol stream: MTF indices with zero runs as RUNA/RUNB, until end-of-block.
  const eob = nInUse + 1;
  const mtf = new Uint8Array(256);
  for (let i = 0; i < nInUse; i++) mtf[i] = seqToUnseq[i];
  const data = r.data;
  const dataLen = data.length;
  let buf = r.buf;
  let count = r.count;
  let pos = r.pos;
  let nblock = 0;
  let groupIndex = -1;
  let groupLeft = 0;
  let table = tables[0];
  let fast = table.fast;
  let run = 0;
  let runWeight = 1;
  for (;;) {
    if (groupLeft === 0) {
      groupIndex++;
      if (groupIndex >= nSelectors) {
        throw new CodecError("bz2: ran out of selectors before the end of the block");
      }
      table = tables[selectors[groupIndex]];
      fast = table.fast;
      groupLeft = GROUP_SIZE;
      if (pos > dataLen + 8) {
        throw new CodecError("bz2: truncated input (ended inside a block)");
      }
    }
    groupLeft--;
    while (count < MAX_CODE_LEN) {
      buf = (buf << 8) | (pos < dataLen ? data[pos] : 0);
      pos++;
      count += 8;
    }
    let entry = fast[(buf >>> (count - FAST_BITS)) & ((1 << FAST_BITS) - 1)];
    if (entry === 0) {
      entry = table.slow((buf >>> (count - MAX_CODE_LEN)) & ((1 << MAX_CODE_LEN) - 1));
      if (entry < 0) throw new CodecError("bz2: invalid Huffman code (corrupt data)");
    }
    count -= entry & 31;
    const sym = entry >>> 5;
    if (sym <= 1) {
      // RUNA adds the current weight, RUNB twice it (bijective base 2).
      run += runWeight << sym;
      runWeight <<= 1;
      if (run > blockMax) throw new CodecError("bz2: run length exceeds the block size");
      continue;
    }
    if (run > 0) {
      if (nblock + run > blockMax) throw new CodecError("bz2: block exceeds its declared size");
      const b = mtf[0];
      tt.fill(b, nblock, nblock + run);
      nblock += run;
      run = 0;
      runWeight = 1;
    }
    if (sym === eob) break;
    if (sym > eob) throw new CodecError("bz2: invalid symbol (corrupt data)");
    if (nblock >= blockMax) throw new CodecError("bz2: block exceeds its declared size");
    // MTF index sym - 1: move that byte to the front.
    const v = sym - 1;
    const b = mtf[v];
    if (v < 16) {
      for (let k = v; k > 0; k--) mtf[k] = mtf[k - 1];
    } else {
      mtf.copyWithin(1, 0, v);
    }
    mtf[0] = b;
    tt[nblock++] = b;
  }
  r.buf = buf;
  r.count = count;
  r.pos = pos;
  r.checkOverrun("a block");
  if (origPtr >= nblock) {
    throw new CodecError(`bz2: block origin pointer ${origPtr} out of range (${nblock} bytes)`);
  }

  // Inverse BWT, then undo the initial run-length encoding (4 equal bytes + repeat count).
  linkRows(tt, nblock);
  out.reserve(Math.min(nblock, out.max - out.len));
  let o = out.buf;
  let oLen = out.len;
  let p = tt[origPtr] >>> 8;
  let last = -1;
  let same = 0;
  for (let k = 0; k < nblock; k++) {
    const e = tt[p];
    const ch = e & 0xff;
    p = e >>> 8;
    if (same === 4) {
      // `ch` is a repeat count for `last`.
      same = 0;
      if (ch > 0) {
        if (oLen + ch > o.length) {
          out.len = oLen;
          out.reserve(ch);
          o = out.buf;
        }
        o.fill(last, oLen, oLen + ch);
        oLen += ch;
      }
      continue;
    }
    if (ch === last) {
      same++;
    } else {
      same = 1;
      last = ch;
    }
    if (oLen === o.length) {
      out.len = oLen;
      out.reserve(1);
      o = out.buf;
    }
    o[oLen++] = ch;
  }
  out.len = oLen;
}
