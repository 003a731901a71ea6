/**
 * Morton (Z-order) traversal of a chunk grid: the order in which the sharding codec lays inner
 * chunks out in a shard, as zarr-python does by default. Neighbouring inner chunks in n-d stay
 * close in the byte stream, so small windows need few coalesced reads.
 *
 * @example
 * ```ts
 * import { mortonOrder } from "./morton.ts";
 * console.log(mortonOrder([2, 2])); // [0, 2, 1, 3]  (C-order indices)
 * ```
 * @module
 */

/**
 * The C-order linear indices of a grid of `shape`, listed in Morton order. Bits of the Morton
 * code are dealt to the axes in turn, axis 0 taking the lowest bit of each round, and an axis
 * stops taking bits once its extent is covered; codes falling outside a non-power-of-two grid
 * are skipped. Every index in `[0, prod(shape))` appears exactly once.
 *
 * @example
 * ```ts
 * import { mortonOrder } from "./morton.ts";
 * console.log(mortonOrder([3])); // [0, 1, 2]
 * console.log(mortonOrder([2, 3])); // [0, 3, 1, 4, 2, 5]
 * ```
 */
export function mortonOrder(shape: readonly number[]): number[] {
  const ndim = shape.length;
  let n = 1;
  for (const s of shape) n *= s;
  if (n === 0) return [];
  const bits = shape.map((s) => (s <= 1 ? 0 : Math.ceil(Math.log2(s))));
  const rounds = Math.max(0, ...bits);
  const strides = new Array<number>(ndim);
  let acc = 1;
  for (let d = ndim - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d];
  }
  const out: number[] = [];
  const coords = new Array<number>(ndim);
  for (let code = 0; out.length < n; code++) {
    coords.fill(0);
    let bit = 0;
    for (let r = 0; r < rounds; r++) {
      for (let d = 0; d < ndim; d++) {
        if (r < bits[d]) {
          // Math.floor division keeps codes above 2^31 exact.
          const b = Math.floor(code / 2 ** bit) % 2;
          coords[d] += b * 2 ** r;
          bit++;
        }
      }
    }
    let inside = true;
    let lin = 0;
    for (let d = 0; d < ndim; d++) {
      if (coords[d] >= shape[d]) {
        inside = false;
        break;
      }
      lin += coords[d] * strides[d];
    }
    if (inside) out.push(lin);
  }
  return out;
}
