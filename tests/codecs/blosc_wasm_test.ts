/**
 * The WebAssembly blosc block encoder (`src/codecs/blosc/wasm_kernels.ts`) against the
 * TypeScript path: byte-identical buffers for every typesize (the SIMD shuffles of 2, 4 and
 * 8-byte elements and the scalar ones), with and without shuffle, tails that are not whole
 * elements or SIMD steps, leftover blocks, several levels and forced block sizes, and data from
 * incompressible to constant; every buffer decodes back. The embedded module must be the build
 * of the committed AssemblyScript source.
 */
import assert from "node:assert/strict";
import { bloscCompress, bloscDecompress } from "../../src/codecs/blosc/mod.ts";
import { lz4BlockEncoder, useWasmKernels } from "../../src/codecs/blosc/wasm_kernels.ts";
import { KERNELS_SOURCE_SHA256 } from "../../src/codecs/blosc/wasm/kernels_wasm.ts";
import { sha256Hex } from "../../src/codecs/blosc/wasm/build.ts";

function data(kind: string, n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  const f = new Float32Array(Math.ceil(n / 4));
  for (let i = 0; i < f.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    f[i] = kind === "field"
      ? Math.sin(i / 700) * 80 + (s / 2 ** 32) * 0.01
      : kind === "steps"
      ? Math.floor(i / 300)
      : kind === "zeros"
      ? 0
      : s;
  }
  out.set(new Uint8Array(f.buffer, 0, n));
  if (kind === "noise") { for (let i = 0; i < n; i++) out[i] ^= (i * 2654435761) >>> 24; }
  return out;
}

Deno.test("blosc wasm: the embedded module is the build of the committed source", async () => {
  const src = await Deno.readFile(
    new URL("../../src/codecs/blosc/wasm/kernels.as.ts", import.meta.url),
  );
  assert.equal(
    await sha256Hex(src),
    KERNELS_SOURCE_SHA256,
    "run: deno run -A src/codecs/blosc/wasm/build.ts",
  );
  assert.ok(lz4BlockEncoder(1 << 20), "WebAssembly with SIMD is available in Deno");
});

Deno.test("blosc wasm: byte-identical to the TypeScript path, and decodable", () => {
  const cases: [string, number, number, 0 | 1, number, number][] = [];
  for (const typesize of [1, 2, 3, 4, 5, 8, 16]) {
    for (const n of [1000, 65_536 + 7, 300_003]) {
      for (const shuffle of [0, 1] as const) cases.push(["field", n, typesize, shuffle, 5, 0]);
    }
  }
  for (const kind of ["noise", "zeros", "steps"]) {
    for (const typesize of [2, 4, 8]) cases.push([kind, 1 << 20, typesize, 1, 5, 0]);
  }
  for (const clevel of [1, 3, 9]) cases.push(["field", 400_000, 4, 1, clevel, 0]);
  cases.push(["field", 250_000, 8, 1, 5, 4096 + 8]);
  cases.push(["field", 250_001, 2, 1, 5, 10_000]);
  cases.push(["field", 1 << 20, 4, 1, 5, 1 << 20]);
  try {
    for (const [kind, n, typesize, shuffle, clevel, blocksize] of cases) {
      const input = data(kind, n, n + typesize);
      const opts = { cname: "lz4" as const, clevel, shuffle, typesize, blocksize };
      useWasmKernels(true);
      const fast = bloscCompress(input, opts);
      useWasmKernels(false);
      const ref = bloscCompress(input, opts);
      const what = `${kind} n=${n} typesize=${typesize} shuffle=${shuffle} clevel=${clevel}`;
      assert.deepEqual(fast, ref, what);
      assert.deepEqual(bloscDecompress(fast), input, what);
    }
  } finally {
    useWasmKernels(true);
  }
});
