/**
 * The structural store interface every store implements. Stores know nothing of arrays or
 * metadata: they map string keys (`"a/b/zarr.json"`, `"a/c/0/1"`) to bytes.
 *
 * @example
 * ```ts
 * import type { Store } from "./types.ts";
 * async function size(store: Store, key: string) {
 *   return (await store.get(key))?.length ?? 0;
 * }
 * ```
 * @module
 */

/** A byte range: `{offset, length}`, `{offset}` (to the end) or `{suffix}` (last n bytes). */
export type RangeRequest =
  | { offset: number; length: number }
  | { offset: number; length?: undefined }
  | { suffix: number };

/** An async key-value store of bytes. */
export interface Store {
  /** True when the store refuses writes. */
  readonly readOnly: boolean;
  /** Whether `set` can work (false for HTTP). */
  readonly supportsWrites: boolean;
  /** Whether `delete` can work. */
  readonly supportsDeletes: boolean;
  /** True for stores where each request costs a round trip (HTTP, S3); optional. */
  readonly remote?: boolean;
  /** Whether `list*` can work. */
  readonly supportsListing: boolean;
  /** Bytes of a key (or a range of them); `undefined` when the key does not exist. */
  get(key: string, range?: RangeRequest): Promise<Uint8Array | undefined>;
  /** Writes a key atomically. */
  set(key: string, value: Uint8Array): Promise<void>;
  /** Writes a key only if it does not exist yet. */
  setIfNotExists(key: string, value: Uint8Array): Promise<void>;
  /** Deletes a key (no error if missing). */
  delete(key: string): Promise<void>;
  /** Deletes every key under `prefix/` (all keys when prefix is ""). */
  deleteDir(prefix: string): Promise<void>;
  /** Whether a key exists. */
  exists(key: string): Promise<boolean>;
  /** All keys. */
  list(): AsyncIterable<string>;
  /** All keys starting with `prefix` (full keys). */
  listPrefix(prefix: string): AsyncIterable<string>;
  /** Immediate children of `prefix` (a directory path without trailing slash): names of keys and sub-prefixes, no slash. */
  listDir(prefix: string): AsyncIterable<string>;
  /** Size in bytes of a key, `undefined` if missing. */
  getSize(key: string): Promise<number | undefined>;
  /** A view of this store with a different read-only flag. */
  withReadOnly(readOnly: boolean): Store;
  /** Releases resources (flushes zip files). */
  close(): Promise<void>;
  /** Short class name, for `info()` (e.g. `"MemoryStore"`). */
  readonly typeName: string;
  /** Whether the store can hold consolidated metadata (true for all but exotic stores). */
  readonly supportsConsolidatedMetadata: boolean;
}
