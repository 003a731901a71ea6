/**
 * The `vlen-utf8` codec (array -> bytes) for the `string` data type, in numcodecs' `VLenUTF8`
 * wire format: a little-endian uint32 item count, then for each item a little-endian uint32 byte
 * length and the UTF-8 bytes.
 *
 * @example
 * ```ts
 * import { VLenUTF8Codec } from "./vlen_utf8.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const spec = { shape: [2], dtype: parseDataType("string"), fillValue: "" };
 * const wire = new VLenUTF8Codec().encode({ data: ["a", "bc"], shape: [2] }, spec);
 * console.log(wire); // Uint8Array [2,0,0,0, 1,0,0,0, 97, 2,0,0,0, 98,99]
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import { product } from "../buffer/ndarray.ts";
import { type CodecContext, whereSuffix } from "./common.ts";
import { readEmptyConfig, scanVlen } from "./vlen_bytes.ts";
import type { ArrayBytesCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "./types.ts";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();
/** Single-byte decoder (windows-1252), used only on pure-ASCII ranges. */
const latin1 = new TextDecoder("latin1");
/** Items up to this many bytes try the ASCII fast paths. */
const SHORT = 64;

/**
 * The `vlen-utf8` codec. `toJSON()` gives `{"name":"vlen-utf8","configuration":{}}` as
 * zarr-python 3 writes it; `toV2JSON()` gives `{"id":"vlen-utf8"}`. Invalid UTF-8 raises
 * {@link CodecError} on decode (numcodecs decodes strictly too).
 *
 * @example
 * ```ts
 * import { VLenUTF8Codec } from "./vlen_utf8.ts";
 * console.log(JSON.stringify(new VLenUTF8Codec().toV2JSON())); // {"id":"vlen-utf8"}
 * ```
 */
export class VLenUTF8Codec implements ArrayBytesCodec {
  /** Codec kind. */
  readonly kind = "array_to_bytes" as const;
  /** v3 name. */
  readonly name = "vlen-utf8";

  /**
   * Builds the codec from v3 metadata; with a known `ctx.dtype` checks that it is `string`.
   *
   * @example
   * ```ts
   * import { VLenUTF8Codec } from "./vlen_utf8.ts";
   * VLenUTF8Codec.fromMetadata({ name: "vlen-utf8" });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): VLenUTF8Codec {
    readEmptyConfig(meta, ctx);
    if (ctx.dtype && ctx.dtype.kind !== "string") {
      throw new MetadataValidationError(
        `codec 'vlen-utf8' requires the string data type, got '${ctx.dtype.str}'${
          whereSuffix(ctx.where)
        }`,
      );
    }
    return new VLenUTF8Codec();
  }

  /**
   * Builds the codec from the v2 numcodecs config `{"id":"vlen-utf8"}`.
   *
   * @example
   * ```ts
   * import { VLenUTF8Codec } from "./vlen_utf8.ts";
   * VLenUTF8Codec.fromV2({ id: "vlen-utf8" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): VLenUTF8Codec {
    const { id: _id, ...rest } = config;
    return VLenUTF8Codec.fromMetadata({ name: "vlen-utf8", configuration: rest }, ctx);
  }

  /** Wire bytes -> `string[]` of `prod(spec.shape)` items. */
  decode(bytes: Uint8Array, spec: ChunkSpec): Chunk {
    const n = product(spec.shape);
    const offsets = scanVlen(bytes, n, this.name);
    const out = new Array<string>(n);
    // ASCII items are cut out of one whole-buffer single-byte decode (identical to UTF-8 for
    // bytes < 0x80); the others go through the strict UTF-8 decoder.
    let all: string | undefined;
    for (let i = 0; i < n; i++) {
      const a = offsets[2 * i];
      const b = offsets[2 * i + 1];
      if (a === b) {
        out[i] = "";
        continue;
      }
      let ascii = true;
      for (let k = a; k < b; k++) {
        if (bytes[k] > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        if (b - a <= SHORT && n < 4) {
          out[i] = String.fromCharCode.apply(null, bytes.subarray(a, b) as unknown as number[]);
        } else {
          all ??= latin1.decode(bytes);
          out[i] = all.substring(a, b);
        }
        continue;
      }
      try {
        out[i] = decoder.decode(bytes.subarray(a, b));
      } catch {
        throw new CodecError(`vlen-utf8: item ${i} is not valid UTF-8`);
      }
    }
    return { data: out, shape: spec.shape.slice() };
  }

  /**
   * `string[]` -> wire bytes (`null`/`undefined` items are written as empty strings, as numcodecs
   * does).
   */
  encode(chunk: Chunk, spec: ChunkSpec): Uint8Array {
    const n = product(spec.shape);
    const data = chunk.data as unknown[];
    if (!Array.isArray(data) || data.length !== n) {
      throw new CodecError(
        `vlen-utf8: expected an array of ${n} strings, got ${
          Array.isArray(data) ? `${data.length} items` : Object.prototype.toString.call(data)
        }`,
      );
    }
    let cap = 4 + 4 * n;
    for (let i = 0; i < n; i++) {
      const s = data[i];
      if (typeof s === "string") cap += s.length;
    }
    let out = new Uint8Array(cap);
    const grow = (need: number) => {
      if (need <= out.length) return;
      const next = new Uint8Array(Math.max(need, out.length * 2));
      next.set(out);
      out = next;
    };
    const writeU32 = (pos: number, v: number) => {
      out[pos] = v & 0xff;
      out[pos + 1] = (v >>> 8) & 0xff;
      out[pos + 2] = (v >>> 16) & 0xff;
      out[pos + 3] = v >>> 24;
    };
    let pos = 4;
    for (let i = 0; i < n; i++) {
      let s = data[i];
      if (s === null || s === undefined) s = "";
      if (typeof s !== "string") {
        throw new CodecError(`vlen-utf8: expected a string for element ${i}, got ${typeof s}`);
      }
      const L = s.length;
      grow(pos + 4 + L);
      const start = pos + 4;
      let j = 0;
      if (L <= SHORT) {
        for (; j < L; j++) {
          const c = s.charCodeAt(j);
          if (c > 0x7f) break;
          out[start + j] = c;
        }
      }
      let written: number;
      if (j === L && L <= SHORT) {
        written = L;
      } else {
        grow(start + 3 * L);
        written = encoder.encodeInto(s, out.subarray(start)).written;
      }
      writeU32(pos, written);
      pos = start + written;
    }
    writeU32(0, n);
    return out.subarray(0, pos);
  }

  /** v3 metadata, as zarr-python 3 writes it. */
  toJSON(): CodecMetadata {
    return { name: "vlen-utf8", configuration: {} };
  }

  /** v2 numcodecs config. */
  toV2JSON(): V2CodecConfig {
    return { id: "vlen-utf8" };
  }
}
