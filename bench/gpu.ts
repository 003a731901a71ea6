/**
 * `deno task bench:gpu`: read-to-GPU vs read-to-CPU-then-upload, device fill throughput and the
 * gather stage's GB/s, on whatever WebGPU adapter exists (llvmpipe without a GPU).
 * @module
 */
import * as zarr from "../mod.ts";

const proto = await zarr.gpu.webgpu();
const dev = proto.device;
const info = (dev as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
console.log(`adapter: ${info?.description || info?.vendor || "unknown"}`);

async function sync() {
  await dev.queue.onSubmittedWorkDone();
}
async function time(fn: () => Promise<unknown>, reps = 5): Promise<number> {
  await fn();
  await sync();
  const t = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  await sync();
  return (performance.now() - t) / reps;
}

const rows: string[] = [];
const n = 4096;
const a = await zarr.createArray(new zarr.MemoryStore(), {
  shape: [n, n],
  chunks: [512, 512],
  dtype: "float32",
  compressors: [{ name: "zstd", configuration: { level: 1 } }],
  fillValue: 0,
});
const host = new Float32Array(n * n);
for (let i = 0; i < host.length; i++) host[i] = Math.sin(i);
await a.setitem(null, { data: host, shape: [n, n], stride: [n, 1], dtype: "float32" });
const mb = (n * n * 4) / 1e6;
const gpuRead = await time(async () => {
  const g = await a.getitem(null, { prototype: proto }) as unknown as zarr.gpu.GPUNDArray;
  await sync();
  g.destroy();
});
const cpuUp = await time(async () => {
  const g = proto.upload(await a.getitem(null));
  await sync();
  g.destroy();
});
rows.push(
  `| read 4096x4096 float32 zstd -> GPU (gather kernel) | ${gpuRead.toFixed(1)} ms | ${
    (mb / gpuRead).toFixed(2)
  } GB/s |`,
);
rows.push(
  `| read -> CPU, then one upload | ${cpuUp.toFixed(1)} ms | ${(mb / cpuUp).toFixed(2)} GB/s |`,
);
const fillNz = await time(async () => {
  const g = proto.full([n, n], "float64", 1.5);
  await sync();
  g.destroy();
});
const fillZ = await time(async () => {
  const g = proto.full([n, n], "float64", 0);
  await sync();
  g.destroy();
});
rows.push(
  `| fill 4096x4096 float64 (fill kernel) | ${fillNz.toFixed(1)} ms | ${
    ((mb * 2) / fillNz).toFixed(2)
  } GB/s |`,
);
rows.push(
  `| fill 4096x4096 float64 zero (clearBuffer) | ${fillZ.toFixed(1)} ms | ${
    ((mb * 2) / fillZ).toFixed(2)
  } GB/s |`,
);
const be = await zarr.createArray(new zarr.MemoryStore(), {
  shape: [n, n],
  chunks: [1024, 1024],
  dtype: "float64",
  serializer: { name: "bytes", configuration: { endian: "big" } },
  fillValue: 0,
});
await be.setitem("0:2048", 2.5);
const swap = await time(async () => {
  const g = await be.getitem(null, { prototype: proto }) as unknown as zarr.gpu.GPUNDArray;
  await sync();
  g.destroy();
});
rows.push(
  `| read 4096x4096 float64 big-endian (swap + gather, half missing) | ${swap.toFixed(1)} ms | ${
    ((mb * 2) / swap).toFixed(2)
  } GB/s |`,
);
console.log("| case | time | throughput |\n|---|---|---|\n" + rows.join("\n"));
