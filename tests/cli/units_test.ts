/**
 * In-process tests of the CLI's pieces: the argument parser, the STORE[/PATH] splitting rule,
 * the numpy-style repr / JSON / CSV printers and the tolerant member walk.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import { type CommandSpec, helpText, parseCommandLine, UsageError } from "../../cli/args.ts";
import { splitLocation } from "../../cli/location.ts";
import { formatCSV, formatJSON, formatRepr } from "../../cli/format.ts";
import { collectMembers } from "../../cli/walk.ts";
import { withTempDir } from "./helpers.ts";

const SPEC: CommandSpec = {
  name: "get",
  summary: "s",
  positionals: [{ name: "A", help: "" }, { name: "B", help: "", optional: true }],
  options: [
    { name: "level", short: "L", type: "int", min: 0, help: "" },
    { name: "json", type: "boolean", help: "" },
    { name: "format", type: "choice", choices: ["2", "3"], help: "" },
  ],
};

Deno.test("cli args: options, values, negative selections, --", () => {
  const p = parseCommandLine(SPEC, ["x", "-1", "--level=2", "--json"]);
  assert.deepEqual(p.positionals, ["x", "-1"]);
  assert.deepEqual(p.options, { level: 2, json: true });
  assert.deepEqual(parseCommandLine(SPEC, ["-L", "3", "x", "-3:"]).positionals, ["x", "-3:"]);
  assert.equal(parseCommandLine(SPEC, ["-L3", "x"]).options.level, 3);
  assert.deepEqual(parseCommandLine(SPEC, ["--", "--json", "x"]).positionals, ["--json", "x"]);
  assert.equal(parseCommandLine(SPEC, ["--format", "3", "x"]).options.format, "3");
  assert.equal(parseCommandLine(SPEC, ["--bogus", "-h"]).help, true);
  assert.equal(parseCommandLine(SPEC, ["--", "-h"]).help, false);
});

Deno.test("cli args: usage errors", () => {
  const bad: string[][] = [
    [],
    ["x", "y", "z"],
    ["x", "--bogus"],
    ["x", "--level"],
    ["x", "--level", "two"],
    ["x", "--level", "-1"],
    ["x", "--format", "4"],
    ["x", "--json=yes"],
    ["x", "--json", "--json"],
  ];
  for (const argv of bad) {
    assert.throws(() => parseCommandLine(SPEC, argv), UsageError, argv.join(" "));
  }
  const help = helpText(SPEC);
  assert.match(help, /^Usage: zarr get \[options\] A \[B\]\n/);
  assert.match(help, /-L, --level LEVEL/);
  assert.match(help, /--format 2\|3/);
});

Deno.test("cli location: the splitting rule", async () => {
  await withTempDir(async (dir) => {
    const root = await zarr.group({ store: `${dir}/data.zarr`, zarrFormat: 2 });
    const g = await root.createGroup("g");
    await g.createArray("x", { shape: [2], dtype: "int8" });
    await Deno.mkdir(`${dir}/plain/inner`, { recursive: true });
    const v3 = await zarr.group({ store: `${dir}/plain/inner`, zarrFormat: 3 });
    await v3.createGroup("sub");
    await Deno.writeFile(`${dir}/a.zip`, new Uint8Array(0));
    // b. the root of the hierarchy holding the deepest node
    assert.deepEqual(await splitLocation(`${dir}/data.zarr/g/x`), {
      store: `${dir}/data.zarr`,
      path: "g/x",
    });
    assert.deepEqual(await splitLocation(`${dir}/data.zarr/g/missing/deeper/`), {
      store: `${dir}/data.zarr`,
      path: "g/missing/deeper",
    });
    assert.deepEqual(await splitLocation(`${dir}/data.zarr`), {
      store: `${dir}/data.zarr`,
      path: "",
    });
    // no .zarr suffix needed: the metadata decides
    assert.deepEqual(await splitLocation(`${dir}/plain/inner/sub`), {
      store: `${dir}/plain/inner`,
      path: "sub",
    });
    // a. an existing .zip file ends the store
    assert.deepEqual(await splitLocation(`${dir}/a.zip/p/q`), {
      store: `${dir}/a.zip`,
      path: "p/q",
    });
    // c. nothing written yet: a .zarr segment ends the store, else the whole path
    assert.deepEqual(await splitLocation(`${dir}/new.zarr/a/b`), {
      store: `${dir}/new.zarr`,
      path: "a/b",
    });
    assert.deepEqual(await splitLocation(`${dir}/newdir`), { store: `${dir}/newdir`, path: "" });
    // --path: no splitting
    assert.deepEqual(await splitLocation(`${dir}/data.zarr/g`, "/x/"), {
      store: `${dir}/data.zarr/g`,
      path: "x",
    });
    // file:// URLs follow the local rule
    assert.deepEqual(await splitLocation(`file://${dir}/data.zarr/g`), {
      store: `${dir}/data.zarr`,
      path: "g",
    });
  });
  // URLs: after the first segment ending in .zarr or .zip
  assert.deepEqual(await splitLocation("s3://bucket/data.zarr/a/b"), {
    store: "s3://bucket/data.zarr",
    path: "a/b",
  });
  assert.deepEqual(await splitLocation("https://host.org/x/y.zip/a"), {
    store: "https://host.org/x/y.zip",
    path: "a",
  });
  assert.deepEqual(await splitLocation("https://host.org/x/y"), {
    store: "https://host.org/x/y",
    path: "",
  });
});

const dt = (s: string) => parseDataType(s);

Deno.test("cli format: numpy repr", () => {
  const cases: [zarr.NDArray, string, string][] = [
    [zarr.ndarray(new Float64Array([1.5, 2]), [2]), "float64", "array([1.5, 2. ])"],
    [
      zarr.ndarray(new Float64Array([0.1, 0.25, 100]), [3]),
      "float64",
      "array([  0.1 ,   0.25, 100.  ])",
    ],
    [
      zarr.ndarray(new Float32Array([0.1, 0.2]), [2]),
      "float32",
      "array([0.1, 0.2], dtype=float32)",
    ],
    [zarr.ndarray(new Float64Array([1e-5, 1.5]), [2]), "float64", "array([1.0e-05, 1.5e+00])"],
    [zarr.ndarray(new Float64Array([1e10, NaN]), [2]), "float64", "array([1.e+10,    nan])"],
    [zarr.ndarray(new Float64Array([3.25]), []), "float64", "array(3.25)"],
    [zarr.ndarray(new Int32Array(0), [0, 3]), "int32", "array([], shape=(0, 3), dtype=int32)"],
    [zarr.ndarray(["a", "bcd"], [2], "U3"), "U3", "array(['a', 'bcd'], dtype='<U3')"],
    [
      zarr.ndarray(new Uint8Array([1, 0]), [2], "bool"),
      "bool",
      "array([ True, False])",
    ],
    [
      zarr.ndarray(new Float64Array([1, -2, 3.5, 4]), [2], "complex128"),
      "complex128",
      "array([1. -2.j, 3.5+4.j])",
    ],
    [
      zarr.ndarray(new BigInt64Array([0n, -(2n ** 63n)]), [2], "datetime64[D]"),
      "datetime64[D]",
      "array(['1970-01-01',        'NaT'], dtype='datetime64[D]')",
    ],
    [
      zarr.ndarray(new Float64Array([1, 2, 3, 4]), [2, 2]),
      "float64",
      "array([[1., 2.],\n       [3., 4.]])",
    ],
    [
      zarr.ndarray(new Int32Array(2000).map((_, i) => i), [2000]),
      "int32",
      "array([   0,    1,    2, ..., 1997, 1998, 1999],\n      shape=(2000,), dtype=int32)",
    ],
  ];
  for (const [a, t, want] of cases) assert.equal(formatRepr(a, dt(t)), want);
  // a long row wraps under the first element
  const wide = formatRepr(
    zarr.ndarray(new Int32Array(30).map((_, i) => i * 1000), [30]),
    dt("int32"),
  );
  for (const line of wide.split("\n")) assert.ok(line.length <= 75, line);
  assert.match(wide.split("\n")[1], /^ {8}9000, 10000/);
});

Deno.test("cli format: JSON and CSV", () => {
  const f = zarr.ndarray(new Float32Array([0.1, NaN, -Infinity, 2]), [2, 2]);
  assert.equal(formatJSON(f, dt("float32")), '[[0.1, "NaN"], ["-Infinity", 2]]');
  assert.equal(formatCSV(f, dt("float32")), "0.1,nan\n-inf,2");
  const big = zarr.ndarray(new BigUint64Array([2n ** 64n - 1n]), [1]);
  assert.equal(formatJSON(big, dt("uint64")), "[18446744073709551615]");
  assert.equal(formatJSON(zarr.ndarray(new Int8Array([7]), []), dt("int8")), "7");
  const s = zarr.ndarray(["a,b", 'q"', "plain"], [3], "string");
  assert.equal(formatCSV(s, dt("string")), '"a,b"\n"q"""\nplain');
  assert.equal(formatCSV(zarr.ndarray(new Int8Array(8), [2, 2, 2]), dt("int8")), undefined);
  const c = zarr.ndarray(new Float64Array([1, -2]), [1], "complex128");
  assert.equal(formatJSON(c, dt("complex128")), "[[1, -2]]");
  assert.equal(formatCSV(c, dt("complex128")), "1-2j");
});

Deno.test("cli walk: unreadable members are skipped, not fatal", async () => {
  await withTempDir(async (dir) => {
    const g = await zarr.group({ store: dir, zarrFormat: 3 });
    await g.createArray("ok", { shape: [2], dtype: "int8" });
    await (await g.createGroup("sub")).createArray("deep", { shape: [1], dtype: "float32" });
    await Deno.mkdir(`${dir}/broken`);
    await Deno.writeTextFile(`${dir}/broken/zarr.json`, "{ not json");
    await Deno.mkdir(`${dir}/not_a_node`);
    const ro = await zarr.openGroup(dir, { mode: "r" });
    const skipped: string[] = [];
    const all = await collectMembers(ro, { maxDepth: null, onSkip: (p) => skipped.push(p) });
    assert.deepEqual(all.map((m) => m.path), ["ok", "sub", "sub/deep"]);
    assert.deepEqual(skipped, ["broken"]);
    const top = await collectMembers(ro, { maxDepth: 0 });
    assert.deepEqual(top.map((m) => m.path), ["ok", "sub"]);
    assert.equal((await collectMembers(ro, { maxDepth: null, limit: 1 })).length, 2);
  });
});
