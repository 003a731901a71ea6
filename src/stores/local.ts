/**
 * A store over a directory of the local file system (zarr-python's `LocalStore`).
 *
 * @example
 * ```ts
 * import { LocalStore } from "./local.ts";
 * const dir = await Deno.makeTempDir();
 * const store = new LocalStore(dir);
 * await store.set("a/zarr.json", new TextEncoder().encode("{}"));
 * console.log(await Deno.readTextFile(`${dir}/a/zarr.json`)); // {}
 * ```
 * @module
 */
import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import {
  FileNotFoundError,
  InvalidKeyError,
  ReadOnlyError,
  ZarrError,
  ZarrTypeError,
  ZarrValueError,
} from "../errors.ts";
import {
  checkValue,
  isTempName,
  normalizeDirPrefix,
  normalizeRange,
  validateKey,
  validateListPrefix,
} from "./common.ts";
import type { RangeRequest, Store } from "./types.ts";

/** Access modes of zarr-python (`r`, `r+`, `a`, `w`, `w-`). */
export type AccessMode = "r" | "r+" | "a" | "w" | "w-";

/** Options of the {@link LocalStore} constructor. */
export interface LocalStoreOptions {
  /** Refuse writes and deletes (default false). */
  readOnly?: boolean;
  /** Create the root directory now (synchronously) unless read-only (default false: it is
   * created by the first write). */
  create?: boolean;
  /** `fdatasync` every temporary file before renaming it into place (default false). */
  fsync?: boolean;
}

/** Options of {@link LocalStore.open}. */
export interface LocalStoreOpenOptions {
  /** Final read-only flag (default: `mode === "r"`). */
  readOnly?: boolean;
  /** `"r"` / `"r+"` require the root to exist; other modes (and no mode) create it. */
  mode?: AccessMode;
  /** See {@link LocalStoreOptions.fsync}. */
  fsync?: boolean;
}

/**
 * A store whose keys are files under a root directory: key `"a/c/0/1"` is the file
 * `<root>/a/c/0/1`.
 *
 * - Writes go to a temporary file `.<name>.<16 hex>.tmp` in the target's directory and are
 *   then renamed into place, so a crash or a failed write never leaves a torn file and the
 *   previous value stays intact. Temporary files never appear in listings. Parent
 *   directories are created as needed.
 * - Keys are validated: `..`/`.` segments, absolute paths, backslashes, NUL and empty
 *   segments raise `InvalidKeyError`, so no key reaches outside the root.
 * - Range reads read only the requested bytes.
 * - A read-only store never creates anything; a writable one creates its root on the first
 *   write (or at once with `create: true`, or through {@link LocalStore.open}).
 *
 * @example
 * ```ts
 * import { LocalStore } from "./local.ts";
 * const store = await LocalStore.open(await Deno.makeTempDir(), { mode: "w" });
 * await store.set("c/0", new Uint8Array([1, 2, 3, 4]));
 * console.log(await store.get("c/0", { offset: 1, length: 2 })); // Uint8Array [2, 3]
 * const ro = store.withReadOnly(true);
 * ```
 */
export class LocalStore implements Store {
  /** True when the store refuses writes. */
  readonly readOnly: boolean;
  /** Always true. */
  readonly supportsWrites = true;
  /** Always true. */
  readonly supportsDeletes = true;
  /** Always true. */
  readonly supportsListing = true;
  /** `"LocalStore"`. */
  readonly typeName = "LocalStore";
  /** Always true. */
  readonly supportsConsolidatedMetadata = true;
  readonly #root: string;
  readonly #fsync: boolean;
  #realRoot: string | undefined;
  /** Directories already resolved inside the root, with the names of their symlink entries. */
  readonly #dirs = new Map<string, Promise<Set<string> | undefined>>();

  /**
   * @param root directory path, or a `file:` URL (string or `URL`); made absolute
   * @param options `readOnly`, `create`, `fsync`
   */
  constructor(root: string | URL, options: LocalStoreOptions = {}) {
    this.#root = normalizeRoot(root);
    this.readOnly = options.readOnly ?? false;
    this.#fsync = options.fsync ?? false;
    if (options.create && !this.readOnly) {
      try {
        Deno.mkdirSync(this.#root, { recursive: true });
      } catch (e) {
        throw fsError(e, "create root directory", "", this.#root);
      }
    }
  }

  /**
   * Opens a store like zarr-python's `LocalStore.open`: modes `"r"` and `"r+"` require the
   * root directory to exist (`FileNotFoundError` otherwise); any other mode creates it. The
   * store is read-only when `readOnly` is true, or when it is not given and mode is `"r"`.
   *
   * @example
   * ```ts
   * import { LocalStore } from "./local.ts";
   * const dir = await Deno.makeTempDir();
   * const w = await LocalStore.open(`${dir}/new.zarr`, { mode: "a" }); // creates the dir
   * const r = await LocalStore.open(`${dir}/new.zarr`, { mode: "r" }); // read-only
   * ```
   */
  static async open(root: string | URL, options: LocalStoreOpenOptions = {}): Promise<LocalStore> {
    const mode = options.mode;
    const readOnly = options.readOnly ?? mode === "r";
    const create = mode !== undefined ? !(mode === "r" || mode === "r+") : !readOnly;
    const store = new LocalStore(root, { readOnly, fsync: options.fsync });
    const path = store.#root;
    if (create) {
      try {
        await Deno.mkdir(path, { recursive: true });
      } catch (e) {
        throw fsError(e, "create root directory", "", path);
      }
    }
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new FileNotFoundError(`LocalStore root '${path}' does not exist`, { cause: e });
      }
      throw fsError(e, "open root directory", "", path);
    }
    if (!info.isDirectory) {
      throw new ZarrValueError(`LocalStore root '${path}' is not a directory`);
    }
    return store;
  }

  /** The absolute root directory. */
  get root(): string {
    return this.#root;
  }

  /** Whether each write is synced to disk before it resolves (the `fsync` option). */
  get fsync(): boolean {
    return this.#fsync;
  }

  #path(key: string): string {
    return this.#root === "/" ? `/${key}` : `${this.#root}/${key}`;
  }

  /**
   * Refuses `key` when its file (or, when that does not exist yet, its deepest existing
   * ancestor) resolves through symlinks to a place outside the root.
   */
  async #confine(key: string, path: string): Promise<void> {
    // Fast path: the parent directory was resolved inside the root once and listed; unless the
    // file's own entry is a symlink, nothing more to follow (one check per directory, not per key).
    const slash = path.lastIndexOf("/");
    const dir = path.slice(0, slash) || "/";
    if (dir.length >= this.#root.length) {
      const links = await this.#dirLinks(key, dir);
      if (links !== undefined && !links.has(path.slice(slash + 1))) return;
    }
    await this.#confineSlow(key, path);
  }

  /** Symlink entries of a directory checked to resolve inside the root (cached); undefined if missing. */
  #dirLinks(key: string, dir: string): Promise<Set<string> | undefined> {
    let hit = this.#dirs.get(dir);
    if (!hit) {
      if (this.#dirs.size >= 4096) this.#dirs.clear();
      hit = (async () => {
        try {
          await this.#confineSlow(key, dir);
          const links = new Set<string>();
          for await (const e of Deno.readDir(dir)) if (e.isSymlink) links.add(e.name);
          return links;
        } catch (e) {
          this.#dirs.delete(dir);
          if (isMissing(e)) return undefined;
          throw e;
        }
      })();
      this.#dirs.set(dir, hit);
    }
    return hit;
  }

  async #confineSlow(key: string, path: string): Promise<void> {
    let p = path;
    let real: string;
    for (;;) {
      try {
        real = await Deno.realPath(p);
        break;
      } catch (e) {
        if (!isMissing(e)) throw fsError(e, "resolve", key, p);
        const i = p.lastIndexOf("/");
        if (i <= this.#root.length) return; // nothing below the root exists yet
        p = p.slice(0, i);
      }
    }
    if (this.#realRoot === undefined) {
      try {
        this.#realRoot = await Deno.realPath(this.#root);
      } catch (e) {
        throw fsError(e, "resolve", "", this.#root);
      }
    }
    const root = this.#realRoot;
    if (real !== root && !real.startsWith(root === "/" ? "/" : root + "/")) {
      throw new InvalidKeyError(
        `invalid store key '${key}': it resolves through a symlink to '${real}', outside the ` +
          `LocalStore root '${this.#root}'`,
      );
    }
  }

  #checkWritable(op: string, key: string): void {
    if (this.readOnly) {
      throw new ReadOnlyError(`LocalStore '${this.#root}' is read-only: cannot ${op} '${key}'`);
    }
  }

  /**
   * The absolute file path of `key`, after the very checks {@link LocalStore.get} makes (key
   * validation, symlink confinement to the root); the file itself may not exist. For readers
   * that open the file elsewhere, e.g. in a worker thread.
   *
   * @example
   * ```ts
   * import { LocalStore } from "./local.ts";
   * const store = new LocalStore("/tmp/data.zarr");
   * console.log(await store.filePath("c/0/1")); // /tmp/data.zarr/c/0/1
   * ```
   */
  async filePath(key: string): Promise<string> {
    validateKey(key);
    const path = this.#path(key);
    await this.#confine(key, path);
    return path;
  }

  /** Bytes of `key` (or just the requested range of it); `undefined` when missing. */
  async get(key: string, range?: RangeRequest): Promise<Uint8Array | undefined> {
    validateKey(key);
    const path = this.#path(key);
    await this.#confine(key, path);
    if (range === undefined) {
      try {
        return await Deno.readFile(path);
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw fsError(e, "read", key, path);
      }
    }
    normalizeRange(range, 0, key); // validate before touching the file system
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw fsError(e, "read", key, path);
    }
    try {
      const info = await file.stat();
      if (!info.isFile) return undefined;
      const [start, end] = normalizeRange(range, info.size, key);
      const out = new Uint8Array(end - start);
      if (out.length === 0) return out;
      await file.seek(start, Deno.SeekMode.Start);
      let n = 0;
      while (n < out.length) {
        const r = await file.read(out.subarray(n));
        if (r === null) break;
        n += r;
      }
      return n === out.length ? out : out.slice(0, n); // file shrank meanwhile
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw fsError(e, "read", key, path);
    } finally {
      file.close();
    }
  }

  /** Writes `key` atomically (temporary file + rename), creating parent directories. */
  async set(key: string, value: Uint8Array): Promise<void> {
    this.#checkWritable("set", key);
    validateKey(key);
    checkValue(key, value);
    await this.#write(key, value, false);
  }

  /** Writes `key` only if no file exists there (atomically, via a hard link when possible). */
  async setIfNotExists(key: string, value: Uint8Array): Promise<void> {
    this.#checkWritable("set", key);
    validateKey(key);
    checkValue(key, value);
    if (await this.exists(key)) return;
    await this.#write(key, value, true);
  }

  async #write(key: string, value: Uint8Array, exclusive: boolean): Promise<void> {
    const path = this.#path(key);
    const slash = path.lastIndexOf("/");
    const dir = path.slice(0, slash) || "/";
    const base = path.slice(slash + 1);
    await this.#confine(key, dir); // the file itself is replaced by rename, never followed
    const stem = new TextEncoder().encode(base).length <= 200 ? base : "k";
    const tmp = `${dir === "/" ? "" : dir}/.${stem}.${randomHex16()}.tmp`;
    let stage = "write a temporary file for";
    let renamed = false;
    try {
      let file: Deno.FsFile;
      try {
        file = await Deno.open(tmp, { write: true, createNew: true });
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
        // The parent directory is missing: create it (and its parents), then retry once.
        try {
          await Deno.mkdir(dir, { recursive: true });
        } catch (e2) {
          throw fsError(e2, "create the directory for", key, dir);
        }
        file = await Deno.open(tmp, { write: true, createNew: true });
      }
      try {
        let n = 0;
        while (n < value.length) n += await file.write(value.subarray(n));
        if (this.#fsync) await file.syncData();
      } finally {
        file.close();
      }
      stage = "move the temporary file into place for";
      if (exclusive) {
        try {
          await Deno.link(tmp, path);
        } catch (e) {
          if (e instanceof Deno.errors.AlreadyExists) return;
          // Hard links unsupported here: fall back to check-then-rename.
          if (await this.exists(key)) return;
          await Deno.rename(tmp, path);
        }
      } else {
        await Deno.rename(tmp, path);
        renamed = true;
      }
    } catch (e) {
      throw fsError(e, stage, key, path);
    } finally {
      if (!renamed) {
        try {
          await Deno.remove(tmp);
        } catch {
          // never created
        }
      }
    }
  }

  /** Removes the file of `key` (no error when missing; directories are left alone). */
  async delete(key: string): Promise<void> {
    this.#checkWritable("delete", key);
    validateKey(key);
    const path = this.#path(key);
    await this.#confine(key, path.slice(0, path.lastIndexOf("/")) || "/");
    try {
      const info = await Deno.lstat(path);
      if (info.isDirectory) return;
      await Deno.remove(path);
    } catch (e) {
      if (isMissing(e)) return;
      throw fsError(e, "delete", key, path);
    }
  }

  /**
   * Removes the directory `prefix` recursively (every key under `prefix/`); with `""` removes
   * everything inside the root but keeps the root directory itself.
   */
  async deleteDir(prefix: string): Promise<void> {
    this.#checkWritable("delete", prefix);
    const p = normalizeDirPrefix(prefix);
    if (p === "") {
      let names: string[];
      try {
        names = await readDirNames(this.#root);
      } catch (e) {
        if (isMissing(e)) return;
        throw fsError(e, "list", "", this.#root);
      }
      for (const name of names) {
        const path = this.#path(name);
        try {
          await Deno.remove(path, { recursive: true });
        } catch (e) {
          if (!isMissing(e)) throw fsError(e, "delete", name, path);
        }
      }
      return;
    }
    const path = this.#path(p);
    try {
      const info = await Deno.lstat(path);
      if (!info.isDirectory) return;
      await Deno.remove(path, { recursive: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw fsError(e, "delete", p, path);
    }
  }

  /** Whether a file exists for `key`. */
  async exists(key: string): Promise<boolean> {
    validateKey(key);
    const path = this.#path(key);
    await this.#confine(key, path);
    try {
      return (await Deno.stat(path)).isFile;
    } catch (e) {
      if (isMissing(e)) return false;
      throw fsError(e, "stat", key, path);
    }
  }

  /** Size in bytes of `key` (from `stat`), `undefined` when missing. */
  async getSize(key: string): Promise<number | undefined> {
    validateKey(key);
    const path = this.#path(key);
    await this.#confine(key, path);
    try {
      const info = await Deno.stat(path);
      return info.isFile ? info.size : undefined;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw fsError(e, "stat", key, path);
    }
  }

  /** Every key (every regular file under the root, names sorted per directory). */
  async *list(): AsyncIterable<string> {
    yield* this.#walk(this.#root, "", "");
  }

  /** Every key that starts with `prefix` (walks only the directories that can match). */
  async *listPrefix(prefix: string): AsyncIterable<string> {
    validateListPrefix(prefix);
    const i = prefix.lastIndexOf("/");
    const dirKey = i < 0 ? "" : prefix.slice(0, i);
    const partial = prefix.slice(i + 1);
    const dirPath = dirKey === "" ? this.#root : this.#path(dirKey);
    yield* this.#walk(dirPath, dirKey === "" ? "" : dirKey + "/", partial);
  }

  /** Names of the files and directories directly under `prefix` (sorted). */
  async *listDir(prefix: string): AsyncIterable<string> {
    const p = normalizeDirPrefix(prefix);
    const path = p === "" ? this.#root : this.#path(p);
    let names: string[];
    try {
      names = await readDirNames(path);
    } catch (e) {
      if (isMissing(e)) return;
      throw fsError(e, "list", p, path);
    }
    for (const name of names) if (!isTempName(name)) yield name;
  }

  async *#walk(dirPath: string, keyPrefix: string, filter: string): AsyncIterable<string> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dirPath));
    } catch (e) {
      if (isMissing(e)) return;
      throw fsError(e, "list", keyPrefix, dirPath);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = entry.name;
      if (isTempName(name) || !name.startsWith(filter)) continue;
      const path = `${dirPath === "/" ? "" : dirPath}/${name}`;
      let isFile = entry.isFile;
      let isDir = entry.isDirectory;
      if (entry.isSymlink) {
        // Symlinked files count as keys; symlinked directories are not followed (no cycles).
        try {
          isFile = (await Deno.stat(path)).isFile;
        } catch {
          isFile = false;
        }
        isDir = false;
      }
      if (isFile) yield keyPrefix + name;
      else if (isDir) yield* this.#walk(path, keyPrefix + name + "/", "");
    }
  }

  /** A store over the same root with the given read-only flag. */
  withReadOnly(readOnly: boolean): LocalStore {
    return new LocalStore(this.#root, { readOnly, fsync: this.#fsync });
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** `file://<root>`. */
  toString(): string {
    return `file://${this.#root}`;
  }
}

function normalizeRoot(root: string | URL): string {
  let path: string;
  if (root instanceof URL) {
    if (root.protocol !== "file:") {
      throw new ZarrValueError(`LocalStore needs a file: URL, got '${root.href}'`);
    }
    path = fileURLToPath(root);
  } else if (typeof root === "string") {
    path = /^file:\/\//i.test(root) ? fileURLToPath(root) : root;
  } else {
    throw new ZarrTypeError(`LocalStore root must be a string or URL, got ${typeof root}`);
  }
  if (path.includes("\0")) throw new ZarrValueError("LocalStore root contains a NUL character");
  return resolvePath(path);
}

async function readDirNames(path: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(path)) names.push(e.name);
  return names.sort();
}

function isMissing(e: unknown): boolean {
  return e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory ||
    e instanceof Deno.errors.IsADirectory;
}

function fsError(e: unknown, op: string, key: string, path: string): Error {
  if (e instanceof ZarrError) return e;
  const what = key === "" ? `'${path}'` : `'${key}' (${path})`;
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return new ZarrError(`LocalStore: permission denied to ${op} ${what}`, { cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ZarrError(`LocalStore: cannot ${op} ${what}: ${msg}`, { cause: e });
}

function randomHex16(): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
