/**
 * Huffman coding for bzip2: canonical codes from code lengths (shorter codes first, then by
 * symbol), fast table-driven decoding, and length-limited code lengths from symbol frequencies
 * for the encoder.
 *
 * @example
 * ```ts
 * import { buildCodeLengths, canonicalCodes } from "./huffman.ts";
 * const lengths = buildCodeLengths(new Int32Array([10, 1, 1, 5]), 17);
 * console.log(lengths, canonicalCodes(lengths)); // Uint8Array [1, 3, 3, 2] Int32Array [0, 6, 7, 2]
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";

/** Width of the direct lookup table of {@link HuffmanDecoder}. */
export const FAST_BITS = 10;
/** Longest code length a bzip2 stream may use. */
export const MAX_CODE_LEN = 20;

/**
 * Decoding tables for one bzip2 coding table: a `2^FAST_BITS` lookup for short codes and
 * per-length canonical ranges for the longer ones.
 *
 * @example
 * ```ts
 * import { HuffmanDecoder } from "./huffman.ts";
 * const d = new HuffmanDecoder(new Uint8Array([1, 2, 2]));
 * console.log(d.fast[0b1000000000] & 31, d.fast[0b1000000000] >>> 5); // 2 1
 * ```
 */
export class HuffmanDecoder {
  /** `(symbol << 5) | length` for codes of at most FAST_BITS bits, indexed by the next bits; 0 = longer. */
  readonly fast: Int32Array;
  /** Shortest and longest code length in use. */
  readonly minLen: number;
  /** Longest code length in use. */
  readonly maxLen: number;
  /** First canonical code of each length. */
  readonly firstCode: Int32Array;
  /** Number of codes of each length. */
  readonly countOf: Int32Array;
  /** Index into `symbols` of the first symbol of each length. */
  readonly firstIndex: Int32Array;
  /** Symbols sorted by (length, symbol). */
  readonly symbols: Int32Array;

  /**
   * Builds the tables from code lengths (each 1..20). Raises when the lengths describe an
   * over-subscribed code (no valid encoder produces one).
   */
  constructor(lengths: Uint8Array) {
    const n = lengths.length;
    const countOf = new Int32Array(MAX_CODE_LEN + 2);
    let minLen = MAX_CODE_LEN;
    let maxLen = 0;
    for (let i = 0; i < n; i++) {
      const l = lengths[i];
      if (l < 1 || l > MAX_CODE_LEN) throw new CodecError(`bz2: invalid code length ${l}`);
      countOf[l]++;
      if (l < minLen) minLen = l;
      if (l > maxLen) maxLen = l;
    }
    // Kraft sum: the code must not be over-subscribed.
    let left = 1;
    for (let l = 1; l <= MAX_CODE_LEN; l++) {
      left = left * 2 - countOf[l];
      if (left < 0) throw new CodecError("bz2: over-subscribed Huffman code lengths");
    }
    const firstCode = new Int32Array(MAX_CODE_LEN + 2);
    const firstIndex = new Int32Array(MAX_CODE_LEN + 2);
    let code = 0;
    let index = 0;
    for (let l = 1; l <= MAX_CODE_LEN; l++) {
      firstCode[l] = code;
      firstIndex[l] = index;
      code = (code + countOf[l]) << 1;
      index += countOf[l];
    }
    const symbols = new Int32Array(n);
    const next = firstIndex.slice();
    for (let l = 1; l <= MAX_CODE_LEN; l++) {
      for (let s = 0; s < n; s++) if (lengths[s] === l) symbols[next[l]++] = s;
    }
    const fast = new Int32Array(1 << FAST_BITS);
    for (let l = 1; l <= Math.min(FAST_BITS, maxLen); l++) {
      for (let k = 0; k < countOf[l]; k++) {
        const c = firstCode[l] + k;
        const entry = (symbols[firstIndex[l] + k] << 5) | l;
        const shift = FAST_BITS - l;
        const start = c << shift;
        fast.fill(entry, start, start + (1 << shift));
      }
    }
    this.fast = fast;
    this.minLen = minLen;
    this.maxLen = maxLen;
    this.firstCode = firstCode;
    this.countOf = countOf;
    this.firstIndex = firstIndex;
    this.symbols = symbols;
  }

  /**
   * Decodes a code longer than FAST_BITS from `peek`, the next MAX_CODE_LEN bits. Returns
   * `(symbol << 5) | length`, or -1 when no code matches (corrupt input).
   */
  slow(peek: number): number {
    for (let l = FAST_BITS + 1; l <= this.maxLen; l++) {
      const c = peek >>> (MAX_CODE_LEN - l);
      const k = c - this.firstCode[l];
      if (k >= 0 && k < this.countOf[l]) return (this.symbols[this.firstIndex[l] + k] << 5) | l;
    }
    return -1;
  }
}

/**
 * Canonical codes for code lengths: codes are handed out in order of length, then of symbol.
 *
 * @example
 * ```ts
 * import { canonicalCodes } from "./huffman.ts";
 * console.log(canonicalCodes(new Uint8Array([2, 1, 2]))); // Int32Array [2, 0, 3]
 * ```
 */
export function canonicalCodes(lengths: Uint8Array): Int32Array {
  const codes = new Int32Array(lengths.length);
  let code = 0;
  for (let l = 1; l <= MAX_CODE_LEN; l++) {
    for (let s = 0; s < lengths.length; s++) if (lengths[s] === l) codes[s] = code++;
    code <<= 1;
  }
  return codes;
}

/** Huffman code lengths for `freq` (all symbols get a code) without a length limit. */
function huffmanLengths(freq: Int32Array | Float64Array): Uint8Array {
  const n = freq.length;
  const lengths = new Uint8Array(n);
  if (n === 1) {
    lengths[0] = 1;
    return lengths;
  }
  // Two-queue construction over leaves sorted by weight.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => freq[a] - freq[b]);
  const weight = new Float64Array(2 * n);
  const parent = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) weight[i] = freq[order[i]];
  let leaf = 0;
  let inner = n;
  let innerEnd = n;
  const pick = (): number => {
    if (leaf < n && (inner >= innerEnd || weight[leaf] <= weight[inner])) return leaf++;
    return inner++;
  };
  for (let k = 0; k < n - 1; k++) {
    const a = pick();
    const b = pick();
    weight[innerEnd] = weight[a] + weight[b];
    parent[a] = innerEnd;
    parent[b] = innerEnd;
    innerEnd++;
  }
  const depth = new Int32Array(2 * n);
  for (let i = innerEnd - 2; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
  for (let i = 0; i < n; i++) lengths[order[i]] = depth[i];
  return lengths;
}

/**
 * Huffman code lengths for symbol frequencies, every symbol included (zero counts as one) and no
 * code longer than `maxLen`: frequencies are flattened until the limit holds.
 *
 * @example
 * ```ts
 * import { buildCodeLengths } from "./huffman.ts";
 * console.log(buildCodeLengths(new Int32Array([1, 0, 0]), 17)); // Uint8Array [2, 2, 1]
 * ```
 */
export function buildCodeLengths(freq: Int32Array, maxLen: number): Uint8Array {
  const w = new Float64Array(freq.length);
  for (let i = 0; i < freq.length; i++) w[i] = Math.max(1, freq[i]);
  for (;;) {
    const lengths = huffmanLengths(w);
    let longest = 0;
    for (const l of lengths) if (l > longest) longest = l;
    if (longest <= maxLen) return lengths;
    for (let i = 0; i < w.length; i++) w[i] = Math.floor(w[i] / 2) + 1;
  }
}
