/**
 * The `bytes` codec (array -> bytes): fixed-size elements laid out in C order with a chosen byte
 * order. Decoding yields the containers of `dtype.ts` (bool `Uint8Array` 0/1, int64
 * `BigInt64Array`, complex interleaved floats, `U<n>` `string[]`, `S<n>`/`V<n>` `Uint8Array[]`).
 *
 * @example
 * ```ts
 * import { BytesCodec } from "./bytes.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const codec = new BytesCodec({ endian: "big" });
 * const spec = { shape: [2], dtype: parseDataType("int16"), fillValue: 0 };
 * const bytes = codec.encode({ data: new Int16Array([1, -2]), shape: [2] }, spec);
 * console.log(bytes); // Uint8Array [0, 1, 255, 254]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import {
  type DataContainer,
  type DataType,
  hasEndianness,
  slotsPerElement,
  type TypedArray,
  typedArrayConstructor,
} from "../metadata/dtype.ts";
import { product } from "../buffer/ndarray.ts";
import { type CodecContext, readConfig, whereSuffix } from "./common.ts";
import type { ArrayBytesCodec, Chunk, ChunkSpec, CodecMetadata } from "./types.ts";

/** Byte order of the `bytes` codec. */
export type Endian = "little" | "big";

/** True when this machine stores typed-array elements little-endian (every current platform). */
export const NATIVE_LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reverses the byte order of every `width`-byte word of `bytes`, in place. Works on whole buffers
 * with 16/32-bit word operations when `bytes` is suitably aligned, and falls back to a byte loop
 * otherwise. `bytes.length` must be a multiple of `width`.
 *
 * @example
 * ```ts
 * import { byteswap } from "./bytes.ts";
 * const b = new Uint8Array([1, 2, 3, 4]);
 * byteswap(b, 4);
 * console.log(b); // Uint8Array [4, 3, 2, 1]
 * ```
 */
export function byteswap(bytes: Uint8Array, width: number): void {
  if (width <= 1) return;
  const n = bytes.length;
  if (n % width !== 0) {
    throw new CodecError(`byteswap: ${n} bytes is not a multiple of the word size ${width}`);
  }
  const off = bytes.byteOffset;
  if (width === 2 && off % 2 === 0) {
    const u = new Uint16Array(bytes.buffer, off, n >>> 1);
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      u[i] = ((x & 0xff) << 8) | (x >>> 8);
    }
    return;
  }
  if ((width === 4 || width === 8) && off % 4 === 0) {
    const u = new Int32Array(bytes.buffer, off, n >>> 2);
    if (width === 4) {
      for (let i = 0; i < u.length; i++) {
        const x = u[i];
        u[i] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
      }
    } else {
      for (let i = 0; i < u.length; i += 2) {
        const a = u[i];
        const b = u[i + 1];
        u[i] = (b << 24) | ((b & 0xff00) << 8) | ((b >>> 8) & 0xff00) | (b >>> 24);
        u[i + 1] = (a << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
      }
    }
    return;
  }
  const half = width >>> 1;
  for (let i = 0; i < n; i += width) {
    for (let j = 0; j < half; j++) {
      const t = bytes[i + j];
      bytes[i + j] = bytes[i + width - 1 - j];
      bytes[i + width - 1 - j] = t;
    }
  }
}

/** Width in bytes of the words whose order the endianness flips (0 when none). */
function wordSize(dt: DataType): number {
  if (!hasEndianness(dt)) return 0;
  if (dt.kind === "complex") return dt.itemsize / 2;
  if (dt.kind === "U") return 4;
  return dt.itemsize;
}

/** Alignment a typed-array view over the decoded bytes needs. */
function alignmentOf(dt: DataType): number {
  const C = typedArrayConstructor(dt);
  return C ? (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
}

/** Options of {@link BytesCodec}. */
export interface BytesCodecOptions {
  /**
   * Byte order; `null` means "none" (the bare `{"name":"bytes"}` form, read as little-endian for
   * types that have a byte order). Default `"little"`.
   */
  endian?: Endian | null;
}

/**
 * The v3 `bytes` codec. `toJSON()` writes `{"name":"bytes","configuration":{"endian":...}}`, or
 * the bare `{"name":"bytes"}` when the codec has no byte order (see {@link BytesCodec.evolve}).
 *
 * Decoding is zero-copy when the bytes are little-endian and aligned: the returned chunk may then
 * share memory with the input bytes. Encoding may likewise return a view of `chunk.data` (the
 * {@link CodecPipeline} copies where that would alias the caller's data).
 *
 * @example
 * ```ts
 * import { BytesCodec } from "./bytes.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const c = new BytesCodec().evolve(parseDataType("uint8"));
 * console.log(JSON.stringify(c.toJSON())); // {"name":"bytes"}
 * ```
 */
export class BytesCodec implements ArrayBytesCodec {
  /** Codec kind. */
  readonly kind = "array_to_bytes" as const;
  /** v3 name. */
  readonly name = "bytes";
  /** Byte order, or null for none. */
  readonly endian: Endian | null;

  /** A codec with the given byte order (default `"little"`). */
  constructor(options: BytesCodecOptions = {}) {
    const e = options.endian === undefined ? "little" : options.endian;
    if (e !== null && e !== "little" && e !== "big") {
      throw new MetadataValidationError(
        `codec 'bytes': endian must be "little" or "big", got ${JSON.stringify(e)}`,
      );
    }
    this.endian = e;
  }

  /**
   * Builds the codec from v3 metadata. With a known `ctx.dtype` the codec is evolved for it
   * (byte order dropped for types without one, `"little"` supplied when missing).
   *
   * @example
   * ```ts
   * import { BytesCodec } from "./bytes.ts";
   * const c = BytesCodec.fromMetadata({ name: "bytes", configuration: { endian: "big" } });
   * console.log(c.endian); // big
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): BytesCodec {
    const cfg = readConfig(meta, ["endian"], ctx.where);
    const e = cfg.endian;
    if (e !== undefined && e !== "little" && e !== "big") {
      throw new MetadataValidationError(
        `codec 'bytes': endian must be "little" or "big", got ${JSON.stringify(e)}${
          whereSuffix(ctx.where)
        }`,
      );
    }
    const codec = new BytesCodec({ endian: (e as Endian | undefined) ?? null });
    if (ctx.dtype) {
      if (ctx.dtype.itemsize === 0) {
        throw new MetadataValidationError(
          `codec 'bytes' cannot encode the variable-length data type '${ctx.dtype.str}'; use ${
            ctx.dtype.kind === "string" ? "'vlen-utf8'" : "'vlen-bytes'"
          }${whereSuffix(ctx.where)}`,
        );
      }
      return codec.evolve(ctx.dtype);
    }
    return codec;
  }

  /**
   * The codec as zarr-python stores it for `dtype`: no byte order for types without one (bool,
   * int8, uint8, S, V), `"little"` when the type has one and none was given.
   *
   * @example
   * ```ts
   * import { BytesCodec } from "./bytes.ts";
   * import { parseDataType } from "../metadata/dtype.ts";
   * console.log(new BytesCodec({ endian: null }).evolve(parseDataType("int32")).endian); // little
   * ```
   */
  evolve(dtype: DataType): BytesCodec {
    const e = hasEndianness(dtype) ? (this.endian ?? "little") : null;
    return e === this.endian ? this : new BytesCodec({ endian: e });
  }

  /** v3 metadata. */
  toJSON(): CodecMetadata {
    if (this.endian === null) return { name: "bytes" };
    return { name: "bytes", configuration: { endian: this.endian } };
  }

  /** Encoded size: `prod(shape) * itemsize` for fixed-size types. */
  encodedSize(spec: ChunkSpec): number | undefined {
    return spec.dtype.itemsize === 0 ? undefined : product(spec.shape) * spec.dtype.itemsize;
  }

  /** Word size to swap for `dt` in this byte order (0 when no swap is needed). */
  private needsSwap(dt: DataType): number {
    const w = wordSize(dt);
    if (w <= 1) return 0;
    const little = this.endian !== "big";
    return little === NATIVE_LITTLE_ENDIAN ? 0 : w;
  }

  /**
   * Bytes -> chunk. Raises {@link CodecError} when the byte count does not match the spec.
   */
  decode(bytes: Uint8Array, spec: ChunkSpec): Chunk {
    const dt = spec.dtype;
    const n = product(spec.shape);
    if (dt.itemsize === 0) {
      throw new CodecError(
        `bytes codec cannot decode the variable-length data type '${dt.str}'`,
      );
    }
    const expected = n * dt.itemsize;
    if (bytes.length !== expected) {
      throw new CodecError(
        `bytes codec: expected ${expected} bytes for shape [${spec.shape}] of ${dt.str}, got ${bytes.length}`,
      );
    }
    const shape = spec.shape.slice();
    const C = typedArrayConstructor(dt);
    const swap = this.needsSwap(dt);
    if (C) {
      const count = n * slotsPerElement(dt);
      let data: TypedArray;
      if (swap === 0 && bytes.byteOffset % alignmentOf(dt) === 0) {
        data = new C(bytes.buffer, bytes.byteOffset, count);
      } else {
        data = new C(count);
        const u8 = new Uint8Array(data.buffer, data.byteOffset, expected);
        u8.set(bytes);
        if (swap) byteswap(u8, swap);
      }
      if (dt.kind === "bool") data = normalizeBool(data as Uint8Array);
      return { data, shape };
    }
    switch (dt.kind) {
      case "U":
        return { data: decodeUtf32(bytes, n, dt.length!, swap !== 0), shape };
      case "S":
        return { data: decodeFixedBytes(bytes, n, dt.itemsize, true), shape };
      case "V":
        return { data: decodeFixedBytes(bytes, n, dt.itemsize, false), shape };
    }
    throw new CodecError(`bytes codec cannot decode data type '${dt.str}'`);
  }

  /** Chunk -> bytes (C order). */
  encode(chunk: Chunk, spec: ChunkSpec): Uint8Array {
    const dt = spec.dtype;
    const n = product(spec.shape);
    if (dt.itemsize === 0) {
      throw new CodecError(
        `bytes codec cannot encode the variable-length data type '${dt.str}'`,
      );
    }
    const data = chunk.data;
    const slots = slotsPerElement(dt);
    if (data.length !== n * slots) {
      throw new CodecError(
        `bytes codec: chunk has ${data.length} values, expected ${
          n * slots
        } for shape [${spec.shape}]`,
      );
    }
    const C = typedArrayConstructor(dt);
    const swap = this.needsSwap(dt);
    if (C) {
      if (!(data instanceof C)) {
        throw new CodecError(
          `bytes codec: expected a ${C.name} for ${dt.str}, got ${
            Object.prototype.toString.call(data)
          }`,
        );
      }
      const ta = data as TypedArray;
      let out = new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength);
      if (dt.kind === "bool") {
        for (let i = 0; i < out.length; i++) {
          if (out[i] > 1) {
            out = out.slice();
            for (let j = i; j < out.length; j++) out[j] = out[j] ? 1 : 0;
            break;
          }
        }
      }
      if (swap) {
        out = out.slice();
        byteswap(out, swap);
      }
      return out;
    }
    switch (dt.kind) {
      case "U":
        return encodeUtf32(data, n, dt.length!, swap !== 0);
      case "S":
      case "V":
        return encodeFixedBytes(data, n, dt.itemsize, dt.kind === "V");
    }
    throw new CodecError(`bytes codec cannot encode data type '${dt.str}'`);
  }
}

/** Maps every nonzero byte to 1 (copying only when some byte is not 0 or 1). */
function normalizeBool(u: Uint8Array): Uint8Array {
  for (let i = 0; i < u.length; i++) {
    if (u[i] > 1) {
      const out = u.slice();
      for (let j = i; j < out.length; j++) out[j] = out[j] ? 1 : 0;
      return out;
    }
  }
  return u;
}

const MAX_ARGS = 8192;
const utf16 = new TextDecoder("utf-16le");

function decodeUtf32(bytes: Uint8Array, n: number, length: number, swap: boolean): string[] {
  let words: Uint32Array;
  if (!swap && bytes.byteOffset % 4 === 0) {
    words = new Uint32Array(bytes.buffer, bytes.byteOffset, n * length);
  } else {
    words = new Uint32Array(n * length);
    const u8 = new Uint8Array(words.buffer);
    u8.set(bytes);
    if (swap) byteswap(u8, 4);
  }
  // Fast path: transcode the whole chunk to UTF-16 once, decode it with one TextDecoder call and
  // cut the items out with substring. Lone surrogates (which TextDecoder would replace) fall back
  // to the per-item path below.
  const units = new Uint16Array(2 * n * length);
  const ends = new Uint32Array(n);
  let u = 0;
  let simple = true;
  outer: for (let i = 0; i < n; i++) {
    const start = i * length;
    let end = start + length;
    while (end > start && words[end - 1] === 0) end--;
    for (let k = start; k < end; k++) {
      const c = words[k];
      if (c < 0xd800) units[u++] = c;
      else if (c < 0xe000 || c > 0x10ffff) {
        simple = false;
        break outer;
      } else if (c < 0x10000) units[u++] = c;
      else {
        const v = c - 0x10000;
        units[u++] = 0xd800 | (v >>> 10);
        units[u++] = 0xdc00 | (v & 0x3ff);
      }
    }
    ends[i] = u;
  }
  const out = new Array<string>(n);
  if (simple) {
    const all = utf16.decode(units.subarray(0, u));
    let prev = 0;
    for (let i = 0; i < n; i++) {
      out[i] = all.substring(prev, ends[i]);
      prev = ends[i];
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const start = i * length;
    let end = start + length;
    while (end > start && words[end - 1] === 0) end--;
    for (let k = start; k < end; k++) {
      const c = words[k];
      if (c > 0x10ffff) {
        throw new CodecError(
          `bytes codec: invalid UTF-32 code point 0x${c.toString(16)} in element ${i}`,
        );
      }
    }
    let s = "";
    for (let k = start; k < end; k += MAX_ARGS) {
      const sub = words.subarray(k, Math.min(end, k + MAX_ARGS)) as unknown as number[];
      s += String.fromCodePoint.apply(null, sub);
    }
    out[i] = s;
  }
  return out;
}

function encodeUtf32(data: DataContainer, n: number, length: number, swap: boolean): Uint8Array {
  const words = new Uint32Array(n * length);
  for (let i = 0; i < n; i++) {
    const s = (data as unknown[])[i];
    if (typeof s !== "string") {
      throw new CodecError(
        `bytes codec: expected a string for element ${i} of a U${length} chunk, got ${typeof s}`,
      );
    }
    let w = i * length;
    const end = w + length;
    // numpy truncates strings longer than the type's length.
    for (let k = 0; k < s.length && w < end; k++) {
      let c = s.charCodeAt(k);
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
        const d = s.charCodeAt(k + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          k++;
        }
      }
      words[w++] = c;
    }
  }
  const out = new Uint8Array(words.buffer);
  if (swap) byteswap(out, 4);
  return out;
}

function decodeFixedBytes(
  bytes: Uint8Array,
  n: number,
  size: number,
  stripNul: boolean,
): Uint8Array[] {
  const out = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) {
    const start = i * size;
    let end = start + size;
    if (stripNul) { while (end > start && bytes[end - 1] === 0) end--; }
    out[i] = bytes.slice(start, end);
  }
  return out;
}

function encodeFixedBytes(data: DataContainer, n: number, size: number, exact: boolean) {
  const out = new Uint8Array(n * size);
  for (let i = 0; i < n; i++) {
    const b = (data as unknown[])[i];
    if (!(b instanceof Uint8Array)) {
      throw new CodecError(
        `bytes codec: expected a Uint8Array for element ${i}, got ${
          Object.prototype.toString.call(b)
        }`,
      );
    }
    if (exact && b.length > size) {
      throw new CodecError(
        `bytes codec: element ${i} has ${b.length} bytes, more than the ${size} of V${size}`,
      );
    }
    // numpy truncates S values longer than the type's length; shorter values are NUL-padded.
    out.set(b.length > size ? b.subarray(0, size) : b, i * size);
  }
  return out;
}
