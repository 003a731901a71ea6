/**
 * `zarr tree STORE[/PATH] [--level N] [--json]`: the hierarchy below a group, as the text of
 * `tree()` or as the `application/vnd.zarr.tree+json` payload
 * (`jupyter-ext/schema/tree.schema.json`).
 *
 * @example
 * ```ts
 * import { treeCommand } from "./tree.ts";
 * console.log(treeCommand.spec.name); // tree
 * ```
 * @module
 */
import * as zarr from "../../mod.ts";
import { buildTree, DEFAULT_MAX_NODES, type TreeNode } from "../../src/group/tree.ts";
import type { ParsedCommandLine } from "../args.ts";
import { printOut, stdoutStyled, warnCli } from "../io.ts";
import { collectMembers } from "../walk.ts";
import {
  type Command,
  NO_CONSOLIDATED_OPTION,
  openArgument,
  PATH_OPTION,
  requireGroup,
  STORE_HELP,
} from "./common.ts";

/**
 * The tree nodes of the members of `group` (unreadable members are skipped with a warning),
 * at most `maxNodes` of them, and whether `maxNodes` cut the list.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { treeNodes } from "./tree.ts";
 * const g = await zarr.group();
 * await g.createGroup("a");
 * console.log((await treeNodes(g, null, 500)).nodes.length); // 1
 * ```
 */
export async function treeNodes(
  group: zarr.AsyncGroup,
  level: number | null,
  maxNodes: number,
): Promise<{ nodes: TreeNode[]; truncated: boolean }> {
  const members = await collectMembers(group, {
    maxDepth: level,
    limit: maxNodes,
    onSkip: (p, e) => warnCli(`skipped '${p}': ${e.message}`),
  });
  const truncated = members.length > maxNodes;
  const nodes: TreeNode[] = [];
  for (const { path, node } of members.slice(0, maxNodes)) {
    nodes.push(
      node instanceof zarr.AsyncArray
        ? {
          path,
          kind: "array",
          shape: node.shape,
          dtype: node.dtype,
          chunks: node.chunks,
          zarrFormat: node.zarrFormat,
          attrs: node.attrs,
        }
        : { path, kind: "group", zarrFormat: node.zarrFormat, attrs: node.attrs },
    );
  }
  return { nodes, truncated };
}

async function run(args: ParsedCommandLine): Promise<number> {
  const { store, node, location } = await openArgument(args.positionals[0], args.options);
  try {
    const group = requireGroup(node, location.path);
    const level = (args.options.level as number | undefined) ?? null;
    const maxNodes = (args.options["max-nodes"] as number | undefined) ?? DEFAULT_MAX_NODES;
    const { nodes, truncated } = await treeNodes(group, level, maxNodes);
    const tree = buildTree(group.name, nodes, {
      maxNodes,
      truncated,
      bold: !args.options.json && stdoutStyled(),
    });
    if (args.options.json) {
      const payload = tree.toJSON();
      payload.root.zarr_format = group.zarrFormat;
      payload.root.attributes_count = Object.keys(group.attrs).length;
      printOut(JSON.stringify(payload, null, 2) + "\n");
    } else printOut(tree.toString());
    return 0;
  } finally {
    await store.close();
  }
}

/** The `tree` command. */
export const treeCommand: Command = {
  spec: {
    name: "tree",
    summary: "Print the hierarchy below a group (the text of tree(), or JSON).",
    positionals: [{ name: "STORE[/PATH]", help: "the group (default: the store's root)" }],
    options: [
      {
        name: "level",
        short: "L",
        type: "int",
        min: 0,
        metavar: "N",
        help: "depth limit: 0 shows the immediate children only (default: everything)",
      },
      {
        name: "max-nodes",
        type: "int",
        min: 0,
        metavar: "N",
        help: `show at most N members (default ${DEFAULT_MAX_NODES}); more are truncated`,
      },
      {
        name: "json",
        type: "boolean",
        help: "print the application/vnd.zarr.tree+json payload (jupyter-ext/schema)",
      },
      PATH_OPTION,
      NO_CONSOLIDATED_OPTION,
    ],
    description:
      `Members whose metadata cannot be read are left out with a warning on stderr.\n\n${STORE_HELP}`,
    examples: [
      "zarr tree data.zarr",
      "zarr tree data.zarr/group --level 1",
      "zarr tree x.zip --json",
    ],
  },
  run,
};
