/**
 * The WGSL decode stages, run by `gpu_test.ts` once per WebGPU backend: blosc unshuffle and
 * bitunshuffle (typesizes 1, 2, 4, 8, 16 and odd ones 3, 5, 12, 15, 20, split and unsplit
 * blocks, leftover blocks, every inner compressor), the numcodecs `shuffle` filter, transpose
 * (v3 permutations and v2 `order: "F"`), big-endian swaps, structured / raw-bytes records, and
 * the CPU fallback for chains the device cannot run. Every read is bit-exact against the CPU
 * path; the known-answer cases (> 65535 elements per block, chunk and dispatch) would catch a
 * loop truncated by Mesa's 65535-iteration cap.
 * @module
 */
import * as zarr from "../../mod.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import { cStrides } from "../../src/buffer/ndarray.ts";
import { assert, assertEquals, assertSame, gtest, randomData, reportCount } from "./helpers.ts";

const WINDOWS = [null, "1:30:2, 44:2:-3", "5, 3:40", "::-1, ::4"];

/**
 * A 37x45 array in 16x20 chunks (320 elements: above blosc's 128-byte minimum for every dtype)
 * with the top-left 30x35 written, so the right and bottom edge chunks stay missing.
 */
async function make(dtype: string | zarr.DataType, opts: Record<string, unknown>) {
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [37, 45],
    chunks: [16, 20],
    dtype,
    ...opts,
  } as zarr.CreateArrayOptions);
  const dt = parseDataType(dtype);
  const d = randomData(dt.str, 30 * 35, dt.itemsize * 7919 + 17, true);
  await a.setitem("0:30, 0:35", { ...d, shape: [30, 35], stride: [35, 1] });
  return a;
}

/** Reads everything on the device and asserts the unshuffle stage had chunks to undo. */
async function assertUnshuffled(p: zarr.gpu.WebGPUPrototype, a: zarr.AsyncArray, what: string) {
  (await a.getitem(null, { prototype: p })).destroy();
  const s = p.lastRead!;
  assert(s.unshuffled > 0 && s.missing > 0, `${what}: ${JSON.stringify(s)}`);
}

/** Whether blosc leaves a shuffle to undo for this element size (byte shuffle of 1 is none). */
function shuffles(shuffle: string, typesize: number): boolean {
  return shuffle === "bitshuffle" || typesize > 1;
}

function blosc(cname: string, shuffle: string, extra: Record<string, unknown> = {}) {
  return {
    compressors: [{
      name: "blosc",
      configuration: { cname, clevel: 5, shuffle, blocksize: 0, ...extra },
    }],
  };
}

const STRUCT3 = parseDataType({
  name: "structured",
  configuration: { fields: [["a", "uint8"], ["b", "int16"]] },
});
const STRUCT12 = parseDataType({
  name: "structured",
  configuration: { fields: [["x", "int32"], ["y", "float64"]] },
});

/** dtype -> blosc typesize the codec picks (the item size); odd ones from records. */
const BLOSC_DTYPES: (string | zarr.DataType)[] = [
  "uint8",
  "bool",
  "int16",
  "float32",
  "float64",
  "complex64",
  "complex128",
  STRUCT3,
  STRUCT12,
  "V5",
  "V20",
];

for (const shuffle of ["shuffle", "bitshuffle"]) {
  gtest(`gpu stage: blosc ${shuffle}, typesizes 1-20, on the device, bit-exact`, async (p) => {
    for (const dtype of BLOSC_DTYPES) {
      for (const cname of ["lz4", "zstd", "blosclz"]) {
        const a = await make(dtype, blosc(cname, shuffle));
        assertEquals(zarr.gpu.planRead(a).describe(), "blosc-unshuffle > gather");
        if (shuffles(shuffle, parseDataType(dtype).itemsize)) {
          await assertUnshuffled(p, a, `${shuffle} ${cname} ${dtype}`);
        }
        for (const w of WINDOWS) await assertSame(p, a, w, `${shuffle} ${cname} ${dtype}`);
      }
    }
  });

  gtest(`gpu stage: blosc ${shuffle} with explicit odd typesizes and small blocks`, async (p) => {
    // chunks that do not compress are stored memcpyed (nothing to unshuffle): count the others
    const undone = new Map<number, number>();
    for (const dtype of ["uint8", "int16", "float32", "float64"]) {
      for (const typesize of [3, 5, 12, 20]) {
        for (const blocksize of [0, 64, 200]) {
          const a = await make(dtype, blosc("lz4", shuffle, { typesize, blocksize }));
          (await a.getitem(null, { prototype: p })).destroy();
          undone.set(typesize, (undone.get(typesize) ?? 0) + p.lastRead!.unshuffled);
          for (const w of [null, "::-1, 3:40:2"]) {
            await assertSame(p, a, w, `${shuffle} ts${typesize} bs${blocksize} ${dtype}`);
          }
        }
      }
    }
    for (const [ts, n] of undone) {
      assert(n >= 8, `${shuffle} typesize ${ts}: ${n} chunks unshuffled`);
    }
  });
}

gtest("gpu stage: blosc with big-endian bytes and transpose in one chain", async (p) => {
  for (const dtype of ["int16", "float64", "complex64", "uint32"]) {
    for (const shuffle of ["shuffle", "bitshuffle", "noshuffle"]) {
      const a = await make(dtype, {
        filters: [{ name: "transpose", configuration: { order: [1, 0] } }],
        serializer: { name: "bytes", configuration: { endian: "big" } },
        ...blosc("zstd", shuffle),
      });
      const plan = zarr.gpu.planRead(a).describe();
      assert(plan.includes("swap") && plan.includes("transpose"), plan);
      for (const w of WINDOWS) await assertSame(p, a, w, `be+T+${shuffle} ${dtype}`);
    }
  }
});

gtest("gpu stage: v2 blosc, shuffle filter and order F (numcodecs chains)", async (p) => {
  const v2: [string, Record<string, unknown>][] = [
    ["blosc bitshuffle", { compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 2 } }],
    ["blosc shuffle F", {
      order: "F",
      compressor: { id: "blosc", cname: "zstd", clevel: 3, shuffle: 1, blocksize: 128 },
    }],
    ["shuffle filter + zlib", {
      filters: [{ id: "shuffle", elementsize: 4 }],
      compressor: { id: "zlib", level: 1 },
    }],
    ["order F big-endian", { order: "F", compressor: null }],
  ];
  for (const [name, opts] of v2) {
    for (const dtype of ["<i4", ">f8", "<u2", "|u1"]) {
      const dt = name.includes("big") ? dtype.replace("<", ">") : dtype;
      const a = await make(dt, { zarrFormat: 2, ...opts });
      const plan = zarr.gpu.planRead(a).describe();
      assert(plan.endsWith("gather"), `${name} ${dt}: ${plan}`);
      for (const w of WINDOWS) await assertSame(p, a, w, `v2 ${name} ${dt}`);
    }
  }
});

gtest("gpu stage: transpose, any permutation of 3 and 4 axes", async (p) => {
  const cases: [number[], number[], number[]][] = [
    [[9, 7, 11], [4, 3, 5], [2, 0, 1]],
    [[9, 7, 11], [4, 3, 5], [1, 2, 0]],
    [[9, 7, 11], [4, 7, 5], [0, 2, 1]],
    [[5, 6, 7, 4], [2, 4, 3, 4], [3, 1, 0, 2]],
  ];
  for (const dtype of ["uint8", "int16", "float32", "complex128"]) {
    for (const [shape, chunks, order] of cases) {
      const a = await zarr.createArray(new zarr.MemoryStore(), {
        shape,
        chunks,
        dtype,
        fillValue: 1,
        filters: [{ name: "transpose", configuration: { order } }],
      } as zarr.CreateArrayOptions);
      const n = shape.reduce((x, y) => x * y, 1);
      const d = randomData(dtype, n, n + order[0]);
      await a.setitem(null, { ...d, shape, stride: cStrides(shape) });
      await a.setitem("0:2", 1); // interior chunk rows equal the fill: still decoded
      const sels = [null, "1:8:3, ::-1", "..., 2:5", "-1"];
      for (const s of sels) await assertSame(p, a, s, `transpose ${order} ${dtype}`);
    }
  }
});

gtest("gpu stage: chains the device cannot run fall back to the CPU read", async (p) => {
  const chains: [string, Record<string, unknown>][] = [
    ["delta", { zarrFormat: 2, filters: [{ id: "delta", dtype: "<i4" }], compressor: null }],
    ["blosc after zstd", {
      compressors: [
        { name: "zstd", configuration: { level: 1 } },
        { name: "blosc", configuration: { cname: "lz4", shuffle: "shuffle", typesize: 4 } },
      ],
    }],
  ];
  for (const [name, opts] of chains) {
    const a = await make("<i4", opts);
    const plan = zarr.gpu.planRead(a).describe();
    if (name === "delta") assert(plan === "cpu read + upload", plan);
    else assert(plan === "gather", plan);
    for (const w of WINDOWS) {
      await assertSame(p, a, w, name);
      assertEquals(p.lastRead!.plan, plan === "gather" ? plan : "cpu+upload");
    }
  }
});

gtest("gpu stage: structured, raw and fixed bytes records through the gather", async (p) => {
  for (const dtype of [STRUCT3, STRUCT12, "V5", "V20", "S7"]) {
    const a = await make(dtype, { fillValue: null });
    for (const w of WINDOWS) await assertSame(p, a, w, `records ${parseDataType(dtype).str}`);
  }
});

/** `n` values `f(i)` of a typed dtype. */
function formula(dtype: string, n: number): ArrayLike<number | bigint> & ArrayBufferView {
  // smooth sequences: blosc compresses them once shuffled, so the containers are not memcpyed
  switch (dtype) {
    case "uint16":
      return Uint16Array.from({ length: n }, (_, i) => (i * 3) & 0xffff);
    case "uint32":
      return Uint32Array.from({ length: n }, (_, i) => i * 5 + 7);
    case "uint64":
      return BigUint64Array.from({ length: n }, (_, i) => BigInt(i) * 3n + (1n << 40n));
    default:
      return Float64Array.from({ length: n }, (_, i) => i * 0.25);
  }
}

gtest("gpu stage: known answers over > 65535 elements per block and chunk", async (p) => {
  const n = 300_001;
  for (const dtype of ["uint16", "uint32", "uint64", "float64"]) {
    for (const shuffle of ["shuffle", "bitshuffle"]) {
      // one chunk, one huge block (> 65535 elements), then a 1 MiB-block variant
      for (const blocksize of [8 * n, 1 << 20]) {
        const a = await zarr.createArray(new zarr.MemoryStore(), {
          shape: [n],
          chunks: [n],
          dtype,
          fillValue: 0,
          ...blosc("lz4", shuffle, { blocksize }),
        } as zarr.CreateArrayOptions);
        const data = formula(dtype, n);
        await a.setitem(null, data);
        const g = await a.getitem(null, { prototype: p });
        assert(p.lastRead!.unshuffled === 1, `${dtype} ${shuffle}: ${JSON.stringify(p.lastRead)}`);
        const got = (await g.toHost()).data as unknown as typeof data;
        g.destroy();
        let bad = -1;
        for (let i = 0; i < n; i++) {
          if (got[i] !== data[i]) {
            bad = i;
            break;
          }
        }
        assertEquals(bad, -1, `${dtype} ${shuffle} bs${blocksize}: first wrong element ${bad}`);
      }
    }
  }
  // transpose of a chunk of 84000 elements, values i in C order of the array
  const shape = [70, 40, 30];
  const t = await zarr.createArray(new zarr.MemoryStore(), {
    shape,
    chunks: shape,
    dtype: "uint32",
    filters: [{ name: "transpose", configuration: { order: [2, 0, 1] } }],
  } as zarr.CreateArrayOptions);
  const m = 70 * 40 * 30;
  await t.setitem(null, {
    data: Uint32Array.from({ length: m }, (_, i) => i),
    shape,
    stride: cStrides(shape),
    dtype: "uint32",
  });
  const g = await t.getitem(null, { prototype: p });
  const got = (await g.toHost()).data as Uint32Array;
  g.destroy();
  let bad = -1;
  for (let i = 0; i < m; i++) {
    if (got[i] !== i) {
      bad = i;
      break;
    }
  }
  assertEquals(bad, -1, `transpose: first wrong element ${bad}`);
});

reportCount("stages");
