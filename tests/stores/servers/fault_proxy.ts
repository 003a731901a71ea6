/**
 * A fault-injecting HTTP/1.1 reverse proxy on loopback, written on raw TCP (`Deno.listen`) so
 * it can do what a well-behaved server never does: answer 5xx/429 bursts, drop connections
 * before or after the upstream handled a request, hold answers back, cut response bodies
 * (with or without their `Content-Length`), and cut uploads half-way.
 *
 * Every request is forwarded with `Connection: close` (one request per connection) and the
 * `Host` header untouched, so virtual-host S3 requests reach the upstream as sent. Requests in
 * absolute form (from a client using the proxy as an HTTP proxy) are rewritten to origin form.
 *
 * @example
 * ```ts
 * import { FaultProxy, faultSequence } from "./fault_proxy.ts";
 * const proxy = new FaultProxy({ hostname: "127.0.0.1", port: 8080 });
 * proxy.rule = faultSequence((r) => r.method === "GET", [{ kind: "status", status: 503 }]);
 * // ... point a store at proxy.origin ...
 * await proxy.close();
 * ```
 * @module
 */

/** A fault to inject into one request. */
export type Fault =
  | { kind: "status"; status: number; headers?: Record<string, string> }
  | { kind: "reset" }
  | { kind: "reset-after" }
  | { kind: "delay"; ms: number }
  | { kind: "truncate"; keep?: number }
  | { kind: "truncate-unframed"; keep?: number }
  | { kind: "cut-upload"; keep?: number };

/** What a rule sees of a request. */
export interface ProxyRequest {
  /** HTTP method. */
  method: string;
  /** Origin-form target (path and query). */
  target: string;
  /** Sequence number (from 1). */
  n: number;
}

/** Decides the fault (or none) for a request. */
export type FaultRule = (req: ProxyRequest) => Fault | undefined;

/** Counters of a proxy. */
export interface ProxyStats {
  /** Requests received. */
  requests: number;
  /** Requests forwarded upstream. */
  forwarded: number;
  /** Faults injected, by kind. */
  faults: Record<string, number>;
  /** Requests by method. */
  byMethod: Record<string, number>;
}

/**
 * A rule answering the first matching requests with `faults`, in order, then nothing.
 *
 * @example
 * ```ts
 * import { faultSequence } from "./fault_proxy.ts";
 * const rule = faultSequence(() => true, [{ kind: "reset" }, { kind: "reset" }]);
 * ```
 */
export function faultSequence(match: (r: ProxyRequest) => boolean, faults: Fault[]): FaultRule {
  const queue = [...faults];
  return (r) => (match(r) && queue.length > 0 ? queue.shift() : undefined);
}

/**
 * A rule answering every matching request with `fault`.
 *
 * @example
 * ```ts
 * import { faultAlways } from "./fault_proxy.ts";
 * const rule = faultAlways((r) => r.method === "PUT", { kind: "cut-upload" });
 * ```
 */
export function faultAlways(match: (r: ProxyRequest) => boolean, fault: Fault): FaultRule {
  return (r) => (match(r) ? fault : undefined);
}

const CRLF2 = new Uint8Array([13, 10, 13, 10]);

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  let total = 0;
  for (;;) {
    let n: number | null;
    try {
      n = await conn.read(buf);
    } catch {
      break;
    }
    if (n === null) break;
    chunks.push(buf.slice(0, n));
    total += n;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Reads one request (head and a Content-Length body) from a client connection. */
async function readRequest(
  conn: Deno.Conn,
): Promise<{ head: string; body: Uint8Array } | undefined> {
  let data: Uint8Array = new Uint8Array(0);
  const buf = new Uint8Array(65536);
  let end = -1;
  while (end < 0) {
    const n = await conn.read(buf);
    if (n === null) return undefined;
    data = concat(data, buf.subarray(0, n));
    end = indexOf(data, CRLF2);
  }
  const head = new TextDecoder().decode(data.subarray(0, end));
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const length = m ? Number(m[1]) : 0;
  let body: Uint8Array = data.subarray(end + 4);
  while (body.length < length) {
    const n = await conn.read(buf);
    if (n === null) break;
    body = concat(body, buf.subarray(0, n));
  }
  return { head, body: body.subarray(0, length) };
}

/**
 * The proxy: listens on a free loopback port and forwards to `upstream`, applying `rule`.
 *
 * @example
 * ```ts
 * import { FaultProxy } from "./fault_proxy.ts";
 * const proxy = new FaultProxy({ hostname: "127.0.0.1", port: 8080 });
 * proxy.rule = () => ({ kind: "status", status: 503 });
 * await proxy.close();
 * ```
 */
export class FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The listening port. */
  readonly port: number;
  /** The active rule (none: pass everything through). */
  rule: FaultRule | undefined;
  /** Counters. */
  readonly stats: ProxyStats = { requests: 0, forwarded: 0, faults: {}, byMethod: {} };
  readonly #listener: Deno.TcpListener;
  readonly #upstream: { hostname: string; port: number };
  readonly #tasks = new Set<Promise<void>>();
  readonly #conns = new Set<Deno.Conn>();
  #closed = false;
  #loop: Promise<void>;

  /** @param upstream where requests go */
  constructor(upstream: { hostname: string; port: number }) {
    this.#upstream = upstream;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = (this.#listener.addr as Deno.NetAddr).port;
    this.origin = `http://127.0.0.1:${this.port}`;
    this.#loop = this.#accept();
  }

  /** Resets the counters. */
  resetStats(): void {
    this.stats.requests = 0;
    this.stats.forwarded = 0;
    this.stats.faults = {};
    this.stats.byMethod = {};
  }

  async #accept(): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return; // closed
      }
      this.#conns.add(conn);
      const t = this.#serve(conn)
        .catch(() => {})
        .finally(() => {
          this.#conns.delete(conn);
          try {
            conn.close();
          } catch {
            // already closed
          }
          this.#tasks.delete(t);
        });
      this.#tasks.add(t);
    }
  }

  async #serve(client: Deno.Conn): Promise<void> {
    const req = await readRequest(client);
    if (req === undefined) return;
    const lines = req.head.split("\r\n");
    const [method, rawTarget, version] = lines[0].split(" ");
    const target = /^https?:\/\//i.test(rawTarget)
      ? rawTarget.replace(/^https?:\/\/[^/]*/i, "") || "/"
      : rawTarget;
    this.stats.requests++;
    this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;
    const fault = this.rule?.({ method, target, n: this.stats.requests });
    if (fault) this.stats.faults[fault.kind] = (this.stats.faults[fault.kind] ?? 0) + 1;
    if (fault?.kind === "status") {
      const extra = Object.entries(fault.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      const text = `injected ${fault.status}`;
      await writeAll(
        client,
        new TextEncoder().encode(
          `HTTP/1.1 ${fault.status} Injected\r\nContent-Type: text/plain\r\n${extra}` +
            `Content-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
        ),
      );
      return;
    }
    if (fault?.kind === "reset") return; // closed without an answer
    const headers = lines.slice(1).filter((l) =>
      !/^(connection|proxy-connection|keep-alive):/i.test(l)
    );
    const head = new TextEncoder().encode(
      `${method} ${target} ${version}\r\n${headers.join("\r\n")}\r\nConnection: close\r\n\r\n`,
    );
    const up = await Deno.connect(this.#upstream);
    this.#conns.add(up);
    try {
      this.stats.forwarded++;
      if (fault?.kind === "cut-upload") {
        const keep = fault.keep ?? req.body.length >> 1;
        await writeAll(up, concat(head, req.body.subarray(0, keep)));
        return; // both connections close: the upstream sees a short upload
      }
      await writeAll(up, concat(head, req.body));
      const answer = await readAll(up);
      if (fault?.kind === "reset-after") return;
      if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.ms));
      if (this.#closed) return;
      if (fault?.kind === "truncate" || fault?.kind === "truncate-unframed") {
        const end = indexOf(answer, CRLF2);
        let respHead = new TextDecoder().decode(answer.subarray(0, end));
        const respBody = answer.subarray(end + 4);
        if (fault.kind === "truncate-unframed") {
          respHead = respHead.split("\r\n").filter((l) => !/^content-length:/i.test(l)).join(
            "\r\n",
          );
        }
        const keep = fault.keep ?? respBody.length >> 1;
        await writeAll(
          client,
          concat(new TextEncoder().encode(respHead + "\r\n\r\n"), respBody.subarray(0, keep)),
        );
        return;
      }
      await writeAll(client, answer);
    } finally {
      this.#conns.delete(up);
      try {
        up.close();
      } catch {
        // already closed
      }
    }
  }

  /** Stops listening and closes every open connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listener.close();
    for (const c of this.#conns) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
    await this.#loop;
    await Promise.allSettled([...this.#tasks]);
  }
}
