/**
 * Mask selection, zarr-python's `get_mask_selection` / `vindex[mask]`: one boolean array of
 * exactly the array's shape; the result is 1-d, the selected elements in C order. The mask's
 * true positions become coordinates and the rest is a {@link CoordinateIndexer}.
 *
 * @example
 * ```ts
 * import { MaskIndexer } from "./mask.ts";
 * const ix = new MaskIndexer([[true, false], [false, true]], [2, 2], [1, 2]);
 * console.log(ix.shape, ix.nchunks); // [2] 2
 * ```
 * @module
 */
import { IndexError } from "../../errors.ts";
import { CoordinateIndexer } from "./coordinate.ts";
import { parseIndexArray, pyShape } from "./int_array.ts";
import { describeSelectionItem, type MaskSelection, tupleItems } from "./selection.ts";

/**
 * True when `selection` is a mask selection for `shape`: a single boolean array (JS booleans or
 * a `"bool"` NDArray) with exactly that shape.
 *
 * @example
 * ```ts
 * import { isMaskSelection } from "./mask.ts";
 * console.log(isMaskSelection([true, false], [2]), isMaskSelection([true], [2])); // true false
 * ```
 */
export function isMaskSelection(selection: unknown, shape: readonly number[]): boolean {
  const items = tupleItems(selection, shape);
  if (items.length !== 1 || shape.length === 0) return false;
  let a;
  try {
    a = parseIndexArray(items[0]);
  } catch {
    return false;
  }
  return a !== null && a.kind === "bool" && a.shape.length === shape.length &&
    a.shape.every((n, i) => n === shape[i]);
}

/**
 * The coordinates of the true entries of a mask, one flat array per axis, in C order. A
 * selection that is not one boolean array of exactly `shape` raises `IndexError("invalid mask
 * selection; ...")`.
 *
 * @example
 * ```ts
 * import { maskCoordinates } from "./mask.ts";
 * console.log(maskCoordinates([[false, true], [true, true]], [2, 2]));
 * // [Float64Array [0, 1, 1], Float64Array [1, 0, 1]]
 * ```
 */
export function maskCoordinates(
  selection: MaskSelection,
  shape: readonly number[],
): Float64Array[] {
  const items = tupleItems(selection, shape);
  const a = items.length === 1 && shape.length > 0 ? parseIndexArray(items[0]) : null;
  if (
    a === null || a.kind !== "bool" || a.shape.length !== shape.length ||
    a.shape.some((n, i) => n !== shape[i])
  ) {
    const got = a
      ? `a ${a.kind} array of shape ${pyShape(a.shape)}`
      : describeSelectionItem(selection);
    throw new IndexError(
      "invalid mask selection; expected one Boolean (mask) array with the same shape as the " +
        `target array ${pyShape(shape)}, got ${got}`,
    );
  }
  const r = shape.length;
  const m = a.data;
  let n = 0;
  for (let i = 0; i < m.length; i++) if (m[i]) n++;
  const coords = shape.map(() => new Float64Array(n));
  const idx = new Array<number>(r).fill(0);
  for (let i = 0, k = 0; i < m.length; i++) {
    if (m[i]) {
      for (let ax = 0; ax < r; ax++) coords[ax][k] = idx[ax];
      k++;
    }
    for (let ax = r - 1; ax >= 0; ax--) {
      if (++idx[ax] < shape[ax]) break;
      idx[ax] = 0;
    }
  }
  return coords;
}

/**
 * Indexer for mask selections: a {@link CoordinateIndexer} over the mask's true positions.
 *
 * @example
 * ```ts
 * import { MaskIndexer } from "./mask.ts";
 * const ix = new MaskIndexer([false, true, true, false, true], [5], [2]);
 * console.log(ix.shape, [...ix].map((p) => p.chunkCoords)); // [3] [[0], [1], [2]]
 * ```
 */
export class MaskIndexer extends CoordinateIndexer {
  constructor(selection: MaskSelection, shape: readonly number[], chunkShape: readonly number[]) {
    const coords = maskCoordinates(selection, shape);
    super(coords, [coords[0].length], shape, chunkShape);
  }
}
