import assert from "node:assert/strict";
import {
  casefold,
  emptyConsolidated,
  flattenConsolidated,
  sortConsolidatedKeys,
} from "../../src/metadata/consolidated.ts";
import type { GroupMetadata } from "../../src/metadata/model.ts";

const group = (cm: GroupMetadata["consolidatedMetadata"] = null): GroupMetadata => ({
  zarrFormat: 3,
  nodeType: "group",
  attributes: {},
  consolidatedMetadata: cm,
});

Deno.test("keys sorted by (depth, casefolded path) (test_to_dict_order)", () => {
  assert.deepEqual(sortConsolidatedKeys(["b", "c", "a", "c/e", "c/d"]), [
    "a",
    "b",
    "c",
    "c/d",
    "c/e",
  ]);
  assert.deepEqual(sortConsolidatedKeys(["b/x", "B", "a/x", "A"]), ["A", "B", "a/x", "b/x"]);
  // ties keep their order (Python's sort is stable)
  assert.deepEqual(sortConsolidatedKeys(["study", "Study"]), ["study", "Study"]);
  // strings, not numbers: "10" < "9"
  assert.deepEqual(sortConsolidatedKeys(["9", "10"]), ["10", "9"]);
});

Deno.test("casefold approximates Python's NFKC casefold", () => {
  assert.equal(casefold("Straße"), "strasse");
  assert.equal(casefold("ΣΑΣ"), casefold("σας"));
  assert.equal(casefold("ﬁ"), "fi"); // NFKC
});

Deno.test("flatten nested consolidated metadata", () => {
  const nested = {
    kind: "inline" as const,
    mustUnderstand: false as const,
    metadata: {
      a: group({
        kind: "inline",
        mustUnderstand: false,
        metadata: { b: group(emptyConsolidated()), c: group() },
      }),
      d: group(),
    },
  };
  const flat = flattenConsolidated(nested);
  assert.deepEqual(Object.keys(flat), ["a", "a/b", "a/c", "d"]);
  assert.deepEqual((flat.a as GroupMetadata).consolidatedMetadata, emptyConsolidated());
  assert.deepEqual((flat["a/b"] as GroupMetadata).consolidatedMetadata, emptyConsolidated());
  assert.equal((flat["a/c"] as GroupMetadata).consolidatedMetadata, null);
  // flattening a flat map changes nothing
  assert.deepEqual(
    flattenConsolidated({ kind: "inline", mustUnderstand: false, metadata: flat }),
    flat,
  );
});
