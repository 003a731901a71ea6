/**
 * Crash consistency: a writer child process doing setitem / resize / append /
 * consolidateMetadata / copy on a LocalStore is killed with SIGKILL at seeded random moments.
 * After every kill each chunk decodes to one generation's value (the writer writes every chunk
 * uniformly), every metadata document parses, and the array nothing writes to is unchanged.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { describe, Figures, Rng } from "./_helpers.ts";

const SEED = 0xc4a5_0001;
const KILLS = 22;
const CHILD = new URL("./_writer_child.ts", import.meta.url).pathname;
const STATIC = Int32Array.from({ length: 30 * 30 }, (_, i) => i * 3 - 7);

/** Checks that every CHxCH chunk of `a` (2-D) or CH run (1-D) holds a single value. */
function uniformChunks(nd: zarr.NDArray, ch: number): string | undefined {
  const data = nd.data as Int32Array;
  if (nd.shape.length === 1) {
    for (let c = 0; c < data.length; c += ch) {
      for (let i = c; i < Math.min(c + ch, data.length); i++) {
        if (data[i] !== data[c]) return `1-D chunk at ${c} torn (${data[c]} vs ${data[i]})`;
      }
    }
    return undefined;
  }
  const [R, Cn] = nd.shape;
  for (let r0 = 0; r0 < R; r0 += ch) {
    for (let c0 = 0; c0 < Cn; c0 += ch) {
      const v = data[r0 * Cn + c0];
      for (let r = r0; r < Math.min(r0 + ch, R); r++) {
        for (let c = c0; c < Math.min(c0 + ch, Cn); c++) {
          if (data[r * Cn + c] !== v) return `chunk (${r0 / ch},${c0 / ch}) torn`;
        }
      }
    }
  }
  return undefined;
}

async function verify(root: string, fig: Figures, label: string): Promise<void> {
  const store = new zarr.LocalStore(root, { readOnly: true });
  // every metadata document parses
  for await (const k of store.list()) {
    if (/(^|\/)(zarr\.json|\.zarray|\.zgroup|\.zattrs|\.zmetadata)$/.test(k)) {
      try {
        JSON.parse(new TextDecoder().decode((await store.get(k))!));
      } catch (e) {
        fig.dataLost++;
        fig.fail(`${label}: metadata ${k} does not parse: ${describe(e)}`);
      }
    }
  }
  try {
    const main = await zarr.openArray({ store, path: "main", mode: "r" });
    const torn = uniformChunks(await main.getitem(null) as zarr.NDArray, 10);
    if (torn) {
      fig.dataLost++;
      fig.fail(`${label}: main ${torn}`);
    }
    const log = await zarr.openArray({ store, path: "log", mode: "r" });
    const tornLog = uniformChunks(await log.getitem(null) as zarr.NDArray, 10);
    if (tornLog) {
      fig.dataLost++;
      fig.fail(`${label}: log ${tornLog}`);
    }
    const st = await zarr.openArray({ store, path: "static", mode: "r" });
    if (!sameInts((await st.getitem(null) as zarr.NDArray).data as Int32Array, STATIC)) {
      fig.dataLost++;
      fig.fail(`${label}: the static array changed`);
    }
    const g = await zarr.openGroup(store, { mode: "r", useConsolidated: false });
    for (const name of await g.keys()) {
      if (!name.startsWith("copy")) continue;
      const c = await g.getArray(name);
      const d = (await c.getitem(null) as zarr.NDArray).data as Int32Array;
      // a copy is the static array, chunk by chunk: each chunk is the source's or the fill
      for (let i = 0; i < d.length; i++) {
        if (d[i] !== STATIC[i] && d[i] !== 0) {
          fig.dataLost++;
          fig.fail(`${label}: ${name}[${i}] = ${d[i]}`);
          break;
        }
      }
    }
    // consolidated metadata, when present, opens
    await zarr.openGroup(store, { mode: "r" });
    fig.ok++;
  } catch (e) {
    fig.dataLost++;
    fig.fail(`${label}: ${describe(e)}`);
  }
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

Deno.test("crash: SIGKILLed writers leave every chunk and document whole", async () => {
  const fig = new Figures("crash");
  const rng = new Rng(SEED);
  const dir = await Deno.makeTempDir();
  const t0 = performance.now();
  try {
    const store = new zarr.LocalStore(dir);
    const g = await zarr.group({ store, zarrFormat: 3 });
    await g.createArray("main", {
      shape: [40, 40],
      chunks: [10, 10],
      dtype: "int32",
      fillValue: 0,
    });
    await g.createArray("log", { shape: [0], chunks: [10], dtype: "int32", fillValue: 0 });
    const st = await g.createArray("static", {
      shape: [30, 30],
      chunks: [10, 10],
      dtype: "int32",
      fillValue: 0,
    });
    await st.setitem(null, zarr.ndarray(STATIC, [30, 30], "int32"));
    let killedMidWork = 0;
    for (let k = 0; k < KILLS; k++) {
      fig.cases++;
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CHILD, "crash", dir, String(SEED + k), String((k + 1) * 100_000)],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      // wait for "ready" (the child has opened everything), then a seeded delay
      const reader = child.stdout.getReader();
      let text = "";
      while (!text.includes("ready")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await new Promise((r) => setTimeout(r, 5 + rng.int(250)));
      let exitedEarly = false;
      try {
        child.kill("SIGKILL");
      } catch {
        exitedEarly = true;
      }
      reader.releaseLock();
      await child.stdout.cancel();
      const status = await child.status;
      const err = new TextDecoder().decode(
        (await new Response(child.stderr).arrayBuffer()) as ArrayBuffer,
      );
      if (!exitedEarly && status.signal === "SIGKILL") killedMidWork++;
      else {
        fig.crashes++;
        fig.fail(`kill #${k}: writer exited on its own (${status.code}): ${err.slice(0, 400)}`);
      }
      await verify(dir, fig, `after kill #${k}`);
    }
    // leftovers of interrupted writes are temporary files, invisible to listings
    let temps = 0;
    const walk = async (p: string) => {
      for await (const e of Deno.readDir(p)) {
        if (e.isDirectory) await walk(`${p}/${e.name}`);
        else if (e.name.endsWith(".tmp")) temps++;
      }
    };
    await walk(dir);
    for await (const k of store.list()) assert.ok(!k.endsWith(".tmp"), k);
    fig.print(
      `kills=${killedMidWork} tempFilesLeft=${temps} time=${
        ((performance.now() - t0) / 1000).toFixed(1)
      }s`,
    );
    assert.ok(killedMidWork >= 20, `kills ${killedMidWork}`);
    assert.equal(fig.crashes, 0, "crashes");
    assert.equal(fig.dataLost, 0, "data lost");
    assert.deepEqual(fig.failures, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
