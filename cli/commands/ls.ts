/**
 * `zarr ls STORE[/PATH]`: the members of a group, one per line with kind, shape, dtype and
 * chunks (or the array itself when PATH is an array).
 *
 * @example
 * ```ts
 * import { formatListing } from "./ls.ts";
 * console.log(formatListing([{ name: "x", kind: "array", shape: [3], dtype: "int8", chunks: [3] }]));
 * // array  x  (3,)  int8  (3,)
 * ```
 * @module
 */
import * as zarr from "../../mod.ts";
import { numpyDtypeName, shapeRepr } from "../../src/array/info.ts";
import type { ParsedCommandLine } from "../args.ts";
import { printOut, warnCli } from "../io.ts";
import { collectMembers } from "../walk.ts";
import {
  type Command,
  NO_CONSOLIDATED_OPTION,
  openArgument,
  PATH_OPTION,
  STORE_HELP,
} from "./common.ts";

/** One line of the listing. */
export interface ListEntry {
  name: string;
  kind: "array" | "group";
  shape?: number[];
  dtype?: string;
  chunks?: number[];
  zarrFormat?: 2 | 3;
}

/**
 * The listing as aligned columns: kind, name (groups end in `/`), shape, dtype, chunks.
 *
 * @example
 * ```ts
 * import { formatListing } from "./ls.ts";
 * console.log(formatListing([{ name: "g", kind: "group" }])); // group  g/
 * ```
 */
export function formatListing(entries: readonly ListEntry[]): string {
  const rows = entries.map((e) =>
    e.kind === "group" ? ["group", e.name + "/", "", "", ""] : [
      "array",
      e.name,
      shapeRepr(e.shape ?? []),
      e.dtype === undefined ? "" : numpyDtypeName(e.dtype),
      e.chunks ? shapeRepr(e.chunks) : "",
    ]
  );
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(0, ...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd())
    .join("\n");
}

function entryOf(name: string, node: zarr.AsyncArray | zarr.AsyncGroup): ListEntry {
  if (node instanceof zarr.AsyncGroup) {
    return { name, kind: "group", zarrFormat: node.zarrFormat };
  }
  return {
    name,
    kind: "array",
    shape: node.shape,
    dtype: node.dtype,
    chunks: node.chunks,
    zarrFormat: node.zarrFormat,
  };
}

async function run(args: ParsedCommandLine): Promise<number> {
  const { store, node, location } = await openArgument(args.positionals[0], args.options);
  try {
    let entries: ListEntry[];
    if (node instanceof zarr.AsyncArray) {
      entries = [entryOf(node.basename || "/", node)];
    } else {
      const members = await collectMembers(node, {
        maxDepth: 0,
        onSkip: (p, e) => warnCli(`skipped '${p}': ${e.message}`),
      });
      members.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      entries = members.map((m) => entryOf(m.path, m.node));
    }
    if (args.options.json) {
      const out = entries.map((e) => ({
        name: e.name,
        path: node instanceof zarr.AsyncArray ? location.path : joinRel(location.path, e.name),
        kind: e.kind,
        ...(e.kind === "array" ? { shape: e.shape, dtype: e.dtype, chunks: e.chunks } : {}),
        zarr_format: e.zarrFormat,
      }));
      printOut(JSON.stringify(out, null, 2) + "\n");
    } else if (entries.length) {
      printOut(formatListing(entries) + "\n");
    }
    return 0;
  } finally {
    await store.close();
  }
}

function joinRel(a: string, b: string): string {
  return a === "" ? b : `${a}/${b}`;
}

/** The `ls` command. */
export const lsCommand: Command = {
  spec: {
    name: "ls",
    summary: "List the members of a group: kind, name, shape, dtype, chunks.",
    positionals: [{ name: "STORE[/PATH]", help: "a group (or an array: listed alone)" }],
    options: [
      { name: "json", type: "boolean", help: "print a JSON list of {name, path, kind, ...}" },
      PATH_OPTION,
      NO_CONSOLIDATED_OPTION,
    ],
    description:
      `Groups are shown with a trailing '/'. Members whose metadata cannot be read are left
out with a warning on stderr.\n\n${STORE_HELP}`,
    examples: ["zarr ls data.zarr", "zarr ls data.zarr/dtypes --json"],
  },
  run,
};
