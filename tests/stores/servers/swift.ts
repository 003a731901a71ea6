/**
 * Starts and stops a single-node OpenStack Swift with its `s3api` middleware on loopback, as
 * the S3-compatible server of the store tests (Debian packages `swift`, `swift-proxy`,
 * `swift-object`, `swift-container`, `swift-account`).
 *
 * Everything lives in a temporary directory: one-device rings (built with Swift's
 * `RingBuilder`, the library behind `swift-ring-builder`), the four server configs, the
 * device directory and the logs. The proxy pipeline is
 * `catch_errors proxy-logging cache s3api tempauth proxy-logging proxy-server`, where `cache`
 * is a 40-line in-process dict standing in for memcached (tempauth refuses to work without
 * a cache) and tempauth knows one user, `test:tester` / `testing` (`.admin`).
 *
 * @example
 * ```ts
 * import { startSwift, swiftMissing } from "./swift.ts";
 * if ((await swiftMissing()) === undefined) {
 *   const swift = await startSwift({ buckets: ["zarr"] });
 *   console.log(swift.endpoint); // http://127.0.0.1:<port>
 *   await swift.stop();
 * }
 * ```
 * @module
 */
import { AwsClient } from "aws4fetch";

/** A running Swift. */
export interface SwiftServer {
  /** S3 endpoint (the proxy server): `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Proxy port. */
  port: number;
  /** S3 access key (tempauth `account:user`). */
  accessKeyId: string;
  /** S3 secret key. */
  secretAccessKey: string;
  /** Region the s3api middleware expects. */
  region: string;
  /** Domain for virtual-host style requests (`<bucket>.<storageDomain>`). */
  storageDomain: string;
  /** Swift-API storage URL of the account (`.../v1/AUTH_test`). */
  storageUrl: string;
  /** Seconds the start took. */
  startSeconds: number;
  /** Creates a bucket (idempotent). */
  createBucket(name: string): Promise<void>;
  /** Makes a bucket world-readable through the Swift API (`X-Container-Read: .r:*,.rlistings`). */
  makePublic(name: string): Promise<void>;
  /** Stops every server and removes the temporary directory. */
  stop(): Promise<void>;
}

const BINARIES = [
  "/usr/bin/swift-proxy-server",
  "/usr/bin/swift-object-server",
  "/usr/bin/swift-container-server",
  "/usr/bin/swift-account-server",
  "/usr/bin/python3",
  "/etc/swift/swift.conf",
];

/**
 * Why Swift cannot run here (a missing binary or config file), or `undefined` when it can.
 *
 * @example
 * ```ts
 * import { swiftMissing } from "./swift.ts";
 * const why = await swiftMissing();
 * if (why) console.log(`SKIPPED: ${why}`);
 * ```
 */
export async function swiftMissing(): Promise<string | undefined> {
  const missing: string[] = [];
  for (const p of BINARIES) {
    try {
      await Deno.stat(p);
    } catch {
      missing.push(p);
    }
  }
  if (missing.length === 0) return undefined;
  return `OpenStack Swift is not installed (missing ${missing.join(", ")}; ` +
    `apt-get install swift swift-proxy swift-object swift-container swift-account)`;
}

/** Free loopback ports (listen on port 0, note the port, close). */
function freePorts(n: number): number[] {
  const ls = Array.from({ length: n }, () => Deno.listen({ hostname: "127.0.0.1", port: 0 }));
  const ports = ls.map((l) => (l.addr as Deno.NetAddr).port);
  for (const l of ls) l.close();
  return ports;
}

const DICT_CACHE = `
import time as _time


class DictCache(object):
    """An in-process stand-in for memcached (what tempauth and s3api need of it)."""

    def __init__(self):
        self.store = {}

    def _live(self, key):
        item = self.store.get(key)
        if item is not None and item[1] and item[1] < _time.time():
            del self.store[key]
            return None
        return item

    def get(self, key, raise_on_error=False):
        item = self._live(key)
        return None if item is None else item[0]

    def set(self, key, value, serialize=True, time=0, min_compress_len=0,
            raise_on_error=False):
        self.store[key] = (value, _time.time() + time if time else 0)
        return True

    def incr(self, key, delta=1, time=0):
        item = self._live(key)
        value = (int(item[0]) if item else 0) + delta
        self.store[key] = (value, _time.time() + time if time else 0)
        return value

    def decr(self, key, delta=1, time=0):
        return self.incr(key, -delta, time)

    def delete(self, key, server_key=None):
        self.store.pop(key, None)

    def get_multi(self, keys, server_key):
        return [self.get(k) for k in keys]

    def set_multi(self, mapping, server_key, serialize=True, time=0,
                  min_compress_len=0):
        for k, v in mapping.items():
            self.set(k, v, time=time)


def filter_factory(global_conf, **local_conf):
    cache = DictCache()

    def factory(app):
        def middleware(env, start_response):
            env['swift.cache'] = cache
            return app(env, start_response)
        return middleware
    return factory
`;

const RINGS = `
import sys
from swift.common.ring import RingBuilder
out, ports = sys.argv[1], sys.argv[2:]
for name, port in zip(("object", "container", "account"), ports):
    b = RingBuilder(0, 1, 1)  # part power 0, 1 replica, min_part_hours 1
    b.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port),
               "device": "d1", "weight": 1})
    b.rebalance()
    b.get_ring().save("%s/%s.ring.gz" % (out, name))
`;

// Starts one server like Debian's swift-*-server scripts, with eventlet's monkey patching done
// first, while few locks exist (it re-greens every existing RLock, which is slow late).
const BOOT = `
import sys
import eventlet
eventlet.patcher.monkey_patch(all=False, socket=True, select=True, thread=True)
from swift.common.wsgi import run_wsgi
kind, conf = sys.argv[1], sys.argv[2]
kw = {}
if kind == "object":
    from swift.obj import server
    kw["global_conf_callback"] = server.global_conf_callback
sys.exit(run_wsgi(conf, kind + "-server", **kw))
`;

async function userName(): Promise<string> {
  const out = await new Deno.Command("id", { args: ["-un"], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

/**
 * Starts Swift (about 2 s) and creates `buckets`. The servers run until `stop()`; an
 * `unload` handler kills them if the test process ends first.
 *
 * @example
 * ```ts
 * import { startSwift } from "./swift.ts";
 * const swift = await startSwift({ buckets: ["b"] });
 * await swift.stop();
 * ```
 */
export async function startSwift(opts: { buckets?: string[] } = {}): Promise<SwiftServer> {
  const t0 = performance.now();
  const dir = await Deno.makeTempDir({ prefix: "zarr-swift-" });
  const [objPort, contPort, acctPort, proxyPort] = freePorts(4);
  const user = await userName();
  await Deno.mkdir(`${dir}/srv/d1`, { recursive: true });
  await Deno.mkdir(`${dir}/cache`);
  await Deno.writeTextFile(`${dir}/dictcache.py`, DICT_CACHE);
  const rings = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", RINGS, dir, String(objPort), String(contPort), String(acctPort)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!rings.success) {
    throw new Error(`building Swift rings failed: ${new TextDecoder().decode(rings.stderr)}`);
  }
  const common = (port: number) =>
    `[DEFAULT]\nbind_ip = 127.0.0.1\nbind_port = ${port}\nswift_dir = ${dir}\n` +
    `devices = ${dir}/srv\nmount_check = false\nworkers = 0\nuser = ${user}\n` +
    `log_level = WARNING\nrecon_cache_path = ${dir}/cache\n`;
  const backend = (kind: string, port: number) =>
    common(port) + `\n[pipeline:main]\npipeline = ${kind}-server\n\n` +
    `[app:${kind}-server]\nuse = egg:swift#${kind}\n`;
  const storageDomain = "s3.test";
  const proxyConf = common(proxyPort) +
    `\n[pipeline:main]\n` +
    `pipeline = catch_errors proxy-logging cache s3api tempauth proxy-logging proxy-server\n` +
    `\n[app:proxy-server]\nuse = egg:swift#proxy\naccount_autocreate = true\n` +
    `\n[filter:catch_errors]\nuse = egg:swift#catch_errors\n` +
    `\n[filter:proxy-logging]\nuse = egg:swift#proxy_logging\n` +
    `\n[filter:cache]\npaste.filter_factory = dictcache:filter_factory\n` +
    `\n[filter:s3api]\nuse = egg:swift#s3api\nlocation = us-east-1\n` +
    `storage_domain = ${storageDomain}\n` +
    `\n[filter:tempauth]\nuse = egg:swift#tempauth\nuser_test_tester = testing .admin\n`;
  await Deno.writeTextFile(`${dir}/object-server.conf`, backend("object", objPort));
  await Deno.writeTextFile(`${dir}/container-server.conf`, backend("container", contPort));
  await Deno.writeTextFile(`${dir}/account-server.conf`, backend("account", acctPort));
  await Deno.writeTextFile(`${dir}/proxy-server.conf`, proxyConf);

  const children: Deno.ChildProcess[] = [];
  const kill = () => {
    for (const c of children) {
      try {
        c.kill("SIGKILL");
      } catch {
        // gone
      }
    }
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // gone
    }
  };
  globalThis.addEventListener("unload", kill);
  const logs = ["object", "container", "account", "proxy"].map((k) => `${dir}/${k}.log`);
  await Deno.writeTextFile(`${dir}/boot.py`, BOOT);
  const spawn = (kind: string, log: string) =>
    new Deno.Command("/bin/sh", {
      args: [
        "-c",
        'exec /usr/bin/python3 "$0" "$1" "$2" >"$3" 2>&1',
        `${dir}/boot.py`,
        kind,
        `${dir}/${kind}-server.conf`,
        log,
      ],
      // dictcache.py on the path; no dnspython import (saves a second per server)
      env: { PYTHONPATH: dir, EVENTLET_NO_GREENDNS: "yes" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
  children.push(spawn("object", logs[0]));
  children.push(spawn("container", logs[1]));
  children.push(spawn("account", logs[2]));
  children.push(spawn("proxy", logs[3]));

  const endpoint = `http://127.0.0.1:${proxyPort}`;
  const client = new AwsClient({
    accessKeyId: "test:tester",
    secretAccessKey: "testing",
    service: "s3",
    region: "us-east-1",
  });
  const createBucket = async (name: string) => {
    const res = await client.fetch(`${endpoint}/${name}`, { method: "PUT" });
    await res.body?.cancel();
    if (!res.ok && res.status !== 409) {
      throw new Error(`creating bucket '${name}' failed: HTTP ${res.status}`);
    }
  };
  const stop = async () => {
    // the data dies with the temporary directory: no graceful shutdown needed
    for (const c of children) {
      try {
        c.kill("SIGKILL");
      } catch {
        // gone
      }
    }
    await Promise.all(children.map((c) => c.status));
    globalThis.removeEventListener("unload", kill);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  // wait for the proxy and the backends: the first bucket creation succeeds when all answer
  const deadline = performance.now() + 30_000;
  for (;;) {
    try {
      await createBucket("zarr-probe");
      break;
    } catch (e) {
      const exited = await Promise.race([
        Promise.any(children.map((c) => c.status)).then(() => true, () => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), 100)),
      ]);
      if (exited || performance.now() > deadline) {
        const tails = await Promise.all(logs.map(async (l) => {
          const text = await Deno.readTextFile(l).catch(() => "");
          return `--- ${l.split("/").pop()}\n${text.split("\n").slice(-15).join("\n")}`;
        }));
        await stop();
        throw new Error(
          `Swift did not start (${exited ? "a server exited" : "timeout"}): ${
            (e as Error).message
          }\n${tails.join("\n")}`,
        );
      }
    }
  }
  for (const b of opts.buckets ?? []) await createBucket(b);
  const auth = await fetch(`${endpoint}/auth/v1.0`, {
    headers: { "X-Auth-User": "test:tester", "X-Auth-Key": "testing" },
  });
  await auth.body?.cancel();
  const token = auth.headers.get("x-auth-token") ?? "";
  const storageUrl = auth.headers.get("x-storage-url") ?? `${endpoint}/v1/AUTH_test`;
  return {
    endpoint,
    port: proxyPort,
    accessKeyId: "test:tester",
    secretAccessKey: "testing",
    region: "us-east-1",
    storageDomain,
    storageUrl,
    startSeconds: (performance.now() - t0) / 1000,
    createBucket,
    async makePublic(name: string) {
      const res = await fetch(`${storageUrl}/${name}`, {
        method: "POST",
        headers: { "X-Auth-Token": token, "X-Container-Read": ".r:*,.rlistings" },
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`making '${name}' public failed: HTTP ${res.status}`);
    },
    stop,
  };
}
