import assert, { deepStrictEqual as assertEquals } from "node:assert";
import * as zarr from "../../mod.ts";
import { barHtml, barText, progressReporter } from "../../src/display/progress.ts";

type Ev = { done: number; total: number };

function monotone(evs: Ev[]): void {
  assert(evs.length >= 2);
  for (let i = 1; i < evs.length; i++) assert(evs[i].done >= evs[i - 1].done);
  const last = evs[evs.length - 1];
  assertEquals(last.done, last.total);
}

async function source() {
  const g = await zarr.group();
  const a = await g.createGroup("a");
  await a.createArray("x", { shape: [4], dtype: "int8" });
  await g.createArray("y", { shape: [2], dtype: "float64" });
  await g.createGroup("b/c");
  return g;
}

Deno.test("progress: copyStore reports each key", async () => {
  const src = new Map<string, Uint8Array>();
  const g = await zarr.group({ store: src });
  await g.createArray("x", { shape: [4], dtype: "int8", chunks: [2] });
  const evs: Ev[] = [];
  await zarr.copyStore(src, new Map(), { progress: (e) => evs.push(e) });
  monotone(evs);
  assertEquals(evs[0], { done: 0, total: src.size });
  assertEquals(evs[evs.length - 1].total, src.size);
});

Deno.test("progress: copy and copyAll count nodes", async () => {
  const g = await source();
  const evs: Ev[] = [];
  await zarr.copy(g, await zarr.group(), { name: "g", progress: (e) => evs.push(e) });
  monotone(evs);
  assertEquals(evs[0].total, 6); // g, a, a/x, y, b, b/c
  const evs2: Ev[] = [];
  await zarr.copyAll(g, await zarr.group(), { progress: (e) => evs2.push(e) });
  monotone(evs2);
  assertEquals(evs2[0].total, 5);
  const evs3: Ev[] = [];
  await zarr.copyAll(g, await zarr.group(), { shallow: true, progress: (e) => evs3.push(e) });
  monotone(evs3);
});

Deno.test("progress: save, saveGroup and consolidateMetadata", async () => {
  const evs: Ev[] = [];
  await zarr.saveGroup(new Map(), new Float64Array([1]), {
    b: new Int8Array([1, 2]),
    progress: (e: Ev) => evs.push(e),
  });
  monotone(evs);
  assertEquals(evs[evs.length - 1], { done: 2, total: 2 });
  const evs2: Ev[] = [];
  await zarr.saveArray(new Map(), new Int8Array([1]), { progress: (e) => evs2.push(e) });
  assertEquals(evs2, [{ done: 0, total: 1 }, { done: 1, total: 1 }]);
  const store = new Map<string, Uint8Array>();
  const g = await zarr.group({ store });
  await g.createGroup("a");
  const evs3: Ev[] = [];
  await zarr.consolidateMetadata(store, { progress: (e) => evs3.push(e) });
  monotone(evs3);
});

Deno.test("progress: bars and the automatic reporter outside a kernel", () => {
  assertEquals(barText("x", 5, 10, 10), "x [#####.....] 5/10 50%");
  assertEquals(barText("x", 0, 0, 4), "x [####] 0/0 100%");
  assert(barHtml("<a>", 1, 3).includes("&lt;a&gt;") && barHtml("a", 1, 3).includes('max="3"'));
  // true outside a kernel and without a TTY on stderr: a reporter that does not throw
  const p = progressReporter(true, "t");
  p.start(2);
  p.tick();
  p.finish();
  p.finish();
  const none = progressReporter(undefined);
  none.start(1);
  none.finish();
});

Deno.test("progress: getitem and setitem report chunks done out of the chunks touched", async () => {
  const a = await zarr.zeros([10, 10], { chunks: [3, 3], dtype: "int16" });
  const w: Ev[] = [];
  await a.setitem("0:7, 2:9", 5, { progress: (e) => w.push(e) });
  monotone(w);
  assertEquals(w[0], { done: 0, total: 9 }); // rows 0..6 touch 3 chunk rows, cols 2..8 touch 3
  assertEquals(w.length, 10); // start and 9 chunks (finish repeats the last, so is left out)
  const r: Ev[] = [];
  const got = await a.getitem(null, { progress: (e) => r.push(e) });
  monotone(r);
  assertEquals(r[0], { done: 0, total: 16 });
  assertEquals((got.data as Int16Array).reduce((s, v) => s + v, 0), 5 * 7 * 7);
  const o: Ev[] = [];
  await a.oindex.set([[0, 9], null], 1, { progress: (e) => o.push(e) });
  assertEquals(o[o.length - 1], { done: 8, total: 8 });
  const v: Ev[] = [];
  await a.vindex.get([[0, 9], [0, 9]], { progress: (e) => v.push(e) });
  assertEquals(v[v.length - 1], { done: 2, total: 2 });
});
