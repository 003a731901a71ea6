/**
 * The regular chunk grid: how many chunks per axis, iteration over chunk coordinates, the
 * region of the array a chunk covers, and whether a chunk projection covers a whole chunk.
 *
 * @example
 * ```ts
 * import { chunkGridShape, chunkRegion } from "./chunk_grid.ts";
 * console.log(chunkGridShape([10, 7], [4, 7])); // [3, 1]
 * console.log(chunkRegion([2, 0], [4, 7], [10, 7]));
 * // [{ start: 8, step: 1, count: 2 }, { start: 0, step: 1, count: 7 }]
 * ```
 * @module
 */
import { ZarrValueError } from "../../errors.ts";
import type { DimRange } from "../../buffer/copy.ts";

function checkGrid(shape: readonly number[], chunks: readonly number[]): void {
  if (shape.length !== chunks.length) {
    throw new ZarrValueError(
      `chunk shape [${chunks}] has ${chunks.length} dimensions but the array shape [${shape}] ` +
        `has ${shape.length}`,
    );
  }
  for (let i = 0; i < chunks.length; i++) {
    if (!Number.isInteger(chunks[i]) || chunks[i] < 1) {
      throw new ZarrValueError(`chunk sizes must be positive integers, got [${chunks}]`);
    }
    if (!Number.isInteger(shape[i]) || shape[i] < 0) {
      throw new ZarrValueError(`array shape must be non-negative integers, got [${shape}]`);
    }
  }
}

/**
 * Number of chunks along each axis (`ceil(shape / chunks)`; a 0-length axis has 0 chunks).
 *
 * @example
 * ```ts
 * import { chunkGridShape } from "./chunk_grid.ts";
 * console.log(chunkGridShape([100, 0, 5], [30, 10, 5])); // [4, 0, 1]
 * ```
 */
export function chunkGridShape(shape: readonly number[], chunks: readonly number[]): number[] {
  checkGrid(shape, chunks);
  return shape.map((n, i) => Math.ceil(n / chunks[i]));
}

/**
 * Iterates all chunk coordinates of a grid in C order (last axis fastest). A 0-d grid yields
 * `[]` once; a grid with a 0 extent yields nothing. Each yielded array is fresh.
 *
 * @example
 * ```ts
 * import { chunkCoordsIter } from "./chunk_grid.ts";
 * console.log([...chunkCoordsIter([2, 2])]); // [[0, 0], [0, 1], [1, 0], [1, 1]]
 * ```
 */
export function* chunkCoordsIter(gridShape: readonly number[]): Generator<number[]> {
  const r = gridShape.length;
  for (const n of gridShape) if (n <= 0) return;
  const idx = new Array<number>(r).fill(0);
  for (;;) {
    yield idx.slice();
    let ax = r - 1;
    for (; ax >= 0; ax--) {
      if (++idx[ax] < gridShape[ax]) break;
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}

/**
 * The region of the array that the chunk at `coords` covers, clipped at the array's edge, as
 * one step-1 {@link DimRange} per axis (array coordinates).
 *
 * @example
 * ```ts
 * import { chunkRegion } from "./chunk_grid.ts";
 * console.log(chunkRegion([1], [4], [6])); // [{ start: 4, step: 1, count: 2 }]
 * ```
 */
export function chunkRegion(
  coords: readonly number[],
  chunks: readonly number[],
  shape: readonly number[],
): DimRange[] {
  checkGrid(shape, chunks);
  if (coords.length !== shape.length) {
    throw new ZarrValueError(`chunk coordinates [${coords}] do not match shape [${shape}]`);
  }
  return coords.map((c, i) => {
    const start = c * chunks[i];
    if (!Number.isInteger(c) || c < 0 || start >= shape[i]) {
      throw new ZarrValueError(`chunk coordinates [${coords}] are outside the grid`);
    }
    return { start, step: 1, count: Math.min(chunks[i], shape[i] - start) };
  });
}

/**
 * True when a chunk-local selection writes every element of the chunk at `coords` that lies
 * within the array. Elements of an edge chunk beyond the array's bounds are padding (fill
 * value) and do not count, so a write covering the clipped region is complete and needs no
 * read-modify-write. Ranges select distinct elements, so it suffices that each axis' range
 * stays inside the chunk and its count equals the clipped extent.
 *
 * @example
 * ```ts
 * import { isCompleteChunkSelection } from "./chunk_grid.ts";
 * // array [10], chunks [4]: the last chunk holds 2 real elements
 * console.log(isCompleteChunkSelection([{ start: 1, step: -1, count: 2 }], [2], [4], [10])); // true
 * console.log(isCompleteChunkSelection([{ start: 0, step: 1, count: 3 }], [0], [4], [10])); // false
 * ```
 */
export function isCompleteChunkSelection(
  chunkSelection: readonly DimRange[],
  coords: readonly number[],
  chunks: readonly number[],
  shape: readonly number[],
): boolean {
  if (chunkSelection.length !== chunks.length) return false;
  for (let i = 0; i < chunks.length; i++) {
    const extent = Math.min(chunks[i], shape[i] - coords[i] * chunks[i]);
    const { start, step, count } = chunkSelection[i];
    if (count !== extent) return false;
    if (count > 1 && step === 0) return false;
    const last = start + (count - 1) * step;
    if (Math.min(start, last) < 0 || Math.max(start, last) >= extent) return false;
  }
  return true;
}
