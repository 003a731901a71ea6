import assert from "node:assert/strict";
import zlib from "node:zlib";
import { ZlibCodec } from "../../src/codecs/zlib.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";

Deno.test("zlib: round trip and interop with node:zlib deflate/inflate", () => {
  const input = new Uint8Array(30_000).map((_, i) => (i * 7) % 251);
  for (const level of [-1, 0, 1, 5, 9]) {
    const c = new ZlibCodec(level);
    const packed = c.encode(input);
    assert.equal(packed[0], 0x78); // zlib header
    assert.deepEqual(c.decode(packed), input);
    assert.deepEqual(new Uint8Array(zlib.inflateSync(packed)), input);
  }
  const c = new ZlibCodec();
  assert.deepEqual(c.decode(zlib.deflateSync(input, { level: 9 })), input);
  assert.deepEqual(c.decode(zlib.gzipSync(input)), input); // lenient: gzip accepted too
});

Deno.test("zlib: metadata forms (numcodecs.zlib / zlib)", () => {
  assert.equal(
    JSON.stringify(new ZlibCodec().toJSON()),
    '{"name":"numcodecs.zlib","configuration":{"level":1}}',
  );
  assert.equal(JSON.stringify(new ZlibCodec(1).toV2JSON()), '{"id":"zlib","level":1}');
  assert.equal(ZlibCodec.fromV2({ id: "zlib", level: 8 }).level, 8);
  assert.equal(ZlibCodec.fromV2({ id: "zlib" }).level, 1);
  assert.equal(
    ZlibCodec.fromMetadata({ name: "numcodecs.zlib", configuration: { level: 8 } }).level,
    8,
  );
  assert.throws(() => ZlibCodec.fromV2({ id: "zlib", level: 10 }), MetadataValidationError);
  assert.throws(() => ZlibCodec.fromV2({ id: "zlib", wbits: 15 }), MetadataValidationError);
});

Deno.test("zlib: corrupt input and bombs raise CodecError", () => {
  const c = new ZlibCodec();
  const packed = c.encode(new Uint8Array(1000).fill(3));
  assert.throws(() => c.decode(packed.subarray(0, packed.length - 2)), CodecError);
  assert.throws(() => c.decode(new Uint8Array([0x78, 0x9c, 1, 2, 3])), /zlib decode failed/);
  const bomb = c.encode(new Uint8Array(5_000_000));
  assert.throws(() => c.decode(bomb, { maxOutputLength: 4096 }), /exceeds the expected maximum/);
});
