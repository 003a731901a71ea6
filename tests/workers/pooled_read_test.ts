/**
 * Pooled reads (src/workers/chunk_reader.ts): the codec workers read LocalStore chunk files
 * themselves (or take fetched bytes from other stores), decode them and copy them into a
 * SharedArrayBuffer-backed output. Every selection kind equals the in-thread read; missing,
 * corrupt, truncated, oversized, symlinked and directory chunks behave exactly as in-thread
 * reads do; a pool that goes away mid-read falls back; in-flight batches stay bounded.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { codecPool } from "../../src/workers/pool.ts";
import { BATCHES_PER_WORKER, PooledRead } from "../../src/workers/chunk_reader.ts";
import { ChunkNotFoundError, CodecError, InvalidKeyError, ZarrError } from "../../src/errors.ts";

type Opts = Record<string, unknown>;

interface Case {
  name: string;
  dtype: string;
  shape: number[];
  opts: Opts;
}

const zstd = [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd" }];

const CASES: Case[] = [
  {
    name: "v3 float32 zstd",
    dtype: "float32",
    shape: [300, 260],
    opts: { chunks: [128, 128], codecs: zstd },
  },
  {
    name: "v3 uint8 raw, many small chunks",
    dtype: "uint8",
    shape: [300_000],
    opts: { chunks: [256], codecs: [{ name: "bytes" }] },
  },
  {
    name: "v3 int64 big-endian gzip",
    dtype: "int64",
    shape: [200, 150],
    opts: {
      chunks: [100, 100],
      codecs: [{ name: "bytes", configuration: { endian: "big" } }, { name: "gzip" }],
    },
  },
  {
    name: "v3 complex64 transpose zstd",
    dtype: "complex64",
    shape: [130, 140],
    opts: {
      chunks: [128, 64],
      codecs: [{ name: "transpose", configuration: { order: [1, 0] } }, ...zstd],
    },
  },
  {
    name: "v3 float16 zstd",
    dtype: "float16",
    shape: [400, 300],
    opts: { chunks: [256, 160], codecs: zstd },
  },
  {
    name: "v3 bool zstd",
    dtype: "bool",
    shape: [700, 500],
    opts: { chunks: [300, 300], codecs: zstd },
  },
  {
    name: "v2 <f8 F order zstd",
    dtype: "<f8",
    shape: [260, 200],
    opts: { zarrFormat: 2, chunks: [128, 100], order: "F", compressor: { id: "zstd", level: 1 } },
  },
  {
    name: "v2 <i4 blosc lz4 shuffle",
    dtype: "<i4",
    shape: [300, 300],
    opts: {
      zarrFormat: 2,
      chunks: [128, 128],
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
    },
  },
  {
    name: "v3 uint16 sharded zstd",
    dtype: "uint16",
    shape: [512, 400],
    opts: {
      chunks: [256, 256],
      codecs: [{
        name: "sharding_indexed",
        configuration: {
          chunk_shape: [128, 128],
          codecs: zstd,
          index_codecs: [{ name: "bytes", configuration: { endian: "little" } }],
        },
      }],
    },
  },
];

function values(dtype: string, n: number): zarr.NDArray["data"] {
  switch (dtype) {
    case "int64":
      return BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 7919 - 3_000_000) * 12345n);
    case "complex64":
      return Float32Array.from({ length: 2 * n }, (_, i) => Math.cos(i) * 100);
    case "float16":
      return Float16Array.from({ length: n }, (_, i) => Math.sin(i / 7) * 50);
    case "bool":
      return Uint8Array.from({ length: n }, (_, i) => ((i * 7) % 5 === 0 ? 1 : 0));
    case "uint8":
      return Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff);
    case "uint16":
      return Uint16Array.from({ length: n }, (_, i) => (i * 131) & 0xffff);
    case "<i4":
      return Int32Array.from({ length: n }, (_, i) => i * 3 - 70_000);
    case "<f8":
      return Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3);
    default:
      return Float32Array.from({ length: n }, (_, i) => Math.sin(i / 13) * 1e3);
  }
}

async function make(c: Case, store: string | zarr.MemoryStore): Promise<zarr.AsyncArray> {
  const a = await zarr.create(c.shape, {
    store,
    overwrite: true,
    dtype: c.dtype,
    fillValue: 0,
    ...c.opts,
  } as zarr.CreateOptions);
  const n = c.shape.reduce((x, y) => x * y, 1);
  await a.setitem(null, zarr.ndarray(values(c.dtype, n), c.shape));
  return a;
}

/** Every read kind of `a`, with the pool sized `workers` (0: in-thread). */
async function readAll(a: zarr.AsyncArray, workers: number): Promise<zarr.NDArray[]> {
  zarr.config.set({ "threading.max_workers": workers });
  const nd = a.shape.length;
  const full = await a.getitem(null) as zarr.NDArray;
  const win = nd === 1
    ? [zarr.slice(5, 250_000, 3)]
    : [zarr.slice(3, a.shape[0] - 1), zarr.slice(a.shape[1] - 2, 4, -2)];
  const windowed = await a.getitem(win) as zarr.NDArray;
  const dropped = nd === 1
    ? await a.getitem([zarr.slice(1000, 270_000)]) as zarr.NDArray
    : await a.getitem([7, zarr.slice(null)]) as zarr.NDArray;
  const idx = (len: number) => Array.from({ length: 40 }, (_, i) => (i * 7919) % len);
  const ortho = await a.getOrthogonalSelection(
    a.shape.map((len) => idx(len)) as never,
  ) as zarr.NDArray;
  const coords = await a.getCoordinateSelection(
    a.shape.map((len) => idx(len)) as never,
  ) as zarr.NDArray;
  return [full, windowed, dropped, ortho, coords];
}

function assertSameReads(pooled: zarr.NDArray[], plain: zarr.NDArray[]): void {
  assert.equal(pooled.length, plain.length);
  for (let i = 0; i < pooled.length; i++) {
    assert.deepEqual(pooled[i].shape, plain[i].shape, `read ${i}: shape`);
    assert.deepEqual(
      Array.from(pooled[i].data as ArrayLike<unknown>),
      Array.from(plain[i].data as ArrayLike<unknown>),
      `read ${i}: values`,
    );
  }
}

async function tempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    zarr.config.reset();
    await Deno.remove(dir, { recursive: true });
  }
}

for (const c of CASES) {
  Deno.test(`pooled read: ${c.name} (LocalStore) equals the in-thread read`, async () => {
    await tempDir(async (dir) => {
      zarr.config.set({ "threading.max_workers": 0 });
      const a = await make(c, dir);
      assert.equal(PooledRead.mode(a, 64), undefined, "no pool, no pooled read");
      const plain = await readAll(a, 0);
      assert.ok(plain[0].data && (plain[0].data as Uint8Array).buffer instanceof ArrayBuffer);
      zarr.config.set({ "threading.max_workers": 2 });
      const nchunks = c.shape.reduce(
        (n, len, i) => n * Math.ceil(len / a.metadata.chunkShape[i]),
        1,
      );
      assert.equal(PooledRead.mode(a, nchunks), "files");
      const pooled = await readAll(a, 2);
      const buf = (pooled[0].data as Uint8Array).buffer;
      assert.ok(buf instanceof SharedArrayBuffer, "the full read went through the workers");
      assertSameReads(pooled, plain);
      if (c.dtype !== "complex64") {
        const n = c.shape.reduce((x, y) => x * y, 1);
        assert.deepEqual(
          Array.from(pooled[0].data as ArrayLike<unknown>),
          Array.from(values(c.dtype, n) as ArrayLike<unknown>),
        );
      }
    });
  });
}

Deno.test("pooled read: other stores hand fetched bytes to the workers", async () => {
  try {
    const a = await make(CASES[0], new zarr.MemoryStore());
    const plain = await readAll(a, 0);
    zarr.config.set({ "threading.max_workers": 2 });
    assert.equal(PooledRead.mode(a, 9), "bytes");
    const pooled = await readAll(a, 2);
    assert.ok((pooled[0].data as Float32Array).buffer instanceof SharedArrayBuffer);
    assertSameReads(pooled, plain);
    // the store's own buffers were copied, not detached by the transfer
    assert.deepEqual(await readAll(a, 2), pooled);
  } finally {
    zarr.config.reset();
  }
});

Deno.test("pooled read: a LocalStore with a wrapped get is read through that get", async () => {
  await tempDir(async (dir) => {
    const a0 = await make(CASES[0], dir);
    const store = new zarr.LocalStore(dir, { readOnly: true });
    let gets = 0;
    const get = store.get.bind(store);
    store.get = (k, r) => {
      gets++;
      return get(k, r);
    };
    zarr.config.set({ "threading.max_workers": 2 });
    const a = await zarr.openArray({ store, mode: "r" });
    assert.equal(PooledRead.mode(a, 9), "bytes");
    gets = 0;
    const r = await a.getitem(null) as zarr.NDArray;
    assert.equal(gets, 9, "one get per chunk, through the wrapper");
    assert.deepEqual(r.data, (await a0.getitem(null) as zarr.NDArray).data);
  });
});

Deno.test("pooled read: missing chunks become the fill value or raise ChunkNotFoundError", async () => {
  await tempDir(async (dir) => {
    const c = CASES[0];
    const a = await zarr.create(
      c.shape,
      { store: dir, dtype: "float32", fillValue: -5, ...c.opts } as zarr.CreateOptions,
    );
    await a.setitem([zarr.slice(0, 128), zarr.slice(0, 128)], 1);
    await a.setitem([zarr.slice(256, 300), zarr.slice(128, 256)], 2);
    zarr.config.set({ "threading.max_workers": 2 });
    const r = await a.getitem(null) as zarr.NDArray;
    const d = r.data as Float32Array;
    assert.ok(d.buffer instanceof SharedArrayBuffer);
    assert.equal(d[0], 1);
    assert.equal(d[127 * 260 + 127], 1);
    assert.equal(d[128], -5);
    assert.equal(d[299 * 260 + 200], 2);
    assert.equal(d[299 * 260 + 259], -5);
    // a chunk key that is a directory reads as missing, as LocalStore.get has it
    await Deno.mkdir(`${dir}/c/0/2`, { recursive: true });
    const again = (await a.getitem(null) as zarr.NDArray).data as Float32Array;
    assert.equal(again[256], -5);
    assert.equal(again[0], 1);
    const strict = await zarr.openArray({
      store: dir,
      mode: "r",
      config: { readMissingChunks: false },
    } as zarr.OpenOptions);
    await assert.rejects(strict.getitem(null), (e: Error) => {
      assert.ok(e instanceof ChunkNotFoundError, String(e));
      assert.match(e.message, /c\/0\/1/);
      return true;
    });
  });
});

Deno.test("pooled read: corrupt and truncated chunk files raise the in-thread CodecError naming the key", async () => {
  await tempDir(async (dir) => {
    const a = await make(CASES[0], dir);
    zarr.config.set({ "threading.max_workers": 2 });
    const path = `${dir}/c/1/1`;
    const good = await Deno.readFile(path);
    const cases: [string, Uint8Array][] = [
      ["garbage", new Uint8Array(5000).fill(7)],
      ["truncated", good.subarray(0, good.length >> 1)],
      ["empty", new Uint8Array(0)],
    ];
    for (const [what, bytes] of cases) {
      await Deno.writeFile(path, bytes);
      await assert.rejects(a.getitem(null), (e: Error) => {
        assert.ok(e instanceof CodecError, `${what}: ${e}`);
        assert.match(e.message, /c\/1\/1/, what);
        return true;
      });
    }
    await Deno.writeFile(path, good);
    assert.deepEqual((await a.getitem(null) as zarr.NDArray).data, values("float32", 300 * 260));
  });
});

Deno.test("pooled read: a chunk file larger than the workers take is read in thread", async () => {
  await tempDir(async (dir) => {
    const a = await make(CASES[0], dir);
    const path = `${dir}/c/0/0`;
    // a valid chunk followed by a 3 MiB zstd skippable frame: too large for a worker
    const skip = new Uint8Array(8 + (3 << 20));
    new DataView(skip.buffer).setUint32(0, 0x184d2a50, true);
    new DataView(skip.buffer).setUint32(4, 3 << 20, true);
    const good = await Deno.readFile(path);
    const big = new Uint8Array(good.length + skip.length);
    big.set(good);
    big.set(skip, good.length);
    await Deno.writeFile(path, big);
    zarr.config.set({ "threading.max_workers": 2 });
    const r = await a.getitem(null) as zarr.NDArray;
    assert.ok((r.data as Float32Array).buffer instanceof SharedArrayBuffer);
    assert.deepEqual(r.data, values("float32", 300 * 260));
  });
});

Deno.test("pooled read: chunk files behind symlinks out of the root are refused", async () => {
  await tempDir(async (dir) => {
    const root = `${dir}/root`;
    const a = await make(CASES[0], root);
    zarr.config.set({ "threading.max_workers": 2 });
    // a chunk file replaced by a symlink to a valid chunk outside the root
    await Deno.mkdir(`${dir}/outside`);
    await Deno.rename(`${root}/c/0/1`, `${dir}/outside/chunk`);
    await Deno.symlink(`${dir}/outside/chunk`, `${root}/c/0/1`);
    await assert.rejects(a.getitem(null), (e: Error) => {
      assert.ok(e instanceof InvalidKeyError, String(e));
      assert.match(e.message, /c\/0\/1/);
      return true;
    });
    // a chunk directory that is a symlink out of the root
    await Deno.remove(`${root}/c/0/1`);
    await Deno.rename(`${dir}/outside/chunk`, `${root}/c/0/1`);
    await Deno.rename(`${root}/c/2`, `${dir}/outside/c2`);
    await Deno.symlink(`${dir}/outside/c2`, `${root}/c/2`);
    const b = await zarr.openArray({ store: new zarr.LocalStore(root), mode: "r" });
    await assert.rejects(b.getitem(null), (e: Error) => {
      assert.ok(e instanceof ZarrError && /c\/2\//.test(e.message), String(e));
      return true;
    });
    // symlinks that stay inside the root are followed
    await Deno.remove(`${root}/c/2`);
    await Deno.rename(`${dir}/outside/c2`, `${root}/c2real`);
    await Deno.symlink(`${root}/c2real`, `${root}/c/2`);
    const c = await zarr.openArray({ store: new zarr.LocalStore(root), mode: "r" });
    assert.deepEqual((await c.getitem(null) as zarr.NDArray).data, values("float32", 300 * 260));
  });
});

Deno.test("pooled read: a pool closed mid-read falls back to the calling thread", async () => {
  await tempDir(async (dir) => {
    const a = await make(CASES[1], dir);
    zarr.config.set({ "threading.max_workers": 2 });
    await a.getitem(null); // workers started
    const pool = codecPool()!;
    const pending = a.getitem(null);
    while (pool.inFlight === 0) await new Promise((r) => setTimeout(r, 0));
    pool.close(); // the batches in flight come back unanswered
    const r = await pending as zarr.NDArray;
    assert.deepEqual(r.data, values("uint8", 300_000));
  });
});

Deno.test("pooled read: progress counts every chunk, in-flight batches stay bounded", async () => {
  await tempDir(async (dir) => {
    const a = await make(CASES[1], dir);
    zarr.config.set({ "threading.max_workers": 2 });
    const pool = codecPool()!;
    let most = 0;
    const timer = setInterval(() => (most = Math.max(most, pool.inFlight)), 0);
    const seen: number[] = [];
    let total = 0;
    try {
      for (let k = 0; k < 3; k++) {
        await a.getitem(null, {
          progress: ({ done, total: t }) => {
            seen.push(done);
            total = t;
          },
        });
      }
    } finally {
      clearInterval(timer);
    }
    const chunks = Math.ceil(300_000 / 256);
    assert.equal(total, chunks);
    assert.equal(seen.at(-1), chunks);
    assert.ok(most >= 1, "batches were seen in flight");
    assert.ok(most <= pool.size * BATCHES_PER_WORKER, `at most ${most} batches in flight`);
  });
});

Deno.test("pooled read: small reads stay in the calling thread", async () => {
  await tempDir(async (dir) => {
    zarr.config.set({ "threading.max_workers": 2 });
    const a = await zarr.create([4096], {
      store: dir,
      chunks: [64],
      dtype: "float32",
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    } as zarr.CreateOptions);
    await a.setitem(null, 3);
    // 64 chunks of 256 bytes: too little to hand out
    const r = await a.getitem(null) as zarr.NDArray;
    assert.ok((r.data as Float32Array).buffer instanceof ArrayBuffer);
    assert.equal((r.data as Float32Array)[4095], 3);
  });
});
