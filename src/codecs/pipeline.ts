/**
 * The codec pipeline: zero or more array->array codecs, exactly one array->bytes codec, zero or
 * more bytes->bytes codecs, applied in order to encode and in reverse to decode. Every codec
 * failure surfaces as a {@link CodecError} that names the codec, the chunk key (when given) and
 * the array path; decoded chunks are checked against the expected element count, and
 * decompressors are bounded by the expected decoded size when it is known.
 *
 * @example
 * ```ts
 * import { buildPipeline } from "./pipeline.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const dtype = parseDataType("float32");
 * const p = buildPipeline([{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd" }]);
 * const spec = { shape: [4], dtype, fillValue: 0 };
 * const bytes = await p.encode({ data: new Float32Array([1, 2, 3, 4]), shape: [4] }, spec);
 * console.log((await p.decode(bytes, spec)).data); // Float32Array [1, 2, 3, 4]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import {
  type DataType,
  defaultFillValue,
  hasEndianness,
  type Scalar,
  slotsPerElement,
} from "../metadata/dtype.ts";
import { product } from "../buffer/ndarray.ts";
import { type BytesDecodeOptions, errorMessage, whereSuffix } from "./common.ts";
import { codecFromMetadata, type InnerPipeline } from "./registry.ts";
import "./builtins.ts";
import type {
  ArrayArrayCodec,
  ArrayBytesCodec,
  BytesBytesCodec,
  Chunk,
  ChunkSpec,
  Codec,
  CodecMetadata,
} from "./types.ts";

/** Extra bytes allowed above the expected decoded size before a decompressor is stopped. */
const DECODE_SLACK = 64;

/** What {@link buildPipeline} may know about the chunks, for validation and codec evolution. */
export interface PipelineOptions {
  /** Data type of the (decoded) chunks. */
  dtype?: DataType;
  /** Shape of the (decoded) chunks; with `dtype`, specs are resolved through the chain early. */
  shape?: number[];
  /** Fill value (defaults to the dtype's default). */
  fillValue?: Scalar;
}

type BoundedBytesBytesCodec = BytesBytesCodec & {
  decode(bytes: Uint8Array, options?: BytesDecodeOptions): Promise<Uint8Array> | Uint8Array;
};

/**
 * A validated codec chain. Build one with {@link buildPipeline} (from metadata) or
 * {@link CodecPipeline.fromCodecs} (from codec instances).
 *
 * `decode` may return a chunk that shares memory with its input bytes when the chain has no
 * bytes->bytes codec (zero-copy `bytes` decode); `encode` never returns memory shared with the
 * caller's chunk.
 *
 * @example
 * ```ts
 * import { CodecPipeline } from "./pipeline.ts";
 * import { BytesCodec } from "./bytes.ts";
 * import { Crc32cCodec } from "./crc32c.ts";
 * const p = CodecPipeline.fromCodecs([new BytesCodec(), new Crc32cCodec()]);
 * console.log(p.toJSON().map((c) => c.name)); // ["bytes", "crc32c"]
 * ```
 */
export class CodecPipeline implements InnerPipeline {
  /** The array->array codecs, in encode order. */
  readonly arrayArray: readonly ArrayArrayCodec[];
  /** The array->bytes codec. */
  readonly arrayBytes: ArrayBytesCodec;
  /** The bytes->bytes codecs, in encode order. */
  readonly bytesBytes: readonly BytesBytesCodec[];
  /** Array path for messages. */
  readonly where?: string;

  /** A pipeline from already-sorted codec lists (see {@link CodecPipeline.fromCodecs}). */
  constructor(
    arrayArray: readonly ArrayArrayCodec[],
    arrayBytes: ArrayBytesCodec,
    bytesBytes: readonly BytesBytesCodec[],
    where?: string,
  ) {
    this.arrayArray = arrayArray.slice();
    this.arrayBytes = arrayBytes;
    this.bytesBytes = bytesBytes.slice();
    this.where = where;
  }

  /**
   * Validates the order of codec instances (array->array*, array->bytes, bytes->bytes*) and
   * builds a pipeline; raises {@link MetadataValidationError} otherwise.
   *
   * @example
   * ```ts
   * import { CodecPipeline } from "./pipeline.ts";
   * import { BytesCodec } from "./bytes.ts";
   * CodecPipeline.fromCodecs([new BytesCodec()]);
   * ```
   */
  static fromCodecs(codecs: readonly Codec[], where?: string): CodecPipeline {
    const aa: ArrayArrayCodec[] = [];
    const bb: BytesBytesCodec[] = [];
    let ab: ArrayBytesCodec | undefined;
    const fail = (msg: string): never => {
      throw new MetadataValidationError(`invalid codec chain: ${msg}${whereSuffix(where)}`);
    };
    if (codecs.length === 0) {
      fail("no codecs; exactly one array->bytes codec (e.g. 'bytes') is required");
    }
    for (const c of codecs) {
      switch (c.kind) {
        case "array_to_array":
          if (ab) {
            fail(
              `array->array codec '${c.name}' comes after the array->bytes codec '${ab.name}'`,
            );
          }
          aa.push(c);
          break;
        case "array_to_bytes":
          if (ab) {
            fail(
              `only one array->bytes codec is allowed, got '${ab.name}' and '${c.name}'`,
            );
          }
          if (bb.length) {
            fail(`array->bytes codec '${c.name}' comes after bytes->bytes codec '${bb[0].name}'`);
          }
          ab = c;
          break;
        case "bytes_to_bytes":
          if (!ab) {
            fail(`bytes->bytes codec '${c.name}' comes before any array->bytes codec`);
          }
          bb.push(c);
          break;
        default:
          fail(`codec '${(c as Codec).name}' has an unknown kind '${(c as Codec).kind}'`);
      }
    }
    if (!ab) {
      fail(
        `exactly one array->bytes codec (e.g. 'bytes', 'vlen-utf8', 'sharding_indexed') is required, got none`,
      );
    }
    return new CodecPipeline(aa, ab!, bb, where);
  }

  /** All codecs in encode order. */
  get codecs(): Codec[] {
    return [...this.arrayArray, this.arrayBytes, ...this.bytesBytes];
  }

  /**
   * The chunk spec at every stage: `specs[i]` is the decoded-side spec of array->array codec
   * `i`, and the last entry is the spec the array->bytes codec sees. Failures raise
   * {@link CodecError} naming the codec (and `key`).
   */
  resolveSpecs(spec: ChunkSpec, key?: string, op: "encode" | "decode" = "decode"): ChunkSpec[] {
    const specs = [spec];
    let s = spec;
    for (const c of this.arrayArray) {
      try {
        s = c.resolveSpec(s);
      } catch (e) {
        throw this.wrap(e, c, op, key);
      }
      specs.push(s);
    }
    return specs;
  }

  /**
   * Encoded size in bytes when every codec has a fixed one for the spec (bytes + crc32c...);
   * undefined otherwise (compressors, vlen).
   */
  encodedSize(spec: ChunkSpec): number | undefined {
    const specs = this.resolveSpecs(spec);
    let size = this.arrayBytes.encodedSize?.(specs[specs.length - 1]);
    for (const c of this.bytesBytes) {
      if (size === undefined) return undefined;
      size = c.encodedSize?.(size);
    }
    return size;
  }

  /** A CodecError naming the codec, the chunk key and the array. */
  private wrap(e: unknown, codec: Codec, op: "encode" | "decode", key?: string): CodecError {
    const what = op === "decode" ? "decoding" : "encoding";
    const chunk = key === undefined ? "chunk" : `chunk '${key}'`;
    return new CodecError(
      `${what} ${chunk} with codec '${codec.name}' failed${whereSuffix(this.where)}: ${
        errorMessage(e)
      }`,
      { cause: e },
    );
  }

  /** Checks that a chunk holds `prod(spec.shape)` elements. */
  private check(chunk: Chunk, spec: ChunkSpec, codec: Codec, op: string, key?: string): Chunk {
    const n = product(spec.shape) * slotsPerElement(spec.dtype);
    const len = chunk?.data?.length;
    if (len !== n) {
      const c = key === undefined ? "chunk" : `chunk '${key}'`;
      throw new CodecError(
        `${op} ${c} with codec '${codec.name}' produced ${len} values, expected ${n} for shape ` +
          `[${spec.shape}] of ${spec.dtype.str}${whereSuffix(this.where)}`,
      );
    }
    return { data: chunk.data, shape: spec.shape.slice() };
  }

  /**
   * Decodes one chunk: bytes->bytes decoders in reverse, then the array->bytes decoder, then the
   * array->array decoders in reverse. `spec` is the decoded chunk's spec; `key` names the chunk
   * in error messages.
   */
  async decode(bytes: Uint8Array, spec: ChunkSpec, key?: string): Promise<Chunk> {
    const specs = this.resolveSpecs(spec, key);
    const abSpec = specs[specs.length - 1];
    // Expected input size of each bytes->bytes decoder's output, when fixed.
    const sizes: (number | undefined)[] = [];
    let size: number | undefined;
    try {
      size = this.arrayBytes.encodedSize?.(abSpec);
    } catch {
      size = undefined;
    }
    for (const c of this.bytesBytes) {
      sizes.push(size);
      size = size === undefined ? undefined : c.encodedSize?.(size);
    }
    let b = bytes;
    for (let i = this.bytesBytes.length - 1; i >= 0; i--) {
      const c = this.bytesBytes[i] as BoundedBytesBytesCodec;
      const expected = sizes[i];
      try {
        b = await c.decode(
          b,
          expected === undefined ? undefined : { maxOutputLength: expected + DECODE_SLACK },
        );
      } catch (e) {
        throw this.wrap(e, c, "decode", key);
      }
      if (!(b instanceof Uint8Array)) {
        throw this.wrap(new Error("did not return a Uint8Array"), c, "decode", key);
      }
    }
    let chunk: Chunk;
    try {
      chunk = await this.arrayBytes.decode(b, abSpec);
    } catch (e) {
      throw this.wrap(e, this.arrayBytes, "decode", key);
    }
    chunk = this.check(chunk, abSpec, this.arrayBytes, "decoding", key);
    for (let i = this.arrayArray.length - 1; i >= 0; i--) {
      const c = this.arrayArray[i];
      try {
        chunk = await c.decode(chunk, specs[i]);
      } catch (e) {
        throw this.wrap(e, c, "decode", key);
      }
      chunk = this.check(chunk, specs[i], c, "decoding", key);
    }
    return chunk;
  }

  /**
   * Encodes one C-ordered chunk of `spec.shape`: array->array encoders, the array->bytes encoder,
   * then the bytes->bytes encoders. The result never shares memory with `chunk.data`.
   */
  async encode(chunk: Chunk, spec: ChunkSpec, key?: string): Promise<Uint8Array> {
    const n = product(spec.shape) * slotsPerElement(spec.dtype);
    if (chunk?.data?.length !== n) {
      const c = key === undefined ? "chunk" : `chunk '${key}'`;
      throw new CodecError(
        `cannot encode ${c}: it has ${chunk?.data?.length} values, expected ${n} for shape ` +
          `[${spec.shape}] of ${spec.dtype.str}${whereSuffix(this.where)}`,
      );
    }
    const specs = this.resolveSpecs(spec, key, "encode");
    let c: Chunk = chunk;
    for (let i = 0; i < this.arrayArray.length; i++) {
      const codec = this.arrayArray[i];
      try {
        c = await codec.encode(c, specs[i]);
      } catch (e) {
        throw this.wrap(e, codec, "encode", key);
      }
      c = this.check(c, specs[i + 1], codec, "encoding", key);
    }
    let b: Uint8Array;
    try {
      b = await this.arrayBytes.encode(c, specs[specs.length - 1]);
    } catch (e) {
      throw this.wrap(e, this.arrayBytes, "encode", key);
    }
    for (const codec of this.bytesBytes) {
      try {
        b = await codec.encode(b);
      } catch (e) {
        throw this.wrap(e, codec, "encode", key);
      }
    }
    const src = chunk.data;
    if (ArrayBuffer.isView(src) && b.buffer === src.buffer) b = b.slice();
    return b;
  }

  /** v3 metadata of the chain. */
  toJSON(): CodecMetadata[] {
    return this.codecs.map((c) => c.toJSON());
  }
}

/**
 * Builds a pipeline from v3 `codecs` metadata, validating the order (array->array*,
 * exactly one array->bytes, bytes->bytes*; {@link MetadataValidationError} otherwise). Unknown
 * codecs raise `UnknownCodecError` naming `where`. With `options.dtype` the codecs are evolved as
 * zarr-python does (e.g. `bytes` loses its `endian` for one-byte types) and checked against the
 * data type; with `options.shape` too, array->array codecs are checked against the chunk rank.
 *
 * @example
 * ```ts
 * import { buildPipeline } from "./pipeline.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const p = buildPipeline([{ name: "bytes", configuration: { endian: "little" } }], "a", {
 *   dtype: parseDataType("uint8"),
 * });
 * console.log(JSON.stringify(p.toJSON())); // [{"name":"bytes"}]
 * ```
 */
export function buildPipeline(
  codecs: readonly (CodecMetadata | string)[],
  where?: string,
  options: PipelineOptions = {},
): CodecPipeline {
  if (!Array.isArray(codecs)) {
    throw new MetadataValidationError(
      `codecs must be a list, got ${JSON.stringify(codecs)}${whereSuffix(where)}`,
    );
  }
  const built: Codec[] = [];
  let dtype = options.dtype;
  let spec: ChunkSpec | undefined = options.dtype && options.shape
    ? {
      shape: options.shape.slice(),
      dtype: options.dtype,
      fillValue: options.fillValue ?? defaultFillValue(options.dtype),
    }
    : undefined;
  const nested = (
    inner: readonly (CodecMetadata | string)[],
    innerWhere?: string,
    innerOptions?: PipelineOptions,
  ) => buildPipeline(inner, innerWhere ?? where, innerOptions);
  for (const meta of codecs) {
    const codec = codecFromMetadata(meta, where, {
      dtype,
      ndim: spec?.shape.length ?? options.shape?.length,
      shape: spec?.shape,
      buildPipeline: nested,
    });
    if (codec.kind === "array_to_array" && spec) {
      try {
        spec = codec.resolveSpec(spec);
      } catch (e) {
        if (e instanceof MetadataValidationError) throw e;
        throw new MetadataValidationError(
          `codec '${codec.name}': ${errorMessage(e)}${whereSuffix(where)}`,
          { cause: e },
        );
      }
      dtype = spec.dtype;
    }
    built.push(codec);
  }
  return CodecPipeline.fromCodecs(built, where);
}

/**
 * The v3 default codecs of zarr-python 3 for a data type: no filters; serializer `bytes`
 * (little-endian when the type has a byte order, bare otherwise), `vlen-utf8` for `string`,
 * `vlen-bytes` for `variable_length_bytes`; compressor zstd level 0 without checksum.
 *
 * @example
 * ```ts
 * import { defaultCodecsV3 } from "./pipeline.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * console.log(JSON.stringify(defaultCodecsV3(parseDataType("int32"))));
 * // [{"name":"bytes","configuration":{"endian":"little"}},{"name":"zstd","configuration":{"level":0,"checksum":false}}]
 * ```
 */
export function defaultCodecsV3(dtype: DataType): CodecMetadata[] {
  let serializer: CodecMetadata;
  if (dtype.kind === "string") serializer = { name: "vlen-utf8", configuration: {} };
  else if (dtype.kind === "vbytes") serializer = { name: "vlen-bytes", configuration: {} };
  else if (hasEndianness(dtype)) {
    serializer = { name: "bytes", configuration: { endian: "little" } };
  } else serializer = { name: "bytes" };
  return [serializer, { name: "zstd", configuration: { level: 0, checksum: false } }];
}
