import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { buildPipeline, CodecPipeline, defaultCodecsV3 } from "../../src/codecs/pipeline.ts";
import { registerCodec } from "../../src/codecs/registry.ts";
import { BytesCodec } from "../../src/codecs/bytes.ts";
import { Crc32cCodec } from "../../src/codecs/crc32c.ts";
import { GzipCodec } from "../../src/codecs/gzip.ts";
import { TransposeCodec } from "../../src/codecs/transpose.ts";
import { ZstdCodec } from "../../src/codecs/zstd.ts";
import type { ArrayArrayCodec, ChunkSpec, CodecMetadata } from "../../src/codecs/types.ts";
import { CodecError, MetadataValidationError, UnknownCodecError } from "../../src/errors.ts";
import { defaultFillValue, parseDataType } from "../../src/metadata/dtype.ts";

function spec(dtype: string, shape: number[]): ChunkSpec {
  const dt = parseDataType(dtype);
  return { shape, dtype: dt, fillValue: defaultFillValue(dt) };
}

Deno.test("pipeline: order validation", () => {
  const bad: [CodecMetadata[], RegExp][] = [
    [[], /no codecs/],
    [[{ name: "gzip" }], /bytes->bytes codec 'gzip' comes before any array->bytes codec/],
    [[{ name: "transpose", configuration: { order: [0] } }], /exactly one array->bytes codec/],
    [
      [{ name: "bytes" }, { name: "vlen-utf8" }],
      /only one array->bytes codec is allowed, got 'bytes' and 'vlen-utf8'/,
    ],
    [
      [{ name: "bytes" }, { name: "transpose", configuration: { order: [0] } }],
      /array->array codec 'transpose' comes after the array->bytes codec 'bytes'/,
    ],
    [[{ name: "bytes" }, { name: "gzip" }, { name: "bytes" }], /only one array->bytes codec/],
  ];
  for (const [codecs, re] of bad) {
    assert.throws(
      () => buildPipeline(codecs, "g/a"),
      (e) => e instanceof MetadataValidationError && re.test(e.message) && /'g\/a'/.test(e.message),
      JSON.stringify(codecs),
    );
  }
  assert.throws(() => buildPipeline({} as never), MetadataValidationError);
  assert.throws(() => buildPipeline([{ name: "bytes" }, { name: "lz5" }], "p"), UnknownCodecError);
  const p = buildPipeline([
    { name: "transpose", configuration: { order: [1, 0] } },
    { name: "bytes", configuration: { endian: "little" } },
    { name: "gzip", configuration: { level: 1 } },
    { name: "crc32c" },
  ]);
  assert.equal(p.arrayArray.length, 1);
  assert.equal(p.arrayBytes.name, "bytes");
  assert.deepEqual(p.bytesBytes.map((c) => c.name), ["gzip", "crc32c"]);
  assert.deepEqual(p.codecs.map((c) => c.name), ["transpose", "bytes", "gzip", "crc32c"]);
});

Deno.test("pipeline: full chain round trip (transpose + big-endian bytes + gzip + crc32c)", async () => {
  const codecs: CodecMetadata[] = [
    { name: "transpose", configuration: { order: [2, 0, 1] } },
    { name: "bytes", configuration: { endian: "big" } },
    { name: "gzip", configuration: { level: 5 } },
    { name: "crc32c" },
  ];
  const p = buildPipeline(codecs, "arr");
  assert.equal(JSON.stringify(p.toJSON()), JSON.stringify(codecs));
  const s = spec("int32", [2, 3, 4]);
  const data = new Int32Array(24).map((_, i) => i - 5);
  const bytes = await p.encode({ data, shape: [2, 3, 4] }, s);
  // peel the layers by hand: crc32c -> gzip -> big-endian [4,2,3] transposed array
  const inner = new GzipCodec().decode(new Crc32cCodec().decode(bytes));
  const dv = new DataView(inner.buffer, inner.byteOffset, inner.byteLength);
  assert.equal(inner.length, 96);
  assert.equal(dv.getInt32(0, false), -5); // [0][0][0]
  assert.equal(dv.getInt32(4, false), -1); // encoded[0][0][1] = decoded[0][1][0] = 4 - 5
  const back = await p.decode(bytes, s, "c/0/0/0");
  assert.deepEqual(back.shape, [2, 3, 4]);
  assert.deepEqual(back.data, data);
});

Deno.test("pipeline: every dtype through the default codecs", async () => {
  const cases: [string, unknown[] | ArrayLike<unknown>][] = [
    ["bool", new Uint8Array([1, 0, 1])],
    ["int8", new Int8Array([-1, 0, 1])],
    ["uint16", new Uint16Array([1, 2, 65535])],
    ["int64", new BigInt64Array([-1n, 0n, 2n ** 62n])],
    ["float16", new Float16Array([0.5, -1, 2])],
    ["float64", new Float64Array([NaN, -0, 1e300])],
    ["complex64", new Float32Array([1, 2, 3, 4, 5, 6])],
    ["datetime64[ms]", new BigInt64Array([-(2n ** 63n), 0n, 1700000000000n])],
    ["U4", ["", "ab", "abcd"]],
    ["S2", [new Uint8Array([1]), new Uint8Array([]), new Uint8Array([1, 2])]],
    ["V2", [new Uint8Array([0, 1]), new Uint8Array([2, 3]), new Uint8Array([0, 0])]],
    ["string", ["x", "", "ünï"]],
    ["variable_length_bytes", [new Uint8Array([9]), new Uint8Array([]), new Uint8Array([1, 2, 3])]],
  ];
  for (const [name, data] of cases) {
    const dt = parseDataType(name);
    const p = buildPipeline(defaultCodecsV3(dt), "a", { dtype: dt, shape: [3] });
    const s = spec(name, [3]);
    const bytes = await p.encode({ data: data as never, shape: [3] }, s);
    const back = await p.decode(bytes, s);
    assert.deepEqual(back.data, data, name);
  }
});

Deno.test("pipeline: defaultCodecsV3 matches zarr-python 3 exactly", () => {
  const zstd = '{"name":"zstd","configuration":{"level":0,"checksum":false}}';
  const expect: Record<string, string> = {
    bool: `[{"name":"bytes"},${zstd}]`,
    int8: `[{"name":"bytes"},${zstd}]`,
    uint8: `[{"name":"bytes"},${zstd}]`,
    int16: `[{"name":"bytes","configuration":{"endian":"little"}},${zstd}]`,
    float64: `[{"name":"bytes","configuration":{"endian":"little"}},${zstd}]`,
    complex128: `[{"name":"bytes","configuration":{"endian":"little"}},${zstd}]`,
    U3: `[{"name":"bytes","configuration":{"endian":"little"}},${zstd}]`,
    S3: `[{"name":"bytes"},${zstd}]`,
    V3: `[{"name":"bytes"},${zstd}]`,
    "datetime64[ns]": `[{"name":"bytes","configuration":{"endian":"little"}},${zstd}]`,
    string: `[{"name":"vlen-utf8","configuration":{}},${zstd}]`,
    variable_length_bytes: `[{"name":"vlen-bytes","configuration":{}},${zstd}]`,
  };
  for (const [name, json] of Object.entries(expect)) {
    const dt = parseDataType(name);
    assert.equal(JSON.stringify(defaultCodecsV3(dt)), json, name);
    // and a pipeline built from them writes the same JSON back
    assert.equal(
      JSON.stringify(buildPipeline(defaultCodecsV3(dt), "a", { dtype: dt }).toJSON()),
      json,
      name,
    );
  }
});

Deno.test("pipeline: dtype/shape options evolve and validate codecs at build time", () => {
  const u8 = parseDataType("uint8");
  const p = buildPipeline([{ name: "bytes", configuration: { endian: "big" } }], "a", {
    dtype: u8,
  });
  assert.equal(JSON.stringify(p.toJSON()), '[{"name":"bytes"}]');
  const f = buildPipeline(
    [{ name: "transpose", configuration: { order: "F" } }, { name: "bytes" }],
    "a",
    { dtype: parseDataType("int32"), shape: [2, 3, 4] },
  );
  assert.equal(
    JSON.stringify(f.toJSON()),
    '[{"name":"transpose","configuration":{"order":[2,1,0]}},{"name":"bytes","configuration":{"endian":"little"}}]',
  );
  assert.throws(
    () =>
      buildPipeline(
        [{ name: "transpose", configuration: { order: [1, 0] } }, { name: "bytes" }],
        "z",
        {
          dtype: parseDataType("int32"),
          shape: [2, 3, 4],
        },
      ),
    (e) =>
      e instanceof MetadataValidationError && /3 dimensions/.test(e.message) &&
      /'z'/.test(e.message),
  );
  assert.throws(
    () => buildPipeline([{ name: "bytes" }], "s", { dtype: parseDataType("string") }),
    MetadataValidationError,
  );
  assert.throws(
    () => buildPipeline([{ name: "vlen-utf8" }], "s", { dtype: parseDataType("float32") }),
    MetadataValidationError,
  );
});

Deno.test("pipeline: codec failures become CodecError naming the codec, key and array", async () => {
  const p = buildPipeline([{ name: "bytes" }, { name: "gzip" }], "grp/arr");
  const s = spec("float32", [4]);
  await assert.rejects(
    () => p.decode(new Uint8Array([1, 2, 3, 4, 5]), s, "c/7"),
    (e) =>
      e instanceof CodecError && /codec 'gzip'/.test(e.message) && /'c\/7'/.test(e.message) &&
      /grp\/arr/.test(e.message),
  );
  // wrong decoded length
  const gz = new GzipCodec();
  await assert.rejects(
    () => p.decode(gz.encode(new Uint8Array(12)), s, "c/0"),
    (e) =>
      e instanceof CodecError && /codec 'bytes'/.test(e.message) &&
      /expected 16 bytes/.test(e.message),
  );
  // encode of a wrong-sized chunk
  await assert.rejects(
    () => p.encode({ data: new Float32Array(3), shape: [3] }, s, "c/1"),
    (e) => e instanceof CodecError && /'c\/1'/.test(e.message) && /expected 4/.test(e.message),
  );
  // crc mismatch surfaces too
  const pc = buildPipeline([{ name: "bytes" }, { name: "crc32c" }]);
  const enc = await pc.encode({ data: new Float32Array(4), shape: [4] }, s);
  enc[0] ^= 1;
  await assert.rejects(() => pc.decode(enc, s), /crc32c checksum mismatch/);
  // hostile vlen through the pipeline
  const pv = buildPipeline([{ name: "vlen-utf8" }, { name: "zstd" }]);
  const hostile = new ZstdCodec().encode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0]));
  await assert.rejects(() => pv.decode(hostile, spec("string", [2]), "c/0"), CodecError);
});

Deno.test("pipeline: decompression bombs are stopped at the expected chunk size", async () => {
  for (
    const [name, codec] of [["gzip", new GzipCodec(9)], [
      "zstd",
      new ZstdCodec({ level: 3 }),
    ]] as const
  ) {
    const p = buildPipeline([{ name: "bytes" }, codec.toJSON()], "bomb");
    const bomb = codec.encode(new Uint8Array(30_000_000));
    const t0 = performance.now();
    await assert.rejects(
      () => p.decode(bomb, spec("float32", [4]), "c/0"),
      (e) =>
        e instanceof CodecError && new RegExp(`codec '${name}'`).test(e.message) &&
        /maximum/.test(e.message),
    );
    assert.ok(performance.now() - t0 < 200, `${name} stopped early`);
  }
});

Deno.test("pipeline: a codec returning the wrong number of values is caught", async () => {
  const liar: ArrayArrayCodec = {
    kind: "array_to_array",
    name: "test.liar",
    resolveSpec: (s) => s,
    encode: (c) => c,
    decode: (c) => ({ data: (c.data as Float32Array).subarray(1), shape: c.shape }),
    toJSON: () => ({ name: "test.liar" }),
  };
  registerCodec("test.liar", () => liar);
  const p = buildPipeline([{ name: "test.liar" }, { name: "bytes" }], "l");
  const s = spec("float32", [4]);
  const bytes = await p.encode({ data: new Float32Array(4), shape: [4] }, s);
  await assert.rejects(
    () => p.decode(bytes, s, "k"),
    (e) => e instanceof CodecError && /'test.liar' produced 3 values, expected 4/.test(e.message),
  );
});

Deno.test("pipeline: encode never aliases the caller's chunk; decode may be zero-copy", async () => {
  const p = CodecPipeline.fromCodecs([new BytesCodec()]);
  const s = spec("float64", [3]);
  const data = new Float64Array([1, 2, 3]);
  const bytes = await p.encode({ data, shape: [3] }, s);
  assert.notEqual(bytes.buffer, data.buffer);
  data[0] = 99;
  assert.deepEqual(
    new Float64Array(bytes.buffer, bytes.byteOffset, 3),
    new Float64Array([1, 2, 3]),
  );
  const back = await p.decode(bytes, s);
  assert.equal((back.data as Float64Array).buffer, bytes.buffer);
});

Deno.test("pipeline: encodedSize and resolveSpecs", () => {
  const p = CodecPipeline.fromCodecs([
    new TransposeCodec([1, 0]),
    new BytesCodec(),
    new Crc32cCodec(),
  ]);
  const s = spec("int16", [3, 5]);
  assert.equal(p.encodedSize(s), 34);
  assert.deepEqual(p.resolveSpecs(s).map((x) => x.shape), [[3, 5], [5, 3]]);
  assert.equal(
    CodecPipeline.fromCodecs([new BytesCodec(), new GzipCodec()]).encodedSize(s),
    undefined,
  );
});

Deno.test("pipeline: factories get a buildPipeline for nested chains", async () => {
  registerCodec("test.nested", (meta, ctx) => {
    const inner = ctx.buildPipeline!(
      (meta.configuration as { codecs: CodecMetadata[] }).codecs,
      ctx.where,
    );
    return {
      kind: "array_to_bytes",
      name: "test.nested",
      encode: (chunk, s) => inner.encode(chunk, s),
      decode: (b, s) => inner.decode(b, s),
      toJSON: () => ({ name: "test.nested", configuration: { codecs: inner.toJSON() } }),
    };
  });
  const meta = [{
    name: "test.nested",
    configuration: {
      codecs: [{ name: "bytes", configuration: { endian: "big" } }, { name: "crc32c" }],
    },
  }];
  const p = buildPipeline(meta, "n");
  assert.equal(JSON.stringify(p.toJSON()), JSON.stringify(meta));
  const s = spec("uint16", [2]);
  const bytes = await p.encode({ data: new Uint16Array([1, 2]), shape: [2] }, s);
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 1, 0, 2]);
  assert.deepEqual((await p.decode(bytes, s)).data, new Uint16Array([1, 2]));
  assert.throws(
    () =>
      buildPipeline([{ name: "test.nested", configuration: { codecs: [{ name: "gzip" }] } }], "n"),
    MetadataValidationError,
  );
});
