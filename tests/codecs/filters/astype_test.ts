import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { AsTypeCodec } from "../../../src/codecs/filters/astype.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { MetadataValidationError } from "../../../src/errors.ts";
import { checkVector, vectorsOf } from "./helpers.ts";

Deno.test("astype: numcodecs 0.11 vectors (float narrowing, NaN/inf/overflow to ints, int64 rounding, wrap)", async () => {
  const vs = vectorsOf("astype");
  assert.equal(vs.length, 19);
  for (const v of vs) await checkVector(v);
});

Deno.test("astype: v2 and v3 metadata forms", () => {
  const c = codecFromV2({ id: "astype", encode_dtype: "f4", decode_dtype: "<f8" }) as AsTypeCodec;
  assert.ok(c instanceof AsTypeCodec);
  assert.deepEqual(c.toV2JSON(), { id: "astype", encode_dtype: "<f4", decode_dtype: "<f8" });
  assert.deepEqual(c.toJSON(), {
    name: "numcodecs.astype",
    configuration: { encode_dtype: "f4", decode_dtype: "<f8" },
  });
  const evolved = codecFromMetadata(
    { name: "numcodecs.astype", configuration: { encode_dtype: "float16" } },
    "a",
    { dtype: parseDataType("float32") },
  );
  assert.deepEqual(evolved.toJSON().configuration, {
    encode_dtype: "float16",
    decode_dtype: "float32",
  });
  assert.equal(
    c.resolveSpec({ shape: [3], dtype: parseDataType("float64"), fillValue: 0 }).dtype.name,
    "float32",
  );
});

Deno.test("astype: bad configurations and mismatched data types", () => {
  for (
    const configuration of [
      {},
      { encode_dtype: 4 },
      { encode_dtype: "<f4", decode_dtype: "|O" },
      { encode_dtype: "<U3", decode_dtype: "<f8" },
      { encode_dtype: "<f4", other: 1 },
    ]
  ) {
    assert.throws(
      () => codecFromMetadata({ name: "numcodecs.astype", configuration }, "g/a"),
      (e) =>
        e instanceof MetadataValidationError && /numcodecs\.astype/.test(e.message) &&
        /g\/a/.test(e.message),
      JSON.stringify(configuration),
    );
  }
  assert.throws(
    () =>
      buildPipeline(
        [
          { name: "numcodecs.astype", configuration: { encode_dtype: "<f4", decode_dtype: "<f8" } },
          { name: "bytes", configuration: { endian: "little" } },
        ],
        "g/a",
        { dtype: parseDataType("int32"), shape: [2] },
      ),
    MetadataValidationError,
  );
});

Deno.test("astype: empty chunk and complex", async () => {
  const c = new AsTypeCodec({ encode_dtype: "<c8", decode_dtype: "<c16" });
  const s = {
    shape: [0],
    dtype: parseDataType("complex128"),
    fillValue: [0, 0] as [number, number],
  };
  assert.equal((await c.encode({ data: new Float64Array(0), shape: [0] }, s)).data.length, 0);
  const s2 = { ...s, shape: [1] };
  const enc = await c.encode({ data: Float64Array.of(0.1, -2), shape: [1] }, s2);
  assert.deepEqual(Array.from(enc.data as Float32Array), [Math.fround(0.1), -2]);
  assert.deepEqual(Array.from((await c.decode(enc, s2)).data as Float64Array), [
    Math.fround(0.1),
    -2,
  ]);
});
