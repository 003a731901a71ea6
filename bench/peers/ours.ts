/**
 * This library as a benchmark peer: reads and writes through the public API over LocalStore,
 * with an optional request-counting wrapper.
 *
 * @module
 */
import * as zarr from "../../mod.ts";

/** Opens an array folder read-only; `counter` (if given) counts store gets. */
export async function openArray(
  path: string,
  counter?: { gets: number },
): Promise<zarr.AsyncArray> {
  const store = new zarr.LocalStore(path, { readOnly: true });
  if (counter) {
    const get = store.get.bind(store);
    store.get = (key, range) => {
      counter.gets++;
      return get(key, range);
    };
  }
  return await zarr.openArray({ store, mode: "r" });
}

/** Full read, or a window given as [start, stop) per axis. */
export async function read(a: zarr.AsyncArray, window?: [number, number][]): Promise<number> {
  const sel = window ? window.map(([s, e]) => zarr.slice(s, e)) : null;
  const r = await a.getitem(sel);
  return (r as zarr.NDArray).data.length;
}

/** Writes `values` into a new array at `path`. */
export async function write(
  path: string,
  values: Float32Array,
  shape: number[],
  opts: Record<string, unknown>,
): Promise<void> {
  const a = await zarr.create(
    shape,
    { store: path, overwrite: true, ...opts } as zarr.CreateOptions,
  );
  await a.setitem(null, zarr.ndarray(values, shape));
}
