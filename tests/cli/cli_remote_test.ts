/**
 * The CLI over HTTP: `info`, `get`, `tree` (from consolidated metadata) and `cp` with an HTTP
 * source served by a local `Deno.serve` server with Range support.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { startHttpServer } from "../stores/servers/http_server.ts";
import { withTempDir, zarrCli } from "./helpers.ts";

Deno.test("cli over HTTP: info, get, tree and cp from an http:// source", async () => {
  const mem = new zarr.MemoryStore();
  const root = await zarr.group({ store: mem, zarrFormat: 3 });
  const a = await root.createArray("temp", { shape: [6, 4], chunks: [3, 2], dtype: "int16" });
  await a.setitem(null, zarr.ndarray(Int16Array.from({ length: 24 }, (_, i) => i - 5), [6, 4]));
  await root.createGroup("sub", { attributes: { k: 1 } });
  await zarr.consolidateMetadata(mem);
  const server = startHttpServer(new Map([...mem.map].map(([k, v]) => [`d.zarr/${k}`, v])));
  try {
    const url = `${server.origin}/d.zarr`;
    const [info, get, tree] = await Promise.all([
      zarrCli(["info", `${url}/temp`]),
      zarrCli(["get", `${url}/temp`, "1, ::2", "--json"]),
      zarrCli(["tree", url]),
    ]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /Shape\s+: \(6, 4\)/);
    assert.equal(get.code, 0, get.stderr);
    assert.deepEqual(JSON.parse(get.stdout), [-1, 1]);
    assert.equal(tree.code, 0, tree.stderr);
    assert.match(tree.stdout, /temp \(6, 4\) int16/);
    assert.match(tree.stdout, /sub/);
    await withTempDir(async (dir) => {
      const cp = await zarrCli(["cp", `${url}/temp`, `${dir}/copy.zarr`, "--format", "2"]);
      assert.equal(cp.code, 0, cp.stderr);
      const back = await zarr.openArray({ store: `${dir}/copy.zarr`, mode: "r" });
      assert.equal(back.zarrFormat, 2);
      assert.deepEqual([...((await back.getitem(null)).data as Int16Array)].slice(0, 3), [
        -5,
        -4,
        -3,
      ]);
    });
    const missing = await zarrCli(["info", `${url}/nope`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope/);
  } finally {
    await server.close();
  }
});
