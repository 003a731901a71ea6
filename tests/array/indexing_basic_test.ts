import assert from "node:assert/strict";
import { BasicIndexer } from "../../src/array/indexing/basic.ts";
import {
  type BasicSelection,
  normalizeBasicSelection,
  type SelectionItem,
} from "../../src/array/indexing/selection.ts";
import { ellipsis, type Slice, slice } from "../../src/array/indexing/slice.ts";
import {
  chunkCoordsIter,
  chunkGridShape,
  chunkRegion,
  isCompleteChunkSelection,
} from "../../src/array/indexing/chunk_grid.ts";
import { copyRegion, fillRegion, planBroadcast } from "../../src/buffer/copy.ts";
import { cStrides, product } from "../../src/buffer/ndarray.ts";
import { ZarrValueError } from "../../src/errors.ts";

// ------------------------------------------------------------------------------------------
// Slow, obviously-correct reference (numpy semantics, per element).

/** CPython PySlice_AdjustIndices, written out, then the index list. */
function refSlice(n: number, a: number | null, b: number | null, c: number | null): number[] {
  const step = c ?? 1;
  let start: number;
  let stop: number;
  if (a === null) start = step < 0 ? n - 1 : 0;
  else if (a < 0) start = Math.max(a + n, step < 0 ? -1 : 0);
  else start = Math.min(a, step < 0 ? n - 1 : n);
  if (b === null) stop = step < 0 ? -1 : n;
  else if (b < 0) stop = Math.max(b + n, step < 0 ? -1 : 0);
  else stop = Math.min(b, step < 0 ? n - 1 : n);
  const out: number[] = [];
  if (step > 0) { for (let i = start; i < stop; i += step) out.push(i); }
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

type RefDim = { drop: boolean; idx: number[] };

/** Resolves per-axis reference selections from the "intent" the generator produced. */
interface Intent {
  kind: "int" | "slice" | "all";
  v?: number;
  s?: [number | null, number | null, number | null];
}

function refDims(intents: Intent[], shape: number[]): RefDim[] {
  return intents.map((it, i) => {
    const n = shape[i];
    if (it.kind === "all") return { drop: false, idx: refSlice(n, null, null, null) };
    if (it.kind === "int") return { drop: true, idx: [it.v! < 0 ? it.v! + n : it.v!] };
    return { drop: false, idx: refSlice(n, ...it.s!) };
  });
}

/** Every combination of selected indices in C order of the output. */
function* refPositions(dims: RefDim[]): Generator<number[]> {
  const r = dims.length;
  for (const d of dims) if (d.idx.length === 0) return;
  const k = new Array(r).fill(0);
  for (;;) {
    yield k.map((j, ax) => dims[ax].idx[j]);
    let ax = r - 1;
    for (; ax >= 0; ax--) {
      if (++k[ax] < dims[ax].idx.length) break;
      k[ax] = 0;
    }
    if (ax < 0) return;
  }
}

// ------------------------------------------------------------------------------------------
// Random generation

let seed = 12345;
function rand(): number {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];

function sliceText(s: [number | null, number | null, number | null]): string {
  const f = (x: number | null) => (x === null ? "" : String(x));
  return s[2] === null && rand() < 0.5
    ? `${f(s[0])}:${f(s[1])}`
    : `${f(s[0])}:${f(s[1])}:${f(s[2])}`;
}

/** A random selection for `shape`, plus the per-axis intent for the reference. */
function randomSelection(shape: number[]): { sel: BasicSelection; intents: Intent[] } {
  const ndim = shape.length;
  const intents: Intent[] = shape.map((n) => {
    const r = rand();
    if (r < 0.25 && n > 0) return { kind: "int", v: ri(-n, n - 1) };
    if (r < 0.35) return { kind: "all" };
    const bound = () => (rand() < 0.25 ? null : ri(-n - 3, n + 3));
    const step = rand() < 0.3 ? null : pick([1, 2, 3, 5, 7, -1, -2, -3, -4, -6]);
    return {
      kind: "slice",
      s: [bound(), bound(), step] as [number | null, number | null, number | null],
    };
  });
  // Items: trailing "all" axes may be omitted; an ellipsis may replace a run of "all" axes.
  let items: { text: string; obj: SelectionItem }[] = intents.map((it) => {
    if (it.kind === "int") return { text: String(it.v), obj: rand() < 0.2 ? BigInt(it.v!) : it.v! };
    if (it.kind === "all") return { text: ":", obj: rand() < 0.5 ? null : slice() };
    const s = it.s!;
    const obj: Slice = rand() < 0.2 && s[0] === null && s[2] === null
      ? slice(s[1])
      : slice(s[0], s[1], s[2]);
    return { text: sliceText(s), obj };
  });
  // ellipsis replacement of a run of "all" axes (possibly empty)
  if (rand() < 0.4) {
    const starts: number[] = [];
    for (let i = 0; i <= ndim; i++) starts.push(i);
    const a = pick(starts);
    let b = a;
    while (b < ndim && intents[b].kind === "all" && rand() < 0.7) b++;
    const useSym = rand() < 0.5;
    items = [
      ...items.slice(0, a),
      { text: "...", obj: useSym ? ellipsis : "..." },
      ...items.slice(b),
    ];
  } else {
    while (items.length > 0 && intents[items.length - 1].kind === "all" && rand() < 0.5) {
      items.pop();
    }
  }
  const form = rand();
  let sel: BasicSelection;
  if (form < 0.3) sel = items.map((x) => x.text).join(", ");
  else if (form < 0.4) sel = items.map((x) => x.text); // array of strings
  else if (items.length === 1 && rand() < 0.5) sel = items[0].obj;
  else sel = items.map((x) => x.obj);
  return { sel, intents };
}

// ------------------------------------------------------------------------------------------
// Containers

type Kind = "i32" | "c128" | "str";
const SLOTS: Record<Kind, number> = { i32: 1, c128: 2, str: 1 };

function alloc(kind: Kind, n: number): Int32Array | Float64Array | string[] {
  if (kind === "i32") return new Int32Array(n).fill(-1);
  if (kind === "c128") return new Float64Array(2 * n).fill(-1);
  return new Array<string>(n).fill("pad");
}
function setVal(kind: Kind, c: Int32Array | Float64Array | string[], i: number, v: number) {
  if (kind === "i32") (c as Int32Array)[i] = v;
  else if (kind === "c128") {
    (c as Float64Array)[2 * i] = v;
    (c as Float64Array)[2 * i + 1] = -v;
  } else (c as string[])[i] = `v${v}`;
}
function getVal(kind: Kind, c: Int32Array | Float64Array | string[], i: number): unknown {
  if (kind === "i32") return (c as Int32Array)[i];
  if (kind === "c128") return [(c as Float64Array)[2 * i], (c as Float64Array)[2 * i + 1]];
  return (c as string[])[i];
}

/** Splits an array (value at flat index k = k + 1) into padded chunk buffers. */
function makeChunks(kind: Kind, shape: number[], chunks: number[], valueAt: (k: number) => number) {
  const grid = chunkGridShape(shape, chunks);
  const st = cStrides(shape);
  const cst = cStrides(chunks);
  const n = product(chunks);
  const bufs = new Map<string, Int32Array | Float64Array | string[]>();
  for (const coords of chunkCoordsIter(grid)) {
    const buf = alloc(kind, n);
    for (let e = 0; e < n; e++) {
      let inside = true;
      let flat = 0;
      for (let ax = 0; ax < shape.length; ax++) {
        const local = Math.floor(e / cst[ax]) % chunks[ax];
        const g = coords[ax] * chunks[ax] + local;
        if (g >= shape[ax]) inside = false;
        flat += g * st[ax];
      }
      if (inside) setVal(kind, buf, e, valueAt(flat));
    }
    bufs.set(coords.join(","), buf);
  }
  return bufs;
}

function checkProjections(
  ix: BasicIndexer,
  dims: RefDim[],
  shape: number[],
  chunks: number[],
  label: string,
) {
  // expected chunk set and completeness from the reference
  const hits = new Map<string, number>();
  for (const pos of refPositions(dims)) {
    const key = pos.map((p, ax) => Math.floor(p / chunks[ax])).join(",");
    hits.set(key, (hits.get(key) ?? 0) + 1);
  }
  const projs = [...ix];
  assert.equal(projs.length, ix.nchunks, label);
  assert.equal(projs.length, hits.size, `${label}: chunk count`);
  let prev: number[] | null = null;
  for (const p of projs) {
    const key = p.chunkCoords.join(",");
    assert.ok(hits.has(key), `${label}: unexpected chunk ${key}`);
    if (prev) {
      // strictly increasing in C order
      let cmp = 0;
      for (let ax = 0; ax < prev.length && cmp === 0; ax++) {
        cmp = Math.sign(p.chunkCoords[ax] - prev[ax]);
      }
      assert.equal(cmp, 1, `${label}: C order`);
    }
    prev = p.chunkCoords;
    const inBounds = product(chunks.map((c, ax) => Math.min(c, shape[ax] - p.chunkCoords[ax] * c)));
    const complete = hits.get(key) === inBounds;
    assert.equal(p.isComplete, complete, `${label}: isComplete ${key}`);
    assert.equal(
      isCompleteChunkSelection(p.chunkSelection, p.chunkCoords, chunks, shape),
      complete,
      `${label}: isCompleteChunkSelection ${key}`,
    );
    for (let ax = 0; ax < shape.length; ax++) {
      assert.equal(p.outSelection[ax].step, 1);
      if (dims[ax].drop) assert.deepEqual(p.outSelection[ax], { start: 0, step: 1, count: 1 });
    }
  }
  return projs;
}

function runCase(kind: Kind, shape: number[], chunks: number[], label: string) {
  const { sel, intents } = randomSelection(shape);
  label = `${label} shape=[${shape}] chunks=[${chunks}] sel=${
    JSON.stringify(
      sel,
      (_k, v) => typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? "…" : v,
    )
  }`;
  const dims = refDims(intents, shape);
  const ix = BasicIndexer.fromSelection(sel, shape, chunks);
  const expShape = dims.filter((d) => !d.drop).map((d) => d.idx.length);
  assert.deepEqual(ix.shape, expShape, label);
  assert.deepEqual(ix.dropAxes, dims.flatMap((d, i) => (d.drop ? [i] : [])), label);
  assert.deepEqual(ix.keepDimsShape, dims.map((d) => (d.drop ? 1 : d.idx.length)), label);
  const projs = checkProjections(ix, dims, shape, chunks, label);
  const slots = SLOTS[kind];
  const st = cStrides(shape);
  const flatOf = (pos: number[]) => pos.reduce((acc, p, ax) => acc + p * st[ax], 0);

  // ---- read
  const bufs = makeChunks(kind, shape, chunks, (k) => k + 1);
  const out = alloc(kind, product(ix.shape));
  for (const p of projs) {
    copyRegion(
      bufs.get(p.chunkCoords.join(","))!,
      chunks,
      p.chunkSelection,
      out,
      ix.keepDimsShape,
      p.outSelection,
      slots,
    );
  }
  let o = 0;
  for (const pos of refPositions(dims)) {
    const probe = alloc(kind, 1);
    setVal(kind, probe, 0, flatOf(pos) + 1);
    assert.deepEqual(getVal(kind, out, o), getVal(kind, probe, 0), `${label}: read at ${o}`);
    o++;
  }
  assert.equal(o, product(ix.shape));

  // ---- write with a broadcast value
  let vshape = [...ix.shape];
  if (vshape.length && rand() < 0.3) vshape = vshape.slice(ri(1, vshape.length));
  vshape = vshape.map((n) => (rand() < 0.3 ? 1 : n));
  if (rand() < 0.15) vshape = [1, ...vshape];
  const value = alloc(kind, product(vshape));
  for (let k = 0; k < product(vshape); k++) setVal(kind, value, k, 100000 + k);
  const plan = planBroadcast(vshape, ix.shape, ix.dropAxes);
  for (const p of projs) {
    copyRegion(
      value,
      plan.shape,
      plan.ranges(p.outSelection),
      bufs.get(p.chunkCoords.join(","))!,
      chunks,
      p.chunkSelection,
      slots,
    );
  }
  // reference assignment
  const expected = alloc(kind, product(shape));
  for (let k = 0; k < product(shape); k++) setVal(kind, expected, k, k + 1);
  const vst = cStrides(vshape);
  const outPositions = [
    ...refPositions(
      dims.filter((d) => !d.drop).map((d) => ({
        drop: false,
        idx: d.idx.map((_, j) => j),
      })),
    ),
  ];
  const arrPositions = [...refPositions(dims)];
  const valueRank = vshape.length;
  arrPositions.forEach((pos, n) => {
    const I = outPositions[n] ?? [];
    // right-align I against vshape (dropping extra leading 1s of the value)
    let vflat = 0;
    for (let ax = 0; ax < valueRank; ax++) {
      const ia = I.length - valueRank + ax;
      const iv = ia < 0 ? 0 : vshape[ax] === 1 ? 0 : I[ia];
      vflat += iv * vst[ax];
    }
    const probe = alloc(kind, 1);
    setVal(kind, probe, 0, 100000 + vflat);
    if (kind === "str") (expected as string[])[flatOf(pos)] = (probe as string[])[0];
    else {for (let s = 0; s < slots; s++) {
        (expected as Float64Array)[flatOf(pos) * slots + s] = (probe as Float64Array)[s];
      }}
  });
  // reassemble and compare, including untouched padding
  const grid = chunkGridShape(shape, chunks);
  const cst = cStrides(chunks);
  for (const coords of chunkCoordsIter(grid)) {
    const buf = bufs.get(coords.join(","))!;
    for (let e = 0; e < product(chunks); e++) {
      let inside = true;
      let flat = 0;
      for (let ax = 0; ax < shape.length; ax++) {
        const g = coords[ax] * chunks[ax] + (Math.floor(e / cst[ax]) % chunks[ax]);
        if (g >= shape[ax]) inside = false;
        flat += g * st[ax];
      }
      const got = getVal(kind, buf, e);
      if (inside) assert.deepEqual(got, getVal(kind, expected, flat), `${label}: write at ${flat}`);
      else assert.deepEqual(got, getVal(kind, alloc(kind, 1), 0), `${label}: padding`);
    }
  }
}

Deno.test("BasicIndexer + copyRegion match numpy semantics (random, int32)", () => {
  seed = 1;
  for (let t = 0; t < 1500; t++) {
    const ndim = ri(0, 4);
    const shape = Array.from(
      { length: ndim },
      () => (rand() < 0.08 ? 0 : ri(1, ndim > 2 ? 7 : 12)),
    );
    const chunks = shape.map((n) => ri(1, Math.max(1, n + 2)));
    runCase("i32", shape, chunks, `#${t}`);
  }
});

Deno.test("BasicIndexer + copyRegion match numpy semantics (random, complex128 and strings)", () => {
  seed = 2;
  for (let t = 0; t < 400; t++) {
    const ndim = ri(0, 3);
    const shape = Array.from({ length: ndim }, () => ri(1, 9));
    const chunks = shape.map((n) => ri(1, n + 1));
    runCase(t % 2 ? "c128" : "str", shape, chunks, `#${t}`);
  }
});

Deno.test("BasicIndexer: worked example with a negative step", () => {
  const ix = BasicIndexer.fromSelection("1, ::-3", [4, 10], [2, 4]);
  assert.deepEqual(ix.shape, [4]);
  assert.deepEqual(ix.keepDimsShape, [1, 4]);
  assert.deepEqual(ix.dropAxes, [0]);
  assert.equal(ix.nchunks, 3);
  const ps = [...ix];
  assert.deepEqual(ps.map((p) => p.chunkCoords), [[0, 0], [0, 1], [0, 2]]);
  assert.deepEqual(ps.map((p) => p.chunkSelection), [
    [{ start: 1, step: 1, count: 1 }, { start: 3, step: -3, count: 2 }],
    [{ start: 1, step: 1, count: 1 }, { start: 2, step: -3, count: 1 }],
    [{ start: 1, step: 1, count: 1 }, { start: 1, step: -3, count: 1 }],
  ]);
  assert.deepEqual(ps.map((p) => p.outSelection[1]), [
    { start: 2, step: 1, count: 2 },
    { start: 1, step: 1, count: 1 },
    { start: 0, step: 1, count: 1 },
  ]);
});

Deno.test("BasicIndexer: 0-d, empty and large sparse selections", () => {
  const z = BasicIndexer.fromSelection(null, [], []);
  assert.deepEqual(z.shape, []);
  assert.equal(z.nchunks, 1);
  assert.deepEqual([...z], [{
    chunkCoords: [],
    chunkSelection: [],
    outSelection: [],
    isComplete: true,
  }]);
  const e = BasicIndexer.fromSelection("5:5", [10, 10], [3, 3]);
  assert.deepEqual(e.shape, [0, 10]);
  assert.equal(e.nchunks, 0);
  assert.deepEqual([...e], []);
  assert.equal(BasicIndexer.fromSelection(null, [0, 4], [2, 2]).nchunks, 0);
  // huge axis: no per-element work, O(1) memory per axis
  const big = BasicIndexer.fromSelection([slice(null, null, 1e6), 3], [1e12, 10], [1000, 5]);
  assert.equal(big.nchunks, 1e6);
  const it = big[Symbol.iterator]();
  const first = it.next().value!;
  assert.deepEqual(first.chunkCoords, [0, 0]);
  const second = it.next().value!;
  assert.deepEqual(second.chunkCoords, [1000, 0]);
  assert.deepEqual(second.outSelection, [{ start: 1, step: 1, count: 1 }, {
    start: 0,
    step: 1,
    count: 1,
  }]);
  const full = BasicIndexer.fromSelection(null, [1e12], [10]);
  assert.equal(full.nchunks, 1e11);
  assert.deepEqual(full[Symbol.iterator]().next().value!.chunkSelection, [{
    start: 0,
    step: 1,
    count: 10,
  }]);
  // projections are fresh objects
  const ps = [...BasicIndexer.fromSelection(null, [4], [2])];
  assert.notEqual(ps[0].chunkCoords, ps[1].chunkCoords);
  assert.throws(
    () => new BasicIndexer(normalizeBasicSelection(null, [4]), [4], [0]),
    ZarrValueError,
  );
  assert.throws(
    () => new BasicIndexer(normalizeBasicSelection(null, [4]), [4, 4], [2, 2]),
    ZarrValueError,
  );
});

Deno.test("BasicIndexer: a read with missing chunks filled via fillRegion", () => {
  // array [5, 5] of chunks [2, 2]; only chunk (0,0) "exists"; others read as fill 9
  const ix = BasicIndexer.fromSelection("::-1, 1:4", [5, 5], [2, 2]);
  const out = new Int32Array(product(ix.shape));
  const chunk00 = Int32Array.from([1, 2, 6, 7]); // a[0:2, 0:2] of a = 1..25
  for (const p of ix) {
    if (p.chunkCoords[0] === 0 && p.chunkCoords[1] === 0) {
      copyRegion(chunk00, [2, 2], p.chunkSelection, out, ix.keepDimsShape, p.outSelection);
    } else fillRegion(out, ix.keepDimsShape, p.outSelection, 9);
  }
  assert.deepEqual([...out], [9, 9, 9, 9, 9, 9, 9, 9, 9, 7, 9, 9, 2, 9, 9]);
});

Deno.test("chunk grid helpers", () => {
  assert.deepEqual(chunkGridShape([100, 0, 5], [30, 10, 5]), [4, 0, 1]);
  assert.deepEqual(chunkGridShape([], []), []);
  assert.throws(() => chunkGridShape([4], [0]), ZarrValueError);
  assert.throws(() => chunkGridShape([4], [2, 2]), ZarrValueError);
  assert.throws(() => chunkGridShape([-1], [2]), ZarrValueError);
  assert.deepEqual([...chunkCoordsIter([2, 3])], [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
  assert.deepEqual([...chunkCoordsIter([])], [[]]);
  assert.deepEqual([...chunkCoordsIter([3, 0])], []);
  assert.deepEqual(chunkRegion([2, 0], [4, 7], [10, 7]), [
    { start: 8, step: 1, count: 2 },
    { start: 0, step: 1, count: 7 },
  ]);
  assert.deepEqual(chunkRegion([], [], []), []);
  assert.throws(() => chunkRegion([3], [4], [10]), ZarrValueError);
  // edge chunk: covering the in-bounds part is complete
  assert.ok(isCompleteChunkSelection([{ start: 1, step: -1, count: 2 }], [2], [4], [10]));
  assert.ok(isCompleteChunkSelection([{ start: 0, step: 1, count: 2 }], [2], [4], [10]));
  assert.ok(!isCompleteChunkSelection([{ start: 0, step: 1, count: 3 }], [0], [4], [10]));
  assert.ok(!isCompleteChunkSelection([{ start: 0, step: 2, count: 2 }], [2], [4], [10]));
  assert.ok(isCompleteChunkSelection([], [], [], []));
});
