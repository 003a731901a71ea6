/**
 * numcodecs `Delta` (v3 `numcodecs.delta`, v2 id `delta`): an array->array filter storing the
 * first element and then successive differences, optionally cast to `astype`. Decoding is a
 * cumulative sum in `dtype`, with the wrap-around of numpy's fixed-width arithmetic.
 *
 * @example
 * ```ts
 * import { DeltaCodec } from "./delta.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const c = new DeltaCodec("int32");
 * const spec = { shape: [4], dtype: parseDataType("int32"), fillValue: 0 };
 * const enc = c.encode({ data: new Int32Array([1, 3, 6, 10]), shape: [4] }, spec);
 * console.log(enc.data); // Int32Array [1, 2, 3, 4]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import {
  allocate,
  type DataType,
  defaultFillValue,
  parseNumpyDtype,
  type TypedArray,
} from "../metadata/dtype.ts";
import { type CodecContext, readConfig, whereSuffix } from "./common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "./types.ts";
import { castArray } from "./filters/numeric.ts";
import { checkInputType, dtypeOption, numpyStr } from "./filters/options.ts";

function numericType(s: unknown, what: string, where?: string): { dt: DataType; str: string } {
  if (typeof s !== "string") {
    throw new MetadataValidationError(
      `codec 'numcodecs.delta': ${what} must be a string${whereSuffix(where)}`,
    );
  }
  const dt = parseNumpyDtype(s).dtype;
  if (!["int", "uint", "float"].includes(dt.kind)) {
    throw new MetadataValidationError(
      `codec 'numcodecs.delta': ${what} '${s}' is not an integer or float type${
        whereSuffix(where)
      }`,
    );
  }
  return { dt, str: s };
}

/** The Delta filter. */
export class DeltaCodec implements ArrayArrayCodec {
  readonly kind = "array_to_array" as const;
  readonly name = "numcodecs.delta";
  readonly dtype: DataType;
  readonly astype: DataType;
  readonly #dtypeStr: string;
  readonly #astypeStr: string | undefined;

  constructor(dtype: string, astype?: string, where?: string) {
    const d = numericType(dtype, "dtype", where);
    this.dtype = d.dt;
    this.#dtypeStr = d.str;
    if (astype !== undefined) {
      const a = numericType(astype, "astype", where);
      this.astype = a.dt;
      this.#astypeStr = a.str;
    } else this.astype = d.dt;
  }

  /** Builds the codec from v3 metadata. */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): DeltaCodec {
    const cfg = readConfig(meta, ["dtype", "astype"], ctx.where);
    return new DeltaCodec(cfg.dtype as string, cfg.astype as string | undefined, ctx.where);
  }

  /** Builds the codec from a numcodecs config. */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): DeltaCodec {
    const { id: _id, ...rest } = config;
    return DeltaCodec.fromMetadata({ name: "numcodecs.delta", configuration: rest }, ctx);
  }

  /** The encoded side has type `astype`; the data must have the filter's `dtype`. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    checkInputType(this.name, this.dtype, spec.dtype);
    return { ...spec, dtype: this.astype, fillValue: defaultFillValue(this.astype) };
  }

  encode(chunk: Chunk, _spec: ChunkSpec): Chunk {
    const src = chunk.data as TypedArray;
    const n = src.length;
    const out = allocate(this.astype, n) as TypedArray;
    if (n === 0) return { data: out, shape: chunk.shape };
    const diff = allocate(this.dtype, n) as TypedArray; // differences in dtype arithmetic (wrapping)
    const a = src as unknown as number[];
    const d = diff as unknown as number[];
    d[0] = a[0];
    for (let i = 1; i < n; i++) d[i] = (a[i] as number) - (a[i - 1] as number);
    castArray(diff, this.dtype, this.astype, out);
    return { data: out, shape: chunk.shape };
  }

  decode(chunk: Chunk, _spec: ChunkSpec): Chunk {
    const enc = chunk.data as TypedArray;
    if (!ArrayBuffer.isView(enc)) {
      throw new CodecError(`codec 'numcodecs.delta' expects numeric data`);
    }
    // np.cumsum(enc, out=dec): the sum runs in `dtype` (wrapping, float rounding per step)
    const acc = castArray(enc, this.astype, this.dtype);
    const o = acc as unknown as number[];
    for (let i = 1; i < o.length; i++) o[i] = (o[i] as number) + (o[i - 1] as number);
    return { data: acc, shape: chunk.shape };
  }

  toJSON(): CodecMetadata {
    const configuration: Record<string, unknown> = { dtype: this.#dtypeStr };
    if (this.#astypeStr !== undefined) configuration.astype = this.#astypeStr;
    return { name: this.name, configuration };
  }

  /** numcodecs' `get_config()`: `dtype` and `astype` as numpy `dtype.str`. */
  toV2JSON(): V2CodecConfig {
    const d = dtypeOption(this.name, "dtype", this.#dtypeStr);
    const a = this.#astypeStr === undefined ? d : dtypeOption(this.name, "astype", this.#astypeStr);
    return { id: "delta", dtype: numpyStr(d), astype: numpyStr(a) };
  }
}
