/**
 * Filter chains of Python's `lzma` module as numcodecs stores them (`[{"id": 3, "dist": 4},
 * {"id": 33, "preset": 1}]`): validation, the delta filter, and which chains this library can
 * code. Supported: an optional delta filter followed by LZMA2 (or, in raw streams, LZMA1). The
 * branch/call/jump filters (x86, PowerPC, IA-64, ARM, ARM-Thumb, SPARC, ARM64, RISC-V) are
 * refused with a clear error.
 *
 * @example
 * ```ts
 * import { deltaDecode, deltaEncode } from "./filters.ts";
 * const d = deltaEncode(new Uint8Array([1, 2, 3, 4]), 1);
 * console.log(d, deltaDecode(d.slice(), 1)); // Uint8Array [1, 1, 1, 1] Uint8Array [1, 2, 3, 4]
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";

/** Filter ids of liblzma. */
export const FILTER_DELTA = 0x03;
/** LZMA2. */
export const FILTER_LZMA2 = 0x21;
/** LZMA1 (0x4000000000000001, which a JSON number rounds to 2^62). */
export const FILTER_LZMA1 = 2 ** 62;

const BCJ_NAMES: Record<number, string> = {
  4: "x86 BCJ",
  5: "PowerPC BCJ",
  6: "IA-64 BCJ",
  7: "ARM BCJ",
  8: "ARM-Thumb BCJ",
  9: "SPARC BCJ",
  10: "ARM64 BCJ",
  11: "RISC-V BCJ",
};

/** One parsed filter of a chain. */
export type FilterSpec =
  | { kind: "delta"; dist: number }
  | {
    kind: "lzma1" | "lzma2";
    /** Preset of the filter options (0..9, maybe with the extreme flag); undefined = 6. */
    preset?: number;
    /** Explicit dictionary size. */
    dictSize?: number;
    lc: number;
    lp: number;
    pb: number;
  };

/**
 * A filter id as a number: the LZMA1 id 0x4000000000000001 (exact as a `bigint` from the
 * library's JSON reader, rounded to 2^62 by plain `JSON.parse`) becomes {@link FILTER_LZMA1}.
 *
 * @example
 * ```ts
 * import { FILTER_LZMA1, filterId } from "./filters.ts";
 * console.log(filterId(0x4000000000000001n) === FILTER_LZMA1); // true
 * ```
 */
export function filterId(id: number | bigint): number {
  if (typeof id === "bigint") return id === 0x4000000000000001n ? FILTER_LZMA1 : Number(id);
  return id;
}

/**
 * A readable name for a filter id.
 *
 * @example
 * ```ts
 * import { filterName } from "./filters.ts";
 * console.log(filterName(4)); // x86 BCJ
 * ```
 */
export function filterName(id: number): string {
  if (id === FILTER_DELTA) return "delta";
  if (id === FILTER_LZMA2) return "LZMA2";
  if (id === FILTER_LZMA1) return "LZMA1";
  return BCJ_NAMES[id] ?? `0x${id.toString(16)}`;
}

function intField(
  f: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const v = f[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new CodecError(
      `lzma: filter option '${key}' must be an integer in [${min}, ${max}], got ${
        JSON.stringify(v)
      }`,
    );
  }
  return v;
}

/**
 * Parses and validates a numcodecs `filters` list. Raises a {@link CodecError} for chains this
 * library cannot code (unknown or BCJ filters, LZMA not last, more than 4 filters).
 *
 * @example
 * ```ts
 * import { parseFilters } from "./filters.ts";
 * console.log(parseFilters([{ id: 3, dist: 4 }, { id: 33, preset: 1 }])[0]); // { kind: "delta", dist: 4 }
 * ```
 */
export function parseFilters(filters: unknown): FilterSpec[] {
  if (!Array.isArray(filters) || filters.length === 0 || filters.length > 4) {
    throw new CodecError(
      `lzma: 'filters' must be a list of 1 to 4 filter specifications, got ${
        JSON.stringify(filters)
      }`,
    );
  }
  const out: FilterSpec[] = [];
  filters.forEach((f, i) => {
    if (
      f === null || typeof f !== "object" || Array.isArray(f) ||
      (typeof f.id !== "number" && typeof f.id !== "bigint")
    ) {
      throw new CodecError(`lzma: filter ${i} must be an object with a numeric 'id'`);
    }
    const id = filterId(f.id);
    const last = i === filters.length - 1;
    if (id === FILTER_DELTA) {
      if (last) throw new CodecError("lzma: the delta filter cannot end a filter chain");
      out.push({ kind: "delta", dist: intField(f, "dist", 1, 256) ?? 1 });
    } else if (id === FILTER_LZMA2 || id === FILTER_LZMA1) {
      if (!last) throw new CodecError(`lzma: ${filterName(id)} must be the last filter`);
      const preset = intField(f, "preset", 0, 0xffffffff);
      if (preset !== undefined && (preset & 0x7fffffff) > 9) {
        throw new CodecError(`lzma: invalid preset ${preset}`);
      }
      const lc = intField(f, "lc", 0, 8) ?? 3;
      const lp = intField(f, "lp", 0, 4) ?? 0;
      const pb = intField(f, "pb", 0, 4) ?? 2;
      if (lc + lp > 4) throw new CodecError("lzma: lc + lp must not exceed 4 (as liblzma)");
      out.push({
        kind: id === FILTER_LZMA2 ? "lzma2" : "lzma1",
        preset,
        dictSize: intField(f, "dict_size", 4096, 0xffffffff),
        lc,
        lp,
        pb,
      });
    } else {
      throw new CodecError(`lzma: the ${filterName(id)} filter is not supported`);
    }
  });
  return out;
}

/**
 * Undoes the delta filter in place: `b[i] += b[i - dist]` with zero history.
 *
 * @example
 * ```ts
 * import { deltaDecode } from "./filters.ts";
 * console.log(deltaDecode(new Uint8Array([5, 1, 1]), 1)); // Uint8Array [5, 6, 7]
 * ```
 */
export function deltaDecode(b: Uint8Array, dist: number): Uint8Array {
  for (let i = dist; i < b.length; i++) b[i] = (b[i] + b[i - dist]) & 0xff;
  return b;
}

/**
 * Applies the delta filter: a new array with `out[i] = in[i] - in[i - dist]`.
 *
 * @example
 * ```ts
 * import { deltaEncode } from "./filters.ts";
 * console.log(deltaEncode(new Uint8Array([5, 6, 7]), 1)); // Uint8Array [5, 1, 1]
 * ```
 */
export function deltaEncode(b: Uint8Array, dist: number): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = i < dist ? b[i] : (b[i] - b[i - dist]) & 0xff;
  return out;
}
