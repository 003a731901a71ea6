/**
 * Chunk key encodings (`core/chunk_key_encodings.py`): `default` (`c/0/1`, `c` for 0-d) and `v2`
 * (`0.1`, `0` for 0-d), each with a `/` or `.` separator.
 *
 * @example
 * ```ts
 * import { encodeChunkKey, parseChunkKeyEncoding } from "./chunk_key_encoding.ts";
 * const enc = parseChunkKeyEncoding({ name: "v2", separator: "/" });
 * console.log(encodeChunkKey(enc, [0, 1])); // "0/1"
 * ```
 * @module
 */
import { ZarrTypeError, ZarrValueError } from "../errors.ts";
import type { ChunkKeyEncoding } from "./model.ts";

const DEFAULT_SEPARATOR: Record<ChunkKeyEncoding["name"], ChunkKeyEncoding["separator"]> = {
  default: "/",
  v2: ".",
};

function parseSeparator(sep: unknown, where: string): "/" | "." {
  if (sep === "/" || sep === ".") return sep;
  throw new ZarrValueError(
    `Failed to parse input for 'separator': expected Literal['.', '/'], got ${
      JSON.stringify(sep) ?? String(sep)
    }${where ? ` in ${where}` : ""}.`,
  );
}

/**
 * Parses a chunk key encoding from a v3 document (`{"name":"default","configuration":{"separator":"/"}}`)
 * or from user input (`{name, separator}`, the named form, or just `"default"` / `"v2"`); a
 * missing separator takes the encoding's default (`/` for default, `.` for v2). Unknown names
 * raise `ZarrValueError("Unknown chunk key encoding: …")`.
 *
 * @example
 * ```ts
 * import { parseChunkKeyEncoding } from "./chunk_key_encoding.ts";
 * parseChunkKeyEncoding("v2"); // { name: "v2", separator: "." }
 * parseChunkKeyEncoding({ name: "default", configuration: { separator: "." } }); // { name: "default", separator: "." }
 * ```
 */
export function parseChunkKeyEncoding(input: unknown, where = ""): ChunkKeyEncoding {
  const at = where ? ` in ${where}` : "";
  let name: unknown;
  let sep: unknown;
  if (typeof input === "string") {
    name = input;
  } else if (input !== null && typeof input === "object" && !Array.isArray(input)) {
    const o = input as Record<string, unknown>;
    if (!("name" in o)) {
      throw new ZarrValueError(
        `Named configuration does not have a 'name' key. Got ${JSON.stringify(o)}${at}.`,
      );
    }
    name = o.name;
    if ("separator" in o) sep = o.separator;
    else if ("configuration" in o && o.configuration !== undefined) {
      const cfg = o.configuration;
      if (cfg === null || typeof cfg !== "object" || Array.isArray(cfg)) {
        throw new ZarrTypeError(
          `Expected dict for 'configuration', got ${JSON.stringify(cfg)}${at}`,
        );
      }
      sep = (cfg as Record<string, unknown>).separator;
    }
  } else {
    throw new ZarrTypeError(`Expected dict, got ${JSON.stringify(input) ?? String(input)}${at}`);
  }
  if (name !== "default" && name !== "v2") {
    throw new ZarrValueError(`Unknown chunk key encoding: ${JSON.stringify(name)}${at}`);
  }
  const separator = sep === undefined ? DEFAULT_SEPARATOR[name] : parseSeparator(sep, where);
  return { name, separator };
}

/**
 * The v3 JSON of a chunk key encoding, in zarr-python's form.
 *
 * @example
 * ```ts
 * import { chunkKeyEncodingToJSON } from "./chunk_key_encoding.ts";
 * chunkKeyEncodingToJSON({ name: "default", separator: "/" });
 * // { name: "default", configuration: { separator: "/" } }
 * ```
 */
export function chunkKeyEncodingToJSON(enc: ChunkKeyEncoding): {
  name: string;
  configuration: { separator: string };
} {
  return { name: enc.name, configuration: { separator: enc.separator } };
}

/**
 * The store key (relative to the array) of the chunk at grid coordinates `coords`.
 *
 * @example
 * ```ts
 * import { encodeChunkKey } from "./chunk_key_encoding.ts";
 * encodeChunkKey({ name: "default", separator: "/" }, [0, 1]); // "c/0/1"
 * encodeChunkKey({ name: "default", separator: "/" }, []); // "c"
 * encodeChunkKey({ name: "v2", separator: "." }, []); // "0"
 * ```
 */
export function encodeChunkKey(enc: ChunkKeyEncoding, coords: readonly number[]): string {
  if (enc.name === "default") {
    return coords.length === 0 ? "c" : "c" + enc.separator + coords.join(enc.separator);
  }
  return coords.length === 0 ? "0" : coords.join(enc.separator);
}

/**
 * Chunk grid coordinates from a chunk key, or undefined when the key is not one of this encoding.
 * For a v2 encoding the key `"0"` is ambiguous between 0-d and 1-d arrays: pass `ndim` to decide
 * (without it, `[0]` is returned).
 *
 * @example
 * ```ts
 * import { decodeChunkKey } from "./chunk_key_encoding.ts";
 * decodeChunkKey({ name: "default", separator: "/" }, "c/3/4"); // [3, 4]
 * decodeChunkKey({ name: "v2", separator: "." }, "c/3/4"); // undefined
 * ```
 */
export function decodeChunkKey(
  enc: ChunkKeyEncoding,
  key: string,
  ndim?: number,
): number[] | undefined {
  let body: string;
  if (enc.name === "default") {
    if (key === "c") return ndim === undefined || ndim === 0 ? [] : undefined;
    const prefix = "c" + enc.separator;
    if (!key.startsWith(prefix)) return undefined;
    body = key.slice(prefix.length);
  } else {
    if (key === "0" && ndim === 0) return [];
    body = key;
  }
  const parts = body.split(enc.separator);
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return undefined;
    const n = Number(p);
    if (!Number.isSafeInteger(n)) return undefined;
    out.push(n);
  }
  if (ndim !== undefined && out.length !== ndim) return undefined;
  return out;
}
