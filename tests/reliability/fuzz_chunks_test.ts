/**
 * Seeded fuzzing of chunk bytes for every codec chain: valid chunks are truncated, bit-flipped,
 * replaced by garbage, and replaced by hand-made headers and real bombs that claim or inflate
 * to far more than the chunk's size. Every read must give the exact array or raise a
 * `ZarrError` naming the chunk key, within a time limit, and without allocating more than a
 * bound derived from the chunk size.
 */
import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { codecFromMetadata, codecFromV2 } from "../../src/codecs/registry.ts";
import { crc32c } from "../../src/codecs/crc32c.ts";
import { CodecError } from "../../src/errors.ts";
import { describe, enc, Figures, memoryDelta, Rng, Timeout, withTimeout } from "./_helpers.ts";

const SEED = 0x5eed_c0de;
const CASE_MS = 2000;
const N = 40; // elements per array
const C = 20; // elements per chunk
const PATH = "arr";

type Json = Record<string, unknown>;
type Bytes = (x: Uint8Array) => Promise<Uint8Array> | Uint8Array;

interface Config {
  label: string;
  format: 2 | 3;
  dtype: "int32" | "float64" | "string" | "bytes" | "bool";
  /** v3 codecs, or v2 {compressor, filters}. */
  codecs?: Json[];
  compressor?: Json | null;
  filters?: Json[] | null;
  /** The chain detects every corruption (a checksum): a success must be exact. */
  checked?: boolean;
  /** Encoder of the outermost bytes->bytes stage, for bombs. */
  outer?: Json | { v2: Json };
  /** Hand-made hostile chunks for this chain. */
  hostile?: () => Uint8Array[];
}

const bytesLE = { name: "bytes", configuration: { endian: "little" } };

function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}
function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const rngH = new Rng(SEED ^ 0x1234);

function bloscHostile(): Uint8Array[] {
  const hdr = (flags: number, nbytes: number, blocksize: number, cbytes: number) =>
    cat(new Uint8Array([2, 1, flags, 4]), le32(nbytes), le32(blocksize), le32(cbytes));
  const g = rngH.bytes(48);
  return [
    cat(hdr(0x01, 0x7fffffff, 0x7fffffff, 64), g), // claims 2 GiB, shuffled
    cat(hdr(0x02, 0xfffffff0, 0, 64), g), // memcpyed, claims 4 GiB
    cat(hdr(0x02, 1 << 30, 1 << 30, 16 + (1 << 30)), g), // cbytes past the end
    cat(hdr(0x00, 80, 1, 64), g), // blocksize 1: very many blocks
    cat(hdr(0x00, 80, 0, 64), g), // blocksize 0
  ];
}

function zstdHostile(): Uint8Array[] {
  const magic = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]);
  const fcs = (n: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
    return b;
  };
  // single segment, 8-byte frame content size
  const rle = (last: boolean) => {
    const h = (131072 << 3) | (1 << 1) | (last ? 1 : 0);
    return new Uint8Array([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 7]);
  };
  const blocks = (n: number) => cat(...Array.from({ length: n }, (_, i) => rle(i === n - 1)));
  return [
    cat(magic, new Uint8Array([0xe0]), fcs(2 ** 40), rle(true)), // claims 1 TiB
    cat(magic, new Uint8Array([0xe0]), fcs(1024 * 131072), blocks(1024)), // RLE bomb: 128 MiB
    cat(magic, new Uint8Array([0x00, 0x58]), blocks(1024)), // no content size, 128 MiB
    cat(magic, new Uint8Array([0xe0]), fcs(2 ** 40)), // header only
  ];
}

function lz4Hostile(): Uint8Array[] {
  // one literal, then a match at offset 1 extended by many 255 bytes: ~255x expansion
  const body = cat(new Uint8Array([0x1f, 7, 1, 0]), new Uint8Array(400_000).fill(255));
  return [
    cat(le32(0x7fffffff), rngH.bytes(32)),
    cat(le32(0xffffffff), rngH.bytes(32)),
    cat(le32(100_000_000), body, new Uint8Array([0, 0x10, 1, 2, 3, 4, 5])),
    cat(le32(160), body),
  ];
}

function gzipHostile(valid: Uint8Array): Uint8Array[] {
  const big = valid.slice();
  big.set(le32(0xfffffff0), big.length - 4); // ISIZE claims 4 GiB
  return [big, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])];
}

function bz2Hostile(): Uint8Array[] {
  return [
    cat(enc("BZh9"), new Uint8Array([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]), rngH.bytes(40)),
    enc("BZh9"),
    cat(enc("BZh0"), rngH.bytes(20)),
  ];
}

function xzHostile(): Uint8Array[] {
  const magic = new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
  return [cat(magic, new Uint8Array([0, 4]), rngH.bytes(60)), magic];
}

function vlenHostile(): Uint8Array[] {
  return [
    cat(le32(0x7fffffff), le32(3), enc("abc")), // claims 2^31 items
    cat(le32(C), le32(0xffffffff), enc("abc")), // item length past the end
    cat(le32(C), ...Array.from({ length: C }, () => le32(1 << 30))),
    le32(C),
    new Uint8Array(2),
  ];
}

/** Hostile shards: index entries pointing outside the shard, overflowing, overlapping. */
function shardHostile(location: "start" | "end", checksum: boolean): () => Uint8Array[] {
  return () => {
    const inner = 4; // inner chunks per shard (chunk_shape [5] in a shard of 20)
    const make = (entries: [bigint, bigint][], body: Uint8Array) => {
      const idx = new Uint8Array(inner * 16);
      const v = new DataView(idx.buffer);
      entries.forEach(([o, n], i) => {
        v.setBigUint64(i * 16, o, true);
        v.setBigUint64(i * 16 + 8, n, true);
      });
      const full = checksum ? cat(idx, le32(crc32c(idx))) : idx;
      return location === "end" ? cat(body, full) : cat(full, body);
    };
    const body = rngH.bytes(64);
    const M = 0xffffffffffffffffn;
    return [
      make([[0n, 1n << 40n], [0n, 8n], [0n, 8n], [0n, 8n]], body), // past the end, huge
      make([[1n << 60n, 20n], [0n, 8n], [0n, 8n], [0n, 8n]], body), // offset outside
      make([[M - 4n, 10n], [0n, 8n], [0n, 8n], [0n, 8n]], body), // offset+nbytes overflows
      make([[0n, M], [0n, M], [0n, M], [0n, M]], body), // "missing" marker mixed
      make([[M, 5n], [3n, M], [0n, 0n], [0n, 8n]], body),
      make([[0n, 64n], [0n, 64n], [0n, 64n], [0n, 64n]], body), // overlapping garbage
    ];
  };
}

const gz = { name: "gzip", configuration: { level: 5 } };
const CONFIGS: Config[] = [
  { label: "v3 bytes", format: 3, dtype: "int32", codecs: [bytesLE] },
  { label: "v3 bytes+gzip", format: 3, dtype: "int32", codecs: [bytesLE, gz], outer: gz },
  ...[false, true].map((checksum): Config => {
    const z = { name: "zstd", configuration: { level: 3, checksum } };
    return {
      label: `v3 zstd checksum=${checksum}`,
      format: 3,
      dtype: "int32",
      codecs: [bytesLE, z],
      outer: z,
      hostile: zstdHostile,
    };
  }),
  ...["lz4", "lz4hc", "blosclz", "zlib", "zstd", "snappy"].flatMap((cname) =>
    ["noshuffle", "shuffle", "bitshuffle"].map((shuffle): Config => {
      const b = {
        name: "blosc",
        configuration: { cname, clevel: 5, shuffle, typesize: 4, blocksize: 0 },
      };
      return {
        label: `v3 blosc ${cname}/${shuffle}`,
        format: 3,
        dtype: "int32",
        codecs: [bytesLE, b],
        outer: cname === "lz4" && shuffle === "shuffle" ? b : undefined,
        hostile: cname === "lz4" ? bloscHostile : undefined,
      };
    })
  ),
  (() => {
    const c = { name: "numcodecs.lz4", configuration: { acceleration: 1 } };
    return {
      label: "v3 numcodecs.lz4",
      format: 3,
      dtype: "int32",
      codecs: [bytesLE, c],
      outer: c,
      hostile: lz4Hostile,
    } as Config;
  })(),
  (() => {
    const c = { name: "numcodecs.bz2", configuration: { level: 9 } };
    return {
      label: "v3 numcodecs.bz2",
      format: 3,
      dtype: "int32",
      codecs: [bytesLE, c],
      outer: c,
      hostile: bz2Hostile,
    } as Config;
  })(),
  (() => {
    const c = {
      name: "numcodecs.lzma",
      configuration: { format: 1, check: -1, preset: null, filters: null },
    };
    return {
      label: "v3 numcodecs.lzma (xz)",
      format: 3,
      dtype: "int32",
      codecs: [bytesLE, c],
      outer: c,
      hostile: xzHostile,
    } as Config;
  })(),
  (() => {
    const c = { name: "numcodecs.zlib", configuration: { level: 1 } };
    return {
      label: "v3 numcodecs.zlib",
      format: 3,
      dtype: "int32",
      codecs: [bytesLE, c],
      outer: c,
    };
  })(),
  {
    label: "v3 bytes+crc32c",
    format: 3,
    dtype: "int32",
    codecs: [bytesLE, { name: "crc32c" }],
    checked: true,
  },
  {
    label: "v3 transpose+bytes+gzip+crc32c",
    format: 3,
    dtype: "int32",
    codecs: [{ name: "transpose", configuration: { order: [0] } }, bytesLE, gz, { name: "crc32c" }],
    checked: true,
  },
  {
    label: "v3 delta+bytes+zstd",
    format: 3,
    dtype: "int32",
    codecs: [
      { name: "numcodecs.delta", configuration: { dtype: "<i4" } },
      bytesLE,
      { name: "zstd", configuration: { level: 1, checksum: false } },
    ],
  },
  {
    label: "v3 shuffle filter+bytes",
    format: 3,
    dtype: "int32",
    codecs: [bytesLE, { name: "numcodecs.shuffle", configuration: { elementsize: 4 } }],
  },
  {
    label: "v3 fixedscaleoffset+bytes",
    format: 3,
    dtype: "float64",
    codecs: [
      {
        name: "numcodecs.fixedscaleoffset",
        configuration: { offset: 0, scale: 10, dtype: "<f8", astype: "<i4" },
      },
      bytesLE,
    ],
  },
  {
    label: "v3 quantize+bytes",
    format: 3,
    dtype: "float64",
    codecs: [{ name: "numcodecs.quantize", configuration: { digits: 3, dtype: "<f8" } }, bytesLE],
  },
  {
    label: "v3 bitround+bytes",
    format: 3,
    dtype: "float64",
    codecs: [{ name: "numcodecs.bitround", configuration: { keepbits: 10 } }, bytesLE],
  },
  {
    label: "v3 packbits",
    format: 3,
    dtype: "bool",
    codecs: [{ name: "numcodecs.packbits" }, bytesLE],
  },
  ...["adler32", "crc32", "fletcher32"].map((id): Config => ({
    label: `v3 ${id}`,
    format: 3,
    dtype: "int32",
    codecs: [bytesLE, { name: `numcodecs.${id}` }],
    checked: true,
  })),
  ...(["end", "start"] as const).flatMap((loc) =>
    [false, true].map((checksum): Config => ({
      label: `v3 sharding index=${loc} crc32c=${checksum}`,
      format: 3,
      dtype: "int32",
      codecs: [{
        name: "sharding_indexed",
        configuration: {
          chunk_shape: [5],
          codecs: [bytesLE, gz],
          index_codecs: checksum ? [bytesLE, { name: "crc32c" }] : [bytesLE],
          index_location: loc,
        },
      }],
      hostile: shardHostile(loc, checksum),
    }))
  ),
  {
    label: "v3 vlen-utf8",
    format: 3,
    dtype: "string",
    codecs: [{ name: "vlen-utf8" }],
    hostile: vlenHostile,
  },
  {
    label: "v3 vlen-utf8+zstd",
    format: 3,
    dtype: "string",
    codecs: [{ name: "vlen-utf8" }, { name: "zstd", configuration: { level: 1, checksum: false } }],
  },
  {
    label: "v3 vlen-bytes",
    format: 3,
    dtype: "bytes",
    codecs: [{ name: "vlen-bytes" }],
    hostile: vlenHostile,
  },
  // v2 compressors and filters
  ...[
    { id: "zlib", level: 1 },
    { id: "gzip", level: 1 },
    { id: "zstd", level: 1 },
    { id: "lz4", acceleration: 1 },
    { id: "bz2", level: 1 },
    { id: "lzma", format: 2, check: -1, preset: null, filters: null },
    { id: "lzma", format: 1, check: 4, preset: 1, filters: null },
    { id: "blosc", cname: "zstd", clevel: 3, shuffle: 2, blocksize: 0 },
    { id: "blosc", cname: "lz4", clevel: 3, shuffle: 1, blocksize: 0 },
    { id: "crc32c" },
  ].map((compressor): Config => ({
    label: `v2 ${JSON.stringify(compressor)}`,
    format: 2,
    dtype: "int32",
    compressor,
    checked: compressor.id === "crc32c",
    outer: compressor.id === "zlib" || compressor.id === "lzma" ? { v2: compressor } : undefined,
    hostile: compressor.id === "lz4"
      ? lz4Hostile
      : compressor.id === "blosc"
      ? bloscHostile
      : compressor.id === "lzma" && compressor.format === 2
      ? () => [
        cat(new Uint8Array([0x5d, 0, 0, 1, 0]), new Uint8Array(8).fill(0xff), rngH.bytes(30)),
      ]
      : undefined,
  })),
  {
    label: "v2 delta+zlib",
    format: 2,
    dtype: "int32",
    compressor: { id: "zlib", level: 1 },
    filters: [{ id: "delta", dtype: "<i4" }],
  },
  {
    label: "v2 vlen-utf8",
    format: 2,
    dtype: "string",
    compressor: null,
    filters: [{ id: "vlen-utf8" }],
    hostile: vlenHostile,
  },
];

function metadataDoc(cfg: Config): [string, Json] {
  if (cfg.format === 3) {
    const dtype = cfg.dtype === "bytes" ? "variable_length_bytes" : cfg.dtype;
    const fill = cfg.dtype === "string"
      ? ""
      : cfg.dtype === "bytes"
      ? ""
      : cfg.dtype === "bool"
      ? false
      : 0;
    return [`${PATH}/zarr.json`, {
      zarr_format: 3,
      node_type: "array",
      shape: [N],
      data_type: dtype,
      chunk_grid: { name: "regular", configuration: { chunk_shape: [C] } },
      chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
      fill_value: fill,
      codecs: cfg.codecs,
      attributes: {},
      storage_transformers: [],
    }];
  }
  return [`${PATH}/.zarray`, {
    zarr_format: 2,
    shape: [N],
    chunks: [C],
    dtype: cfg.dtype === "string" ? "|O" : "<i4",
    compressor: cfg.compressor ?? null,
    fill_value: cfg.dtype === "string" ? "" : 0,
    order: "C",
    filters: cfg.filters ?? null,
    dimension_separator: ".",
  }];
}

function values(cfg: Config): unknown {
  switch (cfg.dtype) {
    case "int32":
      return Int32Array.from({ length: N }, (_, i) => (i * 7919) % 1000 - 500);
    case "float64":
      return Float64Array.from({ length: N }, (_, i) => i * 0.5 - 3);
    case "bool":
      return Uint8Array.from({ length: N }, (_, i) => (i * 3) % 5 === 0 ? 1 : 0);
    case "string":
      return Array.from({ length: N }, (_, i) => `s${i}-${"é".repeat(i % 4)}`);
    case "bytes":
      return Array.from(
        { length: N },
        (_, i) => Uint8Array.from({ length: i % 7 }, (_, j) => i + j),
      );
  }
}

function sameData(a: unknown, b: unknown, from: number, to: number): boolean {
  const xs = a as ArrayLike<unknown>;
  const ys = b as ArrayLike<unknown>;
  if (xs.length !== ys.length) return false;
  for (let i = from; i < to; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x instanceof Uint8Array && y instanceof Uint8Array) {
      if (x.length !== y.length || x.some((v, j) => v !== y[j])) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/** Reads `key`'s bytes through a fresh bomb encoder (a stream that inflates far past a chunk). */
async function bomb(cfg: Config): Promise<Uint8Array | undefined> {
  if (cfg.outer === undefined) return undefined;
  const codec = "v2" in cfg.outer
    ? codecFromV2(cfg.outer.v2 as never, "bomb")
    : codecFromMetadata(cfg.outer as never, "bomb");
  // Slow pure-JS encoders get a smaller bomb; the bound below is what matters.
  const slow = /bz2|lzma/.test(JSON.stringify(cfg.outer));
  const size = slow ? 4 << 20 : 128 << 20;
  return await (codec as unknown as { encode: Bytes }).encode(new Uint8Array(size));
}

Deno.test("fuzz chunks: every codec chain gives exact data or a ZarrError naming the key", async () => {
  const rng = new Rng(SEED);
  const fig = new Figures("fuzz_chunks");
  let crcErrors = 0;
  let maxDelta = 0;
  const t0 = performance.now();
  for (const cfg of CONFIGS) {
    const store = new zarr.MemoryStore();
    const [metaKey, doc] = metadataDoc(cfg);
    await store.set(metaKey, enc(JSON.stringify(doc)));
    const data = values(cfg);
    const w = await zarr.openArray({ store, path: PATH, mode: "r+" });
    await w.setitem(null, data as never);
    const key = cfg.format === 3 ? `${PATH}/c/0` : `${PATH}/0`;
    const valid = (await store.get(key))!;
    assert.ok(valid !== undefined, `${cfg.label}: chunk ${key} written`);
    const chunkBytes = C * 8;
    const memLimit = (64 << 20) + 8 * chunkBytes;

    const mutants: [string, Uint8Array][] = [["identity", valid]];
    for (const n of [0, 1, 2, 4, 8, valid.length >> 1, valid.length - 1]) {
      if (n < valid.length) mutants.push([`truncate to ${n}`, valid.subarray(0, n)]);
    }
    for (let i = 0; i < 12; i++) {
      const m = valid.slice();
      const flips = 1 + rng.int(3);
      for (let f = 0; f < flips && m.length > 0; f++) m[rng.int(m.length)] ^= 1 << rng.int(8);
      mutants.push([`bit flips #${i}`, m]);
    }
    for (let i = 0; i < 4; i++) mutants.push([`garbage #${i}`, rng.bytes(1 + rng.int(80))]);
    mutants.push(["extended", cat(valid, rng.bytes(16))]);
    if (cfg.outer && JSON.stringify(cfg.outer).includes("gzip")) {
      for (const h of gzipHostile(valid)) mutants.push(["gzip hostile header", h]);
    }
    for (const h of cfg.hostile?.() ?? []) mutants.push(["hand-made header", h]);
    const b = await bomb(cfg);
    if (b) mutants.push([`bomb (${b.length} B)`, b]);

    const reader = await zarr.openArray({ store, path: PATH, mode: "r" });
    for (const [what, bytes] of mutants) {
      fig.cases++;
      const label = `${cfg.label} / ${what}`;
      await store.set(key, bytes);
      const [res, delta, err] = await memoryDelta(() =>
        withTimeout(CASE_MS, label, () => reader.getitem(null) as Promise<zarr.NDArray>)
      );
      maxDelta = Math.max(maxDelta, delta);
      if (delta > memLimit) {
        fig.fail(`${label}: memory grew by ${(delta / 2 ** 20).toFixed(1)} MiB`);
      }
      if (err !== undefined) {
        if (err instanceof Timeout) {
          fig.hangs++;
          fig.fail(`${label}: ${err.message}`);
        } else if (!(err instanceof zarr.ZarrError)) {
          fig.crashes++;
          fig.fail(`${label}: not a ZarrError: ${describe(err)}`);
        } else if (!err.message.includes(key.slice(PATH.length + 1))) {
          fig.fail(`${label}: error does not name the key ${key}: ${describe(err)}`);
        } else {
          fig.zarrErrors++;
          if (what === "identity") fig.fail(`${label}: valid chunk refused: ${describe(err)}`);
          if (cfg.checked && /checksum|crc|adler|fletcher/i.test(err.message)) crcErrors++;
        }
        continue;
      }
      const out = res!;
      if (out.shape.length !== 1 || out.shape[0] !== N) {
        fig.fail(`${label}: wrong shape ${JSON.stringify(out.shape)}`);
      } else if (!sameData(out.data, data, C, N)) {
        fig.dataLost++;
        fig.fail(`${label}: the untouched chunk changed`);
      } else if ((what === "identity" || cfg.checked) && !sameData(out.data, data, 0, C)) {
        fig.fail(`${label}: corrupt chunk accepted as different data`);
      } else fig.ok++;
    }
  }
  // A crc32c mismatch names the checksum.
  {
    const store = new zarr.MemoryStore();
    const [k, doc] = metadataDoc(CONFIGS.find((c) => c.label === "v3 bytes+crc32c")!);
    await store.set(k, enc(JSON.stringify(doc)));
    const a = await zarr.openArray({ store, path: PATH, mode: "r+" });
    await a.setitem(null, 5);
    const c = (await store.get(`${PATH}/c/1`))!.slice();
    c[3] ^= 0x10;
    await store.set(`${PATH}/c/1`, c);
    await assert.rejects(
      () => a.getitem(null),
      (e: Error) =>
        e instanceof CodecError && /crc32c|checksum/i.test(e.message) &&
        e.message.includes("c/1"),
    );
  }
  fig.print(
    `checksumErrors=${crcErrors} maxMemDelta=${(maxDelta / 2 ** 20).toFixed(1)}MiB ` +
      `configs=${CONFIGS.length} time=${((performance.now() - t0) / 1000).toFixed(1)}s`,
  );
  assert.equal(fig.hangs, 0, "hangs");
  assert.equal(fig.crashes, 0, "crashes");
  assert.equal(fig.dataLost, 0, "data lost");
  assert.deepEqual(fig.failures, [], "failures");
  assert.ok(fig.cases > 500, `cases ${fig.cases}`);
});
