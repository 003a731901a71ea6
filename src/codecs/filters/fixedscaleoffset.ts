/**
 * numcodecs `FixedScaleOffset` (v3 `numcodecs.fixedscaleoffset`, v2 id `fixedscaleoffset`): an
 * array->array filter storing `around((x - offset) * scale)` cast to `astype`, and decoding
 * `y / scale + offset` cast back to `dtype`, with numpy 1.24's types and rounding at every step
 * (see `numeric.ts`).
 *
 * @example
 * ```ts
 * import { FixedScaleOffsetCodec } from "./fixedscaleoffset.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const c = new FixedScaleOffsetCodec({ offset: 1000, scale: 10, dtype: "<f8", astype: "u1" });
 * const spec = { shape: [3], dtype: parseDataType("float64"), fillValue: 0 };
 * const enc = c.encode({ data: Float64Array.of(1000, 1000.25, 1000.35), shape: [3] }, spec);
 * console.log(enc.data); // Uint8Array [0, 2, 4]
 * ```
 * @module
 */
import { type DataType, defaultFillValue } from "../../metadata/dtype.ts";
import { type CodecContext, readConfig } from "../common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { aroundInPlace, castArray, type PyScalar, scalarOp } from "./numeric.ts";
import {
  checkInputType,
  type DtypeOption,
  dtypeOption,
  numericData,
  numpyName,
  numpyStr,
  scalarOption,
} from "./options.ts";

const NAME = "numcodecs.fixedscaleoffset";

/** Options of {@link FixedScaleOffsetCodec}. */
export interface FixedScaleOffsetOptions {
  /** Value subtracted from the data. */
  offset: number | bigint;
  /** Value the data is multiplied by. */
  scale: number | bigint;
  /** numpy type of the decoded data; the array's type when left out (zarr-python's evolution). */
  dtype?: string;
  /** numpy type of the encoded data (default: `dtype`). */
  astype?: string;
}

/** The FixedScaleOffset filter. */
export class FixedScaleOffsetCodec implements ArrayArrayCodec {
  /** Codec kind. */
  readonly kind = "array_to_array" as const;
  /** v3 name. */
  readonly name = NAME;
  /** Value subtracted from the data. */
  readonly offset: PyScalar;
  /** Value the data is multiplied by. */
  readonly scale: PyScalar;
  #dtype?: DtypeOption;
  readonly #astype?: DtypeOption;
  #config: Record<string, unknown>;

  /**
   * A codec from its numcodecs parameters.
   *
   * @example
   * ```ts
   * import { FixedScaleOffsetCodec } from "./fixedscaleoffset.ts";
   * new FixedScaleOffsetCodec({ offset: 0, scale: 100, dtype: "<f4", astype: "<i2" });
   * ```
   */
  constructor(options: FixedScaleOffsetOptions, where?: string) {
    this.offset = scalarOption(NAME, "offset", options.offset, where);
    this.scale = scalarOption(NAME, "scale", options.scale, where);
    const cfg: Record<string, unknown> = { offset: options.offset, scale: options.scale };
    if (options.dtype !== undefined && options.dtype !== null) {
      this.#dtype = dtypeOption(NAME, "dtype", options.dtype, "real", where);
      cfg.dtype = options.dtype;
    }
    if (options.astype !== undefined && options.astype !== null) {
      this.#astype = dtypeOption(NAME, "astype", options.astype, "real", where);
      cfg.astype = options.astype;
    }
    this.#config = cfg;
  }

  /**
   * Builds the codec from v3 metadata; a missing `dtype` is filled in from `ctx.dtype` as
   * zarr-python does.
   *
   * @example
   * ```ts
   * import { FixedScaleOffsetCodec } from "./fixedscaleoffset.ts";
   * FixedScaleOffsetCodec.fromMetadata({ name: "numcodecs.fixedscaleoffset",
   *   configuration: { offset: 0, scale: 10, dtype: "<f8", astype: "<i4" } });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): FixedScaleOffsetCodec {
    const cfg = readConfig(meta, ["offset", "scale", "dtype", "astype"], ctx.where);
    const c = new FixedScaleOffsetCodec(cfg as unknown as FixedScaleOffsetOptions, ctx.where);
    c.#config = { ...cfg };
    if (c.#dtype === undefined && ctx.dtype) {
      const dt = numpyName(ctx.dtype);
      c.#dtype = dtypeOption(NAME, "dtype", dt, "real", ctx.where);
      c.#config.dtype = dt;
    }
    return c;
  }

  /**
   * Builds the codec from a numcodecs config.
   *
   * @example
   * ```ts
   * import { FixedScaleOffsetCodec } from "./fixedscaleoffset.ts";
   * FixedScaleOffsetCodec.fromV2({ id: "fixedscaleoffset", offset: 0, scale: 10, dtype: "<f8" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): FixedScaleOffsetCodec {
    const { id: _id, ...rest } = config;
    return FixedScaleOffsetCodec.fromMetadata({ name: NAME, configuration: rest }, ctx);
  }

  #types(spec: ChunkSpec): { dtype: DataType; astype: DataType } {
    const dtype = this.#dtype?.dtype ?? spec.dtype;
    checkInputType(NAME, dtype, spec.dtype);
    if (!["bool", "int", "uint", "float"].includes(dtype.kind)) {
      throw new Error(`codec '${NAME}' cannot code the data type '${dtype.str}'`);
    }
    return { dtype, astype: this.#astype?.dtype ?? dtype };
  }

  /** The encoded side has type `astype`. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    const { astype } = this.#types(spec);
    return { shape: spec.shape.slice(), dtype: astype, fillValue: defaultFillValue(astype) };
  }

  /** `around((x - offset) * scale).astype(astype)`. */
  encode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const { dtype, astype } = this.#types(spec);
    const a = scalarOp(numericData(chunk), dtype, this.offset, "sub");
    const b = scalarOp(a.data, a.dtype, this.scale, "mul");
    aroundInPlace(b.data, b.dtype);
    return { data: castArray(b.data, b.dtype, astype), shape: chunk.shape };
  }

  /** `(y / scale + offset).astype(dtype)`. */
  decode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const { dtype, astype } = this.#types(spec);
    const a = scalarOp(numericData(chunk), astype, this.scale, "div");
    const b = scalarOp(a.data, a.dtype, this.offset, "add");
    return { data: castArray(b.data, b.dtype, dtype), shape: chunk.shape };
  }

  /** v3 metadata: the configuration as given (plus an evolved `dtype`). */
  toJSON(): CodecMetadata {
    return { name: NAME, configuration: { ...this.#config } };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    const c: V2CodecConfig = { id: "fixedscaleoffset", scale: this.scale, offset: this.offset };
    if (this.#dtype) {
      c.dtype = numpyStr(this.#dtype);
      c.astype = numpyStr(this.#astype ?? this.#dtype);
    } else if (this.#astype) c.astype = numpyStr(this.#astype);
    return c;
  }
}
