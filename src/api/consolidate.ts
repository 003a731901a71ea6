/**
 * `consolidateMetadata` and `tree`.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const g = await zarr.group();
 * await g.createGroup("a");
 * console.log((await zarr.tree(g)).toString()); // "/\n└── a\n"
 * ```
 * @module
 */
import type { StoreLike } from "../stores/resolve.ts";
import type { AsyncGroup } from "../group/group.ts";
import { consolidateGroup } from "../group/consolidated.ts";
import { makeStorePath, type StorePath } from "./store_path.ts";
import { parseZarrFormat } from "../node/io.ts";
import type { TreeRepr } from "../group/tree.ts";
import { type ProgressOption, progressReporter } from "../display/progress.ts";

/**
 * Gathers the metadata of every node under the group at `path` into the group (v3 inline
 * `consolidated_metadata`, v2 `.zmetadata`) and returns the consolidated group.
 */
export async function consolidateMetadata(
  store: StoreLike | StorePath,
  opts: {
    path?: string | null;
    zarrFormat?: 2 | 3 | null;
    /** Progress: `{done, total}` in steps (one step: gather and write), or `true` for a bar. */
    progress?: ProgressOption;
  } = {},
): Promise<AsyncGroup> {
  const prog = progressReporter(opts.progress, "consolidateMetadata");
  prog.start(1);
  const sp = await makeStorePath(store, { path: opts.path });
  const g = await consolidateGroup(sp.store, sp.path, parseZarrFormat(opts.zarrFormat));
  prog.finish();
  return g;
}

/** The tree of a group (`level` 0 = immediate children; `maxNodes` truncates, default 500). */
export async function tree(
  grp: AsyncGroup,
  opts: { level?: number | null; maxNodes?: number; expand?: unknown; plain?: boolean } = {},
): Promise<TreeRepr> {
  return await grp.tree(opts);
}
