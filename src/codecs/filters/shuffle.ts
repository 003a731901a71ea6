/**
 * numcodecs `Shuffle` (v3 `numcodecs.shuffle`, v2 id `shuffle`): a bytes->bytes byte shuffle
 * that groups byte `j` of every `elementsize`-byte element together (all first bytes, then all
 * second bytes...). In v2 it is written as a filter; the chain puts it after the serializer.
 * numcodecs' default `elementsize` is 4; zarr-python 3 fills in the array's item size instead.
 *
 * @example
 * ```ts
 * import { ShuffleCodec } from "./shuffle.ts";
 * const c = new ShuffleCodec(2);
 * console.log(c.encode(Uint8Array.of(1, 2, 3, 4, 5, 6))); // Uint8Array [1, 3, 5, 2, 4, 6]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../../errors.ts";
import { type CodecContext, readConfig, whereSuffix } from "../common.ts";
import type { BytesBytesCodec, CodecMetadata, V2CodecConfig } from "../types.ts";

const NAME = "numcodecs.shuffle";
/** Elements per block of the (un)shuffle loops. */
const BLOCK = 4096;

/** The Shuffle codec. */
export class ShuffleCodec implements BytesBytesCodec {
  /** Codec kind. */
  readonly kind = "bytes_to_bytes" as const;
  /** v3 name. */
  readonly name = NAME;
  /** Element size in bytes. */
  readonly elementsize: number;

  /**
   * A shuffle of `elementsize`-byte elements (default 4, as numcodecs).
   *
   * @example
   * ```ts
   * import { ShuffleCodec } from "./shuffle.ts";
   * new ShuffleCodec(8).elementsize; // 8
   * ```
   */
  constructor(elementsize = 4, where?: string) {
    if (typeof elementsize !== "number" || !Number.isInteger(elementsize) || elementsize < 0) {
      throw new MetadataValidationError(
        `codec '${NAME}': 'elementsize' must be an integer >= 0, got ${
          JSON.stringify(elementsize)
        }${whereSuffix(where)}`,
      );
    }
    this.elementsize = elementsize;
  }

  /**
   * Builds the codec from v3 metadata; a missing `elementsize` is the item size of `ctx.dtype`
   * (zarr-python's evolution), else 4.
   *
   * @example
   * ```ts
   * import { ShuffleCodec } from "./shuffle.ts";
   * ShuffleCodec.fromMetadata({ name: "numcodecs.shuffle", configuration: { elementsize: 2 } });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): ShuffleCodec {
    const cfg = readConfig(meta, ["elementsize"], ctx.where);
    let size = cfg.elementsize;
    if (size === undefined || size === null) {
      size = ctx.dtype && ctx.dtype.itemsize > 0 ? ctx.dtype.itemsize : 4;
    }
    return new ShuffleCodec(size as number, ctx.where);
  }

  /**
   * Builds the codec from a numcodecs config (`elementsize` defaults to 4).
   *
   * @example
   * ```ts
   * import { ShuffleCodec } from "./shuffle.ts";
   * ShuffleCodec.fromV2({ id: "shuffle", elementsize: 4 }).elementsize; // 4
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): ShuffleCodec {
    const { id: _id, ...rest } = config;
    const cfg = readConfig({ name: NAME, configuration: rest }, ["elementsize"], ctx.where);
    return new ShuffleCodec((cfg.elementsize ?? 4) as number, ctx.where);
  }

  #check(bytes: Uint8Array): void {
    if (this.elementsize > 1 && bytes.length % this.elementsize !== 0) {
      throw new CodecError(
        `shuffle buffer of ${bytes.length} bytes is not a multiple of elementsize ${this.elementsize}`,
      );
    }
  }

  /** Shuffles the bytes. */
  encode(bytes: Uint8Array): Uint8Array {
    this.#check(bytes);
    const e = this.elementsize;
    if (e <= 1) return bytes.slice();
    const count = bytes.length / e;
    const out = new Uint8Array(bytes.length);
    // in blocks of elements, so that the strided side stays in cache
    for (let i0 = 0; i0 < count; i0 += BLOCK) {
      const i1 = Math.min(count, i0 + BLOCK);
      for (let j = 0; j < e; j++) {
        const base = j * count;
        for (let i = i0, k = i0 * e + j; i < i1; i++, k += e) out[base + i] = bytes[k];
      }
    }
    return out;
  }

  /** Unshuffles the bytes. */
  decode(bytes: Uint8Array): Uint8Array {
    this.#check(bytes);
    const e = this.elementsize;
    if (e <= 1) return bytes.slice();
    const count = bytes.length / e;
    const out = new Uint8Array(bytes.length);
    for (let i0 = 0; i0 < count; i0 += BLOCK) {
      const i1 = Math.min(count, i0 + BLOCK);
      for (let j = 0; j < e; j++) {
        const base = j * count;
        for (let i = i0, k = i0 * e + j; i < i1; i++, k += e) out[k] = bytes[base + i];
      }
    }
    return out;
  }

  /** The size is unchanged. */
  encodedSize(decodedSize: number): number {
    return decodedSize;
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    return { name: NAME, configuration: { elementsize: this.elementsize } };
  }

  /** numcodecs' `get_config()`. */
  toV2JSON(): V2CodecConfig {
    return { id: "shuffle", elementsize: this.elementsize };
  }
}
