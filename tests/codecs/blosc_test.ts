/**
 * Unit tests of the blosc codec: the shuffles against bit-level references, the LZ4 / BloscLZ /
 * Snappy stream formats, the c-blosc 1.x container (block sizes, header flags, split streams,
 * memcpyed fallbacks), metadata forms (v3 `blosc`, `numcodecs.blosc`, v2), and hostile input
 * (truncation, lying headers, bit flips) raising CodecError without out-of-bounds reads.
 */
import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import {
  bitshuffleBlock,
  bitunshuffleBlock,
  BloscCodec,
  bloscCompress,
  bloscDecompress,
  blosclzCompress,
  blosclzDecompress,
  computeBlocksize,
  lz4Compress,
  lz4CompressBound,
  lz4CompressHC,
  lz4Decompress,
  readBloscHeader,
  shuffleBlock,
  snappyCompress,
  snappyDecompress,
  snappyMaxCompressedLength,
  unshuffleBlock,
} from "../../src/codecs/blosc/mod.ts";
import type { BloscCname } from "../../src/codecs/blosc/mod.ts";
import { buildPipeline } from "../../src/codecs/pipeline.ts";
import { codecFromMetadata, codecFromV2, hasV2Form } from "../../src/codecs/registry.ts";
import { CodecError, MetadataValidationError, ZarrValueError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import { deriveV2Codecs, v2EncodingFromCodecs } from "../../src/metadata/codec_chain.ts";

const CNAMES: BloscCname[] = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];

/** A smooth float32 field with a little noise, as bytes (compressible, but not trivially). */
function field(nbytes: number, seed = 1): Uint8Array {
  const f = new Float32Array(Math.ceil(nbytes / 4));
  let s = seed;
  for (let i = 0; i < f.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    f[i] = Math.sin(i / 40) * 100 + (s / 2 ** 32) * 0.01;
  }
  return new Uint8Array(f.buffer, 0, nbytes).slice();
}

function noise(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

function refShuffle(ts: number, src: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / ts);
  const out = src.slice();
  for (let j = 0; j < ts; j++) for (let i = 0; i < n; i++) out[j * n + i] = src[i * ts + j];
  return out;
}

/** c-blosc's bitshuffle, bit by bit: bit-row 8j+b holds bit b of byte j of every element. */
function refBitshuffle(ts: number, src: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / ts);
  const out = src.slice();
  if (n % 8 !== 0) return out;
  out.fill(0, 0, n * ts);
  const rowBytes = n / 8;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < ts; j++) {
      for (let b = 0; b < 8; b++) {
        const bit = (src[i * ts + j] >> b) & 1;
        const row = j * 8 + b;
        out[row * rowBytes + (i >> 3)] |= bit << (i & 7);
      }
    }
  }
  return out;
}

Deno.test("blosc shuffle: byte shuffle matches the reference for all widths, tails, alignments", () => {
  for (const ts of [1, 2, 3, 4, 5, 8, 16, 17]) {
    for (const size of [0, 3, 7, 64, 100, 1000, 4096, 4099]) {
      for (const off of [0, 1, 2, 4]) {
        const buf = noise(size + 8, ts * 31 + size);
        const src = buf.subarray(off, off + size);
        const out = new Uint8Array(size + 8);
        shuffleBlock(ts, size, src, 0, out, off);
        assert.deepEqual(
          out.subarray(off, off + size),
          refShuffle(ts, src),
          `${ts}/${size}/${off}`,
        );
        const back = new Uint8Array(size + 8);
        const at = (4 - off) & 3;
        unshuffleBlock(ts, size, out, off, back, at);
        assert.deepEqual(back.subarray(at, at + size), src, `unshuffle ${ts}/${size}/${off}`);
      }
    }
  }
});

Deno.test("blosc shuffle: bit shuffle matches the bit-level reference; non-multiples of 8 are copied", () => {
  for (const ts of [1, 2, 3, 4, 8, 16]) {
    for (const elems of [0, 3, 8, 16, 24, 100, 1024]) {
      for (const tail of [0, 1]) {
        const size = elems * ts + (ts > 1 ? tail : 0);
        const src = noise(size, elems + ts);
        const out = new Uint8Array(size);
        bitshuffleBlock(ts, size, src, 0, out, 0);
        assert.deepEqual(out, refBitshuffle(ts, src), `${ts}/${elems}/${tail}`);
        const back = new Uint8Array(size);
        bitunshuffleBlock(ts, size, out, 0, back, 0);
        assert.deepEqual(back, src);
      }
    }
  }
  // one element with only bit 0 set in every byte
  const out = new Uint8Array(8);
  bitshuffleBlock(1, 8, new Uint8Array(8).fill(1), 0, out, 0);
  assert.deepEqual([...out], [255, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("lz4 block: round trips, known stream, end-of-block rules", () => {
  const inputs = [
    new Uint8Array(0),
    new Uint8Array([42]),
    new Uint8Array(12).fill(1),
    new Uint8Array(13).fill(1),
    new TextEncoder().encode("abcabcabcabcabcabcabcabcabcabcabcabc-the end"),
    new Uint8Array(100_000),
    field(200_001),
    noise(70_000),
  ];
  for (const input of inputs) {
    for (const [hc, level] of [[false, 1], [false, 5], [false, 9], [true, 1], [true, 9]] as const) {
      const out = new Uint8Array(lz4CompressBound(input.length));
      const n = (hc ? lz4CompressHC : lz4Compress)(
        input,
        0,
        input.length,
        out,
        0,
        out.length,
        level,
      );
      assert.ok(n > 0);
      // parse the sequences: the last one has literals only and >= 5 of them when
      // the input has >= 13 bytes; no match starts within the last 12 bytes
      let p = 0;
      let produced = 0;
      for (;;) {
        const token = out[p++];
        let lit = token >> 4;
        if (lit === 15) { for (let b = 255; b === 255; lit += b) b = out[p++]; }
        p += lit;
        produced += lit;
        if (p === n) {
          if (input.length >= 13) assert.ok(lit >= 5, "last literals");
          break;
        }
        assert.ok(produced < input.length - 12 || input.length < 13, "match start");
        p += 2;
        let ml = token & 15;
        if (ml === 15) { for (let b = 255; b === 255; ml += b) b = out[p++]; }
        produced += ml + 4;
      }
      assert.equal(produced, input.length);
      const back = new Uint8Array(input.length);
      assert.equal(lz4Decompress(out, 0, n, back, 0, back.length), input.length);
      assert.deepEqual(back, input);
    }
  }
  // hand-made: literal "ab", match offset 2 length 6 -> "abababab", then 5 literals
  const stream = new Uint8Array([0x22, 97, 98, 2, 0, 0x50, 1, 2, 3, 4, 5]);
  const out = new Uint8Array(13);
  lz4Decompress(stream, 0, stream.length, out, 0, 13);
  assert.deepEqual([...out], [97, 98, 97, 98, 97, 98, 97, 98, 1, 2, 3, 4, 5]);
  // corrupt: offset beyond the output, truncated, too long
  const dst = new Uint8Array(20);
  assert.throws(() => lz4Decompress(new Uint8Array([0x10, 1, 5, 0]), 0, 4, dst, 0, 20), /offset/);
  assert.throws(() => lz4Decompress(stream, 0, 4, dst, 0, 20), /truncated/);
  assert.throws(() => lz4Decompress(stream, 0, stream.length, dst, 0, 12), /larger/);
  assert.throws(() => lz4Decompress(new Uint8Array([0xf0, 255]), 0, 2, dst, 0, 20), /truncated/);
  // output that does not fit: 0 (caller stores raw)
  const small = new Uint8Array(10);
  assert.equal(lz4Compress(noise(1000), 0, 1000, small, 0, 10), 0);
  assert.equal(lz4CompressHC(noise(1000), 0, 1000, small, 0, 10), 0);
  // the hc search finds denser encodings than the fast one
  const f = field(300_000);
  const a = new Uint8Array(lz4CompressBound(f.length));
  const fast = lz4Compress(f, 0, f.length, a, 0, a.length, 1);
  const dense = lz4CompressHC(f, 0, f.length, a, 0, a.length, 9);
  assert.ok(dense < fast, `hc ${dense} < fast ${fast}`);
});

Deno.test("blosclz: round trips, hand-made stream with near, far and run matches, corrupt input", () => {
  for (const input of [field(100_000), new Uint8Array(70_000).fill(9), noise(5000), field(17)]) {
    const out = new Uint8Array(input.length + 64);
    const n = blosclzCompress(input, 0, input.length, out, 0, out.length);
    if (n === 0) continue; // incompressible: stored raw by blosc
    assert.equal(out[0] >> 5, 1, "marker on the first control byte");
    const back = new Uint8Array(input.length);
    assert.equal(blosclzDecompress(out, 0, n, back, 0, back.length), input.length);
    assert.deepEqual(back, input);
  }
  // far matches: a block repeated 9000 bytes apart
  const far = new Uint8Array(20_000);
  far.set(noise(1000, 3), 0);
  far.set(noise(1000, 3), 9500);
  const out = new Uint8Array(30_000);
  const n = blosclzCompress(far, 0, far.length, out, 0, out.length);
  assert.ok(n > 0 && n < far.length);
  const back = new Uint8Array(far.length);
  blosclzDecompress(out, 0, n, back, 0, back.length);
  assert.deepEqual(back, far);
  // hand-made: literal "ab", then a run (distance 1) of 5, then literal "z"
  // match: length field 3 (5 bytes), distance-1 = 0 -> ctrl (3<<5)|0, byte 0
  const stream = new Uint8Array([0x21, 97, 98, 0x60, 0, 0, 122]);
  const dst = new Uint8Array(8);
  blosclzDecompress(stream, 0, stream.length, dst, 0, 8);
  assert.deepEqual([...dst], [97, 98, 98, 98, 98, 98, 98, 122]);
  assert.throws(() => blosclzDecompress(stream, 0, 4, dst, 0, 8), /corrupt/);
  assert.throws(() => blosclzDecompress(stream, 0, stream.length, dst, 0, 7), /larger/);
  // distance reaching before the start
  assert.throws(
    () => blosclzDecompress(new Uint8Array([0, 1, 0x20, 5, 0]), 0, 5, dst, 0, 8),
    /distance/,
  );
});

Deno.test("snappy: round trips across fragments, hand-made stream, corrupt input", () => {
  for (const input of [field(200_000), new Uint8Array(150_000), noise(3000), new Uint8Array(5)]) {
    const out = new Uint8Array(snappyMaxCompressedLength(input.length));
    const n = snappyCompress(input, 0, input.length, out, 0, out.length);
    assert.ok(n > 0);
    const back = new Uint8Array(input.length);
    assert.equal(snappyDecompress(out, 0, n, back, 0, back.length), input.length);
    assert.deepEqual(back, input);
  }
  // length 10; literal "abcd" (tag 3<<2); copy-1 len 6 offset 4 (tag ((6-4)<<2)|1)
  const stream = new Uint8Array([10, 3 << 2, 97, 98, 99, 100, (2 << 2) | 1, 4]);
  const dst = new Uint8Array(10);
  snappyDecompress(stream, 0, stream.length, dst, 0, 10);
  assert.equal(new TextDecoder().decode(dst), "abcdabcdab");
  assert.throws(() => snappyDecompress(stream, 0, stream.length, dst, 0, 9), /declares/);
  assert.throws(() => snappyDecompress(stream, 0, 7, dst, 0, 10), /truncated/);
  const badOffset = new Uint8Array([10, 3 << 2, 97, 98, 99, 100, (2 << 2) | 1, 9]);
  assert.throws(() => snappyDecompress(badOffset, 0, 8, dst, 0, 10), /offset/);
  assert.throws(
    () => snappyDecompress(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 1]), 0, 6, dst, 0, 10),
    /varint/,
  );
});

Deno.test("blosc container: automatic block sizes follow c-blosc 1.x", () => {
  const MiB = 1 << 20;
  // lz4 clevel 5: 32K*4 = 128K, split (typesize 4) -> x4 = 512K
  assert.equal(computeBlocksize("lz4", 5, 4, 4 * MiB, 0), 512 * 1024);
  // zstd: doubled (high ratio), never split
  assert.equal(computeBlocksize("zstd", 5, 4, 4 * MiB, 0), 256 * 1024);
  assert.equal(computeBlocksize("zstd", 9, 8, 16 * MiB, 0), 1024 * 1024);
  assert.equal(computeBlocksize("blosclz", 1, 1, 4 * MiB, 0), 64 * 1024);
  assert.equal(computeBlocksize("lz4", 5, 16, 4 * MiB, 0), MiB);
  // small buffers: the whole buffer, a multiple of the typesize
  assert.equal(computeBlocksize("lz4", 5, 4, 1000, 0), 1000);
  assert.equal(computeBlocksize("lz4", 5, 3, 1000, 0), 999);
  assert.equal(computeBlocksize("lz4", 5, 8, 5, 0), 1);
  // forced: clamped to at least 128, enlarged when split
  assert.equal(computeBlocksize("zstd", 5, 4, 1 << 20, 100), 128);
  assert.equal(computeBlocksize("lz4", 5, 4, 1 << 20, 4096), 64 * 1024);
});

Deno.test("blosc container: round trip for every cname x shuffle x typesize x size x clevel", () => {
  const sizes = [0, 1, 127, 128, 1000, 33_333, 300_001];
  for (const cname of CNAMES) {
    for (const shuffle of [0, 1, 2] as const) {
      for (const typesize of [1, 2, 3, 4, 8, 16, 300]) {
        for (const size of sizes) {
          for (const clevel of size === 33_333 ? [0, 1, 5, 9] : [5]) {
            const raw = field(size, size + typesize);
            const enc = bloscCompress(raw, { cname, clevel, shuffle, typesize });
            const what = `${cname}/${shuffle}/${typesize}/${size}/${clevel}`;
            assert.ok(enc.length <= size + 16, `${what}: never larger than nbytes + 16`);
            const h = readBloscHeader(enc);
            assert.equal(h.cbytes, enc.length, what);
            assert.equal(h.nbytes, size, what);
            assert.equal(h.typesize, typesize > 255 ? 1 : typesize, what);
            assert.deepEqual(bloscDecompress(enc), raw, what);
          }
        }
      }
    }
  }
});

Deno.test("blosc container: header flags, memcpyed fallbacks, forced block size", () => {
  const raw = field(100_000);
  const flagsOf = (cname: BloscCname, shuffle: 0 | 1 | 2) =>
    readBloscHeader(bloscCompress(raw, { cname, clevel: 5, shuffle, typesize: 4 })).flags;
  assert.equal(flagsOf("lz4", 1), 0x01 | (1 << 5)); // split, lz4 format
  assert.equal(flagsOf("blosclz", 2), 0x04);
  assert.equal(flagsOf("zstd", 0), 0x10 | (4 << 5)); // zstd never splits
  assert.equal(flagsOf("zlib", 1), 0x01 | (3 << 5));
  assert.equal(flagsOf("snappy", 1), 0x01 | (2 << 5));
  assert.equal(flagsOf("lz4hc", 1) >> 5, 1); // lz4hc writes the lz4 format
  // small buffers and clevel 0 are memcpyed
  const tiny = bloscCompress(field(100), { cname: "lz4", clevel: 5, shuffle: 1, typesize: 4 });
  assert.equal(tiny.length, 116);
  assert.ok(readBloscHeader(tiny).memcpyed);
  const zero = bloscCompress(raw, { cname: "zstd", clevel: 0, shuffle: 1, typesize: 4 });
  assert.ok(readBloscHeader(zero).memcpyed);
  assert.deepEqual(zero.subarray(16), raw);
  // incompressible data: memcpyed or raw streams, never more than nbytes + 16
  for (const cname of CNAMES) {
    const r = noise(50_000, 3);
    const enc = bloscCompress(r, { cname, clevel: 9, shuffle: 0, typesize: 1 });
    assert.ok(enc.length <= r.length + 16, cname);
    assert.deepEqual(bloscDecompress(enc), r);
  }
  // forced block size: several blocks plus a leftover block
  const enc = bloscCompress(raw, {
    cname: "lz4",
    clevel: 5,
    shuffle: 1,
    typesize: 4,
    blocksize: 8192,
  });
  const h = readBloscHeader(enc);
  assert.equal(h.blocksize, 65536); // 8192 x typesize, raised to the 64 KiB split minimum
  assert.deepEqual(bloscDecompress(enc), raw);
  const enc2 = bloscCompress(raw, {
    cname: "zstd",
    clevel: 5,
    shuffle: 2,
    typesize: 4,
    blocksize: 9000,
  });
  assert.equal(readBloscHeader(enc2).blocksize, 9000);
  assert.deepEqual(bloscDecompress(enc2), raw);
  // parameter errors
  assert.throws(
    () => bloscCompress(raw, { cname: "lz4", clevel: 10, shuffle: 1, typesize: 4 }),
    ZarrValueError,
  );
  assert.throws(
    () => bloscCompress(raw, { cname: "lz4", clevel: 5, shuffle: 3 as never, typesize: 4 }),
    ZarrValueError,
  );
  assert.throws(
    () => bloscCompress(raw, { cname: "brotli" as never, clevel: 5, shuffle: 1, typesize: 4 }),
    ZarrValueError,
  );
});

/** A valid lz4 + shuffle buffer with several blocks and split streams. */
function sampleBuffer(): { enc: Uint8Array; raw: Uint8Array } {
  const raw = field(40_000);
  const enc = bloscCompress(raw, {
    cname: "lz4",
    clevel: 5,
    shuffle: 1,
    typesize: 4,
    blocksize: 4096,
  });
  return { enc, raw };
}

function withU32(b: Uint8Array, pos: number, v: number): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(pos, v, true);
  return c;
}

Deno.test("blosc decode: truncated and lying headers raise CodecError", () => {
  const { enc, raw } = sampleBuffer();
  assert.deepEqual(bloscDecompress(enc), raw);
  // every truncation
  for (let n = 0; n < enc.length; n += n < 64 ? 1 : 97) {
    assert.throws(() => bloscDecompress(enc.subarray(0, n)), CodecError, `truncated at ${n}`);
  }
  // trailing bytes after cbytes are ignored, as c-blosc does
  const longer = new Uint8Array(enc.length + 5);
  longer.set(enc);
  assert.deepEqual(bloscDecompress(longer), raw);
  // a huge declared size: refused before allocating, with and without a maximum
  const huge = withU32(enc, 4, 2 ** 31 - 100);
  assert.throws(() => bloscDecompress(huge, { maxOutputLength: 40_064 }), /expected maximum/);
  assert.throws(() => bloscDecompress(huge), CodecError);
  const big = withU32(withU32(enc, 4, 500_000_000), 8, 500_000_000);
  assert.throws(() => bloscDecompress(big), /can hold/);
  assert.throws(() => bloscDecompress(withU32(enc, 4, 40_001)), CodecError);
  // bad header fields
  const bad = (pos: number, v: number) => {
    const c = enc.slice();
    c[pos] = v;
    return c;
  };
  assert.throws(() => bloscDecompress(bad(0, 3)), /version 3/);
  assert.throws(() => bloscDecompress(bad(1, 2)), /format version/);
  assert.throws(() => bloscDecompress(bad(2, enc[2] | 0x08)), /reserved/);
  assert.throws(() => bloscDecompress(bad(2, (enc[2] & 0x1f) | (6 << 5))), /unknown inner/);
  assert.throws(() => bloscDecompress(bad(3, 0)), /typesize 0/);
  assert.throws(() => bloscDecompress(withU32(enc, 8, 0)), /block size/);
  assert.throws(() => bloscDecompress(withU32(enc, 8, 80_000)), /block size/);
  assert.throws(() => bloscDecompress(withU32(enc, 12, 8)), /encoded size/);
  // a block offset and a stream size pointing outside the buffer
  assert.throws(() => bloscDecompress(withU32(enc, 16, enc.length - 2)), /outside/);
  const first = new DataView(enc.buffer, enc.byteOffset).getUint32(16, true);
  assert.throws(() => bloscDecompress(withU32(enc, first, 1 << 30)), /past the buffer end/);
  // memcpyed flag with a size mismatch
  assert.throws(() => bloscDecompress(bad(2, enc[2] | 0x02)), /memcpyed/);
  // empty buffers decode to nothing
  const empty = bloscCompress(new Uint8Array(0), {
    cname: "lz4",
    clevel: 5,
    shuffle: 1,
    typesize: 4,
  });
  assert.equal(empty.length, 16);
  assert.equal(bloscDecompress(empty).length, 0);
});

Deno.test("blosc decode: random corruption only ever raises CodecError", () => {
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const raw = field(30_000);
  for (const cname of CNAMES) {
    for (const shuffle of [0, 1, 2] as const) {
      const enc = bloscCompress(raw, { cname, clevel: 5, shuffle, typesize: 4, blocksize: 4096 });
      for (let t = 0; t < 60; t++) {
        const b = enc.slice();
        const flips = 1 + Math.floor(rnd() * 4);
        for (let k = 0; k < flips; k++) {
          b[16 + Math.floor(rnd() * (b.length - 16))] ^= 1 << Math.floor(rnd() * 8);
        }
        try {
          const out = bloscDecompress(b, { maxOutputLength: raw.length });
          assert.equal(out.length, raw.length);
        } catch (e) {
          assert.ok(e instanceof CodecError, `${cname}/${shuffle}: ${String(e)}`);
        }
      }
    }
  }
});

Deno.test("blosc codec: v3 metadata as zarr-python 3 writes it, tuned from the data type", () => {
  const make = (cfg: Record<string, unknown>, dtype: string) =>
    codecFromMetadata({ name: "blosc", configuration: cfg }, "a", {
      dtype: parseDataType(dtype),
    }) as BloscCodec;
  assert.equal(
    JSON.stringify(make({}, "float32").toJSON()),
    '{"name":"blosc","configuration":{"typesize":4,"cname":"zstd","clevel":5,"shuffle":"shuffle","blocksize":0}}',
  );
  assert.equal(make({}, "uint8").shuffle, "bitshuffle");
  assert.equal(make({}, "uint8").typesize, 1);
  assert.equal(make({ typesize: 4 }, "uint8").shuffle, "bitshuffle"); // tuned by the item size
  assert.equal(make({ shuffle: "noshuffle", cname: "lz4" }, "int64").typesize, 8);
  assert.equal(
    JSON.stringify(
      make(
        { typesize: 2, cname: "lz4hc", clevel: 9, shuffle: "bitshuffle", blocksize: 4096 },
        "int16",
      )
        .toV2JSON(),
    ),
    '{"id":"blosc","cname":"lz4hc","clevel":9,"shuffle":2,"blocksize":4096}',
  );
  // without a data type: zarr-python's untuned defaults
  const bare = new BloscCodec();
  assert.equal(bare.typesize, 1);
  assert.equal(bare.shuffle, "bitshuffle");
  assert.throws(() => make({ cname: "brotli" }, "int8"), MetadataValidationError);
  assert.throws(() => make({ shuffle: 1 }, "int8"), MetadataValidationError);
  assert.throws(() => make({ typesize: 0 }, "int8"), MetadataValidationError);
  assert.throws(() => make({ clevel: 1.5 }, "int8"), MetadataValidationError);
  assert.throws(() => make({ level: 1 }, "int8"), MetadataValidationError);
  // clevel is checked when encoding, as numcodecs does
  assert.throws(() => make({ clevel: 12 }, "int8").encode(new Uint8Array(10)), ZarrValueError);
});

Deno.test("blosc codec: v2 numcodecs config and numcodecs.blosc", () => {
  const v2 = (cfg: Record<string, unknown>, dtype = "float64") =>
    codecFromV2({ id: "blosc", ...cfg }, "a", { dtype: parseDataType(dtype) }) as BloscCodec;
  const d = v2({});
  assert.ok(hasV2Form(d));
  assert.equal(
    JSON.stringify(d.toV2JSON()),
    '{"id":"blosc","cname":"lz4","clevel":5,"shuffle":1,"blocksize":0}',
  );
  assert.equal(d.typesize, 8);
  assert.equal(d.name, "numcodecs.blosc");
  assert.equal(
    JSON.stringify(d.toJSON()),
    '{"name":"numcodecs.blosc","configuration":{"cname":"lz4","clevel":5,"shuffle":1,"blocksize":0}}',
  );
  // AUTOSHUFFLE (-1): bit shuffle for 1-byte items, byte shuffle otherwise; kept as -1
  assert.equal(v2({ shuffle: -1 }, "uint8").shuffle, "bitshuffle");
  assert.equal(v2({ shuffle: -1 }, "int32").shuffle, "shuffle");
  assert.equal(v2({ shuffle: -1 }, "int32").toV2JSON().shuffle, -1);
  // numcodecs 0.16+ typesize
  assert.equal(v2({ typesize: 2 }).typesize, 2);
  assert.equal(v2({ typesize: 2 }).toV2JSON().typesize, undefined);
  assert.throws(() => v2({ typesize: 0 }), MetadataValidationError);
  assert.throws(() => v2({ shuffle: 5 }), MetadataValidationError);
  assert.throws(() => v2({ shuffle: "shuffle" }), MetadataValidationError);
  assert.throws(() => v2({ nthreads: 2 }), MetadataValidationError);
  // an unknown cname still decodes (the buffer names its compressor) but cannot encode
  const odd = v2({ cname: "brotli" });
  const enc = v2({ cname: "zstd" }).encode(field(4000));
  assert.deepEqual(odd.decode(enc), field(4000));
  assert.throws(() => odd.encode(field(4000)), ZarrValueError);
  // the v3 numcodecs.blosc name
  const n = codecFromMetadata(
    {
      name: "numcodecs.blosc",
      configuration: { cname: "zlib", clevel: 1, shuffle: 2, blocksize: 0 },
    },
    "a",
    { dtype: parseDataType("int16") },
  ) as BloscCodec;
  assert.equal(n.shuffle, "bitshuffle");
  assert.equal(n.typesize, 2);
});

Deno.test("blosc codec: the pipeline encodes with the array's item size; v2 <-> v3 chains", async () => {
  for (const [dtype, items] of [["float64", 8], ["int16", 2], ["uint8", 1]] as const) {
    const dt = parseDataType(dtype);
    const p = buildPipeline(
      [defaultBytes(items), { name: "blosc", configuration: { cname: "lz4" } }],
      "a",
      { dtype: dt, shape: [5000] },
    );
    const spec = { shape: [5000], dtype: dt, fillValue: 0 };
    const data = dtype === "float64"
      ? new Float64Array(5000).map((_, i) => Math.sin(i / 10))
      : dtype === "int16"
      ? new Int16Array(5000).map((_, i) => i % 300)
      : new Uint8Array(5000).map((_, i) => i % 7);
    const bytes = await p.encode({ data, shape: [5000] }, spec);
    assert.equal(readBloscHeader(bytes).typesize, items, dtype);
    assert.deepEqual((await p.decode(bytes, spec)).data, data);
  }
  // v2 compressor -> chain -> pipeline (typesize from the dtype) -> back to v2
  const dt = parseDataType("int32");
  const compressor = { id: "blosc", cname: "snappy", clevel: 3, shuffle: 2, blocksize: 0 };
  const chain = deriveV2Codecs({
    dataType: dt,
    endian: "little",
    order: "C",
    ndim: 1,
    filters: null,
    compressor,
  });
  assert.deepEqual(chain[1], {
    name: "numcodecs.blosc",
    configuration: { cname: "snappy", clevel: 3, shuffle: 2, blocksize: 0 },
  });
  const p = buildPipeline(chain, "a", { dtype: dt, shape: [1000] });
  const spec = { shape: [1000], dtype: dt, fillValue: 0 };
  const data = new Int32Array(1000).map((_, i) => i * 3);
  const bytes = await p.encode({ data, shape: [1000] }, spec);
  assert.equal(readBloscHeader(bytes).typesize, 4);
  assert.equal(readBloscHeader(bytes).shuffle, "bitshuffle");
  assert.deepEqual(v2EncodingFromCodecs(p.toJSON(), dt, 1).compressor, compressor);
  // a v3 blosc chain written as v2
  const v3 = buildPipeline([defaultBytes(4), { name: "blosc" }], "a", { dtype: dt, shape: [10] });
  assert.deepEqual(v2EncodingFromCodecs(v3.toJSON(), dt, 1).compressor, {
    id: "blosc",
    cname: "zstd",
    clevel: 5,
    shuffle: 1,
    blocksize: 0,
  });
  // a corrupt chunk names the codec
  await assert.rejects(p.decode(bytes.subarray(0, 20), spec, "c/0"), /blosc/);
});

function defaultBytes(items: number) {
  return items === 1 ? { name: "bytes" } : { name: "bytes", configuration: { endian: "little" } };
}
