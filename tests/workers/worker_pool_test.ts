/**
 * The codec worker pool: reads and writes through it equal the in-thread path for several data
 * types and codecs (big-endian, F order, transpose, blosc, gzip, sharding), with the pool
 * disabled by config too; failures in a worker fall back to the in-thread errors.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { CodecPool, codecPool, poolSize } from "../../src/workers/pool.ts";
import { chunkDecoder, MIN_POOL_BYTES } from "../../src/workers/chunk_codec.ts";
import { CodecError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";

interface Case {
  name: string;
  dtype: string;
  shape: number[];
  opts: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    name: "v3 float32 zstd",
    dtype: "float32",
    shape: [256, 200],
    opts: {
      chunks: [128, 128],
      codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd" }],
    },
  },
  {
    name: "v3 int64 transpose big-endian gzip",
    dtype: "int64",
    shape: [96, 200],
    opts: {
      chunks: [64, 128],
      codecs: [
        { name: "transpose", configuration: { order: [1, 0] } },
        { name: "bytes", configuration: { endian: "big" } },
        { name: "gzip", configuration: { level: 1 } },
      ],
    },
  },
  {
    name: "v2 >i2 F order zstd",
    dtype: ">i2",
    shape: [300, 260],
    opts: { zarrFormat: 2, chunks: [256, 128], order: "F", compressor: { id: "zstd", level: 1 } },
  },
  {
    name: "v2 <f8 blosc lz4 shuffle",
    dtype: "<f8",
    shape: [100, 300],
    opts: {
      zarrFormat: 2,
      chunks: [64, 256],
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
    },
  },
  {
    name: "v3 uint8 sharded zstd",
    dtype: "uint8",
    shape: [512, 300],
    opts: {
      chunks: [256, 256],
      codecs: [{
        name: "sharding_indexed",
        configuration: {
          chunk_shape: [128, 128],
          codecs: [{ name: "bytes" }, { name: "zstd" }],
          index_codecs: [{ name: "bytes", configuration: { endian: "little" } }],
        },
      }],
    },
  },
];

function values(dtype: string, n: number): zarr.NDArray["data"] {
  if (dtype.includes("i8") || dtype === "int64") {
    return BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 7919 - 3_000_000) * 12345n);
  }
  if (dtype === "float32") return Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3);
  if (dtype.includes("f")) return Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3);
  if (dtype === "uint8") return Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff);
  return Int16Array.from({ length: n }, (_, i) => ((i * 37) % 60000) - 30000);
}

async function roundTrip(c: Case, store: zarr.MemoryStore | string) {
  const a = await zarr.create(c.shape, {
    store,
    overwrite: true,
    dtype: c.dtype,
    ...c.opts,
  } as zarr.CreateOptions);
  await a.setitem(null, zarr.ndarray(values(c.dtype, c.shape[0] * c.shape[1]), c.shape));
  return a;
}

const WINDOW = () => [zarr.slice(3, 90), zarr.slice(5, 150, 2)];

for (const c of CASES) {
  Deno.test(`worker pool: ${c.name} equals the in-thread path`, async () => {
    try {
      zarr.config.set({ "threading.max_workers": 2 });
      const a = await roundTrip(c, new zarr.MemoryStore());
      const pooled = await a.getitem(null) as zarr.NDArray;
      const window = await a.getitem(WINDOW()) as zarr.NDArray;
      assert.ok(codecPool()!.started > 0, "the pool coded chunks");
      zarr.config.set({ "threading.max_workers": 0 });
      assert.equal(codecPool(), undefined);
      // written and read in thread: the same values
      const b = await roundTrip(c, new zarr.MemoryStore());
      const plain = await b.getitem(null) as zarr.NDArray;
      assert.deepEqual(plain.data, values(c.dtype, c.shape[0] * c.shape[1]));
      assert.deepEqual(pooled.data, plain.data);
      assert.deepEqual(window.data, (await b.getitem(WINDOW()) as zarr.NDArray).data);
      // pool-written chunks read in thread
      assert.deepEqual((await a.getitem(null) as zarr.NDArray).data, plain.data);
    } finally {
      zarr.config.reset();
    }
  });
}

Deno.test("worker pool: LocalStore bytes are transferred and reads still match", async () => {
  const dir = await Deno.makeTempDir();
  try {
    zarr.config.set({ "threading.max_workers": 2 });
    const a = await roundTrip(CASES[0], dir);
    const pooled = await a.getitem(null) as zarr.NDArray;
    zarr.config.set({ "threading.max_workers": 0 });
    const plain = await a.getitem(null) as zarr.NDArray;
    assert.deepEqual(pooled.data, plain.data);
  } finally {
    zarr.config.reset();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("worker pool: corrupt chunks raise the in-thread CodecError", async () => {
  try {
    zarr.config.set({ "threading.max_workers": 1 });
    const store = new zarr.MemoryStore();
    const a = await roundTrip(CASES[0], store);
    const key = a.chunkKey([0, 0]);
    await store.set(key, new Uint8Array(5000).fill(7));
    await assert.rejects(a.getitem(null), CodecError);
    const dec = chunkDecoder(a);
    await assert.rejects(dec(new Uint8Array(5000).fill(7), key), (e: Error) => {
      assert.ok(e instanceof CodecError);
      assert.match(e.message, /zstd/);
      return true;
    });
  } finally {
    zarr.config.reset();
  }
});

Deno.test("worker pool: a codec unknown to the worker hands the bytes back", async () => {
  const pool = new CodecPool(1);
  try {
    const spec = { shape: [4], dtype: parseDataType("float32"), fillValue: 0 };
    const bytes = Uint8Array.of(1, 2, 3);
    const r = await pool.decode([{ name: "no-such-codec" }], "x", spec, bytes);
    assert.ok(r && "back" in r);
    assert.deepEqual(Array.from(r.back), [1, 2, 3]);
  } finally {
    pool.close();
  }
});

Deno.test("worker pool: size from threading.max_workers", () => {
  try {
    zarr.config.set({ "threading.max_workers": 3 });
    assert.equal(poolSize(), 3);
    zarr.config.set({ "threading.max_workers": 0 });
    assert.equal(poolSize(), 0);
    zarr.config.reset();
    assert.equal(poolSize(), Math.max(1, navigator.hardwareConcurrency || 1));
    assert.equal(MIN_POOL_BYTES, 65536);
  } finally {
    zarr.config.reset();
  }
});
