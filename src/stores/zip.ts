/**
 * A store inside a single zip file (zarr-python's `ZipStore`).
 *
 * Reading parses the zip central directory itself (ZIP64 and archives with leading bytes
 * included), so a byte-range read of a STORED entry reads only the bytes asked for; DEFLATE
 * entries are inflated with `fflate`. Writing keeps new entries in memory and writes the whole
 * archive on `flush()` / `close()`, to a temporary file renamed into place. New entries are
 * STORED by default (like zarr-python's `compression=ZIP_STORED`), so range reads stay cheap.
 *
 * @example
 * ```ts
 * import { ZipStore } from "./zip.ts";
 * const path = `${await Deno.makeTempDir()}/data.zarr.zip`;
 * const w = await ZipStore.open(path, { mode: "w" });
 * await w.set("zarr.json", new TextEncoder().encode("{}"));
 * await w.close(); // the archive is written here
 * const r = await ZipStore.open(path, { mode: "r" });
 * console.log(new TextDecoder().decode(await r.get("zarr.json"))); // {}
 * await r.close();
 * ```
 * @module
 */
import { deflateSync, inflateSync } from "fflate";
import { crc32 } from "node:zlib";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CodecError,
  FileNotFoundError,
  ReadOnlyError,
  ZarrError,
  ZarrTypeError,
  ZarrValueError,
} from "../errors.ts";
import { checkValue, normalizeRange, validateKey } from "./common.ts";
import type { RangeRequest, Store } from "./types.ts";

/** How a {@link ZipStore} opens its file: read, write (start empty), append (or create). */
export type ZipMode = "r" | "w" | "a";

/** Options of {@link ZipStore}. */
export interface ZipStoreOptions {
  /**
   * `"r"`: the zip must exist; `"w"`: start an empty archive (an existing file is replaced
   * on close); `"a"` (default): open an existing zip, or start a new one, and add or replace
   * keys.
   */
  mode?: ZipMode;
  /** Refuse writes and deletes (default: `mode === "r"`). */
  readOnly?: boolean;
  /** Compression of entries written by this store (default `"stored"`). */
  compression?: "stored" | "deflate";
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOC = 0x07064b50;
const U32 = 0xffffffff;
const U16 = 0xffff;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
/** deflate cannot expand data by more than ~1032x; larger claims are corrupt or hostile. */
const MAX_DEFLATE_RATIO = 1032;
const COPY_CHUNK = 8 << 20;

/** An entry stored in the archive file. */
interface FileEntry {
  kind: "file";
  name: string;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  csize: number;
  usize: number;
  headerOffset: number;
  externalAttr: number;
  dataOffset?: number;
}

/** An entry written through the store, not yet in the archive file. */
interface MemEntry {
  kind: "mem";
  name: string;
  data: Uint8Array;
  modified: Date;
}

type Entry = FileEntry | MemEntry;

/** A minimal async mutex (a promise chain). */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => {});
    return result;
  }
}

/** Whether an archive name is a valid store key (hostile names are skipped in listings). */
function isKeyName(name: string): boolean {
  if (name.endsWith("/")) return false;
  try {
    validateKey(name);
    return true;
  } catch {
    return false;
  }
}

/** The state shared by a {@link ZipStore} and its read-only/writable views. */
class ZipArchive {
  readonly path: string;
  readonly compression: "stored" | "deflate";
  mode: ZipMode;
  entries = new Map<string, Entry>();
  dirty = false;
  #file: Deno.FsFile | undefined;
  #fileSize = 0;
  #opening: Promise<void> | undefined;
  readonly lock = new Mutex();

  constructor(path: string, mode: ZipMode, compression: "stored" | "deflate") {
    this.path = path;
    this.mode = mode;
    this.compression = compression;
  }

  /** Opens (or re-opens after close) the archive once; later calls share the result. */
  ensureOpen(): Promise<void> {
    if (this.#opening === undefined) {
      this.#opening = this.#open();
      this.#opening.catch(() => {
        this.#opening = undefined; // let a later call try again
      });
    }
    return this.#opening;
  }

  async #open(): Promise<void> {
    this.entries = new Map();
    this.dirty = false;
    if (this.mode === "w") {
      this.dirty = true; // an empty archive is still written on close
      return;
    }
    let file: Deno.FsFile;
    try {
      file = await Deno.open(this.path, { read: true });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound && this.mode === "a") {
        this.dirty = true;
        return;
      }
      if (e instanceof Deno.errors.NotFound) {
        throw new FileNotFoundError(`zip file '${this.path}' does not exist`, { cause: e });
      }
      throw ioError(e, "open", this.path);
    }
    try {
      const info = await file.stat();
      if (!info.isFile) throw new ZarrValueError(`'${this.path}' is not a zip file (not a file)`);
      if (info.size === 0 && this.mode === "a") {
        file.close();
        this.dirty = true;
        return;
      }
      this.#fileSize = info.size;
      this.entries = await parseCentralDirectory(file, info.size, this.path);
      this.#file = file;
    } catch (e) {
      file.close();
      throw e;
    }
  }

  /** Uncompressed bytes of an entry, or a range of them. */
  async read(entry: Entry, range: RangeRequest | undefined): Promise<Uint8Array> {
    if (entry.kind === "mem") {
      if (range === undefined) return entry.data;
      const [s, e] = normalizeRange(range, entry.data.length, entry.name);
      return entry.data.slice(s, e);
    }
    const [start, end] = normalizeRange(range, entry.usize, entry.name);
    if (entry.flags & FLAG_ENCRYPTED) {
      throw new ZarrError(`zip entry '${entry.name}' in '${this.path}' is encrypted`);
    }
    if (entry.method === METHOD_STORED) {
      if (entry.csize !== entry.usize) {
        throw new CodecError(
          `corrupt zip entry '${entry.name}' in '${this.path}': stored sizes differ`,
        );
      }
      return await this.lock.run(async () => {
        const off = await this.#dataOffset(entry);
        const out = await this.#readAt(off + start, end - start, entry.name);
        if (range === undefined && crc32(out) !== entry.crc) {
          throw new CodecError(`bad CRC-32 for zip entry '${entry.name}' in '${this.path}'`);
        }
        return out;
      });
    }
    if (entry.method === METHOD_DEFLATE) {
      if (entry.usize > entry.csize * MAX_DEFLATE_RATIO + 1024) {
        throw new CodecError(
          `corrupt zip entry '${entry.name}' in '${this.path}': claims ${entry.usize} bytes ` +
            `from ${entry.csize} compressed bytes`,
        );
      }
      const raw = await this.lock.run(async () => {
        const off = await this.#dataOffset(entry);
        return await this.#readAt(off, entry.csize, entry.name);
      });
      let out: Uint8Array;
      try {
        out = inflateSync(raw, { out: new Uint8Array(entry.usize + 1) });
      } catch (e) {
        throw new CodecError(
          `cannot inflate zip entry '${entry.name}' in '${this.path}': ${(e as Error).message}`,
          { cause: e },
        );
      }
      if (out.length !== entry.usize || crc32(out) !== entry.crc) {
        throw new CodecError(`corrupt zip entry '${entry.name}' in '${this.path}' (size or CRC)`);
      }
      return range === undefined ? out : out.slice(start, end);
    }
    throw new ZarrError(
      `zip entry '${entry.name}' in '${this.path}' uses unsupported compression method ` +
        `${entry.method} (only stored and deflate are supported)`,
    );
  }

  async #dataOffset(entry: FileEntry): Promise<number> {
    if (entry.dataOffset !== undefined) return entry.dataOffset;
    const h = await this.#readAt(entry.headerOffset, 30, entry.name);
    const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
    if (v.getUint32(0, true) !== SIG_LOCAL) {
      throw new ZarrValueError(
        `corrupt zip file '${this.path}': bad local header for '${entry.name}'`,
      );
    }
    const off = entry.headerOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
    if (off + entry.csize > this.#fileSize) {
      throw new ZarrValueError(
        `corrupt zip file '${this.path}': data of '${entry.name}' runs past the end of the file`,
      );
    }
    entry.dataOffset = off;
    return off;
  }

  /** Reads exactly `length` bytes at `pos` (call under the lock). */
  async #readAt(pos: number, length: number, name: string): Promise<Uint8Array> {
    const file = this.#file;
    if (file === undefined) throw new ZarrError(`zip file '${this.path}' is not open`);
    const out = new Uint8Array(length);
    if (length === 0) return out;
    await file.seek(pos, Deno.SeekMode.Start);
    let n = 0;
    while (n < length) {
      const r = await file.read(out.subarray(n));
      if (r === null) {
        throw new ZarrValueError(
          `corrupt zip file '${this.path}': unexpected end of file reading '${name}'`,
        );
      }
      n += r;
    }
    return out;
  }

  /** Writes the archive (temporary file + rename) and re-reads it (call under the lock). */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    const slash = this.path.lastIndexOf("/");
    const dir = this.path.slice(0, slash) || "/";
    const base = this.path.slice(slash + 1);
    const tmp = `${dir === "/" ? "" : dir}/.${
      base.length <= 200 ? base : "zip"
    }.${randomHex16()}.tmp`;
    let out: Deno.FsFile;
    try {
      out = await Deno.open(tmp, { write: true, createNew: true });
    } catch (e) {
      throw ioError(e, "write", this.path);
    }
    let renamed = false;
    try {
      const w = new BufferedWriter(out);
      const central: CentralRecord[] = [];
      for (const entry of this.entries.values()) {
        central.push(await this.#writeEntry(w, entry));
      }
      const cdOffset = w.position;
      for (const rec of central) await w.write(centralHeader(rec));
      const cdSize = w.position - cdOffset;
      await w.write(endRecords(central.length, cdSize, cdOffset, w.position));
      await w.flush();
      out.close();
      await Deno.rename(tmp, this.path);
      renamed = true;
    } catch (e) {
      try {
        out.close();
      } catch {
        // already closed
      }
      throw ioError(e, "write", this.path);
    } finally {
      if (!renamed) {
        try {
          await Deno.remove(tmp);
        } catch {
          // never created
        }
      }
    }
    // Re-read the new archive: entries now live in the file.
    this.#closeFile();
    this.mode = "a";
    this.#opening = undefined;
    await this.ensureOpen();
  }

  async #writeEntry(w: BufferedWriter, entry: Entry): Promise<CentralRecord> {
    const offset = w.position;
    const nameBytes = new TextEncoder().encode(entry.name);
    // deno-lint-ignore no-control-regex
    const utf8 = /[^\x00-\x7f]/.test(entry.name) ? FLAG_UTF8 : 0;
    let rec: CentralRecord;
    let payload: Uint8Array | undefined;
    if (entry.kind === "mem") {
      const [time, date] = dosDateTime(entry.modified);
      let method = METHOD_STORED;
      payload = entry.data;
      if (this.compression === "deflate" && entry.data.length > 0) {
        const c = deflateSync(entry.data);
        if (c.length < entry.data.length) {
          method = METHOD_DEFLATE;
          payload = c;
        }
      }
      rec = {
        name: nameBytes,
        flags: utf8,
        method,
        time,
        date,
        crc: crc32(entry.data) >>> 0,
        csize: payload.length,
        usize: entry.data.length,
        offset,
        externalAttr: (0o100644 << 16) >>> 0,
      };
    } else {
      rec = {
        name: nameBytes,
        flags: (entry.flags & ~FLAG_DESCRIPTOR) | utf8,
        method: entry.method,
        time: entry.time,
        date: entry.date,
        crc: entry.crc,
        csize: entry.csize,
        usize: entry.usize,
        offset,
        externalAttr: entry.externalAttr,
      };
    }
    await w.write(localHeader(rec));
    if (payload !== undefined) {
      await w.write(payload);
    } else if (entry.kind === "file") {
      const src = await this.#dataOffset(entry);
      for (let done = 0; done < entry.csize;) {
        const n = Math.min(COPY_CHUNK, entry.csize - done);
        await w.write(await this.#readAt(src + done, n, entry.name));
        done += n;
      }
    }
    return rec;
  }

  #closeFile(): void {
    if (this.#file !== undefined) {
      try {
        this.#file.close();
      } catch {
        // already closed
      }
      this.#file = undefined;
    }
  }

  /** Flushes pending writes and releases the file; a later operation re-opens it. */
  async close(): Promise<void> {
    if (this.#opening === undefined) return;
    try {
      await this.#opening;
    } catch {
      this.#opening = undefined;
      return;
    }
    await this.flush();
    this.#closeFile();
    this.entries = new Map();
    this.#opening = undefined;
    if (this.mode === "w") this.mode = "a";
  }
}

/**
 * A store inside one zip file. Keys are exactly the entry names inside the zip (a zip made
 * from a parent folder has keys like `"data.zarr/zarr.json"`); directory entries (names
 * ending in `/`) are not keys but show up as children in `listDir`.
 *
 * Open it with `await ZipStore.open(path, options)`, or with `new ZipStore(path, options)`,
 * which opens lazily on first use (errors such as a missing file then surface from that first
 * call). Writes stay in memory until `flush()` or `close()` writes the archive (a temporary file
 * in the same directory renamed over `path`), so **call `close()` after writing**. After
 * `close()` the store can still be used: it re-opens the file it wrote. Closing twice is fine.
 * Views from `withReadOnly` share the same archive state (closing one closes it for all).
 * Do not call `close()` while other operations on the store are still in flight. Only one
 * process should write a given zip file at a time (the last `close()` wins).
 *
 * @example
 * ```ts
 * import { ZipStore } from "./zip.ts";
 * const path = `${await Deno.makeTempDir()}/a.zip`;
 * const store = new ZipStore(path, { mode: "w" });
 * await store.set("a/c/0", new Uint8Array([1, 2, 3]));
 * await store.close();
 * const again = await ZipStore.open(path, { mode: "a" });
 * await again.set("a/c/1", new Uint8Array([4]));
 * await again.close(); // rewrites the archive with both keys
 * ```
 */
export class ZipStore implements Store {
  /** True when the store refuses writes. */
  readonly readOnly: boolean;
  /** Always true. */
  readonly supportsWrites = true;
  /** True unless the store is read-only. */
  readonly supportsDeletes: boolean;
  /** Always true. */
  readonly supportsListing = true;
  /** `"ZipStore"`. */
  readonly typeName = "ZipStore";
  /** Always true. */
  readonly supportsConsolidatedMetadata = true;
  readonly #zip: ZipArchive;

  /**
   * Creates the store without touching the file; it is opened on first use.
   *
   * @param path path (or `file:` URL) of the zip file
   * @param options `mode`, `readOnly`, `compression`
   */
  constructor(path: string | URL, options: ZipStoreOptions = {}) {
    const shared = adopting;
    adopting = undefined;
    if (shared !== undefined) {
      this.#zip = shared;
    } else {
      const mode = options.mode ?? "a";
      if (mode !== "r" && mode !== "w" && mode !== "a") {
        throw new ZarrValueError(`ZipStore mode must be "r", "w" or "a", got '${String(mode)}'`);
      }
      const compression = options.compression ?? "stored";
      if (compression !== "stored" && compression !== "deflate") {
        throw new ZarrValueError(
          `ZipStore compression must be "stored" or "deflate", got '${String(compression)}'`,
        );
      }
      this.#zip = new ZipArchive(normalizePath(path), mode, compression);
    }
    this.readOnly = options.readOnly ?? this.#zip.mode === "r";
    this.supportsDeletes = !this.readOnly;
  }

  /**
   * Opens a zip store now (so a missing or corrupt file fails here).
   *
   * @example
   * ```ts
   * import { ZipStore } from "./zip.ts";
   * const store = await ZipStore.open("../shared/fixtures/v2-zarr-python-2.13/data.zarr.zip", {
   *   mode: "r",
   * });
   * console.log((await store.get(".zgroup")) !== undefined); // true
   * ```
   */
  static async open(path: string | URL, options: ZipStoreOptions = {}): Promise<ZipStore> {
    const store = new ZipStore(path, options);
    await store.#zip.ensureOpen();
    return store;
  }

  /** Absolute path of the zip file. */
  get path(): string {
    return this.#zip.path;
  }

  /** The mode the archive was opened with (`"a"` once a `"w"` archive has been written). */
  get mode(): ZipMode {
    return this.#zip.mode;
  }

  async #ready(): Promise<ZipArchive> {
    await this.#zip.ensureOpen();
    return this.#zip;
  }

  #checkWritable(op: string, key: string): void {
    if (this.readOnly) {
      throw new ReadOnlyError(`ZipStore '${this.#zip.path}' is read-only: cannot ${op} '${key}'`);
    }
  }

  /** Bytes of `key` (or a range of them); `undefined` when missing. */
  async get(key: string, range?: RangeRequest): Promise<Uint8Array | undefined> {
    if (typeof key !== "string") throw new ZarrTypeError("store key must be a string");
    // Archive names like "../x" or "/abs" are never served as keys ("d/" names a directory
    // entry: validated without its slash, then answered with undefined below).
    validateKey(key.endsWith("/") ? key.slice(0, -1) : key);
    if (range !== undefined) normalizeRange(range, 0, key);
    const zip = await this.#ready();
    const entry = zip.entries.get(key);
    if (entry === undefined || key.endsWith("/")) return undefined;
    return await zip.read(entry, range);
  }

  /** Adds or replaces `key` (in memory until `flush`/`close`; the array is kept, not copied). */
  async set(key: string, value: Uint8Array): Promise<void> {
    this.#checkWritable("set", key);
    validateKey(key);
    checkValue(key, value);
    const zip = await this.#ready();
    await zip.lock.run(() => {
      zip.entries.set(key, { kind: "mem", name: key, data: value, modified: new Date() });
      zip.dirty = true;
      return Promise.resolve();
    });
  }

  /** Adds `key` unless it exists. */
  async setIfNotExists(key: string, value: Uint8Array): Promise<void> {
    this.#checkWritable("set", key);
    validateKey(key);
    checkValue(key, value);
    const zip = await this.#ready();
    await zip.lock.run(() => {
      if (!zip.entries.has(key)) {
        zip.entries.set(key, { kind: "mem", name: key, data: value, modified: new Date() });
        zip.dirty = true;
      }
      return Promise.resolve();
    });
  }

  /** Removes `key` (no error when missing); the archive is rewritten on `flush`/`close`. */
  async delete(key: string): Promise<void> {
    this.#checkWritable("delete", key);
    const zip = await this.#ready();
    await zip.lock.run(() => {
      if (!key.endsWith("/") && zip.entries.delete(key)) zip.dirty = true;
      return Promise.resolve();
    });
  }

  /** Removes every entry under `prefix/` (everything when `prefix` is `""`). */
  async deleteDir(prefix: string): Promise<void> {
    this.#checkWritable("delete", prefix);
    const p = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
    const zip = await this.#ready();
    await zip.lock.run(() => {
      const dir = p === "" ? "" : p + "/";
      for (const name of [...zip.entries.keys()]) {
        if (name.startsWith(dir)) {
          zip.entries.delete(name);
          zip.dirty = true;
        }
      }
      return Promise.resolve();
    });
  }

  /** Whether `key` exists. */
  async exists(key: string): Promise<boolean> {
    const zip = await this.#ready();
    return !key.endsWith("/") && zip.entries.has(key);
  }

  /** Uncompressed size of `key`, `undefined` when missing. */
  async getSize(key: string): Promise<number | undefined> {
    const zip = await this.#ready();
    const e = zip.entries.get(key);
    if (e === undefined || key.endsWith("/")) return undefined;
    return e.kind === "mem" ? e.data.length : e.usize;
  }

  /** Every key, in archive order. */
  async *list(): AsyncIterable<string> {
    const zip = await this.#ready();
    for (const name of [...zip.entries.keys()]) if (isKeyName(name)) yield name;
  }

  /** Every key that starts with `prefix`. */
  async *listPrefix(prefix: string): AsyncIterable<string> {
    const zip = await this.#ready();
    for (const name of [...zip.entries.keys()]) {
      if (isKeyName(name) && name.startsWith(prefix)) yield name;
    }
  }

  /** Names of the immediate children of `prefix` (keys, sub-prefixes, directory entries). */
  async *listDir(prefix: string): AsyncIterable<string> {
    const p = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
    const dir = p === "" ? "" : p + "/";
    const zip = await this.#ready();
    const seen = new Set<string>();
    for (const name of [...zip.entries.keys()]) {
      if (!name.startsWith(dir) || !(isKeyName(name) || isKeyName(name.slice(0, -1)))) continue;
      const rest = name.slice(dir.length);
      const i = rest.indexOf("/");
      const child = i < 0 ? rest : rest.slice(0, i);
      if (child === "" || seen.has(child)) continue;
      seen.add(child);
      yield child;
    }
  }

  /** A view sharing this archive with the given read-only flag. */
  withReadOnly(readOnly: boolean): ZipStore {
    adopting = this.#zip;
    return new ZipStore(this.#zip.path, { readOnly });
  }

  /** Writes pending changes to the zip file now (temporary file + rename); stays open. */
  async flush(): Promise<void> {
    const zip = await this.#ready();
    await zip.lock.run(() => zip.flush());
  }

  /** Writes pending changes and releases the file. Safe to call more than once. */
  async close(): Promise<void> {
    const zip = this.#zip;
    await zip.lock.run(() => zip.close());
  }

  /** `zip://<path>`. */
  toString(): string {
    return `zip://${this.#zip.path}`;
  }
}

let adopting: ZipArchive | undefined;

// ---------------------------------------------------------------------------------------------
// Reading the central directory

async function readExactly(file: Deno.FsFile, pos: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await file.seek(pos, Deno.SeekMode.Start);
  let n = 0;
  while (n < length) {
    const r = await file.read(out.subarray(n));
    if (r === null) break;
    n += r;
  }
  return n === length ? out : out.subarray(0, n);
}

async function parseCentralDirectory(
  file: Deno.FsFile,
  size: number,
  path: string,
): Promise<Map<string, Entry>> {
  const bad = (why: string) => new ZarrValueError(`'${path}' is not a valid zip file: ${why}`);
  if (size < 22) throw bad("too short");
  const tailLen = Math.min(size, 22 + 0xffff);
  const tailPos = size - tailLen;
  const tail = await readExactly(file, tailPos, tailLen);
  const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === SIG_EOCD && i + 22 + tv.getUint16(i + 20, true) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad("end of central directory record not found");
  const eocdPos = tailPos + eocd;
  if (tv.getUint16(eocd + 4, true) !== 0 || tv.getUint16(eocd + 6, true) !== 0) {
    throw bad("multi-disk archives are not supported");
  }
  let count = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  let concat = eocdPos - cdSize - cdOffset;
  if (eocdPos >= 20) {
    const loc = await readExactly(file, eocdPos - 20, 20);
    const lv = new DataView(loc.buffer, loc.byteOffset, loc.byteLength);
    if (loc.length === 20 && lv.getUint32(0, true) === SIG_EOCD64_LOC) {
      const recPos = Number(lv.getBigUint64(8, true));
      // The record sits right before the locator; `recPos` may be shifted by leading bytes.
      const at = eocdPos - 20 - 56;
      if (at < 0) throw bad("bad ZIP64 end of central directory locator");
      const rec = await readExactly(file, at, 56);
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      if (rec.length !== 56 || rv.getUint32(0, true) !== SIG_EOCD64) {
        throw bad(`ZIP64 end of central directory record not found (at ${recPos})`);
      }
      count = safeNumber(rv.getBigUint64(32, true), bad);
      cdSize = safeNumber(rv.getBigUint64(40, true), bad);
      cdOffset = safeNumber(rv.getBigUint64(48, true), bad);
      concat = at - cdSize - cdOffset;
    }
  }
  if (concat < 0) throw bad("central directory offset is out of range");
  const cdPos = cdOffset + concat;
  if (cdPos + cdSize > size) throw bad("central directory runs past the end of the file");
  if (count * 46 > cdSize) throw bad("entry count does not fit the central directory");
  const cd = await readExactly(file, cdPos, cdSize);
  if (cd.length !== cdSize) throw bad("truncated central directory");
  const v = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const entries = new Map<string, Entry>();
  const utf8 = new TextDecoder("utf-8", { fatal: false });
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== SIG_CENTRAL) {
      throw bad(`bad central directory entry #${n}`);
    }
    const flags = v.getUint16(p + 8, true);
    const method = v.getUint16(p + 10, true);
    const time = v.getUint16(p + 12, true);
    const date = v.getUint16(p + 14, true);
    const crc = v.getUint32(p + 16, true);
    let csize = v.getUint32(p + 20, true);
    let usize = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    const externalAttr = v.getUint32(p + 38, true);
    let headerOffset = v.getUint32(p + 42, true);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cd.length) throw bad(`central directory entry #${n} runs past its end`);
    const rawName = cd.subarray(p + 46, p + 46 + nameLen);
    const name = flags & FLAG_UTF8 ? utf8.decode(rawName) : decodeCp437(rawName);
    // ZIP64 extended information: only the fields whose 32-bit value is saturated, in order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = v.getUint16(e, true);
      const len = v.getUint16(e + 2, true);
      if (e + 4 + len > extraEnd) break;
      if (id === 0x0001) {
        let q = e + 4;
        const next = () => {
          if (q + 8 > e + 4 + len) throw bad(`truncated ZIP64 field for '${name}'`);
          const x = safeNumber(v.getBigUint64(q, true), bad);
          q += 8;
          return x;
        };
        if (usize === U32) usize = next();
        if (csize === U32) csize = next();
        if (headerOffset === U32) headerOffset = next();
      }
      e += 4 + len;
    }
    headerOffset += concat;
    if (headerOffset + 30 > size || headerOffset + csize > size) {
      throw bad(`entry '${name}' lies outside the file`);
    }
    entries.set(name, {
      kind: "file",
      name,
      flags,
      method,
      time,
      date,
      crc,
      csize,
      usize,
      headerOffset,
      externalAttr,
    });
    p = end;
  }
  return entries;
}

function safeNumber(x: bigint, bad: (why: string) => Error): number {
  if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw bad("size or offset too large");
  return Number(x);
}

const CP437_HIGH = "\u00c7\u00fc\u00e9\u00e2\u00e4\u00e0\u00e5\u00e7\u00ea\u00eb\u00e8\u00ef" +
  "\u00ee\u00ec\u00c4\u00c5\u00c9\u00e6\u00c6\u00f4\u00f6\u00f2\u00fb\u00f9\u00ff\u00d6\u00dc" +
  "\u00a2\u00a3\u00a5\u20a7\u0192\u00e1\u00ed\u00f3\u00fa\u00f1\u00d1\u00aa\u00ba\u00bf\u2310" +
  "\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555" +
  "\u2563\u2551\u2557\u255d\u255c\u255b\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f" +
  "\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553" +
  "\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580\u03b1\u00df\u0393\u03c0\u03a3\u03c3" +
  "\u00b5\u03c4\u03a6\u0398\u03a9\u03b4\u221e\u03c6\u03b5\u2229\u2261\u00b1\u2265\u2264\u2320" +
  "\u2321\u00f7\u2248\u00b0\u2219\u00b7\u221a\u207f\u00b2\u25a0\u00a0";

/** Decodes a zip name without the UTF-8 flag as code page 437, like Python's zipfile. */
function decodeCp437(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

// ---------------------------------------------------------------------------------------------
// Writing

interface CentralRecord {
  name: Uint8Array;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
  externalAttr: number;
}

function localHeader(r: CentralRecord): Uint8Array {
  const zip64 = r.usize >= U32 || r.csize >= U32;
  const extraLen = zip64 ? 20 : 0;
  const b = new Uint8Array(30 + r.name.length + extraLen);
  const v = new DataView(b.buffer);
  v.setUint32(0, SIG_LOCAL, true);
  v.setUint16(4, zip64 ? 45 : 20, true);
  v.setUint16(6, r.flags, true);
  v.setUint16(8, r.method, true);
  v.setUint16(10, r.time, true);
  v.setUint16(12, r.date, true);
  v.setUint32(14, r.crc, true);
  v.setUint32(18, zip64 ? U32 : r.csize, true);
  v.setUint32(22, zip64 ? U32 : r.usize, true);
  v.setUint16(26, r.name.length, true);
  v.setUint16(28, extraLen, true);
  b.set(r.name, 30);
  if (zip64) {
    const e = 30 + r.name.length;
    v.setUint16(e, 0x0001, true);
    v.setUint16(e + 2, 16, true);
    v.setBigUint64(e + 4, BigInt(r.usize), true);
    v.setBigUint64(e + 12, BigInt(r.csize), true);
  }
  return b;
}

function centralHeader(r: CentralRecord): Uint8Array {
  const big: number[] = [];
  if (r.usize >= U32) big.push(r.usize);
  if (r.csize >= U32) big.push(r.csize);
  if (r.offset >= U32) big.push(r.offset);
  const extraLen = big.length ? 4 + 8 * big.length : 0;
  const version = big.length ? 45 : 20;
  const b = new Uint8Array(46 + r.name.length + extraLen);
  const v = new DataView(b.buffer);
  v.setUint32(0, SIG_CENTRAL, true);
  v.setUint16(4, (3 << 8) | version, true); // made by: Unix
  v.setUint16(6, version, true);
  v.setUint16(8, r.flags, true);
  v.setUint16(10, r.method, true);
  v.setUint16(12, r.time, true);
  v.setUint16(14, r.date, true);
  v.setUint32(16, r.crc, true);
  v.setUint32(20, r.csize >= U32 ? U32 : r.csize, true);
  v.setUint32(24, r.usize >= U32 ? U32 : r.usize, true);
  v.setUint16(28, r.name.length, true);
  v.setUint16(30, extraLen, true);
  v.setUint16(32, 0, true); // comment
  v.setUint16(34, 0, true); // disk
  v.setUint16(36, 0, true); // internal attributes
  v.setUint32(38, r.externalAttr, true);
  v.setUint32(42, r.offset >= U32 ? U32 : r.offset, true);
  b.set(r.name, 46);
  if (big.length) {
    let e = 46 + r.name.length;
    v.setUint16(e, 0x0001, true);
    v.setUint16(e + 2, 8 * big.length, true);
    e += 4;
    for (const x of big) {
      v.setBigUint64(e, BigInt(x), true);
      e += 8;
    }
  }
  return b;
}

function endRecords(count: number, cdSize: number, cdOffset: number, pos: number): Uint8Array {
  const zip64 = count >= U16 || cdSize >= U32 || cdOffset >= U32;
  const b = new Uint8Array((zip64 ? 56 + 20 : 0) + 22);
  const v = new DataView(b.buffer);
  let e = 0;
  if (zip64) {
    v.setUint32(0, SIG_EOCD64, true);
    v.setBigUint64(4, 44n, true); // size of the rest of this record
    v.setUint16(12, (3 << 8) | 45, true);
    v.setUint16(14, 45, true);
    v.setUint32(16, 0, true);
    v.setUint32(20, 0, true);
    v.setBigUint64(24, BigInt(count), true);
    v.setBigUint64(32, BigInt(count), true);
    v.setBigUint64(40, BigInt(cdSize), true);
    v.setBigUint64(48, BigInt(cdOffset), true);
    v.setUint32(56, SIG_EOCD64_LOC, true);
    v.setUint32(60, 0, true);
    v.setBigUint64(64, BigInt(pos), true);
    v.setUint32(72, 1, true);
    e = 76;
  }
  v.setUint32(e, SIG_EOCD, true);
  v.setUint16(e + 4, 0, true);
  v.setUint16(e + 6, 0, true);
  v.setUint16(e + 8, Math.min(count, U16), true);
  v.setUint16(e + 10, Math.min(count, U16), true);
  v.setUint32(e + 12, Math.min(cdSize, U32), true);
  v.setUint32(e + 16, Math.min(cdOffset, U32), true);
  v.setUint16(e + 20, 0, true);
  return b;
}

/** DOS [time, date] in local time, clamped to the DOS epoch (1980). */
function dosDateTime(d: Date): [number, number] {
  if (d.getFullYear() < 1980) return [0, (1 << 5) | 1];
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  const date = ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return [time, date];
}

/** Coalesces small writes (headers) into 1 MiB blocks; large payloads go straight through. */
class BufferedWriter {
  #file: Deno.FsFile;
  #buf = new Uint8Array(1 << 20);
  #used = 0;
  position = 0;

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  async write(data: Uint8Array): Promise<void> {
    this.position += data.length;
    if (this.#used + data.length <= this.#buf.length) {
      this.#buf.set(data, this.#used);
      this.#used += data.length;
      return;
    }
    await this.flush();
    if (data.length <= this.#buf.length / 2) {
      this.#buf.set(data);
      this.#used = data.length;
    } else {
      await writeAll(this.#file, data);
    }
  }

  async flush(): Promise<void> {
    if (this.#used > 0) {
      await writeAll(this.#file, this.#buf.subarray(0, this.#used));
      this.#used = 0;
    }
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let n = 0;
  while (n < data.length) n += await file.write(data.subarray(n));
}

function normalizePath(path: string | URL): string {
  let p: string;
  if (path instanceof URL) {
    if (path.protocol !== "file:") {
      throw new ZarrValueError(`ZipStore needs a file path or file: URL, got '${path.href}'`);
    }
    p = fileURLToPath(path);
  } else if (typeof path === "string") {
    p = /^file:\/\//i.test(path) ? fileURLToPath(path) : path;
  } else {
    throw new ZarrTypeError(`ZipStore path must be a string or URL, got ${typeof path}`);
  }
  if (p === "" || p.includes("\0")) throw new ZarrValueError(`invalid zip file path '${p}'`);
  return resolvePath(p);
}

function ioError(e: unknown, op: string, path: string): Error {
  if (e instanceof ZarrError) return e;
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return new ZarrError(`ZipStore: permission denied to ${op} '${path}'`, { cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ZarrError(`ZipStore: cannot ${op} '${path}': ${msg}`, { cause: e });
}

function randomHex16(): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
