/**
 * Interop: chunks written by zarr-python 2.13 / numcodecs 0.11 (v2) and zarr-python 3 (v3, via the
 * zarrita.js and zarrs fixture sets) decode through our codecs, and the v3 codec JSON we write back
 * is byte-identical to what zarr-python wrote.
 */
import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { buildPipeline } from "../../src/codecs/pipeline.ts";
import { codecFromV2 } from "../../src/codecs/registry.ts";
import { CodecPipeline } from "../../src/codecs/pipeline.ts";
import { BytesCodec } from "../../src/codecs/bytes.ts";
import { TransposeCodec } from "../../src/codecs/transpose.ts";
import type { Codec, V2CodecConfig } from "../../src/codecs/types.ts";
import {
  dataTypeFromV3JSON,
  defaultFillValue,
  parseDataType,
  parseNumpyDtype,
} from "../../src/metadata/dtype.ts";

const root = Deno.env.get("ZARR_FIXTURES") ??
  new URL("../../../shared/fixtures", import.meta.url).pathname;

function present(): boolean {
  try {
    Deno.statSync(`${root}/v2-zarr-python-2.13/manifest.json`);
    return true;
  } catch {
    if (Deno.env.get("CI") === "true") throw new Error(`fixtures missing at ${root}`);
    console.log(`skipping fixture interop tests: no fixtures at ${root}`);
    return false;
  }
}
const ignore = !present();

const v2 = `${root}/v2-zarr-python-2.13/data.zarr`;
// deno-lint-ignore no-explicit-any
type Json = any;
const manifest: Json = ignore
  ? {}
  : JSON.parse(Deno.readTextFileSync(`${root}/v2-zarr-python-2.13/manifest.json`)).arrays;

/** A pipeline for a v2 array as the metadata layer will normalize it. */
function v2Pipeline(zarray: Json): { p: CodecPipeline; dtype: ReturnType<typeof parseNumpyDtype> } {
  const filters: V2CodecConfig[] = zarray.filters ?? [];
  const vlen = filters.find((f) => f.id === "vlen-utf8" || f.id === "vlen-bytes");
  const parsed = zarray.dtype === "|O"
    ? { dtype: parseDataType(vlen?.id === "vlen-utf8" ? "string" : "bytes"), endian: null }
    : parseNumpyDtype(zarray.dtype);
  const codecs: Codec[] = [];
  if (zarray.order === "F") codecs.push(new TransposeCodec("F"));
  codecs.push(vlen ? codecFromV2(vlen) : new BytesCodec({ endian: parsed.endian ?? "little" }));
  if (zarray.compressor) codecs.push(codecFromV2(zarray.compressor));
  return { p: CodecPipeline.fromCodecs(codecs), dtype: parsed };
}

async function decodeV2(path: string, key: string) {
  const z = manifest[path].zarray;
  const { p, dtype } = v2Pipeline(z);
  const spec = { shape: z.chunks, dtype: dtype.dtype, fillValue: defaultFillValue(dtype.dtype) };
  const bytes = await Deno.readFile(`${v2}/${path}/${key}`);
  return (await p.decode(bytes, spec, key)).data;
}

/** Expected values of the chunk at (row-block, col-block) of a 2-D manifest array. */
function expectedBlock(path: string, bi: number, bj: number): unknown[] {
  const a = manifest[path];
  const [R, C] = a.shape;
  const [r, c] = a.zarray.chunks;
  const out: unknown[] = [];
  for (let i = bi * r; i < Math.min(R, (bi + 1) * r); i++) {
    for (let j = bj * c; j < Math.min(C, (bj + 1) * c); j++) out.push(a.values[i * C + j]);
  }
  return out;
}

/** The full-chunk container restricted to the in-bounds part of a 2-D edge chunk. */
function inBounds<T>(data: ArrayLike<T>, path: string, bi: number, bj: number, slots = 1): T[] {
  const a = manifest[path];
  const [R, C] = a.shape;
  const [r, c] = a.zarray.chunks;
  const out: T[] = [];
  for (let i = 0; i < r && bi * r + i < R; i++) {
    for (let j = 0; j < c && bj * c + j < C; j++) {
      for (let t = 0; t < slots; t++) out.push(data[(i * c + j) * slots + t]);
    }
  }
  return out;
}

Deno.test({
  name: "fixtures v2: zlib, gzip and zstd chunks decode to the uncompressed chunks",
  ignore,
  fn: async () => {
    const keys = [...Deno.readDirSync(`${v2}/compressors/none`)].map((e) => e.name).filter((n) =>
      !n.startsWith(".")
    ).sort();
    assert.ok(keys.length >= 4);
    for (const name of ["zlib_1", "zlib_9", "gzip_5", "zstd_1", "zstd_3", "zstd_19"]) {
      for (const key of keys) {
        const expected = await decodeV2("compressors/none", key);
        const got = await decodeV2(`compressors/${name}`, key);
        assert.deepEqual(got, expected, `${name} ${key}`);
      }
    }
  },
});

Deno.test({
  name: "fixtures v2: big-endian, complex, datetime and F-order chunks",
  ignore,
  fn: async () => {
    for (const bi of [0, 1]) {
      for (const bj of [0, 1, 2]) {
        const key = `${bi}.${bj}`;
        assert.deepEqual(
          inBounds(await decodeV2("dtypes/gt_i2", key) as Int16Array, "dtypes/gt_i2", bi, bj),
          expectedBlock("dtypes/gt_i2", bi, bj),
        );
        const u8 = inBounds(
          await decodeV2("dtypes/gt_u8", key) as BigUint64Array,
          "dtypes/gt_u8",
          bi,
          bj,
        );
        assert.deepEqual(u8.map(String), expectedBlock("dtypes/gt_u8", bi, bj));
        for (const c of ["dtypes/lt_c8", "dtypes/gt_c8"]) {
          const got = inBounds(await decodeV2(c, key) as Float32Array, c, bi, bj, 2);
          const want = (expectedBlock(c, bi, bj) as [number, number][]).flat();
          assert.deepEqual(got, want.map((x) => Math.fround(x)), `${c} ${key}`);
        }
      }
    }
    const dt = await decodeV2("dtypes/datetime64_ns", "0") as BigInt64Array;
    assert.deepEqual([...dt].map(String), manifest["dtypes/datetime64_ns"].values.slice(0, 16));
    for (const bi of [0, 1, 2]) {
      for (const bj of [0, 1, 2]) {
        const got = inBounds(
          await decodeV2("order/i4_2d_F", `${bi}.${bj}`) as Int32Array,
          "order/i4_2d_F",
          bi,
          bj,
        );
        assert.deepEqual(got, expectedBlock("order/i4_2d_F", bi, bj), `F ${bi}.${bj}`);
      }
    }
    const u6 = await decodeV2("order/U6_2d_F", "0.0") as string[];
    assert.deepEqual(inBounds(u6, "order/U6_2d_F", 0, 0), expectedBlock("order/U6_2d_F", 0, 0));
  },
});

Deno.test({
  name: "fixtures v2: fixed-length unicode (zlib) and vlen-utf8 / vlen-bytes chunks",
  ignore,
  fn: async () => {
    for (const bi of [0, 1, 2]) {
      for (const bj of [0, 1, 2]) {
        const got = await decodeV2("strings/fixed_unicode_U17", `${bi}.${bj}`) as string[];
        assert.deepEqual(
          inBounds(got, "strings/fixed_unicode_U17", bi, bj),
          expectedBlock("strings/fixed_unicode_U17", bi, bj),
        );
      }
    }
    const s = await decodeV2("strings/vlen_utf8_nocomp", "0.0");
    assert.deepEqual(s, manifest["strings/vlen_utf8_nocomp"].values);
    const want = (manifest["strings/vlen_bytes"].values as { base64: string }[]).map((v) =>
      Uint8Array.from(atob(v.base64), (ch) => ch.charCodeAt(0))
    );
    for (const k of [0, 1, 2]) {
      const got = await decodeV2("strings/vlen_bytes", String(k)) as Uint8Array[];
      assert.equal(got.length, 4);
      const n = Math.min(4, want.length - 4 * k);
      assert.deepEqual(got.slice(0, n), want.slice(4 * k, 4 * k + n), `chunk ${k}`);
    }
    const b = await decodeV2("strings/fixed_bytes_S12", "0.0") as Uint8Array[];
    const sb = expectedBlock("strings/fixed_bytes_S12", 0, 0) as string[];
    assert.deepEqual(
      inBounds(b, "strings/fixed_bytes_S12", 0, 0),
      sb.map((v) => Uint8Array.from(atob(v), (ch) => ch.charCodeAt(0))),
    );
  },
});

async function v3Array(dir: string) {
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/zarr.json`));
  const dtype = dataTypeFromV3JSON(meta.data_type);
  const chunkShape = meta.chunk_grid.configuration.chunk_shape;
  const p = buildPipeline(meta.codecs, dir, { dtype, shape: chunkShape });
  const spec = { shape: chunkShape, dtype, fillValue: defaultFillValue(dtype) };
  return { meta, p, spec };
}

Deno.test({
  name: "fixtures v3 (zarr-python 3): codec JSON round-trips byte-exactly and chunks decode",
  ignore,
  fn: async () => {
    const zr = `${root}/zarrita-js/v3/data.zarr`;
    const strings: Record<string, string[][]> = {
      "1d.contiguous.string.vlen": [["hello", "world", "zarr", "v3"]],
      "1d.string.unicode": [["hello", "世界", "🚀🎉", "Ñoño"]],
      "1d.chunked.string.vlen": [["a", "bb"], ["ccc", "dddd"]],
    };
    for (const [name, chunks] of Object.entries(strings)) {
      const { meta, p, spec } = await v3Array(`${zr}/${name}`);
      assert.equal(JSON.stringify(p.toJSON()), JSON.stringify(meta.codecs), name);
      for (let i = 0; i < chunks.length; i++) {
        const bytes = await Deno.readFile(`${zr}/${name}/c/${i}`);
        assert.deepEqual((await p.decode(bytes, spec, `c/${i}`)).data, chunks[i], name);
      }
    }
    const gz = await v3Array(`${zr}/1d.contiguous.gzip.i2`);
    assert.equal(JSON.stringify(gz.p.toJSON()), JSON.stringify(gz.meta.codecs));
    const gzData = await gz.p.decode(
      await Deno.readFile(`${zr}/1d.contiguous.gzip.i2/c/0`),
      gz.spec,
    );
    assert.deepEqual(gzData.data, new Int16Array([1, 2, 3, 4]));

    const zp = `${root}/zarrs/v3_zarr_python`;
    const none = await v3Array(`${zp}/array_none.zarr`);
    assert.equal(JSON.stringify(none.p.toJSON()), JSON.stringify(none.meta.codecs));
    for (const name of ["array_zlib", "array_gzip", "array_zstd"]) {
      const a = await v3Array(`${zp}/${name}.zarr`);
      assert.equal(JSON.stringify(a.p.toJSON()), JSON.stringify(a.meta.codecs), name);
      for (const key of ["c/0/0", "c/0/1", "c/1/0", "c/1/1"]) {
        const want = await none.p.decode(
          await Deno.readFile(`${zp}/array_none.zarr/${key}`),
          none.spec,
        );
        const got = await a.p.decode(await Deno.readFile(`${zp}/${name}.zarr/${key}`), a.spec, key);
        assert.deepEqual(got.data, want.data, `${name} ${key}`);
      }
    }
  },
});
