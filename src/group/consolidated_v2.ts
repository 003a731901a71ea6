/**
 * Writing the v2 consolidated metadata document `.zmetadata`.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "../stores/memory.ts";
 * import { writeConsolidatedV2 } from "./consolidated_v2.ts";
 * const store = new MemoryStore();
 * await writeConsolidatedV2(store, "", {
 *   zarrFormat: 2, nodeType: "group", attributes: {},
 *   consolidatedMetadata: { kind: "inline", mustUnderstand: false, metadata: {} },
 * });
 * console.log(await store.exists(".zmetadata")); // true
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import type { GroupMetadata } from "../metadata/model.ts";
import { consolidatedV2Document } from "../metadata/mod.ts";
import { jsonBytes } from "../metadata/json.ts";
import { joinPath } from "../path.ts";

/** Writes the v2 `.zmetadata` document of a group whose model carries consolidated metadata. */
export async function writeConsolidatedV2(
  store: Store,
  path: string,
  meta: GroupMetadata,
): Promise<void> {
  const doc = consolidatedV2Document(meta.consolidatedMetadata?.metadata ?? {}, meta.attributes);
  await store.set(joinPath(path, ".zmetadata"), jsonBytes(doc, null));
}
