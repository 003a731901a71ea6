/**
 * Reads into a caller's buffer (`out`, zarr-python's `out=`): every selection kind, missing
 * chunks, shared and non-shared outputs, pooled (LocalStore, many chunks) and in-thread reads,
 * mismatch errors raised before any I/O, results identical to plain reads, one output reused.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { PooledRead } from "../../src/workers/chunk_reader.ts";
import { ZarrTypeError, ZarrValueError } from "../../src/errors.ts";

const zstd = [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd" }];

/** Counts PooledRead.start calls, and those that were handed the caller's out. */
function spyPool(): { calls: number; given: number; restore(): void } {
  const orig = PooledRead.start;
  const spy = {
    calls: 0,
    given: 0,
    restore: () => {
      PooledRead.start = orig;
    },
  };
  PooledRead.start = (...args: Parameters<typeof orig>) => {
    spy.calls++;
    if (args[5] !== undefined) spy.given++;
    return orig.apply(PooledRead, args);
  };
  return spy;
}

/** A 2-D float32 array on disk: 256x256 in 32x32 zstd chunks (64 chunks, 256 KiB). */
async function bigArray(dir: string, seed: number, missing = false): Promise<zarr.AsyncArray> {
  const a = await zarr.create([256, 256], {
    store: dir,
    chunks: [32, 32],
    dtype: "float32",
    codecs: zstd,
    fillValue: -1,
    overwrite: true,
  });
  const v = new Float32Array(256 * 256);
  for (let i = 0; i < v.length; i++) v[i] = (i * 7 + seed) % 1001;
  await a.setitem(null, zarr.ndarray(v, [256, 256]));
  if (missing) {
    // drop a row of chunks: they read as the fill value
    for (let j = 0; j < 8; j++) await a.store.delete(a.chunkKey([3, j]));
  }
  return a;
}

type Read = (a: zarr.AsyncArray, opts: zarr.ReadOptions) => Promise<zarr.NDArray>;

const mask = (() => {
  const m: boolean[][] = [];
  for (let i = 0; i < 256; i++) {
    m.push(Array.from({ length: 256 }, (_, j) => (i * 31 + j * 17) % 5 === 0));
  }
  return m;
})();
const rows = Array.from({ length: 200 }, (_, i) => (i * 37) % 256);
const cols = Array.from({ length: 150 }, (_, i) => 255 - ((i * 11) % 256));
const pts: [number[], number[]] = [rows.slice(0, 150), cols];

/** Every selection kind; `indexing` tells emptyOutput how to size the output. */
const KINDS: {
  name: string;
  sel: unknown;
  indexing: zarr.EmptyOutputOptions["indexing"];
  read: Read;
}[] = [
  {
    name: "getitem (whole)",
    sel: null,
    indexing: "getitem",
    read: (a, o) => a.getitem(null, o),
  },
  {
    name: "getitem (strided, int axis)",
    sel: "3:250:2, 7",
    indexing: "getitem",
    read: (a, o) => a.getitem("3:250:2, 7", o),
  },
  {
    name: "getBasicSelection",
    sel: [zarr.slice(10, 250), zarr.slice(null, null, -3)],
    indexing: "basic",
    read: (a, o) => a.getBasicSelection([zarr.slice(10, 250), zarr.slice(null, null, -3)], o),
  },
  {
    name: "getOrthogonalSelection",
    sel: [rows, cols],
    indexing: "orthogonal",
    read: (a, o) => a.getOrthogonalSelection([rows, cols], o),
  },
  {
    name: "oindex.get",
    sel: [rows, zarr.slice(0, 200)],
    indexing: "orthogonal",
    read: (a, o) => a.oindex.get([rows, zarr.slice(0, 200)], o),
  },
  {
    name: "getCoordinateSelection",
    sel: pts,
    indexing: "vindex",
    read: (a, o) => a.getCoordinateSelection(pts, o),
  },
  {
    name: "vindex.get",
    sel: pts,
    indexing: "vindex",
    read: (a, o) => a.vindex.get(pts, o),
  },
  {
    name: "getMaskSelection",
    sel: [mask],
    indexing: "vindex",
    read: (a, o) => a.getMaskSelection([mask], o),
  },
  {
    name: "getBlockSelection",
    sel: [zarr.slice(1, 7), zarr.slice(0, 8)],
    indexing: "block",
    read: (a, o) => a.getBlockSelection([zarr.slice(1, 7), zarr.slice(0, 8)], o),
  },
  {
    name: "blocks.get",
    sel: [2, zarr.slice(null)],
    indexing: "block",
    read: (a, o) => a.blocks.get([2, zarr.slice(null)], o),
  },
];

for (const workers of [2, 0]) {
  for (const shared of [true, false]) {
    Deno.test(
      `read out: every selection kind (${workers ? "pool" : "no pool"}, ${
        shared ? "shared" : "plain"
      } out) equals a plain read, missing chunks filled`,
      async () => {
        const dir = await Deno.makeTempDir();
        const spy = spyPool();
        try {
          zarr.config.set({ "threading.max_workers": workers });
          const a = await bigArray(dir, 3, true);
          for (const k of KINDS) {
            const plain = await k.read(a, {});
            const out = zarr.emptyOutput(a, k.sel as zarr.Selection, { indexing: k.indexing });
            assert.deepEqual(out.shape, plain.shape, k.name);
            if (!shared) out.data = new Float32Array(out.data.length);
            (out.data as Float32Array).fill(12345); // stale values must all be overwritten
            const before = spy.calls;
            const r = await k.read(a, { out });
            assert.equal(r, out, `${k.name}: the NDArray out is the result`);
            assert.equal(r.data, out.data, k.name);
            assert.deepEqual(r.shape, plain.shape, k.name);
            assert.deepEqual([...r.data as Float32Array], [...plain.data as Float32Array], k.name);
            assert.ok(!(r.data as Float32Array).includes(12345), k.name);
            // bare container: same values, data is that container
            const flat = shared
              ? zarr.emptyOutput(a, k.sel as zarr.Selection, k).data
              : new Float32Array(out.data.length);
            const r2 = await k.read(a, { out: flat });
            assert.equal(r2.data, flat, k.name);
            assert.deepEqual(r2.shape, plain.shape, k.name);
            assert.deepEqual(r2.stride, plain.stride, k.name);
            assert.deepEqual([...flat as Float32Array], [...plain.data as Float32Array], k.name);
            if (!workers || !shared) assert.equal(spy.given, 0, k.name);
            if (!workers) assert.equal(spy.calls, before, k.name);
          }
          if (workers && shared) assert.ok(spy.given >= KINDS.length, `pooled: ${spy.given}`);
          // the missing row of chunks reads as the fill value
          const whole = await a.getitem(null, { out: zarr.emptyOutput(a) });
          assert.equal((whole.data as Float32Array)[3 * 32 * 256 + 5], -1);
        } finally {
          spy.restore();
          zarr.config.reset();
          await Deno.remove(dir, { recursive: true });
        }
      },
    );
  }
}

Deno.test("read out: one shared output reused across reads of different data", async () => {
  const d1 = await Deno.makeTempDir(), d2 = await Deno.makeTempDir();
  const spy = spyPool();
  try {
    zarr.config.set({ "threading.max_workers": 2 });
    const a = await bigArray(d1, 1), b = await bigArray(d2, 500, true);
    const out = zarr.emptyOutput(a);
    assert.ok((out.data as Float32Array).buffer instanceof SharedArrayBuffer);
    for (const x of [a, b, a]) {
      const r = await x.getitem(null, { out });
      assert.equal(r.data, out.data);
      const plain = await x.getitem(null);
      assert.deepEqual(r.data, plain.data);
    }
    assert.equal(spy.given, 3, "the workers wrote into the caller's shared out");
  } finally {
    spy.restore();
    zarr.config.reset();
    await Deno.remove(d1, { recursive: true });
    await Deno.remove(d2, { recursive: true });
  }
});

Deno.test("read out: small in-memory reads, every container kind", async () => {
  // complex: interleaved slots
  const c = await zarr.create([5], { chunks: [2], dtype: "complex64", fillValue: [1, -1] });
  await c.setitem("0:2", zarr.ndarray(new Float32Array([1, 2, 3, 4]), [2], "complex64"));
  const co = new Float32Array(10);
  const cr = await c.getitem(null, { out: co });
  assert.equal(cr.data, co);
  assert.deepEqual([...co], [1, 2, 3, 4, 1, -1, 1, -1, 1, -1]);
  await assert.rejects(
    () => c.getitem(null, { out: new Float32Array(5) }),
    (e: Error) =>
      e instanceof ZarrValueError &&
      /Expected 10 \(5 elements of complex64, 2 slots/.test(e.message),
  );
  // 64-bit: BigInt64Array
  const i = await zarr.array([1, 2, 3], { chunks: [2], dtype: "int64" });
  const io = new BigInt64Array(2);
  assert.equal((await i.getitem("1:", { out: io })).data, io);
  assert.deepEqual([...io], [2n, 3n]);
  await assert.rejects(() => i.getitem("1:", { out: new Float64Array(2) }), ZarrTypeError);
  // strings: a plain array
  const s = await zarr.create([4], { chunks: [2], dtype: "string", fillValue: "z" });
  await s.setitem("0:2", zarr.ndarray(["a", "b"], [2], "string"));
  const so = new Array<string>(4).fill("stale");
  const sr = await s.getitem(null, { out: so });
  assert.equal(sr.data, so);
  assert.deepEqual(so, ["a", "b", "z", "z"]);
  const se = zarr.emptyOutput(s, "1:3");
  assert.ok(Array.isArray(se.data));
  assert.deepEqual((await s.getitem("1:3", { out: se })).data, ["b", "z"]);
  await assert.rejects(() => s.getitem(null, { out: new Uint8Array(4) }), ZarrTypeError);
  // bool: Uint8Array
  const t = await zarr.array([true, false, true], { dtype: "bool" });
  const to = new Uint8Array(3);
  await t.getitem(null, { out: to });
  assert.deepEqual([...to], [1, 0, 1]);
  // a scalar selection: shape []
  const so1 = new BigInt64Array(1);
  const r0 = await i.getitem("2", { out: so1 });
  assert.deepEqual(r0.shape, []);
  assert.equal(so1[0], 3n);
});

Deno.test("read out: mismatches raise before any I/O, naming expected and given", async () => {
  const a = await zarr.full([6, 4], 2, { chunks: [3, 2], dtype: "float32" });
  let gets = 0;
  const get = a.store.get.bind(a.store);
  a.store.get = (k, r) => {
    gets++;
    return get(k, r);
  };
  const cases: [unknown, typeof ZarrValueError, RegExp][] = [
    [new Float32Array(5), ZarrValueError, /Expected 6 .*\[2,3\].*got 5/],
    [new Float64Array(6), ZarrTypeError, /Float32Array for a float32 read. Got Float64Array/],
    [[1, 2, 3, 4, 5, 6], ZarrTypeError, /Got Array/],
    [zarr.ndarray(new Float32Array(6), [3, 2]), ZarrValueError, /Expected \[2,3\], got \[3,2\]/],
    [zarr.ndarray(new Int32Array(6), [2, 3]), ZarrTypeError, /Expected float32, got int32/],
    [
      { data: new Float32Array(6), shape: [2, 3], stride: [1, 2], dtype: "float32" },
      ZarrValueError,
      /C-contiguous/,
    ],
    [
      { data: new Float32Array(5), shape: [2, 3], stride: [3, 1], dtype: "float32" },
      ZarrValueError,
      /got 5/,
    ],
    ["nope", ZarrTypeError, /Got string/],
  ];
  for (const [out, E, msg] of cases) {
    await assert.rejects(
      () => a.getitem("1:3, 1:4", { out: out as zarr.ReadOut }),
      (e: Error) => e instanceof E && msg.test(e.message),
      String(msg),
    );
  }
  assert.equal(gets, 0);
  // the right out works on the same array
  const ok = new Float32Array(6);
  await a.getitem("1:3, 1:4", { out: ok });
  assert.deepEqual([...ok], [2, 2, 2, 2, 2, 2]);
});

Deno.test("read out: a GPU prototype with out raises a clear error", async () => {
  const a = await zarr.full([4], 1, { chunks: [2], dtype: "float32" });
  let called = 0;
  const device = {
    readIndexer: () => {
      called++;
      return Promise.resolve({});
    },
  };
  await assert.rejects(
    () => a.getitem(null, { prototype: device, out: new Float32Array(4) } as zarr.ReadOptions),
    (e: Error) => e instanceof ZarrTypeError && /out argument is for CPU reads/.test(e.message),
  );
  (a as unknown as { metaArray: unknown }).metaArray = device;
  await assert.rejects(
    () => a.getitem(null, { out: new Float32Array(4) }),
    (e: Error) => e instanceof ZarrTypeError && /GPU prototype/.test(e.message),
  );
  assert.equal(called, 0);
});
