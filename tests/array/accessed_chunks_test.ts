/**
 * Only the chunks a selection touches are read or written, each exactly once (zarr-python's
 * `test_accessed_chunks`, extended to orthogonal, coordinate, mask and block selections): a
 * store wrapper counts `get`/`set`/`delete` per chunk key. Partial chunks cost one read and one
 * write; complete chunks (including ones completed by index lists or points) are written
 * without a read.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import type { AsyncArray } from "../../mod.ts";

/** A MemoryStore counting get/set/delete per chunk key (metadata keys ignored). */
class CountingStore extends zarr.MemoryStore {
  gets = new Map<string, number>();
  sets = new Map<string, number>();
  deletes = new Map<string, number>();
  static #isMeta(key: string): boolean {
    return key.endsWith("zarr.json") || key.split("/").pop()!.startsWith(".z");
  }
  #bump(m: Map<string, number>, key: string) {
    if (!CountingStore.#isMeta(key)) m.set(key, (m.get(key) ?? 0) + 1);
  }
  override get(key: string, range?: Parameters<zarr.Store["get"]>[1]) {
    this.#bump(this.gets, key);
    return super.get(key, range);
  }
  override set(key: string, value: Uint8Array) {
    this.#bump(this.sets, key);
    return super.set(key, value);
  }
  override delete(key: string) {
    this.#bump(this.deletes, key);
    return super.delete(key);
  }
  reset() {
    this.gets.clear();
    this.sets.clear();
    this.deletes.clear();
  }
  /** `{ key: count }` of a counter, keys sorted. */
  counts(which: "gets" | "sets" | "deletes"): Record<string, number> {
    return Object.fromEntries([...this[which].entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

async function setup(): Promise<[CountingStore, AsyncArray]> {
  const store = new CountingStore();
  // 20 x 20 in 5 x 5 chunks: keys "c/i/j" with i, j in 0..3
  const z = await zarr.createArray(store, {
    shape: [20, 20],
    chunks: [5, 5],
    dtype: "int32",
    fillValue: 0,
  });
  await z.setitem(null, 1); // every chunk stored
  store.reset();
  return [store, z];
}

const once = (...keys: string[]) => Object.fromEntries(keys.sort().map((k) => [k, 1]));

Deno.test("accessed chunks: orthogonal get/set", async () => {
  const [store, z] = await setup();
  // rows 19, 2, 2, 7 -> row chunks 0, 1, 3; columns 11 and 0 -> column chunks 0, 2
  await z.oindex.get([[19, 2, 2, 7], [11, 0]]);
  const touched = once("c/0/0", "c/0/2", "c/1/0", "c/1/2", "c/3/0", "c/3/2");
  assert.deepEqual(store.counts("gets"), touched);
  assert.deepEqual(store.counts("sets"), {});
  store.reset();
  await z.oindex.set([[19, 2, 2, 7], [11, 0]], 3);
  assert.deepEqual(store.counts("sets"), touched); // each written once
  assert.deepEqual(store.counts("gets"), touched); // partial: read once each
  // a list covering whole chunks (any order, with repeats) needs no read
  store.reset();
  await z.oindex.set([[4, 3, 2, 1, 0, 0], [9, 8, 7, 6, 5]], 4);
  assert.deepEqual(store.counts("sets"), once("c/0/1"));
  assert.deepEqual(store.counts("gets"), {});
});

Deno.test("accessed chunks: coordinate (vindex) get/set", async () => {
  const [store, z] = await setup();
  const pts = [[0, 19, 4, 0, 12], [0, 19, 4, 1, 6]]; // chunks 0/0 (three points), 3/3, 2/1
  await z.vindex.get(pts);
  assert.deepEqual(store.counts("gets"), once("c/0/0", "c/2/1", "c/3/3"));
  store.reset();
  await z.vindex.set(pts, [1, 2, 3, 4, 5]);
  assert.deepEqual(store.counts("sets"), once("c/0/0", "c/2/1", "c/3/3"));
  assert.deepEqual(store.counts("gets"), once("c/0/0", "c/2/1", "c/3/3"));
  // points covering a whole chunk: no read
  store.reset();
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) rows.push(15 + i), cols.push(j);
  await z.vindex.set([rows, cols], 9);
  assert.deepEqual(store.counts("sets"), once("c/3/0"));
  assert.deepEqual(store.counts("gets"), {});
});

Deno.test("accessed chunks: mask get/set", async () => {
  const [store, z] = await setup();
  const mask = Array.from({ length: 20 }, (_, i) => Array.from({ length: 20 }, (_, j) => i === j));
  await z.getMaskSelection(mask); // the diagonal: chunks (k, k)
  assert.deepEqual(store.counts("gets"), once("c/0/0", "c/1/1", "c/2/2", "c/3/3"));
  store.reset();
  await z.vindex.set(mask, 0);
  assert.deepEqual(store.counts("sets"), once("c/0/0", "c/1/1", "c/2/2", "c/3/3"));
  assert.deepEqual(store.counts("gets"), once("c/0/0", "c/1/1", "c/2/2", "c/3/3"));
  // an all-true mask: every chunk complete, written once, never read
  store.reset();
  const all = Array.from({ length: 20 }, () => new Array(20).fill(true));
  await z.setMaskSelection(all, 2);
  assert.equal(Object.keys(store.counts("sets")).length, 16);
  assert.ok(Object.values(store.counts("sets")).every((n) => n === 1));
  assert.deepEqual(store.counts("gets"), {});
});

Deno.test("accessed chunks: block get/set and getitem fallbacks", async () => {
  const [store, z] = await setup();
  await z.blocks.get([zarr.slice(1, 3), -1]);
  assert.deepEqual(store.counts("gets"), once("c/1/3", "c/2/3"));
  store.reset();
  await z.blocks.set([zarr.slice(1, 3), -1], 6); // whole chunks: no read
  assert.deepEqual(store.counts("sets"), once("c/1/3", "c/2/3"));
  assert.deepEqual(store.counts("gets"), {});
  store.reset();
  await z.getitem([[1, 18], "3:7"]); // orthogonal fallback
  assert.deepEqual(store.counts("gets"), once("c/0/0", "c/0/1", "c/3/0", "c/3/1"));
  store.reset();
  await z.getitem([[1, 18], [3, 7]]); // coordinate fallback
  assert.deepEqual(store.counts("gets"), once("c/0/0", "c/3/1"));
});

Deno.test("accessed chunks: missing chunks read once and fill; empty chunks deleted", async () => {
  const store = new CountingStore();
  const z = await zarr.createArray(store, {
    shape: [10],
    chunks: [2],
    dtype: "float64",
    fillValue: -1,
  });
  store.reset();
  const got = await z.oindex.get([[9, 0, 9]]);
  assert.deepEqual(Array.from(got.data as Float64Array), [-1, -1, -1]);
  assert.deepEqual(store.counts("gets"), once("c/0", "c/4"));
  store.reset();
  await z.vindex.set([[1, 8]], -1); // fill value into missing chunks: nothing stored
  assert.deepEqual(store.counts("sets"), {});
  assert.deepEqual(store.counts("deletes"), once("c/0", "c/4"));
  store.reset();
  await z.vindex.set([[1, 8]], 5);
  assert.deepEqual(store.counts("sets"), once("c/0", "c/4"));
  assert.equal(await z.nchunksInitialized(), 2);
});
