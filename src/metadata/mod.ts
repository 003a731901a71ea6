/**
 * Metadata: v3 and v2 documents to one normalized model and back, data types, fill values,
 * chunk key encodings, chunk-shape defaults and codec chains as metadata. Pure functions; no I/O.
 *
 * @example
 * ```ts
 * import { createArrayMetadata, encodeArrayMetadata, parseDataType } from "./mod.ts";
 * const m = createArrayMetadata({ zarrFormat: 3, shape: [100], dtype: parseDataType("int32"), chunkShape: [10] });
 * console.log(Object.keys(encodeArrayMetadata(m))); // ["zarr.json"]
 * ```
 * @module
 */
export * from "./model.ts";
export * from "./dtype.ts";
export * from "./json.ts";
export * from "./fill_value.ts";
export * from "./chunk_key_encoding.ts";
export * from "./chunks.ts";
export * from "./codec_chain.ts";
export * from "./consolidated.ts";
export * from "./v2.ts";
export * from "./v3.ts";
export * from "./create.ts";
export * from "./document.ts";
