/**
 * Zarr format 3 `zarr.json` documents (arrays and groups, including zarr-python's inline
 * consolidated metadata) to and from the normalized model, following `core/metadata/v3.py` and
 * `core/group.py` of zarr-python 3: the same validation on read, the same JSON (field order,
 * evolved codecs, fill value encoding) on write.
 *
 * @example
 * ```ts
 * import { arrayMetadataToV3JSON, parseArrayMetadataV3 } from "./v3.ts";
 * const m = parseArrayMetadataV3({ zarr_format: 3, node_type: "array", shape: [4], data_type: "uint8",
 *   chunk_grid: { name: "regular", configuration: { chunk_shape: [2] } },
 *   chunk_key_encoding: { name: "default", configuration: { separator: "/" } }, fill_value: 0,
 *   codecs: [{ name: "bytes", configuration: { endian: "little" } }] }, "a/zarr.json");
 * arrayMetadataToV3JSON(m).codecs; // [{ name: "bytes" }]
 * ```
 * @module
 */
import {
  MetadataValidationError,
  NodeTypeValidationError,
  ZarrError,
  ZarrTypeError,
  ZarrValueError,
} from "../errors.ts";
import { dataTypeFromV3JSON, dataTypeToV3JSON } from "./dtype.ts";
import { fillValueFromJSON, fillValueJSONFor, hasNaNPayload } from "./fill_value.ts";
import { chunkKeyEncodingToJSON, parseChunkKeyEncoding } from "./chunk_key_encoding.ts";
import { evolveCodecsV3 } from "./codec_chain.ts";
import { emptyConsolidated, flattenConsolidated, sortConsolidatedKeys } from "./consolidated.ts";
import { arrayMetadataToV2Dict, parseArrayMetadataV2, parseGroupMetadataV2 } from "./v2.ts";
import type { ArrayMetadata, ConsolidatedMetadata, GroupMetadata, NodeMetadata } from "./model.ts";

/** The top-level keys the v3 spec defines for array metadata. */
export const ARRAY_METADATA_KEYS: ReadonlySet<string> = new Set([
  "zarr_format",
  "node_type",
  "data_type",
  "shape",
  "chunk_grid",
  "chunk_key_encoding",
  "fill_value",
  "codecs",
  "attributes",
  "storage_transformers",
  "dimension_names",
]);

const GROUP_METADATA_KEYS: ReadonlySet<string> = new Set([
  "zarr_format",
  "node_type",
  "attributes",
  "consolidated_metadata",
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

function pyStr(v: unknown): string {
  if (v === undefined || v === null) return "None";
  if (typeof v === "string") return `'${v}'`;
  return show(v);
}

/** Checks `zarr_format` of a v3 document. */
function checkZarrFormat3(v: unknown, where: string): void {
  if (v !== 3) {
    throw new MetadataValidationError(
      `Failed to parse input for 'zarr_format': expected Literal[3], got ${pyStr(v)} in ${where}.`,
    );
  }
}

/** Extension fields: allowed only as objects with `must_understand: false`. */
function extraFields(
  json: Record<string, unknown>,
  known: ReadonlySet<string>,
  where: string,
): Record<string, unknown> {
  const allowed: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const [k, v] of Object.entries(json)) {
    if (known.has(k)) continue;
    if (isObject(v) && v.must_understand === false) allowed[k] = v;
    else invalid.push(k);
  }
  if (invalid.length > 0) {
    throw new MetadataValidationError(
      `Got a Zarr V3 metadata document with the following disallowed extra fields: [${
        invalid.sort().map((k) => `'${k}'`).join(", ")
      }] in ${where}. Extra fields are not allowed unless they are a dict with a "must_understand" ` +
        "key which is assigned the value `False`.",
    );
  }
  return allowed;
}

function parseIntList(v: unknown, field: string, where: string, min: number): number[] {
  if (!Array.isArray(v)) {
    throw new ZarrTypeError(
      `Expected an iterable of integers for '${field}'. Got ${show(v)} in ${where}.`,
    );
  }
  return v.map((x) => {
    if (typeof x !== "number" || !Number.isSafeInteger(x)) {
      throw new ZarrTypeError(
        `Expected an iterable of integers for '${field}'. Got ${show(v)} in ${where}.`,
      );
    }
    if (x < min) {
      throw new ZarrValueError(
        min === 0
          ? `Expected all values of '${field}' to be non-negative. Got ${show(v)} in ${where}.`
          : `Dimension ${
            v.indexOf(x)
          }: integer chunk edge length must be >= 1, got ${x} in ${where}`,
      );
    }
    return x;
  });
}

function parseChunkGrid(v: unknown, where: string): number[] {
  if (!isObject(v)) {
    throw new ZarrTypeError(`Expected dict for 'chunk_grid', got ${show(v)} in ${where}`);
  }
  if (!("name" in v)) {
    throw new ZarrValueError(
      `Named configuration does not have a 'name' key. Got ${show(v)} in ${where}.`,
    );
  }
  if (v.name === "rectilinear") {
    throw new ZarrValueError(
      `Rectilinear chunk grids are experimental and not supported (in ${where}).`,
    );
  }
  if (v.name !== "regular") {
    throw new ZarrValueError(`Unknown chunk grid name: ${pyStr(v.name)} in ${where}`);
  }
  if (!isObject(v.configuration)) {
    throw new ZarrValueError(
      `Named configuration does not have a 'configuration' key. Got ${show(v)} in ${where}.`,
    );
  }
  return parseIntList(v.configuration.chunk_shape, "chunk_shape", where, 1);
}

function parseDimensionNames(v: unknown, where: string): (string | null)[] | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v) && v.every((x) => x === null || typeof x === "string")) return [...v];
  throw new ZarrTypeError(`Expected either None or an iterable of str, got ${show(v)} in ${where}`);
}

function parseAttributes(v: unknown, where: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) {
    throw new ZarrTypeError(
      `Expected dict with string keys for attributes. Got ${show(v)} in ${where}.`,
    );
  }
  return v;
}

/**
 * Reads a v3 array `zarr.json` (parsed JSON) with zarr-python 3's validation, messages naming
 * `where`: `zarr_format` must be 3 and `node_type` "array" (`MetadataValidationError` /
 * `NodeTypeValidationError`); `fill_value` is required and must fit the data type
 * (`ZarrTypeError("Invalid fill_value: …")`); unknown top-level keys are allowed only as objects
 * with `must_understand: false` (`MetadataValidationError` "disallowed extra fields"); `shape` is
 * non-negative integers; the chunk grid is `regular` with positive integers of the same length;
 * `dimension_names` matches the dimensions; a non-empty `storage_transformers` is rejected.
 * Codecs are evolved for the data type ({@link evolveCodecsV3}).
 *
 * @example
 * ```ts
 * import { parseArrayMetadataV3 } from "./v3.ts";
 * try {
 *   parseArrayMetadataV3({ zarr_format: 3, node_type: "array", foo: 1 }, "x/zarr.json");
 * } catch (e) {
 *   console.log((e as Error).name); // MetadataValidationError
 * }
 * ```
 */
export function parseArrayMetadataV3(json: unknown, where = "zarr.json"): ArrayMetadata {
  if (!isObject(json)) {
    throw new MetadataValidationError(`Expected a JSON object in ${where}, got ${show(json)}.`);
  }
  checkZarrFormat3(json.zarr_format, where);
  if (json.node_type !== "array") {
    throw new NodeTypeValidationError(
      `Failed to parse input for 'node_type': expected Literal['array'], got ${
        pyStr(json.node_type)
      } in ${where}.`,
    );
  }
  let dataType;
  try {
    dataType = dataTypeFromV3JSON(json.data_type);
  } catch (e) {
    if (e instanceof ZarrError) {
      throw new ZarrValueError(
        `Invalid data_type: ${show(json.data_type)} in ${where}: ${e.message}`,
      );
    }
    throw e;
  }
  if (!("fill_value" in json)) {
    throw new MetadataValidationError(`\`fill_value\` is required (missing in ${where}).`);
  }
  const fillValue = fillValueFromJSON(dataType, json.fill_value, 3, where);
  const extra = extraFields(json, ARRAY_METADATA_KEYS, where);
  const shape = parseIntList(json.shape, "shape", where, 0);
  const chunkShape = parseChunkGrid(json.chunk_grid, where);
  const chunkKeyEncoding = parseChunkKeyEncoding(json.chunk_key_encoding, where);
  const dimensionNames = parseDimensionNames(json.dimension_names, where);
  const attributes = parseAttributes(json.attributes, where);
  const st = json.storage_transformers;
  if (st !== undefined && st !== null) {
    if (!Array.isArray(st)) {
      throw new ZarrTypeError(
        `Invalid storage_transformers. Expected an iterable of dicts. Got ${show(st)} in ${where}.`,
      );
    }
    if (st.length > 0) {
      throw new ZarrValueError(
        `Array metadata contains storage transformers: ${show(st)} in ${where}. ` +
          "Arrays with storage transformers are not supported.",
      );
    }
  }
  if (shape.length !== chunkShape.length) {
    throw new ZarrValueError(
      `\`chunk_grid\` and \`shape\` need to have the same number of dimensions (in ${where}).`,
    );
  }
  if (dimensionNames !== null && dimensionNames.length !== shape.length) {
    throw new ZarrValueError(
      `\`dimension_names\` and \`shape\` need to have the same number of dimensions (in ${where}).`,
    );
  }
  if (json.codecs === undefined) {
    throw new MetadataValidationError(`\`codecs\` is required (missing in ${where}).`);
  }
  const codecs = evolveCodecsV3(json.codecs, dataType, { chunkShape, where });
  const m: ArrayMetadata = {
    zarrFormat: 3,
    nodeType: "array",
    shape,
    dataType,
    chunkShape,
    chunkKeyEncoding,
    fillValue,
    codecs,
    attributes,
    dimensionNames,
    order: "C",
    extraFields: extra,
  };
  if (hasNaNPayload(json.fill_value)) m.fillValueJSON = json.fill_value;
  return m;
}

/**
 * The v3 `zarr.json` object of an array, in zarr-python's field order: `shape, data_type,
 * chunk_grid, chunk_key_encoding, fill_value, codecs, attributes, dimension_names` (omitted when
 * null), `zarr_format, node_type, storage_transformers` (`[]`), then the extension fields. Fill
 * values use {@link fillValueJSONFor} (Python float form, special strings, kept NaN payloads).
 * The codecs are written as they are in the model (evolved when the model was built).
 *
 * @example
 * ```ts
 * import { arrayMetadataToV3JSON } from "./v3.ts";
 * import { createArrayMetadata } from "./create.ts";
 * import { parseDataType } from "./dtype.ts";
 * const m = createArrayMetadata({ zarrFormat: 3, shape: [100], dtype: parseDataType("int32"), chunkShape: [10] });
 * Object.keys(arrayMetadataToV3JSON(m)).at(-1); // "storage_transformers"
 * ```
 */
export function arrayMetadataToV3JSON(m: ArrayMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = {
    shape: [...m.shape],
    data_type: dataTypeToV3JSON(m.dataType),
    chunk_grid: { name: "regular", configuration: { chunk_shape: [...m.chunkShape] } },
    chunk_key_encoding: chunkKeyEncodingToJSON(m.chunkKeyEncoding),
    fill_value: fillValueJSONFor(
      m.dataType,
      m.fillValue ?? null,
      3,
      m.fillValueJSON,
    ),
    codecs: m.codecs,
    attributes: m.attributes,
  };
  if (m.dimensionNames !== null && m.dimensionNames !== undefined) {
    out.dimension_names = [...m.dimensionNames];
  }
  out.zarr_format = 3;
  out.node_type = "array";
  out.storage_transformers = [];
  for (const [k, v] of Object.entries(m.extraFields ?? {})) {
    if (ARRAY_METADATA_KEYS.has(k)) {
      throw new ZarrValueError(
        `Invalid extra fields. The following keys: ['${k}'] are invalid because they collide with ` +
          "keys reserved for use by the array metadata document.",
      );
    }
    out[k] = v;
  }
  return out;
}

function parseNodeEntry(k: string, v: unknown, where: string): NodeMetadata {
  const w = `${where} (consolidated entry '${k}')`;
  if (!isObject(v)) {
    throw new ZarrTypeError(
      `Invalid value for metadata items. key='${k}', type='${typeof v}' in ${where}`,
    );
  }
  const zf = v.zarr_format;
  if (zf === 3) {
    if (v.node_type === "group") return parseGroupMetadataV3(v, w);
    if (v.node_type === "array") return parseArrayMetadataV3(v, w);
    throw new MetadataValidationError(
      `Failed to parse input for 'node_type': expected Literal['array', 'group'], got ${
        pyStr(v.node_type)
      } in ${w}.`,
    );
  }
  if (zf === 2) {
    if ("shape" in v) return parseArrayMetadataV2(v, v.attributes, w);
    return parseGroupMetadataV2(v, v.attributes, undefined, w);
  }
  throw new MetadataValidationError(
    `Failed to parse input for 'zarr_format': expected Literal[2, 3], got ${pyStr(zf)} in ${w}.`,
  );
}

/**
 * Reads zarr-python's inline consolidated metadata (`{"kind":"inline","must_understand":false,
 * "metadata":{…}}`) into the flat model: keys are paths relative to the group; entries nested in
 * child groups are flattened in; every child group carries an empty consolidated marker (zarr-python
 * treats leaf groups without one as having no children, #3954). `kind` other than `"inline"`
 * raises `ZarrValueError`.
 *
 * @example
 * ```ts
 * import { parseConsolidatedV3 } from "./v3.ts";
 * const cm = parseConsolidatedV3({ kind: "inline", must_understand: false, metadata: {
 *   g: { zarr_format: 3, node_type: "group", attributes: {} } } }, "zarr.json");
 * cm.metadata.g.nodeType; // "group"
 * ```
 */
export function parseConsolidatedV3(json: unknown, where = "zarr.json"): ConsolidatedMetadata {
  if (!isObject(json)) {
    throw new ZarrTypeError(
      `Unexpected type for 'consolidated_metadata': ${show(json)} in ${where}`,
    );
  }
  if (json.kind !== "inline") {
    throw new ZarrValueError(
      `Consolidated metadata kind='${String(json.kind)}' is not supported (in ${where}).`,
    );
  }
  if (!isObject(json.metadata)) {
    throw new ZarrTypeError(`Unexpected type for 'metadata': ${show(json.metadata)} in ${where}`);
  }
  const parsed: Record<string, NodeMetadata> = {};
  for (const [k, v] of Object.entries(json.metadata)) parsed[k] = parseNodeEntry(k, v, where);
  const flat = flattenConsolidated({ kind: "inline", mustUnderstand: false, metadata: parsed });
  for (const [k, v] of Object.entries(flat)) {
    if (v.nodeType === "group" && v.consolidatedMetadata === null) {
      flat[k] = { ...v, consolidatedMetadata: emptyConsolidated() };
    }
  }
  return { kind: "inline", mustUnderstand: false, metadata: flat };
}

/**
 * Reads a v3 group `zarr.json` (parsed JSON): `zarr_format` 3, `node_type` "group"
 * (`NodeTypeValidationError` otherwise), attributes, and inline consolidated metadata when present
 * (see {@link parseConsolidatedV3}). Extension keys must be objects with `must_understand: false`
 * and are dropped.
 *
 * @example
 * ```ts
 * import { parseGroupMetadataV3 } from "./v3.ts";
 * parseGroupMetadataV3({ zarr_format: 3, node_type: "group", attributes: { a: 1 } }, "zarr.json").attributes; // { a: 1 }
 * ```
 */
export function parseGroupMetadataV3(json: unknown, where = "zarr.json"): GroupMetadata {
  if (!isObject(json)) {
    throw new MetadataValidationError(`Expected a JSON object in ${where}, got ${show(json)}.`);
  }
  checkZarrFormat3(json.zarr_format, where);
  if (json.node_type !== "group") {
    throw new NodeTypeValidationError(
      `Failed to parse input for 'node_type': expected Literal['group'], got ${
        pyStr(json.node_type)
      } in ${where}.`,
    );
  }
  extraFields(json, GROUP_METADATA_KEYS, where);
  const cm = json.consolidated_metadata;
  // zarr-python: `if consolidated_metadata:` (absent, null and {} mean none)
  const consolidated =
    cm === undefined || cm === null || (isObject(cm) && Object.keys(cm).length === 0)
      ? null
      : parseConsolidatedV3(cm, where);
  return {
    zarrFormat: 3,
    nodeType: "group",
    attributes: parseAttributes(json.attributes, where),
    consolidatedMetadata: consolidated,
  };
}

/**
 * zarr-python's `to_dict()` of any node, as embedded in consolidated metadata: v3 arrays as
 * {@link arrayMetadataToV3JSON}, v2 arrays as `ArrayV2Metadata.to_dict()` (with `attributes`),
 * groups as `{attributes, zarr_format, consolidated_metadata?, node_type}`.
 *
 * @example
 * ```ts
 * import { nodeMetadataToDict } from "./v3.ts";
 * nodeMetadataToDict({ zarrFormat: 3, nodeType: "group", attributes: {}, consolidatedMetadata: null });
 * // { attributes: {}, zarr_format: 3, node_type: "group" }
 * ```
 */
export function nodeMetadataToDict(m: NodeMetadata): Record<string, unknown> {
  if (m.nodeType === "array") {
    return m.zarrFormat === 3 ? arrayMetadataToV3JSON(m) : arrayMetadataToV2Dict(m);
  }
  return groupMetadataToV3JSON(m);
}

/**
 * The `consolidated_metadata` object of a group document: `{"kind":"inline",
 * "must_understand":false,"metadata":{…}}` with flat keys sorted by (depth, casefolded path) and
 * child groups carrying their own empty `consolidated_metadata`. Keys that look like integers
 * (`"10"`) lose this order in a JS object; {@link consolidatedEntriesV3} gives the ordered list
 * used for byte-exact documents.
 *
 * @example
 * ```ts
 * import { consolidatedMetadataToV3JSON } from "./v3.ts";
 * consolidatedMetadataToV3JSON({ kind: "inline", mustUnderstand: false, metadata: {} });
 * // { kind: "inline", must_understand: false, metadata: {} }
 * ```
 */
export function consolidatedMetadataToV3JSON(cm: ConsolidatedMetadata): Record<string, unknown> {
  return {
    kind: "inline",
    must_understand: false,
    metadata: Object.fromEntries(consolidatedEntriesV3(cm)),
  };
}

/**
 * The entries of consolidated metadata in zarr-python's written order, as `[path, dict]` pairs.
 *
 * @example
 * ```ts
 * import { consolidatedEntriesV3 } from "./v3.ts";
 * consolidatedEntriesV3({ kind: "inline", mustUnderstand: false, metadata: {} }); // []
 * ```
 */
export function consolidatedEntriesV3(
  cm: ConsolidatedMetadata,
): [string, Record<string, unknown>][] {
  const flat = flattenConsolidated(cm);
  return sortConsolidatedKeys(Object.keys(flat)).map((k) => [k, nodeMetadataToDict(flat[k])]);
}

/**
 * The v3 `zarr.json` object of a group, in zarr-python's `GroupMetadata` field order: `attributes,
 * zarr_format, consolidated_metadata` (only when present), `node_type`. (A v2 group model gives the
 * same shape with `zarr_format: 2`, which is how zarr-python embeds it in consolidated metadata.)
 *
 * @example
 * ```ts
 * import { groupMetadataToV3JSON } from "./v3.ts";
 * groupMetadataToV3JSON({ zarrFormat: 3, nodeType: "group", attributes: { a: 1 }, consolidatedMetadata: null });
 * // { attributes: { a: 1 }, zarr_format: 3, node_type: "group" }
 * ```
 */
export function groupMetadataToV3JSON(m: GroupMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: m.attributes, zarr_format: m.zarrFormat };
  if (m.consolidatedMetadata) {
    out.consolidated_metadata = consolidatedMetadataToV3JSON(m.consolidatedMetadata);
  }
  out.node_type = "group";
  return out;
}
