/**
 * numcodecs `AsType` (v3 `numcodecs.astype`, v2 id `astype`): an array->array filter casting the
 * data from `decode_dtype` to `encode_dtype` on encode and back on decode, with numpy's `astype`
 * (unsafe) casting rules (see `numeric.ts`).
 *
 * @example
 * ```ts
 * import { AsTypeCodec } from "./astype.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const c = new AsTypeCodec({ encode_dtype: "<f4", decode_dtype: "<f8" });
 * const spec = { shape: [2], dtype: parseDataType("float64"), fillValue: 0 };
 * console.log(c.encode({ data: Float64Array.of(0.1, 1e300), shape: [2] }, spec).data);
 * // Float32Array [0.10000000149011612, Infinity]
 * ```
 * @module
 */
import { defaultFillValue } from "../../metadata/dtype.ts";
import { type CodecContext, readConfig } from "../common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { castArray } from "./numeric.ts";
import {
  checkInputType,
  type DtypeOption,
  dtypeOption,
  numericData,
  numpyName,
  numpyStr,
} from "./options.ts";

const NAME = "numcodecs.astype";

/** Options of {@link AsTypeCodec} (numcodecs' parameter names). */
export interface AsTypeOptions {
  /** numpy type of the encoded data. */
  encode_dtype: string;
  /** numpy type of the decoded data; the array's type when left out (zarr-python's evolution). */
  decode_dtype?: string;
}

/** The AsType filter. */
export class AsTypeCodec implements ArrayArrayCodec {
  /** Codec kind. */
  readonly kind = "array_to_array" as const;
  /** v3 name. */
  readonly name = NAME;
  readonly #encode: DtypeOption;
  #decode?: DtypeOption;
  #config: Record<string, unknown>;

  /**
   * A codec from its numcodecs parameters.
   *
   * @example
   * ```ts
   * import { AsTypeCodec } from "./astype.ts";
   * new AsTypeCodec({ encode_dtype: "i1", decode_dtype: "i2" });
   * ```
   */
  constructor(options: AsTypeOptions, where?: string) {
    this.#encode = dtypeOption(NAME, "encode_dtype", options.encode_dtype, "numeric", where);
    this.#config = { encode_dtype: options.encode_dtype };
    if (options.decode_dtype !== undefined && options.decode_dtype !== null) {
      this.#decode = dtypeOption(NAME, "decode_dtype", options.decode_dtype, "numeric", where);
      this.#config.decode_dtype = options.decode_dtype;
    }
  }

  /**
   * Builds the codec from v3 metadata; a missing `decode_dtype` is filled in from `ctx.dtype`.
   *
   * @example
   * ```ts
   * import { AsTypeCodec } from "./astype.ts";
   * AsTypeCodec.fromMetadata({ name: "numcodecs.astype",
   *   configuration: { encode_dtype: "float32", decode_dtype: "float64" } });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): AsTypeCodec {
    const cfg = readConfig(meta, ["encode_dtype", "decode_dtype"], ctx.where);
    const c = new AsTypeCodec(cfg as unknown as AsTypeOptions, ctx.where);
    c.#config = { ...cfg };
    if (c.#decode === undefined && ctx.dtype) {
      const dt = numpyName(ctx.dtype);
      c.#decode = dtypeOption(NAME, "decode_dtype", dt, "numeric", ctx.where);
      c.#config.decode_dtype = dt;
    }
    return c;
  }

  /**
   * Builds the codec from a numcodecs config.
   *
   * @example
   * ```ts
   * import { AsTypeCodec } from "./astype.ts";
   * AsTypeCodec.fromV2({ id: "astype", encode_dtype: "<f4", decode_dtype: "<f8" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): AsTypeCodec {
    const { id: _id, ...rest } = config;
    return AsTypeCodec.fromMetadata({ name: NAME, configuration: rest }, ctx);
  }

  #decodeType(spec: ChunkSpec) {
    const dt = this.#decode?.dtype ?? spec.dtype;
    checkInputType(NAME, dt, spec.dtype);
    if (!["bool", "int", "uint", "float", "complex"].includes(dt.kind)) {
      throw new Error(`codec '${NAME}' cannot code the data type '${dt.str}'`);
    }
    return dt;
  }

  /** The encoded side has type `encode_dtype`. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    this.#decodeType(spec);
    const dt = this.#encode.dtype;
    return { shape: spec.shape.slice(), dtype: dt, fillValue: defaultFillValue(dt) };
  }

  /** `x.astype(encode_dtype)`. */
  encode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const from = this.#decodeType(spec);
    return { data: castArray(numericData(chunk), from, this.#encode.dtype), shape: chunk.shape };
  }

  /** `y.astype(decode_dtype)`. */
  decode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const to = this.#decodeType(spec);
    return { data: castArray(numericData(chunk), this.#encode.dtype, to), shape: chunk.shape };
  }

  /** v3 metadata: the configuration as given (plus an evolved `decode_dtype`). */
  toJSON(): CodecMetadata {
    return { name: NAME, configuration: { ...this.#config } };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    const c: V2CodecConfig = { id: "astype", encode_dtype: numpyStr(this.#encode) };
    if (this.#decode) c.decode_dtype = numpyStr(this.#decode);
    return c;
  }
}
