import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import type { CategorizeCodec } from "../../../src/codecs/filters/categorize.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { MetadataValidationError } from "../../../src/errors.ts";
import { checkVector, vectorsOf } from "./helpers.ts";

Deno.test("categorize: numcodecs 0.11 vectors (U and O, unknown values, duplicate labels, truncation)", async () => {
  const vs = vectorsOf("categorize");
  assert.equal(vs.length, 3);
  for (const v of vs) await checkVector(v);
});

Deno.test("categorize: forms and errors", async () => {
  const c = codecFromV2({ id: "categorize", labels: ["x", "y"], dtype: "U1" }) as CategorizeCodec;
  assert.deepEqual(c.toV2JSON(), {
    id: "categorize",
    labels: ["x", "y"],
    dtype: "<U1",
    astype: "|u1",
  });
  assert.deepEqual(c.toJSON(), {
    name: "numcodecs.categorize",
    configuration: { labels: ["x", "y"], dtype: "U1" },
  });
  for (
    const configuration of [
      { labels: "ab", dtype: "|O" },
      { labels: ["a", 1], dtype: "|O" },
      { labels: ["a"], dtype: "<i4" },
      { labels: ["a"], dtype: "|O", astype: "|O" },
      { labels: ["a"] },
    ]
  ) {
    assert.throws(
      () => codecFromMetadata({ name: "numcodecs.categorize", configuration }, "c/t"),
      (e) =>
        e instanceof MetadataValidationError && /categorize/.test(e.message) &&
        /c\/t/.test(e.message),
      JSON.stringify(configuration),
    );
  }
  // the codec's dtype must be the array's
  assert.throws(
    () =>
      buildPipeline([c.toJSON(), { name: "bytes" }], "c/t", {
        dtype: parseDataType("U2"),
        shape: [1],
      }),
    MetadataValidationError,
  );
  const p = buildPipeline([c.toJSON(), { name: "bytes" }], "c/t", {
    dtype: parseDataType("U1"),
    shape: [4],
  });
  const s = { shape: [4], dtype: parseDataType("U1"), fillValue: "" };
  const bytes = await p.encode({ data: ["y", "x", "", "z"], shape: [4] }, s);
  assert.deepEqual(Array.from(bytes), [2, 1, 0, 0]);
  assert.deepEqual((await p.decode(Uint8Array.of(2, 1, 0, 3), s)).data, ["y", "x", "", ""]);
  const empty = await c.encode({ data: [], shape: [0] }, { ...s, shape: [0] });
  assert.equal(empty.data.length, 0);
});
