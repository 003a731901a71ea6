/**
 * Basic selections: parsing numpy-style strings and normalizing a selection against an array
 * shape into one {@link DimSelection} per axis.
 *
 * A selection is `undefined` or `null` (everything), a number (negative counts from the end;
 * drops the axis), a {@link Slice} (any step but 0, negative allowed), the ellipsis
 * ({@link ellipsis} or `"..."`), a numpy-style string (`"0:10, ::2, ..."`), or an array of
 * those, one per axis. Inside an array, `null`/`undefined` selects a whole axis (as in
 * zarr.js), and string items are parsed and spliced in. Missing trailing axes are whole.
 *
 * @example
 * ```ts
 * import { normalizeBasicSelection } from "./selection.ts";
 * console.log(normalizeBasicSelection("1, ::-2", [4, 5]));
 * // [{ kind: "int", index: 1 }, { kind: "range", start: 4, stop: -1, step: -2, count: 3 }]
 * ```
 * @module
 */
import { BoundsCheckError, IndexError, NegativeStepError } from "../../errors.ts";
import type { NDArray } from "../../buffer/ndarray.ts";
import {
  type Ellipsis,
  ellipsis,
  isEllipsis,
  isSlice,
  type Slice,
  slice,
  sliceIndices,
} from "./slice.ts";

/** One item of a basic selection. */
export type SelectionItem = number | bigint | Slice | Ellipsis | string | null | undefined;

/** A basic selection: one item, or an array of items (one per axis). */
export type BasicSelection = SelectionItem | readonly SelectionItem[];

/**
 * Integer typed arrays accepted as index arrays. `Uint8Array` is not among them: it is the
 * library's bytes type (`b"..."` in Python, rejected as a selection); pass uint8 indices as an
 * NDArray of dtype `"uint8"` or as a wider typed array.
 */
export type IntegerTypedArray =
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Nested JS arrays of `T` (any depth). */
export type NestedArray<T> = readonly (T | NestedArray<T>)[];

/**
 * An integer index array: a JS array of integers (`number` or `bigint`; nested arrays give
 * n-d coordinate arrays), an integer typed array, or an NDArray of an integer dtype. Negative
 * values count from the end of the axis.
 */
export type IntegerArray = NestedArray<number | bigint> | IntegerTypedArray | NDArray;

/**
 * A boolean mask: JS booleans (nested for n-d masks) or an NDArray of dtype `"bool"` (whose data
 * is a `Uint8Array` of 0/1). A bare `Uint8Array` is neither a mask nor an index array.
 */
export type BooleanMask = NestedArray<boolean> | NDArray;

/** One axis of an orthogonal selection: a basic item, a 1-d integer array or a 1-d mask. */
export type OrthogonalSelectionItem = SelectionItem | IntegerArray | BooleanMask;

/**
 * An orthogonal (outer) selection: one item per axis (a JS array is the per-axis tuple), or a
 * single item for the first axis. Each axis is selected independently: `[[0, 2], [1, 3]]`
 * selects the 2x2 block of rows 0, 2 and columns 1, 3.
 */
export type OrthogonalSelection = OrthogonalSelectionItem | readonly OrthogonalSelectionItem[];

/**
 * A coordinate (vectorized / point) selection: one integer or integer array per axis (a JS
 * array is the per-axis tuple), broadcast together numpy-style; the result has the broadcast
 * shape. `[[1, 2], [3, 4]]` selects the points (1, 3) and (2, 4).
 */
export type CoordinateSelection =
  | IntegerTypedArray
  | NDArray
  | readonly (number | bigint | IntegerArray)[];

/** A mask selection: one boolean mask of exactly the array's shape. */
export type MaskSelection = BooleanMask;

/**
 * A block selection: like a basic selection, but ints and slices count chunks (blocks), not
 * elements; slices must have step 1 (or none).
 */
export type BlockSelection = BasicSelection;

/**
 * Any selection accepted by `getitem`/`setitem`: basic selections, and, as in zarr-python's
 * `Array.__getitem__`, integer arrays and masks, dispatched to coordinate (vindex), mask or
 * orthogonal indexing.
 */
export type Selection =
  | BasicSelection
  | OrthogonalSelection
  | CoordinateSelection
  | MaskSelection;

/** A normalized selection along one axis. */
export type DimSelection =
  | { readonly kind: "int"; readonly index: number }
  | {
    readonly kind: "range";
    /** First index (resolved, within the axis unless `count` is 0). */
    readonly start: number;
    /** Python `slice.indices` stop (exclusive; `-1` possible for negative steps). */
    readonly stop: number;
    /** Step, never 0. */
    readonly step: number;
    /** Number of selected elements. */
    readonly count: number;
  };

/** Options of {@link normalizeBasicSelection}. */
export interface NormalizeOptions {
  /**
   * Whether negative slice steps are allowed (default `true`). When `false`, they raise
   * `NegativeStepError("only slices with step >= 1 are supported.")` like zarr-python.
   */
  allowNegativeStep?: boolean;
}

const INT_RE = /^[+-]?\d+$/;

/**
 * Parses a numpy-style selection string into selection items: comma-separated ints (`"5"`,
 * `"-1"`), slices (`":"`, `"0:10"`, `"::2"`, `"1:-1:-1"`) and `"..."`. Surrounding brackets or
 * parentheses and a trailing comma are allowed; `""` and `"()"` select everything (no items).
 * Bad syntax raises `IndexError` naming the string.
 *
 * @example
 * ```ts
 * import { parseSelectionString } from "./selection.ts";
 * console.log(parseSelectionString("0:10, ::2, ...").length); // 3
 * console.log(parseSelectionString("-1")); // [-1]
 * ```
 */
export function parseSelectionString(s: string): (number | Slice | Ellipsis)[] {
  const bad = (): never => {
    throw new IndexError(`invalid selection string '${s}'`);
  };
  let t = s.trim();
  if ((t.startsWith("[") && t.endsWith("]")) || (t.startsWith("(") && t.endsWith(")"))) {
    t = t.slice(1, -1).trim();
  }
  if (t === "") return [];
  const parts = t.split(",").map((p) => p.trim());
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  const out: (number | Slice | Ellipsis)[] = [];
  for (const p of parts) {
    if (p === "...") {
      out.push(ellipsis);
      continue;
    }
    if (INT_RE.test(p)) {
      out.push(Number(p));
      continue;
    }
    const fields = p.split(":").map((f) => f.trim());
    if (fields.length < 2 || fields.length > 3) bad();
    const nums = fields.map((f) => {
      if (f === "") return null;
      if (!INT_RE.test(f)) bad();
      return Number(f);
    });
    out.push(slice(nums[0], nums[1], nums[2] ?? null));
  }
  return out;
}

/**
 * A short description of a selection item for error messages (`"number 2.3"`, `"array"`,
 * `"Float64Array"`, `"null"`...).
 *
 * @example
 * ```ts
 * import { describeSelectionItem } from "./selection.ts";
 * console.log(describeSelectionItem(2.5)); // number 2.5
 * ```
 */
export function describeSelectionItem(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  if (typeof x === "number" || typeof x === "bigint") return `${typeof x} ${String(x)}`;
  if (typeof x === "symbol") return x.toString();
  if (typeof x === "string") return `string '${x}'`;
  if (isSlice(x)) return "slice";
  if (typeof x === "object" && "shape" in x && "dtype" in x) {
    const a = x as { shape: unknown; dtype: unknown };
    return `NDArray(shape=[${String(a.shape)}], dtype=${String(a.dtype)})`;
  }
  return typeof x;
}

const describe = describeSelectionItem;

function unsupported(x: unknown): never {
  throw new IndexError(
    `unsupported selection item for basic indexing; expected integer or slice, got ${describe(x)}`,
  );
}

/** Flattens a selection into its items (strings parsed). */
function selectionItems(sel: BasicSelection): SelectionItem[] {
  if (sel === undefined || sel === null) return [];
  if (typeof sel === "string") return isEllipsis(sel) ? [ellipsis] : parseSelectionString(sel);
  if (Array.isArray(sel)) {
    const out: SelectionItem[] = [];
    for (const item of sel as readonly unknown[]) {
      if (typeof item === "string") {
        if (isEllipsis(item)) out.push(ellipsis);
        else out.push(...parseSelectionString(item));
      } else out.push(item as SelectionItem);
    }
    return out;
  }
  return [sel as SelectionItem];
}

/** Shape of a rectangular nested JS array of booleans, or null when it is not one. */
function nestedBoolShape(x: unknown): number[] | null {
  if (!Array.isArray(x) || x.length === 0) return null;
  const shape: number[] = [];
  let node: unknown = x;
  while (Array.isArray(node)) {
    if (node.length === 0) return null;
    shape.push(node.length);
    node = node[0];
  }
  if (typeof node !== "boolean") return null;
  const ok = (a: unknown, d: number): boolean => {
    if (d === shape.length) return typeof a === "boolean";
    if (!Array.isArray(a) || a.length !== shape[d]) return false;
    for (const v of a) if (!ok(v, d + 1)) return false;
    return true;
  };
  return ok(x, 0) ? shape : null;
}

/**
 * Splits any selection into its per-axis items, the way every indexer reads a selection:
 * `undefined`/`null` gives no items (everything); a string is parsed (`"0:2, ..."`); a JS array
 * is the per-axis tuple (string items parsed and spliced in), except a flat array of booleans
 * and, when `shape` is given, nested booleans of exactly that shape: those are one mask item;
 * anything else (number, slice, typed array, NDArray) is a single item for the first axis.
 *
 * So `[[true, false], [false, true, true]]` is a tuple of two axis masks, while for a 2x2 array
 * `[[true, false], [false, true]]` is one 2-d mask (numpy reads a list of lists as one array).
 *
 * @example
 * ```ts
 * import { tupleItems } from "./selection.ts";
 * console.log(tupleItems("1, ::2").length, tupleItems([[1, 2], 3]).length); // 2 2
 * console.log(tupleItems([true, false]).length); // 1 (one mask)
 * console.log(tupleItems([[true], [false, true]], [1, 2]).length); // 2 (two axis masks)
 * ```
 */
export function tupleItems(sel: unknown, shape?: readonly number[]): unknown[] {
  if (sel === undefined || sel === null) return [];
  if (typeof sel === "string") return isEllipsis(sel) ? [ellipsis] : parseSelectionString(sel);
  if (Array.isArray(sel)) {
    const bs = nestedBoolShape(sel);
    if (
      bs !== null &&
      (bs.length === 1 ||
        (shape !== undefined && bs.length === shape.length && bs.every((n, i) => n === shape[i])))
    ) {
      return [sel];
    }
    const out: unknown[] = [];
    for (const item of sel as readonly unknown[]) {
      if (typeof item === "string") {
        if (isEllipsis(item)) out.push(ellipsis);
        else out.push(...parseSelectionString(item));
      } else out.push(item);
    }
    return out;
  }
  return [sel];
}

/**
 * Expands the ellipsis of a list of per-axis items and pads missing trailing axes with `null`
 * (whole axis), checking the count like numpy: more items than axes raises
 * `IndexError("too many indices for array; expected X, got Y")`, two ellipses raise
 * `IndexError`.
 *
 * @example
 * ```ts
 * import { expandEllipsis } from "./selection.ts";
 * import { ellipsis } from "./slice.ts";
 * console.log(expandEllipsis([ellipsis, 1], 3)); // [null, null, 1]
 * ```
 */
export function expandEllipsis(items: readonly unknown[], ndim: number): unknown[] {
  let nEll = 0;
  for (const it of items) if (isEllipsis(it)) nEll++;
  if (nEll > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const nReal = items.length - nEll;
  if (nReal > ndim) {
    throw new IndexError(`too many indices for array; expected ${ndim}, got ${nReal}`);
  }
  const out: unknown[] = [];
  for (const it of items) {
    if (isEllipsis(it)) { for (let k = 0; k < ndim - nReal; k++) out.push(null); }
    else out.push(it);
  }
  while (out.length < ndim) out.push(null);
  return out;
}

/**
 * True when a selection is a basic one (ints, slices, ellipsis, strings, `null`), so that
 * `getitem` can dispatch anything else (integer arrays, masks) to orthogonal/coordinate
 * indexing.
 *
 * @example
 * ```ts
 * import { isBasicSelection } from "./selection.ts";
 * console.log(isBasicSelection([1, null]), isBasicSelection([[1, 2]])); // true false
 * ```
 */
export function isBasicSelection(sel: unknown): sel is BasicSelection {
  const ok = (x: unknown) =>
    x === undefined || x === null || typeof x === "number" || typeof x === "bigint" ||
    typeof x === "string" || isSlice(x) || x === ellipsis;
  if (Array.isArray(sel)) return sel.every(ok);
  return ok(sel);
}

/**
 * Normalizes a basic selection against `shape`: expands the ellipsis, fills missing trailing
 * axes with full ranges, resolves negative ints and clamps slices (Python `slice.indices`).
 *
 * Errors (all `ZarrError` subclasses): more items than axes -> `IndexError("too many indices
 * for array; expected X, got Y")`; two ellipses -> `IndexError`; an int out of range ->
 * `BoundsCheckError("index out of bounds for dimension with length N")`; a non-integer number,
 * an array or another object -> `IndexError("unsupported selection item for basic indexing;
 * ...")`; step 0 -> `ZarrValueError("slice step cannot be zero")`.
 *
 * @example
 * ```ts
 * import { normalizeBasicSelection } from "./selection.ts";
 * import { ellipsis, slice } from "./slice.ts";
 * const dims = normalizeBasicSelection([ellipsis, slice(1, 3)], [10, 4, 5]);
 * console.log(dims.map((d) => d.kind === "range" ? d.count : d.index)); // [10, 4, 2]
 * ```
 */
export function normalizeBasicSelection(
  sel: BasicSelection,
  shape: readonly number[],
  opts: NormalizeOptions = {},
): DimSelection[] {
  const items = selectionItems(sel);
  const ndim = shape.length;
  let nEll = 0;
  for (const it of items) if (isEllipsis(it)) nEll++;
  if (nEll > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const nReal = items.length - nEll;
  if (nReal > ndim) {
    throw new IndexError(`too many indices for array; expected ${ndim}, got ${nReal}`);
  }
  const expanded: SelectionItem[] = [];
  for (const it of items) {
    if (isEllipsis(it)) { for (let k = 0; k < ndim - nReal; k++) expanded.push(null); }
    else expanded.push(it);
  }
  while (expanded.length < ndim) expanded.push(null);
  const allowNeg = opts.allowNegativeStep ?? true;
  const out: DimSelection[] = new Array(ndim);
  for (let i = 0; i < ndim; i++) {
    const it = expanded[i];
    const len = shape[i];
    if (it === null || it === undefined) {
      out[i] = { kind: "range", start: 0, stop: len, step: 1, count: len };
    } else if (typeof it === "number" || typeof it === "bigint") {
      const v = typeof it === "bigint" ? Number(it) : it;
      if (!Number.isInteger(v)) unsupported(it);
      const idx = v < 0 ? v + len : v;
      if (idx < 0 || idx >= len) {
        throw new BoundsCheckError(`index out of bounds for dimension with length ${len}`);
      }
      out[i] = { kind: "int", index: idx };
    } else if (isSlice(it)) {
      if (!allowNeg && it.step !== null && it.step !== undefined && it.step < 0) {
        throw new NegativeStepError("only slices with step >= 1 are supported.");
      }
      const r = sliceIndices(it, len);
      out[i] = { kind: "range", start: r.start, stop: r.stop, step: r.step, count: r.count };
    } else {
      unsupported(it);
    }
  }
  return out;
}

/**
 * The shape a normalized selection produces (int axes dropped).
 *
 * @example
 * ```ts
 * import { normalizeBasicSelection, selectionShape } from "./selection.ts";
 * console.log(selectionShape(normalizeBasicSelection([0, "1:3"], [4, 5, 6]))); // [2, 6]
 * ```
 */
export function selectionShape(dims: readonly DimSelection[]): number[] {
  const out: number[] = [];
  for (const d of dims) if (d.kind === "range") out.push(d.count);
  return out;
}
