import assert from "node:assert/strict";
import { scanVlen, VLenBytesCodec, writeVlen } from "../../src/codecs/vlen_bytes.ts";
import type { ChunkSpec } from "../../src/codecs/types.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";

function spec(shape: number[]): ChunkSpec {
  return { shape, dtype: parseDataType("variable_length_bytes"), fillValue: new Uint8Array() };
}

Deno.test("vlen-bytes: wire format and round trip", () => {
  const c = new VLenBytesCodec();
  const items = [
    new Uint8Array([0x61]),
    new Uint8Array([0x62, 0x63]),
    new Uint8Array(0),
    new Uint8Array([0, 255]),
  ];
  const wire = c.encode({ data: items, shape: [2, 2] }, spec([2, 2]));
  assert.deepEqual(
    [...wire],
    [4, 0, 0, 0, 1, 0, 0, 0, 0x61, 2, 0, 0, 0, 0x62, 0x63, 0, 0, 0, 0, 2, 0, 0, 0, 0, 255],
  );
  const back = c.decode(wire, spec([2, 2]));
  assert.deepEqual(back.data, items);
  assert.deepEqual(back.shape, [2, 2]);
  // decoded items do not alias the input
  wire[8] = 0x7a;
  assert.deepEqual((back.data as Uint8Array[])[0], new Uint8Array([0x61]));
});

Deno.test("vlen-bytes: null items encode empty, wrong types rejected", () => {
  const c = new VLenBytesCodec();
  const wire = c.encode({
    data: [null, new Uint8Array([1])] as unknown as Uint8Array[],
    shape: [2],
  }, spec([2]));
  assert.deepEqual(c.decode(wire, spec([2])).data, [new Uint8Array(0), new Uint8Array([1])]);
  assert.throws(
    () =>
      c.encode(
        { data: ["ab", new Uint8Array(1)] as unknown as Uint8Array[], shape: [2] },
        spec([2]),
      ),
    /expected a Uint8Array for element 0/,
  );
  assert.throws(() => c.encode({ data: [new Uint8Array(1)], shape: [3] }, spec([3])), CodecError);
});

Deno.test("vlen-bytes: hostile buffers raise CodecError", () => {
  const c = new VLenBytesCodec();
  const huge = new Uint8Array(10);
  new DataView(huge.buffer).setUint32(0, 0xffffffff, true);
  assert.throws(() => c.decode(huge, spec([0xffffffff])), CodecError);
  assert.throws(() => c.decode(huge, spec([1])), /holds 4294967295 items/);
  assert.throws(
    () => c.decode(new Uint8Array([1, 0, 0, 0, 5, 0, 0, 0, 1]), spec([1])),
    /declares 5 bytes/,
  );
  assert.throws(
    () => c.decode(new Uint8Array([2, 0, 0, 0, 3, 0, 0, 0, 1, 2, 3, 0, 0]), spec([2])),
    /truncated/,
  );
  assert.throws(() => c.decode(new Uint8Array([]), spec([0])), /too short/);
});

Deno.test("vlen-bytes: scanVlen and writeVlen", () => {
  const wire = writeVlen([new Uint8Array([7]), new Uint8Array([8, 9])]);
  assert.deepEqual([...wire], [2, 0, 0, 0, 1, 0, 0, 0, 7, 2, 0, 0, 0, 8, 9]);
  assert.deepEqual([...scanVlen(wire, 2, "x")], [8, 9, 13, 15]);
  // works on a view with a byte offset
  const padded = new Uint8Array(wire.length + 3);
  padded.set(wire, 3);
  assert.deepEqual([...scanVlen(padded.subarray(3), 2, "x")], [8, 9, 13, 15]);
  assert.throws(() => scanVlen(wire, 3, "x"), /x: the buffer holds 2 items but the chunk has 3/);
});

Deno.test("vlen-bytes: metadata forms and dtype check", () => {
  const c = new VLenBytesCodec();
  assert.equal(JSON.stringify(c.toJSON()), '{"name":"vlen-bytes","configuration":{}}');
  assert.equal(JSON.stringify(c.toV2JSON()), '{"id":"vlen-bytes"}');
  VLenBytesCodec.fromV2({ id: "vlen-bytes" });
  VLenBytesCodec.fromMetadata({ name: "vlen-bytes" }, { dtype: parseDataType("bytes") });
  assert.throws(
    () => VLenBytesCodec.fromMetadata({ name: "vlen-bytes" }, { dtype: parseDataType("string") }),
    MetadataValidationError,
  );
});
