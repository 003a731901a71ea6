/**
 * StoreLike resolution (zarr-python's `make_store_path`, minus the path handling): turns
 * whatever a user passes as `store` into a {@link Store}.
 *
 * @example
 * ```ts
 * import { resolveStore } from "./resolve.ts";
 * const mem = await resolveStore(undefined); // a new MemoryStore
 * const local = await resolveStore(await Deno.makeTempDir(), { mode: "r" }); // read-only
 * ```
 * @module
 */
import {
  FileNotFoundError,
  NotImplementedError,
  ReadOnlyError,
  ZarrError,
  ZarrTypeError,
  ZarrValueError,
} from "../errors.ts";
import { hasStorageOptions } from "./common.ts";
import { FetchStore, fetchStoreOptionsFrom } from "./fetch.ts";
import { type AccessMode, LocalStore } from "./local.ts";
import { MemoryStore } from "./memory.ts";
import { S3Store, s3StoreOptionsFrom } from "./s3.ts";
import type { Store } from "./types.ts";
import { ZipStore } from "./zip.ts";
import { fileURLToPath } from "node:url";

/**
 * Anything accepted where a store is expected: a {@link Store}; a `Map` (wrapped in a
 * `MemoryStore`, used in place); `undefined`/`null` (a new `MemoryStore`); a path or URL
 * string, or a `URL` (`memory://`, `file://`, a plain path, `*.zip`, `http(s)://`, `s3://`).
 */
export type StoreLike = Store | Map<string, Uint8Array> | string | URL | undefined | null;

/** Options of {@link resolveStore}. */
export interface ResolveStoreOptions {
  /** zarr-python access mode; `"r"` gives a read-only store. */
  mode?: AccessMode;
  /** Options for remote stores (endpoint, credentials...); refused for local ones. */
  storageOptions?: Record<string, unknown>;
}

/** Builds a store for a URL of a registered scheme (see {@link registerStoreScheme}). */
export type StoreFactory = (
  url: string,
  options: ResolveStoreOptions,
) => Store | Promise<Store>;

const MODES: ReadonlySet<string> = new Set(["r", "r+", "a", "w", "w-"]);
const schemes = new Map<string, StoreFactory>();
const memoryStores = new Map<string, MemoryStore>();

/**
 * Registers (or replaces) the factory used for URLs of `scheme` (without `://`, case
 * insensitive). Factories receive the whole URL string and the resolve options, and are
 * responsible for `storageOptions` and for honouring `mode: "r"`.
 *
 * @example
 * ```ts
 * import { registerStoreScheme } from "./resolve.ts";
 * import { MemoryStore } from "./memory.ts";
 * registerStoreScheme("demo", (_url, { mode }) => new MemoryStore(undefined, { readOnly: mode === "r" }));
 * ```
 */
export function registerStoreScheme(scheme: string, factory: StoreFactory): void {
  const s = scheme.toLowerCase().replace(/:(\/\/)?$/, "");
  if (!/^[a-z][a-z0-9+.-]*$/.test(s)) throw new ZarrValueError(`invalid URL scheme '${scheme}'`);
  if (typeof factory !== "function") throw new ZarrTypeError("store factory must be a function");
  schemes.set(s, factory);
}

/** The schemes with a registered factory (lower case, without `://`). */
export function registeredStoreSchemes(): string[] {
  return [...schemes.keys()];
}

/**
 * Forgets the named in-memory stores created through `memory://<name>` URLs (all of them when
 * no name is given), so the next resolve of that URL starts empty.
 *
 * @example
 * ```ts
 * import { forgetMemoryStores } from "./resolve.ts";
 * forgetMemoryStores("scratch");
 * ```
 */
export function forgetMemoryStores(name?: string): void {
  if (name === undefined) memoryStores.clear();
  else memoryStores.delete(name);
}

/**
 * Resolves a {@link StoreLike} into a {@link Store}, following zarr-python:
 * - a `Store` is returned as is; with mode `"r"` a writable store becomes
 *   `store.withReadOnly(true)`, and a read-only store with a writing mode raises
 *   `ReadOnlyError`;
 * - `undefined`/`null` gives a new `MemoryStore`; a `Map` gives a `MemoryStore` over it;
 * - `"memory://"` gives a new `MemoryStore`; `"memory://name"` gives the same store for the
 *   same name within the process;
 * - a plain path or `file://` URL gives a `LocalStore` via `LocalStore.open` (so modes
 *   `"r"`/`"r+"` need an existing directory); a path ending in `.zip` (and not an existing
 *   directory) gives a `ZipStore` (`"r"` read, `"w"` write, `"a"`/`"w-"` append or create,
 *   `"r+"` append to an existing zip);
 * - `http(s)://` gives a `FetchStore` (read-only for mode `"r"` or no mode; for writing modes
 *   its `readOnly` flag is false, like zarr-python's HTTP store, but writes still fail);
 *   `storageOptions` are its options (`headers`, `retry`, `concurrency`, `timeoutMs`,
 *   `signal`, `fetch`, `listKeys`, `useSuffixRequest`);
 * - `s3://bucket/prefix` gives an `S3Store` (read-only for mode `"r"`); `storageOptions`
 *   carry endpoint, region, credentials (camelCase or s3fs names), else the `AWS_*`
 *   environment variables are used;
 * - other schemes go to the factory registered with {@link registerStoreScheme}.
 *
 * Non-empty `storageOptions` with a non-remote store raise `ZarrTypeError`. Mode-specific path
 * handling (`"w"` wiping a path, `"w-"` requiring it empty) is left to the caller.
 *
 * @example
 * ```ts
 * import { resolveStore } from "./resolve.ts";
 * const a = await resolveStore("memory://scratch");
 * const b = await resolveStore("memory://scratch");
 * console.log(a === b); // true
 * const zip = await resolveStore(`${await Deno.makeTempDir()}/x.zip`, { mode: "w" });
 * await zip.close();
 * ```
 */
export async function resolveStore(
  storeLike: StoreLike,
  options: ResolveStoreOptions = {},
): Promise<Store> {
  const { mode, storageOptions } = options;
  if (mode !== undefined && !MODES.has(mode)) {
    throw new ZarrValueError(
      `invalid mode '${String(mode)}': expected one of "r", "r+", "a", "w", "w-"`,
    );
  }
  const readOnly = mode === "r";
  if (storeLike instanceof URL) storeLike = storeLike.href;
  if (typeof storeLike === "string") {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(storeLike);
    if (m !== null) {
      const scheme = m[1].toLowerCase();
      const factory = schemes.get(scheme);
      if (factory === undefined) {
        throw new ZarrValueError(
          `unsupported store URL scheme '${scheme}://' in '${storeLike}' (known: ${
            [...schemes.keys()].map((s) => s + "://").join(", ")
          })`,
        );
      }
      return await factory(storeLike, options);
    }
    refuseStorageOptions(storageOptions, "a local path");
    return await openPath(storeLike, mode);
  }
  if (storeLike === undefined || storeLike === null) {
    refuseStorageOptions(storageOptions, "MemoryStore");
    return new MemoryStore(undefined, { readOnly });
  }
  if (storeLike instanceof Map) {
    refuseStorageOptions(storageOptions, "MemoryStore");
    return new MemoryStore(storeLike, { readOnly });
  }
  if (isStore(storeLike)) {
    refuseStorageOptions(storageOptions, storeLike.typeName);
    return applyMode(storeLike, mode);
  }
  throw new ZarrTypeError(
    `unsupported type for a store: ${
      (storeLike as { constructor?: { name?: string } })?.constructor?.name ?? typeof storeLike
    }`,
  );
}

/**
 * Whether no key exists under `prefix` (a directory-like prefix; `""` is the whole store),
 * like zarr-python's `Store.is_empty`. Needs a listable store.
 *
 * @example
 * ```ts
 * import { isEmptyPrefix } from "./resolve.ts";
 * import { MemoryStore } from "./memory.ts";
 * const s = new MemoryStore();
 * await s.set("ab/x", new Uint8Array(1));
 * console.log(await isEmptyPrefix(s, "a")); // true ("ab/x" is not under "a/")
 * ```
 */
export async function isEmptyPrefix(store: Store, prefix: string): Promise<boolean> {
  if (!store.supportsListing) {
    throw new NotImplementedError(`${store.typeName} does not support listing`);
  }
  const p = prefix !== "" && !prefix.endsWith("/") ? prefix + "/" : prefix;
  for await (const _ of store.listPrefix(p)) return false;
  return true;
}

function isStore(x: unknown): x is Store {
  if (typeof x !== "object" || x === null) return false;
  const s = x as Record<string, unknown>;
  return typeof s.get === "function" && typeof s.set === "function" &&
    typeof s.listDir === "function" && typeof s.withReadOnly === "function" &&
    typeof s.readOnly === "boolean";
}

function applyMode(store: Store, mode: AccessMode | undefined): Store {
  if (mode === "r") return store.readOnly ? store : store.withReadOnly(true);
  if (mode !== undefined && store.readOnly) {
    throw new ReadOnlyError(`${store.typeName} is read-only but mode is '${mode}'`);
  }
  return store;
}

function refuseStorageOptions(
  storageOptions: Record<string, unknown> | undefined,
  what: string,
): void {
  if (hasStorageOptions(storageOptions)) {
    throw new ZarrTypeError(
      `'storageOptions' was provided but unused: it is only used for remote stores ` +
        `(http(s)://, s3://), not for ${what}`,
    );
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

async function openPath(path: string, mode: AccessMode | undefined): Promise<Store> {
  if (/\.zip\/?$/i.test(path) && !(await isDirectory(path))) {
    const p = path.replace(/\/$/, "");
    if (mode === "r") return await ZipStore.open(p, { mode: "r" });
    if (mode === "w") return await ZipStore.open(p, { mode: "w" });
    if (mode === "r+") {
      try {
        await Deno.stat(p);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) {
          throw new FileNotFoundError(`zip file '${p}' does not exist`, { cause: e });
        }
        throw new ZarrError(`cannot open zip file '${p}': ${(e as Error).message}`, { cause: e });
      }
    }
    return await ZipStore.open(p, { mode: "a" });
  }
  return await LocalStore.open(path, { mode, readOnly: mode === "r" });
}

registerStoreScheme("memory", (url, { mode, storageOptions }) => {
  refuseStorageOptions(storageOptions, "MemoryStore");
  const name = url.slice(url.indexOf("://") + 3);
  if (name === "") return new MemoryStore(undefined, { readOnly: mode === "r" });
  let store = memoryStores.get(name);
  if (store === undefined) {
    store = new MemoryStore();
    memoryStores.set(name, store);
  }
  return applyMode(store, mode);
});
registerStoreScheme("file", (url, { mode, storageOptions }) => {
  refuseStorageOptions(storageOptions, "a file:// URL");
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (e) {
    throw new ZarrValueError(`invalid file URL '${url}': ${(e as Error).message}`, { cause: e });
  }
  return openPath(path, mode);
});
const httpFactory: StoreFactory = (url, { mode, storageOptions }) =>
  new FetchStore(url, {
    ...fetchStoreOptionsFrom(storageOptions),
    readOnly: mode === undefined || mode === "r",
  });
registerStoreScheme("http", httpFactory);
registerStoreScheme("https", httpFactory);
registerStoreScheme(
  "s3",
  (url, { mode, storageOptions }) =>
    new S3Store(url, { ...s3StoreOptionsFrom(storageOptions), readOnly: mode === "r" }),
);
