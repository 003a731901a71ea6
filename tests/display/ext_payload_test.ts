// The JupyterLab extension's payload check (jupyter-ext/src/payload.ts, the consumer side)
// accepts what the library produces and what the schema allows, and rejects other versions.
import assert, { deepStrictEqual as assertEquals } from "node:assert";
import * as zarr from "../../mod.ts";
import { payloadProblem, shapeText } from "../../jupyter-ext/src/payload.ts";
import { validate } from "./json_schema.ts";

const schema = JSON.parse(
  await Deno.readTextFile(new URL("../../jupyter-ext/schema/tree.schema.json", import.meta.url)),
);

Deno.test("jupyter-ext: payload check agrees with the schema on library payloads", async () => {
  const g = await zarr.group();
  await g.createArray("a/b/x", { shape: [3, 4], dtype: "int8", chunks: [2, 2] });
  await g.createGroup("c");
  for (const maxNodes of [0, 2, 500]) {
    const p = JSON.parse(JSON.stringify((await zarr.tree(g, { maxNodes })).toJSON()));
    assertEquals(validate(schema, p), []);
    assertEquals(payloadProblem(p), null);
  }
  const p = JSON.parse(JSON.stringify((await zarr.tree(g)).toJSON()));
  assert(payloadProblem({ ...p, schema_version: 2 })?.includes("schema_version"));
  assert(payloadProblem({ ...p, root: { ...p.root, children: [{ kind: "x" }] } }) !== null);
  assertEquals([shapeText([3]), shapeText([2, 4]), shapeText([])], ["(3,)", "(2, 4)", "()"]);
});
