/**
 * Conformance: opening and loading (zarr-python `tests/test_api.py`), checklist items 1-13, 21,
 * 22, plus `load` of groups, `load` never writing, ZipStore round trips through the API and
 * LocalStore path safety.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import { captureWarnings } from "../../src/errors.ts";
import type { NDArray } from "../../mod.ts";
import { listKeys, pathExists, readJSON, values, withTempDir } from "./helpers.ts";

Deno.test("#1 open mode r: missing path raises FileNotFoundError; array is read-only", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(zarr.open({ store: dir, mode: "r" }), zarr.FileNotFoundError);
    const z1 = await zarr.ones([3, 3], { store: dir });
    assert.equal(z1.fillValue, 1);
    const z2 = await zarr.open({ store: dir, mode: "r" });
    assert.ok(z2 instanceof zarr.AsyncArray);
    assert.equal(z2.fillValue, 1);
    assert.equal(z2.readOnly, true);
    const result = await z2.getitem(null);
    assert.deepEqual(result.shape, [3, 3]);
    assert.ok(values(result).every((v) => v === 1));
    // zarr-python raises ValueError; ReadOnlyError is a ZarrValueError
    await assert.rejects(z2.setitem(null, 3), zarr.ZarrValueError);
    await assert.rejects(z2.setitem(null, 3), zarr.ReadOnlyError);
    // nothing was written
    assert.ok(values(await z2.getitem(null)).every((v) => v === 1));
  });
});

Deno.test("#2 open mode r+: missing path raises FileNotFoundError and creates nothing; existing array is read-write", async () => {
  await withTempDir(async (dir) => {
    const newPath = `${dir}/new_store.zarr`;
    await assert.rejects(zarr.open({ store: newPath, mode: "r+" }), zarr.FileNotFoundError);
    assert.equal(await pathExists(newPath), false, "mode r+ must not create the directory");

    await zarr.ones([3, 3], { store: dir });
    const z2 = await zarr.open({ store: dir, mode: "r+" });
    assert.ok(z2 instanceof zarr.AsyncArray);
    assert.ok(values(await z2.getitem(null)).every((v) => v === 1));
    await z2.setitem(null, 3);
    assert.ok(values(await z2.getitem(null)).every((v) => v === 3));
  });
});

Deno.test("#3 open mode a: without shape a Group, with shape an Array; reopening returns the Array", async () => {
  await withTempDir(async (dir) => {
    const g = await zarr.open({ store: dir, mode: "a" });
    assert.ok(g instanceof zarr.AsyncGroup);
    assert.ok(await pathExists(`${dir}/zarr.json`));
    await g.store.deleteDir("");

    const arr = await zarr.open({ store: dir, mode: "a", shape: [3, 3] });
    assert.ok(arr instanceof zarr.AsyncArray);
    await arr.setitem(zarr.ellipsis, 1);
    const z2 = await zarr.open({ store: dir, mode: "a" });
    assert.ok(z2 instanceof zarr.AsyncArray);
    assert.deepEqual(z2.shape, [3, 3]);
    assert.ok(values(await z2.getitem(null)).every((v) => v === 1));
    await z2.setitem(null, 3);
    assert.ok(values(await z2.getitem(null)).every((v) => v === 3));
  });
});

Deno.test("#4 open mode w with shape resets an existing array (old data gone)", async () => {
  await withTempDir(async (dir) => {
    const arr = await zarr.open({ store: dir, mode: "w", shape: [3, 3] });
    assert.ok(arr instanceof zarr.AsyncArray);
    await arr.setitem(zarr.ellipsis, 3);
    assert.ok((await listKeys(arr.store)).some((k) => k.startsWith("c/")));
    const z2 = await zarr.open({ store: dir, mode: "w", shape: [3, 3] });
    assert.ok(z2 instanceof zarr.AsyncArray);
    const result = await z2.getitem(null);
    assert.ok(!values(result).every((v) => v === 3));
    assert.ok(values(result).every((v) => v === 0), "default float64 fill is 0");
    assert.deepEqual(await listKeys(z2.store), ["zarr.json"]);
    await z2.setitem(null, 3);
  });
});

Deno.test("#5 open mode w-: creates; a second open with w- raises FileExistsError", async () => {
  await withTempDir(async (dir) => {
    const arr = await zarr.open({ store: dir, mode: "w-", shape: [3, 3] });
    assert.ok(arr instanceof zarr.AsyncArray);
    await arr.setitem(zarr.ellipsis, 1);
    await assert.rejects(zarr.open({ store: dir, mode: "w-" }), zarr.FileExistsError);
    // the data survived the failed open
    const again = await zarr.openArray({ store: dir, mode: "r" });
    assert.ok(values(await again.getitem(null)).every((v) => v === 1));
  });
});

Deno.test("#6 open on a nonexistent path: r/r+ raise FileNotFoundError; w/a return a Group", async () => {
  await withTempDir(async (dir) => {
    for (const mode of ["r", "r+", "w", "a"] as const) {
      const p = `${dir}/mode-${mode}-test.zarr`;
      if (mode === "r" || mode === "r+") {
        await assert.rejects(zarr.open({ store: p, mode }), zarr.FileNotFoundError);
        assert.equal(await pathExists(p), false);
      } else {
        const g = await zarr.open({ store: p, mode });
        assert.ok(g instanceof zarr.AsyncGroup, `mode ${mode}`);
        assert.equal((await readJSON(g.store, "zarr.json")).node_type, "group");
      }
    }
  });
  // the same with in-memory stores: GroupNotFoundError is a FileNotFoundError
  for (const mode of ["r", "r+"] as const) {
    const err = await zarr.open({ store: new Map(), mode }).catch((e) => e);
    assert.ok(err instanceof zarr.FileNotFoundError);
  }
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#7 open() falls back to open_group: attrs and zarr_format (v${zarrFormat})`, async () => {
    const store = new zarr.MemoryStore();
    await zarr.openGroup(store, { attributes: { key: "value" }, zarrFormat });
    const g = await zarr.open({ store });
    assert.ok(g instanceof zarr.AsyncGroup);
    assert.equal(g.zarrFormat, zarrFormat);
    assert.deepEqual(g.attrs, { key: "value" });
  });
}

Deno.test("#8 of all modes only w deletes foreign files at the path (open and openGroup)", async () => {
  for (const fn of ["open", "openGroup"] as const) {
    for (const mode of ["r", "r+", "a", "w", "w-"] as const) {
      await withTempDir(async (dir) => {
        const foreign = `${dir}/a.txt`;
        await Deno.writeFile(foreign, new Uint8Array());
        const store = new zarr.LocalStore(dir);
        try {
          if (fn === "open") await zarr.open({ store, mode });
          else await zarr.openGroup(store, { mode });
        } catch (e) {
          assert.ok(
            e instanceof zarr.FileExistsError || e instanceof zarr.FileNotFoundError,
            `${fn} mode ${mode}: unexpected ${e}`,
          );
        }
        assert.equal(await pathExists(foreign), mode !== "w", `${fn} mode ${mode}`);
      });
    }
  }
});

Deno.test("#9 overwrite=true wipes the path (foreign files included); false preserves", async () => {
  for (const overwrite of [true, false]) {
    for (const fn of ["createArray", "array", "group", "createGroup"] as const) {
      await withTempDir(async (dir) => {
        const foreign = `${dir}/a.txt`;
        await Deno.writeFile(foreign, new Uint8Array());
        const store = new zarr.LocalStore(dir);
        if (fn === "createArray") {
          await zarr.createArray(store, { data: new Float64Array([1]), overwrite });
        } else if (fn === "array") {
          await zarr.array(new Float64Array([1]), { store, overwrite });
        } else if (fn === "group") {
          await zarr.group({ store, overwrite });
        } else {
          await zarr.createGroup({ store, overwrite });
        }
        assert.equal(await pathExists(foreign), !overwrite, `${fn} overwrite=${overwrite}`);
      });
    }
  }
});

Deno.test("#10 node paths are normalized: '/', '/foo', '///foo/bar'", async () => {
  const cases: [string, string][] = [["foo", "foo"], ["/", ""], ["/foo", "foo"], [
    "///foo/bar",
    "foo/bar",
  ]];
  for (const [input, expected] of cases) {
    const g = await zarr.group({ store: new zarr.MemoryStore(), path: input });
    assert.equal(g.path, expected);
    assert.equal(g.name, "/" + expected);
    const a = await zarr.create([2], { store: new zarr.MemoryStore(), path: input });
    assert.equal(a.path, expected);
    assert.equal(a.name, "/" + expected);
  }
  // '.' and '..' segments are refused
  await assert.rejects(zarr.group({ path: "a/../b" }), zarr.ZarrValueError);
});

Deno.test("#11 v2 and v3 metadata at the same path: warns ZarrUserWarning and opens v3", async () => {
  await withTempDir(async (dir) => {
    for (const store of [new zarr.MemoryStore(), new zarr.LocalStore(dir)]) {
      await zarr.createArray(store, { shape: [10], dtype: "uint8", zarrFormat: 3 });
      await zarr.createArray(store, { shape: [10], dtype: "uint8", zarrFormat: 2 });
      assert.ok(await store.exists("zarr.json"));
      assert.ok(await store.exists(".zarray"));
      const [node, warnings] = await captureWarnings(() => zarr.open({ store }));
      assert.ok(node instanceof zarr.AsyncArray);
      assert.equal(node.zarrFormat, 3);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].category, "ZarrUserWarning");
      assert.match(warnings[0].message, /Both zarr\.json \(Zarr format 3\) and \.zarray/);
    }
  });
});

for (const zarrFormat of [null, 2, 3] as const) {
  Deno.test(`#12 a group written as ${zarrFormat ?? "default"} reopens with zarr_format unspecified`, async () => {
    await withTempDir(async (dir) => {
      await zarr.openGroup(dir, { mode: "w", zarrFormat, attributes: { foo: "bar" } });
      const g2 = await zarr.openGroup(dir, { mode: "r" });
      assert.deepEqual(g2.attrs, { foo: "bar" });
      assert.equal(g2.zarrFormat, zarrFormat ?? 3);
    });
  });
}

Deno.test("#13 zarr_format '3.0' raises MetadataValidationError with the exact message", async () => {
  const msg = "Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '3.0'.";
  const bad = "3.0" as unknown as 3;
  await assert.rejects(zarr.openGroup(undefined, { zarrFormat: bad }), (e: Error) => {
    assert.ok(e instanceof zarr.MetadataValidationError);
    assert.equal(e.message, msg);
    return true;
  });
  await assert.rejects(zarr.openArray({ shape: [1], zarrFormat: bad }), (e: Error) => {
    assert.ok(e instanceof zarr.MetadataValidationError);
    assert.equal(e.message, msg);
    return true;
  });
});

Deno.test("#21 load(path=...) returns the saved arrays (memory store, test_load_array)", async () => {
  const store = new zarr.MemoryStore();
  const foo = Float64Array.from({ length: 100 }, (_, i) => i);
  const bar = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
  await zarr.save(store, { foo, bar });
  const a = await zarr.load(store, { path: "foo" }) as NDArray;
  assert.deepEqual(a.shape, [100]);
  assert.deepEqual(values(a), Array.from(foo));
  const b = await zarr.load(store, { path: "bar" }) as NDArray;
  assert.deepEqual(values(b), Array.from(bar));
});

for (const path of ["data", undefined]) {
  Deno.test(`#21 load from a ZipStore, read-only or not (test_load_zip, path=${path})`, async () => {
    await withTempDir(async (dir) => {
      const file = `${dir}/test.zip`;
      const data = zarr.ndarray(Int32Array.from({ length: 100 }, (_, i) => i), [10, 10]);
      const zw = new zarr.ZipStore(file, { mode: "w" });
      await zarr.save(zw, data, { path });
      await zw.close();
      for (const readOnly of [true, false, undefined]) {
        const zr = new zarr.ZipStore(file, { mode: "r", readOnly });
        const result = await zarr.load(zr, { path }) as NDArray;
        assert.deepEqual(result.shape, [10, 10]);
        assert.deepEqual(values(result), values(data));
        await zr.close();
        const za = new zarr.ZipStore(file, { readOnly });
        const again = await zarr.load(za, { path }) as NDArray;
        assert.deepEqual(values(again), values(data));
        await za.close();
      }
    });
  });

  Deno.test(`#21 load from a LocalStore, read-only or not (test_load_local, path=${path})`, async () => {
    await withTempDir(async (dir) => {
      const data = zarr.ndarray(Int32Array.from({ length: 100 }, (_, i) => i), [10, 10]);
      await zarr.save(new zarr.LocalStore(dir), data, { path });
      for (const readOnly of [true, false]) {
        const result = await zarr.load(new zarr.LocalStore(dir, { readOnly }), { path }) as NDArray;
        assert.deepEqual(result.shape, [10, 10]);
        assert.equal(result.dtype, "int32");
        assert.deepEqual(values(result), values(data));
      }
    });
  });
}

Deno.test("#22 group.setitem of 0-d arrays round-trips, and load gives a scalar", async () => {
  const store = new zarr.MemoryStore();
  const root = await zarr.openGroup(store);
  await root.setitem("test", zarr.ndarray(BigInt64Array.of(42n), [], "int64"));
  const node = await root.getitem("test");
  assert.ok(node instanceof zarr.AsyncArray);
  assert.deepEqual(node.shape, []);
  const got = await node.getitem(zarr.ellipsis);
  assert.deepEqual(got.shape, []);
  assert.equal(got.data[0], 42n);
  assert.equal(await zarr.load(store, { path: "test" }), 42n);

  const bytes = new TextEncoder().encode("teststr");
  await root.setitem("b", zarr.ndarray([bytes], [], "S7"));
  const loaded = await zarr.load(store, { path: "b" });
  assert.deepEqual(loaded, bytes);
});

Deno.test("load of a group returns a record of NDArrays keyed by relative path", async () => {
  const store = new zarr.MemoryStore();
  const root = await zarr.group({ store });
  await root.createArray("a", { data: new Int16Array([1, 2, 3]) });
  const sub = await root.createGroup("sub");
  await sub.createArray("b", { data: new Float32Array([0.5, 1.5]) });
  await sub.createGroup("empty");
  const rec = await zarr.load(store) as Record<string, NDArray>;
  assert.deepEqual(Object.keys(rec).sort(), ["a", "sub/b"]);
  assert.equal(rec.a.dtype, "int16");
  assert.deepEqual(values(rec.a), [1, 2, 3]);
  assert.deepEqual(values(rec["sub/b"]), [0.5, 1.5]);
  // load of a sub-group: keys relative to it
  const sub2 = await zarr.load(store, { path: "sub" }) as Record<string, NDArray>;
  assert.deepEqual(Object.keys(sub2), ["b"]);
});

Deno.test("load never writes: an empty or foreign path stays untouched (test_no_overwrite_load)", async () => {
  await withTempDir(async (dir) => {
    const foreign = `${dir}/a.txt`;
    await Deno.writeFile(foreign, new Uint8Array());
    await assert.rejects(zarr.load(new zarr.LocalStore(dir)), zarr.FileNotFoundError);
    assert.ok(await pathExists(foreign));
    assert.equal(await pathExists(`${dir}/zarr.json`), false);
  });
  const map = new Map<string, Uint8Array>();
  await assert.rejects(zarr.load(map), zarr.FileNotFoundError);
  assert.equal(map.size, 0);
});

Deno.test("ZipStore round trip via the API: save('x.zip', ...) then load('x.zip')", async () => {
  await withTempDir(async (dir) => {
    const p = `${dir}/x.zip`;
    await zarr.save(p, new Float64Array([1, 2, 3]));
    assert.ok(await pathExists(p), "save to a .zip path must leave a zip file behind");
    const a = await zarr.load(p) as NDArray;
    assert.deepEqual(values(a), [1, 2, 3]);

    const g = `${dir}/g.zip`;
    await zarr.save(g, new Int8Array([1, 2]), { named: new Uint16Array([7]) });
    const rec = await zarr.load(g) as Record<string, NDArray>;
    assert.deepEqual(Object.keys(rec).sort(), ["arr_0", "named"]);
    assert.deepEqual(values(rec.arr_0), [1, 2]);
    assert.deepEqual(values(rec.named), [7]);
    // the archive holds real zarr documents
    const zs = await zarr.ZipStore.open(g, { mode: "r" });
    assert.deepEqual(await listKeys(zs), [
      "arr_0/c/0",
      "arr_0/zarr.json",
      "named/c/0",
      "named/zarr.json",
      "zarr.json",
    ]);
    await zs.close();
  });
});

Deno.test("LocalStore path safety via the API: '..' paths and hostile keys are refused", async () => {
  await withTempDir(async (dir) => {
    const root = `${dir}/root.zarr`;
    await Deno.mkdir(root);
    for (const path of ["../escape", "a/../../escape", "./x", "a/./b"]) {
      await assert.rejects(
        zarr.create([2], { store: root, path }),
        zarr.ZarrValueError,
        `path ${path}`,
      );
      await assert.rejects(zarr.group({ store: root, path }), zarr.ZarrValueError);
      await assert.rejects(zarr.openArray({ store: root, path, mode: "r" }), zarr.ZarrValueError);
    }
    const g = await zarr.group({ store: root });
    await assert.rejects(g.createArray("../x", { shape: [1], dtype: "int8" }), zarr.ZarrValueError);
    await assert.rejects(g.getitem(".."), zarr.ZarrValueError);
    // backslashes are path separators, never escapes
    const a = await zarr.create([2], { store: root, path: "w\\v" });
    assert.equal(a.path, "w/v");
    // the store itself refuses traversing keys
    const store = new zarr.LocalStore(root);
    await assert.rejects(store.set("../evil", new Uint8Array([1])), zarr.InvalidKeyError);
    await assert.rejects(store.get("../evil"), zarr.InvalidKeyError);
    // nothing escaped the root
    const outside: string[] = [];
    for await (const e of Deno.readDir(dir)) outside.push(e.name);
    assert.deepEqual(outside, ["root.zarr"]);
  });
});

Deno.test("open/openArray edge cases: w- without shape, no-mode openArray, kwargs ignored, node types", async () => {
  // w- without shape goes the open_array way and fails for want of a shape (TypeError)
  const empty = new Map<string, Uint8Array>();
  await assert.rejects(zarr.open({ store: empty, mode: "w-" }), zarr.ZarrTypeError);
  assert.equal(empty.size, 0);
  // open_array without a mode never creates; r+ does not either
  for (const mode of [undefined, "r+"] as const) {
    await assert.rejects(zarr.openArray({ store: empty, mode }), (e: Error) => {
      assert.ok(e instanceof zarr.ArrayNotFoundError);
      assert.match(e.message, /^No array found in store/);
      return true;
    });
  }
  assert.equal(empty.size, 0);
  // an existing array is returned as is: creation kwargs are ignored
  const store = new zarr.MemoryStore();
  await zarr.create([3, 3], { store, dtype: "int16" });
  const a = await zarr.open({ store, mode: "a", shape: [5], dtype: "float32" });
  assert.ok(a instanceof zarr.AsyncArray);
  assert.deepEqual([a.shape, a.dtype], [[3, 3], "int16"]);
  // a group where an array is expected, and the reverse
  await assert.rejects(zarr.openGroup(store), zarr.ContainsArrayError);
  const gs = new zarr.MemoryStore();
  await zarr.group({ store: gs });
  await assert.rejects(zarr.openArray({ store: gs }), zarr.ContainsGroupError);
  // create_group over existing nodes
  await assert.rejects(zarr.createGroup({ store: gs }), zarr.ContainsGroupError);
  await assert.rejects(zarr.createGroup({ store }), zarr.ContainsArrayError);
  // open mode "r" gives a read-only view; the Map itself stays writable
  const m = new Map<string, Uint8Array>();
  await zarr.create([2], { store: m });
  const ro = await zarr.open({ store: m, mode: "r" }) as zarr.AsyncArray;
  assert.equal(ro.readOnly, true);
  const rw = await zarr.open({ store: m }) as zarr.AsyncArray;
  assert.equal(rw.readOnly, false);
  // a read-only store with a writing mode is a ValueError
  await assert.rejects(
    zarr.open({ store: new zarr.MemoryStore(m, { readOnly: true }), mode: "a" }),
    zarr.ZarrValueError,
  );
  // with no mode, a read-only store opens in "r"
  const viaRo = await zarr.open({ store: new zarr.MemoryStore(m, { readOnly: true }) });
  assert.ok(viaRo instanceof zarr.AsyncArray);
});

Deno.test("save_array over an existing array: ContainsArrayError unless mode w / overwrite", async () => {
  const store = new zarr.MemoryStore();
  await zarr.saveArray(store, new Float64Array([1, 2]));
  await assert.rejects(zarr.saveArray(store, new Float64Array([3])), zarr.ContainsArrayError);
  assert.deepEqual(values(await zarr.load(store) as NDArray), [1, 2]);
  await zarr.saveArray(store, new Int8Array([3]), { mode: "w" });
  assert.deepEqual(values(await zarr.load(store) as NDArray), [3]);
  await zarr.saveArray(store, new Int8Array([4, 5]), { overwrite: true });
  const out = await zarr.load(store) as NDArray;
  assert.deepEqual([out.dtype, values(out)], ["int8", [4, 5]]);
  // save_group wipes the path first (mode "w")
  await zarr.saveGroup(store, new Int8Array([1]));
  assert.deepEqual(await listKeys(store), ["arr_0/c/0", "arr_0/zarr.json", "zarr.json"]);
});
