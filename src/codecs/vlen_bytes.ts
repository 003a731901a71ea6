/**
 * The `vlen-bytes` codec (array -> bytes) in numcodecs' `VLenBytes` wire format: a little-endian
 * uint32 item count, then for each item a little-endian uint32 length and the bytes. Also the
 * shared, validating reader of that format ({@link scanVlen}).
 *
 * @example
 * ```ts
 * import { VLenBytesCodec } from "./vlen_bytes.ts";
 * import { parseDataType } from "../metadata/dtype.ts";
 * const spec = { shape: [2], dtype: parseDataType("variable_length_bytes"), fillValue: new Uint8Array() };
 * const c = new VLenBytesCodec();
 * const wire = c.encode({ data: [new Uint8Array([1]), new Uint8Array([2, 3])], shape: [2] }, spec);
 * console.log(wire.length); // 4 + (4 + 1) + (4 + 2) = 15
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import { product } from "../buffer/ndarray.ts";
import { type CodecContext, readConfig, whereSuffix } from "./common.ts";
import type { ArrayBytesCodec, Chunk, ChunkSpec, CodecMetadata, V2CodecConfig } from "./types.ts";

/**
 * Validates a numcodecs VLen buffer holding `expected` items and returns `[start, end)` byte
 * offsets of every item, interleaved (`out[2i]`, `out[2i+1]`). Raises {@link CodecError} on a
 * wrong count, a truncated buffer or a length running past the end, before allocating anything
 * proportional to the (untrusted) header. Bytes after the last item are ignored, as numcodecs does.
 *
 * @example
 * ```ts
 * import { scanVlen } from "./vlen_bytes.ts";
 * const wire = new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0, 104, 105]);
 * console.log(scanVlen(wire, 1, "vlen-bytes")); // Uint32Array [8, 10]
 * ```
 */
export function scanVlen(bytes: Uint8Array, expected: number, codec: string): Uint32Array {
  const len = bytes.length;
  if (len < 4) {
    throw new CodecError(`${codec}: buffer of ${len} bytes is too short for the item-count header`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  const count = dv.getUint32(0, true);
  if (count !== expected) {
    throw new CodecError(
      `${codec}: the buffer holds ${count} items but the chunk has ${expected} elements`,
    );
  }
  if (count > (len - 4) / 4) {
    throw new CodecError(
      `${codec}: corrupt buffer: ${count} items cannot fit in ${len} bytes`,
    );
  }
  const out = new Uint32Array(2 * count);
  let pos = 4;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > len) {
      throw new CodecError(`${codec}: corrupt buffer, data seem truncated (item ${i})`);
    }
    const n = dv.getUint32(pos, true);
    pos += 4;
    if (n > len - pos) {
      throw new CodecError(
        `${codec}: corrupt buffer: item ${i} declares ${n} bytes but only ${len - pos} remain`,
      );
    }
    out[2 * i] = pos;
    pos += n;
    out[2 * i + 1] = pos;
  }
  return out;
}

/**
 * Writes the numcodecs VLen wire format for `items` (each a `Uint8Array`).
 *
 * @example
 * ```ts
 * import { writeVlen } from "./vlen_bytes.ts";
 * console.log(writeVlen([new Uint8Array([7])])); // Uint8Array [1, 0, 0, 0, 1, 0, 0, 0, 7]
 * ```
 */
export function writeVlen(items: readonly Uint8Array[]): Uint8Array {
  let total = 4 + 4 * items.length;
  for (const b of items) total += b.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, items.length, true);
  let pos = 4;
  for (const b of items) {
    dv.setUint32(pos, b.length, true);
    pos += 4;
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

/**
 * Checks that a vlen codec has no configuration (an empty `{}` is accepted, as written by
 * zarr-python).
 */
export function readEmptyConfig(meta: CodecMetadata, ctx: CodecContext): void {
  readConfig(meta, [], ctx.where);
}

/**
 * The `vlen-bytes` codec for the `variable_length_bytes` data type (`Uint8Array[]` chunks).
 * `toJSON()` gives `{"name":"vlen-bytes","configuration":{}}` as zarr-python 3 writes it;
 * `toV2JSON()` gives `{"id":"vlen-bytes"}`.
 *
 * Decoded items are views into one private copy of the input.
 *
 * @example
 * ```ts
 * import { VLenBytesCodec } from "./vlen_bytes.ts";
 * console.log(JSON.stringify(new VLenBytesCodec().toV2JSON())); // {"id":"vlen-bytes"}
 * ```
 */
export class VLenBytesCodec implements ArrayBytesCodec {
  /** Codec kind. */
  readonly kind = "array_to_bytes" as const;
  /** v3 name. */
  readonly name = "vlen-bytes";

  /**
   * Builds the codec from v3 metadata; with a known `ctx.dtype` checks that it is
   * `variable_length_bytes`.
   *
   * @example
   * ```ts
   * import { VLenBytesCodec } from "./vlen_bytes.ts";
   * VLenBytesCodec.fromMetadata({ name: "vlen-bytes", configuration: {} });
   * ```
   */
  static fromMetadata(meta: CodecMetadata, ctx: CodecContext = {}): VLenBytesCodec {
    readEmptyConfig(meta, ctx);
    if (ctx.dtype && ctx.dtype.kind !== "vbytes") {
      throw new MetadataValidationError(
        `codec 'vlen-bytes' requires the variable_length_bytes data type, got '${ctx.dtype.str}'${
          whereSuffix(ctx.where)
        }`,
      );
    }
    return new VLenBytesCodec();
  }

  /**
   * Builds the codec from the v2 numcodecs config `{"id":"vlen-bytes"}`.
   *
   * @example
   * ```ts
   * import { VLenBytesCodec } from "./vlen_bytes.ts";
   * VLenBytesCodec.fromV2({ id: "vlen-bytes" });
   * ```
   */
  static fromV2(config: V2CodecConfig, ctx: CodecContext = {}): VLenBytesCodec {
    const { id: _id, ...rest } = config;
    return VLenBytesCodec.fromMetadata({ name: "vlen-bytes", configuration: rest }, ctx);
  }

  /** Wire bytes -> `Uint8Array[]` of `prod(spec.shape)` items. */
  decode(bytes: Uint8Array, spec: ChunkSpec): Chunk {
    const n = product(spec.shape);
    const offsets = scanVlen(bytes, n, this.name);
    const copy = bytes.slice();
    const out = new Array<Uint8Array>(n);
    for (let i = 0; i < n; i++) out[i] = copy.subarray(offsets[2 * i], offsets[2 * i + 1]);
    return { data: out, shape: spec.shape.slice() };
  }

  /** `Uint8Array[]` -> wire bytes (`null`/`undefined` items are written empty, as numcodecs does). */
  encode(chunk: Chunk, spec: ChunkSpec): Uint8Array {
    const n = product(spec.shape);
    const data = chunk.data as unknown[];
    if (!Array.isArray(data) || data.length !== n) {
      throw new CodecError(
        `vlen-bytes: expected an array of ${n} byte strings, got ${
          Array.isArray(data) ? `${data.length} items` : Object.prototype.toString.call(data)
        }`,
      );
    }
    const items = new Array<Uint8Array>(n);
    const empty = new Uint8Array(0);
    for (let i = 0; i < n; i++) {
      const b = data[i];
      if (b === null || b === undefined) items[i] = empty;
      else if (b instanceof Uint8Array) items[i] = b;
      else {
        throw new CodecError(
          `vlen-bytes: expected a Uint8Array for element ${i}, got ${
            Object.prototype.toString.call(b)
          }`,
        );
      }
    }
    return writeVlen(items);
  }

  /** v3 metadata, as zarr-python 3 writes it. */
  toJSON(): CodecMetadata {
    return { name: "vlen-bytes", configuration: {} };
  }

  /** v2 numcodecs config. */
  toV2JSON(): V2CodecConfig {
    return { id: "vlen-bytes" };
  }
}
