/**
 * The numcodecs LZMA codec: .xz (every supported check, delta filter, concatenated streams and
 * padding), .lzma and raw LZMA1/LZMA2 streams written by Python's `lzma` and by us, metadata
 * forms and config validation, bounded and safe decoding (truncation, bit flips, mutations,
 * bombs, distances beyond the dictionary, malformed LZMA2 chunks), arrays through the public
 * API and the lzma fixture of zarr-python 2.13.
 */
import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { LZMACodec, type LZMACodecOptions } from "../../src/codecs/lzma/codec.ts";
import { crc32, crc64 } from "../../src/codecs/lzma/crc.ts";
import { lzma2Decode } from "../../src/codecs/lzma/lzma2.ts";
import { OutputBuffer } from "../../src/codecs/lzma/output.ts";
import { xzCompress, xzDecompress } from "../../src/codecs/lzma/xz.ts";
import { codecFromMetadata, codecFromV2 } from "../../src/codecs/registry.ts";
import { parseJSON, stringifyJSON } from "../../src/metadata/json.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import { FIXTURES, fixturesMissing, manifestSha256 } from "../interop/helpers.ts";

function hex(s: string): Uint8Array {
  return new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));
}
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

/** Deterministic pseudo-random bytes. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 13) & 0xff;
  }
  return out;
}

/** A smooth float32 field as bytes. */
function field(n: number): Uint8Array {
  const f = Float32Array.from({ length: n }, (_, i) => Math.round(Math.sin(i / 90) * 5000) / 100);
  return new Uint8Array(f.buffer);
}

// Written by Python 3.11's lzma (liblzma 5.4).
const PY = {
  hello: hex(
    "fd377a585a000004e6d6b4460200210116000000742fe5a3e00023000f5d00341949ee8de917d0b2604b32c2" +
      "00000000afe408044743e47f00012b2493acf56a1fb6f37d010000000004595a",
  ), // b"hello xz\n" * 4, CRC64
  crc32: hex(
    "fd377a585a0000016922de360200210116000000742fe5a30100026162630000c24124350001170307600cbc" +
      "9042990d010000000001595a",
  ),
  sha256: hex(
    "fd377a585a00000ae1fb0ca10200210116000000742fe5a30100026162630000ba7816bf8f01cfea414140de" +
      "5dae2223b00361a396177a9cb410ff61f20015ad00013303a181e44d189b4b9a01000000000a595a",
  ),
  none: hex(
    "fd377a585a000000ff12d9410200210116000000742fe5a301000261626300000001130303a560d806729e7a" +
      "010000000000595a",
  ),
  delta: hex(
    "fd377a585a000004e6d6b44602010301002101104c85a707e0002700075d00000094075940000000205f756a" +
      "798e285100012328b06a9aab1fb6f37d010000000004595a",
  ), // bytes(range(40)) with [delta dist 1, LZMA2 preset 1]
  x86: hex(
    "fd377a585a000004e6d6b44602010400210116000d86351f010005616263616263000000e91270540bb712e7" +
      "00011e06c12fa41d1fb6f37d010000000004595a",
  ),
  alone: hex("5d00008000ffffffffffffffff00309b0a4324c8b923b773e7ffffee918000"),
  raw2: hex("e0000a00095d0039184b50290265680000"),
  empty: hex("fd377a585a000004e6d6b446000000001cdf44211fb6f37d010000000004595a"),
};

Deno.test("lzma: CRC-32 and CRC-64 check values", () => {
  assert.equal(crc32(bytes("123456789")), 0xcbf43926);
  assert.equal(crc64(bytes("123456789")), "995dc9bbdf1939fa");
  assert.equal(crc32(bytes("56789"), crc32(bytes("1234"))), 0xcbf43926);
});

Deno.test("lzma: decodes .xz, .lzma and raw streams written by Python's lzma", () => {
  const c = new LZMACodec();
  assert.equal(text(c.decode(PY.hello)), "hello xz\n".repeat(4));
  for (const k of ["crc32", "sha256", "none"] as const) assert.equal(text(c.decode(PY[k])), "abc");
  assert.deepEqual(c.decode(PY.delta), Uint8Array.from({ length: 40 }, (_, i) => i));
  assert.deepEqual(c.decode(PY.empty), new Uint8Array(0));
  assert.equal(text(new LZMACodec({ format: 2 }).decode(PY.alone)), "alone alone");
  assert.equal(text(new LZMACodec({ format: 0 }).decode(PY.alone)), "alone alone");
  assert.equal(text(new LZMACodec({ format: 0 }).decode(PY.hello)), "hello xz\n".repeat(4));
  const raw = new LZMACodec({ format: 3, filters: [{ id: 33 }] });
  assert.equal(text(raw.decode(PY.raw2)), "raw raw raw");
  // two streams with stream padding in between
  const two = new Uint8Array([...PY.crc32, 0, 0, 0, 0, ...PY.none]);
  assert.equal(text(c.decode(two)), "abcabc");
});

Deno.test("lzma: unsupported filters and malformed containers give clear errors", () => {
  const c = new LZMACodec();
  assert.throws(() => c.decode(PY.x86), /x86 BCJ filter .*not supported/);
  assert.throws(() => c.decode(new Uint8Array(0)), /empty input/);
  assert.throws(() => c.decode(bytes("not xz at all")), /not an \.xz stream/);
  assert.throws(() => c.decode(new Uint8Array([...PY.none, 1, 2, 3, 4])), /unexpected data after/);
  assert.throws(() => c.decode(new Uint8Array([...PY.none, 0, 0, 0])), /stream padding/);
  assert.throws(() => new LZMACodec({ format: 2 }).decode(new Uint8Array(5)), /truncated .lzma/);
  const raw = new LZMACodec({ format: 3, filters: [{ id: 33 }] });
  assert.throws(() => raw.decode(new Uint8Array([...PY.raw2, 0])), /unexpected data after/);
});

Deno.test("lzma: malformed LZMA2 chunks are rejected", () => {
  const run = (b: number[]) =>
    lzma2Decode(new Uint8Array(b), 0, b.length, new OutputBuffer(0, 1000), 4096);
  assert.throws(() => run([3]), /invalid LZMA2 control byte 0x3/);
  assert.throws(() => run([2, 0, 0, 0x41, 0]), /does not reset the dictionary/);
  assert.throws(() => run([1, 0, 0, 0x41, 0x80, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0]), /properties/);
  assert.throws(() => run([1, 0, 5, 0x41]), /truncated/);
  assert.throws(() => run([0xe0, 0, 0, 0, 4, 0x5d]), /truncated/);
  assert.throws(() => run([0xe0, 0, 0, 0, 4, 0xff, 0, 0, 0, 0, 0]), /properties byte/);
  assert.throws(() => run([0xe0, 0, 0, 0, 4, 0x5d, 1, 0, 0, 0, 0, 0]), /range coder start/);
  assert.throws(() => run([1, 0, 0, 0x41]), /truncated/); // no end marker
  assert.equal(run([1, 0, 1, 0x68, 0x69, 2, 0, 0, 0x21, 0]), 10);
});

const FORMS: LZMACodecOptions[] = [
  {},
  { check: 0 },
  { check: 1 },
  { check: 4 },
  { check: 10 },
  { preset: 0 },
  { preset: 9 },
  { preset: 0x80000009 },
  { filters: [{ id: 3, dist: 4 }, { id: 33, preset: 1 }] },
  { format: 2 },
  { format: 2, filters: [{ id: 2 ** 62, lc: 1, lp: 2, pb: 0, dict_size: 1 << 16 }] },
  { format: 3, filters: [{ id: 33 }] },
  { format: 3, filters: [{ id: 3, dist: 2 }, { id: 33, dict_size: 1 << 20 }] },
  { format: 3, filters: [{ id: 2 ** 62 }] },
];

Deno.test("lzma: round trips for every container, check and filter chain", () => {
  const data: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["one byte", new Uint8Array([7])],
    ["text", bytes("to be or not to be, that is the question. ".repeat(40))],
    ["noise (stored chunks)", noise(150_000, 3)],
    ["field", field(30_000)],
  ];
  for (const opts of FORMS) {
    const c = new LZMACodec(opts);
    for (const [name, d] of data) {
      const packed = c.encode(d);
      assert.deepEqual(c.decode(packed), d, `${JSON.stringify(opts)} ${name}`);
      if ((opts.format ?? 1) === 1) {
        assert.deepEqual(packed.subarray(0, 6), PY.empty.subarray(0, 6));
      }
    }
  }
  // an empty .xz stream is laid out as Python's
  assert.deepEqual(new LZMACodec().encode(new Uint8Array(0)), PY.empty);
});

Deno.test("lzma: large inputs span several LZMA2 chunks and compress", () => {
  const zeros = new Uint8Array(5_000_000); // > 2 MiB: three LZMA chunks
  const c = new LZMACodec();
  const packed = c.encode(zeros);
  assert.ok(packed.length < 2000, `zeros packed into ${packed.length} bytes`);
  assert.deepEqual(c.decode(packed, { maxOutputLength: zeros.length }), zeros);
  const f = field(400_000);
  const pf = c.encode(f);
  assert.ok(pf.length < f.length / 2, `field ratio ${f.length / pf.length}`);
  assert.deepEqual(c.decode(pf), f);
  // incompressible data falls back to stored chunks: small overhead
  const n = noise(300_000, 11);
  assert.ok(c.encode(n).length < n.length + 200);
});

Deno.test("lzma: metadata forms (numcodecs.lzma / lzma) and registry", () => {
  const c = new LZMACodec();
  assert.equal(
    JSON.stringify(c.toV2JSON()),
    '{"id":"lzma","format":1,"check":-1,"preset":null,"filters":null}',
  );
  assert.equal(
    JSON.stringify(c.toJSON()),
    '{"name":"numcodecs.lzma","configuration":{"format":1,"check":-1,"preset":null,"filters":null}}',
  );
  const v2 = codecFromV2({ id: "lzma", format: 1, check: -1, preset: null, filters: null });
  assert.ok(v2 instanceof LZMACodec);
  const v3 = codecFromMetadata({ name: "numcodecs.lzma", configuration: { preset: 1 } });
  assert.equal((v3 as LZMACodec).preset, 1);
  const f = [{ id: 3, dist: 4 }, { id: 33, preset: 1 }];
  assert.deepEqual(LZMACodec.fromV2({ id: "lzma", filters: f }).toV2JSON().filters, f);
  // The LZMA1 filter id does not fit a double: the library's JSON reader keeps it exact.
  const doc = parseJSON(
    '{"id":"lzma","format":3,"check":-1,"preset":null,"filters":[{"id":4611686018427387905}]}',
  ) as { id: string };
  const raw = LZMACodec.fromV2(doc);
  assert.match(stringifyJSON(raw.toV2JSON(), null), /"id": 4611686018427387905/);
  assert.deepEqual(raw.decode(raw.encode(bytes("lzma1"))), bytes("lzma1"));
});

Deno.test("lzma: invalid configurations raise MetadataValidationError", () => {
  const bad: Record<string, unknown>[] = [
    { format: 4 },
    { format: 2, check: 4 },
    { check: 16 },
    { check: -2 },
    { preset: 10 },
    { preset: -1 },
    { preset: 1, filters: [{ id: 33 }] },
    { format: 3 },
    { format: 3, filters: [{ id: 4 }, { id: 33 }] },
    { format: 3, filters: [{ id: 33 }, { id: 3 }] },
    { format: 3, filters: [{ id: 3, dist: 300 }, { id: 33 }] },
    { format: 3, filters: [{ id: 33, lc: 4, lp: 1 }] },
    { filters: "lzma2" },
    { level: 1 },
  ];
  for (const cfg of bad) {
    assert.throws(
      () => LZMACodec.fromV2({ id: "lzma", ...cfg }),
      MetadataValidationError,
      JSON.stringify(cfg),
    );
  }
  // valid for reading, refused when writing
  assert.throws(() => new LZMACodec({ format: 0 }).encode(new Uint8Array(1)), /only decode/);
  assert.throws(
    () => new LZMACodec({ filters: [{ id: 4 }, { id: 33 }] }).encode(new Uint8Array(1)),
    /x86 BCJ filter is not supported/,
  );
  assert.throws(() => new LZMACodec({ check: 2 }).encode(new Uint8Array(1)), /integrity check 2/);
});

Deno.test("lzma: truncated input raises CodecError at every cut", () => {
  const d = bytes("truncate me please ".repeat(50));
  for (
    const opts of [{}, { format: 2 }, { format: 3, filters: [{ id: 33 }] }] as LZMACodecOptions[]
  ) {
    const c = new LZMACodec(opts);
    const packed = c.encode(d);
    for (let cut = 0; cut < packed.length; cut++) {
      assert.throws(
        () => c.decode(packed.subarray(0, cut)),
        CodecError,
        `${opts.format} cut ${cut}`,
      );
    }
  }
});

Deno.test("lzma: every bit flip in an .xz stream is detected", () => {
  const d = bytes(Array.from({ length: 30 }, (_, i) => `row ${i * 13} = ${i % 4}`).join(";"));
  for (const check of [1, 4, 10]) {
    const c = new LZMACodec({ check });
    const packed = c.encode(d);
    for (let i = 0; i < packed.length; i++) {
      for (let b = 0; b < 8; b++) {
        const bad = packed.slice();
        bad[i] ^= 1 << b;
        assert.throws(() => c.decode(bad), CodecError, `check ${check} flip ${i}:${b}`);
      }
    }
  }
});

Deno.test("lzma: random mutations of unchecked streams fail cleanly or decode", () => {
  const d = field(3000);
  let failures = 0;
  for (const opts of [{ format: 2 }, { format: 3, filters: [{ id: 33 }] }] as LZMACodecOptions[]) {
    const c = new LZMACodec(opts);
    const packed = c.encode(d);
    let s = 77;
    for (let t = 0; t < 400; t++) {
      const bad = packed.slice();
      for (let k = 0; k < 3; k++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        bad[13 + (s % (bad.length - 13))] ^= 1 + (s >>> 24) % 255;
      }
      try {
        c.decode(bad, { maxOutputLength: d.length * 2 });
      } catch (e) {
        assert.ok(e instanceof CodecError, `unexpected ${e}`);
        failures++;
      }
    }
  }
  assert.ok(failures > 0);
});

Deno.test("lzma: maxOutputLength bounds the output (bombs), distances beyond the dictionary", () => {
  const big = new Uint8Array(10_000_000);
  for (
    const opts of [{}, { format: 2 }, { format: 3, filters: [{ id: 33 }] }] as LZMACodecOptions[]
  ) {
    const c = new LZMACodec(opts);
    const bomb = c.encode(big);
    assert.throws(
      () => c.decode(bomb, { maxOutputLength: 4096 }),
      /exceeds the expected maximum of 4096/,
      JSON.stringify(opts),
    );
    const small = c.encode(new Uint8Array([1, 2, 3]));
    assert.throws(() => c.decode(small, { maxOutputLength: 2 }), CodecError);
    assert.deepEqual(c.decode(small, { maxOutputLength: 3 }), new Uint8Array([1, 2, 3]));
  }
  // a match 20000 bytes back in a stream declared with a 4 KiB dictionary
  const n = noise(20_000, 4);
  const twice = new Uint8Array([...n, ...n]);
  const packed = new LZMACodec({ format: 3, filters: [{ id: 33 }] }).encode(twice);
  const small = new LZMACodec({ format: 3, filters: [{ id: 33, dict_size: 4096 }] });
  assert.throws(() => small.decode(packed), /beyond the dictionary/);
});

Deno.test("lzma: xzCompress / xzDecompress helpers", () => {
  const d = bytes("helper ".repeat(100));
  assert.deepEqual(xzDecompress(xzCompress(d, { check: 1, preset: 3 })), d);
  assert.throws(() => xzCompress(d, { check: 7 }), /unsupported integrity check/);
});

Deno.test("lzma: arrays with an lzma compressor round trip through the public API (v2 and v3)", async () => {
  const values = Int32Array.from({ length: 50 * 20 }, (_, i) => (i * 7919) % 1000 - 500);
  for (const zarrFormat of [2, 3] as const) {
    const store = new zarr.MemoryStore();
    const a = await zarr.createArray(store, {
      shape: [50, 20],
      chunks: [20, 20],
      dtype: "int32",
      zarrFormat,
      compressors: new LZMACodec({ preset: 1 }),
    });
    await a.setitem(null, zarr.ndarray(values, [50, 20], "int32"));
    const doc = JSON.parse(
      new TextDecoder().decode((await store.get(zarrFormat === 2 ? ".zarray" : "zarr.json"))!),
    );
    const cfg = { format: 1, check: -1, preset: 1, filters: null };
    if (zarrFormat === 2) assert.deepEqual(doc.compressor, { id: "lzma", ...cfg });
    else assert.deepEqual(doc.codecs.at(-1), { name: "numcodecs.lzma", configuration: cfg });
    const b = await zarr.openArray({ store, mode: "r" });
    assert.deepEqual((await b.getitem(null) as zarr.NDArray).data, values);
  }
});

const V2_BASE = "v2-zarr-python-2.13";
const SKIP = fixturesMissing("lzma fixtures", [
  `${V2_BASE}/manifest.json`,
  `${V2_BASE}/data.zarr/compressors/lzma`,
]);

Deno.test({
  name: "lzma fixtures: zarr-python 2.13 compressors/lzma matches its manifest sha256",
  ignore: SKIP,
  fn: async () => {
    const manifest = JSON.parse(Deno.readTextFileSync(`${FIXTURES}/${V2_BASE}/manifest.json`));
    const entry = manifest.arrays["compressors/lzma"];
    assert.deepEqual(entry.zarray.compressor, {
      check: -1,
      filters: null,
      format: 1,
      id: "lzma",
      preset: null,
    });
    const a = await zarr.openArray({
      store: `${FIXTURES}/${V2_BASE}/data.zarr/compressors/lzma`,
      mode: "r",
    });
    assert.deepEqual(a.shape, entry.shape);
    const nd = await a.getitem("...") as zarr.NDArray;
    assert.equal(await manifestSha256(nd), entry.sha256);
  },
});
