/**
 * Live interop of the blosc and lz4 codecs with real c-blosc / LZ4 through Debian's numcodecs
 * 0.11 (`/usr/bin/python3`), both directions: buffers we encode decode in numcodecs to the same
 * bytes, and buffers numcodecs encodes decode here to the same bytes, for every blosc cname x
 * shuffle x typesize (1, 2, 3, 4, 8, 16), several sizes, levels and forced block sizes; numcodecs
 * LZ4 at several accelerations; and a v2 array written through a group (zarr-python's Blosc
 * default) read by zarr 2.13. One python process per test, exchanging files in a temp dir.
 * Skips when numcodecs is missing (fails under CI=true).
 */
import "../../src/codecs/builtins.ts";
import { PYTHON, pythonAvailable } from "../python.ts";
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { bloscCompress, bloscDecompress, readBloscHeader } from "../../src/codecs/blosc/mod.ts";
import type { BloscCname } from "../../src/codecs/blosc/mod.ts";
import { LZ4Codec } from "../../src/codecs/lz4.ts";

const PY = PYTHON;

const ignore = !pythonAvailable(
  "blosc live interop",
  "import numcodecs, zarr; from numcodecs import blosc",
);

const CNAMES: BloscCname[] = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];

/** A smooth float32 field plus noise, as bytes. */
function field(nbytes: number, seed: number): Uint8Array {
  const f = new Float32Array(Math.ceil(nbytes / 4));
  let s = seed;
  for (let i = 0; i < f.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    f[i] = Math.sin(i / 60) * Math.cos(i / 1000) * 50 + (s / 2 ** 32) * 0.001;
  }
  return new Uint8Array(f.buffer, 0, nbytes).slice();
}

/** Pseudo-random bytes (incompressible for every inner compressor). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

async function runPython(script: string, dir: string): Promise<Record<string, unknown>> {
  const r = await new Deno.Command(PY, { args: ["-c", script, dir] }).output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout));
}

interface BloscCase {
  /** Data: a noisy smooth field, all zeros (long matches) or random bytes (incompressible). */
  kind: "field" | "zeros" | "noise";
  cname: BloscCname;
  clevel: number;
  shuffle: 0 | 1 | 2;
  typesize: number;
  n: number;
  blocksize: number;
}

const BLOSC_SCRIPT = `
import json, sys
import numpy as np
from numcodecs import blosc
d = sys.argv[1]
cases = json.load(open(d + "/cases.json"))
out = {}
for i, c in enumerate(cases):
    raw = open(f"{d}/raw{i}", "rb").read()
    ours = open(f"{d}/ours{i}", "rb").read()
    try:
        ok = bytes(blosc.decompress(ours)) == raw
    except Exception as e:
        ok = repr(e)
    ts = c["typesize"]
    m = len(raw) // ts * ts
    arr = np.frombuffer(raw[:m], dtype="V%d" % ts)
    theirs = blosc.compress(arr, c["cname"].encode(), c["clevel"], c["shuffle"], c["blocksize"])
    open(f"{d}/theirs{i}", "wb").write(theirs)
    out[i] = ok
print(json.dumps(out))
`;

Deno.test({
  name: "blosc live: every cname x shuffle x typesize round-trips with c-blosc both ways",
  ignore,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-blosc-" });
    try {
      const cases: BloscCase[] = [];
      for (const cname of CNAMES) {
        for (const shuffle of [0, 1, 2] as const) {
          for (const typesize of [1, 2, 3, 4, 8, 16]) {
            for (const n of [4000, 300_003]) {
              cases.push({ kind: "field", cname, clevel: 5, shuffle, typesize, n, blocksize: 0 });
            }
          }
          // levels, forced block sizes, tiny (memcpyed) buffers
          const more = { cname, shuffle, kind: "field" as const, blocksize: 0 };
          for (const clevel of [1, 9]) cases.push({ ...more, clevel, typesize: 4, n: 200_000 });
          cases.push({ ...more, clevel: 5, typesize: 8, n: 100_000, blocksize: 4096 });
          cases.push({ ...more, clevel: 3, typesize: 2, n: 100_001, blocksize: 10_000 });
          cases.push({ ...more, clevel: 5, typesize: 4, n: 100 });
          cases.push({ ...more, kind: "zeros", clevel: 5, typesize: 4, n: 1_000_000 });
          cases.push({ ...more, kind: "noise", clevel: 5, typesize: 2, n: 100_000 });
        }
      }
      const raws: Uint8Array[] = [];
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i];
        const raw = c.kind === "zeros"
          ? new Uint8Array(c.n)
          : c.kind === "noise"
          ? noise(c.n, i + 1)
          : field(c.n, i + 1);
        raws.push(raw);
        const ours = bloscCompress(raw, c);
        assert.equal(readBloscHeader(ours).typesize, c.typesize);
        await Deno.writeFile(`${dir}/raw${i}`, raw);
        await Deno.writeFile(`${dir}/ours${i}`, ours);
      }
      await Deno.writeTextFile(`${dir}/cases.json`, JSON.stringify(cases));
      const verdict = await runPython(BLOSC_SCRIPT, dir);
      const rows: string[] = [];
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i];
        const what = `${c.kind} ${c.cname} shuffle=${c.shuffle} typesize=${c.typesize} n=${c.n} ` +
          `clevel=${c.clevel} blocksize=${c.blocksize}`;
        assert.equal(verdict[i], true, `c-blosc could not read our ${what}: ${verdict[i]}`);
        const theirs = await Deno.readFile(`${dir}/theirs${i}`);
        const m = Math.floor(c.n / c.typesize) * c.typesize;
        assert.deepEqual(bloscDecompress(theirs), raws[i].subarray(0, m), `their ${what}`);
        rows.push(what);
      }
      console.log(`blosc live: ${rows.length} cases ok in both directions`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const LZ4_SCRIPT = `
import json, sys
from numcodecs import LZ4
d = sys.argv[1]
cases = json.load(open(d + "/cases.json"))
out = {}
for i, c in enumerate(cases):
    codec = LZ4(acceleration=c["acceleration"])
    raw = open(f"{d}/raw{i}", "rb").read()
    ours = open(f"{d}/ours{i}", "rb").read()
    try:
        ok = bytes(codec.decode(ours)) == raw
    except Exception as e:
        ok = repr(e)
    open(f"{d}/theirs{i}", "wb").write(codec.encode(raw))
    out[i] = ok
print(json.dumps(out))
`;

Deno.test({
  name: "lz4 live: numcodecs LZ4 reads our buffers and we read its buffers",
  ignore,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-lz4-" });
    try {
      const cases: { acceleration: number; n: number }[] = [];
      for (const acceleration of [1, 3, 10]) {
        for (const n of [1, 13, 1000, 70_000, 1_000_001]) cases.push({ acceleration, n });
      }
      const raws: Uint8Array[] = [];
      for (let i = 0; i < cases.length; i++) {
        const raw = field(cases[i].n, i + 11);
        raws.push(raw);
        await Deno.writeFile(`${dir}/raw${i}`, raw);
        await Deno.writeFile(`${dir}/ours${i}`, new LZ4Codec(cases[i].acceleration).encode(raw));
      }
      await Deno.writeTextFile(`${dir}/cases.json`, JSON.stringify(cases));
      const verdict = await runPython(LZ4_SCRIPT, dir);
      for (let i = 0; i < cases.length; i++) {
        const what = JSON.stringify(cases[i]);
        assert.equal(verdict[i], true, `numcodecs could not read our lz4 ${what}: ${verdict[i]}`);
        const theirs = await Deno.readFile(`${dir}/theirs${i}`);
        assert.deepEqual(new LZ4Codec().decode(theirs), raws[i], `their lz4 ${what}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const ARRAY_SCRIPT = `
import json, sys
import numpy as np
import zarr
from numcodecs import Blosc
d = sys.argv[1]
out = {}
g = zarr.open_group(d + "/ours", mode="r")
for name, dtype in (("f8", "<f8"), ("i2", "<i2"), ("u1", "|u1")):
    a = g[name]
    want = np.fromfile(f"{d}/{name}.bin", dtype=dtype)
    out[name] = [a.compressor.get_config(), bool(np.array_equal(a[:], want))]
root = zarr.open_group(d + "/theirs", mode="w")
x = np.arange(5000, dtype="<i4") * 7
root.create_dataset("snappy_bit", data=x, chunks=(1200,),
                    compressor=Blosc(cname="snappy", clevel=5, shuffle=Blosc.BITSHUFFLE))
root.create_dataset("zstd_auto", data=x.astype("<f8") / 3, chunks=(700,),
                    compressor=Blosc(cname="zstd", clevel=7, shuffle=Blosc.AUTOSHUFFLE))
print(json.dumps(out))
`;

Deno.test({
  name:
    "blosc live: zarr 2.13 reads group-created v2 arrays (Blosc default), we read its Blosc arrays",
  ignore,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-blosc-arr-" });
    try {
      const store = new zarr.LocalStore(`${dir}/ours`);
      const g = await zarr.group({ store, zarrFormat: 2 });
      const n = 3000;
      const values = {
        f8: new Float64Array(n).map((_, i) => Math.sin(i / 30) * 1e3),
        i2: new Int16Array(n).map((_, i) => (i * 37) % 2000 - 1000),
        u1: new Uint8Array(n).map((_, i) => (i >> 3) & 0xff),
      };
      const dtypes = { f8: "float64", i2: "int16", u1: "uint8" } as const;
      for (const [name, data] of Object.entries(values)) {
        const a = await g.createArray(name, {
          shape: [n],
          dtype: dtypes[name as keyof typeof dtypes],
          chunks: [1000],
        });
        await a.setitem(undefined, data);
        await Deno.writeFile(`${dir}/${name}.bin`, new Uint8Array(data.buffer));
      }
      const verdict = await runPython(ARRAY_SCRIPT, dir) as Record<string, [unknown, boolean]>;
      for (const name of Object.keys(values)) {
        assert.deepEqual(verdict[name][0], {
          id: "blosc",
          cname: "lz4",
          clevel: 5,
          shuffle: 1,
          blocksize: 0,
        });
        assert.equal(verdict[name][1], true, `zarr 2.13 read ${name}`);
      }
      // chunks carry the real element size
      const chunk = await store.get("f8/0");
      assert.ok(chunk);
      assert.equal(readBloscHeader(chunk!).typesize, 8);
      const theirs = new zarr.LocalStore(`${dir}/theirs`, { readOnly: true });
      const x = new Int32Array(5000).map((_, i) => i * 7);
      const a = await zarr.openArray({ store: theirs, path: "snappy_bit", mode: "r" });
      assert.deepEqual((await a.getitem()).data, x);
      const b = await zarr.openArray({ store: theirs, path: "zstd_auto", mode: "r" });
      assert.deepEqual((await b.getitem()).data, Float64Array.from(x, (v) => v / 3));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
