/**
 * zarrita.js as a benchmark peer, in this process, over a minimal file-system store (the same
 * files our LocalStore reads). zarrita is read-mostly: writes go through `zarrita.create`/`set`
 * where it supports the codecs.
 *
 * @module
 */
import * as zarrita from "zarrita";

/** A read/write store over a folder, in zarrita's shape (keys start with "/"). */
export function fsStore(root: string, counter?: { gets: number }) {
  return {
    async get(key: string, _opts?: unknown): Promise<Uint8Array | undefined> {
      if (counter) counter.gets++;
      try {
        return await Deno.readFile(root + key);
      } catch {
        return undefined;
      }
    },
    async getRange(
      key: string,
      range: { offset: number; length: number } | { suffixLength: number },
    ): Promise<Uint8Array | undefined> {
      if (counter) counter.gets++;
      let f: Deno.FsFile;
      try {
        f = await Deno.open(root + key);
      } catch {
        return undefined;
      }
      try {
        const size = (await f.stat()).size;
        const [off, len] = "suffixLength" in range
          ? [size - range.suffixLength, range.suffixLength]
          : [range.offset, range.length];
        await f.seek(off, Deno.SeekMode.Start);
        const out = new Uint8Array(len);
        let n = 0;
        while (n < len) {
          const r = await f.read(out.subarray(n));
          if (r === null) break;
          n += r;
        }
        return out.subarray(0, n);
      } finally {
        f.close();
      }
    },
    async set(key: string, value: Uint8Array): Promise<void> {
      const p = root + key;
      await Deno.mkdir(p.slice(0, p.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(p, value);
    },
  };
}

/** Opens an array folder with zarrita (v3 or v2). */
export async function openArray(path: string, format: 2 | 3, counter?: { gets: number }) {
  const store = fsStore(path, counter);
  const loc = zarrita.root(store);
  return format === 3
    ? await zarrita.open.v3(loc, { kind: "array" })
    : await zarrita.open.v2(loc, { kind: "array" });
}

/** Full read, or a window given as [start, stop) per axis. */
export async function read(
  // deno-lint-ignore no-explicit-any
  arr: any,
  window?: [number, number][],
): Promise<number> {
  const sel = window ? window.map(([a, b]) => zarrita.slice(a, b)) : null;
  const r = await zarrita.get(arr, sel);
  return (r.data as Float32Array).length;
}

/** Writes a float32 2-D array as v3 (bytes + zstd level 1), whole. */
export async function writeV3Zstd(
  path: string,
  values: Float32Array,
  shape: number[],
  chunks: number[],
): Promise<void> {
  const store = fsStore(path);
  const arr = await zarrita.create(zarrita.root(store), {
    shape,
    chunkShape: chunks,
    dtype: "float32",
    codecs: [
      { name: "bytes", configuration: { endian: "little" } },
      { name: "zstd", configuration: { level: 1, checksum: false } },
    ],
  });
  await zarrita.set(arr, null, { data: values, shape, stride: [shape[1], 1] });
}

/** Opens a v3 array over HTTP with zarrita's own FetchStore. */
export async function openUrl(url: string) {
  return await zarrita.open.v3(zarrita.root(new zarrita.FetchStore(url)), { kind: "array" });
}
