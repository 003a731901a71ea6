/**
 * The Burrows-Wheeler transform over cyclic rotations, as bzip2 uses it: the forward transform
 * sorts the rotations of a block by prefix doubling (ranks of 2^k-byte prefixes refined with
 * counting sorts), the inverse follows the last-to-first mapping.
 *
 * @example
 * ```ts
 * import { bwtForward, bwtInverse } from "./bwt.ts";
 * const block = new TextEncoder().encode("banana");
 * const { last, origPtr } = bwtForward(block);
 * console.log(new TextDecoder().decode(last), origPtr); // nnbaaa 3
 * console.log(new TextDecoder().decode(bwtInverse(last, origPtr))); // banana
 * ```
 * @module
 */

/**
 * Sorts the cyclic rotations of `s` and returns their start positions in sorted order (equal
 * rotations, which occur in periodic blocks, in any order).
 *
 * Prefix doubling: rotations are ranked by their first 2 bytes, then by their first 2h bytes
 * from the ranks of h-byte prefixes. While many rotations are still tied, each round is a
 * counting sort over the whole block; once few are, only the tied groups are re-sorted (as in
 * Larsson and Sadakane's algorithm), which keeps long-period blocks fast.
 *
 * @example
 * ```ts
 * import { sortRotations } from "./bwt.ts";
 * console.log(sortRotations(new TextEncoder().encode("abab"))); // Int32Array [2, 0, 3, 1]
 * ```
 */
export function sortRotations(s: Uint8Array): Int32Array {
  const n = s.length;
  const sa = new Int32Array(n);
  if (n <= 1) return sa;
  const rank = new Int32Array(n);
  const tmp = new Int32Array(n);
  // Initial order: counting sort on the first two bytes of each rotation.
  let cnt = new Int32Array(65537);
  for (let i = 0; i < n; i++) {
    const key = (s[i] << 8) | s[i + 1 === n ? 0 : i + 1];
    rank[i] = key;
    cnt[key + 1]++;
  }
  for (let k = 1; k <= 65536; k++) cnt[k] += cnt[k - 1];
  for (let i = 0; i < n; i++) sa[cnt[rank[i]]++] = i;
  // Dense group ids; count the rotations still tied with another.
  let groups = 0;
  let tied = 0;
  {
    let prev = -1;
    let size = 0;
    for (let j = 0; j < n; j++) {
      const key = rank[sa[j]];
      if (key !== prev) {
        if (size > 1) tied += size;
        size = 0;
        groups++;
        prev = key;
      }
      size++;
      tmp[sa[j]] = groups - 1;
    }
    if (size > 1) tied += size;
    rank.set(tmp);
  }
  if (groups === n) return sa;
  cnt = new Int32Array(n + 1);
  let h = 2;
  for (; h < n && tied > n >>> 4; h *= 2) {
    // Order by the second key (rank of the rotation starting h later): walking `sa` (sorted by
    // rank) and stepping back h positions yields the rotations sorted by rank[i + h].
    for (let j = 0; j < n; j++) {
      let i = sa[j] - h;
      if (i < 0) i += n;
      tmp[j] = i;
    }
    // Stable counting sort by the first key.
    cnt.fill(0, 0, groups + 1);
    for (let j = 0; j < n; j++) cnt[rank[j] + 1]++;
    for (let g = 1; g <= groups; g++) cnt[g] += cnt[g - 1];
    for (let j = 0; j < n; j++) {
      const i = tmp[j];
      sa[cnt[rank[i]]++] = i;
    }
    // New dense ranks from (rank[i], rank[i + h]).
    let next = 0;
    let pa = -1;
    let pb = -1;
    let size = 0;
    tied = 0;
    for (let j = 0; j < n; j++) {
      const i = sa[j];
      const a = rank[i];
      let k = i + h;
      if (k >= n) k -= n;
      const b = rank[k];
      if (a !== pa || b !== pb) {
        if (size > 1) tied += size;
        size = 0;
        next++;
        pa = a;
        pb = b;
      }
      size++;
      tmp[i] = next - 1;
    }
    if (size > 1) tied += size;
    rank.set(tmp);
    // No refinement: rotations equal on h bytes are equal on 2h bytes, hence equal throughout.
    if (next === groups || next === n) return sa;
    groups = next;
  }
  if (h >= n) return sa;
  refineTiedGroups(sa, rank, n, h);
  return sa;
}

/**
 * Finishes a rotation sort in which `sa` is ordered by `h`-byte prefixes and `rank` holds dense
 * group ids: only groups of tied rotations are re-sorted, by the rank `h` bytes later, and
 * ranks are refined in place (each rotation's rank becomes the last index of its group).
 */
function refineTiedGroups(sa: Int32Array, rank: Int32Array, n: number, h: number): void {
  // Ranks as group end indices; collect tied groups as [start, end) pairs.
  let groups: number[] = [];
  {
    let j = 0;
    while (j < n) {
      const g = rank[sa[j]];
      let e = j + 1;
      while (e < n && rank[sa[e]] === g) e++;
      for (let k = j; k < e; k++) rank[sa[k]] = e - 1;
      if (e - j > 1) groups.push(j, e);
      j = e;
    }
  }
  let keys = new Float64Array(256);
  for (; groups.length > 0 && h < n; h *= 2) {
    const next: number[] = [];
    let split = false;
    for (let gi = 0; gi < groups.length; gi += 2) {
      const start = groups[gi];
      const end = groups[gi + 1];
      const size = end - start;
      if (keys.length < size) keys = new Float64Array(size * 2);
      // Key: rank h bytes later, position in the low 21 bits (n < 2^21).
      for (let j = 0; j < size; j++) {
        const i = sa[start + j];
        let k = i + h;
        if (k >= n) k -= n;
        keys[j] = rank[k] * 2097152 + i;
      }
      const sorted = keys.subarray(0, size).sort();
      let runStart = 0;
      let runKey = Math.floor(sorted[0] / 2097152);
      for (let j = 0; j <= size; j++) {
        const key = j < size ? Math.floor(sorted[j] / 2097152) : -1;
        if (key !== runKey) {
          // Run [runStart, j) shares one key: a group ending at start + j - 1.
          const last = start + j - 1;
          for (let q = runStart; q < j; q++) rank[sa[start + q] = sorted[q] % 2097152] = last;
          if (j - runStart > 1) next.push(start + runStart, start + j);
          if (j - runStart !== size) split = true;
          runStart = j;
          runKey = key;
        }
      }
    }
    if (!split) return;
    groups = next;
  }
}

/**
 * The forward transform: the last column of the sorted rotation matrix and the row holding the
 * original block.
 *
 * @example
 * ```ts
 * import { bwtForward } from "./bwt.ts";
 * console.log(bwtForward(new Uint8Array([3, 1, 2])).origPtr); // 2
 * ```
 */
export function bwtForward(block: Uint8Array): { last: Uint8Array; origPtr: number } {
  const n = block.length;
  const sa = sortRotations(block);
  const last = new Uint8Array(n);
  let origPtr = 0;
  for (let j = 0; j < n; j++) {
    const i = sa[j];
    if (i === 0) {
      origPtr = j;
      last[j] = block[n - 1];
    } else {
      last[j] = block[i - 1];
    }
  }
  return { last, origPtr };
}

/**
 * The inverse transform of a last column (checked by the caller: `origPtr < last.length`).
 *
 * @example
 * ```ts
 * import { bwtInverse } from "./bwt.ts";
 * console.log(bwtInverse(new Uint8Array([3, 1, 2]), 2)); // Uint8Array [3, 1, 2]
 * ```
 */
export function bwtInverse(last: Uint8Array, origPtr: number): Uint8Array {
  const n = last.length;
  const tt = new Int32Array(n);
  for (let i = 0; i < n; i++) tt[i] = last[i];
  const links = linkRows(tt, n);
  const out = new Uint8Array(n);
  let p = links[origPtr] >>> 8;
  for (let k = 0; k < n; k++) {
    const e = links[p];
    out[k] = e & 0xff;
    p = e >>> 8;
  }
  return out;
}

/**
 * Turns `tt[0..n)` (last-column bytes in the low 8 bits) into the row links of the inverse
 * transform in place: afterwards `tt[r] >>> 8` is the row that follows row `r` in text order and
 * `tt[r] & 0xff` is that row's first byte. Returns `tt`.
 *
 * @example
 * ```ts
 * import { linkRows } from "./bwt.ts";
 * const tt = linkRows(new Int32Array([3, 1, 2]), 3); // last column of [3, 1, 2], origPtr 2
 * console.log(tt[tt[2] >>> 8] & 0xff); // 3 (the first byte of the text)
 * ```
 */
export function linkRows(tt: Int32Array, n: number): Int32Array {
  const start = new Int32Array(256);
  for (let i = 0; i < n; i++) start[tt[i] & 0xff]++;
  let sum = 0;
  for (let c = 0; c < 256; c++) {
    const k = start[c];
    start[c] = sum;
    sum += k;
  }
  for (let i = 0; i < n; i++) {
    const c = tt[i] & 0xff;
    tt[start[c]++] |= i << 8;
  }
  return tt;
}
