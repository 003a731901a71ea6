/**
 * A store contract (like zarr-python's `zarr.testing.store.StoreTests`): the same suite of
 * tests registered against any store factory. Read-only stores (`writable: false`, such as
 * `FetchStore`) are filled through their fixture's `seed` instead of `set`, run the read
 * tests, and check that writes are refused; tests that do not apply are registered as
 * ignored, so the counts per store stay visible.
 *
 * @example
 * ```ts
 * import { storeContract } from "./contract.ts";
 * import { MemoryStore } from "../../src/stores/memory.ts";
 * storeContract({ name: "MemoryStore", typeName: "MemoryStore", make: () => Promise.resolve({ store: new MemoryStore() }) });
 * ```
 * @module
 */
import assert from "node:assert/strict";
import { ReadOnlyError, ZarrError, ZarrTypeError, ZarrValueError } from "../../src/errors.ts";
import type { Store } from "../../src/stores/types.ts";

/** A fresh, empty, writable store and how to dispose of it. */
export interface StoreFixture {
  store: Store;
  /** Re-opens the store from its persistent form (after `close()`), when it has one. */
  reopen?: () => Promise<Store>;
  /** Removes whatever the store left behind (temp dirs...). */
  cleanup?: () => Promise<void>;
  /** Writes a key behind the store's back (how read-only stores get their data). */
  seed?: (key: string, value: Uint8Array) => Promise<void>;
}

/** Options of {@link storeContract}. */
export interface ContractOptions {
  /** Prefix of the test names. */
  name: string;
  /** Expected `typeName`. */
  typeName: string;
  /** Builds a fresh fixture for each test. */
  make: () => Promise<StoreFixture>;
  /** Whether the store writes (default true); false needs `seed` in the fixture. */
  writable?: boolean;
  /** Whether the store lists (default true). */
  listing?: boolean;
  /** When set, every test is registered as ignored (the reason is printed once). */
  skip?: string;
  /** Run Deno's op/resource sanitizers (default true; false for stores talking to servers). */
  sanitize?: boolean;
}

/** How many contract tests were registered for a store, and how many of them are ignored. */
export interface ContractCounts {
  /** Tests registered. */
  total: number;
  /** Tests registered as ignored (not applicable, or skipped). */
  ignored: number;
}

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

const sorted = async (it: AsyncIterable<string>) => (await collect(it)).sort();

/**
 * Registers the contract tests (one `Deno.test` each) for a store factory and returns their
 * counts.
 */
export function storeContract(opts: ContractOptions): ContractCounts {
  const writable = opts.writable ?? true;
  const listing = opts.listing ?? true;
  const counts: ContractCounts = { total: 0, ignored: 0 };
  if (opts.skip !== undefined) console.log(`SKIPPED ${opts.name} contract: ${opts.skip}`);
  const test = (
    label: string,
    fn: (fx: StoreFixture) => Promise<void>,
    needs: { writes?: boolean; listing?: boolean } = {},
  ) => {
    const na = (needs.writes && !writable) || (needs.listing && !listing);
    const ignore = na || opts.skip !== undefined;
    counts.total++;
    if (ignore) counts.ignored++;
    const why = na
      ? ` (not applicable: ${needs.writes && !writable ? "read-only" : "no listing"})`
      : "";
    Deno.test({
      name: `${opts.name} contract: ${label}${why}`,
      ignore,
      sanitizeOps: opts.sanitize ?? true,
      sanitizeResources: opts.sanitize ?? true,
      fn: async () => {
        const fx = await opts.make();
        try {
          await fn(fx);
        } finally {
          try {
            await fx.store.close();
          } finally {
            await fx.cleanup?.();
          }
        }
      },
    });
  };
  /** Writes through the store, or through the fixture's seed for read-only stores. */
  const put = (fx: StoreFixture, key: string, value: Uint8Array): Promise<void> => {
    if (writable) return fx.store.set(key, value);
    if (fx.seed === undefined) throw new Error(`${opts.name}: read-only fixture without seed`);
    return fx.seed(key, value);
  };

  test("capability flags and typeName", ({ store }) => {
    assert.equal(store.typeName, opts.typeName);
    assert.equal(store.readOnly, !writable);
    assert.equal(store.supportsWrites, writable);
    assert.equal(store.supportsDeletes, writable);
    assert.equal(store.supportsListing, listing);
    assert.equal(store.supportsConsolidatedMetadata, true);
    const ro = store.withReadOnly(true);
    assert.equal(ro.readOnly, true);
    assert.equal(ro.typeName, opts.typeName);
    return Promise.resolve();
  });

  test("missing keys", async ({ store }) => {
    assert.equal(await store.get("nope"), undefined);
    assert.equal(await store.get("a/b/nope", { offset: 1, length: 2 }), undefined);
    assert.equal(await store.get("nope", { suffix: 3 }), undefined);
    assert.equal(await store.exists("nope"), false);
    assert.equal(await store.getSize("nope"), undefined);
    if (listing) assert.deepEqual(await collect(store.list()), []);
  });

  test("set, get, overwrite, exists, getSize", async (fx) => {
    const { store } = fx;
    await put(fx, "zarr.json", bytes("{}"));
    await put(fx, "a/c/0/1", new Uint8Array([1, 2, 3]));
    await put(fx, "empty", new Uint8Array(0));
    assert.deepEqual(await store.get("zarr.json"), bytes("{}"));
    assert.deepEqual(await store.get("a/c/0/1"), new Uint8Array([1, 2, 3]));
    assert.deepEqual(await store.get("empty"), new Uint8Array(0));
    assert.equal(await store.exists("a/c/0/1"), true);
    assert.equal(await store.exists("empty"), true);
    assert.equal(await store.getSize("a/c/0/1"), 3);
    assert.equal(await store.getSize("empty"), 0);
    await put(fx, "a/c/0/1", new Uint8Array([9]));
    assert.deepEqual(await store.get("a/c/0/1"), new Uint8Array([9]));
    assert.equal(await store.getSize("a/c/0/1"), 1);
    // a directory-like prefix is not a key
    assert.equal(await store.exists("a/c"), false);
    assert.equal(await store.get("a/c"), undefined);
  });

  test("binary integrity of a 1 MiB random value", async (fx) => {
    const { store } = fx;
    const v = new Uint8Array(1 << 20);
    for (let i = 0; i < v.length; i += 65536) crypto.getRandomValues(v.subarray(i, i + 65536));
    await put(fx, "big", v);
    assert.deepEqual(await store.get("big"), v);
    assert.deepEqual(
      await store.get("big", { offset: 123_457, length: 1000 }),
      v.slice(123_457, 124_457),
    );
  });

  test("byte ranges: offset+length, offset to end, suffix, clamping", async (fx) => {
    const { store } = fx;
    const v = Uint8Array.from({ length: 100 }, (_, i) => i);
    await put(fx, "r", v);
    const g = (r: Parameters<Store["get"]>[1]) => store.get("r", r);
    assert.deepEqual(await g({ offset: 10, length: 5 }), v.slice(10, 15));
    assert.deepEqual(await g({ offset: 90 }), v.slice(90));
    assert.deepEqual(await g({ offset: 0 }), v);
    assert.deepEqual(await g({ suffix: 7 }), v.slice(93));
    assert.deepEqual(await g({ offset: 0, length: 0 }), new Uint8Array(0));
    assert.deepEqual(await g({ offset: 95, length: 10 }), v.slice(95)); // clamped
    assert.deepEqual(await g({ offset: 100, length: 5 }), new Uint8Array(0));
    assert.deepEqual(await g({ offset: 200, length: 5 }), new Uint8Array(0));
    assert.deepEqual(await g({ offset: 200 }), new Uint8Array(0));
    assert.deepEqual(await g({ suffix: 500 }), v); // longer than the value: all of it
    assert.deepEqual(await g({ suffix: 0 }), new Uint8Array(0));
    assert.deepEqual(await g({ suffix: 100 }), v);
  });

  test("invalid byte ranges raise ZarrValueError", async (fx) => {
    const { store } = fx;
    await put(fx, "r", new Uint8Array(10));
    await assert.rejects(store.get("r", { offset: -1, length: 2 }), ZarrValueError);
    await assert.rejects(store.get("r", { offset: 1, length: -2 }), ZarrValueError);
    await assert.rejects(store.get("r", { offset: 1.5 }), ZarrValueError);
    await assert.rejects(store.get("r", { suffix: -1 }), ZarrValueError);
  });

  test("ranged reads return copies, not views into stored data", async (fx) => {
    const { store } = fx;
    await put(fx, "k", new Uint8Array([1, 2, 3, 4]));
    const part = await store.get("k", { offset: 1, length: 2 });
    assert.ok(part);
    part.fill(0xff);
    assert.deepEqual(await store.get("k"), new Uint8Array([1, 2, 3, 4]));
  });

  test("values must be Uint8Array", async ({ store }) => {
    await assert.rejects(store.set("k", "text" as unknown as Uint8Array), ZarrTypeError);
    await assert.rejects(store.set("k", [1, 2] as unknown as Uint8Array), ZarrTypeError);
    assert.equal(await store.exists("k"), false);
  }, { writes: true });

  const tree = ["zarr.json", "a/zarr.json", "a/c/0", "a/c/1", "ab/x", "b", "a/c2/z/0"];
  const fill = async (fx: StoreFixture) => {
    for (const k of tree) await put(fx, k, bytes(k));
  };

  test("list and listPrefix", async (fx) => {
    const { store } = fx;
    await fill(fx);
    assert.deepEqual(await sorted(store.list()), [...tree].sort());
    assert.deepEqual(await sorted(store.listPrefix("")), [...tree].sort());
    assert.deepEqual(await sorted(store.listPrefix("a/")), [
      "a/c/0",
      "a/c/1",
      "a/c2/z/0",
      "a/zarr.json",
    ]);
    assert.deepEqual(await sorted(store.listPrefix("a/c/")), ["a/c/0", "a/c/1"]);
    assert.deepEqual(await sorted(store.listPrefix("a/c")), ["a/c/0", "a/c/1", "a/c2/z/0"]);
    assert.deepEqual(await sorted(store.listPrefix("a")), [
      "a/c/0",
      "a/c/1",
      "a/c2/z/0",
      "a/zarr.json",
      "ab/x",
    ]);
    assert.deepEqual(await sorted(store.listPrefix("zarr")), ["zarr.json"]);
    assert.deepEqual(await collect(store.listPrefix("nope/")), []);
    assert.deepEqual(await collect(store.listPrefix("a/c/0/")), []);
  }, { listing: true });

  test("listDir gives immediate children without slashes or duplicates", async (fx) => {
    const { store } = fx;
    await fill(fx);
    const root = await collect(store.listDir(""));
    assert.equal(new Set(root).size, root.length, `duplicates in ${root}`);
    assert.deepEqual(root.sort(), ["a", "ab", "b", "zarr.json"]);
    assert.deepEqual(await sorted(store.listDir("a")), ["c", "c2", "zarr.json"]);
    assert.deepEqual(await sorted(store.listDir("a/")), ["c", "c2", "zarr.json"]);
    assert.deepEqual(await sorted(store.listDir("a/c")), ["0", "1"]);
    assert.deepEqual(await sorted(store.listDir("a/c2")), ["z"]);
    assert.deepEqual(await collect(store.listDir("missing")), []);
    assert.deepEqual(await collect(store.listDir("a/missing/deeper")), []);
    for (const n of [...root, ...(await collect(store.listDir("a")))]) {
      assert.ok(!n.includes("/"), n);
    }
  }, { listing: true });

  test("delete", async (fx) => {
    const { store } = fx;
    await fill(fx);
    await store.delete("a/c/0");
    assert.equal(await store.exists("a/c/0"), false);
    assert.equal(await store.get("a/c/0"), undefined);
    await store.delete("a/c/0"); // missing: no error
    await store.delete("never/was");
    assert.deepEqual(await sorted(store.list()), tree.filter((k) => k !== "a/c/0").sort());
    assert.deepEqual(await store.get("a/c/1"), bytes("a/c/1"));
  }, { writes: true });

  test("deleteDir of a prefix spares siblings sharing a name prefix", async (fx) => {
    const { store } = fx;
    await fill(fx);
    await store.deleteDir("a");
    assert.deepEqual(await sorted(store.list()), ["ab/x", "b", "zarr.json"]);
    assert.deepEqual(await store.get("ab/x"), bytes("ab/x"));
    await store.deleteDir("ab/"); // trailing slash accepted
    assert.deepEqual(await sorted(store.list()), ["b", "zarr.json"]);
    await store.deleteDir("missing"); // no error
    assert.deepEqual(await sorted(store.list()), ["b", "zarr.json"]);
  }, { writes: true, listing: true });

  test("deleteDir of a nested prefix", async (fx) => {
    const { store } = fx;
    await fill(fx);
    await store.deleteDir("a/c");
    assert.deepEqual(
      await sorted(store.list()),
      ["a/c2/z/0", "a/zarr.json", "ab/x", "b", "zarr.json"],
    );
    assert.deepEqual(await sorted(store.listDir("a")), ["c2", "zarr.json"]);
  }, { writes: true, listing: true });

  test('deleteDir("") deletes everything', async (fx) => {
    const { store } = fx;
    await fill(fx);
    await store.deleteDir("");
    assert.deepEqual(await collect(store.list()), []);
    assert.deepEqual(await collect(store.listDir("")), []);
    await store.set("again", bytes("x")); // still usable
    assert.deepEqual(await store.get("again"), bytes("x"));
  }, { writes: true, listing: true });

  test("setIfNotExists", async ({ store }) => {
    await store.set("k", bytes("old"));
    await store.setIfNotExists("k", bytes("new"));
    assert.deepEqual(await store.get("k"), bytes("old"));
    await store.setIfNotExists("n/k2", bytes("fresh"));
    assert.deepEqual(await store.get("n/k2"), bytes("fresh"));
  }, { writes: true });

  test("read-only view refuses writes and shares data", async ({ store }) => {
    await store.set("k", bytes("v"));
    const ro = store.withReadOnly(true);
    assert.equal(ro.readOnly, true);
    assert.deepEqual(await ro.get("k"), bytes("v"));
    await assert.rejects(ro.set("k", bytes("w")), ReadOnlyError);
    await assert.rejects(ro.set("new", bytes("w")), ReadOnlyError);
    await assert.rejects(ro.setIfNotExists("new", bytes("w")), ReadOnlyError);
    await assert.rejects(ro.delete("k"), ReadOnlyError);
    await assert.rejects(ro.deleteDir(""), ReadOnlyError);
    assert.deepEqual(await store.get("k"), bytes("v"));
    assert.equal(await store.exists("new"), false);
    // writes through the writable store are visible through the view
    await store.set("k2", bytes("v2"));
    assert.deepEqual(await ro.get("k2"), bytes("v2"));
    assert.deepEqual(await sorted(ro.list()), ["k", "k2"]);
    // and a writable view of the read-only view writes to the same data
    const rw = ro.withReadOnly(false);
    assert.equal(rw.readOnly, false);
    await rw.set("k3", bytes("v3"));
    assert.deepEqual(await store.get("k3"), bytes("v3"));
  }, { writes: true, listing: true });

  if (!writable) {
    test("writes are refused with clear errors; reads work through views", async (fx) => {
      const { store } = fx;
      await put(fx, "k", bytes("v"));
      for (const s of [store, store.withReadOnly(true)]) {
        await assert.rejects(s.set("k", bytes("w")), ReadOnlyError);
        await assert.rejects(s.setIfNotExists("new", bytes("w")), ReadOnlyError);
        await assert.rejects(s.delete("k"), ReadOnlyError);
        await assert.rejects(s.deleteDir(""), ReadOnlyError);
        assert.deepEqual(await s.get("k"), bytes("v"));
      }
      const rw = store.withReadOnly(false);
      assert.equal(rw.readOnly, false);
      await assert.rejects(
        rw.set("k", bytes("w")),
        (e: Error) => e instanceof ZarrError && e.message.includes("'k'"),
      );
      assert.deepEqual(await rw.get("k"), bytes("v"));
    });
  }

  test("concurrent writes all land", async (fx) => {
    const { store } = fx;
    const keys = Array.from({ length: 64 }, (_, i) => `c/${i % 4}/${i}`);
    await Promise.all(keys.map((k) => store.set(k, bytes(k))));
    const got = await Promise.all(keys.map((k) => store.get(k)));
    got.forEach((v, i) => assert.deepEqual(v, bytes(keys[i])));
    assert.equal((await collect(store.list())).length, keys.length);
  }, { writes: true, listing: true });

  test("concurrent reads", async (fx) => {
    const { store } = fx;
    const keys = Array.from({ length: 64 }, (_, i) => `c/${i % 4}/${i}`);
    for (const k of keys) await put(fx, k, bytes(k));
    const got = await Promise.all(
      keys.map((k, i) => i % 2 ? store.get(k) : store.get(k, { offset: 2 })),
    );
    got.forEach((v, i) => assert.deepEqual(v, i % 2 ? bytes(keys[i]) : bytes(keys[i].slice(2))));
  });

  test("keys with spaces and non-ASCII characters", async (fx) => {
    const { store } = fx;
    const keys = ["my group with spaces/zarr.json", "ünïcödé/ключ/0", "e\u0301/x"];
    for (const k of keys) await put(fx, k, bytes(k));
    for (const k of keys) assert.deepEqual(await store.get(k), bytes(k));
    if (!listing) return;
    assert.deepEqual(await sorted(store.list()), [...keys].sort());
    assert.deepEqual(await sorted(store.listDir("")), [
      "e\u0301",
      "my group with spaces",
      "ünïcödé",
    ]);
  });

  test("close twice is fine; data persists across reopen", async (fx) => {
    await put(fx, "p/zarr.json", bytes("persist"));
    await fx.store.close();
    await fx.store.close();
    if (fx.reopen) {
      const again = await fx.reopen();
      try {
        assert.deepEqual(await again.get("p/zarr.json"), bytes("persist"));
        if (listing) assert.deepEqual(await sorted(again.list()), ["p/zarr.json"]);
      } finally {
        await again.close();
      }
    }
  });
  return counts;
}
