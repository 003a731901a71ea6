/**
 * A static HTTP server for the store tests (`Deno.serve` on loopback): serves the bytes of a
 * `Map` under URL paths, with `Range` support (offset-length, open-ended, suffix, 416), HEAD,
 * 404 for missing keys, 403 for configured prefixes, a JSON key manifest at `/__keys`, and
 * switchable misbehaviours (no Range support, no suffix ranges, no Content-Length, no HEAD).
 *
 * @example
 * ```ts
 * import { startHttpServer } from "./http_server.ts";
 * const server = startHttpServer();
 * server.data.set("d.zarr/zarr.json", new TextEncoder().encode("{}"));
 * const res = await fetch(`${server.origin}/d.zarr/zarr.json`, { headers: { Range: "bytes=-1" } });
 * console.log(res.status, await res.text()); // 206 }
 * await server.close();
 * ```
 * @module
 */

/** Switchable server behaviour. */
export interface HttpServerBehaviour {
  /** Honour `Range` (default true); false answers 200 with the whole body. */
  ranges: boolean;
  /** Honour suffix ranges `bytes=-n` (default true); false answers 200 with the whole body. */
  suffixRanges: boolean;
  /** Send `Content-Length` (default true); false streams bodies (chunked) and HEADs without it. */
  contentLength: boolean;
  /** Answer HEAD (default true); false answers 405. */
  head: boolean;
  /** Key prefixes answered with 403. */
  forbidden: string[];
}

/** One logged request. */
export interface LoggedRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
}

/** A running server. */
export interface TestHttpServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The port. */
  port: number;
  /** Served bytes by path (without the leading slash, decoded). */
  data: Map<string, Uint8Array>;
  /** Current behaviour (mutable). */
  behaviour: HttpServerBehaviour;
  /** Every request served since the last {@link TestHttpServer.resetLog}. */
  log: LoggedRequest[];
  /** Clears the log. */
  resetLog(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Default behaviour: a well-behaved server.
 *
 * @example
 * ```ts
 * import { defaultBehaviour } from "./http_server.ts";
 * defaultBehaviour().ranges; // true
 * ```
 */
export function defaultBehaviour(): HttpServerBehaviour {
  return { ranges: true, suffixRanges: true, contentLength: true, head: true, forbidden: [] };
}

function decodePath(pathname: string): string | undefined {
  try {
    return pathname.slice(1).split("/").map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}

/** Parses one `bytes=` range against `size`: [start, end) or "unsatisfiable"/"ignore". */
function parseRange(
  header: string,
  size: number,
  b: HttpServerBehaviour,
): [number, number] | "unsatisfiable" | "ignore" {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === "" && m[2] === "")) return "ignore";
  if (m[1] === "") {
    if (!b.suffixRanges) return "ignore";
    const n = Number(m[2]);
    if (n === 0 || size === 0) return "unsatisfiable";
    return [Math.max(0, size - n), size];
  }
  const start = Number(m[1]);
  if (start >= size) return "unsatisfiable";
  const end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
  if (end <= start) return "ignore";
  return [start, end];
}

function body(bytes: Uint8Array, withLength: boolean): BodyInit {
  if (withLength) return bytes as BodyInit;
  // a stream has no known length: Deno.serve sends it chunked
  return new ReadableStream<Uint8Array>({
    start(c) {
      const half = bytes.length >> 1;
      if (half > 0) c.enqueue(bytes.slice(0, half));
      if (bytes.length > half) c.enqueue(bytes.slice(half));
      c.close();
    },
  });
}

/**
 * Starts the server on a free loopback port.
 *
 * @example
 * ```ts
 * import { startHttpServer } from "./http_server.ts";
 * const server = startHttpServer(new Map([["a/zarr.json", new Uint8Array([123, 125])]]));
 * await server.close();
 * ```
 *
 * @param data initial contents (path without leading slash -> bytes), used in place
 */
export function startHttpServer(data: Map<string, Uint8Array> = new Map()): TestHttpServer {
  const log: LoggedRequest[] = [];
  const behaviour = defaultBehaviour();
  const handler = (req: Request): Response => {
    const url = new URL(req.url);
    const range = req.headers.get("range");
    const respond = (res: Response) => {
      log.push({
        method: req.method,
        path: decodePath(url.pathname) ?? url.pathname,
        range,
        status: res.status,
      });
      return res;
    };
    if (url.pathname === "/__keys") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const keys = [...data.keys()].filter((k) => k.startsWith(prefix)).map((k) =>
        k.slice(prefix.length)
      );
      return respond(Response.json(keys));
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return respond(new Response("method not allowed", { status: 405 }));
    }
    if (req.method === "HEAD" && !behaviour.head) {
      return respond(new Response(null, { status: 405 }));
    }
    const key = decodePath(url.pathname);
    if (key === undefined) return respond(new Response("bad path", { status: 400 }));
    if (behaviour.forbidden.some((p) => key.startsWith(p))) {
      return respond(new Response("forbidden", { status: 403 }));
    }
    const value = data.get(key);
    if (value === undefined) return respond(new Response("not found", { status: 404 }));
    const headers = new Headers({ "Accept-Ranges": behaviour.ranges ? "bytes" : "none" });
    if (req.method === "HEAD") {
      // Deno.serve announces "content-length: 0" for a null body; a stream body gives none
      const b = body(value, behaviour.contentLength);
      return respond(new Response(b, { status: 200, headers }));
    }
    if (range !== null && behaviour.ranges) {
      const r = parseRange(range, value.length, behaviour);
      if (r === "unsatisfiable") {
        headers.set("Content-Range", `bytes */${value.length}`);
        return respond(new Response(null, { status: 416, headers }));
      }
      if (r !== "ignore") {
        const [s, e] = r;
        headers.set("Content-Range", `bytes ${s}-${e - 1}/${value.length}`);
        return respond(
          new Response(body(value.slice(s, e), behaviour.contentLength), { status: 206, headers }),
        );
      }
    }
    return respond(new Response(body(value, behaviour.contentLength), { status: 200, headers }));
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const port = server.addr.port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    data,
    behaviour,
    log,
    resetLog() {
      log.length = 0;
    },
    async close() {
      await server.shutdown();
    },
  };
}
