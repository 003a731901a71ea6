/**
 * Helpers shared by the stores: byte-range normalization (Python slicing / HTTP clamping),
 * key and prefix validation, and small utilities for listing.
 *
 * @example
 * ```ts
 * import { normalizeRange, validateKey } from "./common.ts";
 * validateKey("a/c/0/1"); // ok
 * console.log(normalizeRange({ suffix: 4 }, 10)); // [6, 10]
 * ```
 * @module
 */
import { InvalidKeyError, ZarrTypeError, ZarrValueError } from "../errors.ts";
import type { RangeRequest } from "./types.ts";

/**
 * Resolves a {@link RangeRequest} against an object of `size` bytes into `[start, end)`,
 * clamped like Python slicing and HTTP ranges: an offset past the end gives an empty range,
 * a length running past the end is cut, a suffix longer than the object gives all of it.
 * Negative or non-integer numbers raise `ZarrValueError` (naming `key` when given).
 *
 * @example
 * ```ts
 * import { normalizeRange } from "./common.ts";
 * normalizeRange({ offset: 2, length: 3 }, 10); // [2, 5]
 * normalizeRange({ offset: 8 }, 10); // [8, 10]
 * normalizeRange({ offset: 20, length: 3 }, 10); // [10, 10]
 * ```
 */
export function normalizeRange(
  range: RangeRequest | undefined,
  size: number,
  key?: string,
): [number, number] {
  if (range === undefined) return [0, size];
  const where = key === undefined ? "" : ` for key '${key}'`;
  const check = (name: string, v: unknown) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      throw new ZarrValueError(
        `invalid byte range${where}: ${name} must be a non-negative integer, got ${String(v)}`,
      );
    }
  };
  if (range === null || typeof range !== "object" || !("offset" in range || "suffix" in range)) {
    throw new ZarrValueError(`invalid byte range${where}: ${JSON.stringify(range)}`);
  }
  if ("suffix" in range) {
    check("suffix", range.suffix);
    return [Math.max(0, size - range.suffix), size];
  }
  check("offset", range.offset);
  const start = Math.min(range.offset, size);
  if (range.length === undefined) return [start, size];
  check("length", range.length);
  return [start, Math.min(size, range.offset + range.length)];
}

/** True when `name` (one path segment) looks like a LocalStore temporary file. */
export function isTempName(name: string): boolean {
  return TEMP_RE.test(name);
}

const TEMP_RE = /^\..*\.[0-9a-f]{16}\.tmp$/;

/**
 * Checks a store key for path traversal and malformed segments and throws
 * `InvalidKeyError` naming the key. Refused: empty keys, a leading `/`, backslashes, NUL,
 * empty segments (`a//b`, trailing `/`), `.` and `..` segments, and names that look like
 * the stores' own temporary files (`.<name>.<16 hex>.tmp`).
 *
 * @example
 * ```ts
 * import { validateKey } from "./common.ts";
 * validateKey("a/zarr.json"); // ok
 * try { validateKey("../x"); } catch (e) { console.log((e as Error).name); } // InvalidKeyError
 * ```
 */
export function validateKey(key: string): void {
  if (typeof key !== "string") {
    throw new InvalidKeyError(`store key must be a string, got ${typeof key}`);
  }
  if (key === "") throw new InvalidKeyError("store key must not be empty");
  checkSegments(key, key, false);
}

/**
 * Validates a directory-like prefix (for `listDir` / `deleteDir`) and returns it without a
 * trailing slash; `""` (the root) is allowed.
 *
 * @example
 * ```ts
 * import { normalizeDirPrefix } from "./common.ts";
 * normalizeDirPrefix("a/b/"); // "a/b"
 * ```
 */
export function normalizeDirPrefix(prefix: string): string {
  if (typeof prefix !== "string") {
    throw new InvalidKeyError(`store prefix must be a string, got ${typeof prefix}`);
  }
  const p = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (p !== "") checkSegments(p, prefix, false);
  return p;
}

/**
 * Validates a free prefix for `listPrefix` (any string prefix of keys). Every complete
 * segment is checked like a key; the last, partial segment may be anything without `/`,
 * `\` or NUL (so `".z"` matches `".zattrs"`).
 *
 * @example
 * ```ts
 * import { validateListPrefix } from "./common.ts";
 * validateListPrefix("a/b/.z"); // ok
 * ```
 */
export function validateListPrefix(prefix: string): void {
  if (typeof prefix !== "string") {
    throw new InvalidKeyError(`store prefix must be a string, got ${typeof prefix}`);
  }
  if (prefix === "") return;
  const i = prefix.lastIndexOf("/");
  if (i >= 0) checkSegments(prefix.slice(0, i), prefix, false);
  checkSegments(prefix.slice(i + 1), prefix, true);
}

function checkSegments(path: string, shown: string, partial: boolean): void {
  const bad = (why: string) =>
    new InvalidKeyError(`invalid store key '${printable(shown)}': ${why}`);
  if (path.includes("\0")) throw bad("contains a NUL character");
  if (path.includes("\\")) throw bad("contains a backslash");
  if (partial) {
    if (path.includes("/")) throw bad("unexpected '/'");
    return;
  }
  if (path.startsWith("/")) throw bad("absolute paths are not allowed");
  const segs = path.split("/");
  for (const s of segs) {
    if (s === "") throw bad("empty path segment");
    if (s === "." || s === "..") throw bad(`'${s}' segments are not allowed`);
  }
  if (isTempName(segs[segs.length - 1])) {
    throw bad("names of the form '.<name>.<16 hex digits>.tmp' are reserved for temporary files");
  }
}

function printable(s: string): string {
  return s.replace(/\0/g, "\\0");
}

/**
 * Collects an async iterable into an array.
 *
 * @example
 * ```ts
 * import { collect } from "./common.ts";
 * import { MemoryStore } from "./memory.ts";
 * const keys = await collect(new MemoryStore().list()); // []
 * ```
 */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * Whether `storageOptions` carries any option (an empty object counts as none, like Python's
 * falsy `{}`).
 */
export function hasStorageOptions(opts: Record<string, unknown> | undefined | null): boolean {
  return opts !== undefined && opts !== null && Object.keys(opts).length > 0;
}

/**
 * Throws `ZarrTypeError` (naming the key) unless `value` is a `Uint8Array`.
 *
 * @example
 * ```ts
 * import { checkValue } from "./common.ts";
 * checkValue("k", new Uint8Array(1)); // ok
 * ```
 */
export function checkValue(key: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    const kind = value === null
      ? "null"
      : (value as { constructor?: { name?: string } })?.constructor?.name ?? typeof value;
    throw new ZarrTypeError(`store value for '${key}' must be a Uint8Array, got ${kind}`);
  }
}
