import assert from "node:assert/strict";
import { VLenUTF8Codec } from "../../src/codecs/vlen_utf8.ts";
import type { ChunkSpec } from "../../src/codecs/types.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";

function spec(shape: number[]): ChunkSpec {
  return { shape, dtype: parseDataType("string"), fillValue: "" };
}

Deno.test("vlen-utf8: wire format of ['a','bc']", () => {
  const c = new VLenUTF8Codec();
  const wire = c.encode({ data: ["a", "bc"], shape: [2] }, spec([2]));
  assert.deepEqual(
    [...wire],
    [2, 0, 0, 0, 1, 0, 0, 0, 0x61, 2, 0, 0, 0, 0x62, 0x63],
  );
  assert.deepEqual(c.decode(wire, spec([2])).data, ["a", "bc"]);
});

Deno.test("vlen-utf8: round trips unicode, long, empty and 0-d chunks", () => {
  const c = new VLenUTF8Codec();
  const values = [
    "",
    "hello",
    "世界",
    "🚀🎉",
    "Ñoño",
    "\uFEFFbom kept",
    "a".repeat(1000),
    "é".repeat(100),
    "x".repeat(63) + "é",
    "\u0000nul",
  ];
  const s = spec([2, 5]);
  const wire = c.encode({ data: values, shape: [2, 5] }, s);
  const back = c.decode(wire, s);
  assert.deepEqual(back.data, values);
  assert.deepEqual(back.shape, [2, 5]);
  // lengths are UTF-8 byte counts
  const dv = new DataView(wire.buffer, wire.byteOffset);
  assert.equal(dv.getUint32(4 + 4 + 0 + 4 + 5, true), 6); // "世界" is 6 bytes
  const s0 = spec([]);
  assert.deepEqual(c.decode(c.encode({ data: ["z"], shape: [] }, s0), s0).data, ["z"]);
  const e = spec([0]);
  const ew = c.encode({ data: [], shape: [0] }, e);
  assert.deepEqual([...ew], [0, 0, 0, 0]);
  assert.deepEqual(c.decode(ew, e).data, []);
});

Deno.test("vlen-utf8: null/undefined encode as empty strings; other values are rejected", () => {
  const c = new VLenUTF8Codec();
  const wire = c.encode(
    { data: [null, undefined, "q"] as unknown as string[], shape: [3] },
    spec([3]),
  );
  assert.deepEqual(c.decode(wire, spec([3])).data, ["", "", "q"]);
  assert.throws(
    () => c.encode({ data: [1, "a"] as unknown as string[], shape: [2] }, spec([2])),
    /expected a string for element 0/,
  );
  assert.throws(() => c.encode({ data: ["a"], shape: [2] }, spec([2])), CodecError);
  assert.throws(() => c.encode({ data: new Uint8Array(2), shape: [2] }, spec([2])), CodecError);
});

Deno.test("vlen-utf8: hostile buffers raise CodecError fast", () => {
  const c = new VLenUTF8Codec();
  const huge = new Uint8Array(10);
  new DataView(huge.buffer).setUint32(0, 0xffffffff, true);
  const t0 = performance.now();
  assert.throws(() => c.decode(huge, spec([0xffffffff])), /cannot fit in 10 bytes/);
  assert.throws(() => c.decode(huge, spec([3])), /holds 4294967295 items but the chunk has 3/);
  assert.ok(performance.now() - t0 < 50);
  assert.throws(() => c.decode(new Uint8Array(3), spec([1])), /too short/);
  // an item length running past the end
  const past = new Uint8Array([1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0x61]);
  assert.throws(() => c.decode(past, spec([1])), /declares 2147483647 bytes/);
  // truncated length header
  const trunc = new Uint8Array([2, 0, 0, 0, 3, 0, 0, 0, 0x61, 0x62, 0x63, 1, 0]);
  assert.throws(() => c.decode(trunc, spec([2])), /truncated \(item 1\)/);
  assert.throws(() => c.decode(trunc.subarray(0, 11), spec([2])), /2 items cannot fit in 11 bytes/);
  // invalid UTF-8
  const bad = new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0, 0xc3, 0x28]);
  assert.throws(() => c.decode(bad, spec([1])), /item 0 is not valid UTF-8/);
  const badLong = new Uint8Array(4 + 4 + 100);
  badLong.set([1, 0, 0, 0, 100, 0, 0, 0]);
  badLong.fill(0x61, 8);
  badLong[50] = 0xff;
  assert.throws(() => c.decode(badLong, spec([1])), CodecError);
  // trailing bytes after the last item are ignored (as numcodecs does)
  assert.deepEqual(c.decode(new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0, 0x61, 9, 9]), spec([1])).data, [
    "a",
  ]);
});

Deno.test("vlen-utf8: metadata forms and dtype check", () => {
  const c = new VLenUTF8Codec();
  assert.equal(JSON.stringify(c.toJSON()), '{"name":"vlen-utf8","configuration":{}}');
  assert.equal(JSON.stringify(c.toV2JSON()), '{"id":"vlen-utf8"}');
  VLenUTF8Codec.fromMetadata({ name: "vlen-utf8" });
  VLenUTF8Codec.fromMetadata({ name: "vlen-utf8", configuration: {} }, {
    dtype: parseDataType("string"),
  });
  VLenUTF8Codec.fromV2({ id: "vlen-utf8" });
  assert.throws(
    () =>
      VLenUTF8Codec.fromMetadata({ name: "vlen-utf8" }, {
        dtype: parseDataType("int32"),
        where: "s",
      }),
    (e) => e instanceof MetadataValidationError && /requires the string data type/.test(e.message),
  );
  assert.throws(
    () => VLenUTF8Codec.fromMetadata({ name: "vlen-utf8", configuration: { x: 1 } }),
    MetadataValidationError,
  );
});
