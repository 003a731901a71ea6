/**
 * The stores: the {@link Store} interface, `MemoryStore`, `LocalStore`, `ZipStore`,
 * `FetchStore` (HTTP), `S3Store` (S3-compatible object storage), and StoreLike resolution.
 *
 * @example
 * ```ts
 * import { MemoryStore, resolveStore } from "./mod.ts";
 * const store = await resolveStore(new Map(), { mode: "a" });
 * console.log(store instanceof MemoryStore); // true
 * ```
 * @module
 */
export type { RangeRequest, Store } from "./types.ts";
export { MemoryStore, type MemoryStoreOptions } from "./memory.ts";
export {
  type AccessMode,
  LocalStore,
  type LocalStoreOpenOptions,
  type LocalStoreOptions,
} from "./local.ts";
export { type ZipMode, ZipStore, type ZipStoreOptions } from "./zip.ts";
export { FetchStore, type FetchStoreOptions } from "./fetch.ts";
export { type AddressingStyle, S3Store, type S3StoreOptions } from "./s3.ts";
export type { HttpStoreOptions, RequestStats } from "./http.ts";
export {
  RemoteStoreError,
  type RemoteStoreErrorDetails,
  type RetryOptions,
  TruncatedBodyError,
} from "./retry.ts";
export {
  forgetMemoryStores,
  isEmptyPrefix,
  registeredStoreSchemes,
  registerStoreScheme,
  resolveStore,
  type ResolveStoreOptions,
  type StoreFactory,
  type StoreLike,
} from "./resolve.ts";
export { normalizeRange, validateKey } from "./common.ts";
