/**
 * Interop: every array of the zarr-python 2.13 fixtures (`v2-zarr-python-2.13/manifest.json`)
 * read from the directory store and from the zip, checked exactly against the manifest; groups,
 * attributes and consolidated metadata; out-of-scope arrays raise a ZarrError subclass.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import {
  checkOutOfScope,
  classifyV2,
  elementAt,
  filterZmetadata,
  firstMismatch,
  FIXTURES,
  fixturesMissing,
  manifestSha256,
  notCContiguous,
  printTable,
  product,
  recordingStore,
  type Row,
  type Scope,
  type V2Zarray,
  valueKind,
} from "./helpers.ts";

const BASE = "v2-zarr-python-2.13";
const SKIP = fixturesMissing("v2 manifest", [
  `${BASE}/manifest.json`,
  `${BASE}/data.zarr`,
  `${BASE}/data.zarr.zip`,
]);

interface Zarray extends V2Zarray {
  chunks: number[];
  fill_value: unknown;
  order: "C" | "F";
  shape: number[];
  dimension_separator?: "." | "/";
}
interface Entry {
  zarray: Zarray;
  shape: number[];
  chunk_keys_present: string[];
  sha256: string;
  values?: unknown[];
  attrs?: Record<string, unknown>;
  missing_chunks_undefined?: boolean;
  optional?: boolean;
  lossy?: boolean;
}
interface GroupEntry {
  attrs: Record<string, unknown>;
  members: string[];
  arrays: string[];
}
interface Manifest {
  arrays: Record<string, Entry>;
  groups: Record<string, GroupEntry>;
  conventions: Record<string, string>;
}

const MANIFEST: Manifest | undefined = SKIP
  ? undefined
  : JSON.parse(Deno.readTextFileSync(`${FIXTURES}/${BASE}/manifest.json`));

Deno.test({
  name: "v2 manifest: its conventions are the ones this suite implements",
  ignore: SKIP,
  fn() {
    const c = MANIFEST!.conventions;
    // sha256 of C-order little-endian bytes (datetime as int64); compact JSON for U/object
    assert.match(c.sha256, /C order, little-endian/);
    assert.match(c.sha256, /datetime\/timedelta as int64/);
    assert.match(c.sha256, /compact JSON/);
    // values: flat C order; 64-bit ints as strings; NaN/Infinity strings; complex [re, im];
    // |S base64; vlen-bytes {base64}
    for (
      const w of ["flat C-order", "decimal strings", "NaN/Infinity/-Infinity", "[re, im]", "base64"]
    ) {
      assert.ok(c.values.includes(w), `values convention mentions ${w}`);
    }
    assert.match(c.chunk_keys_present, /fill_value/);
    assert.equal(Object.keys(MANIFEST!.arrays).length, 112);
  },
});

/** Whether each element (flat C order) lies in a chunk that is present on disk. */
function presentMask(e: Entry): boolean[] {
  const { shape, chunks } = e.zarray;
  const sep = e.zarray.dimension_separator ?? ".";
  const present = new Set(e.chunk_keys_present);
  const n = product(shape);
  const mask = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    let rem = i;
    const coords = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      coords[d] = Math.floor((rem % shape[d]) / chunks[d]);
      rem = Math.floor(rem / shape[d]);
    }
    mask[i] = present.has(shape.length === 0 ? "0" : coords.join(sep));
  }
  return mask;
}

/** Every chunk key of the grid. */
function allChunkKeys(e: Entry): string[] {
  const { shape, chunks } = e.zarray;
  const sep = e.zarray.dimension_separator ?? ".";
  if (shape.length === 0) return ["0"];
  const grid = shape.map((s, d) => Math.ceil(s / chunks[d]));
  if (grid.some((g) => g === 0)) return [];
  const keys: string[] = [];
  const idx = new Array<number>(grid.length).fill(0);
  for (;;) {
    keys.push(idx.join(sep));
    let d = grid.length - 1;
    while (d >= 0 && ++idx[d] === grid[d]) idx[d--] = 0;
    if (d < 0) return keys;
  }
}

function sameAsFill(elem: unknown, fill: unknown, dtype: string): boolean {
  const kind = valueKind(dtype);
  if (kind === "bool") return elem === (fill ? 1 : 0);
  if (kind === "float") return Object.is(elem, Number(fill));
  if (kind === "complex") {
    const [a, b] = elem as number[];
    const [c, d] = fill as number[];
    return Object.is(a, c) && Object.is(b, d);
  }
  if (kind === "bytes") {
    const strip = (u: Uint8Array) => {
      let n = u.length;
      while (n > 0 && u[n - 1] === 0) n--;
      return Array.from(u.subarray(0, n)).join(",");
    };
    return strip(elem as Uint8Array) === strip(fill as Uint8Array);
  }
  if (kind === "str") return elem === String(fill).replace(/\0+$/, "");
  return elem === fill;
}

/** Flat C-order indices of the selection `slice(1, None, 2)` on every axis. */
function strided(shape: number[]): { shape: number[]; flat: number[] } {
  const sub = shape.map((s) => Math.max(0, Math.ceil((s - 1) / 2)));
  const flat: number[] = [];
  const n = product(sub);
  const st = shape.map((_, d) => product(shape.slice(d + 1)));
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = 0;
    for (let d = sub.length - 1; d >= 0; d--) {
      off += (1 + 2 * (rem % sub[d])) * st[d];
      rem = Math.floor(rem / sub[d]);
    }
    flat.push(off);
  }
  return { shape: sub, flat };
}

async function listChunkKeys(store: zarr.Store, path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of store.listPrefix(`${path}/`)) {
    const rel = k.slice(path.length + 1);
    if (!rel.split("/").some((p) => p.startsWith("."))) out.push(rel);
  }
  return out.sort();
}

/** All checks of one in-scope array; throws on the first failure. */
async function checkInScope(store: zarr.Store, path: string, e: Entry): Promise<string> {
  const z = e.zarray;
  const a = await zarr.openArray({ store, path, mode: "r" });
  assert.deepEqual(a.shape, e.shape, `${path}: shape`);
  assert.deepEqual(a.chunks, z.chunks, `${path}: chunks`);
  assert.equal(a.order, z.order, `${path}: order`);
  assert.equal(a.zarrFormat, 2, `${path}: zarr_format`);
  if (e.attrs) assert.deepEqual(a.attrs, e.attrs, `${path}: attrs`);

  // The chunk files on disk are exactly the manifest's.
  assert.deepEqual(
    await listChunkKeys(store, path),
    [...e.chunk_keys_present].sort(),
    `${path}: chunk keys`,
  );

  const nd = await a.getitem(null) as zarr.NDArray;
  assert.deepEqual(nd.shape, e.shape, `${path}: result shape`);
  assert.equal(nd.dtype, a.dtype, `${path}: result dtype`);
  assert.equal(notCContiguous(nd), null, `${path}: C-contiguous`);

  const mask = e.missing_chunks_undefined ? presentMask(e) : undefined;
  const notes: string[] = [];
  if (e.values) {
    assert.equal(firstMismatch(nd, e.values, mask), null, `${path}: values`);
    notes.push("values");
  }
  if (!e.missing_chunks_undefined) {
    assert.equal(await manifestSha256(nd), e.sha256, `${path}: sha256`);
    notes.push("sha256");
  } else {
    notes.push("present chunks only (fill null)");
  }

  // Missing chunks read as the fill value.
  const missing = allChunkKeys(e).filter((k) => !e.chunk_keys_present.includes(k));
  if (missing.length && a.fillValue !== null && product(e.shape) > 0) {
    const pm = presentMask(e);
    let checked = 0;
    for (let i = 0; i < pm.length; i++) {
      if (pm[i]) continue;
      assert.ok(
        sameAsFill(elementAt(nd, i), a.fillValue, nd.dtype),
        `${path}: element ${i} of a missing chunk is not the fill value ${String(a.fillValue)}`,
      );
      checked++;
    }
    notes.push(`${missing.length} missing chunk(s) = fill`);
    assert.ok(checked > 0);
  }

  // A strided read across chunk boundaries agrees with the full read.
  if (e.shape.length > 0 && product(e.shape) > 0) {
    const { shape: subShape, flat } = strided(e.shape);
    const sub = await a.getitem(e.shape.map(() => zarr.slice(1, null, 2))) as zarr.NDArray;
    assert.deepEqual(sub.shape, subShape, `${path}: strided shape`);
    const expected = flat.map((i) => elementAt(nd, i));
    for (let j = 0; j < flat.length; j++) {
      if (mask && !mask[flat[j]]) continue;
      const got = elementAt(sub, j);
      const want = expected[j];
      const same = Array.isArray(want)
        ? Object.is((got as number[])[0], want[0]) && Object.is((got as number[])[1], want[1])
        : want instanceof Uint8Array
        ? String(got) === String(want)
        : Object.is(got, want);
      assert.ok(same, `${path}: strided element ${j}`);
    }
  }

  // 0-d: load gives a scalar.
  if (e.shape.length === 0) {
    const v = await zarr.load({ store, path });
    assert.equal(v, elementAt(nd, 0), `${path}: load of a 0-d array`);
    notes.push("0-d load scalar");
  }
  if (product(e.shape) === 0) {
    assert.equal(nd.data.length, 0);
    notes.push("zero-length");
  }
  return notes.join(", ");
}

async function runArrays(
  t: Deno.TestContext,
  label: string,
  store: zarr.Store,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [path, e] of Object.entries(MANIFEST!.arrays)) {
    const scope = classifyV2(e.zarray);
    const row: Row = { path, inScope: scope.inScope, result: "failed" };
    rows.push(row);
    const ok = await t.step(`${label}: ${path}`, async () => {
      if (scope.inScope) {
        row.note = await checkInScope(store, path, e);
        row.result = "read";
      } else {
        const r = await checkOut(store, path, e, scope);
        row.result = r.result;
        row.note = r.note;
      }
    });
    if (!ok) row.result = "failed";
  }
  return rows;
}

async function checkOut(store: zarr.Store, path: string, e: Entry, scope: Scope): Promise<Row> {
  return await checkOutOfScope(
    path,
    () => zarr.openArray({ store, path, mode: "r" }),
    scope.cls,
    async (nd) => {
      assert.deepEqual(nd.shape, e.shape);
      if (e.values) assert.equal(firstMismatch(nd, e.values), null, `${path}: values`);
      if (!e.missing_chunks_undefined) assert.equal(await manifestSha256(nd), e.sha256);
    },
    scope.reason + (e.optional ? " [optional]" : ""),
  );
}

function summarize(title: string, rows: Row[]): void {
  printTable(title, rows);
  const bad = rows.filter((r) => r.result === "failed").map((r) => r.path);
  assert.deepEqual(bad, [], `${title}: failed arrays`);
}

Deno.test({
  name: "v2 manifest: every array from the directory store (LocalStore)",
  ignore: SKIP,
  async fn(t) {
    const store = new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true });
    const rows = await runArrays(t, "local", store);
    summarize("v2 manifest (LocalStore data.zarr)", rows);
    // The in-scope set must not silently shrink.
    assert.ok(rows.filter((r) => r.inScope).length >= 50);
  },
});

Deno.test({
  name: "v2 manifest: every array from the zip (ZipStore)",
  ignore: SKIP,
  async fn(t) {
    const store = await zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.zarr.zip`, { mode: "r" });
    try {
      const rows = await runArrays(t, "zip", store);
      summarize("v2 manifest (ZipStore data.zarr.zip)", rows);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "v2 manifest: layout variants read equal (F order, separators, big-endian)",
  ignore: SKIP,
  async fn() {
    const store = new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true });
    const read = async (p: string) =>
      await (await zarr.openArray({ store, path: p, mode: "r" })).getitem(null) as zarr.NDArray;
    const pairs: [string, string][] = [
      ["order/i4_2d_C", "order/i4_2d_F"],
      ["compressors/none", "separators/f4_3d_dot"],
      ["compressors/none", "separators/f4_3d_slash"],
      ["compressors/none", "compressors/zlib_9"],
      ["compressors/none", "compressors/gzip_5"],
      ["compressors/none", "compressors/zstd_19"],
      ["dtypes/lt_i2", "dtypes/gt_i2"],
      ["dtypes/lt_i4", "dtypes/gt_i4"],
      ["dtypes/lt_u8", "dtypes/gt_u8"],
    ];
    for (const [a, b] of pairs) {
      const x = await read(a);
      const y = await read(b);
      assert.deepEqual(y.shape, x.shape, `${a} vs ${b}`);
      assert.deepEqual(
        Array.from(y.data as ArrayLike<unknown>),
        Array.from(x.data as ArrayLike<unknown>),
        `${a} vs ${b}`,
      );
    }
    const f = await zarr.openArray({ store, path: "order/i4_2d_F", mode: "r" });
    assert.equal(f.order, "F");
    const u = await zarr.openArray({ store, path: "order/U6_2d_F", mode: "r" });
    assert.equal(u.order, "F");
    // separators are really different on disk
    assert.ok(await store.exists("separators/f4_3d_slash/0/0/0"));
    assert.ok(await store.exists("separators/f4_3d_dot/0.0.0"));
  },
});

/** Out-of-scope arrays of the manifest. */
function outOfScopePaths(): Set<string> {
  return new Set(
    Object.entries(MANIFEST!.arrays).filter(([, e]) => !classifyV2(e.zarray).inScope).map(([p]) =>
      p
    ),
  );
}

function join(group: string, name: string): string {
  return group === "" ? name : `${group}/${name}`;
}

interface GroupRow {
  path: string;
  open: string;
  attrs: string;
  members: string;
}

/**
 * Opens every group of the manifest and checks attributes and member names. When listing a
 * group fails because one of its arrays is out of scope (its codec pipeline cannot be built), the
 * failure must be a ZarrError and the members are checked one by one instead. When the default
 * (consolidated) open of the root fails because `.zmetadata` holds an out-of-scope entry, the
 * group is opened without consolidated metadata.
 */
async function checkGroups(
  store: zarr.Store,
  useConsolidated: boolean | undefined,
): Promise<GroupRow[]> {
  const oos = outOfScopePaths();
  const rows: GroupRow[] = [];
  for (const [path, g] of Object.entries(MANIFEST!.groups)) {
    const row: GroupRow = { path: path || "/", open: "ok", attrs: "", members: "" };
    rows.push(row);
    let grp: zarr.AsyncGroup;
    try {
      grp = await zarr.openGroup(store, { path, mode: "r", useConsolidated });
    } catch (e) {
      assert.ok(e instanceof zarr.ZarrError, `group '${path}': ${String(e)}`);
      const blame = [...oos].find((p) => e.message.includes(`'${p}'`));
      assert.ok(blame, `group '${path}' failed to open: ${e.message}`);
      row.open = `consolidated open raises ${e.name} (${blame}); opened without`;
      grp = await zarr.openGroup(store, { path, mode: "r", useConsolidated: false });
    }
    assert.equal(grp.zarrFormat, 2, `group '${path}'`);
    assert.deepEqual(grp.attrs, g.attrs, `group '${path}': attrs`);
    row.attrs = "equal";
    const blocked = g.arrays.filter((a) => oos.has(join(path, a)));
    let listed = true;
    try {
      assert.deepEqual((await grp.groupKeys()).sort(), [...g.members].sort(), `'${path}': groups`);
      assert.deepEqual((await grp.arrayKeys()).sort(), [...g.arrays].sort(), `'${path}': arrays`);
      row.members = `listed: ${g.members.length} groups, ${g.arrays.length} arrays`;
    } catch (e) {
      if (!(e instanceof zarr.ZarrError) || blocked.length === 0) throw e;
      listed = false;
      row.members = `listing raises ${e.name} (out-of-scope member); `;
    }
    if (!listed) {
      for (const m of g.members) {
        assert.ok(await grp.getitem(m) instanceof zarr.AsyncGroup, `'${path}': member group ${m}`);
      }
      for (const a of g.arrays) {
        if (oos.has(join(path, a))) {
          // out of scope: the metadata (structured dtypes) or the first chunk read (unknown
          // codecs, built lazily) must raise a ZarrError
          await assert.rejects(
            (async () => {
              const node = await grp.getitem(a);
              if (node instanceof zarr.AsyncArray) await node.getitem(null);
            })(),
            zarr.ZarrError,
            `'${path}': member ${a}`,
          );
        } else {
          assert.ok(
            await grp.getitem(a) instanceof zarr.AsyncArray,
            `'${path}': member array ${a}`,
          );
        }
      }
      // and nothing else is there
      const names: string[] = [];
      for await (const n of store.listDir(path)) if (!n.startsWith(".")) names.push(n);
      assert.deepEqual(names.sort(), [...g.members, ...g.arrays].sort(), `'${path}': children`);
      row.members += `${g.members.length} groups, ${g.arrays.length} arrays checked one by one`;
    }
  }
  return rows;
}

function printGroups(title: string, rows: GroupRow[]): void {
  const w = Math.max(...rows.map((r) => r.path.length));
  console.log(
    [
      `\n=== ${title} ===`,
      ...rows.map((r) => `${r.path.padEnd(w)} | open ${r.open} | attrs ${r.attrs} | ${r.members}`),
    ]
      .join("\n"),
  );
}

Deno.test({
  name: "v2 manifest: groups, attributes and member names",
  ignore: SKIP,
  async fn(t) {
    const local = new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true });
    const zip = await zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.zarr.zip`, { mode: "r" });
    try {
      for (const [label, store] of [["LocalStore", local], ["ZipStore", zip]] as const) {
        for (const uc of [false, undefined]) {
          const name = `${label}, ${
            uc === false ? "listing" : "default (consolidated when present)"
          }`;
          await t.step(name, async () => {
            const rows = await checkGroups(store, uc);
            assert.equal(rows.length, Object.keys(MANIFEST!.groups).length);
            printGroups(`v2 manifest groups: ${name}`, rows);
          });
        }
      }
    } finally {
      await zip.close();
    }
  },
});

async function checkConsolidated(
  inner: zarr.Store,
  label: string,
  overrides: Map<string, Uint8Array>,
  arrays: string[],
): Promise<void> {
  const log: string[] = [];
  const store = recordingStore(inner, log, overrides);
  const root = await zarr.openConsolidated(store, { mode: "r" });
  assert.ok(log.includes(".zmetadata"), `${label}: .zmetadata was read`);
  assert.deepEqual(root.attrs, MANIFEST!.groups[""].attrs);
  assert.ok(root.metadata.consolidatedMetadata, `${label}: consolidated metadata attached`);

  const seenArrays: string[] = [];
  const seenGroups: string[] = [];
  for await (const [p, node] of root.members({ maxDepth: null })) {
    if (node instanceof zarr.AsyncArray) {
      seenArrays.push(p);
      const e = MANIFEST!.arrays[p];
      assert.ok(e, `${label}: unexpected array ${p}`);
      assert.deepEqual(node.shape, e.shape, `${label}: ${p} shape`);
      assert.deepEqual(node.chunks, e.zarray.chunks, `${label}: ${p} chunks`);
      assert.equal(node.order, e.zarray.order, `${label}: ${p} order`);
      if (e.attrs) assert.deepEqual(node.attrs, e.attrs, `${label}: ${p} attrs`);
    } else {
      seenGroups.push(p);
      assert.deepEqual(node.attrs, MANIFEST!.groups[p].attrs, `${label}: group ${p} attrs`);
    }
  }
  assert.deepEqual(seenArrays.sort(), [...arrays].sort(), `${label}: arrays`);
  assert.deepEqual(
    seenGroups.sort(),
    Object.keys(MANIFEST!.groups).filter((g) => g !== "").sort(),
    `${label}: groups`,
  );
  // Nothing but the consolidated document (and the root's own metadata) was read.
  const metaReads = log.filter((k) => /(^|\/)\.z(array|group|attrs)$/.test(k) && k.includes("/"));
  assert.deepEqual(metaReads, [], `${label}: per-node metadata reads despite .zmetadata`);

  // Arrays from the consolidated hierarchy read their data.
  for (const p of ["hierarchy/a/b/c/leaf", "strings/vlen_bytes", "fill_values/u8_max"]) {
    const a = await root.getitem(p) as zarr.AsyncArray;
    const nd = await a.getitem(null) as zarr.NDArray;
    assert.equal(firstMismatch(nd, MANIFEST!.arrays[p].values!), null, `${label}: ${p}`);
  }
  assert.ok(!log.some((k) => k.endsWith("/.zarray")), `${label}: no .zarray reads`);
}

Deno.test({
  name: "v2 manifest: openConsolidated uses .zmetadata",
  ignore: SKIP,
  async fn(t) {
    const local = new zarr.LocalStore(`${FIXTURES}/${BASE}/data.zarr`, { readOnly: true });
    const zip = await zarr.ZipStore.open(`${FIXTURES}/${BASE}/data.zarr.zip`, { mode: "r" });
    const all = Object.keys(MANIFEST!.arrays);
    const inScope = all.filter((p) => classifyV2(MANIFEST!.arrays[p].zarray).inScope);
    try {
      for (const [label, store] of [["LocalStore", local], ["ZipStore", zip]] as const) {
        await t.step(`${label}: the fixture's .zmetadata`, async () => {
          // Every entry parses only once structured dtypes and all codecs are supported; until
          // then the failure must be a ZarrError naming the offending entry.
          try {
            await checkConsolidated(store, label, new Map(), all);
            console.log(`${label}: openConsolidated read all ${all.length} arrays`);
          } catch (e) {
            assert.ok(e instanceof zarr.ZarrError, String(e));
            const oos = [...outOfScopePaths()];
            assert.ok(
              oos.some((p) => e.message.includes(`'${p}'`)),
              `${label}: openConsolidated failed for an in-scope reason: ${e.message}`,
            );
            console.log(
              `${label}: openConsolidated of the full .zmetadata raises ${e.name}: ${e.message}`,
            );
          }
        });
        await t.step(`${label}: .zmetadata restricted to in-scope arrays`, async () => {
          const filtered = await filterZmetadata(store, outOfScopePaths());
          await checkConsolidated(store, label, new Map([[".zmetadata", filtered]]), inScope);
        });
      }
    } finally {
      await zip.close();
    }
  },
});
