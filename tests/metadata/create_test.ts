import assert from "node:assert/strict";
import { ZarrTypeError, ZarrValueError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import { createArrayMetadata, createGroupMetadata } from "../../src/metadata/create.ts";
import { arrayMetadataToV2Documents, parseArrayMetadataV2 } from "../../src/metadata/v2.ts";
import { arrayMetadataToV3JSON, parseArrayMetadataV3 } from "../../src/metadata/v3.ts";
import { parseJSON, stringifyJSON } from "../../src/metadata/json.ts";

const dt = parseDataType;
/** Serialize and parse back, as a store round trip would. */
const viaJSON = (v: unknown) => parseJSON(stringifyJSON(v));

Deno.test("v3 defaults", () => {
  const m = createArrayMetadata({
    zarrFormat: 3,
    shape: [100],
    dtype: dt("int32"),
    chunkShape: [10],
  });
  assert.equal(m.fillValue, 0);
  assert.deepEqual(m.codecs, [
    { name: "bytes", configuration: { endian: "little" } },
    { name: "zstd", configuration: { level: 0, checksum: false } },
  ]);
  assert.deepEqual(m.chunkKeyEncoding, { name: "default", separator: "/" });
  assert.deepEqual(m.attributes, {});
  assert.equal(m.dimensionNames, null);
  assert.equal(m.order, "C");
  assert.equal(m.v2, undefined);
  assert.deepEqual(
    createArrayMetadata({ zarrFormat: 3, shape: [1], dtype: dt("bool"), chunkShape: [1] })
      .codecs[0],
    { name: "bytes" },
  );
  assert.deepEqual(
    createArrayMetadata({ zarrFormat: 3, shape: [1], dtype: dt("string"), chunkShape: [1] })
      .codecs[0],
    {
      name: "vlen-utf8",
      configuration: {},
    },
  );
  assert.equal(
    createArrayMetadata({ zarrFormat: 3, shape: [1], dtype: dt("M8[s]"), chunkShape: [1] })
      .fillValue,
    -(2n ** 63n),
  );
  assert.equal(
    createArrayMetadata({
      zarrFormat: 3,
      shape: [1],
      dtype: "float64",
      chunkShape: [1],
      fillValue: null,
    }).fillValue,
    0,
  );
  assert.deepEqual(
    createArrayMetadata({
      zarrFormat: 3,
      shape: [1],
      dtype: "int16",
      chunkShape: [1],
      endian: "big",
    }).codecs[0],
    { name: "bytes", configuration: { endian: "big" } },
  );
});

Deno.test("v3 created == v3 read back", () => {
  const m = createArrayMetadata({
    zarrFormat: 3,
    shape: [20, 30],
    dtype: dt("float32"),
    chunkShape: [10, 10],
    fillValue: 0.1,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "blosc" }],
    attributes: { a: [1, 2] },
    dimensionNames: ["y", "x"],
    chunkKeyEncoding: { name: "v2", separator: "/" },
  });
  assert.deepEqual(parseArrayMetadataV3(viaJSON(arrayMetadataToV3JSON(m)), "w"), m);
});

Deno.test("v2 defaults and v2 created == v2 read back", () => {
  const m = createArrayMetadata({
    zarrFormat: 2,
    shape: [10, 10],
    dtype: dt("int32"),
    chunkShape: [5, 5],
  });
  assert.deepEqual(m.chunkKeyEncoding, { name: "v2", separator: "." });
  assert.deepEqual(m.v2, {
    filters: null,
    compressor: { id: "zstd", level: 0 }, // as written (zarr-python #2647)
    endian: "little",
    hasDimensionSeparator: true,
  });
  assert.equal(m.fillValue, 0);
  const cases = [
    m,
    createArrayMetadata({
      zarrFormat: 2,
      shape: [4, 6],
      dtype: dt(">f8"),
      chunkShape: [2, 3],
      order: "F",
      endian: "big",
      fillValue: NaN,
      filters: [{ id: "delta", dtype: ">f8" }],
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
      chunkKeyEncoding: { name: "v2", separator: "/" },
      attributes: { x: 1 },
    }),
    createArrayMetadata({
      zarrFormat: 2,
      shape: [3],
      dtype: dt("string"),
      chunkShape: [3],
      fillValue: null,
    }),
    createArrayMetadata({
      zarrFormat: 2,
      shape: [3],
      dtype: dt("variable_length_bytes"),
      chunkShape: [3],
      compressor: null,
    }),
    createArrayMetadata({
      zarrFormat: 2,
      shape: [],
      dtype: dt("complex64"),
      chunkShape: [],
      fillValue: [1, 2],
    }),
    createArrayMetadata({ zarrFormat: 2, shape: [2], dtype: dt("<M8[10s]"), chunkShape: [2] }),
  ];
  for (const c of cases) {
    const { zarray, zattrs } = arrayMetadataToV2Documents(c);
    const back = parseArrayMetadataV2(viaJSON(zarray), viaJSON(zattrs), "w");
    assert.deepEqual(back, c);
  }
});

Deno.test("v2 object types get their object codec", () => {
  const s = createArrayMetadata({
    zarrFormat: 2,
    shape: [3],
    dtype: dt("string"),
    chunkShape: [3],
  });
  assert.deepEqual(s.v2!.filters, [{ id: "vlen-utf8" }]);
  assert.equal(s.fillValue, "");
  assert.deepEqual(s.codecs[0], { name: "vlen-utf8" });
  const b = createArrayMetadata({
    zarrFormat: 2,
    shape: [3],
    dtype: dt("variable_length_bytes"),
    chunkShape: [3],
    filters: [],
  });
  assert.deepEqual(b.v2!.filters, [{ id: "vlen-bytes" }]);
});

Deno.test("validation", () => {
  const base = { shape: [10], dtype: dt("int32"), chunkShape: [5] };
  assert.throws(() => createArrayMetadata({ zarrFormat: 2, ...base, codecs: [] }), ZarrValueError);
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 2, ...base, dimensionNames: ["x"] }),
    ZarrValueError,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 2, ...base, chunkKeyEncoding: "default" }),
    /must be 'v2'/,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 3, ...base, dimensionNames: ["x", "y"] }),
    ZarrValueError,
  );
  assert.equal(
    createArrayMetadata({ zarrFormat: 3, ...base, dimensionNames: [] }).dimensionNames,
    null,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 3, ...base, chunkShape: [0] }),
    ZarrValueError,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 3, ...base, chunkShape: [5, 5] }),
    ZarrValueError,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 3, ...base, chunkShape: [2.5] }),
    ZarrTypeError,
  );
  assert.throws(() => createArrayMetadata({ zarrFormat: 3, ...base, shape: [-1] }), ZarrValueError);
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 3, ...base, fillValue: "abc" }),
    ZarrTypeError,
  );
  assert.throws(
    () =>
      createArrayMetadata({
        zarrFormat: 3,
        ...base,
        extraFields: { shape: { must_understand: false } },
      }),
    /collide/,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 3, ...base, extraFields: { x: 1 } }),
    ZarrValueError,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 4 as 3, ...base }),
    /Expected 2, 3, or None/,
  );
  assert.throws(
    () => createArrayMetadata({ zarrFormat: 3, ...base, codecs: [{ name: "bytes" }] }),
    /endian/,
  );
});

Deno.test("createGroupMetadata", () => {
  assert.deepEqual(createGroupMetadata({ zarrFormat: 2 }), {
    zarrFormat: 2,
    nodeType: "group",
    attributes: {},
    consolidatedMetadata: null,
  });
  assert.throws(
    () =>
      createGroupMetadata({ zarrFormat: 3, attributes: [] as unknown as Record<string, unknown> }),
    ZarrTypeError,
  );
});
