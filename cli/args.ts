/**
 * A small command-line parser of our own: each command declares its positionals and options,
 * {@link parseCommandLine} checks the arguments against them, and {@link helpText} renders the
 * `--help` page from the same declaration.
 *
 * Rules: `--name value` and `--name=value`; short flags `-x value`; boolean flags take no value;
 * `--` ends the options; a token starting with `-` followed by a digit, `:` or `.` is a
 * positional (so `get a.zarr/x -1` and `get a.zarr/x -3:` select from the end). `-h`/`--help`
 * anywhere asks for the help page.
 *
 * @example
 * ```ts
 * import { type CommandSpec, parseCommandLine } from "./args.ts";
 * const spec: CommandSpec = {
 *   name: "tree",
 *   summary: "print the hierarchy",
 *   positionals: [{ name: "STORE", help: "the store" }],
 *   options: [{ name: "level", type: "int", metavar: "N", help: "depth" }],
 * };
 * const parsed = parseCommandLine(spec, ["data.zarr", "--level", "1"]);
 * console.log(parsed.positionals, parsed.options.level); // ["data.zarr"] 1
 * ```
 * @module
 */

/**
 * A command line that does not match the command's declaration (exit code 2).
 *
 * @example
 * ```ts
 * import { UsageError } from "./args.ts";
 * const e = new UsageError("missing argument STORE");
 * console.log(e.name); // UsageError
 * ```
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** One option of a command. */
export interface OptionSpec {
  /** Long name without `--`. */
  name: string;
  /** One-letter short name without `-`. */
  short?: string;
  /** `boolean`: a flag; `string`: any text; `int`: an integer; `choice`: one of `choices`. */
  type: "boolean" | "string" | "int" | "choice";
  /** Allowed values of a `choice` option. */
  choices?: readonly string[];
  /** Smallest value of an `int` option. */
  min?: number;
  /** Name of the value in the help page. */
  metavar?: string;
  /** One line of help. */
  help: string;
}

/** One positional argument of a command. */
export interface PositionalSpec {
  /** Name shown in the usage line. */
  name: string;
  /** One line of help. */
  help: string;
  /** Optional positional (required by default). */
  optional?: boolean;
}

/** The declaration of a command. */
export interface CommandSpec {
  /** Command name (`tree`, `get`...). */
  name: string;
  /** One line shown in `zarr --help`. */
  summary: string;
  /** Positionals, in order. */
  positionals: readonly PositionalSpec[];
  /** Options (`--help` is implicit). */
  options: readonly OptionSpec[];
  /** Paragraphs shown after the usage line. */
  description?: string;
  /** Example command lines. */
  examples?: readonly string[];
}

/** Parsed option values: `true` for flags, numbers for `int`, strings otherwise. */
export type OptionValues = Record<string, string | number | boolean | undefined>;

/** The result of {@link parseCommandLine}. */
export interface ParsedCommandLine {
  /** Positional values, in order (optional ones may be missing). */
  positionals: string[];
  /** Option values by long name; absent options are undefined. */
  options: OptionValues;
  /** Whether `-h`/`--help` was given. */
  help: boolean;
}

function looksLikePositional(tok: string): boolean {
  return tok === "-" || /^-[0-9:.]/.test(tok);
}

function parseValue(opt: OptionSpec, raw: string): string | number {
  if (opt.type === "int") {
    if (!/^[+-]?\d+$/.test(raw.trim())) {
      throw new UsageError(`option --${opt.name} expects an integer, got '${raw}'`);
    }
    const n = Number(raw);
    if (opt.min !== undefined && n < opt.min) {
      throw new UsageError(`option --${opt.name} must be >= ${opt.min}, got ${n}`);
    }
    return n;
  }
  if (opt.type === "choice" && !opt.choices!.includes(raw)) {
    throw new UsageError(
      `option --${opt.name} must be one of ${opt.choices!.join(", ")}; got '${raw}'`,
    );
  }
  return raw;
}

/**
 * Parses `argv` (the arguments after the command name) against `spec`. Throws
 * {@link UsageError} for an unknown option, a missing or malformed value, a repeated option, or
 * a wrong number of positionals, unless `-h`/`--help` is present (then `help` is true and the
 * rest is not checked).
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * const spec = { name: "ls", summary: "", positionals: [{ name: "STORE", help: "" }], options: [] };
 * console.log(parseCommandLine(spec, ["--help"]).help); // true
 * ```
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommandLine {
  if (argv.includes("-h") || argv.includes("--help")) {
    const end = argv.indexOf("--");
    const at = Math.min(...["-h", "--help"].map((h) => argv.indexOf(h)).filter((i) => i >= 0));
    if (end < 0 || at < end) return { positionals: [], options: {}, help: true };
  }
  const positionals: string[] = [];
  const options: OptionValues = {};
  const byLong = new Map(spec.options.map((o) => [o.name, o]));
  const byShort = new Map(spec.options.filter((o) => o.short).map((o) => [o.short!, o]));
  let i = 0;
  let optionsEnded = false;
  const set = (opt: OptionSpec, value: string | number | boolean) => {
    if (options[opt.name] !== undefined) {
      throw new UsageError(`option --${opt.name} given more than once`);
    }
    options[opt.name] = value;
  };
  while (i < argv.length) {
    const tok = argv[i++];
    if (optionsEnded || !tok.startsWith("-") || looksLikePositional(tok)) {
      positionals.push(tok);
      continue;
    }
    if (tok === "--") {
      optionsEnded = true;
      continue;
    }
    let opt: OptionSpec | undefined;
    let inline: string | undefined;
    if (tok.startsWith("--")) {
      const eq = tok.indexOf("=");
      const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
      if (eq >= 0) inline = tok.slice(eq + 1);
      opt = byLong.get(name);
      if (!opt) throw new UsageError(`unknown option --${name}`);
    } else {
      const name = tok.slice(1, 2);
      if (tok.length > 2) inline = tok.slice(2);
      opt = byShort.get(name);
      if (!opt) throw new UsageError(`unknown option -${name}`);
    }
    if (opt.type === "boolean") {
      if (inline !== undefined) {
        throw new UsageError(`option --${opt.name} takes no value`);
      }
      set(opt, true);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      if (i >= argv.length) throw new UsageError(`option --${opt.name} needs a value`);
      raw = argv[i++];
    }
    set(opt, parseValue(opt, raw));
  }
  const required = spec.positionals.filter((p) => !p.optional).length;
  if (positionals.length < required) {
    const missing = spec.positionals.slice(positionals.length).filter((p) => !p.optional);
    throw new UsageError(`missing argument ${missing.map((p) => p.name).join(" ")}`);
  }
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(
      `unexpected argument '${positionals[spec.positionals.length]}'`,
    );
  }
  return { positionals, options, help: false };
}

/**
 * The usage line of a command: `zarr get [options] STORE/PATH [SELECTION]`.
 *
 * @example
 * ```ts
 * import { usageLine } from "./args.ts";
 * const spec = { name: "ls", summary: "", positionals: [{ name: "STORE", help: "" }], options: [] };
 * console.log(usageLine(spec)); // zarr ls [options] STORE
 * ```
 */
export function usageLine(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(" ");
  return `zarr ${spec.name} [options] ${pos}`.trimEnd();
}

function optionLabel(o: OptionSpec): string {
  const value = o.type === "boolean"
    ? ""
    : " " + (o.metavar ?? (o.type === "choice" ? o.choices!.join("|") : o.name.toUpperCase()));
  return (o.short ? `-${o.short}, ` : "    ") + `--${o.name}${value}`;
}

function table(rows: [string, string][], indent = "  "): string[] {
  const w = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(w)}  ${b}`.trimEnd());
}

/**
 * The `--help` page of a command: usage, description, arguments, options, examples.
 *
 * @example
 * ```ts
 * import { helpText } from "./args.ts";
 * const spec = { name: "ls", summary: "list", positionals: [{ name: "STORE", help: "a store" }], options: [] };
 * console.log(helpText(spec).split("\n")[0]); // Usage: zarr ls [options] STORE
 * ```
 */
export function helpText(spec: CommandSpec): string {
  const out = [`Usage: ${usageLine(spec)}`, "", spec.summary];
  if (spec.description) out.push("", spec.description.trim());
  if (spec.positionals.length) {
    out.push("", "Arguments:", ...table(spec.positionals.map((p) => [p.name, p.help])));
  }
  const opts: [string, string][] = spec.options.map((o) => [optionLabel(o), o.help]);
  opts.push([
    optionLabel({ name: "help", short: "h", type: "boolean", help: "" }),
    "show this help",
  ]);
  out.push("", "Options:", ...table(opts));
  if (spec.examples?.length) out.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  out.push(
    "",
    "Exit status: 0 on success, 1 on a Zarr error (message on stderr), 2 on bad usage.",
  );
  return out.join("\n") + "\n";
}
