/**
 * Runs fault scenarios (what the proxy injects) against store operations and fills a
 * {@link FaultMatrix}: each cell runs one operation under one scenario, checks the result
 * (right bytes after retries, or a clear `RemoteStoreError` after the budget; for writes, the
 * object is the old or the new value, never anything else) and records the request count.
 *
 * @example
 * ```ts
 * import { runFaultMatrix } from "./faults.ts";
 * // const problems = await runFaultMatrix(proxy, matrix, scenarios, ops);
 * ```
 * @module
 */
import { RemoteStoreError } from "../../../src/stores/retry.ts";
import type { Store } from "../../../src/stores/types.ts";
import type { Fault, FaultProxy, FaultRule, ProxyRequest } from "./fault_proxy.ts";
import type { FaultMatrix } from "./matrix.ts";

/** A store operation the matrix exercises. */
export interface FaultOp {
  /** Column name. */
  name: string;
  /** Which proxied requests belong to the operation (faults go only to those). */
  match: (r: ProxyRequest) => boolean;
  /** Whether the answer has a body (truncation faults apply). */
  body: boolean;
  /** Whether the operation uploads a body (upload cuts apply). */
  upload?: boolean;
  /** Puts the old state in place (through a store without faults). */
  prepare?: () => Promise<void>;
  /** Runs the operation through the faulty store. */
  run: (store: Store) => Promise<unknown>;
  /** Throws unless `result` is right. */
  check: (result: unknown) => void | Promise<void>;
  /** After the cell: throws unless the stored state is the old or (when `ok`) the new one. */
  verify?: (ok: boolean) => Promise<void>;
  /** Why the operation cannot observe a scenario (shown as the cell). */
  notApplicable?: (scenario: FaultScenario) => string | undefined;
}

/** What the proxy does. */
export interface FaultScenario {
  /** Row name. */
  name: string;
  /** Faults for the matching requests, in order (a sequence), or forever. */
  faults: Fault[] | { always: Fault };
  /** Expected outcome. */
  expect: "ok" | "error";
  /** Minimum requests the cell must take (e.g. 3 for two injected 503s). */
  minRequests: number;
  /** A store to use instead of the default one (e.g. with a short timeout). */
  store?: Store;
  /** Fault kinds needing a response body or an upload. */
  needs?: "body" | "upload";
}

function ruleFor(s: FaultScenario, op: FaultOp): FaultRule {
  if (Array.isArray(s.faults)) {
    const queue = [...s.faults];
    return (r) => (op.match(r) && queue.length > 0 ? queue.shift() : undefined);
  }
  const f = s.faults.always;
  return (r) => (op.match(r) ? f : undefined);
}

/**
 * Fills `matrix` and returns the list of failed cells (empty when all behaved); the messages
 * of the errors after the budget go to `errors` (one per scenario), and request and fault
 * counts are added to `totals`.
 *
 * @example
 * ```ts
 * import { runFaultMatrix } from "./faults.ts";
 * // const problems = await runFaultMatrix(proxy, matrix, store, scenarios, ops, new Map());
 * ```
 */
export async function runFaultMatrix(
  proxy: FaultProxy,
  matrix: FaultMatrix,
  store: Store,
  scenarios: FaultScenario[],
  ops: FaultOp[],
  errors: Map<string, string>,
  totals: { requests: number; faults: number } = { requests: 0, faults: 0 },
): Promise<string[]> {
  const problems: string[] = [];
  for (const s of scenarios) {
    for (const op of ops) {
      const na = (s.needs === "body" && !op.body)
        ? "n/a (no body)"
        : (s.needs === "upload" && !op.upload)
        ? "n/a (no upload)"
        : op.notApplicable?.(s);
      if (na !== undefined) {
        matrix.record(s.name, op.name, na);
        continue;
      }
      await op.prepare?.();
      proxy.resetStats();
      proxy.rule = ruleFor(s, op);
      const t0 = performance.now();
      let ok = false;
      let result: unknown;
      let error: unknown;
      try {
        result = await op.run(s.store ?? store);
        ok = true;
      } catch (e) {
        error = e;
      } finally {
        proxy.rule = undefined;
      }
      const ms = Math.round(performance.now() - t0);
      const n = proxy.stats.requests;
      totals.requests += n;
      totals.faults += Object.values(proxy.stats.faults).reduce((a, b) => a + b, 0);
      matrix.record(s.name, op.name, `${ok ? "ok" : "ERR"} ${n} req ${ms}ms`);
      const where = `${s.name} x ${op.name}`;
      try {
        if (n < s.minRequests) {
          throw new Error(`took ${n} requests, expected at least ${s.minRequests}`);
        }
        if (s.expect === "ok") {
          if (!ok) throw new Error(`failed: ${(error as Error)?.message ?? error}`);
          await op.check(result);
        } else {
          if (ok) throw new Error("succeeded, expected an error after the retry budget");
          if (!(error instanceof RemoteStoreError)) {
            throw new Error(`expected a RemoteStoreError, got ${error}`);
          }
          if (!/https?:\/\//.test(error.message) || !/after \d+ attempts/.test(error.message)) {
            throw new Error(`unclear error message: ${error.message}`);
          }
          if (!errors.has(s.name)) errors.set(s.name, error.message);
        }
        await op.verify?.(ok);
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}
