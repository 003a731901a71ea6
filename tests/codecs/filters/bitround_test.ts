import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import type { BitRoundCodec } from "../../../src/codecs/filters/bitround.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { CodecError, MetadataValidationError } from "../../../src/errors.ts";
import { checkVector, vectorsOf } from "./helpers.ts";

Deno.test("bitround: numcodecs 0.11 vectors (f2/f4/f8, every keepbits edge, NaN/inf/max wrapping)", async () => {
  const vs = vectorsOf("bitround");
  assert.equal(vs.length, 17);
  for (const v of vs) await checkVector(v);
});

Deno.test("bitround: metadata forms, bad keepbits, errors on encode", async () => {
  const c = codecFromV2({ id: "bitround", keepbits: 8 }) as BitRoundCodec;
  assert.deepEqual(c.toV2JSON(), { id: "bitround", keepbits: 8 });
  assert.deepEqual(c.toJSON(), { name: "numcodecs.bitround", configuration: { keepbits: 8 } });
  for (const keepbits of [-1, 1.5, "3", undefined]) {
    assert.throws(
      () => codecFromMetadata({ name: "numcodecs.bitround", configuration: { keepbits } }, "b/r"),
      (e) =>
        e instanceof MetadataValidationError && /bitround/.test(e.message) &&
        /b\/r/.test(e.message),
    );
  }
  // keepbits above the mantissa: numcodecs raises on encode; decoding stays the identity
  const dt = parseDataType("float16");
  const p = buildPipeline(
    [
      { name: "numcodecs.bitround", configuration: { keepbits: 11 } },
      { name: "bytes", configuration: { endian: "little" } },
    ],
    "b/r",
    { dtype: dt, shape: [2] },
  );
  const s = { shape: [2], dtype: dt, fillValue: 0 };
  await assert.rejects(
    () => p.encode({ data: Float16Array.of(1, 2), shape: [2] }, s),
    (e) => e instanceof CodecError && /keepbits/.test(e.message) && /b\/r/.test(e.message),
  );
  const dec = await p.decode(Uint8Array.of(0, 60, 0, 64), s);
  assert.deepEqual(Array.from(dec.data as Float16Array), [1, 2]);
  // integer data cannot be bit-rounded
  const pi = buildPipeline(
    [
      { name: "numcodecs.bitround", configuration: { keepbits: 3 } },
      { name: "bytes", configuration: { endian: "little" } },
    ],
    "b/i",
    { dtype: parseDataType("int32"), shape: [1] },
  );
  await assert.rejects(
    () =>
      pi.encode({ data: Int32Array.of(7), shape: [1] }, {
        shape: [1],
        dtype: parseDataType("int32"),
        fillValue: 0,
      }),
    CodecError,
  );
  const e = await c.encode({ data: new Float32Array(0), shape: [0] }, {
    shape: [0],
    dtype: parseDataType("float32"),
    fillValue: 0,
  });
  assert.equal(e.data.length, 0);
});
