import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import {
  categorizeObjectFilter,
  deriveV2Codecs,
  evolveCodecsV3,
  V2_BYTE_FILTER_IDS,
  v2EncodingFromCodecs,
} from "../../../src/metadata/codec_chain.ts";
import { buildPipeline } from "../../../src/codecs/pipeline.ts";
import { parseNumpyDtype } from "../../../src/metadata/dtype.ts";
import type { V2CodecConfig } from "../../../src/codecs/types.ts";

/** A v2 chain for a numpy dtype string. */
function chain(
  dtype: string,
  filters: V2CodecConfig[] | null,
  compressor: V2CodecConfig | null,
  ndim = 1,
) {
  const p = parseNumpyDtype(dtype);
  const input = {
    dataType: p.dtype,
    endian: p.endian,
    order: "C" as const,
    ndim,
    filters,
    compressor,
  };
  return { input, codecs: deriveV2Codecs(input) };
}

Deno.test("v2 chain: byte-level filters go after the serializer; the serializer's byte order follows astype", () => {
  assert.ok(
    ["shuffle", "adler32", "fletcher32", "crc32", "zlib"].every((id) => V2_BYTE_FILTER_IDS.has(id)),
  );
  assert.ok(!V2_BYTE_FILTER_IDS.has("delta"));
  const cases: [string, V2CodecConfig[], V2CodecConfig | null, unknown[]][] = [
    [
      "<i2",
      [{ id: "delta", dtype: "<i2", astype: "|i1" }, { id: "shuffle", elementsize: 2 }],
      { id: "zlib", level: 1 },
      [
        { name: "numcodecs.delta", configuration: { dtype: "<i2", astype: "|i1" } },
        { name: "bytes" },
        { name: "numcodecs.shuffle", configuration: { elementsize: 2 } },
        { name: "numcodecs.zlib", configuration: { level: 1 } },
      ],
    ],
    [
      "<f4",
      [{ id: "shuffle" }, { id: "adler32" }],
      null,
      [
        { name: "bytes", configuration: { endian: "little" } },
        { name: "numcodecs.shuffle", configuration: { elementsize: 4 } }, // numcodecs' default
        { name: "numcodecs.adler32", configuration: {} },
      ],
    ],
    [
      ">f8",
      [
        { id: "fixedscaleoffset", offset: 0, scale: 10, dtype: ">f8", astype: "<u2" },
        { id: "fletcher32" },
      ],
      { id: "zlib", level: 1 },
      [
        {
          name: "numcodecs.fixedscaleoffset",
          configuration: { offset: 0, scale: 10, dtype: ">f8", astype: "<u2" },
        },
        { name: "bytes", configuration: { endian: "little" } },
        { name: "numcodecs.fletcher32", configuration: {} },
        { name: "numcodecs.zlib", configuration: { level: 1 } },
      ],
    ],
    [
      "<i4",
      [{ id: "astype", encode_dtype: ">i2", decode_dtype: "<i4" }],
      null,
      [
        { name: "numcodecs.astype", configuration: { encode_dtype: ">i2", decode_dtype: "<i4" } },
        { name: "bytes", configuration: { endian: "big" } },
      ],
    ],
    [
      "|b1",
      [{ id: "packbits" }],
      null,
      [{ name: "numcodecs.packbits", configuration: {} }, { name: "bytes" }],
    ],
    [
      "<U6",
      [{ id: "categorize", labels: ["a"], dtype: "<U6" }],
      null,
      [{ name: "numcodecs.categorize", configuration: { labels: ["a"], dtype: "<U6" } }, {
        name: "bytes",
      }],
    ],
  ];
  for (const [dtype, filters, compressor, want] of cases) {
    const { input, codecs } = chain(dtype, filters, compressor);
    assert.deepEqual(codecs, want, dtype);
    // the chain builds
    buildPipeline(codecs, "a", { dtype: input.dataType, shape: [16] });
    // and maps back to the same v2 encoding
    const enc = v2EncodingFromCodecs(codecs, input.dataType, 1);
    assert.equal(enc.endian, input.endian, `${dtype}: endian`);
    assert.deepEqual(enc.compressor, compressor, `${dtype}: compressor`);
    assert.deepEqual(
      enc.filters,
      filters.map((
        f,
      ) => (f.id === "shuffle" && f.elementsize === undefined ? { ...f, elementsize: 4 } : f)),
      `${dtype}: filters`,
    );
  }
});

Deno.test("v2 chain: a checksum as the v2 compressor reads the same; it maps back as a filter", () => {
  const { input, codecs } = chain("<f4", null, { id: "adler32" });
  assert.deepEqual(codecs, [
    { name: "bytes", configuration: { endian: "little" } },
    { name: "numcodecs.adler32", configuration: {} },
  ]);
  const enc = v2EncodingFromCodecs(codecs, input.dataType, 1);
  assert.deepEqual([enc.filters, enc.compressor], [[{ id: "adler32" }], null]);
});

Deno.test("v2 chain: a byte-level filter before an array filter cannot form a pipeline", () => {
  const { input, codecs } = chain("<i4", [{ id: "shuffle", elementsize: 4 }, {
    id: "delta",
    dtype: "<i4",
  }], null);
  assert.throws(
    () => buildPipeline(codecs, "x/y", { dtype: input.dataType, shape: [4] }),
    /array->array codec 'numcodecs.delta' comes after the array->bytes codec 'bytes'.*x\/y/,
  );
});

Deno.test("v3 evolution fills in what zarr-python fills in for numcodecs filters", () => {
  const dt = parseNumpyDtype("float32").dtype;
  const out = evolveCodecsV3([
    {
      name: "numcodecs.fixedscaleoffset",
      configuration: { offset: 0, scale: 10, astype: "int16" },
    },
    { name: "numcodecs.astype", configuration: { encode_dtype: "int16" } },
    { name: "numcodecs.quantize", configuration: { digits: 2, dtype: "float32" } },
    { name: "bytes", configuration: { endian: "little" } },
    { name: "numcodecs.shuffle" },
    { name: "numcodecs.adler32", configuration: {} },
  ], dt);
  assert.deepEqual(out.map((c) => c.configuration), [
    { offset: 0, scale: 10, astype: "int16", dtype: "float32" },
    { encode_dtype: "int16", decode_dtype: "float32" },
    { digits: 2, dtype: "float32" },
    { endian: "little" },
    { elementsize: 4 },
    {},
  ]);
});

Deno.test("v2 chain: an object array with a categorize filter needs no separate object codec", () => {
  assert.ok(categorizeObjectFilter([{ id: "categorize", labels: ["a"], dtype: "|O" }]));
  assert.ok(!categorizeObjectFilter([{ id: "categorize", labels: ["a"], dtype: "<U1" }]));
  assert.ok(!categorizeObjectFilter(null));
  const { input, codecs } = chain("<i4", null, null);
  assert.equal(input.dataType.name, "int32");
  const s = deriveV2Codecs({
    dataType: parseNumpyDtype("string").dtype,
    endian: null,
    order: "C",
    ndim: 1,
    filters: [{ id: "categorize", labels: ["a"], dtype: "|O", astype: "<u2" }],
    compressor: null,
  });
  assert.deepEqual(s[1], { name: "bytes", configuration: { endian: "little" } });
  assert.equal(codecs.length, 1);
});
