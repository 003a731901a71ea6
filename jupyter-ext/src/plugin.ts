/**
 * Commands on the nodes of a rendered Zarr tree (context menu of `.jp-ZarrTree-row`): copy the
 * node's path; insert a code cell below the active one that opens the node from `g` (the group
 * the tree was made from). Uses the notebook's own commands, so it needs no notebook package.
 * Both take an optional `path` argument; without it they use the row under the context menu.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { copyIcon } from "@jupyterlab/ui-components";
import { copyText } from "./clipboard";

export const COPY_PATH = "zarr-tree:copy-path";
export const INSERT_OPEN = "zarr-tree:insert-open-cell";

/**
 * The code of the cell that opens `path` from `g`, the group whose tree is shown; the cell's
 * value is the node, so the notebook displays it.
 */
export function openCellSource(path: string): string {
  return path === "" ? "g" : `await g.getitem(${JSON.stringify(path)})`;
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: "@zarr/jupyterlab-zarr-tree:commands",
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    const pathOf = (args: Record<string, unknown>): string | null => {
      if (typeof args.path === "string") return args.path;
      const hit = app.contextMenuHitTest((n) => n.dataset?.zarrPath !== undefined);
      return hit?.dataset.zarrPath ?? null;
    };
    app.commands.addCommand(COPY_PATH, {
      label: "Copy Zarr Path",
      icon: copyIcon,
      execute: async (args) => {
        const p = pathOf(args as Record<string, unknown>);
        if (p !== null) await copyText(p);
        return p;
      },
    });
    app.commands.addCommand(INSERT_OPEN, {
      label: "Insert Cell Opening This Zarr Node",
      execute: async (args) => {
        const p = pathOf(args as Record<string, unknown>);
        if (p === null) return;
        await app.commands.execute("notebook:insert-cell-below");
        await app.commands.execute("notebook:replace-selection", {
          text: openCellSource(p),
        });
      },
    });
    app.contextMenu.addItem({
      command: COPY_PATH,
      selector: ".jp-ZarrTree-row",
      rank: 1,
    });
    app.contextMenu.addItem({
      command: INSERT_OPEN,
      selector: ".jp-ZarrTree-row",
      rank: 2,
    });
  },
};

export default plugin;
