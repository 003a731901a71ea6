import assert from "node:assert/strict";
import { MetadataValidationError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import { createArrayMetadata, createGroupMetadata } from "../../src/metadata/create.ts";
import {
  decodeNodeMetadata,
  encodeArrayMetadata,
  encodeGroupMetadata,
  encodeNodeMetadata,
  parseV2ArrayDocuments,
  parseV2GroupDocuments,
  parseV3Document,
  validateZarrFormat,
} from "../../src/metadata/document.ts";
import type { ArrayMetadata, GroupMetadata } from "../../src/metadata/model.ts";

const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const enc = (s: string) => new TextEncoder().encode(s);

const ZARR_JSON_502 = `{
  "shape": [
    100
  ],
  "data_type": "int32",
  "chunk_grid": {
    "name": "regular",
    "configuration": {
      "chunk_shape": [
        10
      ]
    }
  },
  "chunk_key_encoding": {
    "name": "default",
    "configuration": {
      "separator": "/"
    }
  },
  "fill_value": 0,
  "codecs": [
    {
      "name": "bytes",
      "configuration": {
        "endian": "little"
      }
    }
  ],
  "attributes": {},
  "zarr_format": 3,
  "node_type": "array",
  "storage_transformers": []
}`;

Deno.test("zarr.json is exactly 502 bytes (test_nbytes_stored)", () => {
  const m = createArrayMetadata({
    zarrFormat: 3,
    shape: [100],
    dtype: parseDataType("int32"),
    chunkShape: [10],
    fillValue: 0,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    attributes: {},
  });
  const files = encodeArrayMetadata(m);
  assert.deepEqual(Object.keys(files), ["zarr.json"]);
  assert.equal(files["zarr.json"].length, 502);
  assert.equal(dec(files["zarr.json"]), ZARR_JSON_502);
  // and it reads back to the same model, and re-encodes to the same bytes
  const back = parseV3Document(files["zarr.json"], "zarr.json") as ArrayMetadata;
  assert.deepEqual(back, m);
  assert.deepEqual(encodeArrayMetadata(back)["zarr.json"], files["zarr.json"]);
});

Deno.test("default codecs add zstd", () => {
  const m = createArrayMetadata({
    zarrFormat: 3,
    shape: [100],
    dtype: parseDataType("int32"),
    chunkShape: [10],
  });
  const text = dec(encodeArrayMetadata(m)["zarr.json"]);
  assert.ok(text.includes(`    {
      "name": "zstd",
      "configuration": {
        "level": 0,
        "checksum": false
      }
    }`));
});

Deno.test("v2 .zarray / .zattrs (test_v2_encode_decode)", () => {
  const m = createArrayMetadata({
    zarrFormat: 2,
    shape: [3],
    dtype: parseDataType("|S1"),
    chunkShape: [3],
    fillValue: enc("X"),
    compressor: null,
  });
  const files = encodeArrayMetadata(m);
  assert.deepEqual(Object.keys(files), [".zarray", ".zattrs"]);
  assert.equal(
    dec(files[".zarray"]),
    `{
  "shape": [
    3
  ],
  "chunks": [
    3
  ],
  "dtype": "|S1",
  "fill_value": "WA==",
  "order": "C",
  "filters": null,
  "dimension_separator": ".",
  "compressor": null,
  "zarr_format": 2
}`,
  );
  assert.equal(dec(files[".zattrs"]), "{}");
  // the dict the zarr-python test compares against
  assert.deepEqual(JSON.parse(dec(files[".zarray"])), {
    chunks: [3],
    compressor: null,
    dtype: "|S1",
    fill_value: "WA==",
    filters: null,
    order: "C",
    shape: [3],
    zarr_format: 2,
    dimension_separator: ".",
  });
  const back = parseV2ArrayDocuments(files[".zarray"], files[".zattrs"], "a/.zarray");
  assert.deepEqual(back, m);
});

Deno.test("group documents", () => {
  const g3 = createGroupMetadata({ zarrFormat: 3, attributes: { foo: "bar" } });
  assert.equal(
    dec(encodeGroupMetadata(g3)["zarr.json"]),
    '{\n  "attributes": {\n    "foo": "bar"\n  },\n  "zarr_format": 3,\n  "node_type": "group"\n}',
  );
  const g2 = createGroupMetadata({ zarrFormat: 2 });
  const f2 = encodeGroupMetadata(g2);
  assert.deepEqual(Object.keys(f2), [".zgroup", ".zattrs"]);
  assert.equal(dec(f2[".zgroup"]), '{\n  "zarr_format": 2\n}');
  assert.equal(dec(f2[".zattrs"]), "{}");
  assert.deepEqual(Object.keys(encodeNodeMetadata(g3)), ["zarr.json"]);
});

Deno.test("json indent (test_json_indent)", () => {
  const g = createGroupMetadata({ zarrFormat: 3 });
  assert.equal(
    dec(encodeGroupMetadata(g, null)["zarr.json"]),
    '{"attributes": {}, "zarr_format": 3, "node_type": "group"}',
  );
  assert.equal(
    dec(encodeGroupMetadata(g, 4)["zarr.json"]),
    '{\n    "attributes": {},\n    "zarr_format": 3,\n    "node_type": "group"\n}',
  );
});

Deno.test("non-ASCII is escaped like Python's ensure_ascii", () => {
  const g = createGroupMetadata({ zarrFormat: 3, attributes: { "é": "ü😀" } });
  assert.equal(
    dec(encodeGroupMetadata(g, null)["zarr.json"]),
    '{"attributes": {"\\u00e9": "\\u00fc\\ud83d\\ude00"}, "zarr_format": 3, "node_type": "group"}',
  );
});

function consolidatedRoot(zarrFormat: 2 | 3): GroupMetadata {
  const arr = (shape: number[]) =>
    createArrayMetadata({
      zarrFormat,
      shape,
      dtype: parseDataType("float32"),
      chunkShape: shape,
      compressor: zarrFormat === 2 ? null : undefined,
    });
  const child: GroupMetadata = {
    ...createGroupMetadata({ zarrFormat, attributes: { key: "child" } }),
    consolidatedMetadata: { kind: "inline", mustUnderstand: false, metadata: {} },
  };
  return {
    ...createGroupMetadata({ zarrFormat }),
    consolidatedMetadata: {
      kind: "inline",
      mustUnderstand: false,
      metadata: {
        b: arr([1]),
        c: child,
        a: arr([1]),
        "c/e": arr([1]),
        "c/d": arr([1]),
        "10": arr([2]),
        "9": arr([3]),
      },
    },
  };
}

Deno.test("v3 consolidated zarr.json: sorted keys (even integer-like), round trip", () => {
  const root = consolidatedRoot(3);
  const bytes = encodeGroupMetadata(root)["zarr.json"];
  const text = dec(bytes);
  const order = ["10", "9", "a", "b", "c", "c/d", "c/e"].map((k) =>
    text.indexOf(`\n      "${k}": {`)
  );
  assert.ok(order.every((i) => i > 0), "all keys present at the right depth");
  assert.deepEqual([...order].sort((x, y) => x - y), order);
  const back = parseV3Document(bytes, "zarr.json") as GroupMetadata;
  assert.deepEqual(Object.keys(back.consolidatedMetadata!.metadata).sort(), [
    "10",
    "9",
    "a",
    "b",
    "c",
    "c/d",
    "c/e",
  ]);
  assert.deepEqual(encodeGroupMetadata(back)["zarr.json"], bytes);
  // compact form too
  const compact = dec(encodeGroupMetadata(root, null)["zarr.json"]);
  assert.ok(compact.indexOf('"10": {') < compact.indexOf('"9": {'));
  assert.deepEqual(JSON.parse(compact), JSON.parse(text));
});

Deno.test("v2 consolidated: .zmetadata written compactly next to .zgroup / .zattrs", () => {
  const root = consolidatedRoot(2);
  const files = encodeGroupMetadata(root);
  assert.deepEqual(Object.keys(files), [".zgroup", ".zattrs", ".zmetadata"]);
  const z = dec(files[".zmetadata"]);
  assert.ok(
    z.startsWith(
      '{"metadata": {".zgroup": {"zarr_format": 2}, ".zattrs": {}, "10/.zattrs": {}, "10/.zarray": {"shape": [2], ',
    ),
  );
  assert.ok(z.endsWith(', "zarr_consolidated_format": 1}'));
  assert.ok(!z.includes("\n"));
  const back = parseV2GroupDocuments(
    files[".zgroup"],
    files[".zattrs"],
    files[".zmetadata"],
    ".zgroup",
  );
  assert.deepEqual(Object.keys(back.consolidatedMetadata!.metadata).sort(), [
    "10",
    "9",
    "a",
    "b",
    "c",
    "c/d",
    "c/e",
  ]);
  assert.deepEqual(encodeGroupMetadata(back)[".zmetadata"], files[".zmetadata"]);
});

Deno.test("parseV3Document: dispatch and errors", () => {
  assert.equal(parseV3Document(enc('{"zarr_format":3,"node_type":"group"}')).nodeType, "group");
  assert.throws(
    () => parseV3Document(enc("{nope"), "x/zarr.json"),
    (e: Error) => e instanceof MetadataValidationError && e.message.includes("x/zarr.json"),
  );
  assert.throws(() => parseV3Document(enc("[]"), "x"), MetadataValidationError);
  assert.throws(
    () => parseV3Document(enc('{"zarr_format":"3.0","node_type":"group"}'), "x"),
    (e: Error) => e instanceof MetadataValidationError && e.message.includes("'3.0'"),
  );
  assert.throws(() => parseV3Document(enc('{"zarr_format":2}'), "x"), MetadataValidationError);
  assert.throws(
    () => parseV3Document(enc('{"zarr_format":3,"node_type":"other"}'), "x"),
    MetadataValidationError,
  );
  assert.throws(() => parseV3Document(new Uint8Array([0xff, 0xfe]), "x"), /not valid UTF-8/);
  // array docs go through the array validation
  assert.throws(
    () => parseV3Document(enc('{"zarr_format":3,"node_type":"array"}'), "x"),
    /Invalid data_type/,
  );
});

Deno.test("decodeNodeMetadata prefers zarr.json, then .zarray, then .zgroup", () => {
  const g3 = encodeGroupMetadata(createGroupMetadata({ zarrFormat: 3 }))["zarr.json"];
  const a2 = encodeArrayMetadata(
    createArrayMetadata({
      zarrFormat: 2,
      shape: [1],
      dtype: parseDataType("uint8"),
      chunkShape: [1],
    }),
  );
  const g2 = encodeGroupMetadata(createGroupMetadata({ zarrFormat: 2, attributes: { a: 1 } }));
  assert.equal(decodeNodeMetadata({ "zarr.json": g3, ".zarray": a2[".zarray"] })!.zarrFormat, 3);
  assert.equal(
    decodeNodeMetadata({ ".zarray": a2[".zarray"], ".zgroup": g2[".zgroup"] })!.nodeType,
    "array",
  );
  const g = decodeNodeMetadata({ ".zgroup": g2[".zgroup"], ".zattrs": g2[".zattrs"] })!;
  assert.deepEqual(g.attributes, { a: 1 });
  assert.equal(decodeNodeMetadata({}), undefined);
  assert.throws(
    () => decodeNodeMetadata({ ".zarray": enc("{}") }, "p/"),
    (e: Error) => e.message.includes("p/.zarray"),
  );
});

Deno.test("validateZarrFormat (test_metadata_validation_error)", () => {
  assert.equal(validateZarrFormat(2), 2);
  assert.equal(validateZarrFormat(3), 3);
  assert.equal(validateZarrFormat(null), undefined);
  assert.throws(
    () => validateZarrFormat("3.0"),
    (e: Error) =>
      e instanceof MetadataValidationError &&
      e.message === "Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '3.0'.",
  );
  assert.throws(() => validateZarrFormat(4), MetadataValidationError);
});

Deno.test("round trips across data types and formats", () => {
  const dtypes = [
    "bool",
    "int8",
    "uint16",
    "int64",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "U4",
    "S3",
    "V2",
    "M8[ns]",
    "m8[10s]",
    "string",
    "variable_length_bytes",
  ];
  for (const zarrFormat of [2, 3] as const) {
    for (const d of dtypes) {
      const m = createArrayMetadata({
        zarrFormat,
        shape: [5, 6],
        dtype: parseDataType(d),
        chunkShape: [2, 3],
        order: zarrFormat === 2 ? "F" : "C",
      });
      const files = encodeArrayMetadata(m);
      const back = zarrFormat === 3
        ? parseV3Document(files["zarr.json"])
        : parseV2ArrayDocuments(files[".zarray"], files[".zattrs"]);
      assert.deepEqual(back, m, `${zarrFormat} ${d}`);
      assert.deepEqual(encodeArrayMetadata(back as ArrayMetadata), files, `${zarrFormat} ${d}`);
    }
  }
});
