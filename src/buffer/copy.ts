/**
 * Strided copy kernels and value coercion: how data moves between chunk buffers, outputs and
 * user-supplied write values.
 *
 * All containers are flat: typed arrays (complex values interleaved, two slots per element),
 * `string[]` or `Uint8Array[]`. A region of an n-d container is described per axis by a
 * {@link DimRange} `{ start, step, count }` in element coordinates of a C-ordered shape.
 *
 * Conventions the callers rely on:
 * - **Dropped axes.** {@link copyRegion} takes source and destination ranges of the same rank.
 *   When an integer index drops an axis from the output, view the output with an extent-1 axis
 *   in its place (C-order memory is unchanged by inserting extent-1 axes) and use the range
 *   `{ start: 0, step: 1, count: 1 }` there. `BasicIndexer.keepDimsShape` is that shape.
 * - **Broadcasting.** A source range with `step: 0` repeats one element `count` times.
 *   {@link planBroadcast} validates numpy broadcasting of a write value and rewrites selection
 *   ranges into such source ranges.
 *
 * @example
 * ```ts
 * import { copyRegion } from "./copy.ts";
 * const chunk = Float32Array.from([0, 1, 2, 3, 4, 5]); // shape [2, 3]
 * const out = new Float32Array(2);
 * // out[:] = chunk[1, ::2]  (axis 0 dropped: out viewed as shape [1, 2])
 * copyRegion(chunk, [2, 3], [{ start: 1, step: 1, count: 1 }, { start: 0, step: 2, count: 2 }],
 *   out, [1, 2], [{ start: 0, step: 1, count: 1 }, { start: 0, step: 1, count: 2 }]);
 * console.log(out); // Float32Array [3, 5]
 * ```
 * @module
 */
import { ZarrTypeError, ZarrValueError } from "../errors.ts";
import {
  allocate,
  type DataContainer,
  type DataType,
  type DatetimeUnit,
  parseDataType,
  type Scalar,
  slotsPerElement,
  type TypedArray,
  typedArrayConstructor,
} from "../metadata/dtype.ts";
import { cStrides, isNDArray, type NDArray, product } from "./ndarray.ts";

/** A strided range along one axis: elements `start, start + step, ...` (`count` of them). */
export interface DimRange {
  /** First element index. */
  start: number;
  /** Distance between elements; negative walks backwards; 0 repeats (source side only). */
  step: number;
  /** Number of elements. */
  count: number;
}

/** What a container stores for one element slot. */
export type ContainerValue = number | bigint | string | Uint8Array;

// Below this many slots a plain loop beats `subarray` + `set` (which allocate a view).
const SET_THRESHOLD = 24;

// deno-lint-ignore no-explicit-any
type AnyContainer = any;

function isTyped(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/**
 * Drops extent-1 axes and merges neighbouring axes that are contiguous on both sides.
 * Returns `null` when some count is 0 (nothing to do).
 */
function mergeAxes(
  counts: readonly number[],
  sStr: readonly number[],
  dStr: readonly number[],
): { c: number[]; s: number[]; d: number[] } | null {
  const c: number[] = [];
  const s: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (n === 0) return null;
    if (n === 1) continue;
    c.push(n);
    s.push(sStr[i]);
    d.push(dStr[i]);
  }
  // Merge from the inside out: axis i folds into axis i+1 when contiguous on both sides.
  for (let i = c.length - 2; i >= 0; i--) {
    if (s[i] === s[i + 1] * c[i + 1] && d[i] === d[i + 1] * c[i + 1]) {
      c[i + 1] *= c[i];
      c.splice(i, 1);
      s.splice(i, 1);
      d.splice(i, 1);
    }
  }
  return { c, s, d };
}

function extentCheck(
  what: string,
  length: number,
  off: number,
  strides: readonly number[],
  counts: readonly number[],
): void {
  let lo = off;
  let hi = off;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) return;
    const span = (counts[i] - 1) * strides[i];
    if (span < 0) lo += span;
    else hi += span;
  }
  if (lo < 0 || hi >= length || !Number.isInteger(lo) || !Number.isInteger(hi)) {
    throw new ZarrValueError(
      `${what} region [${lo}, ${hi}] out of bounds for a container of ${length} slots`,
    );
  }
}

/**
 * Copies a strided n-d block: `dst[dstOffset + Σ i_k·dstStrides[k]] = src[srcOffset +
 * Σ i_k·srcStrides[k]]` for every index vector `i` below `counts`. Offsets and strides count
 * elements; `slots` is the number of container slots per element (2 for complex). Source strides
 * may be 0 (broadcast) or negative; extents are bounds-checked against the containers.
 *
 * Both containers must hold the same kind of values (typed arrays of the same content type, or
 * both JS arrays); typed arrays of different numeric types are converted by `TypedArray.set`.
 * Object containers copy references.
 *
 * @example
 * ```ts
 * import { copyStrided } from "./copy.ts";
 * const src = Int32Array.from([1, 2, 3, 4]); // 2x2
 * const dst = new Int32Array(4);
 * copyStrided(src, 0, [1, 2], dst, 0, [2, 1], [2, 2]); // transpose
 * console.log(dst); // Int32Array [1, 3, 2, 4]
 * ```
 */
export function copyStrided(
  src: DataContainer,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: DataContainer,
  dstOffset: number,
  dstStrides: readonly number[],
  counts: readonly number[],
  slots = 1,
): void {
  const r = counts.length;
  if (srcStrides.length !== r || dstStrides.length !== r) {
    throw new ZarrValueError("copyStrided: strides and counts must have the same length");
  }
  const cs = counts.slice();
  const ss = srcStrides.map((x) => x * slots);
  const ds = dstStrides.map((x) => x * slots);
  if (slots !== 1) {
    cs.push(slots);
    ss.push(1);
    ds.push(1);
  }
  const so = srcOffset * slots;
  const dO = dstOffset * slots;
  extentCheck("source", src.length, so, ss, cs);
  extentCheck("destination", dst.length, dO, ds, cs);
  const m = mergeAxes(cs, ss, ds);
  if (m === null) return;
  kernel(src, so, dst, dO, m.c, m.s, m.d);
}

/** The copy loop, over merged axes (all counts > 1). */
function kernel(
  src: AnyContainer,
  so: number,
  dst: AnyContainer,
  dO: number,
  c: number[],
  s: number[],
  d: number[],
): void {
  // float elements move as their bit patterns: a float32 load widens to a JS number and quiets a
  // signalling NaN, so strided and element-wise copies go through integer views of the same bytes
  if (src instanceof Float32Array && dst instanceof Float32Array) {
    src = new Uint32Array(src.buffer, src.byteOffset, src.length);
    dst = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  } else if (src instanceof Float16Array && dst instanceof Float16Array) {
    src = new Uint16Array(src.buffer, src.byteOffset, src.length);
    dst = new Uint16Array(dst.buffer, dst.byteOffset, dst.length);
  }
  const r = c.length;
  if (r === 0) {
    dst[dO] = src[so];
    return;
  }
  const n = c[r - 1];
  const sst = s[r - 1];
  const dst1 = d[r - 1];
  const typed = isTyped(src) && isTyped(dst);
  // Inner-loop mode: 0 = strided loop, 1 = run via set(subarray), 2 = fill, 3 = contiguous loop.
  let mode = 0;
  if (dst1 === 1 && sst === 1) mode = typed && n >= SET_THRESHOLD && src !== dst ? 1 : 3;
  else if (dst1 === 1 && sst === 0) mode = 2;
  if (r === 1) {
    runInner(src, so, dst, dO, n, sst, dst1, mode);
    return;
  }
  const outer = r - 1;
  const idx = new Array<number>(outer).fill(0);
  let sp = so;
  let dp = dO;
  for (;;) {
    runInner(src, sp, dst, dp, n, sst, dst1, mode);
    let ax = outer - 1;
    for (; ax >= 0; ax--) {
      sp += s[ax];
      dp += d[ax];
      if (++idx[ax] < c[ax]) break;
      sp -= s[ax] * c[ax];
      dp -= d[ax] * c[ax];
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}

/**
 * Prepares a reusable copier for one strided n-d block: the returned function copies `counts`
 * elements from `src` at element offset `srcOffset` (strides `srcStrides`) to `dst` at
 * `dstOffset` (strides `dstStrides`), like {@link copyStrided}, but with the axis merging done
 * once. It does **no** bounds checks: the caller validates the extents. Index-list copies
 * (`gather.ts`) call it once per selected index of their outer axes.
 *
 * @example
 * ```ts
 * import { stridedBlockCopier } from "./copy.ts";
 * const src = Int32Array.from([1, 2, 3, 4, 5, 6]); // shape [2, 3]
 * const dst = new Int32Array(3);
 * const row = stridedBlockCopier([3], [1], [1]);
 * row(src, 3, dst, 0); // dst = src[1, :]
 * console.log(dst); // Int32Array [4, 5, 6]
 * ```
 */
export function stridedBlockCopier(
  counts: readonly number[],
  srcStrides: readonly number[],
  dstStrides: readonly number[],
  slots = 1,
): (src: DataContainer, srcOffset: number, dst: DataContainer, dstOffset: number) => void {
  const cs = counts.slice();
  const ss = srcStrides.map((x) => x * slots);
  const ds = dstStrides.map((x) => x * slots);
  if (slots !== 1) {
    cs.push(slots);
    ss.push(1);
    ds.push(1);
  }
  const m = mergeAxes(cs, ss, ds);
  if (m === null) return () => {};
  const { c, s, d } = m;
  return (src, so, dst, dO) => kernel(src, so * slots, dst, dO * slots, c, s, d);
}

function runInner(
  src: AnyContainer,
  sp: number,
  dst: AnyContainer,
  dp: number,
  n: number,
  sst: number,
  dst1: number,
  mode: number,
): void {
  switch (mode) {
    case 1:
      dst.set(src.subarray(sp, sp + n), dp);
      return;
    case 2:
      dst.fill(src[sp], dp, dp + n);
      return;
    case 3:
      for (let i = 0; i < n; i++) dst[dp + i] = src[sp + i];
      return;
    default:
      for (let i = 0; i < n; i++) {
        dst[dp] = src[sp];
        sp += sst;
        dp += dst1;
      }
  }
}

function regionOffsets(
  what: string,
  shape: readonly number[],
  sel: readonly DimRange[],
  allowZeroStep: boolean,
): { offset: number; strides: number[] } {
  if (sel.length !== shape.length) {
    throw new ZarrValueError(
      `${what} selection has ${sel.length} axes but its shape [${shape}] has ${shape.length}`,
    );
  }
  const st = cStrides(shape);
  let offset = 0;
  const strides = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const { start, step, count } = sel[i];
    if (!Number.isInteger(start) || !Number.isInteger(step) || !Number.isInteger(count)) {
      throw new ZarrValueError(`${what} range on axis ${i} is not integral`);
    }
    if (count < 0) throw new ZarrValueError(`${what} range on axis ${i} has a negative count`);
    if (step === 0 && !allowZeroStep && count > 1) {
      throw new ZarrValueError(`${what} range on axis ${i} has step 0`);
    }
    if (count > 0) {
      const last = start + (count - 1) * step;
      if (start < 0 || start >= shape[i] || last < 0 || last >= shape[i]) {
        throw new ZarrValueError(
          `${what} range {start: ${start}, step: ${step}, count: ${count}} on axis ${i} ` +
            `is out of bounds for length ${shape[i]}`,
        );
      }
    }
    offset += start * st[i];
    strides[i] = step * st[i];
  }
  return { offset, strides };
}

/**
 * Copies a strided region of a C-ordered n-d source into a strided region of a C-ordered n-d
 * destination. `srcSel` and `dstSel` have one {@link DimRange} per axis of `srcShape` /
 * `dstShape`; all four have the same length and the counts agree axis by axis. Express dropped
 * axes as extent-1 axes of the destination shape (range `{start: 0, step: 1, count: 1}`) and
 * broadcast source axes with `step: 0`.
 *
 * Contiguous trailing axes are collapsed into single runs, copied with `TypedArray.set`.
 *
 * @example
 * ```ts
 * import { copyRegion } from "./copy.ts";
 * const src = Uint8Array.from([1, 2, 3, 4, 5, 6]); // shape [2, 3]
 * const dst = new Uint8Array(3); // shape [3], viewed as [1, 3]
 * // dst[::-1] = src[1, :]
 * copyRegion(src, [2, 3], [{ start: 1, step: 1, count: 1 }, { start: 0, step: 1, count: 3 }],
 *   dst, [1, 3], [{ start: 0, step: 1, count: 1 }, { start: 2, step: -1, count: 3 }]);
 * console.log(dst); // Uint8Array [6, 5, 4]
 * ```
 */
export function copyRegion(
  src: DataContainer,
  srcShape: readonly number[],
  srcSel: readonly DimRange[],
  dst: DataContainer,
  dstShape: readonly number[],
  dstSel: readonly DimRange[],
  slots = 1,
): void {
  if (srcSel.length !== dstSel.length) {
    throw new ZarrValueError(
      `copyRegion: source has ${srcSel.length} axes but destination has ${dstSel.length}`,
    );
  }
  const counts = new Array<number>(srcSel.length);
  for (let i = 0; i < srcSel.length; i++) {
    if (srcSel[i].count !== dstSel[i].count) {
      throw new ZarrValueError(
        `copyRegion: counts differ on axis ${i} (${srcSel[i].count} vs ${dstSel[i].count})`,
      );
    }
    counts[i] = srcSel[i].count;
  }
  if (src.length < product(srcShape) * slots) {
    throw new ZarrValueError(
      `source container of ${src.length} slots is too short for shape [${srcShape}]`,
    );
  }
  if (dst.length < product(dstShape) * slots) {
    throw new ZarrValueError(
      `destination container of ${dst.length} slots is too short for shape [${dstShape}]`,
    );
  }
  const a = regionOffsets("source", srcShape, srcSel, true);
  const b = regionOffsets("destination", dstShape, dstSel, false);
  copyStrided(src, a.offset, a.strides, dst, b.offset, b.strides, counts, slots);
}

/**
 * Writes one value into a strided region of a C-ordered container. `value` is what the
 * container stores: a number, bigint, string or `Uint8Array`, or for `slots > 1` an array of
 * `slots` numbers (complex `[re, im]`).
 *
 * @example
 * ```ts
 * import { fillRegion } from "./copy.ts";
 * const out = new Float64Array(6); // [2, 3]
 * fillRegion(out, [2, 3], [{ start: 0, step: 1, count: 2 }, { start: 1, step: 1, count: 2 }], 7);
 * console.log(out); // Float64Array [0, 7, 7, 0, 7, 7]
 * ```
 */
export function fillRegion(
  dst: DataContainer,
  dstShape: readonly number[],
  dstSel: readonly DimRange[],
  value: ContainerValue | readonly number[],
  slots = 1,
): void {
  if (dst.length < product(dstShape) * slots) {
    throw new ZarrValueError(
      `destination container of ${dst.length} slots is too short for shape [${dstShape}]`,
    );
  }
  const { offset, strides } = regionOffsets("destination", dstShape, dstSel, false);
  const counts = dstSel.map((r) => r.count);
  const vals: readonly unknown[] = Array.isArray(value) ? value : [value];
  if (vals.length !== slots) {
    throw new ZarrValueError(`fill value needs ${slots} slot value(s), got ${vals.length}`);
  }
  extentCheck("destination", dst.length, offset * slots, strides.map((x) => x * slots), counts);
  const m = mergeAxes(counts, counts.map(() => 0), strides);
  if (m === null) return;
  const d = dst as AnyContainer;
  const typed = isTyped(dst);
  // One slot-value per slot; typed arrays need values of their content type.
  const v = vals.slice() as AnyContainer[];
  if (typed) {
    const probe = new (dst.constructor as new (n: number) => AnyContainer)(slots);
    const big = dst instanceof BigInt64Array || dst instanceof BigUint64Array;
    for (let k = 0; k < slots; k++) {
      const x = v[k];
      probe[k] = big
        ? (typeof x === "bigint" ? x : BigInt(Math.trunc(Number(x))))
        : (typeof x === "bigint" ? Number(x) : x);
    }
    for (let k = 0; k < slots; k++) v[k] = probe[k];
  }
  const r = m.c.length;
  const n = r === 0 ? 1 : m.c[r - 1];
  const step = r === 0 ? 1 : m.d[r - 1];
  const row = (dp: number) => {
    const p = dp * slots;
    if (slots === 1) {
      if (step === 1) d.fill(v[0], p, p + n);
      else for (let i = 0, q = p; i < n; i++, q += step) d[q] = v[0];
      return;
    }
    if (step === 1 && typed) {
      for (let k = 0; k < slots; k++) d[p + k] = v[k];
      // Double the written prefix until the run is full.
      const end = p + n * slots;
      let have = slots;
      while (p + have < end) {
        const take = Math.min(have, end - p - have);
        d.copyWithin(p + have, p, p + take);
        have += take;
      }
      return;
    }
    const ss = step * slots;
    for (let i = 0, q = p; i < n; i++, q += ss) {
      for (let k = 0; k < slots; k++) d[q + k] = v[k];
    }
  };
  if (r <= 1) {
    row(offset);
    return;
  }
  const outer = r - 1;
  const idx = new Array<number>(outer).fill(0);
  let dp = offset;
  for (;;) {
    row(dp);
    let ax = outer - 1;
    for (; ax >= 0; ax--) {
      dp += m.d[ax];
      if (++idx[ax] < m.c[ax]) break;
      dp -= m.d[ax] * m.c[ax];
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}

// ---------------------------------------------------------------------------------------------
// allEqual: the write_empty_chunks check

const scratch = new ArrayBuffer(16);
const scratchU8 = new Uint8Array(scratch);

/** Bytes of one element (all slots) of `data`'s type holding `vals`, in platform order. */
function elementPattern(data: TypedArray, vals: readonly (number | bigint)[]): Uint8Array {
  const C = data.constructor as new (b: ArrayBuffer, o: number, n: number) => AnyContainer;
  const view = new C(scratch, 0, vals.length);
  for (let k = 0; k < vals.length; k++) view[k] = vals[k];
  return scratchU8.slice(0, vals.length * data.BYTES_PER_ELEMENT);
}

const word64 = new Float64Array(1);
const word32 = new Uint32Array(word64.buffer);

/**
 * Fast path of {@link allBitsEqual}: when the pattern's 8-byte word, read as a float64, is
 * neither zero nor NaN, float64 equality is bit equality, and comparing 8 bytes per step runs
 * about twice as fast as 32-bit words. Returns `undefined` when it does not apply (zero or NaN
 * word, buffer not 8-byte aligned, or too short), else the answer.
 */
function float64WordsEqual(data: TypedArray, w0: number, w1: number): boolean | undefined {
  const off = data.byteOffset;
  const len = data.byteLength;
  if ((off & 7) !== 0 || len < 64) return undefined;
  word32[0] = w0;
  word32[1] = w1;
  const d = word64[0];
  if (d !== d || d === 0) return undefined;
  const n = len >>> 3;
  const f = new Float64Array(data.buffer, off, n);
  for (let i = 0; i < n; i++) if (f[i] !== d) return false;
  // the tail (under 8 bytes) holds whole elements of at most 4 bytes: words w0 then bytes
  const tail = len - 8 * n;
  if (tail === 0) return true;
  const t = new Uint8Array(data.buffer, off + 8 * n, tail);
  const p = new Uint8Array(word32.buffer, 0, 8);
  for (let i = 0; i < tail; i++) if (t[i] !== p[i]) return false;
  return true;
}

/** Every element's bytes equal `pattern` (1, 2, 4, 8 or 16 bytes). */
function allBitsEqual(data: TypedArray, pattern: Uint8Array): boolean {
  const eb = pattern.length;
  const buf = data.buffer;
  const off = data.byteOffset;
  const len = data.byteLength;
  if (len === 0) return true;
  if (eb <= 4) {
    const rep = new Uint8Array(4);
    for (let i = 0; i < 4; i++) rep[i] = pattern[i % eb];
    const w = new Uint32Array(rep.buffer)[0];
    const end = off + len;
    let a = Math.ceil(off / 4) * 4;
    if (a > end) a = end;
    const b = Math.max(a, Math.floor(end / 4) * 4);
    const u8 = new Uint8Array(buf, off, len);
    // Head and tail bytes: phase relative to `off`, which is element-aligned.
    for (let p = off; p < a; p++) if (u8[p - off] !== pattern[(p - off) % eb]) return false;
    for (let p = b; p < end; p++) if (u8[p - off] !== pattern[(p - off) % eb]) return false;
    const nw = (b - a) / 4;
    if (nw === 0) return true;
    if (a === off) {
      const fast = float64WordsEqual(data, w, w);
      if (fast !== undefined) return fast;
    }
    const u32 = new Uint32Array(buf, a, nw);
    for (let i = 0; i < nw; i++) if (u32[i] !== w) return false;
    return true;
  }
  // 8 or 16 byte elements: their arrays are 4-byte aligned.
  const u32 = new Uint32Array(buf, off, len / 4);
  const pw = new Uint32Array(pattern.buffer, pattern.byteOffset, eb / 4);
  const n = u32.length;
  if (eb === 8) {
    const w0 = pw[0];
    const w1 = pw[1];
    const fast = float64WordsEqual(data, w0, w1);
    if (fast !== undefined) return fast;
    for (let i = 0; i < n; i += 2) if (u32[i] !== w0 || u32[i + 1] !== w1) return false;
    return true;
  }
  const w0 = pw[0];
  const w1 = pw[1];
  const w2 = pw[2];
  const w3 = pw[3];
  for (let i = 0; i < n; i += 4) {
    if (u32[i] !== w0 || u32[i + 1] !== w1 || u32[i + 2] !== w2 || u32[i + 3] !== w3) {
      return false;
    }
  }
  return true;
}

function allNaN(data: TypedArray): boolean {
  if (data instanceof Float64Array || data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) if (data[i] === data[i]) return false;
    return true;
  }
  if (data instanceof Float16Array) {
    const u = new Uint16Array(data.buffer, data.byteOffset, data.length);
    for (let i = 0; i < u.length; i++) if ((u[i] & 0x7fff) <= 0x7c00) return false;
    return true;
  }
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array, ignoreTrailingNul: boolean): boolean {
  let la = a.length;
  let lb = b.length;
  if (ignoreTrailingNul) {
    while (la > 0 && a[la - 1] === 0) la--;
    while (lb > 0 && b[lb - 1] === 0) lb--;
  }
  if (la !== lb) return false;
  for (let i = 0; i < la; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * True when every element of `data` equals `value` — the `write_empty_chunks=false` check.
 *
 * Numeric types compare bit patterns through integer views (so `-0.0` differs from `+0.0`,
 * as in zarr-python), except that a NaN fill means "every element is NaN" (any payload). For
 * complex, a fill with a NaN part means every element has a NaN part (numpy's `equal_nan`).
 * Strings compare with `===`, byte strings by content (`S` ignoring trailing NULs). A
 * `null`/`undefined` value is never equal.
 *
 * @example
 * ```ts
 * import { allEqual } from "./copy.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const f4 = parseDataType("float32");
 * console.log(allEqual(f4, new Float32Array(4), 0)); // true
 * console.log(allEqual(f4, Float32Array.of(-0), 0)); // false
 * console.log(allEqual(f4, Float32Array.of(NaN, NaN), NaN)); // true
 * ```
 */
export function allEqual(dt: DataType, data: DataContainer, value: Scalar): boolean {
  if (value === null || value === undefined) return false;
  if (!isTyped(data)) {
    const arr = data as (string | Uint8Array)[];
    if (typeof value === "string") {
      for (let i = 0; i < arr.length; i++) if (arr[i] !== value) return false;
      return true;
    }
    if (value instanceof Uint8Array) {
      const trail = dt.kind === "S";
      for (let i = 0; i < arr.length; i++) {
        const x = arr[i];
        if (!(x instanceof Uint8Array) || !bytesEqual(x, value, trail)) return false;
      }
      return true;
    }
    return false;
  }
  if (dt.kind === "complex") {
    if (!Array.isArray(value) || value.length !== 2) return false;
    const re = Number(value[0]);
    const im = Number(value[1]);
    if (Number.isNaN(re) || Number.isNaN(im)) {
      const d = data as Float32Array | Float64Array;
      for (let i = 0; i < d.length; i += 2) {
        if (d[i] === d[i] && d[i + 1] === d[i + 1]) return false;
      }
      return true;
    }
    return allBitsEqual(data, elementPattern(data, [re, im]));
  }
  if (dt.kind === "float" && typeof value === "number" && Number.isNaN(value)) {
    return allNaN(data);
  }
  let v: number | bigint;
  try {
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      if (typeof value === "bigint") v = value;
      else if (typeof value === "boolean") v = value ? 1n : 0n;
      else if (typeof value === "number" && Number.isInteger(value)) v = BigInt(value);
      else return false;
    } else {
      if (typeof value === "bigint") v = Number(value);
      else if (typeof value === "boolean") v = value ? 1 : 0;
      else if (typeof value === "number") v = value;
      else return false;
      if (dt.kind !== "float" && !Number.isInteger(v)) return false;
    }
  } catch {
    return false;
  }
  const pattern = elementPattern(data, [v]);
  // A fill the integer type cannot represent (255 for int8) equals nothing.
  if (dt.kind !== "float") {
    const C = data.constructor as new (b: ArrayBufferLike, o: number, n: number) => AnyContainer;
    if (new C(pattern.buffer, 0, 1)[0] !== v) return false;
  }
  return allBitsEqual(data, pattern);
}

// ---------------------------------------------------------------------------------------------
// Conversions

type Repr = "number" | "bigint" | "complex" | "string" | "bytes";

function reprOf(dt: DataType): Repr {
  if (dt.kind === "complex") return "complex";
  const C = typedArrayConstructor(dt);
  if (C === BigInt64Array || C === BigUint64Array) return "bigint";
  if (C) return "number";
  if (dt.kind === "string" || dt.kind === "U") return "string";
  return "bytes";
}

const UNIT_NS: Partial<Record<DatetimeUnit, bigint>> = {
  W: 7n * 86400n * 10n ** 9n,
  D: 86400n * 10n ** 9n,
  h: 3600n * 10n ** 9n,
  m: 60n * 10n ** 9n,
  s: 10n ** 9n,
  ms: 10n ** 6n,
  us: 10n ** 3n,
  ns: 1n,
};
// Attoseconds per unit, for sub-nanosecond units.
function unitAs(unit: DatetimeUnit, sf: number): bigint | undefined {
  const sub: Partial<Record<DatetimeUnit, bigint>> = { ps: 10n ** 6n, fs: 10n ** 3n, as: 1n };
  const ns = UNIT_NS[unit];
  const v = ns !== undefined ? ns * 10n ** 9n : sub[unit];
  return v === undefined ? undefined : v * BigInt(sf);
}

const NAT = -(2n ** 63n);

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function convertDatetime(values: BigInt64Array, from: DataType, to: DataType): BigInt64Array {
  const a = unitAs(from.unit!, from.scaleFactor ?? 1);
  const b = unitAs(to.unit!, to.scaleFactor ?? 1);
  if (a === undefined || b === undefined) {
    throw new ZarrTypeError(`cannot convert ${from.str} values to ${to.str}`);
  }
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    out[i] = x === NAT ? NAT : a === b ? x : floorDiv(x * a, b);
  }
  return out;
}

const encoder = new TextEncoder();

function fitBytes(b: Uint8Array, dt: DataType): Uint8Array {
  if (dt.kind === "S" && b.length > dt.length!) return b.slice(0, dt.length);
  if (dt.kind === "V" && b.length !== dt.length) {
    const out = new Uint8Array(dt.length!);
    out.set(b.subarray(0, dt.length));
    return out;
  }
  return b;
}

function fitString(s: string, dt: DataType): string {
  if (dt.kind === "U" && s.length > dt.length!) {
    const cps = [...s];
    if (cps.length > dt.length!) return cps.slice(0, dt.length).join("");
  }
  return s;
}

/**
 * Converts a flat container of `from` values into a container of `to` values (numpy `astype`
 * with unsafe casting): float to int truncates and wraps, anything to bool is `x != 0`, numbers
 * become bigint for 64-bit types, complex to real keeps the real part, real to complex gets a 0
 * imaginary part, datetimes are rescaled between linear units (NaT kept). Strings and byte
 * strings convert only among themselves (`U`/`S` truncate to their length, `V` pads).
 * May return `values` itself when no conversion is needed.
 *
 * @example
 * ```ts
 * import { convertContainer } from "./copy.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const out = convertContainer(Float64Array.of(1.7, -2.5), parseDataType("float64"),
 *   parseDataType("int64"));
 * console.log(out); // BigInt64Array [1n, -2n]
 * ```
 */
export function convertContainer(
  values: DataContainer,
  from: DataType,
  to: DataType,
): DataContainer {
  const rf = reprOf(from);
  const rt = reprOf(to);
  if (from.str === to.str) return values;
  if (rt === "string" || rt === "bytes" || rf === "string" || rf === "bytes") {
    if (rf === "string" && rt === "string") {
      if (to.kind !== "U") return values;
      return (values as string[]).map((s) => fitString(s, to));
    }
    if (rt === "bytes" && (rf === "bytes" || rf === "string")) {
      return (values as (string | Uint8Array)[]).map((x) =>
        fitBytes(typeof x === "string" ? encoder.encode(x) : x, to)
      );
    }
    throw new ZarrTypeError(`cannot convert ${from.str} values to ${to.str}`);
  }
  const n = values.length / slotsPerElement(from);
  const out = allocate(to, n) as AnyContainer;
  let src = values as AnyContainer;
  if (rf === "complex" && rt !== "complex") {
    const re = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = src[2 * i];
    src = re;
  }
  const srcBig = src instanceof BigInt64Array || src instanceof BigUint64Array;
  if (to.kind === "bool") {
    if (srcBig) { for (let i = 0; i < n; i++) out[i] = src[i] !== 0n ? 1 : 0; }
    else for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  if (rt === "complex") {
    if (rf === "complex") {
      out.set(src);
      return out;
    }
    for (let i = 0; i < n; i++) out[2 * i] = Number(src[i]);
    return out;
  }
  if (rt === "bigint") {
    if (
      (from.kind === "datetime" || from.kind === "timedelta") &&
      (to.kind === "datetime" || to.kind === "timedelta")
    ) {
      return convertDatetime(src, from, to);
    }
    if (srcBig) {
      out.set(src);
      return out;
    }
    const lo = to.kind === "uint" ? 2n ** 63n : NAT;
    for (let i = 0; i < n; i++) {
      const x = src[i];
      out[i] = Number.isFinite(x) ? BigInt(Math.trunc(x)) : lo;
    }
    return out;
  }
  // number target
  if (srcBig) {
    if (to.kind === "float") { for (let i = 0; i < n; i++) out[i] = Number(src[i]); }
    else for (let i = 0; i < n; i++) out[i] = Number(BigInt.asUintN(32, src[i]));
    return out;
  }
  out.set(src);
  return out;
}

// ---------------------------------------------------------------------------------------------
// User values -> containers

function isSequence(x: unknown, dt: DataType, bytesKind: boolean): boolean {
  if (Array.isArray(x)) {
    if (
      dt.kind === "complex" && x.length === 2 && typeof x[0] === "number" &&
      typeof x[1] === "number"
    ) {
      return false; // a [re, im] pair
    }
    return true;
  }
  if (isTyped(x)) return !(bytesKind && x instanceof Uint8Array);
  return false;
}

function typeName(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  if (isTyped(x)) return x.constructor.name;
  return typeof x;
}

const INT_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};
const BIG_RANGES: Record<string, [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

function toNumber(x: unknown, dt: DataType): number {
  if (typeof x === "number") return x;
  if (typeof x === "bigint") return Number(x);
  if (typeof x === "boolean") return x ? 1 : 0;
  if (typeof x === "string") {
    const t = x.trim().toLowerCase();
    if (t === "nan") return NaN;
    if (t === "inf" || t === "infinity" || t === "+inf") return Infinity;
    if (t === "-inf" || t === "-infinity") return -Infinity;
    const v = t === "" ? NaN : Number(t);
    if (!Number.isNaN(v)) return v;
    throw new ZarrValueError(`could not convert string to ${dt.str}: '${x}'`);
  }
  throw new ZarrTypeError(`cannot convert a value of type ${typeName(x)} to ${dt.str}`);
}

function toInteger(x: unknown, dt: DataType): bigint {
  if (typeof x === "bigint") return x;
  const v = toNumber(x, dt);
  if (!Number.isFinite(v)) throw new ZarrValueError(`cannot convert float ${v} to integer`);
  return BigInt(Math.trunc(v));
}

/** A per-element writer for one data type (used for scalars and nested JS arrays). */
function elementWriter(dt: DataType): (out: AnyContainer, i: number, x: unknown) => void {
  switch (dt.kind) {
    case "bool":
      return (out, i, x) => {
        out[i] = typeof x === "string" ? (x.length > 0 ? 1 : 0) : x ? 1 : 0;
      };
    case "int":
    case "uint": {
      if (dt.itemsize === 8) {
        const [lo, hi] = BIG_RANGES[dt.name];
        return (out, i, x) => {
          const v = toInteger(x, dt);
          if (v < lo || v > hi) {
            throw new ZarrValueError(`Python integer ${v} out of bounds for ${dt.str}`);
          }
          out[i] = v;
        };
      }
      const [lo, hi] = INT_RANGES[dt.name];
      return (out, i, x) => {
        const v = toInteger(x, dt);
        if (v < lo || v > hi) {
          throw new ZarrValueError(`Python integer ${v} out of bounds for ${dt.str}`);
        }
        out[i] = Number(v);
      };
    }
    case "datetime":
    case "timedelta":
      return (out, i, x) => {
        out[i] = typeof x === "string" && x.trim().toUpperCase() === "NAT"
          ? NAT
          : BigInt.asIntN(64, toInteger(x, dt));
      };
    case "float":
      return (out, i, x) => {
        out[i] = toNumber(x, dt);
      };
    case "complex":
      return (out, i, x) => {
        if (Array.isArray(x)) {
          out[2 * i] = toNumber(x[0], dt);
          out[2 * i + 1] = toNumber(x[1], dt);
        } else {
          out[2 * i] = toNumber(x, dt);
          out[2 * i + 1] = 0;
        }
      };
    case "string":
    case "U":
      return (out, i, x) => {
        if (x instanceof Uint8Array || typeof x === "object" || x === undefined) {
          throw new ZarrTypeError(`cannot convert a value of type ${typeName(x)} to ${dt.str}`);
        }
        out[i] = fitString(String(x), dt);
      };
    default:
      return (out, i, x) => {
        if (typeof x === "string") out[i] = fitBytes(encoder.encode(x), dt);
        else if (x instanceof Uint8Array) out[i] = fitBytes(x, dt);
        else throw new ZarrTypeError(`cannot convert a value of type ${typeName(x)} to ${dt.str}`);
      };
  }
}

function fmtShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(",")})`;
}

/**
 * Converts a user write value into a flat C-ordered container of `dt` values and its shape:
 * - an {@link NDArray} (any non-negative strides; converted from its dtype),
 * - a typed array (flat, shape `[length]`; interleaved `[re, im, ...]` for complex dtypes),
 * - nested JS arrays (shape inferred; ragged input raises `ZarrValueError`),
 * - a scalar (shape `[]`): number, bigint, boolean, string, `Uint8Array` for bytes kinds, or
 *   `[re, im]` for complex.
 *
 * For complex dtypes an innermost JS array of exactly two numbers is one `[re, im]` value, so
 * `[1, 2]` is the scalar `1+2j`; write two reals as `[[1, 0], [2, 0]]` or as a typed array.
 * Integers out of the dtype's range raise `ZarrValueError` (numpy 2); floats written to
 * integer types are truncated. The result may share memory with the input.
 *
 * @example
 * ```ts
 * import { toContainer } from "./copy.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const { data, shape } = toContainer([[1, 2], [3, 4]], parseDataType("int64"));
 * console.log(shape, data); // [2, 2] BigInt64Array [1n, 2n, 3n, 4n]
 * ```
 */
export function toContainer(
  value: unknown,
  dt: DataType,
): { data: DataContainer; shape: number[] } {
  const slots = slotsPerElement(dt);
  const bytesKind = dt.kind === "vbytes" || dt.kind === "S" || dt.kind === "V";
  if (isNDArray(value)) return fromNDArray(value, dt);
  if (value === null || value === undefined) {
    throw new ZarrTypeError(`cannot write ${value} into an array of ${dt.str}`);
  }
  if (isTyped(value) && !(bytesKind && value instanceof Uint8Array)) {
    let from: DataType;
    const raw = value as unknown;
    if (raw instanceof Uint8ClampedArray) {
      from = parseDataType("uint8");
      value = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    } else from = inferTyped(value as TypedArray);
    if (dt.kind === "complex" && (value instanceof Float32Array || value instanceof Float64Array)) {
      const arr = value as Float32Array | Float64Array;
      if (arr.length % 2 !== 0) {
        throw new ZarrValueError(
          `a typed array of interleaved complex values needs an even length, got ${arr.length}`,
        );
      }
      from = parseDataType(arr instanceof Float32Array ? "complex64" : "complex128");
    }
    const data = convertContainer(value as TypedArray, from, dt);
    return { data, shape: [data.length / slots] };
  }
  const write = elementWriter(dt);
  if (!isSequence(value, dt, bytesKind)) {
    const out = allocate(dt, 1);
    write(out, 0, value);
    return { data: out, shape: [] };
  }
  // Infer the shape from the first element at each depth.
  const shape: number[] = [];
  let node: unknown = value;
  while (isSequence(node, dt, bytesKind)) {
    const seq = node as ArrayLike<unknown>;
    shape.push(seq.length);
    if (seq.length === 0) break;
    node = seq[0];
  }
  const n = product(shape);
  const out = allocate(dt, n) as AnyContainer;
  let pos = 0;
  const depth = shape.length;
  const ragged = (d: number): never => {
    throw new ZarrValueError(
      `setting an array element with a sequence. The requested array has an inhomogeneous ` +
        `shape after ${d} dimensions. The detected shape was ${
          fmtShape(shape.slice(0, d))
        } + inhomogeneous part.`,
    );
  };
  const walk = (x: unknown, d: number): void => {
    if (d === depth) {
      if (isSequence(x, dt, bytesKind)) ragged(d);
      write(out, pos++, x);
      return;
    }
    if (!isSequence(x, dt, bytesKind)) ragged(d);
    const seq = x as ArrayLike<unknown>;
    if (seq.length !== shape[d]) ragged(d);
    for (let i = 0; i < seq.length; i++) walk(seq[i], d + 1);
  };
  walk(value, 0);
  return { data: out, shape };
}

function inferTyped(x: TypedArray): DataType {
  const name = x instanceof Int8Array
    ? "int8"
    : x instanceof Uint8Array
    ? "uint8"
    : x instanceof Int16Array
    ? "int16"
    : x instanceof Uint16Array
    ? "uint16"
    : x instanceof Int32Array
    ? "int32"
    : x instanceof Uint32Array
    ? "uint32"
    : x instanceof BigInt64Array
    ? "int64"
    : x instanceof BigUint64Array
    ? "uint64"
    : x instanceof Float16Array
    ? "float16"
    : x instanceof Float32Array
    ? "float32"
    : x instanceof Float64Array
    ? "float64"
    : undefined;
  if (!name) throw new ZarrTypeError(`unsupported typed array ${x.constructor.name}`);
  return parseDataType(name);
}

function fromNDArray(a: NDArray, dt: DataType): { data: DataContainer; shape: number[] } {
  const from = parseDataType(a.dtype);
  const slots = slotsPerElement(from);
  const shape = [...a.shape];
  const n = product(shape);
  if (a.stride.length !== shape.length) {
    throw new ZarrValueError(`NDArray stride [${a.stride}] does not match shape [${shape}]`);
  }
  let data = a.data;
  const c = cStrides(shape);
  let contiguous = true;
  for (let i = 0; i < shape.length; i++) {
    if (a.stride[i] < 0) throw new ZarrValueError("NDArray strides must be non-negative");
    if (shape[i] > 1 && a.stride[i] !== c[i]) contiguous = false;
  }
  if (!contiguous && n > 0) {
    const out = allocate(from, n);
    copyStrided(a.data, 0, a.stride, out, 0, c, shape, slots);
    data = out;
  } else if (data.length < n * slots) {
    throw new ZarrValueError(`NDArray data of length ${data.length} is too short for [${shape}]`);
  } else if (data.length > n * slots) {
    data = isTyped(data) ? data.subarray(0, n * slots) : data.slice(0, n);
  }
  return { data: convertContainer(data, from, dt), shape };
}

// ---------------------------------------------------------------------------------------------
// Broadcasting

/** How a write value maps onto a selection: see {@link planBroadcast}. */
export interface BroadcastPlan {
  /** The value's shape at the full rank (extent-1 axes inserted / prepended). */
  shape: number[];
  /** Source ranges into the value for destination-side ranges `sel` (full rank). */
  ranges(sel: readonly DimRange[]): DimRange[];
}

/**
 * Validates numpy broadcasting of a value of shape `valueShape` into a selection of shape
 * `targetShape` (value axes right-aligned; extent-1 axes broadcast; extra leading extent-1
 * value axes are dropped) and plans the copy. `dropAxes` lists the positions of the full-rank
 * axes that the selection drops (integer indices): they become extent-1 axes of `plan.shape`.
 * `plan.ranges(outSelection)` turns a projection's output ranges into ranges into the value
 * (broadcast axes get `step: 0`), ready for {@link copyRegion} with `plan.shape`.
 *
 * @example
 * ```ts
 * import { planBroadcast } from "./copy.ts";
 * const plan = planBroadcast([3], [2, 3]);
 * console.log(plan.shape); // [1, 3]
 * console.log(plan.ranges([{ start: 1, step: 1, count: 1 }, { start: 0, step: 1, count: 3 }]));
 * // [{ start: 0, step: 0, count: 1 }, { start: 0, step: 1, count: 3 }]
 * ```
 */
export function planBroadcast(
  valueShape: readonly number[],
  targetShape: readonly number[],
  dropAxes: readonly number[] = [],
): BroadcastPlan {
  let vs = [...valueShape];
  const fail = (): never => {
    throw new ZarrValueError(
      `could not broadcast input array from shape ${fmtShape(valueShape)} into shape ${
        fmtShape(targetShape)
      }`,
    );
  };
  while (vs.length > targetShape.length && vs[0] === 1) vs = vs.slice(1);
  if (vs.length > targetShape.length) fail();
  const aligned = new Array<number>(targetShape.length - vs.length).fill(1).concat(vs);
  for (let i = 0; i < aligned.length; i++) {
    if (aligned[i] !== targetShape[i] && aligned[i] !== 1) fail();
  }
  const full: number[] = [];
  const rank = targetShape.length + dropAxes.length;
  const dropped = new Set(dropAxes);
  for (let i = 0, j = 0; i < rank; i++) full.push(dropped.has(i) ? 1 : aligned[j++]);
  return {
    shape: full,
    ranges(sel: readonly DimRange[]): DimRange[] {
      if (sel.length !== full.length) {
        throw new ZarrValueError(
          `broadcast: selection has ${sel.length} axes, expected ${full.length}`,
        );
      }
      return sel.map((r, i) => full[i] === 1 ? { start: 0, step: 0, count: r.count } : { ...r });
    },
  };
}

/**
 * Checks numpy broadcasting of `valueShape` into `targetShape` and throws the numpy error when
 * it is impossible.
 *
 * @example
 * ```ts
 * import { checkBroadcast } from "./copy.ts";
 * checkBroadcast([1, 3], [4, 3]); // ok
 * // checkBroadcast([2], [3]) throws "could not broadcast input array from shape (2,) into shape (3,)"
 * ```
 */
export function checkBroadcast(
  valueShape: readonly number[],
  targetShape: readonly number[],
): void {
  planBroadcast(valueShape, targetShape);
}
