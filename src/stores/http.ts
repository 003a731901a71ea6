/**
 * The HTTP machinery shared by `FetchStore` and `S3Store`: a request engine (bounded
 * concurrency, per-attempt timeout, retries with backoff on 5xx, 429, 408, network errors and
 * truncated bodies, request statistics), `Range` headers, `Content-Range` parsing and body
 * reading with a length check.
 *
 * @example
 * ```ts
 * import { HttpEngine, rangeHeader } from "./http.ts";
 * const engine = new HttpEngine("Demo", { retry: { retries: 2 } });
 * console.log(rangeHeader({ suffix: 10 })); // "bytes=-10"
 * console.log(engine.stats.requests); // 0
 * ```
 * @module
 */
import { ZarrValueError } from "../errors.ts";
import type { RangeRequest } from "./types.ts";
import {
  backoffDelay,
  RemoteStoreError,
  resolveRetryOptions,
  RetryableError,
  retryAfterMs,
  type RetryOptions,
  Semaphore,
  sleep,
  TruncatedBodyError,
} from "./retry.ts";

/** Options shared by the remote stores. */
export interface HttpStoreOptions {
  /** Retry budget and backoff (see {@link RetryOptions}). */
  retry?: RetryOptions;
  /** Maximum number of requests in flight for this store and its views (default 16). */
  concurrency?: number;
  /** Timeout of one attempt in milliseconds, body included (default 30000; 0: none). */
  timeoutMs?: number;
  /** Aborts every request of the store (pending, in flight and future). */
  signal?: AbortSignal;
  /** The fetch function to use (default: the global `fetch`). */
  fetch?: (request: Request) => Promise<Response>;
}

/** Counters of a remote store, shared by its read-only/writable views. */
export interface RequestStats {
  /** Attempts sent (retries included). */
  requests: number;
  /** Attempts that were retries. */
  retries: number;
  /** Operations that failed (after their retries). */
  failures: number;
  /** Body bytes received. */
  bytesReceived: number;
  /** Body bytes sent. */
  bytesSent: number;
  /** Attempts by HTTP method. */
  byMethod: Record<string, number>;
}

/** What an operation is about, for messages and statistics. */
export interface RequestDescription {
  /** HTTP method. */
  method: string;
  /** The URL (for messages). */
  url: string;
  /** The store key, when there is one. */
  key?: string;
  /** Body bytes sent per attempt. */
  bodyBytes?: number;
}

/**
 * Statuses retried by the engine: 408, 429 and 5xx except 501 and 505.
 *
 * @example
 * ```ts
 * import { isRetryableStatus } from "./http.ts";
 * isRetryableStatus(503); // true
 * isRetryableStatus(501); // false
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 ||
    (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/**
 * Runs requests under one retry policy and one concurrency limit.
 *
 * @example
 * ```ts
 * import { HttpEngine } from "./http.ts";
 * const engine = new HttpEngine("Demo", { retry: { retries: 0 }, fetch: () => Promise.resolve(new Response("hi")) });
 * const text = await engine.run({ method: "GET", url: "https://h/k" }, (signal) => new Request("https://h/k", { signal }), (res) => res.text());
 * console.log(text); // "hi"
 * ```
 */
export class HttpEngine {
  /** Request counters. */
  readonly stats: RequestStats = {
    requests: 0,
    retries: 0,
    failures: 0,
    bytesReceived: 0,
    bytesSent: 0,
    byMethod: {},
  };
  /** The concurrency limiter. */
  readonly semaphore: Semaphore;
  /** The resolved retry options. */
  readonly retry: Required<RetryOptions>;
  /** Per-attempt timeout in milliseconds (0: none). */
  readonly timeoutMs: number;
  /** The store-wide abort signal. */
  readonly signal?: AbortSignal;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #name: string;

  /**
   * @param name store class name used in messages
   * @param opts retry, concurrency, timeout, signal, fetch
   */
  constructor(name: string, opts: HttpStoreOptions = {}) {
    this.#name = name;
    this.retry = resolveRetryOptions(opts.retry);
    this.semaphore = new Semaphore(opts.concurrency ?? 16);
    const t = opts.timeoutMs ?? 30_000;
    if (typeof t !== "number" || !(t >= 0)) {
      throw new ZarrValueError(`timeoutMs must be a non-negative number, got ${t}`);
    }
    this.timeoutMs = t;
    this.signal = opts.signal;
    const f = opts.fetch;
    this.#fetch = f ?? ((r: Request) => fetch(r));
  }

  /**
   * Sends the request built by `make` (called once per attempt, with the attempt's signal)
   * and passes the response to `handle`. Retryable statuses, network errors, timeouts and
   * {@link RetryableError}s from `handle` are retried with backoff; after the budget a
   * {@link RemoteStoreError} naming the URL is thrown. Other errors propagate at once. The
   * store's abort signal rejects with its reason.
   */
  async run<T>(
    what: RequestDescription,
    make: (signal: AbortSignal) => Request | Promise<Request>,
    handle: (res: Response, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const { retries } = this.retry;
    let last: { reason: string; status?: number; code?: string; cause?: unknown } = {
      reason: "no attempt made",
    };
    let attempts = 0;
    for (let attempt = 0; attempt <= retries; attempt++) {
      this.signal?.throwIfAborted();
      let waitHint: number | undefined;
      const release = await this.semaphore.acquire(this.signal);
      const ctrl = new AbortController();
      let timedOut = false;
      const timer = this.timeoutMs > 0
        ? setTimeout(() => {
          timedOut = true;
          ctrl.abort(new DOMException("attempt timed out", "TimeoutError"));
        }, this.timeoutMs)
        : undefined;
      const onAbort = () => ctrl.abort(this.signal!.reason);
      this.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        attempts++;
        const req = await make(ctrl.signal);
        this.stats.requests++;
        this.stats.byMethod[what.method] = (this.stats.byMethod[what.method] ?? 0) + 1;
        this.stats.bytesSent += what.bodyBytes ?? 0;
        let res: Response;
        try {
          res = await this.#fetch(req);
        } catch (e) {
          if (this.signal?.aborted) throw this.signal.reason;
          if (timedOut) throw new RetryableError(`timed out after ${this.timeoutMs} ms`, e);
          throw new RetryableError(`network error: ${(e as Error)?.message ?? e}`, e);
        }
        if (isRetryableStatus(res.status)) {
          waitHint = retryAfterMs(res.headers.get("retry-after"));
          const code = await errorCode(res);
          last = {
            reason: `HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}${
              code ? ` (${code})` : ""
            }`,
            status: res.status,
            code,
          };
        } else {
          return await handle(res, ctrl.signal);
        }
      } catch (e) {
        if (this.signal?.aborted) throw this.signal.reason;
        if (timedOut && !(e instanceof RetryableError)) {
          last = { reason: `timed out after ${this.timeoutMs} ms`, cause: e };
        } else if (e instanceof RetryableError) {
          last = {
            reason: e.message,
            cause: e.cause ?? e,
            status: (e.cause as RemoteStoreError)?.status,
          };
        } else {
          this.stats.failures++;
          throw e;
        }
      } finally {
        clearTimeout(timer);
        this.signal?.removeEventListener("abort", onAbort);
        release();
      }
      if (attempt < retries) {
        this.stats.retries++;
        const delay = Math.max(
          backoffDelay(attempt, this.retry),
          Math.min(waitHint ?? 0, this.retry.maxDelayMs),
        );
        await sleep(delay, this.signal);
      }
    }
    this.stats.failures++;
    const where = what.key !== undefined ? ` (key '${what.key}')` : "";
    throw new RemoteStoreError(
      `${this.#name}: ${what.method} ${what.url}${where} failed after ${attempts} attempt${
        attempts === 1 ? "" : "s"
      } (retry budget ${retries}): ${last.reason}`,
      { url: what.url, key: what.key, status: last.status, code: last.code, attempts },
      { cause: last.cause },
    );
  }
}

/** Reads the S3-style `<Code>` of an error body (and discards the body). */
async function errorCode(res: Response): Promise<string | undefined> {
  try {
    const text = await res.text();
    return /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The `Range` header value for a non-empty range request.
 *
 * @example
 * ```ts
 * import { rangeHeader } from "./http.ts";
 * rangeHeader({ offset: 10, length: 5 }); // "bytes=10-14"
 * rangeHeader({ offset: 10 }); // "bytes=10-"
 * ```
 */
export function rangeHeader(range: RangeRequest): string {
  if ("suffix" in range) return `bytes=-${range.suffix}`;
  if (range.length === undefined) return `bytes=${range.offset}-`;
  return `bytes=${range.offset}-${range.offset + range.length - 1}`;
}

/**
 * True for ranges that select no bytes at all (`length: 0`, `suffix: 0`): HTTP cannot ask
 * for those, so the stores answer them with an existence check.
 *
 * @example
 * ```ts
 * import { isEmptyRange } from "./http.ts";
 * isEmptyRange({ suffix: 0 }); // true
 * ```
 */
export function isEmptyRange(range: RangeRequest | undefined): boolean {
  if (range === undefined) return false;
  return "suffix" in range ? range.suffix === 0 : range.length === 0;
}

/** A parsed `Content-Range` header. */
export interface ContentRange {
  /** First byte, absent for `bytes *\/total`. */
  start?: number;
  /** Last byte (inclusive). */
  end?: number;
  /** Total size, absent for `/*`. */
  total?: number;
}

/**
 * Parses `Content-Range: bytes start-end/total` (total may be `*`) and `bytes *\/total`.
 *
 * @example
 * ```ts
 * import { parseContentRange } from "./http.ts";
 * parseContentRange("bytes 0-9/100"); // { start: 0, end: 9, total: 100 }
 * ```
 */
export function parseContentRange(value: string | null): ContentRange | undefined {
  if (value === null) return undefined;
  const m = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(value);
  if (m === null) return undefined;
  const out: ContentRange = {};
  if (m[1] !== undefined) {
    out.start = Number(m[1]);
    out.end = Number(m[2]);
    if (out.end < out.start) return undefined;
  }
  if (m[3] !== "*") out.total = Number(m[3]);
  return out;
}

/**
 * `Content-Length` as a number, `undefined` when absent, invalid, or the body is encoded.
 *
 * @example
 * ```ts
 * import { declaredLength } from "./http.ts";
 * declaredLength(new Response("abc")); // 3 (or undefined where the runtime adds no header)
 * ```
 */
export function declaredLength(res: Response): number | undefined {
  const enc = res.headers.get("content-encoding");
  if (enc !== null && enc.trim().toLowerCase() !== "identity") return undefined;
  const v = res.headers.get("content-length");
  if (v === null || !/^\s*\d+\s*$/.test(v)) return undefined;
  return Number(v);
}

/** Context of a body read, for messages and statistics. */
export interface BodyContext {
  /** URL of the response. */
  url: string;
  /** The store key. */
  key?: string;
  /** Counters to add received bytes to. */
  stats?: RequestStats;
}

/**
 * Reads a response body. With `expected`, a body of another length throws a retryable
 * {@link TruncatedBodyError}; with `limit`, reading stops (and the rest is cancelled) once
 * `limit` bytes arrived. A failing stream (connection reset) throws a {@link RetryableError}.
 *
 * @example
 * ```ts
 * import { readBody } from "./http.ts";
 * const bytes = await readBody(new Response("hello"), { url: "https://h/k" }, { expected: 5 });
 * console.log(bytes.length); // 5
 * ```
 */
export async function readBody(
  res: Response,
  ctx: BodyContext,
  opts: { expected?: number; limit?: number } = {},
): Promise<Uint8Array> {
  const { expected, limit } = opts;
  if (res.body === null) {
    if (expected !== undefined && expected > 0) throw truncated(ctx, expected, 0);
    return new Uint8Array(0);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let cut = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (limit !== undefined && total >= limit) {
        cut = true;
        await reader.cancel().catch(() => {});
        break;
      }
    }
  } catch (e) {
    if (e instanceof DOMException && (e.name === "AbortError" || e.name === "TimeoutError")) {
      throw e;
    }
    throw new RetryableError(
      `body of ${ctx.url} broke off after ${total} bytes: ${(e as Error)?.message ?? e}`,
      e,
    );
  } finally {
    reader.releaseLock();
  }
  if (ctx.stats) ctx.stats.bytesReceived += total;
  if (!cut && expected !== undefined && total !== expected) throw truncated(ctx, expected, total);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(cut ? Math.min(total, limit!) : total);
  let at = 0;
  for (const c of chunks) {
    const n = Math.min(c.length, out.length - at);
    out.set(n === c.length ? c : c.subarray(0, n), at);
    at += n;
    if (at >= out.length) break;
  }
  return out;
}

function truncated(ctx: BodyContext, expected: number, got: number): RetryableError {
  const e = new TruncatedBodyError(
    `truncated body from ${ctx.url}${
      ctx.key !== undefined ? ` (key '${ctx.key}')` : ""
    }: expected ${expected} bytes, received ${got}`,
    { url: ctx.url, key: ctx.key },
  );
  return new RetryableError(e.message, e);
}

/**
 * Cancels a response body we do not need (keeps connections reusable, frees resources).
 *
 * @example
 * ```ts
 * import { discard } from "./http.ts";
 * await discard(new Response("unused"));
 * ```
 */
export async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // already closed
  }
}

/**
 * Interprets a 200, 206 or 416 answer to a (possibly ranged) GET and returns the requested
 * bytes: a 416 means an existing object and an empty range; a 206 is checked against its
 * `Content-Range` (start, length, and for suffixes the total); a 200 (the server ignored the
 * range) is read only as far as needed for an offset+length range and sliced locally. Short
 * bodies are retryable {@link TruncatedBodyError}s.
 *
 * @example
 * ```ts
 * import { readRangeResponse } from "./http.ts";
 * const res = new Response("0123456789"); // a server that ignores Range
 * const b = await readRangeResponse(res, { offset: 2, length: 3 }, { url: "https://h/k" });
 * console.log(new TextDecoder().decode(b)); // "234"
 * ```
 */
export async function readRangeResponse(
  res: Response,
  range: RangeRequest | undefined,
  ctx: BodyContext,
): Promise<Uint8Array> {
  if (res.status === 416) {
    await discard(res);
    return new Uint8Array(0);
  }
  const length = declaredLength(res);
  if (res.status === 206) {
    const cr = parseContentRange(res.headers.get("content-range"));
    if (cr === undefined || cr.start === undefined) {
      await discard(res);
      throw new RemoteStoreError(
        `unexpected 206 response from ${ctx.url} without a single byte range (Content-Range: ${
          res.headers.get("content-range") ?? "missing"
        })`,
        { url: ctx.url, key: ctx.key, status: 206 },
      );
    }
    const want = cr.end! - cr.start + 1;
    if (range !== undefined) {
      const bad = "suffix" in range
        ? cr.total !== undefined && cr.start !== Math.max(0, cr.total - range.suffix)
        : cr.start !== range.offset;
      if (bad) {
        await discard(res);
        throw new RemoteStoreError(
          `server returned bytes ${cr.start}-${cr.end} of ${ctx.url} for the request ${
            rangeHeader(range)
          }`,
          { url: ctx.url, key: ctx.key, status: 206 },
        );
      }
    }
    const body = await readBody(res, ctx, { expected: length ?? want });
    if (body.length !== want) {
      throw truncated(ctx, want, body.length);
    }
    if (range !== undefined && !("suffix" in range) && range.length !== undefined) {
      if (body.length > range.length) return body.slice(0, range.length);
    }
    return body;
  }
  // 200: the whole object
  if (range === undefined) return await readBody(res, ctx, { expected: length });
  if ("suffix" in range) {
    const all = await readBody(res, ctx, { expected: length });
    return all.slice(Math.max(0, all.length - range.suffix));
  }
  if (range.length === undefined) {
    const all = await readBody(res, ctx, { expected: length });
    return all.slice(Math.min(range.offset, all.length));
  }
  const end = range.offset + range.length;
  const part = await readBody(res, ctx, { expected: length, limit: end });
  return part.slice(Math.min(range.offset, part.length), Math.min(end, part.length));
}

/**
 * Encodes a store key for a URL path: every segment percent-encoded like
 * `encodeURIComponent`, plus `!'()*` (RFC 3986), slashes kept.
 *
 * @example
 * ```ts
 * import { encodeKey } from "./http.ts";
 * encodeKey("my group/ü*"); // "my%20group/%C3%BC%2A"
 * ```
 */
export function encodeKey(key: string): string {
  return key.split("/").map(encodeRfc3986).join("/");
}

/**
 * `encodeURIComponent` plus `!'()*` (what SigV4 canonical URIs and query strings expect).
 *
 * @example
 * ```ts
 * import { encodeRfc3986 } from "./http.ts";
 * encodeRfc3986("a b*"); // "a%20b%2A"
 * ```
 */
export function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}
