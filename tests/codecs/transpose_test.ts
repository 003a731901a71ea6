import assert from "node:assert/strict";
import {
  inversePermutation,
  isPermutation,
  permute,
  TransposeCodec,
} from "../../src/codecs/transpose.ts";
import type { ChunkSpec } from "../../src/codecs/types.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import { defaultFillValue, parseDataType } from "../../src/metadata/dtype.ts";

function spec(dtype: string, shape: number[]): ChunkSpec {
  const dt = parseDataType(dtype);
  return { shape, dtype: dt, fillValue: defaultFillValue(dt) };
}

/** Straightforward reference: out axis j = in axis perm[j]. */
function naive<T>(data: ArrayLike<T>, shape: number[], perm: number[], slots = 1): T[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]);
  const out: T[] = new Array(n * slots);
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < n; o++) {
    let rem = o;
    for (let j = outShape.length - 1; j >= 0; j--) {
      idx[j] = rem % outShape[j];
      rem = Math.floor(rem / outShape[j]);
    }
    let src = 0;
    for (let j = 0; j < perm.length; j++) src += idx[j] * inStrides[perm[j]];
    for (let t = 0; t < slots; t++) out[o * slots + t] = data[src * slots + t];
  }
  return out;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomPerm(n: number, r: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

Deno.test("transpose: 2x3x4 with order [2,0,1] matches the hand-computed result", () => {
  // decoded[i][j][k] = i*12 + j*4 + k; encoded shape [4,2,3]; encoded[k][i][j] = decoded[i][j][k]
  const decoded = new Int32Array(24).map((_, i) => i);
  const codec = new TransposeCodec([2, 0, 1]);
  const s = spec("int32", [2, 3, 4]);
  assert.deepEqual(codec.resolveSpec(s).shape, [4, 2, 3]);
  const enc = codec.encode({ data: decoded, shape: [2, 3, 4] }, s);
  assert.deepEqual(enc.shape, [4, 2, 3]);
  assert.deepEqual(
    [...(enc.data as Int32Array)],
    [
      0,
      4,
      8,
      12,
      16,
      20,
      1,
      5,
      9,
      13,
      17,
      21,
      2,
      6,
      10,
      14,
      18,
      22,
      3,
      7,
      11,
      15,
      19,
      23,
    ],
  );
  const dec = codec.decode(enc, s);
  assert.deepEqual(dec.shape, [2, 3, 4]);
  assert.deepEqual(dec.data, decoded);
});

Deno.test("transpose: permute agrees with a naive reference (random shapes, perms, kinds)", () => {
  const r = rng(7);
  for (let trial = 0; trial < 300; trial++) {
    const ndim = 1 + Math.floor(r() * 5);
    const shape = Array.from({ length: ndim }, () => 1 + Math.floor(r() * (ndim <= 2 ? 70 : 6)));
    const perm = randomPerm(ndim, r);
    const n = shape.reduce((a, b) => a * b, 1);
    const kind = trial % 6;
    if (kind === 0) {
      const d = new Float64Array(n).map(() => r());
      assert.deepEqual([...permute(d, shape, perm)], naive(d, shape, perm), `${shape} ${perm}`);
    } else if (kind === 1) {
      const d = new Float32Array(2 * n).map(() => r()); // complex64
      assert.deepEqual([...permute(d, shape, perm, 2)], naive(d, shape, perm, 2));
    } else if (kind === 2) {
      const d = new Uint8Array(n).map(() => r() * 256);
      assert.deepEqual([...permute(d, shape, perm)], naive(d, shape, perm));
    } else if (kind === 3) {
      const d = new BigInt64Array(n).map((_, i) => BigInt(i) * -3n);
      assert.deepEqual([...permute(d, shape, perm)], naive(d, shape, perm));
    } else if (kind === 4) {
      const d = Array.from({ length: n }, (_, i) => `s${i}`);
      assert.deepEqual(permute(d, shape, perm), naive(d, shape, perm));
    } else {
      const d = new Float64Array(2 * n).map(() => r()); // complex128
      assert.deepEqual([...permute(d, shape, perm, 2)], naive(d, shape, perm, 2));
    }
  }
});

Deno.test("transpose: large 2-D and 3-D cases exercise the tiled kernel", () => {
  const shape = [130, 97];
  const d = new Int16Array(130 * 97).map((_, i) => i);
  assert.deepEqual([...permute(d, shape, [1, 0])], naive(d, shape, [1, 0]));
  const s3 = [33, 40, 35];
  const d3 = new Uint32Array(33 * 40 * 35).map((_, i) => i * 7);
  for (const p of [[2, 1, 0], [1, 2, 0], [0, 2, 1], [2, 0, 1], [1, 0, 2]]) {
    assert.deepEqual([...permute(d3, s3, p)], naive(d3, s3, p), `${p}`);
  }
});

Deno.test("transpose: bit-exact for NaN payloads and object arrays", () => {
  const d = new Float64Array(6);
  const u = new Uint32Array(d.buffer);
  for (let i = 0; i < 6; i++) {
    u[2 * i] = 0x1234 + i;
    u[2 * i + 1] = 0x7ff00000 | (i + 1); // signalling NaNs with payloads
  }
  const out = permute(d, [2, 3], [1, 0]);
  const ou = new Uint32Array(out.buffer);
  assert.deepEqual([...ou], [
    0x1234,
    0x7ff00001,
    0x1237,
    0x7ff00004,
    0x1235,
    0x7ff00002,
    0x1238,
    0x7ff00005,
    0x1236,
    0x7ff00003,
    0x1239,
    0x7ff00006,
  ]);
  const bytes = [
    new Uint8Array([1]),
    new Uint8Array([2]),
    new Uint8Array([3]),
    new Uint8Array([4]),
  ];
  assert.deepEqual(permute(bytes, [2, 2], [1, 0]), [bytes[0], bytes[2], bytes[1], bytes[3]]);
});

Deno.test("transpose: identity, size-1 axes and empty arrays", () => {
  const d = new Int8Array([1, 2, 3, 4, 5, 6]);
  const same = permute(d, [2, 3], [0, 1]);
  assert.deepEqual(same, d);
  assert.notEqual(same, d);
  // swapping a size-1 axis is a plain copy
  assert.deepEqual(permute(d, [1, 6], [1, 0]), d);
  assert.deepEqual(permute(d, [2, 1, 3], [1, 0, 2]), d);
  assert.deepEqual(permute(new Float32Array(0), [0, 3], [1, 0]), new Float32Array(0));
  assert.deepEqual(permute([] as string[], [3, 0], [1, 0]), []);
  assert.deepEqual(permute(new Int32Array([9]), [], []), new Int32Array([9]));
});

Deno.test("transpose: legacy C/F orders, validation, toJSON", () => {
  const f = TransposeCodec.fromMetadata(
    { name: "transpose", configuration: { order: "F" } },
    { ndim: 3 },
  );
  assert.deepEqual(f.order, [2, 1, 0]);
  assert.equal(
    JSON.stringify(f.toJSON()),
    '{"name":"transpose","configuration":{"order":[2,1,0]}}',
  );
  const lazy = TransposeCodec.fromMetadata({ name: "transpose", configuration: { order: "F" } });
  assert.deepEqual(lazy.resolveSpec(spec("uint8", [2, 3])).shape, [3, 2]);
  assert.deepEqual(lazy.toJSON(), { name: "transpose", configuration: { order: "F" } });
  const c = new TransposeCodec("C");
  assert.deepEqual(c.orderFor(3), [0, 1, 2]);
  assert.throws(() => new TransposeCodec([0, 0]), MetadataValidationError);
  assert.throws(() => new TransposeCodec([1, 2]), MetadataValidationError);
  assert.throws(
    () => TransposeCodec.fromMetadata({ name: "transpose" }, { where: "arr" }),
    /missing 'order' \(array 'arr'\)/,
  );
  assert.throws(
    () =>
      TransposeCodec.fromMetadata({ name: "transpose", configuration: { order: [1, 0] } }, {
        ndim: 3,
      }),
    /has 2 entries but the array has 3 dimensions/,
  );
  assert.throws(
    () => new TransposeCodec([1, 0]).resolveSpec(spec("int8", [1, 2, 3])),
    MetadataValidationError,
  );
  assert.throws(
    () => permute(new Int32Array(5), [2, 3], [1, 0]),
    (e) => e instanceof CodecError && /expected 6/.test(e.message),
  );
  assert.ok(isPermutation([2, 0, 1]));
  assert.ok(!isPermutation([0, 2]));
  assert.ok(!isPermutation([0, 1.5]));
  assert.deepEqual(inversePermutation([2, 0, 1]), [1, 2, 0]);
});

Deno.test("transpose: complex and string chunks through the codec", () => {
  const codec = new TransposeCodec([1, 0]);
  const cs = spec("complex128", [2, 2]);
  const data = new Float64Array([1, -1, 2, -2, 3, -3, 4, -4]);
  const enc = codec.encode({ data, shape: [2, 2] }, cs);
  assert.deepEqual([...(enc.data as Float64Array)], [1, -1, 3, -3, 2, -2, 4, -4]);
  assert.deepEqual(codec.decode(enc, cs).data, data);
  const ss = spec("string", [2, 3]);
  const strs = ["a", "b", "c", "d", "e", "f"];
  const e2 = codec.encode({ data: strs, shape: [2, 3] }, ss);
  assert.deepEqual(e2.data, ["a", "d", "b", "e", "c", "f"]);
  assert.deepEqual(codec.decode(e2, ss).data, strs);
});
