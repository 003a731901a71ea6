/**
 * Conformance: AsyncGroup (zarr-python `tests/test_group.py`), checklist items 46-49.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import { captureWarnings } from "../../src/errors.ts";
import type { AsyncGroup, Store } from "../../mod.ts";
import { readJSON, withTempDir } from "./helpers.ts";

const CONSOLIDATED_WARNING =
  /^Consolidated metadata is currently not part in the Zarr format 3 specification\./;

async function collect(g: AsyncGroup, maxDepth?: number | null) {
  const out: [string, string][] = [];
  for await (const [k, v] of g.members({ maxDepth })) {
    out.push([k, v instanceof zarr.AsyncArray ? "array" : "group"]);
  }
  return out;
}

async function eachStore(fn: (store: Store, label: string) => Promise<void>) {
  await fn(new zarr.MemoryStore(), "memory");
  await withTempDir(async (dir) => {
    await fn(new zarr.LocalStore(dir), "local");
    const zip = await zarr.ZipStore.open(`${dir}/s.zip`, { mode: "w" });
    await fn(zip, "zip");
    await zip.close();
  });
}

for (const zarrFormat of [2, 3] as const) {
  for (const consolidated of [false, true]) {
    Deno.test(`#46 group members at max_depth 0, 1, None; foreign objects ignored (v${zarrFormat}, consolidated=${consolidated})`, async () => {
      await eachStore(async (store, label) => {
        let group = await zarr.group({ store, zarrFormat });
        const sub = await group.createGroup("subgroup");
        const subsub = await sub.createGroup("subsubgroup");
        await subsub.createGroup("subsubsubgroup");
        await group.createArray("subarray", {
          shape: [100],
          dtype: "uint8",
          chunks: [10],
          overwrite: true,
        });
        await store.set("extra_object-1", new Uint8Array([48, 48]));
        await store.set("extra_directory/extra_object-2", new Uint8Array([48]));

        let expectWarn = true;
        if (consolidated) {
          const [, ws] = await captureWarnings(() =>
            zarr.consolidateMetadata(store, { zarrFormat })
          );
          const msgs = ws.map((w) => w.message);
          if (zarrFormat === 3) assert.ok(msgs.some((m) => CONSOLIDATED_WARNING.test(m)), label);
          group = await zarr.openConsolidated(store, { zarrFormat });
          assert.ok(group.metadata.consolidatedMetadata, label);
          expectWarn = false;
        }
        const [m0, w0] = await captureWarnings(() => collect(group));
        assert.deepEqual(m0, [["subarray", "array"], ["subgroup", "group"]], label);
        if (expectWarn) {
          assert.deepEqual(w0.map((w) => w.category), ["ZarrUserWarning", "ZarrUserWarning"]);
          assert.ok(
            w0.every((w) =>
              /^Object at .* is not recognized as a component of a Zarr hierarchy\.$/.test(
                w.message,
              )
            ),
          );
        } else assert.deepEqual(w0, [], label);
        const [m1] = await captureWarnings(() => collect(group, 1));
        assert.deepEqual(m1.map(([k]) => k).sort(), [
          "subarray",
          "subgroup",
          "subgroup/subsubgroup",
        ]);
        const [mAll] = await captureWarnings(() => collect(group, null));
        assert.deepEqual(mAll.map(([k]) => k).sort(), [
          "subarray",
          "subgroup",
          "subgroup/subsubgroup",
          "subgroup/subsubgroup/subsubsubgroup",
        ]);
        assert.equal(await captureWarnings(() => group.nmembers(null)).then(([n]) => n), 4);
        await assert.rejects(
          collect(group, -1),
          (e: Error) => e instanceof zarr.ZarrValueError && /max_depth/.test(e.message),
        );
      });
    });
  }
}

for (const consolidated of [false, true]) {
  Deno.test(`#46 members (async): paths, nodes, names, nmembers (consolidated=${consolidated})`, async () => {
    const store = new zarr.MemoryStore();
    const root = await zarr.group({ store });
    await root.createArray("a0", { shape: [1], dtype: "uint8" });
    const g0 = await root.createGroup("g0");
    await g0.createArray("a1", { shape: [1], dtype: "uint8" });
    const g1 = await g0.createGroup("g1");
    await g1.createArray("a2", { shape: [1], dtype: "uint8" });
    await g1.createGroup("g2");
    assert.deepEqual(await collect(root), [["a0", "array"], ["g0", "group"]]);
    assert.equal(await root.nmembers(), 2);
    assert.deepEqual((await collect(root, 1)).map(([k]) => k), ["a0", "g0", "g0/a1", "g0/g1"]);
    assert.equal(await root.nmembers(1), 4);
    if (consolidated) await captureWarnings(() => zarr.consolidateMetadata(store));
    const g = await zarr.openGroup(store);
    assert.equal(!!g.metadata.consolidatedMetadata, consolidated);
    assert.deepEqual((await collect(g, null)).map(([k]) => k).sort(), [
      "a0",
      "g0",
      "g0/a1",
      "g0/g1",
      "g0/g1/a2",
      "g0/g1/g2",
    ]);
    assert.equal(await g.nmembers(null), 6);
    // node names are absolute
    const names: string[] = [];
    for await (const [, v] of g.members({ maxDepth: null })) names.push(v.name);
    assert.deepEqual(names.sort(), ["/a0", "/g0", "/g0/a1", "/g0/g1", "/g0/g1/a2", "/g0/g1/g2"]);
    const nested = await g.getitem("g0/g1");
    assert.equal(nested.name, "/g0/g1");
    await assert.rejects(g.nmembers(-1), zarr.ZarrValueError);
  });
}

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#47 require_group: existing, overwrite, TypeError for an array (v${zarrFormat})`, async () => {
    const root = await zarr.group({ zarrFormat });
    await root.createGroup("foo", { attributes: { foo: 100 } });
    let foo = await root.requireGroup("foo");
    assert.deepEqual(foo.attrs, { foo: 100 });
    foo = await root.requireGroup("foo", { overwrite: true });
    assert.deepEqual(foo.attrs, {});
    await foo.createArray("bar", {
      shape: [10],
      dtype: "uint8",
      chunks: [2],
      attributes: { foo: 100 },
    });
    await assert.rejects(
      foo.requireGroup("bar"),
      (e: Error) =>
        e instanceof zarr.ZarrTypeError &&
        /^Incompatible object \(AsyncArray\) already exists/.test(e.message),
    );
    // require_groups: existing and new
    const [f, spam] = await root.requireGroups("foo", "spam");
    assert.deepEqual(f.attrs, {});
    assert.equal(spam.path, "spam");
    assert.ok(await root.contains("spam"));
    assert.deepEqual(await root.requireGroups(), []);
  });

  Deno.test(`#47 require_array: shape/dtype checks, exact flag, TypeError for a group (v${zarrFormat})`, async () => {
    const root = await zarr.group({ zarrFormat });
    const foo1 = await root.requireArray("foo", {
      shape: [10],
      dtype: "int64",
      attributes: { foo: 101 },
    });
    assert.deepEqual(foo1.attrs, { foo: 101 });
    const foo2 = await root.requireArray("foo", { shape: [10], dtype: "int64" });
    assert.deepEqual(foo2.attrs, { foo: 101 });
    // exact=false: int64 can be cast safely to float64
    await root.requireArray("foo", { shape: 10, dtype: "float64" });
    await assert.rejects(
      root.requireArray("foo", { shape: [10], dtype: "float64", exact: true }),
      (e: Error) => e instanceof zarr.ZarrTypeError && /Incompatible dtype/.test(e.message),
    );
    await assert.rejects(
      root.requireArray("foo", { shape: [100, 100], dtype: "int64" }),
      (e: Error) => e instanceof zarr.ZarrTypeError && /Incompatible shape/.test(e.message),
    );
    await assert.rejects(
      root.requireArray("foo", { shape: [10], dtype: "float32" }),
      (e: Error) => e instanceof zarr.ZarrTypeError && /Incompatible dtype/.test(e.message),
    );
    await root.createGroup("bar");
    await assert.rejects(
      root.requireArray("bar", { shape: [10], dtype: "int8" }),
      (e: Error) => e instanceof zarr.ZarrTypeError && /Incompatible object/.test(e.message),
    );
    // dtype defaults to float64 for the check (test_require_array_zdtype)
    await root.createArray("f", { shape: [3], dtype: "float64" });
    const f = await root.requireArray("f", { shape: [3], exact: true });
    assert.equal(f.dtype, "float64");
  });
}

for (const zarrFormat of [2, 3] as const) {
  for (const consolidated of [false, true]) {
    Deno.test(`#48 getitem: nested keys and KeyError; delitem (v${zarrFormat}, consolidated=${consolidated})`, async () => {
      const store = new zarr.MemoryStore();
      let group = await zarr.group({ store, zarrFormat });
      const sub = await group.createGroup("subgroup");
      await group.createArray("subarray", { shape: [10], chunks: [10], dtype: "uint8" });
      await sub.createArray("subarray", { shape: [10], chunks: [10], dtype: "uint8" });
      if (consolidated) {
        [group] = await captureWarnings(() => zarr.consolidateMetadata(store, { zarrFormat }));
      }
      assert.equal((await group.getitem("subgroup")).path, "subgroup");
      assert.ok((await group.getitem("subarray")) instanceof zarr.AsyncArray);
      const viaParent = await (await group.getitem("subgroup") as AsyncGroup).getitem("subarray");
      const nested = await group.getitem("subgroup/subarray");
      assert.ok(nested instanceof zarr.AsyncArray);
      assert.equal(nested.path, "subgroup/subarray");
      assert.equal(viaParent.path, nested.path);
      await assert.rejects(
        group.getitem("nope"),
        (e: Error) => e instanceof zarr.KeyError && /nope/.test(e.message),
      );
      await assert.rejects(
        group.getitem("subarray/subsubarray"),
        (e: Error) => e instanceof zarr.KeyError && /subarray\/subsubarray/.test(e.message),
      );
      assert.equal(await group.get("nope"), undefined);
      assert.equal(await group.get("nope", 8), 8);

      await group.delitem("subgroup");
      await assert.rejects(group.getitem("subgroup"), zarr.KeyError);
      await assert.rejects(group.getitem("subgroup/subarray"), zarr.KeyError);
      await group.delitem("subarray");
      await assert.rejects(group.getitem("subarray"), zarr.KeyError);
      // the store agrees, through a fresh, unconsolidated view
      const fresh = await zarr.openGroup(store, { useConsolidated: false });
      assert.deepEqual(await fresh.keys(), []);
    });
  }
}

Deno.test("#48 consolidated getitem: a missing key raises without falling back to the store", async () => {
  const store = new zarr.MemoryStore();
  const root = await zarr.group({ store });
  await root.createGroup("g0");
  await captureWarnings(() => zarr.consolidateMetadata(store));
  // created after consolidation: invisible through the consolidated view
  await root.createGroup("late");
  const g = await zarr.openConsolidated(store);
  await assert.rejects(
    g.getitem("late"),
    (e: Error) =>
      e instanceof zarr.KeyError && e.message === "'late' not found in consolidated metadata.",
  );
  const direct = await zarr.openGroup(store, { useConsolidated: false });
  assert.ok((await direct.getitem("late")) instanceof zarr.AsyncGroup);
});

Deno.test("#48 consolidated nested getitem/get_group carry the subtree (test_group_getitem_consolidated)", async () => {
  const store = new zarr.MemoryStore();
  const root = await zarr.group({ store });
  const g0 = await root.createGroup("g0");
  const g1 = await g0.createGroup("g1");
  await g1.createGroup("g2");
  const x0 = await root.createGroup("x0");
  const x1 = await x0.createGroup("x1");
  await x1.createGroup("x2");
  await captureWarnings(() => zarr.consolidateMetadata(store));
  const group = await zarr.open({ store }) as AsyncGroup;
  const rg0 = await group.getGroup("g0");
  assert.deepEqual(Object.keys(rg0.metadata.consolidatedMetadata!.metadata).sort(), [
    "g1",
    "g1/g2",
  ]);
  const rg1 = await rg0.getGroup("g1");
  assert.deepEqual(Object.keys(rg1.metadata.consolidatedMetadata!.metadata), ["g2"]);
  const rg2 = await rg1.getGroup("g2");
  assert.deepEqual(rg2.metadata.consolidatedMetadata!.metadata, {});
  assert.deepEqual(await rg2.keys(), []);
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#48 delitem updates the consolidated metadata (v${zarrFormat})`, async () => {
    const store = new zarr.MemoryStore();
    const root = await zarr.group({ store, zarrFormat });
    const g2 = await (await (await root.createGroup("g0")).createGroup("g1")).createGroup("g2");
    await g2.createArray("data", { shape: [1], dtype: "uint8" });
    const x2 = await (await (await root.createGroup("x0")).createGroup("x1")).createGroup("x2");
    await x2.createArray("data", { shape: [1], dtype: "uint8" });
    await captureWarnings(() => zarr.consolidateMetadata(store));
    const group = await zarr.openConsolidated(store);
    const top = () =>
      Object.keys(group.metadata.consolidatedMetadata!.metadata).filter((k) => !k.includes("/"));
    assert.deepEqual(top(), ["g0", "x0"]);
    await group.delitem("g0");
    assert.deepEqual(top(), ["x0"]);
    assert.ok(
      Object.keys(group.metadata.consolidatedMetadata!.metadata).every((k) => !k.startsWith("g0")),
    );
    // persisted: a re-open sees the updated consolidated metadata
    const again = await zarr.openConsolidated(store);
    assert.deepEqual(Object.keys(again.metadata.consolidatedMetadata!.metadata).sort(), [
      "x0",
      "x0/x1",
      "x0/x1/x2",
      "x0/x1/x2/data",
    ]);
    if (zarrFormat === 2) {
      const zm = await readJSON(store, ".zmetadata");
      assert.ok(!Object.keys(zm.metadata as object).some((k) => k.startsWith("g0")));
    }
    assert.equal(await store.exists(zarrFormat === 3 ? "g0/zarr.json" : "g0/.zgroup"), false);
  });
}

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#49 getArray / getGroup and their errors (v${zarrFormat})`, async () => {
    const group = await zarr.group({ zarrFormat });
    const sub = await group.createGroup("subgroup");
    await group.createArray("subarray", { shape: [10], chunks: [10], dtype: "uint8" });
    await sub.createArray("subarray", { shape: [10], chunks: [10], dtype: "uint8" });
    await sub.createGroup("subsubgroup");
    const a = await group.getArray("subarray");
    assert.ok(a instanceof zarr.AsyncArray);
    assert.equal(a.path, "subarray");
    assert.equal((await group.getArray("subgroup/subarray")).path, "subgroup/subarray");
    const g = await group.getGroup("subgroup");
    assert.ok(g instanceof zarr.AsyncGroup);
    assert.equal((await group.getGroup("subgroup/subsubgroup")).path, "subgroup/subsubgroup");
    await assert.rejects(
      group.getArray("missing"),
      (e: Error) =>
        e instanceof zarr.ArrayNotFoundError && /^No array found in store/.test(e.message),
    );
    await assert.rejects(
      group.getArray("subgroup"),
      (e: Error) =>
        e instanceof zarr.ContainsGroupError && /^A group exists in store/.test(e.message),
    );
    await assert.rejects(
      group.getGroup("missing"),
      (e: Error) =>
        e instanceof zarr.GroupNotFoundError && /^No group found in store/.test(e.message),
    );
    await assert.rejects(
      group.getGroup("subarray"),
      (e: Error) =>
        e instanceof zarr.ContainsArrayError && /^An array exists in store/.test(e.message),
    );
    // the not-found errors are FileNotFoundErrors, as in zarr-python
    await assert.rejects(group.getArray("missing"), zarr.FileNotFoundError);
  });
}
