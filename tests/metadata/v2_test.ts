import assert from "node:assert/strict";
import {
  captureWarnings,
  MetadataValidationError,
  ZarrTypeError,
  ZarrValueError,
} from "../../src/errors.ts";
import { stringifyJSON } from "../../src/metadata/json.ts";
import type { ArrayMetadata, GroupMetadata } from "../../src/metadata/model.ts";
import {
  arrayMetadataToV2Dict,
  arrayMetadataToV2Documents,
  consolidatedV2Document,
  groupMetadataToV2Documents,
  parseArrayMetadataV2,
  parseConsolidatedV2,
  parseGroupMetadataV2,
} from "../../src/metadata/v2.ts";
import { parseArrayMetadataV3 } from "../../src/metadata/v3.ts";

const text = (v: unknown) => stringifyJSON(v, null);
const ZARRAY_KEYS = [
  "shape",
  "chunks",
  "dtype",
  "fill_value",
  "order",
  "filters",
  "dimension_separator",
  "compressor",
  "zarr_format",
];

Deno.test("metadata to dict round trip (test_metadata_to_dict)", () => {
  for (const attributes of [undefined, { foo: "bar" }]) {
    for (const filters of [null, [{ id: "gzip", level: 1 }]]) {
      for (const compressor of [null, { id: "gzip", level: 1 }]) {
        for (const fill_value of [null, 0, 1]) {
          for (const order of ["C", "F"]) {
            for (const dimension_separator of [".", "/", undefined]) {
              const doc: Record<string, unknown> = {
                zarr_format: 2,
                shape: [1, 2, 3],
                chunks: [1, 1, 1],
                dtype: "|u1",
                order,
                compressor,
                filters,
                fill_value,
              };
              if (dimension_separator !== undefined) doc.dimension_separator = dimension_separator;
              const m = parseArrayMetadataV2(doc, attributes);
              const { zarray, zattrs } = arrayMetadataToV2Documents(m);
              assert.deepEqual(Object.keys(zarray), ZARRAY_KEYS);
              assert.deepEqual(zattrs, attributes ?? {});
              const exp: Record<string, unknown> = {
                ...doc,
                dimension_separator: dimension_separator ?? ".",
              };
              for (const k of ZARRAY_KEYS) assert.deepEqual(zarray[k], exp[k], k);
              assert.equal(m.v2!.hasDimensionSeparator, dimension_separator !== undefined);
            }
          }
        }
      }
    }
  }
});

Deno.test("the normalized model: codecs, encoding, extras", () => {
  const m = parseArrayMetadataV2(
    {
      zarr_format: 2,
      shape: [10, 20],
      chunks: [5, 5],
      dtype: ">f8",
      fill_value: "NaN",
      order: "F",
      filters: [{ id: "delta", dtype: ">f8" }],
      compressor: { id: "zstd", level: 3, checksum: true },
      dimension_separator: "/",
    },
    { units: "m" },
    "x/.zarray",
  );
  assert.equal(m.zarrFormat, 2);
  assert.equal(m.dataType.name, "float64");
  assert.deepEqual(m.chunkKeyEncoding, { name: "v2", separator: "/" });
  assert.equal(m.order, "F");
  assert.ok(Number.isNaN(m.fillValue as number));
  assert.deepEqual(m.codecs, [
    { name: "transpose", configuration: { order: [1, 0] } },
    { name: "numcodecs.delta", configuration: { dtype: ">f8" } },
    { name: "bytes", configuration: { endian: "big" } },
    { name: "zstd", configuration: { level: 3, checksum: true } },
  ]);
  assert.deepEqual(m.v2, {
    filters: [{ id: "delta", dtype: ">f8" }],
    compressor: { id: "zstd", level: 3, checksum: true },
    endian: "big",
    hasDimensionSeparator: true,
  });
  assert.equal(m.dimensionNames, null);
  assert.deepEqual(m.attributes, { units: "m" });
  const { zarray } = arrayMetadataToV2Documents(m);
  assert.equal(zarray.dtype, ">f8");
  assert.equal(zarray.fill_value, "NaN");
  assert.deepEqual(zarray.compressor, { id: "zstd", level: 3, checksum: true });
});

Deno.test("object dtypes resolved by the object codec", () => {
  const base = { zarr_format: 2, shape: [2], chunks: [2], dtype: "|O", fill_value: "", order: "C" };
  const s = parseArrayMetadataV2({
    ...base,
    filters: [{ id: "vlen-utf8" }],
    compressor: { id: "zstd", level: 0 },
  }, {});
  assert.equal(s.dataType.name, "string");
  assert.deepEqual(s.codecs, [{ name: "vlen-utf8" }, {
    name: "zstd",
    configuration: { level: 0, checksum: false },
  }]);
  assert.equal(arrayMetadataToV2Documents(s).zarray.dtype, "|O");
  const b = parseArrayMetadataV2({
    ...base,
    fill_value: null,
    filters: [{ id: "vlen-bytes" }],
    compressor: null,
  }, {});
  assert.equal(b.dataType.name, "variable_length_bytes");
  assert.deepEqual(b.codecs, [{ name: "vlen-bytes" }]);
  // the object codec may be the compressor
  const c = parseArrayMetadataV2({ ...base, filters: null, compressor: { id: "vlen-utf8" } }, {});
  assert.deepEqual(c.codecs, [{ name: "vlen-utf8" }]);
  // zarr-python 2 wrote numbers as vlen string fills
  assert.equal(
    parseArrayMetadataV2({
      ...base,
      fill_value: 0,
      filters: [{ id: "vlen-utf8" }],
      compressor: null,
    }, {}).fillValue,
    "0",
  );
  assert.throws(
    () => parseArrayMetadataV2({ ...base, filters: null, compressor: null }, {}),
    MetadataValidationError,
  );
  assert.throws(
    () => parseArrayMetadataV2({ ...base, filters: [{ id: "pickle" }], compressor: null }, {}),
    /not supported/,
  );
});

Deno.test("empty filters list warns and reads as null (test_filters_empty_tuple_warns)", async () => {
  const [m, ws] = await captureWarnings(() =>
    parseArrayMetadataV2(
      {
        zarr_format: 2,
        shape: [1],
        chunks: [1],
        dtype: "|u1",
        order: "C",
        compressor: null,
        filters: [],
        fill_value: 0,
      },
      {},
    )
  );
  assert.equal(m.v2!.filters, null);
  assert.equal(ws.length, 1);
  assert.equal(ws[0].category, "ZarrUserWarning");
  assert.match(ws[0].message, /Found an empty list of filters in the array metadata document/);
});

Deno.test("unknown keys are ignored (test_from_dict_extra_fields)", () => {
  const m = parseArrayMetadataV2({
    _nczarr_array: { dimrefs: ["/dim1", "/dim2"], storage: "chunked" },
    chunks: [8],
    compressor: null,
    dtype: "<f8",
    fill_value: 0.0,
    filters: null,
    order: "C",
    shape: [8],
    zarr_format: 2,
  }, { key: "value" });
  assert.deepEqual(m.shape, [8]);
  assert.deepEqual(m.attributes, { key: "value" });
  assert.equal(text(arrayMetadataToV2Documents(m).zarray.fill_value), "0.0");
});

Deno.test("zstd checksum false is dropped on write (test_zstd_checksum / #2647)", () => {
  const m = parseArrayMetadataV2(
    {
      zarr_format: 2,
      shape: [10],
      chunks: [10],
      dtype: "<i4",
      fill_value: 0,
      order: "C",
      filters: null,
      compressor: { id: "zstd", level: 5, checksum: false },
    },
    {},
  );
  assert.deepEqual(arrayMetadataToV2Documents(m).zarray.compressor, { id: "zstd", level: 5 });
  assert.deepEqual(m.v2!.compressor, { id: "zstd", level: 5, checksum: false });
});

Deno.test("errors", () => {
  const ok = {
    zarr_format: 2,
    shape: [4],
    chunks: [2],
    dtype: "<i4",
    fill_value: 0,
    order: "C",
    filters: null,
    compressor: null,
  };
  for (const zf of [null, 1, 3, "2"]) {
    assert.throws(
      () => parseArrayMetadataV2({ ...ok, zarr_format: zf }, {}),
      /Failed to parse input for 'zarr_format'/,
    );
  }
  assert.throws(() => parseArrayMetadataV2({ ...ok, chunks: [2, 2] }, {}), /same length/);
  assert.throws(() => parseArrayMetadataV2({ ...ok, chunks: [0] }, {}), ZarrValueError);
  assert.throws(() => parseArrayMetadataV2({ ...ok, shape: [-4] }, {}), ZarrValueError);
  assert.throws(() => parseArrayMetadataV2({ ...ok, shape: "4" }, {}), ZarrTypeError);
  assert.throws(() => parseArrayMetadataV2({ ...ok, order: "K" }, {}), ZarrValueError);
  assert.throws(
    () => parseArrayMetadataV2({ ...ok, dimension_separator: "-" }, {}),
    ZarrValueError,
  );
  assert.throws(() => parseArrayMetadataV2({ ...ok, dtype: "<q9" }, {}), ZarrValueError);
  // structured dtypes parse (see structured_test.ts); their fill must be base64 record bytes
  assert.throws(
    () => parseArrayMetadataV2({ ...ok, dtype: [["a", "<i4"]] }, {}),
    /Invalid fill_value: 0 for data type \[\('a', '<i4'\)\].*base64/,
  );
  assert.equal(
    parseArrayMetadataV2({ ...ok, dtype: [["a", "<i4"]], fill_value: "AQAAAA==" }, {}).dataType
      .itemsize,
    4,
  );
  assert.throws(() => parseArrayMetadataV2({ ...ok, filters: { id: "x" } }, {}), ZarrTypeError);
  assert.throws(
    () => parseArrayMetadataV2({ ...ok, filters: [5] }, {}),
    /Invalid filter at index 0/,
  );
  assert.throws(() => parseArrayMetadataV2({ ...ok, compressor: "zlib" }, {}), ZarrValueError);
  assert.throws(
    () => parseArrayMetadataV2({ ...ok, fill_value: "x" }, {}, "a/.zarray"),
    /Invalid fill_value.*a\/\.zarray/,
  );
  assert.throws(() => parseArrayMetadataV2({ ...ok }, [1], "a/.zarray"), ZarrTypeError);
  assert.throws(() => parseArrayMetadataV2(null, {}), MetadataValidationError);
});

Deno.test("a v3-described array writes as v2 when its chain allows", () => {
  const m3 = parseArrayMetadataV3({
    zarr_format: 3,
    node_type: "array",
    shape: [4, 4],
    data_type: "int16",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [2, 2] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [
      { name: "transpose", configuration: { order: [1, 0] } },
      { name: "bytes", configuration: { endian: "big" } },
      { name: "gzip", configuration: { level: 4 } },
    ],
  }, "w");
  const d = arrayMetadataToV2Dict(m3);
  assert.equal(d.order, "F");
  assert.equal(d.dtype, ">i2");
  assert.deepEqual(d.compressor, { id: "gzip", level: 4 });
  assert.equal(d.filters, null);
});

const AIR = {
  chunks: [730],
  compressor: null,
  dtype: "<i2",
  fill_value: 0,
  filters: null,
  order: "C",
  shape: [730],
  zarr_format: 2,
};
const TIME = { ...AIR, dtype: "<f4", fill_value: 0.0 };

Deno.test("read consolidated metadata (TestConsolidated::test_read_consolidated_metadata)", () => {
  const zmetadata = {
    metadata: {
      ".zattrs": { Conventions: "COARDS" },
      ".zgroup": { zarr_format: 2 },
      "air/.zarray": AIR,
      "air/.zattrs": { _ARRAY_DIMENSIONS: ["time"], dataset: "NMC Reanalysis" },
      "time/.zarray": TIME,
      "time/.zattrs": { _ARRAY_DIMENSIONS: ["time"], calendar: "standard" },
      "nested/.zattrs": { key: "value" },
      "nested/.zgroup": { zarr_format: 2 },
      "nested/array/.zarray": TIME,
      "nested/array/.zattrs": { calendar: "standard" },
    },
    zarr_consolidated_format: 1,
  };
  const g = parseGroupMetadataV2(
    { zarr_format: 2 },
    { Conventions: "COARDS" },
    zmetadata,
    ".zgroup",
  );
  assert.deepEqual(g.attributes, { Conventions: "COARDS" });
  const cm = g.consolidatedMetadata!;
  assert.deepEqual(Object.keys(cm.metadata).sort(), ["air", "nested", "nested/array", "time"]);
  const air = cm.metadata.air as ArrayMetadata;
  assert.equal(air.dataType.name, "int16");
  assert.deepEqual(air.attributes, { _ARRAY_DIMENSIONS: ["time"], dataset: "NMC Reanalysis" });
  const nested = cm.metadata.nested as GroupMetadata;
  assert.deepEqual(nested.attributes, { key: "value" });
  assert.deepEqual(nested.consolidatedMetadata, {
    kind: "inline",
    mustUnderstand: false,
    metadata: {},
  });
  assert.deepEqual((cm.metadata["nested/array"] as ArrayMetadata).attributes, {
    calendar: "standard",
  });
});

Deno.test("consolidated v2: missing .zattrs tolerated; bad keys rejected", () => {
  const cm = parseConsolidatedV2({
    metadata: { ".zgroup": { zarr_format: 2 }, "a/.zarray": AIR },
    zarr_consolidated_format: 1,
  });
  assert.deepEqual(cm.metadata.a.attributes, {});
  const empty = parseConsolidatedV2({
    metadata: { ".zgroup": { zarr_format: 2 } },
    zarr_consolidated_format: 1,
  });
  assert.deepEqual(empty.metadata, {});
  assert.throws(
    () => parseConsolidatedV2({ metadata: { "a/.zfoo": {} } }),
    /Invalid file type 'zfoo'/,
  );
  assert.throws(
    () => parseConsolidatedV2({ metadata: { "a.zarray": AIR } }),
    MetadataValidationError,
  );
  assert.throws(
    () => parseConsolidatedV2({ metadata: { "a/.zattrs": {} } }),
    /no .zarray or .zgroup/,
  );
  assert.throws(() => parseConsolidatedV2({ nope: 1 }), MetadataValidationError);
  // rsplit semantics: the last "/." splits
  const deep = parseConsolidatedV2({ metadata: { "a/.b/.zarray": AIR } });
  assert.deepEqual(Object.keys(deep.metadata), ["a/.b"]);
});

Deno.test("build .zmetadata like zarr-python (test_consolidated_metadata_v2)", () => {
  const a = parseArrayMetadataV2(
    {
      ...AIR,
      dtype: "|u1",
      shape: [1],
      chunks: [1],
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
    },
    { key: "a" },
  );
  const g2: GroupMetadata = {
    zarrFormat: 2,
    nodeType: "group",
    attributes: { key: "g2" },
    consolidatedMetadata: { kind: "inline", mustUnderstand: false, metadata: {} },
  };
  const g1: GroupMetadata = {
    zarrFormat: 2,
    nodeType: "group",
    attributes: { key: "g1" },
    consolidatedMetadata: { kind: "inline", mustUnderstand: false, metadata: { g2 } },
  };
  const doc = consolidatedV2Document({ g1, a }, { key: "root" });
  assert.deepEqual(Object.keys(doc.metadata), [
    ".zgroup",
    ".zattrs",
    "a/.zattrs",
    "a/.zarray",
    "g1/.zattrs",
    "g1/.zgroup",
    "g1/g2/.zattrs",
    "g1/g2/.zgroup",
  ]);
  assert.deepEqual(doc.metadata["g1/.zgroup"], {
    zarr_format: 2,
    consolidated_metadata: { metadata: {}, must_understand: false, kind: "inline" },
  });
  assert.equal(doc.zarr_consolidated_format, 1);
  // and it reads back to the same entries
  const back = parseConsolidatedV2(JSON.parse(stringifyJSON(doc, null)));
  assert.deepEqual(Object.keys(back.metadata).sort(), ["a", "g1", "g1/g2"]);
  assert.deepEqual(back.metadata["g1/g2"].attributes, { key: "g2" });
  const docs = groupMetadataToV2Documents({
    zarrFormat: 2,
    nodeType: "group",
    attributes: { key: "root" },
    consolidatedMetadata: back,
  });
  assert.deepEqual(docs.zgroup, { zarr_format: 2 });
  assert.equal(text(docs.zmetadata), text(doc));
});

Deno.test("groups", () => {
  const g = parseGroupMetadataV2({ zarr_format: 2 }, undefined);
  assert.deepEqual(g, {
    zarrFormat: 2,
    nodeType: "group",
    attributes: {},
    consolidatedMetadata: null,
  });
  assert.throws(() => parseGroupMetadataV2({ zarr_format: 3 }, {}), MetadataValidationError);
  assert.deepEqual(groupMetadataToV2Documents(g), { zgroup: { zarr_format: 2 }, zattrs: {} });
});
