/**
 * The numcodecs BZ2 codec: round trips (sizes, levels, run-length edge cases, several blocks),
 * streams written by Python's `bz2`, metadata forms, bounded and safe decoding (truncation, bit
 * flips, bombs), the BWT and Huffman building blocks, arrays written and read through the
 * public API, and the bz2 fixtures of zarr-python 2.13 and zarrs.
 */
import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { BZ2Codec } from "../../src/codecs/bz2/codec.ts";
import { bz2Decompress } from "../../src/codecs/bz2/decode.ts";
import { bz2Compress } from "../../src/codecs/bz2/encode.ts";
import { bwtForward, bwtInverse, sortRotations } from "../../src/codecs/bz2/bwt.ts";
import { bz2Crc } from "../../src/codecs/bz2/crc.ts";
import { buildCodeLengths, HuffmanDecoder } from "../../src/codecs/bz2/huffman.ts";
import { codecFromMetadata, codecFromV2 } from "../../src/codecs/registry.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import { FIXTURES, fixturesMissing, manifestSha256 } from "../interop/helpers.ts";

function hex(s: string): Uint8Array {
  return new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));
}

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

/** Runs of every length 1..300 of changing bytes (exercises the initial RLE). */
function runs(): Uint8Array {
  const parts: number[] = [];
  for (let len = 1; len <= 300; len++) for (let k = 0; k < len; k++) parts.push(len & 0xff);
  return new Uint8Array(parts);
}

// bz2.compress(b"hello hello hello\n" * 3, 9) and bz2.compress(b"ab", 1) + bz2.compress(b"cd", 9)
const PY_HELLO = hex(
  "425a6839314159265359a6d15e8800000d5100001040000244a00030c002950c9b191e5eb2351f177245385090a6d15e88",
);
const PY_TWO_STREAMS = hex(
  "425a6831314159265359e993fdcd000000010030002000210082b177245385090e993fdcd0425a6839314159" +
    "26535953e72e7000000001000c002000210082b17724538509053e72e700",
);

Deno.test("bz2: CRC matches the bzip2 check value", () => {
  assert.equal(bz2Crc(new TextEncoder().encode("123456789")), 0xfc891918);
  assert.equal(bz2Crc(new Uint8Array(0)), 0);
});

Deno.test("bz2: rotation sort and BWT (periodic, constant and random blocks)", () => {
  const enc = new TextEncoder();
  const banana = bwtForward(enc.encode("banana"));
  assert.equal(new TextDecoder().decode(banana.last), "nnbaaa");
  assert.equal(banana.origPtr, 3);
  const cmp = (a: Uint8Array, i: number, j: number) => {
    for (let k = 0; k < a.length; k++) {
      const d = a[(i + k) % a.length] - a[(j + k) % a.length];
      if (d !== 0) return d;
    }
    return 0;
  };
  const blocks = [
    new Uint8Array([7]),
    new Uint8Array(50).fill(3),
    enc.encode("abababababababab"),
    noise(500, 1),
    new Uint8Array(2000).map((_, i) => (i % 37 < 30 ? i % 5 : 9)),
    new Uint8Array(3000).map((_, i) => (i % 300) & 0xff), // long period: the tied-group phase
  ];
  for (const b of blocks) {
    const sa = sortRotations(b);
    assert.equal(new Set(sa).size, b.length, "a permutation");
    for (let j = 1; j < sa.length; j++) assert.ok(cmp(b, sa[j - 1], sa[j]) <= 0, "sorted");
    const { last, origPtr } = bwtForward(b);
    assert.deepEqual(bwtInverse(last, origPtr), b);
  }
});

Deno.test("bz2: Huffman code lengths respect the limit and decode tables reject bad lengths", () => {
  const freq = new Int32Array(258).map((_, i) => 2 ** Math.min(30, i >> 3));
  const lengths = buildCodeLengths(freq, 17);
  assert.ok(Math.max(...lengths) <= 17);
  let kraft = 0;
  for (const l of lengths) kraft += 2 ** -l;
  assert.ok(kraft <= 1 + 1e-12);
  assert.deepEqual(buildCodeLengths(new Int32Array([5]), 17), new Uint8Array([1]));
  assert.throws(() => new HuffmanDecoder(new Uint8Array([1, 1, 1])), /over-subscribed/);
  assert.throws(() => new HuffmanDecoder(new Uint8Array([0, 1])), /invalid code length/);
  assert.throws(() => new HuffmanDecoder(new Uint8Array([21, 1])), /invalid code length/);
});

Deno.test("bz2: round trips of many shapes of data at every level", () => {
  const cases: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["one byte", new Uint8Array([42])],
    ["four equal", new Uint8Array([9, 9, 9, 9])],
    ["five equal", new Uint8Array([9, 9, 9, 9, 9])],
    ["259 equal", new Uint8Array(259).fill(1)],
    ["260 equal", new Uint8Array(260).fill(1)],
    ["runs", runs()],
    ["all bytes", new Uint8Array(256 * 4).map((_, i) => i & 0xff)],
    ["noise", noise(20_000, 5)],
    ["text", new TextEncoder().encode("the quick brown fox jumps over the lazy dog ".repeat(200))],
  ];
  for (const [name, data] of cases) {
    for (const level of [1, 5, 9]) {
      const packed = bz2Compress(data, level);
      assert.equal(packed[3], 0x30 + level, `${name}: header digit`);
      assert.deepEqual(bz2Decompress(packed), data, `${name} at level ${level}`);
    }
  }
  assert.equal(bz2Compress(new Uint8Array(0), 9).length, 14); // as bz2.compress(b"")
});

Deno.test("bz2: several blocks (level 1 = 100 kB blocks; > 900 kB at level 9)", () => {
  const big = noise(1_000_000, 9);
  big.fill(0, 300_000, 500_000);
  for (const level of [1, 9]) {
    const packed = bz2Compress(big, level);
    let blocks = 0;
    // count block magics (a byte-aligned search finds at least the first)
    const out = bz2Decompress(packed);
    assert.equal(out.length, big.length);
    assert.ok(out.every((v, i) => v === big[i]), `level ${level}`);
    for (let i = 0; i + 6 <= packed.length; i++) {
      if (packed[i] === 0x31 && packed[i + 1] === 0x41 && packed[i + 2] === 0x59) blocks++;
    }
    assert.ok(blocks >= 1);
  }
  // 5 MB of zeros: the initial RLE packs it into one block
  const zeros = new Uint8Array(5_000_000);
  const packed = bz2Compress(zeros, 9);
  assert.ok(packed.length < 100, `zeros packed into ${packed.length} bytes`);
  assert.deepEqual(bz2Decompress(packed, { maxOutputLength: zeros.length }), zeros);
});

Deno.test("bz2: decodes streams written by Python's bz2 (one and concatenated streams)", () => {
  const hello = new TextEncoder().encode("hello hello hello\n".repeat(3));
  assert.deepEqual(bz2Decompress(PY_HELLO), hello);
  assert.deepEqual(new BZ2Codec().decode(PY_HELLO), hello);
  assert.equal(new TextDecoder().decode(bz2Decompress(PY_TWO_STREAMS)), "abcd");
  assert.deepEqual(bz2Decompress(new Uint8Array(0)), new Uint8Array(0)); // as bz2.decompress(b"")
});

Deno.test("bz2: metadata forms (numcodecs.bz2 / bz2) and registry", () => {
  assert.equal(
    JSON.stringify(new BZ2Codec(9).toJSON()),
    '{"name":"numcodecs.bz2","configuration":{"level":9}}',
  );
  assert.equal(JSON.stringify(new BZ2Codec(9).toV2JSON()), '{"id":"bz2","level":9}');
  assert.equal(new BZ2Codec().level, 1); // numcodecs' default
  assert.equal(BZ2Codec.fromV2({ id: "bz2" }).level, 1);
  assert.equal(
    BZ2Codec.fromMetadata({ name: "numcodecs.bz2", configuration: { level: 4 } }).level,
    4,
  );
  const v2 = codecFromV2({ id: "bz2", level: 9 });
  assert.ok(v2 instanceof BZ2Codec);
  assert.equal((v2 as BZ2Codec).level, 9);
  assert.ok(
    codecFromMetadata({ name: "numcodecs.bz2", configuration: { level: 9 } }) instanceof BZ2Codec,
  );
  for (const level of [0, 10, 1.5, "9"]) {
    assert.throws(() => BZ2Codec.fromV2({ id: "bz2", level }), MetadataValidationError);
  }
  assert.throws(() => BZ2Codec.fromV2({ id: "bz2", level: 9, blocksize: 1 }), /unexpected/);
  assert.throws(() => codecFromV2({ id: "bz2", level: 10 }), MetadataValidationError);
});

Deno.test("bz2: truncated input raises CodecError at every cut", () => {
  const data = new TextEncoder().encode("truncate me ".repeat(100));
  const packed = bz2Compress(data, 9);
  for (let cut = 1; cut < packed.length; cut++) {
    assert.throws(() => new BZ2Codec().decode(packed.subarray(0, cut)), CodecError, `cut ${cut}`);
  }
});

Deno.test("bz2: every single-bit flip is detected or harmless; garbage raises CodecError", () => {
  // Not periodic: a rotation of a periodic block could decode to the same bytes.
  const data = new TextEncoder().encode(
    Array.from({ length: 40 }, (_, i) => `line ${i * i} of ${i % 7}`).join("\n"),
  );
  const packed = bz2Compress(data, 9);
  const c = new BZ2Codec();
  let detected = 0;
  for (let i = 0; i < packed.length; i++) {
    for (let b = 0; b < 8; b++) {
      const bad = packed.slice();
      bad[i] ^= 1 << b;
      try {
        const out = c.decode(bad, { maxOutputLength: data.length });
        // Only the block-size digit (to another large enough one) and the padding bits after
        // the stream CRC may change without effect.
        assert.deepEqual(out, data, `flip ${i}:${b} decoded to different data`);
        assert.ok(i === 3 || i === packed.length - 1, `flip ${i}:${b} went unnoticed`);
      } catch (e) {
        assert.ok(e instanceof CodecError, `flip ${i}:${b}: ${e}`);
        detected++;
      }
    }
  }
  assert.ok(detected >= packed.length * 8 - 9);
  for (let seed = 1; seed <= 50; seed++) {
    const junk = noise(200, seed);
    junk.set([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59]);
    assert.throws(() => c.decode(junk), CodecError);
  }
});

Deno.test("bz2: malformed headers give clear errors", () => {
  const c = new BZ2Codec();
  assert.throws(() => c.decode(new Uint8Array([1, 2, 3, 4, 5])), /not a bzip2 stream/);
  assert.throws(() => c.decode(new Uint8Array([0x42, 0x5a, 0x68, 0x30, 0, 0])), /block size digit/);
  const ok = bz2Compress(new Uint8Array([1, 2, 3]), 9);
  const trailing = new Uint8Array([...ok, 0, 0, 0, 0]);
  assert.throws(() => c.decode(trailing), /unexpected data after the end of bzip2 stream 1/);
  // randomised-block flag (bit 32 after the block magic)
  const rand = ok.slice();
  rand[14] |= 0x80;
  assert.throws(() => c.decode(rand), /randomised blocks/);
  // wrong stored block CRC
  const crc = ok.slice();
  crc[10] ^= 0xff;
  assert.throws(() => c.decode(crc), /block CRC mismatch/);
});

Deno.test("bz2: maxOutputLength bounds the output (bombs)", () => {
  const c = new BZ2Codec(9);
  const bomb = c.encode(new Uint8Array(10_000_000));
  assert.throws(
    () => c.decode(bomb, { maxOutputLength: 4096 }),
    /exceeds the expected maximum of 4096/,
  );
  assert.equal(c.decode(bomb, { maxOutputLength: 10_000_000 }).length, 10_000_000);
  const small = c.encode(new Uint8Array([1, 2, 3]));
  assert.throws(() => c.decode(small, { maxOutputLength: 2 }), CodecError);
  assert.deepEqual(c.decode(small, { maxOutputLength: 3 }), new Uint8Array([1, 2, 3]));
  assert.equal(c.decode(small, { maxOutputLength: Infinity }).length, 3);
});

Deno.test("bz2: arrays with a bz2 compressor round trip through the public API (v2 and v3)", async () => {
  const values = Float32Array.from({ length: 40 * 30 }, (_, i) => Math.sin(i / 17) * 100);
  for (const zarrFormat of [2, 3] as const) {
    const store = new zarr.MemoryStore();
    const a = await zarr.createArray(store, {
      shape: [40, 30],
      chunks: [16, 16],
      dtype: "float32",
      zarrFormat,
      compressors: new BZ2Codec(9),
    });
    await a.setitem(null, zarr.ndarray(values, [40, 30], "float32"));
    const doc = JSON.parse(
      new TextDecoder().decode((await store.get(zarrFormat === 2 ? ".zarray" : "zarr.json"))!),
    );
    if (zarrFormat === 2) assert.deepEqual(doc.compressor, { id: "bz2", level: 9 });
    else {assert.deepEqual(doc.codecs.at(-1), {
        name: "numcodecs.bz2",
        configuration: { level: 9 },
      });}
    const chunk = await store.get(zarrFormat === 2 ? "0.0" : "c/0/0");
    assert.equal(new TextDecoder().decode(chunk!.subarray(0, 4)), "BZh9");
    const b = await zarr.openArray({ store, mode: "r" });
    assert.deepEqual((await b.getitem(null) as zarr.NDArray).data, values);
    // a corrupt chunk names its key
    await store.set(zarrFormat === 2 ? "0.0" : "c/0/0", chunk!.subarray(0, chunk!.length - 3));
    await assert.rejects(
      async () => await b.getitem(null),
      (e: Error) =>
        e instanceof zarr.ZarrError && /numcodecs\.bz2/.test(e.message) &&
        /0[./]0/.test(e.message),
    );
  }
});

const V2_BASE = "v2-zarr-python-2.13";
const ZARRS = "zarrs";
const SKIP = fixturesMissing("bz2 fixtures", [
  `${V2_BASE}/manifest.json`,
  `${V2_BASE}/data.zarr/compressors/bz2_9`,
  `${ZARRS}/v3_zarr_python/array_bz2.zarr`,
  `${ZARRS}/v3/array_bz2.zarr`,
]);

Deno.test({
  name: "bz2 fixtures: zarr-python 2.13 bz2_9 matches its manifest sha256",
  ignore: SKIP,
  fn: async () => {
    const manifest = JSON.parse(Deno.readTextFileSync(`${FIXTURES}/${V2_BASE}/manifest.json`));
    const entry = manifest.arrays["compressors/bz2_9"];
    assert.deepEqual(entry.zarray.compressor, { id: "bz2", level: 9 });
    const a = await zarr.openArray({
      store: `${FIXTURES}/${V2_BASE}/data.zarr/compressors/bz2_9`,
      mode: "r",
    });
    assert.deepEqual(a.shape, entry.shape);
    const nd = await a.getitem("...") as zarr.NDArray;
    assert.equal(await manifestSha256(nd), entry.sha256);
  },
});

Deno.test({
  name: "bz2 fixtures: zarrs' numcodecs.bz2 arrays (zarr-python 3 and zarrs written) read arange",
  ignore: SKIP,
  fn: async () => {
    const want = Float32Array.from({ length: 100 }, (_, i) => i);
    for (const dir of ["v3_zarr_python/array_bz2.zarr", "v3/array_bz2.zarr"]) {
      const a = await zarr.openArray({ store: `${FIXTURES}/${ZARRS}/${dir}`, mode: "r" });
      assert.deepEqual(a.shape, [10, 10]);
      assert.deepEqual((await a.getitem("...") as zarr.NDArray).data, want, dir);
    }
  },
});
