/**
 * The codec registry: v3 codec names and v2 numcodecs ids -> codec factories. This module holds
 * only the tables; the built-in codecs are registered by `builtins.ts` (imported by the pipeline
 * and `mod.ts`), and user modules plug in with {@link registerCodec} and {@link registerV2Codec}.
 *
 * Codecs that need an inner pipeline (sharding) receive a `buildPipeline` function in their
 * {@link FactoryContext}, so no codec module needs to import the pipeline module.
 *
 * @example
 * ```ts
 * import "./builtins.ts";
 * import { codecFromMetadata, codecFromV2 } from "./registry.ts";
 * const gz = codecFromMetadata({ name: "gzip", configuration: { level: 5 } });
 * const zl = codecFromV2({ id: "zlib", level: 1 });
 * console.log(gz.name, zl.name); // gzip numcodecs.zlib
 * ```
 * @module
 */
import { MetadataValidationError, UnknownCodecError, ZarrError } from "../errors.ts";
import { type CodecContext, errorMessage, whereSuffix } from "./common.ts";
import type { Chunk, ChunkSpec, Codec, CodecMetadata, V2CodecConfig } from "./types.ts";

/** What codecs that nest a pipeline (sharding) get back from {@link FactoryContext.buildPipeline}. */
export interface InnerPipeline {
  /** Decodes one encoded chunk. */
  decode(bytes: Uint8Array, spec: ChunkSpec, key?: string): Promise<Chunk>;
  /** Encodes one chunk. */
  encode(chunk: Chunk, spec: ChunkSpec, key?: string): Promise<Uint8Array>;
  /** Encoded size when fixed for the spec. */
  encodedSize(spec: ChunkSpec): number | undefined;
  /** v3 metadata of the chain. */
  toJSON(): CodecMetadata[];
}

/** The context handed to codec factories. */
export interface FactoryContext extends CodecContext {
  /**
   * Builds a nested codec pipeline (available when the codec is built through `buildPipeline`).
   * `ctx.dtype` / the chunk shape of the inner chunks are the caller's business.
   */
  buildPipeline?: (
    codecs: readonly (CodecMetadata | string)[],
    where?: string,
    options?: { dtype?: CodecContext["dtype"]; shape?: number[] },
  ) => InnerPipeline;
}

/** Builds a codec from its v3 metadata entry. */
export type CodecFactory = (meta: CodecMetadata, ctx: FactoryContext) => Codec;
/** Builds a codec from a v2 numcodecs config. */
export type V2CodecFactory = (config: V2CodecConfig, ctx: FactoryContext) => Codec;

/** A codec that also has a v2 (numcodecs) form. */
export interface V2Serializable {
  /** The numcodecs config, exactly as numcodecs / zarr-python write it. */
  toV2JSON(): V2CodecConfig;
}

const v3Registry = new Map<string, CodecFactory>();
const v2Registry = new Map<string, V2CodecFactory>();

/**
 * Registers (or replaces) the factory for a v3 codec name.
 *
 * @example
 * ```ts
 * import { registerCodec } from "./registry.ts";
 * registerCodec("identity", () => ({
 *   kind: "bytes_to_bytes", name: "identity",
 *   encode: (b: Uint8Array) => b, decode: (b: Uint8Array) => b, toJSON: () => ({ name: "identity" }),
 * }));
 * ```
 */
export function registerCodec(name: string, factory: CodecFactory): void {
  v3Registry.set(name, factory);
}

/**
 * Registers (or replaces) the factory for a v2 numcodecs id. Without one, {@link codecFromV2}
 * falls back to the v3 factory of `"numcodecs.<id>"` with the other keys as configuration.
 *
 * @example
 * ```ts
 * import { registerV2Codec } from "./registry.ts";
 *  * registerV2Codec("gzip", (cfg, ctx) => GzipCodec.fromV2(cfg, ctx));
 * ```
 */
export function registerV2Codec(id: string, factory: V2CodecFactory): void {
  v2Registry.set(id, factory);
}

/**
 * The registered v3 codec names, sorted.
 *
 * @example
 * ```ts
 * import { registeredCodecs } from "./registry.ts";
 * console.log(registeredCodecs().includes("zstd")); // true
 * ```
 */
export function registeredCodecs(): string[] {
  return [...v3Registry.keys()].sort();
}

/**
 * True when a codec has a v2 (numcodecs) form.
 *
 * @example
 * ```ts
 * import { hasV2Form } from "./registry.ts";
 *  * console.log(hasV2Form(new GzipCodec())); // true
 * ```
 */
export function hasV2Form(codec: Codec): codec is Codec & V2Serializable {
  return typeof (codec as Partial<V2Serializable>).toV2JSON === "function";
}

function normalizeEntry(meta: unknown, where?: string): CodecMetadata {
  if (typeof meta === "string") return { name: meta };
  if (
    meta === null || typeof meta !== "object" || Array.isArray(meta) ||
    typeof (meta as { name?: unknown }).name !== "string"
  ) {
    throw new MetadataValidationError(
      `invalid codec entry ${JSON.stringify(meta)}: expected an object with a string 'name'${
        whereSuffix(where)
      }`,
    );
  }
  const m = meta as CodecMetadata;
  if ("must_understand" in m) {
    // must_understand is allowed on any codec entry; it is not part of the configuration.
    const { must_understand: mu, ...rest } = m;
    if (typeof mu !== "boolean") {
      throw new MetadataValidationError(
        `codec '${m.name}': must_understand must be a boolean${whereSuffix(where)}`,
      );
    }
    return rest as CodecMetadata;
  }
  return m;
}

function build<T>(name: string, where: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ZarrError) throw e;
    throw new MetadataValidationError(
      `codec '${name}': invalid metadata: ${errorMessage(e)}${whereSuffix(where)}`,
      { cause: e },
    );
  }
}

/**
 * Builds a codec from a v3 `codecs` entry (`{name, configuration?, must_understand?}` or a bare
 * name string). Unknown names raise {@link UnknownCodecError} naming the codec and `where` (the
 * array path) — even with `must_understand: false`, since an array's chunks cannot be decoded
 * without their codecs. Bad configurations raise {@link MetadataValidationError}.
 *
 * @example
 * ```ts
 * import { codecFromMetadata } from "./registry.ts";
 * const c = codecFromMetadata({ name: "bytes", configuration: { endian: "little" } }, "a/b");
 * console.log(c.kind); // array_to_bytes
 * ```
 */
export function codecFromMetadata(
  meta: CodecMetadata | string,
  where?: string,
  ctx: Omit<FactoryContext, "where"> = {},
): Codec {
  const entry = normalizeEntry(meta, where);
  const factory = v3Registry.get(entry.name);
  if (!factory) {
    throw new UnknownCodecError(`Unknown codec: '${entry.name}'${whereSuffix(where)}`);
  }
  return build(entry.name, where, () => factory(entry, { ...ctx, where }));
}

/**
 * Builds a codec from a v2 numcodecs config (`{"id": "zlib", "level": 1}`...). Known ids: zlib,
 * gzip, zstd, crc32c, vlen-utf8, vlen-bytes, plus anything registered later; otherwise the v3 factory of
 * `"numcodecs.<id>"` is tried. Unknown ids raise {@link UnknownCodecError}.
 *
 * @example
 * ```ts
 * import { codecFromV2 } from "./registry.ts";
 * console.log(codecFromV2({ id: "zstd", level: 3 }).toJSON());
 * // { name: "zstd", configuration: { level: 3, checksum: false } }
 * ```
 */
export function codecFromV2(
  config: V2CodecConfig,
  where?: string,
  ctx: Omit<FactoryContext, "where"> = {},
): Codec {
  if (
    config === null || typeof config !== "object" || Array.isArray(config) ||
    typeof config.id !== "string"
  ) {
    throw new MetadataValidationError(
      `invalid numcodecs config ${JSON.stringify(config)}: expected an object with a string 'id'${
        whereSuffix(where)
      }`,
    );
  }
  const id = config.id;
  const factory = v2Registry.get(id);
  if (factory) return build(id, where, () => factory(config, { ...ctx, where }));
  const v3 = v3Registry.get(`numcodecs.${id}`);
  if (v3) {
    const { id: _id, ...configuration } = config;
    const meta: CodecMetadata = { name: `numcodecs.${id}`, configuration };
    return build(id, where, () => v3(meta, { ...ctx, where }));
  }
  throw new UnknownCodecError(`Unknown codec: '${id}' (numcodecs id)${whereSuffix(where)}`);
}
