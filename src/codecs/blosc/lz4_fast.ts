/**
 * The fast LZ4 block encoder (the `LZ4_compress_fast` flavour): one hash table of 4-byte
 * sequences, greedy matches, and a search step that grows while nothing matches (so
 * incompressible input is skimmed, not scanned byte by byte). Its output obeys the format's end
 * rules, so the reference decoder accepts it.
 *
 * Speed notes: sequences are read 4 bytes at a time through a `DataView`; matches are extended
 * 4 bytes at a time (the first differing byte found from the XOR's lowest set bit); the hash
 * table is one `Int32Array` kept across calls and never cleared: each call stores positions
 * offset by a running `epoch`, so entries of earlier calls read as "before this input".
 *
 * @example
 * ```ts
 * import { lz4Compress } from "./lz4_fast.ts";
 * const input = new Uint8Array(1000); // zeros
 * const out = new Uint8Array(100);
 * console.log(lz4Compress(input, 0, 1000, out, 0, 100) < 20); // true
 * ```
 * @module
 */
import {
  LAST_LITERALS,
  MAX_DISTANCE,
  MF_LIMIT,
  MIN_LENGTH,
  MIN_MATCH,
  writeLastLiterals,
  writeSequence,
} from "./lz4_block.ts";

/** Each failed probe adds 1/64 to the search step (as the reference encoder does). */
const SKIP_TRIGGER = 6;
/** Hash bits for inputs above 64 KiB, and below (the reference encoder's table sizes). */
const HASH_BITS_LARGE = 12;
const HASH_BITS_SMALL = 13;
const SMALL_INPUT = 65536;
/** Knuth's multiplicative hash constant 2654435761 as an int32. */
const PRIME = -1640531535;

const table = new Int32Array(1 << HASH_BITS_SMALL);
/**
 * The stored value of this call's first position. Calls are spaced by more than the farthest
 * match offset, so an entry of an earlier call (or of the zeroed table) always reads as a
 * position out of reach and needs no check of its own.
 */
let epoch = MAX_DISTANCE + 2;

/**
 * Encodes `src[sp, send)` as one LZ4 block into `dst[dp, dend)` and returns the number of bytes
 * written, or 0 when the block does not fit (the caller then stores the input raw).
 * `acceleration` (>= 1) trades ratio for speed as in `LZ4_compress_fast`: the search step starts
 * at `acceleration` bytes.
 *
 * @example
 * ```ts
 * import { lz4Compress } from "./lz4_fast.ts";
 * import { lz4Decompress } from "./lz4.ts";
 * const input = new TextEncoder().encode("abcabcabcabcabcabcabcabcabc");
 * const out = new Uint8Array(64);
 * const n = lz4Compress(input, 0, input.length, out, 0, out.length);
 * const back = new Uint8Array(input.length);
 * console.log(lz4Decompress(out, 0, n, back, 0, back.length)); // 27
 * ```
 */
export function lz4Compress(
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
  acceleration = 1,
): number {
  const length = send - sp;
  let op = dp;
  let anchor = sp;
  if (length >= MIN_LENGTH) {
    if (epoch > 0x7ffffff0 - length - MAX_DISTANCE) {
      table.fill(0);
      epoch = MAX_DISTANCE + 2;
    }
    // stored value = position + delta
    const delta = epoch - sp;
    epoch += length + MAX_DISTANCE + 1;
    const shift = 32 - (length > SMALL_INPUT ? HASH_BITS_LARGE : HASH_BITS_SMALL);
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    const mfLimit = send - MF_LIMIT; // matches start before this
    const matchLimit = send - LAST_LITERALS; // and end at or before this
    const wordLimit = matchLimit - 3;
    const step0 = (acceleration > 1 ? acceleration | 0 : 1) << SKIP_TRIGGER;
    let ip = sp;
    table[Math.imul(view.getInt32(ip, true), PRIME) >>> shift] = ip + delta;
    ip++;
    let ref = -1;
    for (;;) {
      if (ref < 0) {
        // search, the step growing by one every 64 failed probes
        let probes = step0;
        while (ip < mfLimit) {
          const seq = view.getInt32(ip, true);
          const h = Math.imul(seq, PRIME) >>> shift;
          const cand = table[h] - delta;
          table[h] = ip + delta;
          if (ip - cand <= MAX_DISTANCE && view.getInt32(cand, true) === seq) {
            ref = cand;
            break;
          }
          ip += probes++ >>> SKIP_TRIGGER;
        }
        if (ref < 0) break;
        // extend backwards over pending literals
        while (ip > anchor && ref > sp && src[ip - 1] === src[ref - 1]) {
          ip--;
          ref--;
        }
      }
      // extend forwards, a word at a time
      let e = ip + MIN_MATCH;
      let r = ref + MIN_MATCH;
      extend: {
        while (e < wordLimit) {
          let x = view.getInt32(e, true) ^ view.getInt32(r, true);
          if (x === 0) {
            e += 4;
            r += 4;
            if (e >= wordLimit) break;
            x = view.getInt32(e, true) ^ view.getInt32(r, true);
            if (x === 0) {
              e += 4;
              r += 4;
              continue;
            }
          }
          e += (31 - Math.clz32(x ^ ((x - 1) | 0))) >>> 3; // lowest differing byte
          break extend;
        }
        while (e < matchLimit && src[e] === src[r]) {
          e++;
          r++;
        }
      }
      op = writeSequence(src, anchor, ip, ip - ref, e - ip, dst, op, dend);
      if (op < 0) return 0;
      ip = e;
      anchor = ip;
      if (ip >= mfLimit) break;
      // remember a position inside the match, then try a match right here
      const p = ip - 2;
      table[Math.imul(view.getInt32(p, true), PRIME) >>> shift] = p + delta;
      const seq = view.getInt32(ip, true);
      const h = Math.imul(seq, PRIME) >>> shift;
      const cand = table[h] - delta;
      table[h] = ip + delta;
      if (ip - cand <= MAX_DISTANCE && view.getInt32(cand, true) === seq) {
        ref = cand;
      } else {
        ref = -1;
        ip++;
      }
    }
  }
  op = writeLastLiterals(src, anchor, send, dst, op, dend);
  if (op < 0) return 0;
  return op - dp;
}
