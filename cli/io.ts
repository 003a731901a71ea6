/**
 * Output helpers of the command-line tool: complete writes to stdout and stderr, warnings, and
 * whether to style output.
 *
 * @example
 * ```ts
 * import { printOut } from "./io.ts";
 * printOut("hello\n");
 * ```
 * @module
 */

const encoder = new TextEncoder();

function writeAll(w: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) {
    const n = w.writeSync(bytes);
    bytes = bytes.subarray(n);
  }
}

/**
 * Writes `text` to stdout, all of it.
 *
 * @example
 * ```ts
 * import { printOut } from "./io.ts";
 * printOut("/\n└── a\n");
 * ```
 */
export function printOut(text: string): void {
  writeAll(Deno.stdout, text);
}

/**
 * Writes `text` to stderr, all of it.
 *
 * @example
 * ```ts
 * import { printErr } from "./io.ts";
 * printErr("zarr: something to know\n");
 * ```
 */
export function printErr(text: string): void {
  writeAll(Deno.stderr, text);
}

/**
 * Prints a warning line on stderr: `zarr: warning: <message>`.
 *
 * @example
 * ```ts
 * import { warnCli } from "./io.ts";
 * warnCli("skipped 'a/b': unsupported data type");
 * ```
 */
export function warnCli(message: string): void {
  printErr(`zarr: warning: ${message}\n`);
}

/**
 * Whether stdout is a terminal that may be styled (ANSI bold): not when `NO_COLOR` is set.
 *
 * @example
 * ```ts
 * import { stdoutStyled } from "./io.ts";
 * console.log(typeof stdoutStyled()); // boolean
 * ```
 */
export function stdoutStyled(): boolean {
  try {
    return Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
  } catch {
    return false;
  }
}

/**
 * Whether stderr is a terminal.
 *
 * @example
 * ```ts
 * import { stderrIsTerminal } from "./io.ts";
 * console.log(typeof stderrIsTerminal()); // boolean
 * ```
 */
export function stderrIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}
