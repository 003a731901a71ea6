import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { FixedScaleOffsetCodec } from "../../../src/codecs/filters/fixedscaleoffset.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { MetadataValidationError } from "../../../src/errors.ts";
import type { ArrayArrayCodec, ChunkSpec } from "../../../src/codecs/types.ts";
import { checkVector, vectorsOf } from "./helpers.ts";

const spec = (dtype: string, shape: number[]): ChunkSpec => ({
  shape,
  dtype: parseDataType(dtype),
  fillValue: 0,
});

Deno.test("fixedscaleoffset: numcodecs 0.11 vectors (rounding half to even, NaN/inf, wrap, int and float16 arithmetic)", async () => {
  const vs = vectorsOf("fixedscaleoffset");
  assert.equal(vs.length, 10);
  for (const v of vs) await checkVector(v);
});

Deno.test("fixedscaleoffset: v2 and v3 metadata forms", () => {
  const v2 = codecFromV2({
    id: "fixedscaleoffset",
    offset: 1000,
    scale: 10,
    dtype: "f8",
    astype: "u1",
  }) as FixedScaleOffsetCodec;
  assert.ok(v2 instanceof FixedScaleOffsetCodec);
  // numcodecs' get_config(): normalized dtype strings, astype always written
  assert.equal(
    JSON.stringify(v2.toV2JSON()),
    '{"id":"fixedscaleoffset","scale":10,"offset":1000,"dtype":"<f8","astype":"|u1"}',
  );
  assert.deepEqual(v2.toJSON(), {
    name: "numcodecs.fixedscaleoffset",
    configuration: { offset: 1000, scale: 10, dtype: "f8", astype: "u1" },
  });
  const noAstype = new FixedScaleOffsetCodec({ offset: 0, scale: 2, dtype: ">f4" });
  assert.deepEqual(noAstype.toV2JSON(), {
    id: "fixedscaleoffset",
    scale: 2,
    offset: 0,
    dtype: ">f4",
    astype: ">f4",
  });
  // v3: the configuration as given; a missing dtype is filled in from the array (zarr-python)
  const meta = {
    name: "numcodecs.fixedscaleoffset",
    configuration: { scale: 100, offset: -30, astype: "uint16" },
  };
  const evolved = codecFromMetadata(meta, "a", { dtype: parseDataType("float32") });
  assert.deepEqual(evolved.toJSON(), {
    name: "numcodecs.fixedscaleoffset",
    configuration: { scale: 100, offset: -30, astype: "uint16", dtype: "float32" },
  });
  assert.deepEqual(codecFromMetadata(meta).toJSON(), meta);
});

Deno.test("fixedscaleoffset: bad configurations raise MetadataValidationError naming codec and array", () => {
  const bad: Record<string, unknown>[] = [
    { offset: 0, scale: "x", dtype: "<f8" },
    { scale: 1, dtype: "<f8" },
    { offset: 0, scale: 1, dtype: "|O" },
    { offset: 0, scale: 1, dtype: "<f8", astype: "nope" },
    { offset: 0, scale: 1, dtype: "<f8", astype: "<c8" },
    { offset: 0, scale: 1, dtype: "<f8", extra: 1 },
  ];
  for (const configuration of bad) {
    assert.throws(
      () => codecFromMetadata({ name: "numcodecs.fixedscaleoffset", configuration }, "grp/arr"),
      (e) =>
        e instanceof MetadataValidationError && /fixedscaleoffset/.test(e.message) &&
        /grp\/arr/.test(e.message),
      JSON.stringify(configuration),
    );
  }
  // the array's type must be the codec's dtype
  assert.throws(
    () =>
      buildPipeline(
        [
          {
            name: "numcodecs.fixedscaleoffset",
            configuration: { offset: 0, scale: 1, dtype: "<f4" },
          },
          { name: "bytes", configuration: { endian: "little" } },
        ],
        "grp/arr",
        { dtype: parseDataType("float64"), shape: [4] },
      ),
    (e) =>
      e instanceof MetadataValidationError && /fixedscaleoffset/.test(e.message) &&
      /grp\/arr/.test(e.message),
  );
});

Deno.test("fixedscaleoffset: empty chunks, 2-d chunks and a full pipeline with zlib", async () => {
  const c = new FixedScaleOffsetCodec({ offset: 1, scale: 4, dtype: "<f8", astype: "<i2" });
  const empty = await c.encode({ data: new Float64Array(0), shape: [0] }, spec("float64", [0]));
  assert.ok(empty.data instanceof Int16Array && empty.data.length === 0);
  const back = await c.decode(empty, spec("float64", [0]));
  assert.ok(back.data instanceof Float64Array && back.data.length === 0);
  const dt = parseDataType("float64");
  const p = buildPipeline(
    [
      c.toJSON(),
      { name: "bytes", configuration: { endian: "big" } },
      { name: "numcodecs.zlib", configuration: { level: 1 } },
    ],
    "x",
    { dtype: dt, shape: [2, 3] },
  );
  const s = { shape: [2, 3], dtype: dt, fillValue: 0 };
  const x = Float64Array.of(1, 1.125, 1.375, -2, 0.5, 9);
  const dec = await p.decode(await p.encode({ data: x, shape: [2, 3] }, s), s);
  assert.deepEqual(Array.from(dec.data as Float64Array), [1, 1, 1.5, -2, 0.5, 9]);
  assert.deepEqual(dec.shape, [2, 3]);
});

Deno.test("fixedscaleoffset: int64 encodes in exact 64-bit arithmetic, decodes through float64 as numpy", async () => {
  const c = codecFromV2({
    id: "fixedscaleoffset",
    offset: 5,
    scale: 1,
    dtype: "<i8",
  }) as ArrayArrayCodec;
  const s = spec("int64", [2]);
  s.fillValue = 0n;
  const x = BigInt64Array.of(2n ** 62n + 7n, -(2n ** 63n) + 1n);
  const enc = await c.encode({ data: x, shape: [2] }, s);
  assert.deepEqual(Array.from(enc.data as BigInt64Array), [2n ** 62n + 2n, 2n ** 63n - 4n]);
  // (y / 1 + 5) is float64 in numpy: 2**62 + 7 is not representable; 2**63 - 4 + 5 overflows
  assert.deepEqual(Array.from((await c.decode(enc, s)).data as BigInt64Array), [
    2n ** 62n,
    -(2n ** 63n),
  ]);
});
