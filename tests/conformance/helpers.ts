/**
 * Shared helpers of the conformance tests (zarr-python's checklist, semantics doc §4): temporary
 * directories, store listings, JSON reads, a tiny numpy-like reference for basic selections, and
 * a store wrapper that counts accesses.
 */
import * as zarr from "../../mod.ts";
import type { NDArray, Store } from "../../mod.ts";

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "zarr-conformance-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Whether a path exists on disk. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Every key of a store, sorted. */
export async function listKeys(store: Store, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const k of store.listPrefix(prefix)) out.push(k);
  return out.sort();
}

/** The parsed JSON document at `key`. */
export async function readJSON(store: Store, key: string): Promise<Record<string, unknown>> {
  const b = await store.get(key);
  if (b === undefined) throw new Error(`missing key ${key}`);
  return JSON.parse(new TextDecoder().decode(b));
}

/** The raw text at `key`. */
export async function readText(store: Store, key: string): Promise<string> {
  const b = await store.get(key);
  if (b === undefined) throw new Error(`missing key ${key}`);
  return new TextDecoder().decode(b);
}

/** Plain JS values of an NDArray's data (bigints kept). */
export function values(a: NDArray): unknown[] {
  return Array.from(a.data as ArrayLike<unknown>);
}

/** An int array 0..n-1 of `shape` as an NDArray (float64 unless told otherwise). */
export function arange(shape: number[], dtype: "int32" | "float64" | "int64" = "float64"): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === "int32"
    ? Int32Array.from({ length: n }, (_, i) => i)
    : dtype === "int64"
    ? BigInt64Array.from({ length: n }, (_, i) => BigInt(i))
    : Float64Array.from({ length: n }, (_, i) => i);
  return zarr.ndarray(data, shape);
}

// ---------------------------------------------------------------------------------------------
// A tiny numpy-like reference for basic selections over a C-order flat array.

/** A selection item of the reference. */
export type RefItem =
  | number
  | { start?: number | null; stop?: number | null; step?: number | null }
  | "...";

/** Python's `slice.indices(len)` for a step != 0, and the element count. */
export function pySliceIndices(
  s: { start?: number | null; stop?: number | null; step?: number | null },
  len: number,
): { start: number; stop: number; step: number; count: number } {
  const step = s.step ?? 1;
  if (step === 0) throw new Error("step 0");
  let start: number, stop: number;
  if (step > 0) {
    start = s.start == null ? 0 : s.start < 0 ? Math.max(0, s.start + len) : Math.min(s.start, len);
    stop = s.stop == null ? len : s.stop < 0 ? Math.max(0, s.stop + len) : Math.min(s.stop, len);
  } else {
    start = s.start == null
      ? len - 1
      : s.start < 0
      ? Math.max(-1, s.start + len)
      : Math.min(s.start, len - 1);
    stop = s.stop == null
      ? -1
      : s.stop < 0
      ? Math.max(-1, s.stop + len)
      : Math.min(s.stop, len - 1);
  }
  const count = step > 0
    ? Math.max(0, Math.ceil((stop - start) / step))
    : Math.max(0, Math.ceil((start - stop) / -step));
  return { start, stop, step, count };
}

/** numpy's `a[sel]` for basic selections: returns [shape, flat values]. */
export function refSelect(
  data: ArrayLike<number>,
  shape: number[],
  sel: RefItem[],
): [number[], number[]] {
  const ndim = shape.length;
  const nEll = sel.filter((s) => s === "...").length;
  const expanded: RefItem[] = [];
  for (const s of sel) {
    if (s === "...") { for (let k = 0; k < ndim - (sel.length - nEll); k++) expanded.push({}); }
    else expanded.push(s);
  }
  while (expanded.length < ndim) expanded.push({});
  const axes = expanded.map((s, i) => {
    if (typeof s === "number") {
      const idx = s < 0 ? s + shape[i] : s;
      return { idx: [idx], drop: true };
    }
    const r = pySliceIndices(s as { start?: number; stop?: number; step?: number }, shape[i]);
    return { idx: Array.from({ length: r.count }, (_, k) => r.start + k * r.step), drop: false };
  });
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const walk = (d: number, off: number) => {
    if (d === ndim) {
      out.push(data[off]);
      return;
    }
    for (const i of axes[d].idx) walk(d + 1, off + i * strides[d]);
  };
  walk(0, 0);
  return [axes.filter((a) => !a.drop).map((a) => a.idx.length), out];
}

/** Converts a reference item to the library's selection item. */
export function toZarrItem(
  s: RefItem,
): number | ReturnType<typeof zarr.slice> | typeof zarr.ellipsis {
  if (typeof s === "number") return s;
  if (s === "...") return zarr.ellipsis;
  return zarr.slice(s.start ?? null, s.stop ?? null, s.step ?? null);
}

/** Converts a reference item to numpy-style string syntax. */
export function toSelString(sel: RefItem[]): string {
  return sel.map((s) => {
    if (typeof s === "number") return String(s);
    if (s === "...") return "...";
    const f = (v: number | null | undefined) => (v == null ? "" : String(v));
    return s.step == null
      ? `${f(s.start)}:${f(s.stop)}`
      : `${f(s.start)}:${f(s.stop)}:${f(s.step)}`;
  }).join(", ");
}

// ---------------------------------------------------------------------------------------------

/** A MemoryStore that counts `get`/`set` calls per key (zarr-python's `CountingDict`). */
export class CountingStore extends zarr.MemoryStore {
  gets = new Map<string, number>();
  sets = new Map<string, number>();
  override get(key: string, range?: Parameters<Store["get"]>[1]): Promise<Uint8Array | undefined> {
    this.gets.set(key, (this.gets.get(key) ?? 0) + 1);
    return super.get(key, range);
  }
  override set(key: string, value: Uint8Array): Promise<void> {
    this.sets.set(key, (this.sets.get(key) ?? 0) + 1);
    return super.set(key, value);
  }
  reset(): void {
    this.gets.clear();
    this.sets.clear();
  }
}
