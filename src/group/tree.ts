/**
 * The hierarchy tree of a group (`group.tree()` / `zarr.tree(group)`) and its synchronous
 * renderers: plain text in zarr-python 3.3's exact format, self-contained collapsible HTML for
 * Jupyter, and the `application/vnd.zarr.tree+json` payload that the JupyterLab extension
 * renders (schema: `jupyter-ext/schema/tree.schema.json`). Pure: no I/O; the caller collects the
 * members and hands them to {@link buildTree}.
 *
 * @example
 * ```ts
 * import { buildTree } from "./tree.ts";
 * const t = buildTree("/", [
 *   { path: "a", kind: "group" },
 *   { path: "a/x", kind: "array", shape: [3, 4], dtype: "int8" },
 *   { path: "b", kind: "array", shape: [2], dtype: "float64" },
 * ]);
 * console.log(t.toString());
 * // /
 * // ├── a
 * // │   └── x (3, 4) int8
 * // └── b (2,) float64
 * ```
 * @module
 */
import { numpyDtypeName, shapeRepr } from "../array/info.ts";

/** The mime type of the JSON payload. */
export const TREE_MIME_TYPE = "application/vnd.zarr.tree+json";
/** The version of the JSON payload's schema (`schema_version`). */
export const TREE_SCHEMA_VERSION = 1;
/**
 * `Symbol.for("Jupyter.display")` typed as a unique symbol, so `tree[JUPYTER_DISPLAY]()`
 * type-checks (indexing with a `Symbol.for(...)` expression does not).
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;
/** `Symbol.for("Deno.customInspect")` typed as a unique symbol. */
export const DENO_CUSTOM_INSPECT: unique symbol = Symbol.for("Deno.customInspect") as never;
/** Default `maxNodes`, as zarr-python's `max_nodes`. */
export const DEFAULT_MAX_NODES = 500;

/** One member of the hierarchy, as the caller collected it. */
export interface TreeNode {
  /** Path relative to the root group, e.g. `"a/x"`. */
  path: string;
  /** Node kind. */
  kind: "array" | "group";
  /** Array shape. */
  shape?: readonly (number | bigint)[];
  /** Array data type (public dtype string, e.g. `"float64"`, `"U10"`, `"datetime64[ns]"`). */
  dtype?: string;
  /** User attributes (only their count is rendered). */
  attrs?: Record<string, unknown>;
  /** Zarr format of the node. */
  zarrFormat?: 2 | 3;
  /** Array chunk shape. */
  chunks?: readonly (number | bigint)[];
}

/** Options of {@link buildTree}. */
export interface BuildTreeOptions {
  /** The most members kept (default 500); more than that marks the tree truncated. */
  maxNodes?: number;
  /** The caller stopped collecting because it saw more than `maxNodes` members. */
  truncated?: boolean;
  /** No styling in `toString()` (like zarr-python's `plain=True`), and no `<b>` in HTML. */
  plain?: boolean;
  /** Wrap names in ANSI bold in `toString()` (the caller decides: stdout is a TTY and not plain). */
  bold?: boolean;
}

/** An array node of the JSON payload. */
export interface TreeJSONArray {
  name: string;
  path: string;
  kind: "array";
  shape: number[];
  dtype: string;
  chunks?: number[];
  zarr_format?: 2 | 3;
  attributes_count?: number;
}

/** A group node of the JSON payload. */
export interface TreeJSONGroup {
  name: string;
  path: string;
  kind: "group";
  children: TreeJSONNode[];
  zarr_format?: 2 | 3;
  attributes_count?: number;
  /** True when the group was not among the members but is the parent of one. */
  implicit?: boolean;
}

/** A node of the JSON payload. */
export type TreeJSONNode = TreeJSONArray | TreeJSONGroup;

/** The `application/vnd.zarr.tree+json` payload. */
export interface TreePayload {
  schema_version: 1;
  /** The root group's name (`"/"`, `"/a"`). */
  name: string;
  truncated: boolean;
  max_nodes: number;
  /** Number of nodes below the root (implicit parents included). */
  node_count: number;
  root: TreeJSONGroup;
}

interface Entry {
  name: string;
  path: string;
  kind: "array" | "group";
  shape: number[];
  dtype?: string;
  chunks?: number[];
  zarrFormat?: 2 | 3;
  attrsCount?: number;
  implicit: boolean;
  children: Entry[];
}

/** Python's string ordering (by code point; JS `<` compares UTF-16 code units). */
function comparePaths(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function normalizePath(p: string): string {
  return p.split("/").filter((s) => s !== "").join("/");
}

/**
 * HTML-escapes text like Python's `html.escape`: `& < > " '`.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./tree.ts";
 * console.log(escapeHtml(`<b>&"'`)); // &lt;b&gt;&amp;&quot;&#x27;
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

const BOLD_OPEN = "\x1b[1m";
const BOLD_CLOSE = "\x1b[0m";

/** Groups render expanded when the tree has at most this many nodes; else only the root. */
const HTML_EXPAND_ALL_MAX = 200;

const STYLE = `
.zarr-tree {
  font-family: var(--jp-code-font-family, Menlo, 'DejaVu Sans Mono', consolas, 'Courier New', monospace);
  font-size: var(--jp-code-font-size, 13px);
  line-height: 1.5;
  color: var(--jp-content-font-color1, #222);
  background: transparent;
  text-align: left;
}
.zarr-tree ul.zarr-tree-children {
  list-style: none;
  margin: 0 0 0 0.4em;
  padding: 0 0 0 1em;
  border-left: 1px solid var(--jp-border-color2, #d0d0d0);
}
.zarr-tree li { margin: 0; padding: 0; list-style: none; }
.zarr-tree li::before { content: none; }
.zarr-tree details { margin: 0; padding: 0; }
.zarr-tree summary { cursor: pointer; outline: none; }
.zarr-tree summary::marker { color: var(--jp-content-font-color3, #999); }
.zarr-tree .zarr-tree-leaf { padding-left: 1.1em; }
.zarr-tree .zarr-tree-name { font-weight: 600; color: var(--jp-content-font-color0, #000); }
.zarr-tree .zarr-tree-shape { color: var(--jp-content-font-color2, #555); }
.zarr-tree .zarr-tree-dtype { color: var(--jp-brand-color1, #1976d2); }
.zarr-tree .zarr-tree-count { color: var(--jp-content-font-color3, #888); font-size: 0.9em; }
.zarr-tree .zarr-tree-implicit .zarr-tree-name { font-style: italic; }
.zarr-tree .zarr-tree-note {
  color: var(--jp-warn-color0, #b35900);
  margin: 0 0 0.3em 0;
}
`.trim();

/**
 * A rendered-on-demand hierarchy tree. Build it with {@link buildTree}. `toString()` gives
 * zarr-python's text, `toHTML()` collapsible HTML, `toJSON()` the mime payload, and
 * `[Symbol.for("Jupyter.display")]()` all three for the Deno Jupyter kernel.
 *
 * @example
 * ```ts
 * import { buildTree } from "./tree.ts";
 * const t = buildTree("/", [{ path: "g", kind: "group" }]);
 * console.log(t.toPlain()); // "/\n└── g\n"
 * console.log(t.toJSON().root.children[0].name); // g
 * ```
 */
export class TreeRepr {
  /** The root group's name (`"/"` for the root of a store, `"/a"` for a subgroup). */
  readonly name: string;
  /** Whether members were left out because there were more than {@link maxNodes}. */
  readonly truncated: boolean;
  /** The `maxNodes` limit in force. */
  readonly maxNodes: number;
  readonly #root: Entry;
  readonly #bold: boolean;
  readonly #plain: boolean;
  readonly #count: number;

  /** Use {@link buildTree}. */
  constructor(
    name: string,
    root: unknown,
    opts: { truncated: boolean; maxNodes: number; bold: boolean; plain: boolean; count: number },
  ) {
    this.name = name;
    this.#root = root as Entry;
    this.truncated = opts.truncated;
    this.maxNodes = opts.maxNodes;
    this.#bold = opts.bold && !opts.plain;
    this.#plain = opts.plain;
    this.#count = opts.count;
  }

  /** Number of nodes below the root (implicit parents included). */
  get nodeCount(): number {
    return this.#count;
  }

  /** The truncation line zarr-python prefixes, or `""`. */
  #note(): string {
    return this.truncated
      ? `Truncated at max_nodes=${this.maxNodes}, some nodes and their children may be missing\n`
      : "";
  }

  #text(bold: boolean): string {
    const b = (s: string) => (bold ? BOLD_OPEN + s + BOLD_CLOSE : s);
    const lines = [b(this.name)];
    // iterative, like zarr-python, so deep hierarchies cannot overflow the stack
    const stack: { prefix: string; items: Entry[]; i: number }[] = [{
      prefix: "",
      items: this.#root.children,
      i: 0,
    }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i >= top.items.length) {
        stack.pop();
        continue;
      }
      const e = top.items[top.i++];
      const isLast = top.i === top.items.length;
      let line = top.prefix + (isLast ? "└── " : "├── ") + b(e.name);
      if (e.kind === "array") {
        line += " " + shapeRepr(e.shape);
        if (e.dtype !== undefined) line += " " + numpyDtypeName(e.dtype);
      }
      lines.push(line);
      if (e.children.length > 0) {
        stack.push({ prefix: top.prefix + (isLast ? "    " : "│   "), items: e.children, i: 0 });
      }
    }
    return this.#note() + lines.join("\n") + "\n";
  }

  /**
   * zarr-python 3.3's text: the root name, then one line per member (`├── `/`└── `
   * connectors, `│   ` or four spaces of indent), arrays as `name (shape) dtype`; ends with a
   * newline; prefixed by the truncation note when truncated; names in ANSI bold when the tree
   * was built with `bold` (and not `plain`).
   *
   * @example
   * ```ts
   * import { buildTree } from "./tree.ts";
   * console.log(buildTree("/", [{ path: "b", kind: "array", shape: [2], dtype: "float64" }]).toString());
   * // /
   * // └── b (2,) float64
   * ```
   */
  toString(): string {
    return this.#text(this.#bold);
  }

  /**
   * The text of {@link toString} without any ANSI styling.
   *
   * @example
   * ```ts
   * import { buildTree } from "./tree.ts";
   * console.log(buildTree("/", [], { bold: true }).toPlain()); // "/\n"
   * ```
   */
  toPlain(): string {
    return this.#text(false);
  }

  /** Renders the members below the root, iteratively (deep hierarchies cannot overflow). */
  #htmlChildren(expandAll: boolean, out: string[]): void {
    const tag = this.#plain ? "span" : "b";
    // a work stack of entries to render and closing markup to emit, in reverse order
    const work: (Entry | string)[] = [...this.#root.children].reverse();
    while (work.length > 0) {
      const e = work.pop()!;
      if (typeof e === "string") {
        out.push(e);
        continue;
      }
      const nameHtml = `<${tag} class="zarr-tree-name">${escapeHtml(e.name)}</${tag}>`;
      const path = escapeHtml(e.path);
      if (e.kind === "array") {
        const chunks = e.chunks ? ` · chunks ${shapeRepr(e.chunks)}` : "";
        const dtype = e.dtype !== undefined
          ? ` <span class="zarr-tree-dtype">${escapeHtml(numpyDtypeName(e.dtype))}</span>`
          : "";
        out.push(
          `<li class="zarr-tree-array zarr-tree-leaf" data-path="${path}" title="${path}${
            escapeHtml(chunks)
          }">${nameHtml} <span class="zarr-tree-shape">${
            escapeHtml(shapeRepr(e.shape))
          }</span>${dtype}</li>`,
        );
        continue;
      }
      const cls = "zarr-tree-group" + (e.implicit ? " zarr-tree-implicit" : "");
      if (e.children.length === 0) {
        out.push(
          `<li class="${cls} zarr-tree-leaf" data-path="${path}" title="${path}">${nameHtml}</li>`,
        );
        continue;
      }
      const n = e.children.length;
      out.push(
        `<li class="${cls}" data-path="${path}"><details${
          expandAll ? " open" : ""
        }><summary title="${path}">${nameHtml} <span class="zarr-tree-count">${n} ${
          n === 1 ? "member" : "members"
        }</span></summary><ul class="zarr-tree-children">`,
      );
      work.push(`</ul></details></li>`);
      for (let i = e.children.length - 1; i >= 0; i--) work.push(e.children[i]);
    }
  }

  /**
   * Self-contained HTML: an inline `<style>` (JupyterLab `--jp-*` variables with fallbacks, so it
   * follows light and dark themes), groups as collapsible `<details>`/`<summary>` (no script),
   * arrays with shape and dtype, every name HTML-escaped. The root element has class `zarr-tree`.
   * Trees of up to 200 nodes render expanded; larger ones show the root's children only.
   *
   * @example
   * ```ts
   * import { buildTree } from "./tree.ts";
   * const html = buildTree("/", [{ path: "<b>", kind: "group" }]).toHTML();
   * console.log(html.includes("&lt;b&gt;")); // true
   * ```
   */
  toHTML(): string {
    const out: string[] = [];
    const expandAll = this.#count <= HTML_EXPAND_ALL_MAX;
    out.push(`<div class="zarr-tree"><style>${STYLE}</style>`);
    if (this.truncated) {
      out.push(`<div class="zarr-tree-note">${escapeHtml(this.#note().trimEnd())}</div>`);
    }
    const tag = this.#plain ? "span" : "b";
    const rootName = `<${tag} class="zarr-tree-name">${escapeHtml(this.name)}</${tag}>`;
    const n = this.#root.children.length;
    out.push(
      `<details class="zarr-tree-group zarr-tree-root" open><summary title="${
        escapeHtml(this.name)
      }">${rootName} <span class="zarr-tree-count">${n} ${
        n === 1 ? "member" : "members"
      }</span></summary><ul class="zarr-tree-children">`,
    );
    this.#htmlChildren(expandAll, out);
    out.push(`</ul></details></div>`);
    return out.join("\n");
  }

  /** One JSON node (groups with an empty `children` list, filled by {@link #jsonTree}). */
  #jsonNode(e: Entry): TreeJSONNode {
    if (e.kind === "array") {
      const a: TreeJSONArray = {
        name: e.name,
        path: e.path,
        kind: "array",
        shape: [...e.shape],
        dtype: e.dtype ?? "unknown",
      };
      if (e.chunks) a.chunks = [...e.chunks];
      if (e.zarrFormat !== undefined) a.zarr_format = e.zarrFormat;
      if (e.attrsCount !== undefined) a.attributes_count = e.attrsCount;
      return a;
    }
    const g: TreeJSONGroup = { name: e.name, path: e.path, kind: "group", children: [] };
    if (e.zarrFormat !== undefined) g.zarr_format = e.zarrFormat;
    if (e.attrsCount !== undefined) g.attributes_count = e.attrsCount;
    if (e.implicit) g.implicit = true;
    return g;
  }

  /** The JSON tree, built iteratively (deep hierarchies cannot overflow). */
  #jsonTree(): TreeJSONGroup {
    const root = this.#jsonNode(this.#root) as TreeJSONGroup;
    const work: [Entry, TreeJSONGroup][] = [[this.#root, root]];
    while (work.length > 0) {
      const [e, g] = work.pop()!;
      for (const c of e.children) {
        const j = this.#jsonNode(c);
        g.children.push(j);
        if (j.kind === "group") work.push([c, j]);
      }
    }
    return root;
  }

  /**
   * The `application/vnd.zarr.tree+json` payload (schema `jupyter-ext/schema/tree.schema.json`):
   * `{schema_version: 1, name, truncated, max_nodes, node_count, root}` where `root` is a group
   * node `{name, path: "", kind: "group", children}` and children are sorted like the text.
   * Plain JSON: numbers only, no BigInt. `JSON.stringify(tree)` uses it.
   *
   * @example
   * ```ts
   * import { buildTree } from "./tree.ts";
   * const p = buildTree("/", [{ path: "x", kind: "array", shape: [2n], dtype: "int8" }]).toJSON();
   * console.log(JSON.stringify(p.root.children[0]));
   * // {"name":"x","path":"x","kind":"array","shape":[2],"dtype":"int8"}
   * ```
   */
  toJSON(): TreePayload {
    return {
      schema_version: TREE_SCHEMA_VERSION,
      name: this.name,
      truncated: this.truncated,
      max_nodes: this.maxNodes,
      node_count: this.#count,
      root: this.#jsonTree(),
    };
  }

  /**
   * The mime bundle for the Deno Jupyter kernel: `text/plain`, `text/html` and
   * `application/vnd.zarr.tree+json`. Also reachable as `tree[JUPYTER_DISPLAY]()`, the
   * `Symbol.for("Jupyter.display")` method the kernel calls.
   *
   * @example
   * ```ts
   * import { buildTree } from "./tree.ts";
   * const bundle = buildTree("/", []).jupyterDisplay();
   * console.log(Object.keys(bundle).length); // 3
   * ```
   */
  jupyterDisplay(): Record<string, unknown> {
    return {
      "text/plain": this.toString(),
      "text/html": this.toHTML(),
      [TREE_MIME_TYPE]: this.toJSON(),
    };
  }

  /**
   * The Deno Jupyter kernel's display hook (`Symbol.for("Jupyter.display")`): see
   * {@link jupyterDisplay}.
   *
   * @example
   * ```ts
   * import { buildTree, JUPYTER_DISPLAY } from "./tree.ts";
   * console.log("text/html" in buildTree("/", [])[JUPYTER_DISPLAY]()); // true
   * ```
   */
  [JUPYTER_DISPLAY](): Record<string, unknown> {
    return this.jupyterDisplay();
  }

  /** `Deno.inspect` / `console.log` show the text of {@link toString}. */
  [DENO_CUSTOM_INSPECT](): string {
    return this.toString();
  }
}

function toNumbers(xs: readonly (number | bigint)[] | undefined): number[] | undefined {
  return xs === undefined ? undefined : xs.map((x) => Number(x));
}

/**
 * Builds a {@link TreeRepr} from the members of a group. Members are sorted by path (Python
 * string order) and nested under their parent paths; a member whose parent group is not in the
 * list gets implicit parent groups. When more than `maxNodes` members are given, only the first
 * `maxNodes` (in the given order, before sorting, like zarr-python) are kept and the tree is
 * marked truncated. A node with path `""` describes the root itself (its attributes and format).
 * Members below an array are dropped (they cannot exist in a valid hierarchy).
 *
 * @example
 * ```ts
 * import { buildTree } from "./tree.ts";
 * const t = buildTree("/", [{ path: "a/b/x", kind: "array", shape: [], dtype: "bool" }]);
 * console.log(t.toString());
 * // /
 * // └── a
 * //     └── b
 * //         └── x () bool
 * ```
 */
export function buildTree(
  rootName: string,
  nodes: readonly TreeNode[],
  opts: BuildTreeOptions = {},
): TreeRepr {
  const maxNodes = opts.maxNodes ?? DEFAULT_MAX_NODES;
  let truncated = opts.truncated ?? false;
  let kept = nodes;
  // the root's own "" node (its attributes) is not a member: it does not count against maxNodes
  const members = nodes.filter((n) => normalizePath(n.path) !== "");
  if (members.length > maxNodes) {
    const rootNodes = nodes.filter((n) => normalizePath(n.path) === "");
    kept = [...rootNodes, ...members.slice(0, Math.max(0, maxNodes))];
    truncated = true;
  }
  const root: Entry = {
    name: rootName,
    path: "",
    kind: "group",
    shape: [],
    implicit: false,
    children: [],
  };
  const byPath = new Map<string, Entry>([["", root]]);
  const attrsCount = (a: Record<string, unknown> | undefined) =>
    a === undefined || a === null ? undefined : Object.keys(a).length;

  for (const n of kept) {
    const path = normalizePath(n.path);
    if (path === "") {
      if (n.kind === "group") {
        if (n.zarrFormat !== undefined) root.zarrFormat = n.zarrFormat;
        const c = attrsCount(n.attrs);
        if (c !== undefined) root.attrsCount = c;
      }
      continue;
    }
    const existing = byPath.get(path);
    if (existing && !existing.implicit) continue; // first one wins
    const entry: Entry = existing ?? {
      name: path.slice(path.lastIndexOf("/") + 1),
      path,
      kind: n.kind,
      shape: [],
      implicit: false,
      children: [],
    };
    entry.kind = n.kind;
    entry.implicit = false;
    if (n.kind === "array") {
      entry.shape = toNumbers(n.shape) ?? [];
      entry.dtype = n.dtype;
      entry.chunks = toNumbers(n.chunks);
    }
    entry.zarrFormat = n.zarrFormat;
    entry.attrsCount = attrsCount(n.attrs);
    if (!existing) byPath.set(path, entry);
  }

  // link every entry to its parent, creating implicit parent groups
  const paths = [...byPath.keys()].filter((p) => p !== "");
  for (const path of paths) {
    let child = byPath.get(path)!;
    let p = path;
    for (;;) {
      const cut = p.lastIndexOf("/");
      const parentPath = cut < 0 ? "" : p.slice(0, cut);
      let parent = byPath.get(parentPath);
      const created = parent === undefined;
      if (!parent) {
        parent = {
          name: parentPath.slice(parentPath.lastIndexOf("/") + 1),
          path: parentPath,
          kind: "group",
          shape: [],
          implicit: true,
          children: [],
        };
        byPath.set(parentPath, parent);
      }
      parent.children.push(child); // each entry is linked exactly once
      if (!created) break;
      child = parent;
      p = parentPath;
    }
  }

  // drop everything below arrays, sort children, count nodes
  let count = 0;
  const stack: Entry[] = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === "array") {
      e.children = [];
      continue;
    }
    e.children.sort((a, b) => comparePaths(a.path, b.path));
    count += e.children.length;
    for (const c of e.children) stack.push(c);
  }

  return new TreeRepr(rootName, root, {
    truncated,
    maxNodes,
    bold: opts.bold ?? false,
    plain: opts.plain ?? false,
    count,
  });
}
