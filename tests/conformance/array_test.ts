/**
 * Conformance: AsyncArray behaviour (zarr-python `tests/test_array.py`), checklist items 26-34,
 * plus concurrent writes into one chunk, write_empty_chunks details, updateAttributes,
 * nchunksInitialized, data types and exact fill values in JSON.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import type { NDArray } from "../../mod.ts";
import { arange, listKeys, readJSON, readText, values } from "./helpers.ts";

const NAT = -(2n ** 63n);

Deno.test("#26 default fill value per dtype (create_array, fill unspecified)", async () => {
  const cases: [string, unknown][] = [
    ["bool", false],
    ["int8", 0],
    ["uint16", 0],
    ["i4", 0], // numpy's bare "i" / "f" codes are not parsed (see the report)
    ["int64", 0n],
    ["uint64", 0n],
    ["f4", 0],
    ["float64", 0],
    ["complex64", [0, 0]],
    ["<U4", ""],
    ["<S4", new Uint8Array(0)],
    ["string", ""],
    ["M8[ns]", NAT],
    ["m8[s]", NAT],
  ];
  for (const [dtype, expected] of cases) {
    const a = await zarr.createArray(new zarr.MemoryStore(), { shape: [5], chunks: [5], dtype });
    assert.deepEqual(a.fillValue, expected, dtype);
    // missing chunks read as the fill value
    const got = await a.getitem(0);
    const v = got.dtype.startsWith("complex") ? [got.data[0], got.data[1]] : got.data[0];
    const asStored = dtype === "bool" ? 0 : expected;
    assert.deepEqual(v, asStored, dtype);
  }
});

Deno.test("#26 fill_value=null: the default in v3, stored as null in v2 (reads use the default)", async () => {
  for (const dtype of ["int32", "float64", "U3", "bool", "M8[s]"]) {
    const v3 = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [5],
      chunks: [5],
      dtype,
      fillValue: null,
      zarrFormat: 3,
    });
    const unspecified = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [5],
      chunks: [5],
      dtype,
      zarrFormat: 3,
    });
    assert.deepEqual(v3.fillValue, unspecified.fillValue, dtype);
    const v2 = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [5],
      chunks: [5],
      dtype,
      fillValue: null,
      zarrFormat: 2,
    });
    assert.equal(v2.fillValue, null, dtype);
    assert.equal((await readJSON(v2.store, ".zarray")).fill_value, null);
    const reopened = await zarr.openArray({ store: v2.store });
    assert.equal(reopened.fillValue, null);
    assert.deepEqual(
      (await reopened.getitem(0)).data[0],
      (await unspecified.getitem(0)).data[0],
      dtype,
    );
  }
});

Deno.test("#27 NaN fill plus all-NaN data leaves zero chunk keys", async () => {
  const store = new zarr.MemoryStore();
  const arr = await zarr.createArray(store, {
    shape: [10],
    chunks: [10],
    dtype: "float64",
    fillValue: NaN,
    zarrFormat: 3,
  });
  await arr.setitem(null, NaN);
  assert.ok(Number.isNaN(arr.fillValue as number));
  assert.deepEqual(await listKeys(store), ["zarr.json"]);
  assert.equal((await readJSON(store, "zarr.json")).fill_value, "NaN");
  assert.ok(values(await arr.getitem(null)).every((v) => Number.isNaN(v)));
  // a partial chunk of NaN over NaN: still nothing stored; one real value: one chunk
  await arr.setitem(zarr.slice(2, 5), NaN);
  assert.equal(await arr.nchunksInitialized(), 0);
  await arr.setitem(3, 1.5);
  assert.deepEqual(await listKeys(store), ["c/0", "zarr.json"]);
  await arr.setitem(3, NaN);
  assert.deepEqual(await listKeys(store), ["zarr.json"]);
});

Deno.test("#28 special complex fill values: exact JSON", async () => {
  const cases: [[number, number], unknown[], string][] = [
    [[NaN, NaN], ["NaN", "NaN"], '["NaN","NaN"]'],
    [[NaN, 0], ["NaN", 0], '["NaN",0.0]'],
    [[Infinity, 0], ["Infinity", 0], '["Infinity",0.0]'],
    [[NaN, Infinity], ["NaN", "Infinity"], '["NaN","Infinity"]'],
    [[-Infinity, 0], ["-Infinity", 0], '["-Infinity",0.0]'],
  ];
  for (const [fill, parsed, raw] of cases) {
    const store = new zarr.MemoryStore();
    const a = await zarr.createArray(store, { shape: [1], dtype: "complex64", fillValue: fill });
    assert.deepEqual((await readJSON(store, "zarr.json")).fill_value, parsed);
    const text = (await readText(store, "zarr.json")).replace(/\s+/g, "");
    assert.ok(text.includes(`"fill_value":${raw}`), text);
    // round trip through open
    const b = await zarr.openArray({ store });
    assert.deepEqual(b.fillValue, a.fillValue);
    const got = await b.getitem(0);
    assert.deepEqual([got.data[0], got.data[1]], fill.map((x) => Math.fround(x)));
  }
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#29 write_empty_chunks: False deletes chunks overwritten with the fill; True keeps them (v${zarrFormat})`, async () => {
    for (const writeEmptyChunks of [true, false]) {
      for (const fillValue of [0, 5]) {
        const store = new zarr.MemoryStore();
        const arr = await zarr.createArray(store, {
          shape: [2],
          zarrFormat,
          dtype: "int32",
          fillValue,
          chunks: [1],
          config: { writeEmptyChunks },
        });
        assert.equal(arr.config.writeEmptyChunks, writeEmptyChunks);
        await arr.setitem(null, fillValue + 1);
        assert.equal(await arr.nchunksInitialized(), arr.nchunks);
        await arr.setitem(null, fillValue);
        assert.equal(await arr.nchunksInitialized(), writeEmptyChunks ? arr.nchunks : 0);
        assert.deepEqual(values(await arr.getitem(null)), [fillValue, fillValue]);
      }
    }
  });

  Deno.test(`#29 write_empty_chunks follows the global config when not set (v${zarrFormat})`, async () => {
    for (const wec of [true, false]) {
      using _ = zarr.config.set({ "array.write_empty_chunks": wec });
      const arr = await zarr.createArray(new zarr.MemoryStore(), {
        shape: [2, 2],
        dtype: "int32",
        zarrFormat,
      });
      assert.equal(arr.config.writeEmptyChunks, wec);
      await arr.setitem(null, 0);
      assert.equal(await arr.nchunksInitialized(), wec ? 1 : 0);
    }
  });

  Deno.test(`#30 write_empty_chunks: -0.0 is not +0.0 (and the reverse) (v${zarrFormat})`, async () => {
    for (const dtype of ["float32", "float16", "float64"]) {
      for (const fillValue of [0.0, -0.0]) {
        const store = new zarr.MemoryStore();
        const arr = await zarr.createArray(store, {
          shape: [2],
          zarrFormat,
          dtype,
          fillValue,
          chunks: [1],
          config: { writeEmptyChunks: false },
        });
        assert.equal(await arr.nchunksInitialized(), 0);
        await arr.setitem(null, -fillValue);
        assert.equal(await arr.nchunksInitialized(), arr.nchunks, `${dtype} fill ${fillValue}`);
        const got = values(await arr.getitem(null)) as number[];
        assert.ok(got.every((v) => Object.is(v, -fillValue)));
        // writing the fill itself (same sign) deletes them again
        await arr.setitem(null, fillValue);
        assert.equal(await arr.nchunksInitialized(), 0);
      }
    }
    const store = new zarr.MemoryStore();
    await zarr.createArray(store, { shape: [1], dtype: "float64", fillValue: -0.0, zarrFormat });
    const doc = zarrFormat === 3 ? "zarr.json" : ".zarray";
    assert.ok(Object.is((await readJSON(store, doc)).fill_value, -0));
    assert.match(await readText(store, doc), /"fill_value": -0\.0,/);
  });
}

Deno.test("#31 nchunks_initialized counts stored chunks as regions are written and deleted", async () => {
  for (const path of ["", "foo"]) {
    const store = new zarr.MemoryStore();
    const arr = await zarr.createArray(store, {
      name: path,
      shape: [10],
      chunks: [1],
      dtype: "int8",
    });
    if (path) await store.set(path, new Uint8Array()); // a stray key named like the array
    const prefix = path ? `${path}/` : "";
    const written: string[] = [];
    for (let i = 0; i < 10; i++) {
      await arr.setitem(zarr.slice(i, i + 1), 1);
      written.push(`${prefix}c/${i}`);
      assert.equal(await arr.nchunksInitialized(), i + 1);
      const keys = (await listKeys(store, prefix)).filter((k) => k.startsWith(`${prefix}c/`));
      assert.deepEqual(keys, [...written].sort());
    }
    for (let i = 0; i < 10; i++) {
      await store.delete(`${prefix}c/${i}`);
      assert.equal(await arr.nchunksInitialized(), 10 - i - 1);
    }
  }
});

Deno.test("#31 nchunks_initialized for v2 keys and under a path prefix", async () => {
  const store = new zarr.MemoryStore();
  const g = await zarr.group({ store, zarrFormat: 2 });
  const a = await g.createArray("x/y", { shape: [4, 4], chunks: [2, 2], dtype: "int16" });
  const b = await g.createArray("x/y2", { shape: [4, 4], chunks: [2, 2], dtype: "int16" });
  await a.setitem("0:3, 0:1", 7);
  await b.setitem(null, 1);
  assert.equal(await a.nchunksInitialized(), 2);
  assert.equal(await b.nchunksInitialized(), 4);
  assert.deepEqual(
    (await listKeys(store, "x/y/")).filter((k) => !k.includes(".z")),
    ["x/y/0.0", "x/y/1.0"],
  );
});

const DOC_502 = {
  shape: [100],
  data_type: "int32",
  chunk_grid: { name: "regular", configuration: { chunk_shape: [10] } },
  chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
  fill_value: 0,
  codecs: [{ name: "bytes", configuration: { endian: "little" } }],
  attributes: {},
  zarr_format: 3,
  node_type: "array",
  storage_transformers: [],
};

Deno.test("#32 nbytes_stored: a 502-byte zarr.json, 702 after 5 int32 chunks, 902 when full", async () => {
  // zarr-python's `BytesCodec()` defaults to the system (little) endianness
  const arr = await zarr.create([100], {
    chunks: [10],
    dtype: "int32",
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
  });
  const text = await readText(arr.store, "zarr.json");
  assert.equal(text, JSON.stringify(DOC_502, null, 2));
  assert.equal((await arr.store.get("zarr.json"))!.length, 502);
  assert.equal(await arr.nbytesStored(), 502);
  await arr.setitem(zarr.slice(null, 50), 1);
  assert.equal(await arr.nbytesStored(), 702);
  const keys = await listKeys(arr.store);
  assert.deepEqual(keys, ["c/0", "c/1", "c/2", "c/3", "c/4", "zarr.json"]);
  assert.deepEqual(Array.from(new Int32Array((await arr.store.get("c/0"))!.slice().buffer)), [
    ...new Array(10).fill(1),
  ]);
  await arr.setitem(zarr.slice(50, 100), 2);
  assert.equal(await arr.nbytesStored(), 902);
  const all = values(await arr.getitem(null));
  assert.deepEqual(all, [...new Array(50).fill(1), ...new Array(50).fill(2)]);
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#33 resize 1d: growing fills with the fill value, shrinking truncates (v${zarrFormat})`, async () => {
    const z = await zarr.create(105, {
      chunks: 10,
      dtype: "int32",
      fillValue: 0,
      store: new zarr.MemoryStore(),
      zarrFormat,
    });
    const a = arange([105], "int32");
    await z.setitem(null, a);
    assert.deepEqual(values(await z.getitem(null)), values(a));
    await z.resize(205);
    assert.deepEqual(z.shape, [205]);
    assert.deepEqual(z.chunks, [10]);
    assert.deepEqual(values(await z.getitem("0:105")), values(a));
    assert.ok(values(await z.getitem("105:")).every((v) => v === 0));
    await z.resize(55);
    assert.deepEqual(z.shape, [55]);
    const r = await z.getitem(null);
    assert.deepEqual(r.shape, [55]);
    assert.equal(r.dtype, "int32");
    assert.deepEqual(values(r), values(a).slice(0, 55));
    // chunks wholly outside are gone; the boundary chunk stays
    const chunkKeys = (await listKeys(z.store)).filter((k) =>
      !k.includes("zarr.json") && !k.startsWith(".")
    );
    assert.equal(chunkKeys.length, 6);
    // reopen sees the new shape
    assert.deepEqual((await zarr.openArray({ store: z.store })).shape, [55]);
    // growing again: boundary chunk data re-appears (zarr-python documents this)
    await z.resize(60);
    assert.deepEqual(values(await z.getitem("55:60")), [55, 56, 57, 58, 59]);
  });

  Deno.test(`#33 resize 2d (v${zarrFormat})`, async () => {
    const z = await zarr.create([105, 105], {
      chunks: [10, 10],
      dtype: "int32",
      fillValue: 0,
      store: new zarr.MemoryStore(),
      zarrFormat,
    });
    const a = arange([105, 105], "int32");
    await z.setitem(null, a);
    await z.resize([205, 205]);
    assert.deepEqual(z.shape, [205, 205]);
    const top = await z.getitem("0:105, 0:105");
    assert.deepEqual(values(top), values(a));
    assert.ok(values(await z.getitem("105:, :")).every((v) => v === 0));
    assert.ok(values(await z.getitem(":, 105:")).every((v) => v === 0));
    await z.resize([55, 55]);
    const r = await z.getitem(null);
    assert.deepEqual(r.shape, [55, 55]);
    const expect: number[] = [];
    for (let i = 0; i < 55; i++) for (let j = 0; j < 55; j++) expect.push(i * 105 + j);
    assert.deepEqual(values(r), expect);
    await z.resize([55, 1]);
    assert.deepEqual(values(await z.getitem(null)), Array.from({ length: 55 }, (_, i) => i * 105));
    await z.resize([1, 55]);
    assert.deepEqual(values(await z.getitem(":, :10")), Array.from({ length: 10 }, (_, j) => j));
    assert.ok(values(await z.getitem(":, 10:55")).every((v) => v === 0));
    await assert.rejects(z.resize([10]), zarr.ZarrValueError);
  });

  Deno.test(`#34 append 1d, 2d, along an axis, and a bad shape (v${zarrFormat})`, async () => {
    const z = await zarr.create([105], {
      chunks: 10,
      dtype: "int64",
      store: new zarr.MemoryStore(),
      zarrFormat,
    });
    const a = arange([105], "int64");
    await z.setitem(null, a);
    const b = zarr.ndarray(BigInt64Array.from({ length: 100 }, (_, i) => BigInt(105 + i)), [100]);
    const shape = await z.append(b);
    assert.deepEqual(shape, [205]);
    assert.deepEqual(z.shape, [205]);
    assert.deepEqual(values(await z.getitem(null)), [...values(a), ...values(b)]);
    assert.deepEqual(await z.append([1, 2, 3]), [208]);
    assert.deepEqual(values(await z.getitem("205:")), [1n, 2n, 3n]);
    assert.deepEqual(z.chunks, [10]);

    const z2 = await zarr.create([105, 105], {
      chunks: [10, 10],
      dtype: "int32",
      store: new zarr.MemoryStore(),
      zarrFormat,
    });
    const a2 = arange([105, 105], "int32");
    await z2.setitem(null, a2);
    const b2 = zarr.ndarray(Int32Array.from({ length: 105 * 105 }, (_, i) => 105 * 105 + i), [
      105,
      105,
    ]);
    assert.deepEqual(await z2.append(b2), [210, 105]);
    assert.deepEqual(values(await z2.getitem(null)), [...values(a2), ...values(b2)]);

    const z3 = await zarr.create([105, 105], {
      chunks: [10, 10],
      dtype: "int32",
      store: new zarr.MemoryStore(),
      zarrFormat,
    });
    await z3.setitem(null, a2);
    assert.deepEqual(await z3.append(b2, 1), [105, 210]);
    const row = await z3.getitem(7);
    assert.deepEqual(values(row), [
      ...Array.from({ length: 105 }, (_, j) => 7 * 105 + j),
      ...Array.from({ length: 105 }, (_, j) => 105 * 105 + 7 * 105 + j),
    ]);

    const bad = await zarr.create([100], {
      chunks: 10,
      dtype: "int32",
      store: new zarr.MemoryStore(),
      zarrFormat,
    });
    await assert.rejects(
      bad.append(zarr.ndarray(new Int32Array(100), [10, 10])),
      zarr.ZarrValueError,
    );
    assert.deepEqual(bad.shape, [100]);
  });
}

Deno.test("concurrent setitem: 100 single-element writes into one chunk lose no update", async () => {
  for (const zarrFormat of [2, 3] as const) {
    const arr = await zarr.createArray(new zarr.MemoryStore(), {
      shape: [100],
      chunks: [100],
      dtype: "int32",
      fillValue: -1,
      zarrFormat,
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => arr.setitem(i, i * 3)));
    assert.deepEqual(values(await arr.getitem(null)), Array.from({ length: 100 }, (_, i) => i * 3));
    assert.equal(await arr.nchunksInitialized(), 1);
  }
  // two array objects over the same store and path share the per-key serialization
  await withTwoHandles();
});

async function withTwoHandles() {
  const store = new zarr.MemoryStore();
  await zarr.createArray(store, { name: "a", shape: [4, 50], chunks: [4, 50], dtype: "int16" });
  const h1 = await zarr.openArray({ store, path: "a" });
  const h2 = await zarr.openArray({ store, path: "a" });
  await Promise.all(
    Array.from(
      { length: 200 },
      (_, i) => (i % 2 ? h1 : h2).setitem([Math.floor(i / 50), i % 50], i + 1),
    ),
  );
  assert.deepEqual(values(await h1.getitem(null)), Array.from({ length: 200 }, (_, i) => i + 1));
}

Deno.test("updateAttributes merges, persists and returns the array (v2 and v3)", async () => {
  for (const zarrFormat of [2, 3] as const) {
    const store = new zarr.MemoryStore();
    const arr = await zarr.createArray(store, {
      shape: [5],
      chunks: [5],
      dtype: "float64",
      zarrFormat,
      attributes: { a: 1, keep: "yes" },
    });
    const ret = await arr.updateAttributes({ a: 2, foo: "bar", nested: { x: [1, 2] } });
    assert.equal(ret, arr);
    assert.deepEqual(arr.attrs, { a: 2, keep: "yes", foo: "bar", nested: { x: [1, 2] } });
    const again = await zarr.openArray({ store, zarrFormat });
    assert.deepEqual(again.attrs, arr.attrs);
    if (zarrFormat === 2) assert.deepEqual(await readJSON(store, ".zattrs"), arr.attrs);
    else assert.deepEqual((await readJSON(store, "zarr.json")).attributes, arr.attrs);
    const ro = await zarr.openArray({ store, mode: "r" });
    await assert.rejects(ro.updateAttributes({ z: 1 }), zarr.ReadOnlyError);
  }
});

Deno.test("datetime64 and timedelta64 round trip with units, scale factors and NaT", async () => {
  for (const zarrFormat of [2, 3] as const) {
    const store = new zarr.MemoryStore();
    const g = await zarr.group({ store, zarrFormat });
    const data = BigInt64Array.of(0n, 1_700_000_000_000_000_000n, NAT, -5n);
    const dt = await g.createArray("dt", { shape: [4], chunks: [2], dtype: "M8[ns]" });
    await dt.setitem(null, zarr.ndarray(data, [4], "datetime64[ns]"));
    const td = await g.createArray("td", { shape: [4], chunks: [2], dtype: "m8[10s]" });
    await td.setitem(null, zarr.ndarray(data, [4], "timedelta64[10s]"));
    const back = await zarr.openArray({ store, path: "dt" });
    assert.equal(back.dtype, "datetime64[ns]");
    const got = await back.getitem(null);
    assert.equal(got.dtype, "datetime64[ns]");
    assert.ok(got.data instanceof BigInt64Array);
    assert.deepEqual(values(got), Array.from(data));
    const tback = await zarr.openArray({ store, path: "td" });
    assert.equal(tback.dtype, "timedelta64[10s]");
    assert.deepEqual(values(await tback.getitem(null)), Array.from(data));
    assert.equal(back.fillValue, NAT);
    if (zarrFormat === 3) {
      const doc = await readJSON(store, "td/zarr.json");
      assert.deepEqual(doc.data_type, {
        name: "numpy.timedelta64",
        configuration: { unit: "s", scale_factor: 10 },
      });
      assert.match(await readText(store, "dt/zarr.json"), /"fill_value": -9223372036854775808,/);
    } else {
      assert.equal((await readJSON(store, "dt/.zarray")).dtype, "<M8[ns]");
      assert.equal((await readJSON(store, "td/.zarray")).dtype, "<m8[10s]");
    }
  }
});

Deno.test("string dtypes round trip: string (vlen-utf8), U<n>, S<n>, variable_length_bytes", async () => {
  for (const zarrFormat of [2, 3] as const) {
    const store = new zarr.MemoryStore();
    const words = ["", "a", "héllo wörld", "日本語", "emoji 🎉", "x".repeat(300)];
    const s = await zarr.createArray(store, {
      name: "s",
      shape: [6],
      chunks: [4],
      dtype: "string",
      zarrFormat,
    });
    await s.setitem(null, words);
    assert.deepEqual(
      (await (await zarr.openArray({ store, path: "s" })).getitem(null)).data,
      words,
    );
    assert.deepEqual((await s.getitem("::-2")).data, [words[5], words[3], words[1]]);

    const u = await zarr.createArray(store, {
      name: "u",
      shape: [3],
      dtype: "U5",
      zarrFormat,
    });
    await u.setitem(null, ["ab", "héllo", "日本"]);
    const ub = await zarr.openArray({ store, path: "u" });
    assert.equal(ub.dtype, "U5");
    assert.deepEqual((await ub.getitem(null)).data, ["ab", "héllo", "日本"]);

    const enc = (x: string) => new TextEncoder().encode(x);
    const b = await zarr.createArray(store, { name: "b", shape: [3], dtype: "S3", zarrFormat });
    await b.setitem(null, [enc("ab"), enc("xyz"), enc("")]);
    const bb = await (await zarr.openArray({ store, path: "b" })).getitem(null);
    assert.deepEqual(bb.data, [enc("ab"), enc("xyz"), enc("")]);

    const vb = await zarr.createArray(store, {
      name: "vb",
      shape: [3],
      dtype: "variable_length_bytes",
      zarrFormat,
    });
    const raw = [new Uint8Array([0, 1, 2, 0]), new Uint8Array(), new Uint8Array([255])];
    await vb.setitem(null, raw);
    assert.deepEqual((await (await zarr.openArray({ store, path: "vb" })).getitem(null)).data, raw);
    if (zarrFormat === 2) {
      assert.equal((await readJSON(store, "s/.zarray")).dtype, "|O");
      assert.equal((await readJSON(store, "u/.zarray")).dtype, "<U5");
      assert.equal((await readJSON(store, "b/.zarray")).dtype, "|S3");
    } else {
      assert.equal((await readJSON(store, "s/zarr.json")).data_type, "string");
      assert.deepEqual((await readJSON(store, "u/zarr.json")).data_type, {
        name: "fixed_length_utf32",
        configuration: { length_bytes: 20 },
      });
    }
  }
});

Deno.test("uint64 max and int64 min fill values are exact in JSON and on read", async () => {
  const U64MAX = 2n ** 64n - 1n;
  const I64MIN = -(2n ** 63n);
  for (const zarrFormat of [2, 3] as const) {
    const store = new zarr.MemoryStore();
    const u = await zarr.createArray(store, {
      name: "u",
      shape: [3],
      dtype: "uint64",
      fillValue: U64MAX,
      zarrFormat,
    });
    const i = await zarr.createArray(store, {
      name: "i",
      shape: [3],
      dtype: "int64",
      fillValue: I64MIN,
      zarrFormat,
    });
    const doc = zarrFormat === 3 ? "zarr.json" : ".zarray";
    assert.match(await readText(store, `u/${doc}`), /"fill_value": 18446744073709551615,/);
    assert.match(await readText(store, `i/${doc}`), /"fill_value": -9223372036854775808,/);
    assert.equal(u.fillValue, U64MAX);
    assert.equal(i.fillValue, I64MIN);
    const ub = await zarr.openArray({ store, path: "u" });
    const ib = await zarr.openArray({ store, path: "i" });
    assert.equal(ub.fillValue, U64MAX);
    assert.equal(ib.fillValue, I64MIN);
    assert.deepEqual(values(await ub.getitem(null)), [U64MAX, U64MAX, U64MAX]);
    assert.deepEqual(values(await ib.getitem(null)), [I64MIN, I64MIN, I64MIN]);
    // values at the limits round trip too
    await ub.setitem(1, 0n);
    await ib.setitem(1, 2n ** 63n - 1n);
    assert.deepEqual(values(await ub.getitem(null)), [U64MAX, 0n, U64MAX]);
    assert.deepEqual(values(await ib.getitem(null)), [I64MIN, 2n ** 63n - 1n, I64MIN]);
  }
});

Deno.test("float NaN / Infinity fills: JSON strings and reads (v2 and v3)", async () => {
  for (const zarrFormat of [2, 3] as const) {
    for (const [fill, json] of [[NaN, "NaN"], [Infinity, "Infinity"], [-Infinity, "-Infinity"]]) {
      const store = new zarr.MemoryStore();
      await zarr.createArray(store, { shape: [2], dtype: "float32", fillValue: fill, zarrFormat });
      const doc = zarrFormat === 3 ? "zarr.json" : ".zarray";
      assert.equal((await readJSON(store, doc)).fill_value, json);
      const a = await zarr.openArray({ store });
      assert.ok(Object.is(a.fillValue, fill));
      const got = await a.getitem(null) as NDArray;
      assert.ok(got.data instanceof Float32Array);
      assert.ok(values(got).every((v) => Object.is(v, fill)));
    }
  }
});

Deno.test("memory layout on disk: v2 order F, v3 transpose, big-endian v2, '/' separator", async () => {
  const src = zarr.ndarray(Int32Array.from([0, 1, 2, 3, 4, 5]), [2, 3]);
  const i32 = (b: Uint8Array | undefined) => Array.from(new Int32Array(b!.slice().buffer));
  // v2 order F: the chunk holds column-major bytes, reads are C-order values
  const s = new zarr.MemoryStore();
  const f = await zarr.create([2, 3], {
    store: s,
    dtype: "int32",
    zarrFormat: 2,
    order: "F",
    chunks: [2, 3],
    compressor: null,
  });
  await f.setitem(null, src);
  assert.deepEqual(i32(await s.get("0.0")), [0, 3, 1, 4, 2, 5]);
  const fb = await zarr.openArray({ store: s });
  assert.equal(fb.order, "F");
  assert.deepEqual(values(await fb.getitem(null)), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(values(await fb.getitem("1, ::-1")), [5, 4, 3]);
  // v3 transpose codec: the same bytes
  const t = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [2, 3],
    dtype: "int32",
    filters: [{ name: "transpose", configuration: { order: [1, 0] } }],
    compressors: null,
  });
  await t.setitem(null, src);
  assert.deepEqual(i32(await t.store.get("c/0/0")), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(values(await t.getitem(null)), [0, 1, 2, 3, 4, 5]);
  // big-endian v2 keeps ">i2" and big-endian bytes
  const be = await zarr.create([3], {
    store: new zarr.MemoryStore(),
    dtype: ">i2",
    zarrFormat: 2,
    compressor: null,
  });
  await be.setitem(null, [1, 2, 258]);
  assert.deepEqual(Array.from((await be.store.get("0"))!), [0, 1, 0, 2, 1, 2]);
  assert.equal((await readJSON(be.store, ".zarray")).dtype, ">i2");
  assert.deepEqual(values(await be.getitem(null)), [1, 2, 258]);
  // v2 dimension_separator "/": nested keys
  const c = await zarr.create([4, 4], {
    store: new zarr.MemoryStore(),
    zarrFormat: 2,
    dimensionSeparator: "/",
    chunks: [2, 2],
  });
  await c.setitem("2:, 0:2", 1);
  assert.deepEqual(await listKeys(c.store), [".zarray", ".zattrs", "1/0"]);
  assert.equal((await readJSON(c.store, ".zarray")).dimension_separator, "/");
  // 0-d arrays: key "c" (v3) and "0" (v2)
  const z = new zarr.MemoryStore();
  await (await zarr.create([], { dtype: "int32", store: z, path: "a" })).setitem(null, 5);
  await (await zarr.create([], { dtype: "int32", store: z, path: "b", zarrFormat: 2 })).setitem(
    null,
    5,
  );
  assert.ok(await z.exists("a/c"));
  assert.ok(await z.exists("b/0"));
  assert.equal(await zarr.load(z, { path: "a" }), 5);
  assert.equal(await zarr.load(z, { path: "b" }), 5);
});
