import assert from "node:assert/strict";
import {
  ellipsis,
  isEllipsis,
  isSlice,
  slice,
  sliceIndices,
} from "../../src/array/indexing/slice.ts";
import {
  isBasicSelection,
  normalizeBasicSelection,
  parseSelectionString,
  selectionShape,
} from "../../src/array/indexing/selection.ts";
import {
  BoundsCheckError,
  IndexError,
  NegativeStepError,
  ZarrError,
  ZarrValueError,
} from "../../src/errors.ts";

// [length, start, stop, step, list(range(length)[slice(start, stop, step)])] from CPython.
const PY_SLICES: [number, number | null, number | null, number | null, number[]][] = JSON.parse(
  `[[5,-6,2,null,[0,1]],[1,7,-7,2,[]],[0,6,-4,null,[]],[1,3,3,-3,[]],[3,-8,7,3,[0]],[0,8,-7,-1,[]],[0,8,8,3,[]],[0,-3,-9,-2,[]],[4,3,-6,-3,[3,0]],[4,7,-5,-3,[3,0]],[3,1,-7,-3,[1]],[0,9,-4,5,[]],[6,0,4,5,[0]],[5,-1,-3,-2,[4]],[3,-8,8,1,[0,1,2]],[7,0,4,1,[0,1,2,3]],[1,-7,6,3,[0]],[2,0,-6,5,[]],[6,-9,-8,2,[]],[5,1,9,5,[1]],[7,-8,-8,1,[]],[7,-8,-9,1,[]],[7,-1,2,2,[]],[0,4,1,-2,[]],[1,5,-9,-1,[0]],[4,-6,-3,3,[0]],[6,5,-8,-2,[5,3,1]],[7,2,7,1,[2,3,4,5,6]],[2,3,7,1,[]],[6,1,2,-1,[]],[2,-8,-5,-2,[]],[3,-3,null,5,[0]],[2,-2,-1,null,[0]],[2,3,7,2,[]],[5,-6,6,null,[0,1,2,3,4]],[7,7,2,3,[]],[6,2,-7,5,[]],[6,-9,-4,-3,[]],[3,4,-5,-3,[2]],[5,9,-9,-3,[4,1]],[0,8,-6,-3,[]],[5,9,null,-3,[4,1]],[3,9,2,-2,[]],[4,1,9,2,[1,3]],[7,-7,-7,5,[]],[7,5,5,1,[]],[1,-6,-7,2,[]],[4,5,-5,null,[]],[3,6,1,-2,[2]],[0,6,-1,-3,[]],[4,6,1,-2,[3]],[5,-3,7,2,[2,4]],[3,9,-4,-1,[2,1,0]],[6,-3,-4,5,[]],[5,null,null,1,[0,1,2,3,4]],[7,-2,-4,2,[]],[7,1,1,-3,[]],[3,-7,-3,5,[]],[3,0,-4,5,[]],[0,5,1,-3,[]],[1,2,-4,5,[]],[2,3,0,-3,[1]],[6,4,2,-3,[4]],[2,-5,-6,null,[]],[2,8,4,-2,[]],[7,1,-6,-2,[]],[0,null,-7,-2,[]],[6,-4,-4,null,[]],[4,-4,-1,-1,[]],[5,-2,7,3,[3]],[2,-9,1,5,[0]],[6,6,-6,-2,[5,3,1]],[0,4,-5,null,[]],[2,-5,-6,5,[]],[1,7,-9,2,[]],[7,-7,7,null,[0,1,2,3,4,5,6]],[3,-4,-2,null,[0]],[1,6,4,null,[]],[1,4,0,-1,[]],[4,4,6,5,[]],[3,6,-2,-1,[2]],[7,-6,3,-3,[]],[6,4,0,-3,[4,1]],[3,3,-8,-1,[2,1,0]],[4,-7,-6,2,[]],[2,-2,-6,5,[]],[3,-7,2,5,[0]],[2,-3,-5,3,[]],[6,0,3,-1,[]],[5,0,-8,2,[]],[0,0,7,5,[]],[7,null,2,2,[0]],[4,6,-8,-3,[3,0]],[3,-7,-8,1,[]],[4,-9,-5,1,[]],[2,3,-2,3,[]],[2,7,6,5,[]],[5,-8,-2,null,[0,1,2]],[2,3,-8,1,[]],[0,-8,-2,-3,[]],[3,-8,-2,-3,[]],[7,null,0,3,[]],[4,9,-6,null,[]],[3,-7,-5,1,[]],[0,-5,-4,1,[]],[4,6,-4,1,[]],[7,6,-5,1,[]],[5,null,-2,null,[0,1,2]],[0,null,6,-1,[]],[7,-3,4,-3,[]],[6,5,7,3,[5]],[4,-4,-3,2,[0]],[3,-6,2,2,[0]],[0,-6,null,-3,[]],[4,3,-5,null,[]],[1,2,6,1,[]],[3,-1,-9,5,[]],[2,-5,-2,5,[]],[0,-2,1,2,[]],[5,-3,-9,1,[]],[3,1,-5,null,[]],[5,2,-8,5,[]],[4,6,-4,-1,[3,2,1]],[2,2,8,null,[]],[6,null,-1,1,[0,1,2,3,4]],[3,-8,8,-2,[]],[6,0,5,-2,[]],[6,6,-6,null,[]],[3,-8,null,null,[0,1,2]],[2,1,-7,3,[]],[7,7,-9,null,[]],[3,5,-2,null,[]],[7,-8,6,-3,[]],[1,5,-2,-3,[0]],[4,-3,-4,-1,[1]],[7,5,2,-3,[5]],[7,-1,-9,-1,[6,5,4,3,2,1,0]],[1,9,-6,2,[]],[4,-1,9,-2,[]],[0,5,-9,5,[]],[4,-7,-4,5,[]],[4,6,-1,5,[]],[7,4,-7,-1,[4,3,2,1]],[4,-8,5,null,[0,1,2,3]],[4,4,-8,5,[]],[4,2,-4,-1,[2,1]],[1,8,-8,-2,[0]],[4,1,-6,1,[]],[1,1,-3,5,[]],[7,2,null,-2,[2,0]],[0,5,4,3,[]],[4,-6,3,2,[0,2]],[6,0,-7,2,[]],[0,0,0,3,[]],[1,-4,null,1,[0]],[4,1,-8,3,[]],[6,8,-8,2,[]],[6,-2,-9,1,[]],[1,-9,-1,-2,[]],[3,-2,3,2,[1]],[3,1,3,null,[1,2]],[6,7,7,-1,[]],[1,-9,3,5,[0]],[2,-1,5,null,[1]],[2,-5,5,3,[0]],[5,-1,-1,1,[]],[4,2,-3,1,[]],[7,7,2,-3,[6,3]],[2,-5,-8,-1,[]],[7,7,-3,5,[]],[5,4,3,-2,[4]],[3,-3,-8,-2,[0]],[5,7,-8,2,[]],[3,1,-2,-1,[]],[0,3,2,3,[]],[3,2,-2,2,[]],[0,5,-2,2,[]],[2,6,6,-1,[]],[1,-2,-3,3,[]],[6,4,3,1,[]],[0,-6,-9,3,[]],[7,8,5,null,[]],[1,2,6,5,[]],[7,-3,-7,-1,[4,3,2,1]],[2,-6,6,-3,[]],[7,-8,7,null,[0,1,2,3,4,5,6]],[0,-6,-3,null,[]],[4,-6,-2,3,[0]],[1,-7,-8,1,[]],[3,2,-2,-1,[2]],[0,null,7,1,[]],[7,-2,0,-1,[5,4,3,2,1]],[7,6,-3,-1,[6,5]],[0,3,-1,null,[]],[0,-4,5,3,[]],[5,-3,5,null,[2,3,4]],[5,3,1,3,[]],[3,null,-1,-3,[]],[3,5,-4,1,[]],[3,-3,4,-1,[]],[4,-1,-7,5,[]],[2,-3,5,3,[0]],[0,9,-6,3,[]],[0,-4,null,-2,[]],[6,-9,-9,-2,[]],[1,-5,0,-1,[]],[2,6,4,null,[]],[4,2,1,2,[]],[7,-5,-7,null,[]],[1,-2,-8,2,[]],[6,-7,7,-1,[]],[6,1,-1,3,[1,4]],[1,-9,5,-1,[]],[5,7,4,-1,[]],[5,1,5,null,[1,2,3,4]],[6,-3,2,null,[]],[6,-9,4,-3,[]],[0,-2,-4,-3,[]],[5,1,-2,2,[1]],[0,-2,0,1,[]],[4,null,9,-3,[]],[0,-3,-7,5,[]],[7,2,-2,3,[2]],[7,-6,5,-2,[]],[0,-1,-6,-1,[]],[5,0,4,2,[0,2]],[1,6,-4,3,[]],[2,-3,3,-3,[]],[0,5,7,2,[]],[2,3,-7,-3,[1]],[4,9,-8,-1,[3,2,1,0]],[1,3,5,5,[]],[2,-3,-6,3,[]],[7,9,-3,-3,[6]],[4,-1,-2,1,[]],[5,-2,-2,-1,[]],[7,-3,-5,-1,[4,3]],[3,-6,-1,-1,[]],[5,-8,2,1,[0,1]],[3,6,6,-1,[]],[1,4,-9,-3,[0]],[0,5,-3,5,[]],[5,-9,-1,-1,[]],[1,-9,-4,-1,[]],[1,1,6,-2,[]],[7,9,-2,null,[]],[1,9,9,2,[]],[3,-9,1,2,[0]],[2,-9,-4,1,[]],[0,9,-4,null,[]],[5,3,1,-2,[3]],[4,-8,-4,null,[]],[7,7,5,-3,[6]],[6,-7,2,-2,[]],[1,-5,2,1,[0]],[6,-1,-1,3,[]],[0,-1,8,2,[]],[6,3,null,2,[3,5]],[3,2,2,-1,[]],[0,3,-5,3,[]],[1,-8,2,2,[0]],[7,-5,-6,null,[]],[0,7,-6,3,[]],[1,8,9,2,[]],[2,-6,1,1,[0]],[2,6,-5,-3,[1]],[1,2,5,-1,[]],[4,-6,-9,5,[]],[5,-9,9,3,[0,3]],[1,9,-5,-1,[0]],[6,9,-4,5,[]],[2,8,-4,null,[]],[6,6,-5,3,[]],[5,-7,-6,-1,[]],[3,-9,7,null,[0,1,2]],[5,-7,2,5,[0]],[4,3,-1,-1,[]],[6,2,1,5,[]],[7,-5,null,null,[2,3,4,5,6]],[7,4,-3,5,[]],[7,-5,5,3,[2]],[1,-8,-6,2,[]],[6,1,-8,5,[]],[0,-9,-6,-3,[]],[5,6,-8,null,[]],[6,-6,null,-3,[0]],[1,-4,-6,5,[]],[4,-5,-3,-3,[]],[5,9,-2,-2,[4]],[5,9,-2,5,[]],[2,-2,6,5,[0]],[3,8,-2,-1,[2]],[5,1,-9,-1,[1,0]],[2,2,-5,1,[]],[5,2,-5,1,[]],[1,6,-9,2,[]],[7,7,6,-3,[]],[4,7,2,2,[]],[4,2,1,-2,[2]],[5,0,-8,5,[]],[3,-5,9,null,[0,1,2]],[4,6,-2,1,[]],[5,null,-9,-1,[4,3,2,1,0]],[2,-1,9,3,[1]],[6,6,1,null,[]],[2,5,-3,null,[]],[0,-9,null,2,[]],[4,-7,6,2,[0,2]],[3,3,8,1,[]],[2,-4,1,5,[0]],[2,-6,null,-1,[]],[2,4,-7,-3,[1]],[2,-2,2,1,[0,1]],[0,-9,7,2,[]],[7,9,6,5,[]],[3,-5,null,null,[0,1,2]],[0,7,null,3,[]],[2,-3,-5,null,[]],[1,null,9,-1,[]],[2,3,-4,3,[]],[2,6,-1,-3,[]],[4,-9,5,null,[0,1,2,3]],[6,3,4,-3,[]],[7,-5,-3,-3,[]],[4,-3,-9,-3,[1]],[5,-2,-9,1,[]],[6,6,-2,1,[]],[3,-8,6,null,[0,1,2]],[2,-2,-3,-1,[0]],[2,0,-4,3,[]],[5,9,-3,3,[]],[7,5,6,null,[5]],[0,3,-3,1,[]],[3,2,9,-3,[]],[2,-6,-9,null,[]],[1,-7,9,-2,[]],[5,-6,null,null,[0,1,2,3,4]],[0,-6,-9,-3,[]],[0,-8,8,2,[]],[3,7,-8,3,[]],[1,-3,-4,-1,[]],[1,-9,-9,-3,[]],[4,5,-7,-2,[3,1]],[1,-4,-1,2,[]],[5,3,-2,null,[]],[5,-2,-1,null,[3]],[5,0,9,5,[0]],[4,9,null,3,[]],[0,3,6,-3,[]],[5,5,-9,-1,[4,3,2,1,0]],[1,8,-1,-2,[]],[6,null,6,-1,[]],[4,-9,null,2,[0,2]],[7,-7,5,-2,[]],[7,8,1,1,[]],[2,-1,-4,-1,[1,0]],[7,-5,-7,-3,[2]],[7,7,-7,2,[]],[5,-7,2,3,[0]],[1,3,null,2,[]],[3,-1,-2,3,[]],[2,2,-3,5,[]],[2,7,9,null,[]],[5,8,0,-2,[4,2]],[7,7,0,-2,[6,4,2]],[7,4,-2,-1,[]],[2,0,4,-1,[]],[3,-2,-1,-2,[]],[2,-3,0,2,[]],[2,-3,0,-1,[]],[4,-7,-5,-3,[]],[3,2,-6,-2,[2,0]],[4,-1,3,1,[]],[3,-7,-7,1,[]],[3,2,4,null,[2]],[0,2,3,-1,[]],[4,4,null,-2,[3,1]],[4,9,2,null,[]],[3,3,8,3,[]],[3,8,-3,-2,[2]],[1,4,3,2,[]],[4,-7,3,-1,[]],[6,-5,-2,3,[1]],[7,4,null,3,[4]],[2,0,null,3,[0]],[7,-7,-9,1,[]],[3,-5,-4,2,[]],[1,8,4,-1,[]],[7,6,null,2,[6]],[5,3,4,-1,[]],[2,2,6,-3,[]],[5,-9,-2,1,[0,1,2]],[6,2,-9,null,[]],[1,3,3,2,[]],[4,-7,-3,1,[0]],[6,6,-3,3,[]],[7,-4,-5,-2,[3]],[1,-4,5,-1,[]],[2,1,3,5,[1]],[4,7,-6,5,[]]]`,
);

Deno.test("slice(): Python arity and frozen objects", () => {
  assert.deepEqual(slice(5), { kind: "slice", start: null, stop: 5, step: null });
  assert.deepEqual(slice(), { kind: "slice", start: null, stop: null, step: null });
  assert.deepEqual(slice(2, null), { kind: "slice", start: 2, stop: null, step: null });
  assert.deepEqual(slice(1, 9, -2), { kind: "slice", start: 1, stop: 9, step: -2 });
  assert.deepEqual(slice(undefined, undefined, -1), {
    kind: "slice",
    start: null,
    stop: null,
    step: -1,
  });
  assert.deepEqual(slice(1n, 3n), { kind: "slice", start: 1, stop: 3, step: null });
  assert.ok(Object.isFrozen(slice(1)));
  assert.throws(() => slice(1.5), IndexError);
  assert.throws(() => slice(0, NaN), IndexError);
  assert.ok(isSlice(slice(1)) && !isSlice(1) && !isSlice(null));
  assert.ok(isEllipsis(ellipsis) && isEllipsis("...") && !isEllipsis(".."));
  assert.equal(ellipsis, Symbol.for("zarr.ellipsis"));
});

Deno.test("sliceIndices matches CPython slice semantics", () => {
  for (const [n, a, b, c, expected] of PY_SLICES) {
    const r = sliceIndices(slice(a, b, c), n);
    const got: number[] = [];
    for (let k = 0; k < r.count; k++) got.push(r.start + k * r.step);
    assert.deepEqual(got, expected, `range(${n})[${a}:${b}:${c}]`);
  }
  assert.deepEqual(sliceIndices(slice(null, null, -2), 5), {
    start: 4,
    stop: -1,
    step: -2,
    count: 3,
  });
  assert.throws(
    () => sliceIndices(slice(0, 1, 0), 3),
    (e) => e instanceof ZarrValueError && e.message === "slice step cannot be zero",
  );
});

Deno.test("parseSelectionString", () => {
  assert.deepEqual(parseSelectionString("0:10, ::2, ..."), [
    slice(0, 10),
    slice(null, null, 2),
    ellipsis,
  ]);
  assert.deepEqual(parseSelectionString("5"), [5]);
  assert.deepEqual(parseSelectionString("-1"), [-1]);
  assert.deepEqual(parseSelectionString(":"), [slice()]);
  assert.deepEqual(parseSelectionString("1:-1:-1"), [slice(1, -1, -1)]);
  assert.deepEqual(parseSelectionString("..."), [ellipsis]);
  assert.deepEqual(parseSelectionString("  +3 : : -1 "), [slice(3, null, -1)]);
  assert.deepEqual(parseSelectionString("[1, 2:]"), [1, slice(2, null)]);
  assert.deepEqual(parseSelectionString("(4,)"), [4]);
  assert.deepEqual(parseSelectionString(""), []);
  assert.deepEqual(parseSelectionString("()"), []);
  assert.deepEqual(parseSelectionString("::"), [slice()]);
  for (const bad of ["a", "1:2:3:4", "1.5", "1,,2", ",", "1:x", "[1", "None", "1 2"]) {
    assert.throws(
      () => parseSelectionString(bad),
      (e) => e instanceof IndexError && e.message === `invalid selection string '${bad}'`,
      bad,
    );
  }
});

Deno.test("normalizeBasicSelection: forms", () => {
  const full = (n: number) => ({ kind: "range", start: 0, stop: n, step: 1, count: n });
  assert.deepEqual(normalizeBasicSelection(undefined, [3, 4]), [full(3), full(4)]);
  assert.deepEqual(normalizeBasicSelection(null, [3, 4]), [full(3), full(4)]);
  assert.deepEqual(normalizeBasicSelection([], [3]), [full(3)]);
  assert.deepEqual(normalizeBasicSelection(-1, [3, 4]), [{ kind: "int", index: 2 }, full(4)]);
  assert.deepEqual(normalizeBasicSelection(1n, [3]), [{ kind: "int", index: 1 }]);
  assert.deepEqual(normalizeBasicSelection("...", [3, 4]), [full(3), full(4)]);
  assert.deepEqual(normalizeBasicSelection(ellipsis, []), []);
  assert.deepEqual(normalizeBasicSelection(null, []), []);
  assert.deepEqual(normalizeBasicSelection([ellipsis, 0], [3, 4, 5]), [
    full(3),
    full(4),
    { kind: "int", index: 0 },
  ]);
  assert.deepEqual(normalizeBasicSelection([1, "...", 2], [3, 4, 5]), [
    { kind: "int", index: 1 },
    full(4),
    { kind: "int", index: 2 },
  ]);
  assert.deepEqual(normalizeBasicSelection([null, 0], [3, 4]), [full(3), {
    kind: "int",
    index: 0,
  }]);
  assert.deepEqual(normalizeBasicSelection(["1:3", "-1"], [3, 4]), [
    { kind: "range", start: 1, stop: 3, step: 1, count: 2 },
    { kind: "int", index: 3 },
  ]);
  assert.deepEqual(normalizeBasicSelection("::-1, 1", [3, 4]), [
    { kind: "range", start: 2, stop: -1, step: -1, count: 3 },
    { kind: "int", index: 1 },
  ]);
  assert.deepEqual(normalizeBasicSelection(slice(-100, 100), [3]), [full(3)]);
  assert.deepEqual(normalizeBasicSelection(slice(5, 1), [3]), [
    { kind: "range", start: 3, stop: 1, step: 1, count: 0 },
  ]);
  // a plain object with kind "slice" works too
  assert.deepEqual(
    normalizeBasicSelection({ kind: "slice", start: 1, stop: null, step: null }, [3]),
    [
      { kind: "range", start: 1, stop: 3, step: 1, count: 2 },
    ],
  );
  assert.deepEqual(selectionShape(normalizeBasicSelection([0, "1:3"], [4, 5, 6])), [2, 6]);
});

Deno.test("normalizeBasicSelection: errors", () => {
  const is = (cls: typeof ZarrError, msg: string) => (e: unknown) =>
    e instanceof cls && e instanceof ZarrError && (e as Error).message === msg;
  assert.throws(
    () => normalizeBasicSelection([0, 0, 0], [3, 4]),
    is(IndexError, "too many indices for array; expected 2, got 3"),
  );
  assert.throws(
    () => normalizeBasicSelection([0, ellipsis, 0, 0], [3, 4]),
    is(IndexError, "too many indices for array; expected 2, got 3"),
  );
  assert.throws(
    () => normalizeBasicSelection(0, []),
    is(IndexError, "too many indices for array; expected 0, got 1"),
  );
  assert.throws(
    () => normalizeBasicSelection([ellipsis, "..."], [3]),
    is(IndexError, "an index can only have a single ellipsis ('...')"),
  );
  assert.throws(
    () => normalizeBasicSelection(3, [3]),
    is(BoundsCheckError, "index out of bounds for dimension with length 3"),
  );
  assert.throws(
    () => normalizeBasicSelection([0, -5], [3, 4]),
    is(BoundsCheckError, "index out of bounds for dimension with length 4"),
  );
  assert.throws(
    () => normalizeBasicSelection(0, [0]),
    is(BoundsCheckError, "index out of bounds for dimension with length 0"),
  );
  assert.throws(() => normalizeBasicSelection(1.5, [3]), (e) =>
    e instanceof IndexError &&
    e.message.startsWith("unsupported selection item for basic indexing"));
  assert.throws(() => normalizeBasicSelection([[1, 2]] as never, [3]), IndexError);
  assert.throws(() => normalizeBasicSelection({} as never, [3]), IndexError);
  assert.throws(() => normalizeBasicSelection(true as never, [3]), IndexError);
  assert.throws(
    () => normalizeBasicSelection(slice(0, 3, 0), [3]),
    is(ZarrValueError, "slice step cannot be zero"),
  );
  assert.throws(
    () => normalizeBasicSelection("::0", [3]),
    is(ZarrValueError, "slice step cannot be zero"),
  );
  assert.throws(
    () => normalizeBasicSelection(slice(null, null, -1), [3], { allowNegativeStep: false }),
    is(NegativeStepError, "only slices with step >= 1 are supported."),
  );
  assert.throws(
    () => normalizeBasicSelection("1;2", [3]),
    is(IndexError, "invalid selection string '1;2'"),
  );
});

Deno.test("isBasicSelection", () => {
  assert.ok(isBasicSelection(null));
  assert.ok(isBasicSelection(undefined));
  assert.ok(isBasicSelection(3));
  assert.ok(isBasicSelection("1:2"));
  assert.ok(isBasicSelection([1, slice(1), ellipsis, null, "..."]));
  assert.ok(!isBasicSelection([[1, 2]]));
  assert.ok(!isBasicSelection([new Int32Array(2)]));
  assert.ok(!isBasicSelection(new Uint8Array(2)));
});
