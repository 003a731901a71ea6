import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { type QuantizeCodec, quantizeScale } from "../../../src/codecs/filters/quantize.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { MetadataValidationError } from "../../../src/errors.ts";
import { checkVector, vectorsOf } from "./helpers.ts";

Deno.test("quantize: numcodecs 0.11 vectors (f8/f4/f2, float32 scale on float16, astype, NaN/inf/overflow)", async () => {
  const vs = vectorsOf("quantize");
  assert.equal(vs.length, 11);
  for (const v of vs) await checkVector(v);
});

Deno.test("quantize: the power-of-two scale matches numcodecs for digits -300..300", () => {
  // log2 of numcodecs' scale, from numcodecs 0.11 (math.log(10.**-digits, 10) ...)
  const expected: Record<number, number> = {
    [-300]: -996,
    [-20]: -66,
    [-3]: -9,
    [-2]: -6,
    [-1]: -3,
    0: 0,
    1: 4,
    2: 7,
    3: 10,
    4: 14,
    5: 17,
    6: 20,
    7: 24,
    8: 27,
    9: 30,
    15: 50,
    16: 54,
    19: 64,
    20: 67,
    300: 997,
  };
  for (const [d, bits] of Object.entries(expected)) {
    assert.equal(quantizeScale(Number(d)), 2 ** bits, `digits ${d}`);
  }
});

Deno.test("quantize: metadata forms and errors", async () => {
  const c = codecFromV2({ id: "quantize", digits: 2, dtype: "f4" }) as QuantizeCodec;
  assert.deepEqual(c.toV2JSON(), { id: "quantize", digits: 2, dtype: "<f4", astype: "<f4" });
  assert.deepEqual(c.toJSON(), {
    name: "numcodecs.quantize",
    configuration: { digits: 2, dtype: "f4" },
  });
  const evolved = codecFromMetadata(
    { name: "numcodecs.quantize", configuration: { digits: 1 } },
    "a",
    {
      dtype: parseDataType("float64"),
    },
  );
  assert.deepEqual(evolved.toJSON().configuration, { digits: 1, dtype: "float64" });
  for (
    const configuration of [
      { digits: 1.5, dtype: "<f8" },
      { dtype: "<f8" },
      { digits: 2, dtype: "<i4" },
      { digits: 2, dtype: "<f8", astype: "<i2" },
    ]
  ) {
    assert.throws(
      () => codecFromMetadata({ name: "numcodecs.quantize", configuration }, "g/q"),
      (e) =>
        e instanceof MetadataValidationError && /quantize/.test(e.message) &&
        /g\/q/.test(e.message),
    );
  }
  const s = { shape: [0], dtype: parseDataType("float32"), fillValue: 0 };
  assert.equal((await c.encode({ data: new Float32Array(0), shape: [0] }, s)).data.length, 0);
});
