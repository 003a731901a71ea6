/**
 * The basic indexer: maps a normalized basic selection onto a regular chunk grid, yielding one
 * {@link ChunkProjection} per intersecting chunk.
 *
 * Work is per axis: for each axis the intersecting chunks and their ranges follow from
 * arithmetic on the slice (no per-element work, O(1) memory per axis); the projections are the
 * cartesian product of the axes, walked with an odometer in C order of chunk coordinates.
 *
 * Output ranges refer to the output viewed at full rank ({@link BasicIndexer.keepDimsShape}:
 * the output shape with extent-1 axes where integer indices dropped axes), so they can be fed
 * to `copyRegion` together with the chunk ranges.
 *
 * @example
 * ```ts
 * import { BasicIndexer } from "./basic.ts";
 * const ix = BasicIndexer.fromSelection("1, ::-3", [4, 10], [2, 4]);
 * console.log(ix.shape, ix.nchunks); // [4] 3
 * for (const p of ix) console.log(p.chunkCoords, p.chunkSelection[1], p.outSelection[1]);
 * // [0, 0] { start: 3, step: -3, count: 2 } { start: 2, step: 1, count: 2 }  (elements 3, 0)
 * // [0, 1] { start: 2, step: -3, count: 1 } { start: 1, step: 1, count: 1 }  (element 6)
 * // [0, 2] { start: 1, step: -3, count: 1 } { start: 0, step: 1, count: 1 }  (element 9)
 * ```
 * @module
 */
import { ZarrValueError } from "../../errors.ts";
import type { DimRange } from "../../buffer/copy.ts";
import { product } from "../../buffer/ndarray.ts";
import type { BasicProjection, Indexer } from "./projection.ts";
import {
  type BasicSelection,
  type DimSelection,
  normalizeBasicSelection,
  type NormalizeOptions,
} from "./selection.ts";

export type { BasicProjection, ChunkProjection, Indexer } from "./projection.ts";

/**
 * Per-axis plan of a range (or int) axis: entry k (the k-th intersecting chunk, ascending) is
 * computed on demand by {@link axisEntry}. Shared with the orthogonal indexer.
 */
export interface AxisPlan {
  /** Number of intersecting chunks along the axis. */
  entries: number;
  kind: 0 | 1 | 2; // 0: int, 1: one element per entry, 2: one chunk per entry
  start: number; // first selected index (array coords)
  step: number;
  count: number; // selected elements
  chunk: number; // chunk size
  len: number; // axis length
  firstChunk: number; // for kind 2: lowest intersecting chunk
}

/**
 * Plans one axis of a basic selection over chunks of size `chunk` (axis length `len`).
 *
 * @example
 * ```ts
 * import { planAxis } from "./basic.ts";
 * console.log(planAxis({ kind: "range", start: 0, stop: 10, step: 1, count: 10 }, 4, 10).entries); // 3
 * ```
 */
export function planAxis(d: DimSelection, chunk: number, len: number): AxisPlan {
  if (d.kind === "int") {
    return {
      entries: 1,
      kind: 0,
      start: d.index,
      step: 1,
      count: 1,
      chunk,
      len,
      firstChunk: Math.floor(d.index / chunk),
    };
  }
  const { start, step, count } = d;
  const base = { start, step, count, chunk, len };
  if (count === 0) return { ...base, entries: 0, kind: 1, firstChunk: 0 };
  const last = start + (count - 1) * step;
  if (Math.abs(step) >= chunk) {
    // Consecutive elements are at least a chunk apart: each lies in its own chunk.
    return { ...base, entries: count, kind: 1, firstChunk: 0 };
  }
  // Steps shorter than a chunk touch every chunk between the extreme elements.
  const lo = Math.floor(Math.min(start, last) / chunk);
  const hi = Math.floor(Math.max(start, last) / chunk);
  return { ...base, entries: hi - lo + 1, kind: 2, firstChunk: lo };
}

/**
 * Entry `k` of an axis plan, written into the scratch slots of axis `ax`.
 *
 * @example
 * ```ts
 * import { axisEntry, planAxis } from "./basic.ts";
 * const sc = { chunk: [0], cStart: [0], cCount: [0], oStart: [0], complete: [false] };
 * axisEntry(planAxis({ kind: "range", start: 2, stop: 9, step: 1, count: 7 }, 4, 10), 1, sc, 0);
 * console.log(sc.chunk[0], sc.cStart[0], sc.cCount[0], sc.oStart[0]); // 1 0 4 2
 * ```
 */
export function axisEntry(p: AxisPlan, k: number, out: EntryScratch, ax: number): void {
  const c = p.chunk;
  let chunkIdx: number;
  let cStart: number;
  let cCount: number;
  let oStart: number;
  if (p.kind === 0) {
    chunkIdx = p.firstChunk;
    cStart = p.start - chunkIdx * c;
    cCount = 1;
    oStart = 0;
  } else if (p.kind === 1) {
    // Entries in ascending chunk order: for negative steps, element count-1-k.
    const j = p.step > 0 ? k : p.count - 1 - k;
    const idx = p.start + j * p.step;
    chunkIdx = Math.floor(idx / c);
    cStart = idx - chunkIdx * c;
    cCount = 1;
    oStart = j;
  } else {
    chunkIdx = p.firstChunk + k;
    const lo = chunkIdx * c;
    const hi = lo + c - 1; // last index of the chunk (may exceed the axis; no element there)
    const a = p.start;
    let j0: number;
    let jEnd: number;
    if (p.step > 0) {
      const s = p.step;
      j0 = lo <= a ? 0 : Math.ceil((lo - a) / s);
      jEnd = Math.min(p.count, Math.floor((hi - a) / s) + 1);
    } else {
      const t = -p.step;
      j0 = hi >= a ? 0 : Math.ceil((a - hi) / t);
      jEnd = Math.min(p.count, Math.floor((a - lo) / t) + 1);
    }
    cStart = a + j0 * p.step - lo;
    cCount = jEnd - j0;
    oStart = j0;
  }
  out.chunk[ax] = chunkIdx;
  out.cStart[ax] = cStart;
  out.cCount[ax] = cCount;
  out.oStart[ax] = oStart;
  out.complete[ax] = cCount === Math.min(c, p.len - chunkIdx * c);
}

/** Scratch slots per axis that {@link axisEntry} writes. */
export interface EntryScratch {
  chunk: number[];
  cStart: number[];
  cCount: number[];
  oStart: number[];
  complete: boolean[];
}

/**
 * Indexer for basic selections (ints, slices with any non-zero step, ellipsis) over a regular
 * chunk grid. Iterating yields one {@link ChunkProjection} per intersecting chunk, each
 * exactly once, in C order of chunk coordinates.
 *
 * For a negative step the chunk ranges step backwards inside the chunk and the output ranges
 * step forwards (step 1): `outSelection` says where the elements land.
 *
 * @example
 * ```ts
 * import { BasicIndexer } from "./basic.ts";
 * import { normalizeBasicSelection } from "./selection.ts";
 * const shape = [10, 10];
 * const ix = new BasicIndexer(normalizeBasicSelection([2, "::2"], shape), shape, [5, 5]);
 * console.log(ix.shape, ix.dropAxes, ix.keepDimsShape, ix.nchunks); // [5] [0] [1, 5] 2
 * ```
 */
export class BasicIndexer implements Indexer {
  /** Projection kind. */
  readonly kind = "basic" as const;
  /** Normalized per-axis selection. */
  readonly dims: readonly DimSelection[];
  /** Array shape. */
  readonly arrayShape: readonly number[];
  /** Chunk shape of the regular grid. */
  readonly chunkShape: readonly number[];
  /** Output shape (int axes dropped). */
  readonly shape: number[];
  /** Output shape with extent-1 axes where int axes were dropped. */
  readonly keepDimsShape: number[];
  /** Array axes dropped by integer indices, ascending. */
  readonly dropAxes: number[];
  /** Number of chunk projections. */
  readonly nchunks: number;
  readonly #plans: AxisPlan[];

  constructor(
    dims: readonly DimSelection[],
    shape: readonly number[],
    chunkShape: readonly number[],
  ) {
    if (dims.length !== shape.length || chunkShape.length !== shape.length) {
      throw new ZarrValueError(
        `selection (${dims.length} axes), shape [${shape}] and chunks [${chunkShape}] ` +
          `must have the same rank`,
      );
    }
    for (const c of chunkShape) {
      if (!Number.isInteger(c) || c < 1) {
        throw new ZarrValueError(`chunk sizes must be positive integers, got [${chunkShape}]`);
      }
    }
    this.dims = dims;
    this.arrayShape = [...shape];
    this.chunkShape = [...chunkShape];
    this.shape = [];
    this.keepDimsShape = [];
    this.dropAxes = [];
    dims.forEach((d, i) => {
      if (d.kind === "int") {
        this.dropAxes.push(i);
        this.keepDimsShape.push(1);
      } else {
        this.shape.push(d.count);
        this.keepDimsShape.push(d.count);
      }
    });
    this.#plans = dims.map((d, i) => planAxis(d, chunkShape[i], shape[i]));
    this.nchunks = product(this.#plans.map((p) => p.entries));
  }

  /**
   * Normalizes `selection` against `shape` and builds the indexer.
   *
   * @example
   * ```ts
   * import { BasicIndexer } from "./basic.ts";
   * console.log(BasicIndexer.fromSelection(null, [7], [3]).nchunks); // 3
   * ```
   */
  static fromSelection(
    selection: BasicSelection,
    shape: readonly number[],
    chunkShape: readonly number[],
    opts?: NormalizeOptions,
  ): BasicIndexer {
    return new BasicIndexer(normalizeBasicSelection(selection, shape, opts), shape, chunkShape);
  }

  /**
   * The chunk projections (same as iterating the indexer).
   *
   * @example
   * ```ts
   * import { BasicIndexer } from "./basic.ts";
   * const ix = BasicIndexer.fromSelection("2:5", [8], [4]);
   * console.log([...ix.projections()].map((p) => p.chunkCoords)); // [[0], [1]]
   * ```
   */
  *projections(): Generator<BasicProjection> {
    const plans = this.#plans;
    const r = plans.length;
    if (this.nchunks === 0) return;
    const sc: EntryScratch = {
      chunk: new Array(r),
      cStart: new Array(r),
      cCount: new Array(r),
      oStart: new Array(r),
      complete: new Array(r),
    };
    const idx = new Array<number>(r).fill(0);
    for (let ax = 0; ax < r; ax++) axisEntry(plans[ax], 0, sc, ax);
    for (;;) {
      const chunkSelection = new Array<DimRange>(r);
      const outSelection = new Array<DimRange>(r);
      let isComplete = true;
      for (let ax = 0; ax < r; ax++) {
        const p = plans[ax];
        chunkSelection[ax] = { start: sc.cStart[ax], step: p.step, count: sc.cCount[ax] };
        outSelection[ax] = { start: sc.oStart[ax], step: 1, count: sc.cCount[ax] };
        if (!sc.complete[ax]) isComplete = false;
      }
      yield { chunkCoords: sc.chunk.slice(), chunkSelection, outSelection, isComplete };
      let ax = r - 1;
      for (; ax >= 0; ax--) {
        if (++idx[ax] < plans[ax].entries) {
          axisEntry(plans[ax], idx[ax], sc, ax);
          break;
        }
        idx[ax] = 0;
        axisEntry(plans[ax], 0, sc, ax);
      }
      if (ax < 0) return;
    }
  }

  /** Iterates the chunk projections; see {@link BasicIndexer.projections}. */
  [Symbol.iterator](): Iterator<BasicProjection> {
    return this.projections();
  }
}
