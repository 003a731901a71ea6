/**
 * `deno task lab:install`: copies the prebuilt extension (`jupyter-ext/labextension/`, made by
 * `deno task lab:build`) into the user's Jupyter data directory, under
 * `share/jupyter/labextensions/@zarr/jupyterlab-zarr-tree` (`$JUPYTER_DATA_DIR/labextensions/...`
 * when that is set; `--prefix DIR` installs under `DIR/share/jupyter/labextensions`).
 */
import { cp } from "node:fs/promises";
import { basename } from "node:path";

const src = new URL("../labextension/", import.meta.url).pathname;
const pkg = JSON.parse(
  await Deno.readTextFile(new URL("../package.json", import.meta.url)),
);
try {
  await Deno.stat(`${src}package.json`);
} catch {
  console.error(
    `no prebuilt extension at ${src}: run \`deno task lab:build\` first`,
  );
  Deno.exit(1);
}
const i = Deno.args.indexOf("--prefix");
const home = Deno.env.get("HOME") ?? ".";
const base = i >= 0
  ? `${Deno.args[i + 1]}/share/jupyter/labextensions`
  : Deno.env.get("JUPYTER_DATA_DIR")
  ? `${Deno.env.get("JUPYTER_DATA_DIR")}/labextensions`
  : Deno.build.os === "darwin"
  ? `${home}/Library/Jupyter/labextensions`
  : `${Deno.env.get("XDG_DATA_HOME") ?? `${home}/.local/share`}/jupyter/labextensions`;
const dest = `${base}/${pkg.name}`;
await Deno.remove(dest, { recursive: true }).catch(() => {});
await Deno.mkdir(dest, { recursive: true });
// dotfiles (the test build's input stamp) stay behind
await cp(src, dest, {
  recursive: true,
  filter: (from) => !basename(from).startsWith("."),
});
console.log(`installed ${pkg.name} into ${dest}`);
