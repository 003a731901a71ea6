/**
 * Members of a group for the command-line tool: like `group.members()`, but a member whose
 * metadata cannot be read (an unsupported data type, invalid JSON...) is reported through
 * `onSkip` and left out instead of failing the whole listing.
 *
 * A group with consolidated metadata is listed from it (no store listing needed, so remote
 * stores work); otherwise the store is listed, and child groups are read without their own
 * consolidated metadata.
 *
 * @example
 * ```ts
 * import * as zarr from "../mod.ts";
 * import { collectMembers } from "./walk.ts";
 * const g = await zarr.group();
 * await g.createArray("x", { shape: [2], dtype: "int8" });
 * const members = await collectMembers(g, { maxDepth: null });
 * console.log(members.map((m) => m.path)); // ["x"]
 * ```
 * @module
 */
import * as zarr from "../mod.ts";

/** One member: its path relative to the walked group, and the node. */
export interface Member {
  path: string;
  node: zarr.AsyncArray | zarr.AsyncGroup;
}

/** Options of {@link collectMembers}. */
export interface CollectOptions {
  /** 0: immediate children (default); `null`: every depth. */
  maxDepth?: number | null;
  /** Called for each member left out, with its path in the store and the error. */
  onSkip?: (path: string, error: Error) => void;
  /** Stop after this many members (the result then has `limit + 1` entries at most). */
  limit?: number;
}

const METADATA_NAMES = new Set(["zarr.json", ".zarray", ".zgroup", ".zattrs", ".zmetadata"]);
const CONCURRENCY = 16;

function join(a: string, b: string): string {
  return a === "" ? b : b === "" ? a : `${a}/${b}`;
}

async function mapConcurrent<T, R>(
  items: readonly T[],
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

/**
 * The members of `group` down to `maxDepth`, sorted by path; unreadable members are skipped
 * (reported to `onSkip`) and their subtrees left out.
 *
 * @example
 * ```ts
 * import * as zarr from "../mod.ts";
 * import { collectMembers } from "./walk.ts";
 * const g = await zarr.group();
 * await (await g.createGroup("a")).createGroup("b");
 * console.log((await collectMembers(g, { maxDepth: 0 })).length); // 1
 * ```
 */
export async function collectMembers(
  group: zarr.AsyncGroup,
  opts: CollectOptions = {},
): Promise<Member[]> {
  const maxDepth = opts.maxDepth === undefined ? 0 : opts.maxDepth;
  const limit = opts.limit ?? Infinity;
  const out: Member[] = [];
  const full = () => out.length > limit;

  const fromConsolidated = async (g: zarr.AsyncGroup, rel: string, depth: number) => {
    const remaining = maxDepth === null ? null : maxDepth - depth;
    for await (const [k, node] of g.members({ maxDepth: remaining })) {
      out.push({ path: join(rel, k), node });
      if (full()) return;
    }
  };

  const walk = async (g: zarr.AsyncGroup, rel: string, depth: number): Promise<void> => {
    if (g.metadata.consolidatedMetadata) return await fromConsolidated(g, rel, depth);
    if (!g.store.supportsListing) {
      throw new zarr.ZarrValueError(
        `the store ${g.store.typeName} cannot be listed and group '${g.name}' has no ` +
          `consolidated metadata`,
      );
    }
    const names: string[] = [];
    for await (const n of g.store.listDir(g.path)) if (!METADATA_NAMES.has(n)) names.push(n);
    names.sort();
    const nodes = await mapConcurrent(names, async (name) => {
      const path = join(g.path, name);
      try {
        return await zarr.open({
          store: g.store,
          path,
          mode: "r",
          zarrFormat: g.zarrFormat,
          useConsolidated: false,
        });
      } catch (e) {
        if (e instanceof zarr.NodeNotFoundError) return undefined; // not a Zarr node
        if (!(e instanceof zarr.ZarrError)) throw e;
        opts.onSkip?.(path, e);
        return undefined;
      }
    });
    for (let i = 0; i < names.length; i++) {
      const node = nodes[i];
      if (!node) continue;
      const path = join(rel, names[i]);
      out.push({ path, node });
      if (full()) return;
      if (node instanceof zarr.AsyncGroup && (maxDepth === null || depth < maxDepth)) {
        await walk(node, path, depth + 1);
        if (full()) return;
      }
    }
  };

  await walk(group, "", 0);
  return out;
}
