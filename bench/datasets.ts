/**
 * Benchmark datasets, built once into `bench/.cache/` (kept between runs; delete the folder to
 * rebuild) with this library, plus a raw `.f32` copy of the source values for the peers' writes.
 *
 * @module
 */
import * as zarr from "../mod.ts";

/** Where the cached datasets live. */
export const CACHE = new URL("./.cache/", import.meta.url).pathname;

/** A dataset: an array on disk that several implementations read. */
export interface Dataset {
  /** Folder under {@link CACHE}. */
  name: string;
  /** Array shape. */
  shape: number[];
  /** Creation options (our API). */
  create: Record<string, unknown>;
  /** Zarr format. */
  zarrFormat: 2 | 3;
}

/** A smooth field plus small deterministic noise: compresses like real float32 data. */
export function field(n: number, width: number): Float32Array {
  const d = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const r = Math.floor(i / width), c = i % width;
    d[i] = Math.sin(r / 97) * Math.cos(c / 131) * 100 + (s / 2 ** 32 - 0.5) * 0.01;
  }
  return d;
}

const N = 4096, C = 512;
const zstd1 = { name: "zstd", configuration: { level: 1, checksum: false } };
const bytesLE = { name: "bytes", configuration: { endian: "little" } };

/** Every dataset the workloads read. */
export const DATASETS: Record<string, Dataset> = {
  w1_v3: {
    name: "w1_v3",
    shape: [N, N],
    zarrFormat: 3,
    create: { chunks: [C, C], dtype: "float32", codecs: [bytesLE, zstd1] },
  },
  w1_v2: {
    name: "w1_v2",
    shape: [N, N],
    zarrFormat: 2,
    create: { chunks: [C, C], dtype: "<f4", compressor: { id: "zstd", level: 1 } },
  },
  w2_v2: {
    name: "w2_v2",
    shape: [N, N],
    zarrFormat: 2,
    create: { chunks: [C, C], dtype: "<f4", compressor: { id: "gzip", level: 1 } },
  },
  w3_v2: {
    name: "w3_v2",
    shape: [N, N],
    zarrFormat: 2,
    create: {
      chunks: [C, C],
      dtype: "<f4",
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
    },
  },
  w4_v3: {
    name: "w4_v3",
    shape: [N, N],
    zarrFormat: 3,
    create: {
      dtype: "float32",
      codecs: [{
        name: "sharding_indexed",
        configuration: {
          chunk_shape: [256, 256],
          codecs: [bytesLE, zstd1],
          index_codecs: [bytesLE, { name: "crc32c" }],
          index_location: "end",
        },
      }],
      chunks: [2048, 2048],
    },
  },
  w6_v2: {
    name: "w6_v2",
    shape: [640_000],
    zarrFormat: 2,
    create: { chunks: [64], dtype: "<f4", compressor: null },
  },
  w7_v2: {
    name: "w7_v2",
    shape: [N, N],
    zarrFormat: 2,
    create: { chunks: [C, C], dtype: "<f4", compressor: { id: "zstd", level: 1 }, order: "F" },
  },
  w8_v3: {
    name: "w8_v3",
    shape: [8192, 8192],
    zarrFormat: 3,
    create: {
      dtype: "float32",
      codecs: [{
        name: "sharding_indexed",
        configuration: {
          chunk_shape: [256, 256],
          codecs: [bytesLE, zstd1],
          index_codecs: [bytesLE, { name: "crc32c" }],
          index_location: "end",
        },
      }],
      chunks: [2048, 2048],
    },
  },
};

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** The raw float32 source of an N x N dataset (cached). */
export async function sourceValues(n: number, width: number): Promise<Float32Array> {
  const p = `${CACHE}src_${n}_${width}.f32`;
  if (await exists(p)) {
    const b = await Deno.readFile(p);
    return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  }
  const d = field(n, width);
  await Deno.mkdir(CACHE, { recursive: true });
  await Deno.writeFile(p, new Uint8Array(d.buffer));
  return d;
}

/** Builds a dataset unless cached; returns its path or the reason it cannot be built. */
export async function ensure(ds: Dataset): Promise<{ path: string } | { error: string }> {
  const path = `${CACHE}${ds.name}`;
  const done = `${path}/.complete`;
  if (await exists(done)) return { path };
  await Deno.remove(path, { recursive: true }).catch(() => {});
  try {
    const n = ds.shape.reduce((a, b) => a * b, 1);
    const values = await sourceValues(n, ds.shape[ds.shape.length - 1]);
    const a = await zarr.create(ds.shape, {
      store: path,
      zarrFormat: ds.zarrFormat,
      overwrite: true,
      ...ds.create,
    } as zarr.CreateOptions);
    await a.setitem(null, zarr.ndarray(values, ds.shape));
    await Deno.writeTextFile(done, "");
    return { path };
  } catch (e) {
    await Deno.remove(path, { recursive: true }).catch(() => {});
    return { error: (e as Error).message.split("\n")[0] };
  }
}
