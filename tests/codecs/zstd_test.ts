import assert from "node:assert/strict";
import zlib from "node:zlib";
import { inspectZstdFrames, ZstdCodec } from "../../src/codecs/zstd.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";

function data(n: number): Uint8Array {
  const d = new Uint8Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = i % 3 === 0 ? s >>> 24 : i & 0x0f;
  }
  return d;
}

/** Frame header descriptor byte of the first frame. */
function fhd(frame: Uint8Array): number {
  return frame[4];
}

Deno.test("zstd: round trip at several levels, interop with node:zlib", () => {
  const input = data(100_000);
  for (const level of [-5, 0, 1, 3, 19]) {
    const c = new ZstdCodec({ level });
    const packed = c.encode(input);
    assert.deepEqual([...packed.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
    assert.deepEqual(c.decode(packed), input);
    assert.deepEqual(new Uint8Array(zlib.zstdDecompressSync(packed)), input);
  }
  const c = new ZstdCodec();
  assert.deepEqual(c.decode(zlib.zstdCompressSync(input)), input);
  assert.deepEqual(c.decode(c.encode(new Uint8Array(0))), new Uint8Array(0));
});

Deno.test("zstd: frames record their content size; checksum flag follows the config", () => {
  const input = data(5000);
  const plain = new ZstdCodec().encode(input);
  assert.equal(fhd(plain) & 0x04, 0, "no checksum flag");
  assert.notEqual(fhd(plain) >> 6, 0, "content size field present");
  assert.equal(inspectZstdFrames(plain).contentSize, 5000);
  assert.equal(inspectZstdFrames(plain).checksum, false);
  const summed = new ZstdCodec({ level: 3, checksum: true }).encode(input);
  assert.equal(fhd(summed) & 0x04, 0x04, "checksum flag set");
  assert.equal(inspectZstdFrames(summed).checksum, true);
  assert.deepEqual(new ZstdCodec().decode(summed), input);
  // a damaged checksum is detected
  const bad = summed.slice();
  bad[bad.length - 1] ^= 0xff;
  assert.throws(() => new ZstdCodec().decode(bad), CodecError);
});

Deno.test("zstd: decodes frames without a content size (streaming) and several frames", () => {
  const input = data(70_000);
  // node's zstdCompressSync without pledgedSrcSize writes no content size
  const streamed = new Uint8Array(zlib.zstdCompressSync(input));
  assert.equal(fhd(streamed) >> 6, 0, "FCS flag 0");
  assert.equal((fhd(streamed) >> 5) & 1, 0, "not single-segment: no content size");
  assert.equal(inspectZstdFrames(streamed).contentSize, undefined);
  const c = new ZstdCodec();
  assert.deepEqual(c.decode(streamed), input);
  assert.deepEqual(c.decode(streamed, { maxOutputLength: 70_000 }), input);
  assert.throws(
    () => c.decode(streamed, { maxOutputLength: 69_999 }),
    /exceeds the expected maximum/,
  );
  // two frames + a skippable frame in between
  const skippable = new Uint8Array([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
  const a = c.encode(input.subarray(0, 100));
  const b = c.encode(input.subarray(100, 300));
  const joined = new Uint8Array([...a, ...skippable, ...b]);
  assert.equal(inspectZstdFrames(joined).frames, 2);
  assert.equal(inspectZstdFrames(joined).contentSize, 300);
  assert.deepEqual(c.decode(joined), input.subarray(0, 300));
  assert.throws(() => c.decode(joined, { maxOutputLength: 299 }), /more than the expected maximum/);
  // two streamed frames (no content sizes): the limit applies across frames
  const s1 = new Uint8Array(zlib.zstdCompressSync(input.subarray(0, 1000)));
  const s2 = new Uint8Array(zlib.zstdCompressSync(input.subarray(1000, 3000)));
  const both = new Uint8Array([...s1, ...s2]);
  assert.deepEqual(c.decode(both), input.subarray(0, 3000));
  assert.throws(() => c.decode(both, { maxOutputLength: 2999 }), /exceeds the expected maximum/);
  assert.deepEqual(c.decode(both, { maxOutputLength: 3000 }), input.subarray(0, 3000));
});

Deno.test("zstd: truncated, corrupt and empty input raise CodecError", () => {
  const c = new ZstdCodec();
  const packed = c.encode(data(20_000));
  for (const cut of [1, 3, 10, packed.length - 1]) {
    assert.throws(() => c.decode(packed.subarray(0, cut)), CodecError, `cut at ${cut}`);
  }
  assert.throws(() => c.decode(new Uint8Array(0)), /empty input/);
  assert.throws(() => c.decode(new Uint8Array([1, 2, 3, 4, 5])), /unknown frame magic/);
  const streamed = new Uint8Array(zlib.zstdCompressSync(data(20_000)));
  // node returns short output for a truncated streamed frame; the frame walk catches it
  assert.throws(() => c.decode(streamed.subarray(0, streamed.length - 3)), /truncated/);
  const garbage = packed.slice();
  garbage.fill(0xaa, 20, 60);
  assert.throws(() => c.decode(garbage), CodecError);
});

Deno.test("zstd: a frame declaring more than maxOutputLength fails before inflating", () => {
  const c = new ZstdCodec({ level: 19 });
  const bomb = c.encode(new Uint8Array(50_000_000));
  assert.ok(bomb.length < 10_000);
  const t0 = performance.now();
  assert.throws(
    () => c.decode(bomb, { maxOutputLength: 1024 }),
    /declares 50000000 bytes, more than the expected maximum of 1024/,
  );
  assert.ok(performance.now() - t0 < 50);
});

Deno.test("zstd: metadata in v3 and v2 forms", () => {
  assert.equal(
    JSON.stringify(new ZstdCodec().toJSON()),
    '{"name":"zstd","configuration":{"level":0,"checksum":false}}',
  );
  assert.equal(JSON.stringify(new ZstdCodec().toV2JSON()), '{"id":"zstd","level":0}');
  assert.equal(
    JSON.stringify(new ZstdCodec({ level: 5, checksum: true }).toV2JSON()),
    '{"id":"zstd","level":5,"checksum":true}',
  );
  const fromV3 = ZstdCodec.fromMetadata({
    name: "zstd",
    configuration: { checksum: true, level: 7 },
  });
  assert.equal(
    JSON.stringify(fromV3.toJSON()),
    '{"name":"zstd","configuration":{"level":7,"checksum":true}}',
  );
  assert.deepEqual(ZstdCodec.fromV2({ id: "zstd", level: 1 }).toJSON(), {
    name: "zstd",
    configuration: { level: 1, checksum: false },
  });
  const nc = ZstdCodec.fromMetadata({ name: "numcodecs.zstd", configuration: { level: 2 } });
  assert.equal(nc.name, "numcodecs.zstd");
  assert.equal(
    JSON.stringify(nc.toJSON()),
    '{"name":"numcodecs.zstd","configuration":{"level":2,"checksum":false}}',
  );
  assert.throws(() => new ZstdCodec({ level: 23 }), MetadataValidationError);
  assert.throws(
    () => ZstdCodec.fromMetadata({ name: "zstd", configuration: { level: 1, checksum: "yes" } }),
    /'checksum' must be a boolean/,
  );
  assert.throws(
    () => ZstdCodec.fromV2({ id: "zstd", level: 1, dict: "x" }),
    MetadataValidationError,
  );
});
