/**
 * Array creation: user options -> normalized metadata -> documents in the store, with
 * zarr-python 3's defaults (chunk guessing, default codecs and fill values, parent groups).
 *
 * @example
 * ```ts
 * import { MemoryStore } from "../stores/memory.ts";
 * import { initArray } from "./create.ts";
 * const a = await initArray(new MemoryStore(), "x", { shape: [10], dtype: "int16" });
 * console.log(a.chunks); // [10]
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import type { CodecMetadata, V2CodecConfig } from "../codecs/types.ts";
import {
  type DataType,
  defaultFillValue,
  isVariableLength,
  parseDataType,
  parseNumpyDtype,
  type Scalar,
} from "../metadata/dtype.ts";
import {
  createArrayMetadata,
  fillValueFromJSON,
  guessChunks,
  normalizeChunks,
  normalizeShape,
  parseChunkKeyEncoding,
} from "../metadata/mod.ts";
import type { ChunkKeyEncoding } from "../metadata/model.ts";
import { defaultCodecsV3 } from "../codecs/pipeline.ts";
import { codecFromV2, hasV2Form, registeredCodecs } from "../codecs/registry.ts";
import "../codecs/builtins.ts";
import { config } from "../config.ts";
import { warn, ZarrTypeError, ZarrValueError } from "../errors.ts";
import { ensureParents, prepareOverwrite, writeNodeMetadata } from "../node/io.ts";
import { AsyncArray } from "./array.ts";
import type { ArrayConfig } from "../config.ts";
import { arrayConfigFrom } from "../config.ts";

/** A codec given by a user: v3 metadata, a v2 numcodecs config, or an object with `toJSON()`. */
export type CodecLike = CodecMetadata | V2CodecConfig | { toJSON(): CodecMetadata } | string;

/** Options shared by every array-creating function (camelCase of zarr-python's keywords). */
export interface ArrayCreateOptions {
  shape?: number | number[];
  dtype?: string | DataType;
  /** Chunk shape: "auto"/undefined (guessed), an int (every axis), an array (-1 = full axis), false (one chunk). */
  chunks?: number | (number | null)[] | "auto" | boolean | null;
  /** Legacy alias of `chunks`. */
  chunkShape?: number | number[];
  /** Shard shape (v3 only; needs the sharding codec). */
  shards?: number[] | "auto" | null;
  fillValue?: unknown;
  order?: "C" | "F";
  zarrFormat?: 2 | 3 | null;
  attributes?: Record<string, unknown>;
  chunkKeyEncoding?: unknown;
  dimensionNames?: (string | null)[] | null;
  /** v3 array->array codecs ("auto" = none). */
  filters?: CodecLike[] | "auto" | null;
  /** v3 bytes->bytes codecs ("auto" = zstd level 0); for v2 at most one compressor. */
  compressors?: CodecLike[] | CodecLike | "auto" | null;
  /** v2 compressor (legacy). */
  compressor?: CodecLike | "auto" | null;
  /** v3 array->bytes codec ("auto" = bytes / vlen). */
  serializer?: CodecLike | "auto";
  /** Full v3 codec chain (legacy `create`). */
  codecs?: CodecLike[];
  /** v2 dimension separator. */
  dimensionSeparator?: "." | "/";
  overwrite?: boolean;
  /** Per-array runtime config (`order`, `writeEmptyChunks`, `readMissingChunks`). */
  config?: Partial<ArrayConfig> & Record<string, unknown>;
  /** Deprecated spelling of `config.writeEmptyChunks`. */
  writeEmptyChunks?: boolean;
}

/** Options of {@link initArray} beyond the user's. */
export interface InitArrayOptions extends ArrayCreateOptions {
  /** Which API made the call: group-created v2 arrays default to Blosc in zarr-python. */
  fromGroup?: boolean;
  /** "create" (legacy) validates v3 kwargs the way `zarr.create` does. */
  legacy?: boolean;
}

function codecToJSON(c: CodecLike): CodecMetadata | V2CodecConfig {
  if (typeof c === "string") return { name: c };
  if (c && typeof (c as { toJSON?: unknown }).toJSON === "function") {
    return (c as { toJSON(): CodecMetadata }).toJSON();
  }
  if (c && typeof c === "object") return c as CodecMetadata;
  throw new ZarrTypeError(`invalid codec ${JSON.stringify(c)}`);
}

function asV3(c: CodecLike): CodecMetadata {
  const j = codecToJSON(c);
  if ("name" in j && typeof j.name === "string") return j as CodecMetadata;
  const { id, ...rest } = j as V2CodecConfig;
  if (id === "zstd") {
    return {
      name: "zstd",
      configuration: { level: rest.level ?? 0, checksum: rest.checksum ?? false },
    };
  }
  if (id === "gzip") return { name: "gzip", configuration: { level: rest.level ?? 5 } };
  return { name: `numcodecs.${id}`, configuration: rest };
}

function asV2(c: CodecLike, role: string): V2CodecConfig {
  const j = codecToJSON(c);
  if ("id" in j && typeof j.id === "string") return j as V2CodecConfig;
  const m = j as CodecMetadata;
  if (m.name.startsWith("numcodecs.")) return { id: m.name.slice(10), ...(m.configuration ?? {}) };
  if (m.name === "vlen-utf8" || m.name === "vlen-bytes") return { id: m.name };
  throw new ZarrValueError(
    `codec ${JSON.stringify(m)} cannot be used as a Zarr format 2 ${role}`,
  );
}

/** A numcodecs config completed by the codec itself (`{id: "zlib"}` -> `{id, level: 1}`). */
function fullV2Config(cfg: V2CodecConfig, dtype: DataType): V2CodecConfig {
  const codec = codecFromV2(cfg, undefined, { dtype });
  return hasV2Form(codec) ? codec.toV2JSON() : cfg;
}

/** Parses a user fill value for a data type. */
export function coerceFillValue(dt: DataType, v: unknown, zarrFormat: 2 | 3): Scalar | null {
  if (v === undefined) return defaultFillValue(dt);
  if (v === null) return zarrFormat === 2 ? null : defaultFillValue(dt);
  if (v instanceof Uint8Array) {
    if (dt.kind === "S" || dt.kind === "V" || dt.kind === "vbytes") return v;
    throw new ZarrTypeError(`Invalid fill_value ${String(v)} for dtype ${dt.str}`);
  }
  if (typeof v === "boolean" && dt.kind !== "bool") v = v ? 1 : 0;
  if (typeof v === "number" && (dt.kind === "int" || dt.kind === "uint") && dt.itemsize === 8) {
    if (!Number.isInteger(v)) {
      throw new ZarrTypeError(`Invalid fill_value ${v} for dtype ${dt.str}`);
    }
    v = BigInt(v);
  }
  if (typeof v === "number" && (dt.kind === "datetime" || dt.kind === "timedelta")) v = BigInt(v);
  if (typeof v === "number" && dt.kind === "complex") v = [v, 0];
  if (typeof v === "number" && dt.kind === "bool") v = v !== 0;
  if (typeof v === "string" && (dt.kind === "S" || dt.kind === "vbytes")) {
    return new TextEncoder().encode(v);
  }
  if (typeof v === "number" && Number.isNaN(v) && dt.kind === "float") return NaN;
  if (typeof v === "number" && dt.kind === "float") return v;
  return fillValueFromJSON(dt, v, zarrFormat, "fill_value");
}

/**
 * Creates an array at `path` (zarr-python's `init_array` + `AsyncArray._create`): normalizes
 * options, applies defaults, clears or checks the path, writes parent groups and the documents.
 */
export async function initArray(
  store: Store,
  path: string,
  opts: InitArrayOptions,
): Promise<AsyncArray> {
  const zarrFormat = (opts.zarrFormat ?? config.get<2 | 3>("default_zarr_format")) as 2 | 3;
  if (zarrFormat !== 2 && zarrFormat !== 3) {
    throw new ZarrValueError(
      `Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '${zarrFormat}'.`,
    );
  }
  if (opts.shape === undefined) throw new ZarrTypeError("shape is required to create an array");
  const shape = normalizeShape(opts.shape);
  let endian: "little" | "big" | null = null;
  let dtype: DataType;
  if (typeof opts.dtype === "string") {
    const p = parseNumpyDtype(opts.dtype);
    dtype = p.dtype;
    endian = p.endian;
  } else dtype = parseDataType(opts.dtype ?? "float64");
  const itemsize = isVariableLength(dtype) ? 1 : dtype.itemsize;

  if (opts.chunks !== undefined && opts.chunkShape !== undefined && opts.chunks !== "auto") {
    throw new ZarrValueError("Only one of chunk_shape or chunks can be provided.");
  }
  const chunksIn = opts.chunkShape ?? opts.chunks;
  let shards: number[] | null = null;
  let chunks: number[];
  if (opts.shards !== undefined && opts.shards !== null) {
    if (zarrFormat === 2) throw new ZarrValueError("Zarr format 2 arrays do not support `shards`.");
    chunks = chunksIn === undefined || chunksIn === null || chunksIn === "auto"
      ? guessChunks(shape, itemsize, 1_048_576)
      : normalizeChunks(chunksIn, shape, itemsize);
    if (opts.shards === "auto") {
      warn(
        "ZarrUserWarning",
        "Automatic shard shape inference is experimental and may change without notice.",
      );
      shards = chunks.map((c, i) => (Math.floor(shape[i] / c) > 8 ? 2 * c : c));
    } else {
      shards = normalizeChunks(opts.shards, shape, itemsize);
      for (let i = 0; i < shards.length; i++) {
        if (shards[i] % chunks[i] !== 0) {
          throw new ZarrValueError(
            `The array's chunk shape (${chunks}) must evenly divide the shard shape (${shards}).`,
          );
        }
      }
    }
  } else {
    chunks = normalizeChunks(chunksIn, shape, itemsize);
  }

  const fillValue = coerceFillValue(dtype, opts.fillValue, zarrFormat);
  const cfgIn: Record<string, unknown> = { ...(opts.config ?? {}) };
  if (opts.writeEmptyChunks !== undefined) {
    warn(
      "ZarrRuntimeWarning",
      "The `write_empty_chunks` keyword argument is deprecated and will be removed in future versions. " +
        "Use the `config` keyword argument instead, e.g. `config={'write_empty_chunks': True}`.",
    );
    if (cfgIn.writeEmptyChunks === undefined && cfgIn.write_empty_chunks === undefined) {
      cfgIn.writeEmptyChunks = opts.writeEmptyChunks;
    } else {
      warn("ZarrUserWarning", "Ignoring write_empty_chunks: config already sets it.");
    }
  }

  let metaInput: Parameters<typeof createArrayMetadata>[0];
  if (zarrFormat === 3) {
    if (opts.dimensionSeparator !== undefined) {
      throw new ZarrValueError(
        "dimension_separator cannot be used for arrays with zarr_format 3. Use chunk_key_encoding instead.",
      );
    }
    if (
      opts.legacy && opts.filters !== undefined && opts.filters !== null && opts.filters !== "auto"
    ) {
      // zarr-python's `create()`: v2-style filters have no place in a v3 codec chain
      throw new ZarrValueError(
        "filters cannot be used for arrays with zarr_format 3. Use array-to-array codecs instead.",
      );
    }
    if (opts.compressor !== undefined && opts.compressor !== "auto") {
      if (opts.legacy) {
        throw new ZarrValueError(
          "compressor cannot be used for arrays with zarr_format 3. Use bytes-to-bytes codecs instead.",
        );
      }
      if (opts.compressors !== undefined && opts.compressors !== "auto") {
        throw new ZarrValueError("You cannot specify both compressor and compressors.");
      }
      warn(
        "ZarrUserWarning",
        "The `compressor` argument is deprecated. Use `compressors` instead.",
      );
    }
    if (opts.order !== undefined) {
      warn(
        "ZarrRuntimeWarning",
        "The `order` keyword argument has no effect for Zarr format 3 arrays. To control the memory layout of the array, use the `config` keyword argument, as in `config={'order': 'C'}`.",
      );
      // as in zarr-python: the kwarg only warns; the memory order comes from `config`
    }
    let codecs: CodecMetadata[];
    if (opts.codecs !== undefined) {
      codecs = opts.codecs.map(asV3);
    } else {
      const defaults = defaultCodecsV3(dtype);
      const serializerDefault = defaults.find((c) =>
        c.name === "bytes" || c.name.startsWith("vlen-")
      )!;
      const filters = opts.filters === "auto" || opts.filters === undefined || opts.filters === null
        ? []
        : opts.filters.map(asV3);
      const serializer = opts.serializer === undefined || opts.serializer === "auto"
        ? serializerDefault
        : asV3(opts.serializer);
      let compIn = opts.compressors;
      if (compIn === undefined || compIn === "auto") {
        compIn = opts.compressor !== undefined && opts.compressor !== "auto"
          ? opts.compressor
          : "auto";
      }
      const compressors = compIn === "auto"
        ? defaults.filter((c) => c.name === "zstd")
        : compIn === null
        ? []
        : (Array.isArray(compIn) ? compIn : [compIn]).map(asV3);
      codecs = [...filters, serializer, ...compressors];
    }
    if (shards) {
      codecs = [{
        name: "sharding_indexed",
        configuration: {
          chunk_shape: chunks,
          codecs,
          index_codecs: [
            { name: "bytes", configuration: { endian: "little" } },
            { name: "crc32c" },
          ],
          index_location: "end",
        },
      }];
    }
    const cke: ChunkKeyEncoding =
      opts.chunkKeyEncoding === undefined || opts.chunkKeyEncoding === null
        ? { name: "default", separator: "/" }
        : parseChunkKeyEncoding(opts.chunkKeyEncoding);
    const dn = opts.dimensionNames && opts.dimensionNames.length ? [...opts.dimensionNames] : null;
    if (dn && dn.length !== shape.length) {
      throw new ZarrValueError(
        `dimension_names has ${dn.length} entries but the array has ${shape.length} dimensions`,
      );
    }
    metaInput = {
      zarrFormat: 3,
      shape,
      dtype,
      chunkShape: shards ?? chunks,
      fillValue,
      codecs,
      order: "C",
      chunkKeyEncoding: cke,
      attributes: { ...(opts.attributes ?? {}) },
      dimensionNames: dn,
    };
  } else {
    if (opts.codecs !== undefined) {
      throw new ZarrValueError("codecs cannot be used for arrays with zarr_format 2.");
    }
    if (opts.dimensionNames) {
      throw new ZarrValueError("dimension_names cannot be used for arrays with zarr_format 2.");
    }
    if (opts.serializer !== undefined && opts.serializer !== "auto") {
      throw new ZarrValueError("Zarr format 2 arrays do not support `serializer`.");
    }
    let compressor: V2CodecConfig | null;
    const compIn = opts.compressor !== undefined && opts.compressor !== "auto"
      ? opts.compressor
      : opts.compressors !== undefined && opts.compressors !== "auto"
      ? opts.compressors
      : "auto";
    if (
      opts.compressor !== undefined && opts.compressor !== "auto" &&
      opts.compressors !== undefined && opts.compressors !== "auto"
    ) {
      throw new ZarrValueError("You cannot specify both compressor and compressors.");
    }
    if (compIn === "auto") {
      compressor = opts.fromGroup && blosc()
        ? { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 }
        : { id: "zstd", level: 0 };
    } else if (compIn === null) compressor = null;
    else {
      const list = Array.isArray(compIn) ? compIn : [compIn];
      if (list.length > 1) {
        throw new ZarrValueError(
          `Zarr format 2 arrays can only have a single compressor, got ${list.length}`,
        );
      }
      compressor = list.length ? asV2(list[0], "compressor") : null;
    }
    let filters: V2CodecConfig[] | null;
    if (opts.filters === undefined || opts.filters === "auto") {
      filters = dtype.kind === "string"
        ? [{ id: "vlen-utf8" }]
        : dtype.kind === "vbytes"
        ? [{ id: "vlen-bytes" }]
        : null;
    } else if (opts.filters === null) filters = null;
    else filters = opts.filters.map((f) => asV2(f, "filter"));
    if (filters && filters.length === 0) filters = null;
    // as numcodecs does: the codec's full config (defaults filled in, numcodecs' key order)
    filters = filters?.map((f) => fullV2Config(f, dtype)) ?? null;
    if (compressor) compressor = fullV2Config(compressor, dtype);
    let sep: "." | "/" = opts.dimensionSeparator ?? ".";
    if (opts.chunkKeyEncoding !== undefined && opts.chunkKeyEncoding !== null) {
      const cke = parseChunkKeyEncoding(opts.chunkKeyEncoding);
      if (cke.name !== "v2") {
        throw new ZarrValueError(
          `Invalid chunk key encoding '${cke.name}' for Zarr format 2 arrays: use the 'v2' encoding.`,
        );
      }
      sep = cke.separator;
    }
    const order = opts.order ?? (cfgIn.order as "C" | "F" | undefined) ??
      config.get<"C" | "F">("array.order");
    metaInput = {
      zarrFormat: 2,
      shape,
      dtype,
      chunkShape: chunks,
      fillValue,
      filters,
      compressor,
      order,
      endian: endian ?? "little",
      chunkKeyEncoding: { name: "v2", separator: sep },
      attributes: { ...(opts.attributes ?? {}) },
      dimensionNames: null,
    };
  }
  const meta = createArrayMetadata(metaInput);
  const arrayConfig = arrayConfigFrom(cfgIn);
  if (zarrFormat === 2) arrayConfig.order = meta.order;
  // build the array object (validates the codec chain) before touching the store
  const array = new AsyncArray(meta, store, path, arrayConfig);
  void array.pipeline; // unknown or misordered codecs fail here, before any write
  await prepareOverwrite(store, path, zarrFormat, opts.overwrite ?? false);
  await ensureParents(store, path, zarrFormat);
  await writeNodeMetadata(store, path, meta);
  return array;
}

/** Whether a Blosc codec is registered (zarr-python's v2 default for group-created arrays). */
function blosc(): boolean {
  return registeredCodecs().includes("blosc");
}
