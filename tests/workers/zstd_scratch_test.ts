/**
 * zstd decoding into a reused buffer (src/workers/zstd_scratch.ts): the same bytes as the codec
 * for every frame it takes, the codec's own result or error for everything else (several
 * frames, no bound given, corrupt, truncated, oversized), and the documented buffer reuse.
 */
import assert from "node:assert/strict";
import { scratchZstd } from "../../src/workers/zstd_scratch.ts";
import { ZstdCodec } from "../../src/codecs/zstd.ts";
import { CodecError } from "../../src/errors.ts";

function data(n: number, seed: number): Uint8Array {
  const d = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = i % 7 === 0 ? s >>> 24 : (i >> 4) & 0xff;
  }
  return d;
}

/** The codec's outcome: bytes, or the error's class and message. */
function outcome(f: () => Uint8Array): Uint8Array | string {
  try {
    return f().slice();
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

Deno.test("zstd scratch: frames decode to the codec's bytes", () => {
  for (const level of [1, 3, 19]) {
    for (const checksum of [false, true]) {
      const codec = new ZstdCodec({ level, checksum });
      const fast = scratchZstd(codec);
      assert.notEqual(fast, codec);
      for (const n of [0, 1, 1000, 65536, 1 << 20]) {
        const raw = data(n, n + level);
        const frame = codec.encode(raw);
        const got = fast.decode(frame, { maxOutputLength: n + 64 }) as Uint8Array;
        assert.deepEqual(got, raw, `level ${level} checksum ${checksum} n ${n}`);
        assert.deepEqual(got, codec.decode(frame, { maxOutputLength: n + 64 }));
      }
    }
  }
});

Deno.test("zstd scratch: other inputs get the codec's result or error", () => {
  const codec = new ZstdCodec({ level: 1, checksum: true });
  const fast = scratchZstd(codec);
  const raw = data(100_000, 7);
  const frame = codec.encode(raw);
  const two = new Uint8Array(frame.length * 2);
  two.set(frame);
  two.set(frame, frame.length);
  const flipped = frame.slice();
  flipped[frame.length >> 1] ^= 0x5a;
  const badSum = frame.slice();
  badSum[frame.length - 1] ^= 0xff;
  const inputs: [string, Uint8Array, number | undefined][] = [
    ["two frames", two, 2 * raw.length + 64],
    ["no bound", frame, undefined],
    ["bound too small", frame, 1000],
    ["truncated", frame.subarray(0, frame.length - 9), raw.length + 64],
    ["cut header", frame.subarray(0, 3), raw.length + 64],
    ["flipped byte", flipped, raw.length + 64],
    ["bad checksum", badSum, raw.length + 64],
    ["garbage", new Uint8Array(5000).fill(7), raw.length + 64],
    ["empty", new Uint8Array(0), raw.length + 64],
  ];
  let errors = 0;
  for (const [what, bytes, max] of inputs) {
    const opts = max === undefined ? {} : { maxOutputLength: max };
    const want = outcome(() => codec.decode(bytes, opts));
    const got = outcome(() => fast.decode(bytes, opts) as Uint8Array);
    assert.deepEqual(got, want, what);
    if (typeof want === "string") {
      errors++;
      assert.match(want, /^CodecError/, what);
    }
  }
  assert.ok(errors >= 5, `${errors} inputs raised`);
  // and frames still decode after errors
  assert.deepEqual(fast.decode(frame, { maxOutputLength: raw.length }), raw);
  assert.throws(() => fast.decode(badSum, { maxOutputLength: raw.length }), CodecError);
});

Deno.test("zstd scratch: the buffer is reused by the next decode; other codecs pass through", () => {
  const codec = new ZstdCodec();
  const fast = scratchZstd(codec);
  const a = data(4096, 1), b = data(4096, 2);
  const ra = fast.decode(codec.encode(a), { maxOutputLength: 4096 }) as Uint8Array;
  assert.deepEqual(ra, a);
  const rb = fast.decode(codec.encode(b), { maxOutputLength: 4096 }) as Uint8Array;
  assert.deepEqual(rb, b);
  assert.equal(ra.buffer, rb.buffer, "one buffer");
  assert.deepEqual(ra, b, "the first result now shows the second decode");
  assert.deepEqual(fast.toJSON(), codec.toJSON());
  const other = {
    kind: "bytes_to_bytes" as const,
    name: "x",
    encode: (x: Uint8Array) => x,
    decode: (x: Uint8Array) => x,
    toJSON: () => ({ name: "x" }),
  };
  assert.equal(scratchZstd(other), other);
});
