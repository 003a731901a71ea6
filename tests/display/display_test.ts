import assert, { deepStrictEqual as assertEquals } from "node:assert";
import * as zarr from "../../mod.ts";
import { buildTree, TREE_MIME_TYPE } from "../../src/group/tree.ts";
import { arrayDisplay, arrayHtml, arrayPreview, safeJson } from "../../src/display/array_html.ts";
import {
  encodePng,
  MAX_HEATMAP_SIDE,
  MAX_LINE_POINTS,
  pngHeatmap,
  svgLinePlot,
} from "../../src/display/preview.ts";
import { validate } from "./json_schema.ts";
import { htmlProblems } from "./html_check.ts";

const schema = JSON.parse(
  await Deno.readTextFile(new URL("../../jupyter-ext/schema/tree.schema.json", import.meta.url)),
);
const display = Symbol.for("Jupyter.display");
type Displayable = { [k: symbol]: () => unknown };

function hasBigInt(v: unknown): boolean {
  if (typeof v === "bigint") return true;
  if (v && typeof v === "object") return Object.values(v).some(hasBigInt);
  return false;
}

async function sampleGroup() {
  const g = await zarr.group({ attributes: { title: "demo" } });
  const a = await g.createGroup('a<b>&"c');
  await a.createArray("x", { shape: [3, 4], dtype: "int8", chunks: [2, 2] });
  await g.createArray("y", { shape: [10n as unknown as number], dtype: "float64" });
  const deep = await g.createGroup("deep/er/est");
  await deep.createArray("z", { shape: [2], dtype: "uint16" });
  return g;
}

Deno.test("display: validator rejects bad payloads", () => {
  assert(validate(schema, { schema_version: 1 }).length > 0);
  const good = buildTree("/", []).toJSON();
  assertEquals(validate(schema, good), []);
  assert(validate(schema, { ...good, schema_version: 2 }).length > 0);
  assert(validate(schema, { ...good, extra: 1 }).length > 0);
  const badArr = { ...good, root: { ...good.root, children: [{ kind: "array", name: "x" }] } };
  assert(validate(schema, badArr).length > 0);
});

Deno.test("display: group bundle has the three mime types and a schema-valid payload", async () => {
  const g = await sampleGroup();
  const bundle = await (g as unknown as Displayable)[display]() as Record<string, unknown>;
  assertEquals(Object.keys(bundle).sort(), [TREE_MIME_TYPE, "text/html", "text/plain"].sort());
  const payload = bundle[TREE_MIME_TYPE];
  assertEquals(validate(schema, payload), []);
  assert(!hasBigInt(payload));
  // survives a JSON round trip unchanged (what the kernel sends)
  assertEquals(JSON.parse(JSON.stringify(payload)), payload);
  const html = bundle["text/html"] as string;
  assertEquals(htmlProblems(html), []);
  assert(html.includes("a&lt;b&gt;&amp;&quot;c"));
  assert(!html.includes('a<b>&"c'));
  assert(html.includes("--jp-"));
  assert(html.includes("<details"));
  assert((bundle["text/plain"] as string).startsWith("/\n"));
});

Deno.test("display: TreeRepr payloads validate, including truncated and implicit groups", async () => {
  const g = await sampleGroup();
  for (const maxNodes of [0, 1, 3, 500]) {
    const t = await zarr.tree(g, { maxNodes });
    const bundle = (t as unknown as Displayable)[display]() as Record<string, unknown>;
    assertEquals(validate(schema, bundle[TREE_MIME_TYPE]), [], `maxNodes=${maxNodes}`);
    assertEquals(htmlProblems(bundle["text/html"] as string), []);
  }
  const t = buildTree("/", [{ path: "p/q/r", kind: "array", shape: [2n], dtype: "int8" }]);
  const p = t.toJSON();
  assertEquals(validate(schema, p), []);
  assertEquals(p.root.children[0].kind, "group");
});

Deno.test("display: array bundle is an escaped info table with a bounded preview", async () => {
  const g = await zarr.group();
  const a = await g.createArray("v<&>", {
    shape: [5000],
    dtype: "float32",
    chunks: [1000],
    attributes: { "unit<>": "m&s", big: 2 ** 60, nested: { k: [1, 2] } },
  });
  await a.setitem(null, Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i / 100)));
  const bundle = await (a as unknown as Displayable)[display]() as Record<string, string>;
  assertEquals(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  const html = bundle["text/html"];
  assertEquals(htmlProblems(html), []);
  for (const s of ["Shape", "Data type", "Chunks", "Compressors", "Fill value", "Stored size"]) {
    assert(html.includes(s), s);
  }
  assert(html.includes("v&lt;&amp;&gt;") && html.includes("unit&lt;&gt;"));
  assert(html.includes("<svg"));
  const points = html.match(/<path d="([^"]*)"/)![1].split(/[ML]/).filter(Boolean).length;
  assert(points <= MAX_LINE_POINTS && points > 100, `points ${points}`);
  assert(html.length < 40_000, `html ${html.length}`);
  assert(bundle["text/plain"].includes("Type               : Array"));
});

Deno.test("display: 2-D arrays get a bounded PNG heatmap; others no preview", async () => {
  const a = await zarr.zeros([1000, 700], { dtype: "int32", chunks: [250, 350] });
  const pv = await arrayPreview(a);
  assert(pv.includes("data:image/png;base64,"));
  const b64 = pv.match(/base64,([^"]+)"/)![1];
  const png = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const dv = new DataView(png.buffer);
  assert(dv.getUint32(16) <= MAX_HEATMAP_SIDE && dv.getUint32(20) <= MAX_HEATMAP_SIDE);
  assertEquals(htmlProblems(pv), []);
  const s = await zarr.zeros([4], { dtype: "string" as never }).catch(() => null);
  if (s) assertEquals(await arrayPreview(s), "");
  const c = await zarr.zeros([2, 2, 2], { dtype: "float64" });
  assertEquals(await arrayPreview(c), "");
  const html = (await arrayDisplay(c, { storedSize: false }))["text/html"];
  assert(!html.includes("Stored size") && html.includes("(2, 2, 2)"));
  assertEquals(htmlProblems(arrayHtml(c)), []);
});

Deno.test("display: preview helpers", () => {
  const png = encodePng(2, 1, new Uint8Array([0, 0, 0, 255, 255, 255]));
  assertEquals([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const svg = svgLinePlot([NaN, 1, Infinity, 2, 3]);
  assertEquals(htmlProblems(svg), []);
  assert(svgLinePlot(new Float64Array(100_000)).length < 20_000);
  assert(pngHeatmap(new Float64Array(1_000_000), 1000, 1000).length < 60_000);
  assertEquals(safeJson({ a: 1n }), '{"a":1}');
  assert(safeJson("x".repeat(1000)).length <= 200);
});

Deno.test("display: tree payload counts the attributes of the root and of every member", async () => {
  const g = await zarr.group({ attributes: { title: "t", n: 1 } });
  const a = await g.createGroup("a", { attributes: { units: "m" } });
  await a.createArray("x", { shape: [2], dtype: "int8", attributes: { k: 1, l: 2, m: 3 } });
  await g.createGroup("b");
  const p = (await g.tree()).toJSON() as unknown as {
    root: { attributes_count?: number; children: Record<string, unknown>[] };
  };
  assertEquals(p.root.attributes_count, 2);
  const byName = Object.fromEntries(p.root.children.map((c) => [c.name, c]));
  assertEquals(byName.a.attributes_count, 1);
  assertEquals(byName.b.attributes_count, 0);
  const x = (byName.a.children as Record<string, unknown>[])[0];
  assertEquals([x.name, x.attributes_count], ["x", 3]);
});
