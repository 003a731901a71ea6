/**
 * Coordinate (vectorized, "point") indexing, zarr-python's `get_coordinate_selection` /
 * `vindex`: one integer or integer array per axis, broadcast together numpy-style; the result
 * has the broadcast shape (`[1]` when every item is a scalar, as in zarr-python).
 *
 * The points are grouped by chunk with one stable sort of their raveled chunk index (skipped
 * when already grouped), so every intersecting chunk is visited once with all its points;
 * within a chunk the points keep their order, so a point repeated in an assignment keeps the
 * last value (numpy's rule). Memory is proportional to the number of points.
 *
 * @example
 * ```ts
 * import { CoordinateIndexer } from "./coordinate.ts";
 * const ix = CoordinateIndexer.fromSelection([[9, 0, 8], [1, 1, 0]], [10, 2], [5, 2]);
 * console.log(ix.shape, ix.nchunks); // [3] 2
 * for (const p of ix) console.log(p.chunkCoords, p.chunkSelection, p.outSelection);
 * // [0, 0] [Uint32Array [0], Uint32Array [1]] { start: 1, step: 1, count: 1 }
 * // [1, 0] [Uint32Array [4, 3], Uint32Array [1, 0]] { start: 0, step: 2, count: 2 }
 * ```
 * @module
 */
import { IndexError, ZarrValueError } from "../../errors.ts";
import { compactAxis, type IndexList } from "../../buffer/gather.ts";
import type { DimRange } from "../../buffer/copy.ts";
import { product } from "../../buffer/ndarray.ts";
import { chunkGridShape } from "./chunk_grid.ts";
import type { Indexer, PointProjection } from "./projection.ts";
import { type CoordinateSelection, describeSelectionItem, tupleItems } from "./selection.ts";
import {
  argsortStable,
  broadcastShapes,
  broadcastTo,
  normalizeIndices,
  parseIndexArray,
} from "./int_array.ts";

/** Largest number of points (and largest chunk extent) a coordinate selection may have. */
const MAX_POINTS = 0xffffffff;

/** Normalized coordinates: one flat C-order array per axis (all of the same length). */
export interface NormalizedCoordinates {
  /** Per array axis, the (wrapped, bounds-checked) index of every point. */
  coords: Float64Array[];
  /** The shape of the result (the broadcast shape, or `[1]` for all-scalar selections). */
  selShape: number[];
}

function invalid(selection: unknown): never {
  throw new IndexError(
    "invalid coordinate selection; expected one integer (coordinate) array per dimension of " +
      `the target array, got ${describeSelectionItem(selection)}`,
  );
}

/**
 * Normalizes a coordinate selection against `shape`: checks it has one integer or integer array
 * per axis (else `IndexError("invalid coordinate selection; ...")`), wraps negative indices and
 * bounds-checks (`BoundsCheckError`), and broadcasts the arrays together (`ZarrValueError` with
 * numpy's message when they do not broadcast).
 *
 * @example
 * ```ts
 * import { normalizeCoordinateSelection } from "./coordinate.ts";
 * const { coords, selShape } = normalizeCoordinateSelection([1, [0, -1]], [3, 4]);
 * console.log(selShape, coords); // [2] [Float64Array [1, 1], Float64Array [0, 3]]
 * ```
 */
export function normalizeCoordinateSelection(
  selection: CoordinateSelection,
  shape: readonly number[],
): NormalizedCoordinates {
  const items = tupleItems(selection, shape);
  if (items.length !== shape.length || shape.length === 0) invalid(selection);
  const parsed = items.map((it) => {
    if (typeof it === "bigint" || (typeof it === "number" && Number.isInteger(it))) {
      return { shape: [] as number[], data: Float64Array.of(Number(it)) };
    }
    const a = parseIndexArray(it);
    if (a === null || a.kind !== "int") invalid(selection);
    return { shape: a.shape, data: a.data };
  });
  parsed.forEach((p, ax) => normalizeIndices(p.data, shape[ax]));
  const b = broadcastShapes(parsed.map((p) => p.shape));
  const selShape = b.length === 0 ? [1] : b;
  const n = product(selShape);
  if (n > MAX_POINTS) {
    throw new ZarrValueError(
      `coordinate selection of ${n} points (shape [${selShape}]) is too large`,
    );
  }
  const coords = parsed.map((p) => broadcastTo(p.data, p.shape, b));
  return { coords, selShape };
}

/**
 * Indexer for point selections over a regular chunk grid (coordinate and mask selections).
 * Yields one {@link PointProjection} per intersecting chunk, in ascending C order of chunk
 * coordinates. `isComplete` is true when a chunk's points cover all of its in-bounds elements.
 *
 * @example
 * ```ts
 * import { CoordinateIndexer } from "./coordinate.ts";
 * const ix = new CoordinateIndexer([Float64Array.of(3, 0)], [2], [6], [3]);
 * console.log(ix.shape, [...ix].map((p) => p.chunkCoords)); // [2] [[0], [1]]
 * ```
 */
export class CoordinateIndexer implements Indexer {
  /** Projection kind. */
  readonly kind = "points" as const;
  /** Output shape (the selection's broadcast shape). */
  readonly shape: number[];
  /** Same as `shape`: no axis is dropped. */
  readonly keepDimsShape: number[];
  /** Always empty. */
  readonly dropAxes: number[] = [];
  /** Number of chunk projections. */
  readonly nchunks: number;
  readonly #chunkShape: number[];
  readonly #arrayShape: number[];
  readonly #grid: number[];
  readonly #local: Uint32Array[];
  readonly #perm: Uint32Array | null;
  readonly #starts: number[];
  readonly #keys: number[];

  /**
   * @param coords per array axis, the normalized index of every point (equal lengths)
   * @param selShape the output shape (its size is the number of points)
   * @param shape the array shape
   * @param chunkShape the regular chunk shape
   */
  constructor(
    coords: readonly Float64Array[],
    selShape: readonly number[],
    shape: readonly number[],
    chunkShape: readonly number[],
  ) {
    const r = shape.length;
    if (coords.length !== r || chunkShape.length !== r) {
      throw new ZarrValueError(
        `coordinates (${coords.length} axes), shape [${shape}] and chunks [${chunkShape}] ` +
          `must have the same rank`,
      );
    }
    const n = product(selShape);
    for (const c of coords) {
      if (c.length !== n) {
        throw new ZarrValueError(`coordinate arrays must have ${n} entries, got ${c.length}`);
      }
    }
    for (const c of chunkShape) {
      if (c > MAX_POINTS) {
        throw new ZarrValueError(`chunk size ${c} is too large for coordinate selections`);
      }
    }
    const grid = chunkGridShape(shape, chunkShape);
    if (product(grid) > Number.MAX_SAFE_INTEGER) {
      throw new ZarrValueError(`chunk grid [${grid}] is too large for coordinate selections`);
    }
    this.shape = [...selShape];
    this.keepDimsShape = [...selShape];
    this.#chunkShape = [...chunkShape];
    this.#arrayShape = [...shape];
    this.#grid = grid;
    // Raveled chunk index of every point, and the chunk-local coordinates.
    const rav = new Float64Array(n);
    let local = coords.map(() => new Uint32Array(n));
    for (let ax = 0; ax < r; ax++) {
      const c = coords[ax];
      const ch = chunkShape[ax];
      const g = grid[ax];
      const loc = local[ax];
      for (let k = 0; k < n; k++) {
        const ci = Math.floor(c[k] / ch);
        loc[k] = c[k] - ci * ch;
        rav[k] = rav[k] * g + ci;
      }
    }
    let sorted = true;
    let maxKey = 0;
    for (let k = 0; k < n; k++) {
      if (k > 0 && rav[k] < rav[k - 1]) sorted = false;
      if (rav[k] > maxKey) maxKey = rav[k];
    }
    let keys = rav;
    this.#perm = null;
    if (!sorted) {
      const perm = argsortStable(rav, maxKey);
      keys = new Float64Array(n);
      for (let k = 0; k < n; k++) keys[k] = rav[perm[k]];
      local = local.map((loc) => {
        const out = new Uint32Array(n);
        for (let k = 0; k < n; k++) out[k] = loc[perm[k]];
        return out;
      });
      this.#perm = perm;
    }
    this.#local = local;
    this.#starts = [];
    this.#keys = [];
    for (let k = 0; k < n; k++) {
      if (k === 0 || keys[k] !== keys[k - 1]) {
        this.#starts.push(k);
        this.#keys.push(keys[k]);
      }
    }
    this.#starts.push(n);
    this.nchunks = this.#keys.length;
  }

  /**
   * Normalizes a coordinate selection (see {@link normalizeCoordinateSelection}) and builds the
   * indexer.
   *
   * @example
   * ```ts
   * import { CoordinateIndexer } from "./coordinate.ts";
   * console.log(CoordinateIndexer.fromSelection([[[1, 2], [3, 4]]], [5], [2]).shape); // [2, 2]
   * ```
   */
  static fromSelection(
    selection: CoordinateSelection,
    shape: readonly number[],
    chunkShape: readonly number[],
  ): CoordinateIndexer {
    const { coords, selShape } = normalizeCoordinateSelection(selection, shape);
    return new CoordinateIndexer(coords, selShape, shape, chunkShape);
  }

  /** Whether the points `[a, b)` (one chunk's) cover every in-bounds element of the chunk. */
  #covers(a: number, b: number, coords: number[]): boolean {
    const extents = coords.map((c, i) =>
      Math.min(this.#chunkShape[i], this.#arrayShape[i] - c * this.#chunkShape[i])
    );
    const total = product(extents);
    if (b - a < total) return false;
    const seen = new Uint8Array(total);
    let hit = 0;
    const r = extents.length;
    for (let k = a; k < b; k++) {
      let off = 0;
      for (let ax = 0; ax < r; ax++) off = off * extents[ax] + this.#local[ax][k];
      if (!seen[off]) {
        seen[off] = 1;
        hit++;
      }
    }
    return hit === total;
  }

  /**
   * The chunk projections (same as iterating the indexer).
   *
   * @example
   * ```ts
   * import { CoordinateIndexer } from "./coordinate.ts";
   * const ix = CoordinateIndexer.fromSelection([[0, 1]], [2], [2]);
   * console.log([...ix.projections()][0].isComplete); // true
   * ```
   */
  *projections(): Generator<PointProjection> {
    const r = this.#grid.length;
    for (let g = 0; g < this.#keys.length; g++) {
      const a = this.#starts[g];
      const b = this.#starts[g + 1];
      const chunkCoords = new Array<number>(r);
      let key = this.#keys[g];
      for (let ax = r - 1; ax >= 0; ax--) {
        const n = this.#grid[ax];
        chunkCoords[ax] = key % n;
        key = Math.floor(key / n);
      }
      const chunkSelection = this.#local.map((loc) => loc.subarray(a, b));
      let outSelection: DimRange | IndexList;
      if (this.#perm) {
        const o = compactAxis(this.#perm.subarray(a, b));
        outSelection = o;
      } else outSelection = { start: a, step: 1, count: b - a };
      // computed on demand: only writes ask (it may scan the chunk's points once)
      const covers = () => this.#covers(a, b, chunkCoords);
      yield {
        kind: "points",
        chunkCoords,
        chunkSelection,
        outSelection,
        get isComplete() {
          return covers();
        },
      };
    }
  }

  /** Iterates the chunk projections; see {@link CoordinateIndexer.projections}. */
  [Symbol.iterator](): Iterator<PointProjection> {
    return this.projections();
  }
}
