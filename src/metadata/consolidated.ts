/**
 * Helpers for consolidated metadata shared by the v2 (`.zmetadata`) and v3 (inline) forms: the
 * flat key order zarr-python writes (depth, then NFKC-casefolded path; `core/group.py`
 * `ConsolidatedMetadata.to_dict`), flattening of nested maps, and the empty marker child groups
 * carry.
 *
 * @example
 * ```ts
 * import { sortConsolidatedKeys } from "./consolidated.ts";
 * sortConsolidatedKeys(["c/e", "b", "c", "a", "c/d"]); // ["a", "b", "c", "c/d", "c/e"]
 * ```
 * @module
 */
import type { ConsolidatedMetadata, NodeMetadata } from "./model.ts";

/**
 * Python's `str.casefold()` after `unicodedata.normalize("NFKC", s)`, closely approximated
 * (full case folding through upper- then lower-casing, so `ß` folds to `ss` and `ς` to `σ`).
 *
 * @example
 * ```ts
 * import { casefold } from "./consolidated.ts";
 * casefold("Straße"); // "strasse"
 * ```
 */
export function casefold(s: string): string {
  return s.normalize("NFKC").toUpperCase().toLowerCase();
}

/** Compares strings by code point, as Python does (JS `<` compares UTF-16 units). */
function cmpCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  while (true) {
    const x = ai.next();
    const y = bi.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function depth(k: string): number {
  let n = 0;
  for (const ch of k) if (ch === "/") n++;
  return n;
}

/**
 * Sorts consolidated-metadata keys the way zarr-python ≥ 3.1.1 writes them: by depth (number of
 * `/`), then by NFKC-casefolded path, stable for ties.
 *
 * @example
 * ```ts
 * import { sortConsolidatedKeys } from "./consolidated.ts";
 * sortConsolidatedKeys(["b/x", "B", "a"]); // ["a", "B", "b/x"]
 * ```
 */
export function sortConsolidatedKeys(keys: Iterable<string>): string[] {
  const decorated = [...keys].map((k, i) => ({ k, i, d: depth(k), f: casefold(k) }));
  decorated.sort((x, y) => x.d - y.d || cmpCodePoints(x.f, y.f) || x.i - y.i);
  return decorated.map((x) => x.k);
}

/**
 * An empty consolidated-metadata block: the marker zarr-python writes on child groups
 * (`{"kind":"inline","must_understand":false,"metadata":{}}`).
 *
 * @example
 * ```ts
 * import { emptyConsolidated } from "./consolidated.ts";
 * emptyConsolidated().metadata; // {}
 * ```
 */
export function emptyConsolidated(): ConsolidatedMetadata {
  return { kind: "inline", mustUnderstand: false, metadata: {} };
}

/**
 * Flattens consolidated metadata (zarr-python's `flattened_metadata`): keys become full paths
 * relative to the consolidating group, and each group entry keeps only an empty marker (when it
 * had consolidated metadata) or `null`. Input that is already flat comes back unchanged in content.
 *
 * @example
 * ```ts
 * import { flattenConsolidated } from "./consolidated.ts";
 * const g = { zarrFormat: 3 as const, nodeType: "group" as const, attributes: {}, consolidatedMetadata: null };
 * const nested = { kind: "inline" as const, mustUnderstand: false as const, metadata: {
 *   a: { ...g, consolidatedMetadata: { kind: "inline" as const, mustUnderstand: false as const, metadata: { b: g } } } } };
 * Object.keys(flattenConsolidated(nested)); // ["a", "a/b"]
 * ```
 */
export function flattenConsolidated(cm: ConsolidatedMetadata): Record<string, NodeMetadata> {
  const out: Record<string, NodeMetadata> = {};
  const visit = (key: string, node: NodeMetadata): void => {
    if (node.nodeType === "array") {
      if (!(key in out)) out[key] = node;
      return;
    }
    const inner = node.consolidatedMetadata;
    if (!(key in out)) {
      out[key] = { ...node, consolidatedMetadata: inner ? emptyConsolidated() : null };
    }
    if (inner) {
      for (const [name, child] of Object.entries(inner.metadata)) visit(`${key}/${name}`, child);
    }
  };
  for (const [k, v] of Object.entries(cm.metadata)) visit(k, v);
  return out;
}
