/**
 * Codec chains as metadata: the v3 "evolution" zarr-python applies when it builds array metadata
 * (`bytes` loses `endian` for endian-less types, blosc `typesize`/`shuffle` are tuned from the
 * dtype, known codecs get their default configuration written out in zarr-python's key order), the
 * default chains, and the mapping between v2 `filters`/`compressor`/`order` and a v3-style chain
 * in both directions. Pure functions over JSON; codec implementations live in `src/codecs/`.
 *
 * @example
 * ```ts
 * import { evolveCodecsV3 } from "./codec_chain.ts";
 * import { parseDataType } from "./dtype.ts";
 * evolveCodecsV3([{ name: "bytes", configuration: { endian: "little" } }], parseDataType("uint8"));
 * // [{ name: "bytes" }]
 * ```
 * @module
 */
import { ZarrTypeError, ZarrValueError } from "../errors.ts";
import type { CodecMetadata, V2CodecConfig } from "../codecs/types.ts";
import { type DataType, hasEndianness, parseDataType } from "./dtype.ts";

/** Names of the array -> bytes codecs this library knows. */
export const ARRAY_BYTES_CODECS: ReadonlySet<string> = new Set([
  "bytes",
  "vlen-utf8",
  "vlen-bytes",
  "sharding_indexed",
]);
/** Names of the array -> array codecs this library knows (numcodecs filters included). */
export const ARRAY_ARRAY_CODECS: ReadonlySet<string> = new Set([
  "transpose",
  "numcodecs.delta",
  "numcodecs.fixedscaleoffset",
  "numcodecs.astype",
  "numcodecs.quantize",
  "numcodecs.bitround",
  "numcodecs.packbits",
  "numcodecs.categorize",
]);
/** Names of the bytes -> bytes codecs this library knows. */
export const BYTES_BYTES_CODECS: ReadonlySet<string> = new Set([
  "blosc",
  "gzip",
  "zstd",
  "crc32c",
  "numcodecs.blosc",
  "numcodecs.gzip",
  "numcodecs.zlib",
  "numcodecs.zstd",
  "numcodecs.bz2",
  "numcodecs.lzma",
  "numcodecs.lz4",
  "numcodecs.shuffle",
  "numcodecs.crc32",
  "numcodecs.crc32c",
  "numcodecs.adler32",
  "numcodecs.fletcher32",
  "numcodecs.jenkins_lookup3",
]);

function at(where: string | undefined): string {
  return where ? ` in ${where}` : "";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Parses one codec entry into `{name, configuration?, ...}` (strings become `{name}`). */
function codecEntry(c: unknown, where: string | undefined): CodecMetadata {
  if (typeof c === "string") return { name: c };
  if (!isObject(c)) {
    throw new ZarrTypeError(`Expected dict for codec, got ${JSON.stringify(c)}${at(where)}`);
  }
  if (!("name" in c)) {
    throw new ZarrValueError(
      `Named configuration does not have a 'name' key. Got ${JSON.stringify(c)}${at(where)}.`,
    );
  }
  if (typeof c.name !== "string") {
    throw new ZarrTypeError(
      `Expected a string for codec name, got ${JSON.stringify(c.name)}${at(where)}`,
    );
  }
  if ("configuration" in c && c.configuration !== undefined && !isObject(c.configuration)) {
    throw new ZarrTypeError(
      `Expected dict for the configuration of codec '${c.name}', got ${
        JSON.stringify(c.configuration)
      }${at(where)}`,
    );
  }
  return c as CodecMetadata;
}

const BLOSC_CNAMES = ["lz4", "lz4hc", "blosclz", "zstd", "snappy", "zlib"];
const BLOSC_SHUFFLES = ["noshuffle", "shuffle", "bitshuffle"];

function intOpt(v: unknown, what: string, codec: string, where?: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new ZarrTypeError(
    `Invalid ${what} for codec '${codec}': expected an integer, got ${JSON.stringify(v)}${
      at(where)
    }`,
  );
}

function validatePermutation(order: unknown, ndim: number | undefined, where?: string): number[] {
  if (!Array.isArray(order) || order.some((x) => typeof x !== "number" || !Number.isInteger(x))) {
    throw new ZarrTypeError(
      `Invalid transpose order ${JSON.stringify(order)}: expected a list of integers${at(where)}`,
    );
  }
  const o = order as number[];
  if (ndim !== undefined) {
    if (o.length !== ndim) {
      throw new ZarrValueError(
        `The \`order\` tuple must have as many entries as there are dimensions in the array. Got ${
          JSON.stringify(o)
        }${at(where)}.`,
      );
    }
    if (!o.every((x) => x >= 0 && x < ndim)) {
      throw new ZarrValueError(
        `All entries in the \`order\` tuple must be between 0 and the number of dimensions in the array. Got ${
          JSON.stringify(o)
        }${at(where)}.`,
      );
    }
  }
  if (new Set(o).size !== o.length) {
    throw new ZarrValueError(
      `There must not be duplicates in the \`order\` tuple. Got ${JSON.stringify(o)}${at(where)}.`,
    );
  }
  return [...o];
}

/** Options of {@link evolveCodecsV3}. */
export interface EvolveOptions {
  /** The chunk shape the chain codes (for transpose / sharding validation). */
  chunkShape?: readonly number[];
  /** Where the chain comes from, for error messages. */
  where?: string;
}

/** The item size zarr-python's blosc tuning sees (`HasItemSize`, else 1). */
function tuningItemsize(dt: DataType): number {
  return dt.itemsize > 0 ? dt.itemsize : 1;
}

const UINT64 = parseDataType("uint64");

/**
 * Evolves and canonicalizes a v3 codec chain for a data type, as zarr-python's `ArrayV3Metadata`
 * constructor does: `bytes` loses `endian` for endian-less types (bool, int8, uint8, `S`, `V`)
 * and must have it otherwise; blosc `typesize` / `shuffle` left unset are tuned from the item
 * size; the known codecs (bytes, blosc, zstd, gzip, crc32c, transpose, vlen-utf8, vlen-bytes,
 * sharding_indexed, recursively) are rewritten in zarr-python's `to_dict` form with defaults filled
 * in; other codecs are kept as given. Validates the chain's shape (one array -> bytes codec,
 * array -> array before it, bytes -> bytes after it; `vlen-utf8` for the string type) where the
 * codec kinds are known.
 *
 * @example
 * ```ts
 * import { evolveCodecsV3 } from "./codec_chain.ts";
 * import { parseDataType } from "./dtype.ts";
 * evolveCodecsV3([{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd" }], parseDataType("int32"));
 * // [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd", configuration: { level: 0, checksum: false } }]
 * ```
 */
export function evolveCodecsV3(
  codecs: unknown,
  dt: DataType,
  opts: EvolveOptions = {},
): CodecMetadata[] {
  const where = opts.where;
  if (!Array.isArray(codecs)) {
    throw new ZarrTypeError(`Expected a list of codecs, got ${JSON.stringify(codecs)}${at(where)}`);
  }
  const ndim = opts.chunkShape?.length;
  const out: CodecMetadata[] = [];
  for (const raw of codecs) {
    const c = codecEntry(raw, where);
    const cfg = (c.configuration ?? {}) as Record<string, unknown>;
    switch (c.name) {
      case "bytes": {
        if (!hasEndianness(dt)) {
          out.push({ name: "bytes" });
          break;
        }
        const endian = cfg.endian;
        if (endian === undefined || endian === null) {
          throw new ZarrValueError(
            `The \`endian\` configuration needs to be specified for multi-byte data types${
              at(where)
            }.`,
          );
        }
        if (endian !== "little" && endian !== "big") {
          throw new ZarrValueError(
            `endian must be one of ['little', 'big']. Got ${JSON.stringify(endian)}${at(where)}.`,
          );
        }
        out.push({ name: "bytes", configuration: { endian } });
        break;
      }
      case "blosc": {
        const item = tuningItemsize(dt);
        const typesize = cfg.typesize === undefined || cfg.typesize === null
          ? item
          : intOpt(cfg.typesize, "typesize", "blosc", where);
        const cname = cfg.cname ?? "zstd";
        if (typeof cname !== "string" || !BLOSC_CNAMES.includes(cname)) {
          throw new ZarrValueError(`Invalid blosc cname ${JSON.stringify(cname)}${at(where)}`);
        }
        const clevel = cfg.clevel === undefined ? 5 : intOpt(cfg.clevel, "clevel", "blosc", where);
        let shuffle = cfg.shuffle;
        if (shuffle === undefined || shuffle === null) {
          shuffle = item === 1 ? "bitshuffle" : "shuffle";
        }
        if (typeof shuffle !== "string" || !BLOSC_SHUFFLES.includes(shuffle)) {
          throw new ZarrValueError(`Invalid blosc shuffle ${JSON.stringify(shuffle)}${at(where)}`);
        }
        const blocksize = cfg.blocksize === undefined
          ? 0
          : intOpt(cfg.blocksize, "blocksize", "blosc", where);
        out.push({
          name: "blosc",
          configuration: { typesize, cname, clevel, shuffle, blocksize },
        });
        break;
      }
      case "zstd": {
        const level = cfg.level === undefined ? 0 : intOpt(cfg.level, "level", "zstd", where);
        const checksum = cfg.checksum ?? false;
        if (typeof checksum !== "boolean") {
          throw new ZarrTypeError(`Invalid zstd checksum ${JSON.stringify(checksum)}${at(where)}`);
        }
        out.push({ name: "zstd", configuration: { level, checksum } });
        break;
      }
      case "gzip": {
        const level = cfg.level === undefined ? 5 : intOpt(cfg.level, "level", "gzip", where);
        out.push({ name: "gzip", configuration: { level } });
        break;
      }
      case "crc32c":
        out.push({ name: "crc32c" });
        break;
      case "transpose": {
        if (!("order" in cfg)) {
          throw new ZarrValueError(
            `Named configuration does not have a 'configuration' key with 'order' for codec 'transpose'${
              at(where)
            }.`,
          );
        }
        out.push({
          name: "transpose",
          configuration: { order: validatePermutation(cfg.order, ndim, where) },
        });
        break;
      }
      case "vlen-utf8":
      case "vlen-bytes":
        out.push({ name: c.name, configuration: {} });
        break;
      case "sharding_indexed": {
        const inner = cfg.chunk_shape;
        if (
          !Array.isArray(inner) ||
          inner.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < 1)
        ) {
          throw new ZarrValueError(
            `Invalid sharding chunk_shape ${JSON.stringify(inner)}${
              at(where)
            }: expected positive integers`,
          );
        }
        const innerShape = inner as number[];
        if (opts.chunkShape) {
          if (innerShape.length !== opts.chunkShape.length) {
            throw new ZarrValueError(
              `The shard's \`chunk_shape\` and array's \`shape\` need to have the same number of dimensions${
                at(where)
              }.`,
            );
          }
          opts.chunkShape.forEach((edge, i) => {
            if (edge % innerShape[i] !== 0) {
              throw new ZarrValueError(
                `Chunk edge length ${edge} in dimension ${i} is not divisible by the shard's inner chunk size ${
                  innerShape[i]
                }${at(where)}.`,
              );
            }
          });
        }
        const innerCodecs = evolveCodecsV3(
          cfg.codecs ?? [{ name: "bytes", configuration: { endian: "little" } }],
          dt,
          { chunkShape: innerShape, where },
        );
        const indexCodecs = evolveCodecsV3(
          cfg.index_codecs ??
            [{ name: "bytes", configuration: { endian: "little" } }, { name: "crc32c" }],
          UINT64,
          { where },
        );
        const loc = cfg.index_location ?? "end";
        if (loc !== "start" && loc !== "end") {
          throw new ZarrValueError(
            `Invalid index_location ${JSON.stringify(loc)}${at(where)}: expected 'start' or 'end'`,
          );
        }
        out.push({
          name: "sharding_indexed",
          configuration: {
            chunk_shape: [...innerShape],
            codecs: innerCodecs,
            index_codecs: indexCodecs,
            index_location: loc,
          },
        });
        break;
      }
      default:
        out.push({ ...c });
    }
  }
  validateChain(out, dt, where);
  return out;
}

function kindOf(name: string): "aa" | "ab" | "bb" | undefined {
  if (ARRAY_BYTES_CODECS.has(name)) return "ab";
  if (ARRAY_ARRAY_CODECS.has(name)) return "aa";
  if (BYTES_BYTES_CODECS.has(name)) return "bb";
  return undefined;
}

function validateChain(codecs: CodecMetadata[], dt: DataType, where?: string): void {
  const kinds = codecs.map((c) => kindOf(c.name));
  const abs = codecs.filter((_, i) => kinds[i] === "ab");
  if (abs.length > 1) {
    throw new ZarrValueError(`Only one ArrayBytesCodec is allowed${at(where)}.`);
  }
  if (kinds.some((k) => k === undefined)) return; // unknown codecs: the registry decides
  if (abs.length === 0) {
    throw new ZarrValueError(`At least one ArrayBytesCodec is required${at(where)}.`);
  }
  const abIndex = kinds.indexOf("ab");
  kinds.forEach((k, i) => {
    if (k === "aa" && i > abIndex) {
      throw new ZarrTypeError(
        `Invalid codec order: ArrayArrayCodec '${codecs[i].name}' after the ArrayBytesCodec${
          at(where)
        }.`,
      );
    }
    if (k === "bb" && i < abIndex) {
      throw new ZarrTypeError(
        `Invalid codec order: BytesBytesCodec '${codecs[i].name}' before the ArrayBytesCodec${
          at(where)
        }.`,
      );
    }
  });
  if (dt.kind === "string") {
    let ab: CodecMetadata | undefined = abs[0];
    while (ab && ab.name === "sharding_indexed") {
      const inner = (ab.configuration?.codecs ?? []) as CodecMetadata[];
      ab = inner.find((c) => kindOf(c.name) === "ab");
    }
    if (ab && ab.name !== "vlen-utf8") {
      throw new ZarrValueError(
        `For string dtype, ArrayBytesCodec must be \`VLenUTF8Codec\`, got \`${ab.name}\`${
          at(where)
        }.`,
      );
    }
  }
}

/**
 * zarr-python's default v3 chain for a data type: the serializer (`vlen-utf8` for strings,
 * `vlen-bytes` for variable-length bytes, otherwise `bytes`, little-endian where it applies) and
 * `zstd` level 0 without checksum.
 *
 * @example
 * ```ts
 * import { defaultCodecsV3 } from "./codec_chain.ts";
 * import { parseDataType } from "./dtype.ts";
 * defaultCodecsV3(parseDataType("bool"));
 * // [{ name: "bytes" }, { name: "zstd", configuration: { level: 0, checksum: false } }]
 * ```
 */
export function defaultCodecsV3(dt: DataType): CodecMetadata[] {
  return [defaultSerializerV3(dt), { name: "zstd", configuration: { level: 0, checksum: false } }];
}

/**
 * zarr-python's default v3 serializer (array -> bytes codec) for a data type.
 *
 * @example
 * ```ts
 * import { defaultSerializerV3 } from "./codec_chain.ts";
 * import { parseDataType } from "./dtype.ts";
 * defaultSerializerV3(parseDataType("string")); // { name: "vlen-utf8", configuration: {} }
 * ```
 */
export function defaultSerializerV3(dt: DataType): CodecMetadata {
  if (dt.kind === "string") return { name: "vlen-utf8", configuration: {} };
  if (dt.kind === "vbytes") return { name: "vlen-bytes", configuration: {} };
  return hasEndianness(dt) ? { name: "bytes", configuration: { endian: "little" } } : {
    name: "bytes",
  };
}

/** The numcodecs object-codec ids zarr-python looks for to resolve a v2 `"|O"` dtype. */
export const OBJECT_CODEC_IDS = [
  "vlen-utf8",
  "vlen-bytes",
  "vlen-array",
  "pickle",
  "json2",
  "msgpack2",
];

/**
 * The first object codec id among v2 filters and compressor (zarr-python's `get_object_codec_id`).
 *
 * @example
 * ```ts
 * import { objectCodecId } from "./codec_chain.ts";
 * objectCodecId([{ id: "vlen-utf8" }], null); // "vlen-utf8"
 * ```
 */
export function objectCodecId(
  filters: readonly V2CodecConfig[] | null,
  compressor: V2CodecConfig | null,
): string | undefined {
  for (const c of [...(filters ?? []), compressor]) {
    if (c && typeof c.id === "string" && OBJECT_CODEC_IDS.includes(c.id)) return c.id;
  }
  return undefined;
}

function numcodecsEntry(c: V2CodecConfig): CodecMetadata {
  const { id, ...rest } = c;
  return { name: "numcodecs." + id, configuration: rest };
}

/** Inputs of {@link deriveV2Codecs}. */
export interface V2ChainInput {
  dataType: DataType;
  /** Byte order of the v2 dtype (null when it has none). */
  endian: "little" | "big" | null;
  order: "C" | "F";
  ndim: number;
  filters: readonly V2CodecConfig[] | null;
  compressor: V2CodecConfig | null;
}

/**
 * The codec chain of a v2 array, so v2 and v3 arrays share one read/write path: `order: "F"`
 * becomes a leading `transpose` (reversed axes; only for 2 or more dimensions, where it is not the
 * identity), each filter becomes `numcodecs.<id>` except `vlen-utf8` / `vlen-bytes`, which become
 * the array -> bytes codec of that name; otherwise the serializer is `bytes` with the dtype's byte
 * order (bare for 1-byte types); the compressor becomes `zstd` (`level`, `checksum`), `gzip`
 * (`level`) or `numcodecs.<id>` (numcodecs' defaults: level 1 for zstd and gzip).
 *
 * @example
 * ```ts
 * import { deriveV2Codecs } from "./codec_chain.ts";
 * import { parseDataType } from "./dtype.ts";
 * deriveV2Codecs({ dataType: parseDataType("int32"), endian: "big", order: "F", ndim: 2, filters: null, compressor: { id: "zlib", level: 1 } });
 * // [{name:"transpose",configuration:{order:[1,0]}}, {name:"bytes",configuration:{endian:"big"}}, {name:"numcodecs.zlib",configuration:{level:1}}]
 * ```
 */
export function deriveV2Codecs(input: V2ChainInput): CodecMetadata[] {
  const out: CodecMetadata[] = [];
  if (input.order === "F" && input.ndim > 1) {
    out.push({
      name: "transpose",
      configuration: { order: Array.from({ length: input.ndim }, (_, i) => input.ndim - 1 - i) },
    });
  }
  let serializer = false;
  for (const f of input.filters ?? []) {
    if (f.id === "vlen-utf8" || f.id === "vlen-bytes") {
      if (!serializer) out.push({ name: f.id });
      serializer = true;
    } else {
      out.push(numcodecsEntry(f));
    }
  }
  const comp = input.compressor;
  const compIsVlen = comp !== null && (comp.id === "vlen-utf8" || comp.id === "vlen-bytes");
  if (!serializer) {
    if (compIsVlen) {
      out.push({ name: comp!.id });
    } else if (hasEndianness(input.dataType)) {
      out.push({ name: "bytes", configuration: { endian: input.endian ?? "little" } });
    } else {
      out.push({ name: "bytes" });
    }
  }
  if (comp !== null && !compIsVlen) {
    if (comp.id === "zstd") {
      out.push({
        name: "zstd",
        configuration: { level: comp.level ?? 1, checksum: !!comp.checksum },
      });
    } else if (comp.id === "gzip") {
      out.push({ name: "gzip", configuration: { level: comp.level ?? 1 } });
    } else {
      out.push(numcodecsEntry(comp));
    }
  }
  return out;
}

/** What a v3-style chain becomes in a v2 document. */
export interface V2Encoding {
  filters: V2CodecConfig[] | null;
  compressor: V2CodecConfig | null;
  order: "C" | "F";
  endian: "little" | "big" | null;
}

const SHUFFLE_TO_INT: Record<string, number> = { noshuffle: 0, shuffle: 1, bitshuffle: 2 };

/**
 * The inverse of {@link deriveV2Codecs}: expresses a codec chain as v2 `filters`, `compressor`,
 * `order` and dtype byte order, for writing a v3-described array as v2 (format conversion).
 * Throws `ZarrValueError` when the chain has no v2 form (sharding, two compressors, a transpose
 * other than the full reversal, unknown codecs).
 *
 * @example
 * ```ts
 * import { v2EncodingFromCodecs } from "./codec_chain.ts";
 * import { parseDataType } from "./dtype.ts";
 * v2EncodingFromCodecs([{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd", configuration: { level: 0, checksum: false } }], parseDataType("int32"), 1);
 * // { filters: null, compressor: { id: "zstd", level: 0, checksum: false }, order: "C", endian: "little" }
 * ```
 */
export function v2EncodingFromCodecs(
  codecs: readonly CodecMetadata[],
  dt: DataType,
  ndim: number,
): V2Encoding {
  const fail = (why: string): never => {
    throw new ZarrValueError(`The codec chain cannot be expressed in Zarr format 2: ${why}`);
  };
  const filters: V2CodecConfig[] = [];
  let compressor: V2CodecConfig | null = null;
  let order: "C" | "F" = "C";
  let endian: "little" | "big" | null = hasEndianness(dt) ? "little" : null;
  let serializerSeen = false;
  codecs.forEach((c, i) => {
    const cfg = (c.configuration ?? {}) as Record<string, unknown>;
    if (c.name === "transpose") {
      const o = cfg.order as number[];
      const reversed = Array.isArray(o) && o.length === ndim &&
        o.every((x, j) => x === ndim - 1 - j);
      if (i !== 0 || !reversed) fail(`transpose ${JSON.stringify(o)}`);
      if (ndim > 1) order = "F";
      return;
    }
    if (!serializerSeen) {
      if (c.name === "bytes") {
        serializerSeen = true;
        if (hasEndianness(dt)) endian = (cfg.endian as "little" | "big" | undefined) ?? "little";
        return;
      }
      if (c.name === "vlen-utf8" || c.name === "vlen-bytes") {
        serializerSeen = true;
        filters.push({ id: c.name });
        return;
      }
      if (c.name.startsWith("numcodecs.")) {
        filters.push({ id: c.name.slice("numcodecs.".length), ...cfg });
        return;
      }
      fail(`codec '${c.name}'`);
    }
    if (compressor !== null) fail("more than one bytes -> bytes codec");
    switch (c.name) {
      case "zstd":
        compressor = { id: "zstd", level: cfg.level ?? 0, checksum: cfg.checksum ?? false };
        break;
      case "gzip":
        compressor = { id: "gzip", level: cfg.level ?? 5 };
        break;
      case "crc32c":
        compressor = { id: "crc32c" };
        break;
      case "blosc":
        compressor = {
          id: "blosc",
          cname: cfg.cname ?? "zstd",
          clevel: cfg.clevel ?? 5,
          shuffle: SHUFFLE_TO_INT[String(cfg.shuffle ?? "shuffle")] ?? 1,
          blocksize: cfg.blocksize ?? 0,
        };
        break;
      default:
        if (c.name.startsWith("numcodecs.")) {
          compressor = { id: c.name.slice("numcodecs.".length), ...cfg };
        } else {
          fail(`codec '${c.name}'`);
        }
    }
  });
  if (!serializerSeen) fail("no array -> bytes codec");
  return { filters: filters.length ? filters : null, compressor, order, endian };
}
