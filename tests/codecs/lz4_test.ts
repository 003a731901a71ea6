/**
 * Unit tests of the numcodecs `lz4` codec: the 4-byte size header plus one LZ4 block, metadata
 * forms, and bounded decoding of hostile input.
 */
import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { LZ4Codec } from "../../src/codecs/lz4.ts";
import { codecFromMetadata, codecFromV2, hasV2Form } from "../../src/codecs/registry.ts";
import { buildPipeline } from "../../src/codecs/pipeline.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";

function sample(n: number, seed = 5): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = i % 5 === 0 ? s >>> 24 : (i >> 4) & 0xff;
  }
  return out;
}

Deno.test("lz4: round trips with the numcodecs size header", () => {
  for (const n of [0, 1, 12, 13, 100, 65_536, 1_000_003]) {
    for (const acceleration of [1, 4, 0]) {
      const c = new LZ4Codec(acceleration);
      const input = sample(n);
      const packed = c.encode(input);
      assert.equal(new DataView(packed.buffer).getUint32(0, true), n, "size header");
      assert.deepEqual(c.decode(packed), input);
    }
  }
  // zeros compress about 255:1
  const zeros = new LZ4Codec().encode(new Uint8Array(1 << 20));
  assert.ok(zeros.length < 5000, `${zeros.length}`);
  // a hand-made buffer: size 8, literal "ab", match offset 2 length 4, then "xy"... as literals
  const hand = new Uint8Array([8, 0, 0, 0, 0x20, 97, 98, 2, 0, 0x20, 120, 121]);
  assert.equal(new TextDecoder().decode(new LZ4Codec().decode(hand)), "abababxy");
});

Deno.test("lz4: metadata forms", () => {
  const c = codecFromV2({ id: "lz4", acceleration: 1 });
  assert.ok(c instanceof LZ4Codec && hasV2Form(c));
  assert.equal(JSON.stringify(c.toV2JSON()), '{"id":"lz4","acceleration":1}');
  assert.equal(
    JSON.stringify(c.toJSON()),
    '{"name":"numcodecs.lz4","configuration":{"acceleration":1}}',
  );
  assert.equal((codecFromV2({ id: "lz4" }) as LZ4Codec).acceleration, 1);
  assert.equal(
    (codecFromMetadata({ name: "numcodecs.lz4", configuration: { acceleration: 7 } }) as LZ4Codec)
      .acceleration,
    7,
  );
  assert.throws(() => codecFromV2({ id: "lz4", acceleration: "fast" }), MetadataValidationError);
  assert.throws(() => codecFromV2({ id: "lz4", level: 1 }), MetadataValidationError);
});

Deno.test("lz4: decoding is bounded and corrupt input raises CodecError", async () => {
  const c = new LZ4Codec();
  const packed = c.encode(sample(50_000));
  assert.throws(() => c.decode(packed.subarray(0, 3)), CodecError);
  for (let n = 4; n < packed.length; n += 211) {
    assert.throws(() => c.decode(packed.subarray(0, n)), CodecError, `truncated at ${n}`);
  }
  // the header size is checked against the caller's maximum and the block's capacity
  assert.throws(() => c.decode(packed, { maxOutputLength: 49_999 }), /expected maximum/);
  const lying = packed.slice();
  new DataView(lying.buffer).setUint32(0, 2 ** 31 - 1, true);
  assert.throws(() => c.decode(lying), /can hold/);
  new DataView(lying.buffer).setUint32(0, 50_001, true);
  assert.throws(() => c.decode(lying), CodecError);
  new DataView(lying.buffer).setUint32(0, 2 ** 32 - 1, true);
  assert.throws(() => c.decode(lying), /invalid decoded size/);
  // random bit flips: CodecError or same-size output, nothing else
  let s = 99;
  for (let t = 0; t < 300; t++) {
    const b = packed.slice();
    s = (s * 1103515245 + 12345) >>> 0;
    b[4 + (s % (b.length - 4))] ^= 1 << (s >>> 29);
    try {
      assert.equal(c.decode(b).length, 50_000);
    } catch (e) {
      assert.ok(e instanceof CodecError, String(e));
    }
  }
  // through a pipeline, the error names the codec and the chunk
  const dt = parseDataType("uint8");
  const p = buildPipeline([{ name: "bytes" }, { name: "numcodecs.lz4" }], "arr", { dtype: dt });
  const spec = { shape: [100], dtype: dt, fillValue: 0 };
  const ok = await p.encode({ data: sample(100), shape: [100] }, spec);
  assert.deepEqual((await p.decode(ok, spec)).data, sample(100));
  await assert.rejects(p.decode(ok.subarray(0, 9), spec, "c/0"), /numcodecs\.lz4.*c\/0|c\/0.*lz4/);
});
