import assert from "node:assert/strict";
import {
  CodecError,
  FileNotFoundError,
  InvalidKeyError,
  ReadOnlyError,
  ZarrError,
  ZarrValueError,
} from "../../src/errors.ts";
import { LocalStore } from "../../src/stores/local.ts";
import { ZipStore } from "../../src/stores/zip.ts";
import { storeContract } from "./contract.ts";
import { FIXTURES, python, sha256, withTempDir } from "./helpers.ts";

storeContract({
  name: "ZipStore(w)",
  typeName: "ZipStore",
  make: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-zip-contract-" });
    const path = `${dir}/store.zip`;
    return {
      store: await ZipStore.open(path, { mode: "w" }),
      reopen: () => ZipStore.open(path, { mode: "r" }),
      cleanup: () => Deno.remove(dir, { recursive: true }),
    };
  },
});

storeContract({
  name: "ZipStore(lazy a)",
  typeName: "ZipStore",
  make: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-zip-contract-" });
    const path = `${dir}/store.zip`;
    return {
      store: new ZipStore(path, { mode: "a" }),
      reopen: () => Promise.resolve(new ZipStore(path, { mode: "r" })),
      cleanup: () => Deno.remove(dir, { recursive: true }),
    };
  },
});

const enc = new TextEncoder();
const dec = new TextDecoder();
const V2_ZIP = `${FIXTURES}/v2-zarr-python-2.13/data.zarr.zip`;
const V2_DIR = `${FIXTURES}/v2-zarr-python-2.13/data.zarr`;
const V3_WITHIN = `${FIXTURES}/zarrita-js/v3/data.zipped_from_within.zarr.zip`;
const V3_PARENT = `${FIXTURES}/zarrita-js/v3/data.zipped_from_parent.zarr.zip`;
const V3_STORED = `${FIXTURES}/zarrita-js/v3/data.uncompressed.zarr.zip`;

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

/** Python's view of a zip: name -> [compress_type, sha256], after `testzip()`. */
async function pythonView(path: string): Promise<Record<string, [number, string]> | undefined> {
  const out = await python(
    `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    assert bad is None, bad
    names = z.namelist()
    assert len(names) == len(set(names)), "duplicate names"
    print(json.dumps({i.filename: [i.compress_type, hashlib.sha256(z.read(i)).hexdigest()]
                      for i in z.infolist()}))
`,
    [path],
  );
  return out === undefined ? undefined : JSON.parse(out);
}

Deno.test("ZipStore reads the zarr-python 2.13 fixture zip like the directory", async () => {
  const zip = await ZipStore.open(V2_ZIP, { mode: "r" });
  try {
    assert.equal(zip.readOnly, true);
    const zgroup = JSON.parse(dec.decode(await zip.get(".zgroup")));
    assert.equal(zgroup.zarr_format, 2);
    const root = (await collect(zip.listDir(""))).sort();
    assert.deepEqual(root, [
      ".zattrs",
      ".zgroup",
      ".zmetadata",
      "compressors",
      "dtypes",
      "fill_values",
      "filters",
      "hierarchy",
      "order",
      "separators",
      "strings",
    ]);
    const dir = new LocalStore(V2_DIR, { readOnly: true });
    const keys = (await collect(zip.list())).sort();
    assert.deepEqual(keys, (await collect(dir.list())).sort());
    assert.ok(keys.length > 700);
    for (const k of keys) assert.deepEqual(await zip.get(k), await dir.get(k), k);
  } finally {
    await zip.close();
  }
});

Deno.test("ZipStore reads deflated zarrita fixtures (within and from parent)", async () => {
  const within = await ZipStore.open(V3_WITHIN, { mode: "r" });
  const parent = await ZipStore.open(V3_PARENT, { mode: "r" });
  const stored = await ZipStore.open(V3_STORED, { mode: "r" });
  try {
    const meta = JSON.parse(dec.decode(await within.get("zarr.json")));
    assert.equal(meta.zarr_format, 3);
    assert.equal(meta.node_type, "group");
    const root = (await collect(within.listDir(""))).sort();
    assert.ok(root.includes("zarr.json") && root.includes("my group with spaces"), `${root}`);
    assert.ok(root.includes("3d.chunked.i2") && root.includes("consolidated"));
    assert.equal(new Set(root).size, root.length);
    assert.deepEqual(await collect(parent.listDir("")), ["data.zarr"]);
    assert.deepEqual((await collect(parent.listDir("data.zarr"))).sort(), root);
    // directory entries are not keys
    assert.equal(await within.exists("3d.chunked.i2/"), false);
    assert.equal(await within.get("3d.chunked.i2/"), undefined);
    const keys = await collect(within.list());
    assert.ok(keys.every((k) => !k.endsWith("/")));
    assert.deepEqual(keys.slice().sort(), (await collect(stored.list())).sort());
    for (const k of keys) {
      const a = await within.get(k);
      assert.ok(a !== undefined, k);
      assert.deepEqual(a, await stored.get(k), k);
      assert.deepEqual(await parent.get(`data.zarr/${k}`), a, k);
      assert.equal(await within.getSize(k), a.length);
    }
    assert.deepEqual(
      (await collect(parent.listPrefix("data.zarr/3d.chunked.i2/"))).map((k) => k.slice(10))
        .sort(),
      (await collect(within.listPrefix("3d.chunked.i2/"))).sort(),
    );
  } finally {
    await Promise.all([within.close(), parent.close(), stored.close()]);
  }
});

Deno.test("ZipStore fixture entries match Python's zipfile byte for byte", async () => {
  for (const path of [V3_WITHIN, V2_ZIP]) {
    const view = await pythonView(path);
    if (view === undefined) return;
    const zip = await ZipStore.open(path, { mode: "r" });
    try {
      for (const [name, [, hash]] of Object.entries(view)) {
        if (name.endsWith("/")) continue;
        assert.equal(await sha256((await zip.get(name))!), hash, name);
      }
      assert.equal(
        (await collect(zip.list())).length,
        Object.keys(view).filter((n) => !n.endsWith("/")).length,
      );
    } finally {
      await zip.close();
    }
  }
});

Deno.test("ZipStore range reads of stored and deflated entries", async () => {
  const within = await ZipStore.open(V3_WITHIN, { mode: "r" });
  const stored = await ZipStore.open(V3_STORED, { mode: "r" });
  try {
    const key = "3d.chunked.i2/zarr.json"; // deflated in `within`, stored in `stored`
    const full = (await stored.get(key))!;
    assert.ok(full.length > 100);
    for (const z of [within, stored]) {
      assert.deepEqual(await z.get(key, { offset: 10, length: 20 }), full.slice(10, 30));
      assert.deepEqual(await z.get(key, { offset: 700 }), full.slice(700));
      assert.deepEqual(await z.get(key, { suffix: 15 }), full.slice(-15));
      assert.deepEqual(await z.get(key, { offset: 5000, length: 3 }), new Uint8Array(0));
    }
  } finally {
    await within.close();
    await stored.close();
  }
});

Deno.test("ZipStore written with mode w is readable by Python's zipfile (STORED)", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/out.zarr.zip`;
    const store = await ZipStore.open(path, { mode: "w" });
    const data: Record<string, Uint8Array> = {
      "zarr.json": enc.encode('{"zarr_format":3,"node_type":"group"}'),
      "a/c/0/0": crypto.getRandomValues(new Uint8Array(5000)),
      "a/c/0/1": new Uint8Array(0),
      "grüße/ключ": enc.encode("unicode"),
    };
    for (const [k, v] of Object.entries(data)) await store.set(k, v);
    await store.set("a/c/0/0", data["a/c/0/0"]); // replace: still one entry
    await store.close();
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name),
      ["out.zarr.zip"],
    ); // no temp file left behind
    const view = await pythonView(path);
    if (view !== undefined) {
      assert.deepEqual(Object.keys(view), Object.keys(data));
      for (const [k, v] of Object.entries(data)) {
        assert.deepEqual(view[k], [0, await sha256(v)], k);
      }
    }
    const r = await ZipStore.open(path, { mode: "r" });
    for (const [k, v] of Object.entries(data)) assert.deepEqual(await r.get(k), v);
    await r.close();
  });
});

Deno.test("ZipStore with deflate compression is readable by Python", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/d.zip`;
    const store = await ZipStore.open(path, { mode: "w", compression: "deflate" });
    const text = enc.encode("compressible ".repeat(1000));
    const noise = crypto.getRandomValues(new Uint8Array(1000));
    await store.set("text", text);
    await store.set("noise", noise); // deflate would grow it: stored instead
    await store.close();
    assert.ok((await Deno.stat(path)).size < text.length);
    const view = await pythonView(path);
    if (view !== undefined) {
      assert.deepEqual(view.text, [8, await sha256(text)]);
      assert.deepEqual(view.noise, [0, await sha256(noise)]);
    }
    const r = await ZipStore.open(path, { mode: "r" });
    assert.deepEqual(await r.get("text"), text);
    assert.deepEqual(await r.get("text", { offset: 13, length: 13 }), text.slice(13, 26));
    assert.deepEqual(await r.get("noise"), noise);
    await r.close();
  });
});

Deno.test("ZipStore mode a adds, replaces and deletes keys of an existing zip", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/a.zip`;
    await Deno.copyFile(V3_WITHIN, path); // deflated entries and directory entries
    const before = await ZipStore.open(V3_WITHIN, { mode: "r" });
    const origKeys = await collect(before.list());
    const store = await ZipStore.open(path, { mode: "a" });
    assert.equal(store.readOnly, false);
    await store.set("zarr.json", enc.encode("{}"));
    await store.set("new/key", enc.encode("added"));
    await store.delete("3d.chunked.i2/c/0/0/1");
    await store.deleteDir("consolidated");
    await store.close();
    await store.close(); // twice is fine
    const after = await ZipStore.open(path, { mode: "r" });
    const expected = origKeys.filter(
      (k) => k !== "3d.chunked.i2/c/0/0/1" && !k.startsWith("consolidated/"),
    ).concat("new/key");
    assert.deepEqual((await collect(after.list())).sort(), expected.sort());
    assert.equal(dec.decode(await after.get("zarr.json")), "{}");
    assert.equal(dec.decode(await after.get("new/key")), "added");
    for (const k of expected) {
      if (k === "zarr.json" || k === "new/key") continue;
      assert.deepEqual(await after.get(k), await before.get(k), k);
    }
    assert.ok(!(await collect(after.listDir(""))).includes("consolidated"));
    const view = await pythonView(path);
    if (view !== undefined) {
      assert.deepEqual(
        Object.keys(view).filter((n) => !n.endsWith("/")).sort(),
        expected.sort(),
      );
      assert.equal(view["zarr.json"][1], await sha256(enc.encode("{}")));
    }
    await before.close();
    await after.close();
  });
});

Deno.test("ZipStore flush writes the archive and stays usable", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/f.zip`;
    const store = await ZipStore.open(path, { mode: "w" });
    await store.set("one", enc.encode("1"));
    await store.flush();
    const r1 = await ZipStore.open(path, { mode: "r" });
    assert.deepEqual(await collect(r1.list()), ["one"]);
    await r1.close();
    await store.set("two", enc.encode("2"));
    assert.equal(dec.decode(await store.get("one")), "1"); // now read from the file
    await store.close();
    const r2 = await ZipStore.open(path, { mode: "r" });
    assert.deepEqual(await collect(r2.list()), ["one", "two"]);
    await r2.close();
    // after close, a store re-opens the written file on use (not truncating it)
    assert.equal(dec.decode(await store.get("two")), "2");
    await store.close();
  });
});

Deno.test("ZipStore mode w on an existing file replaces it on close; empty archive", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/w.zip`;
    await Deno.copyFile(V3_STORED, path);
    const store = await ZipStore.open(path, { mode: "w" });
    assert.deepEqual(await collect(store.list()), []);
    await store.close();
    assert.equal((await Deno.stat(path)).size, 22); // just the end record
    const view = await pythonView(path);
    if (view !== undefined) assert.deepEqual(view, {});
    const r = await ZipStore.open(path, { mode: "r" });
    assert.deepEqual(await collect(r.list()), []);
    await r.close();
  });
});

Deno.test("ZipStore read mode refuses writes; withReadOnly(false) can write", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/r.zip`;
    await Deno.copyFile(V3_STORED, path);
    const r = await ZipStore.open(path, { mode: "r" });
    assert.equal(r.readOnly, true);
    assert.equal(r.supportsDeletes, false);
    await assert.rejects(r.set("x", new Uint8Array(1)), ReadOnlyError);
    await assert.rejects(r.delete("zarr.json"), ReadOnlyError);
    await assert.rejects(r.deleteDir(""), ReadOnlyError);
    const before = await Deno.readFile(path);
    await r.close();
    assert.deepEqual(await Deno.readFile(path), before); // untouched
    const w = r.withReadOnly(false);
    await w.set("extra", enc.encode("e"));
    await w.close();
    const again = await ZipStore.open(path, { mode: "r" });
    assert.equal(dec.decode(await again.get("extra")), "e");
    assert.ok(await again.exists("zarr.json"));
    await again.close();
  });
});

Deno.test("ZipStore refuses invalid keys on write", async () => {
  await withTempDir(async (dir) => {
    const store = await ZipStore.open(`${dir}/k.zip`, { mode: "w" });
    for (const k of ["../x", "/abs", "a//b", "a/", "a\\b", "a\0b", ""]) {
      await assert.rejects(store.set(k, new Uint8Array(1)), InvalidKeyError, JSON.stringify(k));
    }
    assert.deepEqual(await collect(store.list()), []);
    await store.close();
  });
});

Deno.test("ZipStore errors: missing file, not a zip, truncated, bad CRC, hostile sizes", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(ZipStore.open(`${dir}/missing.zip`, { mode: "r" }), FileNotFoundError);
    const lazy = new ZipStore(`${dir}/missing.zip`, { mode: "r" }); // lazy: no error yet
    await assert.rejects(lazy.get("zarr.json"), FileNotFoundError);

    await Deno.writeTextFile(`${dir}/text.zip`, "this is not a zip file at all, really");
    await assert.rejects(
      ZipStore.open(`${dir}/text.zip`, { mode: "r" }),
      (e: Error) => e instanceof ZarrValueError && e.message.includes("text.zip"),
    );

    const good = await Deno.readFile(V3_STORED);
    await Deno.writeFile(`${dir}/trunc.zip`, good.subarray(0, good.length - 100));
    await assert.rejects(ZipStore.open(`${dir}/trunc.zip`, { mode: "r" }), ZarrError);

    // a zip with one stored entry "k" = "hello world"; flip a payload byte
    const p = `${dir}/crc.zip`;
    const w = await ZipStore.open(p, { mode: "w" });
    await w.set("k", enc.encode("hello world"));
    await w.close();
    const bytes = await Deno.readFile(p);
    const at = 30 + 1; // local header + name "k"
    assert.equal(dec.decode(bytes.subarray(at, at + 5)), "hello");
    bytes[at] ^= 0xff;
    await Deno.writeFile(p, bytes);
    const c = await ZipStore.open(p, { mode: "r" });
    await assert.rejects(c.get("k"), CodecError);
    // ranged reads of stored entries do not verify the CRC (they read only a slice)
    assert.equal(dec.decode(await c.get("k", { offset: 6 })), "world");
    await c.close();

    // a deflated entry whose central directory claims a gigantic uncompressed size
    const d = `${dir}/bomb.zip`;
    const dw = await ZipStore.open(d, { mode: "w", compression: "deflate" });
    await dw.set("k", enc.encode("a".repeat(1000)));
    await dw.close();
    const db = await Deno.readFile(d);
    const dv = new DataView(db.buffer);
    let cd = db.length - 22;
    cd = dv.getUint32(cd + 16, true); // central directory offset
    assert.equal(dv.getUint32(cd, true), 0x02014b50);
    dv.setUint32(cd + 24, 0xfffffff0, true); // uncompressed size
    await Deno.writeFile(d, db);
    const dz = await ZipStore.open(d, { mode: "r" });
    await assert.rejects(dz.get("k"), CodecError);
    await dz.close();
  });
});

Deno.test("ZipStore reads zips written by Python (stored, deflated, zip64, unicode)", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/py.zip`;
    const out = await python(
      `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("stored", b"s" * 100, compress_type=zipfile.ZIP_STORED)
    z.writestr("deflated", b"d" * 10000, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("naïve/ключ", b"u", compress_type=zipfile.ZIP_STORED)
    with z.open("forced64", "w", force_zip64=True) as f:
        f.write(b"z" * 50)
print("ok")
`,
      [path],
    );
    if (out === undefined) return;
    const z = await ZipStore.open(path, { mode: "r" });
    assert.deepEqual(await collect(z.list()), ["stored", "deflated", "naïve/ключ", "forced64"]);
    assert.deepEqual(await z.get("stored"), enc.encode("s".repeat(100)));
    assert.deepEqual(await z.get("deflated"), enc.encode("d".repeat(10000)));
    assert.deepEqual(await z.get("naïve/ключ"), enc.encode("u"));
    assert.deepEqual(await z.get("forced64"), enc.encode("z".repeat(50)));
    assert.deepEqual(await z.get("forced64", { suffix: 2 }), enc.encode("zz"));
    await z.close();
  });
});

Deno.test("ZipStore reads ZIP64 extra fields in the central directory (Python, low limits)", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/z64.zip`;
    // Lowering zipfile's limits makes Python write ZIP64 sizes/offsets and end records for
    // a tiny archive: the central directory then holds 0xFFFFFFFF and the real values live
    // in the ZIP64 extra field.
    const out = await python(
      `
import sys, zipfile
zipfile.ZIP64_LIMIT = 16
zipfile.ZIP_FILECOUNT_LIMIT = 2
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("a", b"A" * 100)
    z.writestr("b/c", b"B" * 40, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("d", b"D" * 64)
print("ok")
`,
      [path],
    );
    if (out === undefined) return;
    const bytes = await Deno.readFile(path);
    const view = new DataView(bytes.buffer);
    const eocd = bytes.length - 22;
    assert.equal(view.getUint32(eocd - 20, true), 0x07064b50, "expected a ZIP64 locator");
    const z = await ZipStore.open(path, { mode: "r" });
    assert.deepEqual(await collect(z.list()), ["a", "b/c", "d"]);
    assert.deepEqual(await z.get("a"), enc.encode("A".repeat(100)));
    assert.deepEqual(await z.get("b/c"), enc.encode("B".repeat(40)));
    assert.deepEqual(await z.get("d", { suffix: 4 }), enc.encode("DDDD"));
    assert.equal(await z.getSize("a"), 100);
    await z.close();
  });
});

Deno.test("ZipStore handles ZIP64 end records (more than 65535 entries) both ways", async () => {
  await withTempDir(async (dir) => {
    const n = 65_600;
    const path = `${dir}/many.zip`;
    const store = await ZipStore.open(path, { mode: "w" });
    for (let i = 0; i < n; i++) await store.set(`c/${i}`, enc.encode(String(i)));
    await store.close();
    const r = await ZipStore.open(path, { mode: "r" });
    assert.equal((await collect(r.list())).length, n);
    assert.equal(dec.decode(await r.get(`c/${n - 1}`)), String(n - 1));
    await r.close();
    const out = await python(
      `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    print(len(names), z.read(names[-1]).decode(), z.read("c/123").decode())
`,
      [path],
    );
    if (out !== undefined) assert.equal(out.trim(), `${n} ${n - 1} 123`);
    // and a Python-written archive with that many entries
    const py = `${dir}/many_py.zip`;
    const made = await python(
      `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(${n}):
        z.writestr(f"k/{i}", str(i))
`,
      [py],
    );
    if (made === undefined) return;
    const rp = await ZipStore.open(py, { mode: "r" });
    assert.equal((await collect(rp.list())).length, n);
    assert.equal(dec.decode(await rp.get("k/65599")), "65599");
    await rp.close();
  });
});

Deno.test("ZipStore reads an archive with leading bytes (self-extractor style)", async () => {
  await withTempDir(async (dir) => {
    const zip = await Deno.readFile(V3_STORED);
    const prefix = enc.encode("#!/bin/sh\necho not really a self-extractor\n");
    const both = new Uint8Array(prefix.length + zip.length);
    both.set(prefix);
    both.set(zip, prefix.length);
    await Deno.writeFile(`${dir}/sfx.zip`, both);
    const a = await ZipStore.open(`${dir}/sfx.zip`, { mode: "r" });
    const b = await ZipStore.open(V3_STORED, { mode: "r" });
    for (const k of ["zarr.json", "3d.chunked.i2/zarr.json"]) {
      assert.deepEqual(await a.get(k), await b.get(k));
    }
    await a.close();
    await b.close();
  });
});

Deno.test("ZipStore exposes path, mode and toString", async () => {
  await withTempDir(async (dir) => {
    const s = new ZipStore(new URL(`file://${dir}/u.zip`), { mode: "w" });
    assert.equal(s.path, `${dir}/u.zip`);
    assert.equal(s.mode, "w");
    assert.equal(String(s), `zip://${dir}/u.zip`);
    await s.set("k", new Uint8Array(1));
    await s.close();
    assert.equal(s.mode, "a");
    assert.ok((await Deno.stat(`${dir}/u.zip`)).isFile);
    assert.throws(() => new ZipStore(`${dir}/x.zip`, { mode: "x" as "r" }), ZarrValueError);
  });
});
