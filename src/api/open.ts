/**
 * Opening and loading: `open`, `openArray`, `openGroup`, `openConsolidated`, `openLike`, `load`.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const store = new Map<string, Uint8Array>();
 * await zarr.zeros([3], { store, dtype: "int8" });
 * const node = await zarr.open({ store });
 * console.log(node instanceof zarr.AsyncArray); // true
 * ```
 * @module
 */
import type { StoreLike } from "../stores/resolve.ts";
import {
  ArrayNotFoundError,
  ContainsGroupError,
  FileNotFoundError,
  GroupNotFoundError,
  KeyError,
  NodeTypeValidationError,
  warn,
  ZarrTypeError,
} from "../errors.ts";
import { AsyncArray } from "../array/array.ts";
import { AsyncGroup } from "../group/group.ts";
import { parseZarrFormat, readNodeMetadata } from "../node/io.ts";
import {
  type AccessMode,
  CREATE_MODES,
  isStorePath,
  makeStorePath,
  parseMode,
  READ_MODES,
  type StorePath,
} from "./store_path.ts";
import { config } from "../config.ts";
import type { ArrayCreateOptions } from "../array/create.ts";
import type { NDArray } from "../buffer/ndarray.ts";
import { create } from "./create.ts";
import { likeArgs } from "./like.ts";
import { checkMetaArray, withMetaArray } from "./meta_array.ts";
import { arrayConfigFrom } from "../config.ts";

/** Where a node lives: the common first options of the open functions. */
export interface StoreOptions {
  store?: StoreLike | StorePath;
  path?: string | null;
  mode?: AccessMode;
  zarrFormat?: 2 | 3 | null;
  storageOptions?: Record<string, unknown>;
}

/** Options of {@link open} and {@link openArray}: where, plus creation options. */
export interface OpenOptions extends StoreOptions, Omit<ArrayCreateOptions, "zarrFormat"> {
  useConsolidated?: boolean | string | null;
  metaArray?: unknown;
  cacheAttrs?: unknown;
  synchronizer?: unknown;
  chunkStore?: unknown;
}

/** Options of {@link openGroup}. */
export interface OpenGroupOptions extends Omit<StoreOptions, "store"> {
  attributes?: Record<string, unknown>;
  useConsolidated?: boolean | string | null;
  metaArray?: unknown;
  cacheAttrs?: unknown;
  synchronizer?: unknown;
  chunkStore?: unknown;
}

function warnUnimplemented(opts: Record<string, unknown>, names: [string, string][]): void {
  for (const [k, py] of names) {
    if (opts[k] !== undefined && opts[k] !== null) {
      warn("ZarrRuntimeWarning", `${py} is not yet implemented`);
    }
  }
}

/** Accepts `fn(store, opts)` and `fn({store, ...opts})`. */
export function splitStoreArgs<T extends { store?: unknown }>(
  a?: StoreLike | StorePath | T,
  b?: Omit<T, "store">,
): T {
  if (isOptionsObject(a)) return { ...(a as T), ...(b ?? {}) } as T;
  return { ...(b ?? {}), store: a } as T;
}

/** True for a plain options object (not a Store, Map, URL or StorePath). */
function isOptionsObject(a: unknown): boolean {
  return a !== null && typeof a === "object" && !(a instanceof Map) && !(a instanceof URL) &&
    typeof (a as { get?: unknown }).get !== "function" &&
    !isStorePath(a); // `{ store, path: undefined }` is options, not a StorePath
}

/**
 * Opens an array or group. Without `shape`, an existing array is returned as is; anything else
 * opens (or, in modes a/w, creates) a group. With `shape`, an array is opened or created.
 */
export async function open(
  storeOrOpts?: StoreLike | StorePath | OpenOptions,
  maybeOpts?: Omit<OpenOptions, "store">,
): Promise<AsyncArray | AsyncGroup> {
  const opts = splitStoreArgs<OpenOptions>(storeOrOpts, maybeOpts);
  const zarrFormat = parseZarrFormat(opts.zarrFormat);
  let mode = parseMode(opts.mode);
  checkMetaArray(opts.metaArray);
  if (mode === undefined) {
    const s = opts.store as { readOnly?: boolean } | undefined;
    mode = s && typeof s === "object" && "readOnly" in s && s.readOnly ? "r" : "a";
  }
  const sp = await makeStorePath(opts.store, {
    mode,
    path: opts.path,
    storageOptions: opts.storageOptions,
  });
  const rest = { ...opts, store: sp, path: undefined, mode, zarrFormat };
  if (opts.shape === undefined && (mode === "a" || mode === "r" || mode === "r+" || mode === "w")) {
    const meta = await readNodeMetadata(sp.store, sp.path, {
      zarrFormat,
      useConsolidated: opts.useConsolidated ?? undefined,
    }).catch((e) => {
      if (e instanceof NodeTypeValidationError) return undefined;
      throw e;
    });
    if (meta?.nodeType === "array") {
      return withMetaArray(new AsyncArray(meta, sp.store, sp.path, configOf(opts)), opts.metaArray);
    }
    if (meta?.nodeType === "group" && mode !== "w" && opts.useConsolidated !== true) {
      // already read: no second round of metadata requests (they cost latency on HTTP/S3)
      return new AsyncGroup(meta, sp.store, sp.path);
    }
    return await openGroup(sp, rest);
  }
  try {
    return await openArray(rest);
  } catch (e) {
    if (
      e instanceof KeyError || e instanceof NodeTypeValidationError ||
      e instanceof ContainsGroupError
    ) {
      return await openGroup(sp, rest);
    }
    throw e;
  }
}

function configOf(opts: OpenOptions) {
  const c: Record<string, unknown> = { ...(opts.config ?? {}) };
  if (opts.writeEmptyChunks !== undefined && c.writeEmptyChunks === undefined) {
    c.writeEmptyChunks = opts.writeEmptyChunks;
  }
  return Object.keys(c).length ? arrayConfigFrom(c) : undefined;
}

/**
 * Opens an existing array; with mode a/w/w- on a writable store a missing array is created
 * from the options. Without a mode nothing is ever created.
 */
export async function openArray(
  storeOrOpts?: StoreLike | StorePath | OpenOptions,
  maybeOpts?: Omit<OpenOptions, "store">,
): Promise<AsyncArray> {
  const opts = splitStoreArgs<OpenOptions>(storeOrOpts, maybeOpts);
  const zarrFormat = parseZarrFormat(opts.zarrFormat);
  const mode = parseMode(opts.mode);
  checkMetaArray(opts.metaArray);
  const sp = await makeStorePath(opts.store, {
    mode,
    path: opts.path,
    storageOptions: opts.storageOptions,
  });
  const meta = await readNodeMetadata(sp.store, sp.path, { zarrFormat });
  if (meta?.nodeType === "array") {
    return withMetaArray(new AsyncArray(meta, sp.store, sp.path, configOf(opts)), opts.metaArray);
  }
  if (meta?.nodeType === "group") {
    throw new ContainsGroupError(
      `A group exists in store ${sp.store.typeName} at path '${sp.path}'.`,
    );
  }
  if (!sp.store.readOnly && mode !== undefined && CREATE_MODES.includes(mode)) {
    if (opts.writeEmptyChunks !== undefined) {
      warn(
        "ZarrRuntimeWarning",
        "The `write_empty_chunks` keyword argument is deprecated and will be removed in future versions. Use the `config` keyword argument instead, e.g. `config={'write_empty_chunks': True}`.",
      );
    }
    if (opts.shape === undefined) {
      throw new ZarrTypeError("create() missing required argument: 'shape'");
    }
    return await create(opts.shape, {
      ...opts,
      store: sp,
      path: undefined,
      zarrFormat: zarrFormat ?? config.get<2 | 3>("default_zarr_format"),
      overwrite: mode === "w",
      mode: undefined,
    });
  }
  throw new ArrayNotFoundError(`No array found in store ${sp.store.typeName} at path '${sp.path}'`);
}

/**
 * Opens a group (mode "a" by default); with a create mode a missing group is created with
 * `attributes`.
 */
export async function openGroup(
  store?: StoreLike | StorePath,
  opts: OpenGroupOptions = {},
): Promise<AsyncGroup> {
  if (isOptionsObject(store) && "store" in (store as object)) {
    const o = store as OpenGroupOptions & { store?: StoreLike };
    return await openGroup(o.store, { ...o, ...opts });
  }
  const zarrFormat = parseZarrFormat(opts.zarrFormat);
  const mode = parseMode(opts.mode) ?? "a";
  warnUnimplemented(opts as Record<string, unknown>, [
    ["cacheAttrs", "cache_attrs"],
    ["synchronizer", "synchronizer"],
    ["chunkStore", "chunk_store"],
  ]);
  checkMetaArray(opts.metaArray);
  const sp = await makeStorePath(store, {
    mode,
    path: opts.path,
    storageOptions: opts.storageOptions,
  });
  const useConsolidated = opts.useConsolidated ?? undefined;
  if (READ_MODES.includes(mode)) {
    try {
      return await AsyncGroup.open(sp.store, sp.path, { zarrFormat, useConsolidated });
    } catch (e) {
      if (!(e instanceof GroupNotFoundError) || !CREATE_MODES.includes(mode)) throw e;
    }
  }
  if (CREATE_MODES.includes(mode)) {
    return await AsyncGroup.fromStore(sp.store, sp.path, {
      zarrFormat: zarrFormat ?? config.get<2 | 3>("default_zarr_format"),
      overwrite: mode === "w",
      attributes: opts.attributes ?? {},
    });
  }
  throw new GroupNotFoundError(`No group found in store ${sp.store.typeName} at path '${sp.path}'`);
}

/** `openGroup` requiring consolidated metadata. */
export async function openConsolidated(
  store?: StoreLike | StorePath,
  opts: OpenGroupOptions = {},
): Promise<AsyncGroup> {
  if (opts.useConsolidated !== undefined && opts.useConsolidated !== true) {
    throw new ZarrTypeError(
      `'use_consolidated' must be 'True' in 'open_consolidated'. Use 'open' with 'use_consolidated=False' to bypass consolidated metadata.`,
    );
  }
  return await openGroup(store, { ...opts, useConsolidated: true });
}

/** Opens (creating with mode "a" when missing) an array like `a` at `path`. */
export async function openLike(
  a: AsyncArray | NDArray,
  path: string,
  opts: Omit<OpenOptions, "path"> = {},
): Promise<AsyncArray> {
  return await openArray({ mode: "a", ...likeArgs(a), ...opts, path });
}

/**
 * Loads data: an array as an NDArray (0-d arrays as a scalar), a group as a record of NDArrays
 * keyed by relative path (every array below the group). Opens read-only, so it never changes the
 * store.
 */
export async function load(
  storeOrOpts?: StoreLike | StorePath | StoreOptions,
  maybeOpts?: Omit<StoreOptions, "store">,
): Promise<NDArray | unknown | Record<string, NDArray>> {
  const opts = splitStoreArgs<StoreOptions>(storeOrOpts, maybeOpts);
  const node = await open({ ...opts, mode: "r" }).catch((e) => {
    if (e instanceof GroupNotFoundError) {
      throw new FileNotFoundError(`No array or group found at path '${opts.path ?? ""}'`);
    }
    throw e;
  });
  try {
    if (node instanceof AsyncArray) {
      const out = await node.getitem(null);
      if (out.shape.length === 0) return scalarOf(out);
      return out;
    }
    const rec: Record<string, NDArray> = {};
    for await (const [k, v] of node.members({ maxDepth: null })) {
      if (v instanceof AsyncArray) rec[k] = await v.getitem(null);
    }
    return rec;
  } finally {
    // a store opened here from a path or URL (e.g. a *.zip file) is released
    if (typeof opts.store === "string" || opts.store instanceof URL) await node.store.close();
  }
}

/** The single value of a 0-d NDArray. */
export function scalarOf(a: NDArray): unknown {
  if (a.dtype.startsWith("complex")) return [a.data[0], a.data[1]];
  if (a.dtype === "bool") return a.data[0] === 1;
  return a.data[0];
}
