/**
 * Coordinate (vindex) indexing: normalization and broadcasting, the per-chunk grouping of
 * `CoordinateIndexer`, the point gather/scatter kernels (with sub-box origins), value rules of
 * point writes, and random reads/writes against a plain-loop reference.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import type { NDArray } from "../../mod.ts";
import {
  CoordinateIndexer,
  normalizeCoordinateSelection,
} from "../../src/array/indexing/coordinate.ts";
import {
  broadcastShapes,
  broadcastTo,
  indexArrayKind,
  parseIndexArray,
} from "../../src/array/indexing/int_array.ts";
import { projectionBox } from "../../src/array/indexing/projection.ts";
import { fillPositions, gatherPoints, scatterPoints } from "../../src/buffer/gather.ts";
import { copyProjection, fillProjection } from "../../src/array/read.ts";
import { BoundsCheckError, IndexError, ZarrValueError } from "../../src/errors.ts";

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const cstr = (s: readonly number[]) => s.map((_, i) => prod(s.slice(i + 1)));
const vals = (a: NDArray) => Array.from(a.data as ArrayLike<number>, Number);

Deno.test("parseIndexArray / indexArrayKind: accepted and rejected array-likes", () => {
  assert.equal(indexArrayKind([]), "int");
  assert.equal(indexArrayKind([[1], [2n]]), "int");
  assert.equal(indexArrayKind([true, [false]]), "bool");
  assert.equal(indexArrayKind([1, true]), null);
  assert.equal(indexArrayKind([1.5]), null);
  assert.equal(indexArrayKind(new Uint8Array(2)), null); // bytes
  assert.equal(indexArrayKind(new Float32Array(2)), null);
  assert.equal(indexArrayKind(new BigUint64Array(2)), "int");
  assert.equal(indexArrayKind(zarr.ndarray(new Uint8Array(2), [2], "uint8")), "int");
  assert.equal(indexArrayKind(zarr.ndarray(new Uint8Array(2), [2], "bool")), "bool");
  assert.deepEqual(parseIndexArray([[1, 2], [3, 4]]), {
    kind: "int",
    shape: [2, 2],
    data: Float64Array.of(1, 2, 3, 4),
  });
  // NDArray strides are honoured (a transposed view)
  const t = {
    data: Int32Array.of(1, 2, 3, 4, 5, 6),
    shape: [3, 2],
    stride: [1, 3],
    dtype: "int32",
  };
  assert.deepEqual(parseIndexArray(t)!.data, Float64Array.of(1, 4, 2, 5, 3, 6));
  assert.throws(() => parseIndexArray([[1], [2, 3]]), IndexError);
  assert.throws(
    () => parseIndexArray(zarr.ndarray(new Float64Array(1), [1])),
    /Invalid array dtype: float64/,
  );
  assert.equal(parseIndexArray(3), null);
  // hostile NDArrays: shapes that do not fit the data, or huge stride-0 views
  const hostile = [
    { data: Int32Array.of(1, 2, 3), shape: [1e12], stride: [1], dtype: "int32" },
    { data: Int32Array.of(1), shape: [1e12], stride: [0], dtype: "int32" },
    { data: Int32Array.of(1, 2), shape: [3], stride: [1], dtype: "int32" },
    { data: Uint8Array.of(1), shape: [2], stride: [1, 1], dtype: "bool" },
  ];
  for (const h of hostile) assert.throws(() => parseIndexArray(h), IndexError);
});

Deno.test("broadcastShapes / broadcastTo follow numpy", () => {
  assert.deepEqual(broadcastShapes([[3], [2, 1]]), [2, 3]);
  assert.deepEqual(broadcastShapes([[], []]), []);
  assert.deepEqual(broadcastShapes([[0], [1]]), [0]);
  assert.throws(
    () => broadcastShapes([[2, 1], [3], [4]]),
    (e: Error) =>
      e instanceof ZarrValueError &&
      e.message ===
        "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between " +
          "arg 1 with shape (3,) and arg 2 with shape (4,).",
  );
  assert.deepEqual(
    broadcastTo(Float64Array.of(1, 2), [2, 1], [2, 3]),
    Float64Array.of(1, 1, 1, 2, 2, 2),
  );
  assert.deepEqual(broadcastTo(Float64Array.of(7), [], [2]), Float64Array.of(7, 7));
});

Deno.test("normalizeCoordinateSelection: validation, wraparound, broadcast, [1] for scalars", () => {
  const a = normalizeCoordinateSelection([[-1, 0], 2], [4, 3]);
  assert.deepEqual(a.selShape, [2]);
  assert.deepEqual(a.coords, [Float64Array.of(3, 0), Float64Array.of(2, 2)]);
  assert.deepEqual(normalizeCoordinateSelection([1, -1], [4, 3]).selShape, [1]);
  assert.deepEqual(normalizeCoordinateSelection(Int32Array.of(1, 2), [4]).selShape, [2]);
  const b = normalizeCoordinateSelection([[[0], [1]], [2, 0, 1]], [2, 3]);
  assert.deepEqual(b.selShape, [2, 3]);
  assert.deepEqual(b.coords[0], Float64Array.of(0, 0, 0, 1, 1, 1));
  assert.deepEqual(b.coords[1], Float64Array.of(2, 0, 1, 2, 0, 1));
  for (const bad of [[1], [zarr.slice(null), 1], [[true, false], 1], [1, 2, 3], "0:1, 1"]) {
    assert.throws(() => normalizeCoordinateSelection(bad as never, [4, 3]), /invalid coordinate/);
  }
  assert.throws(() => normalizeCoordinateSelection([[4], 0], [4, 3]), BoundsCheckError);
  // huge broadcasts are refused before any allocation
  const big = Int32Array.from({ length: 100_000 }, (_, i) => i);
  assert.throws(
    () =>
      normalizeCoordinateSelection([
        zarr.ndarray(big, [100_000, 1]),
        zarr.ndarray(big, [1, 100_000]),
      ], [100_000, 100_000]),
    (e: Error) => e instanceof ZarrValueError && /too large/.test(e.message),
  );
});

Deno.test("CoordinateIndexer: one projection per chunk, ascending, points kept in order", () => {
  const ix = CoordinateIndexer.fromSelection([[9, 0, 8, 1, 9], [1, 1, 0, 1, 1]], [10, 2], [5, 2]);
  assert.deepEqual(ix.shape, [5]);
  const ps = [...ix];
  assert.equal(ps.length, ix.nchunks);
  assert.deepEqual(ps.map((p) => p.chunkCoords), [[0, 0], [1, 0]]);
  assert.deepEqual(ps[0].chunkSelection, [Uint32Array.of(0, 1), Uint32Array.of(1, 1)]);
  assert.deepEqual(ps[0].outSelection, { start: 1, step: 2, count: 2 });
  assert.deepEqual(ps[1].chunkSelection, [Uint32Array.of(4, 3, 4), Uint32Array.of(1, 0, 1)]);
  assert.deepEqual(ps[1].outSelection, { start: 0, step: 2, count: 3 }); // [0, 2, 4]
  const unordered = [...CoordinateIndexer.fromSelection([[9, 0, 5, 1, 6, 8]], [10], [5])];
  assert.deepEqual(unordered[0].outSelection, { start: 1, step: 2, count: 2 });
  assert.deepEqual(unordered[1].outSelection, Uint32Array.of(0, 2, 4, 5));
  assert.deepEqual(unordered[1].chunkSelection, [Uint32Array.of(4, 0, 1, 3)]);
  // already grouped: contiguous output ranges
  const sorted = [...CoordinateIndexer.fromSelection([[0, 1, 7, 8]], [10], [5])];
  assert.deepEqual(sorted.map((p) => p.outSelection), [
    { start: 0, step: 1, count: 2 },
    { start: 2, step: 1, count: 2 },
  ]);
  // isComplete: every in-bounds element of the chunk is a point (edge chunk clipped)
  const full = [...CoordinateIndexer.fromSelection([[4, 3, 2, 1, 0, 0, 6, 5]], [7], [5])];
  assert.deepEqual(full.map((p) => p.isComplete), [true, true]);
  const part = [...CoordinateIndexer.fromSelection([[4, 3, 2, 1, 1, 6]], [7], [5])];
  assert.deepEqual(part.map((p) => p.isComplete), [false, false]);
});

Deno.test("CoordinateIndexer: random selections partition the points, chunk order ascending", () => {
  const r = rng(11);
  for (let n = 0; n < 50; n++) {
    const ndim = 1 + Math.floor(r() * 3);
    const shape = Array.from({ length: ndim }, () => 1 + Math.floor(r() * 9));
    const chunks = shape.map((s) => 1 + Math.floor(r() * s));
    const k = Math.floor(r() * 30);
    const sel = shape.map((len) => Array.from({ length: k }, () => Math.floor(r() * len)));
    const ix = CoordinateIndexer.fromSelection(sel, shape, chunks);
    const seen = new Uint8Array(k);
    let prevKey = -1;
    for (const p of ix) {
      const grid = shape.map((s, i) => Math.ceil(s / chunks[i]));
      const key = p.chunkCoords.reduce((acc, c, i) => acc * grid[i] + c, 0);
      assert.ok(key > prevKey, "ascending chunk order");
      prevKey = key;
      const out = p.outSelection instanceof Uint32Array
        ? Array.from(p.outSelection)
        : Array.from({ length: p.outSelection.count }, (_, j) =>
          (p.outSelection as { start: number }).start +
          j * (p.outSelection as { step: number }).step);
      out.forEach((o, j) => {
        assert.equal(seen[o], 0);
        seen[o] = 1;
        for (let ax = 0; ax < ndim; ax++) {
          assert.equal(
            p.chunkCoords[ax] * chunks[ax] + p.chunkSelection[ax][j],
            sel[ax][o],
            "point maps back to its coordinates",
          );
        }
      });
    }
    assert.equal(seen.reduce((a, b) => a + b, 0), k);
  }
});

Deno.test("gatherPoints / scatterPoints / fillPositions with and without origins", () => {
  const src = Int32Array.from({ length: 12 }, (_, i) => i); // [3, 4]
  const out = new Int32Array(4);
  gatherPoints(
    src,
    [3, 4],
    [Uint32Array.of(2, 0, 1), Uint32Array.of(3, 0, 1)],
    out,
    4,
    Uint32Array.of(3, 0, 2),
  );
  assert.deepEqual(Array.from(out), [0, 0, 5, 11]); // points (2,3)->3, (0,0)->0, (1,1)->2
  // the same from a sub-box [1:3, 0:4] with origin [1, 0]
  const out2 = new Int32Array(2);
  gatherPoints(
    src.subarray(4),
    [2, 4],
    [Uint32Array.of(2, 1), Uint32Array.of(3, 1)],
    out2,
    2,
    {
      start: 0,
      step: 1,
      count: 2,
    },
    1,
    [1, 0],
  );
  assert.deepEqual(Array.from(out2), [11, 5]);
  assert.throws(
    () =>
      gatherPoints(src, [3, 4], [Uint32Array.of(3), Uint32Array.of(0)], out, 4, Uint32Array.of(0)),
    ZarrValueError,
  );
  const chunk = new Float64Array(4);
  scatterPoints(Float64Array.of(1, 2, 3), 3, Uint32Array.of(0, 1, 2), chunk, [2, 2], [
    Uint32Array.of(1, 1, 1),
    Uint32Array.of(0, 0, 1),
  ]);
  assert.deepEqual(Array.from(chunk), [0, 0, 2, 3]); // repeated point: last value wins
  scatterPoints(Float64Array.of(9), 1, null, chunk, [2, 2], [Uint32Array.of(0), Uint32Array.of(1)]);
  assert.deepEqual(Array.from(chunk), [0, 9, 2, 3]);
  const cx = new Float32Array(6);
  scatterPoints(Float32Array.of(1, 2), 1, null, cx, [3], [Uint32Array.of(2, 0)], 2);
  assert.deepEqual(Array.from(cx), [1, 2, 0, 0, 1, 2]);
  const s = new Array<string>(3).fill("");
  fillPositions(s, 3, Uint32Array.of(2), "x");
  assert.deepEqual(s, ["", "", "x"]);
});

Deno.test("point projections: copyProjection from a sub-box equals the whole-chunk copy", () => {
  const r = rng(77);
  const shape = [20, 9];
  const chunks = [8, 4];
  for (let n = 0; n < 30; n++) {
    const k = 1 + Math.floor(r() * 20);
    const sel = shape.map((len) => Array.from({ length: k }, () => Math.floor(r() * len)));
    const ix = CoordinateIndexer.fromSelection(sel, shape, chunks);
    const out1 = new Int32Array(k);
    const out2 = new Int32Array(k);
    const out3 = new Int32Array(k).fill(-5);
    for (const p of ix) {
      const chunk = Int32Array.from({ length: prod(chunks) }, (_, i) => 1000 * n + i);
      copyProjection(chunk, chunks, null, p, out1, ix.keepDimsShape);
      const box = projectionBox(p);
      const bs = box.stop.map((s, i) => s - box.start[i]);
      const sub = new Int32Array(prod(bs));
      for (let i = 0; i < sub.length; i++) {
        const a = Math.floor(i / bs[1]) + box.start[0];
        const b = (i % bs[1]) + box.start[1];
        sub[i] = chunk[a * chunks[1] + b];
      }
      copyProjection(sub, bs, box.start, p, out2, ix.keepDimsShape);
      fillProjection(out3, ix.keepDimsShape, p, 3);
    }
    assert.deepEqual(out2, out1);
    assert.ok(out3.every((v) => v === 3));
  }
});

// ---------------------------------------------------------------------------------------------
// Through the array API

function refPoints(shape: number[], coords: number[][]): number[] {
  const st = cstr(shape);
  return coords[0].map((_, k) =>
    coords.reduce((acc, c, ax) => acc + (c[k] < 0 ? c[k] + shape[ax] : c[k]) * st[ax], 0)
  );
}

Deno.test("vindex get/set: random coordinates vs reference (repeats: last wins; v2/v3)", async () => {
  const r = rng(31337);
  for (const zarrFormat of [2, 3] as const) {
    for (const [shape, chunks] of [[[23], [5]], [[8, 9], [3, 4]], [[4, 5, 6], [3, 2, 4]]]) {
      const z = await zarr.createArray(new zarr.MemoryStore(), {
        shape,
        chunks,
        dtype: "float32",
        fillValue: -1,
        zarrFormat,
      });
      const n = prod(shape);
      const ref = new Array<number>(n).fill(-1);
      for (let t = 0; t < 15; t++) {
        const k = Math.floor(r() * 2 * n);
        const coords = shape.map((len) =>
          Array.from({ length: k }, () => Math.floor(r() * 2 * len) - len)
        );
        const pos = refPoints(shape, coords);
        const data = pos.map((_, i) => t * 100 + i);
        if (t % 4 === 3) {
          await z.setCoordinateSelection(coords, 0.5);
          pos.forEach((p) => (ref[p] = 0.5));
        } else {
          await z.vindex.set(coords.map((c) => Int32Array.from(c)), Float32Array.from(data));
          pos.forEach((p, i) => (ref[p] = data[i]));
        }
        assert.deepEqual(vals(await z.getitem(null)), ref, `set ${zarrFormat} ${shape}`);
        const got = await z.vindex.get(coords);
        assert.deepEqual(got.shape, [k]);
        assert.deepEqual(vals(got), pos.map((p) => ref[p]), `get ${zarrFormat} ${shape}`);
      }
    }
  }
});

Deno.test("vindex: n-d coordinate arrays keep the broadcast shape (get and set)", async () => {
  const z = await zarr.zeros([6, 7], { chunks: [4, 3], dtype: "int32" });
  const rows = zarr.ndarray(Int32Array.of(0, 5, 3, 1), [2, 2]);
  const cols = [6, 2];
  await z.vindex.set([rows, cols], [[1, 2], [3, 4]]);
  const got = await z.vindex.get([rows, cols]);
  assert.deepEqual(got.shape, [2, 2]);
  assert.deepEqual(vals(got), [1, 2, 3, 4]);
  assert.equal(vals(await z.getitem([5, 2]))[0], 2);
  // a broadcastable value: (2,) into (2, 2)
  await z.vindex.set([rows, cols], [8, 9]);
  assert.deepEqual(vals(await z.vindex.get([rows, cols])), [8, 9, 8, 9]);
  // any shape with one element per point is taken in C order
  await z.vindex.set([rows, cols], zarr.ndarray(Int32Array.of(5, 6, 7, 8), [4]));
  assert.deepEqual(vals(await z.vindex.get([rows, cols])), [5, 6, 7, 8]);
  await assert.rejects(
    z.vindex.set([rows, cols], [1, 2, 3]),
    (e: Error) =>
      e instanceof ZarrValueError &&
      e.message === "Attempting to set a selection of 4 elements with an array of 3 elements.",
  );
});

Deno.test("vindex on complex, int64 and string arrays", async () => {
  const c = await zarr.zeros([5], { chunks: [2], dtype: "complex64" });
  await c.vindex.set([[4, 1]], zarr.ndarray(Float32Array.of(1, 2, 3, 4), [2], "complex64"));
  assert.deepEqual(Array.from((await c.vindex.get([[1, 4, 0]])).data as Float32Array), [
    3,
    4,
    1,
    2,
    0,
    0,
  ]);
  const b = await zarr.zeros([5], { chunks: [2], dtype: "int64" });
  await b.vindex.set([[0, 4]], 2n ** 60n);
  assert.deepEqual(Array.from((await b.getitem(null)).data as BigInt64Array), [
    2n ** 60n,
    0n,
    0n,
    0n,
    2n ** 60n,
  ]);
  const s = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [2, 2],
    chunks: [1, 2],
    dtype: "string",
    fillValue: "-",
  });
  await s.vindex.set([[1, 0], [0, 1]], ["x", "y"]);
  assert.deepEqual((await s.getitem(null)).data, ["-", "y", "x", "-"]);
});
