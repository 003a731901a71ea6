/**
 * The integrity checks of the .xz format: CRC-32 (IEEE, reflected polynomial 0xEDB88320) and
 * CRC-64 (ECMA-182, reflected polynomial 0xC96C5795D7870F42). Both table-driven; the 64-bit CRC
 * is kept as two 32-bit halves.
 *
 * @example
 * ```ts
 * import { crc32, crc64 } from "./crc.ts";
 * const d = new TextEncoder().encode("123456789");
 * console.log(crc32(d).toString(16)); // cbf43926
 * console.log(crc64(d)); // 995dc9bbdf1939fa
 * ```
 * @module
 */

const CRC32_TABLE: Int32Array = (() => {
  const t = new Int32Array(4 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b];
    for (let k = 1; k < 4; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + b] = c;
    }
  }
  return t;
})();

/**
 * CRC-32 of `data[start..end)`, continuing from `crc` (0 to start). Unsigned result.
 *
 * @example
 * ```ts
 * import { crc32 } from "./crc.ts";
 * console.log(crc32(new Uint8Array(0))); // 0
 * ```
 */
export function crc32(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  const t = CRC32_TABLE;
  let c = ~crc;
  let i = start;
  const end4 = end - ((end - start) & 3);
  while (i < end4) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^
      t[c >>> 24];
    i += 4;
  }
  while (i < end) c = t[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const CRC64_LO = new Int32Array(256);
const CRC64_HI = new Int32Array(256);
{
  const polyLo = 0xd7870f42 | 0;
  const polyHi = 0xc96c5795 | 0;
  for (let b = 0; b < 256; b++) {
    let lo = b;
    let hi = 0;
    for (let k = 0; k < 8; k++) {
      const odd = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi = hi >>> 1;
      if (odd) {
        lo ^= polyLo;
        hi ^= polyHi;
      }
    }
    CRC64_LO[b] = lo;
    CRC64_HI[b] = hi;
  }
}

/** A running CRC-64 as two 32-bit halves (raw register, not complemented). */
export interface Crc64State {
  lo: number;
  hi: number;
}

/**
 * Updates a CRC-64 register with `data[start..end)`. Start from `{lo: -1, hi: -1}`; the
 * finished CRC is the complement of the register (see {@link crc64}).
 *
 * @example
 * ```ts
 * import { crc64Update } from "./crc.ts";
 * const s = crc64Update({ lo: -1, hi: -1 }, new Uint8Array([1]), 0, 1);
 * console.log(typeof s.lo); // number
 * ```
 */
export function crc64Update(
  s: Crc64State,
  data: Uint8Array,
  start: number,
  end: number,
): Crc64State {
  let lo = s.lo;
  let hi = s.hi;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ data[i]) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[idx];
    hi = (hi >>> 8) ^ CRC64_HI[idx];
  }
  return { lo, hi };
}

/**
 * CRC-64 (as used by .xz) of `data[start..end)` as 16 hex digits.
 *
 * @example
 * ```ts
 * import { crc64 } from "./crc.ts";
 * console.log(crc64(new Uint8Array(0))); // 0000000000000000
 * ```
 */
export function crc64(data: Uint8Array, start = 0, end = data.length): string {
  const s = crc64Update({ lo: -1, hi: -1 }, data, start, end);
  return (~s.hi >>> 0).toString(16).padStart(8, "0") + (~s.lo >>> 0).toString(16).padStart(8, "0");
}

/**
 * CRC-64 of `data[start..end)` as the 8 little-endian bytes .xz stores.
 *
 * @example
 * ```ts
 * import { crc64Bytes } from "./crc.ts";
 * console.log(crc64Bytes(new Uint8Array(0)).length); // 8
 * ```
 */
export function crc64Bytes(data: Uint8Array, start = 0, end = data.length): Uint8Array {
  const s = crc64Update({ lo: -1, hi: -1 }, data, start, end);
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ~s.lo >>> 0, true);
  dv.setUint32(4, ~s.hi >>> 0, true);
  return out;
}
