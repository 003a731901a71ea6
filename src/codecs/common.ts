/**
 * Small helpers shared by the codec modules: configuration validation, plain `Uint8Array` views of
 * node `Buffer`s, and the context object that the registry hands to codec factories.
 *
 * @example
 * ```ts
 * import { readConfig } from "./common.ts";
 * const cfg = readConfig({ name: "gzip", configuration: { level: 5 } }, ["level"]);
 * console.log(cfg.level); // 5
 * ```
 * @module
 */
import { CodecError, MetadataValidationError } from "../errors.ts";
import type { DataType } from "../metadata/dtype.ts";
import type { CodecMetadata } from "./types.ts";

/** Suffix for error messages: `" (array 'a/b')"` when `where` is given, else `""`. */
export function whereSuffix(where?: string): string {
  return where === undefined ? "" : ` (array '${where}')`;
}

/**
 * What a codec factory knows when it builds a codec: the array path for messages and, when
 * known, the decoded-side data type and dimensionality at the codec's position in the chain.
 *
 * @example
 * ```ts
 * import type { CodecContext } from "./common.ts";
 * const ctx: CodecContext = { where: "a/b", ndim: 2 };
 * ```
 */
export interface CodecContext {
  /** Array path, used in error messages. */
  where?: string;
  /** Decoded-side data type at this codec's position, when known. */
  dtype?: DataType;
  /** Number of dimensions of the decoded-side chunk at this codec's position, when known. */
  ndim?: number;
  /** Decoded-side chunk shape at this codec's position, when known. */
  shape?: readonly number[];
}

/**
 * Returns the `configuration` of a codec entry after checking that it is an object whose keys are
 * all in `allowed`. Raises {@link MetadataValidationError} naming the codec otherwise.
 *
 * @example
 * ```ts
 * import { readConfig } from "./common.ts";
 * readConfig({ name: "crc32c" }, []); // {}
 * ```
 */
export function readConfig(
  meta: CodecMetadata,
  allowed: readonly string[],
  where?: string,
): Record<string, unknown> {
  const cfg = meta.configuration;
  if (cfg === undefined || cfg === null) return {};
  if (typeof cfg !== "object" || Array.isArray(cfg)) {
    throw new MetadataValidationError(
      `codec '${meta.name}': configuration must be an object, got ${JSON.stringify(cfg)}${
        whereSuffix(where)
      }`,
    );
  }
  for (const k of Object.keys(cfg)) {
    if (!allowed.includes(k)) {
      throw new MetadataValidationError(
        `codec '${meta.name}': unexpected configuration key '${k}'${whereSuffix(where)}`,
      );
    }
  }
  return cfg;
}

/**
 * Checks that `value` is an integer within `[min, max]`; raises {@link MetadataValidationError}
 * naming the codec and the field otherwise.
 *
 * @example
 * ```ts
 * import { checkInt } from "./common.ts";
 * checkInt(5, "gzip", "level", 0, 9); // 5
 * ```
 */
export function checkInt(
  value: unknown,
  codec: string,
  field: string,
  min: number,
  max: number,
  where?: string,
): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new MetadataValidationError(
      `codec '${codec}': '${field}' must be an integer in [${min}, ${max}], got ${
        JSON.stringify(value)
      }${whereSuffix(where)}`,
    );
  }
  return value;
}

/**
 * A plain `Uint8Array` over the same memory as `b` (node's `Buffer` is a subclass whose methods
 * differ, e.g. `slice` does not copy). No copy is made.
 *
 * @example
 * ```ts
 * import { plainBytes } from "./common.ts";
 * const u = plainBytes(new Uint8Array([1, 2]));
 * console.log(u.constructor === Uint8Array); // true
 * ```
 */
export function plainBytes(b: Uint8Array): Uint8Array {
  if (b.constructor === Uint8Array) return b;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The message of an unknown thrown value.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./common.ts";
 * console.log(errorMessage(new Error("boom"))); // boom
 * ```
 */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Options a bytes->bytes decoder accepts from the pipeline. */
export interface BytesDecodeOptions {
  /**
   * Largest decoded size accepted; a stream that would inflate beyond it fails with a
   * `CodecError` (protection against decompression bombs).
   */
  maxOutputLength?: number;
}

/**
 * Turns an error thrown by `node:zlib` into a message-bearing `CodecError`.
 *
 * @example
 * ```ts
 * import { compressionError } from "./common.ts";
 * const e = compressionError("gzip", "decode", new Error("unexpected end of file"));
 * console.log(e.message); // gzip decode failed: unexpected end of file
 * ```
 */
export function compressionError(
  codec: string,
  op: "encode" | "decode",
  e: unknown,
  maxOutputLength?: number,
): CodecError {
  if (e instanceof CodecError) return e;
  const code = (e as { code?: unknown })?.code;
  if (code === "ERR_BUFFER_TOO_LARGE" && maxOutputLength !== undefined) {
    return new CodecError(
      `${codec} ${op} failed: decompressed data exceeds the expected maximum of ${maxOutputLength} bytes`,
      { cause: e },
    );
  }
  return new CodecError(`${codec} ${op} failed: ${errorMessage(e)}`, { cause: e });
}

/** Node's zlib functions reject `maxOutputLength` values outside `[1, buffer.constants.MAX_LENGTH]`. */
export function zlibLimit(max: number | undefined): { maxOutputLength?: number } {
  if (max === undefined || !Number.isFinite(max)) return {};
  return { maxOutputLength: Math.max(1, Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER)) };
}
