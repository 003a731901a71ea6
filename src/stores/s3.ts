/**
 * `S3Store`: a store over any S3-compatible object storage (`s3://bucket/prefix`), signed with
 * SigV4 by `aws4fetch`, with the retry policy of the HTTP stores.
 *
 * @example
 * ```ts
 * import { S3Store } from "./s3.ts";
 * const store = new S3Store("s3://my-bucket/data.zarr", {
 *   endpoint: "http://127.0.0.1:9000",
 *   region: "us-east-1",
 *   accessKeyId: "key",
 *   secretAccessKey: "secret",
 * });
 * await store.set("zarr.json", new TextEncoder().encode("{}"));
 * ```
 * @module
 */
import { AwsClient } from "aws4fetch";
import { createHash } from "node:crypto";
import { ReadOnlyError, ZarrTypeError, ZarrValueError } from "../errors.ts";
import {
  checkValue,
  normalizeDirPrefix,
  normalizeRange,
  validateKey,
  validateListPrefix,
} from "./common.ts";
import {
  declaredLength,
  discard,
  encodeKey,
  encodeRfc3986,
  HttpEngine,
  type HttpStoreOptions,
  isEmptyRange,
  rangeHeader,
  readBody,
  readRangeResponse,
  type RequestStats,
} from "./http.ts";
import { RemoteStoreError, RetryableError, TruncatedBodyError } from "./retry.ts";
import type { RangeRequest, Store } from "./types.ts";
import { childElements, childText, escapeXml, parseXml, type XmlElement } from "./xml.ts";

/** How bucket names go into URLs. */
export type AddressingStyle = "auto" | "path" | "virtual";

/** Options of {@link S3Store}. */
export interface S3StoreOptions extends HttpStoreOptions {
  /**
   * Endpoint URL of the S3-compatible service (default: `$AWS_ENDPOINT_URL_S3`,
   * `$AWS_ENDPOINT_URL`, else `https://s3.<region>.amazonaws.com`). May carry a path.
   */
  endpoint?: string;
  /** Signing region (default: `$AWS_REGION`, `$AWS_DEFAULT_REGION`, else `us-east-1`). */
  region?: string;
  /** Access key (default: `$AWS_ACCESS_KEY_ID`). */
  accessKeyId?: string;
  /** Secret key (default: `$AWS_SECRET_ACCESS_KEY`). */
  secretAccessKey?: string;
  /** Session token for temporary credentials (default: `$AWS_SESSION_TOKEN`). */
  sessionToken?: string;
  /**
   * Send unsigned requests (public buckets). Also the behaviour when no credentials are
   * found anywhere.
   */
  anonymous?: boolean;
  /**
   * `"path"`: `<endpoint>/<bucket>/<key>`; `"virtual"`: `<bucket>.<endpoint host>/<key>`;
   * `"auto"` (default): virtual for AWS endpoints and DNS-compatible bucket names, path
   * otherwise.
   */
  addressingStyle?: AddressingStyle;
  /** Refuse writes with `ReadOnlyError` (default false). */
  readOnly?: boolean;
  /** Keys per ListObjectsV2 page (1 to 1000, default 1000). */
  pageSize?: number;
  /** Keys per DeleteObjects request in `deleteDir` (1 to 1000, default 1000). */
  deleteBatchSize?: number;
  /** Extra headers sent with every request. */
  headers?: HeadersInit;
  /** Environment to read the `AWS_*` variables from (default: `Deno.env`). */
  env?: Record<string, string | undefined>;
}

interface Shared {
  engine: HttpEngine;
  signer?: AwsClient;
  bucket: string;
  prefix: string; // "" or ending in "/"
  endpoint: URL;
  region: string;
  style: "path" | "virtual";
  headers: Headers;
  pageSize: number;
  deleteBatchSize: number;
  /** undefined: not known yet; false: the server refused `If-None-Match: *` on PUT. */
  conditionalPut?: boolean;
  /** false once the server refused DeleteObjects. */
  batchDelete: boolean;
}

const SHARED = Symbol("S3Store.shared");
// characters XML 1.0 cannot carry: such keys are deleted one by one
// deno-lint-ignore no-control-regex
const XML_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * A store over an S3 bucket (or a prefix in it) on AWS or any S3-compatible server (MinIO,
 * Ceph, Swift's s3api, R2, ...).
 *
 * - `get` with ranges; 404 means missing (403 too for anonymous access, where S3 hides
 *   missing keys behind AccessDenied); other errors raise `RemoteStoreError` with the S3
 *   error code.
 * - `set` is one PUT with `Content-MD5`, so a write is all or nothing: an interrupted upload
 *   never leaves a partial object, and a corrupted one is refused by the server.
 * - `setIfNotExists` uses `If-None-Match: *` where the server supports it, else HEAD + PUT.
 * - `deleteDir` lists the prefix and deletes in batches of up to 1000 keys (DeleteObjects,
 *   with `Content-MD5`), or key by key where the server has no batch delete.
 * - `list`, `listPrefix`, `listDir` use ListObjectsV2 (delimiter `/` for `listDir`), page by
 *   page with continuation tokens.
 * - Credentials from the options or `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
 *   `AWS_SESSION_TOKEN`; none at all, or `anonymous: true`, means unsigned requests.
 * - Retries like `FetchStore` (5xx, 429, 408, network errors, timeouts, short bodies).
 *
 * @example
 * ```ts
 * import { S3Store } from "./s3.ts";
 * const pub = new S3Store("s3://some-public-bucket/dataset.zarr", { anonymous: true, region: "us-west-2" });
 * for await (const name of pub.listDir("")) console.log(name);
 * ```
 */
export class S3Store implements Store {
  /** True when the store refuses writes. */
  readonly readOnly: boolean;
  /** Always true. */
  readonly supportsWrites = true;
  /** Always true. */
  readonly supportsDeletes = true;
  /** Always true. */
  readonly supportsListing = true;
  /** `"S3Store"`. */
  readonly typeName = "S3Store";
  /** Remote: metadata lookups ask for `zarr.json` first instead of three documents at once. */
  readonly remote = true;
  /** Always true. */
  readonly supportsConsolidatedMetadata = true;
  readonly #s: Shared;

  /**
   * @param url `s3://bucket` or `s3://bucket/prefix` (the store's keys live under the prefix)
   * @param options endpoint, region, credentials, addressing style, retry budget, ...
   */
  constructor(url: string | URL, options: S3StoreOptions = {}) {
    const shared = (options as { [SHARED]?: Shared })[SHARED];
    this.readOnly = options.readOnly ?? false;
    this.#s = shared ?? makeShared(url instanceof URL ? url.href : url, options);
  }

  /** The bucket name. */
  get bucket(): string {
    return this.#s.bucket;
  }

  /** The key prefix inside the bucket (`""` or ending in `/`). */
  get prefix(): string {
    return this.#s.prefix;
  }

  /** The endpoint URL in use. */
  get endpoint(): string {
    return this.#s.endpoint.href;
  }

  /** The signing region. */
  get region(): string {
    return this.#s.region;
  }

  /** `"path"` or `"virtual"`: how the bucket goes into URLs. */
  get addressingStyle(): "path" | "virtual" {
    return this.#s.style;
  }

  /** True when requests are unsigned. */
  get anonymous(): boolean {
    return this.#s.signer === undefined;
  }

  /** `s3://bucket/prefix`. */
  get url(): string {
    return `s3://${this.#s.bucket}/${this.#s.prefix}`;
  }

  /** Request counters, shared with the views from {@link withReadOnly}. */
  get stats(): RequestStats {
    return this.#s.engine.stats;
  }

  /**
   * The HTTP URL of a store key (path-style or virtual-host).
   *
   * @example
   * ```ts
   * import { S3Store } from "./s3.ts";
   * const s = new S3Store("s3://b/p", { endpoint: "http://127.0.0.1:8080", anonymous: true });
   * s.objectUrl("a/zarr.json"); // "http://127.0.0.1:8080/b/p/a/zarr.json"
   * ```
   */
  objectUrl(key: string): string {
    return this.#bucketBase() + encodeKey(this.#s.prefix + key);
  }

  /** URL of the bucket, ending in "/". */
  #bucketBase(): string {
    const e = this.#s.endpoint;
    const path = e.pathname.replace(/\/+$/, "");
    if (this.#s.style === "virtual") {
      return `${e.protocol}//${this.#s.bucket}.${e.host}${path}/`;
    }
    return `${e.protocol}//${e.host}${path}/${encodeRfc3986(this.#s.bucket)}/`;
  }

  async #request(
    method: string,
    url: string,
    signal: AbortSignal,
    headers?: Record<string, string>,
    body?: Uint8Array,
  ): Promise<Request> {
    const h = new Headers(this.#s.headers);
    for (const [k, v] of Object.entries(headers ?? {})) h.set(k, v);
    const init: RequestInit = { method, headers: h, signal };
    if (body !== undefined) init.body = body as BodyInit;
    if (this.#s.signer === undefined) return new Request(url, init);
    return await this.#s.signer.sign(url, init);
  }

  #checkWritable(op: string, key: string): void {
    if (this.readOnly) {
      throw new ReadOnlyError(`S3Store is read-only: cannot ${op} '${key}' in ${this.url}`);
    }
  }

  /** Whether a 403 means "missing": only for anonymous access (S3 hides missing keys). */
  #missing403(status: number, code: string | undefined): boolean {
    return status === 403 && this.anonymous && (code === undefined || code === "AccessDenied");
  }

  /** Bytes of `key` (or a range of them); `undefined` when missing. */
  async get(key: string, range?: RangeRequest): Promise<Uint8Array | undefined> {
    validateKey(key);
    if (range !== undefined) normalizeRange(range, Number.MAX_SAFE_INTEGER, key);
    if (isEmptyRange(range)) return (await this.exists(key)) ? new Uint8Array(0) : undefined;
    const url = this.objectUrl(key);
    const ctx = { url, key, stats: this.#s.engine.stats };
    const headers: Record<string, string> = range ? { Range: rangeHeader(range) } : {};
    return await this.#s.engine.run(
      { method: "GET", url, key },
      (signal) => this.#request("GET", url, signal, headers),
      async (res) => {
        if (res.status === 404) {
          await discard(res);
          return undefined;
        }
        if (res.status === 200 && range === undefined && declaredLength(res) === undefined) {
          // no length to check against: verify the MD5 of a single-part upload instead
          const body = await readBody(res, ctx);
          checkEtag(res.headers.get("etag"), body, url, key);
          return body;
        }
        if (res.status === 200 || res.status === 206 || (res.status === 416 && range)) {
          return await readRangeResponse(res, range, ctx);
        }
        const err = await s3Error(res, "GET", url, key);
        if (this.#missing403(res.status, err.code)) return undefined;
        throw err;
      },
    );
  }

  async #head(key: string): Promise<number | undefined> {
    const url = this.objectUrl(key);
    return await this.#s.engine.run(
      { method: "HEAD", url, key },
      (signal) => this.#request("HEAD", url, signal),
      async (res) => {
        await discard(res);
        if (res.status === 404 || this.#missing403(res.status, undefined)) return undefined;
        if (res.ok) {
          const n = declaredLength(res);
          if (n === undefined) {
            throw new RemoteStoreError(`S3Store: HEAD ${url} gave no Content-Length`, {
              url,
              key,
              status: res.status,
            });
          }
          return n;
        }
        throw await s3Error(res, "HEAD", url, key);
      },
    );
  }

  /** Whether `key` exists (HEAD). */
  async exists(key: string): Promise<boolean> {
    validateKey(key);
    return (await this.#head(key)) !== undefined;
  }

  /** Size of `key` in bytes (HEAD), `undefined` when missing. */
  async getSize(key: string): Promise<number | undefined> {
    validateKey(key);
    return await this.#head(key);
  }

  async #put(
    key: string,
    value: Uint8Array,
    ifNoneMatch: boolean,
  ): Promise<"ok" | "exists" | "unsupported"> {
    const url = this.objectUrl(key);
    const md5 = createHash("md5").update(value).digest("base64");
    const headers: Record<string, string> = { "Content-MD5": md5 };
    if (ifNoneMatch) headers["If-None-Match"] = "*";
    return await this.#s.engine.run(
      { method: "PUT", url, key, bodyBytes: value.length },
      (signal) => this.#request("PUT", url, signal, headers, value),
      async (res) => {
        if (res.ok) {
          await discard(res);
          return "ok" as const;
        }
        if (ifNoneMatch && (res.status === 412 || res.status === 409)) {
          await discard(res);
          return "exists" as const;
        }
        const err = await s3Error(res, "PUT", url, key);
        if (err.code === "RequestTimeout") throw new RetryableError(err.message, err);
        if (ifNoneMatch && (res.status === 501 || err.code === "NotImplemented")) {
          this.#s.conditionalPut = false;
          return "unsupported" as const;
        }
        throw err;
      },
    );
  }

  /** Writes `key` with one PUT (all or nothing). */
  async set(key: string, value: Uint8Array): Promise<void> {
    this.#checkWritable("set", key);
    validateKey(key);
    checkValue(key, value);
    await this.#put(key, value, false);
  }

  /**
   * Writes `key` unless it exists: a conditional PUT (`If-None-Match: *`) where supported,
   * else HEAD then PUT (a small race window between concurrent writers remains there).
   */
  async setIfNotExists(key: string, value: Uint8Array): Promise<void> {
    this.#checkWritable("set", key);
    validateKey(key);
    checkValue(key, value);
    if (this.#s.conditionalPut !== false) {
      if ((await this.#put(key, value, true)) !== "unsupported") {
        this.#s.conditionalPut = true;
        return;
      }
    }
    if ((await this.#head(key)) !== undefined) return;
    await this.#put(key, value, false);
  }

  /** Deletes `key` (no error when missing). */
  async delete(key: string): Promise<void> {
    this.#checkWritable("delete", key);
    validateKey(key);
    await this.#deleteOne(this.#s.prefix + key, key);
  }

  async #deleteOne(fullKey: string, key: string): Promise<void> {
    const url = this.#bucketBase() + encodeKey(fullKey);
    await this.#s.engine.run(
      { method: "DELETE", url, key },
      (signal) => this.#request("DELETE", url, signal),
      async (res) => {
        if (res.ok || res.status === 404) {
          await discard(res);
          return;
        }
        throw await s3Error(res, "DELETE", url, key);
      },
    );
  }

  /** Deletes every key under `prefix/` (all keys of the store for `""`). */
  async deleteDir(prefix: string): Promise<void> {
    this.#checkWritable("delete", prefix);
    const p = normalizeDirPrefix(prefix);
    const full = this.#s.prefix + (p === "" ? "" : p + "/");
    const keys: string[] = [];
    for await (const page of this.#pages(full)) keys.push(...page.keys);
    const perKey = keys.filter((k) => XML_UNSAFE.test(k));
    const batchable = keys.filter((k) => !XML_UNSAFE.test(k));
    let i = 0;
    const n = this.#s.deleteBatchSize;
    while (i < batchable.length && this.#s.batchDelete) {
      if (!(await this.#deleteBatch(batchable.slice(i, i + n)))) break;
      i += n;
    }
    perKey.push(...batchable.slice(i));
    await Promise.all(perKey.map((k) => this.#deleteOne(k, k.slice(this.#s.prefix.length))));
  }

  /** One DeleteObjects request; false when the server has no batch delete. */
  async #deleteBatch(fullKeys: string[]): Promise<boolean> {
    const url = this.#bucketBase() + "?delete";
    const xml = `<?xml version="1.0" encoding="UTF-8"?>` +
      `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>` +
      fullKeys.map((k) => `<Object><Key>${escapeXml(k)}</Key></Object>`).join("") +
      `</Delete>`;
    const body = new TextEncoder().encode(xml);
    const md5 = createHash("md5").update(body).digest("base64");
    const headers = { "Content-MD5": md5, "Content-Type": "application/xml" };
    const what = `${fullKeys.length} keys under '${this.#s.prefix}'`;
    return await this.#s.engine.run(
      { method: "POST", url, bodyBytes: body.length },
      (signal) => this.#request("POST", url, signal, headers, body),
      async (res) => {
        if (!res.ok) {
          const err = await s3Error(res, "POST (DeleteObjects)", url, what);
          if (res.status === 501 || err.code === "NotImplemented") {
            this.#s.batchDelete = false;
            return false;
          }
          throw err;
        }
        const text = new TextDecoder().decode(await readBody(res, { url }));
        const root = parseS3Xml(text, url);
        const errors = childElements(root, "Error");
        if (errors.length > 0) {
          const list = errors.slice(0, 5).map((e) =>
            `'${childText(e, "Key")}': ${childText(e, "Code")} ${childText(e, "Message") ?? ""}`
          );
          throw new RemoteStoreError(
            `S3Store: DeleteObjects on ${url} failed for ${errors.length} of ${fullKeys.length} keys: ${
              list.join("; ")
            }`,
            { url, status: res.status, code: childText(errors[0], "Code") },
          );
        }
        return true;
      },
    );
  }

  /** ListObjectsV2 pages under a full prefix. */
  async *#pages(
    fullPrefix: string,
    delimiter?: string,
  ): AsyncGenerator<{ keys: string[]; prefixes: string[] }> {
    let token: string | undefined;
    for (;;) {
      const q: [string, string][] = [
        ["list-type", "2"],
        ["encoding-type", "url"],
        ["max-keys", String(this.#s.pageSize)],
        ["prefix", fullPrefix],
      ];
      if (delimiter !== undefined) q.push(["delimiter", delimiter]);
      if (token !== undefined) q.push(["continuation-token", token]);
      const url = this.#bucketBase() + "?" +
        q.map(([k, v]) => `${k}=${encodeRfc3986(v)}`).join("&");
      const page = await this.#s.engine.run(
        { method: "GET", url },
        (signal) => this.#request("GET", url, signal),
        async (res) => {
          if (!res.ok) throw await s3Error(res, "GET (ListObjectsV2)", url, fullPrefix);
          const length = declaredLength(res);
          const text = new TextDecoder().decode(
            await readBody(res, { url, stats: this.#s.engine.stats }, { expected: length }),
          );
          try {
            return parseListing(text, url);
          } catch (e) {
            // without a length to check, broken XML is most likely a cut-off body
            if (length === undefined) throw new RetryableError((e as Error).message, e);
            throw e;
          }
        },
      );
      yield page;
      if (!page.truncated) return;
      if (page.next === undefined || page.next === token) {
        throw new RemoteStoreError(
          `S3Store: ListObjectsV2 on ${url} is truncated but gave no new continuation token`,
          { url },
        );
      }
      token = page.next;
    }
  }

  /** Every key of the store. */
  async *list(): AsyncIterable<string> {
    yield* this.listPrefix("");
  }

  /** Keys starting with `prefix` (relative to the store prefix). */
  async *listPrefix(prefix: string): AsyncIterable<string> {
    validateListPrefix(prefix);
    const n = this.#s.prefix.length;
    for await (const page of this.#pages(this.#s.prefix + prefix)) {
      for (const k of page.keys) yield k.slice(n);
    }
  }

  /** Immediate children of `prefix` (delimiter listing): keys and sub-prefixes, no slashes. */
  async *listDir(prefix: string): AsyncIterable<string> {
    const p = normalizeDirPrefix(prefix);
    const full = this.#s.prefix + (p === "" ? "" : p + "/");
    const seen = new Set<string>();
    for await (const page of this.#pages(full, "/")) {
      const names = [
        ...page.prefixes.map((x) => x.slice(full.length).replace(/\/$/, "")),
        ...page.keys.map((k) => k.slice(full.length)),
      ];
      for (const name of names) {
        if (name === "" || name.includes("/") || seen.has(name)) continue;
        seen.add(name);
        yield name;
      }
    }
  }

  /** A view with another read-only flag, sharing credentials, limits and counters. */
  withReadOnly(readOnly: boolean): S3Store {
    return new S3Store(this.url, { readOnly, [SHARED]: this.#s } as S3StoreOptions);
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** `s3://bucket/prefix`. */
  toString(): string {
    return this.url;
  }
}

function checkEtag(etag: string | null, body: Uint8Array, url: string, key: string): void {
  const m = /^(?:W\/)?"?([0-9a-fA-F]{32})"?$/.exec(etag ?? "");
  if (m === null) return; // multipart or encrypted: the ETag is not an MD5
  const md5 = createHash("md5").update(body).digest("hex");
  if (md5 !== m[1].toLowerCase()) {
    const e = new TruncatedBodyError(
      `body of ${url} (key '${key}') does not match its ETag (${body.length} bytes received)`,
      { url, key },
    );
    throw new RetryableError(e.message, e);
  }
}

function parseS3Xml(text: string, url: string): XmlElement {
  try {
    return parseXml(text);
  } catch (e) {
    throw new RemoteStoreError(
      `S3Store: unreadable XML from ${url}: ${(e as Error).message}`,
      { url },
      { cause: e },
    );
  }
}

function decodeListed(s: string, encoded: boolean): string {
  if (!encoded) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function parseListing(
  text: string,
  url: string,
): { keys: string[]; prefixes: string[]; truncated: boolean; next?: string } {
  const root = parseS3Xml(text, url);
  if (root.name !== "ListBucketResult") {
    throw new RemoteStoreError(
      `S3Store: expected ListBucketResult from ${url}, got <${root.name}>`,
      {
        url,
      },
    );
  }
  const encoded = childText(root, "EncodingType")?.toLowerCase() === "url";
  const keys = childElements(root, "Contents").map((c) =>
    decodeListed(childText(c, "Key") ?? "", encoded)
  );
  const prefixes = childElements(root, "CommonPrefixes").map((c) =>
    decodeListed(childText(c, "Prefix") ?? "", encoded)
  );
  return {
    keys,
    prefixes,
    truncated: childText(root, "IsTruncated")?.trim() === "true",
    next: childText(root, "NextContinuationToken"),
  };
}

/** Builds a `RemoteStoreError` from an S3 error response (code and message when present). */
async function s3Error(
  res: Response,
  op: string,
  url: string,
  key: string,
): Promise<RemoteStoreError> {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const text = await res.text();
    if (text.trim().startsWith("<")) {
      const root = parseXml(text);
      code = childText(root, "Code");
      message = childText(root, "Message");
    }
  } catch {
    // no readable body (HEAD, or not XML)
  }
  return new RemoteStoreError(
    `S3Store: ${op} ${url} (key '${key}') failed: HTTP ${res.status}${
      code ? ` ${code}` : res.statusText ? ` ${res.statusText}` : ""
    }${message ? `: ${message}` : ""}`,
    { url, key, status: res.status, code },
  );
}

function readEnv(env: Record<string, string | undefined> | undefined, name: string) {
  if (env !== undefined) return env[name] || undefined;
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env
  }
}

function makeShared(url: string, o: S3StoreOptions): Shared {
  const m = /^s3:\/\/([^/?#]+)\/?([^?#]*)$/i.exec(url);
  if (m === null) {
    throw new ZarrValueError(`S3Store needs a URL of the form s3://bucket[/prefix], got '${url}'`);
  }
  const bucket = m[1];
  const p = normalizeDirPrefix(m[2].replace(/\/+$/, ""));
  const prefix = p === "" ? "" : p + "/";
  const env = o.env;
  const region = o.region ?? readEnv(env, "AWS_REGION") ?? readEnv(env, "AWS_DEFAULT_REGION") ??
    "us-east-1";
  const endpointText = o.endpoint ?? readEnv(env, "AWS_ENDPOINT_URL_S3") ??
    readEnv(env, "AWS_ENDPOINT_URL") ?? `https://s3.${region}.amazonaws.com`;
  let endpoint: URL;
  try {
    endpoint = new URL(endpointText);
  } catch (e) {
    throw new ZarrValueError(`S3Store: invalid endpoint '${endpointText}'`, { cause: e });
  }
  if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") {
    throw new ZarrValueError(`S3Store: the endpoint must be http(s), got '${endpointText}'`);
  }
  const style = o.addressingStyle ?? "auto";
  if (style !== "auto" && style !== "path" && style !== "virtual") {
    throw new ZarrValueError(`S3Store: invalid addressingStyle '${String(style)}'`);
  }
  const dnsBucket = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);
  const resolvedStyle = style === "auto"
    ? (/(^|\.)amazonaws\.com(\.cn)?$/.test(endpoint.hostname) && dnsBucket ? "virtual" : "path")
    : style;
  if (resolvedStyle === "virtual" && bucket.includes(".") && endpoint.protocol === "https:") {
    // certificates of *.s3.amazonaws.com do not cover dotted bucket names
    throw new ZarrValueError(
      `S3Store: bucket '${bucket}' contains dots and cannot be addressed virtual-host style over https`,
    );
  }
  let signer: AwsClient | undefined;
  if (!o.anonymous) {
    let id = o.accessKeyId;
    let secret = o.secretAccessKey;
    let token = o.sessionToken;
    if ((id === undefined) !== (secret === undefined)) {
      throw new ZarrTypeError("S3Store: give both accessKeyId and secretAccessKey, or neither");
    }
    if (id === undefined) {
      id = readEnv(env, "AWS_ACCESS_KEY_ID");
      secret = readEnv(env, "AWS_SECRET_ACCESS_KEY");
      token = token ?? readEnv(env, "AWS_SESSION_TOKEN");
      if (id === undefined || secret === undefined) id = secret = undefined;
    }
    if (id !== undefined && secret !== undefined) {
      signer = new AwsClient({
        accessKeyId: id,
        secretAccessKey: secret,
        sessionToken: token,
        service: "s3",
        region,
      });
    }
  }
  const pageSize = o.pageSize ?? 1000;
  const deleteBatchSize = o.deleteBatchSize ?? 1000;
  for (const [name, v] of [["pageSize", pageSize], ["deleteBatchSize", deleteBatchSize]]) {
    if (!Number.isSafeInteger(v) || (v as number) < 1 || (v as number) > 1000) {
      throw new ZarrValueError(`S3Store: ${name} must be an integer in 1..1000, got ${v}`);
    }
  }
  let headers: Headers;
  try {
    headers = new Headers(o.headers ?? {});
  } catch (e) {
    throw new ZarrTypeError(`S3Store: invalid headers: ${(e as Error).message}`, { cause: e });
  }
  if (!headers.has("accept-encoding")) headers.set("Accept-Encoding", "identity");
  return {
    engine: new HttpEngine("S3Store", o),
    signer,
    bucket,
    prefix,
    endpoint,
    region,
    style: resolvedStyle,
    headers,
    pageSize,
    deleteBatchSize,
    batchDelete: true,
  };
}

const S3_ALIASES: Record<string, keyof S3StoreOptions> = {
  endpoint: "endpoint",
  endpointUrl: "endpoint",
  endpoint_url: "endpoint",
  region: "region",
  region_name: "region",
  accessKeyId: "accessKeyId",
  key: "accessKeyId",
  aws_access_key_id: "accessKeyId",
  secretAccessKey: "secretAccessKey",
  secret: "secretAccessKey",
  aws_secret_access_key: "secretAccessKey",
  sessionToken: "sessionToken",
  token: "sessionToken",
  aws_session_token: "sessionToken",
  anonymous: "anonymous",
  anon: "anonymous",
  addressingStyle: "addressingStyle",
  headers: "headers",
  retry: "retry",
  concurrency: "concurrency",
  timeoutMs: "timeoutMs",
  signal: "signal",
  fetch: "fetch",
  pageSize: "pageSize",
  deleteBatchSize: "deleteBatchSize",
  env: "env",
};

/**
 * Turns `storageOptions` (camelCase, or the s3fs names `key`, `secret`, `token`, `anon`,
 * `endpoint_url`, `region_name`, `client_kwargs: {endpoint_url, region_name}`,
 * `forcePathStyle`) into {@link S3StoreOptions}; unknown keys raise `ZarrTypeError`.
 *
 * @example
 * ```ts
 * import { s3StoreOptionsFrom } from "./s3.ts";
 * s3StoreOptionsFrom({ anon: true, client_kwargs: { endpoint_url: "http://127.0.0.1:8080" } });
 * // { anonymous: true, endpoint: "http://127.0.0.1:8080" }
 * ```
 */
export function s3StoreOptionsFrom(
  storageOptions: Record<string, unknown> | undefined,
): S3StoreOptions {
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  const put = (name: string, target: string, v: unknown) => {
    if (v === undefined) return;
    if (target in out && out[target] !== v) {
      throw new ZarrTypeError(`storageOptions give '${target}' twice (last via '${name}')`);
    }
    out[target] = v;
  };
  for (const [k, v] of Object.entries(storageOptions ?? {})) {
    if (k === "client_kwargs") {
      if (v === null || typeof v !== "object") {
        throw new ZarrTypeError("storageOptions.client_kwargs must be an object");
      }
      for (const [ck, cv] of Object.entries(v as Record<string, unknown>)) {
        if (ck === "endpoint_url") put(`client_kwargs.${ck}`, "endpoint", cv);
        else if (ck === "region_name") put(`client_kwargs.${ck}`, "region", cv);
        else unknown.push(`client_kwargs.${ck}`);
      }
    } else if (k === "forcePathStyle") {
      if (v) put(k, "addressingStyle", "path");
    } else if (k in S3_ALIASES) {
      put(k, S3_ALIASES[k], v);
    } else {
      unknown.push(k);
    }
  }
  if (unknown.length > 0) {
    throw new ZarrTypeError(
      `unknown storageOptions for s3:// stores: ${unknown.join(", ")} (accepted: ${
        [...Object.keys(S3_ALIASES), "client_kwargs", "forcePathStyle"].join(", ")
      })`,
    );
  }
  for (const k of ["endpoint", "region", "accessKeyId", "secretAccessKey", "sessionToken"]) {
    if (out[k] !== undefined && typeof out[k] !== "string") {
      throw new ZarrTypeError(`storageOptions '${k}' must be a string`);
    }
  }
  return out as S3StoreOptions;
}
