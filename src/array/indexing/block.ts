/**
 * Block selection, zarr-python's `get_block_selection` / `blocks`: ints and slices count chunks
 * (blocks) instead of elements. It maps onto a basic selection of whole chunks, so it runs on
 * the basic fast path; no axis is dropped (an int selects one block, keeping the axis).
 *
 * Rules (zarr-python's `BlockIndexer`): an int block index may be negative (from the end) and
 * is bounds-checked with `BoundsCheckError("block index out of bounds for dimension with N
 * chunk(s)")`; slice bounds count blocks, negatives from the end, and the step must be 1 or
 * absent (`IndexError` otherwise); a slice starting at or past the end raises
 * `BoundsCheckError("index out of bounds for dimension with length N")`; arrays and other items
 * raise `IndexError`. In this library `null` (and `undefined`) select every block of an axis.
 *
 * @example
 * ```ts
 * import { BlockIndexer } from "./block.ts";
 * const ix = new BlockIndexer([-1, "1:3"], [30, 12], [7, 5]);
 * console.log(ix.dims); // [{ kind: "range", start: 28, stop: 30, step: 1, count: 2 }, { kind: "range", start: 5, stop: 12, step: 1, count: 7 }]
 * ```
 * @module
 */
import { BoundsCheckError, IndexError } from "../../errors.ts";
import { BasicIndexer } from "./basic.ts";
import {
  type BlockSelection,
  describeSelectionItem,
  type DimSelection,
  expandEllipsis,
  tupleItems,
} from "./selection.ts";
import { isSlice, slice, sliceIndices } from "./slice.ts";

/**
 * Converts a block selection into element ranges (one step-1 range per axis).
 *
 * @example
 * ```ts
 * import { normalizeBlockSelection } from "./block.ts";
 * console.log(normalizeBlockSelection([1], [10], [4])); // [{ kind: "range", start: 4, stop: 8, step: 1, count: 4 }]
 * ```
 */
export function normalizeBlockSelection(
  selection: BlockSelection,
  shape: readonly number[],
  chunkShape: readonly number[],
): DimSelection[] {
  const items = expandEllipsis(tupleItems(selection, shape), shape.length);
  return items.map((it, ax) => {
    const len = shape[ax];
    const c = chunkShape[ax];
    const nchunks = Math.ceil(len / c);
    let start: number;
    let stop: number;
    if (it === null || it === undefined) {
      start = 0;
      stop = len;
    } else if (typeof it === "number" || typeof it === "bigint") {
      let b = Number(it);
      if (!Number.isInteger(b)) {
        throw new IndexError(
          "unsupported selection item for block indexing; expected integer or slice, got " +
            describeSelectionItem(it),
        );
      }
      if (b < 0) b += nchunks;
      if (b < 0 || b >= nchunks) {
        throw new BoundsCheckError(
          `block index out of bounds for dimension with ${nchunks} chunk(s)`,
        );
      }
      start = b * c;
      stop = start + c;
    } else if (isSlice(it)) {
      if (it.step !== null && it.step !== 1) {
        throw new IndexError(
          "unsupported selection item for block indexing; expected integer or slice with " +
            `step=1, got slice with step ${it.step}`,
        );
      }
      let a = it.start ?? 0;
      let b = it.stop ?? nchunks;
      if (a < 0) a += nchunks;
      if (b < 0) b += nchunks;
      start = a < nchunks ? a * c : len;
      stop = b < nchunks ? b * c : len;
    } else {
      throw new IndexError(
        "unsupported selection item for block indexing; expected integer or slice, got " +
          describeSelectionItem(it),
      );
    }
    if (start >= len || start < 0) {
      throw new BoundsCheckError(`index out of bounds for dimension with length ${len}`);
    }
    const r = sliceIndices(slice(start, stop), len);
    return { kind: "range", start: r.start, stop: r.stop, step: 1, count: r.count };
  });
}

/**
 * Indexer for block selections: a {@link BasicIndexer} over the element ranges of the selected
 * blocks (whole chunks, clipped at the array's edge).
 *
 * @example
 * ```ts
 * import { BlockIndexer } from "./block.ts";
 * const ix = new BlockIndexer("1:", [10], [4]);
 * console.log(ix.shape, ix.nchunks); // [6] 2
 * ```
 */
export class BlockIndexer extends BasicIndexer {
  constructor(
    selection: BlockSelection,
    shape: readonly number[],
    chunkShape: readonly number[],
  ) {
    super(normalizeBlockSelection(selection, shape, chunkShape), shape, chunkShape);
  }
}
