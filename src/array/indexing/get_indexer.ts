/**
 * Selection dispatch, zarr-python's `get_indexer` (what `Array.__getitem__`/`__setitem__` do)
 * and `VIndex` (what `vindex` does).
 *
 * `getitem`/`setitem` take any selection and pick the indexer like zarr-python:
 * 1. "pure fancy" selections go to vectorized indexing: a boolean NDArray (or nested JS
 *    booleans of depth >= 2) is a mask selection; on a 1-d array a bare integer typed array,
 *    integer NDArray or flat boolean array is a coordinate/mask selection; a tuple with one
 *    item per axis, no slices/ellipsis/`null`, only ints and integer arrays, and at least one
 *    integer array is a coordinate selection (`[[1, 2], [3, 4]]` are two points);
 * 2. "pure orthogonal" selections go to orthogonal indexing: one integer array or mask per axis,
 *    or at most one of them among ints, slices and `null` (`[[0, 2], zarr.slice(1, 3)]`);
 * 3. everything else is a basic selection (where arrays raise `IndexError("unsupported
 *    selection item for basic indexing; ...")`).
 *
 * A JS array is always the per-axis tuple (Python's tuple); write Python's `z[[0, 2]]` as
 * `getitem([[0, 2]])` or `getitem(Int32Array.of(0, 2))`.
 *
 * @example
 * ```ts
 * import { getIndexer } from "./get_indexer.ts";
 * console.log(getIndexer([[1, 2], [1, 2]], [20, 20], [5, 5]).kind); // points
 * console.log(getIndexer([[1, 2], "1:3"], [20, 20], [5, 5]).kind); // orthogonal
 * console.log(getIndexer("1:3, 2", [20, 20], [5, 5]).kind); // basic
 * ```
 * @module
 */
import { VindexInvalidSelectionError } from "../../errors.ts";
import { isNDArray } from "../../buffer/ndarray.ts";
import { BasicIndexer } from "./basic.ts";
import { CoordinateIndexer } from "./coordinate.ts";
import { indexArrayKind } from "./int_array.ts";
import { isMaskSelection, MaskIndexer } from "./mask.ts";
import { orthogonalIndexer } from "./orthogonal.ts";
import type { Indexer } from "./projection.ts";
import {
  type BasicSelection,
  type CoordinateSelection,
  describeSelectionItem,
  type MaskSelection,
  type OrthogonalSelection,
  type Selection,
  tupleItems,
} from "./selection.ts";
import { isEllipsis, isSlice } from "./slice.ts";

function isInt(x: unknown): boolean {
  return typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x));
}

/** zarr-python's `is_pure_fancy_indexing`. */
function isPureFancy(sel: unknown, items: readonly unknown[], ndim: number): boolean {
  if (isNDArray(sel) && sel.dtype === "bool") return true;
  if (Array.isArray(sel) && items.length === 1 && items[0] === sel) {
    // a mask given as JS booleans: n-d of the array's shape, or flat on a 1-d array
    return ndim === 1 || (Array.isArray(sel[0]) && ndim > 1);
  }
  if (ndim === 1 && !Array.isArray(sel) && indexArrayKind(sel) === "int") return true;
  if (items.length !== ndim) return false;
  let anyArray = false;
  for (const it of items) {
    if (it === null || it === undefined || isSlice(it) || isEllipsis(it)) return false;
    if (isInt(it)) continue;
    if (indexArrayKind(it) !== "int") return false;
    anyArray = true;
  }
  return anyArray;
}

/**
 * zarr-python's `is_pure_orthogonal_indexing`; returns the number of array items, or -1 when
 * the selection is not orthogonal.
 */
function orthogonalArrays(items: readonly unknown[], ndim: number): number {
  if (ndim === 0) return -1;
  let arrays = 0;
  let ok = true;
  for (const it of items) {
    if (indexArrayKind(it) !== null) arrays++;
    else if (!(isInt(it) || isSlice(it) || it === null || it === undefined)) ok = false;
  }
  if (items.length === ndim && arrays === ndim) return arrays;
  return ok && items.length <= ndim && arrays <= 1 ? arrays : -1;
}

/**
 * The indexer `getitem`/`setitem` use for `selection` (see the module notes for the rules).
 *
 * @example
 * ```ts
 * import { getIndexer } from "./get_indexer.ts";
 * const ix = getIndexer([[2, 0]], [4, 3], [2, 3]); // rows 2 and 0
 * console.log(ix.kind, ix.shape); // orthogonal [2, 3]
 * ```
 */
export function getIndexer(
  selection: Selection,
  shape: readonly number[],
  chunkShape: readonly number[],
): Indexer {
  const ndim = shape.length;
  const items = tupleItems(selection, shape);
  if (isPureFancy(selection, items, ndim)) {
    return vindexIndexer(selection as CoordinateSelection | MaskSelection, shape, chunkShape);
  }
  if (orthogonalArrays(items, ndim) > 0) {
    return orthogonalIndexer(selection as OrthogonalSelection, shape, chunkShape);
  }
  return BasicIndexer.fromSelection(selection as BasicSelection, shape, chunkShape);
}

/**
 * The indexer of a `vindex` selection: a coordinate selection (one integer or integer array
 * per axis) or a mask selection (one boolean array of the array's shape); anything else raises
 * `VindexInvalidSelectionError` (an `IndexError`).
 *
 * @example
 * ```ts
 * import { vindexIndexer } from "./get_indexer.ts";
 * console.log(vindexIndexer([[0, 1], 2], [3, 3], [2, 2]).shape); // [2]
 * console.log(vindexIndexer([[true, false, true]], [1, 3], [1, 3]).shape); // [2]
 * ```
 */
export function vindexIndexer(
  selection: CoordinateSelection | MaskSelection,
  shape: readonly number[],
  chunkShape: readonly number[],
): Indexer {
  const items = tupleItems(selection, shape);
  if (
    shape.length > 0 && items.length === shape.length &&
    items.every((it) => isInt(it) || indexArrayKind(it) === "int")
  ) {
    return CoordinateIndexer.fromSelection(selection as CoordinateSelection, shape, chunkShape);
  }
  if (isMaskSelection(selection, shape)) {
    return new MaskIndexer(selection as MaskSelection, shape, chunkShape);
  }
  throw new VindexInvalidSelectionError(
    "unsupported selection type for vectorized indexing; only coordinate selection (tuple of " +
      "integer arrays) and mask selection (single Boolean array) are supported; got " +
      describeSelectionItem(selection),
  );
}
