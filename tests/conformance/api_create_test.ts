/**
 * Conformance: creating and saving (zarr-python `tests/test_api.py`, `tests/test_array.py`),
 * checklist items 14-20, 24, 25, 36 (unsharded parts), 37, 38, 39.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import { captureWarnings } from "../../src/errors.ts";
import type { AsyncArray, NDArray, Store } from "../../mod.ts";
import { listKeys, readJSON, values, withTempDir } from "./helpers.ts";

Deno.test("#14 create: int shape and int chunks broadcast; float shape or chunk raises TypeError", async () => {
  const store = new zarr.MemoryStore();
  let z = await zarr.create(100, { store });
  assert.deepEqual(z.shape, [100]);
  z = await zarr.create(200, { chunkShape: 20, store, overwrite: true });
  assert.deepEqual(z.shape, [200]);
  assert.deepEqual(z.chunks, [20]);
  z = await zarr.create(400, { chunks: 40, store, overwrite: true });
  assert.deepEqual(z.shape, [400]);
  assert.deepEqual(z.chunks, [40]);
  z = await zarr.create([40, 30], { chunks: 10, store, overwrite: true });
  assert.deepEqual(z.chunks, [10, 10]);
  await assert.rejects(
    zarr.create([400.5, 100], { store, overwrite: true }),
    (e: Error) =>
      e instanceof zarr.ZarrTypeError && /Expected an iterable of integers/.test(e.message),
  );
  await assert.rejects(
    zarr.create([400, 100], { chunks: [16, 16.5], store, overwrite: true }),
    zarr.ZarrTypeError,
  );
  // the failed calls left the last good array in place
  const again = await zarr.openArray({ store });
  assert.deepEqual(again.shape, [40, 30]);
});

Deno.test("#15 auto chunks: (1000, 1000) uint8 gives (500, 500) across the creation API", async () => {
  const shape = [1000, 1000];
  const np = zarr.ndarray(new Uint8Array(1_000_000), shape);
  const makers: [string, () => Promise<AsyncArray>][] = [
    ["array", () => zarr.array(np)],
    ["create", () => zarr.create(shape, { dtype: "uint8" })],
    ["createArray", () => zarr.createArray(new zarr.MemoryStore(), { shape, dtype: "uint8" })],
    ["ones", () => zarr.ones(shape, { dtype: "uint8" })],
    ["onesLike", () => zarr.onesLike(np)],
    ["empty", () => zarr.empty(shape, { dtype: "uint8" })],
    ["emptyLike", () => zarr.emptyLike(np)],
    ["full", () => zarr.full(shape, 0, { dtype: "uint8" })],
    ["fullLike", () => zarr.fullLike(np, { fillValue: 0 })],
    ["zeros", () => zarr.zeros(shape, { dtype: "uint8" })],
    ["zerosLike", () => zarr.zerosLike(np)],
  ];
  for (const [name, make] of makers) {
    const a = await make();
    assert.deepEqual(a.chunks, [500, 500], name);
    assert.equal(a.dtype, "uint8", name);
  }
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#16 array order (v${zarrFormat}): v3 order= warns and config decides; v2 stores order`, async () => {
    const defaultOrder = zarr.config.get<"C" | "F">("array.order");
    for (const order of ["C", "F", undefined] as const) {
      for (const cfg of [{ order: "C" as const }, { order: "F" as const }, {}]) {
        const [arr, warnings] = await captureWarnings(() =>
          zarr.ones([2, 2], { order, zarrFormat, config: cfg })
        );
        const cfgOrder = (cfg as { order?: "C" | "F" }).order;
        let expected: "C" | "F";
        if (zarrFormat === 3) {
          expected = cfgOrder ?? defaultOrder;
          if (order === undefined) assert.equal(warnings.length, 0);
          else {
            assert.equal(warnings.length, 1);
            assert.equal(warnings[0].category, "ZarrRuntimeWarning");
            assert.match(
              warnings[0].message,
              /^The `order` keyword argument has no effect for Zarr format 3 arrays/,
            );
          }
        } else {
          expected = order ?? cfgOrder ?? defaultOrder;
          assert.equal(warnings.length, 0);
          assert.equal(arr.metadata.order, expected);
          assert.equal((await readJSON(arr.store, ".zarray")).order, expected);
        }
        assert.equal(arr.order, expected, `order=${order} config=${JSON.stringify(cfg)}`);
        // values read back whatever the order
        const got = await arr.getitem(null);
        assert.deepEqual(values(got), [1, 1, 1, 1]);
      }
    }
  });
}

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#17 write_empty_chunks kwarg warns (deprecated) for array and create (v${zarrFormat})`, async () => {
    const re = /^The `write_empty_chunks` keyword argument /;
    for (const writeEmptyChunks of [true, false]) {
      const [a, w1] = await captureWarnings(() =>
        zarr.array(Uint8Array.from({ length: 10 }, (_, i) => i), {
          dtype: "uint8",
          writeEmptyChunks,
          zarrFormat,
        })
      );
      assert.ok(w1.some((w) => w.category === "ZarrRuntimeWarning" && re.test(w.message)));
      assert.equal(a.config.writeEmptyChunks, writeEmptyChunks);
      const [c, w2] = await captureWarnings(() =>
        zarr.create([10], { dtype: "uint8", writeEmptyChunks, zarrFormat })
      );
      assert.ok(w2.some((w) => w.category === "ZarrRuntimeWarning" && re.test(w.message)));
      assert.equal(c.config.writeEmptyChunks, writeEmptyChunks);
    }
  });
}

Deno.test("#17 unimplemented kwargs give 'is not yet implemented' RuntimeWarnings", async () => {
  const cases: [string, Record<string, unknown>][] = [
    ["synchronizer", { synchronizer: 1 }],
    ["chunk_store", { chunkStore: 1 }],
    ["cache_attrs", { cacheAttrs: 1 }],
    ["cache_metadata", { cacheMetadata: 1 }],
    ["object_codec", { objectCodec: 1 }],
  ];
  for (const [py, kw] of cases) {
    const [, ws] = await captureWarnings(() => zarr.create([1], kw));
    assert.deepEqual(ws, [{
      category: "ZarrRuntimeWarning",
      message: `${py} is not yet implemented`,
    }]);
  }
  for (const [py, kw] of cases.slice(0, 3)) {
    const [, ws] = await captureWarnings(() => zarr.openGroup(undefined, kw));
    assert.deepEqual(ws, [{
      category: "ZarrRuntimeWarning",
      message: `${py} is not yet implemented`,
    }]);
  }
});

Deno.test("#18 v2 without compressor gives no compressor; a v3 codec as v2 compressor raises ValueError", async () => {
  const arr = await zarr.create(1, {
    store: new Map(),
    dtype: "uint8",
    zarrFormat: 2,
    compressor: null,
  });
  assert.equal(arr.metadata.v2?.compressor, null);
  assert.equal((await readJSON(arr.store, ".zarray")).compressor, null);
  // the codec chain is only the serializer
  assert.deepEqual(arr.metadata.codecs.map((c) => c.name), ["bytes"]);
  await assert.rejects(
    zarr.create(1, {
      store: new Map(),
      dtype: "uint8",
      zarrFormat: 2,
      compressor: {
        name: "blosc",
        configuration: { cname: "zstd", clevel: 5, shuffle: "shuffle", typesize: 1, blocksize: 0 },
      },
    }),
    zarr.ZarrValueError,
  );
  await assert.rejects(
    zarr.create(1, {
      store: new Map(),
      dtype: "uint8",
      zarrFormat: 2,
      compressor: { name: "zstd", configuration: { level: 0, checksum: false } },
    }),
    zarr.ZarrValueError,
  );
});

async function saveCases(makeStore: () => Promise<Store>, label: string) {
  const data = Float64Array.from({ length: 10 }, (_, i) => i);
  for (const nArgs of [10, 1, 0]) {
    for (const nKwargs of [10, 1, 0]) {
      for (const path of [undefined, "some_path"]) {
        const store = await makeStore();
        const args = Array.from({ length: nArgs }, () => data);
        const kwargs: Record<string, unknown> = {};
        for (let i = 0; i < nKwargs; i++) kwargs[`arg_${i}`] = data;
        const tag = `${label} nArgs=${nArgs} nKwargs=${nKwargs} path=${path}`;
        if (nArgs === 0 && nKwargs === 0) {
          await assert.rejects(
            zarr.save(store, { path }),
            (e: Error) =>
              e instanceof zarr.ZarrValueError &&
              e.message === "at least one array must be provided",
            tag,
          );
          continue;
        }
        await zarr.save(store, ...args, { ...kwargs, path });
        const node = await zarr.open({ store, path });
        if (nArgs === 1 && nKwargs === 0) {
          assert.ok(node instanceof zarr.AsyncArray, tag);
          assert.deepEqual(values(await node.getitem(null)), Array.from(data));
        } else {
          assert.ok(node instanceof zarr.AsyncGroup, tag);
          for (const [, a] of await node.arrays()) {
            assert.deepEqual(values(await a.getitem(null)), Array.from(data), tag);
          }
          for (const k of Object.keys(kwargs)) assert.ok(await node.contains(k), tag);
          for (let i = 0; i < nArgs; i++) assert.ok(await node.contains(`arr_${i}`), tag);
          assert.equal(await node.nmembers(), nArgs + nKwargs, tag);
        }
        await store.close();
      }
    }
  }
}

Deno.test("#19 save: 0 arrays ValueError, 1 array an Array, otherwise a Group of arr_i and names", async () => {
  await saveCases(() => Promise.resolve(new zarr.MemoryStore()), "memory");
  await withTempDir(async (dir) => {
    let i = 0;
    await saveCases(() => Promise.resolve(new zarr.LocalStore(`${dir}/s${i++}`)), "local");
    await saveCases(() => zarr.ZipStore.open(`${dir}/z${i++}.zip`, { mode: "w" }), "zip");
  });
});

Deno.test("#20 save errors: missing arrays and mode= passed to save", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(
      zarr.saveGroup(`${dir}/group.zarr`),
      (e: Error) =>
        e instanceof zarr.ZarrValueError && e.message === "at least one array must be provided",
    );
    await assert.rejects(zarr.saveArray(`${dir}/group.zarr`, undefined), zarr.ZarrTypeError);
    await assert.rejects(
      zarr.save(`${dir}/group.zarr`),
      (e: Error) =>
        e instanceof zarr.ZarrValueError && e.message === "at least one array must be provided",
    );
    const a = Float64Array.from({ length: 10 }, (_, i) => i);
    await assert.rejects(
      zarr.save(`${dir}/example.zarr`, a, { mode: "w" }),
      (e: Error) =>
        e instanceof zarr.ZarrTypeError &&
        e.message === "Keyword argument 'mode' must be a numpy or other NDArrayLike array",
    );
    // none of the failed calls created anything
    const left: string[] = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assert.deepEqual(left, []);
  });
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#24 creating 'a/b/c/d' writes exactly the root and intermediate group docs (v${zarrFormat})`, async () => {
    await withTempDir(async (dir) => {
      const stores: Store[] = [
        new zarr.MemoryStore(),
        new zarr.LocalStore(dir),
        await zarr.ZipStore.open(`${dir}.zip`, { mode: "w" }),
      ];
      for (const store of stores) {
        await zarr.openGroup(store, { path: "a", zarrFormat, attributes: { key: "value" } });
        await zarr.create([2, 2], { store, path: "a/b/c/d", zarrFormat });
        const parts = ["a", "a/b", "a/b/c"];
        const files = zarrFormat === 2 ? [".zattrs", ".zgroup"] : ["zarr.json"];
        const expected = files.flatMap((f) => parts.map((p) => `${p}/${f}`));
        if (zarrFormat === 2) {
          expected.push(".zattrs", ".zgroup", "a/b/c/d/.zarray", "a/b/c/d/.zattrs");
        } else expected.push("zarr.json", "a/b/c/d/zarr.json");
        assert.deepEqual(await listKeys(store), expected.sort(), store.typeName);
        for (const p of parts) {
          const g = await zarr.openGroup(store, { path: p });
          assert.ok(g instanceof zarr.AsyncGroup);
          assert.equal(g.zarrFormat, zarrFormat);
        }
        // the existing group kept its attributes
        assert.deepEqual((await zarr.openGroup(store, { path: "a" })).attrs, { key: "value" });
        await store.close();
      }
      await Deno.remove(`${dir}.zip`);
    });
  });
}

Deno.test("#24 a parent that is an array is refused", async () => {
  const store = new zarr.MemoryStore();
  await zarr.create([2], { store, path: "x" });
  await assert.rejects(zarr.create([2], { store, path: "x/y" }), zarr.ZarrValueError);
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#25 creating over an existing node: ContainsArrayError/ContainsGroupError unless overwrite (v${zarrFormat})`, async () => {
    await withTempDir(async (dir) => {
      for (const store of [new zarr.MemoryStore(), new zarr.LocalStore(dir)] as Store[]) {
        for (const extant of ["array", "group"] as const) {
          for (const overwrite of [true, false]) {
            const g = await zarr.group({ store, zarrFormat, overwrite: true });
            if (extant === "array") await g.createArray("extant", { shape: [10], dtype: "uint8" });
            else await g.createGroup("extant");
            const make = () =>
              zarr.createArray(store, {
                name: "extant",
                shape: [2, 2],
                dtype: "float32",
                overwrite,
                zarrFormat,
              });
            if (overwrite) {
              const a = await make();
              assert.deepEqual(a.shape, [2, 2]);
              assert.equal(a.dtype, "float32");
            } else {
              await assert.rejects(
                make(),
                extant === "array" ? zarr.ContainsArrayError : zarr.ContainsGroupError,
              );
            }
          }
        }
      }
    });
  });
}

Deno.test("#36 (unsharded) .chunks is the chunk shape and .shards null; v2 with shards raises ValueError", async () => {
  const store = new zarr.MemoryStore();
  const v3 = await zarr.createArray(store, {
    name: "v3",
    shape: [100, 100],
    chunks: [5, 5],
    dtype: "int32",
  });
  assert.deepEqual(v3.chunks, [5, 5]);
  assert.equal(v3.shards, null);
  const v2 = await zarr.createArray(store, {
    name: "v2",
    shape: [100, 100],
    chunks: [5, 5],
    dtype: "int32",
    zarrFormat: 2,
  });
  assert.deepEqual(v2.chunks, [5, 5]);
  assert.equal(v2.shards, null);
  await assert.rejects(
    zarr.createArray(store, {
      name: "bad",
      dtype: "uint8",
      shape: [10],
      shards: [5],
      zarrFormat: 2,
    }),
    zarr.ZarrValueError,
  );
  assert.equal(await store.exists("bad/.zarray"), false);
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#37 default filters/serializer/compressors and 'None' meaning empty (v${zarrFormat})`, async () => {
    const store = new zarr.MemoryStore();
    for (const dtype of ["uint8", "float32", "string"]) {
      const a = await zarr.createArray(store, { name: dtype, dtype, shape: [10], zarrFormat });
      if (zarrFormat === 3) {
        const doc = await readJSON(store, `${dtype}/zarr.json`);
        const serializer = dtype === "uint8"
          ? { name: "bytes" }
          : dtype === "float32"
          ? { name: "bytes", configuration: { endian: "little" } }
          : { name: "vlen-utf8", configuration: {} };
        assert.deepEqual(doc.codecs, [
          serializer,
          { name: "zstd", configuration: { level: 0, checksum: false } },
        ]);
      } else {
        const doc = await readJSON(store, `${dtype}/.zarray`);
        assert.deepEqual(doc.compressor, { id: "zstd", level: 0 });
        assert.deepEqual(doc.filters, dtype === "string" ? [{ id: "vlen-utf8" }] : null);
      }
      assert.equal(a.dtype, dtype === "string" ? "string" : dtype);
    }
    // compressors: null -> none at all
    const none = await zarr.createArray(store, {
      name: "none",
      dtype: "float32",
      shape: [10],
      zarrFormat,
      compressors: null,
      filters: null,
    });
    if (zarrFormat === 3) {
      assert.deepEqual((await readJSON(store, "none/zarr.json")).codecs, [
        { name: "bytes", configuration: { endian: "little" } },
      ]);
    } else {
      const doc = await readJSON(store, "none/.zarray");
      assert.equal(doc.compressor, null);
      assert.equal(doc.filters, null);
    }
    assert.deepEqual(none.metadata.codecs.map((c) => c.name), ["bytes"]);
  });

  Deno.test(`#37 chunk key encodings: v2/default names, separators, invalid names (v${zarrFormat})`, async () => {
    for (const name of ["v2", "default", "invalid"]) {
      for (const separator of [".", "/"] as const) {
        const store = new zarr.MemoryStore();
        const make = () =>
          zarr.createArray(store, {
            dtype: "uint8",
            shape: [10],
            chunks: [1],
            zarrFormat,
            chunkKeyEncoding: { name, separator },
          });
        if (name === "invalid") {
          await assert.rejects(
            make(),
            (e: Error) =>
              e instanceof zarr.ZarrValueError && /Unknown chunk key encoding/.test(e.message),
          );
        } else if (zarrFormat === 2 && name === "default") {
          await assert.rejects(make(), zarr.ZarrValueError);
        } else {
          const a = await make();
          await a.setitem(3, 7);
          const key = name === "v2" ? "3" : `c${separator}3`;
          assert.ok(await store.exists(key), `${name} ${separator}: ${await listKeys(store)}`);
          if (zarrFormat === 2) {
            assert.equal((await readJSON(store, ".zarray")).dimension_separator, separator);
          } else {
            assert.deepEqual((await readJSON(store, "zarr.json")).chunk_key_encoding, {
              name,
              configuration: { separator },
            });
          }
        }
      }
    }
  });
}

Deno.test("#38 create_array: data is exclusive with shape and dtype; shape/dtype required without it", async () => {
  const store = new zarr.MemoryStore();
  const data = Float64Array.from({ length: 10 }, (_, i) => i);
  const arr = await zarr.createArray(store, { name: "foo", data, zarrFormat: 3 });
  assert.deepEqual(values(await arr.getitem(null)), Array.from(data));
  assert.equal(arr.dtype, "float64");
  assert.deepEqual(arr.shape, [10]);

  const expectValue = (re: RegExp) => (e: Error) =>
    e instanceof zarr.ZarrValueError && re.test(e.message);
  await assert.rejects(
    zarr.createArray(store, { data: undefined, shape: undefined, dtype: undefined }),
    expectValue(/shape was not specified/),
  );
  await assert.rejects(
    zarr.createArray(store, { shape: undefined, dtype: "uint8" }),
    expectValue(/shape was not specified/),
  );
  await assert.rejects(
    zarr.createArray(store, { shape: [10, 10] }),
    expectValue(/dtype was not specified/),
  );
  const both = /The data parameter was used, but the shape parameter was also used\./;
  await assert.rejects(
    zarr.createArray(store, { data, shape: [10], overwrite: true }),
    expectValue(both),
  );
  await assert.rejects(
    zarr.createArray(store, { data, shape: [10], dtype: "float64", overwrite: true }),
    expectValue(both),
  );
  await assert.rejects(
    zarr.createArray(store, { data, dtype: "float64", overwrite: true }),
    expectValue(/The data parameter was used, but the dtype parameter was also used\./),
  );
});

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`#39 scalar arrays: array(1 | 1.4 | 'a' | b'a') has shape () and ndim 0 (v${zarrFormat})`, async () => {
    const bytes = new TextEncoder().encode("a");
    const cases: [unknown, string, unknown][] = [
      [1, "int64", 1n],
      [1.4, "float64", 1.4],
      ["a", "U1", "a"],
      // a bare Uint8Array is uint8 data in JS, so a bytes scalar is a 0-d "S1" NDArray
      [zarr.ndarray([bytes], [], "S1"), "S1", bytes],
    ];
    for (const [value, dtype, expected] of cases) {
      const arr = await zarr.array(value, { zarrFormat });
      assert.deepEqual(arr.shape, []);
      assert.equal(arr.ndim, 0);
      assert.equal(arr.dtype, dtype);
      const got = await arr.getitem(zarr.ellipsis) as NDArray;
      assert.deepEqual(got.shape, []);
      assert.deepEqual(got.data[0], expected);
      assert.deepEqual(await zarr.load(arr.store), expected);
    }
  });
}

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`*_like creation keeps or overrides shape, chunks, dtype and fill (v${zarrFormat}, test_array_like_creation)`, async () => {
    const refFill = 100;
    const ref = await zarr.createArray(new Map(), {
      shape: [11, 12],
      dtype: "uint8",
      chunks: [11, 12],
      zarrFormat,
      fillValue: refFill,
    });
    const funcs = ["zerosLike", "onesLike", "emptyLike", "fullLike", "openLike"] as const;
    for (const func of funcs) {
      for (const outShape of ["keep", [10, 10]] as const) {
        for (const outChunks of ["keep", [10, 10]] as const) {
          for (const outDtype of ["keep", "int8"] as const) {
            for (const outFill of ["keep", 4] as const) {
              const kw: Record<string, unknown> = {};
              let expectFill: number;
              if (func === "zerosLike") expectFill = 0;
              else if (func === "onesLike") expectFill = 1;
              else {
                expectFill = outFill === "keep" ? refFill : outFill;
                if (outFill !== "keep") kw.fillValue = outFill;
              }
              if (outShape !== "keep") kw.shape = outShape;
              if (outChunks !== "keep") kw.chunks = outChunks;
              if (outDtype !== "keep") kw.dtype = outDtype;
              const label = `${func} ${JSON.stringify(kw)}`;
              const arr = func === "openLike"
                ? await zarr.openLike(ref, "foo", { ...kw, mode: "w", zarrFormat })
                : await zarr[func](ref, { ...kw, path: "foo", zarrFormat });
              assert.equal(arr.path, "foo", label);
              assert.equal(arr.zarrFormat, zarrFormat, label);
              assert.deepEqual(arr.shape, outShape === "keep" ? [11, 12] : outShape, label);
              assert.deepEqual(arr.chunks, outChunks === "keep" ? [11, 12] : outChunks, label);
              assert.equal(arr.dtype, outDtype === "keep" ? "uint8" : outDtype, label);
              const got = await arr.getitem(null);
              assert.ok(values(got).every((v) => v === expectFill), label);
            }
          }
        }
      }
    }
  });
}

Deno.test("openLike: opens an existing array as is, creates a missing one like `a`", async () => {
  const store = new zarr.MemoryStore();
  const a = await zarr.createArray(store, {
    name: "a",
    shape: [6],
    chunks: [2],
    dtype: "int16",
    fillValue: 9,
  });
  const b = await zarr.openLike(a, "b", { store });
  assert.deepEqual([b.shape, b.chunks, b.dtype, b.fillValue], [[6], [2], "int16", 9]);
  await b.setitem(0, 1);
  // now it exists: reopened (data kept), not recreated
  const again = await zarr.openLike(a, "b", { store });
  assert.deepEqual(values(await again.getitem(null)), [1, 9, 9, 9, 9, 9]);
  // like a plain typed array: shape and dtype only
  const c = await zarr.zerosLike(new Float32Array(5));
  assert.deepEqual([c.shape, c.dtype, c.fillValue], [[5], "float32", 0]);
});

Deno.test("creation argument checks of zarr-python's create/_create (chunks, v2/v3-only kwargs)", async () => {
  const v = (re?: RegExp) => (e: Error) =>
    e instanceof zarr.ZarrValueError && (re === undefined || re.test(e.message));
  // chunks=True raises now (release note #3899); False is one chunk; -1 is the full extent
  await assert.rejects(zarr.create([10], { chunks: true }), v());
  assert.deepEqual((await zarr.create([10, 4], { chunks: false })).chunks, [10, 4]);
  assert.deepEqual((await zarr.create([10, 4], { chunks: [-1, 2] })).chunks, [10, 2]);
  await assert.rejects(zarr.create([10], { chunks: [0] }), v());
  await assert.rejects(zarr.create([10], { chunks: [-2] }), v());
  await assert.rejects(zarr.create([10], { chunks: [2, 2] }), v());
  await assert.rejects(
    zarr.create([10], { chunks: [2], chunkShape: [5] }),
    v(/^Only one of chunk_shape or chunks can be provided\.$/),
  );
  // v3 refuses v2-style arguments
  await assert.rejects(
    zarr.create([10], { dimensionSeparator: "/" }),
    v(/^dimension_separator cannot be used for arrays with zarr_format 3\./),
  );
  await assert.rejects(
    zarr.create([10], { filters: [{ id: "delta", dtype: "<f8" }] }),
    v(/^filters cannot be used for arrays with zarr_format 3\. Use array-to-array codecs instead\.$/),
  );
  await assert.rejects(
    zarr.create([10], { compressor: { id: "zstd", level: 1 } }),
    v(/^compressor cannot be used for arrays with zarr_format 3\./),
  );
  // v2 refuses v3-only arguments
  await assert.rejects(
    zarr.create([10], { zarrFormat: 2, codecs: [{ name: "bytes" }] }),
    v(/^codecs cannot be used for arrays with zarr_format 2\./),
  );
  await assert.rejects(
    zarr.createArray(new Map(), {
      shape: [10],
      dtype: "int8",
      zarrFormat: 2,
      dimensionNames: ["x"],
    }),
    v(/dimension_names/),
  );
  await assert.rejects(
    zarr.createArray(new Map(), { shape: [10], dtype: "int8", zarrFormat: 2, serializer: "bytes" }),
    v(/^Zarr format 2 arrays do not support `serializer`\.$/),
  );
  // a group's create_array refuses compressor together with compressors
  const g = await zarr.group();
  await assert.rejects(
    g.createArray("x", {
      shape: [1],
      dtype: "int8",
      compressor: { id: "zstd" },
      compressors: [{ name: "zstd" }],
    }),
    v(/^You cannot specify both compressor and compressors\.$/),
  );
  // array(read_only=True) is refused
  await assert.rejects(zarr.array(new Float64Array(2), { readOnly: true }), v());
  // nothing was left behind by the failed group call
  assert.deepEqual(await g.keys(), []);
});

Deno.test("chunk guessing matches zarr-python's _guess_regular_chunks", async () => {
  const cases: [number[], string, number[]][] = [
    [[1000, 1000], "uint8", [500, 500]],
    [[10000, 10000], "float64", [313, 625]],
    [[1_000_000], "int32", [125000]],
    [[365, 720, 1440], "float32", [46, 90, 180]],
    [[0], "float64", [1]],
    [[3], "string", [3]],
  ];
  for (const [shape, dtype, chunks] of cases) {
    assert.deepEqual((await zarr.create(shape, { dtype })).chunks, chunks, `${shape} ${dtype}`);
  }
});
