/**
 * numcodecs `PackBits` (v3 `numcodecs.packbits`, v2 id `packbits`): an array->array filter packing
 * a bool chunk of `n` elements into a 1-d uint8 array of `1 + ceil(n / 8)` bytes: a leading byte
 * holding the number of padding bits in the last byte, then the bits, most significant first
 * (`np.packbits`).
 *
 * @example
 * ```ts
 * import { PackBitsCodec } from "./packbits.ts";
 * import { parseDataType } from "../../metadata/dtype.ts";
 * const c = new PackBitsCodec();
 * const spec = { shape: [4], dtype: parseDataType("bool"), fillValue: false };
 * console.log(c.encode({ data: Uint8Array.of(1, 0, 0, 1), shape: [4] }, spec).data);
 * // Uint8Array [4, 144]
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";
import { product } from "../../buffer/ndarray.ts";
import { parseDataType } from "../../metadata/dtype.ts";
import { type CodecContext, readConfig } from "../common.ts";
import type { ArrayArrayCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "../types.ts";
import { numericData } from "./options.ts";

const NAME = "numcodecs.packbits";
const UINT8 = parseDataType("uint8");

/** The PackBits filter. */
export class PackBitsCodec implements ArrayArrayCodec {
  /** Codec kind. */
  readonly kind = "array_to_array" as const;
  /** v3 name. */
  readonly name = NAME;

  /**
   * Builds the codec from v3 metadata (no configuration).
   *
   * @example
   * ```ts
   * import { PackBitsCodec } from "./packbits.ts";
   * PackBitsCodec.fromMetadata({ name: "numcodecs.packbits", configuration: {} });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): PackBitsCodec {
    readConfig(meta, [], ctx.where);
    return new PackBitsCodec();
  }

  /**
   * Builds the codec from the numcodecs config `{"id": "packbits"}`.
   *
   * @example
   * ```ts
   * import { PackBitsCodec } from "./packbits.ts";
   * PackBitsCodec.fromV2({ id: "packbits" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): PackBitsCodec {
    const { id: _id, ...rest } = config;
    return PackBitsCodec.fromMetadata({ name: NAME, configuration: rest }, ctx);
  }

  /** The encoded side is 1-d uint8 of `1 + ceil(n / 8)` elements. */
  resolveSpec(spec: ChunkSpec): ChunkSpec {
    if (spec.dtype.kind !== "bool") {
      throw new Error(`codec '${NAME}' requires the bool data type, got '${spec.dtype.str}'`);
    }
    return { shape: [1 + Math.ceil(product(spec.shape) / 8)], dtype: UINT8, fillValue: 0 };
  }

  /** Packs the bits, most significant first, after the padding count. */
  encode(chunk: Chunk, _spec: ChunkSpec): Chunk {
    const src = numericData(chunk);
    const n = src.length;
    const full = n >> 3;
    const out = new Uint8Array(1 + Math.ceil(n / 8));
    out[0] = (8 - (n & 7)) & 7;
    let i = 0;
    for (let k = 1; k <= full; k++, i += 8) {
      out[k] = (src[i] ? 128 : 0) | (src[i + 1] ? 64 : 0) | (src[i + 2] ? 32 : 0) |
        (src[i + 3] ? 16 : 0) | (src[i + 4] ? 8 : 0) | (src[i + 5] ? 4 : 0) |
        (src[i + 6] ? 2 : 0) | (src[i + 7] ? 1 : 0);
    }
    for (let bit = 128; i < n; i++, bit >>= 1) if (src[i]) out[full + 1] |= bit;
    return { data: out, shape: [out.length] };
  }

  /** Unpacks `n` bools; raises when the padding count or the length does not fit the chunk. */
  decode(chunk: Chunk, spec: ChunkSpec): Chunk {
    const enc = numericData(chunk) as Uint8Array;
    const n = product(spec.shape);
    if (enc.length === 0) throw new CodecError("packbits: empty input (no padding byte)");
    const pad = enc[0];
    if (pad > 7) throw new CodecError(`packbits: invalid padding count ${pad}`);
    const have = (enc.length - 1) * 8 - pad;
    if (have !== n) {
      throw new CodecError(`packbits: the data holds ${have} bits, expected ${n}`);
    }
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (enc[1 + (i >> 3)] >> (7 - (i & 7))) & 1;
    return { data: out, shape: spec.shape.slice() };
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: NAME, configuration: {} };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    return { id: "packbits" };
  }
}
