/**
 * `copy`, `copyAll`, `copyStore`: zarr 2.x's copy functions (zarr-python 3 leaves them
 * unimplemented), across any stores, with format conversion between v2 and v3.
 *
 * Each returns `[nCopied, nSkipped, nBytesCopied]`. `ifExists` is "raise" (default), "replace",
 * "skip" or "skip_initialized" (arrays whose chunks are all stored are skipped); `dryRun` does
 * everything but write; `log` receives one line per item (a function, or `true` for console).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const src = await zarr.group();
 * await src.createArray("x", { data: new Int16Array([1, 2, 3]) });
 * const dst = await zarr.group({ zarrFormat: 2 });
 * console.log(await zarr.copyAll(src, dst)); // [1, 0, 6]
 * ```
 * @module
 */
import type { StoreLike } from "../stores/resolve.ts";
import { resolveStore } from "../stores/resolve.ts";
import type { Store } from "../stores/types.ts";
import { ZarrError, ZarrValueError } from "../errors.ts";
import { AsyncArray, ioConcurrency } from "../array/array.ts";
import { AsyncGroup } from "../group/group.ts";
import { initArray, type InitArrayOptions } from "../array/create.ts";
import { deleteNode } from "../node/io.ts";
import { joinPath, normalizePath } from "../path.ts";
import { chunkGridShape, chunkRegionSelection } from "../array/chunk_regions.ts";
import type { CodecMetadata, V2CodecConfig } from "../codecs/types.ts";
import { forEachConcurrent } from "../node/locks.ts";
import { chunkCoordsIter } from "../array/indexing/chunk_grid.ts";
import { type ProgressOption, progressReporter } from "../display/progress.ts";

/** Raised when a copy meets an existing destination with `ifExists: "raise"`. */
export class CopyError extends ZarrError {}

/** What to do when the destination exists. */
export type IfExists = "raise" | "replace" | "skip" | "skip_initialized";

/** A log sink: a function called with each line, or `true` for console.log. */
export type CopyLog = ((line: string) => void) | boolean | undefined;

/** Options shared by the copy functions. */
export interface CopyOptions {
  ifExists?: IfExists;
  dryRun?: boolean;
  log?: CopyLog;
  /**
   * Progress: a callback receiving `{done, total}` (keys for `copyStore`, nodes for `copy` and
   * `copyAll`), or `true` for a bar (live in a Deno notebook, on stderr in a terminal).
   */
  progress?: ProgressOption;
}

/** Options of {@link copy} and {@link copyAll}. */
export interface CopyNodeOptions extends CopyOptions {
  /** Destination name (default: the source's basename). */
  name?: string;
  /** Copy only the immediate children of a source group. */
  shallow?: boolean;
  /** Leave attributes behind. */
  withoutAttrs?: boolean;
  /** Destination format (default: the destination group's format). */
  zarrFormat?: 2 | 3;
  /** Creation options overriding the source's (chunks, compressors, ...). */
  createOptions?: InitArrayOptions;
}

/** Options of {@link copyStore}. */
export interface CopyStoreOptions extends CopyOptions {
  sourcePath?: string;
  destPath?: string;
  /** Regular expressions: keys matching any are excluded... */
  excludes?: (string | RegExp)[];
  /** ...unless they match one of these. */
  includes?: (string | RegExp)[];
}

type Counts = [number, number, number];

function logger(log: CopyLog, _dryRun: boolean): (line: string) => void {
  const sink = log === true ? console.log : typeof log === "function" ? log : undefined;
  if (!sink) return () => {};
  return (line) => sink(line);
}

/** zarr 2's `_log_copy_summary`: a dry run reports no bytes. */
function summary(log: (l: string) => void, [c, s, b]: Counts, dryRun = false): void {
  const n = (x: number) => x.toLocaleString("en-US");
  log(
    dryRun
      ? `dry run: ${n(c)} copied, ${n(s)} skipped`
      : `all done: ${n(c)} copied, ${n(s)} skipped, ${n(b)} bytes copied`,
  );
}

function checkIfExists(v: unknown, allowed: IfExists[]): IfExists {
  const x = (v ?? "raise") as IfExists;
  if (!allowed.includes(x)) {
    throw new ZarrValueError(
      `if_exists must be one of ${allowed.join(", ")}; found '${String(v)}'`,
    );
  }
  return x;
}

/**
 * Copies raw keys from one store to another (no decoding): every key under `sourcePath` goes to
 * the same relative key under `destPath`.
 */
export async function copyStore(
  source: StoreLike,
  dest: StoreLike,
  opts: CopyStoreOptions = {},
): Promise<Counts> {
  const ifExists = checkIfExists(opts.ifExists, ["raise", "replace", "skip"]);
  const src: Store = await resolveStore(source, { mode: "r" });
  const dst: Store = await resolveStore(dest, { mode: "a" });
  const dryRun = opts.dryRun ?? false;
  const log = logger(opts.log, dryRun);
  const sp = normalizePath(opts.sourcePath ?? "");
  const dp = normalizePath(opts.destPath ?? "");
  const ex = (opts.excludes ?? []).map((e) => new RegExp(e));
  const inc = (opts.includes ?? []).map((e) => new RegExp(e));
  const counts: Counts = [0, 0, 0];
  try {
    const prefix = sp === "" ? "" : sp + "/";
    const keys: string[] = [];
    for await (const k of src.listPrefix(prefix)) keys.push(k);
    keys.sort();
    const prog = progressReporter(opts.progress, "copyStore");
    prog.start(keys.length);
    for (const key of keys) {
      prog.tick();
      const rel = key.slice(prefix.length);
      // as zarr 2: patterns are searched in the full source key
      if (ex.some((r) => r.test(key)) && !inc.some((r) => r.test(key))) continue;
      const dkey = joinPath(dp, rel);
      const descr = dkey === key ? key : `${key} -> ${dkey}`;
      if (ifExists !== "replace" && await dst.exists(dkey)) {
        if (ifExists === "raise") throw new CopyError(`key '${dkey}' exists in destination`);
        log(`skip ${descr}`);
        counts[1]++;
        continue;
      }
      log(`copy ${descr}`);
      if (!dryRun) {
        const value = await src.get(key);
        if (value === undefined) continue;
        await dst.set(dkey, value);
        counts[2] += value.length;
      }
      counts[0]++;
    }
    prog.finish();
    summary(log, counts, dryRun);
    return counts;
  } finally {
    // stores opened here from paths (e.g. *.zip files) are flushed and released
    if (typeof dest === "string" || dest instanceof URL) await dst.close();
    if (typeof source === "string" || source instanceof URL) await src.close();
  }
}

/**
 * Copies an array or group (recursively unless `shallow`) into the destination group `dest`
 * under `name`, decoding and re-encoding chunks, so formats and codecs may change.
 */
export async function copy(
  source: AsyncArray | AsyncGroup,
  dest: AsyncGroup,
  opts: CopyNodeOptions = {},
): Promise<Counts> {
  const ifExists = checkIfExists(opts.ifExists, ["raise", "replace", "skip", "skip_initialized"]);
  const dryRun = opts.dryRun ?? false;
  const log = logger(opts.log, dryRun);
  const name = opts.name ?? source.basename;
  if (!name) throw new ZarrValueError("name must be given when copying the root node");
  const counts: Counts = [0, 0, 0];
  const prog = progressReporter(opts.progress, "copy");
  if (opts.progress) prog.start(await countNodes(source, true, opts.shallow ?? false));
  const ctx = {
    ...opts,
    ifExists,
    dryRun,
    destStore: dest.store,
    destFormat: dest.zarrFormat,
    onNode: () => prog.tick(),
  };
  await copyNode(source, dest, dest.path, name, true, ctx, log, counts);
  prog.finish();
  summary(log, counts, dryRun);
  return counts;
}

/** Copies every child of `source` into `dest` (and `source`'s attributes, unless `withoutAttrs`). */
export async function copyAll(
  source: AsyncGroup,
  dest: AsyncGroup,
  opts: CopyNodeOptions = {},
): Promise<Counts> {
  const ifExists = checkIfExists(opts.ifExists, ["raise", "replace", "skip", "skip_initialized"]);
  const dryRun = opts.dryRun ?? false;
  const log = logger(opts.log, dryRun);
  const counts: Counts = [0, 0, 0];
  const prog = progressReporter(opts.progress, "copyAll");
  if (opts.progress) prog.start((await countNodes(source, true, opts.shallow ?? false)) - 1);
  const ctx = {
    ...opts,
    ifExists,
    dryRun,
    destStore: dest.store,
    destFormat: dest.zarrFormat,
    onNode: () => prog.tick(),
  };
  for await (const [k, child] of source.members()) {
    await copyNode(child, dest, dest.path, k, false, ctx, log, counts);
  }
  prog.finish();
  if (!opts.withoutAttrs && !dryRun && Object.keys(source.attrs).length) {
    await dest.updateAttributes(source.attrs);
  }
  summary(log, counts, dryRun);
  return counts;
}

async function copyNode(
  source: AsyncArray | AsyncGroup,
  dest: AsyncGroup | undefined,
  destParentPath: string,
  name: string,
  root: boolean,
  opts: CopyNodeOptions & {
    ifExists: IfExists;
    dryRun: boolean;
    destStore: Store;
    destFormat: 2 | 3;
    onNode?: () => void;
  },
  log: (l: string) => void,
  counts: Counts,
): Promise<void> {
  // `dest` is undefined only in dry runs, below a group that would have been created
  const destPath = joinPath(destParentPath, name);
  const existing = dest ? await dest.get(name) : undefined;
  const zarrFormat = opts.zarrFormat ?? opts.destFormat;
  // zarr 2's messages: "an object" for arrays, "an array" in the way of a group
  const raise = () => {
    const what = source instanceof AsyncArray ? "an object" : "an array";
    throw new CopyError(
      `${what} '${name}' already exists in destination '${nameOf(destParentPath)}'`,
    );
  };
  const skip = () => {
    log(
      source instanceof AsyncArray
        ? `skip ${source.name} ${fmtShape(source.shape)} ${source.dtype}`
        : `skip ${source.name}`,
    );
    counts[1]++;
    opts.onNode?.();
  };
  if (source instanceof AsyncArray) {
    if (existing !== undefined) {
      if (opts.ifExists === "raise") raise();
      if (opts.ifExists === "skip") return skip();
      if (
        opts.ifExists === "skip_initialized" && existing instanceof AsyncArray &&
        (await existing.nchunksInitialized()) === existing.nchunks
      ) return skip();
    }
    log(`copy ${source.name} ${fmtShape(source.shape)} ${source.dtype}`);
    if (!opts.dryRun) {
      if (existing !== undefined) await deleteNode(opts.destStore, destPath);
      const target = await initArray(opts.destStore, destPath, {
        ...arrayOptionsFor(source, zarrFormat),
        ...(opts.withoutAttrs ? { attributes: {} } : {}),
        ...(opts.createOptions ?? {}),
        overwrite: true,
      });
      await copyChunks(source, target);
      counts[2] += source.nbytes; // zarr 2 counts bytes only when really copied
    }
    counts[0]++;
    opts.onNode?.();
    return;
  }
  // zarr 2: below the root, a shallow copy leaves groups out (neither copied nor skipped)
  if (!root && opts.shallow) return;
  if (existing !== undefined && !(existing instanceof AsyncGroup)) {
    if (opts.ifExists === "raise") raise();
    if (opts.ifExists === "skip" || opts.ifExists === "skip_initialized") return skip();
  }
  log(`copy ${source.name}`);
  let target: AsyncGroup | undefined = existing instanceof AsyncGroup ? existing : undefined;
  if (!opts.dryRun) {
    if (!target) {
      if (existing !== undefined) await deleteNode(opts.destStore, destPath);
      target = await AsyncGroup.fromStore(opts.destStore, destPath, { zarrFormat });
    }
    if (!opts.withoutAttrs && Object.keys(source.attrs).length) {
      await target.updateAttributes(source.attrs);
    }
  }
  counts[0]++;
  opts.onNode?.();
  if (root || !opts.shallow) {
    for await (const [k, child] of source.members()) {
      await copyNode(child, target, destPath, k, false, opts, log, counts);
    }
  }
}

/** The nodes a copy visits (for progress totals): the source and, unless shallow, all below. */
async function countNodes(
  source: AsyncArray | AsyncGroup,
  root: boolean,
  shallow: boolean,
): Promise<number> {
  if (source instanceof AsyncArray) return 1;
  let n = 1;
  for await (const [, v] of source.members({ maxDepth: shallow && root ? 0 : null })) {
    if (!(shallow && v instanceof AsyncGroup)) n++;
  }
  return n;
}

function nameOf(path: string): string {
  return "/" + path;
}

function fmtShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Creation options reproducing `source` in `zarrFormat` (converting codecs between formats). */
export function arrayOptionsFor(source: AsyncArray, zarrFormat: 2 | 3): InitArrayOptions {
  const m = source.metadata;
  const base: InitArrayOptions = {
    shape: source.shape,
    dtype: source.dataType,
    fillValue: m.fillValue,
    attributes: { ...m.attributes },
    zarrFormat,
  };
  if (zarrFormat === m.zarrFormat) {
    if (zarrFormat === 3) {
      return {
        ...base,
        chunks: m.chunkShape,
        codecs: m.codecs,
        chunkKeyEncoding: m.chunkKeyEncoding,
        dimensionNames: m.dimensionNames,
      };
    }
    return {
      ...base,
      chunks: m.chunkShape,
      compressor: m.v2!.compressor,
      filters: m.v2!.filters,
      order: m.order,
      dimensionSeparator: m.chunkKeyEncoding.separator,
    };
  }
  if (zarrFormat === 3) {
    // v2 -> v3: the normalized chain is already a v3 chain
    return { ...base, chunks: m.chunkShape, codecs: m.codecs, dimensionNames: null };
  }
  // v3 -> v2: sharding cannot be expressed; use the inner chunks and convert the codec chain
  const chain: CodecMetadata[] = m.codecs[0]?.name === "sharding_indexed"
    ? ((m.codecs[0].configuration as { codecs: CodecMetadata[] }).codecs)
    : m.codecs;
  let order: "C" | "F" = "C";
  const filters: V2CodecConfig[] = [];
  let compressor: V2CodecConfig | null = null;
  let seenSerializer = false;
  for (const c of chain) {
    const cfg = c.configuration ?? {};
    if (c.name === "transpose") {
      const ord = cfg.order as number[];
      if (ord.every((v, i) => v === ord.length - 1 - i)) order = "F";
      else throw new ZarrValueError(`cannot convert transpose order [${ord}] to Zarr format 2`);
    } else if (c.name === "bytes") seenSerializer = true;
    else if (c.name === "vlen-utf8" || c.name === "vlen-bytes") {
      seenSerializer = true;
      filters.push({ id: c.name });
    } else if (!seenSerializer) {
      if (!c.name.startsWith("numcodecs.")) {
        throw new ZarrValueError(`cannot convert codec '${c.name}' to Zarr format 2`);
      }
      filters.push({ id: c.name.slice(10), ...cfg });
    } else if (compressor) {
      throw new ZarrValueError("Zarr format 2 arrays can only have a single compressor");
    } else if (c.name === "zstd") {
      compressor = {
        id: "zstd",
        level: cfg.level ?? 0,
        ...(cfg.checksum ? { checksum: true } : {}),
      };
    } else if (c.name === "gzip") compressor = { id: "gzip", level: cfg.level ?? 5 };
    else if (c.name === "crc32c") continue; // integrity only; v2 has no equivalent
    else if (c.name.startsWith("numcodecs.")) compressor = { id: c.name.slice(10), ...cfg };
    else compressor = { id: c.name, ...cfg };
  }
  return {
    ...base,
    chunks: source.chunks,
    compressor,
    filters: filters.length ? filters : null,
    order,
  };
}

/** Copies the stored chunks of `source` into `target` region by region (missing chunks stay missing). */
async function copyChunks(source: AsyncArray, target: AsyncArray): Promise<void> {
  const chunks = source.metadata.chunkShape;
  const grid = chunkGridShape(source.shape, chunks);
  await forEachConcurrent(chunkCoordsIter(grid), ioConcurrency(), async (coords) => {
    if (!(await source.store.exists(source.chunkKey(coords)))) return;
    const sel = chunkRegionSelection(coords, chunks, source.shape);
    await target.setitem(sel, await source.getitem(sel));
  });
}
