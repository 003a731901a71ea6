/**
 * The filter and checksum fixtures read exactly:
 * - `v2-zarr-python-2.13/data.zarr/filters/*` (zarr-python 2.13 + numcodecs 0.11): sha256 and
 *   values of the manifest, from the directory and from the zip; uncompressed chunks re-encode
 *   to the stored bytes;
 * - zarrs' `v3_zarr_python/array_{adler32,fletcher32}.zarr` (zarr-python 3.0.8 + numcodecs
 *   0.16.1): `arange(100)` float32 10x10 (zarrs' `v3_generate.py`), equal to `array_none.zarr`;
 *   chunks re-encode to the stored bytes (checksum first for adler32, last for fletcher32);
 * - zarrita.js' v2 arrays with shuffle / delta+shuffle / fixedscaleoffset / bitround (zarr-python
 *   2.18, values of zarrita's `generate-v2.py`).
 * Arrays whose compressor is not registered yet are listed and skipped.
 */
import assert from "node:assert/strict";
import * as zarr from "../../../mod.ts";
import { registeredCodecs } from "../../../src/codecs/registry.ts";
import { firstMismatch, FIXTURES, fixturesMissing, manifestSha256 } from "../../interop/helpers.ts";
import { hex } from "./helpers.ts";

const V2 = "v2-zarr-python-2.13";
const ZARRS = "zarrs/v3_zarr_python";
const ZARRITA = "zarrita-js/v2/data.zarr";
const SKIP = fixturesMissing("filter fixtures", [
  `${V2}/manifest.json`,
  `${V2}/data.zarr/filters`,
  `${ZARRS}/array_adler32.zarr/zarr.json`,
  `${ZARRS}/array_fletcher32.zarr/zarr.json`,
  `${ZARRITA}/1d.contiguous.shuffle.i2/.zarray`,
]);

interface Entry {
  zarray: {
    compressor: { id: string } | null;
    filters: { id: string }[];
    dtype: string;
    shape: number[];
  };
  sha256: string;
  values?: unknown[];
}

/** Whether the v3 name of a v2 compressor is registered (blosc / lz4 land separately). */
function compressorAvailable(c: { id: string } | null): boolean {
  if (c === null) return true;
  const name = c.id === "zstd" || c.id === "gzip" ? c.id : `numcodecs.${c.id}`;
  return registeredCodecs().includes(name);
}

Deno.test({
  name: "filter fixtures: zarr-python 2.13 filters/* read exactly (directory and zip)",
  ignore: SKIP,
  async fn() {
    const manifest = JSON.parse(await Deno.readTextFile(`${FIXTURES}/${V2}/manifest.json`)) as {
      arrays: Record<string, Entry>;
    };
    const paths = Object.keys(manifest.arrays).filter((p) => p.startsWith("filters/"));
    assert.equal(paths.length, 11);
    const local = new zarr.LocalStore(`${FIXTURES}/${V2}/data.zarr`, { readOnly: true });
    const zip = await zarr.ZipStore.open(`${FIXTURES}/${V2}/data.zarr.zip`, { mode: "r" });
    const skipped: string[] = [];
    let checked = 0;
    try {
      for (const path of paths) {
        const e = manifest.arrays[path];
        if (!compressorAvailable(e.zarray.compressor)) {
          skipped.push(`${path} (compressor ${e.zarray.compressor!.id} not registered)`);
          continue;
        }
        for (const store of [local, zip]) {
          const a = await zarr.openArray({ store, path, mode: "r", zarrFormat: 2 });
          const nd = await a.getitem(null) as zarr.NDArray;
          assert.deepEqual(nd.shape, e.zarray.shape, path);
          assert.equal(await manifestSha256(nd), e.sha256, `${path}: sha256`);
          if (e.values) assert.equal(firstMismatch(nd, e.values), null, `${path}: values`);
          // the v2 document is kept exactly
          assert.deepEqual(a.metadata.v2?.filters, e.zarray.filters, `${path}: filters`);
          checked++;
        }
      }
    } finally {
      await zip.close();
    }
    if (skipped.length) console.log(`filter fixtures not checked: ${skipped.join(", ")}`);
    assert.ok(checked >= 20, `checked ${checked}`);
  },
});

Deno.test({
  name: "filter fixtures: uncompressed zarr-python 2.13 chunks re-encode to the stored bytes",
  ignore: SKIP,
  async fn() {
    const store = new zarr.LocalStore(`${FIXTURES}/${V2}/data.zarr`, { readOnly: true });
    for (
      const [path, keys] of [["filters/packbits_bool", ["0.0", "3.2"]], [
        "filters/categorize_object",
        ["0", "2"],
      ]] as const
    ) {
      const a = await zarr.openArray({ store, path, mode: "r", zarrFormat: 2 });
      const spec = {
        shape: a.metadata.chunkShape,
        dtype: a.dataType,
        fillValue: a.metadata.fillValue ?? "",
      };
      for (const key of keys) {
        const stored = (await store.get(`${path}/${key}`))!;
        const chunk = await a.pipeline.decode(stored, spec, key);
        assert.equal(hex(await a.pipeline.encode(chunk, spec, key)), hex(stored), `${path}/${key}`);
      }
    }
  },
});

Deno.test({
  name: "filter fixtures: zarrs / zarr-python 3 numcodecs.adler32 and numcodecs.fletcher32 arrays",
  ignore: SKIP,
  async fn() {
    const none = await zarr.openArray({ store: `${FIXTURES}/${ZARRS}/array_none.zarr`, mode: "r" });
    const ref = await none.getitem(null) as zarr.NDArray;
    assert.deepEqual(
      Array.from(ref.data as Float32Array),
      Array.from({ length: 100 }, (_, i) => i),
    );
    for (const [name, at] of [["adler32", "start"], ["fletcher32", "end"]] as const) {
      const dir = `${FIXTURES}/${ZARRS}/array_${name}.zarr`;
      const a = await zarr.openArray({ store: dir, mode: "r" });
      assert.deepEqual(a.metadata.codecs[1], { name: `numcodecs.${name}`, configuration: {} });
      assert.deepEqual(a.pipeline.toJSON()[1], { name: `numcodecs.${name}`, configuration: {} });
      assert.deepEqual(a.attrs, { key: "value" });
      const nd = await a.getitem(null) as zarr.NDArray;
      assert.deepEqual(nd.shape, [10, 10]);
      assert.deepEqual(
        Array.from(nd.data as Float32Array),
        Array.from(ref.data as Float32Array),
        name,
      );
      const window = await a.getitem("3:7, 4:6") as zarr.NDArray;
      assert.deepEqual(Array.from(window.data as Float32Array), [34, 35, 44, 45, 54, 55, 64, 65]);
      // re-encoding a chunk gives the stored bytes: the checksum sits where numcodecs put it
      const store = new zarr.LocalStore(dir, { readOnly: true });
      const spec = { shape: [5, 5], dtype: a.dataType, fillValue: 0 };
      for (const key of ["c/0/0", "c/1/1"]) {
        const stored = (await store.get(key))!;
        assert.equal(stored.length, 104);
        const chunk = await a.pipeline.decode(stored, spec, key);
        assert.equal(hex(await a.pipeline.encode(chunk, spec, key)), hex(stored), `${name} ${key}`);
        const raw = (await (await zarr.openArray({
          store: `${FIXTURES}/${ZARRS}/array_none.zarr`,
          mode: "r",
        })).store.get(key))!;
        assert.equal(hex(at === "start" ? stored.subarray(4) : stored.subarray(0, 100)), hex(raw));
      }
      // a corrupted chunk raises CodecError naming the codec
      const mem = new zarr.MemoryStore();
      for await (const k of store.list()) mem.set(k, (await store.get(k))!);
      const bad = (await mem.get("c/0/1"))!.slice();
      bad[50] ^= 0x40;
      await mem.set("c/0/1", bad);
      const b = await zarr.openArray({ store: mem, mode: "r" });
      await assert.rejects(
        () => b.getitem("0:5, 5:10"),
        (e) => e instanceof zarr.CodecError && e.message.includes(`numcodecs.${name}`),
      );
    }
  },
});

Deno.test({
  name:
    "filter fixtures: zarrita.js v2 shuffle, delta+shuffle, fixedscaleoffset and bitround arrays",
  ignore: SKIP,
  async fn() {
    const root = `${FIXTURES}/${ZARRITA}`;
    const f4 = (values: number[]) => Array.from(Float32Array.from(values));
    // numcodecs BitRound(3) of float32 1.1, 2.2, 3.3, 4.4 (keep 3 mantissa bits, half to even)
    const expect: Record<string, number[]> = {
      "1d.contiguous.shuffle.i2": [1, 2, 3, 4],
      "1d.contiguous.delta.shuffle.i2": [10, 20, 30, 40],
      "1d.contiguous.fixedscaleoffset.f4": f4([1000, 1000.1, 1000.2, 1000.3]),
      "1d.contiguous.bitround.f4": [1.125, 2.25, 3.25, 4.5],
    };
    for (const [path, values] of Object.entries(expect)) {
      const a = await zarr.openArray({ store: root, path, mode: "r", zarrFormat: 2 });
      const nd = await a.getitem(null) as zarr.NDArray;
      assert.deepEqual(Array.from(nd.data as ArrayLike<number>), values, path);
    }
  },
});

Deno.test({
  name:
    "filter fixtures: writing the zarrs arange arrays with numcodecs.adler32 / fletcher32 gives the same chunks and codecs",
  ignore: SKIP,
  async fn() {
    for (const name of ["adler32", "fletcher32"]) {
      const dir = `${FIXTURES}/${ZARRS}/array_${name}.zarr`;
      const doc = JSON.parse(await Deno.readTextFile(`${dir}/zarr.json`));
      const store = new zarr.MemoryStore();
      const a = await zarr.createArray(store, {
        shape: [10, 10],
        chunks: [5, 5],
        dtype: "float32",
        compressors: [{ name: `numcodecs.${name}` }],
        fillValue: 0,
        attributes: { key: "value" },
      });
      await a.setitem(
        null,
        zarr.ndarray(Float32Array.from({ length: 100 }, (_, i) => i), [10, 10]),
      );
      const ours = JSON.parse(new TextDecoder().decode((await store.get("zarr.json"))!));
      assert.deepEqual(ours.codecs, doc.codecs, name);
      const fixture = new zarr.LocalStore(dir, { readOnly: true });
      for (const key of ["c/0/0", "c/0/1", "c/1/0", "c/1/1"]) {
        assert.equal(
          hex((await store.get(key))!),
          hex((await fixture.get(key))!),
          `${name} ${key}`,
        );
      }
    }
  },
});
