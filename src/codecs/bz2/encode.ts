/**
 * bzip2 compression producing standard `BZh` streams that any bzip2 decoder (libbzip2, Python's
 * `bz2`) reads: the initial run-length encoding, the Burrows-Wheeler transform over cyclic
 * rotations, move-to-front with zero-run coding, and 2 to 6 Huffman tables chosen per 50-symbol
 * group by a few rounds of refinement. The level sets the block size (level x 100 000 bytes).
 *
 * @example
 * ```ts
 * import { bz2Compress } from "./encode.ts";
 * const packed = bz2Compress(new Uint8Array(1000), 9);
 * console.log(new TextDecoder().decode(packed.subarray(0, 4))); // BZh9
 * ```
 * @module
 */
import { BitWriter } from "./bitio.ts";
import { bwtForward } from "./bwt.ts";
import { bz2CrcUpdate, combineStreamCrc } from "./crc.ts";
import { buildCodeLengths, canonicalCodes } from "./huffman.ts";

const GROUP_SIZE = 50;
/** Longest code length the encoder emits (as libbzip2). */
const MAX_ENCODE_LEN = 17;
/** Refinement rounds of the table assignment. */
const ITERATIONS = 4;

/**
 * Compresses `data` into one bzip2 stream; `level` 1..9 sets the block size.
 *
 * @example
 * ```ts
 * import { bz2Compress } from "./encode.ts";
 * console.log(bz2Compress(new Uint8Array(0), 9).length); // 14
 * ```
 */
export function bz2Compress(data: Uint8Array, level = 9): Uint8Array {
  if (!Number.isInteger(level) || level < 1 || level > 9) {
    throw new RangeError(`bz2: level must be an integer in [1, 9], got ${level}`);
  }
  // libbzip2 keeps a margin of 19 bytes below the nominal block size.
  const blockLimit = level * 100000 - 19;
  const w = new BitWriter(Math.max(1024, (data.length >>> 1) + 64));
  w.bits(24, 0x425a68); // "BZh"
  w.bits(8, 0x30 + level);
  // Runs of exactly 4 grow to 5 bytes, so a block can be larger than its input.
  const block = new Uint8Array(Math.min(blockLimit, Math.ceil(data.length * 1.25) + 8));
  let streamCrc = 0;
  let i = 0;
  const n = data.length;
  while (i < n) {
    // Initial RLE: runs of 4..259 equal bytes become 4 bytes and a repeat count.
    const start = i;
    let len = 0;
    while (i < n) {
      const b = data[i];
      let j = i + 1;
      const end = Math.min(n, i + 259);
      while (j < end && data[j] === b) j++;
      const run = j - i;
      const size = run < 4 ? run : 5;
      if (len + size > blockLimit) break;
      if (run < 4) {
        for (let k = 0; k < run; k++) block[len++] = b;
      } else {
        block[len++] = b;
        block[len++] = b;
        block[len++] = b;
        block[len++] = b;
        block[len++] = run - 4;
      }
      i = j;
    }
    const crc = ~bz2CrcUpdate(0xffffffff, data, start, i) >>> 0;
    streamCrc = combineStreamCrc(streamCrc, crc);
    writeBlock(w, block.subarray(0, len), crc);
  }
  w.bits(24, 0x177245);
  w.bits(24, 0x385090);
  w.bits32(streamCrc);
  return w.finish();
}

/** Number of Huffman tables libbzip2 uses for a block of `nSymbols` coded symbols. */
function tableCount(nSymbols: number): number {
  if (nSymbols < 200) return 2;
  if (nSymbols < 600) return 3;
  if (nSymbols < 1200) return 4;
  if (nSymbols < 2400) return 5;
  return 6;
}

/** Writes one block (after the initial RLE) with its CRC. */
function writeBlock(w: BitWriter, block: Uint8Array, crc: number): void {
  const { last, origPtr } = bwtForward(block);

  // Symbol map and move-to-front over the bytes in use.
  const inUse = new Uint8Array(256);
  for (let k = 0; k < last.length; k++) inUse[last[k]] = 1;
  const unseqToSeq = new Uint8Array(256);
  let nInUse = 0;
  for (let c = 0; c < 256; c++) if (inUse[c]) unseqToSeq[c] = nInUse++;
  const alphaSize = nInUse + 2;
  const eob = nInUse + 1;
  const symbols = new Uint16Array(last.length + 1);
  let nSym = 0;
  const mtf = new Uint8Array(256);
  for (let k = 0; k < nInUse; k++) mtf[k] = k;
  let zeros = 0;
  const flushZeros = () => {
    // Zero runs in bijective base 2: RUNA = 1, RUNB = 2 at each weight.
    let z = zeros;
    while (z > 0) {
      z--;
      symbols[nSym++] = z & 1;
      z >>>= 1;
    }
    zeros = 0;
  };
  for (let k = 0; k < last.length; k++) {
    const s = unseqToSeq[last[k]];
    if (mtf[0] === s) {
      zeros++;
      continue;
    }
    if (zeros > 0) flushZeros();
    // Find `s` while shifting the entries before it one place back.
    let prev = mtf[0];
    let v = 0;
    while (prev !== s) {
      v++;
      const t = mtf[v];
      mtf[v] = prev;
      prev = t;
    }
    mtf[0] = s;
    symbols[nSym++] = v + 1;
  }
  if (zeros > 0) flushZeros();
  symbols[nSym++] = eob;

  // Huffman tables: start from frequency bands, then refine the per-group table choice.
  const nGroups = tableCount(nSym);
  const nSelectors = Math.ceil(nSym / GROUP_SIZE);
  const freq = new Int32Array(alphaSize);
  for (let k = 0; k < nSym; k++) freq[symbols[k]]++;
  const lengths: Uint8Array[] = [];
  {
    let remaining = nSym;
    let lo = 0;
    for (let t = nGroups; t > 0; t--) {
      const target = remaining / t;
      let hi = lo - 1;
      let acc = 0;
      while (acc < target && hi < alphaSize - 1) acc += freq[++hi];
      const len = new Uint8Array(alphaSize).fill(15);
      for (let s = lo; s <= hi; s++) len[s] = 0;
      lengths.push(len);
      lo = hi + 1;
      remaining -= acc;
    }
  }
  const selectors = new Uint8Array(nSelectors);
  const cost = new Int32Array(6);
  // Code lengths of up to three tables packed 10 bits apart (a group costs at most 50 x 17 bits).
  const packLo = new Int32Array(alphaSize);
  const packHi = new Int32Array(alphaSize);
  for (let iter = 0; iter < ITERATIONS; iter++) {
    for (let sym = 0; sym < alphaSize; sym++) {
      let lo = 0;
      let hi = 0;
      for (let t = 0; t < nGroups; t++) {
        if (t < 3) lo |= lengths[t][sym] << (10 * t);
        else hi |= lengths[t][sym] << (10 * (t - 3));
      }
      packLo[sym] = lo;
      packHi[sym] = hi;
    }
    const tableFreq = Array.from({ length: nGroups }, () => new Int32Array(alphaSize));
    for (let g = 0; g < nSelectors; g++) {
      const from = g * GROUP_SIZE;
      const to = Math.min(nSym, from + GROUP_SIZE);
      let lo = 0;
      let hi = 0;
      for (let k = from; k < to; k++) {
        const sym = symbols[k];
        lo += packLo[sym];
        hi += packHi[sym];
      }
      cost[0] = lo & 1023;
      cost[1] = (lo >>> 10) & 1023;
      cost[2] = (lo >>> 20) & 1023;
      cost[3] = hi & 1023;
      cost[4] = (hi >>> 10) & 1023;
      cost[5] = (hi >>> 20) & 1023;
      let best = 0;
      for (let t = 1; t < nGroups; t++) if (cost[t] < cost[best]) best = t;
      selectors[g] = best;
      const f = tableFreq[best];
      for (let k = from; k < to; k++) f[symbols[k]]++;
    }
    for (let t = 0; t < nGroups; t++) lengths[t] = buildCodeLengths(tableFreq[t], MAX_ENCODE_LEN);
  }
  const codes = lengths.map((l) => canonicalCodes(l));

  // Block header.
  w.bits(24, 0x314159);
  w.bits(24, 0x265359);
  w.bits32(crc);
  w.bits(1, 0); // not randomised
  w.bits(24, origPtr);
  let used16 = 0;
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) if (inUse[i * 16 + j]) used16 |= 0x8000 >>> i;
  }
  w.bits(16, used16);
  for (let i = 0; i < 16; i++) {
    if (!(used16 & (0x8000 >>> i))) continue;
    let bits = 0;
    for (let j = 0; j < 16; j++) if (inUse[i * 16 + j]) bits |= 0x8000 >>> j;
    w.bits(16, bits);
  }
  w.bits(3, nGroups);
  w.bits(15, nSelectors);
  const order = [0, 1, 2, 3, 4, 5];
  for (let g = 0; g < nSelectors; g++) {
    const t = selectors[g];
    let j = 0;
    while (order[j] !== t) j++;
    for (let k = j; k > 0; k--) order[k] = order[k - 1];
    order[0] = t;
    for (let k = 0; k < j; k++) w.bits(1, 1);
    w.bits(1, 0);
  }
  for (let t = 0; t < nGroups; t++) {
    const len = lengths[t];
    let cur = len[0];
    w.bits(5, cur);
    for (let s = 0; s < alphaSize; s++) {
      while (cur < len[s]) {
        w.bits(2, 2); // "10": increment
        cur++;
      }
      while (cur > len[s]) {
        w.bits(2, 3); // "11": decrement
        cur--;
      }
      w.bits(1, 0);
    }
  }
  // Symbols.
  for (let g = 0; g < nSelectors; g++) {
    const t = selectors[g];
    const len = lengths[t];
    const code = codes[t];
    const to = Math.min(nSym, (g + 1) * GROUP_SIZE);
    for (let k = g * GROUP_SIZE; k < to; k++) {
      const s = symbols[k];
      w.bits(len[s], code[s]);
    }
  }
}
