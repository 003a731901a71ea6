/**
 * `bloscDecompressRaw` (blocks decompressed, shuffle left for the GPU stage) and its CPU
 * finishing step `bloscUnshuffleRaw`: together they give exactly `bloscDecompress`'s bytes for
 * every inner compressor, shuffle, typesize (odd ones too) and block size; they report what is
 * left to undo; corrupt input raises the same errors. CPU only, no adapter needed.
 * @module
 */
import assert from "node:assert/strict";
import { BLOSC_CNAMES, bloscCompress, bloscDecompress } from "../../src/codecs/blosc/mod.ts";
import { bloscDecompressRaw, bloscUnshuffleRaw } from "../../src/codecs/blosc/raw.ts";
import { CodecError } from "../../src/errors.ts";

/** Compressible test bytes: element bytes of decreasing entropy. */
function data(n: number, typesize: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = i % typesize;
    out[i] = (s >>> 24) & (j === 0 ? 0xff : j === 1 ? 0x0f : 0x01);
  }
  return out;
}

Deno.test("blosc raw: decompress + CPU unshuffle equals bloscDecompress", () => {
  let shuffled = 0;
  let cases = 0;
  for (const cname of BLOSC_CNAMES) {
    for (const shuffle of [0, 1, 2] as const) {
      for (const typesize of [1, 2, 3, 4, 8, 12, 16, 20]) {
        for (const blocksize of [0, 64, 1000]) {
          for (const n of [100, 4099, 40000]) {
            const src = data(n, typesize, n + typesize);
            const packed = bloscCompress(src, { cname, clevel: 5, shuffle, typesize, blocksize });
            const raw = bloscDecompressRaw(packed);
            assert.equal(raw.nbytes, n);
            assert.equal(raw.data.length, n);
            const want = bloscDecompress(packed);
            assert.deepEqual(bloscUnshuffleRaw(raw), want, `${cname} ${shuffle} ${typesize}`);
            assert.deepEqual(want, src);
            const memcpyed = (packed[2] & 0x02) !== 0;
            const expect = memcpyed || shuffle === 0 || (shuffle === 1 && typesize === 1)
              ? "noshuffle"
              : shuffle === 1
              ? "shuffle"
              : "bitshuffle";
            assert.equal(raw.shuffle, expect, `${cname} ${shuffle} ts${typesize} n${n}`);
            if (raw.shuffle !== "noshuffle") {
              shuffled++;
              // big default blocks (40000 bytes) hold whole groups of 8 elements for these typesizes
              if (n === 40000 && blocksize === 0 && [2, 4, 8].includes(typesize)) {
                assert.notDeepEqual(raw.data, src, `${cname} ${shuffle} ts${typesize}: unshuffled`);
              }
            }
            cases++;
          }
        }
      }
    }
  }
  assert.ok(shuffled > cases / 3, `${shuffled} of ${cases} containers left shuffled`);
});

Deno.test("blosc raw: corrupt, truncated and oversized input raise CodecError", () => {
  const src = data(5000, 4, 1);
  const packed = bloscCompress(src, { cname: "lz4", clevel: 5, shuffle: 1, typesize: 4 });
  assert.throws(() => bloscDecompressRaw(packed.subarray(0, 10)), CodecError);
  assert.throws(() => bloscDecompressRaw(packed.subarray(0, packed.length - 3)), CodecError);
  assert.throws(
    () => bloscDecompressRaw(packed, { maxOutputLength: 4999 }),
    (e) => e instanceof CodecError && /expected maximum of 4999/.test(String(e)),
  );
  // corrupt streams: the same outcome as bloscDecompress (the same error class, or same bytes)
  for (const at of [20, 40, 77, 300]) {
    const bad = packed.slice();
    bad[bad.length - at] ^= 0x5a;
    let want: Uint8Array | Error;
    let got: Uint8Array | Error;
    try {
      want = bloscDecompress(bad);
    } catch (e) {
      want = e as Error;
    }
    try {
      got = bloscUnshuffleRaw(bloscDecompressRaw(bad));
    } catch (e) {
      got = e as Error;
    }
    if (want instanceof Error) {
      assert.ok(got instanceof CodecError, `flip at -${at}: ${got}`);
      assert.equal((got as Error).message, want.message);
    } else assert.deepEqual(got, want, `flip at -${at}`);
  }
});
