/**
 * The `zarr` command-line tool: `deno task zarr <command> ...`, or installed with
 * `deno install -g -A -n zarr --config deno.json cli/main.ts`.
 *
 * Commands: `tree`, `info`, `get`, `ls`, `cp`, `consolidate` (each with `--help`). Exit status:
 * 0 on success, 1 on a Zarr error (the message on stderr, no stack trace), 2 on bad usage.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * const code = await main(["--help"]);
 * console.log(code); // 0
 * ```
 * @module
 */
import * as zarr from "../mod.ts";
import { helpText, parseCommandLine, UsageError, usageLine } from "./args.ts";
import { printErr, printOut } from "./io.ts";
import type { Command } from "./commands/common.ts";
import { treeCommand } from "./commands/tree.ts";
import { infoCommand } from "./commands/info.ts";
import { getCommand } from "./commands/get.ts";
import { lsCommand } from "./commands/ls.ts";
import { cpCommand } from "./commands/cp.ts";
import { consolidateCommand } from "./commands/consolidate.ts";
import denoJson from "../deno.json" with { type: "json" };

/** Every command, by name. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [treeCommand, infoCommand, getCommand, lsCommand, cpCommand, consolidateCommand].map(
    (c) => [c.spec.name, c],
  ),
);

/**
 * The top-level help page.
 *
 * @example
 * ```ts
 * import { mainHelp } from "./main.ts";
 * console.log(mainHelp().split("\n")[0]); // Usage: zarr <command> [options] ...
 * ```
 */
export function mainHelp(): string {
  const w = Math.max(...[...COMMANDS.keys()].map((k) => k.length));
  return [
    "Usage: zarr <command> [options] ...",
    "",
    "Inspect, read, copy and convert Zarr (v2 and v3) stores: local directories, .zip files,",
    "http(s):// and s3:// URLs.",
    "",
    "Commands:",
    ...[...COMMANDS.values()].map((c) => `  ${c.spec.name.padEnd(w)}  ${c.spec.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help ('zarr <command> --help' for a command's)",
    "  -V, --version  print the version",
    "",
    "Exit status: 0 on success, 1 on a Zarr error (message on stderr), 2 on bad usage.",
    "",
  ].join("\n");
}

function isBrokenPipe(e: unknown): boolean {
  return e instanceof Deno.errors.BrokenPipe ||
    (e instanceof Error && /broken pipe|os error 32/i.test(e.message));
}

/** Deno's file-system and network errors: user-facing, no stack trace. */
function isIoError(e: unknown): boolean {
  const errs = Deno.errors as unknown as Record<string, unknown>;
  return Object.values(errs).some((C) => typeof C === "function" && e instanceof (C as never));
}

/**
 * Runs the tool on `argv` and returns the exit status (it does not exit).
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * console.log(await main(["frobnicate"])); // 2
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    printErr(mainHelp());
    return 2;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    const cmd = name === "help" && rest[0] ? COMMANDS.get(rest[0]) : undefined;
    if (name === "help" && rest[0] && !cmd) {
      printErr(`zarr: unknown command '${rest[0]}'\n\n${mainHelp()}`);
      return 2;
    }
    printOut(cmd ? helpText(cmd.spec) : mainHelp());
    return 0;
  }
  if (name === "-V" || name === "--version") {
    printOut(`zarr ${denoJson.version} (${denoJson.name}, Deno ${Deno.version.deno})\n`);
    return 0;
  }
  const cmd = COMMANDS.get(name);
  if (!cmd) {
    printErr(
      `zarr: ${name.startsWith("-") ? `unknown option '${name}'` : `unknown command '${name}'`}` +
        `\n\n${mainHelp()}`,
    );
    return 2;
  }
  try {
    const parsed = parseCommandLine(cmd.spec, rest);
    if (parsed.help) {
      printOut(helpText(cmd.spec));
      return 0;
    }
    return await cmd.run(parsed);
  } catch (e) {
    if (isBrokenPipe(e)) return 0;
    if (e instanceof UsageError) {
      printErr(
        `zarr ${name}: ${e.message}\nUsage: ${usageLine(cmd.spec)}\n` +
          `Run 'zarr ${name} --help' for more.\n`,
      );
      return 2;
    }
    if (e instanceof zarr.ZarrError) {
      printErr(`zarr ${name}: ${e.name}: ${e.message}\n`);
      return 1;
    }
    if (isIoError(e)) {
      printErr(`zarr ${name}: ${(e as Error).message}\n`);
      return 1;
    }
    printErr(`zarr ${name}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

if (import.meta.main) {
  // `deno task` runs in the folder of deno.json; relative paths are the caller's
  const initCwd = Deno.env.get("INIT_CWD");
  if (initCwd) {
    try {
      Deno.chdir(initCwd);
    } catch {
      // keep the current folder
    }
  }
  Deno.exit(await main(Deno.args));
}
