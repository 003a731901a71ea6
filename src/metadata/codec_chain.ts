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
import {
  type DataType,
  dataTypeToV2,
  hasEndianness,
  parseDataType,
  parseNumpyDtype,
} from "./dtype.ts";

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
  arrayDt: DataType,
  opts: EvolveOptions = {},
): CodecMetadata[] {
  // zarr-python evolves every codec from the array's own spec (defaults such as a filter's
  // `dtype` or shuffle's `elementsize` come from the array type); only the serializer checks look
  // at the type that actually reaches them, which filters such as categorize change.
  const dt = arrayDt;
  let cur = arrayDt;
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
        const endian = cfg.endian;
        // endian-less array types drop it (zarr-python); a filter's one-byte output needs none
        if (
          !hasEndianness(dt) || (!hasEndianness(cur) && (endian === undefined || endian === null))
        ) {
          out.push({ name: "bytes" });
          break;
        }
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
      case "numcodecs.fixedscaleoffset":
      case "numcodecs.quantize":
      case "numcodecs.astype": {
        // zarr-python's evolve_from_array_spec fills in the decoded type from the array
        const key = c.name === "numcodecs.astype" ? "decode_dtype" : "dtype";
        out.push(
          cfg[key] === undefined || cfg[key] === null
            ? { ...c, configuration: { ...cfg, [key]: nativeDtypeName(dt) } }
            : { ...c },
        );
        break;
      }
      case "numcodecs.shuffle":
        out.push(
          cfg.elementsize === undefined || cfg.elementsize === null
            ? { ...c, configuration: { ...cfg, elementsize: dt.itemsize > 0 ? dt.itemsize : 8 } }
            : { ...c },
        );
        break;
      default:
        // zarr-python writes every numcodecs.* codec with a configuration object
        out.push(
          c.name.startsWith("numcodecs.") && c.configuration === undefined
            ? { ...c, configuration: {} }
            : { ...c },
        );
    }
    const last = out[out.length - 1];
    if (last.name.startsWith("numcodecs.")) {
      const o = filterOutput(
        { id: last.name.slice("numcodecs.".length), ...(last.configuration ?? {}) },
      );
      if (o) cur = o.dataType;
    }
  }
  validateChain(out, cur, where);
  return out;
}

/** `str()` of the array's native numpy dtype, as zarr-python writes evolved dtypes. */
function nativeDtypeName(dt: DataType): string {
  switch (dt.kind) {
    case "U":
    case "S":
    case "V":
    case "string":
    case "vbytes":
      return dataTypeToV2(dt, "little");
    case "datetime":
    case "timedelta":
      return dt.str;
    default:
      return dt.name;
  }
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

/**
 * The v2 ids of numcodecs codecs that work on bytes (bytes -> bytes in the v3 model): a v2 filter
 * with one of these ids goes after the serializer in the derived chain.
 */
export const V2_BYTE_FILTER_IDS: ReadonlySet<string> = new Set(
  [...BYTES_BYTES_CODECS].filter((n) => n.startsWith("numcodecs.")).map((n) => n.slice(10)),
);

/** numcodecs' defaults of byte-level v2 filters whose v3 form (zarr-python) defaults otherwise. */
function v2ByteFilterEntry(c: V2CodecConfig): CodecMetadata {
  const e = numcodecsEntry(c);
  if (c.id === "shuffle" && (e.configuration!.elementsize ?? null) === null) {
    e.configuration = { ...e.configuration, elementsize: 4 }; // numcodecs' Shuffle() default
  }
  return e;
}

const OUTPUT_KEY: Record<string, string> = {
  delta: "astype",
  fixedscaleoffset: "astype",
  quantize: "astype",
  categorize: "astype",
  astype: "encode_dtype",
};

/**
 * The type and byte order of the data a v2 array-level filter outputs (numcodecs filters write
 * their encoded values in their `astype` / `encode_dtype`, including its byte order); `null` when
 * the filter keeps its input type or the type cannot be read.
 */
function filterOutput(
  f: V2CodecConfig,
): { dataType: DataType; endian: "little" | "big" | null } | null {
  if (f.id === "packbits") return { dataType: parseDataType("uint8"), endian: null };
  const key = OUTPUT_KEY[f.id];
  if (key === undefined) return null;
  const raw = f[key] ?? (f.id === "categorize" ? "|u1" : undefined);
  if (typeof raw !== "string") return null;
  try {
    const p = parseNumpyDtype(raw);
    return { dataType: p.dtype, endian: hasEndianness(p.dtype) ? (p.endian ?? "little") : null };
  } catch {
    return null; // the codec itself reports a bad type
  }
}

/**
 * True when a v2 array of `"|O"` dtype is readable through a `categorize` filter (zarr-python 2
 * decodes the codes to str objects without a separate object codec): the decoded type is then the
 * variable-length `string` type.
 *
 * @example
 * ```ts
 * import { categorizeObjectFilter } from "./codec_chain.ts";
 * categorizeObjectFilter([{ id: "categorize", labels: ["a"], dtype: "|O", astype: "|u1" }]); // true
 * ```
 */
export function categorizeObjectFilter(filters: readonly V2CodecConfig[] | null): boolean {
  return (filters ?? []).some((f) =>
    f && f.id === "categorize" && typeof f.dtype === "string" && /^[<>|=]?O$/.test(f.dtype)
  );
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

function serializerFor(dt: DataType, endian: "little" | "big" | null): CodecMetadata {
  return hasEndianness(dt)
    ? { name: "bytes", configuration: { endian: endian ?? "little" } }
    : { name: "bytes" };
}

/**
 * The codec chain of a v2 array, so v2 and v3 arrays share one read/write path: `order: "F"`
 * becomes a leading `transpose` (reversed axes; only for 2 or more dimensions, where it is not the
 * identity), each filter becomes `numcodecs.<id>` except `vlen-utf8` / `vlen-bytes`, which become
 * the array -> bytes codec of that name; otherwise the serializer is `bytes`, placed before the
 * first byte-level filter (shuffle, the checksums: bytes -> bytes codecs in the v3 model, see
 * {@link V2_BYTE_FILTER_IDS}) or after the last filter, with the byte order of the data it
 * receives: the dtype's, or the `astype` / `encode_dtype` of the last type-changing filter (as
 * numcodecs writes it; bare for 1-byte types). The compressor becomes `zstd` (`level`,
 * `checksum`), `gzip` (`level`) or `numcodecs.<id>` (numcodecs' defaults: level 1 for zstd and
 * gzip).
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
  let dt = input.dataType;
  let endian = input.endian;
  for (const f of input.filters ?? []) {
    if (f.id === "vlen-utf8" || f.id === "vlen-bytes") {
      if (!serializer) out.push({ name: f.id });
      serializer = true;
    } else if (V2_BYTE_FILTER_IDS.has(f.id)) {
      if (!serializer) out.push(serializerFor(dt, endian));
      serializer = true;
      out.push(v2ByteFilterEntry(f));
    } else {
      out.push(numcodecsEntry(f));
      const o = serializer ? null : filterOutput(f);
      if (o) {
        dt = o.dataType;
        endian = o.endian;
      }
    }
  }
  const comp = input.compressor;
  const compIsVlen = comp !== null && (comp.id === "vlen-utf8" || comp.id === "vlen-bytes");
  if (!serializer) {
    if (compIsVlen) {
      out.push({ name: comp!.id });
    } else {
      out.push(serializerFor(dt, endian));
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
    } else if (V2_BYTE_FILTER_IDS.has(comp.id)) {
      out.push(v2ByteFilterEntry(comp));
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

/** The byte-level numcodecs codecs that are filters rather than compressors. */
const V2_FILTER_ONLY_BYTES_CODECS: ReadonlySet<string> = new Set([
  "numcodecs.shuffle",
  "numcodecs.adler32",
  "numcodecs.crc32",
  "numcodecs.crc32c",
  "numcodecs.fletcher32",
  "numcodecs.jenkins_lookup3",
]);

/**
 * The inverse of {@link deriveV2Codecs}: expresses a codec chain as v2 `filters`, `compressor`,
 * `order` and dtype byte order, for writing a v3-described array as v2 (format conversion).
 * Array -> array codecs and the byte-level filters (shuffle, checksums) met before a compressor
 * become `filters`; after a type-changing filter the byte order comes from its input `dtype`.
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
  let typeChanged = false;
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
        if (hasEndianness(dt) && !typeChanged) {
          endian = (cfg.endian as "little" | "big" | undefined) ?? "little";
        }
        return;
      }
      if (c.name === "vlen-utf8" || c.name === "vlen-bytes") {
        serializerSeen = true;
        filters.push({ id: c.name });
        return;
      }
      if (c.name.startsWith("numcodecs.")) {
        const f: V2CodecConfig = { id: c.name.slice("numcodecs.".length), ...cfg };
        filters.push(f);
        if (!typeChanged && filterOutput(f) !== null) {
          // the serializer then sees the filter's output type: the array's byte order is the
          // one of the filter's input type
          typeChanged = true;
          const input = f[f.id === "astype" ? "decode_dtype" : "dtype"];
          if (hasEndianness(dt) && typeof input === "string") {
            try {
              endian = parseNumpyDtype(input).endian ?? "little";
            } catch {
              // keep little
            }
          }
        }
        return;
      }
      fail(`codec '${c.name}'`);
    }
    if (compressor === null && V2_FILTER_ONLY_BYTES_CODECS.has(c.name)) {
      // shuffle / checksums before the compressor: v2 filters (deriveV2Codecs' inverse)
      filters.push({ id: c.name.slice("numcodecs.".length), ...cfg });
      return;
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
