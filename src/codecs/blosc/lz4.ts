/**
 * The LZ4 block format (as produced by `LZ4_compress_fast` / `LZ4_compress_HC` and read by
 * `LZ4_decompress_safe`): a bounded decoder, the fast encoder (in `./lz4_fast.ts`) and a
 * hash-chain encoder, whose output obeys the format's end rules (the last 5 bytes are literals,
 * no match starts in the last 12 bytes), so the reference decoder accepts it. Used by the blosc
 * container and the numcodecs `lz4` codec.
 *
 * @example
 * ```ts
 * import { lz4CompressBound, lz4Compress, lz4Decompress } from "./lz4.ts";
 * const input = new TextEncoder().encode("abcabcabcabcabcabcabcabcabc");
 * const out = new Uint8Array(lz4CompressBound(input.length));
 * const n = lz4Compress(input, 0, input.length, out, 0, out.length);
 * const back = new Uint8Array(input.length);
 * lz4Decompress(out, 0, n, back, 0, back.length); // returns input.length
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

export { lz4Compress } from "./lz4_fast.ts";

/**
 * The largest LZ4 block a `size`-byte input can produce (`LZ4_compressBound`).
 *
 * @example
 * ```ts
 * import { lz4CompressBound } from "./lz4.ts";
 * console.log(lz4CompressBound(1000)); // 1019
 * ```
 */
export function lz4CompressBound(size: number): number {
  return size + Math.floor(size / 255) + 16;
}

function corrupt(why: string): Error {
  return new Error(`lz4: corrupt block (${why})`);
}

/**
 * Decodes one LZ4 block `src[sp, send)` into `dst[dp, dend)` and returns the end position in
 * `dst`. Matches may not reach before `dp`. Throws on truncated or malformed input and when the
 * output would pass `dend`; never reads or writes outside the given ranges.
 *
 * @example
 * ```ts
 * import { lz4Decompress } from "./lz4.ts";
 * // one literal run "abc"
 * const out = new Uint8Array(3);
 * lz4Decompress(new Uint8Array([0x30, 97, 98, 99]), 0, 4, out, 0, 3); // 3
 * ```
 */
export function lz4Decompress(
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
): number {
  const dstart = dp;
  if (sp >= send) throw corrupt("empty input");
  for (;;) {
    const token = src[sp++];
    // literals
    let len = token >>> 4;
    if (len === 15) {
      let b: number;
      do {
        if (sp >= send) throw corrupt("truncated literal length");
        b = src[sp++];
        len += b;
      } while (b === 255);
    }
    if (len > 0) {
      if (len > send - sp) throw corrupt("literals past the end of the input");
      if (len > dend - dp) throw corrupt("output larger than expected");
      if (len < 32) {
        const e = sp + len;
        while (sp < e) dst[dp++] = src[sp++];
      } else {
        dst.set(src.subarray(sp, sp + len), dp);
        sp += len;
        dp += len;
      }
    }
    if (sp === send) return dp; // the last sequence has no match
    if (send - sp < 2) throw corrupt("truncated match offset");
    const offset = src[sp] | (src[sp + 1] << 8);
    sp += 2;
    if (offset === 0 || offset > dp - dstart) throw corrupt("match offset out of range");
    len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (sp >= send) throw corrupt("truncated match length");
        b = src[sp++];
        len += b;
      } while (b === 255);
    }
    len += MIN_MATCH;
    if (len > dend - dp) throw corrupt("output larger than expected");
    let mp = dp - offset;
    if (offset >= len && len >= 32) {
      dst.copyWithin(dp, mp, mp + len);
      dp += len;
    } else {
      const e = dp + len;
      while (dp < e) dst[dp++] = dst[mp++];
    }
  }
}

const CHAIN_SIZE = 1 << 16;
const HC_HASH_LOG = 15;
const chainTable = new Int32Array(CHAIN_SIZE);
const headTable = new Int32Array(1 << HC_HASH_LOG);

/**
 * Encodes `src[sp, send)` as one LZ4 block with a slower, denser search (the `lz4hc` flavour:
 * hash chains, the longest of up to `4 << (level / 2)` candidates, one step of lazy matching).
 * Same stream format and return convention as {@link lz4Compress}.
 *
 * @example
 * ```ts
 * import { lz4CompressHC, lz4Decompress } from "./lz4.ts";
 * const input = new TextEncoder().encode("to be or not to be, that is the question; to be!");
 * const out = new Uint8Array(100);
 * const n = lz4CompressHC(input, 0, input.length, out, 0, 100, 9);
 * const back = new Uint8Array(input.length);
 * lz4Decompress(out, 0, n, back, 0, back.length); // input.length
 * ```
 */
export function lz4CompressHC(
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
  level = 9,
): number {
  const length = send - sp;
  const dstart = dp;
  let op = dp;
  let anchor = sp;
  if (length >= MIN_LENGTH) {
    let bits = 10;
    while (bits < HC_HASH_LOG && 1 << bits < length >>> 1) bits++;
    const shift = 32 - bits;
    const head = headTable;
    const chain = chainTable;
    head.fill(-1, 0, 1 << bits);
    const mfLimit = send - MF_LIMIT;
    const matchLimit = send - LAST_LITERALS;
    const attempts = 4 << Math.max(0, Math.min(9, level) >> 1);
    let next = sp; // next position to insert into the chains
    let bestRef = 0;
    /** Inserts positions up to `ip` and returns the longest match at `ip` (0 if none). */
    const search = (ip: number): number => {
      while (next <= ip) {
        const seq = src[next] | (src[next + 1] << 8) | (src[next + 2] << 16) |
          (src[next + 3] << 24);
        const h = Math.imul(seq, 2654435761) >>> shift;
        chain[next & (CHAIN_SIZE - 1)] = head[h];
        head[h] = next;
        next++;
      }
      let best = 0;
      let cand = chain[ip & (CHAIN_SIZE - 1)];
      for (let n = attempts; n > 0 && cand >= sp && ip - cand <= MAX_DISTANCE; n--) {
        if (src[cand + best] === src[ip + best]) {
          let e = ip;
          let r = cand;
          while (e < matchLimit && src[e] === src[r]) {
            e++;
            r++;
          }
          if (e - ip > best) {
            best = e - ip;
            bestRef = cand;
          }
        }
        const prev = chain[cand & (CHAIN_SIZE - 1)];
        if (prev >= cand) break;
        cand = prev;
      }
      return best >= MIN_MATCH ? best : 0;
    };
    let ip = sp;
    while (ip < mfLimit) {
      let len = search(ip);
      if (len === 0) {
        ip++;
        continue;
      }
      let ref = bestRef;
      // lazy step: a longer match one byte later wins
      if (ip + 1 < mfLimit) {
        const len2 = search(ip + 1);
        if (len2 > len + 1) {
          ip++;
          len = len2;
          ref = bestRef;
        }
      }
      op = writeSequence(src, anchor, ip, ip - ref, len, dst, op, dend);
      if (op < 0) return 0;
      ip += len;
      anchor = ip;
    }
  }
  op = writeLastLiterals(src, anchor, send, dst, op, dend);
  if (op < 0) return 0;
  return op - dstart;
}
