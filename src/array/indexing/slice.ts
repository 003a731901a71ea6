/**
 * Slices and the ellipsis, the building blocks of basic selections (`zarr.slice`,
 * `zarr.ellipsis`).
 *
 * @example
 * ```ts
 * import { ellipsis, slice } from "./slice.ts";
 * const sel = [slice(0, 10, 2), ellipsis, 3]; // numpy: a[0:10:2, ..., 3]
 * console.log(sel[0]); // { kind: "slice", start: 0, stop: 10, step: 2 }
 * ```
 * @module
 */
import { IndexError, ZarrValueError } from "../../errors.ts";

/** A Python-style slice. `null` means "not given" (numpy's `None`). */
export interface Slice {
  readonly kind: "slice";
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
}

/**
 * The ellipsis (`...`): as many full slices as needed to fill the remaining axes. The string
 * `"..."` is accepted wherever this is.
 */
export const ellipsis: unique symbol = Symbol.for("zarr.ellipsis");
/** Type of {@link ellipsis}. */
export type Ellipsis = typeof ellipsis;

function checkPart(name: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new IndexError(`slice ${name} must be an integer or null, got ${String(v)}`);
  }
  return v;
}

/**
 * Makes a slice, like Python's `slice()`: with one argument it is the stop (`slice(5)` is
 * `:5`), otherwise `(start, stop, step)`; omitted or `null` parts take numpy's defaults.
 * Negative indices count from the end and negative steps walk backwards. A step of 0 is
 * rejected when the slice is applied to an array.
 *
 * @example
 * ```ts
 * import { slice } from "./slice.ts";
 * slice(5); // :5
 * slice(2, null); // 2:
 * slice(null, null, -1); // ::-1
 * ```
 */
export function slice(stop?: number | bigint | null): Slice;
/** Makes a slice `start:stop:step`. */
export function slice(
  start: number | bigint | null | undefined,
  stop: number | bigint | null | undefined,
  step?: number | bigint | null,
): Slice;
export function slice(...args: (number | bigint | null | undefined)[]): Slice {
  if (args.length > 3) {
    throw new IndexError(`slice expected at most 3 arguments, got ${args.length}`);
  }
  const [a, b, c] = args.length <= 1 ? [null, args[0], null] : args;
  return Object.freeze({
    kind: "slice" as const,
    start: checkPart("start", a),
    stop: checkPart("stop", b),
    step: checkPart("step", c),
  });
}

/**
 * True when `x` is a {@link Slice} (any object with `kind: "slice"`).
 *
 * @example
 * ```ts
 * import { isSlice, slice } from "./slice.ts";
 * console.log(isSlice(slice(1, 2)), isSlice(3)); // true false
 * ```
 */
export function isSlice(x: unknown): x is Slice {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "slice";
}

/**
 * True when `x` is the ellipsis: {@link ellipsis} or the string `"..."`.
 *
 * @example
 * ```ts
 * import { ellipsis, isEllipsis } from "./slice.ts";
 * console.log(isEllipsis(ellipsis), isEllipsis("..."), isEllipsis(0)); // true true false
 * ```
 */
export function isEllipsis(x: unknown): x is Ellipsis | "..." {
  return x === ellipsis || x === "...";
}

/** Python's `slice.indices(length)` plus the number of elements. */
export interface SliceIndices {
  start: number;
  stop: number;
  step: number;
  count: number;
}

/**
 * Resolves a slice against an axis length exactly like Python's `slice.indices(length)`
 * (clamping out-of-range bounds) and counts the selected elements. Throws `ZarrValueError`
 * for step 0 (see `normalizeBasicSelection` for the message).
 *
 * @example
 * ```ts
 * import { slice, sliceIndices } from "./slice.ts";
 * console.log(sliceIndices(slice(null, null, -2), 5)); // { start: 4, stop: -1, step: -2, count: 3 }
 * ```
 */
export function sliceIndices(s: Slice, length: number): SliceIndices {
  const step = checkPart("step", s.step) ?? 1;
  if (step === 0) throw new ZarrValueError("slice step cannot be zero");
  const startIn = checkPart("start", s.start);
  const stopIn = checkPart("stop", s.stop);
  const lower = step < 0 ? -1 : 0;
  const upper = step < 0 ? length - 1 : length;
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) {
      v += length;
      return v < lower ? lower : v;
    }
    return v > upper ? upper : v;
  };
  const start = clamp(startIn, step < 0 ? upper : lower);
  const stop = clamp(stopIn, step < 0 ? lower : upper);
  let count = 0;
  if (step > 0) {
    if (start < stop) count = Math.floor((stop - start - 1) / step) + 1;
  } else if (stop < start) count = Math.floor((start - stop - 1) / -step) + 1;
  return { start, stop, step, count };
}
