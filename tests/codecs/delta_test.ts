import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { DeltaCodec } from "../../src/codecs/delta.ts";
import { codecFromMetadata, codecFromV2 } from "../../src/codecs/registry.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import type { ArrayArrayCodec, ChunkSpec } from "../../src/codecs/types.ts";

const spec = (dtype: string, n: number): ChunkSpec => ({
  shape: [n],
  dtype: parseDataType(dtype),
  fillValue: 0,
});

Deno.test("delta: encodes differences and decodes by cumulative sum (int32)", async () => {
  const c = new DeltaCodec("<i4");
  const enc = await c.encode(
    { data: new Int32Array([5, 7, 4, 4, 10]), shape: [5] },
    spec("int32", 5),
  );
  assert.deepEqual(Array.from(enc.data as Int32Array), [5, 2, -3, 0, 6]);
  const dec = await c.decode(enc, spec("int32", 5));
  assert.deepEqual(Array.from(dec.data as Int32Array), [5, 7, 4, 4, 10]);
});

Deno.test("delta: astype narrows the differences; int64 wraps like numpy", async () => {
  const c = new DeltaCodec("<i8", "<i2");
  const s = spec("int64", 4);
  assert.equal(c.resolveSpec(s).dtype.str, "int16");
  const data = new BigInt64Array([100n, 101n, 99n, 130n]);
  const enc = await c.encode({ data, shape: [4] }, s);
  assert.ok(enc.data instanceof Int16Array);
  assert.deepEqual(Array.from(enc.data as Int16Array), [100, 1, -2, 31]);
  const dec = await c.decode(enc, s);
  assert.deepEqual(Array.from(dec.data as BigInt64Array), [100n, 101n, 99n, 130n]);
  const wrap = new DeltaCodec("<i8");
  const big = new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]);
  const e2 = await wrap.encode({ data: big, shape: [2] }, spec("int64", 2));
  assert.deepEqual(Array.from(e2.data as BigInt64Array), [-(2n ** 63n), -1n]);
  const d2 = await wrap.decode(e2, spec("int64", 2));
  assert.deepEqual(Array.from(d2.data as BigInt64Array), Array.from(big));
});

Deno.test("delta: float32 accumulates in float32; v2 and v3 metadata forms", async () => {
  const c = codecFromMetadata({
    name: "numcodecs.delta",
    configuration: { dtype: "<f4" },
  }) as ArrayArrayCodec;
  const x = new Float32Array([0.1, 0.2, 0.7, -1.5]);
  const s = spec("float32", 4);
  const dec = await c.decode(await c.encode({ data: x, shape: [4] }, s), s);
  assert.deepEqual(Array.from(dec.data as Float32Array), Array.from(x));
  assert.deepEqual(c.toJSON(), { name: "numcodecs.delta", configuration: { dtype: "<f4" } });
  const v2 = codecFromV2({ id: "delta", dtype: "<i8", astype: "<i2" }) as DeltaCodec;
  assert.deepEqual(v2.toV2JSON(), { id: "delta", dtype: "<i8", astype: "<i2" });
  assert.throws(() => new DeltaCodec("|O"));
  assert.throws(() =>
    codecFromMetadata({ name: "numcodecs.delta", configuration: { dtype: "int32", x: 1 } })
  );
});
