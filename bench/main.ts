/**
 * `deno task bench`: every workload of the performance issue, side by side with zarrita.js (in
 * this process) and zarr-python 2.13 (a long-lived `/usr/bin/python3` peer), interleaved run by
 * run (2 warm-ups, then 7 runs each, medians). Prints a table and writes `bench/RESULTS.md`.
 *
 * Datasets are built once into `bench/.cache/` by this library (delete it to rebuild).
 * `deno task bench W1 W3` runs a subset (`W1o`: W1 into one reused `out`).
 * @module
 */
import { DATASETS, ensure, sourceValues } from "./datasets.ts";
import * as ours from "./peers/ours.ts";
import * as zarrita from "./peers/zarrita.ts";
import { PythonPeer } from "./peers/python.ts";
import { codecFloor, peakRss } from "./measure.ts";
import { config, emptyOutput, openArray as zarrOpenArray } from "../mod.ts";
import { startHttpServer, type TestHttpServer } from "../tests/stores/servers/http_server.ts";

const servers: TestHttpServer[] = [];

const WARMUPS = 2, RUNS = 7;
type Impl = "ours" | "zarrita" | "python";
const IMPLS: Impl[] = ["ours", "zarrita", "python"];

/** One implementation's part of a workload: a timed run (seconds), or why it cannot run. */
type Runner = (() => Promise<number>) | string;

interface Workload {
  id: string;
  title: string;
  /** Decoded megabytes per run. */
  mb: number;
  runners: Partial<Record<Impl, Runner>>;
  /** Native single-core decode MB/s of the codec, times the workers we use. */
  floor?: () => Promise<{ mbps: number; workers: number } | string>;
  /** Extra per-implementation notes (store requests...). */
  notes?: Partial<Record<Impl, () => string>>;
}

const timed = (fn: () => Promise<unknown>) => async () => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const wanted = Deno.args.map((a) => a.toUpperCase());
const py = await PythonPeer.start();
const pyReason = typeof py === "string" ? py : "";
const CACHE_DIR = new URL("./.cache/", import.meta.url).pathname;

async function dataset(name: string): Promise<string | { error: string }> {
  const r = await ensure(DATASETS[name]);
  return "path" in r ? r.path : r;
}

function pyRead(path: string, window?: [number, number][]): Runner {
  if (typeof py === "string") return py;
  return async () => Number((await py.request({ op: "read", path, window })).seconds);
}

async function readWorkload(
  id: string,
  title: string,
  name: string,
  format: 2 | 3,
  opts: { python?: boolean; window?: [number, number][]; floorCodec?: string } = {},
): Promise<Workload> {
  const ds = DATASETS[name];
  const path = await dataset(name);
  const n = opts.window
    ? opts.window.reduce((a, [s, e]) => a * (e - s), 1)
    : ds.shape.reduce((a, b) => a * b, 1);
  const mb = (n * 4) / 1e6;
  if (typeof path !== "string") {
    const why = `dataset not built: ${path.error}`;
    return { id, title, mb, runners: { ours: why, zarrita: why, python: why } };
  }
  const counts = { ours: { gets: 0 }, zarrita: { gets: 0 } };
  // count store requests only where they are reported (windows): a wrapped get keeps the
  // library from handing LocalStore files to the decode workers
  const a = await ours.openArray(path, opts.window ? counts.ours : undefined);
  let z: unknown;
  let zReason = "";
  try {
    z = await zarrita.openArray(path, format, counts.zarrita);
  } catch (e) {
    zReason = `zarrita cannot open it: ${(e as Error).message.split("\n")[0]}`;
  }
  const runners: Workload["runners"] = {
    ours: timed(() => ours.read(a, opts.window)),
    zarrita: zReason || timed(() => zarrita.read(z, opts.window)),
    python: opts.python ? pyRead(path, opts.window) : "zarr-python 2.13 reads v2 only",
  };
  const w: Workload = { id, title, mb, runners };
  if (opts.floorCodec && typeof py !== "string") {
    w.floor = () => codecFloor(py, opts.floorCodec!);
  }
  if (opts.window) {
    const per = (c: { gets: number }) => () => {
      const g = c.gets;
      c.gets = 0;
      return `${g} store requests per read`;
    };
    w.notes = { ours: per(counts.ours), zarrita: per(counts.zarrita) };
    // one untimed read each, so the counts describe exactly one read
    counts.ours.gets = counts.zarrita.gets = 0;
  }
  return w;
}

async function writeWorkloads(): Promise<Workload[]> {
  const shape = [4096, 4096];
  const values = await sourceValues(shape[0] * shape[1], shape[1]);
  const src = `${CACHE_DIR}src_${shape[0] * shape[1]}_${shape[1]}.f32`;
  const out = `${CACHE_DIR}w5_out`;
  const mb = values.byteLength / 1e6;
  const zstd = { id: "zstd", level: 1 };
  const blosc = { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 };
  const pyWrite = (compressor: Record<string, unknown>): Runner =>
    typeof py === "string" ? py : async () =>
      Number(
        (await py.request({
          op: "write",
          path: `${out}/python`,
          source: src,
          shape,
          chunks: [512, 512],
          compressor,
        })).seconds,
      );
  return [
    {
      id: "W5a",
      title: "full write zstd(1), 512² chunks (ours v2, zarrita v3, python v2)",
      mb,
      runners: {
        ours: timed(() =>
          ours.write(`${out}/ours`, values, shape, {
            chunks: [512, 512],
            dtype: "<f4",
            zarrFormat: 2,
            compressor: zstd,
          })
        ),
        zarrita: timed(() => zarrita.writeV3Zstd(`${out}/zarrita`, values, shape, [512, 512])),
        python: pyWrite(zstd),
      },
    },
    {
      id: "W5b",
      title: "full write blosc lz4 + shuffle (v2), 512² chunks",
      mb,
      runners: {
        ours: timed(() =>
          ours.write(`${out}/ours`, values, shape, {
            chunks: [512, 512],
            dtype: "<f4",
            zarrFormat: 2,
            compressor: blosc,
          })
        ),
        zarrita: "zarrita.js writes v3 only (no v2 blosc writer)",
        python: pyWrite(blosc),
      },
    },
  ];
}

/** W8h: the W8 window over HTTP (a local Deno.serve server with Range support). */
async function httpWindowWorkload(): Promise<Workload> {
  const id = "W8h", title = "100x100 window of a sharded 8192² array over HTTP";
  const window: [number, number][] = [[4000, 4100], [4000, 4100]];
  const mb = (100 * 100 * 4) / 1e6;
  const path = await dataset("w8_v3");
  if (typeof path !== "string") {
    const why = `dataset not built: ${path.error}`;
    return { id, title, mb, runners: { ours: why, zarrita: why, python: why } };
  }
  const data = new Map<string, Uint8Array>();
  for (const k of ["zarr.json", "c/1/1", "c/1/2", "c/2/1", "c/2/2"]) {
    data.set(`w8/${k}`, await Deno.readFile(`${path}/${k}`));
  }
  const server = startHttpServer(data);
  servers.push(server);
  const url = `${server.origin}/w8`;
  const a = await zarrOpenArray({ store: url, mode: "r" });
  const z = await zarrita.openUrl(url);
  const per = () => {
    const n = server.log.length;
    server.resetLog();
    return `${n} HTTP requests per read`;
  };
  return {
    id,
    title,
    mb,
    runners: {
      ours: timed(() => {
        server.resetLog();
        return ours.read(a, window);
      }),
      zarrita: timed(() => {
        server.resetLog();
        return zarrita.read(z, window);
      }),
      python: "zarr-python 2.13 reads v2 only",
    },
    notes: { ours: per, zarrita: per },
  };
}

/** W1 read into one reused shared output (`out`): no fresh pages to fault in per read. */
async function reusedOutWorkload(): Promise<Workload> {
  const w = await readWorkload(
    "W1o",
    "full read zstd(1) v3 into a reused `out`",
    "w1_v3",
    3,
    { floorCodec: "zstd" },
  );
  const path = await dataset("w1_v3");
  if (typeof path !== "string") return w;
  const a = await ours.openArray(path);
  const out = emptyOutput(a);
  w.runners.ours = timed(() => a.getitem(null, { out }));
  w.notes = {
    ...w.notes,
    ours: () => "one `zarr.emptyOutput` buffer (SharedArrayBuffer) reused by every run",
    zarrita: () => "allocates its output per read (zarrita.js has no `out`)",
  };
  return w;
}

async function build(): Promise<Workload[]> {
  const all: [string, () => Promise<Workload | Workload[]>][] = [
    ["W1", () => readWorkload("W1", "full read zstd(1) v3", "w1_v3", 3, { floorCodec: "zstd" })],
    ["W1O", reusedOutWorkload],
    [
      "W1",
      () =>
        readWorkload("W1v2", "full read zstd(1) v2", "w1_v2", 2, {
          python: true,
          floorCodec: "zstd",
        }),
    ],
    [
      "W2",
      () =>
        readWorkload("W2", "full read gzip(1) v2", "w2_v2", 2, {
          python: true,
          floorCodec: "gzip",
        }),
    ],
    [
      "W3",
      () =>
        readWorkload("W3", "full read blosc lz4 + shuffle v2", "w3_v2", 2, {
          python: true,
          floorCodec: "blosc",
        }),
    ],
    [
      "W4",
      () =>
        readWorkload("W4", "full read sharded zstd(1) (2048² shards, 256² inner)", "w4_v3", 3, {
          floorCodec: "zstd",
        }),
    ],
    ["W5", writeWorkloads],
    [
      "W6",
      () =>
        readWorkload("W6", "1-D 640k float32 in 10k chunks of 64, raw", "w6_v2", 2, {
          python: true,
        }),
    ],
    [
      "W7",
      () =>
        readWorkload("W7", "full read F-order zstd(1) v2", "w7_v2", 2, {
          python: true,
          floorCodec: "zstd",
        }),
    ],
    [
      "W8",
      () =>
        readWorkload("W8", "100x100 window of a sharded 8192² array on disk", "w8_v3", 3, {
          window: [[4000, 4100], [4000, 4100]],
        }),
    ],
    ["W8", httpWindowWorkload],
  ];
  const out: Workload[] = [];
  for (const [id, make] of all) {
    if (wanted.length && !wanted.includes(id)) continue;
    const w = await make();
    out.push(...(Array.isArray(w) ? w : [w]));
  }
  return out;
}

interface Row {
  w: Workload;
  medians: Partial<Record<Impl, number>>;
  reasons: Partial<Record<Impl, string>>;
  notes: Partial<Record<Impl, string>>;
  floor?: { mbps: number; workers: number } | string;
}

async function run(w: Workload): Promise<Row> {
  const times: Partial<Record<Impl, number[]>> = {};
  const reasons: Row["reasons"] = {};
  const notes: Row["notes"] = {};
  const live = IMPLS.filter((i) => {
    const r = w.runners[i];
    if (r === undefined) return false;
    if (typeof r === "string") {
      reasons[i] = r;
      return false;
    }
    times[i] = [];
    return true;
  });
  for (let k = 0; k < WARMUPS + RUNS; k++) {
    for (const i of live) {
      if (reasons[i]) continue;
      try {
        const s = await (w.runners[i] as () => Promise<number>)();
        if (k >= WARMUPS) times[i]!.push(s);
        if (k === 0 && w.notes?.[i]) notes[i] = w.notes[i]!();
      } catch (e) {
        reasons[i] = `failed: ${(e as Error).message.split("\n")[0].slice(0, 120)}`;
      }
    }
  }
  const medians: Row["medians"] = {};
  for (const i of live) if (!reasons[i]) medians[i] = median(times[i]!);
  const floor = w.floor ? await w.floor() : undefined;
  return { w, medians, reasons, notes, floor };
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(rows: Row[], rss: string[]): string {
  const lines = [
    "| workload | ours MB/s | zarrita.js MB/s | zarr-python 2.13 MB/s | ours / zarrita | ours / python | ours vs codec floor |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  const foot: string[] = [];
  for (const r of rows) {
    const mbps = (i: Impl) => r.medians[i] === undefined ? undefined : r.w.mb / r.medians[i]!;
    const cell = (i: Impl) => {
      const v = mbps(i);
      if (v !== undefined) return fmt(v);
      if (r.reasons[i]) {
        foot.push(`${r.w.id} ${i}: ${r.reasons[i]}`);
        return "n/a";
      }
      return "-";
    };
    const ratio = (i: Impl) => {
      const a = mbps("ours"), b = mbps(i);
      return a && b ? `${(a / b).toFixed(2)}x` : "-";
    };
    let floor = "-";
    if (typeof r.floor === "string") foot.push(`${r.w.id} floor: ${r.floor}`);
    else if (r.floor && mbps("ours")) {
      const f = r.floor.mbps * r.floor.workers;
      floor = `${((100 * mbps("ours")!) / f).toFixed(0)}% of ${fmt(f)} (${
        fmt(r.floor.mbps)
      } x ${r.floor.workers})`;
    }
    lines.push(
      `| ${r.w.id} ${r.w.title} | ${cell("ours")} | ${cell("zarrita")} | ${cell("python")} | ${
        ratio("zarrita")
      } | ${ratio("python")} | ${floor} |`,
    );
    for (const i of IMPLS) if (r.notes[i]) foot.push(`${r.w.id} ${i}: ${r.notes[i]}`);
  }
  return [...lines, "", ...rss, "", ...foot.map((f) => `- ${f}`)].join("\n");
}

const workloads = await build();
const rows: Row[] = [];
for (const w of workloads) {
  const r = await run(w);
  rows.push(r);
  console.error(`${w.id}: ${JSON.stringify(r.medians)} ${JSON.stringify(r.reasons)}`);
}
const rss = !wanted.length || wanted.includes("W9") ? await peakRss() : [];
if (typeof py !== "string") await py.close();
for (const s of servers) await s.close();

const cpu = (() => {
  try {
    const m = /model name\s*:\s*(.*)/.exec(Deno.readTextFileSync("/proc/cpuinfo"));
    return m ? m[1] : "unknown CPU";
  } catch {
    return "unknown CPU";
  }
})();
const header = [
  `Machine: ${cpu}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, ` +
  `zarrita.js 0.7.5, ${pyReason ? `zarr-python: ${pyReason}` : "zarr-python 2.13 (Debian)"}; ` +
  `async.concurrency ${config.get("async.concurrency")}.`,
  `Median of ${RUNS} runs after ${WARMUPS} warm-ups, implementations interleaved run by run; ` +
  `MB/s of decoded data (float32 4096x4096 = 67.1 MB unless said). Datasets on local disk (page cache warm).`,
  "",
];
const out = [...header, table(rows, rss)].join("\n");
console.log(out);
if (!wanted.length) {
  await Deno.writeTextFile(
    new URL("./RESULTS.md", import.meta.url),
    `# Benchmark results\n\nProduced by \`deno task bench\` (bench/main.ts).\n\n${out}\n`,
  );
}
