/**
 * Integer and boolean index arrays: parsing the user's array-likes (JS arrays, typed arrays,
 * NDArrays) into flat C-order data with a shape, numpy-style wraparound and bounds checks, numpy
 * broadcasting of shapes, and a stable argsort used to group indices by chunk.
 *
 * Accepted index arrays:
 * - integers: JS arrays of integer `number`s or `bigint`s (nested arrays are n-d), the typed
 *   arrays `Int8Array`, `Int16Array`, `Uint16Array`, `Int32Array`, `Uint32Array`,
 *   `BigInt64Array`, `BigUint64Array`, or an NDArray of an integer dtype;
 * - booleans: JS arrays of `boolean`s (nested for n-d) or an NDArray of dtype `"bool"`.
 *
 * A bare `Uint8Array` is the library's bytes type (Python `b"..."`) and, like float typed
 * arrays, is not an index array.
 *
 * @example
 * ```ts
 * import { normalizeIndices, parseIndexArray } from "./int_array.ts";
 * const a = parseIndexArray([[1, -1], [0, 2]])!;
 * console.log(a.kind, a.shape); // int [2, 2]
 * console.log(normalizeIndices(a.data as Float64Array, 3)); // Float64Array [1, 2, 0, 2]
 * ```
 * @module
 */
import { BoundsCheckError, IndexError, ZarrValueError } from "../../errors.ts";
import { isNDArray, product } from "../../buffer/ndarray.ts";

/** A parsed index array: flat C-order values and a shape. */
export type IndexArray =
  | { kind: "int"; shape: number[]; data: Float64Array }
  | { kind: "bool"; shape: number[]; data: Uint8Array };

const INT_DTYPES = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
]);

function isIntTyped(x: unknown): boolean {
  return x instanceof Int8Array || x instanceof Int16Array || x instanceof Uint16Array ||
    x instanceof Int32Array || x instanceof Uint32Array || x instanceof BigInt64Array ||
    x instanceof BigUint64Array;
}

/**
 * Python tuple repr of a shape: `(2,)`, `(3, 4)`, `()`.
 *
 * @example
 * ```ts
 * import { pyShape } from "./int_array.ts";
 * console.log(pyShape([2]), pyShape([2, 3])); // (2,) (2, 3)
 * ```
 */
export function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * Cheap classification of an array-like selection item without converting it: `"int"`,
 * `"bool"`, or `null` when it is not an index array (numbers, slices, floats, bytes...). JS
 * arrays are scanned once; an empty JS array is an (empty) integer array.
 *
 * @example
 * ```ts
 * import { indexArrayKind } from "./int_array.ts";
 * console.log(indexArrayKind([1, 2]), indexArrayKind([true]), indexArrayKind(3)); // int bool null
 * ```
 */
export function indexArrayKind(x: unknown): "int" | "bool" | null {
  if (isNDArray(x)) {
    if (x.dtype === "bool") return "bool";
    return INT_DTYPES.has(x.dtype) ? "int" : null;
  }
  if (ArrayBuffer.isView(x)) return isIntTyped(x) ? "int" : null;
  if (!Array.isArray(x)) return null;
  let kind: "int" | "bool" | null = null;
  const walk = (a: readonly unknown[]): boolean => {
    for (const v of a) {
      if (Array.isArray(v)) {
        if (!walk(v)) return false;
        continue;
      }
      const k = typeof v === "boolean"
        ? "bool"
        : (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)))
        ? "int"
        : null;
      if (k === null || (kind !== null && k !== kind)) return false;
      kind = k;
    }
    return true;
  };
  if (!walk(x)) return null;
  return kind ?? "int";
}

/** Largest number of elements an index array may have. */
const MAX_INDEX_ELEMENTS = 0xffffffff;

/** Checks an index NDArray's shape and strides against its data before reading it. */
function checkNDArrayExtent(shape: readonly number[], stride: readonly number[], length: number) {
  const bad = (why: string): never => {
    throw new IndexError(
      `index array NDArray with shape ${pyShape(shape)} and strides [${stride}] ${why}`,
    );
  };
  if (stride.length !== shape.length) bad("has strides of the wrong rank");
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) bad("has an invalid shape");
    n *= d;
  }
  if (n > MAX_INDEX_ELEMENTS) bad("is too large");
  if (n === 0) return;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < shape.length; i++) {
    if (!Number.isInteger(stride[i])) bad("has non-integer strides");
    const span = (shape[i] - 1) * stride[i];
    if (span < 0) lo += span;
    else hi += span;
  }
  if (lo < 0 || hi >= length) bad(`does not fit its data of length ${length}`);
}

/** Reads an NDArray's elements in C order through its strides. */
function readStrided<T>(
  shape: readonly number[],
  stride: readonly number[],
  get: (i: number) => T,
  put: (k: number, v: T) => void,
): void {
  const r = shape.length;
  const n = product(shape);
  if (n === 0) return;
  const idx = new Array<number>(r).fill(0);
  let off = 0;
  for (let k = 0; k < n; k++) {
    put(k, get(off));
    for (let ax = r - 1; ax >= 0; ax--) {
      off += stride[ax];
      if (++idx[ax] < shape[ax]) break;
      off -= stride[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
}

/**
 * Parses an index array into flat C-order data: integers as a `Float64Array` (bigints
 * converted), booleans as a `Uint8Array` of 0/1. Returns `null` when `x` is not an index array
 * (see {@link indexArrayKind}); ragged nested JS arrays raise `IndexError`, NDArrays of other
 * dtypes raise `IndexError("Invalid array dtype: ...")`.
 *
 * @example
 * ```ts
 * import { parseIndexArray } from "./int_array.ts";
 * console.log(parseIndexArray(Int32Array.of(3, 1))); // { kind: "int", shape: [2], data: Float64Array [3, 1] }
 * console.log(parseIndexArray([true, false])!.data); // Uint8Array [1, 0]
 * ```
 */
export function parseIndexArray(x: unknown): IndexArray | null {
  if (isNDArray(x)) {
    const kind = x.dtype === "bool" ? "bool" : INT_DTYPES.has(x.dtype) ? "int" : null;
    if (kind === null) {
      throw new IndexError(
        `Invalid array dtype: ${x.dtype}. Arrays used as indices must be of integer or boolean type`,
      );
    }
    const shape = [...x.shape];
    const n = product(shape);
    checkNDArrayExtent(shape, x.stride, x.data.length);
    const src = x.data as ArrayLike<number | bigint>;
    if (kind === "bool") {
      const data = new Uint8Array(n);
      readStrided(shape, x.stride, (i) => src[i], (k, v) => (data[k] = v ? 1 : 0));
      return { kind, shape, data };
    }
    const data = new Float64Array(n);
    readStrided(shape, x.stride, (i) => src[i], (k, v) => (data[k] = Number(v)));
    return { kind, shape, data };
  }
  if (ArrayBuffer.isView(x)) {
    if (!isIntTyped(x)) return null;
    const t = x as unknown as ArrayLike<number | bigint>;
    const data = new Float64Array(t.length);
    for (let i = 0; i < t.length; i++) data[i] = Number(t[i]);
    return { kind: "int", shape: [t.length], data };
  }
  if (!Array.isArray(x)) return null;
  const kind = indexArrayKind(x);
  if (kind === null) return null;
  const shape: number[] = [];
  let node: unknown = x;
  while (Array.isArray(node)) {
    shape.push(node.length);
    if (node.length === 0) break;
    node = node[0];
  }
  const depth = shape.length;
  const n = product(shape);
  const ints = kind === "int" ? new Float64Array(n) : null;
  const bools = kind === "bool" ? new Uint8Array(n) : null;
  let pos = 0;
  const ragged = (): never => {
    throw new IndexError(
      `index arrays must be rectangular; got a ragged nested array (detected shape ${
        pyShape(shape)
      })`,
    );
  };
  const walk = (a: unknown, d: number): void => {
    if (d === depth) {
      if (Array.isArray(a)) ragged();
      if (ints) ints[pos++] = Number(a);
      else bools![pos++] = a ? 1 : 0;
      return;
    }
    if (!Array.isArray(a) || a.length !== shape[d]) ragged();
    for (const v of a as unknown[]) walk(v, d + 1);
  };
  walk(x, 0);
  return ints ? { kind: "int", shape, data: ints } : { kind: "bool", shape, data: bools! };
}

/**
 * Wraps negative indices (`+ len`) and bounds-checks, in place: out-of-range values raise
 * `BoundsCheckError("index out of bounds for dimension with length N")`, as in zarr-python.
 *
 * @example
 * ```ts
 * import { normalizeIndices } from "./int_array.ts";
 * console.log(normalizeIndices(Float64Array.of(-1, 0), 5)); // Float64Array [4, 0]
 * ```
 */
export function normalizeIndices(data: Float64Array, len: number): Float64Array {
  for (let i = 0; i < data.length; i++) {
    let v = data[i];
    if (v < 0) v += len;
    if (!(v >= 0 && v < len)) {
      throw new BoundsCheckError(`index out of bounds for dimension with length ${len}`);
    }
    data[i] = v;
  }
  return data;
}

/**
 * Positions of the true entries of a flat boolean array, ascending.
 *
 * @example
 * ```ts
 * import { nonzero } from "./int_array.ts";
 * console.log(nonzero(Uint8Array.of(0, 1, 1, 0))); // Float64Array [1, 2]
 * ```
 */
export function nonzero(mask: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) out[k++] = i;
  return out;
}

/**
 * Stable argsort of non-negative integer keys (all `<= maxKey`): the permutation that sorts
 * them, ties kept in input order. A counting sort when the key range is comparable to the
 * number of keys, else one native numeric sort of composite keys (no per-element comparator
 * calls), with a comparator sort only when composite keys would lose precision.
 *
 * @example
 * ```ts
 * import { argsortStable } from "./int_array.ts";
 * console.log(argsortStable(Float64Array.of(3, 1, 3, 0), 3)); // Uint32Array [3, 1, 0, 2]
 * ```
 */
export function argsortStable(keys: Float64Array, maxKey: number): Uint32Array {
  const n = keys.length;
  const perm = new Uint32Array(n);
  if (n === 0) return perm;
  if (maxKey + 1 <= 4 * n + 1024) {
    const counts = new Uint32Array(maxKey + 2);
    for (let i = 0; i < n; i++) counts[keys[i] + 1]++;
    for (let v = 1; v < counts.length; v++) counts[v] += counts[v - 1];
    for (let i = 0; i < n; i++) perm[counts[keys[i]]++] = i;
    return perm;
  }
  if ((maxKey + 1) * n < Number.MAX_SAFE_INTEGER) {
    const comp = new Float64Array(n);
    for (let i = 0; i < n; i++) comp[i] = keys[i] * n + i;
    comp.sort();
    for (let i = 0; i < n; i++) perm[i] = comp[i] % n;
    return perm;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => keys[a] - keys[b] || a - b);
  for (let i = 0; i < n; i++) perm[i] = order[i];
  return perm;
}

/**
 * numpy broadcasting of several shapes (right-aligned; extent-1 axes stretch). Incompatible
 * shapes raise `ZarrValueError` with numpy's `broadcast_arrays` message.
 *
 * @example
 * ```ts
 * import { broadcastShapes } from "./int_array.ts";
 * console.log(broadcastShapes([[3], [2, 1], []])); // [2, 3]
 * ```
 */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  const from = new Array<number>(rank).fill(-1);
  shapes.forEach((s, j) => {
    for (let i = 0; i < s.length; i++) {
      const ax = rank - s.length + i;
      const n = s[i];
      if (n === 1) continue;
      if (out[ax] === 1) {
        out[ax] = n;
        from[ax] = j;
      } else if (out[ax] !== n) {
        const k = from[ax];
        throw new ZarrValueError(
          `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between ` +
            `arg ${k} with shape ${pyShape(shapes[k])} and arg ${j} with shape ${pyShape(s)}.`,
        );
      }
    }
  });
  return out;
}

/**
 * Broadcasts flat C-order `data` of `shape` to `target` (a {@link broadcastShapes} result),
 * returning flat C-order data of the target (the input itself when no stretching is needed).
 *
 * @example
 * ```ts
 * import { broadcastTo } from "./int_array.ts";
 * console.log(broadcastTo(Float64Array.of(1, 2), [2], [2, 2])); // Float64Array [1, 2, 1, 2]
 * ```
 */
export function broadcastTo(
  data: Float64Array,
  shape: readonly number[],
  target: readonly number[],
): Float64Array {
  const n = product(target);
  if (data.length === n && shape.length === target.length) return data;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (data.length === 1) return out.fill(data[0]);
  const r = target.length;
  const stride = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const ax = r - shape.length + i;
    stride[ax] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i];
  }
  readStrided(target, stride, (i) => data[i], (k, v) => (out[k] = v));
  return out;
}
