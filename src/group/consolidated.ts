/**
 * Consolidated metadata: gathers the metadata of every node under a group into one document
 * (v3: inline `consolidated_metadata` in the group's `zarr.json`; v2: `.zmetadata`).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const g = await zarr.group();
 * await g.createArray("x", { shape: [2], dtype: "int8" });
 * const c = await zarr.consolidateMetadata(g.store);
 * console.log(Object.keys(c.metadata.consolidatedMetadata!.metadata)); // ["x"]
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import type { ArrayMetadata, GroupMetadata } from "../metadata/model.ts";
import { ReadOnlyError, warn, ZarrTypeError } from "../errors.ts";
import { writeNodeMetadata } from "../node/io.ts";
import { AsyncArray } from "../array/array.ts";
import { AsyncGroup } from "./group.ts";

/** Sort key of zarr-python 3.1.1+: depth, then the case-folded path. */
function consolidatedOrder(a: string, b: string): number {
  const da = a.split("/").length, db = b.split("/").length;
  if (da !== db) return da - db;
  const fa = a.normalize("NFKC").toLowerCase(), fb = b.normalize("NFKC").toLowerCase();
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

/**
 * Consolidates the metadata of the group at `path` and returns the group re-opened with it.
 * Stale consolidations of child groups are ignored; child groups carry an empty consolidation.
 */
export async function consolidateGroup(
  store: Store,
  path: string,
  zarrFormat?: 2 | 3,
): Promise<AsyncGroup> {
  if (!store.supportsConsolidatedMetadata) {
    throw new ZarrTypeError(`The store ${store.typeName} does not support consolidated metadata.`);
  }
  if (store.readOnly) throw new ReadOnlyError("cannot consolidate metadata in a read-only store");
  const group = await AsyncGroup.open(store, path, { zarrFormat, useConsolidated: false });
  const flat: Record<string, ArrayMetadata | GroupMetadata> = {};
  for await (
    const [k, node] of group.members({ maxDepth: null, useConsolidatedForChildren: false })
  ) {
    if (node instanceof AsyncArray) flat[k] = node.metadata;
    else {
      flat[k] = {
        ...node.metadata,
        consolidatedMetadata: { kind: "inline", mustUnderstand: false, metadata: {} },
      };
    }
  }
  const sorted: Record<string, ArrayMetadata | GroupMetadata> = {};
  for (const k of Object.keys(flat).sort(consolidatedOrder)) sorted[k] = flat[k];
  if (Object.values(sorted).some((m) => m.zarrFormat === 3) || group.zarrFormat === 3) {
    warn(
      "ZarrUserWarning",
      "Consolidated metadata is currently not part in the Zarr format 3 specification. It may not be supported by other zarr implementations and may change in the future.",
    );
  }
  const meta: GroupMetadata = {
    ...group.metadata,
    consolidatedMetadata: { kind: "inline", mustUnderstand: false, metadata: sorted },
  };
  await writeNodeMetadata(store, path, meta); // v2: also writes .zmetadata
  return new AsyncGroup(meta, store, path);
}
