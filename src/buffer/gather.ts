/**
 * Index-list copy kernels: the gathers and scatters behind orthogonal (`oindex`), coordinate
 * (`vindex`) and mask selections.
 *
 * Two shapes of selection are supported, both over flat C-ordered containers (complex values
 * interleaved, `slots` container slots per element, as in `copy.ts`):
 *
 * - **Orthogonal** (outer product): one {@link AxisSelection} per axis, either a strided
 *   {@link DimRange} or an explicit {@link IndexList}. {@link copyOrthogonal} walks the axes up to
 *   the last index-list axis element by element and copies the trailing range axes as whole
 *   strided blocks (contiguous runs through `TypedArray.set`), so slice axes keep the fast path
 *   of `copyRegion`. With no index lists at all it *is* `copyRegion`.
 * - **Points**: `K` points given by one chunk-local coordinate list per axis, paired with `K`
 *   flat positions on the other side ({@link gatherPoints}, {@link scatterPoints}).
 *
 * Every kernel takes an optional `origin` for the chunk side: the container then holds only the
 * box `[origin, origin + shape)` of the chunk, and selections (in whole-chunk coordinates) are
 * translated by `-origin`. This lets a partial (sharded) decoder hand over just the sub-box it
 * decoded. Extents are validated before any copy; a selection outside its container raises
 * `ZarrValueError`.
 *
 * Lists are processed in order, so when a destination element is selected more than once the
 * last write wins (numpy's rule for repeated indices in assignments).
 *
 * @example
 * ```ts
 * import { copyOrthogonal } from "./gather.ts";
 * const src = Int32Array.from({ length: 12 }, (_, i) => i); // shape [3, 4]
 * const dst = new Int32Array(4); // shape [2, 2]
 * // dst = src[[2, 0]][:, 1:3]
 * copyOrthogonal(src, [3, 4], [Uint32Array.of(2, 0), { start: 1, step: 1, count: 2 }],
 *   dst, [2, 2], [{ start: 0, step: 1, count: 2 }, { start: 0, step: 1, count: 2 }]);
 * console.log(dst); // Int32Array [9, 10, 1, 2]
 * ```
 * @module
 */
import { ZarrValueError } from "../errors.ts";
import type { DataContainer } from "../metadata/dtype.ts";
import {
  type ContainerValue,
  copyRegion,
  type DimRange,
  fillRegion,
  stridedBlockCopier,
} from "./copy.ts";
import { cStrides, product } from "./ndarray.ts";

/** Explicit element indices along one axis (chunk-local, or output positions). */
export type IndexList = Uint32Array;

/** The elements selected along one axis: a strided range or an explicit index list. */
export type AxisSelection = DimRange | IndexList;

// deno-lint-ignore no-explicit-any
type AnyContainer = any;

/**
 * True when an axis selection is an explicit {@link IndexList} (not a {@link DimRange}).
 *
 * @example
 * ```ts
 * import { isIndexList } from "./gather.ts";
 * console.log(isIndexList(Uint32Array.of(1, 2)), isIndexList({ start: 0, step: 1, count: 2 })); // true false
 * ```
 */
export function isIndexList(s: AxisSelection): s is IndexList {
  return s instanceof Uint32Array;
}

/**
 * Number of elements an axis selection selects.
 *
 * @example
 * ```ts
 * import { axisCount } from "./gather.ts";
 * console.log(axisCount(Uint32Array.of(4, 4, 1)), axisCount({ start: 3, step: -1, count: 2 })); // 3 2
 * ```
 */
export function axisCount(s: AxisSelection): number {
  return isIndexList(s) ? s.length : s.count;
}

/**
 * Lowest and highest index an axis selection touches (`[0, -1]` when it selects nothing).
 *
 * @example
 * ```ts
 * import { axisExtent } from "./gather.ts";
 * console.log(axisExtent(Uint32Array.of(5, 2, 9))); // [2, 9]
 * console.log(axisExtent({ start: 6, step: -2, count: 3 })); // [2, 6]
 * ```
 */
export function axisExtent(s: AxisSelection): [number, number] {
  if (isIndexList(s)) {
    if (s.length === 0) return [0, -1];
    let lo = s[0];
    let hi = s[0];
    for (let i = 1; i < s.length; i++) {
      const v = s[i];
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    return [lo, hi];
  }
  if (s.count === 0) return [0, -1];
  const last = s.start + (s.count - 1) * s.step;
  return [Math.min(s.start, last), Math.max(s.start, last)];
}

/**
 * An index list as a {@link DimRange} when it is an arithmetic sequence (one element, or a
 * constant non-zero step), otherwise the list itself. Ranges take the whole-run copy path.
 *
 * @example
 * ```ts
 * import { compactAxis } from "./gather.ts";
 * console.log(compactAxis(Uint32Array.of(3, 4, 5))); // { start: 3, step: 1, count: 3 }
 * console.log(compactAxis(Uint32Array.of(3, 3))); // Uint32Array [3, 3]
 * ```
 */
export function compactAxis(list: IndexList): AxisSelection {
  const n = list.length;
  if (n === 0) return { start: 0, step: 1, count: 0 };
  if (n === 1) return { start: list[0], step: 1, count: 1 };
  const step = list[1] - list[0];
  if (step === 0) return list;
  for (let i = 2; i < n; i++) if (list[i] - list[i - 1] !== step) return list;
  return { start: list[0], step, count: n };
}

function checkLength(what: string, c: DataContainer, shape: readonly number[], slots: number) {
  if (c.length < product(shape) * slots) {
    throw new ZarrValueError(
      `${what} container of ${c.length} slots is too short for shape [${shape}]`,
    );
  }
}

function checkAxis(
  what: string,
  s: AxisSelection,
  ax: number,
  len: number,
  origin: number,
  allowZeroStep: boolean,
): void {
  if (!isIndexList(s)) {
    const { start, step, count } = s;
    if (!Number.isInteger(start) || !Number.isInteger(step) || !Number.isInteger(count)) {
      throw new ZarrValueError(`${what} range on axis ${ax} is not integral`);
    }
    if (count < 0) throw new ZarrValueError(`${what} range on axis ${ax} has a negative count`);
    if (step === 0 && count > 1 && !allowZeroStep) {
      throw new ZarrValueError(`${what} range on axis ${ax} has step 0`);
    }
  }
  const [lo, hi] = axisExtent(s);
  if (hi < lo) return;
  if (lo - origin < 0 || hi - origin >= len) {
    throw new ZarrValueError(
      `${what} selection on axis ${ax} spans [${lo}, ${hi}], outside [${origin}, ${
        origin + len
      }) of its container`,
    );
  }
}

/** Element offsets (times `stride`) of an axis selection, translated by `-origin`. */
function axisOffsets(s: AxisSelection, stride: number, origin: number): Float64Array {
  const n = axisCount(s);
  const out = new Float64Array(n);
  if (isIndexList(s)) {
    for (let i = 0; i < n; i++) out[i] = (s[i] - origin) * stride;
  } else {
    const st = s.step * stride;
    let v = (s.start - origin) * stride;
    for (let i = 0; i < n; i++, v += st) out[i] = v;
  }
  return out;
}

/**
 * Orthogonal (outer product) copy: `dst[dstSel] = src[srcSel]`, where each axis of either side is
 * a {@link DimRange} or an {@link IndexList} and the counts agree axis by axis. Source ranges may
 * have step 0 (broadcast). `srcOrigin` / `dstOrigin` say which box of the whole chunk each
 * container holds (selections are translated by `-origin`; default zeros).
 *
 * The trailing axes that are ranges on both sides are copied as merged strided blocks, so a
 * selection like `[[3, 1], :, :]` moves whole contiguous runs; without any index list this is
 * exactly `copyRegion`.
 *
 * @example
 * ```ts
 * import { copyOrthogonal } from "./gather.ts";
 * const src = Float64Array.from([0, 1, 2, 3, 4, 5]); // shape [6]
 * const dst = new Float64Array(4);
 * copyOrthogonal(src, [6], [Uint32Array.of(5, 0, 5, 2)], dst, [4], [{ start: 0, step: 1, count: 4 }]);
 * console.log(dst); // Float64Array [5, 0, 5, 2]
 * ```
 */
export function copyOrthogonal(
  src: DataContainer,
  srcShape: readonly number[],
  srcSel: readonly AxisSelection[],
  dst: DataContainer,
  dstShape: readonly number[],
  dstSel: readonly AxisSelection[],
  slots = 1,
  srcOrigin?: readonly number[],
  dstOrigin?: readonly number[],
): void {
  const r = srcSel.length;
  if (dstSel.length !== r || srcShape.length !== r || dstShape.length !== r) {
    throw new ZarrValueError(
      `copyOrthogonal: rank mismatch (source ${srcSel.length}/${srcShape.length} axes, ` +
        `destination ${dstSel.length}/${dstShape.length})`,
    );
  }
  const counts = new Array<number>(r);
  let last = -1;
  for (let ax = 0; ax < r; ax++) {
    const n = axisCount(srcSel[ax]);
    if (n !== axisCount(dstSel[ax])) {
      throw new ZarrValueError(
        `copyOrthogonal: counts differ on axis ${ax} (${n} vs ${axisCount(dstSel[ax])})`,
      );
    }
    counts[ax] = n;
    if (isIndexList(srcSel[ax]) || isIndexList(dstSel[ax])) last = ax;
  }
  const so = srcOrigin ?? new Array<number>(r).fill(0);
  const dOr = dstOrigin ?? new Array<number>(r).fill(0);
  if (last < 0) {
    const shift = (sel: readonly AxisSelection[], o: readonly number[]) =>
      sel.map((s, i) => ({ ...(s as DimRange), start: (s as DimRange).start - o[i] }));
    copyRegion(src, srcShape, shift(srcSel, so), dst, dstShape, shift(dstSel, dOr), slots);
    return;
  }
  checkLength("source", src, srcShape, slots);
  checkLength("destination", dst, dstShape, slots);
  for (let ax = 0; ax < r; ax++) {
    checkAxis("source", srcSel[ax], ax, srcShape[ax], so[ax], true);
    checkAxis("destination", dstSel[ax], ax, dstShape[ax], dOr[ax], false);
  }
  for (const n of counts) if (n === 0) return;
  const sSt = cStrides(srcShape);
  const dSt = cStrides(dstShape);
  // Outer axes 0..last: per-index offsets. Trailing axes: one strided block per outer index.
  const sOff: Float64Array[] = [];
  const dOff: Float64Array[] = [];
  for (let ax = 0; ax <= last; ax++) {
    sOff.push(axisOffsets(srcSel[ax], sSt[ax], so[ax]));
    dOff.push(axisOffsets(dstSel[ax], dSt[ax], dOr[ax]));
  }
  let sBlock = 0;
  let dBlock = 0;
  const bCounts: number[] = [];
  const bS: number[] = [];
  const bD: number[] = [];
  for (let ax = last + 1; ax < r; ax++) {
    const s = srcSel[ax] as DimRange;
    const d = dstSel[ax] as DimRange;
    sBlock += (s.start - so[ax]) * sSt[ax];
    dBlock += (d.start - dOr[ax]) * dSt[ax];
    bCounts.push(counts[ax]);
    bS.push(s.step * sSt[ax]);
    bD.push(d.step * dSt[ax]);
  }
  const single = bCounts.every((c) => c === 1);
  const block = single ? null : stridedBlockCopier(bCounts, bS, bD, slots);
  const s0 = src as AnyContainer;
  const d0 = dst as AnyContainer;
  const nL = counts[last];
  const sL = sOff[last];
  const dL = dOff[last];
  const inner = (sb: number, db: number): void => {
    if (block !== null) {
      for (let i = 0; i < nL; i++) block(src, sb + sL[i], dst, db + dL[i]);
    } else if (slots === 1) {
      for (let i = 0; i < nL; i++) d0[db + dL[i]] = s0[sb + sL[i]];
    } else {
      for (let i = 0; i < nL; i++) {
        const sp = (sb + sL[i]) * slots;
        const dp = (db + dL[i]) * slots;
        for (let k = 0; k < slots; k++) d0[dp + k] = s0[sp + k];
      }
    }
  };
  // Odometer over the outer axes before `last`.
  const idx = new Array<number>(last).fill(0);
  let sb = sBlock;
  let db = dBlock;
  for (let ax = 0; ax < last; ax++) {
    sb += sOff[ax][0];
    db += dOff[ax][0];
  }
  for (;;) {
    inner(sb, db);
    let ax = last - 1;
    for (; ax >= 0; ax--) {
      sb -= sOff[ax][idx[ax]];
      db -= dOff[ax][idx[ax]];
      if (++idx[ax] < counts[ax]) {
        sb += sOff[ax][idx[ax]];
        db += dOff[ax][idx[ax]];
        break;
      }
      idx[ax] = 0;
      sb += sOff[ax][0];
      db += dOff[ax][0];
    }
    if (ax < 0) return;
  }
}

/** A one-element container of `dst`'s kind holding `value`. */
function oneOf(
  dst: DataContainer,
  value: ContainerValue | readonly number[],
  slots: number,
): DataContainer {
  const one: DataContainer = ArrayBuffer.isView(dst)
    ? new (dst.constructor as new (n: number) => DataContainer)(slots)
    : (new Array(1) as DataContainer);
  fillRegion(one, [1], [{ start: 0, step: 1, count: 1 }], value, slots);
  return one;
}

/**
 * Writes one value into an orthogonal selection (ranges and index lists per axis) of a
 * C-ordered container. `value` is what the container stores (number, bigint, string,
 * `Uint8Array`, or `[re, im]` for complex with `slots = 2`).
 *
 * @example
 * ```ts
 * import { fillOrthogonal } from "./gather.ts";
 * const out = new Int8Array(6); // [2, 3]
 * fillOrthogonal(out, [2, 3], [{ start: 1, step: 1, count: 1 }, Uint32Array.of(0, 2)], 7);
 * console.log(out); // Int8Array [0, 0, 0, 7, 0, 7]
 * ```
 */
export function fillOrthogonal(
  dst: DataContainer,
  dstShape: readonly number[],
  dstSel: readonly AxisSelection[],
  value: ContainerValue | readonly number[],
  slots = 1,
  dstOrigin?: readonly number[],
): void {
  if (!dstSel.some(isIndexList) && !dstOrigin) {
    fillRegion(dst, dstShape, dstSel as DimRange[], value, slots);
    return;
  }
  const one = oneOf(dst, value, slots);
  const srcSel = dstSel.map((s) => ({ start: 0, step: 0, count: axisCount(s) }));
  copyOrthogonal(
    one,
    dstSel.map(() => 1),
    srcSel,
    dst,
    dstShape,
    dstSel,
    slots,
    undefined,
    dstOrigin,
  );
}

/** Flat element offsets of `K` points (per-axis coordinate lists), translated by `-origin`. */
function pointOffsets(
  what: string,
  shape: readonly number[],
  coords: readonly IndexList[],
  origin: readonly number[] | undefined,
  k: number,
): Float64Array {
  const r = shape.length;
  if (coords.length !== r) {
    throw new ZarrValueError(
      `${what} has ${coords.length} coordinate lists but its shape [${shape}] has ${r} axes`,
    );
  }
  const st = cStrides(shape);
  const off = new Float64Array(k);
  for (let ax = 0; ax < r; ax++) {
    const c = coords[ax];
    if (c.length !== k) {
      throw new ZarrValueError(
        `${what} coordinate list on axis ${ax} has ${c.length} entries, expected ${k}`,
      );
    }
    const o = origin ? origin[ax] : 0;
    checkAxis(what, c, ax, shape[ax], o, false);
    const s = st[ax];
    for (let i = 0; i < k; i++) off[i] += (c[i] - o) * s;
  }
  return off;
}

function checkPositions(what: string, pos: DimRange | IndexList, n: number): void {
  checkAxis(what, pos, 0, n, 0, false);
}

/**
 * Point gather: `dst[dstPos[k]] = src[coords[0][k], coords[1][k], ...]` for each of the `K`
 * points. `src` is C-ordered with `srcShape` and holds the box `[srcOrigin, srcOrigin +
 * srcShape)` of the chunk the coordinates refer to; `dstPos` holds flat positions in `dst`
 * (`dstSize` elements), as a list or a range.
 *
 * @example
 * ```ts
 * import { gatherPoints } from "./gather.ts";
 * const src = Int16Array.from([0, 1, 2, 3, 4, 5]); // shape [2, 3]
 * const dst = new Int16Array(3);
 * gatherPoints(src, [2, 3], [Uint32Array.of(1, 0, 1), Uint32Array.of(2, 1, 0)], dst, 3,
 *   { start: 0, step: 1, count: 3 });
 * console.log(dst); // Int16Array [5, 1, 3]
 * ```
 */
export function gatherPoints(
  src: DataContainer,
  srcShape: readonly number[],
  coords: readonly IndexList[],
  dst: DataContainer,
  dstSize: number,
  dstPos: DimRange | IndexList,
  slots = 1,
  srcOrigin?: readonly number[],
): void {
  const k = axisCount(dstPos);
  checkLength("source", src, srcShape, slots);
  checkLength("destination", dst, [dstSize], slots);
  checkPositions("destination", dstPos, dstSize);
  const off = pointOffsets("source", srcShape, coords, srcOrigin, k);
  const s = src as AnyContainer;
  const d = dst as AnyContainer;
  if (isIndexList(dstPos)) {
    if (slots === 1) { for (let i = 0; i < k; i++) d[dstPos[i]] = s[off[i]]; }
    else {
      for (let i = 0; i < k; i++) {
        for (let q = 0; q < slots; q++) d[dstPos[i] * slots + q] = s[off[i] * slots + q];
      }
    }
    return;
  }
  const { start, step } = dstPos;
  for (let i = 0, p = start; i < k; i++, p += step) {
    if (slots === 1) d[p] = s[off[i]];
    else for (let q = 0; q < slots; q++) d[p * slots + q] = s[off[i] * slots + q];
  }
}

/**
 * Point scatter: `dst[coords[0][k], coords[1][k], ...] = src[srcPos[k]]` for each of the `K`
 * points, in order (a point listed twice keeps the last value). `srcPos` holds flat positions
 * in `src` (`srcSize` elements); `null` broadcasts `src`'s first element to every point. `dst` is
 * C-ordered with `dstShape` and holds the box `[dstOrigin, dstOrigin + dstShape)` of the chunk.
 *
 * @example
 * ```ts
 * import { scatterPoints } from "./gather.ts";
 * const chunk = new Float32Array(4); // shape [2, 2]
 * scatterPoints(Float32Array.of(7, 8), 2, Uint32Array.of(1, 0), chunk, [2, 2],
 *   [Uint32Array.of(0, 1), Uint32Array.of(1, 0)]);
 * console.log(chunk); // Float32Array [0, 8, 7, 0]
 * ```
 */
export function scatterPoints(
  src: DataContainer,
  srcSize: number,
  srcPos: DimRange | IndexList | null,
  dst: DataContainer,
  dstShape: readonly number[],
  coords: readonly IndexList[],
  slots = 1,
  dstOrigin?: readonly number[],
): void {
  const k = srcPos === null ? (coords[0]?.length ?? 0) : axisCount(srcPos);
  checkLength("source", src, [srcSize], slots);
  checkLength("destination", dst, dstShape, slots);
  if (srcPos !== null) checkPositions("source", srcPos, srcSize);
  else if (srcSize < 1 && k > 0) throw new ZarrValueError("scatterPoints: empty source");
  const off = pointOffsets("destination", dstShape, coords, dstOrigin, k);
  const s = src as AnyContainer;
  const d = dst as AnyContainer;
  if (srcPos === null) {
    if (slots === 1) {
      const v = s[0];
      for (let i = 0; i < k; i++) d[off[i]] = v;
    } else {
      for (let i = 0; i < k; i++) for (let q = 0; q < slots; q++) d[off[i] * slots + q] = s[q];
    }
    return;
  }
  if (isIndexList(srcPos)) {
    if (slots === 1) { for (let i = 0; i < k; i++) d[off[i]] = s[srcPos[i]]; }
    else {
      for (let i = 0; i < k; i++) {
        for (let q = 0; q < slots; q++) d[off[i] * slots + q] = s[srcPos[i] * slots + q];
      }
    }
    return;
  }
  const { start, step } = srcPos;
  for (let i = 0, p = start; i < k; i++, p += step) {
    if (slots === 1) d[off[i]] = s[p];
    else for (let q = 0; q < slots; q++) d[off[i] * slots + q] = s[p * slots + q];
  }
}

/**
 * Writes one value at flat positions (a list or a range) of a container of `size` elements.
 *
 * @example
 * ```ts
 * import { fillPositions } from "./gather.ts";
 * const out = new Uint8Array(5);
 * fillPositions(out, 5, Uint32Array.of(4, 1), 9);
 * console.log(out); // Uint8Array [0, 9, 0, 0, 9]
 * ```
 */
export function fillPositions(
  dst: DataContainer,
  size: number,
  pos: DimRange | IndexList,
  value: ContainerValue | readonly number[],
  slots = 1,
): void {
  if (!isIndexList(pos)) {
    fillRegion(dst, [size], [pos], value, slots);
    return;
  }
  checkLength("destination", dst, [size], slots);
  checkPositions("destination", pos, size);
  const one = oneOf(dst, value, slots) as AnyContainer;
  const d = dst as AnyContainer;
  for (let i = 0; i < pos.length; i++) {
    for (let q = 0; q < slots; q++) d[pos[i] * slots + q] = one[q];
  }
}
