/**
 * `deno task bench`: throughput of this library's own read and write paths (float32 4096x4096,
 * 512x512 chunks, zstd level 1, in memory), median of 7 runs after 2 warm-ups.
 *
 * The side-by-side comparison with zarrita.js and zarr-python, the codec floor and peak RSS are
 * the subject of the performance issue; this file is the harness they will extend.
 * @module
 */
import * as zarr from "../mod.ts";

const N = 4096, C = 512;
const data = new Float32Array(N * N);
for (let i = 0; i < data.length; i++) data[i] = Math.sin(i / 977) * 100 + (i % 13) * 0.01;
const mb = data.byteLength / 1e6;

async function median(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[3];
}

const rows: [string, number][] = [];
for (const fmt of [3, 2] as const) {
  const a = await zarr.create([N, N], {
    chunks: [C, C],
    dtype: "float32",
    zarrFormat: fmt,
    ...(fmt === 3
      ? {
        codecs: [{ name: "bytes", configuration: { endian: "little" } }, {
          name: "zstd",
          configuration: { level: 1, checksum: false },
        }],
      }
      : { compressor: { id: "zstd", level: 1 } }),
  });
  const nd = zarr.ndarray(data, [N, N]);
  rows.push([`v${fmt} write zstd(1)`, await median(() => a.setitem(null, nd))]);
  rows.push([`v${fmt} read zstd(1)`, await median(() => a.getitem(null))]);
  rows.push([`v${fmt} read window 100x100`, await median(() => a.getitem("1000:1100, 2000:2100"))]);
}
console.log(
  `float32 ${N}x${N}, chunks ${C}x${C}, in memory; ${navigator.hardwareConcurrency} cores`,
);
console.log("| workload | median ms | MB/s |\n|---|---:|---:|");
for (const [name, ms] of rows) {
  const size = name.includes("window") ? 0.04 : mb;
  console.log(`| ${name} | ${ms.toFixed(1)} | ${(size / (ms / 1000)).toFixed(0)} |`);
}
