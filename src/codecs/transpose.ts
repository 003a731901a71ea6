/**
 * The `transpose` codec (array -> array) and the permutation kernel behind it.
 *
 * v3 semantics: with `order` a permutation, the encoded array has
 * `encoded.shape[i] = decoded.shape[order[i]]` and `encoded[y] = decoded[x]` where
 * `y[i] = x[order[i]]`. The legacy strings `"C"` (identity) and `"F"` (reversed axes) are
 * accepted when reading.
 *
 * @example
 * ```ts
 * import { permute } from "./transpose.ts";
 * // 2x3 -> 3x2
 * console.log(permute(new Int32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]));
 * // Int32Array [1, 4, 2, 5, 3, 6]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import type { DataContainer, TypedArray } from "../metadata/dtype.ts";
import { slotsPerElement } from "../metadata/dtype.ts";
import { product } from "../buffer/ndarray.ts";
import { type CodecContext, readConfig, whereSuffix } from "./common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata } from "./types.ts";

// deno-lint-ignore no-explicit-any
type Flat = any;

/** Block edge of the tiled 2-D kernel. */
const TILE = 32;

/**
 * Checks that `order` is a permutation of `0..order.length-1`.
 *
 * @example
 * ```ts
 * import { isPermutation } from "./transpose.ts";
 * console.log(isPermutation([2, 0, 1]), isPermutation([0, 0])); // true false
 * ```
 */
export function isPermutation(order: readonly unknown[]): order is number[] {
  const seen = new Uint8Array(order.length);
  for (const v of order) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= order.length || seen[v]) {
      return false;
    }
    seen[v] = 1;
  }
  return true;
}

/**
 * The inverse permutation: `inv[order[i]] = i`.
 *
 * @example
 * ```ts
 * import { inversePermutation } from "./transpose.ts";
 * console.log(inversePermutation([2, 0, 1])); // [1, 2, 0]
 * ```
 */
export function inversePermutation(order: readonly number[]): number[] {
  const inv = new Array<number>(order.length);
  for (let i = 0; i < order.length; i++) inv[order[i]] = i;
  return inv;
}

/** A view over a typed array's memory in the widest unsigned word that fits an element. */
function unitView(ta: TypedArray, slots: number): [Uint8Array | Uint16Array | Uint32Array, number] {
  const elemBytes = ta.BYTES_PER_ELEMENT * slots;
  const off = ta.byteOffset;
  const count = ta.length / slots;
  if (elemBytes % 4 === 0 && off % 4 === 0) {
    const k = elemBytes / 4;
    return [new Uint32Array(ta.buffer, off, count * k), k];
  }
  if (elemBytes % 2 === 0 && off % 2 === 0) {
    const k = elemBytes / 2;
    return [new Uint16Array(ta.buffer, off, count * k), k];
  }
  return [new Uint8Array(ta.buffer, off, count * elemBytes), elemBytes];
}

/**
 * Permutes the axes of a C-ordered container: output axis `j` is input axis `perm[j]`, so the
 * output shape is `perm.map((p) => shape[p])`. `slots` is the number of container slots per
 * element (2 for complex). Returns a new container of the same kind (typed arrays are copied
 * bit-exactly through unsigned word views, so NaN payloads survive).
 *
 * Axes of extent 1 are dropped and input axes that stay adjacent are merged first; what remains
 * is copied in contiguous runs when the innermost axis is kept, or otherwise with a cache-blocked
 * 2-D kernel over the output's innermost axis and the input's innermost axis.
 *
 * @example
 * ```ts
 * import { permute } from "./transpose.ts";
 * const out = permute(["a", "b", "c", "d", "e", "f"], [2, 3], [1, 0]);
 * console.log(out); // ["a", "d", "b", "e", "c", "f"]
 * ```
 */
export function permute<T extends DataContainer>(
  data: T,
  shape: readonly number[],
  perm: readonly number[],
  slots = 1,
): T {
  const n = product(shape);
  const isTyped = ArrayBuffer.isView(data);
  if (perm.length !== shape.length || !isPermutation(perm)) {
    throw new MetadataValidationError(
      `transpose: order [${perm}] is not a permutation of the ${shape.length} axes`,
    );
  }
  if (data.length !== n * slots) {
    throw new CodecError(
      `transpose: chunk has ${data.length} values, expected ${n * slots} for shape [${shape}]`,
    );
  }
  // Simplify: drop extent-1 axes, then merge input axes that stay adjacent in the output.
  const keep: number[] = [];
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1) keep.push(i);
  const renum = new Map<number, number>();
  keep.forEach((ax, i) => renum.set(ax, i));
  const p0 = perm.filter((ax) => shape[ax] !== 1).map((ax) => renum.get(ax)!);
  const s0 = keep.map((ax) => shape[ax]);
  // Groups of consecutive output axes that are consecutive input axes.
  const groups: number[][] = [];
  for (const ax of p0) {
    const g = groups[groups.length - 1];
    if (g && g[g.length - 1] + 1 === ax) g.push(ax);
    else groups.push([ax]);
  }
  // Merged input axes, ordered by their first input axis.
  const byInput = groups.slice().sort((a, b) => a[0] - b[0]);
  const mergedIndex = new Map<number[], number>();
  byInput.forEach((g, i) => mergedIndex.set(g, i));
  const ms = byInput.map((g) => g.reduce((acc, ax) => acc * s0[ax], 1));
  const mp = groups.map((g) => mergedIndex.get(g)!);
  const m = ms.length;

  let src: Flat;
  let dst: Flat;
  let k: number;
  let out: T;
  if (isTyped) {
    const ta = data as unknown as TypedArray;
    const Ctor = ta.constructor as new (len: number) => TypedArray;
    const o = new Ctor(n * slots);
    out = o as unknown as T;
    if (n === 0) return out;
    [src, k] = unitView(ta, slots);
    [dst] = unitView(o, slots);
  } else {
    out = new Array(n * slots) as unknown as T;
    if (n === 0) return out;
    src = data;
    dst = out;
    k = slots;
  }
  const total = n * k;
  if (m <= 1 || mp.every((v, i) => v === i)) {
    // Identity after simplification.
    if (isTyped) dst.set(src.subarray(0, total));
    else for (let i = 0; i < total; i++) dst[i] = src[i];
    return out;
  }
  // Input C strides (in elements) of the merged axes.
  const cs = new Array<number>(m);
  let acc = 1;
  for (let i = m - 1; i >= 0; i--) {
    cs[i] = acc;
    acc *= ms[i];
  }
  const os = mp.map((ax) => ms[ax]); // output extents
  const is = mp.map((ax) => cs[ax] * k); // input strides (in units) per output axis
  if (mp[m - 1] === m - 1) {
    copyRuns(src, dst, os, is, os[m - 1] * k, isTyped);
  } else {
    copyTiled(src, dst, os, is, mp.indexOf(m - 1), k);
  }
  return out;
}

/** Innermost output axis contiguous in the input: copy runs of `run` units. */
function copyRuns(src: Flat, dst: Flat, os: number[], is: number[], run: number, typed: boolean) {
  const outer = os.length - 1;
  const idx = new Array<number>(outer).fill(0);
  let s = 0;
  let d = 0;
  const total = os.reduce((a, b) => a * b, 1) / os[outer];
  for (let r = 0; r < total; r++) {
    if (typed && run >= 32) {
      dst.set(src.subarray(s, s + run), d);
    } else {
      for (let t = 0; t < run; t++) dst[d + t] = src[s + t];
    }
    d += run;
    // odometer over the outer axes
    for (let ax = outer - 1; ax >= 0; ax--) {
      if (++idx[ax] < os[ax]) {
        s += is[ax];
        break;
      }
      idx[ax] = 0;
      s -= is[ax] * (os[ax] - 1);
    }
  }
}

/**
 * General case: a cache-blocked 2-D copy over the innermost output axis `b` (contiguous in the
 * output) and the output axis `a` that is the innermost input axis (contiguous in the input), with
 * an odometer over the remaining axes.
 */
function copyTiled(src: Flat, dst: Flat, os: number[], is: number[], a: number, k: number) {
  const m = os.length;
  const b = m - 1;
  const ds = new Array<number>(m); // output strides in units
  let acc = k;
  for (let ax = m - 1; ax >= 0; ax--) {
    ds[ax] = acc;
    acc *= os[ax];
  }
  const R = os[a];
  const C = os[b];
  const sa = is[a];
  const sb = is[b];
  const da = ds[a];
  const rest: number[] = [];
  for (let ax = 0; ax < m; ax++) if (ax !== a && ax !== b) rest.push(ax);
  const nr = rest.length;
  const idx = new Array<number>(nr).fill(0);
  let nOuter = 1;
  for (const ax of rest) nOuter *= os[ax];
  let s = 0;
  let d = 0;
  for (let r = 0; r < nOuter; r++) {
    for (let i0 = 0; i0 < R; i0 += TILE) {
      const i1 = Math.min(R, i0 + TILE);
      for (let j0 = 0; j0 < C; j0 += TILE) {
        const j1 = Math.min(C, j0 + TILE);
        if (k === 1) {
          for (let i = i0; i < i1; i++) {
            let di = d + i * da + j0;
            let si = s + i * sa + j0 * sb;
            for (let j = j0; j < j1; j++) {
              dst[di++] = src[si];
              si += sb;
            }
          }
        } else {
          for (let i = i0; i < i1; i++) {
            let di = d + i * da + j0 * k;
            let si = s + i * sa + j0 * sb;
            for (let j = j0; j < j1; j++) {
              for (let t = 0; t < k; t++) dst[di + t] = src[si + t];
              di += k;
              si += sb;
            }
          }
        }
      }
    }
    for (let q = nr - 1; q >= 0; q--) {
      const ax = rest[q];
      if (++idx[q] < os[ax]) {
        s += is[ax];
        d += ds[ax];
        break;
      }
      idx[q] = 0;
      s -= is[ax] * (os[ax] - 1);
      d -= ds[ax] * (os[ax] - 1);
    }
  }
}

/** An axis order: a permutation, or the legacy `"C"` / `"F"` strings. */
export type TransposeOrder = readonly number[] | "C" | "F";

/**
 * The v3 `transpose` codec. `toJSON()` gives `{"name":"transpose","configuration":{"order":[...]}}`.
 *
 * @example
 * ```ts
 * import { TransposeCodec } from "./transpose.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const t = new TransposeCodec([1, 0]);
 * const spec = { shape: [2, 3], dtype: parseDataType("int32"), fillValue: 0 };
 * console.log(t.resolveSpec(spec).shape); // [3, 2]
 * ```
 */
export class TransposeCodec implements ArrayArrayCodec {
  /** Codec kind. */
  readonly kind = "array_to_array" as const;
  /** v3 name. */
  readonly name = "transpose";
  /** The order as given (resolved to a permutation when the dimensionality was known). */
  readonly order: TransposeOrder;

  /** A codec for `order`; raises {@link MetadataValidationError} unless it is a permutation. */
  constructor(order: TransposeOrder, where?: string) {
    if (order !== "C" && order !== "F") {
      if (!Array.isArray(order) || !isPermutation(order)) {
        throw new MetadataValidationError(
          `codec 'transpose': order must be a permutation of 0..n-1, got ${JSON.stringify(order)}${
            whereSuffix(where)
          }`,
        );
      }
      order = order.slice();
    }
    this.order = order;
  }

  /**
   * Builds the codec from v3 metadata; with a known `ctx.ndim` the order is resolved and its
   * length checked.
   *
   * @example
   * ```ts
   * import { TransposeCodec } from "./transpose.ts";
   * const t = TransposeCodec.fromMetadata({ name: "transpose", configuration: { order: "F" } }, { ndim: 3 });
   * console.log(t.order); // [2, 1, 0]
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): TransposeCodec {
    const cfg = readConfig(meta, ["order"], ctx.where);
    const order = cfg.order;
    if (order === undefined) {
      throw new MetadataValidationError(
        `codec 'transpose': missing 'order'${whereSuffix(ctx.where)}`,
      );
    }
    const codec = new TransposeCodec(order as TransposeOrder, ctx.where);
    if (ctx.ndim !== undefined) {
      return new TransposeCodec(codec.orderFor(ctx.ndim, ctx.where), ctx.where);
    }
    return codec;
  }

  /**
   * The permutation for an `ndim`-dimensional chunk; raises {@link MetadataValidationError} if
   * its length differs.
   */
  orderFor(ndim: number, where?: string): number[] {
    if (this.order === "C") return Array.from({ length: ndim }, (_, i) => i);
    if (this.order === "F") return Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
    if (this.order.length !== ndim) {
      throw new MetadataValidationError(
        `codec 'transpose': order [${this.order}] has ${this.order.length} entries but the ` +
          `array has ${ndim} dimensions${whereSuffix(where)}`,
      );
    }
    return this.order as number[];
  }

  /** The encoded-side spec: `shape[i] = spec.shape[order[i]]`. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    const order = this.orderFor(spec.shape.length);
    return { ...spec, shape: order.map((ax) => spec.shape[ax]) };
  }

  /** Decoded (C order) -> encoded (C order of the permuted shape). */
  encode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const order = this.orderFor(spec.shape.length);
    const data = permute(chunk.data, spec.shape, order, slotsPerElement(spec.dtype));
    return { data, shape: order.map((ax) => spec.shape[ax]) };
  }

  /** Encoded -> decoded; `spec` is the decoded-side spec. */
  decode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const order = this.orderFor(spec.shape.length);
    const encShape = order.map((ax) => spec.shape[ax]);
    const data = permute(
      chunk.data,
      encShape,
      inversePermutation(order),
      slotsPerElement(spec.dtype),
    );
    return { data, shape: spec.shape.slice() };
  }

  /** v3 metadata (legacy string orders are written as read unless they were resolved). */
  toJSON(): CodecMetadata {
    const order = typeof this.order === "string" ? this.order : this.order.slice();
    return { name: "transpose", configuration: { order } };
  }
}
