/**
 * Conformance: metadata documents (zarr-python `tests/test_metadata/*`, `tests/test_v2.py`),
 * checklist items 50-52, exercised through the public API and the bytes in the store.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import { captureWarnings } from "../../src/errors.ts";
import type { AsyncGroup, Store } from "../../mod.ts";
import { readJSON, readText, values } from "./helpers.ts";

const enc = (s: string) => new TextEncoder().encode(s);

async function hierarchy(store: Store): Promise<AsyncGroup> {
  const g = await zarr.group({ store, attributes: { foo: "bar" } });
  const dtype = "uint8";
  await g.createArray("air", { shape: [1, 2, 3], dtype });
  await g.createArray("lat", { shape: [1], dtype });
  await g.createArray("lon", { shape: [2], dtype });
  await g.createArray("time", { shape: [3], dtype });
  const child = await g.createGroup("child", { attributes: { key: "child" } });
  await child.createArray("array", { shape: [4, 4], attributes: { key: "child" }, dtype });
  const grandchild = await child.createGroup("grandchild", { attributes: { key: "grandchild" } });
  await grandchild.createArray("array", {
    shape: [4, 4],
    attributes: { key: "grandchild" },
    dtype,
  });
  await grandchild.createGroup("empty_group", { attributes: { key: "empty" } });
  return g;
}

Deno.test("#50 v3 consolidated metadata: inline, flat keys sorted by depth, child docs verbatim", async () => {
  const store = new zarr.MemoryStore();
  await hierarchy(store);
  const [, ws] = await captureWarnings(() => zarr.consolidateMetadata(store));
  assert.ok(ws.some((w) =>
    w.category === "ZarrUserWarning" &&
    w.message.startsWith(
      "Consolidated metadata is currently not part in the Zarr format 3 specification.",
    )
  ));
  const root = await readJSON(store, "zarr.json");
  assert.deepEqual(
    Object.keys(root),
    [
      "attributes",
      "zarr_format",
      "consolidated_metadata",
      "node_type",
    ].filter((k) => k in root),
  );
  assert.deepEqual(root.attributes, { foo: "bar" });
  const cm = root.consolidated_metadata as Record<string, unknown>;
  assert.equal(cm.kind, "inline");
  assert.equal(cm.must_understand, false);
  const md = cm.metadata as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(md), [
    "air",
    "child",
    "lat",
    "lon",
    "time",
    "child/array",
    "child/grandchild",
    "child/grandchild/array",
    "child/grandchild/empty_group",
  ]);
  for (const [k, v] of Object.entries(md)) {
    const own = await readJSON(store, `${k}/zarr.json`);
    if (v.node_type === "array") assert.deepEqual(v, own, k);
    else {
      const { consolidated_metadata, ...rest } = v;
      assert.deepEqual(rest, own, k);
      assert.deepEqual(consolidated_metadata, {
        kind: "inline",
        must_understand: false,
        metadata: {},
      });
    }
  }
  assert.deepEqual(md["child/grandchild/array"].attributes, { key: "grandchild" });
  assert.deepEqual((md.air as { shape: number[] }).shape, [1, 2, 3]);

  // open / openGroup / openConsolidated all see it, and members need no listing
  for (
    const g of [
      await zarr.open({ store }) as AsyncGroup,
      await zarr.openGroup(store),
      await zarr.openConsolidated(store),
    ]
  ) {
    assert.deepEqual(Object.keys(g.metadata.consolidatedMetadata!.metadata).length, 9);
    assert.deepEqual(g.attrs, { foo: "bar" });
  }
  const ro = new zarr.MemoryStore(
    new Map([["zarr.json", (await store.get("zarr.json"))!]]),
    { readOnly: true },
  );
  // a read-only store needs mode "r" (any other mode is a ValueError, as in zarr-python)
  await assert.rejects(zarr.openConsolidated(ro), zarr.ZarrValueError);
  const g = await zarr.openConsolidated(ro, { mode: "r" });
  const names: string[] = [];
  for await (const [k] of g.members({ maxDepth: null })) names.push(k);
  assert.equal(names.length, 9);
  const arr = await g.getitem("child/grandchild/array");
  assert.ok(arr instanceof zarr.AsyncArray);
  assert.deepEqual(arr.attrs, { key: "grandchild" });
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#50 to_dict order: consolidated keys sorted (v${zarrFormat})`, async () => {
    using _ = zarr.config.set({ default_zarr_format: zarrFormat });
    const store = new zarr.MemoryStore();
    const g = await zarr.group({ store });
    await g.createArray("b", { shape: [1], dtype: "float32" });
    const child = await g.createGroup("c", { attributes: { key: "child" } });
    await g.createArray("a", { shape: [1], dtype: "float32" });
    await child.createArray("e", { shape: [1], dtype: "float32" });
    await child.createArray("d", { shape: [1], dtype: "float32" });
    await captureWarnings(() => zarr.consolidateMetadata(store));
    const g2 = await zarr.openGroup(store);
    assert.equal(g2.zarrFormat, zarrFormat);
    assert.deepEqual(Object.keys(g2.metadata.consolidatedMetadata!.metadata), [
      "a",
      "b",
      "c",
      "c/d",
      "c/e",
    ]);
    if (zarrFormat === 3) {
      const raw = await readJSON(store, "zarr.json");
      const md = (raw.consolidated_metadata as { metadata: object }).metadata;
      assert.deepEqual(Object.keys(md), ["a", "b", "c", "c/d", "c/e"]);
    } else {
      const zm = await readJSON(store, ".zmetadata");
      assert.deepEqual(Object.keys(zm.metadata as object), [
        ".zgroup",
        ".zattrs",
        "a/.zattrs",
        "a/.zarray",
        "b/.zattrs",
        "b/.zarray",
        "c/.zattrs",
        "c/.zgroup",
        "c/d/.zattrs",
        "c/d/.zarray",
        "c/e/.zattrs",
        "c/e/.zarray",
      ]);
    }
  });

  Deno.test(`#50 use_consolidated=false bypasses stale consolidated metadata (v${zarrFormat})`, async () => {
    using _ = zarr.config.set({ default_zarr_format: zarrFormat });
    const store = new zarr.MemoryStore();
    const g = await zarr.group({ store, attributes: { foo: "bar" } });
    await g.createGroup("a");
    await captureWarnings(() => zarr.consolidateMetadata(store));
    await g.createGroup("b");
    const stale = await zarr.openGroup(store);
    assert.deepEqual(await stale.keys(), ["a"]);
    assert.deepEqual(Object.keys(stale.metadata.consolidatedMetadata!.metadata), ["a"]);
    const good = await zarr.openGroup(store, { useConsolidated: false });
    assert.equal(good.metadata.consolidatedMetadata, null);
    assert.deepEqual(await good.keys(), ["a", "b"]);
    await captureWarnings(() => zarr.consolidateMetadata(store));
    const fresh = await zarr.openGroup(store);
    assert.deepEqual(await fresh.keys(), ["a", "b"]);
    assert.deepEqual(Object.keys(fresh.metadata.consolidatedMetadata!.metadata).sort(), ["a", "b"]);
  });

  Deno.test(`#50 open_consolidated raises without consolidated metadata (v${zarrFormat})`, async () => {
    const store = new zarr.MemoryStore();
    await zarr.group({ store, zarrFormat });
    await assert.rejects(zarr.openConsolidated(store, { zarrFormat }), zarr.ZarrValueError);
    await assert.rejects(zarr.openConsolidated(store), zarr.ZarrValueError);
    await assert.rejects(
      zarr.openConsolidated(store, { useConsolidated: false }),
      zarr.ZarrTypeError,
    );
    // the default open is fine without it
    await zarr.openGroup(store);
  });
}

Deno.test("#50 stale child consolidations are ignored when consolidating (issue #2921)", async () => {
  const store = new zarr.MemoryStore();
  const root = await zarr.group({ store, zarrFormat: 3 });
  await root.createGroup("foo");
  await captureWarnings(() => zarr.consolidateMetadata(store, { path: "foo" }));
  await root.createGroup("foo/bar/spam");
  await captureWarnings(() => zarr.consolidateMetadata(store));
  const reopened = await zarr.openConsolidated(store, { zarrFormat: 3 });
  const keys: string[] = [];
  for await (const [k] of reopened.members({ maxDepth: null })) keys.push(k);
  assert.deepEqual(keys, ["foo", "foo/bar", "foo/bar/spam"]);
});

Deno.test("#50 v2 .zmetadata: compact Python-style JSON, .zattrs before .zarray, child groups marked", async () => {
  const store = new zarr.MemoryStore();
  const g = await zarr.group({ store, attributes: { key: "root" }, zarrFormat: 2 });
  await g.createArray("a", {
    shape: [1],
    attributes: { key: "a" },
    dtype: "uint8",
    compressors: { id: "zstd", level: 0 },
  });
  const g1 = await g.createGroup("g1", { attributes: { key: "g1" } });
  await g1.createGroup("g2", { attributes: { key: "g2" } });
  const [, ws] = await captureWarnings(() => zarr.consolidateMetadata(store));
  assert.deepEqual(ws, [], "no v3 warning for a v2 hierarchy");
  const text = await readText(store, ".zmetadata");
  const zarray =
    `{"shape": [1], "chunks": [1], "dtype": "|u1", "fill_value": 0, "order": "C", "filters": null, ` +
    `"dimension_separator": ".", "compressor": {"id": "zstd", "level": 0}, "zarr_format": 2}`;
  const childGroup =
    `{"zarr_format": 2, "consolidated_metadata": {"metadata": {}, "must_understand": false, "kind": "inline"}}`;
  const expected = `{"metadata": {".zgroup": {"zarr_format": 2}, ".zattrs": {"key": "root"}, ` +
    `"a/.zattrs": {"key": "a"}, "a/.zarray": ${zarray}, ` +
    `"g1/.zattrs": {"key": "g1"}, "g1/.zgroup": ${childGroup}, ` +
    `"g1/g2/.zattrs": {"key": "g2"}, "g1/g2/.zgroup": ${childGroup}}, "zarr_consolidated_format": 1}`;
  assert.equal(text, expected);

  const result = await zarr.openConsolidated(store, { zarrFormat: 2 });
  assert.deepEqual(result.attrs, { key: "root" });
  const md = result.metadata.consolidatedMetadata!.metadata;
  assert.deepEqual(Object.keys(md), ["a", "g1", "g1/g2"]);
  assert.deepEqual(md.a.attributes, { key: "a" });
  assert.equal(md["g1/g2"].nodeType, "group");
  const a = await result.getitem("a");
  assert.ok(a instanceof zarr.AsyncArray);
  assert.deepEqual(values(await a.getitem(null)), [0]);
});

Deno.test("#50 (partial) v2 arrays created through a group: Blosc once it is registered, else zstd", async () => {
  // zarr-python's group.create_array defaults v2 arrays to numcodecs Blosc(); the blosc codec
  // arrives with the format-coverage issue, and until then creation falls back to the top-level
  // default. When blosc is registered this asserts zarr-python's exact Blosc document.
  const { registeredCodecs } = await import("../../src/codecs/registry.ts");
  const g = await zarr.group({ zarrFormat: 2 });
  await g.createArray("a", { shape: [1], dtype: "uint8" });
  const compressor = (await readJSON(g.store, "a/.zarray")).compressor;
  if (registeredCodecs().includes("blosc")) {
    assert.deepEqual(compressor, {
      id: "blosc",
      cname: "lz4",
      clevel: 5,
      shuffle: 1,
      blocksize: 0,
    });
  } else {
    assert.deepEqual(compressor, { id: "zstd", level: 0 });
  }
});

/** zarr-python's `minimal_metadata_dict_v3` (codecs = `BytesCodec().to_dict()`). */
function minimalV3(over: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
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
    ...over,
    ...extra,
  };
}

/** Writes `doc` as zarr.json, opens it, rewrites it (attributes update) and returns the result. */
async function roundTrip(doc: unknown): Promise<Record<string, unknown>> {
  const map = new Map([["zarr.json", enc(JSON.stringify(doc))]]);
  const arr = await zarr.openArray({ store: map });
  await arr.updateAttributes({});
  return JSON.parse(new TextDecoder().decode(map.get("zarr.json")!));
}

const UINT8_CODECS = [{ name: "bytes" }];
const FLOAT64_CODECS = [{ name: "bytes", configuration: { endian: "little" } }];

Deno.test("#51 array metadata round trip: codec evolution, NaN/Infinity strings, extra fields", async () => {
  const cases: [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>?][] = [
    [{}, { codecs: UINT8_CODECS }],
    [{ attributes: { key: "value" } }, { attributes: { key: "value" }, codecs: UINT8_CODECS }],
    [{ dimension_names: ["x", "y"] }, { dimension_names: ["x", "y"], codecs: UINT8_CODECS }],
    [{ dimension_names: ["x", null] }, { dimension_names: ["x", null], codecs: UINT8_CODECS }],
    [{ storage_transformers: [] }, { storage_transformers: [], codecs: UINT8_CODECS }],
    [
      { data_type: "float64", fill_value: 0.0 },
      { data_type: "float64", fill_value: 0.0, codecs: FLOAT64_CODECS },
    ],
    [
      { chunk_key_encoding: { name: "v2", configuration: { separator: "." } } },
      {
        chunk_key_encoding: { name: "v2", configuration: { separator: "." } },
        codecs: UINT8_CODECS,
      },
    ],
    [
      { data_type: "float64", fill_value: "NaN" },
      { data_type: "float64", fill_value: "NaN", codecs: FLOAT64_CODECS },
    ],
    [
      { data_type: "float64", fill_value: "Infinity" },
      { data_type: "float64", fill_value: "Infinity", codecs: FLOAT64_CODECS },
    ],
    [
      { data_type: "float64", fill_value: "-Infinity" },
      { data_type: "float64", fill_value: "-Infinity", codecs: FLOAT64_CODECS },
    ],
    [
      { attributes: {}, storage_transformers: [] },
      { attributes: {}, storage_transformers: [], codecs: UINT8_CODECS },
      { my_ext: { must_understand: false, data: [1, 2, 3] } },
    ],
  ];
  for (const [input, output, extra] of cases) {
    const got = await roundTrip(minimalV3(input, extra ?? {}));
    const want = minimalV3(output, extra ?? {});
    assert.deepEqual(sortKeys(got), sortKeys(want), JSON.stringify(input));
  }
  // the written field order is zarr-python's
  const got = await roundTrip(minimalV3({ dimension_names: ["x", "y"] }));
  assert.deepEqual(Object.keys(got), [
    "shape",
    "data_type",
    "chunk_grid",
    "chunk_key_encoding",
    "fill_value",
    "codecs",
    "attributes",
    "dimension_names",
    "zarr_format",
    "node_type",
    "storage_transformers",
  ]);
  // hex float fills are read (big-endian bit patterns)
  const map = new Map([[
    "zarr.json",
    enc(JSON.stringify(minimalV3({
      data_type: "float32",
      fill_value: "0x7fc00000",
      codecs: FLOAT64_CODECS,
    }))),
  ]]);
  const a = await zarr.openArray({ store: map });
  assert.ok(Number.isNaN(a.fillValue as number));
});

function sortKeys(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(sortKeys);
  if (o && typeof o === "object") {
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys((o as never)[k])]));
  }
  return o;
}

Deno.test("#51 extra fields: must_understand true or non-objects are rejected", async () => {
  for (const extra of [{ my_ext: { must_understand: true } }, { my_ext: 42 }]) {
    const map = new Map([["zarr.json", enc(JSON.stringify(minimalV3({}, extra)))]]);
    await assert.rejects(
      zarr.openArray({ store: map }),
      (e: Error) =>
        e instanceof zarr.MetadataValidationError && /disallowed extra fields/.test(e.message),
    );
  }
  // other invalid documents
  const bad: [Record<string, unknown>, new (...a: never[]) => Error, RegExp?][] = [
    [{ dimension_names: ["x", "y", "z"] }, zarr.ZarrValueError, /dimension_names/],
    [{ fill_value: {} }, zarr.ZarrTypeError],
    [{ storage_transformers: [{ name: "x" }] }, zarr.ZarrValueError],
  ];
  for (const [over, cls, re] of bad) {
    const map = new Map([["zarr.json", enc(JSON.stringify(minimalV3(over)))]]);
    await assert.rejects(zarr.openArray({ store: map }), (e: Error) => {
      assert.ok(e instanceof cls, `${JSON.stringify(over)}: ${e}`);
      if (re) assert.match(e.message, re);
      assert.match(e.message, /zarr\.json/, "errors name the key");
      return true;
    });
  }
  // a missing fill_value is an error
  const { fill_value: _f, ...noFill } = minimalV3();
  await assert.rejects(
    zarr.openArray({ store: new Map([["zarr.json", enc(JSON.stringify(noFill))]]) }),
    zarr.ZarrError,
  );
});

Deno.test("#51 metadata with a NaN fill compares equal to itself", async () => {
  const doc = enc(
    JSON.stringify(minimalV3({ data_type: "float64", fill_value: "NaN", codecs: FLOAT64_CODECS })),
  );
  const a = await zarr.openArray({ store: new Map([["zarr.json", doc]]) });
  const b = await zarr.openArray({ store: new Map([["zarr.json", doc]]) });
  assert.deepEqual(a.metadata, b.metadata);
  const c = await zarr.openArray({
    store: new Map([[
      "zarr.json",
      enc(
        JSON.stringify(
          minimalV3({ data_type: "float64", fill_value: 1.0, codecs: FLOAT64_CODECS }),
        ),
      ),
    ]]),
  });
  assert.notDeepEqual(a.metadata, c.metadata);
});

Deno.test("#52 v2 encode/decode: exact .zarray with a base64 bytes fill, data reads back", async () => {
  const cases: [string, string, string][] = [
    ["|S1", "|S1", "WA=="],
    ["|V1", "|V1", "WA=="],
    ["|V10", "|V10", "WAAAAAAAAAAAAA=="],
  ];
  for (const [dtype, expectedDtype, fillJSON] of cases) {
    const store = new zarr.MemoryStore();
    const g = await zarr.group({ store, zarrFormat: 2 });
    await g.createArray("foo", {
      shape: [3],
      chunks: [3],
      dtype,
      fillValue: enc("X"),
      compressor: null,
    });
    const doc = await readJSON(store, "foo/.zarray");
    assert.deepEqual(
      sortKeys(doc),
      sortKeys({
        chunks: [3],
        compressor: null,
        dtype: expectedDtype,
        fill_value: fillJSON,
        filters: null,
        order: "C",
        shape: [3],
        zarr_format: 2,
        dimension_separator: ".",
      }),
    );
    const data = await (await zarr.openArray({ store, path: "foo" })).getitem(null);
    const n = Number(dtype.slice(2));
    const x = new Uint8Array(n);
    x[0] = 88;
    assert.deepEqual(data.data, [x, x, x], dtype);
  }
});

Deno.test("#52 v2 .zarray field order and exact text", async () => {
  const store = new zarr.MemoryStore();
  await zarr.create([10, 10], {
    store,
    chunks: [5, 5],
    dtype: "<i4",
    zarrFormat: 2,
    fillValue: 7,
  });
  const text = await readText(store, ".zarray");
  const expected = {
    shape: [10, 10],
    chunks: [5, 5],
    dtype: "<i4",
    fill_value: 7,
    order: "C",
    filters: null,
    dimension_separator: ".",
    compressor: { id: "zstd", level: 0 },
    zarr_format: 2,
  };
  assert.equal(text, JSON.stringify(expected, null, 2));
  assert.equal(await readText(store, ".zattrs"), "{}");
});
