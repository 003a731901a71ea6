/**
 * The demo: writes a realistic dataset (a 3-D float32 temperature field with coordinates and
 * attributes) in Zarr v3 and v2 on disk, consolidates, reads windows back, copies v3 -> v2,
 * and prints the tree, `info()` and timings.
 *
 * Run: `deno task demo` (writes under examples/out/, removed first).
 * @module
 */
import * as zarr from "../mod.ts";

const out = new URL("./out/", import.meta.url).pathname;
await Deno.remove(out, { recursive: true }).catch(() => {});
await Deno.mkdir(out, { recursive: true });

const T = 48, Y = 256, X = 512;
const timings: [string, number, number][] = []; // label, ms, MB

async function timed<R>(label: string, mb: number, fn: () => Promise<R>): Promise<R> {
  const t0 = performance.now();
  const r = await fn();
  timings.push([label, performance.now() - t0, mb]);
  return r;
}

// a smooth field with noise: temperature(t, y, x) in kelvin
const field = new Float32Array(T * Y * X);
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
for (let t = 0; t < T; t++) {
  for (let y = 0; y < Y; y++) {
    const lat = (y / Y - 0.5) * Math.PI;
    for (let x = 0; x < X; x++) {
      const lon = (x / X) * 2 * Math.PI;
      field[(t * Y + y) * X + x] = 273.15 + 30 * Math.cos(lat) + 5 * Math.sin(lon + t / 8) +
        rnd() * 0.5;
    }
  }
}
const mb = field.byteLength / 1e6;
const data = zarr.ndarray(field, [T, Y, X]);

for (const fmt of [3, 2] as const) {
  const path = `${out}climate_v${fmt}.zarr`;
  const root = await zarr.group({
    store: path,
    zarrFormat: fmt,
    attributes: { title: "Synthetic climate field", institution: "zarr-deno demo", format: fmt },
  });
  const coords = await root.createGroup("coords");
  await coords.createArray("time", {
    data: new BigInt64Array(Array.from({ length: T }, (_, i) => BigInt(i * 3600))),
    attributes: { units: "seconds since 2026-01-01" },
  });
  await coords.createArray("lat", {
    data: Float64Array.from({ length: Y }, (_, i) => -90 + (180 * (i + 0.5)) / Y),
  });
  await coords.createArray("lon", {
    data: Float64Array.from({ length: X }, (_, i) => (360 * (i + 0.5)) / X),
  });
  const temp = await root.createArray("temperature", {
    shape: [T, Y, X],
    chunks: [8, 64, 128],
    dtype: "float32",
    fillValue: NaN,
    compressors: fmt === 3
      ? [{ name: "zstd", configuration: { level: 1, checksum: false } }]
      : { id: "zstd", level: 1 },
    attributes: { units: "K", long_name: "air temperature" },
    ...(fmt === 3 ? { dimensionNames: ["time", "lat", "lon"] } : {}),
  });
  await timed(`v${fmt} write ${T}x${Y}x${X} float32 (zstd 1)`, mb, () => temp.setitem(null, data));
  await zarr.consolidateMetadata(path);

  const g = await zarr.openConsolidated(path, { mode: "r" });
  const t = (await g.getitem("temperature")) as zarr.AsyncArray;
  const full = await timed(`v${fmt} full read`, mb, () => t.getitem(null));
  const same = (full.data as Float32Array).every((v, i) => v === field[i]);
  const window = await timed(
    `v${fmt} window [10, 100:132, 200:232]`,
    32 * 32 * 4 / 1e6,
    () => t.getitem("10, 100:132, 200:232"),
  );
  const strided = await timed(
    `v${fmt} strided [::-8, 0, ::64]`,
    0,
    () => t.getitem("::-8, 0, ::64"),
  );
  console.log(`\n=== Zarr v${fmt}: ${path}`);
  console.log((await g.tree()).toString());

  console.log(await t.infoComplete());
  console.log(`round trip exact: ${same}`);
  const w = window.data as Float32Array;
  console.log(
    `window shape [${window.shape}], mean ${
      (w.reduce((a, b) => a + b, 0) / w.length).toFixed(3)
    } K`,
  );
  console.log(
    `strided read shape [${strided.shape}], first values ${
      Array.from((strided.data as Float32Array).slice(0, 4), (v) => v.toFixed(2)).join(", ")
    }`,
  );
}

// copy the v3 dataset into a new v2 store (format conversion), then compare
const src = await zarr.openGroup(`${out}climate_v3.zarr`, { mode: "r" });
const dst = await zarr.group({ store: `${out}climate_converted_v2.zarr`, zarrFormat: 2 });
const counts = await timed("copyAll v3 -> v2", mb, () => zarr.copyAll(src, dst));
const back = await zarr.load(`${out}climate_converted_v2.zarr`, {
  path: "temperature",
}) as zarr.NDArray;
console.log(
  `\ncopyAll v3 -> v2: [copied, skipped, bytes] = [${counts}], equal after copy: ${
    (back.data as Float32Array).every((v, i) => v === field[i])
  }`,
);

console.log("\nTimings");
console.log("| operation | ms | MB/s |");
console.log("|---|---:|---:|");
for (const [label, ms, size] of timings) {
  console.log(`| ${label} | ${ms.toFixed(1)} | ${size ? (size / (ms / 1000)).toFixed(0) : "-"} |`);
}
