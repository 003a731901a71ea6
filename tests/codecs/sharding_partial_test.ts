/**
 * Partial (ranged) reads of shards: `coalesceRanges`, and `ShardingCodec.decodePartial` against a
 * counting fetch — one index request, then one request per coalesced group of needed inner
 * chunks; results equal the window of a full decode.
 */
import assert from "node:assert/strict";
import { buildPipeline, type CodecPipeline } from "../../src/codecs/pipeline.ts";
import {
  coalesceRanges,
  mortonOrder,
  type PartialDecodeOptions,
  type ShardingCodec,
} from "../../src/codecs/sharding/mod.ts";
import type { ChunkSpec, CodecMetadata } from "../../src/codecs/types.ts";
import { type DataType, parseDataType } from "../../src/metadata/dtype.ts";
import type { RangeRequest } from "../../src/stores/types.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { config } from "../../src/config.ts";
import { CodecError, ZarrValueError } from "../../src/errors.ts";

// ---------------------------------------------------------------------------------------------
// coalesceRanges

const r = (offset: number, length: number) => ({ offset, length });
const spans = (g: { offset: number; length: number }[]) => g.map((x) => [x.offset, x.length]);

Deno.test("coalesceRanges: empty and single inputs", () => {
  assert.deepEqual(coalesceRanges([], { maxGap: 10, maxBytes: 10 }), []);
  const g = coalesceRanges([r(5, 3)], { maxGap: 0, maxBytes: 1 });
  assert.deepEqual(spans(g), [[5, 3]]); // a range larger than maxBytes stays whole
  assert.equal(g[0].members.length, 1);
});

Deno.test("coalesceRanges: adjacent ranges merge, the gap limit is inclusive", () => {
  const rs = [r(0, 10), r(10, 10), r(25, 5)];
  assert.deepEqual(spans(coalesceRanges(rs, { maxGap: 0, maxBytes: 100 })), [[0, 20], [25, 5]]);
  assert.deepEqual(spans(coalesceRanges(rs, { maxGap: 4, maxBytes: 100 })), [[0, 20], [25, 5]]);
  assert.deepEqual(spans(coalesceRanges(rs, { maxGap: 5, maxBytes: 100 })), [[0, 30]]);
});

Deno.test("coalesceRanges: the size limit is inclusive and splits groups", () => {
  const rs = [r(0, 10), r(10, 10), r(20, 10), r(30, 10)];
  assert.deepEqual(spans(coalesceRanges(rs, { maxGap: 0, maxBytes: 20 })), [[0, 20], [20, 20]]);
  assert.deepEqual(spans(coalesceRanges(rs, { maxGap: 0, maxBytes: 19 })), [
    [0, 10],
    [10, 10],
    [20, 10],
    [30, 10],
  ]);
  assert.deepEqual(spans(coalesceRanges(rs, { maxGap: 0, maxBytes: 40 })), [[0, 40]]);
});

Deno.test("coalesceRanges: unsorted and overlapping input; members keep their identity", () => {
  const rs = [
    { offset: 50, length: 10, id: "c" },
    { offset: 0, length: 10, id: "a" },
    { offset: 5, length: 10, id: "b" },
    { offset: 1000, length: 1, id: "d" },
  ];
  const g = coalesceRanges(rs, { maxGap: 40, maxBytes: 100 });
  assert.deepEqual(spans(g), [[0, 60], [1000, 1]]);
  assert.deepEqual(g[0].members.map((m) => m.id), ["a", "b", "c"]);
  assert.deepEqual(g[1].members.map((m) => m.id), ["d"]);
  assert.equal(rs[0].id, "c", "input not reordered");
  // every member lies inside its group
  for (const grp of g) {
    for (const m of grp.members) {
      assert.ok(m.offset >= grp.offset && m.offset + m.length <= grp.offset + grp.length);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// decodePartial

const LE = { name: "bytes", configuration: { endian: "little" } };
const GZIP = { name: "gzip", configuration: { level: 1 } };

interface Setup {
  p: CodecPipeline;
  codec: ShardingCodec;
  spec: ChunkSpec;
  data: Int32Array;
  bytes: Uint8Array;
  store: MemoryStore;
}

/** A 16x16 int32 shard of 2x2 inner chunks (8x8 of them), stored under "s". */
async function setup(
  opts: {
    location?: "start" | "end";
    codecs?: CodecMetadata[];
    fillWhere?: (i: number) => boolean;
    shape?: number[];
    chunk?: number[];
  } = {},
): Promise<Setup> {
  const shape = opts.shape ?? [16, 16];
  const chunk = opts.chunk ?? [2, 2];
  const dtype: DataType = parseDataType("int32");
  const p = buildPipeline(
    [{
      name: "sharding_indexed",
      configuration: {
        chunk_shape: chunk,
        codecs: opts.codecs ?? [LE],
        index_location: opts.location ?? "end",
      },
    }],
    "part/arr",
    { dtype, shape },
  );
  const spec = { shape, dtype, fillValue: -1 };
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Int32Array.from({ length: n }, (_, i) => (opts.fillWhere?.(i) ? -1 : i));
  const bytes = await p.encode({ data, shape }, spec);
  const store = new MemoryStore();
  await store.set("s", bytes);
  return { p, codec: p.arrayBytes as ShardingCodec, spec, data, bytes, store };
}

function counting(store: MemoryStore, key = "s") {
  const calls: RangeRequest[] = [];
  const fetch = (range: RangeRequest) => {
    calls.push(range);
    return store.get(key, range);
  };
  return { calls, fetch };
}

/** The window `[lo, hi)` of a C-ordered 2-D array. */
function window2(data: Int32Array, shape: number[], lo: number[], hi: number[]): number[] {
  const out: number[] = [];
  for (let i = lo[0]; i < hi[0]; i++) {
    for (let j = lo[1]; j < hi[1]; j++) out.push(data[i * shape[1] + j]);
  }
  return out;
}

async function partial(
  s: Setup,
  lo: number[],
  hi: number[],
  opts?: PartialDecodeOptions,
) {
  const { calls, fetch } = counting(s.store);
  const out = await s.codec.decodePartial(fetch, s.spec, { start: lo, stop: hi }, "s", opts);
  return { out, calls };
}

Deno.test("decodePartial: an aligned 2x2 block of adjacent inner chunks = 1 index + 1 data request", async () => {
  const s = await setup();
  const { out, calls } = await partial(s, [4, 4], [8, 8], { maxGap: 0 });
  assert.deepEqual(out!.shape, [4, 4]);
  assert.deepEqual(Array.from(out!.data as Int32Array), window2(s.data, [16, 16], [4, 4], [8, 8]));
  assert.equal(calls.length, 2, JSON.stringify(calls));
  const indexSize = 64 * 16 + 4;
  assert.deepEqual(calls[0], { suffix: indexSize });
  // 4 inner chunks of 16 bytes, contiguous in Morton order
  assert.deepEqual(calls[1], { offset: 12 * 16, length: 64 }); // Morton positions 12..15
  console.log(`aligned 2x2 window: ${calls.length} requests ${JSON.stringify(calls)}`);
});

Deno.test("decodePartial: gaps above maxGap split requests, gaps at or below merge", async () => {
  const s = await setup();
  // inner chunks (1,1), (1,2), (2,1), (2,2) sit at Morton positions 3, 9, 6, 12: 2-chunk gaps
  const o = mortonOrder([8, 8]);
  assert.deepEqual([9, 10, 17, 18].map((i) => o.indexOf(i)), [3, 9, 6, 12]);
  const expected = window2(s.data, [16, 16], [3, 3], [5, 5]);
  const split = await partial(s, [3, 3], [5, 5], { maxGap: 31 });
  assert.equal(split.calls.length, 1 + 4, JSON.stringify(split.calls));
  assert.deepEqual(Array.from(split.out!.data as Int32Array), expected);
  const merged = await partial(s, [3, 3], [5, 5], { maxGap: 32 });
  assert.equal(merged.calls.length, 1 + 1, JSON.stringify(merged.calls));
  assert.deepEqual(merged.calls[1], { offset: 3 * 16, length: 10 * 16 });
  assert.deepEqual(Array.from(merged.out!.data as Int32Array), expected);
  // the size limit splits the merged group again
  const capped = await partial(s, [3, 3], [5, 5], { maxGap: 1 << 20, maxBytes: 16 * 4 });
  assert.equal(capped.calls.length, 1 + 2, JSON.stringify(capped.calls));
  console.log(
    `3:5,3:5 window: maxGap 31 -> ${split.calls.length} requests, maxGap 32 -> ` +
      `${merged.calls.length}, maxBytes 64 -> ${capped.calls.length}`,
  );
});

Deno.test("decodePartial: a row of inner chunks; defaults come from the config", async () => {
  const s = await setup();
  const expected = window2(s.data, [16, 16], [0, 0], [1, 16]);
  const def = await partial(s, [0, 0], [1, 16]);
  assert.equal(def.calls.length, 2, "default 1 MiB gap: one data request");
  assert.deepEqual(Array.from(def.out!.data as Int32Array), expected);
  const none = await partial(s, [0, 0], [1, 16], { maxGap: 0 });
  assert.equal(none.calls.length, 1 + 8, "no row-0 inner chunks are adjacent in Morton order");
  {
    using _ = config.set({ "array.sharding_coalesce_max_gap_bytes": 0 });
    const cfg = await partial(s, [0, 0], [1, 16]);
    assert.equal(cfg.calls.length, 1 + 8, "config max gap 0");
  }
  {
    using _ = config.set({ "array.sharding_coalesce_max_bytes": 16 });
    const cfg = await partial(s, [0, 0], [1, 16]);
    assert.equal(cfg.calls.length, 1 + 8, "config max bytes = one inner chunk");
  }
  assert.deepEqual(Array.from(none.out!.data as Int32Array), expected);
  console.log(`row window: default ${def.calls.length} requests, maxGap 0 -> ${none.calls.length}`);
});

Deno.test("decodePartial: index at the start is read with {offset: 0, length}", async () => {
  const s = await setup({ location: "start", codecs: [LE, GZIP] });
  const { out, calls } = await partial(s, [5, 2], [11, 13]);
  assert.deepEqual(calls[0], { offset: 0, length: 64 * 16 + 4 });
  assert.equal(calls.length, 2);
  assert.deepEqual(
    Array.from(out!.data as Int32Array),
    window2(s.data, [16, 16], [5, 2], [11, 13]),
  );
});

Deno.test("decodePartial: a missing shard resolves undefined after one request", async () => {
  const s = await setup();
  const { calls, fetch } = counting(s.store, "nope");
  const out = await s.codec.decodePartial(fetch, s.spec, { start: [0, 0], stop: [2, 2] }, "nope");
  assert.equal(out, undefined);
  assert.equal(calls.length, 1);
});

Deno.test("decodePartial: missing inner chunks read as fill, without data requests", async () => {
  // inner chunks in the top-left quadrant hold only fill values: not stored
  const s = await setup({ fillWhere: (i) => Math.floor(i / 16) < 8 && i % 16 < 8 });
  const onlyMissing = await partial(s, [1, 1], [7, 7]);
  assert.equal(onlyMissing.calls.length, 1, "only the index");
  assert.ok(Array.from(onlyMissing.out!.data as Int32Array).every((x) => x === -1));
  const mixed = await partial(s, [6, 6], [10, 10]);
  assert.deepEqual(
    Array.from(mixed.out!.data as Int32Array),
    window2(s.data, [16, 16], [6, 6], [10, 10]),
  );
});

Deno.test("decodePartial: random windows equal the full decode's window", async () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (const location of ["end", "start"] as const) {
    const s = await setup({
      location,
      codecs: [LE, GZIP],
      shape: [12, 20],
      chunk: [3, 4],
      fillWhere: (i) => (Math.floor(i / 20 / 3) + Math.floor((i % 20) / 4)) % 4 === 1,
    });
    const full = (await s.p.decode(s.bytes, s.spec)).data as Int32Array;
    assert.deepEqual(Array.from(full), Array.from(s.data));
    for (let k = 0; k < 60; k++) {
      const a0 = rand(12);
      const a1 = rand(20);
      const lo = [a0, a1];
      const hi = [a0 + rand(12 - a0) + 1, a1 + rand(20 - a1) + 1];
      const opts = { maxGap: rand(3) === 0 ? 0 : rand(400), maxBytes: 1 + rand(2000) };
      const { out, calls } = await partial(s, lo, hi, opts);
      assert.deepEqual(out!.shape, [hi[0] - lo[0], hi[1] - lo[1]]);
      assert.deepEqual(
        Array.from(out!.data as Int32Array),
        window2(full, [12, 20], lo, hi),
        `${location} [${lo}]..[${hi}] ${JSON.stringify(opts)}`,
      );
      assert.ok(calls.length >= 1);
    }
  }
});

Deno.test("decodePartial: 3-D, nested sharding and the whole shard", async () => {
  const dtype = parseDataType("uint16");
  const shape = [4, 8, 8];
  const p = buildPipeline(
    [{
      name: "sharding_indexed",
      configuration: {
        chunk_shape: [2, 4, 4],
        codecs: [{
          name: "sharding_indexed",
          configuration: { chunk_shape: [1, 2, 2], codecs: [LE, GZIP] },
        }],
      },
    }],
    "nested",
    { dtype, shape },
  );
  const spec = { shape, dtype, fillValue: 0 };
  const data = Uint16Array.from({ length: 256 }, (_, i) => i * 3 + 1);
  const store = new MemoryStore();
  await store.set("k", await p.encode({ data, shape }, spec));
  const codec = p.arrayBytes as ShardingCodec;
  const { calls, fetch } = counting(store, "k");
  const out = await codec.decodePartial(fetch, spec, { start: [1, 3, 2], stop: [3, 6, 7] }, "k");
  const expected: number[] = [];
  for (let i = 1; i < 3; i++) {
    for (let j = 3; j < 6; j++) for (let k = 2; k < 7; k++) expected.push(data[i * 64 + j * 8 + k]);
  }
  assert.deepEqual(out!.shape, [2, 3, 5]);
  assert.deepEqual(Array.from(out!.data as Uint16Array), expected);
  assert.equal(calls.length, 2);
  const whole = await codec.decodePartial(fetch, spec, { start: [0, 0, 0], stop: shape }, "k");
  assert.deepEqual(Array.from(whole!.data as Uint16Array), Array.from(data));
});

Deno.test("decodePartial: corrupt, truncated and vanished shards; bad boxes", async () => {
  const s = await setup();
  // corrupt index (crc32c)
  const bad = s.bytes.slice();
  bad[bad.length - 7] ^= 1;
  await s.store.set("bad", bad);
  const c1 = counting(s.store, "bad");
  await assert.rejects(
    () => s.codec.decodePartial(c1.fetch, s.spec, { start: [0, 0], stop: [2, 2] }, "c/9/9"),
    (e: unknown) =>
      e instanceof CodecError && /c\/9\/9/.test(e.message) && /crc32c/.test(e.message) &&
      /part\/arr/.test(e.message),
  );
  // an object shorter than the index
  await s.store.set("short", s.bytes.subarray(0, 100));
  const c2 = counting(s.store, "short");
  await assert.rejects(
    () => s.codec.decodePartial(c2.fetch, s.spec, { start: [0, 0], stop: [2, 2] }, "short"),
    (e: unknown) => e instanceof CodecError && /truncated/.test(e.message),
  );
  // data reads that come back short
  const short = (range: RangeRequest) =>
    s.store.get("s", range).then((b) => ("suffix" in range ? b : b?.subarray(1)));
  await assert.rejects(
    () => s.codec.decodePartial(short, s.spec, { start: [0, 0], stop: [2, 2] }, "s"),
    (e: unknown) => e instanceof CodecError && /truncated/.test(e.message),
  );
  // the object disappears between the index read and the data read
  const gone = (range: RangeRequest) =>
    "suffix" in range ? s.store.get("s", range) : Promise.resolve(undefined);
  assert.equal(
    await s.codec.decodePartial(gone, s.spec, { start: [0, 0], stop: [2, 2] }, "s"),
    undefined,
  );
  // boxes outside the shard
  for (
    const box of [
      { start: [0, 0], stop: [17, 2] },
      { start: [3, 0], stop: [2, 2] },
      { start: [0], stop: [2] },
      { start: [-1, 0], stop: [2, 2] },
    ]
  ) {
    await assert.rejects(
      () => s.codec.decodePartial(counting(s.store).fetch, s.spec, box, "s"),
      ZarrValueError,
      JSON.stringify(box),
    );
  }
  // an empty box
  const empty = await s.codec.decodePartial(
    counting(s.store).fetch,
    s.spec,
    { start: [3, 3], stop: [3, 9] },
    "s",
  );
  assert.deepEqual(empty!.shape, [0, 6]);
  assert.equal(empty!.data.length, 0);
});

Deno.test("decodePartial: the result does not share memory with fetched bytes", async () => {
  const s = await setup({ shape: [4, 4], chunk: [4, 4] });
  let fetched: Uint8Array | undefined;
  const fetch = async (range: RangeRequest) => {
    const b = await s.store.get("s", range);
    if (!("suffix" in range)) fetched = b;
    return b;
  };
  const out = await s.codec.decodePartial(fetch, s.spec, { start: [0, 0], stop: [4, 4] }, "s");
  assert.notEqual((out!.data as Int32Array).buffer, fetched!.buffer);
});
