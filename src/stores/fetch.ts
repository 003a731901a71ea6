/**
 * `FetchStore`: a read-only store over HTTP(S) (zarrita.js' `FetchStore`, zarr-python's
 * `FsspecStore` over `http://`). Keys map to URLs under a base URL; reads use `Range`
 * requests; 404, 403 and 410 mean a missing key; transient failures are retried.
 *
 * @example
 * ```ts
 * import { FetchStore } from "./fetch.ts";
 * const store = new FetchStore("https://example.org/data.zarr", { headers: { "X-Token": "t" } });
 * const meta = await store.get("zarr.json");
 * const tail = await store.get("a/c/0/0", { suffix: 16 });
 * ```
 * @module
 */
import { InvalidKeyError, NotImplementedError, ReadOnlyError, ZarrTypeError } from "../errors.ts";
import { ZarrValueError } from "../errors.ts";
import { normalizeDirPrefix, normalizeRange, validateKey, validateListPrefix } from "./common.ts";
import {
  declaredLength,
  discard,
  encodeKey,
  HttpEngine,
  type HttpStoreOptions,
  isEmptyRange,
  parseContentRange,
  rangeHeader,
  readRangeResponse,
  type RequestStats,
} from "./http.ts";
import { RemoteStoreError } from "./retry.ts";
import type { RangeRequest, Store } from "./types.ts";

/** Options of {@link FetchStore}. */
export interface FetchStoreOptions extends HttpStoreOptions {
  /** Headers sent with every request (authorization tokens, ...). */
  headers?: HeadersInit;
  /** Refuse writes with `ReadOnlyError` (default true). Writes never work over plain HTTP. */
  readOnly?: boolean;
  /**
   * Where the server offers no listing: a function returning every key of the store (from a
   * manifest, say). Without it, `list*` raise `NotImplementedError`; reading consolidated
   * metadata needs no listing.
   */
  listKeys?: () =>
    | Iterable<string>
    | AsyncIterable<string>
    | Promise<Iterable<string> | AsyncIterable<string>>;
  /**
   * Send suffix ranges as `Range: bytes=-n` (default true). With false, a suffix read first
   * asks the size (HEAD) and then sends an explicit range, for servers without suffix support.
   */
  useSuffixRequest?: boolean;
}

interface Shared {
  engine: HttpEngine;
  base: string; // origin + path ending in "/"
  search: string;
  headers: Headers;
  listKeys?: FetchStoreOptions["listKeys"];
  useSuffix: boolean;
}

const SHARED = Symbol("FetchStore.shared");
const MISSING = new Set([403, 404, 410]);

/**
 * A read-only store over HTTP(S). Every key is a URL under the base URL (`<base>/<key>`, each
 * path segment percent-encoded; a query string of the base URL, such as a token, is kept on
 * every request).
 *
 * - `get` with ranges (`{offset, length}`, `{offset}`, `{suffix}`); a 200 answer to a range
 *   request (the server ignores `Range`) is read only as far as needed; body length is
 *   checked against `Content-Length` / `Content-Range`, and short bodies are retried.
 * - 404, 403 and 410 mean "missing" (`undefined` / `false`).
 * - `exists` and `getSize` use HEAD; without a `Content-Length` the size comes from a
 *   one-byte range request (`Content-Range: bytes 0-0/<size>`), never from a download.
 * - Retries with exponential backoff and full jitter on 5xx (but 501/505), 429 (honouring
 *   `Retry-After`), 408, network errors, timeouts and truncated bodies; after the budget a
 *   `RemoteStoreError` naming the URL.
 * - At most `concurrency` requests in flight (default 16); `signal` aborts everything.
 * - Listing only with the `listKeys` option; writes raise `ReadOnlyError` (or
 *   `NotImplementedError` when opened with a writing mode).
 *
 * @example
 * ```ts
 * import { FetchStore } from "./fetch.ts";
 * const ac = new AbortController();
 * const store = new FetchStore("https://example.org/data.zarr?token=abc", {
 *   retry: { retries: 3, baseDelayMs: 200 },
 *   concurrency: 8,
 *   signal: ac.signal,
 * });
 * console.log(String(store)); // "https://example.org/data.zarr/?token=abc"
 * ```
 */
export class FetchStore implements Store {
  /** True unless constructed with `readOnly: false` (writes fail either way). */
  readonly readOnly: boolean;
  /** Always false: HTTP stores cannot write. */
  readonly supportsWrites = false;
  /** Always false. */
  readonly supportsDeletes = false;
  /** True when a `listKeys` function was given. */
  readonly supportsListing: boolean;
  /** `"FetchStore"`. */
  readonly typeName = "FetchStore";
  /** Remote: metadata lookups ask for `zarr.json` first instead of three documents at once. */
  readonly remote = true;
  /** Always true (consolidated metadata is how HTTP stores avoid listing). */
  readonly supportsConsolidatedMetadata = true;
  readonly #s: Shared;

  /**
   * @param url base URL (`http:` or `https:`), as a string or `URL`; user info
   *   (`https://user:pass@host/`) becomes a Basic `Authorization` header
   * @param options headers, listing, retry budget, concurrency, timeout, signal, fetch
   */
  constructor(url: string | URL, options: FetchStoreOptions = {}) {
    const shared = (options as { [SHARED]?: Shared })[SHARED];
    this.readOnly = options.readOnly ?? true;
    if (shared !== undefined) {
      this.#s = shared;
    } else {
      this.#s = makeShared(url, options);
    }
    this.supportsListing = this.#s.listKeys !== undefined;
  }

  /** The base URL (ending in `/`, with the query string, if any). */
  get url(): string {
    return this.#s.base + this.#s.search;
  }

  /** Request counters, shared with the views from {@link withReadOnly}. */
  get stats(): RequestStats {
    return this.#s.engine.stats;
  }

  /**
   * The URL of a key.
   *
   * @example
   * ```ts
   * import { FetchStore } from "./fetch.ts";
   * new FetchStore("http://h/d.zarr").keyUrl("a b/zarr.json"); // "http://h/d.zarr/a%20b/zarr.json"
   * ```
   */
  keyUrl(key: string): string {
    return this.#s.base + encodeKey(key) + this.#s.search;
  }

  #headers(range?: RangeRequest): Headers {
    const h = new Headers(this.#s.headers);
    if (range !== undefined) {
      h.set("Range", rangeHeader(range));
    }
    return h;
  }

  /** Bytes of `key` (or a range of them); `undefined` when the server says 404/403/410. */
  async get(key: string, range?: RangeRequest): Promise<Uint8Array | undefined> {
    validateKey(key);
    if (range !== undefined) normalizeRange(range, Number.MAX_SAFE_INTEGER, key);
    if (isEmptyRange(range)) return (await this.exists(key)) ? new Uint8Array(0) : undefined;
    if (range !== undefined && "suffix" in range && !this.#s.useSuffix) {
      const size = await this.getSize(key);
      if (size === undefined) return undefined;
      const [start, end] = normalizeRange(range, size, key);
      if (start === end) return new Uint8Array(0);
      range = { offset: start, length: end - start };
    }
    const url = this.keyUrl(key);
    const ctx = { url, key, stats: this.#s.engine.stats };
    return await this.#s.engine.run(
      { method: "GET", url, key },
      (signal) => new Request(url, { headers: this.#headers(range), signal }),
      async (res) => {
        if (MISSING.has(res.status)) {
          await discard(res);
          return undefined;
        }
        if (res.status === 200 || res.status === 206 || (res.status === 416 && range)) {
          return await readRangeResponse(res, range, ctx);
        }
        await discard(res);
        throw unexpected("GET", url, key, res);
      },
    );
  }

  /** Whether `key` exists (HEAD; servers refusing HEAD get a one-byte GET). */
  async exists(key: string): Promise<boolean> {
    validateKey(key);
    const info = await this.#head(key);
    return info !== undefined;
  }

  /**
   * Size of `key` in bytes, `undefined` when missing: `Content-Length` of a HEAD, else the
   * total of a one-byte range request's `Content-Range`.
   */
  async getSize(key: string): Promise<number | undefined> {
    validateKey(key);
    const info = await this.#head(key);
    if (info === undefined) return undefined;
    if (info.size !== undefined) return info.size;
    return await this.#probeSize(key);
  }

  async #head(key: string): Promise<{ size?: number } | undefined> {
    const url = this.keyUrl(key);
    const r = await this.#s.engine.run(
      { method: "HEAD", url, key },
      (signal) => new Request(url, { method: "HEAD", headers: this.#headers(), signal }),
      async (res) => {
        await discard(res);
        if (MISSING.has(res.status)) return undefined;
        if (res.status === 405 || res.status === 501) return "no-head" as const;
        if (res.ok) return { size: declaredLength(res) };
        throw unexpected("HEAD", url, key, res);
      },
    );
    if (r !== "no-head") return r;
    const size = await this.#probeSize(key);
    return size === undefined ? undefined : { size };
  }

  /** Size from a `Range: bytes=0-0` request, `undefined` when missing. */
  async #probeSize(key: string): Promise<number | undefined> {
    const url = this.keyUrl(key);
    return await this.#s.engine.run(
      { method: "GET", url, key },
      (signal) => new Request(url, { headers: this.#headers({ offset: 0, length: 1 }), signal }),
      async (res) => {
        await discard(res);
        if (MISSING.has(res.status)) return undefined;
        if (res.status === 206 || res.status === 416) {
          const total = parseContentRange(res.headers.get("content-range"))?.total;
          if (total !== undefined) return total;
          if (res.status === 416) return 0;
        }
        if (res.status === 200) {
          const n = declaredLength(res);
          if (n !== undefined) return n;
        }
        if (res.status === 200 || res.status === 206) {
          throw new RemoteStoreError(
            `FetchStore: cannot tell the size of ${url} without downloading it: the server ` +
              `sent neither Content-Length nor a Content-Range total`,
            { url, key, status: res.status },
          );
        }
        throw unexpected("GET", url, key, res);
      },
    );
  }

  #refuse(op: string, key: string): Promise<never> {
    const where = `'${key}' at ${this.url}`;
    return Promise.reject(
      this.readOnly
        ? new ReadOnlyError(`FetchStore is read-only: cannot ${op} ${where}`)
        : new NotImplementedError(`FetchStore cannot ${op} ${where}: HTTP stores are read-only`),
    );
  }

  /** Refused: `ReadOnlyError` (or `NotImplementedError` for a store opened for writing). */
  set(key: string, _value: Uint8Array): Promise<void> {
    return this.#refuse("set", key);
  }

  /** Refused like {@link set}. */
  setIfNotExists(key: string, _value: Uint8Array): Promise<void> {
    return this.#refuse("set", key);
  }

  /** Refused like {@link set}. */
  delete(key: string): Promise<void> {
    return this.#refuse("delete", key);
  }

  /** Refused like {@link set}. */
  deleteDir(prefix: string): Promise<void> {
    return this.#refuse("delete", prefix);
  }

  async #allKeys(): Promise<string[]> {
    const fn = this.#s.listKeys;
    if (fn === undefined) {
      throw new NotImplementedError(
        `FetchStore cannot list ${this.url}: HTTP servers offer no listing (pass 'listKeys', ` +
          `or open with consolidated metadata)`,
      );
    }
    const out: string[] = [];
    for await (const k of await fn()) {
      if (typeof k !== "string") {
        throw new ZarrTypeError(`FetchStore listKeys must yield strings, got ${typeof k}`);
      }
      out.push(k);
    }
    return out;
  }

  /** Every key (needs `listKeys`). */
  async *list(): AsyncIterable<string> {
    yield* await this.#allKeys();
  }

  /** Keys starting with `prefix` (needs `listKeys`). */
  async *listPrefix(prefix: string): AsyncIterable<string> {
    validateListPrefix(prefix);
    for (const k of await this.#allKeys()) if (k.startsWith(prefix)) yield k;
  }

  /** Immediate children of `prefix` (needs `listKeys`). */
  async *listDir(prefix: string): AsyncIterable<string> {
    const p = normalizeDirPrefix(prefix);
    const dir = p === "" ? "" : p + "/";
    const seen = new Set<string>();
    for (const k of await this.#allKeys()) {
      if (!k.startsWith(dir)) continue;
      const rest = k.slice(dir.length);
      const name = rest.split("/", 1)[0];
      if (name === "" || seen.has(name)) continue;
      seen.add(name);
      yield name;
    }
  }

  /** A view with another read-only flag, sharing headers, limits, retries and counters. */
  withReadOnly(readOnly: boolean): FetchStore {
    return new FetchStore(this.url, { readOnly, [SHARED]: this.#s } as FetchStoreOptions);
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The base URL. */
  toString(): string {
    return this.url;
  }
}

function unexpected(method: string, url: string, key: string, res: Response): RemoteStoreError {
  return new RemoteStoreError(
    `FetchStore: ${method} ${url} (key '${key}') answered HTTP ${res.status}${
      res.statusText ? " " + res.statusText : ""
    }`,
    { url, key, status: res.status },
  );
}

function makeShared(url: string | URL, options: FetchStoreOptions): Shared {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw new ZarrValueError(`FetchStore: invalid URL '${String(url)}'`, { cause: e });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new ZarrValueError(
      `FetchStore needs an http: or https: URL, got '${String(url)}'`,
    );
  }
  let headers: Headers;
  try {
    headers = new Headers(options.headers ?? {});
  } catch (e) {
    throw new ZarrTypeError(`FetchStore: invalid headers: ${(e as Error).message}`, { cause: e });
  }
  if (u.username !== "" || u.password !== "") {
    if (!headers.has("authorization")) {
      const cred = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
      const bytes = new TextEncoder().encode(cred);
      headers.set("Authorization", "Basic " + btoa(String.fromCharCode(...bytes)));
    }
    u.username = "";
    u.password = "";
  }
  // ranges refer to the stored bytes: no transparent compression
  if (!headers.has("accept-encoding")) headers.set("Accept-Encoding", "identity");
  const path = u.pathname.endsWith("/") ? u.pathname : u.pathname + "/";
  if (options.listKeys !== undefined && typeof options.listKeys !== "function") {
    throw new ZarrTypeError("FetchStore option 'listKeys' must be a function");
  }
  for (const seg of path.split("/")) {
    if (seg === ".." || seg === "%2e%2e" || seg === "%2E%2E") {
      throw new InvalidKeyError(`FetchStore: '..' in base URL '${String(url)}'`);
    }
  }
  return {
    engine: new HttpEngine("FetchStore", options),
    base: u.origin + path,
    search: u.search,
    headers,
    listKeys: options.listKeys,
    useSuffix: options.useSuffixRequest ?? true,
  };
}

const FETCH_OPTION_KEYS = [
  "headers",
  "retry",
  "concurrency",
  "timeoutMs",
  "signal",
  "fetch",
  "listKeys",
  "useSuffixRequest",
] as const;

/**
 * Turns `storageOptions` (of `open`, `resolveStore`, ...) into {@link FetchStoreOptions};
 * unknown keys raise `ZarrTypeError`.
 *
 * @example
 * ```ts
 * import { fetchStoreOptionsFrom } from "./fetch.ts";
 * fetchStoreOptionsFrom({ headers: { Authorization: "Bearer x" }, retry: { retries: 2 } });
 * ```
 */
export function fetchStoreOptionsFrom(
  storageOptions: Record<string, unknown> | undefined,
): FetchStoreOptions {
  const so = storageOptions ?? {};
  const unknown = Object.keys(so).filter((k) =>
    !(FETCH_OPTION_KEYS as readonly string[]).includes(k)
  );
  if (unknown.length > 0) {
    throw new ZarrTypeError(
      `unknown storageOptions for http(s):// stores: ${unknown.join(", ")} (accepted: ${
        FETCH_OPTION_KEYS.join(", ")
      })`,
    );
  }
  return { ...so } as FetchStoreOptions;
}
