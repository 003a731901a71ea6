/**
 * Conformance: tree and info text (zarr-python `tests/test_tree.py`, `tests/test_info.py`,
 * `TestInfo` in `tests/test_array.py`), checklist items 23 and 35.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import { captureWarnings } from "../../src/errors.ts";

async function testTreeGroup(path?: string) {
  const g = await zarr.group({ path });
  const A = await g.createGroup("A");
  const B = await g.createGroup("B");
  const C = await B.createGroup("C");
  const D = await C.createGroup("C");
  await A.createArray("x", { shape: 2, dtype: "float64" });
  await A.createArray("y", { shape: [0], dtype: "int8" });
  await B.createArray("x", { shape: [0], dtype: "float64" });
  await C.createArray("x", { shape: [0], dtype: "float64" });
  await D.createArray("x", { shape: [0], dtype: "float64" });
  return g;
}

for (const root of [undefined, "root"]) {
  Deno.test(`#23 tree: exact text and level=0 (root=${root})`, async () => {
    const g = await testTreeGroup(root);
    const expected = [
      `/${root ?? ""}`,
      "├── A",
      "│   ├── x (2,) float64",
      "│   └── y (0,) int8",
      "└── B",
      "    ├── C",
      "    │   ├── C",
      "    │   │   └── x (0,) float64",
      "    │   └── x (0,) float64",
      "    └── x (0,) float64",
      "",
    ].join("\n");
    for (const plain of [true, false]) {
      // (bolding only happens on a TTY; the test runner's stdout is not one)
      const t = await g.tree({ plain });
      assert.equal(t.toString(), expected);
      const t0 = await g.tree({ level: 0, plain });
      assert.equal(t0.toString(), `/${root ?? ""}\n├── A\n└── B\n`);
    }
    // zarr.tree(g) is g.tree(), without zarr-python's deprecation warning
    const [t, ws] = await captureWarnings(() => zarr.tree(g));
    assert.equal(t.toString(), (await g.tree()).toString());
    assert.deepEqual(ws, []);
    assert.equal(
      (await zarr.tree(g, { level: 1 })).toString(),
      [
        `/${root ?? ""}`,
        "├── A",
        "│   ├── x (2,) float64",
        "│   └── y (0,) int8",
        "└── B",
        "    ├── C",
        "    └── x (0,) float64",
        "",
      ].join("\n"),
    );
  });
}

Deno.test("#23 tree: the mime bundle has text/plain, HTML (our collapsible renderer, not zarr-python's <pre>) and the tree JSON", async () => {
  const g = await testTreeGroup();
  const t = await g.tree();
  const bundle = t[Symbol.for("Jupyter.display") as keyof typeof t] as unknown as () => Record<
    string,
    unknown
  >;
  const b = bundle.call(t);
  assert.equal(typeof b["text/plain"], "string");
  assert.equal(b["text/plain"], t.toString());
  const html = b["text/html"] as string;
  assert.equal(typeof html, "string");
  assert.ok(html.includes("A"));
  assert.ok(html.includes("x"));
  assert.equal(t.toHTML(), html);
  assert.ok("application/vnd.zarr.tree+json" in b);
});

Deno.test("#23 tree truncation: max_nodes=3 shows 3 nodes and the note", async () => {
  const g = await zarr.group();
  for (const n of ["a", "b", "c", "d", "e"]) await g.createGroup(n);
  const result = (await g.tree({ maxNodes: 3, plain: true })).toString();
  assert.ok(result.startsWith(
    "Truncated at max_nodes=3, some nodes and their children may be missing\n",
  ));
  const nodeLines = result.trim().split("\n").filter((l) => l.includes("──"));
  assert.equal(nodeLines.length, 3);
  const full = (await g.tree({ maxNodes: 500, plain: true })).toString();
  assert.ok(!full.toLowerCase().includes("truncated"));
  assert.equal(full, "/\n├── a\n├── b\n├── c\n├── d\n└── e\n");
});

Deno.test("#23 tree HTML escaping; expand raises NotImplementedError", async () => {
  const g = await zarr.group();
  const evil = "<img onerror=alert(1) src=x>";
  await g.createGroup(evil);
  const t = await g.tree();
  assert.ok(t.toHTML().includes("&lt;img"));
  assert.ok(!t.toHTML().includes("<img"));
  assert.ok(t.toString().includes(evil));
  assert.ok(JSON.stringify(t.toJSON()).includes(evil), "the JSON payload keeps the raw name");
  await assert.rejects(g.tree({ expand: true }), zarr.NotImplementedError);
  await assert.rejects(zarr.tree(g, { expand: true }), zarr.NotImplementedError);
});

Deno.test("#35 info: exact text for a v3 array", async () => {
  const arr = await zarr.createArray(new Map(), {
    shape: [8, 8],
    dtype: "float64",
    chunks: [2, 2],
  });
  assert.equal(
    arr.info(),
    [
      "Type               : Array",
      "Zarr format        : 3",
      "Data type          : Float64(endianness='little')",
      "Fill value         : 0.0",
      "Shape              : (8, 8)",
      "Chunk shape        : (2, 2)",
      "Order              : C",
      "Read-only          : False",
      "Store type         : MemoryStore",
      "Filters            : ()",
      "Serializer         : BytesCodec(endian='little')",
      "Compressors        : (ZstdCodec(level=0, checksum=False),)",
      "No. bytes          : 512",
    ].join("\n"),
  );
});

Deno.test("#35 info: exact text for a v2 array (no serializer line, numcodecs repr)", async () => {
  const arr = await zarr.createArray(new Map(), {
    shape: [8, 8],
    dtype: "float64",
    chunks: [2, 2],
    zarrFormat: 2,
  });
  assert.equal(
    arr.info(),
    [
      "Type               : Array",
      "Zarr format        : 2",
      "Data type          : Float64(endianness='little')",
      "Fill value         : 0.0",
      "Shape              : (8, 8)",
      "Chunk shape        : (2, 2)",
      "Order              : C",
      "Read-only          : False",
      "Store type         : MemoryStore",
      "Filters            : ()",
      "Compressors        : (Zstd(level=0),)",
      "No. bytes          : 512",
    ].join("\n"),
  );
});

Deno.test("#35 info_complete: bytes stored 521 -> 649 and chunks initialized 0 -> 4", async () => {
  const arr = await zarr.createArray(new Map(), {
    shape: [8, 8],
    dtype: "float64",
    chunks: [2, 2],
    compressors: [],
  });
  const head = [
    "Type               : Array",
    "Zarr format        : 3",
    "Data type          : Float64(endianness='little')",
    "Fill value         : 0.0",
    "Shape              : (8, 8)",
    "Chunk shape        : (2, 2)",
    "Order              : C",
    "Read-only          : False",
    "Store type         : MemoryStore",
    "Filters            : ()",
    "Serializer         : BytesCodec(endian='little')",
    "Compressors        : ()",
    "No. bytes          : 512",
  ];
  assert.equal(
    await arr.infoComplete(),
    [...head, "No. bytes stored   : 521", "Storage ratio      : 1.0", "Chunks Initialized : 0"]
      .join("\n"),
  );
  await arr.setitem("0:4, 0:4", 10);
  assert.equal(
    await arr.infoComplete(),
    [...head, "No. bytes stored   : 649", "Storage ratio      : 0.8", "Chunks Initialized : 4"]
      .join("\n"),
  );
});

Deno.test("#35 info of read-only, int32 and string arrays", async () => {
  const store = new zarr.MemoryStore();
  await zarr.createArray(store, {
    name: "i",
    shape: [100, 100],
    chunks: [10, 100],
    dtype: "int32",
    compressors: null,
  });
  const ro = await zarr.openArray({ store, path: "i", mode: "r" });
  assert.equal(
    ro.info(),
    [
      "Type               : Array",
      "Zarr format        : 3",
      "Data type          : Int32(endianness='little')",
      "Fill value         : 0",
      "Shape              : (100, 100)",
      "Chunk shape        : (10, 100)",
      "Order              : C",
      "Read-only          : True",
      "Store type         : MemoryStore",
      "Filters            : ()",
      "Serializer         : BytesCodec(endian='little')",
      "Compressors        : ()",
      "No. bytes          : 40000 (39.1K)",
    ].join("\n"),
  );
});

Deno.test("#35 group info and info_complete", async () => {
  const g = await zarr.group({ path: "a" });
  await g.createArray("x", { shape: [1], dtype: "int8" });
  await (await g.createGroup("sub")).createArray("y", { shape: [1], dtype: "int8" });
  const base = [
    "Name        : a",
    "Type        : Group",
    "Zarr format : 3",
    "Read-only   : False",
    "Store type  : MemoryStore",
  ];
  assert.equal(g.info(), base.join("\n"));
  assert.equal(
    await g.infoComplete(),
    [...base, "No. members : 3", "No. arrays  : 2", "No. groups  : 1"].join("\n"),
  );
});
