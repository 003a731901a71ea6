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

/** Any selection accepted by `getitem`/`setitem` (currently the basic ones). */
export type Selection = BasicSelection;

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

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  if (typeof x === "number" || typeof x === "bigint") return `${typeof x} ${String(x)}`;
  if (typeof x === "symbol") return x.toString();
  return typeof x;
}

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
