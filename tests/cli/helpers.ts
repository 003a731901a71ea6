/**
 * Helpers of the CLI tests: running `cli/main.ts` as a subprocess, and where the fixtures are
 * (the interop suites' rule: `$ZARR_FIXTURES`, else `../shared/fixtures`; missing fixtures fail
 * under CI=true and are skipped with a printed reason otherwise).
 *
 * @example
 * ```ts
 * import { zarrCli } from "./helpers.ts";
 * const r = await zarrCli(["--version"]);
 * console.log(r.code); // 0
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";

export { FIXTURES, fixturesMissing } from "../interop/helpers.ts";

/** The project root (where deno.json is). */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** The v2 fixture hierarchy used by the CLI tests, relative to the fixtures root. */
export const V2_FIXTURE = "v2-zarr-python-2.13/data.zarr";

/** What a run of the CLI gave. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno run -A cli/main.ts ...args` from the project root (or `cwd`) and collects its
 * exit status and output.
 *
 * @example
 * ```ts
 * import { zarrCli } from "./helpers.ts";
 * const { code, stdout } = await zarrCli(["tree", "--help"]);
 * ```
 */
export async function zarrCli(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}/deno.json`, `${ROOT}/cli/main.ts`, ...args],
    cwd: opts.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...(opts.env ?? {}) },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * Runs several CLI invocations concurrently.
 *
 * @example
 * ```ts
 * import { zarrCliAll } from "./helpers.ts";
 * const [a, b] = await zarrCliAll([["--help"], ["--version"]]);
 * ```
 */
export async function zarrCliAll(runs: readonly (readonly string[])[]): Promise<CliResult[]> {
  return await Promise.all(runs.map((a) => zarrCli(a)));
}

/**
 * A temporary directory removed when `fn` finishes.
 *
 * @example
 * ```ts
 * import { withTempDir } from "./helpers.ts";
 * await withTempDir(async (dir) => await Deno.writeTextFile(`${dir}/x`, "1"));
 * ```
 */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "zarr-cli-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Fails with the command's output when its exit status is not `code`.
 *
 * @example
 * ```ts
 * import { expectCode, zarrCli } from "./helpers.ts";
 * expectCode(await zarrCli(["--help"]), 0, "help");
 * ```
 */
export function expectCode(r: CliResult, code: number, what: string): void {
  if (r.code !== code) {
    throw new Error(
      `${what}: expected exit ${code}, got ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  }
}
