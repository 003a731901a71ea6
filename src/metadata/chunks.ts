/**
 * Shapes and chunk shapes: zarr-python's chunk guessing (`_guess_regular_chunks`, adapted from
 * h5py), its `normalize_chunks_nd` rules, and `parse_shapelike`.
 *
 * @example
 * ```ts
 * import { guessChunks, normalizeChunks } from "./chunks.ts";
 * console.log(guessChunks([1000, 1000], 1)); // [500, 500]
 * console.log(normalizeChunks(10, [100, 100], 4)); // [10, 10]
 * ```
 * @module
 */
import { ZarrTypeError, ZarrValueError } from "../errors.ts";

/** Ceiling (bytes) of auto-chunking for the inner chunks of sharded arrays (1 MiB). */
export const SHARDED_INNER_CHUNK_MAX_BYTES = 1048576;

function show(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Guesses a regular chunk shape for an array of `shape` with elements of `itemsize` bytes, exactly
 * as zarr-python's `guess_chunks`: start from the shape (at least 1 per axis) and halve axes
 * round-robin until the chunk is under the target size (256 KiB × 2^log10(MiB of the array),
 * clamped to [128 KiB, maxBytes]) or within 50% of it, and under `maxBytes` (default 64 MiB).
 * `itemsize` 0 returns the shape; use 1 for variable-length types.
 *
 * @example
 * ```ts
 * import { guessChunks } from "./chunks.ts";
 * guessChunks([10000, 10000], 8); // [313, 625]
 * guessChunks([365, 720, 1440], 4, 1048576); // [23, 45, 180]
 * ```
 */
export function guessChunks(
  shape: readonly number[],
  itemsize: number,
  maxBytes?: number,
): number[] {
  const incrementBytes = 256 * 1024;
  const minBytes = 128 * 1024;
  const max = maxBytes ?? 64 * 1024 * 1024;
  if (minBytes >= max) {
    throw new ZarrValueError(`Cannot have more min_bytes (${minBytes}) than max_bytes (${max})`);
  }
  if (itemsize === 0) return [...shape];
  const ndims = shape.length;
  const chunks = shape.map((s) => Math.max(s, 1));
  const prod = () => chunks.reduce((a, b) => a * b, 1);
  const dsetSize = prod() * itemsize;
  let target = incrementBytes * 2 ** Math.log10(dsetSize / (1024.0 * 1024));
  if (target > max) target = max;
  else if (target < minBytes) target = minBytes;
  let idx = 0;
  while (true) {
    const chunkBytes = prod() * itemsize;
    if (
      (chunkBytes < target || Math.abs(chunkBytes - target) / target < 0.5) && chunkBytes < max
    ) break;
    if (prod() === 1) break; // element size larger than max_bytes
    chunks[idx % ndims] = Math.ceil(chunks[idx % ndims] / 2.0);
    idx++;
  }
  return chunks.map((c) => Math.trunc(c));
}

function isRegular1d(sizes: number[]): boolean {
  if (sizes.length <= 1) return true;
  const first = sizes[0];
  for (let i = 1; i < sizes.length - 1; i++) if (sizes[i] !== first) return false;
  return sizes[sizes.length - 1] <= first;
}

function normalize1d(c: unknown, span: number, dim: number): number {
  if (c === null || c === undefined) return Math.max(span, 1);
  if (typeof c === "bigint") c = Number(c);
  if (typeof c === "number") {
    if (!Number.isFinite(c) || !Number.isInteger(c)) {
      throw new ZarrTypeError(
        `Each chunk size must be an integer; got non-integer element ${show(c)} at index ${dim}.`,
      );
    }
    if (c === -1) return Math.max(span, 1);
    if (c <= 0) throw new ZarrValueError(`Chunk size must be positive, got ${c}`);
    return c;
  }
  if (Array.isArray(c)) {
    // an explicit list of chunk sizes for this axis: accepted when it describes a regular grid
    if (c.length === 0) throw new ZarrValueError("Chunk specification must not be empty");
    for (const x of c) {
      if (typeof x !== "number" || !Number.isInteger(x)) {
        throw new ZarrTypeError(
          `Each chunk size must be an integer; got non-integer element(s) ${show(c)}.`,
        );
      }
    }
    const ints = c as number[];
    if (ints.some((x) => x <= 0)) {
      throw new ZarrValueError(`All chunk sizes must be positive, got ${show(ints)}`);
    }
    const sum = ints.reduce((a, b) => a + b, 0);
    if (sum !== span) {
      throw new ZarrValueError(`Chunk sizes ${show(ints)} do not sum to span ${span}`);
    }
    if (!isRegular1d(ints)) {
      throw new ZarrValueError(
        `Chunk sizes ${show(ints)} describe a rectilinear chunk grid, which is not supported`,
      );
    }
    return ints[0];
  }
  throw new ZarrTypeError(
    `Each chunk size must be an integer; got ${show(c)} of type ${typeof c} at index ${dim}.`,
  );
}

/**
 * Normalizes a user chunk specification for an array of `shape` (zarr-python's creation rules):
 * `undefined`, `null` or `"auto"` guess ({@link guessChunks}); `true` raises `ZarrValueError`
 * (as zarr-python ≥ 3.2 does); `false` gives one chunk; an integer broadcasts to every axis;
 * `-1` or `null` in an axis means the full extent; zero or negative sizes and length mismatches
 * raise `ZarrValueError`; non-integers raise `ZarrTypeError`. A full-extent chunk of an empty axis
 * is 1 (zarr-python would write 0, which its own grid rejects). An explicit per-axis list of chunk
 * sizes is accepted when it is regular.
 *
 * @example
 * ```ts
 * import { normalizeChunks } from "./chunks.ts";
 * normalizeChunks([-1, 5], [10, 20], 4); // [10, 5]
 * normalizeChunks(false, [10, 20], 4); // [10, 20]
 * ```
 */
export function normalizeChunks(
  chunks: unknown,
  shape: readonly number[],
  itemsize: number,
): number[] {
  if (chunks === undefined || chunks === null || chunks === "auto") {
    return guessChunks(shape, itemsize);
  }
  if (chunks === true) {
    throw new ZarrValueError(
      'true is not a valid chunk input. Use chunks=undefined or chunks="auto" for ' +
        "auto-chunking, or pass an int / array of ints.",
    );
  }
  if (chunks === false) return shape.map((s) => Math.max(s, 1));
  if (typeof chunks === "number" || typeof chunks === "bigint") {
    return shape.map((s, i) => normalize1d(chunks, s, i));
  }
  if (Array.isArray(chunks)) {
    if (chunks.length !== shape.length) {
      throw new ZarrValueError(
        `chunks has ${chunks.length} dimensions but shape has ${shape.length} dimensions`,
      );
    }
    return shape.map((s, i) => normalize1d(chunks[i], s, i));
  }
  throw new ZarrTypeError(
    `Chunk specification must be an integer or an array of integers; got ${show(chunks)} of type ` +
      `${typeof chunks}.`,
  );
}

/**
 * Normalizes a shape (zarr-python's `parse_shapelike`): an integer becomes `[n]`; elements must be
 * integers (`ZarrTypeError` otherwise) and non-negative (`ZarrValueError`).
 *
 * @example
 * ```ts
 * import { normalizeShape } from "./chunks.ts";
 * normalizeShape(5); // [5]
 * normalizeShape([2, 3]); // [2, 3]
 * ```
 */
export function normalizeShape(shape: unknown): number[] {
  const asInt = (v: unknown): number | undefined => {
    if (typeof v === "bigint") {
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : undefined;
    }
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    return undefined;
  };
  if (typeof shape === "number" || typeof shape === "bigint") {
    const n = asInt(shape);
    if (n === undefined) {
      throw new ZarrTypeError(
        `Expected an integer or an iterable of integers. Got ${show(shape)} instead.`,
      );
    }
    if (n < 0) throw new ZarrValueError(`Expected a non-negative integer. Got ${n} instead`);
    return [n];
  }
  if (!Array.isArray(shape)) {
    throw new ZarrTypeError(
      `Expected an integer or an iterable of integers. Got ${show(shape)} instead.`,
    );
  }
  const out: number[] = [];
  for (const v of shape) {
    const n = asInt(v);
    if (n === undefined) {
      throw new ZarrTypeError(`Expected an iterable of integers. Got ${show(shape)} instead.`);
    }
    out.push(n);
  }
  if (out.some((n) => n < 0)) {
    throw new ZarrValueError(`Expected all values to be non-negative. Got ${show(shape)} instead.`);
  }
  return out;
}
