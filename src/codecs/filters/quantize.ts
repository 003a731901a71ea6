/**
 * numcodecs `Quantize` (v3 `numcodecs.quantize`, v2 id `quantize`): a lossy array->array filter
 * keeping `digits` decimal digits of floating point data: `around(scale * x) / scale` with `scale
 * = 2 ** bits` the smallest power of two at least `10 ** digits`, computed in numpy's type for
 * the array and that scalar, then cast to `astype`. Decoding only casts back to `dtype`.
 *
 * @example
 * ```ts
 * import { QuantizeCodec } from "./quantize.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const c = new QuantizeCodec({ digits: 1, dtype: "<f8" });
 * const spec = { shape: [2], dtype: parseDataType("float64"), fillValue: 0 };
 * console.log(c.encode({ data: Float64Array.of(0.1111, 0.3333), shape: [2] }, spec).data);
 * // Float64Array [0.125, 0.3125]
 * ```
 * @module
 */
import { MetadataValidationError } from "../../errors.ts";
import { defaultFillValue } from "../../metadata/dtype.ts";
import { type CodecContext, readConfig, whereSuffix } from "../common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { aroundInPlace, castArray, scalarOp } from "./numeric.ts";
import {
  checkInputType,
  type DtypeOption,
  dtypeOption,
  numericData,
  numpyName,
  numpyStr,
} from "./options.ts";

const NAME = "numcodecs.quantize";

/** Options of {@link QuantizeCodec}. */
export interface QuantizeOptions {
  /** Decimal digits to keep. */
  digits: number;
  /** numpy float type of the decoded data; the array's type when left out. */
  dtype?: string;
  /** numpy float type of the encoded data (default: `dtype`). */
  astype?: string;
}

/**
 * The power of two numcodecs' Quantize multiplies by for `digits` decimal digits:
 * `2 ** ceil(log2(10 ** -e))` with `e` the exponent of `10 ** -digits`, rounded away from zero.
 *
 * @example
 * ```ts
 * import { quantizeScale } from "./quantize.ts";
 * console.log(quantizeScale(1), quantizeScale(2), quantizeScale(0)); // 16 128 1
 * ```
 */
export function quantizeScale(digits: number): number {
  const precision = 10 ** -digits;
  const e = Math.log(precision) / Math.LN10;
  const exp = e < 0 ? Math.floor(e) : Math.ceil(e);
  const bits = Math.ceil(Math.log(10 ** -exp) / Math.LN2);
  return 2 ** bits;
}

/** The Quantize filter. */
export class QuantizeCodec implements ArrayArrayCodec {
  /** Codec kind. */
  readonly kind = "array_to_array" as const;
  /** v3 name. */
  readonly name = NAME;
  /** Decimal digits kept. */
  readonly digits: number;
  #dtype?: DtypeOption;
  readonly #astype?: DtypeOption;
  #config: Record<string, unknown>;
  readonly #scale: number;

  /**
   * A codec from its numcodecs parameters.
   *
   * @example
   * ```ts
   * import { QuantizeCodec } from "./quantize.ts";
   * new QuantizeCodec({ digits: 3, dtype: "<f4", astype: "<f2" });
   * ```
   */
  constructor(options: QuantizeOptions, where?: string) {
    const d = options.digits;
    if (typeof d !== "number" || !Number.isInteger(d) || Math.abs(d) > 300) {
      throw new MetadataValidationError(
        `codec '${NAME}': 'digits' must be an integer in [-300, 300], got ${JSON.stringify(d)}${
          whereSuffix(where)
        }`,
      );
    }
    this.digits = d;
    this.#scale = quantizeScale(d);
    this.#config = { digits: d };
    if (options.dtype !== undefined && options.dtype !== null) {
      this.#dtype = dtypeOption(NAME, "dtype", options.dtype, "float", where);
      this.#config.dtype = options.dtype;
    }
    if (options.astype !== undefined && options.astype !== null) {
      this.#astype = dtypeOption(NAME, "astype", options.astype, "float", where);
      this.#config.astype = options.astype;
    }
  }

  /**
   * Builds the codec from v3 metadata; a missing `dtype` is filled in from `ctx.dtype`.
   *
   * @example
   * ```ts
   * import { QuantizeCodec } from "./quantize.ts";
   * QuantizeCodec.fromMetadata({ name: "numcodecs.quantize", configuration: { digits: 2, dtype: "<f8" } });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): QuantizeCodec {
    const cfg = readConfig(meta, ["digits", "dtype", "astype"], ctx.where);
    const c = new QuantizeCodec(cfg as unknown as QuantizeOptions, ctx.where);
    c.#config = { ...cfg };
    if (c.#dtype === undefined && ctx.dtype) {
      const dt = numpyName(ctx.dtype);
      c.#dtype = dtypeOption(NAME, "dtype", dt, "float", ctx.where);
      c.#config.dtype = dt;
    }
    return c;
  }

  /**
   * Builds the codec from a numcodecs config.
   *
   * @example
   * ```ts
   * import { QuantizeCodec } from "./quantize.ts";
   * QuantizeCodec.fromV2({ id: "quantize", digits: 2, dtype: "<f8", astype: "<f8" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): QuantizeCodec {
    const { id: _id, ...rest } = config;
    return QuantizeCodec.fromMetadata({ name: NAME, configuration: rest }, ctx);
  }

  #types(spec: ChunkSpec) {
    const dtype = this.#dtype?.dtype ?? spec.dtype;
    checkInputType(NAME, dtype, spec.dtype);
    if (dtype.kind !== "float") {
      throw new Error(`codec '${NAME}' only supports floating point data, got '${dtype.str}'`);
    }
    return { dtype, astype: this.#astype?.dtype ?? dtype };
  }

  /** The encoded side has type `astype`. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    const { astype } = this.#types(spec);
    return { shape: spec.shape.slice(), dtype: astype, fillValue: defaultFillValue(astype) };
  }

  /** `(around(scale * x) / scale).astype(astype)`. */
  encode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const { dtype, astype } = this.#types(spec);
    const a = scalarOp(numericData(chunk), dtype, this.#scale, "mul", true);
    aroundInPlace(a.data, a.dtype);
    const b = scalarOp(a.data, a.dtype, this.#scale, "div", true);
    return { data: castArray(b.data, b.dtype, astype), shape: chunk.shape };
  }

  /** `y.astype(dtype)` (the filter is lossy; decoding only converts). */
  decode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const { dtype, astype } = this.#types(spec);
    return { data: castArray(numericData(chunk), astype, dtype), shape: chunk.shape };
  }

  /** v3 metadata: the configuration as given (plus an evolved `dtype`). */
  toJSON(): CodecMetadata {
    return { name: NAME, configuration: { ...this.#config } };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    const c: V2CodecConfig = { id: "quantize", digits: this.digits };
    if (this.#dtype) {
      c.dtype = numpyStr(this.#dtype);
      c.astype = numpyStr(this.#astype ?? this.#dtype);
    } else if (this.#astype) c.astype = numpyStr(this.#astype);
    return c;
  }
}
