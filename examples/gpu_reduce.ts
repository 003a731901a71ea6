/**
 * Reads a window of a Zarr array into a GPUNDArray and sums it on the GPU (exact int32 atomics).
 * Run: `DENO_WEBGPU_BACKEND=vulkan deno run -A examples/gpu_reduce.ts`
 * @module
 */
import * as zarr from "../mod.ts";

const gpu = await zarr.gpu.webgpu();
const a = await zarr.createArray("memory://gpu-demo", {
  shape: [1000, 1000],
  chunks: [128, 128],
  dtype: "int32",
  compressors: [{ name: "zstd", configuration: { level: 1 } }],
  fillValue: 1,
});
await a.setitem("0:500", 2); // the other half stays missing: fill value 1, filled on the GPU
const g = await a.getitem("250:750, ::2", { prototype: gpu }) as unknown as zarr.gpu.GPUNDArray;

const dev = g.device;
const n = g.shape[0] * g.shape[1];
const pipe = dev.createComputePipeline({
  layout: "auto",
  compute: {
    module: dev.createShaderModule({
      code: `
@group(0) @binding(0) var<storage, read> x: array<i32>;
@group(0) @binding(1) var<storage, read_write> s: array<atomic<i32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) i: vec3<u32>) {
  if (i.x < ${n}u) { atomicAdd(&s[0], x[i.x]); }
}`,
    }),
  },
});
const sum = dev.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const back = dev.createBuffer({
  size: 4,
  usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
});
const enc = dev.createCommandEncoder();
const pass = enc.beginComputePass();
pass.setPipeline(pipe);
pass.setBindGroup(
  0,
  dev.createBindGroup({
    layout: pipe.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: g.buffer } }, {
      binding: 1,
      resource: { buffer: sum },
    }],
  }),
);
pass.dispatchWorkgroups(Math.ceil(n / 256));
pass.end();
enc.copyBufferToBuffer(sum, 0, back, 0, 4);
dev.queue.submit([enc.finish()]);
await back.mapAsync(GPUMapMode.READ);
console.log("GPU sum:", new Int32Array(back.getMappedRange())[0]); // 250*500*2 + 250*500*1 = 375000
g.destroy();
