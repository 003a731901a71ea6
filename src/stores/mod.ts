/**
 * The stores: the {@link Store} interface, `MemoryStore`, `LocalStore`, `ZipStore`, and
 * StoreLike resolution.
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
