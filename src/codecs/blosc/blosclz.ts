/**
 * BloscLZ, blosc's own FastLZ-derived LZ77 format: a bounded decoder and a greedy encoder.
 *
 * A stream is a sequence of instructions, each starting with a control byte `c` (the first
 * control byte only counts by its low 5 bits; blosc sets bit 5 of it as a marker):
 * - `c < 32`: a literal run of `c + 1` bytes follows;
 * - otherwise a match. Its length field is `c >> 5` (1..7; 7 is continued by bytes summed while
 *   they are 255) and its length is field + 2 bytes. The distance minus one is `(c & 31) << 8`
 *   plus the next byte; when that gives 31 and 255, a 16-bit big-endian extension follows and
 *   the distance is it plus 8192. Distance 1 is a run of the previous byte.
 *
 * @example
 * ```ts
 * import { blosclzCompress, blosclzDecompress } from "./blosclz.ts";
 * const input = new Uint8Array(4096).fill(7);
 * const packed = new Uint8Array(4096);
 * const n = blosclzCompress(input, 0, input.length, packed, 0, packed.length);
 * const back = new Uint8Array(4096);
 * blosclzDecompress(packed, 0, n, back, 0, back.length); // 4096
 * ```
 * @module
 */

const MAX_COPY = 32;
const MAX_DISTANCE = 8191;
/** Largest distance a far match can express: 65535 + 8192. */
const MAX_FAR_DISTANCE = 65535 + MAX_DISTANCE + 1;
const HASH_LOG = 14;
const SKIP_TRIGGER = 6;
const table = new Int32Array(1 << HASH_LOG);

function corrupt(why: string): Error {
  return new Error(`blosclz: corrupt stream (${why})`);
}

/**
 * Decodes the BloscLZ stream `src[sp, send)` into `dst[dp, dend)`; returns the end position in
 * `dst`. Throws on truncated or malformed input and when the output would pass `dend`.
 *
 * @example
 * ```ts
 * import { blosclzDecompress } from "./blosclz.ts";
 * const out = new Uint8Array(2);
 * blosclzDecompress(new Uint8Array([0x21, 5, 6]), 0, 3, out, 0, 2); // 2
 * ```
 */
export function blosclzDecompress(
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
): number {
  const dstart = dp;
  if (sp >= send) throw corrupt("empty input");
  let ctrl = src[sp++] & 31;
  for (;;) {
    if (ctrl >= 32) {
      let len = (ctrl >>> 5) - 1;
      let ofs = (ctrl & 31) << 8;
      if (len === 6) {
        let code: number;
        do {
          if (sp >= send) throw corrupt("truncated match length");
          code = src[sp++];
          len += code;
        } while (code === 255);
      }
      if (sp >= send) throw corrupt("truncated match distance");
      const code = src[sp++];
      len += 3;
      let dist = ofs + code + 1;
      if (code === 255 && ofs === 31 << 8) {
        if (send - sp < 2) throw corrupt("truncated far distance");
        ofs = (src[sp] << 8) | src[sp + 1];
        sp += 2;
        dist = ofs + MAX_DISTANCE + 1;
      }
      if (len > dend - dp) throw corrupt("output larger than expected");
      if (dist > dp - dstart) throw corrupt("match distance out of range");
      let mp = dp - dist;
      if (dist === 1) {
        dst.fill(dst[mp], dp, dp + len);
        dp += len;
      } else if (dist >= len && len >= 32) {
        dst.copyWithin(dp, mp, mp + len);
        dp += len;
      } else {
        const e = dp + len;
        while (dp < e) dst[dp++] = dst[mp++];
      }
    } else {
      const len = ctrl + 1;
      if (len > send - sp) throw corrupt("literals past the end of the input");
      if (len > dend - dp) throw corrupt("output larger than expected");
      for (let i = 0; i < len; i++) dst[dp + i] = src[sp + i];
      sp += len;
      dp += len;
    }
    if (sp >= send) return dp;
    ctrl = src[sp++];
  }
}

/**
 * Encodes `src[sp, send)` as a BloscLZ stream into `dst[dp, dend)` and returns the number of
 * bytes written, or 0 when the input is shorter than 16 bytes or the stream does not fit (the
 * caller then stores the input raw). The stream always ends with literals, as the reference
 * decoder requires.
 *
 * @example
 * ```ts
 * import { blosclzCompress } from "./blosclz.ts";
 * const out = new Uint8Array(100);
 * console.log(blosclzCompress(new Uint8Array(1000), 0, 1000, out, 0, 100) > 0); // true
 * ```
 */
export function blosclzCompress(
  src: Uint8Array,
  sp: number,
  send: number,
  dst: Uint8Array,
  dp: number,
  dend: number,
): number {
  const length = send - sp;
  if (length < 16) return 0;
  const base = sp;
  const dstart = dp;
  let bits = 10;
  while (bits < HASH_LOG && 1 << bits < length >>> 2) bits++;
  const shift = 32 - bits;
  table.fill(-1, 0, 1 << bits);
  // matches must start before `limit` and end before `matchEnd`, so that literals close the stream
  const limit = send - 12;
  const matchEnd = send - 4;
  let op = dp;
  let anchor = sp; // first byte not yet emitted
  let ip = sp;
  outer: while (ip < limit) {
    // look for a match, stepping faster through data that does not repeat
    let searches = 1 << SKIP_TRIGGER;
    let len = 0;
    let dist = 0;
    for (;;) {
      const seq = src[ip] | (src[ip + 1] << 8) | (src[ip + 2] << 16) | (src[ip + 3] << 24);
      const h = Math.imul(seq, 2654435761) >>> shift;
      const cand = table[h];
      table[h] = ip - base;
      if (cand >= 0) {
        const ref = cand + base;
        dist = ip - ref;
        if (
          dist <= MAX_FAR_DISTANCE &&
          (src[ref] | (src[ref + 1] << 8) | (src[ref + 2] << 16) | (src[ref + 3] << 24)) === seq
        ) {
          let e = ip + 4;
          let r = ref + 4;
          while (e < matchEnd && src[e] === src[r]) {
            e++;
            r++;
          }
          len = e - ip;
          // far matches cost 4+ bytes: only worth it when long
          if (dist <= MAX_DISTANCE || len >= 8) break;
        }
      }
      ip += searches++ >>> SKIP_TRIGGER;
      if (ip >= limit) break outer;
    }
    op = emitLiterals(src, anchor, ip, dst, op, dend);
    if (op < 0) return 0;
    const d = dist - 1;
    let field = len - 2;
    if (op + 5 + ((field / 255) | 0) > dend) return 0;
    if (d < MAX_DISTANCE) {
      if (field < 7) {
        dst[op++] = (field << 5) | (d >>> 8);
      } else {
        dst[op++] = (7 << 5) | (d >>> 8);
        for (field -= 7; field >= 255; field -= 255) dst[op++] = 255;
        dst[op++] = field;
      }
      dst[op++] = d & 255;
    } else {
      const far = d - MAX_DISTANCE;
      if (field < 7) {
        dst[op++] = (field << 5) | 31;
      } else {
        dst[op++] = (7 << 5) | 31;
        for (field -= 7; field >= 255; field -= 255) dst[op++] = 255;
        dst[op++] = field;
      }
      dst[op++] = 255;
      dst[op++] = far >>> 8;
      dst[op++] = far & 255;
    }
    ip += len;
    anchor = ip;
    // remember a position near the end of the match
    if (ip < limit) {
      const p = ip - 1;
      const s2 = src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24);
      table[Math.imul(s2, 2654435761) >>> shift] = p - base;
    }
  }
  // trailing literals (at least 4 bytes remain)
  op = emitLiterals(src, anchor, send, dst, op, dend);
  if (op < 0) return 0;
  dst[dstart] |= 1 << 5; // blosc's marker on the first control byte
  return op - dstart;
}

/**
 * Writes `src[from, to)` as literal runs of at most 32 bytes; returns the new output position,
 * or -1 when they do not fit before `dend`.
 */
function emitLiterals(
  src: Uint8Array,
  from: number,
  to: number,
  dst: Uint8Array,
  op: number,
  dend: number,
): number {
  const n = to - from;
  if (n === 0) return op;
  if (op + n + ((n + MAX_COPY - 1) >>> 5) > dend) return -1;
  while (from < to) {
    const run = Math.min(MAX_COPY, to - from);
    dst[op++] = run - 1;
    for (let i = 0; i < run; i++) dst[op + i] = src[from + i];
    op += run;
    from += run;
  }
  return op;
}
