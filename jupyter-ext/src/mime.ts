/**
 * Mime renderer for `application/vnd.zarr.tree+json`: a collapsible tree of a Zarr hierarchy
 * (groups open two levels deep, member counts, arrays with shape, dtype and chunks, details on
 * expand, "N more..." truncation, a copy-path button per node), drawn with JupyterLab LabIcons
 * and `--jp-*` colors.
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

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
}

export class ZarrTreeWidget extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass("jp-ZarrTree");
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
    ul.appendChild(this._group({ ...p.root, name: p.name }, 0));
    this.node.appendChild(ul);
    return Promise.resolve();
  }

  private _row(n: TreeNode): HTMLElement {
    const row = el("div", "jp-ZarrTree-row");
    row.dataset.zarrPath = n.path;
    row.title = n.path === "" ? "(root)" : n.path;
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
      const c = n.children.length;
      row.appendChild(
        el(
          "span",
          "jp-ZarrTree-count",
          `${c} ${c === 1 ? "member" : "members"}`,
        ),
      );
    }
    const btn = el(
      "button",
      "jp-ZarrTree-copy jp-Button jp-mod-minimal",
    ) as HTMLButtonElement;
    btn.title = `Copy path "${n.path}"`;
    btn.appendChild(icon(copyIcon, "jp-ZarrTree-copyIcon"));
    btn.addEventListener("click", (ev) => {
      ev.stopPropagation();
      void copyText(n.path);
    });
    row.appendChild(btn);
    return row;
  }

  private _details(n: TreeNode): HTMLElement {
    const d = el("div", "jp-ZarrTree-details");
    const items: string[] = [`path: ${n.path === "" ? "/" : n.path}`];
    if (n.zarr_format !== undefined) {
      items.push(`zarr_format: ${n.zarr_format}`);
    }
    if (n.attributes_count !== undefined) {
      items.push(`attributes: ${n.attributes_count}`);
    }
    if (n.kind === "group" && n.implicit) items.push("implicit group");
    d.textContent = items.join(" · ");
    d.hidden = true;
    return d;
  }

  private _group(g: TreeGroup, depth: number): HTMLElement {
    const li = el("li", "jp-ZarrTree-node jp-ZarrTree-group");
    li.dataset.zarrPath = g.path;
    const row = this._row(g);
    const caret = el("span", "jp-ZarrTree-caret");
    row.insertBefore(caret, row.firstChild);
    li.appendChild(row);
    const details = this._details(g);
    li.appendChild(details);
    const list = el("ul", "jp-ZarrTree-list");
    li.appendChild(list);
    let rendered = false;
    const fill = () => {
      if (rendered) return;
      rendered = true;
      this._page(g, list, 0, depth + 1);
    };
    const setOpen = (open: boolean) => {
      li.classList.toggle("jp-mod-expanded", open);
      list.hidden = !open;
      details.hidden = !open;
      caret.textContent = "";
      caret.appendChild(
        icon(open ? caretDownIcon : caretRightIcon, "jp-ZarrTree-caretIcon"),
      );
      if (open) fill();
    };
    row.addEventListener("click", () => setOpen(list.hidden));
    setOpen(depth < OPEN_DEPTH && g.children.length > 0);
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
      if (c.kind === "group") {
        list.appendChild(this._group(c, depth));
      } else {
        const li = el("li", "jp-ZarrTree-node jp-ZarrTree-array");
        li.dataset.zarrPath = c.path;
        const row = this._row(c);
        row.insertBefore(el("span", "jp-ZarrTree-caret"), row.firstChild);
        const details = this._details(c);
        row.addEventListener("click", () => (details.hidden = !details.hidden));
        li.appendChild(row);
        li.appendChild(details);
        list.appendChild(li);
      }
    }
    if (end < g.children.length) {
      const more = el("li", "jp-ZarrTree-more");
      const btn = el(
        "button",
        "jp-Button jp-mod-minimal",
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
