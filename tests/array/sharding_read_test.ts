/**
 * The read path's use of sharding partial decoding: a small window of a big shard costs one
 * index request plus one coalesced data request, whole shards cost one plain get, and results
 * equal a full read for every selection kind.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import type { RangeRequest } from "../../src/stores/types.ts";

/** A MemoryStore that logs every get (with its range). */
class CountingStore extends zarr.MemoryStore {
  log: { key: string; range?: RangeRequest }[] = [];
  override get(key: string, range?: RangeRequest): Promise<Uint8Array | undefined> {
    if (!key.endsWith("zarr.json")) this.log.push({ key, range });
    return super.get(key, range);
  }
}

async function sharded(store: CountingStore, over: Record<string, unknown> = {}) {
  const a = await zarr.createArray(store, {
    shape: [512, 512],
    chunks: [32, 32],
    shards: [256, 256],
    dtype: "int32",
    ...over,
  });
  const shape = a.shape;
  const values = new Int32Array(shape[0] * shape[1]).map((_, i) => i);
  await a.setitem(null, zarr.ndarray(values, shape));
  store.log = [];
  return { a, values };
}

Deno.test("sharded window: 1 index request + 1 data request, only the needed bytes", async () => {
  const store = new CountingStore();
  const { a } = await sharded(store);
  const r = await a.getitem("40:60, 70:90");
  assert.deepEqual(r.shape, [20, 20]);
  assert.equal((r.data as Int32Array)[0], 40 * 512 + 70);
  assert.equal((r.data as Int32Array)[399], 59 * 512 + 89);
  // one shard (c/0/0); first the index as a suffix range, then one coalesced range of the 2x2
  // inner chunks the window touches
  assert.equal(store.log.length, 2, JSON.stringify(store.log));
  assert.deepEqual(store.log.map((l) => l.key), ["c/0/0", "c/0/0"]);
  assert.ok(store.log[0].range && "suffix" in store.log[0].range, "index first, as a suffix");
  const data = store.log[1].range as { offset: number; length: number };
  const requests = store.log.length;
  const shardSize = (await store.get("c/0/0"))!.length;
  assert.ok(data.length < shardSize / 4, `read ${data.length} of ${shardSize} bytes`);
  console.log(
    `sharded 20x20 window of a 256x256 shard (32x32 inner chunks): ${requests} requests ` +
      `(index suffix ${JSON.stringify(store.log[0].range)}, data ${JSON.stringify(data)}), ` +
      `shard is ${shardSize} bytes`,
  );
});

Deno.test("sharded: a window across 4 shards costs 2 requests per shard; whole shards 1", async () => {
  const store = new CountingStore();
  const { a, values } = await sharded(store);
  const r = await a.getitem("250:260, 250:262");
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < 12; j++) {
      assert.equal((r.data as Int32Array)[i * 12 + j], values[(250 + i) * 512 + 250 + j]);
    }
  }
  assert.equal(store.log.length, 8);
  assert.deepEqual([...new Set(store.log.map((l) => l.key))].sort(), [
    "c/0/0",
    "c/0/1",
    "c/1/0",
    "c/1/1",
  ]);
  store.log = [];
  await a.getitem("0:256, 256:512");
  assert.deepEqual(store.log, [{ key: "c/0/1", range: undefined }]);
});

Deno.test("sharded: partial reads equal full reads for basic, orthogonal, coordinate, mask, block", async () => {
  const store = new CountingStore();
  const { a, values } = await sharded(store, {
    shape: [300, 200],
    chunks: [16, 16],
    shards: [64, 64],
  });
  void values;
  const full = (await a.getitem(null)).data as Int32Array;
  const at = (i: number, j: number) => full[i * 200 + j];
  const win = await a.getitem("::-7, 13:190:9");
  let k = 0;
  for (let i = 299; i >= 0; i -= 7) {
    for (let j = 13; j < 190; j += 9) assert.equal((win.data as Int32Array)[k++], at(i, j));
  }
  const rows = [5, 299, 64, 63, 5];
  const cols = Int32Array.of(199, 0, 100);
  const o = await a.oindex.get([rows, cols]);
  rows.forEach((i, x) =>
    cols.forEach((j, y) => assert.equal((o.data as Int32Array)[x * 3 + y], at(i, j)))
  );
  const v = await a.vindex.get([[1, 250, 64, 299], [2, 3, 199, 0]]);
  assert.deepEqual([...(v.data as Int32Array)], [at(1, 2), at(250, 3), at(64, 199), at(299, 0)]);
  const b = await a.blocks.get([1, 2]);
  assert.deepEqual(b.shape, [64, 64]);
  assert.equal((b.data as Int32Array)[0], at(64, 128));
  // missing shard reads as fill; a corrupt shard index raises CodecError naming the key
  await a.setitem("256:300, 192:200", 0);
  assert.equal(await store.get("c/4/3"), undefined);
  assert.deepEqual([...((await a.getitem("260:262, 195:197")).data as Int32Array)], [0, 0, 0, 0]);
  const bytes = (await store.get("c/0/0"))!.slice();
  bytes[bytes.length - 1] ^= 0xff;
  await store.set("c/0/0", bytes);
  await assert.rejects(a.getitem("1:3, 1:3"), (e: Error) => {
    assert.ok(e instanceof zarr.CodecError, String(e));
    assert.match(e.message, /c\/0\/0/);
    return true;
  });
});

Deno.test("sharded: read_missing_chunks=false reports a missing shard on a partial read", async () => {
  const store = new CountingStore();
  const { a } = await sharded(store);
  await store.delete("c/1/1");
  const strict = a.withConfig({ readMissingChunks: false });
  await assert.rejects(strict.getitem("300:310, 300:310"), zarr.ChunkNotFoundError);
});
