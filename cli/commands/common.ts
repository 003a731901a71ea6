/**
 * Pieces shared by the commands: the `--path` and `--no-consolidated` options, opening the
 * node of a `STORE[/PATH]` argument, and the command interface.
 *
 * @example
 * ```ts
 * import { PATH_OPTION } from "./common.ts";
 * console.log(PATH_OPTION.name); // path
 * ```
 * @module
 */
import * as zarr from "../../mod.ts";
import type { CommandSpec, OptionSpec, ParsedCommandLine } from "../args.ts";
import { type OpenedNode, openLocation, showPath, splitLocation } from "../location.ts";

/** A command: its declaration and its action (returns the exit code). */
export interface Command {
  spec: CommandSpec;
  run(args: ParsedCommandLine): Promise<number>;
}

/** `--path P`: the node path inside STORE, with no splitting of STORE. */
export const PATH_OPTION: OptionSpec = {
  name: "path",
  type: "string",
  metavar: "P",
  help: "node path inside STORE (STORE is then taken as the store, not split)",
};

/** `--no-consolidated`: list the store instead of using consolidated metadata. */
export const NO_CONSOLIDATED_OPTION: OptionSpec = {
  name: "no-consolidated",
  type: "boolean",
  help: "ignore consolidated metadata (list the store instead)",
};

/** The paragraph on STORE arguments shown in every command's help. */
export const STORE_HELP =
  `STORE is a local directory, a .zip file, or an http(s):// or s3:// URL, optionally
followed by /PATH to a node inside it. A local path is split at the root of the Zarr
hierarchy it points into (the topmost directory of the chain of directories holding zarr.json,
.zarray or .zgroup); a .zip file or a URL segment ending in .zarr/.zip ends the store. Use
--path to give the node path explicitly.`;

/**
 * Opens the node named by a command's first positional (and `--path`), read-only.
 *
 * @example
 * ```ts
 * import { openArgument } from "./common.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/zarr.json`, '{"zarr_format":3,"node_type":"group"}');
 * const { node, store } = await openArgument(dir, {});
 * await store.close();
 * ```
 */
export async function openArgument(
  arg: string,
  options: ParsedCommandLine["options"],
): Promise<OpenedNode> {
  const location = await splitLocation(arg, options.path as string | undefined);
  return await openLocation(location, {
    consolidated: options["no-consolidated"] ? "no" : "auto",
  });
}

/**
 * Throws unless `node` is an array.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { requireArray } from "./common.ts";
 * requireArray(await zarr.zeros([2]), "x");
 * ```
 */
export function requireArray(
  node: zarr.AsyncArray | zarr.AsyncGroup,
  path: string,
): zarr.AsyncArray {
  if (node instanceof zarr.AsyncArray) return node;
  throw new zarr.ContainsGroupError(`'${showPath(path)}' is a group, not an array`);
}

/**
 * Throws unless `node` is a group.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { requireGroup } from "./common.ts";
 * requireGroup(await zarr.group(), "");
 * ```
 */
export function requireGroup(
  node: zarr.AsyncArray | zarr.AsyncGroup,
  path: string,
): zarr.AsyncGroup {
  if (node instanceof zarr.AsyncGroup) return node;
  throw new zarr.ContainsArrayError(`'${showPath(path)}' is an array, not a group`);
}
