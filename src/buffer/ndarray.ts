/**
 * The CPU n-dimensional array that reads return: `{ data, shape, stride, dtype }`.
 *
 * `data` is a flat container (typed array, `string[]` or `Uint8Array[]`), `stride` counts
 * elements (not bytes; complex values occupy two slots of `data` but one element of stride), and
 * `dtype` is the public dtype string (`"float32"`, `"U10"`, `"datetime64[ns]"`...).
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 * const a = ndarray(new Float32Array(6), [2, 3]);
 * console.log(a.stride); // [3, 1]
 * ```
 * @module
 */
import {
  type DataContainer,
  type DataType,
  inferDataType,
  parseDataType,
} from "../metadata/dtype.ts";
import { ZarrValueError } from "../errors.ts";

/** A CPU n-dimensional array. */
export interface NDArray {
  /** Flat values. */
  data: DataContainer;
  /** Extent per axis. */
  shape: number[];
  /** Element strides per axis. */
  stride: number[];
  /** Public dtype string. */
  dtype: string;
}

/** C-order (row-major) strides of a shape, in elements. */
export function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** F-order (column-major) strides of a shape, in elements. */
export function fStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = 0; i < shape.length; i++) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Product of a shape. */
export function product(shape: readonly number[]): number {
  let p = 1;
  for (const n of shape) p *= n;
  return p;
}

/**
 * Builds a C-contiguous NDArray around a container. The dtype is inferred from typed arrays
 * when not given.
 */
export function ndarray(
  data: DataContainer,
  shape: number[],
  dtype?: string | DataType,
  stride?: number[],
): NDArray {
  const dt = dtype === undefined ? inferDataType(data) : parseDataType(dtype);
  const n = product(shape);
  const slots = dt.kind === "complex" ? 2 : 1;
  if (data.length < n * slots) {
    throw new ZarrValueError(`data of length ${data.length} is too short for shape [${shape}]`);
  }
  return { data, shape, stride: stride ?? cStrides(shape), dtype: dt.str };
}

/** True if `x` looks like an NDArray. */
export function isNDArray(x: unknown): x is NDArray {
  return typeof x === "object" && x !== null && "data" in x && "shape" in x && "stride" in x &&
    "dtype" in x;
}

/** True when the strides are C-contiguous for the shape. */
export function isCContiguous(a: NDArray): boolean {
  const c = cStrides(a.shape);
  for (let i = 0; i < a.shape.length; i++) {
    if (a.shape[i] > 1 && a.stride[i] !== c[i]) return false;
  }
  return true;
}
