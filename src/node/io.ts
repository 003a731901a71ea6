/**
 * Reading and writing node metadata documents in a store: the one place where metadata meets
 * I/O. v3 reads `zarr.json`; v2 reads `.zarray` / `.zgroup` with `.zattrs` and `.zmetadata`.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "../stores/memory.ts";
 * import { readNodeMetadata } from "./io.ts";
 * console.log(await readNodeMetadata(new MemoryStore(), "")); // undefined
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import {
  ContainsArrayAndGroupError,
  ContainsArrayError,
  ContainsGroupError,
  MetadataValidationError,
  warn,
  ZarrTypeError,
  ZarrValueError,
} from "../errors.ts";
import { joinPath, parentPath } from "../path.ts";
import type { ArrayMetadata, GroupMetadata, NodeMetadata } from "../metadata/model.ts";
import { parseJSONBytes } from "../metadata/json.ts";
import {
  encodeArrayMetadata,
  encodeGroupMetadata,
  parseArrayMetadataV2,
  parseConsolidatedV2,
  parseGroupMetadataV2,
  parseV3Document,
} from "../metadata/mod.ts";
import { config } from "../config.ts";

/** Validates a user `zarrFormat` value. */
export function parseZarrFormat(v: unknown): 2 | 3 | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 2 || v === 3) return v;
  throw new MetadataValidationError(
    `Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '${String(v)}'.`,
  );
}

/** Options of {@link readNodeMetadata}. */
export interface ReadNodeOptions {
  zarrFormat?: 2 | 3;
  /** true: require consolidated metadata; false: ignore it; a string: v2 key to read it from. */
  useConsolidated?: boolean | string;
}

/** Reads the metadata of the node at `path`, or `undefined` when there is none. */
export async function readNodeMetadata(
  store: Store,
  path: string,
  opts: ReadNodeOptions = {},
): Promise<NodeMetadata | undefined> {
  const fmt = opts.zarrFormat;
  const key = (n: string) => joinPath(path, n);
  const where = path === "" ? "/" : path;
  // Remote stores ask for zarr.json alone first (a v3 node then costs one request, no 404s);
  // local ones read the three documents at once (and can warn when both formats exist).
  const remote = (store as { remote?: boolean }).remote === true;
  let zj: Uint8Array | undefined, za: Uint8Array | undefined, zg: Uint8Array | undefined;
  if (remote && fmt === undefined) {
    zj = await store.get(key("zarr.json"));
    if (!zj) [za, zg] = await Promise.all([store.get(key(".zarray")), store.get(key(".zgroup"))]);
  } else {
    [zj, za, zg] = await Promise.all([
      fmt === 2 ? undefined : store.get(key("zarr.json")),
      fmt === 3 ? undefined : store.get(key(".zarray")),
      fmt === 3 ? undefined : store.get(key(".zgroup")),
    ]);
  }
  if (zj) {
    if (za || zg) {
      warn(
        "ZarrUserWarning",
        `Both zarr.json (Zarr format 3) and .zarray/.zgroup (Zarr format 2) metadata exist at ${where}. Zarr format 3 will be used.`,
      );
    }
    const meta = parseV3Document(zj, key("zarr.json"));
    if (meta.nodeType === "group") applyUseConsolidatedV3(meta, opts.useConsolidated, where);
    return meta;
  }
  if (za && zg) {
    throw new ContainsArrayAndGroupError(`Both an array and a group exist at path '${where}'`);
  }
  if (!za && !zg) return undefined;
  const uc = opts.useConsolidated;
  const zk = typeof uc === "string" ? uc : ".zmetadata";
  // .zattrs and (for groups) the consolidated document in one round
  const [attrsBytes, zm] = await Promise.all([
    store.get(key(".zattrs")),
    zg && uc !== false ? store.get(key(zk)) : undefined,
  ]);
  const zattrs = attrsBytes ? parseJSONBytes(attrsBytes, key(".zattrs")) : {};
  if (za) return parseArrayMetadataV2(parseJSONBytes(za, key(".zarray")), zattrs, key(".zarray"));
  let zmeta: unknown = undefined;
  if (uc !== false) {
    if (zm) zmeta = parseJSONBytes(zm, key(zk));
    else if (uc === true || typeof uc === "string") {
      throw new ZarrValueError(`consolidated metadata key '${key(zk)}' not found`);
    }
  }
  const g = parseGroupMetadataV2(
    parseJSONBytes(zg!, key(".zgroup")),
    zattrs,
    undefined,
    key(".zgroup"),
  );
  if (zmeta !== undefined) g.consolidatedMetadata = parseConsolidatedV2(zmeta, key(".zmetadata"));
  return g;
}

function applyUseConsolidatedV3(
  meta: GroupMetadata,
  uc: boolean | string | undefined,
  where: string,
) {
  if (typeof uc === "string") {
    throw new ZarrTypeError(
      `use_consolidated=${uc} is not valid for Zarr format 3 (group ${where})`,
    );
  }
  if (uc === false) meta.consolidatedMetadata = null;
  else if (uc === true && !meta.consolidatedMetadata) {
    throw new ZarrValueError(`Consolidated metadata requested but not found for group ${where}`);
  }
}

/** Writes the documents of a node (array or group). */
export async function writeNodeMetadata(
  store: Store,
  path: string,
  meta: NodeMetadata,
): Promise<void> {
  const indent = config.get<number>("json_indent");
  const docs = meta.nodeType === "array"
    ? encodeArrayMetadata(meta as ArrayMetadata, indent)
    : encodeGroupMetadata(meta as GroupMetadata, indent);
  await Promise.all(Object.entries(docs).map(([k, v]) => store.set(joinPath(path, k), v)));
}

/** The ancestors of a path, from the root down ("" first); the path itself excluded. */
export function ancestors(path: string): string[] {
  if (path === "") return [];
  const out: string[] = [];
  let p = parentPath(path);
  for (;;) {
    out.unshift(p);
    if (p === "") break;
    p = parentPath(p);
  }
  return out;
}

/**
 * Writes an implicit group document at every ancestor of `path` that has none (zarr-python's
 * `ensure_parents`); fails if an ancestor is an array.
 */
export async function ensureParents(store: Store, path: string, zarrFormat: 2 | 3): Promise<void> {
  const indent = config.get<number>("json_indent");
  const group: GroupMetadata = {
    zarrFormat,
    nodeType: "group",
    attributes: {},
    consolidatedMetadata: null,
  };
  const docs = encodeGroupMetadata(group, indent);
  await Promise.all(
    ancestors(path).map(async (p) => {
      const existing = await readNodeMetadata(store, p, { zarrFormat, useConsolidated: false });
      if (existing?.nodeType === "array") {
        throw new ZarrValueError(
          `A parent of ${path} is an array - only groups may have child nodes.`,
        );
      }
      if (existing) return;
      await Promise.all(
        Object.entries(docs).map(([k, v]) => store.setIfNotExists(joinPath(p, k), v)),
      );
    }),
  );
}

/** Raises ContainsArrayError / ContainsGroupError when a node of that format exists at `path`. */
export async function ensureNoExistingNode(
  store: Store,
  path: string,
  zarrFormat: 2 | 3,
): Promise<void> {
  const where = path === "" ? "/" : path;
  if (zarrFormat === 3) {
    const b = await store.get(joinPath(path, "zarr.json"));
    if (!b) return;
    let nodeType: unknown = undefined;
    try {
      nodeType =
        (parseJSONBytes(b, joinPath(path, "zarr.json")) as { node_type?: unknown }).node_type;
    } catch {
      nodeType = undefined;
    }
    if (nodeType === "array") {
      throw new ContainsArrayError(`An array exists in store at path '${where}'.`);
    }
    throw new ContainsGroupError(`A group exists in store at path '${where}'.`);
  }
  const [za, zg] = await Promise.all([
    store.exists(joinPath(path, ".zarray")),
    store.exists(joinPath(path, ".zgroup")),
  ]);
  if (za && zg) throw new ContainsArrayAndGroupError(`Array and group exist at path '${where}'.`);
  if (za) throw new ContainsArrayError(`An array exists in store at path '${where}'.`);
  if (zg) throw new ContainsGroupError(`A group exists in store at path '${where}'.`);
}

/**
 * Clears `path` for a new node: with `overwrite` (and a store that deletes) everything under the
 * path is deleted, otherwise an existing node raises.
 */
export async function prepareOverwrite(
  store: Store,
  path: string,
  zarrFormat: 2 | 3,
  overwrite: boolean,
): Promise<void> {
  if (overwrite && store.supportsDeletes) {
    await deleteNode(store, path);
  } else {
    await ensureNoExistingNode(store, path, zarrFormat);
  }
}

/** Deletes everything under `path` (the whole store for the root). */
export async function deleteNode(store: Store, path: string): Promise<void> {
  // the node's own documents live under path/, so this removes the node itself too
  await store.deleteDir(path);
}
