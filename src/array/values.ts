/**
 * User write values -> C-contiguous containers of the array's dtype. Values already converted by
 * the library (`{data, shape, _coerced: true}`) pass through untouched.
 *
 * @example
 * ```ts
 * import { parseDataType } from "../metadata/dtype.ts";
 * import { coerceToContainer } from "./values.ts";
 * console.log(coerceToContainer([[1, 2]], parseDataType("int16")).shape); // [1, 2]
 * ```
 * @module
 */
import type { DataContainer, DataType } from "../metadata/dtype.ts";
import { toContainer } from "../buffer/copy.ts";

/** A container already in the target dtype, C-contiguous. */
export interface Coerced {
  data: DataContainer;
  shape: number[];
  _coerced: true;
}

/** Converts a user value (NDArray, typed array, nested arrays, scalar) to the dtype. */
export function coerceToContainer(
  value: unknown,
  dt: DataType,
): { data: DataContainer; shape: number[] } {
  if (value && typeof value === "object" && (value as Coerced)._coerced === true) {
    const c = value as Coerced;
    return { data: c.data, shape: c.shape };
  }
  return toContainer(value, dt);
}
