/**
 * One JupyterLab session for a browser test: a temporary Jupyter set-up (kernelspec of this Deno,
 * our prebuilt extension on the labextensions path, a notebook root), Debian's jupyter_server +
 * jupyterlab_server serving the frontend built by ensure.ts (tests/jupyter/lab_server.py), and
 * Debian's Chromium driven by playwright-core. `close()` stops all of it, and also kills any
 * process left behind whose command line names the session's temporary directory (kernels,
 * browser helpers), so nothing outlives a failed test.
 *
 * @example
 * ```ts
 * import { LabSession } from "./session.ts";
 * const lab = await LabSession.start({ app, notebooks: { "t.ipynb": ["1 + 1"] } });
 * try {
 *   await lab.page.goto(lab.pageUrl("lab/tree/t.ipynb"));
 * } finally {
 *   await lab.close();
 * }
 * ```
 * @module
 */
import { type BrowserContext, chromium, type Page } from "playwright-core";

export type { Page };

const REPO = new URL("../../../", import.meta.url);
/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";
/** Debian's Python with jupyter_server, jupyterlab_server and jupyter_client. */
export const PYTHON = "/usr/bin/python3";
/** Headless Chromium flags for a machine without GPU, sandbox or network (platform-notes). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

async function runs(cmd: string, args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.success) return null;
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").pop();
    return `\`${cmd} ${args.join(" ")}\` failed: ${err}`;
  } catch (e) {
    return `${cmd} is not runnable (${(e as Error).message})`;
  }
}

/**
 * The executable `cmd` on PATH, or null. Deno puts its own `node` shim (a `node_compat_bin`
 * directory) on PATH when node is missing; that one does not count.
 */
function onPath(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!dir || dir.endsWith("/node_compat_bin")) continue;
    try {
      const st = Deno.statSync(`${dir}/${cmd}`);
      if (st.isFile && (st.mode ?? 0o111) & 0o111) return `${dir}/${cmd}`;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/**
 * What the browser layer lacks on this machine (`null`: nothing): Chromium, the Jupyter Python
 * packages, node and npm (to build the frontend and the extension).
 */
export async function labPrerequisites(): Promise<string | null> {
  const checks = await Promise.all([
    runs(CHROMIUM, ["--version"]),
    runs(PYTHON, [
      "-c",
      "import jupyter_server, jupyterlab_server, jupyter_client",
    ]),
    onPath("node") ? runs("node", ["--version"]) : "node is not on PATH",
    onPath("npm") ? runs("npm", ["--version"]) : "npm is not on PATH",
  ]);
  const missing = checks.filter((c) => c !== null);
  return missing.length ? missing.join("; ") : null;
}

/** Options of {@link LabSession.start}. */
export interface LabSessionOptions {
  /** The built frontend (ensureLabApp). */
  app: string;
  /** Notebooks to put in the root directory: file name to code cell sources. */
  notebooks: Record<string, string[]>;
  /** Viewport of the page. */
  viewport?: { width: number; height: number };
}

function notebook(cells: string[]): string {
  return JSON.stringify(
    {
      cells: cells.map((source, i) => ({
        cell_type: "code",
        execution_count: null,
        id: `cell-${i}`,
        metadata: {},
        outputs: [],
        source,
      })),
      metadata: {
        kernelspec: {
          display_name: "Deno",
          language: "typescript",
          name: "deno",
        },
        language_info: { name: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

/** Reads `stream` into `sink` (so the child never blocks on a full pipe). */
async function drain(
  stream: ReadableStream<Uint8Array>,
  sink: string[],
): Promise<void> {
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    sink.push(chunk);
    if (sink.length > 2000) sink.splice(0, 1000);
  }
}

/** The first line of `stream`, or an error after `ms`. */
async function firstLine(
  reader: ReadableStreamDefaultReader<string>,
  ms: number,
  what: () => string,
): Promise<string> {
  let buf = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no ready line in ${ms} ms: ${what()}`)),
      ms,
    );
  });
  try {
    while (!buf.includes("\n")) {
      const r = await Promise.race([reader.read(), timeout]);
      if (r.done) {
        throw new Error(`the server exited before it was ready: ${what()}`);
      }
      buf += r.value;
    }
    return buf.slice(0, buf.indexOf("\n"));
  } finally {
    clearTimeout(timer);
  }
}

/** Pids of processes whose command line contains `tag` (Linux /proc), ours excluded. */
async function pidsMentioning(tag: string): Promise<number[]> {
  const pids: number[] = [];
  try {
    for await (const e of Deno.readDir("/proc")) {
      const pid = Number(e.name);
      if (!Number.isInteger(pid) || pid === Deno.pid) continue;
      const cmd = await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => "");
      if (cmd.includes(tag)) pids.push(pid);
    }
  } catch {
    // no /proc: nothing to scan
  }
  return pids;
}

/** A running JupyterLab server with a Chromium page. */
export class LabSession {
  /** The session's temporary directory (Jupyter paths, notebook root, browser profile). */
  readonly tmp: string;
  /** The server's base URL, e.g. `http://127.0.0.1:PORT/`. */
  readonly baseUrl: string;
  /** The server's auth token. */
  readonly token: string;
  /** The browser context (clipboard permissions granted). */
  readonly context: BrowserContext;
  /** The page. */
  readonly page: Page;
  /** Server log lines (stdout and stderr). */
  readonly serverLog: string[];
  /** Uncaught page errors. */
  readonly pageErrors: string[] = [];
  /** Console errors of the page. */
  readonly consoleErrors: string[] = [];
  readonly #server: Deno.ChildProcess;

  private constructor(
    init: {
      tmp: string;
      baseUrl: string;
      token: string;
      context: BrowserContext;
      page: Page;
      serverLog: string[];
      server: Deno.ChildProcess;
    },
  ) {
    this.tmp = init.tmp;
    this.baseUrl = init.baseUrl;
    this.token = init.token;
    this.context = init.context;
    this.page = init.page;
    this.serverLog = init.serverLog;
    this.#server = init.server;
    this.page.on(
      "pageerror",
      (e) => this.pageErrors.push(e.stack ?? e.message),
    );
    this.page.on("console", (m) => {
      if (m.type() === "error") this.consoleErrors.push(m.text());
    });
  }

  /** Sets up the Jupyter paths, starts the server and the browser. */
  static async start(opts: LabSessionOptions): Promise<LabSession> {
    const tmp = await Deno.makeTempDir({ prefix: "zarr-lab-" });
    const serverLog: string[] = [];
    let server: Deno.ChildProcess | null = null;
    let context: BrowserContext | null = null;
    try {
      const share = `${tmp}/share/jupyter`;
      const root = `${tmp}/root`;
      await Deno.mkdir(`${share}/kernels/deno`, { recursive: true });
      await Deno.mkdir(root, { recursive: true });
      await Deno.writeTextFile(
        `${share}/kernels/deno/kernel.json`,
        JSON.stringify({
          argv: [
            Deno.execPath(),
            "jupyter",
            "--kernel",
            "--conn",
            "{connection_file}",
          ],
          display_name: "Deno",
          language: "typescript",
        }),
      );
      // the extension goes where `deno task lab:install --prefix` puts it
      const install = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("jupyter-ext/scripts/install.ts", REPO).pathname,
          "--prefix",
          tmp,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!install.success) {
        throw new Error(
          `lab:install failed: ${new TextDecoder().decode(install.stderr)}`,
        );
      }
      // the kernel runs in the notebook's directory: give it the library's import map
      const denoJson = JSON.parse(
        await Deno.readTextFile(new URL("deno.json", REPO)),
      );
      await Deno.writeTextFile(
        `${root}/deno.json`,
        JSON.stringify({ imports: denoJson.imports }),
      );
      for (const [name, cells] of Object.entries(opts.notebooks)) {
        await Deno.writeTextFile(`${root}/${name}`, notebook(cells));
      }

      const token = crypto.randomUUID().replaceAll("-", "");
      server = new Deno.Command(PYTHON, {
        args: [
          new URL("tests/jupyter/lab_server.py", REPO).pathname,
          opts.app,
          root,
          `${tmp}/state`,
          token,
        ],
        env: {
          JUPYTER_PATH: share,
          JUPYTER_CONFIG_DIR: `${tmp}/config`,
          JUPYTER_DATA_DIR: `${tmp}/data`,
          JUPYTER_RUNTIME_DIR: `${tmp}/runtime`,
          NO_COLOR: "1",
        },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      void drain(server.stderr, serverLog).catch(() => {});
      const reader = server.stdout.pipeThrough(new TextDecoderStream())
        .getReader();
      const ready = JSON.parse(
        await firstLine(reader, 60_000, () => serverLog.join("").slice(-3000)),
      );
      void (async () => {
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          serverLog.push(r.value);
        }
      })().catch(() => {});

      context = await chromium.launchPersistentContext(`${tmp}/chromium`, {
        executablePath: CHROMIUM,
        args: CHROMIUM_FLAGS,
        headless: true,
        viewport: opts.viewport ?? { width: 1280, height: 900 },
        permissions: ["clipboard-read", "clipboard-write"],
      });
      const page = context.pages()[0] ?? await context.newPage();
      return new LabSession({
        tmp,
        baseUrl: ready.url,
        token,
        context,
        page,
        serverLog,
        server,
      });
    } catch (e) {
      await context?.close().catch(() => {});
      if (server) await LabSession.#stop(server);
      await LabSession.#killLeftovers(tmp);
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      throw e;
    }
  }

  /** `path` under the server with the token, e.g. `pageUrl("lab/tree/a.ipynb")`. */
  pageUrl(path: string): string {
    return `${this.baseUrl}${path}?token=${this.token}`;
  }

  /** A JSON GET of the server's REST API (`path` relative to the base URL). */
  async api(path: string): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      headers: { Authorization: `token ${this.token}` },
    });
    if (!res.ok) {
      throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    }
    return await res.json();
  }

  /** Stops the browser and the server (which shuts its kernels down), then sweeps leftovers. */
  async close(): Promise<void> {
    await this.context.close().catch(() => {});
    await LabSession.#stop(this.#server);
    await LabSession.#killLeftovers(this.tmp);
    await Deno.remove(this.tmp, { recursive: true }).catch(() => {});
  }

  static async #stop(server: Deno.ChildProcess): Promise<void> {
    try {
      server.kill("SIGTERM");
    } catch {
      // already gone
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = await Promise.race([
      server.status.then(() => true),
      new Promise<false>((r) => (timer = setTimeout(() => r(false), 15_000))),
    ]);
    clearTimeout(timer);
    if (!exited) {
      try {
        server.kill("SIGKILL");
      } catch {
        // exited meanwhile
      }
      await server.status;
    }
  }

  static async #killLeftovers(tmp: string): Promise<void> {
    for (const pid of await pidsMentioning(tmp)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
  }
}
