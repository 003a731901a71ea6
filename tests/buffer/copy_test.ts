import assert from "node:assert/strict";
import {
  allEqual,
  checkBroadcast,
  convertContainer,
  copyRegion,
  copyStrided,
  fillRegion,
  planBroadcast,
  toContainer,
} from "../../src/buffer/copy.ts";
import { ndarray } from "../../src/buffer/ndarray.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import { ZarrError, ZarrTypeError, ZarrValueError } from "../../src/errors.ts";

const dt = parseDataType;
const R = (start: number, count: number, step = 1) => ({ start, step, count });

Deno.test("copyStrided: transpose, negative and zero strides", () => {
  const src = Int32Array.from([1, 2, 3, 4, 5, 6]); // [2, 3]
  const t = new Int32Array(6);
  copyStrided(src, 0, [1, 3], t, 0, [2, 1], [3, 2]);
  assert.deepEqual([...t], [1, 4, 2, 5, 3, 6]);
  const rev = new Int32Array(6);
  copyStrided(src, 5, [-3, -1], rev, 0, [3, 1], [2, 3]);
  assert.deepEqual([...rev], [6, 5, 4, 3, 2, 1]);
  const bc = new Int32Array(6);
  copyStrided(src, 1, [0, 1], bc, 0, [3, 1], [2, 3].map((n, i) => (i === 1 ? 2 : n)));
  assert.deepEqual([...bc], [2, 3, 0, 2, 3, 0]);
  // single element (all counts 1) and empty
  const one = new Int32Array(1);
  copyStrided(src, 4, [3, 1], one, 0, [1, 1], [1, 1]);
  assert.equal(one[0], 5);
  copyStrided(src, 0, [1], one, 0, [1], [0]);
  assert.throws(() => copyStrided(src, 4, [1], one, 0, [1], [3]), ZarrValueError);
  assert.throws(() => copyStrided(src, 0, [-1], one, 0, [0], [2]), ZarrValueError);
});

Deno.test("copyRegion: long contiguous runs (TypedArray.set path) and partial runs", () => {
  const shape = [6, 50, 40];
  const n = 6 * 50 * 40;
  const src = new Float64Array(n).map((_, i) => i);
  // whole-array copy collapses into one run
  const all = new Float64Array(n);
  copyRegion(src, shape, [R(0, 6), R(0, 50), R(0, 40)], all, shape, [R(0, 6), R(0, 50), R(0, 40)]);
  assert.deepEqual(all, src);
  // src[1:5, 10:40, 3:33] -> dst [4, 30, 30]
  const dst = new Float64Array(4 * 30 * 30);
  copyRegion(src, shape, [R(1, 4), R(10, 30), R(3, 30)], dst, [4, 30, 30], [
    R(0, 4),
    R(0, 30),
    R(0, 30),
  ]);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 30; j++) {
      for (let k = 0; k < 30; k++) {
        assert.equal(dst[(i * 30 + j) * 30 + k], ((1 + i) * 50 + 10 + j) * 40 + 3 + k);
      }
    }
  }
  // into a Uint8Array of a different type (set converts)
  const u8 = new Uint8Array(40);
  copyRegion(src, shape, [R(0, 1), R(0, 1), R(0, 40)], u8, [1, 1, 40], [
    R(0, 1),
    R(0, 1),
    R(0, 40),
  ]);
  assert.equal(u8[39], 39);
});

Deno.test("copyRegion: complex slots, object kinds, broadcast source", () => {
  // complex64 [2, 2] transposed read of column 1 reversed
  const c = Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4]);
  const out = new Float32Array(4);
  copyRegion(c, [2, 2], [R(1, 2, -1), R(1, 1)], out, [2, 1], [R(0, 2), R(0, 1)], 2);
  assert.deepEqual([...out], [4, -4, 2, -2]);
  // broadcast a complex scalar (step 0) into [3]
  const b = new Float64Array(6);
  copyRegion(Float64Array.from([7, 8]), [1], [R(0, 3, 0)], b, [3], [R(0, 3)], 2);
  assert.deepEqual([...b], [7, 8, 7, 8, 7, 8]);
  // strings
  const s = ["a", "b", "c", "d", "e", "f"];
  const so = new Array<string>(3).fill("");
  copyRegion(s, [2, 3], [R(1, 1), R(2, 3, -1)], so, [1, 3], [R(0, 1), R(0, 3)]);
  assert.deepEqual(so, ["f", "e", "d"]);
  // broadcast a string into a column
  const grid = new Array<string>(6).fill(".");
  copyRegion(["x"], [1, 1], [R(0, 2, 0), R(0, 1)], grid, [2, 3], [R(0, 2), R(1, 1)]);
  assert.deepEqual(grid, [".", "x", ".", ".", "x", "."]);
  // bytes (references copied)
  const bs = [Uint8Array.of(1), Uint8Array.of(2, 3)];
  const bo: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0)];
  copyRegion(bs, [2], [R(1, 2, -1)], bo, [2], [R(0, 2)]);
  assert.deepEqual(bo, [Uint8Array.of(2, 3), Uint8Array.of(1)]);
  // int64
  const big = BigInt64Array.from([1n, 2n, 3n]);
  const bigOut = new BigInt64Array(2);
  copyRegion(big, [3], [R(0, 2, 2)], bigOut, [2], [R(0, 2)]);
  assert.deepEqual([...bigOut], [1n, 3n]);
});

Deno.test("copyRegion: validation errors", () => {
  const src = new Int32Array(6);
  const dst = new Int32Array(6);
  assert.throws(
    () => copyRegion(src, [2, 3], [R(0, 2), R(0, 3)], dst, [6], [R(0, 6)]),
    ZarrValueError,
  );
  assert.throws(() => copyRegion(src, [6], [R(0, 3)], dst, [6], [R(0, 4)]), ZarrValueError);
  assert.throws(() => copyRegion(src, [6], [R(4, 3)], dst, [6], [R(0, 3)]), ZarrValueError);
  assert.throws(() => copyRegion(src, [6], [R(0, 3, -1)], dst, [6], [R(0, 3)]), ZarrValueError);
  assert.throws(() => copyRegion(src, [6], [R(0, 3)], dst, [6], [R(0, 3, 0)]), ZarrValueError);
  assert.throws(() => copyRegion(src, [7], [R(0, 3)], dst, [6], [R(0, 3)]), ZarrValueError);
  assert.throws(
    () => copyRegion(src, [6], [R(0, 3)], dst, [3, 3], [R(0, 1), R(0, 3)]),
    ZarrValueError,
  );
  assert.throws(() => copyRegion(src, [6], [R(0.5, 3)], dst, [6], [R(0, 3)]), ZarrValueError);
  // zero counts are fine even with odd starts
  copyRegion(src, [6], [R(9, 0)], dst, [6], [R(0, 0)]);
});

Deno.test("fillRegion: numbers, bigint, complex, strings", () => {
  const a = new Float64Array(6);
  fillRegion(a, [2, 3], [R(0, 2), R(1, 2)], 7);
  assert.deepEqual([...a], [0, 7, 7, 0, 7, 7]);
  const b = new BigInt64Array(5);
  fillRegion(b, [5], [R(4, 3, -2)], 3); // number into a bigint container
  assert.deepEqual([...b], [3n, 0n, 3n, 0n, 3n]);
  fillRegion(b, [5], [R(0, 5)], 9n);
  assert.deepEqual([...b], [9n, 9n, 9n, 9n, 9n]);
  const i = new Int16Array(4);
  fillRegion(i, [4], [R(0, 4)], 2n);
  assert.deepEqual([...i], [2, 2, 2, 2]);
  // complex: long contiguous runs (doubling) and strided
  const c = new Float32Array(2 * 1000);
  fillRegion(c, [10, 100], [R(1, 8), R(0, 100)], [1.5, -2], 2);
  for (let e = 0; e < 1000; e++) {
    const inside = e >= 100 && e < 900;
    assert.equal(c[2 * e], inside ? 1.5 : 0);
    assert.equal(c[2 * e + 1], inside ? -2 : 0);
  }
  const c2 = new Float64Array(12);
  fillRegion(c2, [2, 3], [R(0, 2), R(2, 2, -2)], [1, 2], 2);
  assert.deepEqual([...c2], [1, 2, 0, 0, 1, 2, 1, 2, 0, 0, 1, 2]);
  const s = new Array<string>(4).fill("");
  fillRegion(s, [2, 2], [R(1, 1), R(0, 2)], "z");
  assert.deepEqual(s, ["", "", "z", "z"]);
  const bytes: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0)];
  fillRegion(bytes, [2], [R(0, 2)], Uint8Array.of(5));
  assert.deepEqual(bytes, [Uint8Array.of(5), Uint8Array.of(5)]);
  // 0-d
  const z = new Int8Array(1);
  fillRegion(z, [], [], 4);
  assert.equal(z[0], 4);
  assert.throws(() => fillRegion(c2, [2, 3], [R(0, 2), R(0, 3)], 1, 2), ZarrValueError);
  assert.throws(() => fillRegion(a, [2, 3], [R(0, 3), R(0, 3)], 1), ZarrValueError);
});

Deno.test("allEqual: floats by bit pattern, NaN fills", () => {
  const f4 = dt("float32");
  const f8 = dt("float64");
  const f2 = dt("float16");
  assert.ok(allEqual(f4, new Float32Array(7), 0));
  assert.ok(!allEqual(f4, Float32Array.of(0, -0, 0), 0));
  assert.ok(!allEqual(f4, Float32Array.of(0, 0, 0), -0));
  assert.ok(allEqual(f4, Float32Array.of(-0, -0), -0));
  assert.ok(!allEqual(f8, Float64Array.of(0, 0, -0), 0));
  assert.ok(allEqual(f8, Float64Array.of(-0, -0), -0));
  assert.ok(allEqual(f8, Float64Array.of(1.5, 1.5, 1.5), 1.5));
  assert.ok(!allEqual(f8, Float64Array.of(1.5, 1.5, 1.25), 1.5));
  assert.ok(allEqual(f2, Float16Array.of(-0, -0, -0), -0));
  assert.ok(!allEqual(f2, Float16Array.of(0, -0, 0), 0));
  assert.ok(allEqual(f8, new Float64Array(0), 3));
  // NaN fill: any payload counts
  const payload32 = new Float32Array(new Uint32Array([0x7fc00000, 0xffc00001, 0x7f800001]).buffer);
  assert.ok(allEqual(f4, payload32, NaN));
  assert.ok(!allEqual(f4, Float32Array.of(NaN, Infinity), NaN));
  const u = new BigUint64Array([0x7ff8000000000000n, 0xfff0000000000001n, 0x7ff0000000000abcn]);
  assert.ok(allEqual(f8, new Float64Array(u.buffer), NaN));
  assert.ok(!allEqual(f8, Float64Array.of(NaN, 0), NaN));
  assert.ok(!allEqual(f8, Float64Array.of(NaN, NaN), 0));
  const h = new Float16Array(new Uint16Array([0x7e00, 0xfc01, 0x7c01]).buffer);
  assert.ok(allEqual(f2, h, NaN));
  assert.ok(!allEqual(f2, new Float16Array(new Uint16Array([0x7e00, 0x7c00]).buffer), NaN));
  // Infinity compares by bits
  assert.ok(allEqual(f4, Float32Array.of(Infinity, Infinity), Infinity));
  assert.ok(!allEqual(f4, Float32Array.of(Infinity, -Infinity), Infinity));
});

Deno.test("allEqual: ints, bool, int64, datetime, subarrays with odd offsets", () => {
  const buf = new Uint8Array(64).fill(3);
  for (let off = 0; off < 8; off++) {
    for (let len = 0; len < 20; len++) {
      const v = buf.subarray(off, off + len);
      assert.ok(allEqual(dt("uint8"), v, 3));
      if (len > 0) {
        v[len - 1] = 4;
        assert.ok(!allEqual(dt("uint8"), v, 3), `tail off=${off} len=${len}`);
        v[len - 1] = 3;
        v[0] = 4;
        assert.ok(!allEqual(dt("uint8"), v, 3), `head off=${off} len=${len}`);
        v[0] = 3;
        if (len > 4) {
          v[Math.floor(len / 2)] = 0;
          assert.ok(!allEqual(dt("uint8"), v, 3), `mid off=${off} len=${len}`);
          v[Math.floor(len / 2)] = 3;
        }
      }
    }
  }
  const i16 = new Int16Array(20).fill(-2);
  for (let off = 0; off < 4; off++) {
    for (let len = 0; len < 9; len++) {
      const v = i16.subarray(off, off + len);
      assert.ok(allEqual(dt("int16"), v, -2));
      assert.ok(len === 0 || !allEqual(dt("int16"), v, 2));
      if (len > 0) {
        v[len - 1] = 5;
        assert.ok(!allEqual(dt("int16"), v, -2));
        v[len - 1] = -2;
      }
    }
  }
  assert.ok(allEqual(dt("int32"), new Int32Array(5).fill(-7), -7));
  assert.ok(allEqual(dt("uint32"), new Uint32Array(5).fill(4294967295), 4294967295));
  assert.ok(allEqual(dt("bool"), Uint8Array.of(1, 1, 1), true));
  assert.ok(!allEqual(dt("bool"), Uint8Array.of(1, 0, 1), true));
  assert.ok(allEqual(dt("bool"), new Uint8Array(9), false));
  const i8 = dt("int64");
  assert.ok(allEqual(i8, BigInt64Array.of(-5n, -5n), -5n));
  assert.ok(allEqual(i8, BigInt64Array.of(-5n, -5n), -5));
  assert.ok(!allEqual(i8, BigInt64Array.of(-5n, 2n ** 32n - 5n), -5n));
  assert.ok(!allEqual(i8, BigInt64Array.of(-5n), 1.5));
  assert.ok(allEqual(dt("uint64"), BigUint64Array.of(2n ** 64n - 1n), 2n ** 64n - 1n));
  assert.ok(allEqual(dt("int8"), Int8Array.of(-1, -1, -1), -1));
  assert.ok(!allEqual(dt("int8"), Int8Array.of(-1, -1, -1), 255));
  assert.ok(!allEqual(dt("uint8"), Uint8Array.of(0), 256));
  assert.ok(!allEqual(i8, BigInt64Array.of(-1n), 2n ** 64n - 1n));
  assert.ok(allEqual(dt("float32"), Float32Array.of(0.1), 0.1)); // the fill is cast to float32
  const M8 = dt("M8[ns]");
  const nat = -(2n ** 63n);
  assert.ok(allEqual(M8, BigInt64Array.of(nat, nat), nat));
  assert.ok(!allEqual(M8, BigInt64Array.of(nat, 0n), nat));
  const sub = new BigInt64Array(10).fill(7n).subarray(3, 8);
  assert.ok(allEqual(i8, sub, 7n));
});

Deno.test("allEqual: complex, strings, bytes, null", () => {
  const c8 = dt("complex64");
  const c16 = dt("complex128");
  assert.ok(allEqual(c8, Float32Array.of(1, 2, 1, 2), [1, 2]));
  assert.ok(!allEqual(c8, Float32Array.of(1, 2, 2, 1), [1, 2]));
  assert.ok(!allEqual(c16, Float64Array.of(0, -0, 0, 0), [0, 0]));
  assert.ok(allEqual(c16, new Float64Array(8), [0, 0]));
  assert.ok(allEqual(c16, Float64Array.of(1, 2, 3, 4).subarray(4), [0, 0]));
  // NaN fill: every element has a NaN part (numpy equal_nan for complex)
  assert.ok(allEqual(c16, Float64Array.of(NaN, 0, 5, NaN, NaN, NaN), [NaN, 0]));
  assert.ok(!allEqual(c16, Float64Array.of(NaN, 0, 5, 1), [NaN, NaN]));
  assert.ok(!allEqual(c16, Float64Array.of(NaN, 0), [1, 0]));
  assert.ok(allEqual(c8, Float32Array.of(NaN, NaN), [0, NaN]));
  const s = dt("string");
  assert.ok(allEqual(s, ["", "", ""], ""));
  assert.ok(!allEqual(s, ["", "a"], ""));
  assert.ok(allEqual(dt("U3"), ["ab", "ab"], "ab"));
  assert.ok(allEqual(s, [], "x"));
  const vb = dt("variable_length_bytes");
  assert.ok(allEqual(vb, [Uint8Array.of(1, 2), Uint8Array.of(1, 2)], Uint8Array.of(1, 2)));
  assert.ok(!allEqual(vb, [Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)], Uint8Array.of(1, 2)));
  assert.ok(
    allEqual(dt("S4"), [Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0, 0)], Uint8Array.of(1, 2, 0)),
  );
  assert.ok(!allEqual(dt("S4"), [Uint8Array.of(1, 3)], Uint8Array.of(1, 2)));
  assert.ok(allEqual(dt("V2"), [Uint8Array.of(0, 0)], new Uint8Array(2)));
  assert.ok(!allEqual(s, ["a"], Uint8Array.of(97)));
  assert.ok(!allEqual(dt("float64"), new Float64Array(3), null as never));
  assert.ok(!allEqual(dt("float64"), new Float64Array(3), undefined as never));
});

Deno.test("allEqual: speed smoke (4M float32, 1M complex128)", () => {
  const a = new Float32Array(4 * 1024 * 1024);
  let t = performance.now();
  for (let k = 0; k < 5; k++) assert.ok(allEqual(dt("float32"), a, 0));
  const perF4 = (performance.now() - t) / 5;
  const c = new Float64Array(2 * 1024 * 1024);
  t = performance.now();
  for (let k = 0; k < 5; k++) assert.ok(allEqual(dt("complex128"), c, [0, 0]));
  const perC16 = (performance.now() - t) / 5;
  const u = new Uint8Array(16 * 1024 * 1024 + 3).subarray(1);
  t = performance.now();
  assert.ok(allEqual(dt("uint8"), u, 0));
  const perU1 = performance.now() - t;
  console.log(
    `allEqual: float32 16MiB ${perF4.toFixed(2)} ms, complex128 16MiB ${perC16.toFixed(2)} ms, ` +
      `uint8 16MiB (unaligned) ${perU1.toFixed(2)} ms`,
  );
  assert.ok(perF4 < 200 && perC16 < 200 && perU1 < 200);
});

Deno.test("convertContainer: numeric casts (numpy astype)", () => {
  assert.deepEqual(
    convertContainer(Float64Array.of(1.7, -2.5, 0), dt("float64"), dt("int64")),
    BigInt64Array.of(1n, -2n, 0n),
  );
  assert.deepEqual(
    convertContainer(Float64Array.of(NaN), dt("float64"), dt("int64")),
    BigInt64Array.of(-(2n ** 63n)),
  );
  assert.deepEqual(
    convertContainer(Float64Array.of(300.9, -1), dt("float64"), dt("int8")),
    Int8Array.of(44, -1),
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(2n ** 40n + 5n, -1n), dt("int64"), dt("int32")),
    Int32Array.of(5, -1),
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(-1n), dt("int64"), dt("uint16")),
    Uint16Array.of(65535),
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(3n), dt("int64"), dt("float32")),
    Float32Array.of(3),
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(-1n), dt("int64"), dt("uint64")),
    BigUint64Array.of(2n ** 64n - 1n),
  );
  assert.deepEqual(
    convertContainer(Float32Array.of(0, NaN, -0, 2), dt("float32"), dt("bool")),
    Uint8Array.of(0, 1, 0, 1),
  );
  assert.deepEqual(
    convertContainer(Uint8Array.of(0, 2), dt("uint8"), dt("bool")),
    Uint8Array.of(0, 1),
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(0n, 5n), dt("int64"), dt("bool")),
    Uint8Array.of(0, 1),
  );
  assert.deepEqual(
    convertContainer(Uint8Array.of(1, 0), dt("bool"), dt("float64")),
    Float64Array.of(1, 0),
  );
  assert.deepEqual(
    convertContainer(Int32Array.of(1, 2), dt("int32"), dt("complex64")),
    Float32Array.of(1, 0, 2, 0),
  );
  assert.deepEqual(
    convertContainer(Float64Array.of(1, 2, 3, 4), dt("complex128"), dt("float32")),
    Float32Array.of(1, 3),
  );
  assert.deepEqual(
    convertContainer(Float64Array.of(1, 2), dt("complex128"), dt("complex64")),
    Float32Array.of(1, 2),
  );
  assert.deepEqual(
    convertContainer(Float64Array.of(1, 2), dt("float64"), dt("float16")),
    Float16Array.of(1, 2),
  );
  const same = Int32Array.of(1);
  assert.equal(convertContainer(same, dt("int32"), dt("int32")), same);
});

Deno.test("convertContainer: datetimes, strings, bytes", () => {
  const nat = -(2n ** 63n);
  assert.deepEqual(
    convertContainer(BigInt64Array.of(3n, nat, -1n), dt("M8[s]"), dt("M8[ms]")),
    BigInt64Array.of(3000n, nat, -1000n),
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(1500n, -1500n), dt("M8[ms]"), dt("M8[s]")),
    BigInt64Array.of(1n, -2n),
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(2n), dt("M8[10s]"), dt("M8[s]")),
    BigInt64Array.of(20n),
  );
  assert.throws(
    () => convertContainer(BigInt64Array.of(2n), dt("M8[Y]"), dt("M8[s]")),
    ZarrTypeError,
  );
  assert.deepEqual(
    convertContainer(BigInt64Array.of(7n), dt("int64"), dt("M8[s]")),
    BigInt64Array.of(7n),
  );
  assert.deepEqual(convertContainer(["abcd", "é"], dt("string"), dt("U2")), ["ab", "é"]);
  assert.deepEqual(convertContainer(["ab"], dt("U2"), dt("string")), ["ab"]);
  assert.deepEqual(convertContainer(["é"], dt("string"), dt("variable_length_bytes")), [
    Uint8Array.of(0xc3, 0xa9),
  ]);
  assert.deepEqual(
    convertContainer([Uint8Array.of(1, 2, 3)], dt("variable_length_bytes"), dt("S2")),
    [Uint8Array.of(1, 2)],
  );
  assert.deepEqual(convertContainer([Uint8Array.of(1)], dt("variable_length_bytes"), dt("V2")), [
    Uint8Array.of(1, 0),
  ]);
  assert.throws(
    () => convertContainer(Float64Array.of(1), dt("float64"), dt("string")),
    ZarrTypeError,
  );
  assert.throws(() => convertContainer(["1"], dt("string"), dt("float64")), ZarrTypeError);
});

Deno.test("toContainer: NDArrays, typed arrays, nested arrays, scalars", () => {
  // C-contiguous NDArray with another dtype
  const a = ndarray(Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  assert.deepEqual(toContainer(a, dt("float64")), {
    data: Float64Array.of(1, 2, 3, 4, 5, 6),
    shape: [2, 3],
  });
  // same dtype: shares memory
  assert.equal(toContainer(a, dt("int32")).data, a.data);
  // F-ordered (strided) NDArray -> C order
  const f = {
    data: Int32Array.from([1, 4, 2, 5, 3, 6]),
    shape: [2, 3],
    stride: [1, 2],
    dtype: "int32",
  };
  assert.deepEqual(toContainer(f, dt("int32")), {
    data: Int32Array.of(1, 2, 3, 4, 5, 6),
    shape: [2, 3],
  });
  // complex NDArray strided
  const cf = {
    data: Float32Array.from([1, 1, 3, 3, 2, 2, 4, 4]),
    shape: [2, 2],
    stride: [1, 2],
    dtype: "complex64",
  };
  assert.deepEqual(toContainer(cf, dt("complex128")).data, Float64Array.of(1, 1, 2, 2, 3, 3, 4, 4));
  // string NDArray strided
  const sf = { data: ["a", "c", "b", "d"], shape: [2, 2], stride: [1, 2], dtype: "string" };
  assert.deepEqual(toContainer(sf, dt("string")).data, ["a", "b", "c", "d"]);
  assert.throws(
    () =>
      toContainer(
        { data: new Int32Array(2), shape: [3], stride: [1], dtype: "int32" },
        dt("int32"),
      ),
    ZarrValueError,
  );
  // typed arrays
  assert.deepEqual(toContainer(Float32Array.of(1, 2), dt("int64")), {
    data: BigInt64Array.of(1n, 2n),
    shape: [2],
  });
  assert.deepEqual(toContainer(Uint8ClampedArray.of(1, 2), dt("uint8")).data, Uint8Array.of(1, 2));
  assert.deepEqual(toContainer(Float64Array.of(1, 2, 3, 4), dt("complex64")), {
    data: Float32Array.of(1, 2, 3, 4),
    shape: [2],
  });
  assert.deepEqual(toContainer(Int16Array.of(1, 2), dt("complex64")), {
    data: Float32Array.of(1, 0, 2, 0),
    shape: [2],
  });
  assert.throws(() => toContainer(Float64Array.of(1, 2, 3), dt("complex64")), ZarrValueError);
  // nested arrays
  assert.deepEqual(toContainer([[1, 2], [3, 4]], dt("int64")), {
    data: BigInt64Array.of(1n, 2n, 3n, 4n),
    shape: [2, 2],
  });
  assert.deepEqual(toContainer([[1.5], [true]], dt("float32")), {
    data: Float32Array.of(1.5, 1),
    shape: [2, 1],
  });
  assert.deepEqual(toContainer([[], []], dt("int8")), { data: new Int8Array(0), shape: [2, 0] });
  assert.deepEqual(toContainer([], dt("int8")), { data: new Int8Array(0), shape: [0] });
  assert.deepEqual(toContainer([Int8Array.of(1, 2), [3, 4]], dt("int16")).shape, [2, 2]);
  assert.deepEqual(toContainer([["a", "b"]], dt("string")), { data: ["a", "b"], shape: [1, 2] });
  assert.deepEqual(
    toContainer([Uint8Array.of(1), Uint8Array.of(2, 3)], dt("variable_length_bytes")),
    {
      data: [Uint8Array.of(1), Uint8Array.of(2, 3)],
      shape: [2],
    },
  );
  assert.deepEqual(toContainer([[1, 2], [3, 4]], dt("complex128")), {
    data: Float64Array.of(1, 2, 3, 4),
    shape: [2],
  });
  assert.deepEqual(toContainer([[[1, 0]], [[0, 1]]], dt("complex64")).shape, [2, 1]);
  assert.deepEqual(toContainer([1, 2, 3], dt("complex64")), {
    data: Float32Array.of(1, 0, 2, 0, 3, 0),
    shape: [3],
  });
  assert.deepEqual(toContainer([1, "NaN"], dt("float64")).data, Float64Array.of(1, NaN));
  assert.deepEqual(toContainer([[1, 2], [3, 4]], dt("bool")).data, Uint8Array.of(1, 1, 1, 1));
  assert.deepEqual(toContainer(["NaT", 5], dt("M8[s]")).data, BigInt64Array.of(-(2n ** 63n), 5n));
  // ragged
  assert.throws(
    () => toContainer([[1, 2], [3]], dt("int32")),
    (e) =>
      e instanceof ZarrValueError &&
      e.message ===
        "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.",
  );
  assert.throws(() => toContainer([[1, 2], 3], dt("int32")), ZarrValueError);
  assert.throws(() => toContainer([1, [2]], dt("int32")), ZarrValueError);
  // scalars
  assert.deepEqual(toContainer(5, dt("int64")), { data: BigInt64Array.of(5n), shape: [] });
  assert.deepEqual(toContainer(5n, dt("float32")), { data: Float32Array.of(5), shape: [] });
  assert.deepEqual(toContainer(true, dt("bool")), { data: Uint8Array.of(1), shape: [] });
  assert.deepEqual(toContainer(1.9, dt("int16")), { data: Int16Array.of(1), shape: [] });
  assert.deepEqual(toContainer([1, -2], dt("complex128")), {
    data: Float64Array.of(1, -2),
    shape: [],
  });
  assert.deepEqual(toContainer(3, dt("complex64")), { data: Float32Array.of(3, 0), shape: [] });
  assert.deepEqual(toContainer("héllo", dt("U3")), { data: ["hél"], shape: [] });
  assert.deepEqual(toContainer("ab", dt("S1")), { data: [Uint8Array.of(97)], shape: [] });
  assert.deepEqual(toContainer(Uint8Array.of(1, 2), dt("variable_length_bytes")), {
    data: [Uint8Array.of(1, 2)],
    shape: [],
  });
  assert.deepEqual(toContainer(7, dt("string")), { data: ["7"], shape: [] });
  // errors
  assert.throws(
    () => toContainer(300, dt("int8")),
    (e) => e instanceof ZarrValueError && e.message === "Python integer 300 out of bounds for int8",
  );
  assert.throws(() => toContainer(-1, dt("uint64")), ZarrValueError);
  assert.throws(() => toContainer(2n ** 64n, dt("int64")), ZarrValueError);
  assert.throws(() => toContainer(NaN, dt("int32")), ZarrValueError);
  assert.throws(() => toContainer("abc", dt("float64")), ZarrValueError);
  assert.throws(() => toContainer(null, dt("float64")), ZarrTypeError);
  assert.throws(() => toContainer({}, dt("float64")), ZarrTypeError);
  assert.throws(() => toContainer(Float64Array.of(1), dt("string")), ZarrTypeError);
  assert.throws(() => toContainer(5, dt("variable_length_bytes")), ZarrTypeError);
});

Deno.test("planBroadcast / checkBroadcast", () => {
  const fails = (v: number[], t: number[], msg: string) =>
    assert.throws(
      () => checkBroadcast(v, t),
      (e) => e instanceof ZarrValueError && e instanceof ZarrError && e.message === msg,
    );
  fails([2, 3], [3, 3], "could not broadcast input array from shape (2,3) into shape (3,3)");
  fails([3], [4], "could not broadcast input array from shape (3,) into shape (4,)");
  fails([2], [], "could not broadcast input array from shape (2,) into shape ()");
  fails([2, 1, 3], [1, 3], "could not broadcast input array from shape (2,1,3) into shape (1,3)");
  checkBroadcast([], [4, 5]);
  checkBroadcast([1, 1, 5], [4, 5]); // extra leading 1s are dropped (numpy setitem)
  checkBroadcast([4, 1], [4, 5]);
  checkBroadcast([0], [0]);
  const plan = planBroadcast([3], [2, 3]);
  assert.deepEqual(plan.shape, [1, 3]);
  assert.deepEqual(plan.ranges([R(1, 1), R(0, 3)]), [R(0, 1, 0), R(0, 3)]);
  // dropped axes become extent-1 value axes
  const p2 = planBroadcast([4, 1], [4, 5], [0, 2]);
  assert.deepEqual(p2.shape, [1, 4, 1, 1]);
  assert.deepEqual(p2.ranges([R(0, 1), R(1, 2), R(0, 1), R(2, 3)]), [
    R(0, 1, 0),
    R(1, 2),
    R(0, 1, 0),
    R(0, 3, 0),
  ]);
  assert.throws(() => p2.ranges([R(0, 1)]), ZarrValueError);
  // scalar value into a 0-d target
  assert.deepEqual(planBroadcast([], []).shape, []);
  // end to end: write a row vector into a [3, 4] block
  const dst = new Int32Array(12);
  const p3 = planBroadcast([4], [3, 4]);
  copyRegion(Int32Array.of(1, 2, 3, 4), p3.shape, p3.ranges([R(0, 3), R(0, 4)]), dst, [3, 4], [
    R(0, 3),
    R(0, 4),
  ]);
  assert.deepEqual([...dst], [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
});
