/**
 * A Deno-native Zarr (v2 and v3) library with zarr-python 3's `zarr.api.asynchronous`.
 *
 * @example
 * ```ts
 * import * as zarr from "./mod.ts";
 * const z = await zarr.zeros([100, 100], { chunks: [10, 10], dtype: "float32" });
 * await z.setitem("0:10, 0:10", 1);
 * const window = await z.getitem("5:15, 5:15");
 * console.log(window.shape); // [10, 10]
 * ```
 * @module
 */
export { consolidateMetadata, tree } from "./src/api/consolidate.ts";
export { copy, copyAll, CopyError, copyStore } from "./src/api/copy.ts";
export type { CopyNodeOptions, CopyOptions, CopyStoreOptions, IfExists } from "./src/api/copy.ts";
export {
  array,
  create,
  createArray,
  empty,
  emptyLike,
  full,
  fullLike,
  ones,
  onesLike,
  zeros,
  zerosLike,
} from "./src/api/create.ts";
export type { CreateArrayOptions, CreateOptions } from "./src/api/create.ts";
export { createGroup, group } from "./src/api/group.ts";
export type { GroupOptions } from "./src/api/group.ts";
export { load, open, openArray, openConsolidated, openGroup, openLike } from "./src/api/open.ts";
export type { OpenGroupOptions, OpenOptions } from "./src/api/open.ts";
export { save, saveArray, saveGroup } from "./src/api/save.ts";
export type { SaveArrayOptions } from "./src/api/save.ts";
export { cpu } from "./src/api/meta_array.ts";
export type { AccessMode, StorePath } from "./src/api/store_path.ts";

export { AsyncArray } from "./src/array/array.ts";
export { AsyncGroup } from "./src/group/group.ts";
export type { ArrayCreateOptions } from "./src/array/create.ts";
export { ellipsis, slice } from "./src/array/indexing/slice.ts";
export type {
  BasicSelection,
  BlockSelection,
  BooleanMask,
  CoordinateSelection,
  IntegerArray,
  IntegerTypedArray,
  MaskSelection,
  OrthogonalSelection,
  OrthogonalSelectionItem,
  Selection,
  SelectionItem,
} from "./src/array/indexing/selection.ts";
export type { AsyncBlockIndex, AsyncOIndex, AsyncVIndex } from "./src/array/array.ts";
export { TreeRepr } from "./src/group/tree.ts";
export type { NDArray } from "./src/buffer/ndarray.ts";
export type { ReadOptions } from "./src/array/read.ts";
export { emptyOutput, type EmptyOutputOptions, type ReadOut } from "./src/array/read_out.ts";
export type { WriteOptions } from "./src/array/write.ts";
export { ndarray } from "./src/buffer/ndarray.ts";
export { config } from "./src/config.ts";
export * from "./src/errors.ts";
export * from "./src/stores/mod.ts";
export type { DataType, Scalar } from "./src/metadata/dtype.ts";
// --- display and progress (issue 6) ---
export { arrayDisplay, arrayHtml, arrayPreview } from "./src/display/array_html.ts";
export type { ProgressCallback, ProgressEvent, ProgressOption } from "./src/display/progress.ts";
export { progressReporter } from "./src/display/progress.ts";
export { TREE_MIME_TYPE, TREE_SCHEMA_VERSION } from "./src/group/tree.ts";
// --- end display and progress ---
// --- gpu (issue 5): WebGPU prototype, GPUNDArray ---
/** The GPU layer: `await zarr.gpu.webgpu()`, `GPUNDArray` (see gpu/mod.ts). */
export * as gpu from "./gpu/mod.ts";
// --- end gpu ---
