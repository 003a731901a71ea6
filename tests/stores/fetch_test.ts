/**
 * FetchStore against a local `Deno.serve` HTTP server with Range support (started here):
 * the store contract (read-only variant, listing through a key manifest), range forms,
 * missing keys, servers without Range / suffix / Content-Length / HEAD, headers, abort,
 * concurrency, `resolveStore` and `open()` over HTTP, and the fault matrix through the
 * fault-injecting proxy.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import {
  InvalidKeyError,
  NotImplementedError,
  ReadOnlyError,
  ZarrTypeError,
  ZarrValueError,
} from "../../src/errors.ts";
import { FetchStore } from "../../src/stores/fetch.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { resolveStore } from "../../src/stores/resolve.ts";
import { RemoteStoreError } from "../../src/stores/retry.ts";
import { storeContract } from "./contract.ts";
import { FaultProxy } from "./servers/fault_proxy.ts";
import { type FaultOp, type FaultScenario, runFaultMatrix } from "./servers/faults.ts";
import { defaultBehaviour, startHttpServer } from "./servers/http_server.ts";
import { FaultMatrix } from "./servers/matrix.ts";

const server = startHttpServer();
const proxy = new FaultProxy({ hostname: "127.0.0.1", port: server.port });
const enc = new TextEncoder();
const dec = new TextDecoder();
const T = { sanitizeOps: false, sanitizeResources: false };

function seed(prefix: string, entries: Record<string, Uint8Array | string>) {
  for (const [k, v] of Object.entries(entries)) {
    server.data.set(prefix + k, typeof v === "string" ? enc.encode(v) : v);
  }
}

function resetServer() {
  Object.assign(server.behaviour, defaultBehaviour());
  server.resetLog();
}

let fixtures = 0;
const contract = storeContract({
  name: "FetchStore",
  typeName: "FetchStore",
  writable: false,
  listing: true,
  sanitize: false,
  make: () => {
    const base = `contract/${++fixtures}/store.zarr/`;
    const options = {
      listKeys: async () => {
        const res = await fetch(`${server.origin}/__keys?prefix=${encodeURIComponent(base)}`);
        return (await res.json()) as string[];
      },
    };
    const url = `${server.origin}/${base}`;
    return Promise.resolve({
      store: new FetchStore(url, options),
      seed: (key: string, value: Uint8Array) => {
        server.data.set(base + key, value);
        return Promise.resolve();
      },
      reopen: () => Promise.resolve(new FetchStore(url, options)),
      cleanup: () => {
        for (const k of [...server.data.keys()]) if (k.startsWith(base)) server.data.delete(k);
        return Promise.resolve();
      },
    });
  },
});
console.log(`FetchStore contract: ${contract.total} tests, ${contract.ignored} not applicable`);

Deno.test({
  name: "FetchStore: keys become encoded URLs under the base; the query string is kept",
  ...T,
  fn: async () => {
    resetServer();
    seed("u/d.zarr/", { "my group/ü*.json": "1", "a/zarr.json": "{}" });
    const seen: Request[] = [];
    const store = new FetchStore(`${server.origin}/u/d.zarr?token=abc`, {
      headers: { "X-Token": "secret" },
      fetch: (r) => {
        seen.push(r);
        return fetch(r);
      },
    });
    assert.equal(store.url, `${server.origin}/u/d.zarr/?token=abc`);
    assert.equal(String(store), store.url);
    assert.equal(
      store.keyUrl("my group/ü*.json"),
      `${server.origin}/u/d.zarr/my%20group/%C3%BC%2A.json?token=abc`,
    );
    assert.equal(dec.decode(await store.get("my group/ü*.json")), "1");
    assert.equal(seen[0].headers.get("x-token"), "secret");
    assert.equal(seen[0].headers.get("accept-encoding"), "identity");
    // user info becomes Basic auth and leaves the URL
    const auth = new FetchStore(`http://user:p%40ss@127.0.0.1:${server.port}/u/d.zarr`, {
      fetch: (r) => {
        seen.push(r);
        return fetch(r);
      },
    });
    assert.equal(auth.url, `${server.origin}/u/d.zarr/`);
    assert.equal(dec.decode(await auth.get("a/zarr.json")), "{}");
    assert.equal(seen.at(-1)!.headers.get("authorization"), `Basic ${btoa("user:p@ss")}`);
    // keys are validated before any request
    const before = server.log.length;
    for (const bad of ["../x", "a/../../b", "/abs", "a//b"]) {
      await assert.rejects(store.get(bad), InvalidKeyError);
      await assert.rejects(store.exists(bad), InvalidKeyError);
    }
    assert.equal(server.log.length, before);
    assert.throws(() => new FetchStore("ftp://x/y"), ZarrValueError);
    assert.throws(() => new FetchStore("not a url"), ZarrValueError);
  },
});

Deno.test({
  name: "FetchStore: the three range forms go to the server as Range headers",
  ...T,
  fn: async () => {
    resetServer();
    const v = Uint8Array.from({ length: 100 }, (_, i) => i);
    seed("r/", { k: v });
    const store = new FetchStore(`${server.origin}/r`);
    assert.deepEqual(await store.get("k", { offset: 10, length: 5 }), v.slice(10, 15));
    assert.deepEqual(await store.get("k", { offset: 95 }), v.slice(95));
    assert.deepEqual(await store.get("k", { suffix: 7 }), v.slice(93));
    assert.deepEqual(await store.get("k", { offset: 100 }), new Uint8Array(0)); // 416
    assert.deepEqual(await store.get("k", { offset: 0, length: 0 }), new Uint8Array(0)); // HEAD
    assert.deepEqual(
      server.log.map((l) => [l.method, l.range, l.status]),
      [
        ["GET", "bytes=10-14", 206],
        ["GET", "bytes=95-", 206],
        ["GET", "bytes=-7", 206],
        ["GET", "bytes=100-", 416],
        ["HEAD", null, 200],
      ],
    );
  },
});

Deno.test({
  name: "FetchStore: 404, 403 and 410 are missing keys; other statuses raise naming the URL",
  ...T,
  fn: async () => {
    resetServer();
    seed("m/", { "secret/k": "x", ok: "y" });
    server.behaviour.forbidden = ["m/secret/"];
    const store = new FetchStore(`${server.origin}/m`);
    assert.equal(await store.get("secret/k"), undefined);
    assert.equal(await store.get("secret/k", { suffix: 1 }), undefined);
    assert.equal(await store.exists("secret/k"), false);
    assert.equal(await store.getSize("secret/k"), undefined);
    assert.equal(await store.get("nope"), undefined);
    const gone = new FetchStore("http://x.invalid/", {
      fetch: () => Promise.resolve(new Response("gone", { status: 410 })),
    });
    assert.equal(await gone.get("k"), undefined);
    const teapot = new FetchStore("http://x.invalid/d", {
      fetch: () => Promise.resolve(new Response("no", { status: 418 })),
    });
    await assert.rejects(
      teapot.get("k"),
      (e: Error) =>
        e instanceof RemoteStoreError && e.status === 418 &&
        e.message.includes("http://x.invalid/d/k"),
    );
  },
});

Deno.test({
  name: "FetchStore: a server ignoring Range is read only as far as needed",
  ...T,
  fn: async () => {
    resetServer();
    const big = new Uint8Array(4 << 20);
    for (let i = 0; i < big.length; i += 65536) crypto.getRandomValues(big.subarray(i, i + 65536));
    seed("nr/", { big });
    server.behaviour.ranges = false;
    const store = new FetchStore(`${server.origin}/nr`);
    const part = await store.get("big", { offset: 1000, length: 100 });
    assert.deepEqual(part, big.slice(1000, 1100));
    assert.ok(
      store.stats.bytesReceived < big.length / 2,
      `read ${store.stats.bytesReceived} of ${big.length} bytes`,
    );
    assert.deepEqual(await store.get("big", { suffix: 10 }), big.slice(-10)); // needs it all
    assert.deepEqual(await store.get("big", { offset: big.length - 3 }), big.slice(-3));
    resetServer();
  },
});

Deno.test({
  name: "FetchStore: servers without suffix ranges (useSuffixRequest false, or a 200)",
  ...T,
  fn: async () => {
    resetServer();
    const v = Uint8Array.from({ length: 50 }, (_, i) => i);
    seed("ns/", { k: v });
    server.behaviour.suffixRanges = false;
    const plain = new FetchStore(`${server.origin}/ns`);
    assert.deepEqual(await plain.get("k", { suffix: 5 }), v.slice(45)); // 200, sliced here
    server.resetLog();
    const explicit = new FetchStore(`${server.origin}/ns`, { useSuffixRequest: false });
    assert.deepEqual(await explicit.get("k", { suffix: 5 }), v.slice(45));
    assert.deepEqual(await explicit.get("k", { suffix: 500 }), v);
    assert.equal(await explicit.get("missing", { suffix: 5 }), undefined);
    assert.deepEqual(
      server.log.map((l) => [l.method, l.range]),
      [["HEAD", null], ["GET", "bytes=45-49"], ["HEAD", null], ["GET", "bytes=0-49"], [
        "HEAD",
        null,
      ]],
    );
    resetServer();
  },
});

Deno.test({
  name: "FetchStore: no Content-Length: sizes come from a one-byte range, never a download",
  ...T,
  fn: async () => {
    resetServer();
    const big = new Uint8Array(1 << 20).fill(7);
    seed("ncl/", { big, empty: new Uint8Array(0) });
    server.behaviour.contentLength = false;
    const store = new FetchStore(`${server.origin}/ncl`);
    assert.equal(await store.getSize("big"), big.length);
    assert.equal(await store.getSize("empty"), 0);
    assert.equal(await store.getSize("missing"), undefined);
    assert.ok(store.stats.bytesReceived <= 2, `received ${store.stats.bytesReceived} bytes`);
    assert.deepEqual(
      server.log.map((l) => [l.method, l.range, l.status]),
      [
        ["HEAD", null, 200],
        ["GET", "bytes=0-0", 206],
        ["HEAD", null, 200],
        ["GET", "bytes=0-0", 416],
        ["HEAD", null, 404],
      ],
    );
    // chunked bodies still read whole, and ranged ones are checked against Content-Range
    assert.deepEqual(await store.get("big"), big);
    assert.deepEqual(await store.get("big", { offset: 10, length: 10 }), big.slice(10, 20));
    // HEAD refused (405): exists/getSize fall back to the one-byte range
    server.behaviour.head = false;
    server.behaviour.contentLength = true;
    assert.equal(await store.exists("big"), true);
    assert.equal(await store.exists("missing"), false);
    assert.equal(await store.getSize("big"), big.length);
    // neither Content-Length nor Range: refuse rather than download
    server.behaviour.contentLength = false;
    server.behaviour.ranges = false;
    const before = store.stats.bytesReceived;
    await assert.rejects(
      store.getSize("big"),
      (e: Error) => e instanceof RemoteStoreError && /without downloading/.test(e.message),
    );
    assert.ok(store.stats.bytesReceived - before < big.length / 2);
    resetServer();
  },
});

Deno.test({
  name: "FetchStore: writes are refused; listing needs listKeys",
  ...T,
  fn: async () => {
    const store = new FetchStore(`${server.origin}/w`);
    assert.equal(store.readOnly, true);
    assert.equal(store.supportsListing, false);
    await assert.rejects(store.set("k", new Uint8Array(1)), ReadOnlyError);
    const rw = store.withReadOnly(false);
    await assert.rejects(
      rw.set("k", new Uint8Array(1)),
      (e: Error) => e instanceof NotImplementedError && e.message.includes(`${server.origin}/w/`),
    );
    await assert.rejects(rw.deleteDir("a"), NotImplementedError);
    await assert.rejects(Array.fromAsync(store.list()), NotImplementedError);
    await assert.rejects(Array.fromAsync(store.listDir("")), NotImplementedError);
    assert.throws(
      () => new FetchStore(server.origin, { listKeys: 5 as unknown as () => string[] }),
      ZarrTypeError,
    );
    const listed = new FetchStore(server.origin, { listKeys: () => ["a/b", "a/c/d", "e"] });
    assert.deepEqual(await Array.fromAsync(listed.listDir("a")), ["b", "c"]);
    assert.deepEqual(await Array.fromAsync(listed.listPrefix("a/c")), ["a/c/d"]);
  },
});

Deno.test({
  name: "FetchStore: bounded concurrency",
  ...T,
  fn: async () => {
    resetServer();
    seed("cc/", Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, `v${i}`])));
    let active = 0;
    let peak = 0;
    const store = new FetchStore(`${server.origin}/cc`, {
      concurrency: 4,
      fetch: async (r) => {
        active++;
        peak = Math.max(peak, active);
        try {
          await new Promise((res) => setTimeout(res, 5));
          const res = await fetch(r);
          return new Response(await res.arrayBuffer(), res);
        } finally {
          active--;
        }
      },
    });
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => store.get(`k${i}`)));
    got.forEach((v, i) => assert.equal(dec.decode(v), `v${i}`));
    assert.equal(peak, 4);
    assert.throws(() => new FetchStore(server.origin, { concurrency: 0 }), ZarrValueError);
  },
});

Deno.test({
  name: "FetchStore: an AbortSignal stops pending, in-flight and future requests",
  ...T,
  fn: async () => {
    resetServer();
    seed("ab/", { k: "v" });
    const ac = new AbortController();
    const store = new FetchStore(`${proxy.origin}/ab`, { signal: ac.signal, concurrency: 1 });
    proxy.rule = () => ({ kind: "delay", ms: 2000 });
    const t0 = performance.now();
    const inFlight = store.get("k");
    const queued = store.get("k");
    setTimeout(() => ac.abort(new DOMException("stop", "AbortError")), 50);
    const [a, b] = await Promise.allSettled([inFlight, queued]);
    for (const r of [a, b]) {
      assert.ok(r.status === "rejected" && (r.reason as Error).name === "AbortError");
    }
    assert.ok(performance.now() - t0 < 1500, "abort was not prompt");
    await assert.rejects(store.get("k"), (e: Error) => e.name === "AbortError");
    proxy.rule = undefined;
  },
});

Deno.test({
  name: "FetchStore: resolveStore and storageOptions",
  ...T,
  fn: async () => {
    const r = await resolveStore(`${server.origin}/x.zarr`, { mode: "r" });
    assert.ok(r instanceof FetchStore && r.readOnly);
    const none = await resolveStore(`${server.origin}/x.zarr`);
    assert.ok(none instanceof FetchStore && none.readOnly);
    const a = await resolveStore(new URL(`${server.origin}/x.zarr`), { mode: "a" });
    assert.ok(a instanceof FetchStore && !a.readOnly);
    await assert.rejects(a.set("k", new Uint8Array(1)), NotImplementedError);
    const seen: Request[] = [];
    const h = await resolveStore(`${server.origin}/x.zarr`, {
      storageOptions: {
        headers: { Authorization: "Bearer t" },
        retry: { retries: 1 },
        fetch: (req: Request) => {
          seen.push(req);
          return fetch(req);
        },
      },
    });
    await h.get("zarr.json");
    assert.equal(seen[0].headers.get("authorization"), "Bearer t");
    await assert.rejects(
      resolveStore(`${server.origin}/x.zarr`, { storageOptions: { anon: true } }),
      (e: Error) => e instanceof ZarrTypeError && e.message.includes("anon"),
    );
  },
});

Deno.test({
  name: "FetchStore: open() over HTTP reads zarr.json first and lives off consolidated metadata",
  ...T,
  fn: async () => {
    resetServer();
    const mem = new MemoryStore();
    const root = await zarr.group({ store: mem, attributes: { title: "remote" } });
    const a = await root.createArray("temp", {
      shape: [20, 20],
      chunks: [10, 10],
      dtype: "int32",
      fillValue: 0,
    });
    await a.setitem(null, zarr.ndarray(Int32Array.from({ length: 400 }, (_, i) => i), [20, 20]));
    await root.createGroup("sub");
    await zarr.consolidateMetadata(mem);
    for (const [k, v] of mem.map) server.data.set(`open/v3.zarr/${k}`, v);
    const url = `${server.origin}/open/v3.zarr`;
    const g = await zarr.open({ store: url, mode: "r" });
    assert.ok(g instanceof zarr.AsyncGroup);
    const openLog = server.log.map((l) =>
      `${l.method} ${l.path.slice("open/v3.zarr/".length)} ${l.status}`
    );
    server.resetLog();
    const arr = await g.getitem("temp");
    assert.ok(arr instanceof zarr.AsyncArray);
    const memberLog = server.log.map((l) =>
      `${l.method} ${l.path.slice("open/v3.zarr/".length)} ${l.status}`
    );
    server.resetLog();
    const window = await arr.getitem("5:15, 5:15");
    assert.equal((window.data as Int32Array)[0], 5 * 20 + 5);
    const readLog = server.log.map((l) =>
      `${l.method} ${l.path.slice("open/v3.zarr/".length)} ${l.status}`
    );
    const misses = openLog.filter((l) => l.endsWith(" 404")).length;
    console.log(
      `open() over HTTP: ${openLog.length} requests (${misses} x 404) ${
        JSON.stringify(openLog)
      }; member lookup: ${memberLog.length} requests; 10x10 window: ${readLog.length} chunk GETs`,
    );
    assert.deepEqual(openLog, ["GET zarr.json 200"], "one request, no 404s");
    assert.ok(openLog.every((l) => !l.includes("temp/")), "no member metadata while opening");
    assert.deepEqual(memberLog, [], "members come from consolidated metadata");
    assert.equal(readLog.length, 4);
    // default mode ("a") also opens a remote group for reading
    const g2 = await zarr.open({ store: url });
    assert.ok(g2 instanceof zarr.AsyncGroup);
    resetServer();
  },
});

Deno.test({
  name: "FetchStore: a sharded window is read with Range requests only (index + coalesced chunks)",
  ...T,
  fn: async () => {
    resetServer();
    const mem = new MemoryStore();
    const a = await zarr.createArray(mem, {
      shape: [64, 64],
      chunks: [8, 8],
      shards: [32, 32],
      dtype: "int32",
      fillValue: 0,
    });
    const values = Int32Array.from({ length: 4096 }, (_, i) => i);
    await a.setitem(null, zarr.ndarray(values, [64, 64]));
    for (const [k, v] of mem.map) server.data.set(`sharded/${k}`, v);
    const remote = await zarr.openArray({ store: `${server.origin}/sharded`, mode: "r" });
    server.resetLog();
    const w = await remote.getitem("4:20, 4:12");
    assert.deepEqual(
      Array.from(w.data as Int32Array).slice(0, 8),
      Array.from(values.slice(4 * 64 + 4, 4 * 64 + 12)),
    );
    const log = server.log.map((l) => `${l.method} ${l.path} ${l.range} ${l.status}`);
    console.log(`sharded 16x8 window over HTTP (6 inner chunks, 1 shard): ${JSON.stringify(log)}`);
    assert.ok(server.log.every((l) => l.method === "GET" && l.range !== null && l.status === 206));
    assert.ok(server.log.length <= 3, `${server.log.length} requests`);
    resetServer();
  },
});

// ---- fault matrix --------------------------------------------------------------------------

Deno.test({
  name: "FetchStore: fault matrix through the fault-injecting proxy",
  ...T,
  fn: async () => {
    resetServer();
    const data = new Uint8Array(64 << 10);
    for (let i = 0; i < data.length; i += 65536) {
      crypto.getRandomValues(data.subarray(i, i + 65536));
    }
    seed("f/", { obj: data });
    const retry = { retries: 3, baseDelayMs: 5, maxDelayMs: 20 };
    const store = new FetchStore(`${proxy.origin}/f`, { retry, timeoutMs: 10_000 });
    const slow = new FetchStore(`${proxy.origin}/f`, { retry, timeoutMs: 250 });
    const isGet = (r: { method: string }) => r.method === "GET";
    const isHead = (r: { method: string }) => r.method === "HEAD";
    const eq = (want: Uint8Array) => (got: unknown) => assert.deepEqual(got, want);
    const unframedFull = (s: FaultScenario) =>
      s.name.startsWith("truncated, no Content-Length")
        ? "undetectable (no length sent)"
        : undefined;
    const ops: FaultOp[] = [
      {
        name: "get",
        match: isGet,
        body: true,
        run: (s) => s.get("obj"),
        check: eq(data),
        notApplicable: unframedFull,
      },
      {
        name: "get range",
        match: isGet,
        body: true,
        run: (s) => s.get("obj", { offset: 1000, length: 30000 }),
        check: eq(data.slice(1000, 31000)),
      },
      {
        name: "get suffix",
        match: isGet,
        body: true,
        run: (s) => s.get("obj", { suffix: 5000 }),
        check: eq(data.slice(-5000)),
      },
      {
        name: "exists",
        match: isHead,
        body: false,
        run: (s) => s.exists("obj"),
        check: (v) => assert.equal(v, true),
      },
      {
        name: "getSize",
        match: isHead,
        body: false,
        run: (s) => s.getSize("obj"),
        check: (v) => assert.equal(v, data.length),
      },
    ];
    const scenarios = fetchScenarios(slow);
    const matrix = new FaultMatrix(
      "FetchStore -> fault proxy -> Deno.serve",
      ops.map((o) => o.name),
    );
    const errors = new Map<string, string>();
    const totals = { requests: 0, faults: 0 };
    const problems = await runFaultMatrix(proxy, matrix, store, scenarios, ops, errors, totals);
    matrix.print();
    for (const [s, m] of errors) console.log(`error after the budget (${s}): ${m}`);
    console.log(
      `fault matrix requests: ${totals.requests} through the proxy, ${totals.faults} faults ` +
        `injected; FetchStore counters: ${JSON.stringify(store.stats)}; ` +
        `short-timeout store: ${JSON.stringify(slow.stats)}`,
    );
    assert.deepEqual(problems, []);
  },
});

/** The scenarios of the FetchStore matrix (reads only). */
function fetchScenarios(slowStore: FetchStore): FaultScenario[] {
  return [
    { name: "503 x2", faults: [503, 503].map(st), expect: "ok", minRequests: 3 },
    {
      name: "429 Retry-After:1 x1",
      faults: [{ kind: "status", status: 429, headers: { "Retry-After": "1" } }],
      expect: "ok",
      minRequests: 2,
    },
    {
      name: "connection reset x2",
      faults: [{ kind: "reset" }, { kind: "reset" }],
      expect: "ok",
      minRequests: 3,
    },
    { name: "answer lost x1", faults: [{ kind: "reset-after" }], expect: "ok", minRequests: 2 },
    {
      name: "slow 50ms (in time)",
      faults: [{ kind: "delay", ms: 50 }],
      expect: "ok",
      minRequests: 1,
    },
    {
      name: "slow 600ms > timeout 250ms",
      faults: [{ kind: "delay", ms: 600 }],
      expect: "ok",
      minRequests: 2,
      store: slowStore,
    },
    {
      name: "truncated body x1",
      faults: [{ kind: "truncate" }],
      expect: "ok",
      minRequests: 2,
      needs: "body",
    },
    {
      name: "truncated, no Content-Length x1",
      faults: [{ kind: "truncate-unframed" }],
      expect: "ok",
      minRequests: 2,
      needs: "body",
    },
    { name: "500 forever", faults: { always: st(500) }, expect: "error", minRequests: 4 },
    {
      name: "reset forever",
      faults: { always: { kind: "reset" } },
      expect: "error",
      minRequests: 4,
    },
    {
      name: "truncated forever",
      faults: { always: { kind: "truncate" } },
      expect: "error",
      minRequests: 4,
      needs: "body",
    },
    {
      name: "truncated, no Content-Length forever",
      faults: { always: { kind: "truncate-unframed" } },
      expect: "error",
      minRequests: 4,
      needs: "body",
    },
  ];
}

function st(status: number): { kind: "status"; status: number } {
  return { kind: "status", status };
}

Deno.test({
  name: "FetchStore: stop the test servers",
  ...T,
  fn: async () => {
    console.log(`HTTP server log size at the end: ${server.log.length}`);
    await proxy.close();
    await server.close();
  },
});
