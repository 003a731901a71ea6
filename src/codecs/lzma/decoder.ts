/**
 * The LZMA decoder: a range decoder driving the adaptive probability model of `model.ts`. It
 * decodes into an {@link OutputBuffer} that doubles as the dictionary, so that LZMA2 chunks and
 * .lzma streams share it. Every distance is checked against the data decoded since the last
 * dictionary reset and against the declared dictionary size; input that ends early or a range
 * coder that does not finish cleanly raises a {@link CodecError}.
 *
 * @example
 * ```ts
 * import { LzmaDecoder } from "./decoder.ts";
 * const d = new LzmaDecoder({ lc: 3, lp: 0, pb: 2 }, 1 << 20);
 * console.log(d.props.lc); // 3
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";
import {
  ALIGN,
  DIST_SLOT,
  DIST_SPECIAL,
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
import type { OutputBuffer } from "./output.ts";

const TOP = 1 << 24;

/** How {@link LzmaDecoder.decode} treats the end-of-payload marker. */
export type EndMarkerMode = "forbidden" | "allowed" | "required";

/** What {@link LzmaDecoder.decode} reports. */
export interface DecodeResult {
  /** Input position after the consumed bytes. */
  inPos: number;
  /** True when the end-of-payload marker was decoded. */
  sawEndMarker: boolean;
}

/**
 * LZMA decoder state (probabilities, state machine, repeat distances) that persists across
 * LZMA2 chunks.
 *
 * @example
 * ```ts
 * import { LzmaDecoder } from "./decoder.ts";
 * const d = new LzmaDecoder({ lc: 0, lp: 2, pb: 2 }, 4096);
 * d.resetState();
 * ```
 */
export class LzmaDecoder {
  /** Current properties. */
  props: LzmaProps;
  /** Declared dictionary size: no distance may reach beyond it. */
  readonly dictSize: number;
  private probs: Uint16Array;
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  // Range decoder (int32 registers compared as unsigned).
  private range = 0;
  private code = 0;
  private input: Uint8Array = new Uint8Array(0);
  private inPos = 0;
  private inEnd = 0;

  /** A decoder for `props` and a dictionary of `dictSize` bytes. */
  constructor(props: LzmaProps, dictSize: number) {
    this.props = props;
    this.dictSize = dictSize;
    this.probs = newProbs(props);
  }

  /** Switches to new properties and resets the state. */
  setProps(props: LzmaProps): void {
    if (props.lc + props.lp !== this.props.lc + this.props.lp) this.probs = newProbs(props);
    this.props = props;
    this.resetState();
  }

  /** Resets probabilities, state and repeat distances. */
  resetState(): void {
    this.probs.fill(1024);
    this.state = 0;
    this.rep0 =
      this.rep1 =
      this.rep2 =
      this.rep3 =
        0;
  }

  private truncated(): never {
    throw new CodecError("lzma: truncated input (compressed data ended early)");
  }

  private bit(i: number): number {
    let range = this.range;
    if ((range >>> 0) < TOP) {
      if (this.inPos >= this.inEnd) this.truncated();
      range <<= 8;
      this.code = (this.code << 8) | this.input[this.inPos++];
    }
    const p = this.probs[i];
    const bound = Math.imul(range >>> 11, p);
    if ((this.code >>> 0) < (bound >>> 0)) {
      this.range = bound;
      this.probs[i] = p + ((2048 - p) >>> 5);
      return 0;
    }
    this.range = (range - bound) | 0;
    this.code = (this.code - bound) | 0;
    this.probs[i] = p - (p >>> 5);
    return 1;
  }

  private bitTree(base: number, bits: number): number {
    let m = 1;
    for (let k = 0; k < bits; k++) m = (m << 1) | this.bit(base + m);
    return m - (1 << bits);
  }

  private reverseBitTree(base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let k = 0; k < bits; k++) {
      const b = this.bit(base + m);
      m = (m << 1) | b;
      sym |= b << k;
    }
    return sym;
  }

  private directBits(bits: number): number {
    let result = 0;
    for (let k = 0; k < bits; k++) {
      let range = this.range;
      if ((range >>> 0) < TOP) {
        if (this.inPos >= this.inEnd) this.truncated();
        range <<= 8;
        this.code = (this.code << 8) | this.input[this.inPos++];
      }
      range = range >>> 1;
      this.range = range;
      let b = 0;
      if ((this.code >>> 0) >= range) {
        this.code = (this.code - range) | 0;
        b = 1;
      }
      result = result * 2 + b;
    }
    return result;
  }

  private length(base: number, posState: number): number {
    if (this.bit(base + LEN_CHOICE) === 0) {
      return 2 + this.bitTree(base + LEN_LOW + (posState << 3), 3);
    }
    if (this.bit(base + LEN_CHOICE2) === 0) {
      return 10 + this.bitTree(base + LEN_MID + (posState << 3), 3);
    }
    return 18 + this.bitTree(base + LEN_HIGH, 8);
  }

  private distance(len: number): number {
    const lenState = len < 6 ? len - 2 : 3;
    const slot = this.bitTree(DIST_SLOT + (lenState << 6), 6);
    if (slot < 4) return slot;
    const footer = (slot >>> 1) - 1;
    let dist = (2 + (slot & 1)) * 2 ** footer;
    if (slot < END_POS_MODEL_INDEX) {
      return dist + this.reverseBitTree(DIST_SPECIAL + dist - slot - 1, footer);
    }
    dist += this.directBits(footer - 4) * 16;
    return dist + this.reverseBitTree(ALIGN, 4);
  }

  /**
   * Starts the range decoder on `input[inPos..inEnd)` (5 bytes, the first of them zero).
   * Returns the position after them.
   */
  initRange(input: Uint8Array, inPos: number, inEnd: number): number {
    if (inEnd - inPos < 5) this.truncated();
    if (input[inPos] !== 0) throw new CodecError("lzma: invalid range coder start byte");
    this.input = input;
    this.inEnd = inEnd;
    this.range = -1;
    this.code = (input[inPos + 1] << 24) | (input[inPos + 2] << 16) | (input[inPos + 3] << 8) |
      input[inPos + 4];
    this.inPos = inPos + 5;
    if (this.code === -1) throw new CodecError("lzma: invalid range coder start");
    return this.inPos;
  }

  /** True when the range decoder finished cleanly (its code register is zero). */
  get finished(): boolean {
    return this.code === 0;
  }

  /** Input position of the range decoder. */
  get position(): number {
    return this.inPos;
  }

  /**
   * Decodes symbols into `out` until its length reaches `outLimit` (use `Infinity` when the
   * size is unknown) or the end marker is met. `dictStart` is the output position of the last
   * dictionary reset. A match that would run past `outLimit` is an error.
   */
  decode(
    out: OutputBuffer,
    dictStart: number,
    outLimit: number,
    endMarker: EndMarkerMode,
  ): DecodeResult {
    const probs = this.probs;
    const { lc, lp, pb } = this.props;
    const lpMask = (1 << lp) - 1;
    const pbMask = (1 << pb) - 1;
    const known = Number.isFinite(outLimit);
    // Capacity for the declared size (a hint above 16 MiB: growth continues as data arrives).
    if (known) out.reserve(Math.min(outLimit - out.len, 1 << 24));
    let buf = out.buf;
    let pos = out.len;
    let state = this.state;
    let rep0 = this.rep0;
    let rep1 = this.rep1;
    let rep2 = this.rep2;
    let rep3 = this.rep3;
    const dictSize = this.dictSize;
    const input = this.input;
    const inEnd = this.inEnd;
    let sawEndMarker = false;
    while (pos < outLimit) {
      if (!known && pos + MATCH_LEN_MAX > buf.length) {
        out.len = pos;
        out.reserve(Math.min(MATCH_LEN_MAX, out.max - pos));
        buf = out.buf;
      }
      const dpos = pos - dictStart;
      const posState = dpos & pbMask;
      // The literal path (most symbols) runs on local copies of the range decoder registers.
      let range = this.range;
      let code = this.code;
      let inPos = this.inPos;
      if ((range >>> 0) < TOP) {
        if (inPos >= inEnd) this.truncated();
        range <<= 8;
        code = (code << 8) | input[inPos++];
      }
      const im = IS_MATCH + (state << 4) + posState;
      let p = probs[im];
      let bound = Math.imul(range >>> 11, p);
      if ((code >>> 0) < (bound >>> 0)) {
        range = bound;
        probs[im] = p + ((2048 - p) >>> 5);
        // Literal.
        const prev = dpos > 0 ? buf[pos - 1] : 0;
        const base = LITERAL + 0x300 * (((dpos & lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state < LIT_STATES) {
          while (sym < 0x100) {
            if ((range >>> 0) < TOP) {
              if (inPos >= inEnd) this.truncated();
              range <<= 8;
              code = (code << 8) | input[inPos++];
            }
            const i = base + sym;
            p = probs[i];
            bound = Math.imul(range >>> 11, p);
            if ((code >>> 0) < (bound >>> 0)) {
              range = bound;
              probs[i] = p + ((2048 - p) >>> 5);
              sym <<= 1;
            } else {
              range = (range - bound) | 0;
              code = (code - bound) | 0;
              probs[i] = p - (p >>> 5);
              sym = (sym << 1) | 1;
            }
          }
        } else {
          if (rep0 >= dpos) throw new CodecError("lzma: match distance beyond the dictionary");
          let matchByte = buf[pos - rep0 - 1];
          let offset = 0x100;
          while (sym < 0x100) {
            matchByte <<= 1;
            const matchBit = matchByte & offset;
            if ((range >>> 0) < TOP) {
              if (inPos >= inEnd) this.truncated();
              range <<= 8;
              code = (code << 8) | input[inPos++];
            }
            const i = base + offset + matchBit + sym;
            p = probs[i];
            bound = Math.imul(range >>> 11, p);
            if ((code >>> 0) < (bound >>> 0)) {
              range = bound;
              probs[i] = p + ((2048 - p) >>> 5);
              sym <<= 1;
              offset &= ~matchBit;
            } else {
              range = (range - bound) | 0;
              code = (code - bound) | 0;
              probs[i] = p - (p >>> 5);
              sym = (sym << 1) | 1;
              offset &= matchBit;
            }
          }
        }
        this.range = range;
        this.code = code;
        this.inPos = inPos;
        if (pos >= buf.length) {
          out.len = pos;
          out.reserve(1);
          buf = out.buf;
        }
        buf[pos++] = sym & 0xff;
        state = stateAfterLiteral(state);
        continue;
      }
      this.range = (range - bound) | 0;
      this.code = (code - bound) | 0;
      this.inPos = inPos;
      probs[im] = p - (p >>> 5);
      let len: number;
      if (this.bit(IS_REP + state) === 0) {
        // Match with a new distance.
        len = this.length(LEN_CODER, posState);
        const dist = this.distance(len);
        if (dist === 0xffffffff) {
          if (endMarker === "forbidden") {
            throw new CodecError("lzma: unexpected end-of-payload marker");
          }
          sawEndMarker = true;
          break;
        }
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        rep0 = dist;
        state = state < LIT_STATES ? 7 : 10;
      } else {
        if (dpos === 0) throw new CodecError("lzma: repeated match before any data");
        if (this.bit(IS_REP_G0 + state) === 0) {
          if (this.bit(IS_REP0_LONG + (state << 4) + posState) === 0) {
            // Short rep: one byte from distance rep0.
            if (rep0 >= dpos) throw new CodecError("lzma: match distance beyond the dictionary");
            if (pos >= buf.length) {
              out.len = pos;
              out.reserve(1);
              buf = out.buf;
            }
            buf[pos] = buf[pos - rep0 - 1];
            pos++;
            state = state < LIT_STATES ? 9 : 11;
            continue;
          }
        } else {
          let dist: number;
          if (this.bit(IS_REP_G1 + state) === 0) {
            dist = rep1;
          } else {
            if (this.bit(IS_REP_G2 + state) === 0) {
              dist = rep2;
            } else {
              dist = rep3;
              rep3 = rep2;
            }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = dist;
        }
        len = this.length(REP_LEN_CODER, posState);
        state = state < LIT_STATES ? 8 : 11;
      }
      if (rep0 >= dpos || rep0 >= dictSize) {
        throw new CodecError(
          `lzma: match distance ${rep0 + 1} beyond the dictionary (${
            Math.min(dpos, dictSize)
          } bytes available)`,
        );
      }
      if (pos + len > outLimit) {
        throw new CodecError("lzma: match runs past the end of the declared data size");
      }
      if (pos + len > buf.length) {
        out.len = pos;
        out.reserve(len);
        buf = out.buf;
      }
      let src = pos - rep0 - 1;
      const end = pos + len;
      if (rep0 + 1 >= len) {
        buf.copyWithin(pos, src, src + len);
        pos = end;
      } else {
        while (pos < end) buf[pos++] = buf[src++];
      }
    }
    out.len = pos;
    this.state = state;
    this.rep0 = rep0;
    this.rep1 = rep1;
    this.rep2 = rep2;
    this.rep3 = rep3;
    if (!sawEndMarker && endMarker === "required") {
      throw new CodecError("lzma: missing end-of-payload marker");
    }
    return { inPos: this.inPos, sawEndMarker };
  }

  /**
   * Ends decoding as liblzma does: one last normalisation (the encoder normalises before it
   * flushes), then the code register must be zero. Returns false when it is not, or when the
   * byte that normalisation needs is missing.
   */
  finish(): boolean {
    if ((this.range >>> 0) < TOP) {
      if (this.inPos >= this.inEnd) return false;
      this.range <<= 8;
      this.code = (this.code << 8) | this.input[this.inPos++];
    }
    return this.code === 0;
  }

  /** {@link finish}, and the range coder must also have consumed its input up to `inEnd`. */
  finishedAt(inEnd: number): boolean {
    return this.finish() && this.inPos === inEnd;
  }
}
