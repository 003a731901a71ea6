/**
 * Interop: the zarrita.js v2 fixtures (written by zarr-python 2.18.1), from the directory and the
 * two zips. Expected values are our own reading of zarrita.js's `scripts/generate-v2.py`. Most
 * arrays use zarr 2's default Blosc compressor and are out of scope for now (they must raise a
 * ZarrError subclass); the v2 layouts must read equal to the v3 fixture.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import {
  arange,
  checkOutOfScope,
  classifyV2,
  filterZmetadata,
  firstMismatch,
  FIXTURES,
  fixturesMissing,
  notCContiguous,
  printTable,
  readAll,
  recordingStore,
  type Row,
  type V2Zarray,
} from "./helpers.ts";

const BASE = "zarrita-js/v2";
const SKIP = fixturesMissing("zarrita-js v2", [
  `${BASE}/data.zarr/.zmetadata`,
  `${BASE}/data.zipped_from_within.zarr.zip`,
  `${BASE}/data.zipped_from_parent.zarr.zip`,
  "zarrita-js/v3/data.zarr/zarr.json",
]);

interface Expect {
  dtype: string;
  shape: number[];
  values: unknown[];
}
const e = (dtype: string, shape: number[], values: unknown[]): Expect => ({ dtype, shape, values });
const enc = (s: string) => btoa(s); // fixed bytes are compared as base64 of the stripped value

/** numcodecs BitRound on float32 values (round half to even on the kept mantissa bits). */
function bitround(values: number[], keepbits: number): number[] {
  const f = new Float32Array(values);
  const u = new Uint32Array(f.buffer);
  const maskbits = 23 - keepbits;
  const mask = (0xffffffff >>> maskbits) << maskbits >>> 0;
  const half = (1 << (maskbits - 1)) - 1;
  for (let i = 0; i < u.length; i++) {
    u[i] = ((u[i] + ((u[i] >>> maskbits) & 1) + half) & mask) >>> 0;
  }
  return Array.from(f);
}

const I2 = [1, 2, 3, 4];
const STR4 = ["a", "b", "cc", "d"];
/** What generate-v2.py writes into each array (flat C order). */
const EXPECT: Record<string, Expect> = {
  "1d.contiguous.zlib.i2": e("int16", [4], I2),
  "1d.contiguous.blosc.i2": e("int16", [4], I2),
  "1d.contiguous.lz4.i2": e("int16", [4], I2),
  "1d.contiguous.zstd.i2": e("int16", [4], I2),
  "1d.contiguous.raw.i2": e("int16", [4], I2),
  "1d.contiguous.i4": e("int32", [4], I2),
  "1d.contiguous.u1": e("uint8", [4], [255, 0, 255, 0]),
  "1d.contiguous.f4.le": e("float32", [4], [-1000.5, 0, 1000.5, 0]),
  "1d.contiguous.f4.be": e("float32", [4], [-1000.5, 0, 1000.5, 0]),
  "1d.contiguous.f8": e("float64", [4], [1.5, 2.5, 3.5, 4.5]),
  "1d.contiguous.U13.le": e("U13", [4], STR4),
  "1d.contiguous.U13.be": e("U13", [4], STR4),
  "1d.contiguous.U7": e("U7", [4], STR4),
  "1d.contiguous.S7": e("S7", [4], STR4.map(enc)),
  "1d.contiguous.b1": e("bool", [4], [true, false, true, false]),
  "1d.chunked.i2": e("int16", [4], I2),
  "1d.chunked.ragged.i2": e("int16", [5], [1, 2, 3, 4, 5]),
  "2d.contiguous.i2": e("int16", [2, 2], I2),
  "2d.chunked.i2": e("int16", [2, 2], I2),
  "2d.chunked.U7": e("U7", [2, 2], STR4),
  "2d.chunked.ragged.i2": e("int16", [3, 3], arange(9, 1)),
  "3d.contiguous.i2": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.i2": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.mixed.i2.C": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.mixed.i2.F": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.O": e("string", [2, 2, 2], ["a", "aa", "aaa", "aaaa", "b", "bb", "bbb", "bbbb"]),
  "1d.contiguous.shuffle.i2": e("int16", [4], I2),
  "1d.contiguous.delta.i2": e("int16", [4], I2),
  "1d.contiguous.delta.shuffle.i2": e("int16", [4], [10, 20, 30, 40]),
  // stored as round((x - 1000) * 10) in int16, decoded as k / 10 + 1000 in float32
  "1d.contiguous.fixedscaleoffset.f4": e(
    "float32",
    [4],
    [0, 1, 2, 3].map((k) => Math.fround(k / 10 + 1000)),
  ),
  "1d.contiguous.bitround.f4": e("float32", [4], bitround([1.1, 2.2, 3.3, 4.4], 3)),
  "1d.contiguous.json2.O": e("string", [4], ["foo", "bar", "baz", "qux"]),
};

function discover(): Map<string, V2Zarray & { order: string }> {
  const root = `${FIXTURES}/${BASE}/data.zarr`;
  const out = new Map<string, V2Zarray & { order: string }>();
  for (const ent of Deno.readDirSync(root)) {
    try {
      out.set(ent.name, JSON.parse(Deno.readTextFileSync(`${root}/${ent.name}/.zarray`)));
    } catch {
      // a group
    }
  }
  return out;
}
const DOCS = SKIP ? new Map<string, V2Zarray & { order: string }>() : discover();

const VARIANTS = [
  {
    label: "LocalStore data.zarr",
    open: (): Promise<zarr.Store> =>
      Promise.resolve(new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true })),
    prefix: "",
  },
  {
    label: "ZipStore data.zipped_from_within.zarr.zip",
    open: (): Promise<zarr.Store> =>
      zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.zipped_from_within.zarr.zip`, { mode: "r" }),
    prefix: "",
  },
  {
    label: "ZipStore data.zipped_from_parent.zarr.zip (under data.zarr/)",
    open: (): Promise<zarr.Store> =>
      zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.zipped_from_parent.zarr.zip`, { mode: "r" }),
    prefix: "data.zarr/",
  },
];

function checkExpected(nd: zarr.NDArray, x: Expect, path: string): void {
  assert.deepEqual(nd.shape, x.shape, `${path}: shape`);
  assert.equal(nd.dtype, x.dtype, `${path}: dtype`);
  assert.equal(notCContiguous(nd), null, `${path}: C-contiguous`);
  assert.equal(firstMismatch(nd, x.values), null, `${path}: values`);
}

Deno.test({
  name: "zarrita-js v2: the fixture holds exactly the arrays of generate-v2.py",
  ignore: SKIP,
  fn() {
    assert.deepEqual([...DOCS.keys()].sort(), Object.keys(EXPECT).sort());
  },
});

for (const v of VARIANTS) {
  Deno.test({
    name: `zarrita-js v2: every array (${v.label})`,
    ignore: SKIP,
    async fn(t) {
      const store = await v.open();
      const rows: Row[] = [];
      try {
        for (const [path, z] of [...DOCS.entries()].sort(([a], [b]) => a.localeCompare(b))) {
          const scope = classifyV2(z);
          const x = EXPECT[path];
          const full = v.prefix + path;
          const row: Row = { path, inScope: scope.inScope, result: "failed" };
          rows.push(row);
          const ok = await t.step(path, async () => {
            if (scope.inScope) {
              const a = await zarr.openArray({ store, path: full, mode: "r" });
              assert.equal(a.zarrFormat, 2);
              assert.equal(a.order, z.order);
              checkExpected(await a.getitem(null) as zarr.NDArray, x, path);
              row.result = "read";
            } else {
              const r = await checkOutOfScope(
                path,
                () => zarr.openArray({ store, path: full, mode: "r" }),
                scope.cls,
                (nd) => checkExpected(nd, x, path),
                scope.reason,
              );
              row.result = r.result;
              row.note = r.note;
            }
          });
          if (!ok) row.result = "failed";
        }
      } finally {
        await store.close();
      }
      printTable(`zarrita-js v2 (${v.label})`, rows);
      assert.deepEqual(rows.filter((r) => r.result === "failed").map((r) => r.path), []);
      assert.ok(rows.filter((r) => r.inScope).length >= 3);
    },
  });
}

Deno.test({
  name: "zarrita-js v2: v2 layouts read equal to each other and to the v3 fixture",
  ignore: SKIP,
  async fn() {
    const v2 = new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true });
    const v3 = new zarr.LocalStore(`${FIXTURES}/zarrita-js/v3/data.zarr`, { readOnly: true });
    const ref = await readAll(v3, "1d.contiguous.raw.i2", 3);
    const same = ["1d.contiguous.raw.i2", "1d.contiguous.zlib.i2", "1d.contiguous.zstd.i2"];
    for (const p of same) {
      const nd = await readAll(v2, p, 2);
      assert.deepEqual(nd.shape, ref.shape, p);
      assert.deepEqual(Array.from(nd.data as Int16Array), Array.from(ref.data as Int16Array), p);
    }
    console.log(`zarrita-js v2: ${same.join(" = ")} = v3 1d.contiguous.raw.i2`);
  },
});

for (const v of VARIANTS) {
  Deno.test({
    name: `zarrita-js v2: groups and consolidated metadata (${v.label})`,
    ignore: SKIP,
    async fn(t) {
      const inner = await v.open();
      const rootPath = v.prefix.replace(/\/$/, "");
      const oos = new Set(
        [...DOCS.entries()].filter(([, z]) => !classifyV2(z).inScope).map(([p]) => p),
      );
      try {
        await t.step("group attributes, including the name with spaces", async () => {
          const root = await zarr.openGroup(inner, {
            path: rootPath,
            mode: "r",
            useConsolidated: false,
          });
          assert.equal(root.zarrFormat, 2);
          assert.deepEqual(root.attrs, { answer: 42 });
          const g = await zarr.openGroup(inner, {
            path: `${v.prefix}my group with spaces`,
            mode: "r",
          });
          assert.deepEqual(g.attrs, { description: "A group with spaces in the name" });
          const spaced = await root.getitem("my group with spaces");
          assert.ok(spaced instanceof zarr.AsyncGroup);
        });

        await t.step(
          "openConsolidated of the full .zmetadata: reads or names an out-of-scope entry",
          async () => {
            try {
              const g = await zarr.openConsolidated(inner, { path: rootPath, mode: "r" });
              assert.deepEqual(g.attrs, { answer: 42 });
              console.log(`${v.label}: openConsolidated read the full .zmetadata`);
            } catch (err) {
              assert.ok(err instanceof zarr.ZarrError, String(err));
              assert.ok(
                [...oos].some((p) =>
                  err.message.includes(`'${p}'`) || err.message.includes(`${p}/`)
                ),
                `failed for an in-scope reason: ${err.message}`,
              );
              console.log(
                `${v.label}: openConsolidated of the full .zmetadata raises ${err.name}: ${err.message}`,
              );
            }
          },
        );

        await t.step("openConsolidated of .zmetadata restricted to in-scope arrays", async () => {
          const log: string[] = [];
          const key = `${v.prefix}.zmetadata`;
          const filtered = await filterZmetadata(inner, oos, key);
          const store = recordingStore(inner, log, new Map([[key, filtered]]));
          const g = await zarr.openConsolidated(store, { path: rootPath, mode: "r" });
          assert.ok(log.includes(key));
          assert.deepEqual(g.attrs, { answer: 42 });
          const names: string[] = [];
          for await (const [k, n] of g.members({ maxDepth: null })) {
            names.push(k);
            if (n instanceof zarr.AsyncArray) {
              checkExpected(await n.getitem(null) as zarr.NDArray, EXPECT[k], k);
            } else assert.deepEqual(n.attrs, { description: "A group with spaces in the name" });
          }
          const expected = [...DOCS.keys()].filter((p) => !oos.has(p)).concat([
            "my group with spaces",
          ]);
          assert.deepEqual(names.sort(), expected.sort());
          const perNode = log.filter((k) =>
            /\.z(array|group|attrs)$/.test(k) && k.slice(v.prefix.length).includes("/")
          );
          assert.deepEqual(perNode, [], "per-node metadata reads despite .zmetadata");
        });
      } finally {
        await inner.close();
      }
    },
  });
}
