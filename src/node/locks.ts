/**
 * In-process mutual exclusion per (store, key): read-modify-write of one chunk is serialized so
 * concurrent writers in one process never lose updates.
 *
 * @example
 * ```ts
 * import { withKeyLock } from "./locks.ts";
 * const store = {};
 * await withKeyLock(store, "c/0", async () => {});
 * ```
 * @module
 */

const tails = new WeakMap<object, Map<string, Promise<void>>>();

/** Runs `fn` while holding the lock of `key` in `store`. */
export async function withKeyLock<T>(store: object, key: string, fn: () => Promise<T>): Promise<T> {
  let m = tails.get(store);
  if (!m) {
    m = new Map();
    tails.set(store, m);
  }
  const prev = m.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = prev.then(() => mine);
  m.set(key, tail);
  await prev;
  try {
    return await fn();
  } finally {
    release();
    if (m.get(key) === tail) m.delete(key);
  }
}

/**
 * Runs `fn` over `items` with at most `limit` in flight; resolves when all are done and rejects
 * with the first error (after in-flight work settles).
 */
export async function forEachConcurrent<T>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const it = items[Symbol.iterator]();
  let error: unknown = undefined;
  let failed = false;
  const worker = async () => {
    while (!failed) {
      const n = it.next();
      if (n.done) return;
      try {
        await fn(n.value);
      } catch (e) {
        if (!failed) {
          failed = true;
          error = e;
        }
      }
    }
  };
  const workers = [];
  for (let i = 0; i < Math.max(1, limit); i++) workers.push(worker());
  await Promise.all(workers);
  if (failed) throw error;
}
