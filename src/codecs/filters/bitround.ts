/**
 * numcodecs `BitRound` (v3 `numcodecs.bitround`, v2 id `bitround`): a lossy array->array filter
 * keeping `keepbits` bits of the mantissa of float16/32/64 data, rounding half to even on the
 * integer view of the values (integer wrap-around included, as numpy does). Decoding is the
 * identity.
 *
 * @example
 * ```ts
 * import { BitRoundCodec } from "./bitround.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const c = new BitRoundCodec(3);
 * const spec = { shape: [2], dtype: parseDataType("float32"), fillValue: 0 };
 * console.log(c.encode({ data: Float32Array.of(1.1, 2.2), shape: [2] }, spec).data);
 * // Float32Array [1.125, 2.25]
 * ```
 * @module
 */
import { MetadataValidationError } from "../../errors.ts";
import { type CodecContext, readConfig, whereSuffix } from "../common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { numericData } from "./options.ts";

const NAME = "numcodecs.bitround";

/** Mantissa bits of the float types. */
const MAX_BITS: Record<number, number> = { 2: 10, 4: 23, 8: 52 };

/** The BitRound filter. */
export class BitRoundCodec implements ArrayArrayCodec {
  /** Codec kind. */
  readonly kind = "array_to_array" as const;
  /** v3 name. */
  readonly name = NAME;
  /** Mantissa bits kept. */
  readonly keepbits: number;

  /**
   * A codec keeping `keepbits` mantissa bits (0 or more).
   *
   * @example
   * ```ts
   * import { BitRoundCodec } from "./bitround.ts";
   * new BitRoundCodec(10);
   * ```
   */
  constructor(keepbits: number, where?: string) {
    if (typeof keepbits !== "number" || !Number.isInteger(keepbits) || keepbits < 0) {
      throw new MetadataValidationError(
        `codec '${NAME}': 'keepbits' must be an integer >= 0, got ${JSON.stringify(keepbits)}${
          whereSuffix(where)
        }`,
      );
    }
    this.keepbits = keepbits;
  }

  /**
   * Builds the codec from v3 metadata.
   *
   * @example
   * ```ts
   * import { BitRoundCodec } from "./bitround.ts";
   * BitRoundCodec.fromMetadata({ name: "numcodecs.bitround", configuration: { keepbits: 8 } });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): BitRoundCodec {
    const cfg = readConfig(meta, ["keepbits"], ctx.where);
    return new BitRoundCodec(cfg.keepbits as number, ctx.where);
  }

  /**
   * Builds the codec from a numcodecs config.
   *
   * @example
   * ```ts
   * import { BitRoundCodec } from "./bitround.ts";
   * BitRoundCodec.fromV2({ id: "bitround", keepbits: 8 });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): BitRoundCodec {
    const { id: _id, ...rest } = config;
    return BitRoundCodec.fromMetadata({ name: NAME, configuration: rest }, ctx);
  }

  /** The data type is unchanged. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    return spec;
  }

  /** Rounds the mantissas (raises for non-float data or `keepbits` above the mantissa size). */
  encode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const src = numericData(chunk);
    if (spec.dtype.kind !== "float") {
      throw new Error(`only float arrays (16-64 bit) can be bit-rounded, got '${spec.dtype.str}'`);
    }
    const bits = MAX_BITS[spec.dtype.itemsize];
    if (this.keepbits > bits) {
      throw new Error(
        `keepbits ${this.keepbits} too large for '${spec.dtype.str}' (at most ${bits})`,
      );
    }
    const out = src.slice();
    if (this.keepbits === bits) return { data: out, shape: chunk.shape };
    const m = bits - this.keepbits;
    if (spec.dtype.itemsize === 8) roundWords64(new Int32Array(out.buffer), m);
    else {
      const b = spec.dtype.itemsize === 4 ? new Int32Array(out.buffer) : new Int16Array(out.buffer);
      const half = (1 << (m - 1)) - 1;
      const mask = -1 << m;
      for (let i = 0; i < b.length; i++) {
        const x = b[i];
        b[i] = ((x + (((x >> m) & 1) + half)) | 0) & mask;
      }
    }
    return { data: out, shape: chunk.shape };
  }

  /** The identity. */
  decode(chunk: Chunk, _spec: ChunkSpec): Chunk {
    return chunk;
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: NAME, configuration: { keepbits: this.keepbits } };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    return { id: "bitround", keepbits: this.keepbits };
  }
}

/** BitRound on int64 words stored as (lo, hi) int32 pairs (little-endian), `m` in [1, 52]. */
function roundWords64(w: Int32Array, m: number): void {
  const half = 2 ** (m - 1) - 1;
  // the increment for a kept-lsb of 0 and of 1, split in 32-bit halves
  const incLo0 = half % 2 ** 32;
  const incHi0 = Math.floor(half / 2 ** 32);
  const incLo1 = (half + 1) % 2 ** 32;
  const incHi1 = Math.floor((half + 1) / 2 ** 32);
  const loMask = m >= 32 ? 0 : -1 << m;
  const hiMask = m >= 32 ? -1 << (m - 32) : -1;
  for (let i = 0; i < w.length; i += 2) {
    const lo = w[i] >>> 0;
    const hi = w[i + 1];
    const bit = m < 32 ? (lo >>> m) & 1 : (hi >>> (m - 32)) & 1;
    const sum = lo + (bit ? incLo1 : incLo0);
    const carry = sum >= 2 ** 32 ? 1 : 0;
    w[i] = (sum >>> 0) & loMask;
    w[i + 1] = ((hi + (bit ? incHi1 : incHi0) + carry) | 0) & hiMask;
  }
}
