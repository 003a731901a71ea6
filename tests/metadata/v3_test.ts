import assert from "node:assert/strict";
import {
  MetadataValidationError,
  NodeTypeValidationError,
  ZarrTypeError,
  ZarrValueError,
} from "../../src/errors.ts";
import { pyFloat, stringifyJSON } from "../../src/metadata/json.ts";
import type { GroupMetadata } from "../../src/metadata/model.ts";
import {
  arrayMetadataToV3JSON,
  consolidatedEntriesV3,
  groupMetadataToV3JSON,
  nodeMetadataToDict,
  parseArrayMetadataV3,
  parseConsolidatedV3,
  parseGroupMetadataV3,
} from "../../src/metadata/v3.ts";
import { parseArrayMetadataV2 } from "../../src/metadata/v2.ts";

/** zarr-python's tests/test_metadata/conftest.py::minimal_metadata_dict_v3 */
function minimal(overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    zarr_format: 3,
    node_type: "array",
    shape: [4, 4],
    data_type: "uint8",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [4, 4] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    attributes: {},
    storage_transformers: [],
    ...overrides,
    ...extra,
  };
}

/** The expected to_dict output, in zarr-python's field order. */
function expected(overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const d = minimal(overrides);
  const out: Record<string, unknown> = {
    shape: d.shape,
    data_type: d.data_type,
    chunk_grid: d.chunk_grid,
    chunk_key_encoding: d.chunk_key_encoding,
    fill_value: d.fill_value,
    codecs: d.codecs,
    attributes: d.attributes,
  };
  if ("dimension_names" in d) out.dimension_names = d.dimension_names;
  Object.assign(out, { zarr_format: 3, node_type: "array", storage_transformers: [] }, extra);
  return out;
}

const text = (v: unknown) => stringifyJSON(v, null);
const UINT8_CODECS = [{ name: "bytes" }];
const FLOAT64_CODECS = [{ name: "bytes", configuration: { endian: "little" } }];

Deno.test("array metadata round trip (test_array_metadata_roundtrip)", () => {
  const cases: [
    string,
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>?,
  ][] = [
    ["minimal", {}, { codecs: UINT8_CODECS }],
    ["with_attributes", { attributes: { key: "value" } }, {
      attributes: { key: "value" },
      codecs: UINT8_CODECS,
    }],
    ["with_dimension_names", { dimension_names: ["x", "y"] }, {
      dimension_names: ["x", "y"],
      codecs: UINT8_CODECS,
    }],
    ["with_storage_transformers", { storage_transformers: [] }, { codecs: UINT8_CODECS }],
    ["float64", { data_type: "float64", fill_value: 0.0 }, {
      data_type: "float64",
      fill_value: pyFloat(0),
      codecs: FLOAT64_CODECS,
    }],
    [
      "v2_chunk_key_encoding",
      { chunk_key_encoding: { name: "v2", configuration: { separator: "." } } },
      {
        chunk_key_encoding: { name: "v2", configuration: { separator: "." } },
        codecs: UINT8_CODECS,
      },
    ],
    ["nan_fill_value", { data_type: "float64", fill_value: "NaN" }, {
      data_type: "float64",
      fill_value: "NaN",
      codecs: FLOAT64_CODECS,
    }],
    ["inf_fill_value", { data_type: "float64", fill_value: "Infinity" }, {
      data_type: "float64",
      fill_value: "Infinity",
      codecs: FLOAT64_CODECS,
    }],
    ["neg_inf_fill_value", { data_type: "float64", fill_value: "-Infinity" }, {
      data_type: "float64",
      fill_value: "-Infinity",
      codecs: FLOAT64_CODECS,
    }],
  ];
  for (const [id, input, output] of cases) {
    const m = parseArrayMetadataV3(minimal(input), id);
    assert.equal(text(arrayMetadataToV3JSON(m)), text(expected(output)), id);
  }
  // extra fields go last
  const ext = { my_ext: { must_understand: false, data: [1, 2, 3] } };
  const m = parseArrayMetadataV3(minimal({}, ext), "extra_fields");
  assert.equal(text(arrayMetadataToV3JSON(m)), text(expected({ codecs: UINT8_CODECS }, ext)));
  assert.deepEqual(m.extraFields, ext);
});

Deno.test("float fill written as a Python float", () => {
  const m = parseArrayMetadataV3(
    minimal({ data_type: "float64", fill_value: 0, codecs: FLOAT64_CODECS }),
    "f",
  );
  assert.match(text(arrayMetadataToV3JSON(m)), /"fill_value": 0\.0,/);
});

Deno.test("extra fields: must_understand rule (test_array_metadata_extra_fields_rejected)", () => {
  assert.throws(
    () => parseArrayMetadataV3(minimal({}, { my_ext: { must_understand: true } }), "w"),
    (e: Error) => e instanceof MetadataValidationError && /disallowed extra fields/.test(e.message),
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({}, { my_ext: 42 }), "w"),
    /disallowed extra fields/,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({}, { my_ext: { data: 1 } }), "w"),
    MetadataValidationError,
  );
});

Deno.test("extra fields colliding with reserved keys are rejected on write", () => {
  const m = parseArrayMetadataV3(minimal(), "w");
  m.extraFields = { shape: { must_understand: false } };
  assert.throws(() => arrayMetadataToV3JSON(m), /collide with keys reserved/);
});

Deno.test("failure modes (test_array_metadata_from_dict_fails and more)", () => {
  assert.throws(
    () => parseArrayMetadataV3(minimal({ dimension_names: ["x", "y", "z"] }), "w"),
    (e: Error) => e instanceof ZarrValueError && /dimension_names.*shape/.test(e.message),
  );
  assert.throws(() => parseArrayMetadataV3(minimal({ fill_value: {} }), "w"), ZarrTypeError);
  assert.throws(
    () => parseArrayMetadataV3(minimal({ dimension_names: [1, "a"] }), "w"),
    /Expected either None/,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({ zarr_format: 2 }), "w"),
    MetadataValidationError,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({ zarr_format: "3" }), "w"),
    MetadataValidationError,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({ node_type: "group" }), "w"),
    NodeTypeValidationError,
  );
  assert.throws(() => parseArrayMetadataV3(minimal({ shape: [-1, 4] }), "w"), ZarrValueError);
  assert.throws(() => parseArrayMetadataV3(minimal({ shape: [1.5, 4] }), "w"), ZarrTypeError);
  assert.throws(
    () => parseArrayMetadataV3(minimal({ shape: [4] }), "w"),
    /same number of dimensions/,
  );
  assert.throws(
    () =>
      parseArrayMetadataV3(
        minimal({ chunk_grid: { name: "regular", configuration: { chunk_shape: [0, 4] } } }),
        "w",
      ),
    ZarrValueError,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({ chunk_grid: { name: "other", configuration: {} } }), "w"),
    /Unknown chunk grid/,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({ chunk_key_encoding: { name: "nope" } }), "w"),
    /Unknown chunk key encoding/,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({ storage_transformers: [{ name: "x" }] }), "w"),
    /storage transformers/,
  );
  assert.throws(
    () => parseArrayMetadataV3(minimal({ data_type: "float128" }), "w"),
    /Invalid data_type/,
  );
  assert.throws(() => parseArrayMetadataV3(minimal({ attributes: [] }), "w"), ZarrTypeError);
  const noFill = minimal() as Record<string, unknown>;
  delete noFill.fill_value;
  assert.throws(() => parseArrayMetadataV3(noFill, "w"), /fill_value` is required/);
  assert.throws(() => parseArrayMetadataV3([], "w"), MetadataValidationError);
  // messages name where
  assert.throws(
    () => parseArrayMetadataV3(minimal({ fill_value: "x" }), "some/path/zarr.json"),
    (e: Error) => e.message.includes("some/path/zarr.json"),
  );
});

Deno.test("optional keys: attributes, dimension_names, storage_transformers may be missing", () => {
  const d = minimal() as Record<string, unknown>;
  delete d.attributes;
  delete d.storage_transformers;
  const m = parseArrayMetadataV3(d, "w");
  assert.deepEqual(m.attributes, {});
  assert.equal(m.dimensionNames, null);
  assert.equal(m.zarrFormat, 3);
  assert.equal(m.order, "C");
  assert.deepEqual(m.chunkKeyEncoding, { name: "default", separator: "/" });
  // dimension names may hold nulls
  const m2 = parseArrayMetadataV3(minimal({ dimension_names: ["x", null] }), "w");
  assert.deepEqual(m2.dimensionNames, ["x", null]);
});

Deno.test("NaN payload fill survives parse -> model copies -> write", () => {
  const m = parseArrayMetadataV3(
    minimal({ data_type: "float32", fill_value: "0x7fc00001", codecs: FLOAT64_CODECS }),
    "w",
  );
  assert.ok(Number.isNaN(m.fillValue as number));
  const copy = structuredClone({ ...m });
  assert.equal(arrayMetadataToV3JSON(copy).fill_value, "0x7fc00001");
  // canonical NaN bits are written as "NaN" like zarr-python
  const c = parseArrayMetadataV3(
    minimal({ data_type: "float32", fill_value: "0x7fc00000", codecs: FLOAT64_CODECS }),
    "w",
  );
  assert.equal(c.fillValueJSON, undefined);
  assert.equal(arrayMetadataToV3JSON(c).fill_value, "NaN");
  // changing the fill drops the kept bits
  assert.equal(text(arrayMetadataToV3JSON({ ...m, fillValue: 1 }).fill_value), "1.0");
});

Deno.test("uint64 max / int64 min fill values round trip exactly", () => {
  const u = parseArrayMetadataV3(
    minimal({ data_type: "uint64", fill_value: 18446744073709551615n, codecs: FLOAT64_CODECS }),
    "w",
  );
  assert.equal(u.fillValue, 18446744073709551615n);
  assert.match(stringifyJSON(arrayMetadataToV3JSON(u)), /"fill_value": 18446744073709551615,/);
  const i = parseArrayMetadataV3(
    minimal({ data_type: "int64", fill_value: -(2n ** 63n), codecs: FLOAT64_CODECS }),
    "w",
  );
  assert.match(stringifyJSON(arrayMetadataToV3JSON(i)), /"fill_value": -9223372036854775808,/);
});

Deno.test("parametrized data types round trip", () => {
  const cases = [
    { name: "fixed_length_utf32", configuration: { length_bytes: 8 } },
    { name: "numpy.datetime64", configuration: { unit: "s", scale_factor: 10 } },
  ];
  for (const data_type of cases) {
    const m = parseArrayMetadataV3(
      minimal({
        data_type,
        fill_value: data_type.name === "fixed_length_utf32" ? "" : "NaT",
        codecs: FLOAT64_CODECS,
      }),
      "w",
    );
    assert.deepEqual(arrayMetadataToV3JSON(m).data_type, data_type);
  }
});

Deno.test("group metadata to dict (test_group_metadata_to_dict)", () => {
  const g = parseGroupMetadataV3(
    { zarr_format: 3, node_type: "group", attributes: { foo: "bar" } },
    "g",
  );
  assert.equal(
    text(groupMetadataToV3JSON(g)),
    text({ attributes: { foo: "bar" }, zarr_format: 3, node_type: "group" }),
  );
  const g2 = parseGroupMetadataV3({ zarr_format: 3, node_type: "group" }, "g");
  assert.deepEqual(g2.attributes, {});
  assert.equal(g2.consolidatedMetadata, null);
  assert.throws(
    () => parseGroupMetadataV3({ zarr_format: 3, node_type: "array" }, "g"),
    NodeTypeValidationError,
  );
  assert.throws(
    () => parseGroupMetadataV3({ zarr_format: 2, node_type: "group" }, "g"),
    MetadataValidationError,
  );
  assert.throws(
    () => parseGroupMetadataV3({ zarr_format: 3, node_type: "group", x: 1 }, "g"),
    /disallowed extra fields/,
  );
  assert.deepEqual(
    parseGroupMetadataV3({ zarr_format: 3, node_type: "group", x: { must_understand: false } }, "g")
      .attributes,
    {},
  );
});

Deno.test("group with consolidated metadata (test_group_metadata_to_dict_consolidated)", () => {
  const doc = {
    attributes: { foo: "bar" },
    zarr_format: 3,
    consolidated_metadata: {
      kind: "inline",
      must_understand: false,
      metadata: {
        foo: {
          attributes: {},
          zarr_format: 3,
          consolidated_metadata: { kind: "inline", must_understand: false, metadata: {} },
          node_type: "group",
        },
      },
    },
    node_type: "group",
  };
  const g = parseGroupMetadataV3(doc, "zarr.json");
  assert.equal(text(groupMetadataToV3JSON(g)), text(doc));
});

Deno.test("consolidated: flat keys sorted by depth then casefold; child groups get markers", () => {
  const arr = (shape: number[]) =>
    minimal({ shape, chunk_grid: { name: "regular", configuration: { chunk_shape: shape } } });
  const grp = (attrs: Record<string, unknown>) => ({
    zarr_format: 3,
    node_type: "group",
    attributes: attrs,
  });
  const cm = parseConsolidatedV3({
    kind: "inline",
    must_understand: false,
    metadata: {
      "child/grandchild/empty_group": grp({ key: "empty" }),
      lat: arr([1]),
      child: grp({ key: "child" }),
      "child/array": arr([4, 4]),
      air: arr([1, 2, 3]),
      "child/grandchild": grp({ key: "grandchild" }),
    },
  }, "zarr.json");
  for (const k of ["child", "child/grandchild", "child/grandchild/empty_group"]) {
    assert.deepEqual((cm.metadata[k] as GroupMetadata).consolidatedMetadata, {
      kind: "inline",
      mustUnderstand: false,
      metadata: {},
    });
  }
  assert.deepEqual(consolidatedEntriesV3(cm).map(([k]) => k), [
    "air",
    "child",
    "lat",
    "child/array",
    "child/grandchild",
    "child/grandchild/empty_group",
  ]);
  const childDict = consolidatedEntriesV3(cm)[1][1];
  assert.deepEqual(Object.keys(childDict), [
    "attributes",
    "zarr_format",
    "consolidated_metadata",
    "node_type",
  ]);
  assert.deepEqual(childDict.consolidated_metadata, {
    kind: "inline",
    must_understand: false,
    metadata: {},
  });
});

Deno.test("consolidated: nested child metadata is flattened; kind must be inline", () => {
  const cm = parseConsolidatedV3({
    kind: "inline",
    must_understand: false,
    metadata: {
      a: {
        zarr_format: 3,
        node_type: "group",
        consolidated_metadata: {
          kind: "inline",
          must_understand: false,
          metadata: { x: minimal() },
        },
      },
    },
  }, "w");
  assert.deepEqual(Object.keys(cm.metadata), ["a", "a/x"]);
  assert.throws(() => parseConsolidatedV3({ kind: "file", metadata: {} }, "w"), /kind='file'/);
  assert.throws(() => parseConsolidatedV3({ kind: "inline", metadata: [] }, "w"), ZarrTypeError);
  assert.throws(
    () => parseConsolidatedV3({ kind: "inline", metadata: { a: 1 } }, "w"),
    ZarrTypeError,
  );
  assert.throws(
    () =>
      parseConsolidatedV3(
        { kind: "inline", metadata: { a: { zarr_format: 3, node_type: "x" } } },
        "w",
      ),
    MetadataValidationError,
  );
  // {} and null mean "not consolidated"
  assert.equal(
    parseGroupMetadataV3({ zarr_format: 3, node_type: "group", consolidated_metadata: null }, "w")
      .consolidatedMetadata,
    null,
  );
});

Deno.test("v2 entries in v3 consolidated metadata use ArrayV2Metadata.to_dict", () => {
  const v2 = parseArrayMetadataV2(
    {
      zarr_format: 2,
      shape: [2],
      chunks: [2],
      dtype: "<f8",
      fill_value: 0,
      order: "C",
      filters: null,
      compressor: null,
    },
    { a: 1 },
  );
  assert.deepEqual(Object.keys(nodeMetadataToDict(v2)), [
    "shape",
    "chunks",
    "dtype",
    "fill_value",
    "order",
    "filters",
    "dimension_separator",
    "compressor",
    "attributes",
    "zarr_format",
  ]);
  const cm = parseConsolidatedV3({ kind: "inline", metadata: { x: nodeMetadataToDict(v2) } }, "w");
  assert.equal(cm.metadata.x.zarrFormat, 2);
  assert.deepEqual(cm.metadata.x.attributes, { a: 1 });
});
