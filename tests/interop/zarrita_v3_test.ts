/**
 * Interop: the zarrita.js v3 fixtures (written by zarr-python >= 3.1.2), from the directory and
 * from the three zips. Expected values are our own reading of zarrita.js's
 * `scripts/generate-v3.py` (mostly `arange`-style data); arrays differing only in layout must
 * read equal; consolidated metadata of the `consolidated` group; the group with spaces.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import {
  arange,
  checkOutOfScope,
  classifyV3,
  firstMismatch,
  FIXTURES,
  fixturesMissing,
  notCContiguous,
  printTable,
  readAll,
  recordingStore,
  type Row,
} from "./helpers.ts";

const BASE = "zarrita-js/v3";
const SKIP = fixturesMissing("zarrita-js v3", [
  `${BASE}/data.zarr/zarr.json`,
  `${BASE}/data.zipped_from_within.zarr.zip`,
  `${BASE}/data.uncompressed.zarr.zip`,
  `${BASE}/data.zipped_from_parent.zarr.zip`,
]);

interface Expect {
  dtype: string;
  shape: number[];
  values: unknown[];
}
const e = (dtype: string, shape: number[], values: unknown[]): Expect => ({ dtype, shape, values });
const TFTF = [true, false, true, false];
const F4 = [-1000.5, 0, 1000.5, 0];
const F8 = [1.5, 2.5, 3.5, 4.5];

/** What generate-v3.py writes into each array (flat C order). */
const EXPECT: Record<string, Expect> = {
  "1d.contiguous.gzip.i2": e("int16", [4], [1, 2, 3, 4]),
  "1d.contiguous.blosc.i2": e("int16", [4], [1, 2, 3, 4]),
  "1d.contiguous.raw.i2": e("int16", [4], [1, 2, 3, 4]),
  "1d.contiguous.i4": e("int32", [4], [1, 2, 3, 4]),
  "1d.contiguous.u1": e("uint8", [4], [255, 0, 255, 0]),
  "1d.contiguous.f2.le": e("float16", [4], F4),
  "1d.contiguous.f4.le": e("float32", [4], F4),
  "1d.contiguous.f4.be": e("float32", [4], F4),
  "1d.contiguous.f8": e("float64", [4], F8),
  "1d.contiguous.b1": e("bool", [4], TFTF),
  "1d.chunked.i2": e("int16", [4], [1, 2, 3, 4]),
  "1d.chunked.ragged.i2": e("int16", [5], [1, 2, 3, 4, 5]),
  "2d.contiguous.i2": e("int16", [2, 2], [1, 2, 3, 4]),
  "2d.chunked.i2": e("int16", [2, 2], [1, 2, 3, 4]),
  "2d.chunked.ragged.i2": e("int16", [3, 3], arange(9, 1)),
  "3d.contiguous.i2": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.i2": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.mixed.i2.C": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.mixed.i2.F": e("int16", [3, 3, 3], arange(27)),
  "1d.contiguous.compressed.sharded.i2": e("int16", [4], [1, 2, 3, 4]),
  "1d.contiguous.compressed.sharded.i4": e("int32", [4], [1, 2, 3, 4]),
  "1d.contiguous.compressed.sharded.u1": e("uint8", [4], [255, 0, 255, 0]),
  "1d.contiguous.compressed.sharded.f4": e("float32", [4], F4),
  "1d.contiguous.compressed.sharded.f8": e("float64", [4], F8),
  "1d.contiguous.compressed.sharded.b1": e("bool", [4], TFTF),
  "1d.chunked.compressed.sharded.i2": e("int16", [4], [1, 2, 3, 4]),
  "1d.chunked.filled.compressed.sharded.i2": e("int16", [4], [1, 2, 0, 0]),
  "2d.contiguous.compressed.sharded.i2": e("int16", [2, 2], [1, 2, 3, 4]),
  "2d.chunked.compressed.sharded.filled.i2": e("int16", [4, 4], arange(16)),
  "2d.chunked.compressed.sharded.i2": e("int16", [4, 4], arange(16, 1)),
  "2d.chunked.ragged.compressed.sharded.i2": e("int16", [3, 3], arange(9, 1)),
  "3d.contiguous.compressed.sharded.i2": e("int16", [3, 3, 3], arange(27)),
  "3d.chunked.compressed.sharded.i2": e("int16", [4, 4, 4], arange(64)),
  "3d.chunked.mixed.compressed.sharded.i2": e("int16", [3, 3, 3], arange(27)),
  "1d.contiguous.delta.i4": e("int32", [4], [1, 2, 3, 4]),
  "3d.contiguous.delta.i4.mixed": e("int32", [3, 3, 3], arange(27)),
  "1d.contiguous.string.vlen": e("string", [4], ["hello", "world", "zarr", "v3"]),
  "1d.chunked.string.vlen": e("string", [4], ["a", "bb", "ccc", "dddd"]),
  "2d.chunked.string.vlen": e("string", [2, 2], ["hello", "world", "foo", "bar"]),
  "1d.string.empty": e("string", [3], ["", "test", ""]),
  "1d.string.unicode": e("string", [4], ["hello", "世界", "🚀🎉", "Ñoño"]),
  "1d.contiguous.string.compressed": e("string", [3], ["compressed", "string", "test"]),
  "consolidated/1d.chunked.i2": e("int16", [4], [1, 2, 3, 4]),
  "consolidated/2d.contiguous.i2": e("int16", [2, 2], [1, 2, 3, 4]),
  "consolidated/nested/1d.i2": e("int16", [4], [10, 20, 30, 40]),
};

/** Groups of arrays that differ only in layout (chunking, codecs, order) and must read equal. */
const SAME_DATA: string[][] = [
  [
    "1d.contiguous.raw.i2",
    "1d.contiguous.gzip.i2",
    "1d.contiguous.blosc.i2",
    "1d.contiguous.compressed.sharded.i2",
    "1d.chunked.i2",
    "1d.chunked.compressed.sharded.i2",
    "consolidated/1d.chunked.i2",
  ],
  [
    "2d.contiguous.i2",
    "2d.chunked.i2",
    "2d.contiguous.compressed.sharded.i2",
    "consolidated/2d.contiguous.i2",
  ],
  ["2d.chunked.ragged.i2", "2d.chunked.ragged.compressed.sharded.i2"],
  [
    "3d.chunked.mixed.i2.C",
    "3d.chunked.mixed.i2.F",
    "3d.contiguous.i2",
    "3d.chunked.i2",
    "3d.contiguous.compressed.sharded.i2",
    "3d.chunked.mixed.compressed.sharded.i2",
  ],
  ["1d.contiguous.i4", "1d.contiguous.compressed.sharded.i4", "1d.contiguous.delta.i4"],
  ["1d.contiguous.u1", "1d.contiguous.compressed.sharded.u1"],
  ["1d.contiguous.f4.le", "1d.contiguous.f4.be", "1d.contiguous.compressed.sharded.f4"],
  ["1d.contiguous.f8", "1d.contiguous.compressed.sharded.f8"],
  ["1d.contiguous.b1", "1d.contiguous.compressed.sharded.b1"],
];

/** Every array of the directory fixture with its zarr.json, found by walking the folder. */
function discover(): Map<string, { data_type: unknown; codecs: unknown[] }> {
  const root = `${FIXTURES}/${BASE}/data.zarr`;
  const out = new Map<string, { data_type: unknown; codecs: unknown[] }>();
  const walk = (rel: string) => {
    const dir = rel ? `${root}/${rel}` : root;
    for (const ent of Deno.readDirSync(dir)) {
      if (!ent.isDirectory) continue;
      const child = rel ? `${rel}/${ent.name}` : ent.name;
      let doc: { node_type?: string; data_type: unknown; codecs: unknown[] } | undefined;
      try {
        doc = JSON.parse(Deno.readTextFileSync(`${root}/${child}/zarr.json`));
      } catch {
        doc = undefined;
      }
      if (doc?.node_type === "array") out.set(child, doc);
      else if (doc?.node_type === "group") walk(child);
    }
  };
  walk("");
  return out;
}

const DOCS = SKIP ? new Map() : discover();

interface Variant {
  label: string;
  open: () => Promise<zarr.Store>;
  /** Path of the hierarchy root inside the store. */
  prefix: string;
}
const VARIANTS: Variant[] = [
  {
    label: "LocalStore data.zarr",
    open: () =>
      Promise.resolve(new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true })),
    prefix: "",
  },
  {
    label: "ZipStore data.zipped_from_within.zarr.zip",
    open: () =>
      zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.zipped_from_within.zarr.zip`, { mode: "r" }),
    prefix: "",
  },
  {
    label: "ZipStore data.uncompressed.zarr.zip",
    open: () => zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.uncompressed.zarr.zip`, { mode: "r" }),
    prefix: "",
  },
  {
    label: "ZipStore data.zipped_from_parent.zarr.zip (under data.zarr/)",
    open: () =>
      zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.zipped_from_parent.zarr.zip`, { mode: "r" }),
    prefix: "data.zarr/",
  },
];

async function checkExpected(nd: zarr.NDArray, x: Expect, path: string): Promise<void> {
  assert.deepEqual(nd.shape, x.shape, `${path}: shape`);
  assert.equal(nd.dtype, x.dtype, `${path}: dtype`);
  assert.equal(notCContiguous(nd), null, `${path}: C-contiguous`);
  assert.equal(firstMismatch(nd, x.values), null, `${path}: values`);
  await Promise.resolve();
}

Deno.test({
  name: "zarrita-js v3: the fixture holds exactly the arrays of generate-v3.py",
  ignore: SKIP,
  fn() {
    assert.deepEqual([...DOCS.keys()].sort(), Object.keys(EXPECT).sort());
  },
});

for (const v of VARIANTS) {
  Deno.test({
    name: `zarrita-js v3: every array (${v.label})`,
    ignore: SKIP,
    async fn(t) {
      const store = await v.open();
      const rows: Row[] = [];
      try {
        for (const [path, doc] of [...DOCS.entries()].sort(([a], [b]) => a.localeCompare(b))) {
          const scope = classifyV3(doc);
          const x = EXPECT[path];
          const full = v.prefix + path;
          const row: Row = { path, inScope: scope.inScope, result: "failed" };
          rows.push(row);
          const ok = await t.step(path, async () => {
            if (scope.inScope) {
              const a = await zarr.openArray({ store, path: full, mode: "r" });
              assert.equal(a.zarrFormat, 3);
              assert.equal(a.dtype, x.dtype, `${path}: dtype`);
              assert.deepEqual(a.shape, x.shape, `${path}: shape`);
              await checkExpected(await a.getitem(null) as zarr.NDArray, x, path);
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
      printTable(`zarrita-js v3 (${v.label})`, rows);
      assert.deepEqual(rows.filter((r) => r.result === "failed").map((r) => r.path), []);
      assert.ok(rows.filter((r) => r.inScope).length >= 10);
    },
  });
}

Deno.test({
  name: "zarrita-js v3: arrays differing only in layout read equal",
  ignore: SKIP,
  async fn() {
    const store = new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true });
    const lines: string[] = [];
    let compared = 0;
    for (const group of SAME_DATA) {
      const readable: [string, zarr.NDArray][] = [];
      for (const p of group) {
        if (!classifyV3(DOCS.get(p)!).inScope) continue;
        readable.push([p, await readAll(store, p)]);
      }
      for (const [p, nd] of readable.slice(1)) {
        const [p0, nd0] = readable[0];
        assert.deepEqual(nd.shape, nd0.shape, `${p} vs ${p0}: shape`);
        assert.deepEqual(
          Array.from(nd.data as ArrayLike<unknown>),
          Array.from(nd0.data as ArrayLike<unknown>),
          `${p} vs ${p0}`,
        );
        compared++;
      }
      const names = readable.map(([p]) => p);
      lines.push(
        `${group[0]} group: ${
          names.length >= 2 ? `equal: ${names.join(" = ")}` : "not checkable yet"
        } (${group.length - names.length} of ${group.length} out of scope)`,
      );
    }
    console.log(["", "=== zarrita-js v3 layout equality ===", ...lines].join("\n"));
    assert.ok(compared >= 2, "at least the raw/gzip pair is compared");
  },
});

const GROUP_ATTRS: Record<string, Record<string, unknown>> = {
  "": {},
  "my group with spaces": { description: "A group with spaces in the name" },
  consolidated: { answer: 42 },
  "consolidated/nested": { description: "A nested group" },
};

for (const v of VARIANTS) {
  Deno.test({
    name: `zarrita-js v3: groups and consolidated metadata (${v.label})`,
    ignore: SKIP,
    async fn(t) {
      const inner = await v.open();
      try {
        await t.step("group attributes, including the name with spaces", async () => {
          for (const [p, attrs] of Object.entries(GROUP_ATTRS)) {
            const path = (v.prefix + p).replace(/\/$/, "");
            const g = await zarr.openGroup(inner, { path, mode: "r" });
            assert.equal(g.zarrFormat, 3);
            assert.deepEqual(g.attrs, attrs, `group '${p}'`);
          }
          const root = await zarr.openGroup(inner, {
            path: v.prefix.replace(/\/$/, ""),
            mode: "r",
          });
          const spaced = await root.getitem("my group with spaces");
          assert.ok(spaced instanceof zarr.AsyncGroup);
          assert.equal(spaced.basename, "my group with spaces");
          assert.ok(await root.contains("consolidated"));
          assert.ok(!(await root.contains("no such group")));
          const node = await zarr.open({
            store: inner,
            path: `${v.prefix}my group with spaces`,
            mode: "r",
          });
          assert.ok(node instanceof zarr.AsyncGroup);
        });

        await t.step(
          "openConsolidated of the 'consolidated' group reads only its zarr.json",
          async () => {
            const log: string[] = [];
            const store = recordingStore(inner, log);
            const g = await zarr.openConsolidated(store, {
              path: `${v.prefix}consolidated`,
              mode: "r",
            });
            assert.deepEqual(g.attrs, { answer: 42 });
            assert.ok(g.metadata.consolidatedMetadata);
            const members: Record<string, zarr.AsyncArray | zarr.AsyncGroup> = {};
            for await (const [k, n] of g.members({ maxDepth: null })) members[k] = n;
            assert.deepEqual(Object.keys(members).sort(), [
              "1d.chunked.i2",
              "2d.contiguous.i2",
              "nested",
              "nested/1d.i2",
            ]);
            assert.ok(members["nested"] instanceof zarr.AsyncGroup);
            assert.deepEqual(members["nested"].attrs, { description: "A nested group" });
            for (const k of ["1d.chunked.i2", "2d.contiguous.i2", "nested/1d.i2"]) {
              const a = members[k];
              assert.ok(a instanceof zarr.AsyncArray);
              await checkExpected(
                await a.getitem(null) as zarr.NDArray,
                EXPECT[`consolidated/${k}`],
                k,
              );
            }
            const nested = await g.getitem("nested") as zarr.AsyncGroup;
            assert.deepEqual(await nested.arrayKeys(), ["1d.i2"]);
            const metaReads = log.filter((k) => k.endsWith("zarr.json"));
            assert.deepEqual(metaReads, [`${v.prefix}consolidated/zarr.json`]);
          },
        );

        await t.step("openConsolidated of the root (no consolidated metadata) raises", async () => {
          await assert.rejects(
            zarr.openConsolidated(inner, { path: v.prefix.replace(/\/$/, ""), mode: "r" }),
            zarr.ZarrError,
          );
        });
      } finally {
        await inner.close();
      }
    },
  });
}
