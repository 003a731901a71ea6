/**
 * Saving data: `save`, `saveArray`, `saveGroup`.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const store = new Map<string, Uint8Array>();
 * await zarr.save(store, new Float64Array([1, 2]), { named: new Int32Array([3]) });
 * console.log(Object.keys(await zarr.load(store) as object).sort()); // ["arr_0", "named"]
 * ```
 * @module
 */
import type { StoreLike } from "../stores/resolve.ts";
import { ContainsArrayError, ZarrTypeError, ZarrValueError } from "../errors.ts";
import type { AsyncArray } from "../array/array.ts";
import { AsyncArray as AsyncArrayClass } from "../array/array.ts";
import { saveArrayInto } from "../array/from_data.ts";
import { isNDArray } from "../buffer/ndarray.ts";
import { type AccessMode, makeStorePath, parseMode, type StorePath } from "./store_path.ts";
import { parseZarrFormat, readNodeMetadata } from "../node/io.ts";
import { type ProgressOption, progressReporter } from "../display/progress.ts";
import { config } from "../config.ts";
import { joinPath } from "../path.ts";
import type { ArrayCreateOptions } from "../array/create.ts";

/** Options of {@link saveArray}. */
export interface SaveArrayOptions extends ArrayCreateOptions {
  path?: string | null;
  mode?: AccessMode;
  storageOptions?: Record<string, unknown>;
  /** Progress (`{done, total}` in arrays written) or `true` for a bar; see `copy`'s option. */
  progress?: ProgressOption;
}

const OPTION_KEYS = new Set(["zarrFormat", "path", "storageOptions", "progress"]);

/** Whether a value can be saved as an array (NDArray, typed array, nested array, AsyncArray). */
export function isArrayLike(v: unknown): boolean {
  return isNDArray(v) || ArrayBuffer.isView(v) || Array.isArray(v) || v instanceof AsyncArrayClass;
}

function checkArray(v: unknown, name: string): void {
  if (!isArrayLike(v)) {
    throw new ZarrTypeError(
      `Keyword argument '${name}' must be a numpy or other NDArrayLike array`,
    );
  }
}

/**
 * Whether the API itself opens the store for `storeLike` (a path or URL string), so it must
 * close it when done: a `*.zip` path gives a ZipStore that only reaches disk on `close()`.
 */
export function apiOwnsStore(storeLike: unknown): boolean {
  return typeof storeLike === "string" || storeLike instanceof URL;
}

async function valueOf(v: unknown): Promise<unknown> {
  return v instanceof AsyncArrayClass ? await v.getitem(null) : v;
}

/**
 * Saves one array (`save(store, arr)`) or several as a group (`save(store, a, b, {name: c})`).
 * A trailing plain object holds named arrays; its keys `zarrFormat`, `path` and
 * `storageOptions` are options. Any other non-array key is a TypeError, as in zarr-python.
 */
export async function save(store: StoreLike | StorePath, ...args: unknown[]): Promise<void> {
  let named: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (
    args.length && last && typeof last === "object" && !isArrayLike(last) && !(last instanceof Map)
  ) {
    named = { ...(last as Record<string, unknown>) };
    args = args.slice(0, -1);
  }
  const opts: Record<string, unknown> = {};
  for (const k of Object.keys(named)) {
    if (OPTION_KEYS.has(k)) {
      opts[k] = named[k];
      delete named[k];
    }
  }
  if (args.length === 0 && Object.keys(named).length === 0) {
    throw new ZarrValueError("at least one array must be provided");
  }
  for (const [k, v] of Object.entries(named)) checkArray(v, k);
  if (args.length === 1 && Object.keys(named).length === 0) {
    await saveArray(store, args[0], opts as SaveArrayOptions);
    return;
  }
  await saveGroup(store, ...args, { ...named, ...opts });
}

/** Saves one array at `path` (mode "a": an existing array there needs `overwrite`). */
export async function saveArray(
  store: StoreLike | StorePath,
  arr: unknown,
  opts: SaveArrayOptions = {},
): Promise<AsyncArray> {
  const zarrFormat = parseZarrFormat(opts.zarrFormat) ?? config.get<2 | 3>("default_zarr_format");
  if (arr === undefined) {
    throw new ZarrTypeError("save_array() missing 1 required positional argument: 'arr'");
  }
  if (!isArrayLike(arr) && typeof arr === "object") {
    throw new ZarrTypeError("arr argument must be numpy or other NDArrayLike array");
  }
  const mode = parseMode(opts.mode) ?? "a";
  const overwrite = opts.overwrite || mode === "w";
  const sp = await makeStorePath(store, {
    mode,
    path: opts.path,
    storageOptions: opts.storageOptions,
  });
  const { path: _p, mode: _m, storageOptions: _so, progress, ...rest } = opts;
  const prog = progressReporter(progress, "saveArray");
  prog.start(1);
  try {
    if (!overwrite) {
      const m = await readNodeMetadata(sp.store, sp.path, { zarrFormat, useConsolidated: false });
      if (m?.nodeType === "array") {
        throw new ContainsArrayError(`An array exists in store at path '${sp.path}'.`);
      }
    }
    const out = await saveArrayInto(sp.store, sp.path, await valueOf(arr), {
      ...rest,
      zarrFormat,
      overwrite,
    });
    prog.finish();
    return out;
  } finally {
    // a store opened here from a path (e.g. a *.zip file) is flushed and released
    if (apiOwnsStore(store)) await sp.store.close();
  }
}

/**
 * Saves several arrays into a group at `path` (wiping it first, like zarr-python's mode "w"):
 * positional arrays as `arr_0`, `arr_1`..., named ones under their names.
 */
export async function saveGroup(store: StoreLike | StorePath, ...args: unknown[]): Promise<void> {
  let named: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (args.length && last && typeof last === "object" && !isArrayLike(last)) {
    named = { ...(last as Record<string, unknown>) };
    args = args.slice(0, -1);
  }
  const opts: Record<string, unknown> = {};
  for (const k of Object.keys(named)) {
    if (OPTION_KEYS.has(k)) {
      opts[k] = named[k];
      delete named[k];
    }
  }
  const zarrFormat = parseZarrFormat(opts.zarrFormat) ?? config.get<2 | 3>("default_zarr_format");
  args.forEach((a, i) => checkArray(a, `arr_${i}`));
  for (const [k, v] of Object.entries(named)) checkArray(v, k);
  if (args.length === 0 && Object.keys(named).length === 0) {
    throw new ZarrValueError("at least one array must be provided");
  }
  const sp = await makeStorePath(store, {
    mode: "w",
    path: opts.path as string | undefined,
    storageOptions: opts.storageOptions as Record<string, unknown> | undefined,
  });
  const jobs: [string, unknown][] = [
    ...args.map((a, i) => [`arr_${i}`, a] as [string, unknown]),
    ...Object.entries(named),
  ];
  const prog = progressReporter(opts.progress as ProgressOption, "saveGroup");
  prog.start(jobs.length);
  try {
    await Promise.all(jobs.map(async ([name, v]) => {
      await saveArrayInto(sp.store, joinPath(sp.path, name), await valueOf(v), {
        zarrFormat,
        overwrite: true,
      });
      prog.tick();
    }));
    prog.finish();
  } finally {
    // a store opened here from a path (e.g. a *.zip file) is flushed and released
    if (apiOwnsStore(store)) await sp.store.close();
  }
}
