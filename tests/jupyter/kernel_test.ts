/**
 * The Deno Jupyter kernel, driven by Debian's jupyter_client (python3-jupyter-client): cells
 * import mod.ts, build a hierarchy and end in `await zarr.tree(g)`, `g`, an array and a copy
 * with a progress bar; we assert the mime types and content of their outputs. The kernel is
 * installed into a temporary JUPYTER_PATH (kernel.json pointing at this Deno). Missing packages
 * fail the test under CI=true and skip it (with a printed reason) otherwise.
 */
import assert, { deepStrictEqual as assertEquals } from "node:assert";
import { validate } from "../display/json_schema.ts";

const ROOT = new URL("../../", import.meta.url);
const MOD = new URL("mod.ts", ROOT).href;
const CI = Deno.env.get("CI") === "true";

async function hasJupyterClient(): Promise<string | null> {
  try {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", "import jupyter_client, zmq"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success ? null : "python3-jupyter-client (and python3-zmq) not installed";
  } catch {
    return "/usr/bin/python3 not found";
  }
}

type Output = { msg_type: string; content: Record<string, unknown> };
type Cell = { status: string; outputs: Output[] };

const missing = await hasJupyterClient();
if (missing && !CI) console.log(`skipping kernel test: ${missing}`);

Deno.test({
  name: "jupyter: the Deno kernel displays trees, groups, arrays and progress",
  ignore: missing !== null && !CI,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    if (missing) throw new Error(`kernel test needs ${missing} (CI=true)`);
    const tmp = await Deno.makeTempDir({ prefix: "zarr-kernel-" });
    try {
      await Deno.mkdir(`${tmp}/kernels/deno`, { recursive: true });
      await Deno.writeTextFile(
        `${tmp}/kernels/deno/kernel.json`,
        JSON.stringify({
          argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
          display_name: "Deno (zarr test)",
          language: "typescript",
        }),
      );
      const cells = [
        `import * as zarr from "${MOD}";
const g = await zarr.group({ attributes: { title: "demo" } });
const a = await g.createGroup("a");
const x = await a.createArray("x", { shape: [20], dtype: "float64", chunks: [5] });
await x.setitem(null, Float64Array.from({ length: 20 }, (_, i) => i * i));
await g.createArray("m", { shape: [8, 8], dtype: "int32" });
"ready"`,
        `await zarr.tree(g)`,
        `g`,
        `x`,
        `await zarr.copyAll(g, await zarr.group(), { progress: true })`,
      ];
      await Deno.writeTextFile(`${tmp}/cells.json`, JSON.stringify(cells));
      const out = await new Deno.Command("/usr/bin/python3", {
        args: [
          new URL("kernel_driver.py", import.meta.url).pathname,
          "deno",
          new URL(ROOT).pathname,
          `${tmp}/cells.json`,
        ],
        env: {
          JUPYTER_PATH: tmp,
          JUPYTER_DATA_DIR: `${tmp}/data`,
          JUPYTER_RUNTIME_DIR: `${tmp}/runtime`,
          JUPYTER_CONFIG_DIR: `${tmp}/config`,
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(out.stderr);
      assert(out.success, `driver failed: ${err}`);
      const results: Cell[] = JSON.parse(new TextDecoder().decode(out.stdout));
      assertEquals(results.length, cells.length);
      results.forEach((r, i) => {
        const bad = r.outputs.filter((o) =>
          o.msg_type === "error" || o.msg_type === "driver_timeout"
        );
        assertEquals(bad, [], `cell ${i}`);
        assertEquals(r.status, "ok", `cell ${i}: ${JSON.stringify(r.outputs)}`);
      });
      const result = (i: number) => {
        const o = results[i].outputs.find((o) => o.msg_type === "execute_result");
        assert(o, `cell ${i} has no execute_result: ${JSON.stringify(results[i].outputs)}`);
        return o.content.data as Record<string, unknown>;
      };
      const schema = JSON.parse(
        await Deno.readTextFile(new URL("jupyter-ext/schema/tree.schema.json", ROOT)),
      );
      for (const i of [1, 2]) {
        const data = result(i);
        for (const k of ["text/plain", "text/html", "application/vnd.zarr.tree+json"]) {
          assert(k in data, `cell ${i} lacks ${k}: ${Object.keys(data)}`);
        }
        const payload = data["application/vnd.zarr.tree+json"] as Record<string, unknown>;
        assertEquals(validate(schema, payload), []);
        assertEquals(payload.node_count, 3);
        assert(
          String(data["text/plain"]).includes("└── m (8, 8) int32"),
          String(data["text/plain"]),
        );
        assert(String(data["text/html"]).includes('class="zarr-tree"'));
      }
      const arr = result(3);
      assert(
        String(arr["text/html"]).includes("<table") && String(arr["text/html"]).includes("<svg"),
      );
      assert(String(arr["text/plain"]).includes("Type               : Array"));
      const disp = results[4].outputs.filter((o) => o.msg_type.endsWith("display_data"));
      assert(disp.length >= 2, `progress outputs: ${JSON.stringify(results[4].outputs)}`);
      const ids = disp.map((o) => (o.content.transient as { display_id?: string })?.display_id);
      assert(ids[0] && ids.every((x) => x === ids[0]), `display ids ${ids}`);
      assert(disp.some((o) => o.msg_type === "update_display_data"));
      const lastBar = disp[disp.length - 1].content.data as Record<string, string>;
      assert(lastBar["text/plain"].includes("3/3 100%"), lastBar["text/plain"]);
      console.log(
        `kernel cells: ${results.length}, outputs: ${
          results.map((r) => r.outputs.map((o) => o.msg_type).join("+")).join(" | ")
        }`,
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
