/**
 * The blosc shuffle filters on one block: byte shuffle (byte `j` of every element gathered into
 * stream `j`) and bit shuffle (bit `b` of byte `j` of every element gathered into bit-row
 * `8*j + b`), with c-blosc 1.x's edge rules: byte shuffle leaves the tail that is not a whole
 * element as it is; bit shuffle works on whole groups of 8 elements only and copies the block
 * unchanged when the element count is not a multiple of 8 (after copying the partial-element
 * tail as it is).
 *
 * All functions write `src[srcPos, srcPos+size)` transformed into `dst[dstPos, dstPos+size)`;
 * the two ranges must not overlap.
 *
 * @example
 * ```ts
 * import { shuffleBlock, unshuffleBlock } from "./shuffle.ts";
 * const src = new Uint8Array([1, 2, 3, 4, 5, 6]);
 * const mid = new Uint8Array(6);
 * shuffleBlock(2, 6, src, 0, mid, 0); // mid: [1, 3, 5, 2, 4, 6]
 * const back = new Uint8Array(6);
 * unshuffleBlock(2, 6, mid, 0, back, 0); // back equals src
 * ```
 * @module
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Byte-shuffles one block of `size` bytes holding elements of `typesize` bytes.
 *
 * @example
 * ```ts
 * import { shuffleBlock } from "./shuffle.ts";
 * const out = new Uint8Array(4);
 * shuffleBlock(2, 4, new Uint8Array([1, 2, 3, 4]), 0, out, 0); // out: [1, 3, 2, 4]
 * ```
 */
export function shuffleBlock(
  typesize: number,
  size: number,
  src: Uint8Array,
  srcPos: number,
  dst: Uint8Array,
  dstPos: number,
): void {
  const n = Math.floor(size / typesize);
  const whole = n * typesize;
  if (typesize <= 1 || n === 0) {
    dst.set(src.subarray(srcPos, srcPos + size), dstPos);
    return;
  }
  const srcAbs = src.byteOffset + srcPos;
  if (wordAligned(typesize, n, srcAbs, dst.byteOffset + dstPos)) {
    shuffleWords(typesize, n, src, srcAbs, dst, dst.byteOffset + dstPos);
  } else if (LITTLE_ENDIAN && typesize === 4 && (srcAbs & 3) === 0) {
    const s32 = new Uint32Array(src.buffer, srcAbs, n);
    const d0 = dstPos, d1 = dstPos + n, d2 = dstPos + 2 * n, d3 = dstPos + 3 * n;
    for (let i = 0; i < n; i++) {
      const v = s32[i];
      dst[d0 + i] = v;
      dst[d1 + i] = v >>> 8;
      dst[d2 + i] = v >>> 16;
      dst[d3 + i] = v >>> 24;
    }
  } else if (LITTLE_ENDIAN && typesize === 2 && (srcAbs & 1) === 0) {
    const s16 = new Uint16Array(src.buffer, srcAbs, n);
    const d1 = dstPos + n;
    for (let i = 0; i < n; i++) {
      const v = s16[i];
      dst[dstPos + i] = v;
      dst[d1 + i] = v >>> 8;
    }
  } else if (LITTLE_ENDIAN && typesize === 8 && (srcAbs & 3) === 0) {
    const s32 = new Uint32Array(src.buffer, srcAbs, 2 * n);
    for (let i = 0; i < n; i++) {
      const lo = s32[2 * i];
      const hi = s32[2 * i + 1];
      let d = dstPos + i;
      dst[d] = lo;
      dst[d += n] = lo >>> 8;
      dst[d += n] = lo >>> 16;
      dst[d += n] = lo >>> 24;
      dst[d += n] = hi;
      dst[d += n] = hi >>> 8;
      dst[d += n] = hi >>> 16;
      dst[d += n] = hi >>> 24;
    }
  } else {
    for (let j = 0; j < typesize; j++) {
      let s = srcPos + j;
      const d = dstPos + j * n;
      for (let i = 0; i < n; i++, s += typesize) dst[d + i] = src[s];
    }
  }
  if (whole < size) dst.set(src.subarray(srcPos + whole, srcPos + size), dstPos + whole);
}

/**
 * Undoes {@link shuffleBlock}.
 *
 * @example
 * ```ts
 * import { unshuffleBlock } from "./shuffle.ts";
 * const out = new Uint8Array(4);
 * unshuffleBlock(2, 4, new Uint8Array([1, 3, 2, 4]), 0, out, 0); // out: [1, 2, 3, 4]
 * ```
 */
export function unshuffleBlock(
  typesize: number,
  size: number,
  src: Uint8Array,
  srcPos: number,
  dst: Uint8Array,
  dstPos: number,
): void {
  const n = Math.floor(size / typesize);
  const whole = n * typesize;
  if (typesize <= 1 || n === 0) {
    dst.set(src.subarray(srcPos, srcPos + size), dstPos);
    return;
  }
  const dstAbs = dst.byteOffset + dstPos;
  if (wordAligned(typesize, n, src.byteOffset + srcPos, dstAbs)) {
    unshuffleWords(typesize, n, src, src.byteOffset + srcPos, dst, dstAbs);
  } else if (LITTLE_ENDIAN && typesize === 4 && (dstAbs & 3) === 0) {
    const d32 = new Uint32Array(dst.buffer, dstAbs, n);
    const s0 = srcPos, s1 = srcPos + n, s2 = srcPos + 2 * n, s3 = srcPos + 3 * n;
    for (let i = 0; i < n; i++) {
      d32[i] = src[s0 + i] | (src[s1 + i] << 8) | (src[s2 + i] << 16) | (src[s3 + i] << 24);
    }
  } else if (LITTLE_ENDIAN && typesize === 2 && (dstAbs & 1) === 0) {
    const d16 = new Uint16Array(dst.buffer, dstAbs, n);
    const s1 = srcPos + n;
    for (let i = 0; i < n; i++) d16[i] = src[srcPos + i] | (src[s1 + i] << 8);
  } else if (LITTLE_ENDIAN && typesize === 8 && (dstAbs & 3) === 0) {
    const d32 = new Uint32Array(dst.buffer, dstAbs, 2 * n);
    const s1 = srcPos + n, s2 = srcPos + 2 * n, s3 = srcPos + 3 * n;
    const s4 = srcPos + 4 * n, s5 = srcPos + 5 * n, s6 = srcPos + 6 * n, s7 = srcPos + 7 * n;
    for (let i = 0; i < n; i++) {
      d32[2 * i] = src[srcPos + i] | (src[s1 + i] << 8) | (src[s2 + i] << 16) |
        (src[s3 + i] << 24);
      d32[2 * i + 1] = src[s4 + i] | (src[s5 + i] << 8) | (src[s6 + i] << 16) |
        (src[s7 + i] << 24);
    }
  } else {
    for (let j = 0; j < typesize; j++) {
      const s = srcPos + j * n;
      let d = dstPos + j;
      for (let i = 0; i < n; i++, d += typesize) dst[d] = src[s + i];
    }
  }
  if (whole < size) dst.set(src.subarray(srcPos + whole, srcPos + size), dstPos + whole);
}

/**
 * Whether the word-at-a-time paths apply: little-endian host, typesize 2, 4 or 8, both ranges
 * 4-byte aligned and each of the `typesize` streams of `n` bytes a whole number of words.
 */
function wordAligned(typesize: number, n: number, srcAbs: number, dstAbs: number): boolean {
  return LITTLE_ENDIAN && (typesize === 2 || typesize === 4 || typesize === 8) &&
    (n & 3) === 0 && (srcAbs & 3) === 0 && (dstAbs & 3) === 0;
}

/**
 * Byte-shuffles `n` elements (n a multiple of 4) a word at a time: four words of four streams
 * (or elements) are a 4x4 byte matrix, transposed in registers.
 */
function shuffleWords(
  typesize: number,
  n: number,
  src: Uint8Array,
  srcAbs: number,
  dst: Uint8Array,
  dstAbs: number,
): void {
  const words = (n * typesize) >>> 2;
  const s = new Uint32Array(src.buffer, srcAbs, words);
  const d = new Uint32Array(dst.buffer, dstAbs, words);
  const q = n >>> 2; // words per stream
  if (typesize === 4) {
    // two rounds of 2x2 transposes: bytes within element pairs, then 16-bit halves
    for (let i = 0, e = 0; i < q; i++, e += 4) {
      const a = s[e], b = s[e + 1], c = s[e + 2], x = s[e + 3];
      const ab0 = (a & 0x00ff00ff) | ((b & 0x00ff00ff) << 8); // a0 b0 a2 b2
      const ab1 = ((a >>> 8) & 0x00ff00ff) | (b & 0xff00ff00); // a1 b1 a3 b3
      const cx0 = (c & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
      const cx1 = ((c >>> 8) & 0x00ff00ff) | (x & 0xff00ff00);
      d[i] = (ab0 & 0xffff) | (cx0 << 16);
      d[q + i] = (ab1 & 0xffff) | (cx1 << 16);
      d[2 * q + i] = (ab0 >>> 16) | (cx0 & 0xffff0000);
      d[3 * q + i] = (ab1 >>> 16) | (cx1 & 0xffff0000);
    }
  } else if (typesize === 8) {
    for (let i = 0, e = 0; i < q; i++, e += 8) {
      for (let h = 0; h < 2; h++) {
        const a = s[e + h], b = s[e + 2 + h], c = s[e + 4 + h], x = s[e + 6 + h];
        const o = 4 * h * q + i;
        d[o] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | (x << 24);
        d[o + q] = ((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) | ((x >>> 8) << 24);
        d[o + 2 * q] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) |
          ((x >>> 16) << 24);
        d[o + 3 * q] = (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) |
          (x & 0xff000000);
      }
    }
  } else {
    for (let i = 0, e = 0; i < q; i++, e += 2) {
      const a = s[e], b = s[e + 1];
      d[i] = (a & 0xff) | ((a >>> 8) & 0xff00) | ((b & 0xff) << 16) | ((b >>> 16) << 24);
      d[q + i] = ((a >>> 8) & 0xff) | ((a >>> 16) & 0xff00) | ((b & 0xff00) << 8) |
        (b & 0xff000000);
    }
  }
}

/** Undoes {@link shuffleWords}. */
function unshuffleWords(
  typesize: number,
  n: number,
  src: Uint8Array,
  srcAbs: number,
  dst: Uint8Array,
  dstAbs: number,
): void {
  const words = (n * typesize) >>> 2;
  const s = new Uint32Array(src.buffer, srcAbs, words);
  const d = new Uint32Array(dst.buffer, dstAbs, words);
  const q = n >>> 2;
  if (typesize === 4) {
    for (let i = 0, e = 0; i < q; i++, e += 4) {
      const a = s[i], b = s[q + i], c = s[2 * q + i], x = s[3 * q + i];
      d[e] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | (x << 24);
      d[e + 1] = ((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) | ((x >>> 8) << 24);
      d[e + 2] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) |
        ((x >>> 16) << 24);
      d[e + 3] = (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) |
        (x & 0xff000000);
    }
  } else if (typesize === 8) {
    for (let i = 0, e = 0; i < q; i++, e += 8) {
      for (let h = 0; h < 2; h++) {
        const o = 4 * h * q + i;
        const a = s[o], b = s[o + q], c = s[o + 2 * q], x = s[o + 3 * q];
        d[e + h] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | (x << 24);
        d[e + 2 + h] = ((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) |
          ((x >>> 8) << 24);
        d[e + 4 + h] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) |
          ((x >>> 16) << 24);
        d[e + 6 + h] = (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) |
          (x & 0xff000000);
      }
    }
  } else {
    for (let i = 0, e = 0; i < q; i++, e += 2) {
      const a = s[i], b = s[q + i];
      d[e] = (a & 0xff) | ((b & 0xff) << 8) | ((a & 0xff00) << 8) | ((b & 0xff00) << 16);
      d[e + 1] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | ((a >>> 8) & 0xff0000) |
        (b & 0xff000000);
    }
  }
}

/**
 * Transposes the 8x8 bit matrix whose rows are the 8 bytes of `lo` (bytes 0-3) and `hi`
 * (bytes 4-7): bit `m` of row `b` becomes bit `b` of row `m`. Returns the new `lo`; the new `hi`
 * is left in {@link transposed}.
 */
function transpose8x8(lo: number, hi: number): number {
  let t = (lo ^ (lo >>> 7)) & 0x00aa00aa;
  lo = lo ^ t ^ (t << 7);
  t = (hi ^ (hi >>> 7)) & 0x00aa00aa;
  hi = hi ^ t ^ (t << 7);
  t = (lo ^ (lo >>> 14)) & 0x0000cccc;
  lo = lo ^ t ^ (t << 14);
  t = (hi ^ (hi >>> 14)) & 0x0000cccc;
  hi = hi ^ t ^ (t << 14);
  t = (lo ^ (hi << 4)) & 0xf0f0f0f0;
  lo ^= t;
  transposed = hi ^ (t >>> 4);
  return lo;
}
let transposed = 0;

/**
 * Bit-shuffles one block of `size` bytes holding elements of `typesize` bytes (c-blosc's
 * bitshuffle: whole groups of 8 elements only, otherwise a plain copy).
 *
 * @example
 * ```ts
 * import { bitshuffleBlock } from "./shuffle.ts";
 * const out = new Uint8Array(8);
 * bitshuffleBlock(1, 8, new Uint8Array([1, 1, 1, 1, 1, 1, 1, 1]), 0, out, 0);
 * // out: [255, 0, 0, 0, 0, 0, 0, 0] (bit 0 of every element in the first row)
 * ```
 */
export function bitshuffleBlock(
  typesize: number,
  size: number,
  src: Uint8Array,
  srcPos: number,
  dst: Uint8Array,
  dstPos: number,
): void {
  const n = Math.floor(size / typesize);
  if (n % 8 !== 0 || n === 0) {
    dst.set(src.subarray(srcPos, srcPos + size), dstPos);
    return;
  }
  const rowBytes = n >>> 3;
  const whole = n * typesize;
  const stride = typesize;
  for (let j = 0; j < typesize; j++) {
    const rowBase = dstPos + j * 8 * rowBytes;
    let s = srcPos + j;
    for (let k = 0; k < rowBytes; k++) {
      // row m of the matrix = byte j of element 8k+m
      const lo = src[s] | (src[s + stride] << 8) | (src[s + 2 * stride] << 16) |
        (src[s + 3 * stride] << 24);
      const hi = src[s + 4 * stride] | (src[s + 5 * stride] << 8) | (src[s + 6 * stride] << 16) |
        (src[s + 7 * stride] << 24);
      s += 8 * stride;
      const tlo = transpose8x8(lo, hi);
      const thi = transposed;
      let d = rowBase + k;
      dst[d] = tlo;
      dst[d += rowBytes] = tlo >>> 8;
      dst[d += rowBytes] = tlo >>> 16;
      dst[d += rowBytes] = tlo >>> 24;
      dst[d += rowBytes] = thi;
      dst[d += rowBytes] = thi >>> 8;
      dst[d += rowBytes] = thi >>> 16;
      dst[d += rowBytes] = thi >>> 24;
    }
  }
  if (whole < size) dst.set(src.subarray(srcPos + whole, srcPos + size), dstPos + whole);
}

/**
 * Undoes {@link bitshuffleBlock}.
 *
 * @example
 * ```ts
 * import { bitunshuffleBlock } from "./shuffle.ts";
 * const out = new Uint8Array(8);
 * bitunshuffleBlock(1, 8, new Uint8Array([255, 0, 0, 0, 0, 0, 0, 0]), 0, out, 0);
 * // out: [1, 1, 1, 1, 1, 1, 1, 1]
 * ```
 */
export function bitunshuffleBlock(
  typesize: number,
  size: number,
  src: Uint8Array,
  srcPos: number,
  dst: Uint8Array,
  dstPos: number,
): void {
  const n = Math.floor(size / typesize);
  if (n % 8 !== 0 || n === 0) {
    dst.set(src.subarray(srcPos, srcPos + size), dstPos);
    return;
  }
  const rowBytes = n >>> 3;
  const whole = n * typesize;
  const stride = typesize;
  const r1 = rowBytes, r2 = 2 * rowBytes, r3 = 3 * rowBytes, r4 = 4 * rowBytes;
  const r5 = 5 * rowBytes, r6 = 6 * rowBytes, r7 = 7 * rowBytes;
  for (let j = 0; j < typesize; j++) {
    const rowBase = srcPos + j * 8 * rowBytes;
    let d = dstPos + j;
    for (let k = 0; k < rowBytes; k++) {
      const s = rowBase + k;
      // row b of the matrix = bit-row 8j+b, byte k
      const lo = src[s] | (src[s + r1] << 8) | (src[s + r2] << 16) | (src[s + r3] << 24);
      const hi = src[s + r4] | (src[s + r5] << 8) | (src[s + r6] << 16) | (src[s + r7] << 24);
      const tlo = transpose8x8(lo, hi);
      const thi = transposed;
      dst[d] = tlo;
      dst[d + stride] = tlo >>> 8;
      dst[d + 2 * stride] = tlo >>> 16;
      dst[d + 3 * stride] = tlo >>> 24;
      dst[d + 4 * stride] = thi;
      dst[d + 5 * stride] = thi >>> 8;
      dst[d + 6 * stride] = thi >>> 16;
      dst[d + 7 * stride] = thi >>> 24;
      d += 8 * stride;
    }
  }
  if (whole < size) dst.set(src.subarray(srcPos + whole, srcPos + size), dstPos + whole);
}
