// @ts-nocheck: AssemblyScript, compiled to WebAssembly by ./build.ts (not Deno TypeScript)
// deno-lint-ignore-file
/**
 * The blosc write path's hot loops as WebAssembly (AssemblyScript source, built by `./build.ts`
 * into `./kernels_wasm.ts`): the byte shuffle (SIMD for 2, 4 and 8-byte elements) and the fast
 * LZ4 block encoder, the same algorithm as `../lz4_fast.ts` (same hash, table sizes, search
 * step, extension and end rules), so both give byte-identical output. One call encodes a whole
 * blosc block: shuffle, then each split stream as LZ4 or, when that does not pay, raw.
 *
 * Memory: the hash table is static data; the caller owns everything from `heapBase()` on and
 * grows the memory to fit its regions (input block, shuffled block, output).
 *
 * Positions are i32 byte addresses (memory stays below 2 GiB).
 */

const MIN_MATCH: i32 = 4;
const LAST_LITERALS: i32 = 5;
const MF_LIMIT: i32 = 12;
const MAX_DISTANCE: i32 = 65535;
const SKIP_TRIGGER: i32 = 6;
const HASH_BITS_LARGE: i32 = 12;
const HASH_BITS_SMALL: i32 = 13;
const SMALL_INPUT: i32 = 65536;
const PRIME: u32 = 2654435761;

/** 8192 stored positions; see `epoch`. */
const TABLE: usize = memory.data(4 << HASH_BITS_SMALL, 16);
/**
 * The stored value of this call's first position; calls are spaced by more than the farthest
 * offset, so entries of earlier calls always read as out of reach (as in `../lz4_fast.ts`).
 */
let epoch: i32 = MAX_DISTANCE + 2;

/** First byte the caller may use (64 KiB aligned). */
export function heapBase(): i32 {
  return ((__heap_base as i32) + 65535) & ~65535;
}

function slot(seq: u32, shift: i32): usize {
  return TABLE + (((seq * PRIME) >>> (shift as u32)) << 2) as usize;
}

function rd32(p: i32): u32 {
  return load<u32>(p as usize);
}

function writeLength(op: i32, len: i32): i32 {
  while (len >= 255) {
    store<u8>(op as usize, 255);
    op++;
    len -= 255;
  }
  store<u8>(op as usize, len as u8);
  return op + 1;
}

/** Copies `n` literal bytes; 16 at once when the destination has room before `dend`. */
function copyLiterals(op: i32, from: i32, n: i32, dend: i32): void {
  if (n <= 16 && op + 16 <= dend) {
    v128.store(op as usize, v128.load(from as usize));
  } else {
    memory.copy(op as usize, from as usize, n as usize);
  }
}

/**
 * Encodes `[sp, send)` as one LZ4 block into `[dp, dend)`; returns the bytes written, or 0 when
 * it does not fit. Same algorithm and output as `lz4Compress` of `../lz4_fast.ts`.
 */
export function lz4(sp: i32, send: i32, dp: i32, dend: i32, acceleration: i32): i32 {
  const length = send - sp;
  let op = dp;
  let anchor = sp;
  if (length >= MF_LIMIT + 1) {
    if (epoch > 0x7ffffff0 - length - MAX_DISTANCE) {
      memory.fill(TABLE, 0, (4 << HASH_BITS_SMALL) as usize);
      epoch = MAX_DISTANCE + 2;
    }
    const delta = epoch - sp;
    epoch += length + MAX_DISTANCE + 1;
    const shift = 32 - (length > SMALL_INPUT ? HASH_BITS_LARGE : HASH_BITS_SMALL);
    const mfLimit = send - MF_LIMIT;
    const matchLimit = send - LAST_LITERALS;
    const wordLimit = matchLimit - 3;
    const longLimit = matchLimit - 7;
    const step0 = (acceleration > 1 ? acceleration : 1) << SKIP_TRIGGER;
    let ip = sp;
    store<i32>(slot(rd32(ip), shift), ip + delta);
    ip++;
    let ref: i32 = -1;
    while (true) {
      if (ref < 0) {
        let probes = step0;
        while (ip < mfLimit) {
          const seq = rd32(ip);
          const h = slot(seq, shift);
          const cand = load<i32>(h) - delta;
          store<i32>(h, ip + delta);
          if (ip - cand <= MAX_DISTANCE && rd32(cand) == seq) {
            ref = cand;
            break;
          }
          ip += probes >>> SKIP_TRIGGER;
          probes++;
        }
        if (ref < 0) break;
        while (
          ip > anchor && ref > sp && load<u8>((ip - 1) as usize) == load<u8>((ref - 1) as usize)
        ) {
          ip--;
          ref--;
        }
      }
      let e = ip + MIN_MATCH;
      let r = ref + MIN_MATCH;
      let found = false;
      // 8 bytes at a time, then 4, then 1 (the first differing byte from the XOR's lowest bit)
      while (e < longLimit) {
        const x = load<u64>(e as usize) ^ load<u64>(r as usize);
        if (x != 0) {
          e += (ctz<u64>(x) >>> 3) as i32;
          found = true;
          break;
        }
        e += 8;
        r += 8;
      }
      while (!found && e < wordLimit) {
        const x = rd32(e) ^ rd32(r);
        if (x != 0) {
          e += (ctz<u32>(x) >>> 3) as i32;
          found = true;
          break;
        }
        e += 4;
        r += 4;
      }
      if (!found) {
        while (e < matchLimit && load<u8>(e as usize) == load<u8>(r as usize)) {
          e++;
          r++;
        }
      }
      const litLen = ip - anchor;
      const matchLen = e - ip - MIN_MATCH;
      if (op + litLen + litLen / 255 + matchLen / 255 + 4 > dend) return 0;
      const tokenPos = op;
      op++;
      let token: i32;
      if (litLen >= 15) {
        token = 0xf0;
        op = writeLength(op, litLen - 15);
      } else {
        token = litLen << 4;
      }
      copyLiterals(op, anchor, litLen, dend);
      op += litLen;
      store<u16>(op as usize, (ip - ref) as u16);
      op += 2;
      if (matchLen >= 15) {
        token |= 15;
        op = writeLength(op, matchLen - 15);
      } else {
        token |= matchLen;
      }
      store<u8>(tokenPos as usize, token as u8);
      ip = e;
      anchor = ip;
      if (ip >= mfLimit) break;
      const p = ip - 2;
      store<i32>(slot(rd32(p), shift), p + delta);
      const seq = rd32(ip);
      const h = slot(seq, shift);
      const cand = load<i32>(h) - delta;
      store<i32>(h, ip + delta);
      if (ip - cand <= MAX_DISTANCE && rd32(cand) == seq) {
        ref = cand;
      } else {
        ref = -1;
        ip++;
      }
    }
  }
  const litLen = send - anchor;
  if (op + 1 + litLen + litLen / 255 + 1 > dend) return 0;
  if (litLen >= 15) {
    store<u8>(op as usize, 0xf0);
    op = writeLength(op + 1, litLen - 15);
  } else {
    store<u8>(op as usize, (litLen << 4) as u8);
    op++;
  }
  memory.copy(op as usize, anchor as usize, litLen as usize);
  return op + litLen - dp;
}

/**
 * Byte shuffle of `size` bytes of `typesize`-byte elements from `src` to `dst` (c-blosc's rule:
 * the tail that is not a whole element is copied as it is).
 */
export function shuffle(typesize: i32, size: i32, src: i32, dst: i32): void {
  const n = size / typesize;
  const whole = n * typesize;
  if (typesize <= 1 || n == 0) {
    memory.copy(dst as usize, src as usize, size as usize);
    return;
  }
  let done = 0; // elements shuffled with SIMD (a multiple of 16)
  if (typesize == 4) done = shuffle4(n, src, dst);
  else if (typesize == 8) done = shuffle8(n, src, dst);
  else if (typesize == 2) done = shuffle2(n, src, dst);
  for (let j = 0; j < typesize; j++) {
    let s = src + done * typesize + j;
    let d = dst + j * n + done;
    const e = dst + j * n + n;
    while (d < e) {
      store<u8>(d as usize, load<u8>(s as usize));
      d++;
      s += typesize;
    }
  }
  if (whole < size) {
    memory.copy((dst + whole) as usize, (src + whole) as usize, (size - whole) as usize);
  }
}

/** 16 elements of 2 bytes per step; returns the elements done. */
function shuffle2(n: i32, src: i32, dst: i32): i32 {
  const m = n & ~15;
  for (let i = 0; i < m; i += 16) {
    const s = (src + 2 * i) as usize;
    const a = i8x16.shuffle(
      v128.load(s),
      v128.load(s),
      0,
      2,
      4,
      6,
      8,
      10,
      12,
      14,
      1,
      3,
      5,
      7,
      9,
      11,
      13,
      15,
    );
    const b = i8x16.shuffle(
      v128.load(s + 16),
      v128.load(s + 16),
      0,
      2,
      4,
      6,
      8,
      10,
      12,
      14,
      1,
      3,
      5,
      7,
      9,
      11,
      13,
      15,
    );
    v128.store((dst + i) as usize, i64x2.shuffle(a, b, 0, 2));
    v128.store((dst + n + i) as usize, i64x2.shuffle(a, b, 1, 3));
  }
  return m;
}

/** 16 elements of 4 bytes per step; returns the elements done. */
function shuffle4(n: i32, src: i32, dst: i32): i32 {
  const m = n & ~15;
  for (let i = 0; i < m; i += 16) {
    const s = (src + 4 * i) as usize;
    // lane j (32 bits) of t* = byte j of 4 elements
    const v0 = v128.load(s), v1 = v128.load(s + 16), v2 = v128.load(s + 32), v3 = v128.load(s + 48);
    const t0 = i8x16.shuffle(v0, v0, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    const t1 = i8x16.shuffle(v1, v1, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    const t2 = i8x16.shuffle(v2, v2, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    const t3 = i8x16.shuffle(v3, v3, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    // 4x4 transpose of 32-bit lanes
    const l01 = i32x4.shuffle(t0, t1, 0, 4, 1, 5), h01 = i32x4.shuffle(t0, t1, 2, 6, 3, 7);
    const l23 = i32x4.shuffle(t2, t3, 0, 4, 1, 5), h23 = i32x4.shuffle(t2, t3, 2, 6, 3, 7);
    const d = (dst + i) as usize;
    const q = n as usize;
    v128.store(d, i64x2.shuffle(l01, l23, 0, 2));
    v128.store(d + q, i64x2.shuffle(l01, l23, 1, 3));
    v128.store(d + 2 * q, i64x2.shuffle(h01, h23, 0, 2));
    v128.store(d + 3 * q, i64x2.shuffle(h01, h23, 1, 3));
  }
  return m;
}

/** 16 elements of 8 bytes per step (an 8x8 transpose of 16-bit lanes); returns the elements done. */
function shuffle8(n: i32, src: i32, dst: i32): i32 {
  const m = n & ~15;
  for (let i = 0; i < m; i += 16) {
    const s = (src + 8 * i) as usize;
    // lane j (16 bits) of w* = byte j of 2 elements
    const w0 = pairs8(v128.load(s)), w1 = pairs8(v128.load(s + 16));
    const w2 = pairs8(v128.load(s + 32)), w3 = pairs8(v128.load(s + 48));
    const w4 = pairs8(v128.load(s + 64)), w5 = pairs8(v128.load(s + 80));
    const w6 = pairs8(v128.load(s + 96)), w7 = pairs8(v128.load(s + 112));
    const l0 = i16x8.shuffle(w0, w1, 0, 8, 1, 9, 2, 10, 3, 11),
      h0 = i16x8.shuffle(w0, w1, 4, 12, 5, 13, 6, 14, 7, 15);
    const l1 = i16x8.shuffle(w2, w3, 0, 8, 1, 9, 2, 10, 3, 11),
      h1 = i16x8.shuffle(w2, w3, 4, 12, 5, 13, 6, 14, 7, 15);
    const l2 = i16x8.shuffle(w4, w5, 0, 8, 1, 9, 2, 10, 3, 11),
      h2 = i16x8.shuffle(w4, w5, 4, 12, 5, 13, 6, 14, 7, 15);
    const l3 = i16x8.shuffle(w6, w7, 0, 8, 1, 9, 2, 10, 3, 11),
      h3 = i16x8.shuffle(w6, w7, 4, 12, 5, 13, 6, 14, 7, 15);
    const ll0 = i32x4.shuffle(l0, l1, 0, 4, 1, 5), lh0 = i32x4.shuffle(l0, l1, 2, 6, 3, 7);
    const ll1 = i32x4.shuffle(l2, l3, 0, 4, 1, 5), lh1 = i32x4.shuffle(l2, l3, 2, 6, 3, 7);
    const hl0 = i32x4.shuffle(h0, h1, 0, 4, 1, 5), hh0 = i32x4.shuffle(h0, h1, 2, 6, 3, 7);
    const hl1 = i32x4.shuffle(h2, h3, 0, 4, 1, 5), hh1 = i32x4.shuffle(h2, h3, 2, 6, 3, 7);
    const d = (dst + i) as usize;
    const q = n as usize;
    v128.store(d, i64x2.shuffle(ll0, ll1, 0, 2));
    v128.store(d + q, i64x2.shuffle(ll0, ll1, 1, 3));
    v128.store(d + 2 * q, i64x2.shuffle(lh0, lh1, 0, 2));
    v128.store(d + 3 * q, i64x2.shuffle(lh0, lh1, 1, 3));
    v128.store(d + 4 * q, i64x2.shuffle(hl0, hl1, 0, 2));
    v128.store(d + 5 * q, i64x2.shuffle(hl0, hl1, 1, 3));
    v128.store(d + 6 * q, i64x2.shuffle(hh0, hh1, 0, 2));
    v128.store(d + 7 * q, i64x2.shuffle(hh0, hh1, 1, 3));
  }
  return m;
}

/** Interleaves the bytes of the two 8-byte elements of `v`: 16-bit lane j = byte j of both. */
function pairs8(v: v128): v128 {
  return i8x16.shuffle(v, v, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
}

/**
 * One blosc block with LZ4 streams: shuffles `[src, src + size)` into `tmp` when `shuffle` is
 * set, then writes each of the `nsplits` streams to `out` as c-blosc does (a 4-byte little-endian
 * size, then the LZ4 block, or the stream raw when LZ4 does not make it smaller). `cap` is the
 * room left in the caller's output. Returns the bytes written to `out`, or -1 when they do not
 * fit `cap` (the caller then stores the whole buffer memcpyed).
 */
export function lz4Block(
  src: i32,
  size: i32,
  typesize: i32,
  doShuffle: i32,
  nsplits: i32,
  acceleration: i32,
  tmp: i32,
  out: i32,
  cap: i32,
): i32 {
  let from = src;
  if (doShuffle != 0 && typesize > 1) {
    shuffle(typesize, size, src, tmp);
    from = tmp;
  }
  const neblock = size / nsplits;
  let pos = 0;
  for (let s = 0; s < nsplits; s++) {
    const sizePos = pos;
    pos += 4;
    let maxout = neblock;
    if (pos + maxout > cap) {
      maxout = cap - pos;
      if (maxout <= 0) return -1;
    }
    const sp = from + s * neblock;
    let n = lz4(sp, sp + neblock, out + pos, out + pos + maxout, acceleration);
    if (n == 0 || n >= neblock) {
      if (pos + neblock > cap) return -1;
      memory.copy((out + pos) as usize, sp as usize, neblock as usize);
      n = neblock;
    }
    store<u32>((out + sizePos) as usize, n as u32);
    pos += n;
  }
  return pos;
}
