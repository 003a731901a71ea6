import assert from "node:assert/strict";
import {
  aroundInPlace,
  castArray,
  castScalar,
  promoteTypes,
  roundHalfEven,
  scalarOp,
  scalarResultType,
} from "../../../src/codecs/filters/numeric.ts";
import { parseDataType } from "../../../src/metadata/dtype.ts";

const dt = parseDataType;
const list = (a: unknown) => Array.from(a as ArrayLike<unknown>);

Deno.test("numeric: numpy 1.24 value-based promotion of an array with a Python scalar", () => {
  // (np.zeros(1, t) - s).dtype for s in 3, -3, 1000, 100000, 2**40, 2**63, 0.5, 1e10, 1e300,
  // and (np.zeros(1, t) / 3).dtype, from numpy 1.24.2
  const scalars: (number | bigint)[] = [3, -3, 1000, 100000, 2 ** 40, 2n ** 63n, 0.5, 1e10, 1e300];
  const table: Record<string, string[]> = {
    int8: [
      "int8",
      "int8",
      "int16",
      "int32",
      "int64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    uint8: [
      "uint8",
      "int16",
      "uint16",
      "uint32",
      "uint64",
      "uint64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    int16: [
      "int16",
      "int16",
      "int16",
      "int32",
      "int64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    uint16: [
      "uint16",
      "int32",
      "uint16",
      "uint32",
      "uint64",
      "uint64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    int32: [
      "int32",
      "int32",
      "int32",
      "int32",
      "int64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    uint32: [
      "uint32",
      "int64",
      "uint32",
      "uint32",
      "uint64",
      "uint64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    int64: [
      "int64",
      "int64",
      "int64",
      "int64",
      "int64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    uint64: [
      "uint64",
      "float64",
      "uint64",
      "uint64",
      "uint64",
      "uint64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
    float16: [
      "float16",
      "float16",
      "float32",
      "float64",
      "float64",
      "float64",
      "float16",
      "float32",
      "float64",
      "float16",
    ],
    float32: [
      "float32",
      "float32",
      "float32",
      "float64",
      "float64",
      "float64",
      "float32",
      "float32",
      "float64",
      "float32",
    ],
    float64: [
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
      "float64",
    ],
  };
  for (const [t, row] of Object.entries(table)) {
    scalars.forEach((s, i) =>
      assert.equal(scalarResultType(dt(t), s, i >= 6).name, row[i], `${t} - ${s}`)
    );
    assert.equal(
      scalarOp(new (t.startsWith("float") ? Float64Array : Int8Array)(0) as never, dt(t), 3, "div")
        .dtype.name,
      row[9],
    );
  }
  // a Python float with an integral value (quantize's 2.0 ** bits)
  assert.equal(scalarResultType(dt("float32"), 1048576, true).name, "float32");
  assert.equal(scalarResultType(dt("float32"), 1048576).name, "float64");
  assert.equal(promoteTypes(dt("uint8"), dt("int8")).name, "int16");
  assert.equal(promoteTypes(dt("uint64"), dt("int8")).name, "float64");
  assert.equal(promoteTypes(dt("int16"), dt("float16")).name, "float32");
  assert.equal(promoteTypes(dt("bool"), dt("uint16")).name, "uint16");
});

Deno.test("numeric: scalar ops wrap integers and round float16 / float32 once", () => {
  const r = scalarOp(Int32Array.of(2147483647, 100000), dt("int32"), 100000, "mul");
  assert.deepEqual(Array.from(r.data as Int32Array), [-100000, 1410065408]);
  const h = scalarOp(Float16Array.of(0.1), dt("float16"), 0.1, "sub");
  assert.equal(h.dtype.name, "float16");
  assert.equal((h.data as Float16Array)[0], 0);
  assert.equal(castScalar(0.1, dt("float16")), 0.0999755859375);
  assert.equal(castScalar(2n ** 64n - 1n, dt("float32")), 2 ** 64);
  assert.equal(castScalar(-1, dt("uint64")), 2n ** 64n - 1n);
  const b = scalarOp(BigUint64Array.of(2n ** 64n - 1n), dt("uint64"), 1, "add");
  assert.deepEqual(Array.from(b.data as BigUint64Array), [0n]);
});

Deno.test("numeric: casts as numpy's astype on x86-64 (NaN, infinities, out of range, rounding)", () => {
  const x = Float64Array.of(
    NaN,
    Infinity,
    -Infinity,
    300.7,
    -300.7,
    -1.5,
    2.5,
    1e10,
    -1e10,
    3e9,
    1e19,
  );
  const cases: Record<string, (number | bigint)[]> = {
    int8: [0, 0, 0, 44, -44, -1, 2, 0, 0, 0, 0],
    uint8: [0, 0, 0, 44, 212, 255, 2, 0, 0, 0, 0],
    int32: [
      -2147483648,
      -2147483648,
      -2147483648,
      300,
      -300,
      -1,
      2,
      -2147483648,
      -2147483648,
      -2147483648,
      -2147483648,
    ],
    uint32: [
      2147483648,
      0,
      2147483648,
      300,
      4294966996,
      4294967295,
      2,
      0,
      2147483648,
      3000000000,
      0,
    ],
    int64: [
      -(2n ** 63n),
      -(2n ** 63n),
      -(2n ** 63n),
      300n,
      -300n,
      -1n,
      2n,
      10000000000n,
      -10000000000n,
      3000000000n,
      -(2n ** 63n),
    ],
    uint64: [
      2n ** 63n,
      0n,
      2n ** 63n,
      300n,
      2n ** 64n - 300n,
      2n ** 64n - 1n,
      2n,
      10000000000n,
      2n ** 64n - 10000000000n,
      3000000000n,
      10000000000000000000n,
    ],
    bool: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  };
  for (const [t, want] of Object.entries(cases)) {
    assert.deepEqual(list(castArray(x, dt("float64"), dt(t))), want, t);
  }
  // float16 -> uint32 goes through int64 in numpy
  assert.deepEqual(
    list(castArray(Float16Array.of(NaN, -Infinity, -300), dt("float16"), dt("uint32"))),
    [0, 0, 4294966996],
  );
  // int64 -> float32 rounds once (not through float64)
  assert.deepEqual(
    list(
      castArray(
        BigInt64Array.of(9007199791611905n, 2n ** 60n + 2n ** 36n + 1n),
        dt("int64"),
        dt("float32"),
      ),
    ),
    [9007200328482816, 1152921642045800448],
  );
  assert.deepEqual(list(castArray(Int32Array.of(256, -1), dt("int32"), dt("uint8"))), [0, 255]);
  assert.deepEqual(list(castArray(BigInt64Array.of(2n ** 40n + 5n), dt("int64"), dt("int16"))), [
    5,
  ]);
  assert.deepEqual(
    list(castArray(Float64Array.of(1.5, -2, 0, 3), dt("complex64"), dt("float64"))),
    [1.5, 0],
  );
});

Deno.test("numeric: np.around is round half to even", () => {
  assert.deepEqual(
    [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2 ** 53 - 0.5].map(roundHalfEven),
    [0, 2, 2, -0, -2, -2, 0, 2 ** 53],
  );
  const a = Float32Array.of(0.5, 1.5, 2.5, -3.5, NaN, Infinity);
  aroundInPlace(a, dt("float32"));
  assert.deepEqual(Array.from(a), [0, 2, 2, -4, NaN, Infinity]);
  const i = Int32Array.of(3);
  aroundInPlace(i, dt("int32"));
  assert.deepEqual(Array.from(i), [3]);
});
