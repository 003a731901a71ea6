/**
 * Turns a StoreLike, a mode and a path into a store ready for a node at that path, with
 * zarr-python's `StorePath.open` rules: `"w"` wipes the path, `"w-"` requires it to be empty,
 * anything but `"r"` on a read-only store is an error.
 *
 * @example
 * ```ts
 * import { makeStorePath } from "./store_path.ts";
 * const { store, path } = await makeStorePath(undefined, { mode: "w", path: "/a/b/" });
 * console.log(store.typeName, path); // MemoryStore a/b
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import { resolveStore, type StoreLike } from "../stores/resolve.ts";
import { normalizePath } from "../path.ts";
import { FileExistsError, ZarrValueError } from "../errors.ts";

/** Access modes, as in zarr-python. */
export type AccessMode = "r" | "r+" | "a" | "w" | "w-";

/** Modes that read an existing node. */
export const READ_MODES: readonly AccessMode[] = ["r", "r+", "a"];
/** Modes that may create a node. */
export const CREATE_MODES: readonly AccessMode[] = ["a", "w", "w-"];

/** A store plus a normalized node path. */
export interface StorePath {
  store: Store;
  path: string;
}

/** Validates a mode string. */
export function parseMode(mode: unknown): AccessMode | undefined {
  if (mode === undefined || mode === null) return undefined;
  if (mode === "r" || mode === "r+" || mode === "a" || mode === "w" || mode === "w-") return mode;
  throw new ZarrValueError(`invalid mode '${String(mode)}': expected one of r, r+, a, w, w-`);
}

/** True when `x` is a StorePath made by {@link makeStorePath}. */
export function isStorePath(x: unknown): x is StorePath {
  return typeof x === "object" && x !== null && "store" in x && "path" in x &&
    typeof (x as StorePath).path === "string" &&
    typeof (x as StorePath).store?.get === "function" &&
    typeof (x as StorePath).store?.withReadOnly === "function" &&
    Object.keys(x).length === 2;
}

/** Resolves the store and applies the mode to the path. */
export async function makeStorePath(
  storeLike: StoreLike | StorePath,
  opts: { mode?: AccessMode; path?: string | null; storageOptions?: Record<string, unknown> } = {},
): Promise<StorePath> {
  let store: Store;
  let path = normalizePath(opts.path ?? "");
  if (isStorePath(storeLike)) {
    store = storeLike.store;
    path = normalizePath([storeLike.path, path].filter((p) => p).join("/"));
    if (opts.mode === "r" && !store.readOnly) store = store.withReadOnly(true);
  } else {
    store = await resolveStore(storeLike, { mode: opts.mode, storageOptions: opts.storageOptions });
  }
  const mode = opts.mode;
  if (mode === undefined) return { store, path };
  if (mode !== "r" && store.readOnly) {
    throw new ZarrValueError(`Store is read-only but mode is '${mode}'`);
  }
  if (mode === "w-") {
    const prefix = path === "" ? "" : path + "/";
    for await (const _ of store.listPrefix(prefix)) {
      throw new FileExistsError(
        `Cannot create '${path || "/"}' with mode 'w-': the path is not empty`,
      );
    }
  } else if (mode === "w") {
    await store.deleteDir(path);
  }
  return { store, path };
}
