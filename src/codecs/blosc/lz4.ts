/**
 * The LZ4 block format (as produced by `LZ4_compress_fast` / `LZ4_compress_HC` and read by
 * `LZ4_decompress_safe`): a bounded decoder and a greedy hash-table encoder whose output obeys the
 * format's end rules (the last 5 bytes are literals, no match starts in the last 12 bytes), so
 * the reference decoder accepts it. Used by the blosc container and the numcodecs `lz4` codec.
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

const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_DISTANCE = 65535;
const HASH_LOG = 14;
const SKIP_TRIGGER = 6;
/** Inputs shorter than this are stored as one literal run (the format's minimum for a match). */
const MIN_LENGTH = MF_LIMIT + 1;

const hashTable = new Int32Array(1 << HASH_LOG);

/** Hash bits for an input of `length` bytes: smaller tables for small inputs (cheaper reset). */
function hashBits(length: number): number {
  let bits = 10;
  while (bits < HASH_LOG && 1 << bits < length >>> 2) bits++;
  return bits;
}

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

function writeLength(dst: Uint8Array, op: number, len: number): number {
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
 */
function writeSequence(
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
  if (op + 1 + litLen + ((litLen / 255) | 0) + 2 + ((matchLen / 255) | 0) + 1 > dend) return -1;
  const tokenPos = op++;
  let token: number;
  if (litLen >= 15) {
    token = 0xf0;
    op = writeLength(dst, op, litLen - 15);
  } else {
    token = litLen << 4;
  }
  if (litLen > 0) {
    if (litLen < 32) {
      for (let i = 0; i < litLen; i++) dst[op + i] = src[anchor + i];
    } else {
      dst.set(src.subarray(anchor, ip), op);
    }
    op += litLen;
  }
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

/** Writes the closing literals-only sequence; -1 when it does not fit. */
function writeLastLiterals(
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

/**
 * Encodes `src[sp, send)` as one LZ4 block into `dst[dp, dend)` and returns the number of bytes
 * written, or 0 when the block does not fit (the caller then stores the input raw).
 * `acceleration` (>= 1) trades ratio for speed as in `LZ4_compress_fast`.
 *
 * @example
 * ```ts
 * import { lz4Compress } from "./lz4.ts";
 * const input = new Uint8Array(1000); // zeros
 * const out = new Uint8Array(100);
 * console.log(lz4Compress(input, 0, 1000, out, 0, 100) < 20); // true
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
  const base = sp;
  const length = send - sp;
  const dstart = dp;
  let op = dp;
  let anchor = sp;
  if (length >= MIN_LENGTH) {
    const bits = hashBits(length);
    const table = hashTable;
    table.fill(-1, 0, 1 << bits);
    const mfLimit = send - MF_LIMIT; // last position where a match may start (exclusive)
    const matchLimit = send - LAST_LITERALS; // matches end before this
    const accel = acceleration < 1 ? 1 : acceleration | 0;
    const shift = 32 - bits;
    let ip = sp;
    // first position
    let seq = src[ip] | (src[ip + 1] << 8) | (src[ip + 2] << 16) | (src[ip + 3] << 24);
    table[Math.imul(seq, 2654435761) >>> shift] = ip - base;
    ip++;
    outer: while (ip < mfLimit) {
      // find a match
      let searches = accel << SKIP_TRIGGER;
      let ref = 0;
      for (;;) {
        seq = src[ip] | (src[ip + 1] << 8) | (src[ip + 2] << 16) | (src[ip + 3] << 24);
        const h = Math.imul(seq, 2654435761) >>> shift;
        const cand = table[h];
        table[h] = ip - base;
        if (cand >= 0) {
          ref = cand + base;
          if (
            ip - ref <= MAX_DISTANCE &&
            (src[ref] | (src[ref + 1] << 8) | (src[ref + 2] << 16) | (src[ref + 3] << 24)) === seq
          ) break;
        }
        ip += searches++ >>> SKIP_TRIGGER;
        if (ip >= mfLimit) break outer;
      }
      // extend backwards
      while (ip > anchor && ref > base && src[ip - 1] === src[ref - 1]) {
        ip--;
        ref--;
      }
      // extend forwards
      let mEnd = ip + MIN_MATCH;
      let r = ref + MIN_MATCH;
      while (mEnd < matchLimit && src[mEnd] === src[r]) {
        mEnd++;
        r++;
      }
      op = writeSequence(src, anchor, ip, ip - ref, mEnd - ip, dst, op, dend);
      if (op < 0) return 0;
      ip = mEnd;
      anchor = ip;
      if (ip >= mfLimit) break;
      // hash a position inside the match end to help the next search
      const p = ip - 2;
      seq = src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24);
      table[Math.imul(seq, 2654435761) >>> shift] = p - base;
    }
  }
  op = writeLastLiterals(src, anchor, send, dst, op, dend);
  if (op < 0) return 0;
  return op - dstart;
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
