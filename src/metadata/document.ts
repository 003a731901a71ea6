/**
 * Metadata documents as bytes: encoding the normalized model into the exact files zarr-python 3
 * writes (`zarr.json`; `.zarray` + `.zattrs`; `.zgroup` + `.zattrs` [+ `.zmetadata`]) with
 * `json.dumps(indent=2)` formatting, and decoding such files back. Still no I/O: callers read and
 * write the store.
 *
 * @example
 * ```ts
 * import { encodeArrayMetadata, parseV3Document } from "./document.ts";
 * import { createArrayMetadata } from "./create.ts";
 * import { parseDataType } from "./dtype.ts";
 * const m = createArrayMetadata({ zarrFormat: 3, shape: [100], dtype: parseDataType("int32"), chunkShape: [10],
 *   fillValue: 0, codecs: [{ name: "bytes", configuration: { endian: "little" } }] });
 * const files = encodeArrayMetadata(m);
 * console.log(files["zarr.json"].length); // 502
 * console.log(parseV3Document(files["zarr.json"], "zarr.json").nodeType); // "array"
 * ```
 * @module
 */
import { MetadataValidationError } from "../errors.ts";
import { parseJSONBytes, stringifyJSON } from "./json.ts";
import type { ArrayMetadata, GroupMetadata, NodeMetadata } from "./model.ts";
import {
  arrayMetadataToV3JSON,
  consolidatedEntriesV3,
  groupMetadataToV3JSON,
  parseArrayMetadataV3,
  parseGroupMetadataV3,
} from "./v3.ts";
import {
  arrayMetadataToV2Documents,
  groupMetadataToV2Documents,
  parseArrayMetadataV2,
  parseGroupMetadataV2,
} from "./v2.ts";

const encoder = new TextEncoder();

function bytesOf(value: unknown, indent: number | null): Uint8Array {
  return encoder.encode(stringifyJSON(value, indent));
}

/** Text of an object whose keys must keep the given order (JS objects hoist integer-like keys). */
function orderedObjectText(
  entries: [string, unknown][],
  indent: number | null,
  pad: string,
): string {
  if (entries.length === 0) return "{}";
  if (indent === null) {
    return "{" +
      entries.map(([k, v]) => stringifyJSON(k, null) + ": " + stringifyJSON(v, null)).join(", ") +
      "}";
  }
  const inner = pad + " ".repeat(indent);
  return "{\n" +
    entries.map(([k, v]) =>
      inner + stringifyJSON(k, indent) + ": " +
      stringifyJSON(v, indent).replaceAll("\n", "\n" + inner)
    ).join(",\n") +
    "\n" + pad + "}";
}

/**
 * The text of a v3 group `zarr.json`, with consolidated entries in zarr-python's order even when
 * some keys look like integers.
 */
function groupV3Text(m: GroupMetadata, indent: number | null): string {
  const doc = groupMetadataToV3JSON(m);
  if (!m.consolidatedMetadata) return stringifyJSON(doc, indent);
  const token = `__zarr_consolidated_${crypto.randomUUID()}__`;
  const cm = doc.consolidated_metadata as Record<string, unknown>;
  doc.consolidated_metadata = { ...cm, metadata: token };
  const text = stringifyJSON(doc, indent);
  const quoted = JSON.stringify(token);
  const at = text.indexOf(quoted);
  const lineStart = text.lastIndexOf("\n", at) + 1;
  const pad = /^ */.exec(text.slice(lineStart))![0];
  const entries = consolidatedEntriesV3(m.consolidatedMetadata);
  return text.slice(0, at) + orderedObjectText(entries, indent, pad) +
    text.slice(at + quoted.length);
}

/**
 * Encodes array metadata into its documents, byte-identical to zarr-python 3: `{"zarr.json"}` for
 * v3, `{".zarray", ".zattrs"}` for v2 (`.zattrs` always written, `{}` when empty). `indent` is
 * the `json_indent` config (`null` for Python's compact form).
 *
 * @example
 * ```ts
 * import { encodeArrayMetadata } from "./document.ts";
 * import { createArrayMetadata } from "./create.ts";
 * import { parseDataType } from "./dtype.ts";
 * const m = createArrayMetadata({ zarrFormat: 2, shape: [3], dtype: parseDataType("|S1"), chunkShape: [3],
 *   fillValue: new TextEncoder().encode("X"), compressor: null });
 * Object.keys(encodeArrayMetadata(m)); // [".zarray", ".zattrs"]
 * ```
 */
export function encodeArrayMetadata(
  m: ArrayMetadata,
  indent: number | null = 2,
): Record<string, Uint8Array> {
  if (m.zarrFormat === 3) return { "zarr.json": bytesOf(arrayMetadataToV3JSON(m), indent) };
  const { zarray, zattrs } = arrayMetadataToV2Documents(m);
  return { ".zarray": bytesOf(zarray, indent), ".zattrs": bytesOf(zattrs, indent) };
}

/**
 * Encodes group metadata into its documents: `{"zarr.json"}` for v3 (consolidated metadata
 * inline), `{".zgroup", ".zattrs"}` for v2 plus a compact `.zmetadata` when the group holds
 * consolidated metadata — as zarr-python's `GroupMetadata.to_buffer_dict`.
 *
 * @example
 * ```ts
 * import { encodeGroupMetadata } from "./document.ts";
 * const files = encodeGroupMetadata({ zarrFormat: 3, nodeType: "group", attributes: {}, consolidatedMetadata: null });
 * new TextDecoder().decode(files["zarr.json"]); // '{\n  "attributes": {},\n  "zarr_format": 3,\n  "node_type": "group"\n}'
 * ```
 */
export function encodeGroupMetadata(
  m: GroupMetadata,
  indent: number | null = 2,
): Record<string, Uint8Array> {
  if (m.zarrFormat === 3) return { "zarr.json": encoder.encode(groupV3Text(m, indent)) };
  const docs = groupMetadataToV2Documents(m);
  const out: Record<string, Uint8Array> = {
    ".zgroup": bytesOf(docs.zgroup, indent),
    ".zattrs": bytesOf(docs.zattrs, indent),
  };
  // zarr-python writes the consolidated blob compactly (no indent)
  if (docs.zmetadata) out[".zmetadata"] = bytesOf(docs.zmetadata, null);
  return out;
}

/**
 * Encodes any node's metadata ({@link encodeArrayMetadata} or {@link encodeGroupMetadata}).
 *
 * @example
 * ```ts
 * import { encodeNodeMetadata } from "./document.ts";
 * Object.keys(encodeNodeMetadata({ zarrFormat: 2, nodeType: "group", attributes: {}, consolidatedMetadata: null }));
 * // [".zgroup", ".zattrs"]
 * ```
 */
export function encodeNodeMetadata(
  m: NodeMetadata,
  indent: number | null = 2,
): Record<string, Uint8Array> {
  return m.nodeType === "array" ? encodeArrayMetadata(m, indent) : encodeGroupMetadata(m, indent);
}

function pyStr(v: unknown): string {
  if (v === undefined || v === null) return "None";
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "bigint") return v.toString(); // huge integers parse as BigInt
  return JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x.toString() : x) ?? String(v);
}

/**
 * Decodes a v3 `zarr.json` into array or group metadata (dispatching on `node_type`). Bad JSON,
 * a `zarr_format` other than 3 or an unknown `node_type` raise `MetadataValidationError` naming
 * `where`.
 *
 * @example
 * ```ts
 * import { parseV3Document } from "./document.ts";
 * const g = parseV3Document(new TextEncoder().encode('{"zarr_format":3,"node_type":"group"}'), "zarr.json");
 * g.nodeType; // "group"
 * ```
 */
export function parseV3Document(
  bytes: Uint8Array,
  where = "zarr.json",
): ArrayMetadata | GroupMetadata {
  const json = parseJSONBytes(bytes, where);
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new MetadataValidationError(`Expected a JSON object in ${where}.`);
  }
  const o = json as Record<string, unknown>;
  if (o.zarr_format !== 3) {
    throw new MetadataValidationError(
      `Failed to parse input for 'zarr_format': expected Literal[3], got ${
        pyStr(o.zarr_format)
      } in ${where}.`,
    );
  }
  if (o.node_type === "array") return parseArrayMetadataV3(o, where);
  if (o.node_type === "group") return parseGroupMetadataV3(o, where);
  throw new MetadataValidationError(
    `Failed to parse input for 'node_type': expected Literal['array', 'group'], got ${
      pyStr(o.node_type)
    } in ${where}.`,
  );
}

function optionalJSON(bytes: Uint8Array | null | undefined, where: string): unknown {
  return bytes === null || bytes === undefined ? undefined : parseJSONBytes(bytes, where);
}

function sibling(where: string, name: string): string {
  const i = where.lastIndexOf("/");
  return i >= 0 ? where.slice(0, i + 1) + name : name;
}

/**
 * Decodes a v2 array from the bytes of `.zarray` and (optionally) `.zattrs`. `where` names the
 * `.zarray` key; the `.zattrs` key is derived from it for messages.
 *
 * @example
 * ```ts
 * import { parseV2ArrayDocuments } from "./document.ts";
 * const enc = new TextEncoder();
 * const m = parseV2ArrayDocuments(enc.encode('{"zarr_format":2,"shape":[2],"chunks":[2],"dtype":"<i2",' +
 *   '"fill_value":0,"order":"C","filters":null,"compressor":null}'), undefined, "a/.zarray");
 * m.dataType.name; // "int16"
 * ```
 */
export function parseV2ArrayDocuments(
  zarray: Uint8Array,
  zattrs?: Uint8Array | null,
  where = ".zarray",
): ArrayMetadata {
  return parseArrayMetadataV2(
    parseJSONBytes(zarray, where),
    optionalJSON(zattrs, sibling(where, ".zattrs")),
    where,
  );
}

/**
 * Decodes a v2 group from the bytes of `.zgroup` and, when present, `.zattrs` and `.zmetadata`.
 *
 * @example
 * ```ts
 * import { parseV2GroupDocuments } from "./document.ts";
 * const g = parseV2GroupDocuments(new TextEncoder().encode('{"zarr_format":2}'), undefined, undefined, ".zgroup");
 * g.zarrFormat; // 2
 * ```
 */
export function parseV2GroupDocuments(
  zgroup: Uint8Array,
  zattrs?: Uint8Array | null,
  zmetadata?: Uint8Array | null,
  where = ".zgroup",
): GroupMetadata {
  return parseGroupMetadataV2(
    parseJSONBytes(zgroup, where),
    optionalJSON(zattrs, sibling(where, ".zattrs")),
    optionalJSON(zmetadata, sibling(where, ".zmetadata")),
    where,
  );
}

/** The metadata documents found at one node path, by file name. */
export interface NodeDocuments {
  "zarr.json"?: Uint8Array | null;
  ".zarray"?: Uint8Array | null;
  ".zgroup"?: Uint8Array | null;
  ".zattrs"?: Uint8Array | null;
  ".zmetadata"?: Uint8Array | null;
}

/**
 * Decodes whichever documents exist at a node: `zarr.json` wins (as zarr-python favours v3 when
 * both formats exist; warning about it is the caller's job), then `.zarray`, then `.zgroup`
 * (with `.zmetadata` when given). Returns undefined when there is none. `prefix` is prepended to
 * the file names in messages (e.g. `"a/b/"`).
 *
 * @example
 * ```ts
 * import { decodeNodeMetadata } from "./document.ts";
 * decodeNodeMetadata({ ".zgroup": new TextEncoder().encode('{"zarr_format":2}') })?.nodeType; // "group"
 * ```
 */
export function decodeNodeMetadata(docs: NodeDocuments, prefix = ""): NodeMetadata | undefined {
  if (docs["zarr.json"]) return parseV3Document(docs["zarr.json"], prefix + "zarr.json");
  if (docs[".zarray"]) {
    return parseV2ArrayDocuments(docs[".zarray"], docs[".zattrs"], prefix + ".zarray");
  }
  if (docs[".zgroup"]) {
    return parseV2GroupDocuments(
      docs[".zgroup"],
      docs[".zattrs"],
      docs[".zmetadata"],
      prefix + ".zgroup",
    );
  }
  return undefined;
}

/**
 * Validates a user-supplied `zarr_format` argument: 2, 3, or null/undefined (meaning "either");
 * anything else raises zarr-python's `MetadataValidationError("Invalid value for 'zarr_format'.
 * Expected 2, 3, or None. Got '3.0'.")`.
 *
 * @example
 * ```ts
 * import { validateZarrFormat } from "./document.ts";
 * validateZarrFormat(3); // 3
 * validateZarrFormat(undefined); // undefined
 * ```
 */
export function validateZarrFormat(value: unknown): 2 | 3 | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 2 || value === 3) return value;
  throw new MetadataValidationError(
    `Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '${String(value)}'.`,
  );
}
