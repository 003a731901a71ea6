/**
 * `group` and `createGroup`: opening or creating groups.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const g = await zarr.group({ attributes: { title: "demo" } });
 * console.log(g.attrs.title); // demo
 * ```
 * @module
 */
import type { StoreLike } from "../stores/resolve.ts";
import { AsyncGroup } from "../group/group.ts";
import { makeStorePath, type StorePath } from "./store_path.ts";
import { parseZarrFormat } from "../node/io.ts";
import { openGroup } from "./open.ts";

/** Options of {@link group}. */
export interface GroupOptions {
  store?: StoreLike | StorePath;
  path?: string | null;
  overwrite?: boolean;
  zarrFormat?: 2 | 3 | null;
  attributes?: Record<string, unknown>;
  storageOptions?: Record<string, unknown>;
  metaArray?: unknown;
  cacheAttrs?: unknown;
  synchronizer?: unknown;
  chunkStore?: unknown;
}

/** Opens or creates a group (`overwrite` wipes the path first). */
export async function group(opts: GroupOptions = {}): Promise<AsyncGroup> {
  const { store, overwrite, ...rest } = opts;
  return await openGroup(store, { ...rest, mode: overwrite ? "w" : "a" });
}

/** Creates a group; ContainsGroupError / ContainsArrayError when a node exists and not `overwrite`. */
export async function createGroup(opts: GroupOptions = {}): Promise<AsyncGroup> {
  const sp = await makeStorePath(opts.store, {
    path: opts.path,
    storageOptions: opts.storageOptions,
  });
  return await AsyncGroup.fromStore(sp.store, sp.path, {
    zarrFormat: parseZarrFormat(opts.zarrFormat),
    overwrite: opts.overwrite,
    attributes: opts.attributes,
  });
}
