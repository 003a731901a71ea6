/**
 * Indexing: selections, indexers and chunk projections (basic, orthogonal, coordinate, mask and
 * block), plus {@link projectionBox} for partial chunk decoding.
 *
 * @example
 * ```ts
 * import { getIndexer, projectionBox } from "./mod.ts";
 * const ix = getIndexer([[9, 2], "1:3"], [10, 10], [5, 5]);
 * for (const p of ix) console.log(p.chunkCoords, projectionBox(p));
 * // [0, 0] { start: [2, 1], stop: [3, 3] }
 * // [1, 0] { start: [4, 1], stop: [5, 3] }
 * ```
 * @module
 */
export { BasicIndexer } from "./basic.ts";
export { BlockIndexer, normalizeBlockSelection } from "./block.ts";
export { chunkCoordsIter, chunkGridShape, chunkRegion } from "./chunk_grid.ts";
export { CoordinateIndexer, normalizeCoordinateSelection } from "./coordinate.ts";
export { getIndexer, vindexIndexer } from "./get_indexer.ts";
export { maskCoordinates, MaskIndexer } from "./mask.ts";
export {
  normalizeOrthogonalSelection,
  OrthogonalIndexer,
  orthogonalIndexer,
} from "./orthogonal.ts";
export { projectionBox } from "./projection.ts";
export type {
  BasicProjection,
  ChunkProjection,
  Indexer,
  OrthogonalProjection,
  PointProjection,
} from "./projection.ts";
export { normalizeBasicSelection, parseSelectionString } from "./selection.ts";
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
} from "./selection.ts";
export { ellipsis, slice } from "./slice.ts";
