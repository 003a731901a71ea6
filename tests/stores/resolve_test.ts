import assert from "node:assert/strict";
import {
  FileNotFoundError,
  NotImplementedError,
  ReadOnlyError,
  ZarrTypeError,
  ZarrValueError,
} from "../../src/errors.ts";
import {
  FetchStore,
  forgetMemoryStores,
  isEmptyPrefix,
  LocalStore,
  MemoryStore,
  registeredStoreSchemes,
  registerStoreScheme,
  resolveStore,
  S3Store,
  type Store,
  type StoreLike,
  ZipStore,
} from "../../src/stores/mod.ts";
import { FIXTURES, withTempDir } from "./helpers.ts";

const enc = new TextEncoder();

Deno.test("resolveStore: undefined and null give a new MemoryStore", async () => {
  const a = await resolveStore(undefined);
  const b = await resolveStore(null, { mode: "a" });
  assert.ok(a instanceof MemoryStore && b instanceof MemoryStore);
  assert.notEqual(a, b);
  assert.equal(a.readOnly, false);
  const r = await resolveStore(undefined, { mode: "r" });
  assert.equal(r.readOnly, true);
});

Deno.test("resolveStore: a Map becomes a MemoryStore over it (read-only with r)", async () => {
  const map = new Map<string, Uint8Array>();
  const s = await resolveStore(map, { mode: "w" });
  assert.ok(s instanceof MemoryStore);
  await s.set("k", new Uint8Array([1]));
  assert.deepEqual(map.get("k"), new Uint8Array([1]));
  const r = await resolveStore(map, { mode: "r" });
  assert.equal(r.readOnly, true);
  await assert.rejects(r.set("x", new Uint8Array(1)), ReadOnlyError);
  assert.deepEqual(await r.get("k"), new Uint8Array([1]));
});

Deno.test("resolveStore: a Store is returned as is, or as a read-only view for r", async () => {
  const store = new MemoryStore();
  assert.equal(await resolveStore(store), store);
  assert.equal(await resolveStore(store, { mode: "a" }), store);
  assert.equal(await resolveStore(store, { mode: "w" }), store);
  const r = await resolveStore(store, { mode: "r" });
  assert.notEqual(r, store);
  assert.equal(r.readOnly, true);
  await store.set("k", new Uint8Array([5]));
  assert.deepEqual(await r.get("k"), new Uint8Array([5])); // shares data
  const ro = store.withReadOnly(true);
  assert.equal(await resolveStore(ro, { mode: "r" }), ro);
  assert.equal(await resolveStore(ro), ro);
  for (const mode of ["r+", "a", "w", "w-"] as const) {
    await assert.rejects(resolveStore(ro, { mode }), ReadOnlyError, mode);
  }
});

Deno.test("resolveStore: memory:// URLs", async () => {
  const a = await resolveStore("memory://");
  const b = await resolveStore("memory://");
  assert.ok(a instanceof MemoryStore);
  assert.notEqual(a, b);
  const n1 = await resolveStore("memory://resolve-test");
  const n2 = await resolveStore("memory://resolve-test", { mode: "a" });
  assert.equal(n1, n2);
  await n1.set("k", enc.encode("v"));
  const r = await resolveStore("memory://resolve-test", { mode: "r" });
  assert.equal(r.readOnly, true);
  assert.deepEqual(await r.get("k"), enc.encode("v"));
  assert.notEqual(await resolveStore("memory://other-name"), n1);
  assert.ok(registeredStoreSchemes().includes("memory"));
  forgetMemoryStores("resolve-test");
  const fresh = await resolveStore("memory://resolve-test");
  assert.notEqual(fresh, n1);
  assert.equal(await fresh.exists("k"), false);
  forgetMemoryStores();
});

Deno.test("resolveStore: plain paths and file:// URLs give LocalStores", async () => {
  await withTempDir(async (dir) => {
    const s = await resolveStore(`${dir}/data.zarr`);
    assert.ok(s instanceof LocalStore);
    assert.equal(s.root, `${dir}/data.zarr`);
    assert.equal(s.readOnly, false);
    assert.ok((await Deno.stat(`${dir}/data.zarr`)).isDirectory); // created by mode a/None
    await s.set("zarr.json", enc.encode("{}"));
    const r = await resolveStore(`${dir}/data.zarr`, { mode: "r" });
    assert.ok(r instanceof LocalStore);
    assert.equal(r.readOnly, true);
    assert.deepEqual(await r.get("zarr.json"), enc.encode("{}"));
    const u = await resolveStore(`file://${dir}/data.zarr`, { mode: "r+" });
    assert.ok(u instanceof LocalStore && u.root === `${dir}/data.zarr` && !u.readOnly);
    const uo = await resolveStore(new URL(`file://${dir}/data.zarr`), { mode: "r" });
    assert.ok(uo instanceof LocalStore && uo.readOnly);
    await assert.rejects(resolveStore(`${dir}/missing`, { mode: "r" }), FileNotFoundError);
    await assert.rejects(resolveStore(`${dir}/missing`, { mode: "r+" }), FileNotFoundError);
    await assert.rejects(
      resolveStore(`file://${dir}/missing`, { mode: "r" }),
      FileNotFoundError,
    );
    // "w" and "w-" create the directory; wiping is left to the caller
    const w = await resolveStore(`${dir}/data.zarr`, { mode: "w" });
    assert.equal(await w.exists("zarr.json"), true);
  });
});

Deno.test("resolveStore: *.zip paths give ZipStores by mode", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/out.zarr.zip`;
    await assert.rejects(resolveStore(path, { mode: "r" }), FileNotFoundError);
    await assert.rejects(resolveStore(path, { mode: "r+" }), FileNotFoundError);
    const w = await resolveStore(path, { mode: "w" });
    assert.ok(w instanceof ZipStore);
    assert.equal(w.mode, "w");
    await w.set("zarr.json", enc.encode("{}"));
    await w.close();
    const r = await resolveStore(path, { mode: "r" });
    assert.ok(r instanceof ZipStore && r.readOnly);
    assert.deepEqual(await r.get("zarr.json"), enc.encode("{}"));
    await r.close();
    for (const mode of ["a", "r+", "w-", undefined] as const) {
      const a = await resolveStore(path, { mode });
      assert.ok(a instanceof ZipStore && a.mode === "a" && !a.readOnly, String(mode));
      assert.deepEqual(await a.get("zarr.json"), enc.encode("{}"));
      await a.close();
    }
    const created = await resolveStore(`${dir}/new.zip`, { mode: "w-" });
    assert.ok(created instanceof ZipStore);
    await created.set("k", enc.encode("v"));
    await created.close();
    assert.ok((await Deno.stat(`${dir}/new.zip`)).isFile);
    const viaUrl = await resolveStore(`file://${dir}/new.zip`, { mode: "r" });
    assert.ok(viaUrl instanceof ZipStore);
    await viaUrl.close();
    // an existing directory named *.zip is a LocalStore (as zarr-python would have made it)
    await Deno.mkdir(`${dir}/dir.zip`);
    assert.ok((await resolveStore(`${dir}/dir.zip`)) instanceof LocalStore);
    const fixture = await resolveStore(
      `${FIXTURES}/zarrita-js/v3/data.zipped_from_within.zarr.zip`,
      { mode: "r" },
    );
    assert.ok(await fixture.exists("zarr.json"));
    await fixture.close();
  });
});

Deno.test("resolveStore: http(s):// gives a FetchStore, s3:// an S3Store; unknown schemes fail", async () => {
  for (const url of ["http://example.org/d.zarr", "https://example.org/d.zarr"]) {
    const s = await resolveStore(url, { mode: "r" });
    assert.ok(s instanceof FetchStore && s.readOnly, url);
    assert.equal(s.url, url + "/");
  }
  const s3 = await resolveStore("s3://b/p", {
    mode: "r",
    storageOptions: { anon: true, region: "eu-west-1" },
  });
  assert.ok(s3 instanceof S3Store && s3.readOnly && s3.anonymous);
  assert.equal(s3.url, "s3://b/p/");
  assert.ok(registeredStoreSchemes().includes("s3"));
  await assert.rejects(resolveStore("gopher://x/y"), ZarrValueError);
  await assert.rejects(resolveStore("s3://b/p", { storageOptions: { nope: 1 } }), ZarrTypeError);
});

Deno.test("resolveStore: storageOptions with a non-remote store raise ZarrTypeError", async () => {
  await withTempDir(async (dir) => {
    const storageOptions = { anon: true };
    const cases: StoreLike[] = [
      undefined,
      null,
      new Map(),
      new MemoryStore(),
      "memory://so",
      dir,
      `file://${dir}`,
      `${dir}/x.zip`,
    ];
    for (const c of cases) {
      await assert.rejects(resolveStore(c, { storageOptions }), ZarrTypeError, String(c));
    }
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []); // nothing created
    // an empty object is like Python's falsy {}
    assert.ok((await resolveStore(undefined, { storageOptions: {} })) instanceof MemoryStore);
  });
});

Deno.test("resolveStore: bad modes and types", async () => {
  await assert.rejects(resolveStore(undefined, { mode: "x" as "r" }), ZarrValueError);
  await assert.rejects(resolveStore(42 as unknown as StoreLike), ZarrTypeError);
  await assert.rejects(resolveStore({ get() {} } as unknown as StoreLike), ZarrTypeError);
});

Deno.test("registerStoreScheme plugs in a factory", async () => {
  const seen: [string, unknown][] = [];
  registerStoreScheme("test-scheme", (url, opts) => {
    seen.push([url, opts.storageOptions]);
    return new MemoryStore(undefined, { readOnly: opts.mode === "r" });
  });
  const s = await resolveStore("TEST-SCHEME://bucket/x", {
    mode: "r",
    storageOptions: { key: "k" },
  });
  assert.ok(s instanceof MemoryStore && s.readOnly);
  assert.deepEqual(seen, [["TEST-SCHEME://bucket/x", { key: "k" }]]);
  assert.ok(registeredStoreSchemes().includes("test-scheme"));
  assert.throws(() => registerStoreScheme("bad scheme", () => new MemoryStore()), ZarrValueError);
});

Deno.test("isEmptyPrefix", async () => {
  const s = new MemoryStore();
  assert.equal(await isEmptyPrefix(s, ""), true);
  await s.set("ab/x", new Uint8Array(1));
  assert.equal(await isEmptyPrefix(s, ""), false);
  assert.equal(await isEmptyPrefix(s, "a"), true);
  assert.equal(await isEmptyPrefix(s, "ab"), false);
  assert.equal(await isEmptyPrefix(s, "ab/"), false);
  assert.equal(await isEmptyPrefix(s, "ab/x"), true); // a key, not a prefix with children
  await withTempDir(async (dir) => {
    const l = new LocalStore(dir);
    assert.equal(await isEmptyPrefix(l, ""), true);
    await l.set("g/zarr.json", new Uint8Array(1));
    assert.equal(await isEmptyPrefix(l, "g"), false);
    assert.equal(await isEmptyPrefix(l, "h"), true);
  });
  const unlistable = { ...s, supportsListing: false, typeName: "Fake" } as unknown as Store;
  await assert.rejects(isEmptyPrefix(unlistable, ""), NotImplementedError);
});
