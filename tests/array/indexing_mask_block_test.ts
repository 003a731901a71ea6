/**
 * Mask and block selections, and the `getitem`/`setitem` dispatch (zarr-python's
 * `get_indexer`): which selections become basic, orthogonal, coordinate or mask selections,
 * including the JS-array ambiguities (a JS array is the per-axis tuple; nested booleans of the
 * array's shape are one mask).
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import type { NDArray } from "../../mod.ts";
import { isMaskSelection, maskCoordinates, MaskIndexer } from "../../src/array/indexing/mask.ts";
import { BlockIndexer, normalizeBlockSelection } from "../../src/array/indexing/block.ts";
import { getIndexer, vindexIndexer } from "../../src/array/indexing/get_indexer.ts";
import { tupleItems } from "../../src/array/indexing/selection.ts";
import { BoundsCheckError, IndexError, VindexInvalidSelectionError } from "../../src/errors.ts";

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const vals = (a: NDArray) => Array.from(a.data as ArrayLike<number>, Number);
const S = zarr.slice;

Deno.test("tupleItems: JS arrays are tuples, booleans of the array's shape are one mask", () => {
  assert.equal(tupleItems([true, false]).length, 1);
  assert.equal(tupleItems([[true, false], [false, true]], [2, 2]).length, 1);
  assert.equal(tupleItems([[true, false], [false, true]], [2, 3]).length, 2);
  assert.equal(tupleItems([[true, false, true], [false, true]], [3, 2]).length, 2);
  assert.equal(tupleItems([[1, 2], [3, 4]], [2, 2]).length, 2);
  assert.deepEqual(tupleItems("1, ...").length, 2);
  assert.deepEqual(tupleItems(null), []);
  assert.deepEqual(tupleItems(Int32Array.of(1)).length, 1);
});

Deno.test("maskCoordinates / isMaskSelection / MaskIndexer", () => {
  const m = [[false, true, false], [true, false, true]];
  assert.ok(isMaskSelection(m, [2, 3]));
  assert.ok(!isMaskSelection(m, [3, 2]));
  assert.ok(!isMaskSelection([[1, 0]], [1, 2]));
  assert.deepEqual(maskCoordinates(m, [2, 3]), [
    Float64Array.of(0, 1, 1),
    Float64Array.of(1, 0, 2),
  ]);
  const nd = zarr.ndarray(Uint8Array.of(0, 1, 0, 1, 0, 1), [2, 3], "bool");
  assert.deepEqual(maskCoordinates(nd, [2, 3]), [
    Float64Array.of(0, 1, 1),
    Float64Array.of(1, 0, 2),
  ]);
  // an NDArray wrapped in a one-item tuple is accepted too (Python's ensure_tuple)
  assert.deepEqual(maskCoordinates([nd] as never, [2, 3])[1], Float64Array.of(1, 0, 2));
  for (
    const bad of [
      [true],
      [[true, false, true]],
      Int32Array.of(1, 0),
      zarr.ndarray(Uint8Array.of(1), [1], "uint8"),
    ]
  ) {
    assert.throws(() => maskCoordinates(bad as never, [2, 3]), /invalid mask selection/);
  }
  const ix = new MaskIndexer(m, [2, 3], [1, 2]);
  assert.deepEqual(ix.shape, [3]);
  assert.deepEqual([...ix].map((p) => p.chunkCoords), [[0, 0], [1, 0], [1, 1]]);
  assert.equal(new MaskIndexer([false, false], [2], [1]).nchunks, 0);
});

Deno.test("mask get/set: random masks vs reference (1d-3d)", async () => {
  const r = rng(8);
  for (const [shape, chunks] of [[[19], [4]], [[7, 6], [3, 4]], [[3, 4, 5], [2, 3, 2]]]) {
    const z = await zarr.zeros(shape, { chunks, dtype: "int32" });
    const n = prod(shape);
    const ref = new Array<number>(n).fill(0);
    for (let t = 0; t < 10; t++) {
      const flat = Array.from({ length: n }, () => r() < 0.3);
      const nd = zarr.ndarray(Uint8Array.from(flat, Number), shape, "bool");
      const pos = flat.flatMap((b, i) => (b ? [i] : []));
      const data = pos.map((_, i) => t * 100 + i + 1);
      await z.setMaskSelection(nd, Int32Array.from(data));
      pos.forEach((p, i) => (ref[p] = data[i]));
      assert.deepEqual(vals(await z.getitem(null)), ref);
      const got = await z.getMaskSelection(nd);
      assert.deepEqual(got.shape, [pos.length]);
      assert.deepEqual(vals(got), pos.map((p) => ref[p]));
      assert.deepEqual(vals(await z.getitem(nd)), pos.map((p) => ref[p]));
    }
  }
});

Deno.test("normalizeBlockSelection: block units, negatives, clipping at the edge", () => {
  const d = (s: unknown) => normalizeBlockSelection(s as never, [30, 12], [7, 5]);
  const rng2 = (x: { start: number; count: number }) => [x.start, x.start + x.count];
  assert.deepEqual(d([4, -1]).map((x) => rng2(x as never)), [[28, 30], [10, 12]]);
  assert.deepEqual(d([S(-2, null), S(null, 1)]).map((x) => rng2(x as never)), [[21, 30], [0, 5]]);
  assert.deepEqual(d("1:3").map((x) => rng2(x as never)), [[7, 21], [0, 12]]);
  assert.deepEqual(d([S(2, 1)]).map((x) => rng2(x as never)), [[14, 14], [0, 12]]);
  assert.deepEqual(d([S(0, 100)]).map((x) => rng2(x as never)), [[0, 30], [0, 12]]);
  assert.deepEqual(d([S(null, -10)]).map((x) => rng2(x as never)), [[0, 0], [0, 12]]);
  assert.throws(() => d([5]), /block index out of bounds for dimension with 5 chunk\(s\)/);
  assert.throws(() => d([0, -4]), BoundsCheckError);
  assert.throws(() => d([S(5, 6)]), /index out of bounds for dimension with length 30/);
  assert.throws(() => d([S(-10, null)]), BoundsCheckError);
  assert.throws(() => d([S(0, 2, 2)]), /step=1/);
  assert.throws(() => d([[0, 1]]), IndexError);
  const ix = new BlockIndexer([1, S(1, 2)], [30, 12], [7, 5]);
  assert.deepEqual(ix.shape, [7, 5]);
  assert.deepEqual(ix.dropAxes, []);
  assert.equal(ix.nchunks, 1);
  assert.deepEqual([...ix][0].isComplete, true);
});

Deno.test("blocks get/set on a 3-d array vs slices, and on v2 arrays", async () => {
  for (const zarrFormat of [2, 3] as const) {
    const shape = [5, 7, 4];
    const chunks = [2, 3, 4];
    const z = await zarr.createArray(new zarr.MemoryStore(), {
      shape,
      chunks,
      dtype: "float64",
      zarrFormat,
    });
    const data = Float64Array.from({ length: prod(shape) }, (_, i) => i);
    await z.setitem(null, zarr.ndarray(data, shape));
    const viaBlocks = await z.blocks.get([-1, S(1, 3), 0]);
    const viaSlices = await z.getitem([S(4, 5), S(3, 7), S(0, 4)]);
    assert.deepEqual(viaBlocks.shape, [1, 4, 4]);
    assert.deepEqual(vals(viaBlocks), vals(viaSlices));
    await z.blocks.set([0, 0, 0], -1);
    assert.deepEqual(vals(await z.getitem([S(0, 2), S(0, 3), S(0, 4)])), new Array(24).fill(-1));
  }
});

Deno.test("getIndexer dispatch follows zarr-python's __getitem__", () => {
  const kind = (sel: unknown, shape: number[]) => getIndexer(sel as never, shape, shape).kind;
  // basic
  assert.equal(kind([1, S(null)], [3, 3]), "basic");
  assert.equal(kind("1:2, 0", [3, 3]), "basic");
  assert.equal(kind(null, [3]), "basic");
  // pure fancy -> coordinate / mask
  assert.equal(kind([[1, 2], [0, 1]], [3, 3]), "points");
  assert.equal(kind([1, [0, 1]], [3, 3]), "points");
  assert.equal(kind([[1, 2]], [3]), "points");
  assert.equal(kind(Int32Array.of(1, 2), [3]), "points");
  assert.equal(kind([true, false, true], [3]), "points");
  assert.equal(kind([[true, false], [false, true]], [2, 2]), "points");
  assert.equal(kind(zarr.ndarray(Uint8Array.of(1, 0, 1, 0), [2, 2], "bool"), [2, 2]), "points");
  // orthogonal
  assert.equal(kind([[1, 2]], [3, 3]), "orthogonal");
  assert.equal(kind(Int32Array.of(1, 2), [3, 3]), "orthogonal");
  assert.equal(kind([[1, 2], S(null)], [3, 3]), "orthogonal");
  assert.equal(kind([[1, 2], null], [3, 3]), "orthogonal");
  assert.equal(kind(["1:", [0, 2]], [3, 3]), "orthogonal");
  assert.equal(kind([[true, false, true], [true, true, false]], [3, 3]), "orthogonal");
  assert.equal(kind([[true, false, true], [0, 2]], [3, 3]), "orthogonal");
  assert.equal(kind([true, false, true], [3, 3]), "orthogonal");
  // neither: basic raises
  assert.throws(() => getIndexer([[1, 2], [0, 1]] as never, [3, 3, 3], [3, 3, 3]), IndexError);
  assert.throws(() => getIndexer([zarr.ellipsis, [1]] as never, [3, 3], [3, 3]), IndexError);
  assert.throws(
    () => getIndexer([[1, 2], S(null), [0]] as never, [3, 3, 3], [3, 3, 3]),
    /unsupported selection item for basic indexing/,
  );
  // vindex: neither coordinate nor mask
  assert.throws(() => vindexIndexer([S(null)] as never, [3], [3]), VindexInvalidSelectionError);
  assert.throws(() => vindexIndexer([true, false] as never, [3], [3]), VindexInvalidSelectionError);
});

Deno.test("getitem/setitem fall back to mask, coordinate and orthogonal selections", async () => {
  const z = await zarr.zeros([4, 4], { chunks: [3, 3], dtype: "int16" });
  await z.setitem([[0, 3], [1, 2]], 5); // points (0,1) and (3,2)
  await z.setitem([[1], [true, false, false, true]], 7); // row 1, columns 0 and 3
  const m = [
    [false, true, false, false],
    [true, false, false, true],
    [false, false, false, false],
    [false, false, true, false],
  ];
  assert.deepEqual(vals(await z.getitem(m)), [5, 7, 7, 5]);
  await z.setitem(m, [1, 2, 3, 4]);
  assert.deepEqual(vals(await z.getitem(null)), [0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 4, 0]);
});
