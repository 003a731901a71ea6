import assert from "node:assert/strict";
import { FileNotFoundError, InvalidKeyError, ReadOnlyError, ZarrError } from "../../src/errors.ts";
import { LocalStore } from "../../src/stores/local.ts";
import { storeContract } from "./contract.ts";
import { withTempDir } from "./helpers.ts";

storeContract({
  name: "LocalStore",
  typeName: "LocalStore",
  make: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-local-contract-" });
    const root = `${dir}/store`;
    return {
      store: new LocalStore(root),
      reopen: () => LocalStore.open(root, { mode: "r" }),
      cleanup: () => Deno.remove(dir, { recursive: true }),
    };
  },
});

const enc = new TextEncoder();
const dec = new TextDecoder();

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("LocalStore maps keys to files under the root", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.set("a/c/0/1", enc.encode("chunk"));
    assert.equal(await Deno.readTextFile(`${dir}/a/c/0/1`), "chunk");
    await Deno.writeTextFile(`${dir}/a/zarr.json`, "{}");
    assert.equal(dec.decode(await store.get("a/zarr.json")), "{}");
    assert.equal(store.root, dir);
    assert.equal(String(store), `file://${dir}`);
    assert.equal(await store.getSize("a/c/0/1"), 5);
  });
});

Deno.test("LocalStore accepts file: URLs (string and URL) and relative roots", async () => {
  await withTempDir(async (dir) => {
    const url = new URL(`file://${dir}/u`);
    const a = new LocalStore(url);
    await a.set("k", enc.encode("1"));
    const b = new LocalStore(url.href);
    assert.equal(dec.decode(await b.get("k")), "1");
    assert.equal(a.root, `${dir}/u`);
    const rel = new LocalStore("relative/dir");
    assert.equal(rel.root, `${Deno.cwd()}/relative/dir`);
  });
});

Deno.test("LocalStore refuses path-traversing and malformed keys and touches nothing", async () => {
  await withTempDir(async (outer) => {
    const root = `${outer}/root`;
    await Deno.mkdir(root);
    await Deno.writeTextFile(`${outer}/sentinel`, "keep");
    await Deno.writeTextFile(`${root}/inside`, "in");
    const store = new LocalStore(root);
    const bad = [
      "../x",
      "../sentinel",
      "/etc/passwd",
      "a/../../b",
      "a/../b",
      "a\\b",
      "..\\sentinel",
      "a\0b",
      "",
      "a//b",
      "a/",
      "./a",
      ".",
      "..",
      "a/.",
      ".x.0123456789abcdef.tmp",
    ];
    for (const key of bad) {
      const shown = JSON.stringify(key);
      await assert.rejects(store.set(key, enc.encode("evil")), InvalidKeyError, shown);
      await assert.rejects(store.setIfNotExists(key, enc.encode("evil")), InvalidKeyError, shown);
      await assert.rejects(store.get(key), InvalidKeyError, shown);
      await assert.rejects(store.get(key, { offset: 0, length: 1 }), InvalidKeyError, shown);
      await assert.rejects(store.exists(key), InvalidKeyError, shown);
      await assert.rejects(store.getSize(key), InvalidKeyError, shown);
      await assert.rejects(store.delete(key), InvalidKeyError, shown);
    }
    // the message names the key
    await assert.rejects(store.get("a/../../b"), (e: Error) => e.message.includes("a/../../b"));
    for (const prefix of ["..", "../", "/etc", "a/../..", "a\\b", "a\0"]) {
      await assert.rejects(store.deleteDir(prefix), InvalidKeyError, prefix);
      await assert.rejects(collect(store.listDir(prefix)), InvalidKeyError, prefix);
      await assert.rejects(collect(store.listPrefix(prefix + "/x")), InvalidKeyError, prefix);
    }
    await assert.rejects(collect(store.listPrefix("../")), InvalidKeyError);
    assert.deepEqual(await names(outer), ["root", "sentinel"]);
    assert.deepEqual(await names(root), ["inside"]);
    assert.equal(await Deno.readTextFile(`${outer}/sentinel`), "keep");
  });
});

Deno.test("LocalStore listPrefix accepts a partial last segment", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    for (const k of [".zattrs", ".zgroup", "a/.zarray", "zarr.json"]) {
      await store.set(k, enc.encode(k));
    }
    assert.deepEqual((await collect(store.listPrefix(".z"))).sort(), [".zattrs", ".zgroup"]);
    assert.deepEqual(await collect(store.listPrefix("a/.")), ["a/.zarray"]);
  });
});

Deno.test("LocalStore write interrupted before rename leaves the previous value", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.set("a/k", enc.encode("old value"));
    const rename = Deno.rename;
    Deno.rename = () => Promise.reject(new Deno.errors.Interrupted("simulated failure"));
    try {
      await assert.rejects(
        store.set("a/k", enc.encode("new value that never lands")),
        (e: Error) => e instanceof ZarrError && e.message.includes("a/k"),
      );
    } finally {
      Deno.rename = rename;
    }
    assert.equal(dec.decode(await store.get("a/k")), "old value");
    assert.deepEqual(await names(`${dir}/a`), ["k"]); // the temporary file was removed
  });
});

Deno.test("LocalStore write whose temporary file cannot be created leaves the previous value", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.set("k", enc.encode("old"));
    const open = Deno.open;
    Deno.open = ((path: string | URL, options?: Deno.OpenOptions) => {
      if (options?.createNew) {
        return Promise.reject(new Deno.errors.PermissionDenied("simulated: no space"));
      }
      return open(path, options);
    }) as typeof Deno.open;
    try {
      await assert.rejects(
        store.set("k", enc.encode("new")),
        (e: Error) =>
          e instanceof ZarrError && e.message.includes("permission denied") &&
          e.message.includes("'k'"),
      );
    } finally {
      Deno.open = open;
    }
    assert.equal(dec.decode(await store.get("k")), "old");
    assert.deepEqual(await names(dir), ["k"]);
  });
});

Deno.test("LocalStore write into a read-only directory leaves the previous value", async () => {
  if (Deno.uid() === 0) {
    console.log("SKIPPED chmod check: running as root, permissions are not enforced");
    return;
  }
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.set("a/k", enc.encode("old"));
    await Deno.chmod(`${dir}/a`, 0o555);
    try {
      await assert.rejects(store.set("a/k", enc.encode("new")), ZarrError);
    } finally {
      await Deno.chmod(`${dir}/a`, 0o755);
    }
    assert.equal(dec.decode(await store.get("a/k")), "old");
    assert.deepEqual(await names(`${dir}/a`), ["k"]);
  });
});

Deno.test("LocalStore: a process killed between write and rename leaves the old value; temp files are never listed", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.set("g/c/0", enc.encode("committed"));
    const module = new URL("../../src/stores/local.ts", import.meta.url).href;
    const child = `
      import { LocalStore } from ${JSON.stringify(module)};
      Deno.rename = () => Deno.exit(7); // crash right before the rename
      await new LocalStore(${JSON.stringify(dir)}).set("g/c/0", new Uint8Array(1 << 20).fill(1));
    `;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", child],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 7, new TextDecoder().decode(out.stderr));
    const onDisk = await names(`${dir}/g/c`);
    assert.equal(onDisk.length, 2, `expected the key and a leftover temp file: ${onDisk}`);
    const tmp = onDisk.find((n) => n !== "0");
    assert.match(tmp!, /^\.0\.[0-9a-f]{16}\.tmp$/);
    assert.equal((await Deno.stat(`${dir}/g/c/${tmp}`)).size, 1 << 20);
    assert.equal(dec.decode(await store.get("g/c/0")), "committed");
    assert.deepEqual(await collect(store.list()), ["g/c/0"]);
    assert.deepEqual(await collect(store.listPrefix("g/c/")), ["g/c/0"]);
    assert.deepEqual(await collect(store.listPrefix("g/c/.")), []);
    assert.deepEqual(await collect(store.listDir("g/c")), ["0"]);
  });
});

Deno.test("LocalStore range reads read only the needed bytes (sparse 6 GiB file)", async () => {
  await withTempDir(async (dir) => {
    const size = 6 * 1024 ** 3;
    const f = await Deno.open(`${dir}/huge`, { write: true, create: true });
    await f.truncate(size);
    await f.seek(size - 4, Deno.SeekMode.Start);
    await f.write(new Uint8Array([1, 2, 3, 4]));
    f.close();
    const store = new LocalStore(dir, { readOnly: true });
    assert.equal(await store.getSize("huge"), size);
    assert.deepEqual(await store.get("huge", { suffix: 3 }), new Uint8Array([2, 3, 4]));
    assert.deepEqual(
      await store.get("huge", { offset: size - 6, length: 4 }),
      new Uint8Array([0, 0, 1, 2]),
    );
    assert.deepEqual(await store.get("huge", { offset: size - 2 }), new Uint8Array([3, 4]));
    assert.deepEqual(await store.get("huge", { offset: size + 10 }), new Uint8Array(0));
  });
});

Deno.test("LocalStore read-only on a missing root creates nothing", async () => {
  await withTempDir(async (dir) => {
    const root = `${dir}/missing/deeper`;
    const store = new LocalStore(root, { readOnly: true });
    assert.equal(await store.get("zarr.json"), undefined);
    assert.equal(await store.get("zarr.json", { suffix: 1 }), undefined);
    assert.equal(await store.exists("zarr.json"), false);
    assert.deepEqual(await collect(store.list()), []);
    assert.deepEqual(await collect(store.listDir("")), []);
    assert.deepEqual(await collect(store.listPrefix("a/")), []);
    await assert.rejects(store.set("k", new Uint8Array(1)), ReadOnlyError);
    await assert.rejects(LocalStore.open(root, { mode: "r" }), FileNotFoundError);
    await assert.rejects(LocalStore.open(root, { mode: "r+" }), FileNotFoundError);
    assert.deepEqual(await names(dir), []);
  });
});

Deno.test("LocalStore creates its root on the first write, or at once when asked", async () => {
  await withTempDir(async (dir) => {
    const lazy = new LocalStore(`${dir}/lazy`);
    assert.deepEqual(await names(dir), []);
    await lazy.set("x/y", new Uint8Array([1]));
    assert.deepEqual(await names(dir), ["lazy"]);
    new LocalStore(`${dir}/eager`, { create: true });
    assert.ok((await Deno.stat(`${dir}/eager`)).isDirectory);
    new LocalStore(`${dir}/ro`, { create: true, readOnly: true });
    assert.deepEqual(await names(dir), ["eager", "lazy"]);
    const opened = await LocalStore.open(`${dir}/opened`, { mode: "a" });
    assert.equal(opened.readOnly, false);
    assert.ok((await Deno.stat(`${dir}/opened`)).isDirectory);
    const r = await LocalStore.open(`${dir}/opened`, { mode: "r" });
    assert.equal(r.readOnly, true);
    const rplus = await LocalStore.open(`${dir}/opened`, { mode: "r+" });
    assert.equal(rplus.readOnly, false);
    await Deno.writeTextFile(`${dir}/file`, "x");
    await assert.rejects(LocalStore.open(`${dir}/file`, { mode: "r" }), ZarrError);
  });
});

Deno.test("LocalStore: directories are not keys; keys under a file fail cleanly", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.set("a/b", enc.encode("x"));
    assert.equal(await store.get("a"), undefined);
    assert.equal(await store.get("a", { offset: 0 }), undefined);
    assert.equal(await store.getSize("a"), undefined);
    await store.delete("a"); // a directory: left alone
    assert.equal(await store.exists("a/b"), true);
    // "a/b" is a file, so "a/b/c" cannot be created
    await assert.rejects(
      store.set("a/b/c", enc.encode("y")),
      (e: Error) => e instanceof ZarrError && e.message.includes("a/b/c"),
    );
    assert.equal(await store.get("a/b/c"), undefined);
    assert.equal(dec.decode(await store.get("a/b")), "x");
    // deleteDir of a file path does not delete the file
    await store.deleteDir("a/b");
    assert.equal(await store.exists("a/b"), true);
  });
});

Deno.test('LocalStore deleteDir("") empties the root but keeps it', async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(`${dir}/r`);
    await store.set("a/b", new Uint8Array(1));
    await store.set("c", new Uint8Array(1));
    await store.deleteDir("");
    assert.deepEqual(await names(`${dir}/r`), []);
    assert.deepEqual(await names(dir), ["r"]);
  });
});

Deno.test("LocalStore setIfNotExists under concurrency: exactly one value wins", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    const values = Array.from({ length: 16 }, (_, i) => enc.encode(`writer ${i}`));
    await Promise.all(values.map((v) => store.setIfNotExists("g/zarr.json", v)));
    const got = dec.decode(await store.get("g/zarr.json"));
    assert.match(got, /^writer \d+$/);
    assert.deepEqual(await names(`${dir}/g`), ["zarr.json"]); // no temp files left
    await store.setIfNotExists("g/zarr.json", enc.encode("late"));
    assert.equal(dec.decode(await store.get("g/zarr.json")), got);
  });
});

Deno.test("LocalStore maps file-system errors to ZarrError naming the path", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.set("k", enc.encode("v"));
    const readFile = Deno.readFile;
    Deno.readFile = () => Promise.reject(new Deno.errors.PermissionDenied("simulated"));
    try {
      await assert.rejects(
        store.get("k"),
        (e: Error) =>
          e instanceof ZarrError && e.message.includes(`${dir}/k`) &&
          e.message.includes("permission denied"),
      );
    } finally {
      Deno.readFile = readFile;
    }
  });
});

Deno.test("LocalStore lists symlinked files but does not follow symlinked directories", async () => {
  await withTempDir(async (dir) => {
    const store = new LocalStore(`${dir}/s`);
    await store.set("real/x", enc.encode("x"));
    await Deno.symlink(`${dir}/s/real/x`, `${dir}/s/link`);
    await Deno.symlink(`${dir}/s`, `${dir}/s/real/loop`); // a cycle
    assert.deepEqual((await collect(store.list())).sort(), ["link", "real/x"]);
    assert.equal(dec.decode(await store.get("link")), "x");
    assert.deepEqual((await collect(store.listDir("real"))).sort(), ["loop", "x"]);
  });
});

Deno.test("LocalStore with fsync still round-trips", async () => {
  await withTempDir(async (dir) => {
    const store = await LocalStore.open(dir, { mode: "w", fsync: true });
    await store.set("a", enc.encode("durable"));
    assert.equal(dec.decode(await store.withReadOnly(true).get("a")), "durable");
  });
});
