/**
 * The normalized node metadata. v2 documents are read into the same model as v3 (filters and
 * compressor become a codec chain, `order: "F"` a transpose), so arrays have one code path; the
 * `v2` block keeps what is needed to write v2 documents back exactly.
 *
 * @example
 * ```ts
 * import type { ArrayMetadata } from "./model.ts";
 * function isSharded(m: ArrayMetadata) { return m.codecs.some((c) => c.name === "sharding_indexed"); }
 * ```
 * @module
 */
import type { CodecMetadata, V2CodecConfig } from "../codecs/types.ts";
import type { DataType, Scalar } from "./dtype.ts";

/** A chunk key encoding. */
export interface ChunkKeyEncoding {
  name: "default" | "v2";
  separator: "/" | ".";
}

/** What only v2 documents carry. */
export interface V2Extras {
  /** `filters` as written (null or a list of numcodecs configs). */
  filters: V2CodecConfig[] | null;
  /** `compressor` as written. */
  compressor: V2CodecConfig | null;
  /** Byte order of the v2 dtype string (null for 1-byte / object types). */
  endian: "little" | "big" | null;
  /** True when `dimension_separator` was present in the document. */
  hasDimensionSeparator: boolean;
}

/** Normalized array metadata (v2 and v3). */
export interface ArrayMetadata {
  zarrFormat: 2 | 3;
  nodeType: "array";
  shape: number[];
  dataType: DataType;
  /** Regular grid chunk shape (for sharded arrays: the shard shape). */
  chunkShape: number[];
  chunkKeyEncoding: ChunkKeyEncoding;
  /** Fill value; `null` only for v2 documents whose fill_value is null. */
  fillValue: Scalar | null;
  /**
   * The v3 `fill_value` JSON exactly as read, kept only when it is a hex NaN other than the
   * canonical one (`"0x7fc00001"`): JS numbers cannot carry NaN payload bits reliably, so writers
   * emit this JSON again while `fillValue` is still NaN (see `metadata/fill_value.ts`).
   */
  fillValueJSON?: unknown;
  /** The codec chain (for v2: derived from order, filters and compressor). */
  codecs: CodecMetadata[];
  attributes: Record<string, unknown>;
  dimensionNames: (string | null)[] | null;
  /** v2 memory order; v3 arrays have "C" here (order is runtime config in v3). */
  order: "C" | "F";
  /** Extra top-level v3 fields (with must_understand false), kept for round trips. */
  extraFields: Record<string, unknown>;
  /** Present for v2 arrays. */
  v2?: V2Extras;
}

/** Consolidated metadata: flat map of relative path -> child metadata. */
export interface ConsolidatedMetadata {
  kind: "inline";
  mustUnderstand: false;
  /** Flat: keys are paths relative to the consolidating group ("a", "a/b"). */
  metadata: Record<string, ArrayMetadata | GroupMetadata>;
}

/** Normalized group metadata (v2 and v3). */
export interface GroupMetadata {
  zarrFormat: 2 | 3;
  nodeType: "group";
  attributes: Record<string, unknown>;
  /** null when the group was not consolidated (or consolidation was ignored). */
  consolidatedMetadata: ConsolidatedMetadata | null;
}

/** Either kind of node metadata. */
export type NodeMetadata = ArrayMetadata | GroupMetadata;
