import assert from "node:assert/strict";
import {
  checkInt,
  compressionError,
  errorMessage,
  plainBytes,
  readConfig,
  whereSuffix,
  zlibLimit,
} from "../../src/codecs/common.ts";
import { CodecError, MetadataValidationError } from "../../src/errors.ts";
import { Buffer } from "node:buffer";

Deno.test("common: readConfig validates keys and shapes", () => {
  assert.deepEqual(readConfig({ name: "x" }, []), {});
  assert.deepEqual(readConfig({ name: "x", configuration: { a: 1 } }, ["a"]), { a: 1 });
  assert.throws(
    () => readConfig({ name: "x", configuration: { b: 1 } }, ["a"], "p"),
    /'x': unexpected configuration key 'b' \(array 'p'\)/,
  );
  assert.throws(
    () => readConfig({ name: "x", configuration: 3 as never }, []),
    MetadataValidationError,
  );
});

Deno.test("common: checkInt, whereSuffix, errorMessage", () => {
  assert.equal(checkInt(3, "c", "f", 0, 9), 3);
  assert.throws(() => checkInt(10, "c", "f", 0, 9), /'f' must be an integer in \[0, 9\], got 10/);
  assert.throws(() => checkInt(NaN, "c", "f", 0, 9), MetadataValidationError);
  assert.throws(() => checkInt("1", "c", "f", 0, 9), MetadataValidationError);
  assert.equal(whereSuffix(), "");
  assert.equal(whereSuffix("a/b"), " (array 'a/b')");
  assert.equal(errorMessage(new Error("m")), "m");
  assert.equal(errorMessage("s"), "s");
});

Deno.test("common: plainBytes returns a plain Uint8Array view without copying", () => {
  const buf = Buffer.from([1, 2, 3]);
  const u = plainBytes(buf);
  assert.equal(u.constructor, Uint8Array);
  assert.equal(u.buffer, buf.buffer);
  assert.deepEqual([...u], [1, 2, 3]);
  const plain = new Uint8Array(2);
  assert.equal(plainBytes(plain), plain);
});

Deno.test("common: compressionError and zlibLimit", () => {
  const e = compressionError(
    "gzip",
    "decode",
    Object.assign(new RangeError("x"), { code: "ERR_BUFFER_TOO_LARGE" }),
    10,
  );
  assert.ok(e instanceof CodecError);
  assert.match(e.message, /exceeds the expected maximum of 10 bytes/);
  assert.match(
    compressionError("zstd", "encode", new Error("bad")).message,
    /^zstd encode failed: bad$/,
  );
  const ce = new CodecError("kept");
  assert.equal(compressionError("x", "decode", ce), ce);
  assert.deepEqual(zlibLimit(undefined), {});
  assert.deepEqual(zlibLimit(0), { maxOutputLength: 1 });
  assert.deepEqual(zlibLimit(100.7), { maxOutputLength: 100 });
  assert.deepEqual(zlibLimit(2 ** 60), { maxOutputLength: Number.MAX_SAFE_INTEGER });
});
