/**
 * Reads a window of a real Zarr array (written by zarr-python, blosc lz4 + byte shuffle) into a
 * GPUNDArray, and reduces it on the GPU (sum, min and max in a workgroup tree reduction, one
 * pass per 256x reduction), then checks the result against the same window read on the CPU.
 *
 * Run: `DENO_WEBGPU_BACKEND=vulkan deno run -A examples/gpu_reduce.ts [store] [array] [window]`
 * (default: the `compressors/blosc_lz4_shuffle` float32 array of the shared v2 fixtures; a
 * synthetic int32 array when those are not there).
 * @module
 */
import * as zarr from "../mod.ts";

const gpu = await zarr.gpu.webgpu();
const root = Deno.args[0] ??
  decodeURIComponent(
    new URL("../../shared/fixtures/v2-zarr-python-2.13/data.zarr", import.meta.url).pathname,
  );
let a: zarr.AsyncArray;
let window = Deno.args[2] ?? "2:12, ::2, 5:";
try {
  const store = new zarr.LocalStore(root, { readOnly: true });
  a = await zarr.openArray({ store, path: Deno.args[1] ?? "compressors/blosc_lz4_shuffle" });
} catch {
  console.log(`(no array at ${root}: using a synthetic one)`);
  a = await zarr.createArray("memory://gpu-demo", {
    shape: [1000, 1000],
    chunks: [128, 128],
    dtype: "int32",
    compressors: [{ name: "zstd", configuration: { level: 1 } }],
    fillValue: 1,
  });
  await a.setitem("0:500", 2); // the other half stays missing: fill value 1, filled on the GPU
  window = "250:750, ::2";
}
if (a.dtype !== "float32" && a.dtype !== "int32") throw new Error("float32 or int32 arrays only");

// the window lands in GPU memory: decompressed on the CPU, unshuffled and gathered on the GPU
const g = await a.getitem(window, { prototype: gpu }); // typed zarr.gpu.GPUNDArray
console.log(`${a.name} ${a.dtype} [${a.shape}] window ${window} -> GPU [${g.shape}]`);
console.log(`device stages: ${gpu.lastRead?.plan}`);

const dev = g.device;
const load = a.dtype === "float32" ? "bitcast<f32>(x[i])" : "f32(bitcast<i32>(x[i]))";
/** One pass: 256 inputs -> one (sum, min, max) per workgroup (8 tree steps per invocation). */
const code = (first: boolean) => `
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read> acc: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> n: vec4<u32>;
var<workgroup> s: array<vec4<f32>, 256>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
  let i = gid.x;
  var v = vec4<f32>(0.0, 3.4e38, -3.4e38, 0.0);
  if (i < n.x) {
    ${first ? `let e = ${load}; v = vec4<f32>(e, e, e, 0.0);` : "v = acc[i];"}
  }
  s[lid.x] = v;
  workgroupBarrier();
  for (var k = 128u; k > 0u; k = k / 2u) {
    if (lid.x < k) {
      let o = s[lid.x + k];
      let m = s[lid.x];
      s[lid.x] = vec4<f32>(m.x + o.x, min(m.y, o.y), max(m.z, o.z), 0.0);
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) { out[wid.x] = s[0]; }
}`;
const pipes = [true, false].map((first) =>
  dev.createComputePipeline({
    layout: "auto",
    compute: { module: dev.createShaderModule({ code: code(first) }) },
  })
);
const STORAGE = GPUBufferUsage.STORAGE;
let count = g.shape.reduce((p, q) => p * q, 1);
let src = dev.createBuffer({ size: 16, usage: STORAGE });
const enc = dev.createCommandEncoder();
let first = true;
while (first || count > 1) {
  const groups = Math.ceil(count / 256);
  const dst = dev.createBuffer({ size: groups * 16, usage: STORAGE | GPUBufferUsage.COPY_SRC });
  const n = dev.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  dev.queue.writeBuffer(n, 0, Uint32Array.of(count, 0, 0, 0));
  const pipe = pipes[first ? 0 : 1];
  const pass = enc.beginComputePass();
  pass.setPipeline(pipe);
  pass.setBindGroup(
    0,
    dev.createBindGroup({
      layout: pipe.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: g.buffer } },
        { binding: 1, resource: { buffer: src } },
        { binding: 2, resource: { buffer: dst } },
        { binding: 3, resource: { buffer: n } },
      ].filter((e) => first ? e.binding !== 1 : e.binding !== 0),
    }),
  );
  pass.dispatchWorkgroups(groups);
  pass.end();
  src = dst;
  count = groups;
  first = false;
}
const back = dev.createBuffer({
  size: 16,
  usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
});
enc.copyBufferToBuffer(src, 0, back, 0, 16);
dev.queue.submit([enc.finish()]);
await back.mapAsync(GPUMapMode.READ);
const [sum, min, max] = new Float32Array(back.getMappedRange());
console.log(`GPU: sum ${sum}, min ${min}, max ${max}`);

// the same window on the CPU, for comparison (sums differ in the last bits: another order)
const host = (await a.getitem(window)).data as Float32Array | Int32Array;
let cs = 0, cmin = Infinity, cmax = -Infinity;
for (const v of host) {
  cs += v;
  cmin = Math.min(cmin, v);
  cmax = Math.max(cmax, v);
}
console.log(`CPU: sum ${cs}, min ${cmin}, max ${cmax}`);
g.destroy();
