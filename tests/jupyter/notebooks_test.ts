/**
 * The example notebooks (`examples/*.ipynb`), executed headlessly with the Deno kernel by
 * `tests/jupyter/nb_runner.py` (Debian's nbclient with a client that drains iopub after idle):
 * one test per notebook asserts that every code cell ran without an error or stderr output and
 * that the notebook showed the rich outputs it must (trees, array tables, preview pictures, live
 * progress bars). A further test runs small notebooks through the runner to show that it catches
 * late outputs and fails, naming the notebook and the cell, on errors, stderr and missing outputs.
 * The executed notebooks are written to `tests/artifacts/notebooks/` (git-ignored).
 *
 * Missing python3/nbclient/jupyter_client fail the tests under CI=true and skip them locally with
 * a printed reason; so do the shared fixtures that `05_interop` reads (`$ZARR_FIXTURES`, else
 * `../shared/fixtures` beside the repository).
 *
 * Run as a program, this file is `deno task notebooks`: it executes the examples (or the
 * notebooks named as arguments), prints one line per notebook and writes the executed copies to
 * `tests/artifacts/notebooks/`.
 * @module
 */
import assert, { deepStrictEqual as assertEquals } from "node:assert";
import { PYTHON, pythonAvailable } from "../python.ts";

const ROOT = new URL("../../", import.meta.url);
const ROOT_PATH = decodeURIComponent(ROOT.pathname);
const EXAMPLES = new URL("examples/", ROOT);
const RUNNER = decodeURIComponent(new URL("nb_runner.py", import.meta.url).pathname);
const ARTIFACTS = `${ROOT_PATH}tests/artifacts/notebooks`;
const RUNNER_IMPORTS = "import nbclient, nbformat, jupyter_client, zmq";
/** Everything together must stay well under two minutes on two cores. */
const TOTAL_SECONDS_LIMIT = 120;

/** The shared fixtures folder, by the interop suites' rule. */
const FIXTURES: string = (() => {
  const env = Deno.env.get("ZARR_FIXTURES");
  if (env) return env.startsWith("/") ? env : `${Deno.cwd()}/${env}`;
  return decodeURIComponent(new URL("../shared/fixtures", ROOT).pathname);
})();

/** What a notebook must show at least: checks passed per tag, and previews per picture kind. */
interface Required {
  checks: Record<string, number>;
  previews?: Record<string, number>;
  /** Fixture folders (under FIXTURES) the notebook reads. */
  fixtures?: string[];
}

/** The least each example must show. A new notebook needs an entry here. */
const REQUIRED: Record<string, Required> = {
  "01_quickstart.ipynb": {
    checks: { "expect-tree": 2, "expect-array": 2, "expect-preview": 2 },
    previews: { png: 1, svg: 1 },
  },
  "02_indexing.ipynb": {
    checks: { "expect-array": 1, "expect-preview": 1, "expect-output": 1 },
    previews: { png: 1 },
  },
  "03_codecs_and_sharding.ipynb": {
    checks: { "expect-tree": 2, "expect-array": 1, "expect-preview": 1, "expect-output": 2 },
  },
  "04_hierarchies_copy_progress.ipynb": {
    checks: { "expect-tree": 3, "expect-progress": 5, "expect-array": 1, "expect-preview": 1 },
  },
  "05_interop.ipynb": {
    checks: { "expect-tree": 1, "expect-array": 2, "expect-preview": 2, "expect-output": 3 },
    fixtures: ["v2-zarr-python-2.13/data.zarr", "zarrita-js/v3/data.zarr", "zarrs/v3_zarr_python"],
  },
};

/** One notebook in the runner's JSON report. */
interface NotebookReport {
  notebook: string;
  status: "passed" | "failed";
  error?: string;
  seconds: number;
  cells: { index: number; seconds: number; outputs: string[] }[];
  checks: Record<string, number>;
  previews: Record<string, number>;
}

/** The runner's JSON report. */
interface Report {
  seconds: number;
  notebooks: NotebookReport[];
}

/** A run of the runner: its exit status, parsed report and stderr. */
interface Run {
  code: number;
  report: Report;
  stderr: string;
}

/** A code cell of a notebook file: its source, tags and stored outputs. */
interface CodeCell {
  source: string;
  tags: string[];
  outputs: number;
  executionCount: number | null;
}

/** The non-empty code cells of a notebook file. */
async function codeCells(path: string): Promise<CodeCell[]> {
  const nb = JSON.parse(await Deno.readTextFile(path));
  return (nb.cells as {
    cell_type: string;
    source: string | string[];
    metadata: { tags?: string[] };
    outputs?: unknown[];
    execution_count?: number | null;
  }[])
    .filter((c) => c.cell_type === "code")
    .map((c) => ({
      source: Array.isArray(c.source) ? c.source.join("") : c.source,
      tags: c.metadata.tags ?? [],
      outputs: c.outputs?.length ?? 0,
      executionCount: c.execution_count ?? null,
    }))
    .filter((c) => c.source.trim() !== "");
}

/**
 * Runs nb_runner.py on `paths` (JSON report), from the repository root, with this Deno as the
 * kernel and ZARR_FIXTURES set.
 */
async function runRunner(paths: string[], out: string, jobs = 3): Promise<Run> {
  const r = await new Deno.Command(PYTHON, {
    args: [
      RUNNER,
      "--deno",
      Deno.execPath(),
      "--json",
      "--jobs",
      String(jobs),
      "--out",
      out,
      ...paths,
    ],
    cwd: ROOT_PATH,
    env: { ZARR_FIXTURES: FIXTURES, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(r.stdout);
  const stderr = new TextDecoder().decode(r.stderr);
  let report: Report;
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`nb_runner.py exited ${r.code} without a report:\n${stdout}\n${stderr}`);
  }
  return { code: r.code, report, stderr };
}

function missingFixtures(paths: string[]): string[] {
  return paths.filter((p) => {
    try {
      Deno.statSync(`${FIXTURES}/${p}`);
      return false;
    } catch {
      return true;
    }
  });
}

/** The example notebooks, sorted. */
function exampleNames(): string[] {
  return [...Deno.readDirSync(EXAMPLES)]
    .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
    .map((e) => e.name)
    .sort();
}

/** Why a notebook cannot run here (fixtures it reads are missing), or null. */
function skipReason(name: string): string | null {
  const missing = missingFixtures(REQUIRED[name]?.fixtures ?? []);
  if (missing.length === 0) return null;
  return `${name}: fixtures not found under ${FIXTURES}: ${missing.join(", ")} ` +
    `(set ZARR_FIXTURES to the fixtures folder)`;
}

if (import.meta.main) {
  // `deno task notebooks [NOTEBOOK...]`: execute and summarize, for users
  if (!pythonAvailable("deno task notebooks", RUNNER_IMPORTS)) Deno.exit(2);
  // `deno task` runs in the repository root; INIT_CWD is where the user typed the command
  const cwd = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const given = Deno.args.length
    ? Deno.args.map((p) => (p.startsWith("/") ? p : `${cwd}/${p}`))
    : exampleNames().map((n) => `examples/${n}`);
  const paths = given.filter((p) => {
    const reason = skipReason(p.split("/").pop()!);
    if (reason) console.log(`SKIP ${reason}`);
    return reason === null;
  });
  if (paths.length === 0) Deno.exit(0);
  const r = await new Deno.Command(PYTHON, {
    args: [RUNNER, "--deno", Deno.execPath(), "--jobs", "3", "--out", ARTIFACTS, ...paths],
    cwd: ROOT_PATH,
    env: { ZARR_FIXTURES: FIXTURES },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  console.log(`executed notebooks: ${ARTIFACTS}/`);
  Deno.exit(r.code);
}

const available = pythonAvailable("jupyter notebooks", RUNNER_IMPORTS);
const names = exampleNames();
const CI = Deno.env.get("CI") === "true";
/** Per notebook: why it is skipped (fixtures missing, outside CI), or null. */
const skipped: Record<string, string | null> = Object.fromEntries(names.map((n) => {
  const reason = CI ? null : skipReason(n);
  if (reason) console.log(`SKIP ${reason}`);
  return [n, reason];
}));

let examplesRun: Promise<Run> | undefined;
/** One runner call for every example that runs (three at a time), started by the first test. */
function runExamples(): Promise<Run> {
  examplesRun ??= runRunner(
    names.filter((n) => skipped[n] === null).map((n) => `examples/${n}`),
    ARTIFACTS,
  ).then((run) => {
    console.log(
      `notebooks: ${run.report.notebooks.length} in ${run.report.seconds} s; ` +
        `executed copies in ${ARTIFACTS}/`,
    );
    return run;
  });
  return examplesRun;
}

for (const name of names) {
  Deno.test({
    name: `notebook ${name}: runs headlessly and shows its rich outputs`,
    ignore: !available || skipped[name] !== null,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const req = REQUIRED[name];
      assert(req, `${name} has no entry in REQUIRED (tests/jupyter/notebooks_test.ts): add one`);
      const missing = missingFixtures(req.fixtures ?? []);
      assertEquals(missing, [], `${name} needs fixtures under ${FIXTURES} (ZARR_FIXTURES)`);
      const { report } = await runExamples();
      const nb = report.notebooks.find((r) => r.notebook === `examples/${name}`);
      assert(nb, `no report for ${name}: ${JSON.stringify(report)}`);
      assertEquals(nb.status, "passed", nb.error);
      const cells = await codeCells(`${ROOT_PATH}examples/${name}`);
      assertEquals(nb.cells.length, cells.length, "every code cell ran");
      // the examples are kept in git with cleared outputs (small diffs, no machine-specific data)
      const stale = cells.flatMap((c, i) => (c.outputs || c.executionCount !== null ? [i] : []));
      assertEquals(
        stale,
        [],
        `${name}: code cells ${stale} hold outputs: clear them before committing ` +
          "(JupyterLab: Edit > Clear Outputs of All Cells)",
      );
      // every tagged cell was checked, and the notebook shows at least what it must
      const tagged: Record<string, number> = {};
      for (const c of cells) {
        for (const t of c.tags.filter((t) => t.startsWith("expect-"))) {
          tagged[t] = (tagged[t] ?? 0) + 1;
        }
      }
      assertEquals(nb.checks, tagged);
      for (const [tag, n] of Object.entries(req.checks)) {
        assert(
          (nb.checks[tag] ?? 0) >= n,
          `${name}: ${tag} passed ${nb.checks[tag] ?? 0}x, needs ${n}`,
        );
      }
      for (const [kind, n] of Object.entries(req.previews ?? {})) {
        assert(
          (nb.previews[kind] ?? 0) >= n,
          `${name}: ${kind} previews ${nb.previews[kind] ?? 0}, needs ${n}`,
        );
      }
      console.log(
        `${name}: ${nb.cells.length} code cells in ${nb.seconds} s; checks ${
          JSON.stringify(nb.checks)
        }; ` +
          `previews ${JSON.stringify(nb.previews)}`,
      );
    },
  });
}

Deno.test({
  name: "notebooks: all examples together run well under two minutes",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { report } = await runExamples();
    assert(report.notebooks.length >= 4, `only ${report.notebooks.length} notebooks ran`);
    assert(report.seconds < TOTAL_SECONDS_LIMIT, `the examples took ${report.seconds} s`);
  },
});

/** A notebook file with the given code cells (source, tags), for the runner's own test. */
function notebook(cells: [string, string[]?][]): string {
  return JSON.stringify({
    cells: cells.map(([source, tags], i) => ({
      cell_type: "code",
      id: `c${i}`,
      metadata: tags ? { tags } : {},
      source,
      execution_count: null,
      outputs: [],
    })),
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

Deno.test({
  name:
    "notebooks: the runner catches late outputs and fails on errors, stderr and missing outputs",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "zarr-nbrunner-" });
    try {
      const books: Record<string, [string, string[]?][]> = {
        // 42 is published after `idle` by Deno 2.9's kernel; "late" 150 ms after the cell ends
        "good.ipynb": [
          ['console.log("a");\n42', ["expect-output"]],
          ['setTimeout(() => console.log("late"), 150);\n5'],
          ['console.error("tolerated");', ["allow-stderr"]],
          [
            'const opts = { raw: true, display_id: "p" };\n' +
            'Deno.jupyter.display({ "text/plain": "0%" }, opts);\n' +
            'Deno.jupyter.display({ "text/plain": "100%" }, { ...opts, update: true });',
            ["expect-progress"],
          ],
        ],
        "error.ipynb": [["1"], ['throw new Error("boom");'], ["2"]],
        "stderr.ipynb": [['console.error("oops");']],
        "no_tree.ipynb": [["1", ["expect-tree"]]],
        "typo.ipynb": [["1", ["expect-tre"]]],
        "syntax.ipynb": [["const x = ;"]],
        "no_update.ipynb": [[
          'Deno.jupyter.display({ "text/plain": "0%" }, { raw: true, display_id: "q" });',
          ["expect-progress"],
        ]],
      };
      for (const [f, cells] of Object.entries(books)) {
        await Deno.writeTextFile(`${tmp}/${f}`, notebook(cells));
      }
      const run = await runRunner(Object.keys(books).map((f) => `${tmp}/${f}`), `${tmp}/out`);
      assertEquals(run.code, 1);
      const by = Object.fromEntries(
        run.report.notebooks.map((r) => [r.notebook.split("/").pop()!, r]),
      );
      assertEquals(by["good.ipynb"].status, "passed", by["good.ipynb"].error);
      assertEquals(by["good.ipynb"].checks, { "expect-output": 1, "expect-progress": 1 });
      const executed = JSON.parse(await Deno.readTextFile(`${tmp}/out/good.ipynb`));
      // nbformat stores multi-line strings as lists of lines
      const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v));
      const outs: string[][] = executed.cells.map((c: { outputs: Record<string, unknown>[] }) =>
        c.outputs.map((o) =>
          o.text !== undefined
            ? text(o.text)
            : text((o.data as Record<string, unknown> | undefined)?.["text/plain"])
        )
      );
      assert(outs[0].includes("42"), JSON.stringify(outs[0]));
      assert(outs[1].includes("late\n"), JSON.stringify(outs[1]));

      const err = by["error.ipynb"];
      assertEquals(err.status, "failed");
      assert(/error\.ipynb: cell 1 .*failed:\nError: boom/s.test(err.error!), err.error);
      assertEquals(err.cells.length, 2, "no cell runs after a failure");
      assert(/stderr\.ipynb: cell 0 .*stderr: oops/s.test(by["stderr.ipynb"].error!));
      assert(
        /no_tree\.ipynb: cell 0 .*expect-tree: no execute_result with application\/vnd\.zarr\.tree/s
          .test(by["no_tree.ipynb"].error!),
        by["no_tree.ipynb"].error,
      );
      assert(
        /no_update\.ipynb: cell 0 .*expect-progress: no progress display updated in place/s
          .test(by["no_update.ipynb"].error!),
        by["no_update.ipynb"].error,
      );
      assert(
        /syntax\.ipynb: cell 0 .*execute_reply status error.*syntax/s.test(
          by["syntax.ipynb"].error!,
        ),
        by["syntax.ipynb"].error,
      );
      assert(
        /typo\.ipynb: cell 0: unknown check tag 'expect-tre'/.test(by["typo.ipynb"].error!),
        by["typo.ipynb"].error,
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
