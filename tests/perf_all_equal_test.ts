/**
 * The write_empty_chunks check (`allEqual`) compares whole words, 8 bytes per step through a
 * float64 view when the fill's word allows it: every element width (1, 2, 4, 8 and 16 bytes,
 * complex included), short and long lengths, aligned and unaligned views, with one differing
 * element at each position, must answer exactly (fills whose word reads as float64 zero or NaN
 * take the 32-bit path, so -0 and NaN payloads are told apart); and the check of a non-empty
 * chunk ends at once (it costs next to nothing whatever the chunk size).
 */
import assert from "node:assert/strict";
import { allEqual } from "../src/buffer/copy.ts";
import { parseDataType } from "../src/metadata/dtype.ts";

const CASES: [string, (n: number) => ArrayLike<number | bigint> & object, number | bigint][] = [
  ["uint8", (n) => new Uint8Array(n).fill(7), 7],
  ["int16", (n) => new Int16Array(n).fill(-300), -300],
  ["float32", (n) => new Float32Array(n).fill(1.5), 1.5],
  ["float64", (n) => new Float64Array(n).fill(-2.25), -2.25],
  ["int64", (n) => new BigInt64Array(n).fill(-5n), -5n],
];

const LENGTHS = [...Array(42).keys(), 63, 64, 65, 66, 67, 1001, 1002];

Deno.test("allEqual: exact for every width and length, aligned or not", () => {
  for (const [name, make, fill] of CASES) {
    const dt = parseDataType(name);
    for (const n of LENGTHS) {
      const a = make(n) as unknown as { [i: number]: number | bigint; length: number };
      assert.ok(allEqual(dt, a as never, fill as never), `${name} n=${n}`);
      for (let i = 0; i < n; i++) {
        const b = make(n) as unknown as { [i: number]: number | bigint };
        b[i] = typeof fill === "bigint" ? fill + 1n : (fill as number) + 1;
        assert.ok(!allEqual(dt, b as never, fill as never), `${name} n=${n} differs at ${i}`);
      }
    }
  }
  // views that do not start on an 8-byte boundary
  const f4 = parseDataType("float32");
  const buf = new Float32Array(301).fill(1.5);
  assert.ok(allEqual(f4, buf.subarray(1), 1.5));
  buf[300] = 2;
  assert.ok(!allEqual(f4, buf.subarray(1), 1.5));
  // fills whose 8-byte word is float64 zero or NaN: bit-exact on the 32-bit path
  const i4 = parseDataType("int32");
  const signs = new Int32Array(100);
  signs[51] = -2147483648; // with signs[50] = 0 this word reads as float64 -0
  assert.ok(!allEqual(i4, signs, 0));
  const nanWord = new Int32Array(100).fill(-1); // 0xffffffff: a float64 NaN word
  assert.ok(allEqual(i4, nanWord, -1));
  nanWord[77] = -2;
  assert.ok(!allEqual(i4, nanWord, -1));
  // complex: 8 and 16 bytes per element, each half compared
  for (const [name, C] of [["complex64", Float32Array], ["complex128", Float64Array]] as const) {
    const dt = parseDataType(name);
    for (const n of [...Array(20).keys(), 40, 41, 500]) {
      const a = new C(2 * n);
      for (let i = 0; i < n; i++) a.set([1.5, -2], 2 * i);
      assert.ok(allEqual(dt, a, [1.5, -2]), `${name} n=${n}`);
      for (let i = 0; i < 2 * n; i++) {
        const b = a.slice();
        b[i] = 9;
        assert.ok(!allEqual(dt, b, [1.5, -2]), `${name} n=${n} differs at ${i}`);
      }
    }
  }
});

Deno.test("allEqual: a non-empty chunk is rejected at its first block", () => {
  const dt = parseDataType("float32");
  const big = new Float32Array(1 << 22); // 16 MiB
  big[3] = 1;
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) assert.equal(allEqual(dt, big, 0), false);
  const perCall = (performance.now() - t0) / 1000;
  // a full scan of 16 MiB takes milliseconds; the early exit microseconds
  assert.ok(perCall < 0.2, `${perCall} ms per call`);
});
