/**
 * Creating arrays and groups: `create`, `createArray`, `empty`, `zeros`, `ones`, `full`, their
 * `*Like` forms, `array` and `group`.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const z = await zarr.zeros([1000, 1000], { dtype: "uint8" });
 * console.log(z.chunks); // [500, 500]
 * ```
 * @module
 */
import type { StoreLike } from "../stores/resolve.ts";
import { warn, ZarrValueError } from "../errors.ts";
import type { AsyncArray } from "../array/array.ts";
import type { ArrayCreateOptions } from "../array/create.ts";
import { arrayFromData, createArrayAt } from "../array/from_data.ts";
import { type AccessMode, makeStorePath, parseMode, type StorePath } from "./store_path.ts";
import { parseZarrFormat } from "../node/io.ts";
import { config } from "../config.ts";
import { likeArgs } from "./like.ts";
import type { NDArray } from "../buffer/ndarray.ts";
import { checkMetaArray, withMetaArray } from "./meta_array.ts";
import { normalizeShape } from "../metadata/mod.ts";

/** Options of {@link create} and the convenience creators. */
export interface CreateOptions extends ArrayCreateOptions {
  store?: StoreLike | StorePath;
  path?: string | null;
  mode?: AccessMode;
  storageOptions?: Record<string, unknown>;
  metaArray?: unknown;
  readOnly?: boolean;
  synchronizer?: unknown;
  chunkStore?: unknown;
  cacheMetadata?: unknown;
  cacheAttrs?: unknown;
  objectCodec?: unknown;
}

/** Options of {@link createArray}. */
export interface CreateArrayOptions extends ArrayCreateOptions {
  name?: string | null;
  data?: unknown;
  writeData?: boolean;
  storageOptions?: Record<string, unknown>;
  metaArray?: unknown;
}

const UNIMPLEMENTED: [keyof CreateOptions, string][] = [
  ["synchronizer", "synchronizer"],
  ["chunkStore", "chunk_store"],
  ["cacheMetadata", "cache_metadata"],
  ["cacheAttrs", "cache_attrs"],
  ["objectCodec", "object_codec"],
  ["readOnly", "read_only"],
];

/**
 * zarr-python's legacy `create(shape, ...)`: dtype defaults to float64, the format to the
 * `default_zarr_format` config, the mode to "a".
 */
export async function create(
  shape: number | number[],
  opts: CreateOptions = {},
): Promise<AsyncArray> {
  for (const [k, py] of UNIMPLEMENTED) {
    if (opts[k] !== undefined && opts[k] !== null) {
      warn("ZarrRuntimeWarning", `${py} is not yet implemented`);
    }
  }
  checkMetaArray(opts.metaArray);
  const zarrFormat = parseZarrFormat(opts.zarrFormat) ?? config.get<2 | 3>("default_zarr_format");
  const mode = parseMode(opts.mode) ?? "a";
  const sp = await makeStorePath(opts.store, {
    mode,
    path: opts.path,
    storageOptions: opts.storageOptions,
  });
  const { store: _s, path: _p, mode: _m, storageOptions: _so, metaArray: _ma, ...rest } = opts;
  const created = await createArrayAt(sp.store, sp.path, {
    ...rest,
    shape: normalizeShape(shape),
    dtype: opts.dtype ?? "float64",
    zarrFormat,
    legacy: true,
  });
  return withMetaArray(created, opts.metaArray);
}

/**
 * zarr-python's `create_array(store, ...)`: Zarr format 3 unless `zarrFormat` says otherwise
 * (`null` uses the config), `data` exclusive with `shape` and `dtype`.
 */
export async function createArray(
  store: StoreLike | StorePath,
  opts: CreateArrayOptions,
): Promise<AsyncArray> {
  checkMetaArray(opts.metaArray);
  const zarrFormat = opts.zarrFormat === undefined
    ? 3
    : parseZarrFormat(opts.zarrFormat) ?? config.get<2 | 3>("default_zarr_format");
  const sp = await makeStorePath(store, {
    mode: "a",
    path: opts.name,
    storageOptions: opts.storageOptions,
  });
  const { name: _n, storageOptions: _so, metaArray: _ma, ...rest } = opts;
  return withMetaArray(
    await createArrayAt(sp.store, sp.path, { ...rest, zarrFormat }),
    opts.metaArray,
  );
}

/** An array with the default fill value (uninitialized in zarr-python's terms). */
export async function empty(
  shape: number | number[],
  opts: CreateOptions = {},
): Promise<AsyncArray> {
  return await create(shape, opts);
}

/** An array filled with zeros. */
export async function zeros(
  shape: number | number[],
  opts: CreateOptions = {},
): Promise<AsyncArray> {
  return await create(shape, { ...opts, fillValue: 0 });
}

/** An array filled with ones. */
export async function ones(
  shape: number | number[],
  opts: CreateOptions = {},
): Promise<AsyncArray> {
  return await create(shape, { ...opts, fillValue: 1 });
}

/** An array filled with `fillValue`. */
export async function full(
  shape: number | number[],
  fillValue: unknown,
  opts: CreateOptions = {},
): Promise<AsyncArray> {
  return await create(shape, { ...opts, fillValue });
}

type Like = AsyncArray | NDArray | ArrayBufferView;

/** `empty` with shape, chunks, dtype (and fill value, codecs) from `a`. */
export async function emptyLike(a: Like, opts: CreateOptions = {}): Promise<AsyncArray> {
  const { shape, ...like } = likeArgs(a);
  return await empty(opts.shape ?? shape!, { ...like, ...opts });
}

/** `zeros` shaped like `a`. */
export async function zerosLike(a: Like, opts: CreateOptions = {}): Promise<AsyncArray> {
  const { shape, fillValue: _f, ...like } = likeArgs(a);
  return await zeros(opts.shape ?? shape!, { ...like, ...opts });
}

/** `ones` shaped like `a`. */
export async function onesLike(a: Like, opts: CreateOptions = {}): Promise<AsyncArray> {
  const { shape, fillValue: _f, ...like } = likeArgs(a);
  return await ones(opts.shape ?? shape!, { ...like, ...opts });
}

/** `full` shaped like `a`; the fill value is `a`'s unless given. */
export async function fullLike(a: Like, opts: CreateOptions = {}): Promise<AsyncArray> {
  const { shape, ...like } = likeArgs(a);
  return await create(opts.shape ?? shape!, { ...like, ...opts });
}

/** Creates an array from data (an NDArray, typed array, nested arrays, scalar or AsyncArray). */
export async function array(data: unknown, opts: CreateOptions = {}): Promise<AsyncArray> {
  if (opts.readOnly) {
    throw new ZarrValueError("read_only=True is no longer supported when creating new arrays.");
  }
  checkMetaArray(opts.metaArray);
  const zarrFormat = parseZarrFormat(opts.zarrFormat) ?? config.get<2 | 3>("default_zarr_format");
  const mode = parseMode(opts.mode) ?? "a";
  const sp = await makeStorePath(opts.store, {
    mode,
    path: opts.path,
    storageOptions: opts.storageOptions,
  });
  const { store: _s, path: _p, mode: _m, storageOptions: _so, metaArray: _ma, ...rest } = opts;
  const created = await arrayFromData(sp.store, sp.path, data, {
    ...rest,
    shape: rest.shape === undefined ? undefined : normalizeShape(rest.shape),
    zarrFormat,
    legacy: true,
  });
  return withMetaArray(created, opts.metaArray);
}
