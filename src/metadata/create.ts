/**
 * Builds the normalized model for new arrays and groups with zarr-python 3's defaults, so that a
 * created array and the same array read back from its documents are identical models (v2 codec
 * chains are derived exactly as {@link parseArrayMetadataV2} derives them; v3 codecs are evolved as
 * {@link parseArrayMetadataV3} does).
 *
 * @example
 * ```ts
 * import { createArrayMetadata } from "./create.ts";
 * import { parseDataType } from "./dtype.ts";
 * const m = createArrayMetadata({ zarrFormat: 3, shape: [100], dtype: parseDataType("int32"), chunkShape: [10] });
 * m.codecs.map((c) => c.name); // ["bytes", "zstd"]
 * ```
 * @module
 */
import { ZarrTypeError, ZarrValueError } from "../errors.ts";
import type { CodecMetadata, V2CodecConfig } from "../codecs/types.ts";
import {
  type DataType,
  defaultFillValue,
  hasEndianness,
  isVariableLength,
  parseDataType,
} from "./dtype.ts";
import { castFillValue } from "./fill_value.ts";
import { parseChunkKeyEncoding } from "./chunk_key_encoding.ts";
import { normalizeShape } from "./chunks.ts";
import {
  categorizeObjectFilter,
  defaultCodecsV3,
  defaultSerializerV3,
  deriveV2Codecs,
  evolveCodecsV3,
  objectCodecId,
} from "./codec_chain.ts";
import { ARRAY_METADATA_KEYS } from "./v3.ts";
import { compressorForWrite } from "./v2.ts";
import type {
  ArrayMetadata,
  ChunkKeyEncoding,
  ConsolidatedMetadata,
  GroupMetadata,
} from "./model.ts";

/** Options of {@link createArrayMetadata}. */
export interface CreateArrayMetadataOptions {
  zarrFormat: 2 | 3;
  shape: number[] | number;
  /** A DataType, or anything `parseDataType` accepts. */
  dtype: DataType | string | Record<string, unknown>;
  /** The regular chunk grid's shape (for sharded arrays: the shard shape). */
  chunkShape: number[];
  /**
   * The fill value: `undefined` gives the data type's default; `null` gives the default for v3
   * and a `null` fill_value for v2 (as zarr-python does); anything else is cast to the type.
   */
  fillValue?: unknown;
  /** v3 codec chain (default: zarr-python's default chain for the data type). */
  codecs?: readonly (CodecMetadata | string)[];
  /** v2 filters (default: null, or the vlen object codec for string / bytes types). */
  filters?: V2CodecConfig[] | null;
  /** v2 compressor (default: numcodecs Zstd level 0, no checksum). */
  compressor?: V2CodecConfig | null;
  /** v2 memory order (v3 arrays keep "C": order is runtime configuration there). */
  order?: "C" | "F";
  /** Chunk key encoding in any form `parseChunkKeyEncoding` accepts. */
  chunkKeyEncoding?: ChunkKeyEncoding | unknown;
  attributes?: Record<string, unknown> | null;
  /** v3 only; an empty list means none. */
  dimensionNames?: (string | null)[] | null;
  /** Byte order: v2 dtype byte order, or the v3 default `bytes` codec's (default little). */
  endian?: "little" | "big";
  /** v3 extension fields (objects with `must_understand: false`). */
  extraFields?: Record<string, unknown>;
}

function checkChunkShape(chunkShape: unknown, ndim: number): number[] {
  if (
    !Array.isArray(chunkShape) ||
    chunkShape.some((c) => typeof c !== "number" || !Number.isSafeInteger(c))
  ) {
    throw new ZarrTypeError(
      `Expected an array of integers for the chunk shape, got ${String(chunkShape)}`,
    );
  }
  if (chunkShape.some((c) => c < 1)) {
    throw new ZarrValueError(`Chunk sizes must be positive, got [${chunkShape.join(", ")}]`);
  }
  if (chunkShape.length !== ndim) {
    throw new ZarrValueError(
      `chunks has ${chunkShape.length} dimensions but shape has ${ndim} dimensions`,
    );
  }
  return [...chunkShape];
}

function checkV2Codec(c: unknown, what: string): V2CodecConfig {
  if (
    c === null || typeof c !== "object" || Array.isArray(c) ||
    typeof (c as { id?: unknown }).id !== "string"
  ) {
    throw new ZarrTypeError(
      `Invalid ${what}. Expected a dict representation of a numcodecs codec with an 'id'. Got ${
        JSON.stringify(c)
      }.`,
    );
  }
  return c as V2CodecConfig;
}

/**
 * Constructs the normalized metadata of a new array with zarr-python 3's defaults: default fill
 * value per type, default codecs (v3: serializer + zstd level 0; v2: numcodecs Zstd level 0 and the
 * vlen object codec for string / bytes types), default chunk key encoding (v3 `default` with `/`,
 * v2 `v2` with `.`). Validates as zarr-python's creation does: v2 rejects `codecs`,
 * `dimensionNames` and chunk key encodings not named `v2`; v3 codecs are evolved for the type.
 *
 * @example
 * ```ts
 * import { createArrayMetadata } from "./create.ts";
 * import { parseDataType } from "./dtype.ts";
 * const m = createArrayMetadata({ zarrFormat: 2, shape: [4, 4], dtype: parseDataType(">f8"), chunkShape: [2, 2],
 *   order: "F", endian: "big", compressor: null });
 * m.codecs; // [{name:"transpose",configuration:{order:[1,0]}}, {name:"bytes",configuration:{endian:"big"}}]
 * ```
 */
export function createArrayMetadata(opts: CreateArrayMetadataOptions): ArrayMetadata {
  const dataType = parseDataType(opts.dtype);
  const shape = normalizeShape(opts.shape);
  const chunkShape = checkChunkShape(opts.chunkShape, shape.length);
  const attributes = opts.attributes ?? {};
  if (typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new ZarrTypeError(
      `Expected dict with string keys for attributes. Got ${JSON.stringify(attributes)}.`,
    );
  }
  const order = opts.order ?? "C";
  if (order !== "C" && order !== "F") {
    throw new ZarrValueError(
      `Expected one of ('C', 'F'), got ${JSON.stringify(order)} for 'order'.`,
    );
  }
  const endian = opts.endian ?? "little";
  if (endian !== "little" && endian !== "big") {
    throw new ZarrValueError(
      `endian must be one of ['little', 'big']. Got ${JSON.stringify(endian)}.`,
    );
  }

  if (opts.zarrFormat === 3) {
    const chunkKeyEncoding = opts.chunkKeyEncoding === undefined || opts.chunkKeyEncoding === null
      ? { name: "default" as const, separator: "/" as const }
      : parseChunkKeyEncoding(opts.chunkKeyEncoding);
    let dimensionNames = opts.dimensionNames ?? null;
    if (dimensionNames !== null && dimensionNames.length === 0) dimensionNames = null;
    if (dimensionNames !== null) {
      if (!dimensionNames.every((d) => d === null || typeof d === "string")) {
        throw new ZarrTypeError(
          `Expected either None or an iterable of str, got ${JSON.stringify(dimensionNames)}`,
        );
      }
      if (dimensionNames.length !== shape.length) {
        throw new ZarrValueError(
          "`dimension_names` and `shape` need to have the same number of dimensions.",
        );
      }
      dimensionNames = [...dimensionNames];
    }
    let codecs: readonly unknown[];
    if (opts.codecs === undefined || opts.codecs === null) {
      codecs = defaultCodecsV3(dataType);
      if (endian === "big" && hasEndianness(dataType)) {
        codecs = [{ name: "bytes", configuration: { endian: "big" } }, ...codecs.slice(1)];
      }
    } else {
      codecs = opts.codecs;
    }
    const extraFields = { ...(opts.extraFields ?? {}) };
    for (const [k, v] of Object.entries(extraFields)) {
      if (ARRAY_METADATA_KEYS.has(k)) {
        throw new ZarrValueError(
          `Invalid extra fields. The following keys: ['${k}'] are invalid because they collide ` +
            "with keys reserved for use by the array metadata document.",
        );
      }
      if (
        v === null || typeof v !== "object" ||
        (v as Record<string, unknown>).must_understand !== false
      ) {
        throw new ZarrValueError(
          `Invalid extra field '${k}': extension fields must be objects with "must_understand": false.`,
        );
      }
    }
    return {
      zarrFormat: 3,
      nodeType: "array",
      shape,
      dataType,
      chunkShape,
      chunkKeyEncoding,
      fillValue: opts.fillValue === undefined || opts.fillValue === null
        ? defaultFillValue(dataType)
        : castFillValue(dataType, opts.fillValue),
      codecs: evolveCodecsV3(codecs, dataType, { chunkShape }),
      attributes,
      dimensionNames,
      order: "C",
      extraFields,
    };
  }

  if (opts.zarrFormat !== 2) {
    throw new ZarrValueError(
      `Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '${String(opts.zarrFormat)}'.`,
    );
  }
  if (opts.codecs !== undefined && opts.codecs !== null) {
    throw new ZarrValueError("codecs cannot be used for arrays with zarr_format 2");
  }
  if (
    opts.dimensionNames !== undefined && opts.dimensionNames !== null &&
    opts.dimensionNames.length > 0
  ) {
    throw new ZarrValueError("dimension_names cannot be used for arrays with zarr_format 2");
  }
  if (opts.extraFields && Object.keys(opts.extraFields).length > 0) {
    throw new ZarrValueError("extension fields cannot be used for arrays with zarr_format 2");
  }
  const chunkKeyEncoding = opts.chunkKeyEncoding === undefined || opts.chunkKeyEncoding === null
    ? { name: "v2" as const, separator: "." as const }
    : parseChunkKeyEncoding(opts.chunkKeyEncoding);
  if (chunkKeyEncoding.name !== "v2") {
    throw new ZarrValueError(
      `Invalid chunk key encoding. For Zarr format 2 arrays, the name field of the chunk key ` +
        `encoding must be 'v2'. Got '${chunkKeyEncoding.name}' instead.`,
    );
  }
  let filters: V2CodecConfig[] | null = opts.filters === undefined || opts.filters === null
    ? null
    : opts.filters.map((f) => checkV2Codec(f, "filter"));
  if (filters !== null && filters.length === 0) filters = null;
  // stored as it will be written, so a created model equals the model read back
  const compressor = compressorForWrite(
    opts.compressor === undefined
      ? { id: "zstd", level: 0, checksum: false }
      : opts.compressor === null
      ? null
      : checkV2Codec(opts.compressor, "compressor"),
  );
  if (
    isVariableLength(dataType) && objectCodecId(filters, compressor) === undefined &&
    !categorizeObjectFilter(filters)
  ) {
    const id = defaultSerializerV3(dataType).name; // vlen-utf8 / vlen-bytes
    filters = [{ id }, ...(filters ?? [])];
  }
  const v2Endian = hasEndianness(dataType) ? endian : null;
  return {
    zarrFormat: 2,
    nodeType: "array",
    shape,
    dataType,
    chunkShape,
    chunkKeyEncoding,
    fillValue: opts.fillValue === undefined
      ? defaultFillValue(dataType)
      : opts.fillValue === null
      ? null
      : castFillValue(dataType, opts.fillValue),
    codecs: deriveV2Codecs({
      dataType,
      endian: v2Endian,
      order,
      ndim: shape.length,
      filters,
      compressor,
    }),
    attributes,
    dimensionNames: null,
    order,
    extraFields: {},
    v2: { filters, compressor, endian: v2Endian, hasDimensionSeparator: true },
  };
}

/** Options of {@link createGroupMetadata}. */
export interface CreateGroupMetadataOptions {
  zarrFormat: 2 | 3;
  attributes?: Record<string, unknown> | null;
  consolidatedMetadata?: ConsolidatedMetadata | null;
}

/**
 * Constructs the normalized metadata of a group.
 *
 * @example
 * ```ts
 * import { createGroupMetadata } from "./create.ts";
 * createGroupMetadata({ zarrFormat: 3, attributes: { a: 1 } });
 * // { zarrFormat: 3, nodeType: "group", attributes: { a: 1 }, consolidatedMetadata: null }
 * ```
 */
export function createGroupMetadata(opts: CreateGroupMetadataOptions): GroupMetadata {
  if (opts.zarrFormat !== 2 && opts.zarrFormat !== 3) {
    throw new ZarrValueError(
      `Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '${String(opts.zarrFormat)}'.`,
    );
  }
  const attributes = opts.attributes ?? {};
  if (typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new ZarrTypeError(
      `Expected dict with string keys for attributes. Got ${JSON.stringify(attributes)}.`,
    );
  }
  return {
    zarrFormat: opts.zarrFormat,
    nodeType: "group",
    attributes,
    consolidatedMetadata: opts.consolidatedMetadata ?? null,
  };
}
