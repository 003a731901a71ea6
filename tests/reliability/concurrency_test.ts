/**
 * Concurrency: 1000 concurrent random setitems in one process equal the sequential reference
 * (writes to one chunk are serialized per chunk key in issue order, so the last issued write
 * wins); several processes writing disjoint chunk-aligned regions lose nothing; a reader
 * during writes sees whole chunks only.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { Figures, Rng } from "./_helpers.ts";

const SEED = 0xc0c0_0042;
const CHILD = new URL("./_writer_child.ts", import.meta.url).pathname;

Deno.test("concurrency: 1000 concurrent setitems equal the sequential reference", async () => {
  const fig = new Figures("concurrency/in-process");
  const rng = new Rng(SEED);
  const [R, C] = [50, 50];
  const a = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [R, C],
    chunks: [7, 9],
    dtype: "int32",
    fillValue: 0,
  });
  const ref = new Int32Array(R * C);
  const writes: Promise<void>[] = [];
  for (let i = 1; i <= 1000; i++) {
    const r0 = rng.int(R);
    const c0 = rng.int(C);
    const r1 = r0 + 1 + rng.int(Math.min(12, R - r0));
    const c1 = c0 + 1 + rng.int(Math.min(12, C - c0));
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) ref[r * C + c] = i;
    writes.push(a.setitem([zarr.slice(r0, r1), zarr.slice(c0, c1)], i));
    fig.cases++;
  }
  await Promise.all(writes);
  const out = (await a.getitem(null) as zarr.NDArray).data as Int32Array;
  for (let i = 0; i < ref.length; i++) {
    if (out[i] !== ref[i]) {
      fig.dataLost++;
      fig.fail(`[${Math.floor(i / C)},${i % C}] = ${out[i]}, sequential reference ${ref[i]}`);
    }
  }
  fig.ok = fig.cases - (fig.dataLost > 0 ? 1 : 0);
  fig.print();
  assert.equal(fig.dataLost, 0);
});

Deno.test("concurrency: processes writing disjoint regions lose nothing; readers see whole chunks", async () => {
  const fig = new Figures("concurrency/processes");
  const dir = await Deno.makeTempDir();
  try {
    const WRITERS = 4;
    const ROUNDS = 15;
    const a = await zarr.createArray(new zarr.LocalStore(dir), {
      name: "main",
      shape: [WRITERS * 10, 40],
      chunks: [10, 10],
      dtype: "int32",
      fillValue: 0,
    });
    const children = Array.from({ length: WRITERS }, (_, w) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          CHILD,
          "rows",
          dir,
          String(w * 10),
          "10",
          String((w + 1) * 1000),
          String(ROUNDS),
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn());
    let running = true;
    const done = Promise.all(children.map((c) => c.output())).finally(() => (running = false));
    // read while the writers run: every chunk is one write's value, never a mix
    let reads = 0;
    while (running) {
      const d = (await a.getitem(null) as zarr.NDArray).data as Int32Array;
      reads++;
      fig.cases++;
      for (let r0 = 0; r0 < WRITERS * 10; r0 += 10) {
        for (let c0 = 0; c0 < 40; c0 += 10) {
          const v = d[r0 * 40 + c0];
          for (let r = r0; r < r0 + 10; r++) {
            for (let c = c0; c < c0 + 10; c++) {
              if (d[r * 40 + c] !== v) {
                fig.dataLost++;
                fig.fail(`read #${reads}: chunk (${r0 / 10},${c0 / 10}) torn`);
              }
            }
          }
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const outs = await done;
    for (const [w, o] of outs.entries()) {
      fig.cases++;
      if (!o.success) {
        fig.crashes++;
        fig.fail(`writer ${w} failed: ${new TextDecoder().decode(o.stderr).slice(0, 400)}`);
      }
    }
    // nothing lost: every writer's rows hold its last round
    const d = (await a.getitem(null) as zarr.NDArray).data as Int32Array;
    for (let w = 0; w < WRITERS; w++) {
      const want = (w + 1) * 1000 + ROUNDS - 1;
      for (let i = w * 10 * 40; i < (w + 1) * 10 * 40; i++) {
        if (d[i] !== want) {
          fig.dataLost++;
          fig.fail(`writer ${w}: element ${i} = ${d[i]}, want ${want}`);
          break;
        }
      }
    }
    fig.ok = fig.cases - fig.failures.length;
    fig.print(`concurrentReads=${reads}`);
    assert.equal(fig.crashes, 0);
    assert.equal(fig.dataLost, 0);
    assert.deepEqual(fig.failures, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
