/**
 * `STORE[/PATH]` arguments: where the store ends and the node path begins, and opening the
 * node read-only.
 *
 * The rule ({@link splitLocation}):
 * 1. with `--path P`, the argument is the store as given and `P` the path inside it;
 * 2. a URL (`http(s)://`, `s3://`...) ends its store after the first path segment ending in
 *    `.zarr` or `.zip` (`s3://bucket/data.zarr/a/b` is store `s3://bucket/data.zarr`, path `a/b`);
 *    without such a segment the whole URL is the store. `file://` URLs follow the local rule;
 * 3. a local path:
 *    a. a segment ending in `.zip` that names an existing file ends the store (a zip store);
 *    b. otherwise the deepest directory on the path holding Zarr metadata (`zarr.json`,
 *       `.zarray` or `.zgroup`) is found, and the store root is the topmost directory of the
 *       unbroken chain of such directories above it (the root group of the hierarchy);
 *    c. when no directory on the path holds metadata (a destination not written yet), a
 *       segment ending in `.zarr` ends the store; else the whole path is the store.
 *
 * @example
 * ```ts
 * import { splitLocation } from "./location.ts";
 * console.log(await splitLocation("s3://bucket/data.zarr/a/b"));
 * // { store: "s3://bucket/data.zarr", path: "a/b" }
 * console.log(await splitLocation("/nowhere/new.zarr/x"));
 * // { store: "/nowhere/new.zarr", path: "x" }
 * ```
 * @module
 */
import * as zarr from "../mod.ts";
import { fileURLToPath } from "node:url";
import { warnCli } from "./io.ts";

/** A store argument split into the store and the node path inside it. */
export interface Location {
  /** What `resolveStore` gets: a local path, a `.zip` path or a URL. */
  store: string;
  /** Node path inside the store (`""` for the root). */
  path: string;
}

const METADATA_FILES = ["zarr.json", ".zarray", ".zgroup"];

async function isFile(p: string): Promise<boolean> {
  try {
    return (await Deno.stat(p)).isFile;
  } catch {
    return false;
  }
}

async function isNodeDir(dir: string): Promise<boolean> {
  for (const f of METADATA_FILES) {
    if (await isFile(dir === "/" ? `/${f}` : `${dir}/${f}`)) return true;
  }
  return false;
}

function cleanPath(p: string): string {
  return p.split("/").filter((s) => s !== "").join("/");
}

function splitUrl(url: string): Location {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*)(.*)$/.exec(url)!;
  const segs = m[2].split("/").filter((s) => s !== "");
  const end = segs.findIndex((s) => /\.(zarr|zip)$/i.test(s));
  if (end < 0) return { store: url, path: "" };
  return {
    store: m[1] + "/" + segs.slice(0, end + 1).join("/"),
    path: segs.slice(end + 1).join("/"),
  };
}

async function splitLocal(p: string): Promise<Location> {
  const abs = p.startsWith("/");
  const segs = p.split("/").filter((s) => s !== "" && s !== ".");
  const prefix = (k: number) =>
    k === 0 ? (abs ? "/" : ".") : (abs ? "/" : "") + segs.slice(0, k).join("/");
  const at = (k: number): Location => ({ store: prefix(k), path: segs.slice(k).join("/") });
  // a. zip files
  for (let k = 1; k <= segs.length; k++) {
    if (/\.zip$/i.test(segs[k - 1]) && (await isFile(prefix(k)))) return at(k);
  }
  // b. the root of the hierarchy holding the deepest node on the path
  for (let k = segs.length; k >= 0; k--) {
    if (segs[k - 1] === "..") break;
    if (await isNodeDir(prefix(k))) {
      let top = k;
      while (top > 0 && segs[top - 1] !== ".." && (await isNodeDir(prefix(top - 1)))) top--;
      return at(top);
    }
  }
  // c. nothing written yet
  const end = segs.findIndex((s) => /\.zarr$/i.test(s));
  if (end >= 0) return at(end + 1);
  return { store: p, path: "" };
}

/**
 * Splits a `STORE[/PATH]` argument (see the module documentation for the rule). With
 * `explicitPath` (the `--path` option) no splitting happens.
 *
 * @example
 * ```ts
 * import { splitLocation } from "./location.ts";
 * console.log(await splitLocation("data.zarr", "a/b")); // { store: "data.zarr", path: "a/b" }
 * ```
 */
export async function splitLocation(arg: string, explicitPath?: string): Promise<Location> {
  if (explicitPath !== undefined) return { store: arg, path: cleanPath(explicitPath) };
  if (/^file:\/\//i.test(arg)) {
    let local: string;
    try {
      local = fileURLToPath(arg);
    } catch (e) {
      throw new zarr.ZarrValueError(`invalid file URL '${arg}': ${(e as Error).message}`);
    }
    return await splitLocal(local);
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(arg)) return splitUrl(arg);
  if (arg === "") throw new zarr.ZarrValueError("empty store argument");
  return await splitLocal(arg);
}

/** How consolidated metadata is used when reading: `auto` (when readable) or `no`. */
export type ConsolidatedMode = "auto" | "no";

/** A node opened read-only, with its store (close it when done). */
export interface OpenedNode {
  store: zarr.Store;
  node: zarr.AsyncArray | zarr.AsyncGroup;
  location: Location;
}

/**
 * `"/"` for the root, else the path itself, for messages.
 *
 * @example
 * ```ts
 * import { showPath } from "./location.ts";
 * console.log(showPath(""), showPath("a/b")); // / a/b
 * ```
 */
export function showPath(path: string): string {
  return path === "" ? "/" : path;
}

/**
 * Opens the node of a location read-only. With `consolidated: "auto"` (the default) a group's
 * consolidated metadata is used when it can be read; when it cannot (e.g. it describes a data
 * type this library does not support), a warning is printed and the group is opened from the
 * store listing instead. A missing node raises `NodeNotFoundError` naming the path and store.
 *
 * @example
 * ```ts
 * import { openLocation } from "./location.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/zarr.json`, '{"zarr_format":3,"node_type":"group"}');
 * const { node, store } = await openLocation({ store: dir, path: "" });
 * console.log(node.name); // /
 * await store.close();
 * ```
 */
export async function openLocation(
  location: Location,
  opts: { consolidated?: ConsolidatedMode } = {},
): Promise<OpenedNode> {
  const store = await zarr.resolveStore(location.store, { mode: "r" });
  try {
    const node = await openNodeAt(store, location, opts.consolidated ?? "auto");
    return { store, node, location };
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function openNodeAt(
  store: zarr.Store,
  location: Location,
  consolidated: ConsolidatedMode,
): Promise<zarr.AsyncArray | zarr.AsyncGroup> {
  const path = location.path;
  const attempt = (useConsolidated: boolean | undefined) =>
    zarr.open({ store, path, mode: "r", useConsolidated });
  try {
    return await attempt(consolidated === "no" ? false : undefined);
  } catch (e) {
    if (e instanceof zarr.NodeNotFoundError) {
      throw new zarr.NodeNotFoundError(
        `no array or group at '${showPath(path)}' in store '${location.store}'`,
      );
    }
    if (consolidated === "no" || !(e instanceof zarr.ZarrError)) throw e;
    const node = await attempt(false);
    if (node instanceof zarr.AsyncGroup) {
      warnCli(
        `ignoring the consolidated metadata of group '${showPath(path)}' (${e.message})`,
      );
    }
    return node;
  }
}
