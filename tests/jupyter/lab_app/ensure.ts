/**
 * Builds, and caches between runs on one machine, what the browser test serves: the JupyterLab
 * frontend of this directory (npm packages + rspack bundle) and the prebuilt zarr extension
 * (`deno task lab:build`). A fresh machine builds both from scratch.
 *
 * The cache lives in `$ZARR_DENO_CACHE` (default `$XDG_CACHE_HOME/zarr-deno`, else
 * `~/.cache/zarr-deno`) under `jupyterlab-app/`: `deps-<hash>/` holds `node_modules` keyed by
 * package.json + package-lock.json, `app-<hash>/` the build keyed by that and the build sources.
 * Entries are written under a temporary name and renamed when complete; `node_modules` unused for
 * a week and builds unused for an hour are removed.
 *
 * @example
 * ```ts
 * import { ensureExtension, ensureLabApp } from "./ensure.ts";
 * const app = await ensureLabApp(); // app/static, app/schemas, app/themes, app/settings
 * const ext = await ensureExtension(); // jupyter-ext/labextension
 * ```
 * @module
 */
const HERE = new URL("./", import.meta.url);
const REPO = new URL("../../../", import.meta.url);
const EXT = new URL("jupyter-ext/", REPO);
const SOURCES = ["package.json", "package-lock.json"];
const BUILD_SOURCES = ["build.cjs", "bootstrap.js", "index.js", "index.html"];
const HOUR_MS = 3600 * 1000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** The cache directory of this project on this machine. */
export function cacheRoot(): string {
  const explicit = Deno.env.get("ZARR_DENO_CACHE");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const home = Deno.env.get("HOME") ?? "/tmp";
  return `${xdg || `${home}/.cache`}/zarr-deno`;
}

async function hashFiles(
  base: URL,
  names: string[],
  seed = "",
): Promise<string> {
  const parts: Uint8Array[] = [new TextEncoder().encode(seed)];
  for (const n of names) {
    parts.push(new TextEncoder().encode(`\0${n}\0`));
    parts.push(await Deno.readFile(new URL(n, base)));
  }
  const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs `cmd`; fails with its output when it fails or takes longer than `minutes`. */
async function run(
  cmd: string,
  args: string[],
  cwd: string,
  minutes = 8,
): Promise<void> {
  console.log(`  $ ${cmd} ${args.join(" ")}  (in ${cwd})`);
  const t0 = performance.now();
  const signal = AbortSignal.timeout(minutes * 60_000);
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    signal,
  })
    .output();
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (!out.success) {
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    const why = signal.aborted ? `timed out after ${minutes} min` : `failed (${secs} s)`;
    throw new Error(
      `${cmd} ${args.join(" ")} ${why} in ${cwd}:\n${text.slice(-4000)}`,
    );
  }
  console.log(`  done in ${secs} s: ${cmd} ${args.join(" ")}`);
}

/**
 * Makes `<root>/<name>` with `make(tmpDir)` unless it is already complete; concurrent makers
 * race harmlessly (the first rename wins).
 */
async function cached(
  root: string,
  name: string,
  make: (dir: string) => Promise<void>,
) {
  const dir = `${root}/${name}`;
  if (!(await exists(`${dir}/.complete`))) {
    await Deno.mkdir(root, { recursive: true });
    const tmp = await Deno.makeTempDir({ dir: root, prefix: `${name}.tmp-` });
    try {
      await make(tmp);
      await Deno.writeTextFile(`${tmp}/.complete`, new Date().toISOString());
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.rename(tmp, dir).catch(async (e) => {
        if (!(await exists(`${dir}/.complete`))) throw e;
      });
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  }
  await Deno.writeTextFile(`${dir}/.last-used`, new Date().toISOString());
  return dir;
}

/**
 * Removes entries of `root` (and left-over temporaries) that no run used for a week; builds
 * (`app-*`, a few seconds to remake) after an hour.
 */
async function prune(root: string, keep: string[]): Promise<void> {
  for await (const e of Deno.readDir(root)) {
    if (keep.includes(e.name) || !e.isDirectory) continue;
    const dir = `${root}/${e.name}`;
    const stamp = await Deno.stat(`${dir}/.last-used`).catch(() => Deno.stat(dir));
    const maxAge = e.name.startsWith("app-") ? HOUR_MS : WEEK_MS;
    if (Date.now() - (stamp.mtime?.getTime() ?? 0) > maxAge) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}

/**
 * The built JupyterLab frontend (a directory with `static/`, `schemas/`, `themes/`,
 * `settings/`), from the cache or built now (`npm install` from the lock file + `node build.cjs`).
 */
export async function ensureLabApp(): Promise<string> {
  const root = `${cacheRoot()}/jupyterlab-app`;
  const depsKey = await hashFiles(HERE, SOURCES);
  const deps = await cached(root, `deps-${depsKey}`, async (tmp) => {
    console.log(
      `installing the JupyterLab app's npm packages into ${root}/deps-${depsKey}`,
    );
    for (const f of SOURCES) {
      await Deno.copyFile(new URL(f, HERE), `${tmp}/${f}`);
    }
    // `npm install` with the lock file, not `npm ci`: ci refuses a lock without the optional
    // packages of other platforms, which registries lacking those versions produce
    await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error"],
      tmp,
    );
  });
  const appKey = await hashFiles(HERE, BUILD_SOURCES, depsKey);
  const build = new URL("build.cjs", HERE).pathname;
  const app = await cached(root, `app-${appKey}`, async (tmp) => {
    console.log(`building the JupyterLab app into ${root}/app-${appKey}`);
    await run("node", [build, tmp], deps);
  });
  await prune(root, [`deps-${depsKey}`, `app-${appKey}`]);
  return app;
}

/** Every input of the extension build, relative to jupyter-ext/. */
async function extensionInputs(): Promise<string[]> {
  const names = ["package.json", "package-lock.json", "tsconfig.json"];
  for (const d of ["src", "style", "schema"]) {
    for await (const e of Deno.readDir(new URL(`${d}/`, EXT))) {
      if (e.isFile) names.push(`${d}/${e.name}`);
    }
  }
  return names.sort();
}

/**
 * The prebuilt extension (`jupyter-ext/labextension/`), rebuilt with `deno task lab:build`
 * unless a build of the same sources is there already.
 */
export async function ensureExtension(): Promise<string> {
  const out = new URL("labextension/", EXT).pathname;
  const key = await hashFiles(EXT, await extensionInputs());
  const stamp = `${out}.build-inputs`;
  const current = await Deno.readTextFile(stamp).catch(() => "");
  const pkg = await Deno.readTextFile(`${out}package.json`).then(JSON.parse)
    .catch(() => null);
  const load = pkg?.jupyterlab?._build?.load;
  if (current.trim() === key && load && (await exists(`${out}${load}`))) {
    return out;
  }
  console.log("building the JupyterLab extension (deno task lab:build)");
  await run(Deno.execPath(), ["task", "lab:build"], new URL(REPO).pathname);
  await Deno.writeTextFile(stamp, key);
  return out;
}
