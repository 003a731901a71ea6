/**
 * Conformance: runtime configuration (zarr-python `tests/test_config.py`), checklist item 53,
 * plus `config.set` scoping, nested keys, environment overrides and per-array config.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import { readJSON } from "./helpers.ts";

/** zarr-python's `config.defaults` (without the `codecs` class-path table), flattened. */
const DEFAULTS = {
  default_zarr_format: 3,
  "array.order": "C",
  "array.write_empty_chunks": false,
  "array.read_missing_chunks": true,
  "array.target_shard_size_bytes": null,
  "array.rectilinear_chunks": false,
  "array.sharding_coalesce_max_gap_bytes": 1 << 20,
  "array.sharding_coalesce_max_bytes": 16 << 20,
  "async.concurrency": 10,
  "async.timeout": null,
  "threading.max_workers": null,
  json_indent: 2,
  "codec_pipeline.path": "zarr.core.codec_pipeline.BatchedCodecPipeline",
  "codec_pipeline.batch_size": 1,
  "codec_pipeline.max_workers": null,
  buffer: "zarr.buffer.cpu.Buffer",
  ndbuffer: "zarr.buffer.cpu.NDBuffer",
};

function withoutZarrEnv<T>(fn: () => T): T {
  const saved: [string, string][] = [];
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (k.startsWith("ZARR_") && k !== "ZARR_FIXTURES" && k !== "ZARR_SILENCE_WARNINGS") {
      saved.push([k, v]);
      Deno.env.delete(k);
    }
  }
  try {
    zarr.config.reset();
    return fn();
  } finally {
    for (const [k, v] of saved) Deno.env.set(k, v);
    zarr.config.reset();
  }
}

Deno.test("#53 config defaults are exactly zarr-python's", () => {
  withoutZarrEnv(() => {
    assert.deepEqual(zarr.config.toJSON(), DEFAULTS);
    for (const [k, v] of Object.entries(DEFAULTS)) assert.deepEqual(zarr.config.get(k), v, k);
    assert.deepEqual(zarr.config.get("array"), {
      order: "C",
      write_empty_chunks: false,
      read_missing_chunks: true,
      target_shard_size_bytes: null,
      rectilinear_chunks: false,
      sharding_coalesce_max_gap_bytes: 1 << 20,
      sharding_coalesce_max_bytes: 16 << 20,
    });
    assert.deepEqual(zarr.config.get("async"), { concurrency: 10, timeout: null });
  });
});

Deno.test("config.set: dotted and nested keys, scoped restore with `using`, unknown keys", () => {
  withoutZarrEnv(() => {
    {
      using _ = zarr.config.set({ "array.order": "F", async: { concurrency: 3 } });
      assert.equal(zarr.config.get("array.order"), "F");
      assert.equal(zarr.config.get("async.concurrency"), 3);
    }
    assert.equal(zarr.config.get("array.order"), "C");
    assert.equal(zarr.config.get("async.concurrency"), 10);
    const h = zarr.config.set({ default_zarr_format: 2 });
    assert.equal(zarr.config.get("default_zarr_format"), 2);
    h.restore();
    assert.equal(zarr.config.get("default_zarr_format"), 3);
    assert.throws(() => zarr.config.get("no.such.key"), zarr.ZarrValueError);
    assert.equal(zarr.config.get("no.such.key", 5), 5);
  });
});

Deno.test("config from the environment: ZARR_ARRAY__ORDER=F and friends", async () => {
  // a child process, so that no other test worker sees the variables
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const code = `import { config } from "${mod}";
    console.log(JSON.stringify([config.get("array.order"), config.get("default_zarr_format"),
      config.get("array.write_empty_chunks"), config.get("async.concurrency")]));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: {
      ZARR_ARRAY__ORDER: "F",
      ZARR_DEFAULT_ZARR_FORMAT: "2",
      ZARR_ARRAY__WRITE_EMPTY_CHUNKS: "true",
      ZARR_ASYNC__CONCURRENCY: "4",
    },
    cwd: new URL(".", import.meta.url).pathname,
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), ["F", 2, true, 4]);
});

Deno.test("default_zarr_format drives create/group, but create_array keeps 3 unless null", async () => {
  using _ = zarr.config.set({ default_zarr_format: 2 });
  const a = await zarr.create([2]);
  assert.equal(a.zarrFormat, 2);
  const g = await zarr.group();
  assert.equal(g.zarrFormat, 2);
  const s = new zarr.MemoryStore();
  const c = await zarr.createArray(s, { shape: [2], dtype: "int8" });
  assert.equal(c.zarrFormat, 3);
  assert.equal((await readJSON(s, "zarr.json")).zarr_format, 3);
  const d = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [2],
    dtype: "int8",
    zarrFormat: null,
  });
  assert.equal(d.zarrFormat, 2);
});

Deno.test("json_indent controls the metadata documents", async () => {
  using _ = zarr.config.set({ json_indent: 4 });
  const s = new zarr.MemoryStore();
  await zarr.group({ store: s });
  assert.equal(
    new TextDecoder().decode(await s.get("zarr.json")),
    '{\n    "attributes": {},\n    "zarr_format": 3,\n    "node_type": "group"\n}',
  );
});

Deno.test("per-array config overrides the global one; open() forwards config", async () => {
  using _ = zarr.config.set({ "array.write_empty_chunks": false });
  const store = new zarr.MemoryStore();
  for (const zarrFormat of [2, 3] as const) {
    await zarr.create([10], {
      store,
      path: `t${zarrFormat}`,
      chunks: [5],
      dtype: "float64",
      fillValue: 0,
      zarrFormat,
    });
    // test_open_array_respects_write_empty_chunks_config
    const arr2 = await zarr.open({
      store,
      path: `t${zarrFormat}`,
      config: { writeEmptyChunks: true },
    });
    assert.ok(arr2 instanceof zarr.AsyncArray);
    assert.equal(arr2.config.writeEmptyChunks, true);
    await arr2.setitem("0:5", 0);
    assert.equal(await arr2.nchunksInitialized(), 1);
    // zarr-python spelling of the key works too
    const arr3 = await zarr.openArray({
      store,
      path: `t${zarrFormat}`,
      config: { write_empty_chunks: true },
    });
    assert.equal(arr3.config.writeEmptyChunks, true);
    const plain = await zarr.openArray({ store, path: `t${zarrFormat}` });
    assert.equal(plain.config.writeEmptyChunks, false);
  }
});

Deno.test("read_missing_chunks=false raises ChunkNotFoundError naming the keys", async () => {
  const arr = await zarr.createArray(new zarr.MemoryStore(), {
    shape: [4],
    chunks: [2],
    dtype: "int8",
    config: { readMissingChunks: false },
  });
  await arr.setitem("0:2", 1);
  assert.deepEqual(Array.from((await arr.getitem("0:2")).data as Int8Array), [1, 1]);
  await assert.rejects(
    arr.getitem(null),
    (e: Error) => e instanceof zarr.ChunkNotFoundError && e.message.includes("c/1"),
  );
});
