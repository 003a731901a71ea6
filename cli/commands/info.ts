/**
 * `zarr info STORE/PATH`: zarr-python's `info` of an array (with the stored sizes when the
 * store can be listed) or of a group (with member counts), followed by the attributes.
 *
 * @example
 * ```ts
 * import { attributesBlock } from "./info.ts";
 * console.log(attributesBlock({ units: "K" }, 19));
 * // Attributes         :
 * //   {
 * //     "units": "K"
 * //   }
 * ```
 * @module
 */
import * as zarr from "../../mod.ts";
import { formatGroupInfo } from "../../src/group/info.ts";
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

/**
 * The attributes as an info line (`{}` when empty) or an indented JSON block, with the label
 * padded to `labelWidth` like the lines of `info`.
 *
 * @example
 * ```ts
 * import { attributesBlock } from "./info.ts";
 * console.log(attributesBlock({}, 12)); // Attributes  : {}
 * ```
 */
export function attributesBlock(attrs: Record<string, unknown>, labelWidth: number): string {
  const label = "Attributes".padEnd(labelWidth) + ":";
  if (Object.keys(attrs).length === 0) return `${label} {}`;
  const json = JSON.stringify(attrs, null, 2).split("\n").map((l) => "  " + l).join("\n");
  return `${label}\n${json}`;
}

async function groupInfo(group: zarr.AsyncGroup): Promise<string> {
  let nArrays = 0, nGroups = 0;
  const members = await collectMembers(group, {
    maxDepth: null,
    onSkip: (p, e) => warnCli(`not counted '${p}': ${e.message}`),
  });
  for (const { node } of members) {
    if (node instanceof zarr.AsyncArray) nArrays++;
    else nGroups++;
  }
  return formatGroupInfo({
    name: group.path,
    zarrFormat: group.zarrFormat,
    readOnly: group.readOnly,
    storeType: group.store.typeName,
    nMembers: nArrays + nGroups,
    nArrays,
    nGroups,
  });
}

async function run(args: ParsedCommandLine): Promise<number> {
  const { store, node } = await openArgument(args.positionals[0], args.options);
  try {
    let text: string;
    if (node instanceof zarr.AsyncArray) {
      text = store.supportsListing && !args.options.quick ? await node.infoComplete() : node.info();
    } else {
      text = args.options.quick ? node.info() : await groupInfo(node);
    }
    const labelWidth = text.indexOf(":");
    printOut(`${text}\n${attributesBlock(node.attrs, Math.max(0, labelWidth))}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The `info` command. */
export const infoCommand: Command = {
  spec: {
    name: "info",
    summary: "Describe an array or a group (zarr-python's info) and print its attributes.",
    positionals: [{ name: "STORE[/PATH]", help: "the array or group" }],
    options: [
      {
        name: "quick",
        type: "boolean",
        help: "metadata only: no stored sizes for arrays, no member counts for groups",
      },
      PATH_OPTION,
      NO_CONSOLIDATED_OPTION,
    ],
    description:
      `Arrays show info_complete() (stored bytes, initialized chunks) when the store can be
listed; groups show the number of members at every depth.\n\n${STORE_HELP}`,
    examples: ["zarr info data.zarr/temperature", "zarr info data.zarr --quick"],
  },
  run,
};
