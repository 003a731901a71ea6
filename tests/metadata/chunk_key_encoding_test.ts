import assert from "node:assert/strict";
import { ZarrTypeError, ZarrValueError } from "../../src/errors.ts";
import {
  chunkKeyEncodingToJSON,
  decodeChunkKey,
  encodeChunkKey,
  parseChunkKeyEncoding,
} from "../../src/metadata/chunk_key_encoding.ts";

Deno.test("parse: v3 named form, user forms, defaults", () => {
  assert.deepEqual(
    parseChunkKeyEncoding({ name: "default", configuration: { separator: "/" } }),
    { name: "default", separator: "/" },
  );
  assert.deepEqual(
    parseChunkKeyEncoding({ name: "v2", configuration: { separator: "." } }),
    { name: "v2", separator: "." },
  );
  assert.deepEqual(parseChunkKeyEncoding({ name: "v2", separator: "/" }), {
    name: "v2",
    separator: "/",
  });
  assert.deepEqual(parseChunkKeyEncoding({ name: "default", separator: "." }), {
    name: "default",
    separator: ".",
  });
  assert.deepEqual(parseChunkKeyEncoding("default"), { name: "default", separator: "/" });
  assert.deepEqual(parseChunkKeyEncoding("v2"), { name: "v2", separator: "." });
  assert.deepEqual(parseChunkKeyEncoding({ name: "v2" }), { name: "v2", separator: "." });
});

Deno.test("parse: errors", () => {
  assert.throws(() => parseChunkKeyEncoding({ name: "other" }), /Unknown chunk key encoding/);
  assert.throws(() => parseChunkKeyEncoding("nope"), ZarrValueError);
  assert.throws(() => parseChunkKeyEncoding({ name: "default", separator: "-" }), ZarrValueError);
  assert.throws(() => parseChunkKeyEncoding({ separator: "/" }), ZarrValueError);
  assert.throws(() => parseChunkKeyEncoding(5), ZarrTypeError);
  assert.throws(
    () => parseChunkKeyEncoding({ name: "x" }, "a/zarr.json"),
    (e: Error) => e.message.includes("a/zarr.json"),
  );
});

Deno.test("encode (test_chunk_key_encodings)", () => {
  assert.equal(encodeChunkKey({ name: "default", separator: "/" }, [0, 1]), "c/0/1");
  assert.equal(encodeChunkKey({ name: "default", separator: "." }, [0, 1]), "c.0.1");
  assert.equal(encodeChunkKey({ name: "default", separator: "/" }, []), "c");
  assert.equal(encodeChunkKey({ name: "v2", separator: "." }, [0, 1]), "0.1");
  assert.equal(encodeChunkKey({ name: "v2", separator: "/" }, [3, 12]), "3/12");
  assert.equal(encodeChunkKey({ name: "v2", separator: "." }, []), "0");
});

Deno.test("decode", () => {
  const d = { name: "default", separator: "/" } as const;
  const v = { name: "v2", separator: "." } as const;
  assert.deepEqual(decodeChunkKey(d, "c/3/4"), [3, 4]);
  assert.deepEqual(decodeChunkKey(d, "c"), []);
  assert.equal(decodeChunkKey(d, "3/4"), undefined);
  assert.equal(decodeChunkKey(d, "c/x/4"), undefined);
  assert.equal(decodeChunkKey(d, "c/1/2", 3), undefined);
  assert.deepEqual(decodeChunkKey(v, "0.1"), [0, 1]);
  assert.deepEqual(decodeChunkKey(v, "0"), [0]);
  assert.deepEqual(decodeChunkKey(v, "0", 0), []);
  assert.equal(decodeChunkKey(v, ".zarray"), undefined);
  for (const enc of [d, v, { name: "default", separator: "." } as const]) {
    for (const c of [[], [0], [5, 7, 9]]) {
      assert.deepEqual(decodeChunkKey(enc, encodeChunkKey(enc, c), c.length), c);
    }
  }
});

Deno.test("toJSON in zarr-python's form", () => {
  assert.equal(
    JSON.stringify(chunkKeyEncodingToJSON({ name: "v2", separator: "." })),
    '{"name":"v2","configuration":{"separator":"."}}',
  );
});
