/**
 * Orthogonal (outer) indexing, zarr-python's `get_orthogonal_selection` / `oindex`: each axis is
 * selected independently by an int (drops the axis), a slice, an integer array (any order,
 * repeats, negatives from the end) or a boolean mask of the axis' length; the result is the
 * outer product (numpy's `a[np.ix_(...)]`).
 *
 * Per index-array axis the indices are wrapped, bounds-checked and sorted once (a stable
 * argsort), then cut into per-chunk groups; slice and int axes use the basic indexer's
 * arithmetic. Projections are the cartesian product of the per-axis chunk lists, so each
 * intersecting chunk is visited exactly once. Within a chunk, index groups that form an
 * arithmetic sequence become ranges (the whole-run copy path).
 *
 * Differences from zarr-python: negative slice steps are allowed (numpy semantics, as for basic
 * selections), and `null` selects a whole axis.
 *
 * @example
 * ```ts
 * import { orthogonalIndexer } from "./orthogonal.ts";
 * const ix = orthogonalIndexer([[7, 1, 7], "1:3"], [10, 4], [5, 2]);
 * console.log(ix.shape, ix.nchunks); // [3, 2] 4
 * ```
 * @module
 */
import { IndexError, ZarrValueError } from "../../errors.ts";
import type { DimRange } from "../../buffer/copy.ts";
import { type AxisSelection, compactAxis } from "../../buffer/gather.ts";
import { product } from "../../buffer/ndarray.ts";
import { axisEntry, type AxisPlan, BasicIndexer, type EntryScratch, planAxis } from "./basic.ts";
import type { Indexer, OrthogonalProjection } from "./projection.ts";
import {
  describeSelectionItem,
  type DimSelection,
  expandEllipsis,
  normalizeBasicSelection,
  type OrthogonalSelection,
  tupleItems,
} from "./selection.ts";
import { isSlice } from "./slice.ts";
import { argsortStable, nonzero, normalizeIndices, parseIndexArray } from "./int_array.ts";

/** A normalized orthogonal axis: a basic one, or an explicit list of array indices. */
export type OrthogonalDim = DimSelection | {
  readonly kind: "list";
  readonly indices: Float64Array;
};

const MAX_U32 = 0xffffffff;

function unsupported(x: unknown): never {
  throw new IndexError(
    "unsupported selection item for orthogonal indexing; expected integer, slice, integer " +
      `array or Boolean array, got ${describeSelectionItem(x)}`,
  );
}

/**
 * Normalizes an orthogonal selection against `shape`: one {@link OrthogonalDim} per axis.
 * Integer arrays are wrapped and bounds-checked, masks become the ascending positions of their
 * true entries.
 *
 * Errors (all `IndexError` subclasses): an unsupported item -> "unsupported selection item for
 * orthogonal indexing; ..."; an n-d integer array -> "integer arrays in an orthogonal selection
 * must be 1-dimensional only"; an n-d mask -> "Boolean arrays in an orthogonal selection must be
 * 1-dimensional only"; a mask of the wrong length -> "Boolean array has the wrong length for
 * dimension; expected N, got M"; an index out of range -> `BoundsCheckError("index out of bounds
 * for dimension with length N")`; too many items -> "too many indices for array; ...".
 *
 * @example
 * ```ts
 * import { normalizeOrthogonalSelection } from "./orthogonal.ts";
 * const [a, b] = normalizeOrthogonalSelection([[-1, 0], [true, false, true]], [4, 3]);
 * console.log(a, b);
 * // { kind: "list", indices: Float64Array [3, 0] } { kind: "list", indices: Float64Array [0, 2] }
 * ```
 */
export function normalizeOrthogonalSelection(
  selection: OrthogonalSelection,
  shape: readonly number[],
): OrthogonalDim[] {
  const items = expandEllipsis(tupleItems(selection, shape), shape.length);
  return items.map((it, ax) => {
    const len = shape[ax];
    if (it === null || it === undefined || isSlice(it)) {
      return normalizeBasicSelection([it as null], [len])[0];
    }
    if (typeof it === "number" || typeof it === "bigint") {
      if (typeof it === "number" && !Number.isInteger(it)) unsupported(it);
      return normalizeBasicSelection([it], [len])[0];
    }
    const arr = parseIndexArray(it);
    if (arr === null) unsupported(it);
    if (arr.kind === "bool") {
      if (arr.shape.length !== 1) {
        throw new IndexError(
          "Boolean arrays in an orthogonal selection must be 1-dimensional only",
        );
      }
      if (arr.shape[0] !== len) {
        throw new IndexError(
          `Boolean array has the wrong length for dimension; expected ${len}, got ${arr.shape[0]}`,
        );
      }
      return { kind: "list", indices: nonzero(arr.data) };
    }
    if (arr.shape.length !== 1) {
      throw new IndexError("integer arrays in an orthogonal selection must be 1-dimensional only");
    }
    return { kind: "list", indices: normalizeIndices(arr.data, len) };
  });
}

/** Per-chunk groups of one index-list axis. */
interface ListPlan {
  entries: number;
  chunk: number[];
  chunkSel: AxisSelection[];
  outSel: AxisSelection[];
  complete: boolean[];
}

/**
 * Groups the indices of one axis by chunk: one stable sort by index value (skipped when already
 * non-decreasing), then a single pass that cuts the sorted list at chunk boundaries.
 */
function planList(idx: Float64Array, chunk: number, len: number): ListPlan {
  const n = idx.length;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (idx[i] < idx[i - 1]) {
      sorted = false;
      break;
    }
  }
  let vals = idx;
  let perm: Uint32Array | null = null;
  if (!sorted) {
    perm = argsortStable(idx, len - 1);
    vals = new Float64Array(n);
    for (let i = 0; i < n; i++) vals[i] = idx[perm[i]];
  }
  const local = new Uint32Array(n);
  const plan: ListPlan = { entries: 0, chunk: [], chunkSel: [], outSel: [], complete: [] };
  let a = 0;
  while (a < n) {
    const c = Math.floor(vals[a] / chunk);
    const lo = c * chunk;
    const hi = lo + chunk;
    let b = a;
    let distinct = 0;
    for (; b < n && vals[b] < hi; b++) {
      local[b] = vals[b] - lo;
      if (b === a || vals[b] !== vals[b - 1]) distinct++;
    }
    plan.chunk.push(c);
    plan.chunkSel.push(compactAxis(local.subarray(a, b)));
    plan.outSel.push(
      perm ? compactAxis(perm.subarray(a, b)) : { start: a, step: 1, count: b - a },
    );
    plan.complete.push(distinct === Math.min(chunk, len - lo));
    plan.entries++;
    a = b;
  }
  return plan;
}

type AxisState = { list: ListPlan } | { range: AxisPlan; step: number };

/**
 * Indexer for orthogonal selections with at least one index-list axis (use
 * {@link orthogonalIndexer}, which returns a {@link BasicIndexer} when there is none). Yields
 * one {@link OrthogonalProjection} per intersecting chunk, in C order of chunk coordinates.
 *
 * @example
 * ```ts
 * import { normalizeOrthogonalSelection, OrthogonalIndexer } from "./orthogonal.ts";
 * const shape = [6];
 * const ix = new OrthogonalIndexer(normalizeOrthogonalSelection([[5, 0, 4]], shape), shape, [4]);
 * for (const p of ix) console.log(p.chunkCoords, p.chunkSelection, p.outSelection);
 * // [0] [{ start: 0, step: 1, count: 1 }] [{ start: 1, step: 1, count: 1 }]
 * // [1] [{ start: 0, step: 1, count: 2 }] [{ start: 2, step: -2, count: 2 }]
 * ```
 */
export class OrthogonalIndexer implements Indexer {
  /** Projection kind. */
  readonly kind = "orthogonal" as const;
  /** Output shape (int axes dropped). */
  readonly shape: number[];
  /** Output shape with extent-1 axes where int axes were dropped. */
  readonly keepDimsShape: number[];
  /** Array axes dropped by integer indices, ascending. */
  readonly dropAxes: number[];
  /** Number of chunk projections. */
  readonly nchunks: number;
  readonly #axes: AxisState[];

  constructor(
    dims: readonly OrthogonalDim[],
    shape: readonly number[],
    chunkShape: readonly number[],
  ) {
    if (dims.length !== shape.length || chunkShape.length !== shape.length) {
      throw new ZarrValueError(
        `selection (${dims.length} axes), shape [${shape}] and chunks [${chunkShape}] ` +
          `must have the same rank`,
      );
    }
    this.shape = [];
    this.keepDimsShape = [];
    this.dropAxes = [];
    this.#axes = dims.map((d, i) => {
      const c = chunkShape[i];
      if (!Number.isInteger(c) || c < 1) {
        throw new ZarrValueError(`chunk sizes must be positive integers, got [${chunkShape}]`);
      }
      if (d.kind === "list") {
        if (c > MAX_U32) {
          throw new ZarrValueError(`chunk size ${c} is too large for index-array selections`);
        }
        this.shape.push(d.indices.length);
        this.keepDimsShape.push(d.indices.length);
        return { list: planList(d.indices, c, shape[i]) };
      }
      if (d.kind === "int") {
        this.dropAxes.push(i);
        this.keepDimsShape.push(1);
      } else {
        this.shape.push(d.count);
        this.keepDimsShape.push(d.count);
      }
      return { range: planAxis(d, c, shape[i]), step: d.kind === "range" ? d.step : 1 };
    });
    this.nchunks = product(this.#axes.map((a) => "list" in a ? a.list.entries : a.range.entries));
  }

  /**
   * The chunk projections (same as iterating the indexer).
   *
   * @example
   * ```ts
   * import { orthogonalIndexer } from "./orthogonal.ts";
   * const ix = orthogonalIndexer([[3, 0]], [4], [2]);
   * console.log([...ix].map((p) => p.chunkCoords)); // [[0], [1]]
   * ```
   */
  *projections(): Generator<OrthogonalProjection> {
    const axes = this.#axes;
    const r = axes.length;
    if (this.nchunks === 0) return;
    const sc: EntryScratch = {
      chunk: new Array(r),
      cStart: new Array(r),
      cCount: new Array(r),
      oStart: new Array(r),
      complete: new Array(r),
    };
    const idx = new Array<number>(r).fill(0);
    const set = (ax: number) => {
      const a = axes[ax];
      if ("range" in a) axisEntry(a.range, idx[ax], sc, ax);
    };
    for (let ax = 0; ax < r; ax++) set(ax);
    for (;;) {
      const chunkCoords = new Array<number>(r);
      const chunkSelection = new Array<AxisSelection>(r);
      const outSelection = new Array<AxisSelection>(r);
      let isComplete = true;
      for (let ax = 0; ax < r; ax++) {
        const a = axes[ax];
        const k = idx[ax];
        if ("list" in a) {
          chunkCoords[ax] = a.list.chunk[k];
          chunkSelection[ax] = a.list.chunkSel[k];
          outSelection[ax] = a.list.outSel[k];
          if (!a.list.complete[k]) isComplete = false;
        } else {
          chunkCoords[ax] = sc.chunk[ax];
          const cs: DimRange = { start: sc.cStart[ax], step: a.step, count: sc.cCount[ax] };
          chunkSelection[ax] = cs;
          outSelection[ax] = { start: sc.oStart[ax], step: 1, count: sc.cCount[ax] };
          if (!sc.complete[ax]) isComplete = false;
        }
      }
      yield { kind: "orthogonal", chunkCoords, chunkSelection, outSelection, isComplete };
      let ax = r - 1;
      for (; ax >= 0; ax--) {
        const a = axes[ax];
        const n = "list" in a ? a.list.entries : a.range.entries;
        if (++idx[ax] < n) {
          set(ax);
          break;
        }
        idx[ax] = 0;
        set(ax);
      }
      if (ax < 0) return;
    }
  }

  /** Iterates the chunk projections; see {@link OrthogonalIndexer.projections}. */
  [Symbol.iterator](): Iterator<OrthogonalProjection> {
    return this.projections();
  }
}

/**
 * Builds the indexer of an orthogonal selection: an {@link OrthogonalIndexer}, or a
 * {@link BasicIndexer} (the fast path) when the selection has no integer array or mask.
 *
 * @example
 * ```ts
 * import { orthogonalIndexer } from "./orthogonal.ts";
 * console.log(orthogonalIndexer([1, null], [4, 4], [2, 2]).kind); // basic
 * console.log(orthogonalIndexer([[1, 2], null], [4, 4], [2, 2]).kind); // orthogonal
 * ```
 */
export function orthogonalIndexer(
  selection: OrthogonalSelection,
  shape: readonly number[],
  chunkShape: readonly number[],
): BasicIndexer | OrthogonalIndexer {
  const dims = normalizeOrthogonalSelection(selection, shape);
  if (dims.every((d) => d.kind !== "list")) {
    return new BasicIndexer(dims as DimSelection[], shape, chunkShape);
  }
  return new OrthogonalIndexer(dims, shape, chunkShape);
}
