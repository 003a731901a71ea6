/**
 * S3Store end to end against OpenStack Swift with s3api (single node on loopback, started
 * and stopped here): the store contract, listing pagination, batch deletes, conditional
 * writes, credentials (options, environment, wrong keys), anonymous access, virtual-host
 * addressing, `resolveStore` and the zarr API on `s3://`, and the fault matrix through the
 * fault-injecting proxy. Without Swift the tests skip with a printed reason, except under
 * `CI=true`, where they fail.
 */
import assert from "node:assert/strict";
import * as zarr from "../../mod.ts";
import { ReadOnlyError, ZarrTypeError, ZarrValueError } from "../../src/errors.ts";
import { resolveStore } from "../../src/stores/resolve.ts";
import { RemoteStoreError } from "../../src/stores/retry.ts";
import { S3Store, type S3StoreOptions, s3StoreOptionsFrom } from "../../src/stores/s3.ts";
import { storeContract } from "./contract.ts";
import { FaultProxy, type ProxyRequest } from "./servers/fault_proxy.ts";
import { type FaultOp, type FaultScenario, runFaultMatrix } from "./servers/faults.ts";
import { FaultMatrix } from "./servers/matrix.ts";
import { startSwift, swiftMissing, type SwiftServer } from "./servers/swift.ts";

const BUCKET = "zarr-test";
const PUBLIC = "zarr-public";
const enc = new TextEncoder();
const dec = new TextDecoder();
const T = { sanitizeOps: false, sanitizeResources: false };

const missing = await swiftMissing();
let swift: SwiftServer | undefined;
let startError: unknown;
if (missing === undefined) {
  try {
    swift = await startSwift({ buckets: [BUCKET, PUBLIC] });
    console.log(`Swift (s3api) started in ${swift.startSeconds.toFixed(1)} s at ${swift.endpoint}`);
  } catch (e) {
    startError = e;
  }
}
const skip = missing !== undefined && Deno.env.get("CI") !== "true" ? missing : undefined;
if (missing !== undefined && skip === undefined) {
  Deno.test("S3Store: OpenStack Swift is required when CI=true", () => {
    throw new Error(`${missing} (required when CI=true)`);
  });
}
if (startError !== undefined) {
  Deno.test("S3Store: Swift starts", () => {
    throw startError;
  });
}
const ready = swift !== undefined;
const proxy = ready ? new FaultProxy({ hostname: "127.0.0.1", port: swift!.port }) : undefined;

/** Options for a store talking to Swift (directly, or through the fault proxy). */
function opts(extra: S3StoreOptions = {}, viaProxy = false): S3StoreOptions {
  return {
    endpoint: viaProxy ? proxy!.origin : swift!.endpoint,
    region: swift!.region,
    accessKeyId: swift!.accessKeyId,
    secretAccessKey: swift!.secretAccessKey,
    ...extra,
  };
}

/** A test that needs Swift: ignored (with the reason printed once) when it cannot run. */
function s3test(name: string, fn: () => Promise<void>): void {
  Deno.test({ name: `S3Store: ${name}`, ignore: !ready, ...T, fn });
}
if (skip !== undefined) console.log(`SKIPPED S3Store tests: ${skip}`);

let fixtures = 0;
const contract = storeContract({
  name: "S3Store",
  typeName: "S3Store",
  sanitize: false,
  skip: ready ? undefined : (missing ?? "Swift did not start"),
  make: () => {
    const url = `s3://${BUCKET}/contract/${++fixtures}`;
    return Promise.resolve({
      store: new S3Store(url, opts()),
      reopen: () => Promise.resolve(new S3Store(url, opts())),
      cleanup: () => new S3Store(url, opts()).deleteDir(""),
    });
  },
});
console.log(`S3Store contract: ${contract.total} tests, ${contract.ignored} ignored`);

const collect = <T>(it: AsyncIterable<T>) => Array.fromAsync(it);

s3test("URLs: path style for custom endpoints, virtual host for AWS", async () => {
  const s = new S3Store(`s3://${BUCKET}/a/b/`, opts());
  assert.equal(s.bucket, BUCKET);
  assert.equal(s.prefix, "a/b/");
  assert.equal(s.url, `s3://${BUCKET}/a/b/`);
  assert.equal(s.addressingStyle, "path");
  assert.equal(s.objectUrl("x y/ü"), `${swift!.endpoint}/${BUCKET}/a/b/x%20y/%C3%BC`);
  const aws = new S3Store("s3://my-bucket/p", { region: "eu-west-1", anonymous: true, env: {} });
  assert.equal(aws.endpoint, "https://s3.eu-west-1.amazonaws.com/");
  assert.equal(aws.addressingStyle, "virtual");
  assert.equal(aws.objectUrl("k"), "https://my-bucket.s3.eu-west-1.amazonaws.com/p/k");
  const forced = new S3Store("s3://my-bucket", {
    region: "eu-west-1",
    anonymous: true,
    addressingStyle: "path",
    env: {},
  });
  assert.equal(forced.objectUrl("k"), "https://s3.eu-west-1.amazonaws.com/my-bucket/k");
  const dotted = new S3Store("s3://a.b.c/p", { anonymous: true, env: {} });
  assert.equal(dotted.addressingStyle, "path");
  assert.throws(() => new S3Store("s3://", {}), ZarrValueError);
  assert.throws(() => new S3Store("http://b/p", {}), ZarrValueError);
  assert.throws(() => new S3Store("s3://b/../x", { env: {} }), ZarrValueError);
  assert.throws(() => new S3Store("s3://b", { accessKeyId: "k", env: {} }), ZarrTypeError);
  assert.throws(() => new S3Store("s3://b", { pageSize: 5000, env: {} }), ZarrValueError);
  assert.throws(() => new S3Store("s3://b", { deleteBatchSize: 0, env: {} }), ZarrValueError);
  await Promise.resolve();
});

s3test("virtual-host requests reach Swift (Host header through an HTTP proxy)", async () => {
  const client = Deno.createHttpClient({ proxy: { url: proxy!.origin } });
  try {
    const hosts: string[] = [];
    const s = new S3Store(`s3://${BUCKET}/vhost`, {
      ...opts(),
      endpoint: `http://${swift!.storageDomain}:${swift!.port}`,
      addressingStyle: "virtual",
      fetch: (r) => {
        hosts.push(new URL(r.url).host);
        return fetch(r, { client });
      },
    });
    assert.equal(
      s.objectUrl("k"),
      `http://${BUCKET}.${swift!.storageDomain}:${swift!.port}/vhost/k`,
    );
    await s.set("k", enc.encode("virtual"));
    assert.equal(dec.decode(await s.get("k", { offset: 1, length: 3 })), "irt");
    assert.deepEqual(await collect(s.list()), ["k"]);
    await s.deleteDir("");
    assert.ok(hosts.every((h) => h === `${BUCKET}.${swift!.storageDomain}:${swift!.port}`));
    // and the object is where path-style addressing finds it too
    const p = new S3Store(`s3://${BUCKET}/vhost`, opts());
    assert.equal(await p.exists("k"), false);
  } finally {
    client.close();
  }
});

s3test(
  "listing: pagination with continuation tokens, delimiter listings across pages",
  async () => {
    const s = new S3Store(`s3://${BUCKET}/paging`, opts({ pageSize: 2 }));
    const keys = ["a/0", "a/1", "a/2", "b/x/0", "b/y", "c", "d/e/f/g", "ab"];
    await Promise.all(keys.map((k) => s.set(k, enc.encode(k))));
    const before = s.stats.byMethod.GET ?? 0;
    assert.deepEqual((await collect(s.list())).sort(), [...keys].sort());
    assert.equal((s.stats.byMethod.GET ?? 0) - before, 4, "8 keys in pages of 2");
    assert.deepEqual((await collect(s.listDir(""))).sort(), ["a", "ab", "b", "c", "d"]);
    assert.deepEqual((await collect(s.listDir("b"))).sort(), ["x", "y"]);
    assert.deepEqual(await collect(s.listPrefix("a")), ["a/0", "a/1", "a/2", "ab"]);
    assert.deepEqual(await collect(s.listDir("d/e")), ["f"]);
    await s.deleteDir("");
    assert.deepEqual(await collect(s.list()), []);
  },
);

s3test("deleteDir: DeleteObjects batches over pages of listing", async () => {
  const s = new S3Store(`s3://${BUCKET}/bulk`, opts({ pageSize: 7, deleteBatchSize: 10 }));
  const keys = Array.from({ length: 25 }, (_, i) => `c/${i}`);
  await Promise.all(keys.map((k) => s.set(k, new Uint8Array([1]))));
  await s.set("keep/me", new Uint8Array([2]));
  const posts = s.stats.byMethod.POST ?? 0;
  const deletes = s.stats.byMethod.DELETE ?? 0;
  await s.deleteDir("c");
  assert.equal((s.stats.byMethod.POST ?? 0) - posts, 3, "25 keys in batches of 10");
  assert.equal((s.stats.byMethod.DELETE ?? 0) - deletes, 0);
  assert.deepEqual(await collect(s.list()), ["keep/me"]);
  await s.deleteDir("");
});

s3test("setIfNotExists: Swift refuses conditional PUTs (501), HEAD + PUT is used", async () => {
  const s = new S3Store(`s3://${BUCKET}/cond`, opts());
  await s.setIfNotExists("k", enc.encode("first"));
  await s.setIfNotExists("k", enc.encode("second"));
  await s.setIfNotExists("k2", enc.encode("other"));
  assert.equal(dec.decode(await s.get("k")), "first");
  assert.equal(dec.decode(await s.get("k2")), "other");
  assert.equal(s.stats.byMethod.PUT, 3, "one refused conditional PUT, then two plain PUTs");
  assert.equal(s.stats.byMethod.HEAD, 3, "after the 501, every call asks first");
  await s.deleteDir("");
});

s3test("credentials: wrong keys are errors (not missing keys) naming URL and S3 code", async () => {
  const s = new S3Store(`s3://${BUCKET}/creds`, opts({ secretAccessKey: "wrong" }));
  for (const op of [() => s.get("k"), () => s.exists("k"), () => s.set("k", new Uint8Array(1))]) {
    await assert.rejects(op(), (e: Error) => {
      assert.ok(e instanceof RemoteStoreError, String(e));
      assert.equal(e.status, 403);
      assert.ok(e.message.includes(`${swift!.endpoint}/${BUCKET}/creds/k`), e.message);
      return true;
    });
  }
  await assert.rejects(
    s.get("k"),
    (e: Error) => e instanceof RemoteStoreError && e.code === "SignatureDoesNotMatch",
  );
  const nob = new S3Store("s3://no-such-bucket", opts());
  await assert.rejects(
    collect(nob.list()),
    (e: Error) => e instanceof RemoteStoreError && e.code === "NoSuchBucket",
  );
});

s3test("credentials from the environment (AWS_* variables, and Deno.env)", async () => {
  const env = {
    AWS_ACCESS_KEY_ID: swift!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: swift!.secretAccessKey,
    AWS_REGION: swift!.region,
    AWS_ENDPOINT_URL: swift!.endpoint,
  };
  const s = new S3Store(`s3://${BUCKET}/env`, { env });
  assert.equal(s.anonymous, false);
  assert.equal(s.endpoint, swift!.endpoint + "/");
  await s.set("k", enc.encode("from env"));
  assert.equal(dec.decode(await s.get("k")), "from env");
  const names = [...Object.keys(env), "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"];
  const saved = names.map((n) => [n, Deno.env.get(n)] as const);
  try {
    for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
    Deno.env.delete("AWS_SESSION_TOKEN");
    Deno.env.delete("AWS_ENDPOINT_URL_S3");
    const viaResolve = await resolveStore(`s3://${BUCKET}/env`, { mode: "r" });
    assert.ok(viaResolve instanceof S3Store && viaResolve.readOnly && !viaResolve.anonymous);
    assert.equal(dec.decode(await viaResolve.get("k")), "from env");
  } finally {
    for (const [n, v] of saved) v === undefined ? Deno.env.delete(n) : Deno.env.set(n, v);
  }
  await s.deleteDir("");
});

s3test("anonymous access: unsigned requests to a public bucket", async () => {
  const owner = new S3Store(`s3://${PUBLIC}/ds`, opts());
  await owner.set("zarr.json", enc.encode('{"zarr_format":3}'));
  await swift!.makePublic(PUBLIC);
  const sent: Request[] = [];
  // Swift serves public containers on its own API path (s3api refuses unsigned requests),
  // which an S3 endpoint with a path addresses path-style: <storageUrl>/<bucket>/<key>
  const anon = new S3Store(`s3://${PUBLIC}/ds`, {
    endpoint: swift!.storageUrl,
    anonymous: true,
    fetch: (r) => {
      sent.push(r);
      return fetch(r);
    },
  });
  assert.equal(anon.anonymous, true);
  assert.equal(dec.decode(await anon.get("zarr.json")), '{"zarr_format":3}');
  assert.equal(dec.decode(await anon.get("zarr.json", { suffix: 2 })), "3}");
  assert.equal(await anon.get("missing"), undefined);
  assert.equal(await anon.exists("zarr.json"), true);
  assert.ok(sent.every((r) => !r.headers.has("authorization")));
  // the S3 API itself answers unsigned requests with 400: a clear error, not "missing"
  const s3anon = new S3Store(`s3://${PUBLIC}/ds`, {
    endpoint: swift!.endpoint,
    anonymous: true,
    retry: { retries: 0 },
  });
  await assert.rejects(
    s3anon.get("zarr.json"),
    (e: Error) => e instanceof RemoteStoreError && e.status === 400,
  );
  await owner.deleteDir("");
});

s3test("resolveStore and storageOptions (camelCase and s3fs names)", async () => {
  const so = {
    key: swift!.accessKeyId,
    secret: swift!.secretAccessKey,
    client_kwargs: { endpoint_url: swift!.endpoint, region_name: swift!.region },
  };
  const w = await resolveStore(`s3://${BUCKET}/resolve`, { mode: "w", storageOptions: so });
  assert.ok(w instanceof S3Store && !w.readOnly);
  await w.set("k", enc.encode("v"));
  const r = await resolveStore(`s3://${BUCKET}/resolve`, { mode: "r", storageOptions: so });
  assert.ok(r instanceof S3Store && r.readOnly);
  assert.equal(dec.decode(await r.get("k")), "v");
  await assert.rejects(r.set("k", enc.encode("x")), ReadOnlyError);
  assert.deepEqual(s3StoreOptionsFrom({ anon: true, endpoint_url: "http://e" }), {
    anonymous: true,
    endpoint: "http://e",
  });
  assert.throws(() => s3StoreOptionsFrom({ bogus: 1 }), ZarrTypeError);
  assert.throws(() => s3StoreOptionsFrom({ key: "a", accessKeyId: "b" }), ZarrTypeError);
  await assert.rejects(
    resolveStore(`s3://${BUCKET}/resolve`, { storageOptions: { endpoint: 5 } }),
    ZarrTypeError,
  );
  await w.deleteDir("");
});

s3test("the zarr API on s3:// (create, write, consolidate, open, read)", async () => {
  const storageOptions = {
    endpoint: swift!.endpoint,
    region: swift!.region,
    accessKeyId: swift!.accessKeyId,
    secretAccessKey: swift!.secretAccessKey,
  };
  const url = `s3://${BUCKET}/api/data.zarr`;
  const g = await zarr.group({ store: url, storageOptions, overwrite: true });
  const a = await g.createArray("t", { shape: [30, 40], chunks: [10, 20], dtype: "float64" });
  const values = Float64Array.from({ length: 1200 }, (_, i) => i / 2);
  await a.setitem(null, zarr.ndarray(values, [30, 40]));
  await zarr.consolidateMetadata(await resolveStore(url, { storageOptions }));
  const opened = await zarr.open({ store: url, storageOptions, mode: "r" });
  assert.ok(opened instanceof zarr.AsyncGroup);
  const t = await opened.getitem("t");
  assert.ok(t instanceof zarr.AsyncArray);
  const w = await t.getitem("12:18, 30:40");
  assert.equal((w.data as Float64Array)[0], (12 * 40 + 30) / 2);
  const store = await resolveStore(url, { storageOptions });
  assert.ok((await collect(store.listDir("t/c"))).length > 0);
  await store.deleteDir("");
});

s3test("a sharded window is read with ranged GETs (index + coalesced chunks)", async () => {
  const store = new S3Store(`s3://${BUCKET}/sharded`, opts());
  const a = await zarr.createArray(store, {
    shape: [64, 64],
    chunks: [8, 8],
    shards: [32, 32],
    dtype: "uint16",
    fillValue: 0,
  });
  const values = Uint16Array.from({ length: 4096 }, (_, i) => i);
  await a.setitem(null, zarr.ndarray(values, [64, 64]));
  const seen: string[] = [];
  const reader = new S3Store(`s3://${BUCKET}/sharded`, {
    ...opts(),
    fetch: (r) => {
      seen.push(`${r.method} ${new URL(r.url).pathname} ${r.headers.get("range")}`);
      return fetch(r);
    },
  });
  const remote = await zarr.openArray({ store: reader, mode: "r" });
  seen.length = 0;
  const w = await remote.getitem("40:56, 36:44");
  assert.equal((w.data as Uint16Array)[0], 40 * 64 + 36);
  console.log(`sharded 16x8 window over S3: ${JSON.stringify(seen)}`);
  assert.ok(seen.every((l) => l.startsWith("GET ") && !l.endsWith(" null")), "ranged GETs only");
  assert.ok(seen.length <= 3, `${seen.length} requests`);
  await store.deleteDir("");
});

// ---- fault matrix --------------------------------------------------------------------------

s3test("fault matrix through the fault-injecting proxy", async () => {
  const retry = { retries: 3, baseDelayMs: 5, maxDelayMs: 20 };
  const url = `s3://${BUCKET}/faults`;
  const direct = new S3Store(url, opts());
  const store = new S3Store(url, opts({ retry, timeoutMs: 10_000, pageSize: 2 }, true));
  const slow = new S3Store(url, opts({ retry, timeoutMs: 250, pageSize: 2 }, true));
  const data = new Uint8Array(64 << 10);
  for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
  await direct.set("obj", data);
  for (const k of ["l/a", "l/b/0", "l/c"]) await direct.set(k, enc.encode(k));
  const isList = (r: ProxyRequest) => r.target.includes("list-type=2");
  const isGet = (r: ProxyRequest) => r.method === "GET" && !isList(r);
  const eq = (want: Uint8Array) => (got: unknown) => assert.deepEqual(got, want);
  let version = 0;
  let newValue = new Uint8Array(0);
  const ops: FaultOp[] = [
    { name: "get", match: isGet, body: true, run: (s) => s.get("obj"), check: eq(data) },
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
      match: (r) => r.method === "HEAD",
      body: false,
      run: (s) => s.exists("obj"),
      check: (v) => assert.equal(v, true),
    },
    {
      name: "set",
      match: (r) => r.method === "PUT",
      body: false,
      upload: true,
      prepare: async () => {
        const old = enc.encode(`old value ${++version} `.repeat(2000));
        newValue = enc.encode(`new value ${version} `.repeat(2000));
        await direct.set("w/obj", old);
      },
      run: (s) => s.set("w/obj", newValue),
      check: () => {},
      verify: async (ok) => {
        const now = dec.decode(await direct.get("w/obj"));
        const want = dec.decode(newValue);
        const old = `old value ${version} `.repeat(2000);
        if (ok) assert.equal(now, want, "a successful write left another value");
        else assert.ok(now === old || now === want, `neither old nor new: ${now.slice(0, 40)}`);
      },
    },
    {
      name: "delete",
      match: (r) => r.method === "DELETE",
      body: false,
      prepare: () => direct.set("d/obj", enc.encode("doomed")),
      run: (s) => s.delete("d/obj"),
      check: () => {},
      verify: async (ok) => {
        if (ok) assert.equal(await direct.exists("d/obj"), false);
      },
    },
    {
      name: "listDir",
      match: isList,
      body: true,
      run: (s) => collect(s.listDir("l")),
      check: (v) => assert.deepEqual((v as string[]).sort(), ["a", "b", "c"]),
    },
  ];
  const st = (status: number) => ({ kind: "status" as const, status });
  const scenarios: FaultScenario[] = [
    { name: "503 x2", faults: [st(503), st(503)], expect: "ok", minRequests: 3 },
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
      store: slow,
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
    {
      name: "upload cut half-way x1",
      faults: [{ kind: "cut-upload" }],
      expect: "ok",
      minRequests: 2,
      needs: "upload",
    },
    { name: "503 forever", faults: { always: st(503) }, expect: "error", minRequests: 4 },
    {
      name: "reset forever",
      faults: { always: { kind: "reset" } },
      expect: "error",
      minRequests: 4,
    },
    {
      name: "truncated, no Content-Length forever",
      faults: { always: { kind: "truncate-unframed" } },
      expect: "error",
      minRequests: 4,
      needs: "body",
    },
    {
      name: "upload cut forever",
      faults: { always: { kind: "cut-upload" } },
      expect: "error",
      minRequests: 4,
      needs: "upload",
    },
  ];
  const matrix = new FaultMatrix("S3Store -> fault proxy -> Swift s3api", ops.map((o) => o.name));
  const errors = new Map<string, string>();
  const totals = { requests: 0, faults: 0 };
  const problems = await runFaultMatrix(proxy!, matrix, store, scenarios, ops, errors, totals);
  matrix.print();
  for (const [s, m] of errors) console.log(`error after the budget (${s}): ${m}`);
  console.log(
    `fault matrix requests: ${totals.requests} through the proxy, ${totals.faults} faults ` +
      `injected; S3Store counters: ${JSON.stringify(store.stats)}; short-timeout store: ${
        JSON.stringify(slow.stats)
      }`,
  );
  await direct.deleteDir("");
  assert.deepEqual(problems, []);
});

Deno.test({
  name: "S3Store: stop Swift and the proxy",
  ignore: !ready,
  ...T,
  fn: async () => {
    await proxy?.close();
    await swift?.stop();
  },
});
