/**
 * Conformance: basic selections (zarr-python `tests/test_indexing.py`), checklist items 40 and
 * 44, and a comparison against a tiny numpy-like reference (negative steps, strings, ellipsis)
 * for reads and writes.
 *
 * Deliberate differences from zarr-python (README): negative slice steps are allowed (numpy
 * semantics) instead of raising NegativeStepError; `null` selects a whole axis; a JS array is
 * the per-axis tuple; strings are numpy-style selection syntax.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import type { AsyncArray } from "../../mod.ts";
import {
  arange,
  CountingStore,
  pySliceIndices,
  type RefItem,
  refSelect,
  toSelString,
  toZarrItem,
  values,
} from "./helpers.ts";

async function fromArange(shape: number[], chunks: number[], zarrFormat: 2 | 3 = 3) {
  const z = await zarr.createArray(new zarr.MemoryStore(), {
    shape,
    chunks,
    dtype: "float64",
    zarrFormat,
  });
  await z.setitem(null, arange(shape));
  return z;
}

async function check(z: AsyncArray, sel: RefItem[], label = toSelString(sel)) {
  const src = values(arange(z.shape)) as number[];
  const [shape, expect] = refSelect(src, z.shape, sel);
  const viaItems = await z.getitem(sel.map(toZarrItem));
  assert.deepEqual(viaItems.shape, shape, `shape of ${label}`);
  assert.deepEqual(values(viaItems), expect, label);
  const viaString = await z.getitem(toSelString(sel));
  assert.deepEqual(viaString.shape, shape, `string ${label}`);
  assert.deepEqual(values(viaString), expect, `string ${label}`);
}

const S = (start?: number | null, stop?: number | null, step?: number | null) => ({
  start,
  stop,
  step,
});

Deno.test("#40 get_basic_selection 1d matches numpy (ints, slices, strides, ellipsis, ())", async () => {
  for (const zarrFormat of [2, 3] as const) {
    const z = await fromArange([30], [7], zarrFormat);
    const cases: RefItem[][] = [
      [5],
      [-1],
      [S(3, 18)],
      [S(0, 100)],
      [S(-18, -3)],
      [S(0, 0)],
      [S(-1, 0)],
      [S()],
      ["..."],
      [],
      ["...", S()],
      [S(null, null, 3)],
      [S(3, 27, 5)],
    ];
    for (const c of cases) await check(z, c);
    // the empty tuple and `null` both select everything
    assert.deepEqual(values(await z.getitem([])), values(arange([30])));
    assert.deepEqual(values(await z.getitem(null)), values(arange([30])));
    // an int gives a 0-d result
    const one = await z.getitem(5);
    assert.deepEqual(one.shape, []);
    assert.equal(one.data[0], 5);
  }
});

Deno.test("#40 get_basic_selection 1d errors: IndexError with exact messages", async () => {
  const z = await fromArange([30], [7]);
  const unsupported =
    "unsupported selection item for basic indexing; expected integer or slice, got";
  await assert.rejects(z.getitem(2.3), (e: Error) => {
    assert.ok(e instanceof zarr.IndexError);
    assert.ok(e.message.startsWith(unsupported), e.message);
    return true;
  });
  await assert.rejects(z.getitem("foo"), zarr.IndexError);
  await assert.rejects(z.getitem(new TextEncoder().encode("xxx") as never), (e: Error) => {
    assert.ok(e instanceof zarr.IndexError);
    assert.ok(e.message.startsWith(unsupported), e.message);
    return true;
  });
  for (const sel of [[0, 0], [zarr.slice(null), zarr.slice(null)], "0, 0"] as const) {
    await assert.rejects(z.getitem(sel as never), (e: Error) => {
      assert.ok(e instanceof zarr.IndexError);
      assert.equal(e.message, "too many indices for array; expected 1, got 2");
      return true;
    });
  }
  for (const i of [30, -31, 100]) {
    await assert.rejects(z.getitem(i), (e: Error) => {
      assert.ok(e instanceof zarr.BoundsCheckError);
      assert.ok(e instanceof zarr.IndexError);
      assert.equal(e.message, "index out of bounds for dimension with length 30");
      return true;
    });
  }
  await assert.rejects(z.getitem([zarr.ellipsis, zarr.ellipsis]), zarr.IndexError);
  await assert.rejects(z.getitem(zarr.slice(null, null, 0)), zarr.ZarrError);
  // setitem shares the same checks
  await assert.rejects(z.setitem(30, 1), zarr.BoundsCheckError);
  await assert.rejects(z.setitem([0, 0], 1), zarr.IndexError);
});

Deno.test("#40 negative steps follow numpy here (zarr-python raises NegativeStepError)", async () => {
  const z = await fromArange([30], [7]);
  await check(z, [S(null, null, -1)]);
  await check(z, [S(20, 3, -4)]);
  await check(z, [S(-1, -31, -1)]);
  await check(z, [S(3, 20, -1)]); // empty
});

Deno.test("#40 get_basic_selection 2d matches numpy", async () => {
  for (const zarrFormat of [2, 3] as const) {
    const z = await fromArange([12, 5], [5, 2], zarrFormat);
    const cases: RefItem[][] = [
      [5],
      [-1],
      [5, S()],
      [S(), 3],
      [S(), -1],
      [S()],
      [S(2, 9)],
      [S(0, 0)],
      [S(2, 9), S(1, 4)],
      [S(0, 12, 3), S(0, 5, 2)],
      ["..."],
      [],
      ["...", 2],
      [1, "..."],
      [S(null, null, -2), S(4, 0, -3)],
    ];
    for (const c of cases) await check(z, c);
  }
});

Deno.test("#40 get_basic_selection 2d errors", async () => {
  const z = await fromArange([12, 5], [5, 2]);
  await assert.rejects(z.getitem(2.3), zarr.IndexError);
  await assert.rejects(z.getitem([2.3, zarr.slice(null)]), zarr.IndexError);
  await assert.rejects(z.getitem("foo"), zarr.IndexError);
  await assert.rejects(
    z.getitem([zarr.slice(null), zarr.slice(null), zarr.slice(null)]),
    (e: Error) =>
      e instanceof zarr.IndexError && e.message === "too many indices for array; expected 2, got 3",
  );
  // an integer list nested in a selection is not a basic selection (getitem falls back to
  // orthogonal indexing for it, as zarr-python's __getitem__ does)
  await assert.rejects(z.getBasicSelection([[0, 1]] as never), zarr.IndexError);
  await assert.rejects(z.getBasicSelection([zarr.slice(null), [0, 1]] as never), zarr.IndexError);
  assert.deepEqual((await z.getitem([zarr.slice(null), [0, 1]] as never)).shape, [z.shape[0], 2]);
  await assert.rejects(z.getitem([0, 5]), zarr.BoundsCheckError);
});

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSelection(r: () => number, shape: number[]): RefItem[] {
  const pick = (n: number) => Math.floor(r() * n);
  const maybe = (len: number): number | null => {
    if (r() < 0.25) return null;
    return pick(2 * len + 5) - len - 2;
  };
  const items: RefItem[] = shape.map((len) => {
    if (r() < 0.2) return pick(2 * len) - len; // an int, negative from the end
    const step = [1, 1, 2, 3, -1, -2, -3, null][pick(8)];
    return S(maybe(len), maybe(len), step);
  });
  if (r() < 0.3) {
    // replace a run of items by an ellipsis
    const i = pick(items.length + 1);
    const j = i + pick(items.length - i + 1);
    items.splice(i, j - i, "...");
  } else if (r() < 0.2) {
    items.splice(items.length - 1, 1); // missing trailing axes are whole
  }
  return items;
}

Deno.test("basic selections vs a numpy-like reference: random reads (1d/2d/3d, v2 and v3)", async () => {
  const r = rng(12345);
  const layouts: [number[], number[]][] = [
    [[30], [7]],
    [[12, 5], [5, 2]],
    [[6, 7, 8], [4, 3, 5]],
    [[9, 1, 4], [2, 1, 3]],
  ];
  for (const zarrFormat of [2, 3] as const) {
    for (const [shape, chunks] of layouts) {
      const z = await fromArange(shape, chunks, zarrFormat);
      for (let n = 0; n < 60; n++) await check(z, randomSelection(r, shape));
    }
  }
});

Deno.test("basic selections vs a numpy-like reference: random writes with negative steps", async () => {
  const r = rng(777);
  for (const [shape, chunks] of [[[13], [4]], [[7, 9], [3, 4]], [[5, 4, 6], [2, 3, 4]]] as const) {
    const z = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [...shape],
      chunks: [...chunks],
      dtype: "int32",
      fillValue: -1,
    });
    const ref = new Array(shape.reduce((a, b) => a * b, 1)).fill(-1);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    for (let n = 0; n < 40; n++) {
      const sel = randomSelection(r, [...shape]);
      // the positions selected, in C order of the selection
      const [selShape, flatIdx] = refSelect(
        Array.from({ length: ref.length }, (_, i) => i),
        [...shape],
        sel,
      );
      const count = selShape.reduce((a, b) => a * b, 1);
      const data = Int32Array.from({ length: count }, (_, i) => n * 1000 + i);
      await z.setitem(sel.map(toZarrItem), zarr.ndarray(data, selShape));
      flatIdx.forEach((pos, i) => (ref[pos] = data[i]));
      assert.deepEqual(values(await z.getitem(null)), ref, toSelString(sel));
      // a scalar broadcast through a string selection
      if (count > 0 && n % 5 === 0) {
        await z.setitem(toSelString(sel), 42);
        flatIdx.forEach((pos) => (ref[pos] = 42));
        assert.deepEqual(values(await z.getitem(null)), ref);
      }
    }
    void strides;
  }
});

Deno.test("reference self-check: pySliceIndices matches Python's slice.indices", () => {
  // values from Python: slice(...).indices(10)
  assert.deepEqual(pySliceIndices(S(null, null, -1), 10), {
    start: 9,
    stop: -1,
    step: -1,
    count: 10,
  });
  assert.deepEqual(pySliceIndices(S(-100, 100, 3), 10), { start: 0, stop: 10, step: 3, count: 4 });
  assert.deepEqual(pySliceIndices(S(100, -100, -3), 10), {
    start: 9,
    stop: -1,
    step: -3,
    count: 4,
  });
  assert.deepEqual(pySliceIndices(S(5, 5), 10), { start: 5, stop: 5, step: 1, count: 0 });
});

const ACCESS_CASES: [number[], number[], [string, (number | null)[][]][]][] = [
  [[1070], [50], [["get", [[200, 400, null]]]]],
  [[1070], [50], [["get", [[200, 400, 100]]]]],
  [[1070], [50], [["get", [[200, 400, null]]], ["set", [[200, 400, 100]]]]],
  [[40, 50], [5, 8], [["get", [[6, 37, 13], [4, 10, null]]], ["set", [[null, null, null], [
    null,
    null,
    null,
  ]]]]],
];

Deno.test("#44 only intersecting chunks are read or written, each exactly once", async () => {
  for (const [shape, chunks, ops] of ACCESS_CASES) {
    const store = new CountingStore();
    const z = await zarr.createArray(store, { shape, chunks, dtype: "float64", zarrFormat: 2 });
    await z.setitem(null, 0); // all fill: no chunk stored (write_empty_chunks=false)
    for (let ii = 0; ii < ops.length; ii++) {
      const [op, slices] = ops[ii];
      const sel = slices.map(([a, b, c]) => zarr.slice(a, b, c));
      // chunks touched per dimension, as numpy would compute them
      const perDim = shape.map((n, d) => {
        const r = pySliceIndices(S(slices[d][0], slices[d][1], slices[d][2]), n);
        const idx = new Set<number>();
        for (let k = 0; k < r.count; k++) idx.add(Math.floor((r.start + k * r.step) / chunks[d]));
        return [...idx].sort((a, b) => a - b);
      });
      const expected: string[] = [];
      const walk = (d: number, acc: number[]) => {
        if (d === perDim.length) return void expected.push(acc.join("."));
        for (const c of perDim[d]) walk(d + 1, [...acc, c]);
      };
      walk(0, []);
      store.reset();
      if (op === "get") await z.getitem(sel);
      else await z.setitem(sel, ii);
      const chunkGets = [...store.gets.entries()].filter(([k]) => !k.startsWith("."));
      const chunkSets = [...store.sets.entries()].filter(([k]) => !k.startsWith("."));
      if (op === "get") {
        assert.deepEqual(chunkGets.sort(), expected.map((k) => [k, 1]).sort());
        assert.deepEqual(chunkSets, []);
      } else {
        assert.deepEqual(chunkSets.map(([k]) => k).sort(), [...expected].sort());
        assert.ok(chunkSets.every(([, n]) => n === 1));
        // partial chunks are read once first; complete ones are not read at all
        for (const [k, n] of chunkGets) {
          assert.ok(expected.includes(k), `unexpected read of ${k}`);
          assert.equal(n, 1);
        }
        if (shape.length === 2) assert.deepEqual(chunkGets, [], "whole chunks are never read");
      }
    }
  }
});
