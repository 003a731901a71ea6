/**
 * Seeded mutation of v2 (`.zarray`, `.zgroup`, `.zattrs`, `.zmetadata`) and v3 (`zarr.json`,
 * with inline consolidated metadata) documents. Every open plus a small read either succeeds
 * or raises a `ZarrError` whose message names the node's path or the metadata key, within a
 * time limit.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { describe, enc, Figures, memoryDelta, Rng, Timeout, withTimeout } from "./_helpers.ts";

const SEED = 0x00de_7a11;
const CASE_MS = 2000;
const RANDOM_CASES = 600;
const NODE = "node";

type Json = unknown;

/** A store holding one group at the root and one array (or group) at `node`. */
async function baseStore(format: 2 | 3, kind: "array" | "group"): Promise<zarr.MemoryStore> {
  const store = new zarr.MemoryStore();
  const root = await zarr.group({ store, zarrFormat: format });
  if (kind === "array") {
    const a = await root.createArray(NODE, {
      shape: [6, 4],
      chunks: [3, 2],
      dtype: "int16",
      fillValue: 0,
      attributes: { title: "t", nested: { list: [1, 2, 3] } },
    });
    await a.setitem(null, 7);
  } else {
    const g = await root.createGroup(NODE, { attributes: { k: "v" } });
    await g.createArray("child", { shape: [2], chunks: [2], dtype: "uint8", fillValue: 0 });
  }
  await zarr.consolidateMetadata(store);
  return store;
}

function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc !== null && typeof doc === "object") {
    for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out);
  }
  return out;
}

function nested(depth: number, leaf: string): string {
  return "[".repeat(depth) + leaf + "]".repeat(depth);
}

const HOSTILE_VALUES: (() => Json)[] = [
  () => -1,
  () => 0,
  () => -(2 ** 31),
  () => 2 ** 40,
  () => 2 ** 53 + 2,
  () => 1e308,
  () => 0.5,
  () => "x",
  () => "",
  () => null,
  () => true,
  () => [],
  () => [-1],
  () => [0],
  () => [2 ** 40],
  () => [2 ** 40, 2 ** 40, 2 ** 40],
  () => [0.5, "a"],
  () => ({}),
  () => ({ name: "no-such-codec", configuration: {} }),
  () => ({ id: "no-such-codec" }),
  () => "no-such-dtype",
  () => "<q99",
  () => JSON.parse(nested(200, "1")),
  () => "y".repeat(100_000),
  () => Array.from({ length: 64 }, () => 1),
];

/** Text-level edits that JSON values cannot express. */
const TEXT_EDITS: [string, (text: string, rng: Rng) => Uint8Array][] = [
  ["truncated", (t, r) => enc(t.slice(0, r.int(t.length)))],
  ["empty", () => new Uint8Array(0)],
  ["non-UTF-8 bytes", (t) => {
    const b = enc(t);
    return Uint8Array.from([...b.subarray(0, 20), 0xff, 0xfe, 0xc3, 0x28, ...b.subarray(20)]);
  }],
  ["UTF-8 BOM", (t) => Uint8Array.from([0xef, 0xbb, 0xbf, ...enc(t)])],
  ["NaN number", (t) => enc(t.replace(/(\d+)/, "NaN"))],
  ["Infinity number", (t) => enc(t.replace(/(\d+)/, "Infinity"))],
  ["-Infinity number", (t) => enc(t.replace(/(\d+)/, "-Infinity"))],
  ["huge number literal", (t) => enc(t.replace(/(\d+)/, "1" + "0".repeat(400)))],
  ["every number a huge integer", (t) => enc(t.replace(/\b\d+\b/g, "9".repeat(30)))],
  ["one random number a huge integer", (t, r) => {
    let n = r.int((t.match(/\b\d+\b/g) ?? []).length);
    return enc(t.replace(/\b\d+\b/g, (m) => (n-- === 0 ? "-" + "8".repeat(25) : m)));
  }],
  ["huge exponent", (t) => enc(t.replace(/(\d+)/, "1e999999999"))],
  ["deep nesting 1e5 (whole doc)", () => enc(nested(100_000, "1"))],
  [
    "deep nesting 1e5 (in attributes)",
    (t) => enc(t.replace(/^\{/, `{"deep": ${nested(100_000, "0")},`)),
  ],
  ["deep objects 1e5", () => enc('{"a":'.repeat(100_000) + "1" + "}".repeat(100_000))],
  ["duplicate keys", (t) => enc(t.replace(/^\{/, '{"zarr_format": "bogus", "shape": -3,'))],
  ["duplicate keys (last wins)", (t) => enc(t.replace(/\}\s*$/, ', "zarr_format": 99}'))],
  ["NUL bytes", (t) => enc(t.replace(/"/, '"\u0000'))],
  ["lone surrogate escape", (t) => enc(t.replace(/"([a-z])/, '"\\ud800$1'))],
  ["array at top", () => enc("[1,2,3]")],
  ["string at top", () => enc('"zarr"')],
  ["null at top", () => enc("null")],
  ["garbage", (_t, r) => r.bytes(1 + r.int(200))],
];

function setAt(doc: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value;
  const clone = structuredClone(doc) as Record<string | number, Json>;
  let cur = clone as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else cur[last] = value;
  return clone;
}

/** Opens the node (and the root, consolidated) and reads a little. */
async function exercise(store: zarr.MemoryStore, format: 2 | 3): Promise<void> {
  const node = await zarr.open({ store, path: NODE, mode: "r", zarrFormat: format });
  if (node instanceof zarr.AsyncArray) {
    const sel = node.shape.map((n) => zarr.slice(0, Math.min(n, 2)));
    await node.getitem(sel);
    void node.attrs;
  } else {
    await node.keys();
  }
  const root = await zarr.openGroup(store, { mode: "r", zarrFormat: format });
  await root.keys();
  const viaRoot = await root.getitem(NODE);
  if (viaRoot instanceof zarr.AsyncArray) {
    await viaRoot.getitem(viaRoot.shape.map((n) => zarr.slice(0, Math.min(n, 1))));
  }
}

const KEYS: Record<2 | 3, Record<"array" | "group", string[]>> = {
  3: { array: [`${NODE}/zarr.json`, "zarr.json"], group: [`${NODE}/zarr.json`, "zarr.json"] },
  2: {
    array: [`${NODE}/.zarray`, `${NODE}/.zattrs`, ".zmetadata", ".zgroup"],
    group: [`${NODE}/.zgroup`, `${NODE}/.zattrs`, ".zmetadata"],
  },
};

Deno.test("fuzz metadata: hostile documents open or raise a ZarrError naming the path", async () => {
  const rng = new Rng(SEED);
  const fig = new Figures("fuzz_metadata");
  const t0 = performance.now();
  const bases = new Map<string, Map<string, Uint8Array>>();
  for (const format of [2, 3] as const) {
    for (const kind of ["array", "group"] as const) {
      const s = await baseStore(format, kind);
      const m = new Map<string, Uint8Array>();
      for await (const k of s.list()) m.set(k, (await s.get(k))!);
      bases.set(`${format}/${kind}`, m);
    }
  }

  async function runCase(
    label: string,
    format: 2 | 3,
    kind: "array" | "group",
    key: string,
    bytes: Uint8Array,
  ) {
    fig.cases++;
    const store = new zarr.MemoryStore();
    for (const [k, v] of bases.get(`${format}/${kind}`)!) await store.set(k, v);
    await store.set(key, bytes);
    const [, delta, err] = await memoryDelta(() =>
      withTimeout(CASE_MS, label, () => exercise(store, format))
    );
    if (delta > 256 << 20) fig.fail(`${label}: memory grew by ${(delta / 2 ** 20).toFixed(0)} MiB`);
    if (err === undefined) {
      fig.ok++;
      return;
    }
    if (err instanceof Timeout) {
      fig.hangs++;
      fig.fail(`${label}: ${err.message}`);
    } else if (!(err instanceof zarr.ZarrError)) {
      fig.crashes++;
      fig.fail(`${label}: not a ZarrError: ${describe(err)}`);
    } else if (
      !err.message.includes(NODE) && !err.message.includes(key) &&
      !/zarr\.json|\.zarray|\.zgroup|\.zattrs|\.zmetadata|root|''/.test(err.message)
    ) {
      fig.fail(`${label}: error names neither path nor key: ${describe(err)}`);
    } else fig.zarrErrors++;
  }

  // Warm-up, not counted: the first decode of a large declared chunk starts the codec worker
  // pool (a one-off cost of seconds on a cold cache) that must not count against a case.
  {
    const store = new zarr.MemoryStore();
    for (const [k, v] of bases.get("3/array")!) await store.set(k, v);
    const doc = JSON.parse(new TextDecoder().decode(await store.get(`${NODE}/zarr.json`)));
    doc.chunk_grid.configuration.chunk_shape = [2 ** 40, 1];
    await store.set(`${NODE}/zarr.json`, enc(JSON.stringify(doc)));
    await exercise(store, 3).catch(() => {});
  }
  // 1. every text-level edit on every document
  for (const format of [2, 3] as const) {
    for (const kind of ["array", "group"] as const) {
      for (const key of KEYS[format][kind]) {
        const text = new TextDecoder().decode(bases.get(`${format}/${kind}`)!.get(key)!);
        for (const [what, edit] of TEXT_EDITS) {
          await runCase(`v${format} ${kind} ${key}: ${what}`, format, kind, key, edit(text, rng));
        }
      }
    }
  }
  // 2. seeded structural mutations: replace / delete / insert at random JSON paths
  for (let i = 0; i < RANDOM_CASES; i++) {
    const format = rng.pick([2, 3] as const);
    const kind = rng.pick(["array", "array", "group"] as const);
    const key = rng.pick(KEYS[format][kind]);
    let doc = JSON.parse(new TextDecoder().decode(bases.get(`${format}/${kind}`)!.get(key)!));
    const edits = 1 + rng.int(3);
    const done: string[] = [];
    for (let e = 0; e < edits; e++) {
      const ps = paths(doc);
      const p = rng.pick(ps);
      const op = rng.int(10);
      if (op === 0 && p.length > 0) {
        doc = setAt(doc, p, undefined);
        done.push(`delete ${p.join(".")}`);
      } else if (op === 1) {
        const objs = ps.filter((q) => {
          let cur = doc;
          for (const k of q) cur = cur[k];
          return cur !== null && typeof cur === "object" && !Array.isArray(cur);
        });
        if (objs.length === 0) continue;
        const q = rng.pick(objs);
        doc = setAt(doc, [...q, "unknown_" + rng.int(9)], { must_understand: false });
        done.push(`insert at ${q.join(".")}`);
      } else {
        const v = rng.pick(HOSTILE_VALUES)();
        doc = setAt(doc, p, v);
        done.push(`set ${p.join(".") || "<root>"}=${JSON.stringify(v)?.slice(0, 30)}`);
      }
    }
    await runCase(
      `#${i} v${format} ${kind} ${key}: ${done.join("; ")}`,
      format,
      kind,
      key,
      enc(JSON.stringify(doc)),
    );
  }
  // 3. targeted array documents: shapes and chunk grids
  const targeted: [string, Json][] = [
    ["shape [-1]", { shape: [-1, 4] }],
    ["shape [2^53+2]", { shape: [2 ** 53 + 2, 4] }],
    ["shape [2^40, 2^40]", { shape: [2 ** 40, 2 ** 40] }],
    ["chunks [0, 2]", { chunks: [0, 2] }],
    ["chunks [2^40, 2^40]", { chunks: [2 ** 40, 2 ** 40] }],
    ["chunks [2^40, 1]", { chunks: [2 ** 40, 1] }],
    ["chunks [1.5, 2]", { chunks: [1.5, 2] }],
    ["rank mismatch", { chunks: [3] }],
    ["dtype unknown", { dtype: "<z9", data_type: "complex256x" }],
    ["codec unknown", { compressor: { id: "nope" }, codecs: [{ name: "nope" }] }],
    ["fill NaN string for int", { fill_value: "NaN" }],
    ["fill huge", { fill_value: 1e308 }],
  ];
  for (const format of [2, 3] as const) {
    const key = KEYS[format].array[0];
    const base = JSON.parse(new TextDecoder().decode(bases.get(`${format}/array`)!.get(key)!));
    for (const [what, patch] of targeted) {
      const doc = structuredClone(base);
      for (const [k, v] of Object.entries(patch as Record<string, Json>)) {
        if (format === 3 && k === "chunks") {
          doc.chunk_grid = { name: "regular", configuration: { chunk_shape: v } };
        } else if (format === 3 && k === "dtype") continue;
        else if (format === 2 && (k === "data_type" || k === "codecs")) continue;
        else doc[k] = v;
      }
      await runCase(`targeted v${format}: ${what}`, format, "array", key, enc(JSON.stringify(doc)));
    }
  }
  fig.print(`time=${((performance.now() - t0) / 1000).toFixed(1)}s`);
  assert.equal(fig.hangs, 0, "hangs");
  assert.equal(fig.crashes, 0, "crashes");
  assert.deepEqual(fig.failures, [], "failures");
  assert.ok(fig.cases >= RANDOM_CASES, `cases ${fig.cases}`);
});
