import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { PackBitsCodec } from "../../../src/codecs/filters/packbits.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { CodecError, MetadataValidationError } from "../../../src/errors.ts";
import { checkVector, vectorsOf } from "./helpers.ts";

const BOOL = parseDataType("bool");

Deno.test("packbits: numcodecs 0.11 vectors for n = 0, 1, 7, 8, 9, 17", async () => {
  const vs = vectorsOf("packbits");
  assert.equal(vs.length, 6);
  for (const v of vs) await checkVector(v);
});

Deno.test("packbits: the encoded side is 1-d uint8 of 1 + ceil(n/8); forms; bool only", () => {
  const c = codecFromV2({ id: "packbits" }) as PackBitsCodec;
  assert.deepEqual(c.toV2JSON(), { id: "packbits" });
  assert.deepEqual(c.toJSON(), { name: "numcodecs.packbits", configuration: {} });
  const r = c.resolveSpec({ shape: [3, 7], dtype: BOOL, fillValue: false });
  assert.deepEqual(r.shape, [1 + 3]);
  assert.equal(r.dtype.name, "uint8");
  assert.throws(
    () => codecFromMetadata({ name: "numcodecs.packbits", configuration: { x: 1 } }, "p/b"),
    (e) =>
      e instanceof MetadataValidationError && /packbits/.test(e.message) && /p\/b/.test(e.message),
  );
  assert.throws(
    () =>
      buildPipeline([{ name: "numcodecs.packbits" }, { name: "bytes" }], "p/b", {
        dtype: parseDataType("uint8"),
        shape: [8],
      }),
    (e) => e instanceof MetadataValidationError && /bool/.test(e.message),
  );
});

Deno.test("packbits: a 2-d chunk through the pipeline; corrupt padding or length raises CodecError", async () => {
  const p = buildPipeline([{ name: "numcodecs.packbits" }, { name: "bytes" }], "p/b", {
    dtype: BOOL,
    shape: [3, 5],
  });
  const s = { shape: [3, 5], dtype: BOOL, fillValue: false };
  const x = Uint8Array.from({ length: 15 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const bytes = await p.encode({ data: x, shape: [3, 5] }, s);
  assert.deepEqual(Array.from(bytes), [1, 0b10010010, 0b01001000]);
  assert.deepEqual((await p.decode(bytes, s)).data, x);
  const c = new PackBitsCodec();
  const d = (b: number[], n: number) =>
    c.decode({ data: Uint8Array.from(b), shape: [b.length] }, {
      shape: [n],
      dtype: BOOL,
      fillValue: false,
    });
  assert.throws(() => d([9, 0], 0), /padding/);
  assert.throws(() => d([0, 255], 7), /8 bits, expected 7/);
  assert.throws(() => d([], 0), CodecError);
  await assert.rejects(() => p.decode(Uint8Array.of(1, 0, 0, 0), s), CodecError);
});
