/**
 * Codec floors (native single-core decode speed, measured by numcodecs in the zarr-python peer
 * over the very chunk files a workload reads) and peak RSS of a 1 GiB read, one child process
 * per implementation.
 *
 * @module
 */
import { DATASETS, ensure } from "./datasets.ts";
import type { PythonPeer } from "./peers/python.ts";
import { decodeWorkers } from "../src/workers/pool.ts";

/** Workers our read path decodes with: the codec pool's size, or 1 (in-thread decode). */
export function ourWorkers(): number {
  return Math.max(1, decodeWorkers());
}

const FLOOR_DATASET: Record<string, { name: string; codec: Record<string, unknown> }> = {
  zstd: { name: "w1_v2", codec: { id: "zstd", level: 1 } },
  gzip: { name: "w2_v2", codec: { id: "gzip", level: 1 } },
  blosc: { name: "w3_v2", codec: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 } },
};

/** Native single-core decode MB/s of `codec` and the worker count it is multiplied by. */
export async function codecFloor(
  py: PythonPeer,
  codec: string,
): Promise<{ mbps: number; workers: number } | string> {
  const f = FLOOR_DATASET[codec];
  const ds = await ensure(DATASETS[f.name]);
  if (!("path" in ds)) return `floor dataset not built: ${ds.error}`;
  const files: string[] = [];
  for await (const e of Deno.readDir(ds.path)) {
    if (e.isFile && !e.name.startsWith(".")) files.push(`${ds.path}/${e.name}`);
  }
  try {
    const r = await py.request({ op: "floor", files, codec: f.codec });
    return { mbps: Number(r.bytes) / 1e6 / Number(r.seconds), workers: ourWorkers() };
  } catch (e) {
    return `floor failed: ${(e as Error).message}`;
  }
}

function vmHwmKb(): number {
  const m = /VmHWM:\s*(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) : NaN;
}

/** Child entry: `deno run -A bench/measure.ts rss <impl> <path>` prints peak RSS in kB. */
async function child(impl: string, path: string): Promise<void> {
  let n = 0;
  if (impl === "ours") {
    const ours = await import("./peers/ours.ts");
    n = await ours.read(await ours.openArray(path));
  } else {
    const z = await import("./peers/zarrita.ts");
    n = await z.read(await z.openArray(path, 3));
  }
  console.log(JSON.stringify({ maxrss_kb: vmHwmKb(), n: n * 4 }));
}

/** Peak RSS while reading a 1 GiB float32 array (W9), per implementation, as table lines. */
export async function peakRss(): Promise<string[]> {
  DATASETS.w9_v3 = {
    name: "w9_v3",
    shape: [16384, 16384],
    zarrFormat: 3,
    create: {
      chunks: [1024, 1024],
      dtype: "float32",
      codecs: [
        { name: "bytes", configuration: { endian: "little" } },
        { name: "zstd", configuration: { level: 1, checksum: false } },
      ],
    },
  };
  const ds = await ensure(DATASETS.w9_v3);
  if (!("path" in ds)) return [`W9 peak RSS: dataset not built: ${ds.error}`];
  const lines = [
    "| W9 peak RSS, full read of a 1 GiB float32 array (v3 zstd(1), 1024² chunks) | peak RSS | / output size |",
    "|---|---:|---:|",
  ];
  const me = new URL(import.meta.url).pathname;
  for (const impl of ["ours", "zarrita"]) {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--max-old-space-size=8192", me, "rss", impl, ds.path],
      stderr: "piped",
    }).output();
    if (!r.success) {
      lines.push(`| ${impl} | failed: ${new TextDecoder().decode(r.stderr).split("\n")[0]} | |`);
      continue;
    }
    const j = JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").pop()!);
    const mib = j.maxrss_kb / 1024;
    lines.push(`| ${impl} | ${mib.toFixed(0)} MiB | ${(j.maxrss_kb * 1024 / j.n).toFixed(2)}x |`);
  }
  return lines;
}

if (import.meta.main && Deno.args[0] === "rss") await child(Deno.args[1], Deno.args[2]);
