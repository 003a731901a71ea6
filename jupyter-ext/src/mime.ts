/**
 * Mime renderer for `application/vnd.zarr.tree+json`: a collapsible tree of a Zarr hierarchy
 * (groups open two levels deep, member counts, arrays with shape, dtype and chunks, details on
 * expand, "N more..." truncation, a copy-path button per node), drawn with JupyterLab LabIcons
 * and `--jp-*` colors, with tree semantics for keyboard and screen-reader users (Enter or Space
 * toggles a row).
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import {
  caretDownIcon,
  caretRightIcon,
  copyIcon,
  fileIcon,
  folderIcon,
  LabIcon,
} from "@jupyterlab/ui-components";
import { copyText } from "./clipboard";
import { MIME_TYPE, payloadProblem, shapeText, TreeGroup, TreeNode, TreePayload } from "./payload";

/** Children shown per group before a "N more..." button. */
export const PAGE = 50;
/** Groups at depth below this start expanded. */
export const OPEN_DEPTH = 2;

function el(tag: string, cls?: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function icon(i: LabIcon, cls: string): HTMLElement {
  return i.element({ tag: "span", className: cls, elementSize: "small" });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A row's caret: right when closed, down when open, empty for a leaf. */
function setCaret(caret: HTMLElement, open: boolean | null): void {
  caret.textContent = "";
  if (open !== null) {
    caret.appendChild(
      icon(open ? caretDownIcon : caretRightIcon, "jp-ZarrTree-caretIcon"),
    );
  }
}

/** Runs `toggle` on click and on Enter or Space. */
function onActivate(row: HTMLElement, toggle: () => void): void {
  row.addEventListener("click", toggle);
  row.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      toggle();
    }
  });
}

export class ZarrTreeWidget extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass("jp-ZarrTree");
    this.node.dataset.mimeType = options.mimeType;
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this._mimeType];
    this.node.textContent = "";
    const problem = payloadProblem(data);
    if (problem) {
      this.node.appendChild(
        el("div", "jp-ZarrTree-error", `Cannot render Zarr tree: ${problem}`),
      );
      return Promise.resolve();
    }
    const p = data as unknown as TreePayload;
    if (p.truncated) {
      this.node.appendChild(
        el(
          "div",
          "jp-ZarrTree-note",
          `Truncated at max_nodes=${p.max_nodes}: some nodes may be missing`,
        ),
      );
    }
    const ul = el("ul", "jp-ZarrTree-list jp-ZarrTree-rootList");
    ul.setAttribute("role", "tree");
    ul.setAttribute("aria-label", `Zarr hierarchy ${p.name}`);
    ul.appendChild(this._group({ ...p.root, name: p.name }, 0));
    this.node.appendChild(ul);
    return Promise.resolve();
  }

  /** The row of a node: caret, icon, name, summary, copy button. */
  private _row(n: TreeNode, caret: HTMLElement): HTMLElement {
    const row = el("div", "jp-ZarrTree-row");
    row.dataset.zarrPath = n.path;
    row.tabIndex = 0;
    row.title = n.path === "" ? "(root)" : n.path;
    row.appendChild(caret);
    row.appendChild(
      icon(n.kind === "group" ? folderIcon : fileIcon, "jp-ZarrTree-icon"),
    );
    row.appendChild(el("span", "jp-ZarrTree-name", n.name));
    if (n.kind === "array") {
      row.appendChild(el("span", "jp-ZarrTree-shape", shapeText(n.shape)));
      row.appendChild(el("span", "jp-ZarrTree-dtype", n.dtype));
      if (n.chunks) {
        row.appendChild(
          el("span", "jp-ZarrTree-chunks", `chunks ${shapeText(n.chunks)}`),
        );
      }
    } else {
      row.appendChild(
        el("span", "jp-ZarrTree-count", plural(n.children.length, "member")),
      );
    }
    if (n.attributes_count) {
      row.appendChild(
        el(
          "span",
          "jp-ZarrTree-attrs",
          plural(n.attributes_count, "attribute"),
        ),
      );
    }
    const btn = el(
      "button",
      "jp-ZarrTree-copy jp-Button jp-mod-minimal",
    ) as HTMLButtonElement;
    btn.title = `Copy path "${n.path}"`;
    btn.setAttribute("aria-label", btn.title);
    btn.tabIndex = -1;
    btn.appendChild(icon(copyIcon, "jp-ZarrTree-copyIcon"));
    btn.addEventListener("click", (ev) => {
      ev.stopPropagation();
      void copyText(n.path);
    });
    row.appendChild(btn);
    return row;
  }

  /** An array's details line: shown when its row is expanded. */
  private _details(n: TreeNode): HTMLElement {
    const d = el("div", "jp-ZarrTree-details");
    const items: string[] = [`path: ${n.path === "" ? "/" : n.path}`];
    if (n.zarr_format !== undefined) {
      items.push(`zarr_format: ${n.zarr_format}`);
    }
    items.push(`attributes: ${n.attributes_count ?? 0}`);
    if (n.kind === "array") {
      items.push(`${n.shape.reduce((a, b) => a * b, 1)} elements`);
    }
    d.textContent = items.join(" · ");
    d.hidden = true;
    return d;
  }

  private _group(g: TreeGroup, depth: number): HTMLElement {
    const li = el("li", "jp-ZarrTree-node jp-ZarrTree-group");
    li.setAttribute("role", "treeitem");
    li.dataset.zarrPath = g.path;
    if (g.implicit) li.classList.add("jp-mod-implicit");
    const caret = el("span", "jp-ZarrTree-caret");
    const row = this._row(g, caret);
    li.appendChild(row);
    const list = el("ul", "jp-ZarrTree-list");
    list.setAttribute("role", "group");
    li.appendChild(list);
    let rendered = false;
    const setOpen = (open: boolean) => {
      li.classList.toggle("jp-mod-expanded", open);
      list.hidden = !open;
      li.setAttribute("aria-expanded", String(open));
      setCaret(caret, g.children.length > 0 ? open : null);
      if (open && !rendered) {
        rendered = true;
        this._page(g, list, 0, depth + 1);
      }
    };
    if (g.children.length > 0) onActivate(row, () => setOpen(list.hidden));
    setOpen(depth < OPEN_DEPTH && g.children.length > 0);
    return li;
  }

  private _array(n: TreeNode): HTMLElement {
    const li = el("li", "jp-ZarrTree-node jp-ZarrTree-array");
    li.setAttribute("role", "treeitem");
    li.dataset.zarrPath = n.path;
    const caret = el("span", "jp-ZarrTree-caret");
    const row = this._row(n, caret);
    const details = this._details(n);
    const setOpen = (open: boolean) => {
      details.hidden = !open;
      li.classList.toggle("jp-mod-expanded", open);
      li.setAttribute("aria-expanded", String(open));
      setCaret(caret, open);
    };
    onActivate(row, () => setOpen(details.hidden));
    setOpen(false);
    li.appendChild(row);
    li.appendChild(details);
    return li;
  }

  private _page(
    g: TreeGroup,
    list: HTMLElement,
    start: number,
    depth: number,
  ): void {
    const end = Math.min(g.children.length, start + PAGE);
    for (let i = start; i < end; i++) {
      const c = g.children[i];
      list.appendChild(
        c.kind === "group" ? this._group(c, depth) : this._array(c),
      );
    }
    if (end < g.children.length) {
      const more = el("li", "jp-ZarrTree-more");
      const btn = el(
        "button",
        "jp-ZarrTree-moreButton jp-Button jp-mod-minimal",
        `${g.children.length - end} more...`,
      );
      btn.addEventListener("click", () => {
        more.remove();
        this._page(g, list, end, depth);
      });
      more.appendChild(btn);
      list.appendChild(more);
    }
  }

  private _mimeType: string;
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  createRenderer: (options) => new ZarrTreeWidget(options),
};

const extension: IRenderMime.IExtension = {
  id: "@zarr/jupyterlab-zarr-tree:renderer",
  rendererFactory,
  rank: 0,
  dataType: "json",
};

export default extension;
