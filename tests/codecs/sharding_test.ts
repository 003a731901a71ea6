/**
 * Unit tests of the `sharding_indexed` codec: round trips (1-D..3-D, index at start and end,
 * several data types, inner compression), omitted fill-valued inner chunks, all-fill shards,
 * nested sharding, corrupt / truncated shards, configuration validation and the metadata form.
 */
import assert from "node:assert/strict";
import { buildPipeline, type CodecPipeline } from "../../src/codecs/pipeline.ts";
import { registeredCodecs } from "../../src/codecs/registry.ts";
import {
  MISSING,
  mortonOrder,
  parseShardIndex,
  ShardingCodec,
  unravel,
} from "../../src/codecs/sharding/mod.ts";
import { crc32c } from "../../src/codecs/crc32c.ts";
import type { Chunk, ChunkSpec, CodecMetadata } from "../../src/codecs/types.ts";
import {
  allocate,
  type DataContainer,
  type DataType,
  parseDataType,
  type Scalar,
} from "../../src/metadata/dtype.ts";
import { v2EncodingFromCodecs } from "../../src/metadata/codec_chain.ts";
import { CodecError, MetadataValidationError, ZarrValueError } from "../../src/errors.ts";

const LE = { name: "bytes", configuration: { endian: "little" } };
const GZIP = { name: "gzip", configuration: { level: 1 } };

function sharding(
  chunkShape: number[],
  extra: Record<string, unknown> = {},
): CodecMetadata {
  return { name: "sharding_indexed", configuration: { chunk_shape: chunkShape, ...extra } };
}

function pipe(
  meta: CodecMetadata,
  dtype: DataType,
  shape: number[],
  where = "arr",
): { p: CodecPipeline; codec: ShardingCodec } {
  const p = buildPipeline([meta], where, { dtype, shape });
  return { p, codec: p.arrayBytes as ShardingCodec };
}

/** Deterministic pseudo-random generator (LCG). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Fills `n` elements of `dt` with varied values, leaving whole regions at the fill value when
 * `fillMask(i)` says so.
 */
function makeData(
  dt: DataType,
  n: number,
  seed: number,
  isFill: (i: number) => boolean,
  fill: Scalar,
): DataContainer {
  const r = rng(seed);
  const out = allocate(dt, n);
  for (let i = 0; i < n; i++) {
    const f = isFill(i);
    switch (dt.kind) {
      case "bool":
        (out as Uint8Array)[i] = f ? Number(fill) : 1;
        break;
      case "int":
      case "uint":
        if (dt.itemsize === 8) {
          (out as BigInt64Array)[i] = f
            ? BigInt(fill as bigint)
            : BigInt(1 + Math.floor(r() * 1e9));
        } else (out as Int32Array)[i] = f ? Number(fill) : 1 + Math.floor(r() * 100);
        break;
      case "float":
        (out as Float64Array)[i] = f ? Number(fill) : r() * 1000 - 500;
        break;
      case "complex": {
        const [re, im] = fill as [number, number];
        (out as Float32Array)[2 * i] = f ? re : r() + 1;
        (out as Float32Array)[2 * i + 1] = f ? im : -r() - 1;
        break;
      }
      case "string":
        (out as string[])[i] = f ? String(fill) : `s${Math.floor(r() * 1000)}✓`;
        break;
      default:
        throw new Error(`makeData: unsupported ${dt.str}`);
    }
  }
  return out;
}

function flatIndex(coords: number[], shape: number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + coords[d];
  return i;
}

/** Whether element `i` of a shard lies in an inner chunk whose grid coords sum to a multiple of 3. */
function emptyInner(shape: number[], chunk: number[]): (i: number) => boolean {
  return (i) => {
    const c = unravel(i, shape);
    const sum = c.reduce((a, x, d) => a + Math.floor(x / chunk[d]), 0);
    return sum % 3 === 0;
  };
}

function sameData(a: DataContainer, b: DataContainer, msg: string): void {
  assert.equal(a.length, b.length, `${msg}: length`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as unknown;
    const y = b[i] as unknown;
    if (typeof x === "number" && Number.isNaN(x) && Number.isNaN(y as number)) continue;
    assert.equal(x, y, `${msg}: element ${i}`);
  }
}

/** Reads the raw (uint64) index of an encoded shard with the default index codecs. */
function rawIndex(bytes: Uint8Array, nInner: number, location: "start" | "end"): bigint[] {
  const size = nInner * 16 + 4;
  const idx = location === "start" ? bytes.subarray(0, size) : bytes.subarray(bytes.length - size);
  const body = idx.slice(0, size - 4);
  const v = new DataView(body.buffer);
  const out: bigint[] = [];
  for (let i = 0; i < nInner * 2; i++) out.push(v.getBigUint64(8 * i, true));
  return out;
}

const CASES: {
  label: string;
  dtype: string;
  shard: number[];
  chunk: number[];
  fill: Scalar;
  codecs: CodecMetadata[];
}[] = [
  { label: "1-D int16", dtype: "int16", shard: [12], chunk: [4], fill: 0, codecs: [LE] },
  {
    label: "1-D float64 gzip",
    dtype: "float64",
    shard: [10],
    chunk: [2],
    fill: 1.5,
    codecs: [LE, GZIP],
  },
  {
    label: "2-D int32 3x4 grid",
    dtype: "int32",
    shard: [9, 8],
    chunk: [3, 2],
    fill: -1,
    codecs: [LE],
  },
  { label: "2-D uint64", dtype: "uint64", shard: [4, 4], chunk: [2, 2], fill: 7n, codecs: [LE] },
  {
    label: "2-D complex64",
    dtype: "complex64",
    shard: [4, 6],
    chunk: [2, 3],
    fill: [0, 0],
    codecs: [LE],
  },
  {
    label: "2-D bool",
    dtype: "bool",
    shard: [4, 4],
    chunk: [2, 1],
    fill: false,
    codecs: [{ name: "bytes" }],
  },
  {
    label: "2-D string (vlen-utf8 + gzip)",
    dtype: "string",
    shard: [4, 4],
    chunk: [2, 2],
    fill: "",
    codecs: [{ name: "vlen-utf8", configuration: {} }, GZIP],
  },
  {
    label: "3-D float32",
    dtype: "float32",
    shard: [4, 6, 4],
    chunk: [2, 3, 2],
    fill: 0,
    codecs: [LE, GZIP],
  },
  {
    label: "3-D int16 big-endian inner, transpose",
    dtype: "int16",
    shard: [2, 4, 6],
    chunk: [1, 2, 3],
    fill: 3,
    codecs: [
      { name: "transpose", configuration: { order: [2, 0, 1] } },
      { name: "bytes", configuration: { endian: "big" } },
    ],
  },
];

for (const c of CASES) {
  for (const location of ["end", "start"] as const) {
    Deno.test(`sharding round trip: ${c.label}, index at ${location}`, async () => {
      const dt = parseDataType(c.dtype);
      const { p, codec } = pipe(
        sharding(c.chunk, { codecs: c.codecs, index_location: location }),
        dt,
        c.shard,
      );
      const spec: ChunkSpec = { shape: c.shard, dtype: dt, fillValue: c.fill };
      const n = c.shard.reduce((a, b) => a * b, 1);
      const isFill = emptyInner(c.shard, c.chunk);
      const data = makeData(dt, n, 42, isFill, c.fill);
      const bytes = await p.encode({ data, shape: c.shard }, spec);
      const back = await p.decode(bytes, spec);
      assert.deepEqual(back.shape, c.shard);
      sameData(back.data, data, c.label);

      // inner chunks equal to the fill value are not stored; the others are, exactly once
      const cps = c.shard.map((s, d) => s / c.chunk[d]);
      const nInner = cps.reduce((a, b) => a * b, 1);
      const idx = rawIndex(bytes, nInner, location);
      const indexSize = codec.indexSize(c.shard);
      assert.equal(indexSize, nInner * 16 + 4);
      let stored = 0;
      for (let i = 0; i < nInner; i++) {
        const g = unravel(i, cps);
        const empty = g.reduce((a, x) => a + x, 0) % 3 === 0;
        if (empty) {
          assert.equal(idx[2 * i], MISSING, `${c.label}: inner ${g} offset`);
          assert.equal(idx[2 * i + 1], MISSING, `${c.label}: inner ${g} nbytes`);
        } else {
          const off = Number(idx[2 * i]);
          const len = Number(idx[2 * i + 1]);
          if (location === "start") assert.ok(off >= indexSize, "data after the index");
          else assert.ok(off + len <= bytes.length - indexSize, "data before the index");
          stored += len;
        }
      }
      assert.equal(bytes.length, indexSize + stored, "no bytes besides index and inner chunks");
    });
  }
}

Deno.test("sharding: inner chunks are laid out in Morton order", async () => {
  const dt = parseDataType("uint8");
  const { p } = pipe(sharding([1, 1], { codecs: [{ name: "bytes" }] }), dt, [4, 4]);
  const data = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const bytes = await p.encode({ data, shape: [4, 4] }, { shape: [4, 4], dtype: dt, fillValue: 0 });
  // 1-byte inner chunks: the data section is the values in Morton order
  const order = mortonOrder([4, 4]);
  assert.deepEqual(Array.from(bytes.subarray(0, 16)), order.map((i) => i + 1));
  assert.deepEqual(order.slice(0, 8), [0, 4, 1, 5, 8, 12, 9, 13]);
  const idx = rawIndex(bytes, 16, "end");
  for (let k = 0; k < 16; k++) {
    assert.equal(idx[2 * order[k]], BigInt(k));
    assert.equal(idx[2 * order[k] + 1], 1n);
  }
});

Deno.test("mortonOrder: a permutation, Z-shaped, any grid", () => {
  assert.deepEqual(mortonOrder([2, 2]), [0, 2, 1, 3]);
  assert.deepEqual(mortonOrder([2, 3]), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(mortonOrder([5]), [0, 1, 2, 3, 4]);
  assert.deepEqual(mortonOrder([1, 1, 1]), [0]);
  for (const shape of [[3, 5], [4, 4, 4], [7, 2, 3], [1, 9], [16, 16]]) {
    const o = mortonOrder(shape);
    const n = shape.reduce((a, b) => a * b, 1);
    assert.equal(o.length, n);
    assert.deepEqual([...o].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
});

Deno.test("sharding: missing inner chunks decode as the fill value", async () => {
  const dt = parseDataType("float32");
  const { p, codec } = pipe(sharding([2, 2], { codecs: [LE] }), dt, [4, 4]);
  const spec = { shape: [4, 4], dtype: dt, fillValue: NaN };
  // Only inner chunk [1, 0] is stored: build the shard by hand.
  const inner = new Float32Array([1, 2, 3, 4]);
  const raw = new BigUint64Array(8).fill(MISSING);
  raw[4] = 0n;
  raw[5] = 16n;
  const index = await codec.index.encode(
    { data: raw, shape: [2, 2, 2] },
    { shape: [2, 2, 2], dtype: parseDataType("uint64"), fillValue: MISSING },
  );
  const shard = new Uint8Array(16 + index.length);
  shard.set(new Uint8Array(inner.buffer));
  shard.set(index, 16);
  const out = (await p.decode(shard, spec)).data as Float32Array;
  const expected = [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 1, 2, NaN, NaN, 3, 4, NaN, NaN];
  sameData(out, Float32Array.from(expected), "missing inner chunks");
});

Deno.test("sharding: an all-fill shard encodes to the index alone and decodes to fill", async () => {
  for (const [dtype, fill] of [["int32", 42], ["float64", NaN], ["string", "x"]] as const) {
    const dt = parseDataType(dtype);
    const codecs = dtype === "string" ? [{ name: "vlen-utf8", configuration: {} }] : [LE];
    const { p, codec } = pipe(sharding([2, 3], { codecs }), dt, [4, 6]);
    const spec = { shape: [4, 6], dtype: dt, fillValue: fill as Scalar };
    const data = makeData(dt, 24, 1, () => true, fill as Scalar);
    const bytes = await p.encode({ data, shape: [4, 6] }, spec);
    assert.equal(bytes.length, codec.indexSize([4, 6]), dtype);
    assert.ok(rawIndex(bytes, 4, "end").every((x) => x === MISSING));
    sameData((await p.decode(bytes, spec)).data, data, dtype);
  }
});

Deno.test("sharding: -0.0 is not the +0.0 fill value (bitwise, as zarr-python)", async () => {
  const dt = parseDataType("float64");
  const { p } = pipe(sharding([2], { codecs: [LE] }), dt, [4]);
  const spec = { shape: [4], dtype: dt, fillValue: 0 };
  const bytes = await p.encode({ data: Float64Array.of(-0, -0, 0, 0), shape: [4] }, spec);
  const idx = rawIndex(bytes, 2, "end");
  assert.notEqual(idx[0], MISSING);
  assert.equal(idx[2], MISSING);
  const back = (await p.decode(bytes, spec)).data as Float64Array;
  assert.ok(Object.is(back[0], -0) && Object.is(back[2], 0));
});

Deno.test("sharding: nested sharding round trips and serializes recursively", async () => {
  const dt = parseDataType("int32");
  const inner = sharding([2, 2], { codecs: [LE, GZIP], index_location: "start" });
  const meta = sharding([4, 4], { codecs: [inner] });
  const { p } = pipe(meta, dt, [8, 8]);
  const spec = { shape: [8, 8], dtype: dt, fillValue: 0 };
  const data = makeData(dt, 64, 7, emptyInner([8, 8], [2, 2]), 0);
  const bytes = await p.encode({ data, shape: [8, 8] }, spec);
  sameData((await p.decode(bytes, spec)).data, data, "nested");
  assert.equal(
    JSON.stringify(p.toJSON()),
    JSON.stringify([{
      name: "sharding_indexed",
      configuration: {
        chunk_shape: [4, 4],
        codecs: [{
          name: "sharding_indexed",
          configuration: {
            chunk_shape: [2, 2],
            codecs: [LE, GZIP],
            index_codecs: [LE, { name: "crc32c" }],
            index_location: "start",
          },
        }],
        index_codecs: [LE, { name: "crc32c" }],
        index_location: "end",
      },
    }]),
  );
  // the nested inner shard does not divide: a metadata error when the codec is built
  assert.throws(
    () => pipe(sharding([4, 4], { codecs: [sharding([3, 3])] }), dt, [8, 8], "nested/arr"),
    (e: unknown) =>
      e instanceof MetadataValidationError && /not divisible/.test(e.message) &&
      /nested\/arr/.test(e.message),
  );
});

Deno.test("sharding: toJSON is zarr-python's to_dict, with defaults filled in", () => {
  const { p } = pipe(sharding([2, 2]), parseDataType("float32"), [4, 4]);
  assert.equal(
    JSON.stringify(p.toJSON()),
    '[{"name":"sharding_indexed","configuration":{"chunk_shape":[2,2],' +
      '"codecs":[{"name":"bytes","configuration":{"endian":"little"}}],' +
      '"index_codecs":[{"name":"bytes","configuration":{"endian":"little"}},{"name":"crc32c"}],' +
      '"index_location":"end"}}]',
  );
  // inner codecs are evolved for the data type (no endian for one-byte types)
  const { p: u8 } = pipe(sharding([2], { codecs: [LE, GZIP] }), parseDataType("uint8"), [4]);
  assert.deepEqual(u8.toJSON()[0].configuration?.codecs, [{ name: "bytes" }, GZIP]);
  assert.ok(registeredCodecs().includes("sharding_indexed"));
  assert.equal((p.arrayBytes as ShardingCodec).supportsPartialDecode, true);
  assert.equal(
    p.encodedSize({ shape: [4, 4], dtype: parseDataType("float32"), fillValue: 0 }),
    undefined,
  );
});

// ---------------------------------------------------------------------------------------------
// corrupt and truncated shards

async function sampleShard(location: "start" | "end" = "end") {
  const dt = parseDataType("int16");
  const { p, codec } = pipe(
    sharding([2, 2], { codecs: [LE], index_location: location }),
    dt,
    [4, 4],
    "corrupt/arr",
  );
  const spec = { shape: [4, 4], dtype: dt, fillValue: 0 };
  const data = Int16Array.from({ length: 16 }, (_, i) => i + 1);
  const bytes = await p.encode({ data, shape: [4, 4] }, spec);
  return { p, codec, spec, bytes, dt };
}

/** Appends a hand-made index (with a valid crc32c) to `data`. */
function withIndex(data: Uint8Array, entries: bigint[]): Uint8Array {
  const body = new Uint8Array(entries.length * 8);
  const v = new DataView(body.buffer);
  entries.forEach((x, i) => v.setBigUint64(8 * i, x, true));
  const out = new Uint8Array(data.length + body.length + 4);
  out.set(data);
  out.set(body, data.length);
  new DataView(out.buffer).setUint32(data.length + body.length, crc32c(body), true);
  return out;
}

Deno.test("sharding: a corrupt index fails its crc32c check", async () => {
  const { p, spec, bytes } = await sampleShard();
  const bad = bytes.slice();
  bad[bad.length - 10] ^= 0xff; // inside the index body
  await assert.rejects(
    () => p.decode(bad, spec, "c/0/0"),
    (e: unknown) =>
      e instanceof CodecError && /c\/0\/0/.test(e.message) && /crc32c/.test(e.message) &&
      /corrupt\/arr/.test(e.message),
  );
});

Deno.test("sharding: a truncated shard raises a CodecError", async () => {
  for (const location of ["end", "start"] as const) {
    const { p, spec, bytes } = await sampleShard(location);
    // shorter than the index
    await assert.rejects(
      () => p.decode(bytes.subarray(0, 20), spec, "k"),
      (e: unknown) => e instanceof CodecError && /shorter than its index/.test(e.message),
    );
    // data cut away: the entries point past the remaining bytes (or the crc breaks)
    const cut = location === "end" ? bytes.subarray(8) : bytes.subarray(0, bytes.length - 8);
    await assert.rejects(() => p.decode(cut, spec, "k"), CodecError);
  }
  const { p, spec } = await sampleShard();
  await assert.rejects(() => p.decode(new Uint8Array(0), spec, "k"), CodecError);
});

Deno.test("sharding: index entries outside the shard raise a clear error", async () => {
  const { p, spec } = await sampleShard();
  const data = new Uint8Array(32);
  const ok = [0n, 8n, 8n, 8n, 16n, 8n, 24n, 8n];
  await p.decode(withIndex(data, ok), spec, "k"); // well-formed: decodes

  const cases: [string, bigint[], RegExp][] = [
    ["past the end", [0n, 8n, 8n, 8n, 16n, 8n, 30n, 8n], /outside/],
    ["huge length", [0n, 8n, 8n, 8n, 16n, 8n, 24n, 1n << 62n], /outside/],
    ["huge offset", [1n << 63n, 8n, 8n, 8n, 16n, 8n, 24n, 8n], /outside/],
    ["into the index", [0n, 8n, 8n, 8n, 16n, 8n, 32n, 8n], /outside/],
    ["half missing", [0n, 8n, MISSING, 8n, 16n, 8n, 24n, 8n], /missing/],
  ];
  for (const [label, entries, re] of cases) {
    await assert.rejects(
      () => p.decode(withIndex(data, entries), spec, "c/1/2"),
      (e: unknown) =>
        e instanceof CodecError && re.test(e.message) && /c\/1\/2/.test(e.message) &&
        /corrupt shard index/.test(e.message),
      label,
    );
  }
  // a wrong inner chunk length is caught by the inner codec
  await assert.rejects(
    () => p.decode(withIndex(data, [0n, 7n, 8n, 8n, 16n, 8n, 24n, 8n]), spec, "k"),
    CodecError,
  );
});

Deno.test("parseShardIndex: validates size and entries", () => {
  assert.throws(() => parseShardIndex(new BigUint64Array(3), [2], { start: 0, end: 10 }), /values/);
  const idx = parseShardIndex(BigUint64Array.of(MISSING, MISSING, 2n, 3n), [2], {
    start: 0,
    end: 5,
  });
  assert.ok(idx.isMissing(0) && !idx.isMissing(1) && !idx.allMissing());
  assert.equal(idx.offsets[1], 2);
  assert.equal(idx.lengths[1], 3);
  // entries before the data region (index at the start) are rejected
  assert.throws(
    () => parseShardIndex(BigUint64Array.of(0n, 1n), [1], { start: 20 }),
    /outside/,
  );
});

// ---------------------------------------------------------------------------------------------
// configuration validation

Deno.test("sharding: a chunk shape that does not divide the shard is a MetadataValidationError", async () => {
  const dt = parseDataType("int32");
  const build = (
    c: readonly (CodecMetadata | string)[],
    w?: string,
    o?: { dtype?: DataType; shape?: number[] },
  ) => buildPipeline(c, w, o);
  // with the shard shape known at build time
  assert.throws(
    () =>
      ShardingCodec.fromMetadata(sharding([3]), {
        where: "grp/arr",
        dtype: dt,
        shape: [10],
        buildPipeline: build,
      }),
    (e: unknown) =>
      e instanceof MetadataValidationError && /not divisible/.test(e.message) &&
      /grp\/arr/.test(e.message),
  );
  // rank mismatch, found by the pipeline builder
  assert.throws(
    () => pipe(sharding([2, 2]), dt, [4], "grp/arr"),
    (e: unknown) => e instanceof MetadataValidationError && /grp\/arr/.test(e.message),
  );
  // otherwise when a shard is coded
  const { p, codec } = pipe(sharding([3]), dt, [9]);
  assert.throws(
    () => codec.chunksPerShard([10]),
    (e: unknown) => e instanceof MetadataValidationError && /not divisible/.test(e.message),
  );
  await assert.rejects(
    () =>
      p.encode({ data: new Int32Array(10), shape: [10] }, { shape: [10], dtype: dt, fillValue: 0 }),
    (e: unknown) => e instanceof CodecError && e.cause instanceof MetadataValidationError,
  );
});

Deno.test("sharding: invalid configurations raise MetadataValidationError naming the array", () => {
  const dt = parseDataType("int32");
  const bad: [string, CodecMetadata][] = [
    ["chunk_shape missing", { name: "sharding_indexed", configuration: {} }],
    ["chunk_shape zero", sharding([0])],
    ["chunk_shape float", sharding([1.5])],
    ["chunk_shape string", { name: "sharding_indexed", configuration: { chunk_shape: "4" } }],
    ["index_location", sharding([2], { index_location: "middle" })],
    ["unknown key", sharding([2], { subchunk_write_order: "morton" })],
    ["codecs not a list", sharding([2], { codecs: { name: "bytes" } })],
    ["index_codecs compressed", sharding([2], { index_codecs: [LE, { name: "zstd" }] })],
    ["no array->bytes codec", sharding([2], { codecs: [GZIP] })],
  ];
  for (const [label, meta] of bad) {
    assert.throws(
      () => pipe(meta, dt, [4], "some/array"),
      (e: unknown) => e instanceof MetadataValidationError && /some\/array/.test(e.message),
      label,
    );
  }
  assert.throws(() => ShardingCodec.fromMetadata(sharding([2])), MetadataValidationError);
});

Deno.test("sharding has no Zarr v2 form", () => {
  const dt = parseDataType("int32");
  assert.throws(
    () =>
      v2EncodingFromCodecs(
        [
          {
            name: "sharding_indexed",
            configuration: {
              chunk_shape: [2],
              codecs: [LE],
              index_codecs: [LE, { name: "crc32c" }],
              index_location: "end",
            },
          },
        ],
        dt,
        1,
      ),
    (e: unknown) => e instanceof ZarrValueError && /sharding_indexed/.test(e.message),
  );
});

Deno.test("sharding: big-endian index codecs and index at start", async () => {
  const dt = parseDataType("uint16");
  const { p, codec } = pipe(
    sharding([2], {
      codecs: [LE],
      index_codecs: [{ name: "bytes", configuration: { endian: "big" } }],
      index_location: "start",
    }),
    dt,
    [6],
  );
  assert.equal(codec.indexSize([6]), 48);
  const spec = { shape: [6], dtype: dt, fillValue: 0 };
  const data = Uint16Array.of(1, 2, 0, 0, 5, 6);
  const bytes = await p.encode({ data, shape: [6] }, spec);
  assert.equal(bytes.length, 48 + 8);
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  assert.equal(v.getBigUint64(0, false), 48n); // first inner chunk right after the index
  assert.equal(v.getBigUint64(8, false), 4n);
  assert.equal(v.getBigUint64(16, false), MISSING);
  sameData((await p.decode(bytes, spec)).data, data, "be index");
});

Deno.test("sharding: many inner chunks decode concurrently into the right places", async () => {
  const dt = parseDataType("int32");
  const shape = [32, 32];
  const { p } = pipe(sharding([2, 4], { codecs: [LE, GZIP] }), dt, shape);
  const spec = { shape, dtype: dt, fillValue: 0 };
  const data = Int32Array.from({ length: 1024 }, (_, i) => (i % 7 === 0 ? 0 : i));
  const chunk: Chunk = { data, shape };
  const back = (await p.decode(await p.encode(chunk, spec), spec)).data as Int32Array;
  assert.deepEqual(Array.from(back), Array.from(data));
  assert.equal(flatIndex([31, 31], shape), 1023);
});
