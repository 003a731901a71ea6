/**
 * The LZ4 block format's constants and its sequence writers, shared by the fast and the HC
 * encoders. A sequence is a token (literal length << 4 | match length - 4), the extra
 * literal-length bytes, the literals, a 2-byte little-endian offset and the extra match-length
 * bytes; the block ends with a literals-only sequence.
 *
 * @example
 * ```ts
 * import { writeLastLiterals } from "./lz4_block.ts";
 * const out = new Uint8Array(8);
 * const end = writeLastLiterals(new Uint8Array([1, 2, 3]), 0, 3, out, 0, 8);
 * console.log(end, out.subarray(0, end)); // 4 Uint8Array [48, 1, 2, 3]
 * ```
 * @module
 */

/** Shortest match the format can code. */
export const MIN_MATCH = 4;
/** The last 5 bytes of a block are always literals. */
export const LAST_LITERALS = 5;
/** No match may start in the last 12 bytes of a block. */
export const MF_LIMIT = 12;
/** Farthest match offset. */
export const MAX_DISTANCE = 65535;
/** Inputs shorter than this are stored as one literal run (the format's minimum for a match). */
export const MIN_LENGTH: number = MF_LIMIT + 1;

/**
 * Writes the extra length bytes of a literal or match length `len` (the part above 15): 255s,
 * then the rest. Returns the new output position.
 *
 * @example
 * ```ts
 * import { writeLength } from "./lz4_block.ts";
 * const out = new Uint8Array(3);
 * console.log(writeLength(out, 0, 300), out); // 2 Uint8Array [255, 45, 0]
 * ```
 */
export function writeLength(dst: Uint8Array, op: number, len: number): number {
  while (len >= 255) {
    dst[op++] = 255;
    len -= 255;
  }
  dst[op++] = len;
  return op;
}

/**
 * Writes one sequence: the literals `src[anchor, ip)` then a match of `len` (>= 4) bytes at
 * `offset`. Returns the new output position, or -1 when it does not fit before `dend`.
 *
 * @example
 * ```ts
 * import { writeSequence } from "./lz4_block.ts";
 * const out = new Uint8Array(8);
 * // literal "a", then 4 bytes copied from 1 back
 * console.log(writeSequence(new Uint8Array([97]), 0, 1, 1, 4, out, 0, 8)); // 4
 * ```
 */
export function writeSequence(
  src: Uint8Array,
  anchor: number,
  ip: number,
  offset: number,
  len: number,
  dst: Uint8Array,
  op: number,
  dend: number,
): number {
  const litLen = ip - anchor;
  const matchLen = len - MIN_MATCH;
  // worst case size of this sequence
  if (op + litLen + ((litLen / 255) | 0) + ((matchLen / 255) | 0) + 4 > dend) return -1;
  const tokenPos = op++;
  let token: number;
  if (litLen >= 15) {
    token = 0xf0;
    op = writeLength(dst, op, litLen - 15);
  } else {
    token = litLen << 4;
  }
  if (litLen < 32) {
    for (let i = 0; i < litLen; i++) dst[op + i] = src[anchor + i];
  } else {
    dst.set(src.subarray(anchor, ip), op);
  }
  op += litLen;
  dst[op++] = offset;
  dst[op++] = offset >>> 8;
  if (matchLen >= 15) {
    token |= 15;
    op = writeLength(dst, op, matchLen - 15);
  } else {
    token |= matchLen;
  }
  dst[tokenPos] = token;
  return op;
}

/**
 * Writes the closing literals-only sequence `src[anchor, send)`; returns the new output
 * position, or -1 when it does not fit before `dend`.
 *
 * @example
 * ```ts
 * import { writeLastLiterals } from "./lz4_block.ts";
 * console.log(writeLastLiterals(new Uint8Array(20), 0, 20, new Uint8Array(10), 0, 10)); // -1
 * ```
 */
export function writeLastLiterals(
  src: Uint8Array,
  anchor: number,
  send: number,
  dst: Uint8Array,
  op: number,
  dend: number,
): number {
  const litLen = send - anchor;
  if (op + 1 + litLen + ((litLen / 255) | 0) + 1 > dend) return -1;
  if (litLen >= 15) {
    dst[op++] = 0xf0;
    op = writeLength(dst, op, litLen - 15);
  } else {
    dst[op++] = litLen << 4;
  }
  dst.set(src.subarray(anchor, send), op);
  return op + litLen;
}
