/**
 * Unit tests of the pieces behind FetchStore and S3Store: the XML parser, the retry policy
 * and semaphore, range/Content-Range helpers, body reading with its length check, and the
 * request engine (with fake fetch functions, no network).
 */
import assert from "node:assert/strict";
import { ZarrValueError } from "../../src/errors.ts";
import {
  HttpEngine,
  isRetryableStatus,
  parseContentRange,
  rangeHeader,
  readBody,
  readRangeResponse,
} from "../../src/stores/http.ts";
import {
  backoffDelay,
  RemoteStoreError,
  resolveRetryOptions,
  RetryableError,
  retryAfterMs,
  Semaphore,
  sleep,
  TruncatedBodyError,
} from "../../src/stores/retry.ts";
import {
  childElements,
  childText,
  decodeXmlEntities,
  escapeXml,
  parseXml,
  textOf,
} from "../../src/stores/xml.ts";

const enc = new TextEncoder();

Deno.test("xml: S3 documents, entities, CDATA, namespaces, comments", () => {
  const doc = parseXml(
    `<?xml version='1.0' encoding='UTF-8'?>\n<!-- c -->` +
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>` +
      `<Prefix/><Contents><Key>a%20b/&amp;&lt;x&gt;&#x41;&#66;</Key><Size>3</Size></Contents>` +
      `<Contents><Key><![CDATA[<raw>&]]></Key></Contents>` +
      `<s3:IsTruncated xmlns:s3="u">true</s3:IsTruncated></ListBucketResult>`,
  );
  assert.equal(doc.name, "ListBucketResult");
  assert.equal(doc.attributes.xmlns, "http://s3.amazonaws.com/doc/2006-03-01/");
  const contents = childElements(doc, "Contents");
  assert.equal(contents.length, 2);
  assert.equal(childText(contents[0], "Key"), "a%20b/&<x>AB");
  assert.equal(childText(contents[1], "Key"), "<raw>&");
  assert.equal(childText(doc, "Prefix"), "");
  assert.equal(childText(doc, "IsTruncated"), "true");
  assert.equal(childText(doc, "Missing"), undefined);
  assert.equal(textOf(parseXml("<a>x<b>y</b>z</a>")), "xyz");
  assert.equal(decodeXmlEntities("&unknown; &amp;amp;"), "&unknown; &amp;");
  assert.equal(
    escapeXml(`<a b="c">'&'</a>`),
    "&lt;a b=&quot;c&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;",
  );
  for (const bad of ["", "<a>", "<a></b>", "<a/><b/>", "text", "<a><b></a>", "<a x=1/>"]) {
    assert.throws(() => parseXml(bad), ZarrValueError, bad);
  }
});

Deno.test("retry: options, full-jitter backoff, Retry-After", () => {
  const o = resolveRetryOptions({ retries: 2.7, baseDelayMs: 100, maxDelayMs: 1000 });
  assert.equal(o.retries, 2);
  assert.throws(() => resolveRetryOptions({ retries: -1 }), ZarrValueError);
  assert.throws(() => resolveRetryOptions({ baseDelayMs: NaN }), ZarrValueError);
  assert.equal(backoffDelay(0, o, () => 0.999), 99);
  assert.equal(backoffDelay(3, o, () => 0.5), 400);
  assert.equal(backoffDelay(10, o, () => 0.999), 999); // capped
  assert.equal(backoffDelay(5, o, () => 0), 0);
  assert.equal(retryAfterMs("3"), 3000);
  assert.equal(retryAfterMs(null), undefined);
  assert.equal(retryAfterMs("soon"), undefined);
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.equal(retryAfterMs("Wed, 01 Jan 2025 00:00:02 GMT", now), 2000);
  assert.equal(retryAfterMs("Tue, 31 Dec 2024 00:00:00 GMT", now), 0);
});

Deno.test("retry: the semaphore is FIFO, bounded, and abortable", async () => {
  const sem = new Semaphore(2);
  const order: number[] = [];
  const r1 = await sem.acquire();
  const r2 = await sem.acquire();
  assert.equal(sem.active, 2);
  const waiters = [3, 4, 5].map((n) => sem.acquire().then((rel) => (order.push(n), rel)));
  const ac = new AbortController();
  const aborted = sem.acquire(ac.signal);
  assert.equal(sem.waiting, 4);
  ac.abort(new Error("gone"));
  await assert.rejects(aborted, /gone/);
  assert.equal(sem.waiting, 3);
  r1();
  r1(); // a second release is ignored
  const rel3 = await waiters[0];
  assert.deepEqual(order, [3]);
  r2();
  rel3();
  const [, rel4, rel5] = await Promise.all(waiters);
  assert.deepEqual(order, [3, 4, 5]);
  rel4();
  rel5();
  assert.equal(sem.active, 0);
  assert.throws(() => new Semaphore(0), ZarrValueError);
  await assert.rejects(sem.acquire(AbortSignal.abort(new Error("early"))), /early/);
  const ac2 = new AbortController();
  const slept = sleep(10_000, ac2.signal);
  ac2.abort(new Error("woken"));
  await assert.rejects(slept, /woken/);
});

Deno.test("http: Range headers, Content-Range parsing, retryable statuses", () => {
  assert.equal(rangeHeader({ offset: 0, length: 1 }), "bytes=0-0");
  assert.equal(rangeHeader({ offset: 5 }), "bytes=5-");
  assert.equal(rangeHeader({ suffix: 3 }), "bytes=-3");
  assert.deepEqual(parseContentRange("bytes 0-9/100"), { start: 0, end: 9, total: 100 });
  assert.deepEqual(parseContentRange("bytes 5-9/*"), { start: 5, end: 9 });
  assert.deepEqual(parseContentRange("bytes */42"), { total: 42 });
  assert.equal(parseContentRange("bytes 9-5/100"), undefined);
  assert.equal(parseContentRange("items 0-1/2"), undefined);
  assert.equal(parseContentRange(null), undefined);
  for (const s of [408, 429, 500, 502, 503, 504, 599]) assert.ok(isRetryableStatus(s), String(s));
  for (const s of [200, 400, 403, 404, 416, 501, 505]) assert.ok(!isRetryableStatus(s), String(s));
});

Deno.test("http: bodies are length-checked; ranged answers are checked and sliced", async () => {
  const ctx = { url: "http://h/k", key: "k" };
  const body = (s: string, init?: ResponseInit) => new Response(enc.encode(s), init);
  assert.equal((await readBody(body("hello"), ctx, { expected: 5 })).length, 5);
  await assert.rejects(readBody(body("hel"), ctx, { expected: 5 }), (e: Error) => {
    assert.ok(e instanceof RetryableError && e.cause instanceof TruncatedBodyError);
    assert.match(e.message, /expected 5 bytes, received 3/);
    return true;
  });
  const part = (s: string, cr: string) =>
    body(s, { status: 206, headers: { "Content-Range": cr } });
  const dec = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(
    dec(await readRangeResponse(part("cde", "bytes 2-4/10"), { offset: 2, length: 3 }, ctx)),
    "cde",
  );
  // a short 206 is a truncation (retryable); a wrong start is a server error (not retried)
  await assert.rejects(
    readRangeResponse(part("cd", "bytes 2-4/10"), { offset: 2, length: 3 }, ctx),
    RetryableError,
  );
  await assert.rejects(
    readRangeResponse(part("cde", "bytes 3-5/10"), { offset: 2, length: 3 }, ctx),
    (e: Error) => e instanceof RemoteStoreError && /for the request bytes=2-4/.test(e.message),
  );
  await assert.rejects(
    readRangeResponse(part("xyz", "bytes 0-2/10"), { suffix: 3 }, ctx),
    RemoteStoreError,
  );
  await assert.rejects(
    readRangeResponse(body("x", { status: 206 }), { offset: 0 }, ctx),
    RemoteStoreError,
  );
  // 200 to a range: sliced here (offset past the end gives nothing)
  const full = () => body("0123456789");
  assert.equal(dec(await readRangeResponse(full(), { offset: 8, length: 5 }, ctx)), "89");
  assert.equal(dec(await readRangeResponse(full(), { offset: 20, length: 5 }, ctx)), "");
  assert.equal(dec(await readRangeResponse(full(), { offset: 7 }, ctx)), "789");
  assert.equal(dec(await readRangeResponse(full(), { suffix: 20 }, ctx)), "0123456789");
  assert.equal(
    dec(await readRangeResponse(new Response(null, { status: 416 }), { offset: 10 }, ctx)),
    "",
  );
});

Deno.test("http engine: retries within the budget, then a clear error", async () => {
  const statuses = [503, 500, 200];
  let calls = 0;
  const engine = new HttpEngine("Fake", {
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 },
    fetch: () => {
      const s = statuses[calls++];
      return Promise.resolve(
        new Response(s === 200 ? "ok" : "<Code>SlowDown</Code>", { status: s }),
      );
    },
  });
  const run = () =>
    engine.run(
      { method: "GET", url: "http://h/k", key: "k" },
      (signal) => new Request("http://h/k", { signal }),
      (res) => res.text(),
    );
  assert.equal(await run(), "ok");
  assert.equal(calls, 3);
  assert.equal(engine.stats.retries, 2);
  // budget exhausted: the error names the URL, the key, the attempts and the last reason
  calls = 0;
  statuses.splice(0, 3, 503, 503, 503, 503, 503);
  await assert.rejects(run(), (e: Error) => {
    assert.ok(e instanceof RemoteStoreError);
    assert.equal(e.attempts, 4);
    assert.equal(e.status, 503);
    assert.equal(e.code, "SlowDown");
    assert.match(e.message, /Fake: GET http:\/\/h\/k \(key 'k'\) failed after 4 attempts/);
    return true;
  });
  // network errors are retried; a 501 goes to the handler at once
  let n = 0;
  const flaky = new HttpEngine("Fake", {
    retry: { retries: 2, baseDelayMs: 1 },
    fetch: () =>
      n++ === 0
        ? Promise.reject(new TypeError("reset"))
        : Promise.resolve(new Response(null, { status: 501 })),
  });
  const status = await flaky.run(
    { method: "HEAD", url: "http://h/k" },
    (signal) => new Request("http://h/k", { signal }),
    (res) => Promise.resolve(res.status),
  );
  assert.equal(status, 501);
  assert.equal(n, 2);
});

Deno.test("http engine: per-attempt timeout, Retry-After cap, abort during backoff", async () => {
  let calls = 0;
  const engine = new HttpEngine("Fake", {
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 50 },
    timeoutMs: 30,
    fetch: (req) =>
      new Promise((resolve, reject) => {
        calls++;
        if (calls === 1) {
          req.signal.addEventListener("abort", () => reject(req.signal.reason));
          return; // hangs until the timeout
        }
        resolve(new Response("late but fine"));
      }),
  });
  const t0 = performance.now();
  const text = await engine.run(
    { method: "GET", url: "http://h/k" },
    (signal) => new Request("http://h/k", { signal }),
    (res) => res.text(),
  );
  assert.equal(text, "late but fine");
  assert.ok(performance.now() - t0 < 1000);
  // Retry-After: 3600 is capped by maxDelayMs
  let k = 0;
  const limited = new HttpEngine("Fake", {
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 20 },
    fetch: () =>
      Promise.resolve(
        k++ === 0
          ? new Response("", { status: 429, headers: { "Retry-After": "3600" } })
          : new Response("ok"),
      ),
  });
  const t1 = performance.now();
  await limited.run(
    { method: "GET", url: "http://h/k" },
    (signal) => new Request("http://h/k", { signal }),
    (res) => res.text(),
  );
  const waited = performance.now() - t1;
  assert.ok(waited >= 15 && waited < 1000, `waited ${waited} ms`);
  // aborting while backing off rejects with the reason
  const ac = new AbortController();
  const failing = new HttpEngine("Fake", {
    retry: { retries: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 },
    signal: ac.signal,
    fetch: () => Promise.resolve(new Response("", { status: 503 })),
  });
  const p = failing.run(
    { method: "GET", url: "http://h/k" },
    (signal) => new Request("http://h/k", { signal }),
    (res) => res.text(),
  );
  setTimeout(() => ac.abort(new DOMException("user stop", "AbortError")), 20);
  await assert.rejects(p, (e: Error) => e.name === "AbortError");
});
