/**
 * `deno task bench:gpu`: on whatever WebGPU adapter exists (Mesa llvmpipe without a GPU):
 * - each WGSL stage alone on data already on the device (GB/s of output): byte unshuffle,
 *   bit unshuffle, the gather plain / transposed / byte-swapping / on 2-byte elements, the fill
 *   kernel and `clearBuffer`;
 * - end-to-end reads to the device vs CPU read then one upload, per chain;
 * - fills through `full()`;
 * - double-buffered vs serial batches (interleaved runs).
 * Writes the table to stdout; `--write` also writes bench/RESULTS-gpu.md.
 * @module
 */
import * as zarr from "../mod.ts";
import { cStrides } from "../src/buffer/ndarray.ts";
import { dispatchSize, gatherShader, KEEP } from "../gpu/kernels.ts";
import { gatherLayout } from "../gpu/layout.ts";
import { SHUFFLE_MODE, SLOT_WORDS, unshuffleShader } from "../gpu/unshuffle.ts";

const proto = await zarr.gpu.webgpu();
const dev = proto.device;
const info = (dev as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
const adapter = info?.description || info?.vendor || "unknown";
const backend = Deno.env.get("DENO_WEBGPU_BACKEND") ?? "default";
console.log(`adapter: ${adapter}, backend ${backend}`);

const STORAGE = 0x80;
const COPY_DST = 0x08;
const RUNS = 5;

async function sync() {
  await dev.queue.onSubmittedWorkDone();
}

/** Median ms of `RUNS` runs after one warm-up; each run ends when the device is idle. */
async function time(fn: () => Promise<unknown> | unknown, runs = RUNS): Promise<number> {
  await fn();
  await sync();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    await sync();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const rows: [string, string, string][] = [];
function row(name: string, ms: number, bytes: number) {
  rows.push([name, `${ms.toFixed(1)} ms`, `${(bytes / ms / 1e6).toFixed(3)} GB/s`]);
  console.log(`${name}: ${ms.toFixed(1)} ms, ${(bytes / ms / 1e6).toFixed(3)} GB/s`);
}

function buffer(bytes: number, data?: Uint8Array<ArrayBuffer>): GPUBuffer {
  const b = dev.createBuffer({ size: bytes, usage: STORAGE | COPY_DST | 0x04 });
  if (data) dev.queue.writeBuffer(b, 0, data);
  return b;
}

// ---- each stage alone, on device-resident data ----
const MB16 = 16 << 20;
const noise = new Uint8Array(MB16);
for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
const arena = buffer(MB16, noise);
const arena2 = buffer(MB16);

/** One unshuffle dispatch over a 16 MiB arena of 1 MiB chunks (typesize 4, 256 KiB blocks). */
async function unshuffleStage(mode: number) {
  const chunk = 1 << 20;
  const slots = new Uint32Array(16 * SLOT_WORDS);
  for (let s = 0; s < 16; s++) slots.set([mode, 4, 256 << 10], s * SLOT_WORDS);
  const table = proto.storage(slots);
  const n = MB16 / 4;
  const d = dispatchSize(n);
  const params = proto.uniform([chunk / 4, n, chunk, d.pitch]);
  const pipe = proto.pipeline("unshuffle", unshuffleShader);
  const ms = await time(() => {
    const enc = dev.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(
      0,
      dev.createBindGroup({
        layout: pipe.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: arena } },
          { binding: 1, resource: { buffer: arena2 } },
          { binding: 2, resource: { buffer: table } },
          { binding: 4, resource: { buffer: params } },
        ],
      }),
    );
    pass.dispatchWorkgroups(d.x, d.y);
    pass.end();
    dev.queue.submit([enc.finish()]);
  });
  row(`stage: ${mode === 1 ? "byte" : "bit"} unshuffle (typesize 4), 16 MiB`, ms, MB16);
}

/**
 * One gather over 16 MiB of output from a 16 MiB arena of 16 chunks (a 4x4 grid), elements of
 * `B` bytes swapped in units of `S`, with the chunks' axes `transposed` or not.
 */
async function gatherStage(name: string, B: number, S: number, transposed: boolean) {
  const side = Math.sqrt(MB16 / B);
  const cs = side / 4;
  const projs = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      projs.push({
        chunkCoords: [i, j],
        chunkSelection: [{ start: 0, step: 1, count: cs }, { start: 0, step: 1, count: cs }],
        outSelection: [{ start: i * cs, step: 1, count: cs }, {
          start: j * cs,
          step: 1,
          count: cs,
        }],
        isComplete: true,
      });
    }
  }
  const strides = transposed ? [1, cs] : cStrides([cs, cs]);
  const layout = gatherLayout(projs, [side, side], [cs, cs], strides, new Uint8Array(B));
  const ctab = new Uint32Array(layout.cells).fill(KEEP);
  projs.forEach((p, k) => (ctab[layout.cellOf(p.chunkCoords)] = k * cs * cs * B));
  const meta = proto.storage(layout.meta);
  const table = proto.storage(ctab);
  const out = proto.outBuffer(MB16);
  const pipe = proto.pipeline(`gather:${B}:${S}:0`, () => gatherShader(B, S, false));
  const ms = await time(() => {
    const enc = dev.createCommandEncoder();
    proto.encodeWindowed(
      enc,
      pipe,
      [
        { binding: 0, resource: { buffer: arena } },
        { binding: 2, resource: { buffer: meta } },
        { binding: 3, resource: { buffer: table } },
      ],
      out,
      0,
      MB16 / 4,
    );
    dev.queue.submit([enc.finish()]);
  });
  row(`stage: ${name}, 16 MiB`, ms, MB16);
  out.destroy();
}

await unshuffleStage(SHUFFLE_MODE.shuffle);
await unshuffleStage(SHUFFLE_MODE.bitshuffle);
await gatherStage("gather float32 (C order)", 4, 0, false);
await gatherStage("gather + transpose float32", 4, 0, true);
await gatherStage("gather + byte swap float64 (big-endian)", 8, 8, false);
await gatherStage("gather int16 (byte path)", 2, 0, false);
{
  const out = proto.outBuffer(MB16);
  const ms = await time(() => {
    const enc = dev.createCommandEncoder();
    proto.encodeFill(enc, out, MB16, new Uint8Array(new Float64Array([1.5]).buffer));
    dev.queue.submit([enc.finish()]);
  });
  row("stage: fill kernel float64, 16 MiB", ms, MB16);
  const mz = await time(() => {
    const enc = dev.createCommandEncoder();
    enc.clearBuffer(out);
    dev.queue.submit([enc.finish()]);
  });
  row("stage: clearBuffer, 16 MiB", mz, MB16);
  out.destroy();
}

// ---- end-to-end reads: to the device vs CPU read then one upload ----
const n = 2048;
const host = new Float32Array(n * n);
for (let i = 0; i < host.length; i++) host[i] = Math.round(Math.sin(i / 1000) * 1000) / 8;
const value = { data: host, shape: [n, n], stride: [n, 1], dtype: "float32" };
const bytes = n * n * 4;
const chains: [string, Record<string, unknown>][] = [
  ["zstd(1)", { compressors: [{ name: "zstd", configuration: { level: 1 } }] }],
  ["blosc lz4 shuffle", {
    compressors: [{ name: "blosc", configuration: { cname: "lz4", shuffle: "shuffle" } }],
  }],
  ["blosc lz4 bitshuffle", {
    compressors: [{ name: "blosc", configuration: { cname: "lz4", shuffle: "bitshuffle" } }],
  }],
  ["F order (transpose) + zstd(1)", {
    zarrFormat: 2,
    order: "F",
    compressor: { id: "zstd", level: 1 },
  }],
  ["big-endian, uncompressed", {
    serializer: { name: "bytes", configuration: { endian: "big" } },
    compressors: null,
  }],
];
for (const [name, opts] of chains) {
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [n, n],
    chunks: [256, 256],
    dtype: "float32",
    fillValue: 0,
    ...opts,
  } as zarr.CreateArrayOptions);
  await a.setitem(null, value);
  const plan = zarr.gpu.planRead(a).describe();
  // interleaved: device read, CPU read + upload, per run
  const g: number[] = [];
  const c: number[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    let t0 = performance.now();
    (await a.getitem(null, { prototype: proto })).destroy();
    await sync();
    if (r) g.push(performance.now() - t0);
    t0 = performance.now();
    proto.upload(await a.getitem(null)).destroy();
    await sync();
    if (r) c.push(performance.now() - t0);
  }
  const med = (x: number[]) => x.sort((p, q) => p - q)[Math.floor(x.length / 2)];
  row(`read 2048² f32 ${name} -> GPU (${plan})`, med(g), bytes);
  row(`read 2048² f32 ${name} -> CPU, then upload`, med(c), bytes);
}

// ---- fills through full() ----
for (const [dtype, v] of [["float64", 1.5], ["float64", 0], ["int16", -3]] as const) {
  const shape = [2048, 2048];
  const B = dtype === "int16" ? 2 : 8;
  const ms = await time(() => proto.full(shape, dtype, v).destroy());
  row(
    `full() 2048² ${dtype} ${v === 0 ? "zero (clearBuffer)" : "(fill kernel)"}`,
    ms,
    2048 * 2048 * B,
  );
}

// ---- double-buffered vs serial batches ----
{
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [n, n],
    chunks: [256, 256],
    dtype: "float32",
    ...chains[1][1],
  } as zarr.CreateArrayOptions);
  await a.setitem(null, value);
  const saved = proto.arenaBytes;
  proto.arenaBytes = 2 << 20; // 8 chunks of 256 KiB per batch: 8 batches
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    for (const db of [true, false]) {
      proto.doubleBuffer = db;
      const t0 = performance.now();
      (await a.getitem(null, { prototype: proto })).destroy();
      await sync();
      if (r) (db ? on : off).push(performance.now() - t0);
    }
  }
  proto.arenaBytes = saved;
  proto.doubleBuffer = true;
  const med = (x: number[]) => x.sort((p, q) => p - q)[Math.floor(x.length / 2)];
  const batches = proto.lastRead?.batches;
  row(`read 2048² f32 blosc shuffle, ${batches} batches, double-buffered`, med(on), bytes);
  row(`read 2048² f32 blosc shuffle, ${batches} batches, serial`, med(off), bytes);
}

const table = "| case | time | throughput |\n|---|---:|---:|\n" +
  rows.map((r) => `| ${r.join(" | ")} |`).join("\n");
console.log("\n" + table);
if (Deno.args.includes("--write")) {
  // one section per backend: a run replaces its own section and keeps the others
  const file = new URL("./RESULTS-gpu.md", import.meta.url);
  let old = "";
  try {
    old = await Deno.readTextFile(file);
  } catch { /* first run */ }
  const sections = new Map<string, string>();
  for (const part of old.split(/^## /m).slice(1)) {
    sections.set(part.slice(0, part.indexOf("\n")), "## " + part.trimEnd() + "\n");
  }
  const title = `backend ${backend}: ${adapter}`;
  sections.set(title, `## ${title}\n\n${table}\n`);
  const doc = `# GPU bench (\`deno task bench:gpu\`)

**Software adapter only.** No GPU was available to the session that produced these numbers: they
come from Mesa llvmpipe on a 2-core machine shared with other jobs, where the "GPU" is the same
CPU running compiled shaders. They show that every path works end to end and how the stages
compare with each other on that adapter; they say nothing about speed on a real GPU, which is
still to be measured (\`deno task bench:gpu -- --write\` on a machine with one adds its section).

Method: median of ${RUNS} runs after one warm-up; every run ends with
\`queue.onSubmittedWorkDone()\` (about 12 ms of latency in Deno, included). Stage rows dispatch one
stage on 16 MiB already on the device; read rows include fetch, CPU decompression, upload, the
stages and the wait, with device and CPU reads interleaved run by run. GB/s are of decoded output.

Reading the rows: on llvmpipe every shader runs on the same 2 cores as the CPU path, so the device
reads are slower than CPU read + upload, the per-byte kernels (bit unshuffle, the 2-byte gather)
slowest. The double-buffered row gains under Vulkan (Mesa runs the queue on its own threads while
the CPU decompresses the next batch) and not under GL (the submit runs on the calling thread).

${[...sections.values()].join("\n")}`;
  await Deno.writeTextFile(file, doc);
  console.log("wrote bench/RESULTS-gpu.md");
}
