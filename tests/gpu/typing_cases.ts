/**
 * The typed GPU read API and GPU values in writes, run by `gpu_test.ts` once per WebGPU backend
 * (and type-checked by it): every read method given a device prototype (or a `GPUNDArray` as the
 * type hint) is typed as returning a `GPUNDArray`, with no casts; every write method accepts a
 * `GPUNDArray` as the value (read back, then encoded).
 * @module
 */
import * as zarr from "../../mod.ts";
import { assert, assertEquals, bytesOf, counter, gtest, reportCount } from "./helpers.ts";

async function grid(): Promise<zarr.AsyncArray> {
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [6, 8],
    chunks: [4, 3],
    dtype: "int32",
  });
  await a.setitem(null, {
    data: Int32Array.from({ length: 48 }, (_, i) => i * 7 - 20),
    shape: [6, 8],
    stride: [8, 1],
    dtype: "int32",
  });
  return a;
}

gtest("gpu typing: every read method returns a GPUNDArray without casts", async (p) => {
  const a = await grid();
  const mask = Array.from({ length: 6 }, (_, i) => Array.from({ length: 8 }, (_, j) => i === j));
  // each right-hand side is typed GPUNDArray: these assignments would not compile otherwise
  const reads: [string, zarr.gpu.GPUNDArray, zarr.NDArray][] = [
    ["getitem", await a.getitem("1:5, ::-2", { prototype: p }), await a.getitem("1:5, ::-2")],
    [
      "getBasicSelection",
      await a.getBasicSelection([2, zarr.slice(1, 7, 2)], { prototype: p }),
      await a.getBasicSelection([2, zarr.slice(1, 7, 2)]),
    ],
    [
      "getOrthogonalSelection",
      await a.getOrthogonalSelection([[5, 0], [1, 7, 7]], { prototype: p }),
      await a.getOrthogonalSelection([[5, 0], [1, 7, 7]]),
    ],
    [
      "getCoordinateSelection",
      await a.getCoordinateSelection([[0, 5], [7, 1]], { prototype: p }),
      await a.getCoordinateSelection([[0, 5], [7, 1]]),
    ],
    [
      "getMaskSelection",
      await a.getMaskSelection(mask, { prototype: p }),
      await a.getMaskSelection(mask),
    ],
    [
      "getBlockSelection",
      await a.getBlockSelection([1, zarr.slice(0, 2)], { prototype: p }),
      await a.getBlockSelection([1, zarr.slice(0, 2)]),
    ],
    [
      "oindex.get",
      await a.oindex.get([[3], null], { prototype: p }),
      await a.oindex.get([[3], null]),
    ],
    [
      "vindex.get",
      await a.vindex.get([[1, 2], [3, 4]], { prototype: p }),
      await a.vindex.get([[1, 2], [3, 4]]),
    ],
    ["blocks.get", await a.blocks.get([0, 2], { prototype: p }), await a.blocks.get([0, 2])],
  ];
  // a GPUNDArray as the type hint reads onto its device, typed the same
  const hint = reads[0][1];
  reads.push(["getitem (hint)", await a.getitem("0", { prototype: hint }), await a.getitem("0")]);
  for (const [what, g, want] of reads) {
    assert(g instanceof zarr.gpu.GPUNDArray, what);
    assertEquals(g.shape, want.shape, what);
    assertEquals(bytesOf(await g.toHost()), bytesOf(want), what);
    counter.reads++;
  }
  // without a device prototype the result stays an NDArray
  const host: zarr.NDArray = await a.getitem(null, { prototype: zarr.cpu });
  assert(!(host instanceof zarr.gpu.GPUNDArray));
  // @ts-expect-error a GPU read is not typed as an NDArray
  const wrong: zarr.NDArray = await a.getitem(null, { prototype: p });
  assert(wrong instanceof zarr.gpu.GPUNDArray);
  for (const [, g] of reads) g.destroy();
});

gtest("gpu typing: setitem and every set*Selection accept a GPUNDArray", async (p) => {
  const src = await grid();
  const writes: [string, (b: zarr.AsyncArray, v: unknown) => Promise<void>, string][] = [
    ["setitem", (b, g) => b.setitem("1:3, 2:5", g), "0:2, 0:3"],
    ["setBasicSelection", (b, g) => b.setBasicSelection([4, zarr.slice(0, 8)], g), "0, :"],
    [
      "setOrthogonalSelection",
      (b, g) => b.setOrthogonalSelection([[5, 0], [1, 6]], g),
      "0:2, 0:2",
    ],
    ["setCoordinateSelection", (b, g) => b.setCoordinateSelection([[0, 3], [7, 2]], g), "0, 0:2"],
    [
      "setMaskSelection",
      (b, g) => b.setMaskSelection(Array.from({ length: 6 }, (_, i) => Array(8).fill(i === 2)), g),
      "1, :",
    ],
    ["setBlockSelection", (b, g) => b.setBlockSelection([1, 0], g), "0:2, 0:3"],
    ["oindex.set", (b, g) => b.oindex.set([[2, 4], [0, 7]], g), "0:2, 0:2"],
    ["vindex.set", (b, g) => b.vindex.set([[5, 1], [5, 1]], g), "0, 4:6"],
    ["blocks.set", (b, g) => b.blocks.set([0, 2], g), "0:4, 0:2"],
  ];
  for (const [what, write, from] of writes) {
    const g = await src.getitem(from, { prototype: p });
    const viaGpu = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [6, 8],
      chunks: [4, 3],
      dtype: "int32",
    });
    const viaCpu = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [6, 8],
      chunks: [4, 3],
      dtype: "int32",
    });
    await write(viaGpu, g);
    await write(viaCpu, await g.toHost());
    const got = await viaGpu.getitem(null);
    assertEquals(bytesOf(got), bytesOf(await viaCpu.getitem(null)), what);
    assert((got.data as Int32Array).some((v) => v !== 0), `${what}: nothing written`);
    g.destroy();
  }
});

reportCount("typing");
