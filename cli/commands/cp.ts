/**
 * `zarr cp SRC DST`: copy an array or a group from any store to any store.
 *
 * The format of the copy is `--format`, else that of the existing hierarchy the copy goes into,
 * else the source's.
 *
 * - Same Zarr format as the source: the stored keys are copied verbatim with `copyStore` (no
 *   decoding, so every codec and data type is preserved); `--if-exists` works key by key
 *   (`replace` overwrites keys, `skip` keeps the existing ones).
 * - Another format (v2 <-> v3), `--if-exists skip_initialized`, or a source store that cannot be
 *   listed: nodes are copied with `copy`/`copyAll`, decoding and re-encoding chunks;
 *   `--if-exists` works node by node as in zarr 2's `copy`.
 *
 * The destination path gets the source node itself (`cp a.zarr/x b.zarr/y` makes `y` a copy of
 * `x`); missing parent groups are created. Copies of a node into itself or its own subtree are
 * refused.
 *
 * @example
 * ```ts
 * import { cpCommand } from "./cp.ts";
 * console.log(cpCommand.spec.name); // cp
 * ```
 * @module
 */
import * as zarr from "../../mod.ts";
import { arrayOptionsFor } from "../../src/api/copy.ts";
import { initArray } from "../../src/array/create.ts";
import { chunkGridShape, chunkRegionSelection } from "../../src/array/chunk_regions.ts";
import type { ParsedCommandLine } from "../args.ts";
import { printOut, stderrIsTerminal } from "../io.ts";
import { type Location, openLocation, showPath, splitLocation } from "../location.ts";
import { ProgressBar } from "../progress.ts";
import { collectMembers } from "../walk.ts";
import { type Command, NO_CONSOLIDATED_OPTION, STORE_HELP } from "./common.ts";

type Counts = [number, number, number];

const METADATA_KEYS = ["zarr.json", ".zarray", ".zgroup"];

function join(a: string, b: string): string {
  return a === "" ? b : b === "" ? a : `${a}/${b}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

async function canonical(store: string): Promise<string> {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(store)) return store;
  try {
    return await Deno.realPath(store);
  } catch {
    const abs = store.startsWith("/") ? store : `${Deno.cwd()}/${store}`;
    return abs.split("/").filter((s) => s !== "" && s !== ".").join("/");
  }
}

/** Refuses copies of a node into itself or into its own subtree (and the reverse). */
async function checkOverlap(src: Location, dst: Location): Promise<void> {
  if ((await canonical(src.store)) !== (await canonical(dst.store))) return;
  const a = src.path, b = dst.path;
  const inside = (x: string, y: string) => y === "" || x === y || x.startsWith(y + "/");
  if (inside(a, b) || inside(b, a)) {
    throw new zarr.ZarrValueError(
      `source '${showPath(a)}' and destination '${showPath(b)}' overlap in the same store`,
    );
  }
}

/** The Zarr format of the node at `path` (undefined when there is none). */
async function formatAt(store: zarr.Store, path: string): Promise<2 | 3 | undefined> {
  if (await store.exists(join(path, "zarr.json"))) return 3;
  if (await store.exists(join(path, ".zgroup"))) return 2;
  if (await store.exists(join(path, ".zarray"))) return 2;
  return undefined;
}

/** The Zarr format of the nearest existing ancestor of `path` (undefined for none). */
async function ancestorFormat(store: zarr.Store, path: string): Promise<2 | 3 | undefined> {
  if (path === "") return undefined;
  for (let p = parentOf(path);; p = parentOf(p)) {
    const f = await formatAt(store, p);
    if (f !== undefined || p === "") return f;
  }
}

/**
 * The format of the copy: `--format`, else that of the hierarchy it goes into, else that of the
 * node it merges with, else the source's. A copy of another format than the hierarchy above it
 * is refused; one of another format than the node it lands on needs `--if-exists replace` (the
 * node is then deleted first).
 */
async function chooseFormat(
  dst: zarr.Store,
  dstPath: string,
  given: 2 | 3 | undefined,
  sourceFormat: 2 | 3,
  ifExists: zarr.IfExists,
): Promise<2 | 3> {
  const above = await ancestorFormat(dst, dstPath);
  const here = await formatAt(dst, dstPath);
  const fmt = given ?? above ?? here ?? sourceFormat;
  if (above !== undefined && above !== fmt) {
    throw new zarr.ZarrValueError(
      `the destination hierarchy is Zarr format ${above}: a format ${fmt} copy cannot go into it`,
    );
  }
  if (here !== undefined && here !== fmt) {
    if (ifExists !== "replace") {
      throw new zarr.CopyError(
        `'${showPath(dstPath)}' in the destination is a Zarr format ${here} node; use ` +
          `--if-exists replace to replace it with a format ${fmt} copy`,
      );
    }
    await dst.deleteDir(dstPath);
  }
  return fmt;
}

async function nodeExists(store: zarr.Store, path: string): Promise<boolean> {
  for (const k of METADATA_KEYS) if (await store.exists(join(path, k))) return true;
  return false;
}

/** The number of log lines that count as progress ("copy ..." / "skip ..."). */
function progressLog(
  bar: ProgressBar,
  verbose: boolean,
  summary: { line: string },
): (line: string) => void {
  return (line) => {
    if (line.startsWith("copy ") || line.startsWith("skip ")) {
      bar.tick(line.slice(5));
      if (verbose) printOut(line + "\n");
    } else summary.line = line;
  };
}

async function rawCopy(
  src: zarr.Store,
  srcPath: string,
  dst: zarr.Store,
  dstPath: string,
  fmt: 2 | 3,
  ifExists: zarr.IfExists,
  bar: (total: number, label: string) => ProgressBar,
  verbose: boolean,
): Promise<string> {
  if (ifExists === "raise" && (await nodeExists(dst, dstPath))) {
    throw new zarr.CopyError(
      `'${showPath(dstPath)}' already exists in the destination (see --if-exists)`,
    );
  }
  if (dstPath !== "") {
    await zarr.openGroup(dst, { path: parentOf(dstPath), mode: "a", zarrFormat: fmt });
  }
  const prefix = srcPath === "" ? "" : srcPath + "/";
  let total = 0;
  for await (const _ of src.listPrefix(prefix)) total++;
  const progress = bar(total, "keys");
  const summary = { line: "" };
  try {
    await zarr.copyStore(src, dst, {
      sourcePath: srcPath,
      destPath: dstPath,
      ifExists,
      log: progressLog(progress, verbose, summary),
    });
  } finally {
    progress.finish();
  }
  return summary.line;
}

/** Copies an array to the root of `dst` (where `copy` needs a parent group). */
async function arrayToRoot(
  source: zarr.AsyncArray,
  dst: zarr.Store,
  fmt: 2 | 3,
  ifExists: zarr.IfExists,
  bar: (total: number, label: string) => ProgressBar,
  verbose: boolean,
): Promise<string> {
  const counts: Counts = [0, 0, 0];
  const describe = `${source.name} ${
    source.shape.length === 1 ? `(${source.shape[0]},)` : `(${source.shape.join(", ")})`
  } ${source.dtype}`;
  const done = () =>
    `all done: ${counts[0]} copied, ${counts[1]} skipped, ${
      counts[2].toLocaleString("en-US")
    } bytes copied`;
  if (await nodeExists(dst, "")) {
    if (ifExists === "raise") {
      throw new zarr.CopyError(`the destination root already holds a node (see --if-exists)`);
    }
    let skip = ifExists === "skip";
    if (ifExists === "skip_initialized") {
      const existing = await zarr.open({ store: dst, mode: "r" }).catch(() => undefined);
      skip = existing instanceof zarr.AsyncArray &&
        (await existing.nchunksInitialized()) === existing.nchunks;
    }
    if (skip) {
      counts[1]++;
      if (verbose) printOut(`skip ${describe}\n`);
      return done();
    }
  }
  if (verbose) printOut(`copy ${describe}\n`);
  const target = await initArray(dst, "", { ...arrayOptionsFor(source, fmt), overwrite: true });
  const chunks = source.metadata.chunkShape;
  const grid = chunkGridShape(source.shape, chunks);
  const n = grid.reduce((p, x) => p * x, 1);
  const progress = bar(n, "chunks");
  try {
    const coords = new Array<number>(grid.length).fill(0);
    for (let i = 0; i < n; i++) {
      let rem = i;
      for (let d = grid.length - 1; d >= 0; d--) {
        coords[d] = rem % grid[d];
        rem = Math.floor(rem / grid[d]);
      }
      if (await source.store.exists(source.chunkKey(coords))) {
        const sel = chunkRegionSelection(coords, chunks, source.shape);
        await target.setitem(sel, await source.getitem(sel));
      }
      progress.tick(coords.join("."));
    }
  } finally {
    progress.finish();
  }
  counts[0]++;
  counts[2] += source.nbytes;
  return done();
}

async function nodeCopy(
  source: zarr.AsyncArray | zarr.AsyncGroup,
  dst: zarr.Store,
  dstPath: string,
  fmt: 2 | 3,
  ifExists: zarr.IfExists,
  bar: (total: number, label: string) => ProgressBar,
  verbose: boolean,
): Promise<string> {
  if (source instanceof zarr.AsyncArray && dstPath === "") {
    return await arrayToRoot(source, dst, fmt, ifExists, bar, verbose);
  }
  const summary = { line: "" };
  if (source instanceof zarr.AsyncArray) {
    const parent = await zarr.openGroup(dst, {
      path: parentOf(dstPath),
      mode: "a",
      zarrFormat: fmt,
    });
    const progress = bar(1, "nodes");
    try {
      await zarr.copy(source, parent, {
        name: baseOf(dstPath),
        zarrFormat: fmt,
        ifExists,
        log: progressLog(progress, verbose, summary),
      });
    } finally {
      progress.finish();
    }
    return summary.line;
  }
  let target: zarr.AsyncGroup;
  try {
    target = await zarr.openGroup(dst, { path: dstPath, mode: "a", zarrFormat: fmt });
  } catch (e) {
    if (!(e instanceof zarr.ContainsArrayError) || ifExists !== "replace") throw e;
    await dst.deleteDir(dstPath);
    for (const k of [...METADATA_KEYS, ".zattrs"]) await dst.delete(join(dstPath, k));
    target = await zarr.openGroup(dst, { path: dstPath, mode: "a", zarrFormat: fmt });
  }
  const total = (await collectMembers(source, { maxDepth: null })).length;
  const progress = bar(total, "nodes");
  try {
    await zarr.copyAll(source, target, {
      zarrFormat: fmt,
      ifExists,
      log: progressLog(progress, verbose, summary),
    });
  } finally {
    progress.finish();
  }
  return summary.line;
}

async function run(args: ParsedCommandLine): Promise<number> {
  const [srcArg, dstArg] = args.positionals;
  const o = args.options;
  const srcLoc = await splitLocation(srcArg, o["src-path"] as string | undefined);
  const dstLoc = await splitLocation(dstArg, o["dst-path"] as string | undefined);
  await checkOverlap(srcLoc, dstLoc);
  const ifExists = (o["if-exists"] as zarr.IfExists | undefined) ?? "raise";
  const verbose = Boolean(o.verbose);
  const showProgress = !o["no-progress"] && (Boolean(o.progress) || stderrIsTerminal());
  const bar = (total: number, label: string) =>
    new ProgressBar(total, label, { enabled: showProgress });
  const { store: src, node } = await openLocation(srcLoc, {
    consolidated: o["no-consolidated"] ? "no" : "auto",
  });
  try {
    const dst = await zarr.resolveStore(dstLoc.store, { mode: "a" });
    try {
      const given = o.format === undefined ? undefined : (Number(o.format) as 2 | 3);
      const fmt = await chooseFormat(dst, dstLoc.path, given, node.zarrFormat, ifExists);
      const raw = fmt === node.zarrFormat && ifExists !== "skip_initialized" &&
        src.supportsListing;
      const summary = raw
        ? await rawCopy(src, srcLoc.path, dst, dstLoc.path, fmt, ifExists, bar, verbose)
        : await nodeCopy(node, dst, dstLoc.path, fmt, ifExists, bar, verbose);
      const how = raw
        ? "keys copied verbatim"
        : fmt === node.zarrFormat
        ? `decoded and re-encoded as Zarr format ${fmt}`
        : `converted to Zarr format ${fmt}`;
      printOut(`${summary} (${how})\n`);
    } finally {
      await dst.close();
    }
    return 0;
  } finally {
    await src.close();
  }
}

/** The `cp` command. */
export const cpCommand: Command = {
  spec: {
    name: "cp",
    summary: "Copy an array or group from any store to any store, converting v2 <-> v3.",
    positionals: [
      { name: "SRC[/PATH]", help: "the array or group to copy" },
      { name: "DST[/PATH]", help: "where the copy goes (this path becomes the copied node)" },
    ],
    options: [
      {
        name: "format",
        type: "choice",
        choices: ["2", "3"],
        metavar: "2|3",
        help: "Zarr format of the copy (default: the destination hierarchy's, else the source's)",
      },
      {
        name: "if-exists",
        type: "choice",
        choices: ["raise", "replace", "skip", "skip_initialized"],
        metavar: "MODE",
        help: "raise (default), replace, skip or skip_initialized when the destination exists",
      },
      { name: "progress", type: "boolean", help: "show the progress bar even if stderr is no TTY" },
      { name: "no-progress", type: "boolean", help: "never show the progress bar" },
      { name: "verbose", short: "v", type: "boolean", help: "print each copied key or node" },
      { name: "src-path", type: "string", metavar: "P", help: "node path inside SRC (no split)" },
      { name: "dst-path", type: "string", metavar: "P", help: "node path inside DST (no split)" },
      NO_CONSOLIDATED_OPTION,
    ],
    description:
      `With the source's format the stored keys are copied verbatim (copyStore; every codec and
data type is kept; --if-exists applies key by key). With another --format, or with
--if-exists skip_initialized, nodes are decoded and re-encoded (copy/copyAll; --if-exists
applies node by node). A progress bar is drawn on stderr when it is a terminal.
A destination that does not exist yet is a store; DST ending in .zip writes a zip file.
Use --src-path and --dst-path to give the node paths explicitly.

${STORE_HELP}`,
    examples: [
      "zarr cp data.zarr copy.zarr",
      "zarr cp v2.zarr v3.zarr --format 3 --progress",
      "zarr cp data.zarr/group archive.zip",
      "zarr cp data.zarr/x other.zarr/y --if-exists replace",
    ],
  },
  run,
};
