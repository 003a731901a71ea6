import assert from "node:assert/strict";
import { crc32c, Crc32cCodec } from "../../src/codecs/crc32c.ts";
import { CodecError } from "../../src/errors.ts";

/** Bit-at-a-time reference implementation. */
function reference(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

Deno.test("crc32c: known answers", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  // RFC 3720 (iSCSI) B.4 test vectors
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(new Uint8Array(32).map((_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(new Uint8Array(32).map((_, i) => 31 - i)), 0x113fdb5c);
});

Deno.test("crc32c: slicing-by-8 agrees with the bitwise reference at every length and offset", () => {
  const buf = new Uint8Array(300).map((_, i) => (i * 151 + 7) & 0xff);
  for (let off = 0; off < 9; off++) {
    for (let len = 0; len < 70; len++) {
      const d = buf.subarray(off, off + len);
      assert.equal(crc32c(d), reference(d), `off ${off} len ${len}`);
    }
  }
  // incremental
  const all = crc32c(buf);
  assert.equal(crc32c(buf.subarray(123), crc32c(buf.subarray(0, 123))), all);
});

Deno.test("crc32c codec: appends the checksum little-endian and verifies it", () => {
  const c = new Crc32cCodec();
  const input = new TextEncoder().encode("123456789");
  const out = c.encode(input);
  assert.deepEqual([...out.subarray(9)], [0x83, 0x92, 0x06, 0xe3]);
  assert.deepEqual(c.decode(out), input);
  assert.equal(c.encodedSize(9), 13);
  assert.deepEqual(c.decode(c.encode(new Uint8Array(0))), new Uint8Array(0));
  assert.equal(JSON.stringify(c.toJSON()), '{"name":"crc32c"}');
  assert.equal(
    JSON.stringify(Crc32cCodec.fromMetadata({ name: "crc32c" }).toJSON()),
    '{"name":"crc32c"}',
  );
  assert.throws(
    () => Crc32cCodec.fromMetadata({ name: "crc32c", configuration: { x: 1 } }),
    /unexpected/,
  );
});

Deno.test("crc32c codec: mismatches and short input raise CodecError", () => {
  const c = new Crc32cCodec();
  const out = c.encode(new Uint8Array([1, 2, 3]));
  for (let i = 0; i < out.length; i++) {
    const bad = out.slice();
    bad[i] ^= 0x01;
    assert.throws(
      () => c.decode(bad),
      (e) => e instanceof CodecError && /crc32c checksum mismatch/.test(e.message),
    );
  }
  for (const n of [0, 1, 3]) {
    assert.throws(
      () => c.decode(new Uint8Array(n)),
      /crc32c checksum mismatch: input of \d bytes is shorter/,
    );
  }
});
