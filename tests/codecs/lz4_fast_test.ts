/**
 * The fast LZ4 encoder (`src/codecs/blosc/lz4_fast.ts`): round trips through our decoder for
 * inputs that exercise every path (zeros, noise skimmed by the growing search step, short
 * repeats found right after a match, matches reaching the word-at-a-time extension's tail),
 * unaligned views and nonzero start offsets, the hash table kept across calls (thousands of
 * tiny calls run the epoch past its wrap-around, then large inputs must still be exact), the
 * "does not fit" answer, and a ratio check on a noisy float field.
 */
import assert from "node:assert/strict";
import { lz4Compress } from "../../src/codecs/blosc/lz4_fast.ts";
import { lz4CompressBound, lz4Decompress } from "../../src/codecs/blosc/lz4.ts";
import { shuffleBlock } from "../../src/codecs/blosc/shuffle.ts";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

function noise(n: number, seed: number): Uint8Array {
  const r = lcg(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = r() >>> 24;
  return out;
}

/** Short random runs copied from random earlier places: many short matches and literals. */
function patchwork(n: number, seed: number): Uint8Array {
  const r = lcg(seed);
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const len = 1 + (r() % 24);
    if (i > 64 && r() % 3 !== 0) {
      const from = i - 1 - (r() % Math.min(i - 1, 70_000));
      for (let k = 0; k < len && i < n; k++) out[i++] = out[from + k];
    } else {
      for (let k = 0; k < len && i < n; k++) out[i++] = r() >>> 24;
    }
  }
  return out;
}

/** The bytes of a smooth float32 field plus noise, byte-shuffled as blosc does. */
function shuffledField(n: number): Uint8Array {
  const f = new Float32Array(n / 4);
  const r = lcg(7);
  for (let i = 0; i < f.length; i++) {
    f[i] = Math.sin(i / 512 / 97) * Math.cos((i % 512) / 131) * 100 + (r() / 2 ** 32 - 0.5) * 0.01;
  }
  const out = new Uint8Array(n);
  shuffleBlock(4, n, new Uint8Array(f.buffer), 0, out, 0);
  return out;
}

function roundTrip(src: Uint8Array, sp: number, send: number, acceleration: number): number {
  const dp = 3; // an odd output offset
  const dst = new Uint8Array(dp + lz4CompressBound(send - sp));
  const n = lz4Compress(src, sp, send, dst, dp, dst.length, acceleration);
  assert.ok(n > 0, "fits its bound");
  const back = new Uint8Array(send - sp);
  assert.equal(lz4Decompress(dst, dp, dp + n, back, 0, back.length), back.length);
  assert.deepEqual(back, src.subarray(sp, send));
  return n;
}

Deno.test("lz4 fast: exact round trips over every kind of input, offset and acceleration", () => {
  const inputs: Uint8Array[] = [
    new Uint8Array(0),
    new Uint8Array(12).fill(9),
    new Uint8Array(13).fill(9),
    new Uint8Array(17).fill(9),
    new Uint8Array(300_000),
    noise(200_000, 1),
    patchwork(150_000, 2),
    patchwork(5_000, 3),
    shuffledField(1 << 17),
    new TextEncoder().encode("abcd".repeat(40) + "abce" + "abcd".repeat(10) + "xyz!"),
  ];
  for (const input of inputs) {
    for (const acc of [1, 5, 9]) {
      roundTrip(input, 0, input.length, acc);
      if (input.length > 40) roundTrip(input, 7, input.length - 5, acc);
    }
  }
  // a view that starts at an odd byte offset of its buffer
  const big = patchwork(70_001, 4);
  roundTrip(new Uint8Array(big.buffer, 1, 70_000), 0, 70_000, 1);
});

Deno.test("lz4 fast: the hash table kept across calls stays exact past the epoch wrap-around", () => {
  // every call moves the epoch by its length plus 64 KiB: 40k tiny calls pass 2^31
  const tiny = patchwork(64, 5);
  for (let i = 0; i < 40_000; i++) {
    const n = 13 + (i % 40);
    if (i % 997 === 0) roundTrip(tiny, 0, n, 1);
    else lz4Compress(tiny, 0, n, new Uint8Array(128), 0, 128, 1);
  }
  for (const input of [patchwork(100_000, 6), shuffledField(1 << 16), new Uint8Array(70_000)]) {
    roundTrip(input, 0, input.length, 1);
    roundTrip(input, 0, input.length, 5);
  }
});

Deno.test("lz4 fast: 0 when the block does not fit, and a near-reference ratio", () => {
  const n = noise(10_000, 8);
  assert.equal(lz4Compress(n, 0, n.length, new Uint8Array(9_000), 0, 9_000, 1), 0);
  // zeros: about 255:1
  const z = new Uint8Array(1 << 20);
  const out = new Uint8Array(lz4CompressBound(z.length));
  assert.ok(lz4Compress(z, 0, z.length, out, 0, out.length, 5) < 5_000);
  // the shuffled field's exponent stream (last quarter) compresses well, its noisy low
  // mantissa stream (first quarter) not at all
  const f = shuffledField(1 << 19);
  const q = f.length / 4;
  const hi = roundTrip(f, 3 * q, 4 * q, 5);
  const lo = roundTrip(f, 0, q, 5);
  assert.ok(hi < q / 8, `exponent stream ${hi} of ${q}`);
  assert.ok(lo >= q, `noise stream ${lo} of ${q}`);
});
