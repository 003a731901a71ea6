import assert from "node:assert/strict";
import { ZarrTypeError, ZarrValueError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import {
  base64Decode,
  base64Encode,
  castFillValue,
  fillValueFromJSON,
  fillValueJSONFor,
  fillValuesEqual,
  fillValueToJSON,
  hasNaNPayload,
  parseHexFloat,
} from "../../src/metadata/fill_value.ts";
import { stringifyJSON } from "../../src/metadata/json.ts";

const dt = parseDataType;
const text = (v: unknown) => stringifyJSON(v, null);

Deno.test("floats: special strings round trip in v2 and v3", () => {
  for (const zf of [2, 3] as const) {
    for (
      const [s, v] of [["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]] as const
    ) {
      const got = fillValueFromJSON(dt("float64"), s, zf);
      assert.ok(Object.is(got, v));
      assert.equal(fillValueToJSON(dt("float64"), got, zf), s);
    }
  }
});

Deno.test("floats are written as Python floats", () => {
  assert.equal(text(fillValueToJSON(dt("float64"), 0, 3)), "0.0");
  assert.equal(text(fillValueToJSON(dt("float64"), 1.5, 3)), "1.5");
  assert.equal(text(fillValueToJSON(dt("float64"), -0, 3)), "-0.0");
  assert.equal(text(fillValueToJSON(dt("float64"), 1e-5, 2)), "1e-05");
  assert.equal(text(fillValueToJSON(dt("float64"), 1e16, 3)), "1e+16");
  // float32 values are rounded to float32 first (numpy scalar semantics)
  assert.equal(text(fillValueToJSON(dt("float32"), 0.1, 3)), "0.10000000149011612");
  assert.equal(text(fillValueToJSON(dt("float16"), 0.1, 3)), "0.0999755859375");
});

Deno.test("floats: reads accept ints, numeric strings, bigints", () => {
  assert.equal(fillValueFromJSON(dt("float64"), 1, 3), 1);
  assert.equal(fillValueFromJSON(dt("float64"), "3.14", 3), 3.14);
  assert.equal(fillValueFromJSON(dt("float64"), " 1_0.5 ", 2), 10.5);
  assert.ok(Number.isNaN(fillValueFromJSON(dt("float64"), "nan", 2) as number));
  assert.equal(fillValueFromJSON(dt("float64"), "-inf", 2), -Infinity);
  assert.equal(fillValueFromJSON(dt("float64"), 10n ** 20n, 3), 1e20);
  assert.throws(() => fillValueFromJSON(dt("float64"), "abc", 3), ZarrTypeError);
  assert.throws(() => fillValueFromJSON(dt("float64"), {}, 3), /Invalid fill_value/);
  assert.throws(() => fillValueFromJSON(dt("float64"), null, 3), ZarrTypeError);
});

Deno.test("floats: v3 hex bit patterns (big-endian f2/f4/f8)", () => {
  assert.equal(fillValueFromJSON(dt("float32"), "0x3f800000", 3), 1);
  assert.equal(fillValueFromJSON(dt("float64"), "0x3ff0000000000000", 3), 1);
  assert.equal(fillValueFromJSON(dt("float16"), "0x3c00", 3), 1);
  assert.ok(Number.isNaN(fillValueFromJSON(dt("float32"), "0x7fc00000", 3) as number));
  // v2 does not read hex
  assert.throws(() => fillValueFromJSON(dt("float32"), "0x3f800000", 2), ZarrTypeError);
  // wrong digit counts
  assert.throws(() => fillValueFromJSON(dt("float32"), "0x3f80000", 3), /hexadecimal/);
  assert.throws(() => fillValueFromJSON(dt("float32"), "0xzzzzzzzz", 3), ZarrTypeError);
});

Deno.test("NaN payloads: hex kept verbatim while the value is still NaN", () => {
  const h = parseHexFloat("0x7fc00001")!;
  assert.equal(h.width, 4);
  assert.equal(h.bits, 0x7fc00001n);
  assert.ok(h.nonCanonicalNaN);
  assert.ok(!parseHexFloat("0x7fc00000")!.nonCanonicalNaN);
  assert.ok(!parseHexFloat("0x7FF8000000000000")!.nonCanonicalNaN);
  assert.ok(parseHexFloat("0xffc00000")!.nonCanonicalNaN); // sign bit set
  assert.ok(hasNaNPayload("0x7e01"));
  assert.ok(hasNaNPayload(["0x7ff8000000000001", 0]));
  assert.ok(!hasNaNPayload("NaN"));
  assert.ok(!hasNaNPayload("0x3f800000"));
  const f4 = dt("float32");
  assert.equal(fillValueJSONFor(f4, NaN, 3, "0x7fc00001"), "0x7fc00001");
  // value changed since: re-encode
  assert.equal(text(fillValueJSONFor(f4, 2, 3, "0x7fc00001")), "2.0");
  // v2 cannot express payloads
  assert.equal(fillValueJSONFor(f4, NaN, 2, "0x7fc00001"), "NaN");
  // plain NaN is written "NaN" like zarr-python
  assert.equal(fillValueJSONFor(f4, NaN, 3), "NaN");
});

Deno.test("ints: JSON ints, 1.0 and '1'; 64-bit exact", () => {
  assert.equal(fillValueFromJSON(dt("int32"), 1, 3), 1);
  assert.equal(fillValueFromJSON(dt("int32"), "1", 3), 1);
  assert.equal(fillValueFromJSON(dt("int32"), " -5 ", 3), -5);
  assert.equal(fillValueFromJSON(dt("int16"), true, 3), 1);
  assert.throws(() => fillValueFromJSON(dt("int32"), 1.5, 3), /Invalid fill_value: 1\.5/);
  assert.throws(() => fillValueFromJSON(dt("int8"), 128, 3), /out of bounds/);
  assert.throws(() => fillValueFromJSON(dt("uint8"), -1, 3), ZarrTypeError);
  const u64max = 18446744073709551615n;
  assert.equal(fillValueFromJSON(dt("uint64"), u64max, 3), u64max);
  assert.equal(text(fillValueToJSON(dt("uint64"), u64max, 3)), "18446744073709551615");
  const i64min = -(2n ** 63n);
  assert.equal(fillValueFromJSON(dt("int64"), i64min, 2), i64min);
  assert.equal(text(fillValueToJSON(dt("int64"), i64min, 2)), "-9223372036854775808");
  assert.equal(fillValueFromJSON(dt("int64"), 7, 3), 7n);
  assert.equal(fillValueToJSON(dt("int64"), 7n, 3), 7);
  assert.throws(() => fillValueFromJSON(dt("uint64"), u64max + 1n, 3), ZarrTypeError);
});

Deno.test("bool", () => {
  assert.equal(fillValueFromJSON(dt("bool"), true, 3), true);
  assert.equal(fillValueFromJSON(dt("bool"), false, 3), false);
  assert.equal(fillValueFromJSON(dt("bool"), 0, 3), false);
  assert.equal(fillValueToJSON(dt("bool"), true, 3), true);
});

Deno.test("complex: special values (test_special_complex_fill_values_roundtrip)", () => {
  const c = dt("complex128");
  assert.equal(text(fillValueToJSON(c, [NaN, NaN], 3)), '["NaN", "NaN"]');
  assert.equal(text(fillValueToJSON(c, [Infinity, 0], 3)), '["Infinity", 0.0]');
  assert.equal(text(fillValueToJSON(c, [0, -Infinity], 2)), '[0.0, "-Infinity"]');
  assert.deepEqual(fillValueFromJSON(c, ["Infinity", 0.0], 3), [Infinity, 0]);
  const back = fillValueFromJSON(c, ["NaN", "NaN"], 3) as [number, number];
  assert.ok(Number.isNaN(back[0]) && Number.isNaN(back[1]));
  assert.deepEqual(fillValueFromJSON(dt("complex64"), ["0x3f800000", 2], 3), [1, 2]);
  assert.throws(() => fillValueFromJSON(c, [1], 3), ZarrTypeError);
  assert.throws(() => fillValueFromJSON(c, ["1.5", 0], 3), ZarrTypeError);
});

Deno.test("bytes types: standard base64", () => {
  const x = new TextEncoder().encode("X");
  assert.equal(fillValueToJSON(dt("|S1"), x, 2), "WA==");
  assert.deepEqual(fillValueFromJSON(dt("|S1"), "WA==", 2), x);
  assert.deepEqual(fillValueFromJSON(dt("S2"), "", 3), new Uint8Array(0));
  // S truncates to its length; V pads to its size
  assert.deepEqual(
    fillValueFromJSON(dt("S1"), base64Encode(new Uint8Array([1, 2])), 3),
    new Uint8Array([1]),
  );
  assert.deepEqual(fillValueFromJSON(dt("V3"), "AQ==", 3), new Uint8Array([1, 0, 0]));
  assert.equal(fillValueToJSON(dt("variable_length_bytes"), new Uint8Array([255, 0]), 3), "/wA=");
  assert.throws(() => fillValueFromJSON(dt("S1"), 5, 3), ZarrTypeError);
  assert.throws(() => fillValueFromJSON(dt("S1"), "WA=", 3), ZarrTypeError);
  // zarr-python 2's default fill 0 of vlen-bytes object arrays reads as b"" (numcodecs' reading)
  assert.deepEqual(fillValueFromJSON(dt("variable_length_bytes"), 0, 2), new Uint8Array(0));
  assert.throws(() => fillValueFromJSON(dt("variable_length_bytes"), 0, 3), ZarrTypeError);
});

Deno.test("base64 codec", () => {
  for (let n = 0; n < 10; n++) {
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 5) & 255);
    assert.deepEqual(base64Decode(base64Encode(b)), b);
  }
  assert.equal(base64Encode(new TextEncoder().encode("hello")), "aGVsbG8=");
  assert.throws(() => base64Decode("abc"), ZarrValueError);
});

Deno.test("strings", () => {
  assert.equal(fillValueFromJSON(dt("string"), "a", 3), "a");
  assert.equal(fillValueFromJSON(dt("string"), 0, 2), "0"); // zarr 2 wrote numbers
  assert.equal(fillValueFromJSON(dt("U3"), "abcdef", 3), "abc");
  assert.throws(() => fillValueFromJSON(dt("U3"), 1, 3), ZarrTypeError);
  assert.equal(fillValueToJSON(dt("U3"), "é", 3), "é");
});

Deno.test("datetime / timedelta: int64 counts, NaT", () => {
  const m = dt("<M8[ns]");
  const nat = -(2n ** 63n);
  assert.equal(fillValueFromJSON(m, "NaT", 3), nat);
  assert.equal(text(fillValueToJSON(m, nat, 3)), "-9223372036854775808");
  assert.equal(fillValueFromJSON(dt("m8[s]"), 5, 2), 5n);
  assert.equal(fillValueToJSON(dt("m8[s]"), 5n, 2), 5);
  assert.throws(() => fillValueFromJSON(m, "2020-01-01", 3), ZarrTypeError);
});

Deno.test("v2 null is preserved; v3 null is not a valid fill", () => {
  assert.equal(fillValueFromJSON(dt("float64"), null, 2), null);
  assert.equal(fillValueToJSON(dt("float64"), null, 2), null);
  assert.throws(() => fillValueToJSON(dt("float64"), null, 3), ZarrValueError);
});

Deno.test("errors name where", () => {
  assert.throws(
    () => fillValueFromJSON(dt("uint8"), {}, 3, "a/b/zarr.json"),
    (e: Error) =>
      e instanceof ZarrTypeError && e.message.includes("a/b/zarr.json") &&
      e.message.startsWith("Invalid fill_value"),
  );
});

Deno.test("castFillValue", () => {
  assert.equal(castFillValue(dt("int32"), 1.7), 1);
  assert.equal(castFillValue(dt("int64"), 3), 3n);
  assert.throws(() => castFillValue(dt("int8"), 300), ZarrValueError);
  assert.throws(() => castFillValue(dt("int8"), NaN), ZarrValueError);
  assert.throws(() => castFillValue(dt("int8"), {}), ZarrTypeError);
  assert.equal(castFillValue(dt("float32"), 0.1), Math.fround(0.1));
  assert.ok(Number.isNaN(castFillValue(dt("float64"), "NaN") as number));
  assert.deepEqual(castFillValue(dt("complex64"), 2), [2, 0]);
  assert.equal(castFillValue(dt("bool"), 1), true);
  assert.deepEqual(castFillValue(dt("S2"), "abc"), new TextEncoder().encode("ab"));
  assert.equal(castFillValue(dt("M8[s]"), null), -(2n ** 63n));
  assert.equal(castFillValue(dt("U2"), "hello"), "he");
});

Deno.test("fillValuesEqual treats NaN as equal and -0 as different", () => {
  assert.ok(fillValuesEqual(dt("float64"), NaN, NaN));
  assert.ok(!fillValuesEqual(dt("float64"), 0, -0));
  assert.ok(fillValuesEqual(dt("complex64"), [NaN, 1], [NaN, 1]));
  assert.ok(!fillValuesEqual(dt("float64"), 0, 1));
  assert.ok(fillValuesEqual(dt("float64"), null, null));
});
