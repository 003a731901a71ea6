/**
 * Orthogonal indexing: normalization, the per-axis grouping of `OrthogonalIndexer`, the stable
 * argsort, the index-list copy kernels of `src/buffer/gather.ts` (with sub-box origins), and
 * random reads/writes through `oindex` against a plain-loop reference.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import type { NDArray } from "../../mod.ts";
import {
  normalizeOrthogonalSelection,
  OrthogonalIndexer,
  orthogonalIndexer,
} from "../../src/array/indexing/orthogonal.ts";
import { argsortStable, normalizeIndices } from "../../src/array/indexing/int_array.ts";
import { projectionBox } from "../../src/array/indexing/projection.ts";
import {
  axisCount,
  type AxisSelection,
  compactAxis,
  copyOrthogonal,
  fillOrthogonal,
  isIndexList,
} from "../../src/buffer/gather.ts";
import { stridedBlockCopier } from "../../src/buffer/copy.ts";
import { copyProjection } from "../../src/array/read.ts";
import { BoundsCheckError, IndexError, ZarrValueError } from "../../src/errors.ts";

/** Deterministic PRNG (mulberry32). */
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

/** The indices an axis selection visits, in order. */
function axisIndices(s: AxisSelection): number[] {
  if (isIndexList(s)) return Array.from(s);
  return Array.from({ length: s.count }, (_, k) => s.start + k * s.step);
}

/** Every (src, dst) flat offset pair of an orthogonal copy, in C order of the counts. */
function refPairs(
  srcShape: number[],
  srcSel: AxisSelection[],
  dstShape: number[],
  dstSel: AxisSelection[],
  origin: number[],
): [number, number][] {
  const si = srcSel.map(axisIndices);
  const di = dstSel.map(axisIndices);
  const ss = cstr(srcShape);
  const ds = cstr(dstShape);
  const out: [number, number][] = [];
  const walk = (d: number, so: number, dO: number) => {
    if (d === si.length) return void out.push([so, dO]);
    for (let k = 0; k < si[d].length; k++) {
      walk(d + 1, so + (si[d][k] - origin[d]) * ss[d], dO + di[d][k] * ds[d]);
    }
  };
  walk(0, 0, 0);
  return out;
}

Deno.test("normalizeOrthogonalSelection: ints, slices, lists, masks, ellipsis", () => {
  const dims = normalizeOrthogonalSelection(
    [zarr.ellipsis, [-1, 0, 2n], [false, true, true]],
    [5, 4, 3],
  );
  assert.deepEqual(dims[0], { kind: "range", start: 0, stop: 5, step: 1, count: 5 });
  assert.deepEqual(dims[1], { kind: "list", indices: Float64Array.of(3, 0, 2) });
  assert.deepEqual(dims[2], { kind: "list", indices: Float64Array.of(1, 2) });
  assert.deepEqual(normalizeOrthogonalSelection([1, null], [3, 3])[0], { kind: "int", index: 1 });
  assert.deepEqual(normalizeOrthogonalSelection("::-1", [3])[0], {
    kind: "range",
    start: 2,
    stop: -1,
    step: -1,
    count: 3,
  });
  assert.deepEqual(
    normalizeOrthogonalSelection([Int16Array.of(-3)], [3])[0],
    { kind: "list", indices: Float64Array.of(0) },
  );
  assert.throws(() => normalizeOrthogonalSelection([[3]], [3]), BoundsCheckError);
  assert.throws(() => normalizeOrthogonalSelection([[1.5]], [3]), IndexError);
  assert.throws(() => normalizeOrthogonalSelection([[1, true]] as never, [3]), IndexError);
  assert.throws(() => normalizeOrthogonalSelection([[[1], [2, 3]]], [3]), IndexError);
  assert.throws(() => normalizeOrthogonalSelection([true], [3]), IndexError);
  assert.throws(() => normalizeOrthogonalSelection([0, 0], [3]), /too many indices/);
  assert.deepEqual(normalizeIndices(Float64Array.of(-1, 2), 3), Float64Array.of(2, 2));
});

Deno.test("orthogonalIndexer: basic fast path without arrays; shapes, drops, nchunks", () => {
  assert.equal(orthogonalIndexer([1, "1:3"], [4, 4], [2, 2]).kind, "basic");
  const ix = orthogonalIndexer([[7, 1, 7], 2, "::-1"], [10, 4, 5], [5, 2, 2]);
  assert.ok(ix instanceof OrthogonalIndexer);
  assert.deepEqual(ix.shape, [3, 5]);
  assert.deepEqual(ix.keepDimsShape, [3, 1, 5]);
  assert.deepEqual(ix.dropAxes, [1]);
  assert.equal(ix.nchunks, 2 * 1 * 3);
  assert.equal([...ix].length, ix.nchunks);
  const empty = orthogonalIndexer([[], null], [10, 4], [5, 2]);
  assert.deepEqual(empty.shape, [0, 4]);
  assert.equal(empty.nchunks, 0);
  assert.deepEqual([...empty], []);
});

Deno.test("OrthogonalIndexer: groups per chunk, sorted once, ranges where arithmetic", () => {
  const ix = orthogonalIndexer([[9, 1, 2, 9, 0, 5, 8]], [10], [5]);
  const ps = [...ix];
  assert.deepEqual(ps.map((p) => p.chunkCoords), [[0], [1]]);
  // chunk 0: indices 0, 1, 2 (a range) from output positions 4, 1, 2
  assert.deepEqual(ps[0].chunkSelection, [{ start: 0, step: 1, count: 3 }]);
  assert.deepEqual(ps[0].outSelection, [Uint32Array.of(4, 1, 2)]);
  // chunk 1: 5, 8, 9, 9 (stable: the two 9s keep their order 0, 3)
  assert.deepEqual(ps[1].chunkSelection, [Uint32Array.of(0, 3, 4, 4)]);
  assert.deepEqual(ps[1].outSelection, [Uint32Array.of(5, 6, 0, 3)]);
  // sorted input: output ranges, no permutation
  const sorted = [...orthogonalIndexer([[1, 3, 6, 7]], [10], [5])];
  assert.deepEqual(sorted[0].outSelection, [{ start: 0, step: 1, count: 2 }]);
  assert.deepEqual(sorted[1].outSelection, [{ start: 2, step: 1, count: 2 }]);
  assert.deepEqual(sorted[1].chunkSelection, [{ start: 1, step: 1, count: 2 }]);
});

Deno.test("OrthogonalIndexer: isComplete when a list covers a chunk (edge chunks clipped)", () => {
  const ps = [...orthogonalIndexer([[4, 3, 2, 1, 0, 0, 9, 8, 5]], [10], [5])];
  assert.deepEqual(ps.map((p) => p.isComplete), [true, false]);
  const edge = [...orthogonalIndexer([[true, false, false, true, true]], [5], [3])];
  assert.deepEqual(edge.map((p) => p.isComplete), [false, true]);
  const two = [...orthogonalIndexer([[0, 1], "0:2"], [4, 4], [2, 2])];
  assert.deepEqual(two.map((p) => p.isComplete), [true]);
});

Deno.test("OrthogonalIndexer: each chunk once, in C order, selections partition the output", () => {
  const r = rng(42);
  for (let n = 0; n < 60; n++) {
    const ndim = 1 + Math.floor(r() * 3);
    const shape = Array.from({ length: ndim }, () => 1 + Math.floor(r() * 12));
    const chunks = shape.map((s) => 1 + Math.floor(r() * s));
    const sel = shape.map((len) => {
      const u = r();
      if (u < 0.3) return Array.from({ length: Math.floor(r() * 8) }, () => Math.floor(r() * len));
      if (u < 0.5) return Array.from({ length: len }, () => r() < 0.5);
      if (u < 0.7) return Math.floor(r() * len);
      return zarr.slice(null, null, r() < 0.5 ? -1 : 2);
    });
    const ix = orthogonalIndexer(sel as never, shape, chunks);
    const seen = new Set<string>();
    let prev: number[] | null = null;
    let covered = 0;
    for (const p of ix) {
      const key = p.chunkCoords.join(",");
      assert.ok(!seen.has(key), `chunk ${key} twice`);
      seen.add(key);
      if (prev) {
        const a = prev.join(",");
        assert.ok(
          p.chunkCoords.some((c, i) =>
            c !== prev![i] && p.chunkCoords.slice(0, i).join() === prev!.slice(0, i).join() &&
            c > prev![i]
          ),
          `order ${a} -> ${key}`,
        );
      }
      prev = p.chunkCoords;
      const sels = p.chunkSelection as AxisSelection[];
      covered += prod(sels.map(axisCount));
    }
    assert.equal(seen.size, ix.nchunks);
    assert.equal(covered, prod(ix.shape));
  }
});

Deno.test("argsortStable: counting, composite-key and comparator branches are stable", () => {
  const r = rng(7);
  for (const [n, maxKey] of [[50, 10], [200, 1e6], [30, 2 ** 50]]) {
    const keys = Float64Array.from({ length: n }, () => Math.floor(r() * (maxKey + 1)));
    keys[3] = keys[10] = keys[n - 1] = Math.floor(maxKey / 2); // force ties
    const perm = argsortStable(keys, maxKey);
    const ref = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    assert.deepEqual(Array.from(perm), ref, `n=${n} maxKey=${maxKey}`);
  }
  assert.deepEqual(argsortStable(new Float64Array(0), 0), new Uint32Array(0));
});

Deno.test("compactAxis and stridedBlockCopier", () => {
  assert.deepEqual(compactAxis(Uint32Array.of(9, 6, 3)), { start: 9, step: -3, count: 3 });
  assert.deepEqual(compactAxis(Uint32Array.of(1, 2, 4)), Uint32Array.of(1, 2, 4));
  assert.deepEqual(compactAxis(Uint32Array.of()), { start: 0, step: 1, count: 0 });
  const src = Float64Array.from({ length: 12 }, (_, i) => i); // [3, 4]
  const dst = new Float64Array(4);
  stridedBlockCopier([2, 2], [4, 1], [2, 1])(src, 5, dst, 0); // src[1:3, 1:3]
  assert.deepEqual(Array.from(dst), [5, 6, 9, 10]);
  const c = new Float32Array(4); // complex, 2 elements
  stridedBlockCopier([2], [-1], [1], 2)(Float32Array.of(1, 2, 3, 4), 1, c, 0);
  assert.deepEqual(Array.from(c), [3, 4, 1, 2]);
});

Deno.test("copyOrthogonal vs a per-element reference (ranges, lists, repeats, origins)", () => {
  const r = rng(99);
  for (let n = 0; n < 300; n++) {
    const ndim = 1 + Math.floor(r() * 4);
    const srcShape = Array.from({ length: ndim }, () => 1 + Math.floor(r() * 6));
    const origin = srcShape.map(() => (r() < 0.3 ? Math.floor(r() * 3) : 0));
    const counts = srcShape.map(() => 1 + Math.floor(r() * 5));
    const srcSel: AxisSelection[] = srcShape.map((len, ax) => {
      const c = counts[ax];
      if (r() < 0.5) {
        return Uint32Array.from({ length: c }, () => origin[ax] + Math.floor(r() * len));
      }
      if (r() < 0.2) return { start: origin[ax] + Math.floor(r() * len), step: 0, count: c };
      const step = Math.max(1, Math.floor(len / c)) * (r() < 0.5 ? -1 : 1);
      const start = step > 0 ? 0 : (c - 1) * -step;
      if (start >= len) return Uint32Array.from({ length: c }, () => origin[ax]);
      return { start: start + origin[ax], step, count: c };
    }).map((s, ax) => {
      // make ranges valid: clamp count to what fits
      if (isIndexList(s) || s.step === 0) return s;
      const last = s.start + (s.count - 1) * s.step;
      if (last - origin[ax] < 0 || last - origin[ax] >= srcShape[ax]) {
        return Uint32Array.from({ length: s.count }, () => s.start);
      }
      return s;
    });
    const dstShape = counts.map((c) => c + Math.floor(r() * 3));
    const dstSel: AxisSelection[] = counts.map((c, ax) =>
      r() < 0.5
        ? Uint32Array.from({ length: c }, () => Math.floor(r() * dstShape[ax]))
        : { start: 0, step: 1, count: c }
    );
    for (const slots of [1, 2]) {
      const src = Float64Array.from({ length: prod(srcShape) * slots }, (_, i) => i + 1);
      const dst = new Float64Array(prod(dstShape) * slots);
      const want = new Float64Array(dst.length);
      for (const [so, dO] of refPairs(srcShape, srcSel, dstShape, dstSel, origin)) {
        for (let q = 0; q < slots; q++) want[dO * slots + q] = src[so * slots + q];
      }
      copyOrthogonal(src, srcShape, srcSel, dst, dstShape, dstSel, slots, origin);
      assert.deepEqual(dst, want, `case ${n} slots ${slots}`);
    }
  }
});

Deno.test("copyOrthogonal: object containers, bounds and count checks", () => {
  const src = ["a", "b", "c", "d"]; // [2, 2]
  const dst = new Array<string>(4).fill("");
  copyOrthogonal(src, [2, 2], [Uint32Array.of(1, 0), Uint32Array.of(1, 1)], dst, [2, 2], [
    { start: 0, step: 1, count: 2 },
    { start: 0, step: 1, count: 2 },
  ]);
  assert.deepEqual(dst, ["d", "d", "b", "b"]);
  assert.throws(
    () =>
      copyOrthogonal(new Int8Array(4), [4], [Uint32Array.of(4)], new Int8Array(1), [1], [{
        start: 0,
        step: 1,
        count: 1,
      }]),
    ZarrValueError,
  );
  assert.throws(
    () =>
      copyOrthogonal(new Int8Array(4), [4], [Uint32Array.of(1, 2)], new Int8Array(1), [1], [{
        start: 0,
        step: 1,
        count: 1,
      }]),
    /counts differ/,
  );
  const out = new BigInt64Array(6);
  fillOrthogonal(out, [2, 3], [Uint32Array.of(1), Uint32Array.of(2, 0, 2)], 7n);
  assert.deepEqual(Array.from(out), [0n, 0n, 0n, 7n, 0n, 7n]);
  const cx = new Float64Array(4);
  fillOrthogonal(cx, [2], [Uint32Array.of(1)], [1, 2], 2);
  assert.deepEqual(Array.from(cx), [0, 0, 1, 2]);
});

Deno.test("projectionBox + copyProjection from a decoded sub-box equal the whole-chunk copy", () => {
  const shape = [13, 11];
  const chunks = [6, 5];
  const r = rng(5);
  for (let n = 0; n < 40; n++) {
    const sel = [
      Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * 13)),
      r() < 0.5
        ? zarr.slice(null, null, -2)
        : [true, false, true, true, false, true, false, true, true, false, true],
    ];
    const ix = orthogonalIndexer(sel as never, shape, chunks);
    const out1 = new Int32Array(prod(ix.shape));
    const out2 = new Int32Array(prod(ix.shape));
    for (const p of ix) {
      // the chunk's data: value = global flat index
      const chunk = Int32Array.from({ length: prod(chunks) }, (_, i) => {
        const a = Math.floor(i / chunks[1]) + p.chunkCoords[0] * chunks[0];
        const b = (i % chunks[1]) + p.chunkCoords[1] * chunks[1];
        return a * 100 + b;
      });
      copyProjection(chunk, chunks, null, p, out1, ix.keepDimsShape);
      const box = projectionBox(p);
      const boxShape = box.stop.map((s, i) => s - box.start[i]);
      const sub = new Int32Array(prod(boxShape));
      for (let i = 0; i < sub.length; i++) {
        const a = Math.floor(i / boxShape[1]) + box.start[0];
        const b = (i % boxShape[1]) + box.start[1];
        sub[i] = chunk[a * chunks[1] + b];
      }
      copyProjection(sub, boxShape, box.start, p, out2, ix.keepDimsShape);
    }
    assert.deepEqual(out2, out1);
  }
});

// ---------------------------------------------------------------------------------------------
// Through the array API, several dtypes, v2 and v3

function refAxes(sel: unknown[], shape: number[]): { drop: boolean; idx: number[] }[] {
  return shape.map((len, ax) => {
    const it = sel[ax];
    if (it === null || it === undefined) return { drop: false, idx: [...Array(len).keys()] };
    if (typeof it === "number") return { drop: true, idx: [it < 0 ? it + len : it] };
    if (Array.isArray(it) && typeof it[0] === "boolean") {
      return { drop: false, idx: (it as boolean[]).flatMap((b, i) => (b ? [i] : [])) };
    }
    if (Array.isArray(it)) {
      return { drop: false, idx: (it as number[]).map((v) => (v < 0 ? v + len : v)) };
    }
    const s = it as { start: number | null; stop: number | null; step: number | null };
    const idx: number[] = [];
    const step = s.step ?? 1;
    const start = s.start ?? (step > 0 ? 0 : len - 1);
    const stop = s.stop ?? (step > 0 ? len : -1);
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) idx.push(i);
    return { drop: false, idx };
  });
}

function refPositions(axes: { idx: number[] }[], shape: number[]): number[] {
  const st = cstr(shape);
  const out: number[] = [];
  const walk = (d: number, off: number) => {
    if (d === axes.length) return void out.push(off);
    for (const i of axes[d].idx) walk(d + 1, off + i * st[d]);
  };
  walk(0, 0);
  return out;
}

function randomSel(r: () => number, shape: number[]): unknown[] {
  return shape.map((len) => {
    const u = r();
    if (u < 0.35) {
      return Array.from(
        { length: Math.floor(r() * 2 * len) },
        () => Math.floor(r() * 2 * len) - len,
      );
    }
    if (u < 0.55) return Array.from({ length: len }, () => r() < 0.4);
    if (u < 0.7) return Math.floor(r() * len);
    if (u < 0.8) return null;
    const step = [1, 2, -1, -3][Math.floor(r() * 4)];
    return zarr.slice(null, null, step);
  });
}

Deno.test("oindex get/set: random selections vs reference (1d-3d, int32/float64/int64, v2/v3)", async () => {
  const r = rng(2024);
  const layouts: [number[], number[]][] = [[[17], [4]], [[9, 7], [4, 3]], [[5, 6, 7], [2, 4, 3]]];
  for (const zarrFormat of [2, 3] as const) {
    for (const dtype of ["int32", "float64", "int64"] as const) {
      for (const [shape, chunks] of layouts) {
        const z = await zarr.createArray(new zarr.MemoryStore(), {
          shape,
          chunks,
          dtype,
          fillValue: -1,
          zarrFormat,
        });
        const n = prod(shape);
        const ref = new Array<number>(n).fill(-1);
        for (let k = 0; k < 12; k++) {
          const sel = randomSel(r, shape);
          const axes = refAxes(sel, shape);
          const pos = refPositions(axes, shape);
          const outShape = axes.filter((a) => !a.drop).map((a) => a.idx.length);
          // write distinct values (numpy: the last write of a repeated position wins)
          const data = pos.map((_, i) => k * 1000 + i);
          const value = dtype === "int64"
            ? zarr.ndarray(BigInt64Array.from(data, BigInt), outShape)
            : data.length === 0
            ? 5
            : zarr.ndarray(Float64Array.from(data), outShape);
          await z.oindex.set(sel as never, value);
          if (data.length) pos.forEach((p, i) => (ref[p] = data[i]));
          const label = `${zarrFormat} ${dtype} ${JSON.stringify(sel)}`;
          assert.deepEqual(vals(await z.getitem(null)), ref, `after set ${label}`);
          const got = await z.oindex.get(sel as never);
          assert.deepEqual(got.shape, outShape, label);
          assert.deepEqual(vals(got), pos.map((p) => ref[p]), label);
          // scalar broadcast
          if (k % 3 === 0) {
            await z.setOrthogonalSelection(sel as never, 7);
            pos.forEach((p) => (ref[p] = 7));
            assert.deepEqual(vals(await z.getitem(null)), ref, `scalar ${label}`);
          }
        }
      }
    }
  }
});

Deno.test("oindex on complex, string and bool arrays", async () => {
  const c = await zarr.zeros([4, 3], { chunks: [3, 2], dtype: "complex128" });
  await c.oindex.set(
    [[3, 0], [2]],
    zarr.ndarray(Float64Array.of(1, 2, 3, 4), [2, 1], "complex128"),
  );
  const got = await c.oindex.get([[0, 3, 1], [2]]);
  assert.deepEqual(got.shape, [3, 1]);
  assert.deepEqual(Array.from(got.data as Float64Array), [3, 4, 1, 2, 0, 0]);
  const s = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [5],
    chunks: [2],
    dtype: "string",
    fillValue: "",
  });
  await s.oindex.set([[4, 1, 4]], ["a", "b", "c"]);
  assert.deepEqual((await s.getitem(null)).data, ["", "b", "", "", "c"]);
  assert.deepEqual((await s.oindex.get([[4, 4, 1]])).data, ["c", "c", "b"]);
  const b = await zarr.zeros([6], { chunks: [4], dtype: "bool" });
  await b.oindex.set([[true, false, false, false, false, true]], true);
  assert.deepEqual(Array.from((await b.getitem(null)).data as Uint8Array), [1, 0, 0, 0, 0, 1]);
});

Deno.test("oindex set: broadcasting of values and errors", async () => {
  const z = await zarr.zeros([4, 5], { chunks: [3, 2], dtype: "int32" });
  await z.oindex.set([[0, 3], [4, 0, 2]], [1, 2, 3]); // (3,) broadcast to (2, 3)
  assert.deepEqual(vals(await z.oindex.get([[0, 3], [4, 0, 2]])), [1, 2, 3, 1, 2, 3]);
  await z.oindex.set([1, [1, 3]], [[8, 9]]); // leading extent-1 axis dropped
  assert.deepEqual(vals(await z.getitem(1)), [0, 8, 0, 9, 0]);
  await assert.rejects(
    z.oindex.set([[0, 3], [4, 0, 2]], [1, 2]),
    (e: Error) => e instanceof ZarrValueError && /could not broadcast/.test(e.message),
  );
  const ro = await zarr.openArray({ store: z.store, mode: "r" });
  await assert.rejects(ro.oindex.set([[0]], 1), zarr.ReadOnlyError);
});

Deno.test("oindex: large index lists are grouped once (no per-chunk scans)", async () => {
  const n = 200_000;
  const z = await zarr.zeros([n], { chunks: [100], dtype: "int32" });
  await z.setitem(null, zarr.ndarray(Int32Array.from({ length: n }, (_, i) => i), [n]));
  const r = rng(3);
  const idx = Int32Array.from({ length: 100_000 }, () => Math.floor(r() * n));
  const t0 = performance.now();
  const got = await z.oindex.get(idx);
  const ms = performance.now() - t0;
  assert.deepEqual(got.data, idx);
  // quadratic behaviour (100k indices x 2000 chunks) would take far longer than this
  assert.ok(ms < 20_000, `took ${ms} ms`);
});
