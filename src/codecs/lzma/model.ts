/**
 * The probability model shared by the LZMA decoder and encoder: the layout of the adaptive
 * bit probabilities in one `Uint16Array`, the state machine, and the properties byte.
 *
 * @example
 * ```ts
 * import { decodeProps, encodeProps } from "./model.ts";
 * console.log(encodeProps({ lc: 3, lp: 0, pb: 2 })); // 93
 * console.log(decodeProps(93)); // { lc: 3, lp: 0, pb: 2 }
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";

/** Number of states of the LZMA state machine. */
export const N_STATES = 12;
/** States below this one follow a literal. */
export const LIT_STATES = 7;
/** Probability of 0.5 in 11-bit fixed point. */
export const PROB_INIT = 1024;
/** Smallest match length. */
export const MATCH_LEN_MIN = 2;
/** Largest match length. */
export const MATCH_LEN_MAX = 273;
/** Distance slots at and above this one code their low bits with the align coder. */
export const END_POS_MODEL_INDEX = 14;
/** Distances below this are coded without direct bits. */
export const FULL_DISTANCES = 128;

/** Offsets into the probability array. */
export const IS_MATCH = 0; // [state][posState]: 12 x 16
export const IS_REP = 192; // [state]
export const IS_REP_G0 = 204;
export const IS_REP_G1 = 216;
export const IS_REP_G2 = 228;
export const IS_REP0_LONG = 240; // [state][posState]: 12 x 16
export const DIST_SLOT = 432; // [lenState][64]: 4 x 64
export const DIST_SPECIAL = 688; // 114 = FULL_DISTANCES - END_POS_MODEL_INDEX
export const ALIGN = 802; // 16
export const LEN_CODER = 818; // 514
export const REP_LEN_CODER = 1332; // 514
export const LITERAL = 1846; // 0x300 << (lc + lp)

/** Offsets inside a length coder. */
export const LEN_CHOICE = 0;
export const LEN_CHOICE2 = 1;
export const LEN_LOW = 2; // [posState][8]
export const LEN_MID = 130; // [posState][8]
export const LEN_HIGH = 258; // 256

/** The literal context bits, literal position bits and position bits of an LZMA stream. */
export interface LzmaProps {
  /** Literal context bits (0..8). */
  lc: number;
  /** Literal position bits (0..4). */
  lp: number;
  /** Position bits (0..4). */
  pb: number;
}

/**
 * Parses the properties byte `(pb * 5 + lp) * 9 + lc`.
 *
 * @example
 * ```ts
 * import { decodeProps } from "./model.ts";
 * console.log(decodeProps(0x5d).pb); // 2
 * ```
 */
export function decodeProps(byte: number): LzmaProps {
  if (byte >= 9 * 5 * 5) {
    throw new CodecError(`lzma: invalid properties byte 0x${byte.toString(16)}`);
  }
  const lc = byte % 9;
  const rest = (byte - lc) / 9;
  return { lc, lp: rest % 5, pb: (rest - (rest % 5)) / 5 };
}

/**
 * The properties byte for `props`.
 *
 * @example
 * ```ts
 * import { encodeProps } from "./model.ts";
 * console.log(encodeProps({ lc: 0, lp: 2, pb: 0 })); // 18
 * ```
 */
export function encodeProps(p: LzmaProps): number {
  return (p.pb * 5 + p.lp) * 9 + p.lc;
}

/**
 * A fresh probability array for `props` (every probability 0.5).
 *
 * @example
 * ```ts
 * import { newProbs } from "./model.ts";
 * console.log(newProbs({ lc: 3, lp: 0, pb: 2 }).length); // 7990
 * ```
 */
export function newProbs(p: LzmaProps): Uint16Array {
  return new Uint16Array(LITERAL + (0x300 << (p.lc + p.lp))).fill(PROB_INIT);
}

/**
 * The state after a literal.
 *
 * @example
 * ```ts
 * import { stateAfterLiteral } from "./model.ts";
 * console.log(stateAfterLiteral(7)); // 4
 * ```
 */
export function stateAfterLiteral(s: number): number {
  return s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
}
