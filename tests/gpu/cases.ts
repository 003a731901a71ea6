/**
 * GPU read/fill cases, run by `gpu_test.ts` once per WebGPU backend (DENO_WEBGPU_BACKEND=gl and
 * vulkan): every dtype over windows with edge, step and missing chunks, codec chains, fills,
 * metaArray routing. Every read case compares the GPU result bit for bit with the CPU path.
 * Without an adapter: fails under CI=true, skips with a printed reason otherwise.
 * @module
 */
import * as zarr from "../../mod.ts";
import {
  assert,
  assertEquals,
  assertSame,
  bytesOf,
  counter,
  gtest,
  randomData,
  reportCount,
} from "./helpers.ts";

const DTYPES = [
  "bool",
  "int8",
  "uint8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "uint64",
  "float16",
  "float32",
  "float64",
  "complex64",
  "complex128",
];
const FILLS: Record<string, unknown> = {
  bool: true,
  int64: -5,
  uint64: 7,
  complex64: [1.5, -2],
  complex128: [-0.25, 3],
  float32: "NaN",
};
const WINDOWS = [null, "1:12:2, 16:2:-3", "5, 3:15", "12:13, 15:17", "::-1, ::4"];

async function makeArray(dtype: string, codecs: Partial<zarr.CreateArrayOptions> = {}) {
  const shape = [13, 17];
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape,
    chunks: [4, 5],
    dtype,
    fillValue: (FILLS[dtype] ?? 3) as zarr.Scalar,
    ...codecs,
  } as zarr.CreateArrayOptions);
  // write the top-left 9x11 only: the right and bottom chunks stay missing (fill value)
  const d = randomData(dtype, 9 * 11, dtype.length * 7919);
  await a.setitem("0:9, 0:11", { ...d, shape: [9, 11], stride: [11, 1] });
  return a;
}

for (const dtype of DTYPES) {
  gtest(`gpu: ${dtype} windows read bit-exact vs CPU`, async (p) => {
    const a = await makeArray(dtype);
    for (const w of WINDOWS) await assertSame(p, a, w, dtype);
  });
}

const CHAINS: Record<string, Partial<zarr.CreateArrayOptions>> = {
  zstd: { compressors: [{ name: "zstd", configuration: { level: 1 } }] },
  "big-endian bytes": { serializer: { name: "bytes", configuration: { endian: "big" } } },
  "big-endian + gzip": {
    serializer: { name: "bytes", configuration: { endian: "big" } },
    compressors: [{ name: "gzip", configuration: { level: 1 } }],
  },
  "transpose (F order)": { filters: [{ name: "transpose", configuration: { order: [1, 0] } }] },
  "blosc shuffle": {
    compressors: [{
      name: "blosc",
      configuration: { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 4, blocksize: 0 },
    }],
  },
  sharding: { shards: [8, 10] },
} as Record<string, Partial<zarr.CreateArrayOptions>>;

for (const [name, chain] of Object.entries(CHAINS)) {
  gtest(`gpu: codec chain ${name} reads bit-exact vs CPU`, async (p) => {
    for (const dtype of ["int16", "float64", "complex64", "uint8"]) {
      const a = await makeArray(dtype, chain);
      for (const w of WINDOWS) await assertSame(p, a, w, `${name} ${dtype}`);
    }
  });
}

const MASK = Array.from(
  { length: 13 },
  (_, i) => Array.from({ length: 17 }, (_, j) => (i * 17 + j) % 5 === 0),
);

gtest("gpu: orthogonal, block, coordinate and mask selections read bit-exact vs CPU", async (p) => {
  const sels: [string, (a: zarr.AsyncArray, o: { prototype?: unknown }) => Promise<unknown>][] = [
    ["oindex lists", (a, o) => a.getOrthogonalSelection([[0, 5, 12, 5], [16, 1, 0]], o)],
    ["oindex list x slice", (a, o) => a.oindex.get([[12, 0, 7], zarr.slice(15, 2, -2)], o)],
    [
      "oindex mask x int",
      (a, o) =>
        a.getOrthogonalSelection([[
          true,
          false,
          true,
          true,
          false,
          false,
          true,
          false,
          false,
          false,
          true,
          false,
          true,
        ], 3], o),
    ],
    ["block", (a, o) => a.getBlockSelection([zarr.slice(1, 3), 2], o)],
    ["blocks accessor", (a, o) => a.blocks.get([-1, zarr.slice(null)], o)],
    ["coordinate", (a, o) => a.getCoordinateSelection([[0, 12, 5], [16, 0, 9]], o)],
    ["vindex mask", (a, o) => a.vindex.get(MASK, o)],
  ];
  for (const dtype of ["int32", "uint8", "int16", "complex128"]) {
    for (const chain of [{}, CHAINS["transpose (F order)"], CHAINS["blosc shuffle"]]) {
      const a = await makeArray(dtype, chain);
      for (const [what, read] of sels) {
        const want = await read(a, {}) as zarr.NDArray;
        const g = await read(a, { prototype: p }) as zarr.gpu.GPUNDArray;
        assert(g instanceof zarr.gpu.GPUNDArray, what);
        const got = await g.toHost();
        g.destroy();
        assertEquals(got.shape, want.shape, `${dtype} ${what}: shape`);
        assertEquals(bytesOf(got), bytesOf(want), `${dtype} ${what}: bytes`);
        counter.reads++;
      }
    }
  }
});

gtest("gpu: known answer over > 65535 elements per dispatch (loop truncation)", async (p) => {
  for (const dtype of ["uint32", "uint8", "float64"]) {
    const n = 300_001;
    const a = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [n],
      chunks: [70_000],
      dtype,
      fillValue: 0,
    });
    const C = { uint32: Uint32Array, uint8: Uint8Array, float64: Float64Array }[dtype]!;
    const data = new C(n);
    for (let i = 0; i < n; i++) data[i] = dtype === "uint8" ? (i * 7) & 255 : i;
    await a.setitem(null, data);
    const g = await a.getitem(null, { prototype: p });
    const got = (await g.toHost()).data as typeof data;
    g.destroy();
    let bad = -1;
    for (let i = 0; i < n; i++) {
      if (got[i] !== data[i]) {
        bad = i;
        break;
      }
    }
    assertEquals(bad, -1, `${dtype}: first wrong element ${bad}`);
  }
});

gtest("gpu: metaArray on create/open and enableGpu route reads to the device", async (p) => {
  const store = new zarr.MemoryStore();
  const z = await zarr.zeros([50, 40], { chunks: [16, 16], dtype: "float32", store, metaArray: p });
  const g = await z.getitem("3:40:3, ::-7");
  assert(g instanceof zarr.gpu.GPUNDArray);
  assertEquals(
    bytesOf(await g.toHost()),
    bytesOf(await z.getitem("3:40:3, ::-7", { prototype: zarr.cpu })),
  );
  const o = await zarr.openArray({ store, metaArray: p });
  assert(await o.getitem(null) instanceof zarr.gpu.GPUNDArray);
  using _ = zarr.config.enableGpu();
  const plain = await zarr.openArray({ store });
  assert(await plain.getitem(null) instanceof zarr.gpu.GPUNDArray);
});

gtest("gpu: setitem accepts a GPUNDArray", async (p) => {
  const a = await makeArray("int64");
  const g = await a.getitem("0:4, 0:5", { prototype: p });
  const b = await zarr.createArray(new zarr.MemoryStore(), { shape: [4, 5], dtype: "int64" });
  await b.setitem(null, g);
  assertEquals(bytesOf(await b.getitem(null)), bytesOf(await a.getitem("0:4, 0:5")));
});

gtest("gpu: fills bit-exact for every dtype (NaN payloads, zero -> clearBuffer)", async (p) => {
  const values: [string, unknown][] = [
    ["bool", true],
    ["int8", -3],
    ["uint8", 0],
    ["int16", -12345],
    ["uint16", 65535],
    ["int32", -1],
    ["uint32", 0xdeadbeef],
    ["int64", -(2n ** 62n) - 3n],
    ["uint64", 2n ** 64n - 2n],
    ["float16", 1.5],
    ["float32", "0x7fc00123"],
    ["float32", "0xffc00001"],
    ["float64", "0x7ff8000000000abc"],
    ["float64", 0],
    ["complex64", [1.5, "NaN"]],
    ["complex128", [-0.5, 1e300]],
  ];
  for (const [dtype, fill] of values) {
    // the CPU reference: a missing chunk of an array with that fill value
    const a = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [1001],
      chunks: [1001],
      dtype,
      fillValue: fill as zarr.Scalar,
    });
    const want = await a.getitem(null);
    const g1 = await a.getitem(null, { prototype: p });
    assertEquals(bytesOf(await g1.toHost()), bytesOf(want), `${dtype} ${fill}: missing chunk`);
    g1.destroy();
    const g2 = p.full([1001], dtype, a.effectiveFillValue);
    assertEquals(bytesOf(await g2.toHost()), bytesOf(want), `${dtype} ${fill}: full()`);
    g2.destroy();
  }
});

reportCount("cases");
