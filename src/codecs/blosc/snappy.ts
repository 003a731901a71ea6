/**
 * The raw Snappy format (no framing): a varint with the decoded length, then literal and copy
 * elements. A bounded decoder and a greedy encoder working in 64 KiB fragments (so copies need at
 * most 16-bit offsets), as blosc's `snappy` inner compressor needs.
 *
 * @example
 * ```ts
 * import { snappyCompress, snappyDecompress, snappyMaxCompressedLength } from "./snappy.ts";
 * const input = new TextEncoder().encode("snappy snappy snappy snappy");
 * const out = new Uint8Array(snappyMaxCompressedLength(input.length));
 * const n = snappyCompress(input, 0, input.length, out, 0, out.length);
 * const back = new Uint8Array(input.length);
 * snappyDecompress(out, 0, n, back, 0, back.length); // input.length
 * ```
 * @module
 */

const FRAGMENT = 1 << 16;
const HASH_LOG = 14;
const table = new Int32Array(1 << HASH_LOG);

function corrupt(why: string): Error {
  return new Error(`snappy: corrupt stream (${why})`);
}

/**
 * The largest stream a `size`-byte input can produce (`snappy_max_compressed_length`).
 *
 * @example
 * ```ts
 * import { snappyMaxCompressedLength } from "./snappy.ts";
 * console.log(snappyMaxCompressedLength(600)); // 732
 * ```
 */
export function snappyMaxCompressedLength(size: number): number {
  return 32 + size + Math.floor(size / 6);
}

/**
 * Decodes the Snappy stream `src[sp, send)` into `dst[dp, dend)`; the stream's declared length
 * must be exactly `dend - dp`. Returns the end position in `dst`. Throws on truncated or
 * malformed input.
 *
 * @example
 * ```ts
 * import { snappyDecompress } from "./snappy.ts";
 * const out = new Uint8Array(2);
 * snappyDecompress(new Uint8Array([2, 4, 7, 8]), 0, 4, out, 0, 2); // 2
 * ```
 */
export function snappyDecompress(
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
): number {
  const dstart = dp;
  // varint preamble
  let declared = 0;
  for (let shift = 0;; shift += 7) {
    if (sp >= send) throw corrupt("truncated length");
    if (shift > 28) throw corrupt("length varint too long");
    const b = src[sp++];
    declared += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (declared !== dend - dp) {
    throw corrupt(`declares ${declared} bytes, expected ${dend - dp}`);
  }
  while (sp < send) {
    const tag = src[sp++];
    const type = tag & 3;
    if (type === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const n = len - 60;
        if (send - sp < n) throw corrupt("truncated literal length");
        len = longLiteralLength(src, sp, n);
        sp += n;
      }
      if (len > send - sp) throw corrupt("literals past the end of the input");
      if (len > dend - dp) throw corrupt("output larger than declared");
      if (len < 32) {
        for (let i = 0; i < len; i++) dst[dp + i] = src[sp + i];
      } else {
        dst.set(src.subarray(sp, sp + len), dp);
      }
      sp += len;
      dp += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (sp >= send) throw corrupt("truncated copy");
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[sp++];
    } else if (type === 2) {
      if (send - sp < 2) throw corrupt("truncated copy");
      len = (tag >>> 2) + 1;
      offset = src[sp] | (src[sp + 1] << 8);
      sp += 2;
    } else {
      if (send - sp < 4) throw corrupt("truncated copy");
      len = (tag >>> 2) + 1;
      offset = (src[sp] | (src[sp + 1] << 8) | (src[sp + 2] << 16) | (src[sp + 3] << 24)) >>> 0;
      sp += 4;
    }
    if (offset === 0 || offset > dp - dstart) throw corrupt("copy offset out of range");
    if (len > dend - dp) throw corrupt("output larger than declared");
    let mp = dp - offset;
    const e = dp + len;
    while (dp < e) dst[dp++] = dst[mp++];
  }
  if (dp !== dend) throw corrupt(`produced ${dp - dstart} bytes, declared ${declared}`);
  return dp;
}

/** Length of a literal whose length-minus-one follows the tag in `n` (1-4) bytes. */
function longLiteralLength(src: Uint8Array, sp: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + src[sp + i];
  return v + 1;
}

function emitLiteral(
  src: Uint8Array,
  from: number,
  to: number,
  dst: Uint8Array,
  op: number,
): number {
  const n = to - from - 1;
  if (n < 60) {
    dst[op++] = n << 2;
  } else if (n < 0x100) {
    dst[op++] = 60 << 2;
    dst[op++] = n;
  } else if (n < 0x10000) {
    dst[op++] = 61 << 2;
    dst[op++] = n;
    dst[op++] = n >>> 8;
  } else if (n < 0x1000000) {
    dst[op++] = 62 << 2;
    dst[op++] = n;
    dst[op++] = n >>> 8;
    dst[op++] = n >>> 16;
  } else {
    dst[op++] = 63 << 2;
    dst[op++] = n;
    dst[op++] = n >>> 8;
    dst[op++] = n >>> 16;
    dst[op++] = n >>> 24;
  }
  dst.set(src.subarray(from, to), op);
  return op + to - from;
}

function emitCopy(dst: Uint8Array, op: number, offset: number, len: number): number {
  while (len >= 68) {
    dst[op++] = (63 << 2) | 2;
    dst[op++] = offset;
    dst[op++] = offset >>> 8;
    len -= 64;
  }
  if (len > 64) {
    dst[op++] = (59 << 2) | 2;
    dst[op++] = offset;
    dst[op++] = offset >>> 8;
    len -= 60;
  }
  if (len < 12 && offset < 2048) {
    dst[op++] = ((offset >>> 8) << 5) | ((len - 4) << 2) | 1;
    dst[op++] = offset;
  } else {
    dst[op++] = ((len - 1) << 2) | 2;
    dst[op++] = offset;
    dst[op++] = offset >>> 8;
  }
  return op;
}

/**
 * Encodes `src[sp, send)` as a Snappy stream into `dst[dp, dend)` and returns the number of bytes
 * written, or 0 when it does not fit.
 *
 * @example
 * ```ts
 * import { snappyCompress } from "./snappy.ts";
 * const out = new Uint8Array(200);
 * console.log(snappyCompress(new Uint8Array(1000), 0, 1000, out, 0, 200) < 100); // true
 * ```
 */
export function snappyCompress(
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
): number {
  const dstart = dp;
  let op = dp;
  // preamble
  let n = send - sp;
  if (dend - op < 5) return 0;
  while (n >= 0x80) {
    dst[op++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  dst[op++] = n;
  for (let fragStart = sp; fragStart < send; fragStart += FRAGMENT) {
    const fragEnd = Math.min(fragStart + FRAGMENT, send);
    const fragLen = fragEnd - fragStart;
    // worst case for this fragment: literal headers + bytes
    let next = fragStart; // start of pending literals
    if (fragLen >= 16) {
      let bits = 8;
      while (bits < HASH_LOG && 1 << bits < fragLen) bits++;
      const shift = 32 - bits;
      table.fill(-1, 0, 1 << bits);
      const limit = fragEnd - 15; // leave room for the 4-byte reads and a literal tail
      let ip = fragStart + 1;
      let skip = 32;
      while (ip < limit) {
        const seq = src[ip] | (src[ip + 1] << 8) | (src[ip + 2] << 16) | (src[ip + 3] << 24);
        const h = Math.imul(seq, 0x1e35a7bd) >>> shift;
        const cand = table[h];
        table[h] = ip - fragStart;
        if (cand >= 0) {
          const ref = cand + fragStart;
          if (
            (src[ref] | (src[ref + 1] << 8) | (src[ref + 2] << 16) | (src[ref + 3] << 24)) === seq
          ) {
            let e = ip + 4;
            let r = ref + 4;
            while (e < fragEnd && src[e] === src[r]) {
              e++;
              r++;
            }
            const litLen = ip - next;
            // literal (<= 5 header bytes) + copies (<= 3 bytes per 64)
            if (op + litLen + 5 + 3 * (((e - ip) >>> 6) + 2) > dend) return 0;
            if (litLen > 0) op = emitLiteral(src, next, ip, dst, op);
            op = emitCopy(dst, op, ip - ref, e - ip);
            ip = e;
            next = ip;
            skip = 32;
            if (ip < limit) {
              const p = ip - 1;
              const s2 = src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24);
              table[Math.imul(s2, 0x1e35a7bd) >>> shift] = p - fragStart;
            }
            continue;
          }
        }
        ip += skip++ >>> 5;
      }
    }
    if (next < fragEnd) {
      if (op + (fragEnd - next) + 5 > dend) return 0;
      op = emitLiteral(src, next, fragEnd, dst, op);
    }
  }
  return op - dstart;
}
