/**
 * `zarr get STORE/PATH [SELECTION] [--json|--csv]`: read a selection of an array (a numpy-style
 * string such as `"0:5, ::2"`) and print it as numpy's repr (default), nested JSON lists, or
 * CSV.
 *
 * @example
 * ```ts
 * import { getCommand } from "./get.ts";
 * console.log(getCommand.spec.name); // get
 * ```
 * @module
 */
import type { ParsedCommandLine } from "../args.ts";
import { UsageError } from "../args.ts";
import { formatCSV, formatJSON, formatRepr } from "../format.ts";
import { printOut } from "../io.ts";
import {
  type Command,
  NO_CONSOLIDATED_OPTION,
  openArgument,
  PATH_OPTION,
  requireArray,
  STORE_HELP,
} from "./common.ts";

async function run(args: ParsedCommandLine): Promise<number> {
  if (args.options.json && args.options.csv) {
    throw new UsageError("--json and --csv cannot be used together");
  }
  const [arg, selection] = args.positionals;
  const { store, node, location } = await openArgument(arg, args.options);
  try {
    const array = requireArray(node, location.path);
    const data = await array.getitem(selection ?? null);
    const dt = array.dataType;
    let text: string;
    if (args.options.json) text = formatJSON(data, dt);
    else if (args.options.csv) {
      const csv = formatCSV(data, dt);
      if (csv === undefined) {
        throw new UsageError(
          `--csv needs a selection of at most 2 dimensions; this one has ${data.shape.length} ` +
            `(shape [${data.shape.join(", ")}])`,
        );
      }
      text = csv;
    } else text = formatRepr(data, dt);
    printOut(text === "" ? "" : text + "\n");
    return 0;
  } finally {
    await store.close();
  }
}

/** The `get` command. */
export const getCommand: Command = {
  spec: {
    name: "get",
    summary: "Print a selection of an array (numpy repr, JSON or CSV).",
    positionals: [
      { name: "STORE/PATH", help: "the array" },
      {
        name: "SELECTION",
        optional: true,
        help: 'numpy-style selection, e.g. "0:5, ::2", "-1", "..., 0" (default: everything)',
      },
    ],
    options: [
      { name: "json", type: "boolean", help: 'nested JSON lists (NaN as "NaN", NaT as "NaT")' },
      { name: "csv", type: "boolean", help: "CSV rows (0-, 1- or 2-D selections only)" },
      PATH_OPTION,
      NO_CONSOLIDATED_OPTION,
    ],
    description:
      `The default output is numpy's repr: more than 1000 elements are summarized with '...'.
A selection starting with '-' (e.g. "-1" or "-3:") is read as the selection, not an option.
A selection out of bounds or malformed exits with status 1.\n\n${STORE_HELP}`,
    examples: [
      'zarr get data.zarr/temperature "0:5, ::2"',
      "zarr get data.zarr/temperature -1 --json",
      'zarr get x.zip/table "0:100" --csv > table.csv',
    ],
  },
  run,
};
