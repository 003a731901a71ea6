/**
 * numcodecs `Categorize` (v3 `numcodecs.categorize`, v2 id `categorize`): an array->array filter
 * storing each string as `1 + its index` in `labels` (`0` for any other value) in the integer
 * type `astype` (default `|u1`). Decoding maps the codes back; unknown codes become `""`. The
 * decoded type is `dtype`: fixed-length unicode (`<U6`, labels truncated to its length as numpy
 * does) or object (`|O`, the variable-length `string` type).
 *
 * @example
 * ```ts
 * import { CategorizeCodec } from "./categorize.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const c = new CategorizeCodec({ labels: ["female", "male"], dtype: "|O" });
 * const spec = { shape: [3], dtype: parseDataType("string"), fillValue: "" };
 * console.log(c.encode({ data: ["male", "female", "x"], shape: [3] }, spec).data);
 * // Uint8Array [2, 1, 0]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../../errors.ts";
import {
  allocate,
  defaultFillValue,
  parseDataType,
  type TypedArray,
} from "../../metadata/dtype.ts";
import { type CodecContext, readConfig, whereSuffix } from "../common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { castArray } from "./numeric.ts";
import { checkInputType, type DtypeOption, dtypeOption, numericData, numpyStr } from "./options.ts";

const NAME = "numcodecs.categorize";
const F8 = parseDataType("float64");

/** Options of {@link CategorizeCodec}. */
export interface CategorizeOptions {
  /** The category labels. */
  labels: string[];
  /** numpy type of the decoded data: `<U..` or `|O`. */
  dtype: string;
  /** numpy integer type of the codes (default `|u1`). */
  astype?: string;
}

/** The Categorize filter. */
export class CategorizeCodec implements ArrayArrayCodec {
  /** Codec kind. */
  readonly kind = "array_to_array" as const;
  /** v3 name. */
  readonly name = NAME;
  /** The labels. */
  readonly labels: readonly string[];
  readonly #dtype: DtypeOption;
  readonly #astype: DtypeOption;
  #config: Record<string, unknown>;
  readonly #index = new Map<string, number>();

  /**
   * A codec from its numcodecs parameters.
   *
   * @example
   * ```ts
   * import { CategorizeCodec } from "./categorize.ts";
   * new CategorizeCodec({ labels: ["a", "b"], dtype: "<U1", astype: "<u2" });
   * ```
   */
  constructor(options: CategorizeOptions, where?: string) {
    const labels = options.labels;
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== "string")) {
      throw new MetadataValidationError(
        `codec '${NAME}': 'labels' must be a list of strings, got ${JSON.stringify(labels)}${
          whereSuffix(where)
        }`,
      );
    }
    this.labels = [...labels];
    this.#dtype = dtypeOption(NAME, "dtype", options.dtype, "text", where);
    this.#astype = dtypeOption(NAME, "astype", options.astype ?? "|u1", "real", where);
    this.#config = { labels: [...labels], dtype: options.dtype };
    if (options.astype !== undefined) this.#config.astype = options.astype;
    labels.forEach((l, i) => this.#index.set(l, i + 1)); // a later duplicate wins, as in numcodecs
  }

  /**
   * Builds the codec from v3 metadata.
   *
   * @example
   * ```ts
   * import { CategorizeCodec } from "./categorize.ts";
   * CategorizeCodec.fromMetadata({ name: "numcodecs.categorize",
   *   configuration: { labels: ["x"], dtype: "<U1", astype: "|u1" } });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): CategorizeCodec {
    const cfg = readConfig(meta, ["labels", "dtype", "astype"], ctx.where);
    const c = new CategorizeCodec(cfg as unknown as CategorizeOptions, ctx.where);
    c.#config = { ...cfg };
    return c;
  }

  /**
   * Builds the codec from a numcodecs config.
   *
   * @example
   * ```ts
   * import { CategorizeCodec } from "./categorize.ts";
   * CategorizeCodec.fromV2({ id: "categorize", labels: ["x"], dtype: "|O", astype: "|u1" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): CategorizeCodec {
    const { id: _id, ...rest } = config;
    return CategorizeCodec.fromMetadata({ name: NAME, configuration: rest }, ctx);
  }

  /** The encoded side has the integer type `astype`. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    checkInputType(NAME, this.#dtype.dtype, spec.dtype);
    const dt = this.#astype.dtype;
    return { shape: spec.shape.slice(), dtype: dt, fillValue: defaultFillValue(dt) };
  }

  /** Strings -> codes (`0` for values not among the labels). */
  encode(chunk: Chunk, _spec: ChunkSpec): Chunk {
    const src = chunk.data;
    if (!Array.isArray(src)) throw new CodecError(`codec '${NAME}' expects string data`);
    const n = src.length;
    const codes = new Float64Array(n);
    for (let i = 0; i < n; i++) codes[i] = this.#index.get(src[i] as string) ?? 0;
    return { data: castArray(codes, F8, this.#astype.dtype), shape: chunk.shape };
  }

  /** Codes -> strings (`""` for unknown codes). */
  decode(chunk: Chunk, _spec: ChunkSpec): Chunk {
    const enc = numericData(chunk) as TypedArray & ArrayLike<number | bigint>;
    const dt = this.#dtype.dtype;
    const labels = dt.kind === "U"
      ? this.labels.map((l) => {
        const cps = [...l];
        return cps.length > dt.length! ? cps.slice(0, dt.length).join("") : l;
      })
      : this.labels;
    const n = enc.length;
    const out = allocate(dt, n) as string[];
    for (let i = 0; i < n; i++) {
      const v = Number(enc[i]);
      if (v >= 1 && v <= labels.length && Number.isInteger(v)) out[i] = labels[v - 1];
    }
    return { data: out, shape: chunk.shape };
  }

  /** v3 metadata: the configuration as given. */
  toJSON(): CodecMetadata {
    return { name: NAME, configuration: { ...this.#config, labels: [...this.labels] } };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    return {
      id: "categorize",
      labels: [...this.labels],
      dtype: numpyStr(this.#dtype),
      astype: numpyStr(this.#astype),
    };
  }
}
