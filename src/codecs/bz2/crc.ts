/**
 * The CRC-32 of bzip2: polynomial 0x04C11DB7 processed most-significant bit first (not
 * reflected), initial value 0xFFFFFFFF, final complement. The same CRC as POSIX `cksum` without
 * the length suffix; table-driven, four bytes per step.
 *
 * @example
 * ```ts
 * import { bz2Crc } from "./crc.ts";
 * console.log(bz2Crc(new TextEncoder().encode("123456789")).toString(16)); // fc891918
 * ```
 * @module
 */

const POLY = 0x04c11db7;

/** 4 tables of 256 entries: T[k*256+b] is the CRC register after byte b and k zero bytes. */
const TABLE: Int32Array = (() => {
  const t = new Int32Array(4 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ POLY : c << 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b];
    for (let k = 1; k < 4; k++) {
      c = (c << 8) ^ t[(c >>> 24) & 0xff];
      t[k * 256 + b] = c;
    }
  }
  return t;
})();

/**
 * Updates a raw (not complemented) bzip2 CRC register with `data[start..end)`. Start from
 * `0xffffffff`; the finished CRC is `~register >>> 0`.
 *
 * @example
 * ```ts
 * import { bz2CrcUpdate } from "./crc.ts";
 * const d = new Uint8Array([1, 2, 3]);
 * console.log((~bz2CrcUpdate(0xffffffff, d, 0, 3)) >>> 0);
 * ```
 */
export function bz2CrcUpdate(reg: number, data: Uint8Array, start: number, end: number): number {
  const t = TABLE;
  let c = reg | 0;
  let i = start;
  const end4 = end - ((end - start) & 3);
  while (i < end4) {
    c ^= (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
    c = t[768 + (c >>> 24)] ^ t[512 + ((c >>> 16) & 0xff)] ^ t[256 + ((c >>> 8) & 0xff)] ^
      t[c & 0xff];
    i += 4;
  }
  while (i < end) c = (c << 8) ^ t[((c >>> 24) ^ data[i++]) & 0xff];
  return c;
}

/**
 * The bzip2 CRC of `data` (an unsigned 32-bit integer).
 *
 * @example
 * ```ts
 * import { bz2Crc } from "./crc.ts";
 * console.log(bz2Crc(new Uint8Array(0))); // 0
 * ```
 */
export function bz2Crc(data: Uint8Array): number {
  return ~bz2CrcUpdate(0xffffffff, data, 0, data.length) >>> 0;
}

/**
 * The bzip2 stream CRC after one more block: rotate left by one, then xor the block CRC.
 *
 * @example
 * ```ts
 * import { combineStreamCrc } from "./crc.ts";
 * console.log(combineStreamCrc(0, 0x12345678).toString(16)); // 12345678
 * ```
 */
export function combineStreamCrc(stream: number, block: number): number {
  return (((stream << 1) | (stream >>> 31)) ^ block) >>> 0;
}
