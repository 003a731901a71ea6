/**
 * The retry policy shared by the remote stores: exponential backoff with full jitter, a
 * configurable budget, `Retry-After` support, a small FIFO semaphore bounding concurrent
 * requests, and the error classes the remote stores raise.
 *
 * @example
 * ```ts
 * import { backoffDelay, DEFAULT_RETRY, Semaphore } from "./retry.ts";
 * const sem = new Semaphore(2);
 * const release = await sem.acquire();
 * release();
 * console.log(backoffDelay(3, DEFAULT_RETRY, () => 0.5)); // 400 (half of 100 * 2^3)
 * ```
 * @module
 */
import { ZarrError, ZarrValueError } from "../errors.ts";

/** How often and how patiently a failed request is retried. */
export interface RetryOptions {
  /** Retries after the first attempt (default 6; 0 disables retrying). */
  retries?: number;
  /** Base of the exponential backoff in milliseconds (default 100). */
  baseDelayMs?: number;
  /** Upper bound of one backoff delay, also caps `Retry-After` (default 5000). */
  maxDelayMs?: number;
}

/** The default retry budget: 6 retries, 100 ms base, 5 s cap (at most ~10 s of waiting). */
export const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = Object.freeze({
  retries: 6,
  baseDelayMs: 100,
  maxDelayMs: 5000,
});

/**
 * Validates retry options and fills in the defaults; throws `ZarrValueError` for negative or
 * non-numeric values.
 *
 * @example
 * ```ts
 * import { resolveRetryOptions } from "./retry.ts";
 * resolveRetryOptions({ retries: 2 }); // { retries: 2, baseDelayMs: 100, maxDelayMs: 5000 }
 * ```
 */
export function resolveRetryOptions(opts: RetryOptions | undefined): Required<RetryOptions> {
  const out = { ...DEFAULT_RETRY, ...(opts ?? {}) };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new ZarrValueError(`retry option '${k}' must be a non-negative number, got ${v}`);
    }
  }
  out.retries = Math.floor(out.retries);
  return out;
}

/**
 * The delay before retry number `attempt` (0-based): a uniformly random value in
 * `[0, min(maxDelayMs, baseDelayMs * 2^attempt))` ("full jitter").
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./retry.ts";
 * backoffDelay(0, { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5); // 50
 * ```
 */
export function backoffDelay(
  attempt: number,
  opts: Required<RetryOptions>,
  random: () => number = Math.random,
): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds from `now`.
 *
 * @example
 * ```ts
 * import { retryAfterMs } from "./retry.ts";
 * retryAfterMs("2"); // 2000
 * ```
 */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * Waits `ms` milliseconds; rejects with the signal's reason when `signal` aborts first.
 *
 * @example
 * ```ts
 * import { sleep } from "./retry.ts";
 * await sleep(1);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A FIFO counting semaphore: at most `limit` holders at a time.
 *
 * @example
 * ```ts
 * import { Semaphore } from "./retry.ts";
 * const sem = new Semaphore(1);
 * const release = await sem.acquire();
 * try {
 *   // one request at a time
 * } finally {
 *   release();
 * }
 * ```
 */
export class Semaphore {
  readonly #limit: number;
  #active = 0;
  #waiters: { grant: () => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

  /** @param limit the number of concurrent holders (a positive integer) */
  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ZarrValueError(`concurrency must be a positive integer, got ${limit}`);
    }
    this.#limit = limit;
  }

  /** The number of current holders. */
  get active(): number {
    return this.#active;
  }

  /** The number of callers waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** The limit given to the constructor. */
  get limit(): number {
    return this.#limit;
  }

  /**
   * Waits for a slot and returns its release function (call it exactly once; extra calls
   * are ignored). Rejects with the signal's reason when `signal` aborts while waiting.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = this.#releaser();
    if (this.#active < this.#limit) {
      this.#active++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const w: { grant: () => void; signal?: AbortSignal; onAbort?: () => void } = {
        grant: () => {
          if (w.onAbort) signal!.removeEventListener("abort", w.onAbort);
          resolve(release);
        },
        signal,
      };
      if (signal) {
        w.onAbort = () => {
          const i = this.#waiters.indexOf(w);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", w.onAbort, { once: true });
      }
      this.#waiters.push(w);
    });
  }

  #releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.#waiters.shift();
      if (next) next.grant(); // the slot passes straight to the next waiter
      else this.#active--;
    };
  }
}

/** Details carried by a {@link RemoteStoreError}. */
export interface RemoteStoreErrorDetails {
  /** The URL of the failing request. */
  url?: string;
  /** The store key involved, when there is one. */
  key?: string;
  /** The last HTTP status, when a response arrived. */
  status?: number;
  /** The S3 error code (`SignatureDoesNotMatch`, ...), when the server sent one. */
  code?: string;
  /** How many attempts were made. */
  attempts?: number;
}

/**
 * A request of a remote store (`FetchStore`, `S3Store`) failed: a status the store cannot
 * map to a result, or a transient failure that outlived the retry budget. The message names
 * the URL; `url`, `key`, `status`, `code` and `attempts` carry the details.
 *
 * @example
 * ```ts
 * import { RemoteStoreError } from "./retry.ts";
 * const e = new RemoteStoreError("GET https://h/k failed", { url: "https://h/k", status: 500 });
 * console.log(e.status, e.name); // 500 RemoteStoreError
 * ```
 */
export class RemoteStoreError extends ZarrError {
  /** The URL of the failing request. */
  readonly url?: string;
  /** The store key involved, when there is one. */
  readonly key?: string;
  /** The last HTTP status, when a response arrived. */
  readonly status?: number;
  /** The S3 error code, when the server sent one. */
  readonly code?: string;
  /** How many attempts were made. */
  readonly attempts?: number;

  constructor(message: string, details: RemoteStoreErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.url = details.url;
    this.key = details.key;
    this.status = details.status;
    this.code = details.code;
    this.attempts = details.attempts;
  }
}

/**
 * A response body was shorter (or longer) than its `Content-Length` or `Content-Range`
 * announced, or failed a checksum: retried by the stores, raised once the budget is spent.
 *
 * @example
 * ```ts
 * import { TruncatedBodyError } from "./retry.ts";
 * const e = new TruncatedBodyError("expected 10 bytes, got 4", { url: "https://h/k" });
 * ```
 */
export class TruncatedBodyError extends RemoteStoreError {}

/**
 * Marks a failure as transient: the request engine retries it within the budget. The
 * underlying error is the `cause`.
 *
 * @example
 * ```ts
 * import { RetryableError } from "./retry.ts";
 * throw new RetryableError("connection reset", new TypeError("reset"));
 * ```
 */
export class RetryableError extends ZarrError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
