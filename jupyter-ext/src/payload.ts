/**
 * The `application/vnd.zarr.tree+json` payload (schema: ../schema/tree.schema.json). This
 * package shares nothing with the Deno library but that schema.
 */
export const MIME_TYPE = "application/vnd.zarr.tree+json";
export const SCHEMA_VERSION = 1;

export interface TreeArray {
  name: string;
  path: string;
  kind: "array";
  shape: number[];
  dtype: string;
  chunks?: number[];
  zarr_format?: 2 | 3;
  attributes_count?: number;
}

export interface TreeGroup {
  name: string;
  path: string;
  kind: "group";
  children: TreeNode[];
  zarr_format?: 2 | 3;
  attributes_count?: number;
  implicit?: boolean;
}

export type TreeNode = TreeArray | TreeGroup;

export interface TreePayload {
  schema_version: number;
  name: string;
  truncated: boolean;
  max_nodes: number;
  node_count: number;
  root: TreeGroup;
}

function isShape(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0);
}

/** Why `data` is not a payload this renderer understands, or null when it is. */
export function payloadProblem(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return "not an object";
  const p = data as Record<string, unknown>;
  if (p.schema_version !== SCHEMA_VERSION) {
    return `unsupported schema_version ${String(p.schema_version)}`;
  }
  for (const k of ["name", "truncated", "max_nodes", "node_count", "root"]) {
    if (!(k in p)) return `missing ${k}`;
  }
  const stack: unknown[] = [p.root];
  while (stack.length) {
    const n = stack.pop() as Record<string, unknown>;
    if (typeof n !== "object" || n === null) return "bad node";
    if (typeof n.name !== "string" || typeof n.path !== "string") {
      return "bad node name/path";
    }
    if (n.kind === "group") {
      if (!Array.isArray(n.children)) return `group ${n.path} without children`;
      stack.push(...n.children);
    } else if (n.kind === "array") {
      if (!isShape(n.shape) || typeof n.dtype !== "string") {
        return `bad array ${n.path}`;
      }
      if (n.chunks !== undefined && !isShape(n.chunks)) {
        return `bad chunks ${n.path}`;
      }
    } else {
      return `bad kind ${String(n.kind)}`;
    }
  }
  return null;
}

/** Python-style shape text: `(3,)`, `(2, 4)`, `()`. */
export function shapeText(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}
