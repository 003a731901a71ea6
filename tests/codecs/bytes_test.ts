import assert from "node:assert/strict";
import { BytesCodec, byteswap, NATIVE_LITTLE_ENDIAN } from "../../src/codecs/bytes.ts";
import type { Chunk, ChunkSpec } from "../../src/codecs/types.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import {
  type DataContainer,
  type DataType,
  defaultFillValue,
  parseDataType,
} from "../../src/metadata/dtype.ts";

function spec(dtype: string | DataType, shape: number[]): ChunkSpec {
  const dt = typeof dtype === "string" ? parseDataType(dtype) : dtype;
  return { shape, dtype: dt, fillValue: defaultFillValue(dt) };
}

function chunk(data: DataContainer, shape: number[]): Chunk {
  return { data, shape };
}

/** Sample data of 6 elements per dtype, exercising signs, extremes and NaN. */
function sample(dt: string): DataContainer {
  switch (dt) {
    case "bool":
      return new Uint8Array([1, 0, 1, 1, 0, 0]);
    case "int8":
      return new Int8Array([-128, -1, 0, 1, 42, 127]);
    case "uint8":
      return new Uint8Array([0, 1, 2, 128, 254, 255]);
    case "int16":
      return new Int16Array([-32768, -2, 0, 1, 258, 32767]);
    case "uint16":
      return new Uint16Array([0, 1, 256, 4660, 65534, 65535]);
    case "int32":
      return new Int32Array([-(2 ** 31), -2, 0, 1, 0x12345678, 2 ** 31 - 1]);
    case "uint32":
      return new Uint32Array([0, 1, 0x01020304, 0x80000000, 0xfffffffe, 0xffffffff]);
    case "int64":
      return new BigInt64Array([-(2n ** 63n), -2n, 0n, 1n, 0x0102030405060708n, 2n ** 63n - 1n]);
    case "uint64":
      return new BigUint64Array([
        0n,
        1n,
        0x0102030405060708n,
        2n ** 63n,
        2n ** 64n - 2n,
        2n ** 64n - 1n,
      ]);
    case "float16":
      return new Float16Array([0, -0, 1.5, -2.25, Infinity, 65504]);
    case "float32":
      return new Float32Array([0, -0, 1.5, -2.25, Infinity, NaN]);
    case "float64":
      return new Float64Array([0, -0, Math.PI, -1e300, -Infinity, NaN]);
    case "complex64":
      return new Float32Array([1, 2, -3, 4.5, NaN, Infinity, 0, -0, 7, 8, 9, 10]);
    case "complex128":
      return new Float64Array([1, 2, -3, 4.5, NaN, Infinity, 0, -0, 7, 8, 9, 1e-300]);
    case "datetime64[ns]":
    case "timedelta64[10s]":
      return new BigInt64Array([-(2n ** 63n), 0n, 1n, -1n, 1700000000000000000n, 42n]);
    case "U3":
      return ["", "a", "ab", "abc", "é😀", "\u0000x"];
    case "S4":
      return [
        new Uint8Array([]),
        new Uint8Array([1]),
        new Uint8Array([1, 0, 2]),
        new Uint8Array([255, 255, 255, 255]),
        new Uint8Array([0, 0, 0, 9]),
        new Uint8Array([7, 7]),
      ];
    case "V3":
      return [
        new Uint8Array([0, 0, 0]),
        new Uint8Array([1, 2, 3]),
        new Uint8Array([1, 0, 0]),
        new Uint8Array([0, 0, 1]),
        new Uint8Array([255, 254, 253]),
        new Uint8Array([9, 9, 9]),
      ];
  }
  throw new Error(dt);
}

const ALL = [
  "bool",
  "int8",
  "uint8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "uint64",
  "float16",
  "float32",
  "float64",
  "complex64",
  "complex128",
  "datetime64[ns]",
  "timedelta64[10s]",
  "U3",
  "S4",
  "V3",
];

function sameBits(a: DataContainer, b: DataContainer) {
  if (ArrayBuffer.isView(a)) {
    assert.ok(ArrayBuffer.isView(b));
    assert.equal(a.constructor, b.constructor);
    assert.deepEqual(
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
      new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    );
  } else {
    assert.deepEqual(a, b);
  }
}

for (const endian of ["little", "big"] as const) {
  Deno.test(`bytes: round trip of every dtype, ${endian} endian`, () => {
    const codec = new BytesCodec({ endian });
    for (const name of ALL) {
      const s = spec(name, [2, 3]);
      const data = sample(name);
      const bytes = codec.encode(chunk(data, [2, 3]), s);
      assert.equal(bytes.length, 6 * s.dtype.itemsize, name);
      const back = codec.decode(bytes, s);
      assert.deepEqual(back.shape, [2, 3]);
      if (name === "S4") {
        // trailing NULs are stripped on decode (numpy semantics)
        assert.deepEqual(back.data, [
          new Uint8Array([]),
          new Uint8Array([1]),
          new Uint8Array([1, 0, 2]),
          new Uint8Array([255, 255, 255, 255]),
          new Uint8Array([0, 0, 0, 9]),
          new Uint8Array([7, 7]),
        ]);
      } else if (name === "U3") {
        // "é😀" is 2 code points; "\0x" keeps its inner NUL
        assert.deepEqual(back.data, ["", "a", "ab", "abc", "é😀", "\u0000x"]);
      } else {
        sameBits(back.data, data);
      }
    }
  });
}

Deno.test("bytes: known byte layouts for both endians", () => {
  const le = new BytesCodec({ endian: "little" });
  const be = new BytesCodec({ endian: "big" });
  const i16 = spec("int16", [2]);
  assert.deepEqual(
    le.encode(chunk(new Int16Array([1, -2]), [2]), i16),
    new Uint8Array([1, 0, 254, 255]),
  );
  assert.deepEqual(
    be.encode(chunk(new Int16Array([1, -2]), [2]), i16),
    new Uint8Array([0, 1, 255, 254]),
  );
  const f32 = spec("float32", [1]);
  assert.deepEqual(
    be.encode(chunk(new Float32Array([1]), [1]), f32),
    new Uint8Array([0x3f, 0x80, 0, 0]),
  );
  const i64 = spec("int64", [1]);
  assert.deepEqual(
    be.encode(chunk(new BigInt64Array([0x0102030405060708n]), [1]), i64),
    new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
  );
  assert.deepEqual(
    le.encode(chunk(new BigInt64Array([0x0102030405060708n]), [1]), i64),
    new Uint8Array([8, 7, 6, 5, 4, 3, 2, 1]),
  );
  // complex64 swaps each float separately: 1+2j
  const c64 = spec("complex64", [1]);
  assert.deepEqual(
    be.encode(chunk(new Float32Array([1, 2]), [1]), c64),
    new Uint8Array([0x3f, 0x80, 0, 0, 0x40, 0, 0, 0]),
  );
  // U2 "ab": UTF-32 code units
  const u2 = spec("U2", [1]);
  assert.deepEqual(
    le.encode(chunk(["ab"], [1]), u2),
    new Uint8Array([0x61, 0, 0, 0, 0x62, 0, 0, 0]),
  );
  assert.deepEqual(
    be.encode(chunk(["ab"], [1]), u2),
    new Uint8Array([0, 0, 0, 0x61, 0, 0, 0, 0x62]),
  );
  assert.deepEqual(be.decode(new Uint8Array([0, 0, 0, 0x61, 0, 0, 0, 0]), u2).data, ["a"]);
  // uint16 decode big-endian
  assert.deepEqual(
    be.decode(new Uint8Array([0x12, 0x34, 0xff, 0x00]), spec("uint16", [2])).data,
    new Uint16Array([0x1234, 0xff00]),
  );
});

Deno.test("bytes: toJSON drops endian for endian-less dtypes (evolve)", () => {
  for (const name of ["bool", "int8", "uint8", "S4", "V3"]) {
    assert.deepEqual(new BytesCodec().evolve(parseDataType(name)).toJSON(), { name: "bytes" });
    assert.equal(
      JSON.stringify(
        BytesCodec.fromMetadata(
          { name: "bytes", configuration: { endian: "big" } },
          { dtype: parseDataType(name) },
        ).toJSON(),
      ),
      '{"name":"bytes"}',
    );
  }
  for (const name of ["int16", "float64", "complex64", "U3", "datetime64[ns]", "uint64"]) {
    assert.equal(
      JSON.stringify(new BytesCodec({ endian: null }).evolve(parseDataType(name)).toJSON()),
      '{"name":"bytes","configuration":{"endian":"little"}}',
    );
    assert.equal(
      JSON.stringify(
        BytesCodec.fromMetadata(
          { name: "bytes", configuration: { endian: "big" } },
          { dtype: parseDataType(name) },
        ).toJSON(),
      ),
      '{"name":"bytes","configuration":{"endian":"big"}}',
    );
  }
  // without a dtype, what was read is what is written
  assert.deepEqual(BytesCodec.fromMetadata({ name: "bytes" }).toJSON(), { name: "bytes" });
  assert.equal(BytesCodec.fromMetadata({ name: "bytes" }).endian, null);
});

Deno.test("bytes: bad configurations raise MetadataValidationError", () => {
  assert.throws(
    () => BytesCodec.fromMetadata({ name: "bytes", configuration: { endian: "middle" } }),
    MetadataValidationError,
  );
  assert.throws(
    () => BytesCodec.fromMetadata({ name: "bytes", configuration: { order: "C" } }),
    /unexpected configuration key 'order'/,
  );
  assert.throws(
    () =>
      BytesCodec.fromMetadata({ name: "bytes" }, { dtype: parseDataType("string"), where: "x" }),
    (e) =>
      e instanceof MetadataValidationError && /vlen-utf8/.test(e.message) && /'x'/.test(e.message),
  );
});

Deno.test("bytes: wrong byte counts raise CodecError", () => {
  const codec = new BytesCodec();
  assert.throws(
    () => codec.decode(new Uint8Array(7), spec("int32", [2])),
    (e) => e instanceof CodecError && /expected 8 bytes/.test(e.message) && /got 7/.test(e.message),
  );
  assert.throws(() => codec.decode(new Uint8Array(9), spec("int32", [2])), CodecError);
  assert.throws(() => codec.decode(new Uint8Array(0), spec("U2", [1])), CodecError);
  assert.throws(() => codec.decode(new Uint8Array(3), spec("string", [1])), CodecError);
  assert.throws(
    () => codec.encode(chunk(new Int32Array(3), [2]), spec("int32", [2])),
    CodecError,
  );
  assert.throws(
    () => codec.encode(chunk(new Float32Array(2), [2]), spec("int32", [2])),
    /expected a Int32Array/,
  );
});

Deno.test("bytes: aligned little-endian decode is zero-copy, misaligned copies", () => {
  const codec = new BytesCodec();
  const buf = new Uint8Array(17);
  new Float64Array(buf.buffer, 0, 2).set([1.5, -2]);
  const aligned = codec.decode(buf.subarray(0, 16), spec("float64", [2]));
  assert.equal((aligned.data as Float64Array).buffer, buf.buffer);
  assert.deepEqual(aligned.data, new Float64Array([1.5, -2]));
  const shifted = new Uint8Array(17);
  shifted.set(buf.subarray(0, 16), 1);
  const mis = codec.decode(shifted.subarray(1), spec("float64", [2]));
  assert.notEqual((mis.data as Float64Array).buffer, shifted.buffer);
  assert.deepEqual(mis.data, new Float64Array([1.5, -2]));
  // misaligned big-endian too
  const be = new BytesCodec({ endian: "big" });
  const raw = new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0, 2]);
  assert.deepEqual(be.decode(raw.subarray(1), spec("int32", [2])).data, new Int32Array([1, 2]));
});

Deno.test("bytes: big-endian encode leaves the input untouched; NaN payloads survive", () => {
  const be = new BytesCodec({ endian: "big" });
  const data = new Float32Array(2);
  new Uint32Array(data.buffer).set([0x7fa00001, 0xffc12345]);
  const copy = data.slice();
  const bytes = be.encode(chunk(data, [2]), spec("float32", [2]));
  assert.deepEqual(new Uint8Array(data.buffer), new Uint8Array(copy.buffer));
  assert.deepEqual(bytes.subarray(0, 4), new Uint8Array([0x7f, 0xa0, 0x00, 0x01]));
  const back = be.decode(bytes, spec("float32", [2])).data as Float32Array;
  assert.deepEqual([...new Uint32Array(back.buffer)], [0x7fa00001, 0xffc12345]);
});

Deno.test("bytes: bool decode normalizes to 0/1 and bool encode writes 0/1", () => {
  const codec = new BytesCodec();
  const s = spec("bool", [4]);
  assert.deepEqual(
    codec.decode(new Uint8Array([0, 1, 2, 255]), s).data,
    new Uint8Array([0, 1, 1, 1]),
  );
  const src = new Uint8Array([0, 5, 1, 200]);
  assert.deepEqual(codec.encode(chunk(src, [4]), s), new Uint8Array([0, 1, 1, 1]));
  assert.deepEqual(src, new Uint8Array([0, 5, 1, 200]));
});

Deno.test("bytes: S pads/truncates on encode and strips trailing NULs on decode; V is exact", () => {
  const codec = new BytesCodec();
  const s = spec("S3", [3]);
  const bytes = codec.encode(
    chunk([new Uint8Array([97]), new Uint8Array([97, 98, 99, 100]), new Uint8Array([0, 98])], [3]),
    s,
  );
  assert.deepEqual(bytes, new Uint8Array([97, 0, 0, 97, 98, 99, 0, 98, 0]));
  assert.deepEqual(codec.decode(bytes, s).data, [
    new Uint8Array([97]),
    new Uint8Array([97, 98, 99]),
    new Uint8Array([0, 98]),
  ]);
  const v = spec("V2", [2]);
  assert.deepEqual(
    codec.encode(chunk([new Uint8Array([1, 0]), new Uint8Array([5])], [2]), v),
    new Uint8Array([1, 0, 5, 0]),
  );
  assert.deepEqual(codec.decode(new Uint8Array([1, 0, 0, 0]), v).data, [
    new Uint8Array([1, 0]),
    new Uint8Array([0, 0]),
  ]);
  assert.throws(
    () => codec.encode(chunk([new Uint8Array(3), new Uint8Array(2)], [2]), v),
    CodecError,
  );
  assert.throws(() => codec.encode(chunk(["ab", "cd"], [2]), v), CodecError);
});

Deno.test("bytes: U truncates long strings, decodes astral code points, rejects invalid ones", () => {
  const codec = new BytesCodec();
  const s = spec("U2", [2]);
  const bytes = codec.encode(chunk(["abc", "😀"], [2]), s);
  assert.deepEqual(codec.decode(bytes, s).data, ["ab", "😀"]);
  const bad = new Uint8Array(8);
  new DataView(bad.buffer).setUint32(0, 0x110000, true);
  assert.throws(() => codec.decode(bad, spec("U2", [1])), /invalid UTF-32 code point/);
  assert.throws(
    () => codec.encode(chunk([1 as unknown as string], [1]), spec("U2", [1])),
    CodecError,
  );
  // lone surrogates survive (numpy allows them in U arrays)
  const lone = spec("U2", [2]);
  assert.deepEqual(codec.decode(codec.encode(chunk(["\uD800x", "ok"], [2]), lone), lone).data, [
    "\uD800x",
    "ok",
  ]);
  // long strings go through the chunked path
  const long = "x".repeat(10000) + "é";
  const ls = spec("U10001", [1]);
  assert.deepEqual(codec.decode(codec.encode(chunk([long], [1]), ls), ls).data, [long]);
});

Deno.test("bytes: 0-d and empty chunks", () => {
  const codec = new BytesCodec({ endian: "big" });
  const s0 = spec("int32", []);
  const b = codec.encode(chunk(new Int32Array([7]), []), s0);
  assert.deepEqual(b, new Uint8Array([0, 0, 0, 7]));
  assert.deepEqual(codec.decode(b, s0).data, new Int32Array([7]));
  const e = spec("float64", [0, 5]);
  assert.equal(codec.encode(chunk(new Float64Array(0), [0, 5]), e).length, 0);
  assert.deepEqual(codec.decode(new Uint8Array(0), e).data, new Float64Array(0));
  assert.equal(codec.encodedSize(spec("float64", [3, 5])), 120);
  assert.equal(codec.encodedSize(spec("string", [3])), undefined);
});

Deno.test("byteswap: all widths, aligned and unaligned", () => {
  assert.ok(NATIVE_LITTLE_ENDIAN);
  for (const width of [2, 4, 8]) {
    for (const offset of [0, 1, 2, 4]) {
      const buf = new Uint8Array(offset + width * 5);
      const view = buf.subarray(offset);
      for (let i = 0; i < view.length; i++) view[i] = i;
      byteswap(view, width);
      const expected = new Uint8Array(width * 5);
      for (let w = 0; w < 5; w++) {
        for (let j = 0; j < width; j++) expected[w * width + j] = w * width + (width - 1 - j);
      }
      assert.deepEqual(view, expected, `width ${width} offset ${offset}`);
    }
  }
  assert.throws(() => byteswap(new Uint8Array(3), 2), CodecError);
});
