/**
 * Keys and paths: LocalStore and ZipStore refuse keys that could reach outside their root
 * (`..`, absolute paths, backslashes, NUL, symlinks leading outside), ZipStore bounds the
 * decompressed size of entries (zip bombs), and hostile zips list and read safely.
 */
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import * as zarr from "../../mod.ts";
import { CodecError, InvalidKeyError } from "../../src/errors.ts";
import { LocalStore } from "../../src/stores/local.ts";
import { ZipStore } from "../../src/stores/zip.ts";
import { describe, enc, Figures, withTimeout } from "./_helpers.ts";

const BAD_KEYS = [
  "../x",
  "a/../../x",
  "..",
  ".",
  "a/./b",
  "/etc/passwd",
  "//x",
  "a\\..\\..\\x",
  "..\\x",
  "C:\\x",
  "a\0b",
  "x\0",
  "a//b",
  "a/",
  "",
];

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

Deno.test("keys: LocalStore and ZipStore refuse traversal, absolute, backslash and NUL keys", async () => {
  const fig = new Figures("keys/bad-keys");
  const dir = await Deno.makeTempDir();
  try {
    const outside = `${dir}/outside`;
    await Deno.mkdir(outside);
    const local = new LocalStore(`${dir}/root`, { create: true });
    const zip = await ZipStore.open(`${dir}/z.zip`, { mode: "w" });
    for (const key of BAD_KEYS) {
      const ops: [string, () => Promise<unknown>][] = [
        ["local.get", () => local.get(key)],
        ["local.set", () => local.set(key, enc("evil"))],
        ["local.exists", () => local.exists(key)],
        ["local.delete", () => local.delete(key)],
        ["zip.set", () => zip.set(key, enc("evil"))],
        // "a/" names a directory entry in a zip: answered with undefined there
        ...(key === "a/"
          ? []
          : [["zip.get", () => zip.get(key)] as [string, () => Promise<unknown>]]),
      ];
      for (const [what, op] of ops) {
        fig.cases++;
        try {
          await op();
          fig.fail(`${what}(${JSON.stringify(key)}) was accepted`);
        } catch (e) {
          if (e instanceof InvalidKeyError) fig.zarrErrors++;
          else fig.fail(`${what}(${JSON.stringify(key)}): ${describe(e)}`);
        }
      }
    }
    await zip.close();
    // nothing was written outside the root
    assert.deepEqual(await collect(Deno.readDir(outside)), []);
    assert.ok(!(await Deno.stat(`${dir}/x`).catch(() => undefined)));
    fig.print();
    assert.deepEqual(fig.failures, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keys: LocalStore refuses reads and writes through symlinks leading outside the root", async () => {
  const fig = new Figures("keys/symlinks");
  const dir = await Deno.makeTempDir();
  try {
    const root = `${dir}/root`;
    const outside = `${dir}/outside`;
    await Deno.mkdir(root);
    await Deno.mkdir(outside);
    await Deno.writeTextFile(`${outside}/secret`, "secret");
    await Deno.symlink(outside, `${root}/linkdir`); // directory symlink out of the root
    await Deno.symlink(`${outside}/secret`, `${root}/linkfile`); // file symlink out of the root
    await Deno.mkdir(`${root}/inside`);
    await Deno.writeTextFile(`${root}/inside/ok`, "ok");
    await Deno.symlink(`${root}/inside`, `${root}/innerlink`); // stays inside: allowed
    const store = new LocalStore(root);
    const refused = async (what: string, op: () => Promise<unknown>) => {
      fig.cases++;
      try {
        const r = await op();
        fig.fail(`${what} went through a symlink out of the root (got ${String(r)})`);
      } catch (e) {
        if (e instanceof zarr.ZarrError && /linkdir|linkfile/.test(e.message)) fig.zarrErrors++;
        else fig.fail(`${what}: ${describe(e)}`);
      }
    };
    await refused("get linkdir/secret", () => store.get("linkdir/secret"));
    await refused("ranged get linkdir/secret", () => store.get("linkdir/secret", { offset: 0 }));
    await refused("get linkfile", () => store.get("linkfile"));
    await refused("set linkdir/new", () => store.set("linkdir/new", enc("evil")));
    await refused("set linkdir/sub/new", () => store.set("linkdir/sub/new", enc("evil")));
    await refused("set linkdir/secret", () => store.set("linkdir/secret", enc("evil")));
    await refused("delete linkdir/secret", () => store.delete("linkdir/secret"));
    await refused("exists linkdir/secret", () => store.exists("linkdir/secret"));
    await refused("getSize linkdir/secret", () => store.getSize("linkdir/secret"));
    // the array API over such a store fails too
    await refused(
      "createArray through linkdir",
      () => zarr.createArray(store, { name: "linkdir/arr", shape: [2], dtype: "uint8" }),
    );
    // nothing outside changed
    assert.deepEqual((await collect(Deno.readDir(outside))).map((e) => e.name), ["secret"]);
    assert.equal(await Deno.readTextFile(`${outside}/secret`), "secret");
    // symlinks that stay inside the root keep working
    assert.deepEqual(await store.get("innerlink/ok"), enc("ok"));
    await store.set("innerlink/new", enc("n"));
    assert.equal(await Deno.readTextFile(`${root}/inside/new`), "n");
    fig.print();
    assert.deepEqual(fig.failures, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A minimal zip writer for hostile archives (names, sizes and CRCs as given).
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface RawEntry {
  name: string;
  data: Uint8Array; // as stored
  method: 0 | 8;
  usize: number; // declared
  crc: number;
}

function buildZip(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x800, true);
    lv.setUint16(8, e.method, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.usize, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const c = new Uint8Array(46 + name.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.usize, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    c.set(name, 46);
    parts.push(local, e.data);
    central.push(c);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of all) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const stored = (name: string, text: string): RawEntry => {
  const data = enc(text);
  return { name, data, method: 0, usize: data.length, crc: crc32(data) };
};

Deno.test("keys: ZipStore bounds decompressed size (zip bombs) and lists hostile zips safely", async () => {
  const fig = new Figures("keys/zip");
  const dir = await Deno.makeTempDir();
  try {
    const zeros = new Uint8Array(64 << 20);
    const bombData = new Uint8Array(deflateRawSync(zeros, { level: 9 }));
    const bombCrc = crc32(zeros);
    const entries: RawEntry[] = [
      stored("zarr.json", '{"zarr_format":3,"node_type":"group","attributes":{}}'),
      stored("dup", "first"),
      stored("dup", "second"),
      stored("../x", "traversal"),
      stored("a/../../y", "traversal"),
      stored("/abs", "absolute"),
      stored("C:\\win\\x", "backslash"),
      stored("nul\u0000name", "nul"),
      stored("dir/", ""),
      // declared 100 bytes, inflates to 64 MiB
      { name: "bomb-small", data: bombData, method: 8, usize: 100, crc: bombCrc },
      // declared 4 GiB - 1 from 64 KiB
      { name: "bomb-claim", data: bombData, method: 8, usize: 0xffffffff, crc: bombCrc },
      // declared and real 64 MiB: within deflate's ratio, allowed
      { name: "bomb-honest", data: bombData, method: 8, usize: zeros.length, crc: bombCrc },
    ];
    const path = `${dir}/hostile.zip`;
    await Deno.writeFile(path, buildZip(entries));
    const zip = await ZipStore.open(path, { mode: "r" });
    const keys = await withTimeout(2000, "list", () => collect(zip.list()));
    fig.cases++;
    // listing works and never yields a directory entry
    assert.ok(!keys.includes("dir/"), JSON.stringify(keys));
    assert.ok(keys.includes("zarr.json"));
    assert.equal(keys.filter((k) => k === "dup").length, 1);
    fig.ok++;
    const root = await withTimeout(2000, "listDir", () => collect(zip.listDir("")));
    fig.cases++;
    assert.ok(!root.includes(""), JSON.stringify(root));
    fig.ok++;
    // every traversing, absolute, backslash or NUL name is refused as a key
    for (const k of ["../x", "a/../../y", "/abs", "C:\\win\\x", "nul\u0000name"]) {
      fig.cases++;
      await assert.rejects(() => zip.get(k), InvalidKeyError, k);
      fig.zarrErrors++;
    }
    // bombs
    for (const k of ["bomb-small", "bomb-claim"]) {
      fig.cases++;
      const before = Deno.memoryUsage();
      await assert.rejects(
        () => withTimeout(2000, k, () => zip.get(k)),
        (e: Error) => e instanceof CodecError && e.message.includes(k),
      );
      const after = Deno.memoryUsage();
      assert.ok(after.external - before.external < 16 << 20, `${k}: bounded allocation`);
      fig.zarrErrors++;
    }
    fig.cases++;
    assert.equal((await zip.get("bomb-honest"))!.length, zeros.length);
    fig.ok++;
    // opening the group and listing its members is safe
    fig.cases++;
    const g = await zarr.openGroup(zip, { mode: "r", zarrFormat: 3 });
    await withTimeout(2000, "members", () => g.keys());
    fig.ok++;
    // copying the whole hostile store into a LocalStore never writes outside its root
    fig.cases++;
    const dest = new LocalStore(`${dir}/dest`, { create: true });
    for (const k of keys) {
      try {
        const v = await zip.get(k);
        if (v !== undefined) await dest.set(k, v);
      } catch (e) {
        if (!(e instanceof zarr.ZarrError)) throw e;
      }
    }
    assert.deepEqual(
      (await collect(Deno.readDir(dir))).map((e) => e.name).sort(),
      ["dest", "hostile.zip"],
    );
    fig.ok++;
    await zip.close();
    fig.print();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
