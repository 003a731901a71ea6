/**
 * Shared helpers of the reliability tests: a seeded PRNG, a per-case time limit, memory
 * deltas, and the figures every test prints.
 * @module
 */
import { ZarrError } from "../../src/errors.ts";

/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every run. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One element of `xs`. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** Thrown by {@link withTimeout} when a case runs past its limit. */
export class Timeout extends Error {}

/**
 * Runs `fn` with a time limit. A case that blocks the event loop cannot be interrupted by a
 * timer, so the elapsed time is checked afterwards too: either way a slow case is a
 * `Timeout`.
 */
export async function withTimeout<T>(ms: number, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t0 = performance.now();
  try {
    const out = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Timeout(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
    const dt = performance.now() - t0;
    if (dt > ms) throw new Timeout(`${what}: took ${dt.toFixed(0)} ms (limit ${ms} ms)`);
    return out;
  } finally {
    clearTimeout(timer);
  }
}

/** Largest growth of rss, heap and external memory while `fn` runs (sampled before/after). */
export async function memoryDelta<T>(
  fn: () => Promise<T>,
): Promise<[T | undefined, number, unknown]> {
  const a = Deno.memoryUsage();
  let out: T | undefined;
  let err: unknown;
  try {
    out = await fn();
  } catch (e) {
    err = e;
  }
  const b = Deno.memoryUsage();
  const d = Math.max(b.rss - a.rss, b.heapUsed - a.heapUsed, b.external - a.external);
  return [out, d, err];
}

/** Counters every reliability test prints at its end. */
export class Figures {
  cases = 0;
  ok = 0;
  zarrErrors = 0;
  expectedFailures = 0;
  failures: string[] = [];
  hangs = 0;
  crashes = 0;
  dataLost = 0;
  constructor(readonly name: string) {}

  /** Records a case that failed a check. */
  fail(msg: string): void {
    if (this.failures.length < 50) this.failures.push(msg);
    else if (this.failures.length === 50) this.failures.push("... (more)");
  }

  /** Prints the figures (one line) and the first failures. */
  print(extra = ""): void {
    const seen = this.failures.length;
    console.log(
      `[reliability] ${this.name}: cases=${this.cases} ok=${this.ok} zarrErrors=${this.zarrErrors} ` +
        `failures expected=${this.expectedFailures} seen=${seen} hangs=${this.hangs} ` +
        `crashes=${this.crashes} dataLost=${this.dataLost}${extra ? " " + extra : ""}`,
    );
    for (const f of this.failures.slice(0, 20)) console.log(`  FAIL ${f}`);
  }
}

/** True for a `ZarrError` whose message names one of `names`. */
export function isNamedZarrError(e: unknown, names: string[]): boolean {
  if (!(e instanceof ZarrError)) return false;
  return names.some((n) => e.message.includes(n));
}

/** Short text of an error for failure messages. */
export function describe(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message.slice(0, 300)}`;
  return String(e);
}

/** UTF-8 encode. */
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
