/**
 * Node path normalization, as zarr-python's `normalize_path`: backslashes become slashes,
 * leading/trailing slashes are stripped, repeated slashes collapse, and `.`/`..` segments are
 * refused.
 *
 * @example
 * ```ts
 * import { joinPath, normalizePath } from "./path.ts";
 * console.log(normalizePath("///foo/bar/")); // "foo/bar"
 * console.log(joinPath("foo", "zarr.json")); // "foo/zarr.json"
 * ```
 * @module
 */
import { ZarrValueError } from "./errors.ts";

/** Normalizes a node path ("" is the root). */
export function normalizePath(path: string | undefined | null): string {
  if (path === undefined || path === null) return "";
  if (typeof path !== "string") {
    throw new ZarrValueError(`path must be a string, got ${String(path)}`);
  }
  const p = path.replaceAll("\\", "/").replace(/\/+/g, "/").replace(/^\/+|\/+$/g, "");
  if (p === "") return "";
  for (const seg of p.split("/")) {
    if (seg === "." || seg === "..") {
      throw new ZarrValueError(
        `The path '${path}' is invalid because its string representation contains '.' or '..' segments.`,
      );
    }
  }
  return p;
}

/** Joins path parts with "/", skipping empty ones. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

/** The node name as zarr-python shows it: "/" + path. */
export function nodeName(path: string): string {
  return "/" + path;
}

/** The last segment of a path ("" for the root). */
export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

/** The parent path ("" for top-level nodes and the root). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}
