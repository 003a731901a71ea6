/**
 * Conformance: advanced indexing (zarr-python `tests/test_indexing.py`), checklist items 41-44:
 * orthogonal selections (`oindex`) and the orthogonal fallback of `getitem`/`setitem`,
 * coordinate selections (`vindex`) and the fancy fallback, mask and block selections, and
 * accessed chunks. Expected values come from a plain-loop numpy-like reference below.
 *
 * Translation of zarr-python's selections: a Python tuple is a JS array; a Python list or a
 * numpy integer array inside it is a JS array or an `Int32Array`; a numpy bool array is a JS
 * `boolean[]` or a `"bool"` NDArray. A bare Python list at the top (`z.oindex[[1, 2]]`) is
 * `[[1, 2]]` (the JS array is the tuple) or a typed array.
 *
 * Deliberate differences (README): negative slice steps are allowed everywhere (numpy), `null`
 * selects a whole axis (zarr-python raises for `None`), the async API also has the setters,
 * and the `out=` parameter (checklist 45) is not supported.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import type { AsyncArray, NDArray } from "../../mod.ts";

type Slice = ReturnType<typeof zarr.slice>;

// ---------------------------------------------------------------------------------------------
// numpy-like reference with plain loops (the data is always arange, so values are positions)

type Item = unknown;
const S = (start?: number | null, stop?: number | null, step?: number | null) =>
  zarr.slice(start ?? null, stop ?? null, step ?? null);

function sliceRange(s: Slice, n: number): number[] {
  const step = s.step ?? 1;
  const adj = (v: number | null, dflt: number, lo: number, hi: number) =>
    v === null ? dflt : v < 0 ? Math.max(v + n, lo) : Math.min(v, hi);
  const start = step > 0 ? adj(s.start, 0, 0, n) : adj(s.start, n - 1, -1, n - 1);
  const stop = step > 0 ? adj(s.stop, n, 0, n) : adj(s.stop, -1, -1, n - 1);
  const out: number[] = [];
  if (step > 0) { for (let i = start; i < stop; i += step) out.push(i); }
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

function isSliceObj(x: unknown): x is Slice {
  return typeof x === "object" && x !== null && (x as { kind?: string }).kind === "slice";
}

/** Per-axis [drop, indices] of an orthogonal selection (numpy `a[np.ix_(...)]`). */
function refAxes(sel: Item[], shape: number[]): { drop: boolean; idx: number[] }[] {
  const items = [...sel];
  const e = items.findIndex((x) => x === zarr.ellipsis);
  if (e >= 0) items.splice(e, 1, ...new Array(shape.length - items.length + 1).fill(null));
  while (items.length < shape.length) items.push(null);
  return items.map((it, ax) => {
    const n = shape[ax];
    if (it === null) return { drop: false, idx: sliceRange(S(), n) };
    if (typeof it === "number") return { drop: true, idx: [it < 0 ? it + n : it] };
    if (isSliceObj(it)) return { drop: false, idx: sliceRange(it, n) };
    const nd = it as Partial<NDArray>;
    const arr = nd.dtype === "bool"
      ? Array.from(nd.data as Uint8Array, (v) => v === 1)
      : nd.data !== undefined
      ? Array.from(nd.data as ArrayLike<number>, Number)
      : Array.from(it as ArrayLike<number | boolean>);
    if (arr.length > 0 && typeof arr[0] === "boolean") {
      return { drop: false, idx: arr.flatMap((b, i) => (b ? [i] : [])) };
    }
    return { drop: false, idx: (arr as number[]).map((v) => (v < 0 ? v + n : v)) };
  });
}

/** numpy's orthogonal selection: [result shape, flat positions in C order]. */
function refOindex(shape: number[], sel: Item[]): [number[], number[]] {
  const axes = refAxes(sel, shape);
  const st = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const walk = (d: number, off: number) => {
    if (d === axes.length) return void out.push(off);
    for (const i of axes[d].idx) walk(d + 1, off + i * st[d]);
  };
  walk(0, 0);
  return [axes.filter((a) => !a.drop).map((a) => a.idx.length), out];
}

/** numpy's coordinate selection `a[tuple(arrays)]` for 1-d arrays / ints per axis. */
function refVindex(shape: number[], sel: (number | number[])[]): number[] {
  const n = Math.max(...sel.map((s) => (typeof s === "number" ? 1 : s.length)));
  const st = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    let off = 0;
    sel.forEach((s, ax) => {
      const v = typeof s === "number" ? s : s[k];
      off += (v < 0 ? v + shape[ax] : v) * st[ax];
    });
    out.push(off);
  }
  return out;
}

function vals(a: NDArray): number[] {
  return Array.from(a.data as ArrayLike<number>, Number);
}

async function fromArange(shape: number[], chunks?: number[]): Promise<AsyncArray> {
  const n = shape.reduce((a, b) => a * b, 1);
  const z = await zarr.createArray(new zarr.MemoryStore(), {
    shape,
    chunks: chunks ?? shape,
    dtype: "int32",
    fillValue: 0,
  });
  await z.setitem(null, zarr.ndarray(Int32Array.from({ length: n }, (_, i) => i), shape));
  return z;
}

async function zerosLike(z: AsyncArray): Promise<void> {
  await z.setitem(null, 0);
}

function expectRejects(p: Promise<unknown>, cls: new (...a: never[]) => Error, msg?: string) {
  return assert.rejects(p, (e: Error) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.constructor.name}: ${e.message}`);
    assert.ok(e instanceof zarr.ZarrError);
    if (msg !== undefined) assert.ok(e.message.includes(msg), `message: ${e.message}`);
    return true;
  });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const isin = (n: number, set: number[]) => range(n).map((i) => set.includes(i));

// ---------------------------------------------------------------------------------------------
// #41 orthogonal selections

async function checkOrtho(z: AsyncArray, sel: Item[], label: string) {
  const [shape, expect] = refOindex(z.shape, sel);
  for (
    const got of [await z.getOrthogonalSelection(sel as never), await z.oindex.get(sel as never)]
  ) {
    assert.deepEqual(got.shape, shape, label);
    assert.deepEqual(vals(got), expect, label);
  }
}

async function checkOrthoSet(z: AsyncArray, sel: Item[], label: string) {
  const n = z.shape.reduce((a, b) => a * b, 1);
  const [shape, pos] = refOindex(z.shape, sel);
  const nested = (flat: number[], sh: number[]): unknown =>
    sh.length === 0 ? flat[0] : range(sh[0]).map((i) => {
      const inner = sh.slice(1).reduce((a, b) => a * b, 1);
      return nested(flat.slice(i * inner, (i + 1) * inner), sh.slice(1));
    });
  const values: [string, unknown, number[]][] = [
    ["42", 42, pos.map(() => 42)],
    ["ndarray", zarr.ndarray(Int32Array.from(pos), shape), pos],
  ];
  if (pos.length > 0) values.push(["nested list", nested(pos, shape), pos]);
  for (const [what, value, written] of values) {
    const expect = new Array(n).fill(0);
    pos.forEach((p, k) => (expect[p] = written[k]));
    for (const api of ["setOrthogonalSelection", "oindex.set"]) {
      await zerosLike(z);
      if (api === "oindex.set") await z.oindex.set(sel as never, value);
      else await z.setOrthogonalSelection(sel as never, value);
      assert.deepEqual(vals(await z.getitem(null)), expect, `${label} ${api} ${what}`);
    }
  }
}

const ORTHO_1D_BOOL: [string, boolean[]][] = [
  ["empty-mask", new Array(30).fill(false)],
  ["full-mask", new Array(30).fill(true)],
  ["alternating-mask", range(30).map((i) => i % 2 === 0)],
  ["single-true", range(30).map((i) => i === 7)],
  ["sparse-cross-chunk", isin(30, [0, 1, 8, 15, 29])],
];
const ORTHO_1D_INT: [string, number[]][] = [
  ["sorted", [0, 8, 15, 29]],
  ["unsorted", [3, 29, 1, 16]],
  ["duplicates", [2, 2, 8, 8]],
  ["wraparound", [0, 3, 10, -23, -12, -1]],
  ["single", [15]],
];

Deno.test("#41 get_orthogonal_selection 1d: bool masks and int arrays (oindex too)", async () => {
  const z = await fromArange([30], [7]);
  for (const [id, m] of ORTHO_1D_BOOL) {
    await checkOrtho(z, [m], id);
    // a bool NDArray mask
    const nd = zarr.ndarray(Uint8Array.from(m, Number), [30], "bool");
    assert.deepEqual(vals(await z.oindex.get(nd)), refOindex([30], [m])[1], `${id} NDArray`);
  }
  for (const [id, ix] of ORTHO_1D_INT) {
    await checkOrtho(z, [ix], id);
    const want = refOindex([30], [ix])[1];
    assert.deepEqual(vals(await z.oindex.get(Int32Array.from(ix))), want, `${id} Int32Array`);
    assert.deepEqual(vals(await z.oindex.get(BigInt64Array.from(ix, BigInt))), want, `${id} i64`);
    assert.deepEqual(vals(await z.oindex.get([ix.map(BigInt)])), want, `${id} bigint[]`);
  }
});

Deno.test("#41 get_orthogonal_selection 1d errors (IndexError, zarr-python messages)", async () => {
  const z = await fromArange([30], [7]);
  const wrong = "Boolean array has the wrong length for dimension; expected 30, got";
  await expectRejects(z.oindex.get([new Array(5).fill(false)]), zarr.IndexError, `${wrong} 5`);
  await expectRejects(z.oindex.get([new Array(50).fill(false)]), zarr.IndexError, `${wrong} 50`);
  await expectRejects(
    z.oindex.get([[[true, false], [false, true]]]),
    zarr.IndexError,
    "must be 1-dimensional only",
  );
  for (const bad of [[31], [-31]]) {
    for (const get of [() => z.getOrthogonalSelection([bad]), () => z.oindex.get([bad])]) {
      await expectRejects(
        get(),
        zarr.BoundsCheckError,
        "index out of bounds for dimension with length 30",
      );
    }
  }
  await expectRejects(
    z.oindex.get([[[2, 4], [6, 8]]]),
    zarr.IndexError,
    "integer arrays in an orthogonal selection must be 1-dimensional only",
  );
  // float arrays, bytes and other objects are not index arrays
  await expectRejects(
    z.oindex.get(Float64Array.of(1, 2) as never),
    zarr.IndexError,
    "unsupported selection item for orthogonal indexing",
  );
  await expectRejects(
    z.oindex.get(new TextEncoder().encode("xxx") as never),
    zarr.IndexError,
    "unsupported selection item for orthogonal indexing",
  );
  await expectRejects(
    z.oindex.get(zarr.ndarray(Float64Array.of(1), [1])),
    zarr.IndexError,
    "Arrays used as indices must be of integer or boolean type",
  );
});

const IX0_BOOL = isin(12, [0, 5, 11]);
const IX1_BOOL = [true, false, true, false, true];
const IX0_INT = Int32Array.of(0, 5, 11);
const IX1_INT = Int32Array.of(0, 2, 4);

const ORTHO_2D: [string, Item[]][] = [
  ["both-bool", [IX0_BOOL, IX1_BOOL]],
  ["bool-slice", [IX0_BOOL, S(1, 4)]],
  ["bool-strided-slice", [IX0_BOOL, S(0, 5, 2)]],
  ["slice-bool", [S(2, 9), IX1_BOOL]],
  ["strided-slice-bool", [S(0, 12, 4), IX1_BOOL]],
  ["bool-int", [IX0_BOOL, 3]],
  ["int-bool", [7, IX1_BOOL]],
  ["both-int", [IX0_INT, IX1_INT]],
  ["int-array-bool-array", [IX0_INT, IX1_BOOL]],
  ["bool-array-int-array", [IX0_BOOL, IX1_INT]],
  ["single-row", [7]],
  ["single-col", [S(), 3]],
  ["full", [S(), S()]],
  ["row-slice", [S(2, 9)]],
  // beyond zarr-python: negative steps, repeated and unsorted indices
  ["neg-step-int", [S(null, null, -3), Int32Array.of(4, 0, 4, -2)]],
  ["unsorted-repeats", [[11, 0, 5, 5, 3], [4, 4, 1]]],
];

Deno.test("#41 get_orthogonal_selection 2d matches the reference", async () => {
  const z = await fromArange([12, 5], [5, 2]);
  for (const [id, sel] of ORTHO_2D) await checkOrtho(z, sel, id);
});

Deno.test("#41 get_orthogonal_selection 2d errors", async () => {
  const z = await fromArange([12, 5], [5, 2]);
  const unsupported = "unsupported selection item for orthogonal indexing";
  for (
    const get of [
      (s: unknown) => z.getOrthogonalSelection(s as never),
      (s: unknown) => z.oindex.get(s as never),
    ]
  ) {
    await expectRejects(get(2.3), zarr.IndexError, unsupported);
    await expectRejects(get("foo"), zarr.IndexError);
    await expectRejects(get([0, 0, 0]), zarr.IndexError, "too many indices for array");
    await expectRejects(get([true]), zarr.IndexError, "wrong length for dimension");
    await expectRejects(get([{}]), zarr.IndexError, unsupported);
  }
});

const IX3 = {
  b0: isin(7, [0, 3, 6]),
  b1: isin(6, [0, 2, 5]),
  b2: isin(10, [0, 4, 9]),
  i0: Int32Array.of(0, 3, 6),
  i1: Int32Array.of(0, 2, 5),
  i2: Int32Array.of(0, 4, 9),
};
const ORTHO_3D: [string, Item[]][] = [
  ["single-value", [5, 3, 8]],
  ["all-negative", [-1, -1, -1]],
  ["three-bool-arrays", [IX3.b0, IX3.b1, IX3.b2]],
  ["three-int-arrays", [IX3.i0, IX3.i1, IX3.i2]],
  ["array-slice-slice", [IX3.b0, S(1, 5), S(2, 9)]],
  ["slice-array-slice", [S(1, 6), IX3.b1, S(2, 9)]],
  ["slice-slice-array", [S(1, 6), S(1, 5), IX3.b2]],
  ["array-strided-strided", [IX3.b0, S(0, 6, 2), S(0, 10, 3)]],
  ["strided-array-strided", [S(0, 7, 2), IX3.b1, S(0, 10, 3)]],
  ["strided-strided-array", [S(0, 7, 2), S(0, 6, 2), IX3.b2]],
  ["array-int-int", [IX3.b0, 3, 8]],
  ["int-array-int", [5, IX3.b1, 8]],
  ["int-int-array", [5, 3, IX3.b2]],
  ["array-slice-int", [IX3.b0, S(1, 5), 8]],
  ["int-array-slice", [5, IX3.b1, S(2, 9)]],
  ["slice-int-array", [S(1, 6), 3, IX3.b2]],
  ["two-arrays-slice", [IX3.b0, IX3.b1, S(2, 9)]],
  ["slice-two-arrays", [S(1, 6), IX3.b1, IX3.b2]],
  ["array-slice-array", [IX3.b0, S(1, 5), IX3.b2]],
  ["two-arrays-int", [IX3.b0, IX3.b1, 8]],
  ["int-two-arrays", [5, IX3.b1, IX3.b2]],
  ["array-int-array", [IX3.b0, 3, IX3.b2]],
  ["ellipsis-array", [zarr.ellipsis, Int32Array.of(9, 1, 1)]],
];

Deno.test("#41 get_orthogonal_selection 3d matches the reference", async () => {
  const z = await fromArange([7, 6, 10], [3, 2, 4]);
  for (const [id, sel] of ORTHO_3D) await checkOrtho(z, sel, id);
});

Deno.test("#41 orthogonal indexing edge cases (shape (1, 2, 3))", async () => {
  const z = await fromArange([1, 2, 3], [1, 2, 3]);
  await checkOrtho(z, [0, S(), [0, 1, 2]], "ints");
  await checkOrtho(z, [0, S(), [true, true, true]], "bools");
});

Deno.test("#41 set_orthogonal_selection 1d/2d/3d matches the reference", async () => {
  const z1 = await fromArange([30], [7]);
  for (const [id, m] of ORTHO_1D_BOOL) await checkOrthoSet(z1, [m], id);
  for (const [id, ix] of ORTHO_1D_INT) await checkOrthoSet(z1, [ix], id);
  const z2 = await fromArange([12, 5], [5, 2]);
  for (const [id, sel] of ORTHO_2D) await checkOrthoSet(z2, sel, id);
  const z3 = await fromArange([7, 6, 10], [3, 2, 4]);
  for (const [id, sel] of ORTHO_3D) await checkOrthoSet(z3, sel, id);
});

Deno.test("#41 orthogonal set with repeated indices: the last write wins (numpy)", async () => {
  const z = await zarr.zeros([4], { chunks: [1], dtype: "float64" });
  await z.oindex.set([Int32Array.of(-1, -1, 0, 0)], [0, 1, 2, 3]);
  assert.deepEqual(vals(await z.getitem(null)), [3, 0, 0, 1]);
  await z.oindex.set([Int32Array.of(-1, 0, 0, -1)], [0, 1, 2, 3]);
  assert.deepEqual(vals(await z.getitem(null)), [2, 0, 0, 3]);
});

Deno.test("#41 orthogonal fallback on getitem 2d (test_orthogonal_indexing_fallback_on_getitem_2d)", async () => {
  const z = await fromArange([3, 3]);
  const cases: [Item[], number[][]][] = [
    [[[0, 1]], [[0, 1, 2], [3, 4, 5]]],
    [[[0, 1], S()], [[0, 1, 2], [3, 4, 5]]],
    [[[0, 1], S(1, null)], [[1, 2], [4, 5]]],
    [[S(0, 2), [0, 2]], [[0, 2], [3, 5]]],
    [[S(0, 2), S(0, 2)], [[0, 1], [3, 4]]],
    [[[1, 0, 1], S(1, null)], [[4, 5], [1, 2], [4, 5]]],
    [[[1, 0, 1]], [[3, 4, 5], [0, 1, 2], [3, 4, 5]]],
  ];
  for (const [sel, expected] of cases) {
    const got = await z.getitem(sel as never);
    assert.deepEqual(got.shape, [expected.length, expected[0].length]);
    assert.deepEqual(vals(got), expected.flat());
    assert.deepEqual(vals(got), refOindex([3, 3], sel)[1]);
  }
});

Deno.test("#41 orthogonal fallback on getitem 3d", async () => {
  const z = await fromArange([3, 3, 3]);
  const cases: [Item[], number[]][] = [
    [[[0, 1]], range(18)],
    [[S(0, 2), 1, 1], [4, 13]],
    [[S(0, 2), 1, S(0, 2)], [3, 4, 12, 13]],
    [[S(0, 2), [1, 2], S(0, 2)], [3, 4, 6, 7, 12, 13, 15, 16]],
  ];
  for (const [sel, expected] of cases) {
    assert.deepEqual(vals(await z.getitem(sel as never)), expected);
  }
});

Deno.test("#41 orthogonal fallback on setitem 2d", async () => {
  const cases: [Item[], number[][]][] = [
    [[[0, 1]], [[1, 1, 1], [1, 1, 1], [0, 0, 0]]],
    [[[0, 1], S(1, 3)], [[0, 1, 1], [0, 1, 1], [0, 0, 0]]],
    [[[0, 1, 1, 1, 1, 1, 1], S(1, 3)], [[0, 1, 1], [0, 1, 1], [0, 0, 0]]],
    [[[0, 2], S(null, null, 2)], [[1, 0, 1], [0, 0, 0], [1, 0, 1]]],
  ];
  for (const [sel, expected] of cases) {
    const z = await zarr.zeros([3, 3], { dtype: "float64" });
    await z.setitem(sel as never, 1);
    assert.deepEqual(vals(await z.getitem(null)), expected.flat());
  }
});

Deno.test("#41 orthogonal bool indexing like numpy ix_ through getitem", async () => {
  const z = await fromArange([12, 5], [5, 2]);
  const tile = (n: number) => range(12).map((i) => i % 2 === 0).slice(0, n);
  const cases: Item[][] = [
    [tile(12), [true, false, true, false, true]],
    [new Array(12).fill(false), [true, false, true, false, true]],
    [new Array(12).fill(true), new Array(5).fill(true)],
    [
      zarr.ndarray(Uint8Array.from(new Array(12).fill(1)), [12], "bool"),
      [true, false, true, false, true],
    ],
  ];
  for (const sel of cases) {
    const [shape, expect] = refOindex([12, 5], sel);
    const got = await z.getitem(sel as never);
    assert.deepEqual(got.shape, shape);
    assert.deepEqual(vals(got), expect);
  }
});

// ---------------------------------------------------------------------------------------------
// #42 coordinate selections

const COORD_1D: [string, unknown, number[]][] = [
  ["single", [5], [5]],
  ["single-negative", [-1], [29]],
  ["wraparound", [[0, 3, 10, -23, -12, -1]], [0, 3, 10, 7, 18, 29]],
  ["out-of-order", [[3, 25, 8, 17]], [3, 25, 8, 17]],
  ["sorted", [[1, 8, 15, 29]], [1, 8, 15, 29]],
  ["reversed", [[29, 15, 8, 1]], [29, 15, 8, 1]],
  ["reversed-uint", Uint32Array.of(29, 15, 8, 1), [29, 15, 8, 1]],
  ["duplicates", [[2, 2, 8, 8]], [2, 2, 8, 8]],
  ["sorted-chunk-boundaries", [[0, 6, 7, 13, 14, 28, 29]], [0, 6, 7, 13, 14, 28, 29]],
  ["sorted-contiguous-runs", [[0, 1, 2, 8, 9, 10, 21, 22, 23]], [0, 1, 2, 8, 9, 10, 21, 22, 23]],
  ["sorted-single-chunk", [[1, 2, 3, 4, 5, 6]], [1, 2, 3, 4, 5, 6]],
  ["sorted-full", [range(30)], range(30)],
  ["sorted-duplicates-boundaries", [[0, 0, 7, 7, 7, 29]], [0, 0, 7, 7, 7, 29]],
];

Deno.test("#42 get_coordinate_selection 1d (vindex too)", async () => {
  const z = await fromArange([30], [7]);
  for (const [id, sel, expect] of COORD_1D) {
    for (
      const got of [await z.getCoordinateSelection(sel as never), await z.vindex.get(sel as never)]
    ) {
      assert.deepEqual(vals(got), expect, id);
    }
  }
  // all-scalar selections have shape [1], as in zarr-python
  assert.deepEqual((await z.vindex.get([5])).shape, [1]);
  // multi-dimensional coordinate arrays keep their shape
  for (const sel of [[[[2, 4], [6, 8]]], zarr.ndarray(Int32Array.of(2, 4, 6, 8), [2, 2])]) {
    const got = await z.vindex.get(sel as never);
    assert.deepEqual(got.shape, [2, 2]);
    assert.deepEqual(vals(got), [2, 4, 6, 8]);
  }
  // narrow index dtypes over a large chunk
  const big = await fromArange([1000], [1000]);
  for (const coords of [Int8Array.from(range(10)), Uint32Array.from(range(10))]) {
    assert.deepEqual(vals(await big.getCoordinateSelection(coords)), range(10));
    assert.deepEqual(vals(await big.getitem(coords)), range(10));
  }
});

Deno.test("#42 get_coordinate_selection 1d errors (IndexError)", async () => {
  const z = await fromArange([30], [7]);
  const bad: unknown[] = [
    S(5, 15),
    S(),
    zarr.ellipsis,
    2.3,
    "foo",
    new TextEncoder().encode("xxx"),
    [0, 0],
    [S(), S()],
  ];
  for (const sel of bad) {
    await expectRejects(z.getCoordinateSelection(sel as never), zarr.IndexError);
    await expectRejects(z.vindex.get(sel as never), zarr.IndexError);
  }
  await expectRejects(
    z.getCoordinateSelection(S(5, 15) as never),
    zarr.IndexError,
    "invalid coordinate selection; expected one integer (coordinate) array per dimension",
  );
  await expectRejects(
    z.vindex.get(2.3 as never),
    zarr.VindexInvalidSelectionError,
    "unsupported selection type for vectorized indexing",
  );
  for (const sel of [[[31]], [[-31]]]) {
    for (const get of [() => z.getCoordinateSelection(sel), () => z.vindex.get(sel)]) {
      await expectRejects(
        get(),
        zarr.BoundsCheckError,
        "index out of bounds for dimension with length 30",
      );
    }
  }
});

const C0 = [0, 5, 11, 2, 8];
const C1 = [1, 3, 4, 0, 2];
const COORD_2D: [string, unknown[]][] = [
  ["single", [5, 4]],
  ["single-negative", [-1, -1]],
  ["both-arrays", [Int32Array.from(C0), Int32Array.from(C1)]],
  ["array-int", [Int32Array.of(0, 5, 11), 4]],
  ["int-array", [7, Int32Array.of(0, 2, 4)]],
  ["not-monotonic-first", [[3, 3, 4, 2, 5], [1, 3, 4, 0, 2]]],
  ["not-monotonic-second", [[1, 1, 2, 2, 5], [1, 3, 2, 1, 0]]],
];

function plain(sel: unknown[]): (number | number[])[] {
  return sel.map((s) => (typeof s === "number" ? s : Array.from(s as ArrayLike<number>)));
}

Deno.test("#42 get_coordinate_selection 2d", async () => {
  const z = await fromArange([12, 5], [5, 2]);
  for (const [id, sel] of COORD_2D) {
    const expect = refVindex([12, 5], plain(sel));
    assert.deepEqual(vals(await z.getCoordinateSelection(sel as never)), expect, id);
    assert.deepEqual(vals(await z.vindex.get(sel as never)), expect, id);
  }
  // multi-dim coordinate arrays
  const got = await z.vindex.get([
    zarr.ndarray(Int32Array.of(1, 1, 2, 2, 2, 5), [2, 3]),
    [[1, 3, 2], [1, 0, 0]],
  ]);
  assert.deepEqual(got.shape, [2, 3]);
  assert.deepEqual(vals(got), [6, 8, 12, 11, 10, 25]);
});

Deno.test("#42 get_coordinate_selection 2d errors", async () => {
  const z = await fromArange([12, 5], [5, 2]);
  for (const sel of [[S(5, 15), [1, 2, 3]], [[1, 2, 3], S(5, 15)], [zarr.ellipsis, [1, 2, 3]]]) {
    await expectRejects(z.getCoordinateSelection(sel as never), zarr.IndexError);
  }
  await expectRejects(z.getCoordinateSelection(zarr.ellipsis as never), zarr.IndexError);
  await expectRejects(
    z.getCoordinateSelection([Int32Array.of(12), Int32Array.of(0)]),
    zarr.BoundsCheckError,
    "index out of bounds for dimension with length 12",
  );
  await expectRejects(
    z.getCoordinateSelection([Int32Array.of(0), Int32Array.of(5)]),
    zarr.BoundsCheckError,
    "index out of bounds for dimension with length 5",
  );
  // arrays that do not broadcast: numpy's message, ValueError as in zarr-python
  await expectRejects(
    z.getCoordinateSelection([[1, 2], [1, 2, 3]]),
    zarr.ZarrValueError,
    "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 " +
      "with shape (2,) and arg 1 with shape (3,).",
  );
});

Deno.test("#42 set_coordinate_selection 1d/2d (42, array, list; vindex too)", async () => {
  for (
    const [shape, chunks, cases] of [
      [[30], [7], COORD_1D.map(([id, sel]) => [id, sel])],
      [[12, 5], [5, 2], COORD_2D],
    ] as [number[], number[], [string, unknown][]][]
  ) {
    const z = await fromArange(shape, chunks);
    const n = shape.reduce((a, b) => a * b, 1);
    for (const [id, sel] of cases) {
      const items = sel instanceof Uint32Array ? [Array.from(sel)] : plain(sel as unknown[]);
      const pos = refVindex(shape, items);
      for (
        const [what, value, written] of [
          ["42", 42, pos.map(() => 42)],
          ["ndarray", zarr.ndarray(Int32Array.from(pos), [pos.length]), pos],
          ["list", pos, pos],
        ] as [string, unknown, number[]][]
      ) {
        const expect = new Array(n).fill(0);
        pos.forEach((p, k) => (expect[p] = written[k]));
        await zerosLike(z);
        await z.setCoordinateSelection(sel as never, value);
        assert.deepEqual(vals(await z.getitem(null)), expect, `${id} ${what}`);
        await zerosLike(z);
        await z.vindex.set(sel as never, value);
        assert.deepEqual(vals(await z.getitem(null)), expect, `${id} vindex ${what}`);
      }
    }
  }
});

Deno.test("#42 repeated coordinates in a write: the last value wins", async () => {
  const z = await zarr.zeros([6], { chunks: [2], dtype: "int32" });
  await z.vindex.set([[5, 0, 5, 1, 0]], [1, 2, 3, 4, 5]);
  assert.deepEqual(vals(await z.getitem(null)), [5, 4, 0, 0, 0, 3]);
});

Deno.test("#42 fancy indexing fallback on getitem/setitem", async () => {
  const z = await zarr.zeros([20, 20], { chunks: [20, 20], dtype: "float64" });
  await z.setitem([[1, 2, 3], [1, 2, 3]], 1);
  assert.deepEqual(
    vals(await z.getitem("0:4, 0:4")),
    [
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ].flat(),
  );
  assert.deepEqual(vals(await z.getitem([[1, 2, 3], [1, 2, 3]])), [1, 1, 1]);
  // broadcasting an int against an array
  assert.deepEqual(vals(await z.getitem([1, [1, 2, 3]])), [1, 0, 0]);
  // 1-d fancy indexing
  const z2 = await zarr.zeros([5], { dtype: "float64" });
  await z2.setitem([[1, 2, 3]], 1);
  assert.deepEqual(vals(await z2.getitem(null)), [0, 1, 1, 1, 0]);
  await z2.setitem(Int32Array.of(0, 4), 2);
  assert.deepEqual(vals(await z2.getitem(null)), [2, 1, 1, 1, 2]);
  // paired lists on a 2-d array: vectorized (test_basic_2d_fancy_fallback)
  const a = await fromArange([12, 5], [5, 2]);
  assert.deepEqual(vals(await a.getitem([[0, 1], [0, 1]])), [0, 6]);
});

Deno.test("#42 fancy indexing does not mix with implicit slicing", async () => {
  const z = await zarr.zeros([5, 5, 5], { dtype: "float64" });
  await expectRejects(z.setitem([[1, 2, 3], [1, 2, 3]], 2), zarr.IndexError);
  await expectRejects(z.getitem([[1, 2, 3], [1, 2, 3]]), zarr.IndexError);
  await expectRejects(z.setitem([zarr.ellipsis, [1, 2, 3]], 2), zarr.IndexError);
  await expectRejects(z.getitem([zarr.ellipsis, [1, 2, 3]]), zarr.IndexError);
});

Deno.test("#42 vectorized set with an incompatible value shape raises 'Attempting to set'", async () => {
  const z = await zarr.create([4, 4], { chunks: [2, 2], dtype: "int16", fillValue: 32767 });
  await expectRejects(
    z.setitem([Int32Array.of(1, 2), Int32Array.of(1, 2)], [[-1, -2], [-3, -4], [-5, -6]]),
    zarr.ZarrValueError,
    "Attempting to set a selection of 2 elements with an array of 6 elements.",
  );
  // a value with one element per point is taken in C order whatever its shape (zarr-python)
  await z.setitem([Int32Array.of(1, 2), Int32Array.of(1, 2)], [[-1], [-2]]);
  assert.deepEqual(vals(await z.vindex.get([[1, 2], [1, 2]])), [-1, -2]);
});

// ---------------------------------------------------------------------------------------------
// #43 mask and block selections

const MASK_1D: [string, boolean[]][] = [
  ["all-false", new Array(30).fill(false)],
  ["all-true", new Array(30).fill(true)],
  ["alternating", range(30).map((i) => i % 2 === 0)],
  ["sparse-cross-chunk", isin(30, [0, 7, 14, 29])],
];

function sparse2d(): boolean[][] {
  const m = range(12).map(() => new Array(5).fill(false));
  for (const [r, c] of [[0, 0], [5, 2], [11, 4], [2, 3]]) m[r][c] = true;
  return m;
}
const MASK_2D: [string, boolean[][]][] = [
  ["all-false", range(12).map(() => new Array(5).fill(false))],
  ["all-true", range(12).map(() => new Array(5).fill(true))],
  ["checkerboard", range(12).map((i) => range(5).map((j) => (i + j) % 2 === 1))],
  ["sparse", sparse2d()],
];

function maskPositions(m: boolean[] | boolean[][]): number[] {
  return (m.flat() as boolean[]).flatMap((b, i) => (b ? [i] : []));
}

function boolND(m: boolean[][]): NDArray {
  return zarr.ndarray(Uint8Array.from(m.flat(), Number), [m.length, m[0].length], "bool");
}

Deno.test("#43 get_mask_selection 1d/2d (vindex and getitem too)", async () => {
  const z1 = await fromArange([30], [7]);
  for (const [id, m] of MASK_1D) {
    const expect = maskPositions(m);
    for (
      const got of [
        await z1.getMaskSelection(m),
        await z1.vindex.get(m),
        await z1.getitem(m),
        await z1.getMaskSelection(zarr.ndarray(Uint8Array.from(m, Number), [30], "bool")),
      ]
    ) {
      assert.deepEqual(got.shape, [expect.length], id);
      assert.deepEqual(vals(got), expect, id);
    }
  }
  const z2 = await fromArange([12, 5], [5, 2]);
  for (const [id, m] of MASK_2D) {
    const expect = maskPositions(m);
    for (
      const got of [
        await z2.getMaskSelection(m),
        await z2.vindex.get(m),
        await z2.getitem(m),
        await z2.getitem(boolND(m)),
        await z2.vindex.get(boolND(m)),
      ]
    ) {
      assert.deepEqual(vals(got), expect, id);
    }
  }
});

Deno.test("#43 get_mask_selection errors (IndexError)", async () => {
  const z = await fromArange([30], [7]);
  const bad: unknown[] = [
    S(5, 15),
    S(),
    zarr.ellipsis,
    2.3,
    "foo",
    new TextEncoder().encode("xxx"),
    [0, 0],
    [S(), S()],
    new Array(5).fill(false),
    new Array(50).fill(false),
    [[true, false], [false, true]],
  ];
  for (const sel of bad) {
    await expectRejects(z.getMaskSelection(sel as never), zarr.IndexError);
    await expectRejects(z.vindex.get(sel as never), zarr.IndexError);
    await expectRejects(z.setMaskSelection(sel as never, 42), zarr.IndexError);
    await expectRejects(z.vindex.set(sel as never, 42), zarr.IndexError);
  }
  await expectRejects(
    z.getMaskSelection(new Array(5).fill(false)),
    zarr.IndexError,
    "invalid mask selection; expected one Boolean (mask) array with the same shape",
  );
  const z2 = await fromArange([12, 5], [5, 2]);
  for (
    const sel of [
      range(12).map(() => new Array(3).fill(false)),
      range(20).map(() => new Array(5).fill(false)),
      [true, false],
    ]
  ) {
    await expectRejects(z2.vindex.get(sel), zarr.IndexError);
  }
});

Deno.test("#43 set_mask_selection 1d/2d (vindex and setitem too)", async () => {
  for (
    const [shape, chunks, cases] of [
      [[30], [7], MASK_1D],
      [[12, 5], [5, 2], MASK_2D],
    ] as [number[], number[], [string, boolean[] | boolean[][]][]][]
  ) {
    const z = await fromArange(shape, chunks);
    const n = shape.reduce((a, b) => a * b, 1);
    for (const [id, m] of cases) {
      const pos = maskPositions(m);
      const expect = new Array(n).fill(0);
      pos.forEach((p) => (expect[p] = p));
      const value = zarr.ndarray(Int32Array.from(pos), [pos.length]);
      for (const api of ["setMaskSelection", "vindex.set", "setitem"]) {
        await zerosLike(z);
        if (api === "setMaskSelection") await z.setMaskSelection(m as never, value);
        else if (api === "vindex.set") await z.vindex.set(m as never, value);
        else await z.setitem(m as never, value);
        assert.deepEqual(vals(await z.getitem(null)), expect, `${id} ${api}`);
      }
    }
  }
});

const BLOCK_1D: [string, Item, [number, number]][] = [
  ["block-0", 0, [0, 7]],
  ["block-mid", 2, [14, 21]],
  ["block-last", 4, [28, 30]],
  ["block-neg-1", -1, [28, 30]],
  ["block-neg-2", -2, [21, 28]],
  ["slice-to-3", zarr.slice(3), [0, 21]],
  ["slice-none-2", S(null, 2), [0, 14]],
  ["slice-1-2", S(1, 2), [7, 14]],
  ["slice-neg", S(-2, -1), [21, 28]],
  ["full", S(), [0, 30]],
  ["string", "1:3", [7, 21]],
];

const BLOCK_2D: [string, Item[], [number, number][]][] = [
  ["single-00", [0, 0], [[0, 5], [0, 2]]],
  ["single-mid", [1, 1], [[5, 10], [2, 4]]],
  ["neg", [-1, -1], [[10, 12], [4, 5]]],
  ["slice-rows", [S(0, 2), 0], [[0, 10], [0, 2]]],
  ["slice-cols", [2, S(1, 3)], [[10, 12], [2, 5]]],
  ["both-slices", [S(0, 2), S(0, 2)], [[0, 10], [0, 4]]],
  ["full", [S(), S()], [[0, 12], [0, 5]]],
];

Deno.test("#43 get/set_block_selection 1d and 2d (blocks too)", async () => {
  const z1 = await fromArange([30], [7]);
  const restore = (z: AsyncArray, n: number) =>
    z.setitem(null, zarr.ndarray(Int32Array.from(range(n)), z.shape));
  for (const [id, sel, [a, b]] of BLOCK_1D) {
    await restore(z1, 30);
    const expect = range(30).slice(a, b);
    assert.deepEqual(vals(await z1.getBlockSelection(sel as never)), expect, id);
    assert.deepEqual(vals(await z1.blocks.get(sel as never)), expect, id);
    for (const value of [42, zarr.ndarray(Int32Array.from(expect), [expect.length]), expect]) {
      const want = range(30).map((i) => (i >= a && i < b ? (value === 42 ? 42 : i) : 0));
      await zerosLike(z1);
      await z1.setBlockSelection(sel as never, value);
      assert.deepEqual(vals(await z1.getitem(null)), want, `${id} set`);
      await zerosLike(z1);
      await z1.blocks.set(sel as never, value);
      assert.deepEqual(vals(await z1.getitem(null)), want, `${id} blocks.set`);
    }
  }
  const z2 = await fromArange([12, 5], [5, 2]);
  for (const [id, sel, [[r0, r1], [c0, c1]]] of BLOCK_2D) {
    await restore(z2, 60);
    const [shape, expect] = refOindex([12, 5], [S(r0, r1), S(c0, c1)]);
    const got = await z2.blocks.get(sel as never);
    assert.deepEqual(got.shape, shape, id);
    assert.deepEqual(vals(got), expect, id);
    await zerosLike(z2);
    await z2.blocks.set(sel as never, zarr.ndarray(Int32Array.from(expect), shape));
    const want = new Array(60).fill(0);
    expect.forEach((p) => (want[p] = p));
    assert.deepEqual(vals(await z2.getitem(null)), want, `${id} set`);
  }
});

Deno.test("#43 block selection errors", async () => {
  const z = await fromArange([30], [7]);
  const cases: [unknown, new (...a: never[]) => Error, string | undefined][] = [
    [S(3, 8, 2), zarr.IndexError, "expected integer or slice with step=1"],
    [S(null, null, -1), zarr.IndexError, "expected integer or slice with step=1"],
    [2.3, zarr.IndexError, "unsupported selection item for block indexing"],
    [new TextEncoder().encode("xxx"), zarr.IndexError, "unsupported selection item for block"],
    [[0, 0], zarr.IndexError, "too many indices for array"],
    [[S(), S()], zarr.IndexError, "too many indices for array"],
    [[[0, 5, 3]], zarr.IndexError, "unsupported selection item for block indexing"],
    [5, zarr.BoundsCheckError, "block index out of bounds for dimension with 5 chunk(s)"],
    [-6, zarr.BoundsCheckError, "block index out of bounds for dimension with 5 chunk(s)"],
  ];
  for (const [sel, cls, msg] of cases) {
    await expectRejects(z.getBlockSelection(sel as never), cls, msg);
    await expectRejects(z.blocks.get(sel as never), cls, msg);
    await expectRejects(z.setBlockSelection(sel as never, 42), cls, msg);
    await expectRejects(z.blocks.set(sel as never, 42), cls, msg);
  }
  const z2 = await fromArange([12, 5], [5, 2]);
  await expectRejects(z2.getBlockSelection([S(5, 15), [1, 2, 3]] as never), zarr.IndexError);
  await expectRejects(z2.getBlockSelection([zarr.ellipsis, [1, 2, 3]] as never), zarr.IndexError);
  await expectRejects(
    z2.getBlockSelection([S(15, 20), S()]),
    zarr.BoundsCheckError,
    "index out of bounds for dimension with length 12",
  );
  await expectRejects(z2.setBlockSelection([S(15, 20), S()], 42), zarr.BoundsCheckError);
});

// ---------------------------------------------------------------------------------------------
// test_indexing_equals_numpy, test_indexing_with_zarr_array

Deno.test("getitem with assorted basic / mask / coordinate selections equals numpy", async () => {
  const z = await fromArange([12, 5], [5, 2]);
  const tileMask = range(12).map(() => [true, false, true, false, true]);
  const cases: [Item, number[], number[]][] = [
    ["...", [12, 5], range(60)],
    [[1, zarr.ellipsis], [5], range(5).map((j) => 5 + j)],
    [[S()], [12, 5], range(60)],
    [[1, 3], [], [8]],
    [[[1, 2, 3], 4], [3], [9, 14, 19]],
    [[Int32Array.from(range(12))], [12, 5], range(60)],
    [[S(2, 9)], [7, 5], range(35).map((i) => i + 10)],
    [[S(1, 3), 3], [2], [8, 13]],
    [[[1, 3]], [2, 5], [5, 6, 7, 8, 9, 15, 16, 17, 18, 19]],
    [tileMask, [36], maskPositions(tileMask)],
    [range(12).map(() => new Array(5).fill(false)), [0], []],
    [[[1, 2, 3, 4], [0, 1, 2, 3]], [4], [5, 11, 17, 23]],
    [[[10, 11, 5], [4, 0, 2]], [3], [54, 55, 27]],
  ];
  for (const [sel, shape, expect] of cases) {
    const got = await z.getitem(sel as never);
    assert.deepEqual(got.shape, shape, JSON.stringify(sel));
    assert.deepEqual(vals(got), expect, JSON.stringify(sel));
  }
});

Deno.test("indexing with another zarr array (bool and int) as the selection", async () => {
  const store = new zarr.MemoryStore();
  const a = await zarr.array(Float64Array.from(range(10)), { chunks: [2], store, path: "a" });
  const ix = [false, true, false, true, false, true, false, true, false, true];
  const zix = await zarr.array(ix, { chunks: [2], store, dtype: "bool", path: "ix" });
  const zii = await zarr.array([0, 2, 4, 5], { chunks: [2], store, dtype: "int32", path: "ii" });
  const odd = [1, 3, 5, 7, 9];
  assert.deepEqual(vals(await a.getitem(zix)), odd);
  assert.deepEqual(vals(await a.oindex.get(zix)), odd);
  assert.deepEqual(vals(await a.vindex.get(zix)), odd);
  assert.deepEqual(vals(await a.getitem(zii)), [0, 2, 4, 5]);
  assert.deepEqual(vals(await a.oindex.get(zii)), [0, 2, 4, 5]);
  const zf = await zarr.array([1.5], { store, path: "f" });
  await expectRejects(
    a.oindex.get(zf),
    zarr.IndexError,
    "Arrays used as indices must be of integer or boolean type",
  );
});

// ---------------------------------------------------------------------------------------------
// #44 accessed chunks for the advanced selections

class CountingStore extends zarr.MemoryStore {
  gets = new Map<string, number>();
  sets = new Map<string, number>();
  override get(key: string, range?: Parameters<zarr.Store["get"]>[1]) {
    if (!key.includes("zarr")) this.gets.set(key, (this.gets.get(key) ?? 0) + 1);
    return super.get(key, range);
  }
  override set(key: string, value: Uint8Array) {
    if (!key.includes("zarr")) this.sets.set(key, (this.sets.get(key) ?? 0) + 1);
    return super.set(key, value);
  }
  reset() {
    this.gets.clear();
    this.sets.clear();
  }
}

Deno.test("#44 advanced selections read/write only intersecting chunks, each once", async () => {
  const store = new CountingStore();
  const z = await zarr.createArray(store, {
    shape: [40, 50],
    chunks: [5, 8],
    dtype: "float64",
    fillValue: -1,
    zarrFormat: 2,
  });
  await z.setitem(null, 1); // every chunk stored
  const chunksOf = (rows: number[], cols: number[]) => {
    const out = new Set<string>();
    for (const r of rows) {
      for (const c of cols) out.add(`${Math.floor(r / 5)}.${Math.floor(c / 8)}`);
    }
    return [...out].sort();
  };
  const rows = [39, 0, 7, 7, 21];
  const cols = [49, 3, 3, 17];
  const ops: [string, () => Promise<unknown>, string[]][] = [
    ["oindex.get", () => z.oindex.get([rows, cols]), chunksOf(rows, cols)],
    ["oindex.set", () => z.oindex.set([rows, cols], 2), chunksOf(rows, cols)],
    ["vindex.get", () => z.vindex.get([rows.slice(0, 4), cols]), [
      "0.0",
      "1.0",
      "1.2",
      "7.6",
    ]],
    ["vindex.set", () => z.vindex.set([rows.slice(0, 4), cols], 3), [
      "0.0",
      "1.0",
      "1.2",
      "7.6",
    ]],
    ["blocks.get", () => z.blocks.get([S(1, 3), -1]), ["1.6", "2.6"]],
    ["blocks.set", () => z.blocks.set([S(1, 3), -1], 4), ["1.6", "2.6"]],
  ];
  for (const [what, op, expected] of ops) {
    store.reset();
    await op();
    const gets = [...store.gets.entries()].sort();
    const sets = [...store.sets.entries()].sort();
    if (what.endsWith("get")) {
      assert.deepEqual(gets, expected.map((k) => [k, 1]), what);
      assert.deepEqual(sets, [], what);
    } else {
      assert.deepEqual(sets, expected.map((k) => [k, 1]), what);
      for (const [k, n] of gets) {
        assert.ok(expected.includes(k), `${what}: unexpected read of ${k}`);
        assert.equal(n, 1, `${what}: ${k} read ${n} times`);
      }
    }
  }
  // whole blocks are complete chunks: written without being read
  store.reset();
  await z.blocks.set([S(0, 2), 0], 5);
  assert.deepEqual([...store.gets.keys()], []);
  assert.deepEqual([...store.sets.keys()].sort(), ["0.0", "1.0"]);
});

Deno.test("get_basic_selection rejects integer lists (getitem falls back instead)", async () => {
  const msg = "unsupported selection item for basic indexing";
  const z1 = await fromArange([30], [7]);
  await expectRejects(z1.getBasicSelection([[1, 0]] as never), zarr.IndexError, msg);
  await expectRejects(z1.setBasicSelection(Int32Array.of(1) as never, 1), zarr.IndexError, msg);
  const z2 = await fromArange([12, 5], [5, 2]);
  await expectRejects(z2.getBasicSelection([S(), [0, 1]] as never), zarr.IndexError, msg);
  await expectRejects(z2.getBasicSelection([[0, 1]] as never), zarr.IndexError, msg);
  // getitem: the same selections are orthogonal (zarr-python's __getitem__)
  assert.deepEqual(vals(await z2.getitem([S(), [0, 1]])), refOindex([12, 5], [S(), [0, 1]])[1]);
  assert.deepEqual(vals(await z2.getitem([[0, 1]])), range(10));
  assert.deepEqual(vals(await z2.getBasicSelection("1, 2:4")), [7, 8]);
});
