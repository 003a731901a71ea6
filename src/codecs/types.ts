/**
 * Codec interfaces split by kind, as in the v3 spec and zarrs: array->array (transpose, numcodecs
 * filters), array->bytes (bytes, vlen-utf8, vlen-bytes, sharding) and bytes->bytes (gzip, zstd,
 * crc32c, zlib...). Codecs know nothing of stores.
 *
 * @example
 * ```ts
 * import type { BytesBytesCodec } from "./types.ts";
 * const identity: BytesBytesCodec = {
 *   kind: "bytes_to_bytes", name: "identity",
 *   encode: async (b) => b, decode: async (b) => b, toJSON: () => ({ name: "identity" }),
 * };
 * ```
 * @module
 */
import type { DataContainer, DataType, Scalar } from "../metadata/dtype.ts";

/** A codec entry of v3 metadata: `{name, configuration?}`. */
export interface CodecMetadata {
  name: string;
  configuration?: Record<string, unknown>;
  /** Other keys (e.g. `must_understand`) are kept as they are. */
  [extra: string]: unknown;
}

/** A numcodecs config of v2 metadata: `{id, ...}`. */
export interface V2CodecConfig {
  id: string;
  [key: string]: unknown;
}

/** What a codec knows about the chunk it is coding. */
export interface ChunkSpec {
  /** Shape of the (decoded-side) chunk. */
  shape: number[];
  /** Data type of the decoded-side chunk. */
  dtype: DataType;
  /** Fill value, already parsed for `dtype`. */
  fillValue: Scalar;
}

/** A decoded chunk: C-contiguous values of `spec.shape` (complex = 2 slots per element). */
export interface Chunk {
  data: DataContainer;
  shape: number[];
}

interface CodecBase {
  /** v3 codec name. */
  readonly name: string;
  /** v3 metadata for this codec. */
  toJSON(): CodecMetadata;
}

/** array -> array codec (transpose, delta, astype...). */
export interface ArrayArrayCodec extends CodecBase {
  readonly kind: "array_to_array";
  /** The spec on the encoded side, from the decoded-side spec. */
  resolveSpec(spec: ChunkSpec): ChunkSpec;
  encode(chunk: Chunk, spec: ChunkSpec): Promise<Chunk> | Chunk;
  /** `spec` is the decoded-side spec (the input of `encode`). */
  decode(chunk: Chunk, spec: ChunkSpec): Promise<Chunk> | Chunk;
}

/** array -> bytes codec (bytes, vlen-utf8, vlen-bytes, sharding). */
export interface ArrayBytesCodec extends CodecBase {
  readonly kind: "array_to_bytes";
  encode(chunk: Chunk, spec: ChunkSpec): Promise<Uint8Array> | Uint8Array;
  decode(bytes: Uint8Array, spec: ChunkSpec): Promise<Chunk> | Chunk;
  /** Encoded size when it is fixed for the spec (for sharding indexes); undefined otherwise. */
  encodedSize?(spec: ChunkSpec): number | undefined;
}

/** A byte range of a stored object (the store's `RangeRequest`). */
export type ByteRange =
  | { offset: number; length: number }
  | { offset: number; length?: undefined }
  | { suffix: number };

/**
 * An array->bytes codec that can decode a box of a chunk from ranged reads of the stored object
 * (sharding): the read path uses it when it is the whole chain and a selection needs only part of
 * a chunk.
 */
export interface PartialArrayBytesCodec extends ArrayBytesCodec {
  readonly supportsPartialDecode: true;
  /**
   * Decodes `[box.start, box.stop)` of the chunk (C order, shape `stop - start`), fetching only
   * the byte ranges it needs; undefined when the object does not exist.
   */
  decodePartial(
    fetch: (range: ByteRange) => Promise<Uint8Array | undefined>,
    spec: ChunkSpec,
    box: { start: number[]; stop: number[] },
    key?: string,
  ): Promise<Chunk | undefined>;
}

/** True when an array->bytes codec supports ranged partial decoding. */
export function isPartialDecoder(c: ArrayBytesCodec): c is PartialArrayBytesCodec {
  return (c as Partial<PartialArrayBytesCodec>).supportsPartialDecode === true &&
    typeof (c as Partial<PartialArrayBytesCodec>).decodePartial === "function";
}

/** bytes -> bytes codec (gzip, zstd, crc32c...). */
export interface BytesBytesCodec extends CodecBase {
  readonly kind: "bytes_to_bytes";
  encode(bytes: Uint8Array): Promise<Uint8Array> | Uint8Array;
  decode(bytes: Uint8Array): Promise<Uint8Array> | Uint8Array;
  /** Encoded size from decoded size when fixed (crc32c: +4). */
  encodedSize?(decodedSize: number): number | undefined;
}

/** Any codec. */
export type Codec = ArrayArrayCodec | ArrayBytesCodec | BytesBytesCodec;
