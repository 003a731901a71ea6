/**
 * Batching and limits, run by `gpu_test.ts` once per WebGPU backend: results larger than the
 * storage-binding limit (lowered to 4 KiB through `maxBindingBytes`, so many binding windows and
 * batches are cheap), chunks larger than one binding (CPU read + upload), double-buffered vs
 * serial batches, windowed fills, the pipeline cache, and errors.
 * @module
 */
import * as zarr from "../../mod.ts";
import { ChunkNotFoundError, ZarrValueError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import { BasicIndexer } from "../../src/array/indexing/basic.ts";
import {
  assert,
  assertEquals,
  assertSame,
  bytesOf,
  gtest,
  randomData,
  reportCount,
} from "./helpers.ts";

const LIMIT = 4096;

/**
 * A 64 x (256 / itemsize) array in 1 KiB chunks (16 of them: 4 per batch under the 4 KiB limit,
 * so 4 batches and a 16 KiB result over 4+ binding windows), written except the bottom quarter
 * and part of the right column of chunks (missing chunks and partial edges).
 */
async function make(dtype: string, opts: Record<string, unknown> = {}) {
  const B = parseDataType(dtype).itemsize;
  const cols = 256 / B;
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [64, cols],
    chunks: [8, cols / 2],
    dtype,
    fillValue: dtype === "bool" ? true : 3,
    ...opts,
  } as zarr.CreateArrayOptions);
  const w = (cols * 3) / 4;
  const d = randomData(dtype, 48 * w, dtype.length * 31 + 5, true);
  await a.setitem(`0:48, 0:${w}`, { ...d, shape: [48, w], stride: [w, 1] });
  return a;
}

const CHAINS: Record<string, Record<string, unknown>> = {
  plain: {},
  blosc: {
    compressors: [{ name: "blosc", configuration: { cname: "lz4", shuffle: "bitshuffle" } }],
  },
  "transpose+be": {
    filters: [{ name: "transpose", configuration: { order: [1, 0] } }],
    serializer: { name: "bytes", configuration: { endian: "big" } },
  },
};

for (const doubleBuffer of [true, false]) {
  gtest(
    `gpu split: outputs over the binding limit, many batches (doubleBuffer ${doubleBuffer})`,
    async (p) => {
      p.maxBindingBytes = LIMIT;
      p.doubleBuffer = doubleBuffer;
      for (const dtype of ["uint8", "int16", "float32", "float64", "complex128", "bool"]) {
        for (const [name, chain] of Object.entries(CHAINS)) {
          const a = await make(dtype, chain);
          const sels = doubleBuffer ? [null, "3:61:2, ::-1", "::-3, 5::5", "50"] : [null, "50"];
          for (const sel of sels) {
            await assertSame(p, a, sel, `${name} ${dtype} limit ${LIMIT}`);
          }
          (await a.getitem(null, { prototype: p })).destroy();
          const s = p.lastRead!;
          const outBytes = 64 * 256;
          assert(s.batches > 1, `${dtype} ${name}: ${JSON.stringify(s)}`);
          assert(
            s.dispatches >= Math.ceil(outBytes / LIMIT),
            `${dtype} ${name}: ${s.dispatches} dispatches for ${outBytes} bytes`,
          );
          assertEquals(s.chunks + s.missing, 16);
        }
      }
    },
  );
}

gtest("gpu split: a chunk larger than one binding reads on the CPU and uploads", async (p) => {
  p.maxBindingBytes = LIMIT;
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [64, 64],
    chunks: [32, 32],
    dtype: "float64",
  });
  await a.setitem(null, { ...randomData("float64", 64 * 64, 9), shape: [64, 64], stride: [64, 1] });
  await assertSame(p, a, "1:60:3, ::-1", "8 KiB chunks, 4 KiB binding");
  assertEquals(p.lastRead!.plan, "cpu+upload");
});

gtest("gpu split: windowed fills of every element size are bit-exact", async (p) => {
  p.maxBindingBytes = LIMIT;
  const cases: [string, unknown][] = [
    ["uint8", 7],
    ["int16", -2],
    ["float64", "0x7ff0000000000123"],
    ["complex128", [1.5, -0.25]],
    ["V3", Uint8Array.of(1, 2, 3)],
    ["V20", Uint8Array.from({ length: 20 }, (_, i) => i + 1)],
  ];
  for (const [dtype, value] of cases) {
    const a = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [30001],
      chunks: [30001],
      dtype,
      fillValue: value as zarr.Scalar,
    });
    const want = await a.getitem(null);
    const g = p.full([30001], dtype, a.effectiveFillValue);
    assertEquals(bytesOf(await g.toHost()), bytesOf(want), `${dtype}: full() over windows`);
    g.destroy();
  }
});

gtest("gpu split: pipelines are cached by stage and element layout", async (p) => {
  const a = await make("float64");
  const b = await make("float64", CHAINS.blosc);
  (await a.getitem(null, { prototype: p })).destroy();
  (await b.getitem(null, { prototype: p })).destroy();
  const keys = p.pipelineKeys.length;
  for (let i = 0; i < 3; i++) {
    (await a.getitem("::2", { prototype: p })).destroy();
    (await b.getitem("1:, 3", { prototype: p })).destroy();
  }
  assertEquals(p.pipelineKeys.length, keys);
  assert(p.pipelineKeys.includes("gather:8:0:0"), String(p.pipelineKeys));
  assert(p.pipelineKeys.includes("unshuffle"), String(p.pipelineKeys));
});

gtest("gpu split: missing chunks raise when read_missing_chunks is false", async (p) => {
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [40],
    chunks: [10],
    dtype: "int32",
    config: { readMissingChunks: false },
  } as zarr.CreateArrayOptions);
  await a.setitem("0:20", 1);
  let err: unknown;
  try {
    await a.getitem(null, { prototype: p });
  } catch (e) {
    err = e;
  }
  assert(err instanceof ChunkNotFoundError, String(err));
  assert(String(err).includes("c/2"), String(err));
  // the device stays usable
  const g = await a.getitem("0:20", { prototype: p });
  assertEquals(Array.from((await g.toHost()).data as Int32Array), new Array(20).fill(1));
});

gtest("gpu split: a result over the device's buffer limit is a clear ZarrValueError", (p) => {
  let err: unknown;
  try {
    p.full([2 ** 20, 2 ** 20], "float64", 1);
  } catch (e) {
    err = e;
  }
  assert(err instanceof ZarrValueError && /buffer size limit/.test(String(err)), String(err));
  return Promise.resolve();
});

gtest("gpu split: progress counts every chunk of a batched device read", async (p) => {
  p.maxBindingBytes = LIMIT;
  const a = await make("float32");
  const ix = BasicIndexer.fromSelection(null, a.shape, a.metadata.chunkShape);
  const seen: [number, number][] = [];
  const g = await p.readIndexer(a, ix, { progress: ({ done, total }) => seen.push([done, total]) });
  g.destroy();
  assert(p.lastRead!.batches > 1, JSON.stringify(p.lastRead));
  assertEquals(seen[seen.length - 1], [16, 16]);
  assert(seen.every(([d], i) => i === 0 || d >= seen[i - 1][0]), JSON.stringify(seen));
});

reportCount("split");
