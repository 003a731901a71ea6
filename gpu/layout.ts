/**
 * CPU-side layout of a device read: the gather kernel's meta words (per-axis tables that map
 * each output index to a chunk rank and a chunk-local index), each batch's output word range,
 * and the binding windows that keep every dispatch under the device's storage-binding limit.
 *
 * @example
 * ```ts
 * import { bindingWindows } from "./layout.ts";
 * // 3000 words in bindings of at most 4 KiB (1024 words) aligned to 256 bytes
 * console.log(bindingWindows(0, 3000, 4096, 256).map((w) => w.count)); // [1024, 1024, 952]
 * ```
 * @module
 */
import type { ChunkProjection } from "../src/array/indexing/projection.ts";
import { axisCount, axisExtent, type AxisSelection, isIndexList } from "../src/buffer/gather.ts";
import { cStrides } from "../src/buffer/ndarray.ts";
import { ZarrValueError } from "../src/errors.ts";
import { AXIS_WORDS, HEADER } from "./kernels.ts";

/** One dispatch's slice of an output buffer. */
export interface BindingWindow {
  /** First word the dispatch writes (global word index). */
  first: number;
  /** Words it writes. */
  count: number;
  /** First word of the binding (aligned); the kernel writes `out[w - base]`. */
  base: number;
}

/**
 * Splits the words `[first, end)` into dispatches whose bindings start at `align`-byte offsets
 * and span at most `maxBytes`.
 *
 * @example
 * ```ts
 * import { bindingWindows } from "./layout.ts";
 * console.log(bindingWindows(10, 20, 1 << 20, 32)); // [{ first: 10, count: 10, base: 8 }]
 * ```
 */
export function bindingWindows(
  first: number,
  end: number,
  maxBytes: number,
  align: number,
): BindingWindow[] {
  const alignWords = Math.max(1, Math.ceil(align / 4));
  const maxWords = Math.floor(maxBytes / 4);
  if (maxWords <= alignWords) {
    throw new ZarrValueError(
      `storage binding limit of ${maxBytes} bytes is not above the offset alignment ${align}`,
    );
  }
  const out: BindingWindow[] = [];
  let w = first;
  while (w < end) {
    const base = Math.floor(w / alignWords) * alignWords;
    const stop = Math.min(end, base + maxWords);
    out.push({ first: w, count: stop - w, base });
    w = stop;
  }
  return out;
}

function at(s: AxisSelection, k: number): number {
  return isIndexList(s) ? s[k] : s.start + k * s.step;
}

/** The gather meta of a read and the chunk-table cell of each projection. */
export interface GatherLayout {
  /** Meta words (see `gatherShader`). */
  meta: Uint32Array<ArrayBuffer>;
  /** Cells of the chunk table (chunks of the outer-product grid the selection touches). */
  cells: number;
  /** The chunk-table cell of a chunk. */
  cellOf(coords: readonly number[]): number;
}

/**
 * The affine map `arrayIndex = A + o * s` of an axis whose projections are all ranges that
 * agree on it (basic and block selections, ranges of orthogonal ones), else undefined.
 */
function affineAxis(
  projs: readonly ChunkProjection[],
  d: number,
  chunk: number,
): [number, number] | undefined {
  // (output index, array index) of each projection's first element, and its steps
  const pts: [number, number, number, number, number][] = [];
  for (const p of projs) {
    const cs = (p.chunkSelection as readonly AxisSelection[])[d];
    const os = (p.outSelection as readonly AxisSelection[])[d];
    if (isIndexList(cs) || isIndexList(os)) return undefined;
    if (cs.count === 0) continue;
    pts.push([os.start, p.chunkCoords[d] * chunk + cs.start, cs.count, os.step, cs.step]);
  }
  if (pts.length === 0) return [0, 1];
  // the slope: from a projection with two or more elements, else from two projections
  let step: number | undefined;
  const multi = pts.find((q) => q[2] > 1);
  if (multi) step = multi[4] / multi[3];
  else {
    const other = pts.find((q) => q[0] !== pts[0][0]);
    step = other ? (other[1] - pts[0][1]) / (other[0] - pts[0][0]) : 1;
  }
  if (!Number.isInteger(step)) return undefined;
  const A = pts[0][1] - pts[0][0] * step;
  for (const [o, a, n, ostep, cstep] of pts) {
    if (A + o * step !== a || (n > 1 && cstep !== ostep * step)) return undefined;
  }
  return [A, step];
}

/**
 * Builds the gather meta for basic / block / orthogonal projections (outer products per axis).
 * Axes whose selection is affine (every basic axis) are computed in the kernel from
 * `(A, s, chunk)`; the others (index lists) get a table of `[rank, local]` per output index, with
 * chunk coordinates ranked so the chunk table has one cell per touched chunk. `strides` are the
 * chunk-local element strides per axis of the stored layout (a transposed chunk has permuted
 * strides); `fill` is the fill element's bytes.
 *
 * @example
 * ```ts
 * import { gatherLayout } from "./layout.ts";
 * const p = { chunkCoords: [1], chunkSelection: [{ start: 0, step: 1, count: 2 }],
 *   outSelection: [{ start: 0, step: 1, count: 2 }], isComplete: true };
 * const l = gatherLayout([p], [2], [4], [1], new Uint8Array(4));
 * console.log(l.cells, l.cellOf([1])); // 1 0
 * ```
 */
export function gatherLayout(
  projs: readonly ChunkProjection[],
  outShape: readonly number[],
  chunkShape: readonly number[],
  strides: readonly number[],
  fill: Uint8Array,
): GatherLayout {
  const ndim = outShape.length;
  const affine = outShape.map((_, d) => affineAxis(projs, d, chunkShape[d]));
  const ranks = outShape.map(() => new Map<number, number>());
  const cmin = outShape.map(() => Infinity);
  const cmax = outShape.map(() => -Infinity);
  for (const p of projs) {
    for (let d = 0; d < ndim; d++) {
      const c = p.chunkCoords[d];
      if (!ranks[d].has(c)) ranks[d].set(c, ranks[d].size);
      cmin[d] = Math.min(cmin[d], c);
      cmax[d] = Math.max(cmax[d], c);
    }
  }
  const rankOf = (d: number, c: number) => affine[d] ? c - cmin[d] : ranks[d].get(c)!;
  const gridExt = outShape.map((_, d) =>
    ranks[d].size === 0 ? 1 : affine[d] ? cmax[d] - cmin[d] + 1 : ranks[d].size
  );
  const gridStride = cStrides(gridExt);
  const cells = gridExt.reduce((a, b) => a * b, 1);
  const tableWords = outShape.reduce((s, n, d) => s + (affine[d] ? 0 : 2 * n), 0);
  const fillOff = HEADER + AXIS_WORDS * ndim + tableWords;
  const meta = new Uint32Array(fillOff + Math.ceil(fill.length / 4));
  meta.set([outShape.reduce((a, b) => a * b, 1), ndim, fillOff, 0]);
  let off = HEADER + AXIS_WORDS * ndim;
  const tableOff: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const rec = HEADER + AXIS_WORDS * d;
    const af = affine[d];
    if (af) {
      meta.set([
        outShape[d],
        strides[d],
        gridStride[d],
        isFinite(cmin[d]) ? cmin[d] : 0,
        1,
        0,
        0,
        chunkShape[d],
      ], rec);
      new Int32Array(meta.buffer, (rec + 5) * 4, 2).set(af);
      tableOff.push(-1);
    } else {
      meta.set([outShape[d], strides[d], gridStride[d], off, 0, 0, 0, chunkShape[d]], rec);
      tableOff.push(off);
      off += 2 * outShape[d];
    }
  }
  const done = outShape.map(() => new Set<number>());
  for (const p of projs) {
    const cs = p.chunkSelection as readonly AxisSelection[];
    const os = p.outSelection as readonly AxisSelection[];
    for (let d = 0; d < ndim; d++) {
      const c = p.chunkCoords[d];
      if (affine[d] || done[d].has(c)) continue;
      done[d].add(c);
      const rank = rankOf(d, c);
      const n = axisCount(cs[d]);
      for (let k = 0; k < n; k++) {
        const t = tableOff[d] + 2 * at(os[d], k);
        meta[t] = rank;
        meta[t + 1] = at(cs[d], k);
      }
    }
  }
  const fw = new Uint8Array(meta.buffer, fillOff * 4, Math.ceil(fill.length / 4) * 4);
  fw.set(fill);
  return {
    meta,
    cells,
    cellOf(coords) {
      let cell = 0;
      for (let d = 0; d < ndim; d++) cell += rankOf(d, coords[d]) * gridStride[d];
      return cell;
    },
  };
}

/**
 * The output words `[first, end)` the projections of a batch write (elements of `B` bytes in a
 * C-ordered output of `outShape`).
 *
 * @example
 * ```ts
 * import { outputWords } from "./layout.ts";
 * const p = { chunkCoords: [0], chunkSelection: [{ start: 0, step: 1, count: 3 }],
 *   outSelection: [{ start: 2, step: 1, count: 3 }], isComplete: false };
 * console.log(outputWords([p], [8], 2)); // [1, 3] (bytes 4..9)
 * ```
 */
export function outputWords(
  projs: readonly ChunkProjection[],
  outShape: readonly number[],
  B: number,
): [number, number] {
  const st = cStrides(outShape);
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of projs) {
    const os = p.outSelection as readonly AxisSelection[];
    let a = 0;
    let b = 0;
    let empty = false;
    for (let d = 0; d < outShape.length; d++) {
      const [l, h] = axisExtent(os[d]);
      if (h < l) empty = true;
      a += l * st[d];
      b += h * st[d];
    }
    if (empty) continue;
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  if (hi < lo) return [0, 0];
  return [Math.floor((lo * B) / 4), Math.floor((hi * B + B - 1) / 4) + 1];
}
