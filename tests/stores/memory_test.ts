import assert from "node:assert/strict";
import { ReadOnlyError, ZarrTypeError } from "../../src/errors.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { storeContract } from "./contract.ts";

storeContract({
  name: "MemoryStore",
  typeName: "MemoryStore",
  make: () => Promise.resolve({ store: new MemoryStore() }),
});

storeContract({
  name: "MemoryStore(caller's Map)",
  typeName: "MemoryStore",
  make: () => Promise.resolve({ store: new MemoryStore(new Map()) }),
});

const enc = new TextEncoder();

Deno.test("MemoryStore uses the caller's Map in place, both ways", async () => {
  const map = new Map<string, Uint8Array>([["pre", enc.encode("existing")]]);
  const store = new MemoryStore(map);
  assert.equal(store.map, map);
  assert.deepEqual(await store.get("pre"), enc.encode("existing"));
  await store.set("a/b", new Uint8Array([1]));
  assert.deepEqual(map.get("a/b"), new Uint8Array([1]));
  map.set("direct", new Uint8Array([2]));
  assert.equal(await store.exists("direct"), true);
  await store.delete("pre");
  assert.equal(map.has("pre"), false);
  await store.deleteDir("");
  assert.equal(map.size, 0);
});

Deno.test("MemoryStore read-only views share the map", async () => {
  const map = new Map<string, Uint8Array>();
  const ro = new MemoryStore(map, { readOnly: true });
  assert.equal(ro.readOnly, true);
  await assert.rejects(ro.set("k", new Uint8Array(1)), ReadOnlyError);
  assert.equal(map.size, 0);
  const rw = ro.withReadOnly(false);
  await rw.set("k", new Uint8Array([7]));
  assert.deepEqual(await ro.get("k"), new Uint8Array([7]));
  assert.equal(rw.map, map);
});

Deno.test("MemoryStore: full get returns the stored array, ranged get a copy", async () => {
  const store = new MemoryStore();
  const v = new Uint8Array([1, 2, 3, 4]);
  await store.set("k", v);
  assert.equal(await store.get("k"), v); // documented: no copy on set or full get
  const r = await store.get("k", { offset: 0 });
  assert.ok(r !== undefined && r !== v && r.buffer !== v.buffer);
});

Deno.test("MemoryStore rejects a non-Map backing object", () => {
  assert.throws(
    () => new MemoryStore({} as unknown as Map<string, Uint8Array>),
    ZarrTypeError,
  );
});

Deno.test("MemoryStore toString identifies the backing map", () => {
  const map = new Map<string, Uint8Array>();
  const a = new MemoryStore(map);
  const b = a.withReadOnly(true);
  assert.match(String(a), /^memory:\/\/\d+$/);
  assert.equal(String(a), String(b));
  assert.notEqual(String(a), String(new MemoryStore()));
});
