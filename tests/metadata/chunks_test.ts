import assert from "node:assert/strict";
import { ZarrTypeError, ZarrValueError } from "../../src/errors.ts";
import {
  guessChunks,
  normalizeChunks,
  normalizeShape,
  SHARDED_INNER_CHUNK_MAX_BYTES,
} from "../../src/metadata/chunks.ts";

Deno.test("guessChunks: zarr-python examples", () => {
  assert.deepEqual(guessChunks([1000, 1000], 1), [500, 500]); // test_auto_chunks
  assert.deepEqual(guessChunks([10000, 10000], 8), [313, 625]);
  assert.deepEqual(guessChunks([1e6], 4), [125000]);
  assert.deepEqual(guessChunks([365, 720, 1440], 4), [46, 90, 180]);
  assert.deepEqual(guessChunks([365, 720, 1440], 4, SHARDED_INNER_CHUNK_MAX_BYTES), [23, 45, 180]);
  assert.deepEqual(guessChunks([0], 4), [1]);
  assert.deepEqual(guessChunks([3, 4], 0), [3, 4]);
  assert.deepEqual(guessChunks([], 8), []);
  assert.deepEqual(guessChunks([10], 100 * 1024 * 1024), [1]); // element larger than max
  assert.deepEqual(guessChunks([100, 100], 8), [100, 100]); // small arrays stay whole
});

Deno.test("guessChunks: min >= max raises", () => {
  assert.throws(() => guessChunks([10], 1, 1000), ZarrValueError);
});

Deno.test("normalizeChunks: accepted forms", () => {
  assert.deepEqual(normalizeChunks(undefined, [1000, 1000], 1), [500, 500]);
  assert.deepEqual(normalizeChunks(null, [1000, 1000], 1), [500, 500]);
  assert.deepEqual(normalizeChunks("auto", [1000, 1000], 1), [500, 500]);
  assert.deepEqual(normalizeChunks(false, [10, 20], 4), [10, 20]);
  assert.deepEqual(normalizeChunks(false, [0, 20], 4), [1, 20]);
  assert.deepEqual(normalizeChunks(10, [100, 100], 4), [10, 10]);
  assert.deepEqual(normalizeChunks(-1, [100, 7], 4), [100, 7]);
  assert.deepEqual(normalizeChunks([-1, 5], [10, 20], 4), [10, 5]);
  assert.deepEqual(normalizeChunks([null, 5], [10, 20], 4), [10, 5]);
  assert.deepEqual(normalizeChunks([50], [10], 4), [50]); // larger than the shape is fine
  assert.deepEqual(normalizeChunks([[4, 4, 2]], [10], 4), [4]); // regular explicit list
  assert.deepEqual(normalizeChunks(3, [], 4), []);
  assert.deepEqual(normalizeChunks(5n, [10], 4), [5]);
});

Deno.test("normalizeChunks: errors", () => {
  assert.throws(() => normalizeChunks(true, [10], 4), ZarrValueError);
  assert.throws(() => normalizeChunks(0, [10], 4), ZarrValueError);
  assert.throws(() => normalizeChunks([-2], [10], 4), ZarrValueError);
  assert.throws(() => normalizeChunks([10, 10], [10], 4), /dimensions/);
  assert.throws(() => normalizeChunks([10], [10, 10], 4), ZarrValueError);
  assert.throws(() => normalizeChunks(10.5, [10], 4), ZarrTypeError);
  assert.throws(() => normalizeChunks([2.5], [10], 4), ZarrTypeError);
  assert.throws(() => normalizeChunks("big", [10], 4), ZarrTypeError);
  assert.throws(() => normalizeChunks({}, [10], 4), ZarrTypeError);
  assert.throws(() => normalizeChunks([[3, 5, 2]], [10], 4), /rectilinear/);
  assert.throws(() => normalizeChunks([[4, 4]], [10], 4), /sum/);
});

Deno.test("normalizeShape", () => {
  assert.deepEqual(normalizeShape(5), [5]);
  assert.deepEqual(normalizeShape([2, 3]), [2, 3]);
  assert.deepEqual(normalizeShape([]), []);
  assert.deepEqual(normalizeShape(4n), [4]);
  assert.throws(() => normalizeShape(2.5), ZarrTypeError); // test_create: float shape
  assert.throws(() => normalizeShape([2.5]), ZarrTypeError);
  assert.throws(() => normalizeShape(-1), ZarrValueError);
  assert.throws(() => normalizeShape([1, -1]), ZarrValueError);
  assert.throws(() => normalizeShape("10"), ZarrTypeError);
});
