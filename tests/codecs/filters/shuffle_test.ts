import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { ShuffleCodec } from "../../../src/codecs/filters/shuffle.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { CodecError, MetadataValidationError } from "../../../src/errors.ts";
import { checkVector, vectorsOf } from "./helpers.ts";

Deno.test("shuffle: numcodecs 0.11 vectors for elementsize 0, 1, 2, 3, 4, 8, 24", async () => {
  const vs = vectorsOf("shuffle");
  assert.equal(vs.length, 7);
  for (const v of vs) await checkVector(v);
});

Deno.test("shuffle: defaults (numcodecs 4 for v2, the item size for v3), forms, errors", async () => {
  assert.equal((codecFromV2({ id: "shuffle" }) as ShuffleCodec).elementsize, 4);
  const c = codecFromMetadata({ name: "numcodecs.shuffle" }, "s", {
    dtype: parseDataType("float64"),
  });
  assert.deepEqual(c.toJSON(), { name: "numcodecs.shuffle", configuration: { elementsize: 8 } });
  assert.equal(c.kind, "bytes_to_bytes");
  assert.deepEqual(new ShuffleCodec(2).toV2JSON(), { id: "shuffle", elementsize: 2 });
  for (const elementsize of [-1, 2.5, "4"]) {
    assert.throws(
      () => codecFromMetadata({ name: "numcodecs.shuffle", configuration: { elementsize } }, "s/h"),
      (e) =>
        e instanceof MetadataValidationError && /shuffle/.test(e.message) && /s\/h/.test(e.message),
    );
  }
  assert.throws(() => new ShuffleCodec(4).decode(new Uint8Array(6)), CodecError);
  assert.deepEqual(new ShuffleCodec(4).encode(new Uint8Array(0)), new Uint8Array(0));
  const dt = parseDataType("int16");
  const p = buildPipeline(
    [
      { name: "bytes", configuration: { endian: "big" } },
      { name: "numcodecs.shuffle", configuration: { elementsize: 2 } },
    ],
    "s/h",
    { dtype: dt, shape: [3] },
  );
  const s = { shape: [3], dtype: dt, fillValue: 0 };
  const bytes = await p.encode({ data: Int16Array.of(1, 2, 0x0304), shape: [3] }, s);
  assert.deepEqual(Array.from(bytes), [0, 0, 3, 1, 2, 4]);
  assert.deepEqual(Array.from((await p.decode(bytes, s)).data as Int16Array), [1, 2, 0x0304]);
});
