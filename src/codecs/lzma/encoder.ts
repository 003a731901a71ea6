/**
 * An LZMA encoder: hash-chain match finding over the whole input with greedy parsing and
 * one-step lazy evaluation, repeat-distance and short-repeat matches, and a range encoder that
 * mirrors the decoder's probability model. It writes LZMA2 chunk streams (for .xz and raw
 * LZMA2) and plain LZMA streams with an end marker (for .lzma and raw LZMA1). Compression is
 * below xz's at the same preset (no optimal parsing) but every stream is standard.
 *
 * @example
 * ```ts
 * import { lzma2Encode } from "./encoder.ts";
 * import { lzma2Decode } from "./lzma2.ts";
 * import { OutputBuffer } from "./output.ts";
 * const data = new TextEncoder().encode("abcabcabcabc");
 * const packed = lzma2Encode(data, 6);
 * const out = new OutputBuffer(16, 100);
 * lzma2Decode(packed, 0, packed.length, out, 1 << 20);
 * console.log(new TextDecoder().decode(out.result())); // abcabcabcabc
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";
import {
  ALIGN,
  DIST_SLOT,
  DIST_SPECIAL,
  encodeProps,
  END_POS_MODEL_INDEX,
  IS_MATCH,
  IS_REP,
  IS_REP0_LONG,
  IS_REP_G0,
  IS_REP_G1,
  IS_REP_G2,
  LEN_CHOICE,
  LEN_CHOICE2,
  LEN_CODER,
  LEN_HIGH,
  LEN_LOW,
  LEN_MID,
  LIT_STATES,
  LITERAL,
  type LzmaProps,
  MATCH_LEN_MAX,
  newProbs,
  REP_LEN_CODER,
  stateAfterLiteral,
} from "./model.ts";

const TOP = 1 << 24;
/** Largest compressed payload of an LZMA2 chunk. */
const LZMA2_PACKED_MAX = 1 << 16;
/** Largest uncompressed payload of an LZMA2 LZMA chunk. */
const LZMA2_UNPACKED_MAX = 1 << 21;
/** Largest payload of an LZMA2 stored chunk. */
const LZMA2_STORED_MAX = 1 << 16;

/** Match-finder effort of a preset. */
export interface EncoderTuning {
  /** Largest distance + 1 (the dictionary size written to the headers). */
  dictSize: number;
  /** Stop searching once a match this long is found. */
  niceLen: number;
  /** Hash-chain candidates examined per position. */
  depth: number;
  /** Whether to try one-step lazy matching. */
  lazy: boolean;
}

const PRESET_DICT = [18, 20, 21, 22, 22, 23, 23, 24, 25, 26];

/**
 * Encoder settings for an xz preset 0..9 (the PRESET_EXTREME flag, 0x80000000, doubles the
 * search depth). The dictionary follows xz's presets, capped at the input size.
 *
 * @example
 * ```ts
 * import { presetTuning } from "./encoder.ts";
 * console.log(presetTuning(6, 10_000_000).dictSize); // 8388608
 * ```
 */
export function presetTuning(preset: number, inputLength: number): EncoderTuning {
  const extreme = preset >= 0x80000000 || preset < 0;
  const level = extreme ? (preset & 0x7fffffff) : preset;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new CodecError(`lzma: invalid preset ${preset}`);
  }
  const depth = [4, 8, 16, 24, 32, 48, 64, 128, 256, 512][level] * (extreme ? 2 : 1);
  const niceLen = [32, 64, 64, 96, 128, 128, 128, 273, 273, 273][level];
  const dict = Math.min(2 ** PRESET_DICT[level], Math.max(4096, inputLength));
  return { dictSize: dict, niceLen, depth, lazy: level >= 2 };
}

/** Range encoder writing into a growing buffer. */
class RangeEncoder {
  low = 0;
  range = -1;
  cache = 0;
  cacheSize = 1;
  out: Uint8Array;
  outPos = 0;

  constructor(capacity: number) {
    this.out = new Uint8Array(Math.max(64, capacity));
  }

  reset(): void {
    this.low = 0;
    this.range = -1;
    this.cache = 0;
    this.cacheSize = 1;
    this.outPos = 0;
  }

  /** Bytes the stream will hold once flushed. */
  get pending(): number {
    return this.outPos + this.cacheSize + 5;
  }

  private write(b: number): void {
    if (this.outPos === this.out.length) {
      const next = new Uint8Array(this.out.length * 2);
      next.set(this.out);
      this.out = next;
    }
    this.out[this.outPos++] = b;
  }

  shiftLow(): void {
    const low = this.low;
    if (low < 0xff000000 || low >= 0x100000000) {
      const carry = low >= 0x100000000 ? 1 : 0;
      let temp = this.cache;
      do {
        this.write((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = (low >>> 24) & 0xff;
    }
    this.cacheSize++;
    this.low = (low & 0xffffff) * 256;
  }

  bit(probs: Uint16Array, i: number, bit: number): void {
    if ((this.range >>> 0) < TOP) {
      this.range <<= 8;
      this.shiftLow();
    }
    const p = probs[i];
    const bound = Math.imul(this.range >>> 11, p);
    if (bit === 0) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
    } else {
      this.low += bound >>> 0;
      this.range = (this.range - bound) | 0;
      probs[i] = p - (p >>> 5);
    }
  }

  direct(value: number, bits: number): void {
    for (let k = bits - 1; k >= 0; k--) {
      if ((this.range >>> 0) < TOP) {
        this.range <<= 8;
        this.shiftLow();
      }
      this.range = this.range >>> 1;
      if (Math.floor(value / 2 ** k) & 1) this.low += this.range;
    }
  }

  /** Flushes the coder; returns the bytes written since the last reset. */
  finish(): Uint8Array {
    // Normalise first, as the decoder does once more after the last symbol.
    if ((this.range >>> 0) < TOP) {
      this.range <<= 8;
      this.shiftLow();
    }
    for (let k = 0; k < 5; k++) this.shiftLow();
    return this.out.subarray(0, this.outPos);
  }
}

/** The LZMA symbol coder: probabilities, state machine and repeat distances. */
class SymbolCoder {
  readonly probs: Uint16Array;
  readonly props: LzmaProps;
  state = 0;
  reps = [0, 0, 0, 0];
  readonly rc: RangeEncoder;

  constructor(props: LzmaProps, rc: RangeEncoder) {
    this.props = props;
    this.probs = newProbs(props);
    this.rc = rc;
  }

  reset(): void {
    this.probs.fill(1024);
    this.state = 0;
    this.reps = [0, 0, 0, 0];
  }

  private bitTree(base: number, bits: number, value: number): void {
    let m = 1;
    for (let k = bits - 1; k >= 0; k--) {
      const b = (value >>> k) & 1;
      this.rc.bit(this.probs, base + m, b);
      m = (m << 1) | b;
    }
  }

  private reverseBitTree(base: number, bits: number, value: number): void {
    let m = 1;
    for (let k = 0; k < bits; k++) {
      const b = (value >>> k) & 1;
      this.rc.bit(this.probs, base + m, b);
      m = (m << 1) | b;
    }
  }

  private length(base: number, len: number, posState: number): void {
    const l = len - 2;
    if (l < 8) {
      this.rc.bit(this.probs, base + LEN_CHOICE, 0);
      this.bitTree(base + LEN_LOW + (posState << 3), 3, l);
    } else if (l < 16) {
      this.rc.bit(this.probs, base + LEN_CHOICE, 1);
      this.rc.bit(this.probs, base + LEN_CHOICE2, 0);
      this.bitTree(base + LEN_MID + (posState << 3), 3, l - 8);
    } else {
      this.rc.bit(this.probs, base + LEN_CHOICE, 1);
      this.rc.bit(this.probs, base + LEN_CHOICE2, 1);
      this.bitTree(base + LEN_HIGH, 8, l - 16);
    }
  }

  literal(data: Uint8Array, pos: number, dpos: number): void {
    const { lc, lp, pb } = this.props;
    const posState = dpos & ((1 << pb) - 1);
    const probs = this.probs;
    this.rc.bit(probs, IS_MATCH + (this.state << 4) + posState, 0);
    const prev = dpos > 0 ? data[pos - 1] : 0;
    const base = LITERAL + 0x300 * (((dpos & ((1 << lp) - 1)) << lc) + (prev >>> (8 - lc)));
    const byte = data[pos];
    let m = 1;
    if (this.state < LIT_STATES) {
      for (let k = 7; k >= 0; k--) {
        const b = (byte >>> k) & 1;
        this.rc.bit(probs, base + m, b);
        m = (m << 1) | b;
      }
    } else {
      let matchByte = data[pos - this.reps[0] - 1];
      let offset = 0x100;
      for (let k = 7; k >= 0; k--) {
        const b = (byte >>> k) & 1;
        matchByte <<= 1;
        const matchBit = matchByte & offset;
        this.rc.bit(probs, base + offset + matchBit + m, b);
        m = (m << 1) | b;
        offset &= b ? matchBit : ~matchBit;
      }
    }
    this.state = stateAfterLiteral(this.state);
  }

  /** A match with a new distance (`dist` = distance - 1; 0xFFFFFFFF is the end marker). */
  match(dist: number, len: number, dpos: number): void {
    const posState = dpos & ((1 << this.props.pb) - 1);
    const probs = this.probs;
    this.rc.bit(probs, IS_MATCH + (this.state << 4) + posState, 1);
    this.rc.bit(probs, IS_REP + this.state, 0);
    this.length(LEN_CODER, len, posState);
    const lenState = len < 6 ? len - 2 : 3;
    let slot: number;
    if (dist < 4) {
      slot = dist;
    } else {
      const n = 31 - Math.clz32(dist);
      slot = (n << 1) | ((dist >>> (n - 1)) & 1);
    }
    this.bitTree(DIST_SLOT + (lenState << 6), 6, slot);
    if (slot >= 4) {
      const footer = (slot >>> 1) - 1;
      const base = (2 + (slot & 1)) * 2 ** footer;
      const reduced = dist - base;
      if (slot < END_POS_MODEL_INDEX) {
        this.reverseBitTree(DIST_SPECIAL + base - slot - 1, footer, reduced);
      } else {
        this.rc.direct(Math.floor(reduced / 16), footer - 4);
        this.reverseBitTree(ALIGN, 4, reduced & 15);
      }
    }
    const r = this.reps;
    r[3] = r[2];
    r[2] = r[1];
    r[1] = r[0];
    r[0] = dist;
    this.state = this.state < LIT_STATES ? 7 : 10;
  }

  /** A match at repeat distance `index` (0..3) of `len` bytes, or a short rep (len 1, index 0). */
  rep(index: number, len: number, dpos: number): void {
    const posState = dpos & ((1 << this.props.pb) - 1);
    const probs = this.probs;
    const s = this.state;
    this.rc.bit(probs, IS_MATCH + (s << 4) + posState, 1);
    this.rc.bit(probs, IS_REP + s, 1);
    const r = this.reps;
    if (index === 0) {
      this.rc.bit(probs, IS_REP_G0 + s, 0);
      this.rc.bit(probs, IS_REP0_LONG + (s << 4) + posState, len === 1 ? 0 : 1);
      if (len === 1) {
        this.state = s < LIT_STATES ? 9 : 11;
        return;
      }
    } else {
      this.rc.bit(probs, IS_REP_G0 + s, 1);
      const dist = r[index];
      if (index === 1) {
        this.rc.bit(probs, IS_REP_G1 + s, 0);
      } else {
        this.rc.bit(probs, IS_REP_G1 + s, 1);
        this.rc.bit(probs, IS_REP_G2 + s, index === 2 ? 0 : 1);
        if (index === 3) r[3] = r[2];
        r[2] = r[1];
      }
      r[1] = r[0];
      r[0] = dist;
    }
    this.length(REP_LEN_CODER, len, posState);
    this.state = s < LIT_STATES ? 8 : 11;
  }
}

/**
 * Match finder over the whole input: hash chains on 4-byte prefixes, plus a table of the latest
 * position of each 3-byte prefix for short matches.
 */
class MatchFinder {
  private readonly head4: Int32Array;
  private readonly head3: Int32Array;
  private readonly prev: Int32Array;
  private readonly shift4: number;
  private next = 0;
  /** Length and distance - 1 of the last {@link find}. */
  len = 0;
  dist = 0;

  constructor(private readonly data: Uint8Array, private readonly tuning: EncoderTuning) {
    const bits = Math.max(12, Math.min(20, 32 - Math.clz32(Math.max(1, data.length))));
    this.head4 = new Int32Array(1 << bits).fill(-1);
    this.head3 = new Int32Array(1 << 16).fill(-1);
    this.prev = new Int32Array(Math.max(1, data.length));
    this.shift4 = 32 - bits;
  }

  /** Inserts every position below `end` not inserted yet. */
  insertUpTo(end: number): void {
    const d = this.data;
    const last = Math.min(end, d.length - 3);
    const head4 = this.head4;
    const head3 = this.head3;
    const prev = this.prev;
    const shift4 = this.shift4;
    for (let p = this.next; p < last; p++) {
      const v3 = (d[p] << 16) | (d[p + 1] << 8) | d[p + 2];
      head3[Math.imul(v3, 0x9e3779b1) >>> 16] = p;
      const h4 = Math.imul(v3 | (d[p + 3] << 24), 0x85ebca6b) >>> shift4;
      prev[p] = head4[h4];
      head4[h4] = p;
    }
    if (end > this.next) this.next = end;
  }

  /** Finds the longest match of at least 3 bytes at `pos` (positions before `pos` inserted). */
  find(pos: number, avail: number): number {
    this.insertUpTo(pos);
    this.len = 0;
    if (avail < 4) return 0;
    const d = this.data;
    const { depth, niceLen, dictSize } = this.tuning;
    const nice = Math.min(niceLen, avail);
    let best = 2;
    let bestDist = 0;
    const v3 = (d[pos] << 16) | (d[pos + 1] << 8) | d[pos + 2];
    // Short candidate: the latest position with the same 3-byte prefix, if near.
    const c3 = this.head3[Math.imul(v3, 0x9e3779b1) >>> 16];
    if (c3 >= 0 && pos - c3 - 1 < Math.min(dictSize, 0x4000)) {
      let len = 0;
      while (len < avail && d[c3 + len] === d[pos + len]) len++;
      if (len >= 3) {
        best = len;
        bestDist = pos - c3 - 1;
      }
    }
    let cur = this.head4[Math.imul(v3 | (d[pos + 3] << 24), 0x85ebca6b) >>> this.shift4];
    let count = depth;
    const prev = this.prev;
    while (cur >= 0 && count-- > 0 && best < nice) {
      const dist = pos - cur - 1;
      if (dist >= dictSize) break;
      if (d[cur + best] === d[pos + best] && d[cur] === d[pos] && d[cur + 1] === d[pos + 1]) {
        let len = 2;
        while (len < avail && d[cur + len] === d[pos + len]) len++;
        if (len > best) {
          best = len;
          bestDist = dist;
          // A good match: look at fewer further candidates.
          if (len >= 32 && count > 8) count >>= 2;
        }
      }
      cur = prev[cur];
    }
    if (best < 3) return 0;
    this.len = best;
    this.dist = bestDist;
    return best;
  }
}

/** Encodes symbols for `data[pos..)`; shared by the LZMA2 and LZMA1 writers. */
class Parser {
  readonly mf: MatchFinder;
  constructor(
    readonly data: Uint8Array,
    readonly coder: SymbolCoder,
    readonly tuning: EncoderTuning,
  ) {
    this.mf = new MatchFinder(data, tuning);
  }

  /** Length of the match at repeat distance `dist` (distance - 1) at `pos`, up to `avail`. */
  private repLen(pos: number, dist: number, avail: number): number {
    const d = this.data;
    const src = pos - dist - 1;
    if (src < 0 || d[src] !== d[pos] || d[src + 1] !== d[pos + 1]) return 0;
    let len = 2;
    while (len < avail && d[src + len] === d[pos + len]) len++;
    return len;
  }

  /** Encodes one symbol at `pos` (dictionary reset at 0); returns the bytes it covers. */
  step(pos: number): number {
    const data = this.data;
    const coder = this.coder;
    const avail = Math.min(MATCH_LEN_MAX, data.length - pos);
    if (avail < 2) {
      coder.literal(data, pos, pos);
      return 1;
    }
    const reps = coder.reps;
    let repLen = 0;
    let repIndex = 0;
    for (let r = 0; r < 4; r++) {
      const len = this.repLen(pos, reps[r], avail);
      if (len > repLen) {
        repLen = len;
        repIndex = r;
      }
    }
    if (repLen >= this.tuning.niceLen || repLen === avail) {
      coder.rep(repIndex, repLen, pos);
      return repLen;
    }
    let mainLen = this.mf.find(pos, avail);
    const mainDist = this.mf.dist;
    // A short match far away costs more than it saves.
    if (mainLen === 3 && mainDist >= 0x4000) mainLen = 0;
    if (
      repLen >= 2 &&
      (repLen + 1 >= mainLen || (repLen + 2 >= mainLen && mainDist >= 512) ||
        (repLen + 3 >= mainLen && mainDist >= 32768))
    ) {
      coder.rep(repIndex, repLen, pos);
      return repLen;
    }
    if (mainLen >= 3) {
      if (
        this.tuning.lazy && mainLen < Math.min(32, this.tuning.niceLen) && pos + 1 < data.length
      ) {
        const nextAvail = Math.min(MATCH_LEN_MAX, data.length - pos - 1);
        const nextLen = this.mf.find(pos + 1, nextAvail);
        const nextDist = this.mf.dist;
        if (nextLen > mainLen + 1 || (nextLen === mainLen + 1 && nextDist < mainDist)) {
          this.literalOrShortRep(pos);
          return 1;
        }
      }
      coder.match(mainDist, mainLen, pos);
      return mainLen;
    }
    this.literalOrShortRep(pos);
    return 1;
  }

  private literalOrShortRep(pos: number): void {
    const d = this.data;
    const rep0 = this.coder.reps[0];
    if (pos > rep0 && d[pos - rep0 - 1] === d[pos] && this.coder.state >= LIT_STATES) {
      this.coder.rep(0, 1, pos);
    } else {
      this.coder.literal(d, pos, pos);
    }
  }
}

const DEFAULT_PROPS: LzmaProps = { lc: 3, lp: 0, pb: 2 };

/**
 * Compresses `data` into an LZMA2 chunk stream (ending with its zero byte) with the tuning of
 * `preset` (or explicit `tuning`); chunks that would not shrink are stored.
 *
 * @example
 * ```ts
 * import { lzma2Encode } from "./encoder.ts";
 * console.log(lzma2Encode(new Uint8Array(0), 6)); // Uint8Array [0]
 * ```
 */
export function lzma2Encode(
  data: Uint8Array,
  preset: number,
  tuning: EncoderTuning = presetTuning(preset, data.length),
  props: LzmaProps = DEFAULT_PROPS,
): Uint8Array {
  const n = data.length;
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    total += b.length;
  };
  const rc = new RangeEncoder(LZMA2_PACKED_MAX + 1024);
  const coder = new SymbolCoder(props, rc);
  const parser = new Parser(data, coder, tuning);
  let pos = 0;
  let first = true;
  let needProps = true;
  let needReset = true;
  while (pos < n) {
    const start = pos;
    rc.reset();
    if (needReset) coder.reset();
    while (
      pos < n && pos - start <= LZMA2_UNPACKED_MAX - MATCH_LEN_MAX &&
      rc.pending <= LZMA2_PACKED_MAX - 64
    ) {
      pos += parser.step(pos);
    }
    const packed = rc.finish();
    const unpacked = pos - start;
    if (packed.length < unpacked) {
      const control = first ? 0xe0 : needProps ? 0xc0 : needReset ? 0xa0 : 0x80;
      const u = unpacked - 1;
      const c = packed.length - 1;
      const header = [control | (u >>> 16), (u >>> 8) & 0xff, u & 0xff, c >>> 8, c & 0xff];
      if (control >= 0xc0) header.push(encodeProps(props));
      push(new Uint8Array(header));
      push(packed.slice());
      needProps = false;
      needReset = false;
    } else {
      for (let s = start; s < pos; s += LZMA2_STORED_MAX) {
        const e = Math.min(pos, s + LZMA2_STORED_MAX);
        const size = e - s - 1;
        push(new Uint8Array([first ? 1 : 2, size >>> 8, size & 0xff]));
        push(data.subarray(s, e));
        if (first) needProps = true;
        first = false;
      }
      needReset = true;
    }
    first = false;
  }
  push(new Uint8Array([0]));
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Compresses `data` into one plain LZMA stream (no header) that ends with the end-of-payload
 * marker, as .lzma files with an unknown size and raw LZMA1 streams do.
 *
 * @example
 * ```ts
 * import { lzma1Encode } from "./encoder.ts";
 * console.log(lzma1Encode(new Uint8Array(3), 6)[0]); // 0 (the range coder's first byte)
 * ```
 */
export function lzma1Encode(
  data: Uint8Array,
  preset: number,
  tuning: EncoderTuning = presetTuning(preset, data.length),
  props: LzmaProps = DEFAULT_PROPS,
): Uint8Array {
  const rc = new RangeEncoder((data.length >>> 1) + 1024);
  const coder = new SymbolCoder(props, rc);
  const parser = new Parser(data, coder, tuning);
  let pos = 0;
  while (pos < data.length) pos += parser.step(pos);
  coder.match(0xffffffff, 2, pos);
  return rc.finish().slice();
}
