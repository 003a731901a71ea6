/**
 * Tests of src/group/tree.ts: zarr-python 3.3's exact tree text (`tests/test_tree.py`), the HTML
 * renderer, and the `application/vnd.zarr.tree+json` payload validated against
 * `jupyter-ext/schema/tree.schema.json` with a small validator (no dependencies).
 */
import { strict as assert } from "node:assert";
import {
  buildTree,
  escapeHtml,
  JUPYTER_DISPLAY,
  TREE_MIME_TYPE,
  type TreeNode,
  type TreePayload,
} from "../../src/group/tree.ts";

const B = "\x1b[1m";
const E = "\x1b[0m";

/** The hierarchy of zarr-python's `test_tree`. */
const TEST_TREE_NODES: TreeNode[] = [
  { path: "A", kind: "group" },
  { path: "B", kind: "group" },
  { path: "B/C", kind: "group" },
  { path: "B/C/C", kind: "group" },
  { path: "A/x", kind: "array", shape: [2], dtype: "float64" },
  { path: "A/y", kind: "array", shape: [0], dtype: "int8" },
  { path: "B/x", kind: "array", shape: [0], dtype: "float64" },
  { path: "B/C/x", kind: "array", shape: [0], dtype: "float64" },
  { path: "B/C/C/x", kind: "array", shape: [0], dtype: "float64" },
];

function expectedTestTree(root: string, b: string, e: string): string {
  return [
    `${b}${root}${e}`,
    `├── ${b}A${e}`,
    `│   ├── ${b}x${e} (2,) float64`,
    `│   └── ${b}y${e} (0,) int8`,
    `└── ${b}B${e}`,
    `    ├── ${b}C${e}`,
    `    │   ├── ${b}C${e}`,
    `    │   │   └── ${b}x${e} (0,) float64`,
    `    │   └── ${b}x${e} (0,) float64`,
    `    └── ${b}x${e} (0,) float64`,
    ``,
  ].join("\n");
}

Deno.test("tree text: acceptance example", () => {
  const t = buildTree("/", [
    { path: "a", kind: "group" },
    { path: "a/x", kind: "array", shape: [3, 4], dtype: "int8" },
    { path: "b", kind: "array", shape: [2], dtype: "float64" },
  ]);
  assert.equal(t.toString(), "/\n├── a\n│   └── x (3, 4) int8\n└── b (2,) float64\n");
  assert.equal(t.toPlain(), t.toString());
  assert.equal(Deno.inspect(t), t.toString());
});

Deno.test("tree text: zarr-python test_tree (semantics doc §1.6), every root name and bolding", () => {
  for (const root of ["/", "/root"]) {
    // members in a shuffled order: the output is sorted by full key
    const shuffled = [...TEST_TREE_NODES].reverse();
    const plain = buildTree(root, shuffled, { plain: true });
    assert.equal(plain.toString(), expectedTestTree(root, "", ""));
    const notTty = buildTree(root, TEST_TREE_NODES, { bold: false });
    assert.equal(notTty.toString(), expectedTestTree(root, "", ""));
    const tty = buildTree(root, TEST_TREE_NODES, { bold: true });
    assert.equal(tty.toString(), expectedTestTree(root, B, E));
    assert.equal(tty.toPlain(), expectedTestTree(root, "", ""));
    // plain wins over bold, as `isatty() and not plain`
    const both = buildTree(root, TEST_TREE_NODES, { bold: true, plain: true });
    assert.equal(both.toString(), expectedTestTree(root, "", ""));
  }
  // the exact block printed in the semantics doc
  assert.equal(
    buildTree("/root", TEST_TREE_NODES).toString(),
    `/root
├── A
│   ├── x (2,) float64
│   └── y (0,) int8
└── B
    ├── C
    │   ├── C
    │   │   └── x (0,) float64
    │   └── x (0,) float64
    └── x (0,) float64
`,
  );
});

Deno.test("tree text: level=0 (immediate children only)", () => {
  const level0 = TEST_TREE_NODES.filter((n) => !n.path.includes("/"));
  assert.equal(buildTree("/", level0).toString(), "/\n├── A\n└── B\n");
  assert.equal(
    buildTree("/root", level0, { bold: true }).toString(),
    `${B}/root${E}\n├── ${B}A${E}\n└── ${B}B${E}\n`,
  );
});

Deno.test("tree text: empty group, 0-d arrays, bigint shapes, dtype names as numpy prints them", () => {
  assert.equal(buildTree("/", []).toString(), "/\n");
  const t = buildTree("/g", [
    { path: "s", kind: "array", shape: [], dtype: "bool" },
    { path: "u", kind: "array", shape: [3n], dtype: "U10" },
    { path: "v", kind: "array", shape: [1, 2, 3], dtype: "string" },
    { path: "w", kind: "array", shape: [4], dtype: "datetime64[ns]" },
    { path: "x", kind: "array", shape: [5], dtype: "S5" },
    { path: "y", kind: "array", shape: [6], dtype: "variable_length_bytes" },
  ]);
  assert.equal(
    t.toString(),
    "/g\n" +
      "├── s () bool\n" +
      "├── u (3,) <U10\n" +
      "├── v (1, 2, 3) StringDType()\n" +
      "├── w (4,) datetime64[ns]\n" +
      "├── x (5,) |S5\n" +
      "└── y (6,) object\n",
  );
});

Deno.test("tree text: sorted by full key in Python (code point) order", () => {
  const t = buildTree("/", [
    { path: "b", kind: "group" },
    { path: "\u{1F600}", kind: "group" }, // astral: after U+FFFD in code point order
    { path: "\uFFFD", kind: "group" },
    { path: "B", kind: "group" },
    { path: "a-b", kind: "group" },
    { path: "a", kind: "group" },
    { path: "a/z", kind: "group" },
    { path: "a/_", kind: "group" },
    { path: "é", kind: "group" },
  ]);
  assert.equal(
    t.toString(),
    "/\n├── B\n├── a\n│   ├── _\n│   └── z\n├── a-b\n├── b\n├── é\n├── \uFFFD\n└── \u{1F600}\n",
  );
});

Deno.test("tree text: implicit parents for members whose parent group is missing", () => {
  const t = buildTree("/", [
    { path: "a/b/x", kind: "array", shape: [1], dtype: "int8" },
    { path: "c", kind: "array", shape: [2], dtype: "int8" },
    { path: "a/y", kind: "array", shape: [3], dtype: "int8" },
  ]);
  assert.equal(
    t.toString(),
    "/\n├── a\n│   ├── b\n│   │   └── x (1,) int8\n│   └── y (3,) int8\n└── c (2,) int8\n",
  );
  const payload = t.toJSON();
  assert.equal(payload.node_count, 5);
  const a = payload.root.children[0];
  assert.equal(a.kind, "group");
  assert.equal(a.kind === "group" && a.implicit, true);
  // an explicit entry given later replaces the implicit one
  const t2 = buildTree("/", [
    { path: "a/x", kind: "array", shape: [1], dtype: "int8" },
    { path: "a", kind: "group", attrs: { k: 1 } },
  ]);
  const a2 = t2.toJSON().root.children[0];
  assert.deepEqual(a2, {
    name: "a",
    path: "a",
    kind: "group",
    children: [{ name: "x", path: "a/x", kind: "array", shape: [1], dtype: "int8" }],
    attributes_count: 1,
  });
  // paths are normalized; duplicates keep the first; nodes under arrays are dropped
  const t3 = buildTree("/", [
    { path: "/g//h/", kind: "group" },
    { path: "g/h", kind: "array", shape: [1], dtype: "int8" },
    { path: "arr", kind: "array", shape: [1], dtype: "int8" },
    { path: "arr/inner", kind: "group" },
  ]);
  assert.equal(t3.toString(), "/\n├── arr (1,) int8\n└── g\n    └── h\n");
});

Deno.test("tree text: truncation (test_tree_truncation)", () => {
  const nodes: TreeNode[] = ["a", "b", "c", "d", "e"].map((p) => ({ path: p, kind: "group" }));
  const t = buildTree("/", nodes, { maxNodes: 3, plain: true });
  const result = t.toString();
  assert.ok(result.includes("Truncated at max_nodes=3"));
  assert.equal(
    result,
    "Truncated at max_nodes=3, some nodes and their children may be missing\n/\n├── a\n├── b\n└── c\n",
  );
  const nodeLines = result.trim().split("\n").filter((l) => l.includes("──"));
  assert.equal(nodeLines.length, 3);
  assert.equal(t.truncated, true);
  assert.equal(t.toJSON().truncated, true);
  assert.equal(t.toJSON().max_nodes, 3);
  assert.ok(t.toHTML().includes("Truncated at max_nodes=3"));
  const full = buildTree("/", nodes, { maxNodes: 500, plain: true }).toString();
  assert.ok(!full.includes("runcated"));
  // the caller already cut the list: the flag alone marks it
  const flagged = buildTree("/", nodes.slice(0, 3), { maxNodes: 3, truncated: true });
  assert.equal(flagged.toString(), result);
  // the first maxNodes in the given order are kept (before sorting), as zarr-python does
  const reversed = buildTree("/", [...nodes].reverse(), { maxNodes: 2 });
  assert.equal(
    reversed.toPlain(),
    "Truncated at max_nodes=2, some nodes and their children may be missing\n/\n├── d\n└── e\n",
  );
  // default maxNodes is 500
  const many: TreeNode[] = Array.from(
    { length: 501 },
    (_, i) => ({ path: `n${i}`, kind: "group" }),
  );
  const tm = buildTree("/", many);
  assert.equal(tm.maxNodes, 500);
  assert.equal(tm.truncated, true);
  assert.equal(tm.nodeCount, 500);
  assert.ok(tm.toString().startsWith("Truncated at max_nodes=500, "));
});

Deno.test("tree text: deep hierarchy renders without recursion limits", () => {
  const depth = 3000;
  const nodes: TreeNode[] = [];
  let p = "";
  for (let i = 0; i < depth; i++) {
    p = p === "" ? "g" : p + "/g";
    nodes.push({ path: p, kind: "group" });
  }
  const text = buildTree("/", nodes, { maxNodes: depth }).toString();
  const lines = text.split("\n");
  assert.equal(lines.length, depth + 2);
  assert.equal(lines[depth], " ".repeat(4 * (depth - 1)) + "└── g");
  const t = buildTree("/", nodes, { maxNodes: depth });
  assert.equal(t.toHTML().split("<details").length - 1, depth); // root + depth-1 non-empty groups
  const wire = JSON.parse(JSON.stringify(t.toJSON())) as TreePayload;
  assert.equal(wire.node_count, depth);
  let node = wire.root;
  for (let i = 0; i < depth; i++) node = node.children[0] as typeof node;
  assert.equal(node.path, nodes[depth - 1].path);
});

Deno.test("tree html: escaping, structure, theme variables (test_tree_html_escaping)", () => {
  const evil = `<b>&"'`;
  const t = buildTree("/", [
    { path: "<img onerror=alert(1) src=x>", kind: "group" },
    { path: evil, kind: "group" },
    { path: `${evil}/arr`, kind: "array", shape: [3, 4], dtype: "int8", chunks: [1, 2] },
  ]);
  const html = t.toHTML();
  assert.ok(html.includes("&lt;img"));
  assert.ok(!html.includes("<img"));
  assert.ok(html.includes(escapeHtml(evil)));
  assert.equal(escapeHtml(evil), "&lt;b&gt;&amp;&quot;&#x27;");
  assert.ok(!html.includes(evil));
  assert.ok(t.toString().includes("<img onerror=alert(1) src=x>"));
  assert.ok(html.startsWith('<div class="zarr-tree">'));
  assert.ok(html.includes("<style>"));
  assert.ok(/var\(--jp-[a-z0-9-]+, [^)]+\)/.test(html));
  assert.ok(html.includes("<details"));
  assert.ok(html.includes("<summary"));
  assert.ok(!html.includes("<script"));
  // arrays: name, shape and dtype
  assert.ok(html.includes('<b class="zarr-tree-name">arr</b>'));
  assert.ok(html.includes('<span class="zarr-tree-shape">(3, 4)</span>'));
  assert.ok(html.includes('<span class="zarr-tree-dtype">int8</span>'));
  // names bold (<b>) unless plain, as zarr-python's html
  assert.ok(buildTree("/", [{ path: "A", kind: "group" }]).toHTML().includes(">A</b>"));
  const plainHtml = buildTree("/", [{ path: "A", kind: "group" }], { plain: true }).toHTML();
  assert.ok(!plainHtml.includes("<b"));
  assert.ok(plainHtml.includes('<span class="zarr-tree-name">A</span>'));
  // balanced tags
  for (const tag of ["details", "summary", "ul", "li", "div"]) {
    const open = html.split(`<${tag}`).length - 1;
    const close = html.split(`</${tag}>`).length - 1;
    assert.equal(open, close, tag);
  }
});

Deno.test("tree html: large trees render collapsed below the root", () => {
  const nodes: TreeNode[] = [];
  for (let i = 0; i < 150; i++) {
    nodes.push({ path: `g${i}`, kind: "group" });
    nodes.push({ path: `g${i}/x`, kind: "array", shape: [1], dtype: "int8" });
  }
  const html = buildTree("/", nodes, { maxNodes: 1000 }).toHTML();
  assert.equal(html.split("<details open>").length - 1, 0);
  assert.equal(html.split('<details class="zarr-tree-group zarr-tree-root" open>').length - 1, 1);
  const small = buildTree("/", nodes.slice(0, 10)).toHTML();
  assert.equal(small.split("<details open>").length - 1, 5);
});

// ---------------------------------------------------------------------------------------------
// A small JSON Schema validator (the keywords tree.schema.json uses; anything else fails loudly)
// ---------------------------------------------------------------------------------------------

type Schema = Record<string, unknown>;
const ANNOTATIONS = new Set(["$schema", "$id", "$defs", "title", "description"]);
const KEYWORDS = new Set([
  "$ref",
  "type",
  "const",
  "enum",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "oneOf",
  "minimum",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function validate(root: Schema, schema: Schema, v: unknown, at = "$"): string[] {
  const errors: string[] = [];
  for (const k of Object.keys(schema)) {
    if (!ANNOTATIONS.has(k) && !KEYWORDS.has(k)) throw new Error(`unsupported keyword ${k}`);
  }
  if (typeof schema.$ref === "string") {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    if (!m) throw new Error(`unsupported $ref ${schema.$ref}`);
    const target = (root.$defs as Record<string, Schema>)[m[1]];
    if (!target) throw new Error(`dangling $ref ${schema.$ref}`);
    errors.push(...validate(root, target, v, at));
  }
  if (schema.type !== undefined) {
    const t = typeOf(v);
    const want = schema.type as string;
    if (!(t === want || (want === "number" && t === "integer"))) {
      errors.push(`${at}: expected ${want}, got ${t}`);
      return errors;
    }
  }
  if ("const" in schema && v !== schema.const) errors.push(`${at}: expected ${schema.const}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(v)) errors.push(`${at}: not in enum`);
  if (typeof schema.minimum === "number" && typeof v === "number" && v < schema.minimum) {
    errors.push(`${at}: below minimum`);
  }
  if (schema.oneOf) {
    const ok = (schema.oneOf as Schema[]).filter((s) => validate(root, s, v, at).length === 0);
    if (ok.length !== 1) errors.push(`${at}: matches ${ok.length} of oneOf`);
  }
  if (typeOf(v) === "object") {
    const obj = v as Record<string, unknown>;
    for (const k of (schema.required as string[] | undefined) ?? []) {
      if (!(k in obj)) errors.push(`${at}: missing ${k}`);
    }
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, val] of Object.entries(obj)) {
      if (props[k]) errors.push(...validate(root, props[k], val, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: extra property ${k}`);
    }
  }
  if (typeOf(v) === "array" && schema.items) {
    (v as unknown[]).forEach((x, i) =>
      errors.push(...validate(root, schema.items as Schema, x, `${at}[${i}]`))
    );
  }
  return errors;
}

const SCHEMA: Schema = JSON.parse(
  await Deno.readTextFile(new URL("../../jupyter-ext/schema/tree.schema.json", import.meta.url)),
);

function assertValid(payload: unknown): void {
  // what crosses the wire: plain JSON (a BigInt would make stringify throw)
  const wire = JSON.parse(JSON.stringify(payload));
  assert.deepEqual(wire, payload);
  const errors = validate(SCHEMA, SCHEMA, wire);
  assert.deepEqual(errors, []);
}

Deno.test("tree json: payloads validate against jupyter-ext/schema/tree.schema.json", () => {
  const trees = [
    buildTree("/", []),
    buildTree("/root", TEST_TREE_NODES),
    buildTree("/", [
      {
        path: "a/b/x",
        kind: "array",
        shape: [10n, 2n ** 40n],
        dtype: "float32",
        chunks: [5n, 7],
        zarrFormat: 2,
        attrs: { u: 1, v: 2 },
      },
      { path: "g", kind: "group", zarrFormat: 3, attrs: {} },
      { path: "", kind: "group", zarrFormat: 3, attrs: { root: true } },
      { path: "s", kind: "array", shape: [], dtype: "string" },
    ]),
    buildTree("/", ["a", "b", "c"].map((p) => ({ path: p, kind: "group" as const })), {
      maxNodes: 2,
    }),
  ];
  for (const t of trees) assertValid(t.toJSON());
});

Deno.test("tree json: payload shape", () => {
  const t = buildTree("/", [
    { path: "a", kind: "group", zarrFormat: 3, attrs: { x: 1 } },
    {
      path: "a/x",
      kind: "array",
      shape: [3n, 4],
      dtype: "int8",
      chunks: [1, 2n],
      zarrFormat: 3,
      attrs: {},
    },
    { path: "b", kind: "array", shape: [2], dtype: "float64" },
  ]);
  const expected: TreePayload = {
    schema_version: 1,
    name: "/",
    truncated: false,
    max_nodes: 500,
    node_count: 3,
    root: {
      name: "/",
      path: "",
      kind: "group",
      children: [
        {
          name: "a",
          path: "a",
          kind: "group",
          children: [{
            name: "x",
            path: "a/x",
            kind: "array",
            shape: [3, 4],
            dtype: "int8",
            chunks: [1, 2],
            zarr_format: 3,
            attributes_count: 0,
          }],
          zarr_format: 3,
          attributes_count: 1,
        },
        { name: "b", path: "b", kind: "array", shape: [2], dtype: "float64" },
      ],
    },
  };
  assert.deepEqual(t.toJSON(), expected);
  assert.deepEqual(JSON.parse(JSON.stringify(t)), expected);
});

Deno.test("tree json: the validator rejects bad payloads", () => {
  const good = buildTree("/", [{ path: "x", kind: "array", shape: [1], dtype: "int8" }]).toJSON();
  const bad: unknown[] = [
    { ...good, extra: 1 },
    { ...good, schema_version: 2 },
    { ...good, truncated: "no" },
    (() => {
      const { root: _root, ...rest } = good;
      return rest;
    })(),
    { ...good, root: { ...good.root, kind: "array" } },
    {
      ...good,
      root: {
        ...good.root,
        children: [{ name: "x", path: "x", kind: "array", shape: [1.5], dtype: "int8" }],
      },
    },
    {
      ...good,
      root: { ...good.root, children: [{ name: "x", path: "x", kind: "array", dtype: "int8" }] },
    },
    {
      ...good,
      root: {
        ...good.root,
        children: [{ name: "g", path: "g", kind: "group", children: [], shape: [] }],
      },
    },
    {
      ...good,
      root: {
        ...good.root,
        children: [{ name: "g", path: "g", kind: "group", children: [], zarr_format: 4 }],
      },
    },
  ];
  for (const b of bad) assert.notDeepEqual(validate(SCHEMA, SCHEMA, b), [], JSON.stringify(b));
});

Deno.test("tree: Jupyter display bundle", () => {
  const t = buildTree("/", [{ path: "b", kind: "array", shape: [2], dtype: "float64" }]);
  const bundle = t[JUPYTER_DISPLAY]();
  // the kernel looks the method up by the registered symbol
  const viaSymbol = (t as unknown as Record<symbol, () => Record<string, unknown>>)[
    Symbol.for("Jupyter.display")
  ]();
  assert.deepEqual(viaSymbol, bundle);
  assert.deepEqual(t.jupyterDisplay(), bundle);
  assert.deepEqual(Object.keys(bundle).sort(), [
    "application/vnd.zarr.tree+json",
    "text/html",
    "text/plain",
  ]);
  assert.equal(TREE_MIME_TYPE, "application/vnd.zarr.tree+json");
  assert.equal(bundle["text/plain"], "/\n└── b (2,) float64\n");
  assert.equal(bundle["text/html"], t.toHTML());
  assert.deepEqual(bundle[TREE_MIME_TYPE], t.toJSON());
  // the kernel serializes the bundle as JSON: no BigInt may survive
  JSON.stringify(bundle);
  assertValid(bundle[TREE_MIME_TYPE]);
});
