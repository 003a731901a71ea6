import assert from "node:assert/strict";
import zlib from "node:zlib";
import { GzipCodec } from "../../src/codecs/gzip.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";

function data(n: number): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 31 + (i >> 7)) & 0xff;
  return d;
}

Deno.test("gzip: round trip at every level, output is a plain gzip stream", () => {
  const input = data(50_000);
  for (let level = 0; level <= 9; level++) {
    const c = new GzipCodec(level);
    const packed = c.encode(input);
    assert.equal(packed.constructor, Uint8Array);
    assert.deepEqual([packed[0], packed[1]], [0x1f, 0x8b]);
    assert.deepEqual(c.decode(packed), input);
    // interop: node's own gunzip reads what we write
    assert.deepEqual(new Uint8Array(zlib.gunzipSync(packed)), input);
  }
});

Deno.test("gzip: decodes streams written by node:zlib, multi-member streams and zlib streams", () => {
  const input = data(10_000);
  const c = new GzipCodec();
  assert.deepEqual(c.decode(zlib.gzipSync(input, { level: 9 })), input);
  const two = new Uint8Array([
    ...zlib.gzipSync(input.subarray(0, 10)),
    ...zlib.gzipSync(input.subarray(10, 20)),
  ]);
  assert.deepEqual(c.decode(two), input.subarray(0, 20));
  assert.deepEqual(c.decode(zlib.deflateSync(input)), input);
  assert.deepEqual(c.decode(c.encode(new Uint8Array(0))), new Uint8Array(0));
});

Deno.test("gzip: metadata in v3 and v2 forms", () => {
  assert.equal(
    JSON.stringify(new GzipCodec().toJSON()),
    '{"name":"gzip","configuration":{"level":5}}',
  );
  assert.equal(JSON.stringify(new GzipCodec(5).toV2JSON()), '{"id":"gzip","level":5}');
  assert.equal(GzipCodec.fromMetadata({ name: "gzip", configuration: { level: 9 } }).level, 9);
  assert.equal(GzipCodec.fromMetadata({ name: "gzip" }).level, 5);
  assert.equal(GzipCodec.fromV2({ id: "gzip" }).level, 1);
  assert.equal(GzipCodec.fromV2({ id: "gzip", level: 3 }).toV2JSON().level, 3);
  const nc = GzipCodec.fromMetadata({ name: "numcodecs.gzip", configuration: { level: 2 } });
  assert.deepEqual(nc.toJSON(), { name: "numcodecs.gzip", configuration: { level: 2 } });
  assert.deepEqual(nc.toV2JSON(), { id: "gzip", level: 2 });
});

Deno.test("gzip: invalid levels and keys raise MetadataValidationError", () => {
  assert.throws(() => new GzipCodec(10), MetadataValidationError);
  assert.throws(() => new GzipCodec(1.5), MetadataValidationError);
  assert.throws(
    () => GzipCodec.fromMetadata({ name: "gzip", configuration: { level: -1 } }, { where: "g/a" }),
    /'level' must be an integer in \[0, 9\], got -1 \(array 'g\/a'\)/,
  );
  assert.throws(() => GzipCodec.fromV2({ id: "gzip", level: "5" }), MetadataValidationError);
  assert.throws(
    () => GzipCodec.fromV2({ id: "gzip", mtime: 0 }),
    /unexpected configuration key 'mtime'/,
  );
});

Deno.test("gzip: corrupt, truncated and empty input raise CodecError", () => {
  const c = new GzipCodec();
  const packed = c.encode(data(1000));
  assert.throws(() => c.decode(packed.subarray(0, packed.length - 5)), CodecError);
  const bad = packed.slice();
  bad[bad.length - 6] ^= 0xff; // CRC32 trailer
  assert.throws(() => c.decode(bad), CodecError);
  assert.throws(() => c.decode(new Uint8Array(0)), /gzip decode failed/);
  assert.throws(() => c.decode(new Uint8Array([1, 2, 3, 4])), CodecError);
});

Deno.test("gzip: maxOutputLength stops decompression bombs", () => {
  const c = new GzipCodec(9);
  const bomb = c.encode(new Uint8Array(20_000_000));
  assert.ok(bomb.length < 100_000);
  assert.throws(
    () => c.decode(bomb, { maxOutputLength: 1000 }),
    (e) => e instanceof CodecError && /exceeds the expected maximum of 1000 bytes/.test(e.message),
  );
  assert.equal(c.decode(c.encode(new Uint8Array(1000)), { maxOutputLength: 1000 }).length, 1000);
});
