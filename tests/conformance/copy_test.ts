/**
 * Conformance: `copy`, `copyAll`, `copyStore` with zarr 2.x semantics (zarr-python 3 leaves them
 * unimplemented). Expected log lines and counts are those of zarr 2.18's `zarr/convenience.py`
 * (docstring examples included): `copy /foo`, `copy /foo/bar/baz (100,) int64`,
 * `skip /foo/spam (1000,) int64`, `all done: 3 copied, 0 skipped, 800 bytes copied`, and for dry
 * runs `dry run: 4 copied, 0 skipped` with no bytes copied.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import type { AsyncArray, AsyncGroup } from "../../mod.ts";
import { listKeys, readJSON, values, withTempDir } from "./helpers.ts";

function logSink(): [string[], (l: string) => void] {
  const lines: string[] = [];
  return [lines, (l: string) => void lines.push(l)];
}

const int64Range = (start: number, n: number) =>
  zarr.ndarray(BigInt64Array.from({ length: n }, (_, i) => BigInt(start + i)), [n]);

/** zarr 2's docstring hierarchy: /foo/bar/baz (100,) int64 and /foo/spam (1000,) int64. */
async function docstringSource(): Promise<AsyncGroup> {
  const source = await zarr.group();
  await source.createArray("foo/bar/baz", { data: int64Range(0, 100) });
  await source.createArray("foo/spam", { data: int64Range(0, 1000) });
  return source;
}

Deno.test("copy: zarr 2 docstring example (log lines, counts, the copied tree)", async () => {
  const source = await zarr.group();
  await source.createArray("foo/bar/baz", { data: int64Range(0, 100) });
  await source.createArray("spam", { data: int64Range(100, 100) });
  const dest = await zarr.group();
  const [lines, log] = logSink();
  const counts = await zarr.copy(await source.getitem("foo"), dest, { log });
  assert.deepEqual(counts, [3, 0, 800]);
  assert.deepEqual(lines, [
    "copy /foo",
    "copy /foo/bar",
    "copy /foo/bar/baz (100,) int64",
    "all done: 3 copied, 0 skipped, 800 bytes copied",
  ]);
  assert.equal(
    (await dest.tree()).toString(),
    "/\n└── foo\n    └── bar\n        └── baz (100,) int64\n",
  );
  const baz = await dest.getitem("foo/bar/baz") as AsyncArray;
  assert.deepEqual(values(await baz.getitem(null)), values(int64Range(0, 100)));
});

Deno.test("copy: if_exists raise / replace / skip in dry runs (zarr 2 docstring)", async () => {
  const source = await docstringSource();
  const dest = await zarr.group();
  await dest.createArray("foo/spam", { data: int64Range(0, 1000) });
  const before = await listKeys(dest.store);
  const foo = await source.getitem("foo");

  let [lines, log] = logSink();
  await assert.rejects(zarr.copy(foo, dest, { log, dryRun: true }), (e: Error) => {
    assert.ok(e instanceof zarr.CopyError);
    assert.equal(e.message, "an object 'spam' already exists in destination '/foo'");
    return true;
  });
  assert.deepEqual(lines, ["copy /foo", "copy /foo/bar", "copy /foo/bar/baz (100,) int64"]);

  [lines, log] = logSink();
  assert.deepEqual(await zarr.copy(foo, dest, { log, ifExists: "replace", dryRun: true }), [
    4,
    0,
    0,
  ]);
  assert.deepEqual(lines, [
    "copy /foo",
    "copy /foo/bar",
    "copy /foo/bar/baz (100,) int64",
    "copy /foo/spam (1000,) int64",
    "dry run: 4 copied, 0 skipped",
  ]);

  [lines, log] = logSink();
  assert.deepEqual(await zarr.copy(foo, dest, { log, ifExists: "skip", dryRun: true }), [3, 1, 0]);
  assert.deepEqual(lines, [
    "copy /foo",
    "copy /foo/bar",
    "copy /foo/bar/baz (100,) int64",
    "skip /foo/spam (1000,) int64",
    "dry run: 3 copied, 1 skipped",
  ]);
  // dry runs wrote nothing
  assert.deepEqual(await listKeys(dest.store), before);
});

Deno.test("copy: if_exists for real: skip keeps, replace overwrites, skip_initialized", async () => {
  const source = await docstringSource();
  const foo = await source.getitem("foo");
  // skip: the existing spam keeps its data
  let dest = await zarr.group();
  await dest.createArray("foo/spam", { data: int64Range(5000, 1000) });
  let [lines, log] = logSink();
  assert.deepEqual(await zarr.copy(foo, dest, { log, ifExists: "skip" }), [3, 1, 800]);
  assert.deepEqual(lines.at(-1), "all done: 3 copied, 1 skipped, 800 bytes copied");
  let spam = await dest.getitem("foo/spam") as AsyncArray;
  assert.equal((await spam.getitem(0)).data[0], 5000n);
  // replace: overwritten
  [lines, log] = logSink();
  assert.deepEqual(await zarr.copy(foo, dest, { log, ifExists: "replace" }), [4, 0, 8800]);
  spam = await dest.getitem("foo/spam") as AsyncArray;
  assert.deepEqual(values(await spam.getitem(null)), values(int64Range(0, 1000)));
  // skip_initialized: a fully initialized array is skipped, a partial one copied
  dest = await zarr.group();
  const full = await dest.createArray("foo/spam", { shape: [1000], chunks: [100], dtype: "int64" });
  await full.setitem(null, 7);
  const partial = await dest.createArray("foo/bar/baz", {
    shape: [100],
    chunks: [10],
    dtype: "int64",
  });
  await partial.setitem("0:10", 7);
  [lines, log] = logSink();
  assert.deepEqual(await zarr.copy(foo, dest, { log, ifExists: "skip_initialized" }), [3, 1, 800]);
  assert.ok(lines.includes("skip /foo/spam (1000,) int64"));
  const baz = await dest.getitem("foo/bar/baz") as AsyncArray;
  assert.deepEqual(values(await baz.getitem(null)), values(int64Range(0, 100)));
  assert.equal((await (await dest.getitem("foo/spam") as AsyncArray).getitem(3)).data[0], 7n);
  // raise is the default, also without a dry run
  await assert.rejects(zarr.copy(foo, dest), zarr.CopyError);
  // invalid if_exists
  await assert.rejects(zarr.copy(foo, dest, { ifExists: "bogus" as never }), zarr.ZarrValueError);
});

Deno.test("copy: a group in the way of an array, an array in the way of a group", async () => {
  const source = await docstringSource();
  const dest = await zarr.group();
  await dest.createGroup("spam"); // a group where an array goes
  const spam = await source.getitem("foo/spam");
  await assert.rejects(zarr.copy(spam, dest), zarr.CopyError);
  assert.deepEqual(await zarr.copy(spam, dest, { ifExists: "replace" }), [1, 0, 8000]);
  assert.ok((await dest.getitem("spam")) instanceof zarr.AsyncArray);
  // an array where a group goes
  await dest.createArray("foo", { shape: [1], dtype: "int8" });
  const foo = await source.getitem("foo");
  await assert.rejects(zarr.copy(foo, dest), zarr.CopyError);
  const [lines, log] = logSink();
  assert.deepEqual(await zarr.copy(foo, dest, { ifExists: "skip", log }), [0, 1, 0]);
  assert.deepEqual(lines, ["skip /foo", "all done: 0 copied, 1 skipped, 0 bytes copied"]);
  assert.deepEqual(await zarr.copy(foo, dest, { ifExists: "replace" }), [4, 0, 8800]);
  assert.ok((await dest.getitem("foo")) instanceof zarr.AsyncGroup);
});

Deno.test("copy: name, shallow, without_attrs; the root needs a name", async () => {
  const source = await docstringSource();
  await (await source.getitem("foo")).updateAttributes({ a: 1 });
  const dest = await zarr.group();
  const foo = await source.getitem("foo");
  // shallow: zarr 2 copies a child group only when `root or not shallow`, so the sub-group
  // bar is left out entirely (neither copied nor counted as skipped)
  assert.deepEqual(await zarr.copy(foo, dest, { name: "renamed", shallow: true }), [2, 0, 8000]);
  assert.deepEqual(await (await dest.getitem("renamed") as AsyncGroup).keys(), ["spam"]);
  assert.deepEqual((await dest.getitem("renamed")).attrs, { a: 1 });
  await zarr.copy(foo, dest, { name: "bare", withoutAttrs: true });
  assert.deepEqual((await dest.getitem("bare")).attrs, {});
  await assert.rejects(zarr.copy(source, dest), zarr.ZarrError);
});

for (const [from, to] of [[3, 2], [2, 3], [3, 3], [2, 2]] as const) {
  Deno.test(`copy / copyAll between formats: v${from} -> v${to}, values, chunks, fill and attrs kept`, async () => {
    const src = await zarr.group({ zarrFormat: from, attributes: { title: "root" } });
    const a = await src.createArray("a", {
      shape: [10, 7],
      chunks: [4, 3],
      dtype: "float32",
      fillValue: -1,
      attributes: { units: "K" },
    });
    await a.setitem(
      "0:6, 0:5",
      zarr.ndarray(Float32Array.from({ length: 30 }, (_, i) => i / 2), [6, 5]),
    );
    const sub = await src.createGroup("sub", { attributes: { kind: "group" } });
    const s = await sub.createArray("s", { shape: [3], dtype: "string" });
    await s.setitem(null, ["x", "yy", "zzz"]);
    const i = await sub.createArray("i", { shape: [5], dtype: "int64", fillValue: 3 });
    await i.setitem(1, 99n);

    const dst = await zarr.group({ zarrFormat: to });
    const [lines, log] = logSink();
    const counts = await zarr.copyAll(src, dst, { log });
    assert.deepEqual(counts, [4, 0, 10 * 7 * 4 + 3 * 8 + 5 * 8]);
    assert.deepEqual(lines, [
      "copy /a (10, 7) float32",
      "copy /sub",
      "copy /sub/i (5,) int64",
      "copy /sub/s (3,) string",
      `all done: 4 copied, 0 skipped, ${counts[2].toLocaleString("en-US")} bytes copied`,
    ]);
    assert.deepEqual(dst.attrs, { title: "root" });
    const da = await dst.getitem("a") as AsyncArray;
    assert.equal(da.zarrFormat, to);
    assert.deepEqual(da.chunks, [4, 3]);
    assert.equal(da.fillValue, -1);
    assert.deepEqual(da.attrs, { units: "K" });
    assert.deepEqual(values(await da.getitem(null)), values(await a.getitem(null)));
    // missing chunks stay missing
    assert.equal(await da.nchunksInitialized(), await a.nchunksInitialized());
    const ds = await dst.getitem("sub/s") as AsyncArray;
    assert.deepEqual((await ds.getitem(null)).data, ["x", "yy", "zzz"]);
    const di = await dst.getitem("sub/i") as AsyncArray;
    assert.deepEqual(values(await di.getitem(null)), [3n, 99n, 3n, 3n, 3n]);
    assert.deepEqual((await dst.getitem("sub")).attrs, { kind: "group" });
    // the documents are of the destination format
    if (to === 2) {
      const z = await readJSON(dst.store, "a/.zarray");
      assert.equal(z.dtype, "<f4");
      assert.equal(z.fill_value, -1);
      assert.deepEqual(await readJSON(dst.store, "a/.zattrs"), { units: "K" });
      assert.deepEqual((await readJSON(dst.store, "sub/s/.zarray")).filters, [{ id: "vlen-utf8" }]);
      assert.equal(await dst.store.exists("a/zarr.json"), false);
    } else {
      const z = await readJSON(dst.store, "a/zarr.json");
      assert.equal(z.data_type, "float32");
      assert.deepEqual((z.chunk_grid as { configuration: unknown }).configuration, {
        chunk_shape: [4, 3],
      });
      assert.equal(await dst.store.exists("a/.zarray"), false);
    }
    // and readable by a fresh open
    const again = await zarr.openArray({ store: dst.store, path: "a", mode: "r" });
    assert.deepEqual(values(await again.getitem(null)), values(await a.getitem(null)));
  });
}

Deno.test("copyAll: dry run writes nothing and reports no bytes", async () => {
  const src = await docstringSource();
  const dst = await zarr.group();
  const [lines, log] = logSink();
  assert.deepEqual(await zarr.copyAll(src, dst, { log, dryRun: true }), [4, 0, 0]);
  assert.deepEqual(lines, [
    "copy /foo",
    "copy /foo/bar",
    "copy /foo/bar/baz (100,) int64",
    "copy /foo/spam (1000,) int64",
    "dry run: 4 copied, 0 skipped",
  ]);
  assert.deepEqual(await listKeys(dst.store), ["zarr.json"]);
});

Deno.test("copyStore: raw keys, paths, if_exists, dry run, excludes/includes, log lines", async () => {
  const src = new zarr.MemoryStore();
  const g = await zarr.group({ store: src });
  const a = await g.createArray("foo/a", { shape: [4], chunks: [2], dtype: "int16" });
  await a.setitem(null, [1, 2, 3, 4]);
  const keys = await listKeys(src);
  assert.deepEqual(keys, [
    "foo/a/c/0",
    "foo/a/c/1",
    "foo/a/zarr.json",
    "foo/zarr.json",
    "zarr.json",
  ]);
  let total = 0;
  for (const k of keys) total += (await src.get(k))!.length;

  // everything, byte-identical
  const dst = new zarr.MemoryStore();
  let [lines, log] = logSink();
  assert.deepEqual(await zarr.copyStore(src, dst, { log }), [5, 0, total]);
  assert.deepEqual(lines, [
    ...keys.map((k) => `copy ${k}`),
    `all done: 5 copied, 0 skipped, ${total.toLocaleString("en-US")} bytes copied`,
  ]);
  for (const k of keys) assert.deepEqual(await dst.get(k), await src.get(k));
  const copied = await zarr.openArray({ store: dst, path: "foo/a" });
  assert.deepEqual(values(await copied.getitem(null)), [1, 2, 3, 4]);

  // existing keys: raise (default), skip, replace
  await assert.rejects(
    zarr.copyStore(src, dst),
    (e: Error) =>
      e instanceof zarr.CopyError && e.message === "key 'foo/a/c/0' exists in destination",
  );
  [lines, log] = logSink();
  assert.deepEqual(await zarr.copyStore(src, dst, { ifExists: "skip", log }), [0, 5, 0]);
  assert.equal(lines[0], "skip foo/a/c/0");
  assert.deepEqual(await zarr.copyStore(src, dst, { ifExists: "replace" }), [5, 0, total]);
  await assert.rejects(
    zarr.copyStore(src, dst, { ifExists: "skip_initialized" as never }),
    zarr.ZarrValueError,
  );

  // dry run: nothing written, no bytes counted, zarr 2's summary
  const empty = new zarr.MemoryStore();
  [lines, log] = logSink();
  assert.deepEqual(await zarr.copyStore(src, empty, { dryRun: true, log }), [5, 0, 0]);
  assert.deepEqual(await listKeys(empty), []);
  assert.deepEqual(lines.at(-1), "dry run: 5 copied, 0 skipped");
  assert.equal(lines[0], "copy foo/a/c/0");

  // source and destination paths: keys are re-rooted and the log shows the mapping
  const moved = new zarr.MemoryStore();
  [lines, log] = logSink();
  assert.deepEqual(
    (await zarr.copyStore(src, moved, { sourcePath: "foo", destPath: "bar/baz", log })).slice(0, 2),
    [4, 0],
  );
  assert.deepEqual(await listKeys(moved), [
    "bar/baz/a/c/0",
    "bar/baz/a/c/1",
    "bar/baz/a/zarr.json",
    "bar/baz/zarr.json",
  ]);
  assert.equal(lines[0], "copy foo/a/c/0 -> bar/baz/a/c/0");

  // excludes, with includes winning back
  const filtered = new zarr.MemoryStore();
  await zarr.copyStore(src, filtered, { excludes: ["/c/"], includes: ["c/1$"] });
  assert.deepEqual(await listKeys(filtered), [
    "foo/a/c/1",
    "foo/a/zarr.json",
    "foo/zarr.json",
    "zarr.json",
  ]);
});

Deno.test("copyStore between a LocalStore and a zip file by path", async () => {
  await withTempDir(async (dir) => {
    await zarr.save(`${dir}/src.zarr`, { x: new Float64Array([1, 2, 3]), y: new Int8Array([4]) });
    for (const target of [`${dir}/dst.zarr`, `${dir}/dst.zip`]) {
      const n = await zarr.copyStore(`${dir}/src.zarr`, target);
      assert.equal(n[0], 5);
      const rec = await zarr.load(target) as Record<string, zarr.NDArray>;
      assert.deepEqual(values(rec.x), [1, 2, 3]);
      assert.deepEqual(values(rec.y), [4]);
    }
    // and back out of the zip
    await zarr.copyStore(`${dir}/dst.zip`, `${dir}/back.zarr`);
    assert.deepEqual(
      await listKeys(new zarr.LocalStore(`${dir}/back.zarr`)),
      await listKeys(new zarr.LocalStore(`${dir}/src.zarr`)),
    );
  });
});
