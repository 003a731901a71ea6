/**
 * An in-memory store backed by a `Map<string, Uint8Array>` (zarr-python's `MemoryStore`).
 *
 * @example
 * ```ts
 * import { MemoryStore } from "./memory.ts";
 * const store = new MemoryStore();
 * await store.set("zarr.json", new TextEncoder().encode("{}"));
 * console.log(await store.exists("zarr.json")); // true
 * ```
 * @module
 */
import { ReadOnlyError, ZarrTypeError } from "../errors.ts";
import { checkValue, normalizeRange } from "./common.ts";
import type { RangeRequest, Store } from "./types.ts";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Refuse writes and deletes (default false). */
  readOnly?: boolean;
}

const mapIds = new WeakMap<Map<string, Uint8Array>, number>();
let nextMapId = 1;

/**
 * A store that keeps every key in a `Map`. When a `Map` is passed it is used in place: writes
 * through the store are visible in the caller's map and the other way round.
 *
 * Ownership: `set` stores the given `Uint8Array` itself (no copy), so do not modify it
 * afterwards; a full `get` returns the stored `Uint8Array` itself (no copy), so treat it as
 * read-only. A ranged `get` returns a fresh copy, never a view into the stored bytes.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "./memory.ts";
 * const map = new Map<string, Uint8Array>();
 * const store = new MemoryStore(map);
 * await store.set("a/c/0", new Uint8Array([1, 2, 3]));
 * console.log(map.get("a/c/0")); // Uint8Array [1, 2, 3]
 * console.log(await store.get("a/c/0", { suffix: 1 })); // Uint8Array [3]
 * const ro = store.withReadOnly(true); // shares `map`, refuses writes
 * ```
 */
export class MemoryStore implements Store {
  /** True when the store refuses writes. */
  readonly readOnly: boolean;
  /** Always true. */
  readonly supportsWrites = true;
  /** Always true. */
  readonly supportsDeletes = true;
  /** Always true. */
  readonly supportsListing = true;
  /** `"MemoryStore"`. */
  readonly typeName = "MemoryStore";
  /** Always true. */
  readonly supportsConsolidatedMetadata = true;
  readonly #map: Map<string, Uint8Array>;

  /**
   * @param map backing map, used in place (default: a new empty map)
   * @param options `readOnly`
   */
  constructor(map?: Map<string, Uint8Array>, options: MemoryStoreOptions = {}) {
    if (map !== undefined && !(map instanceof Map)) {
      throw new ZarrTypeError(`MemoryStore expects a Map<string, Uint8Array>, got ${typeof map}`);
    }
    this.#map = map ?? new Map();
    this.readOnly = options.readOnly ?? false;
  }

  /** The backing map (shared, not a copy). */
  get map(): Map<string, Uint8Array> {
    return this.#map;
  }

  #checkWritable(op: string, key: string): void {
    if (this.readOnly) {
      throw new ReadOnlyError(`MemoryStore is read-only: cannot ${op} '${key}'`);
    }
  }

  /** Bytes of `key` (or of a range of it); `undefined` when missing. */
  get(key: string, range?: RangeRequest): Promise<Uint8Array | undefined> {
    try {
      const v = this.#map.get(key);
      if (v === undefined) return Promise.resolve(undefined);
      if (range === undefined) return Promise.resolve(v);
      const [start, end] = normalizeRange(range, v.length, key);
      return Promise.resolve(v.slice(start, end));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Stores `value` under `key` (the array itself, not a copy). */
  set(key: string, value: Uint8Array): Promise<void> {
    try {
      this.#checkWritable("set", key);
      checkValue(key, value);
      this.#map.set(key, value);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Stores `value` under `key` unless the key exists. */
  setIfNotExists(key: string, value: Uint8Array): Promise<void> {
    try {
      this.#checkWritable("set", key);
      checkValue(key, value);
      if (!this.#map.has(key)) this.#map.set(key, value);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Removes `key` (no error when missing). */
  delete(key: string): Promise<void> {
    try {
      this.#checkWritable("delete", key);
      this.#map.delete(key);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Removes every key under `prefix/` (every key when `prefix` is `""`). */
  deleteDir(prefix: string): Promise<void> {
    try {
      this.#checkWritable("delete", prefix);
      const p = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
      if (p === "") {
        this.#map.clear();
      } else {
        const dir = p + "/";
        for (const k of [...this.#map.keys()]) if (k.startsWith(dir)) this.#map.delete(k);
      }
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Whether `key` exists. */
  exists(key: string): Promise<boolean> {
    return Promise.resolve(this.#map.has(key));
  }

  /** Size of `key` in bytes, `undefined` when missing. */
  getSize(key: string): Promise<number | undefined> {
    return Promise.resolve(this.#map.get(key)?.length);
  }

  /** Every key (a snapshot taken when iteration starts), in insertion order. */
  async *list(): AsyncIterable<string> {
    for (const k of [...this.#map.keys()]) yield k;
  }

  /** Every key that starts with `prefix`. */
  async *listPrefix(prefix: string): AsyncIterable<string> {
    for (const k of [...this.#map.keys()]) if (k.startsWith(prefix)) yield k;
  }

  /** Names of the immediate children of `prefix` (keys and sub-prefixes), without slashes. */
  async *listDir(prefix: string): AsyncIterable<string> {
    const p = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
    const dir = p === "" ? "" : p + "/";
    const seen = new Set<string>();
    for (const k of [...this.#map.keys()]) {
      if (!k.startsWith(dir)) continue;
      const rest = k.slice(dir.length);
      const i = rest.indexOf("/");
      const name = i < 0 ? rest : rest.slice(0, i);
      if (name === "" || seen.has(name)) continue;
      seen.add(name);
      yield name;
    }
  }

  /** A store over the same map with the given read-only flag. */
  withReadOnly(readOnly: boolean): MemoryStore {
    return new MemoryStore(this.#map, { readOnly });
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** `memory://<id of the backing map>`. */
  toString(): string {
    let id = mapIds.get(this.#map);
    if (id === undefined) {
      id = nextMapId++;
      mapIds.set(this.#map, id);
    }
    return `memory://${id}`;
  }
}
