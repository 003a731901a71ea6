import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import {
  adler32,
  type Checksum32Codec,
  crc32,
  fletcher32,
} from "../../../src/codecs/filters/checksum32.ts";
import { codecFromMetadata, codecFromV2 } from "../../../src/codecs/registry.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";
import { CodecError, MetadataValidationError } from "../../../src/errors.ts";
import { bytesOf, checkVector, vectorsOf } from "./helpers.ts";

Deno.test("checksums: numcodecs 0.11 adler32 / crc32 vectors (checksum first) and fletcher32 (last)", async () => {
  const vs = vectorsOf("adler32", "crc32", "fletcher32");
  assert.equal(vs.length, 13);
  for (const v of vs) await checkVector(v);
});

Deno.test("checksums: known values and the zarrs / zarr-python 3 fletcher32 chunk", () => {
  const enc = new TextEncoder();
  assert.equal(crc32(enc.encode("123456789")), 0xcbf43926);
  assert.equal(adler32(enc.encode("Wikipedia")), 0x11e60398);
  // long inputs (several NMAX blocks / slicing-by-4 words), from Python's zlib
  assert.equal(adler32(new Uint8Array(100_000).fill(255)), 0x149a302c);
  assert.equal(crc32(new Uint8Array(100_000).fill(255)), 0x68c6cec4);
  // chunk c/0/0 of zarrs' v3_zarr_python/array_fletcher32.zarr (numcodecs 0.16.1): the 5x5
  // float32 block [[0..4], [10..14], ...] of arange(100) followed by 23 b2 7e 8e
  const block = Float32Array.from({ length: 25 }, (_, i) => Math.floor(i / 5) * 10 + (i % 5));
  assert.equal(fletcher32(bytesOf(block)), 0x8e7eb223);
  // and the adler32 chunk of the same block starts with c8 0e a1 d7
  assert.equal(adler32(bytesOf(block)), 0xd7a10ec8);
});

Deno.test("checksums: location option, forms, corrupt data raises CodecError through the pipeline", async () => {
  const a = codecFromV2({ id: "adler32" }) as Checksum32Codec;
  assert.equal(a.location, "start");
  assert.deepEqual(a.toV2JSON(), { id: "adler32" });
  assert.deepEqual(a.toJSON(), { name: "numcodecs.adler32", configuration: {} });
  const end = codecFromMetadata({
    name: "numcodecs.adler32",
    configuration: { location: "end" },
  }) as Checksum32Codec;
  assert.deepEqual(end.toV2JSON(), { id: "adler32", location: "end" });
  assert.deepEqual(Array.from(end.encode(Uint8Array.of(1, 2))), [1, 2, 4, 0, 6, 0]);
  assert.deepEqual(Array.from(a.encode(Uint8Array.of(1, 2))), [4, 0, 6, 0, 1, 2]);
  assert.equal((codecFromV2({ id: "crc32c" }) as { name: string }).name, "crc32c");
  const nc = codecFromMetadata({ name: "numcodecs.crc32c", configuration: {} }) as Checksum32Codec;
  assert.equal(nc.location, "end");
  assert.deepEqual(Array.from(nc.encode(new TextEncoder().encode("123456789")).subarray(9)), [
    0x83,
    0x92,
    0x06,
    0xe3,
  ]);
  assert.equal((codecFromV2({ id: "fletcher32" }) as Checksum32Codec).location, "end");
  for (
    const [name, configuration] of [
      ["numcodecs.fletcher32", { location: "start" }],
      ["numcodecs.adler32", { location: "middle" }],
      ["numcodecs.crc32", { other: 1 }],
    ] as const
  ) {
    assert.throws(
      () => codecFromMetadata({ name, configuration }, "c/s"),
      (e) =>
        e instanceof MetadataValidationError && e.message.includes(name) && /c\/s/.test(e.message),
    );
  }
  const dt = parseDataType("float32");
  for (const name of ["numcodecs.adler32", "numcodecs.fletcher32", "numcodecs.crc32"]) {
    const p = buildPipeline(
      [{ name: "bytes", configuration: { endian: "little" } }, { name }],
      "c/s",
      {
        dtype: dt,
        shape: [4],
      },
    );
    assert.equal(p.encodedSize({ shape: [4], dtype: dt, fillValue: 0 }), 20);
    const s = { shape: [4], dtype: dt, fillValue: 0 };
    const bytes = await p.encode({ data: Float32Array.of(1, 2, 3, 4), shape: [4] }, s);
    assert.equal(bytes.length, 20);
    assert.deepEqual(Array.from((await p.decode(bytes, s)).data as Float32Array), [1, 2, 3, 4]);
    const bad = bytes.slice();
    bad[name === "numcodecs.fletcher32" ? 0 : 10] ^= 1;
    await assert.rejects(
      () => p.decode(bad, s),
      (e) =>
        e instanceof CodecError && /checksum mismatch/.test(e.message) && /c\/s/.test(e.message),
    );
    await assert.rejects(() => p.decode(bytes.subarray(0, 3), s), CodecError);
    await assert.rejects(() => p.decode(bytes.subarray(0, 12), s), CodecError);
  }
});
