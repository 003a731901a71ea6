/**
 * Pooled writes (`src/workers/chunk_writer.ts`, `src/workers/write_task.ts`): whole chunks are
 * filled in shared slots and encoded there by the codec workers. The worker side is checked
 * in-thread (the direct blosc path, the generic pipeline path, chunks left to the caller); whole
 * writes with the pool on and off store the same bytes for blosc, zstd and big-endian chains,
 * with edge padding, empty chunks (deleted, or kept with `write_empty_chunks`), a store that
 * keeps values (MemoryStore: it must get its own copy) and concurrent overlapping writes (no
 * torn chunk).
 */
import assert from "node:assert/strict";
import * as zarr from "../mod.ts";
import { runWriteBatch } from "../src/workers/write_task.ts";
import { LEFT_TO_CALLER } from "../src/workers/write_messages.ts";
import { PooledWrite } from "../src/workers/chunk_writer.ts";
import { codecPool } from "../src/workers/pool.ts";
import { bloscDecompress } from "../src/codecs/blosc/mod.ts";
import { parseDataType } from "../src/metadata/dtype.ts";
import { ReadOnlyError } from "../src/errors.ts";

const BLOSC = { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 };

function field(n: number, seed: number): Float32Array {
  const d = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = Math.sin(i / 300) * 40 + (s / 2 ** 32) * 0.01;
  }
  return d;
}

Deno.test("pooled write task: direct blosc, generic pipeline, and chunks left to the caller", async () => {
  const f4 = parseDataType("float32");
  const spec = { shape: [4096], dtype: f4, fillValue: 0 };
  const sab = new SharedArrayBuffer(3 * 16384 + 3 * 17000);
  const input = new Float32Array(sab, 0, 3 * 4096);
  const output = new Uint8Array(sab, 3 * 16384, 3 * 17000);
  const values = field(4096, 3);
  input.set(values, 4096 * 2); // slot 2
  input.set(values.map((v) => -v), 0); // slot 0
  const base = { id: 1, op: "write" as const, spec, input, slotValues: 4096, output };
  const blosc = [{ name: "bytes", configuration: { endian: "little" } }, {
    name: "blosc",
    configuration: { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 4, blocksize: 0 },
  }];
  const r = await runWriteBatch({
    ...base,
    key: "b",
    codecs: blosc,
    slotBytes: 17000,
    slots: [2, 0],
  });
  assert.ok(r.sizes && r.sizes[0] > 0 && r.sizes[1] > 0, `sizes ${r.sizes}`);
  const at = (slot: number, n: number) => output.slice(slot * 17000, slot * 17000 + n);
  assert.deepEqual(new Float32Array(bloscDecompress(at(2, r.sizes![0])).buffer), values);
  assert.deepEqual(
    new Float32Array(bloscDecompress(at(0, r.sizes![1])).buffer),
    values.map((v) => -v),
  );
  // the generic path (zstd through the whole pipeline) stores what the pipeline encodes
  const zstd = [{ name: "bytes", configuration: { endian: "big" } }, { name: "zstd" }];
  const z = await runWriteBatch({ ...base, key: "z", codecs: zstd, slotBytes: 17000, slots: [2] });
  const a = await zarr.create([4096], {
    chunks: [4096],
    dtype: "float32",
    codecs: zstd,
  });
  const decoded = await a.pipeline.decode(at(2, z.sizes![0]), spec);
  assert.deepEqual(decoded.data, values);
  // a slot too small for the encoding: left to the caller
  const small = await runWriteBatch({
    ...base,
    key: "s",
    codecs: blosc,
    slotBytes: 100,
    slots: [1],
  });
  assert.deepEqual([...small.sizes!], [LEFT_TO_CALLER]);
  // a chain the worker cannot build: the whole batch fails
  const bad = await runWriteBatch({
    ...base,
    key: "x",
    codecs: [{ name: "nope" }],
    slotBytes: 17000,
    slots: [0],
  });
  assert.ok(bad.error && !bad.sizes);
});

Deno.test("pooled write: used exactly when the pool takes write batches and it pays", async () => {
  const big = await zarr.create([1024, 1024], {
    chunks: [256, 256],
    dtype: "<f4",
    zarrFormat: 2,
    compressor: BLOSC,
  });
  const hasWrite = typeof (codecPool() as unknown as { write?: unknown })?.write === "function";
  const w = PooledWrite.start(big, 16);
  assert.equal(w !== undefined, hasWrite);
  w?.close();
  // small chunks, uncompressed chains and strings stay in the calling thread
  const small = await zarr.create([64], {
    chunks: [16],
    dtype: "float32",
    zarrFormat: 2,
    compressor: BLOSC,
  });
  assert.equal(PooledWrite.start(small, 4), undefined);
  const raw = await zarr.create([1024, 1024], {
    chunks: [256, 256],
    dtype: "<f4",
    zarrFormat: 2,
    compressor: null,
  });
  assert.equal(PooledWrite.start(raw, 16), undefined);
  const str = await zarr.create([100000], { chunks: [50000], dtype: "string" });
  assert.equal(PooledWrite.start(str, 2), undefined);
});

async function writeAll(
  store: zarr.MemoryStore | string,
  opts: Record<string, unknown>,
  values: Float32Array,
  shape: number[],
): Promise<zarr.AsyncArray> {
  const a = await zarr.create(
    shape,
    { store, overwrite: true, dtype: "<f4", ...opts } as zarr.CreateOptions,
  );
  await a.setitem(null, zarr.ndarray(values, shape));
  return a;
}

async function storedBytes(a: zarr.AsyncArray): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const k of a.store.list()) {
    if (!k.includes(".z") && !k.endsWith("zarr.json")) out.set(k, (await a.store.get(k))!);
  }
  return out;
}

Deno.test("pooled write: same stored bytes with the pool on and off", async () => {
  const shape = [700, 650]; // edge chunks are padded
  const values = field(shape[0] * shape[1], 11);
  // a band of whole chunks equal to the fill value: deleted unless write_empty_chunks
  for (let r = 0; r < 256; r++) values.fill(0, r * shape[1], r * shape[1] + 256);
  const chains: Record<string, unknown>[] = [
    { zarrFormat: 2, chunks: [256, 256], compressor: BLOSC },
    { zarrFormat: 2, chunks: [256, 256], compressor: { id: "zstd", level: 1 } },
    { zarrFormat: 2, chunks: [256, 256], compressor: BLOSC, dtype: ">f4" },
    {
      zarrFormat: 3,
      chunks: [256, 256],
      codecs: [{ name: "bytes", configuration: { endian: "little" } }, {
        name: "blosc",
        configuration: { cname: "lz4", clevel: 5, shuffle: "bitshuffle", typesize: 4 },
      }],
    },
  ];
  const dir = await Deno.makeTempDir({ prefix: "zarr-pooled-w-" });
  try {
    for (const chain of chains) {
      for (const writeEmpty of [false, true]) {
        const results: Map<string, Uint8Array>[] = [];
        for (const workers of [2, 0]) {
          zarr.config.set({
            "threading.max_workers": workers,
            "array.write_empty_chunks": writeEmpty,
          });
          try {
            for (const store of [new zarr.MemoryStore(), `${dir}/w${workers}`]) {
              const a = await writeAll(store, chain, values, shape);
              const back = await a.getitem(null);
              assert.deepEqual((back as zarr.NDArray).data, new Float32Array(values));
              const bytes = await storedBytes(a);
              assert.equal(bytes.has(a.chunkKey([0, 0])), writeEmpty, "the all-fill chunk");
              results.push(bytes);
            }
          } finally {
            zarr.config.reset();
          }
        }
        for (const r of results.slice(1)) {
          assert.deepEqual([...r.keys()].sort(), [...results[0].keys()].sort());
          for (const [k, v] of r) {
            assert.deepEqual(v, results[0].get(k), `${JSON.stringify(chain)} ${k}`);
          }
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pooled write: a store that keeps values gets its own copy of each chunk", async () => {
  const shape = [512, 512];
  const store = new zarr.MemoryStore();
  const a = await writeAll(
    store,
    { zarrFormat: 2, chunks: [128, 128], compressor: BLOSC },
    field(512 * 512, 5),
    shape,
  );
  const kept = await storedBytes(a);
  // a second write of other values reuses the slots: what the store kept must not change
  await a.setitem(null, zarr.ndarray(field(512 * 512, 6), shape));
  await a.setitem(null, zarr.ndarray(field(512 * 512, 5), shape));
  const again = await storedBytes(a);
  for (const [k, v] of kept) assert.deepEqual(again.get(k), v, k);
  const buffers = new Set([...again.values()].map((v) => v.buffer));
  assert.equal(buffers.size, again.size, "one buffer per stored chunk");
});

Deno.test("pooled write: concurrent overlapping writes leave no torn chunk", async () => {
  const dir = await Deno.makeTempDir({ prefix: "zarr-pooled-c-" });
  try {
    const shape = [512, 512];
    const a = await zarr.create(shape, {
      store: dir,
      dtype: "<f4",
      zarrFormat: 2,
      chunks: [128, 128],
      compressor: BLOSC,
    });
    for (let round = 0; round < 3; round++) {
      const whole = a.setitem(
        null,
        zarr.ndarray(new Float32Array(512 * 512).fill(1 + round), shape),
      );
      const part = a.setitem([zarr.slice(100, 300), zarr.slice(100, 300)], -1);
      await Promise.all([whole, part]);
      const got = (await a.getitem(null) as zarr.NDArray).data as Float32Array;
      // each chunk the part touches holds -1 in all of its part, or in none of it
      for (let ci = 0; ci < 4; ci++) {
        for (let cj = 0; cj < 4; cj++) {
          let minus = 0, other = 0;
          for (let r = ci * 128; r < ci * 128 + 128; r++) {
            for (let c = cj * 128; c < cj * 128 + 128; c++) {
              const v = got[r * 512 + c];
              const inPart = r >= 100 && r < 300 && c >= 100 && c < 300;
              if (!inPart) assert.equal(v, 1 + round);
              else if (v === -1) minus++;
              else {
                assert.equal(v, 1 + round);
                other++;
              }
            }
          }
          assert.ok(minus === 0 || other === 0, `chunk ${ci},${cj}: ${minus} vs ${other}`);
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pooled write: LocalStore variants (fsync, wrapped set, read-only) keep their behaviour", async () => {
  const dir = await Deno.makeTempDir({ prefix: "zarr-pooled-s-" });
  try {
    const shape = [512, 512];
    const values = field(512 * 512, 9);
    const create = (store: zarr.LocalStore) =>
      zarr.create(shape, {
        store,
        overwrite: true,
        dtype: "<f4",
        zarrFormat: 2,
        chunks: [128, 128],
        compressor: BLOSC,
      } as zarr.CreateOptions);
    // fsync: every chunk lands (the workers write with the same setting)
    const synced = await create(new zarr.LocalStore(`${dir}/fsync`, { fsync: true }));
    await synced.setitem(null, zarr.ndarray(values, shape));
    assert.deepEqual((await synced.getitem(null) as zarr.NDArray).data, values);
    // a wrapped set sees every chunk (it is never bypassed by the workers)
    const wrapped = new zarr.LocalStore(`${dir}/wrapped`);
    const seen: string[] = [];
    const set = wrapped.set.bind(wrapped);
    wrapped.set = (key, value) => {
      seen.push(key);
      return set(key, value);
    };
    const w = await create(wrapped);
    seen.length = 0;
    await w.setitem(null, zarr.ndarray(values, shape));
    assert.equal(seen.length, 16);
    assert.deepEqual((await w.getitem(null) as zarr.NDArray).data, values);
    // read-only: the usual error, and nothing written
    const ro = await zarr.openArray({
      store: new zarr.LocalStore(`${dir}/fsync`, { readOnly: true }),
    });
    await assert.rejects(
      ro.setitem(null, zarr.ndarray(new Float32Array(512 * 512), shape)),
      ReadOnlyError,
    );
    assert.deepEqual((await ro.getitem(null) as zarr.NDArray).data, values);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
