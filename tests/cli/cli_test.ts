/**
 * The `zarr` command line, run as a subprocess (`deno run -A cli/main.ts ...`): every command on
 * the v2 fixture hierarchy (`$ZARR_FIXTURES/v2-zarr-python-2.13/data.zarr`) and on v2 and v3
 * data written here, with exit statuses 0 (success), 1 (Zarr error, message on stderr without a
 * stack trace) and 2 (bad usage). Runs are batched concurrently to keep the suite fast.
 */
import { strict as assert } from "node:assert";
import * as zarr from "../../mod.ts";
import {
  type CliResult,
  expectCode,
  FIXTURES,
  fixturesMissing,
  V2_FIXTURE,
  withTempDir,
  zarrCli,
  zarrCliAll,
} from "./helpers.ts";

const COMMANDS = ["tree", "info", "get", "ls", "cp", "consolidate"];

function noStack(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, `stack trace in stderr:\n${r.stderr}`);
}

Deno.test("cli: --help of the tool and of every command exits 0", async () => {
  const runs = [
    ["--help"],
    ["-h"],
    ["help"],
    ["--version"],
    ...COMMANDS.map((c) => [c, "--help"]),
    ["help", "cp"],
    ["get", "x", "-h"],
  ];
  const results = await zarrCliAll(runs);
  results.forEach((r, i) => expectCode(r, 0, runs[i].join(" ")));
  for (const c of COMMANDS) assert.match(results[0].stdout, new RegExp(`\\n  ${c} `));
  assert.match(results[3].stdout, /^zarr \d+\.\d+\.\d+/);
  COMMANDS.forEach((c, i) => {
    const out = results[4 + i].stdout;
    assert.match(out, new RegExp(`^Usage: zarr ${c} \\[options\\]`));
    assert.match(out, /Exit status: 0 on success, 1 on a Zarr error/);
  });
  assert.equal(results[10].stdout, results[8].stdout);
  assert.match(results[11].stdout, /^Usage: zarr get/);
});

Deno.test("cli: bad usage exits 2 with the usage line on stderr", async () => {
  // (the parser's other cases are tested in-process in units_test.ts)
  const runs = [
    [],
    ["frobnicate"],
    ["--bogus"],
    ["help", "frobnicate"],
    ["tree"],
    ["tree", "x.zarr", "--level", "deep"],
    ["get", "x.zarr/a", "0", "extra"],
    ["get", "x.zarr/a", "--json", "--csv"],
    ["cp", "a.zarr", "b.zarr", "--format", "4"],
    ["cp", "a.zarr", "b.zarr", "--if-exists", "overwrite"],
    ["consolidate", "x.zarr", "--quick"],
  ];
  const results = await zarrCliAll(runs);
  results.forEach((r, i) => {
    expectCode(r, 2, runs[i].join(" "));
    assert.equal(r.stdout, "", runs[i].join(" "));
    assert.match(r.stderr, /Usage: zarr/, runs[i].join(" "));
    noStack(r);
  });
  assert.match(results[1].stderr, /unknown command 'frobnicate'/);
  assert.match(results[5].stderr, /--level expects an integer, got 'deep'/);
  assert.match(results[7].stderr, /--json and --csv cannot be used together/);
  assert.match(results[8].stderr, /--format must be one of 2, 3; got '4'/);
});

// ---------------------------------------------------------------------------------------------
// the v2 fixture hierarchy
// ---------------------------------------------------------------------------------------------

const F = `${FIXTURES}/${V2_FIXTURE}`;
const fixtureSkip = fixturesMissing("cli fixture", [V2_FIXTURE]);

Deno.test({
  name: "cli fixture: tree, ls, info",
  ignore: fixtureSkip,
  fn: async () => {
    const [tree, treeJson, treeL0, treeSub, ls, lsSub, lsJson, infoArr, infoGroup, infoQuick] =
      await zarrCliAll([
        ["tree", F],
        ["tree", F, "--json"],
        ["tree", F, "--level", "0"],
        ["tree", `${F}/hierarchy`],
        ["ls", F],
        ["ls", `${F}/dtypes`],
        ["ls", `${F}/hierarchy/a`, "--json"],
        ["info", `${F}/dtypes/lt_f8`],
        ["info", F],
        ["info", `${F}/hierarchy`, "--quick"],
      ]);
    for (const r of [tree, treeJson, treeL0, treeSub, ls, lsSub, lsJson, infoArr, infoGroup]) {
      expectCode(r, 0, "fixture command");
    }
    // the root's .zmetadata describes arrays this library cannot parse: the listing is used
    assert.match(tree.stderr, /warning: ignoring the consolidated metadata of group '\/'/);
    assert.match(
      tree.stdout,
      /^\/\n├── compressors\n│ {3}├── blosc_blosclz_bitshuffle \(14, 20, 20\) float32\n/,
    );
    assert.match(tree.stdout, /\n│ {3}├── lt_i4 \(7, 9\) int32\n/);
    assert.match(tree.stdout, /\n└── strings\n/);

    // the same text as tree() on a readable subtree
    const sub = await zarr.openGroup(F, { path: "hierarchy", mode: "r" });
    assert.equal(treeSub.stdout, (await zarr.tree(sub)).toString());
    assert.equal(
      treeSub.stdout,
      "/hierarchy\n├── a\n│   ├── b\n│   │   └── c\n│   │       └── leaf (3, 4) int16\n" +
        "│   └── sibling (4,) float64\n└── empty_group\n",
    );

    const payload = JSON.parse(treeJson.stdout);
    assert.equal(payload.schema_version, 1);
    assert.equal(payload.name, "/");
    assert.equal(payload.root.zarr_format, 2);
    assert.equal(payload.root.attributes_count, 7);
    const dtypes = payload.root.children.find((c: { name: string }) => c.name === "dtypes");
    const lt = dtypes.children.find((c: { name: string }) => c.name === "lt_i4");
    assert.deepEqual(lt, {
      name: "lt_i4",
      path: "dtypes/lt_i4",
      kind: "array",
      shape: [7, 9],
      dtype: "int32",
      chunks: [4, 4],
      zarr_format: 2,
      attributes_count: 0,
    });
    assert.equal(
      treeL0.stdout,
      "/\n├── compressors\n├── dtypes\n├── fill_values\n├── filters\n├── hierarchy\n" +
        "├── order\n├── separators\n└── strings\n",
    );

    assert.match(ls.stdout, /^group {2}compressors\/\ngroup {2}dtypes\//);
    assert.equal(ls.stdout.split("\n").filter((l) => l).length, 8);
    assert.match(lsSub.stdout, /^array +lt_i4 +\(7, 9\) +int32 +\(4, 4\)$/m);
    assert.match(lsSub.stdout, /^array +datetime64_ns +\(40,\) +datetime64\[ns\] +\(16,\)$/m);
    assert.deepEqual(JSON.parse(lsJson.stdout).map((e: { path: string }) => e.path), [
      "hierarchy/a/b",
      "hierarchy/a/sibling",
    ]);

    const arr = await zarr.openArray({ store: F, path: "dtypes/lt_f8", mode: "r" });
    assert.equal(infoArr.stdout, (await arr.infoComplete()) + "\nAttributes         : {}\n");
    assert.match(infoGroup.stdout, /^Name {8}: \nType {8}: Group\nZarr format : 2\n/);
    assert.match(infoGroup.stdout, /\nNo. arrays {2}: \d+\n/);
    assert.match(
      infoGroup.stdout,
      /\nAttributes {2}:\n {2}\{\n {4}"generator": "make_v2_fixtures.py"/,
    );
    assert.match(infoQuick.stdout, /^Name {8}: hierarchy\nType {8}: Group\n/);
    assert.doesNotMatch(infoQuick.stdout, /No. members/);
  },
});

Deno.test({
  name: "cli fixture: get (repr, JSON, CSV) and its errors",
  ignore: fixtureSkip,
  fn: async () => {
    const runs = [
      ["get", `${F}/dtypes/lt_i4`, "0:2, 0:3"],
      ["get", `${F}/dtypes/lt_i4`, "0:5", "--json"],
      ["get", `${F}/dtypes/lt_i4`, "-1, ::4", "--csv"],
      ["get", `${F}/dtypes/lt_f8`, "0, 4:9", "--json"],
      ["get", `${F}/fill_values/scalar_0d`],
      ["get", `--path`, "dtypes/b1", F, "0, 0:4"],
      ["get", `${F}/dtypes/nope`],
      ["get", `${F}/dtypes/lt_i4`, "foo"],
      ["get", `${F}/dtypes/lt_i4`, "100"],
      ["get", `${F}/dtypes/lt_i4`, "0:5, 1, 2"],
      ["get", `${F}/dtypes`],
      ["get", "/nonexistent/store.zarr/x"],
      ["get", `${F}/order/f4_3d_C_blosc`, "--csv"],
    ];
    const r = await zarrCliAll(runs);
    for (let i = 0; i < 6; i++) expectCode(r[i], 0, runs[i].join(" "));
    assert.equal(
      r[0].stdout,
      "array([[-2147483648,        -278,        -241],\n" +
        "       [         18,          55,          92]], dtype=int32)\n",
    );
    const a = await zarr.openArray({ store: F, path: "dtypes/lt_i4", mode: "r" });
    const want = await a.getitem("0:5");
    const rows = JSON.parse(r[1].stdout) as number[][];
    assert.deepEqual(rows.flat(), Array.from(want.data as Int32Array));
    assert.equal(rows.length, 5);
    assert.equal(
      r[2].stdout,
      "1683\n1831\n1979\n".replace("1979", String((await a.getitem("-1, 8")).data[0])),
    );
    assert.deepEqual(JSON.parse(r[3].stdout).slice(1), ["NaN", "Infinity", "-Infinity", -0]);
    assert.equal(r[4].stdout, "array(42.5)\n");
    assert.equal(r[5].stdout, "array([ True, False, False,  True])\n");

    for (let i = 6; i < 12; i++) {
      expectCode(r[i], 1, runs[i].join(" "));
      assert.equal(r[i].stdout, "");
      noStack(r[i]);
    }
    assert.match(r[6].stderr, /^zarr get: NodeNotFoundError: no array or group at 'dtypes\/nope'/);
    // the indexing errors (names and messages are the library's)
    for (const i of [7, 8, 9]) {
      assert.match(r[i].stderr, /^zarr get: \w*(Index|Bounds)\w*Error: \S/);
    }
    assert.match(r[10].stderr, /'dtypes' is a group, not an array/);
    assert.match(r[11].stderr, /FileNotFoundError: .*does not exist/);
    // a 3-D selection cannot be CSV (checked after reading, or an unknown codec exits 1 first)
    assert.ok(r[12].code === 2 || r[12].code === 1, r[12].stderr);
    if (r[12].code === 2) assert.match(r[12].stderr, /--csv needs a selection of at most 2/);
  },
});

Deno.test({
  name: "cli fixture: cp to a v3 store and a zip, consolidate a copy",
  ignore: fixtureSkip,
  fn: async () => {
    await withTempDir(async (dir) => {
      const [raw, v3, zip, arr3] = await zarrCliAll([
        ["cp", F, `${dir}/copy.zarr`, "--progress"],
        ["cp", `${F}/hierarchy`, `${dir}/h3.zarr`, "--format", "3"],
        ["cp", `${F}/dtypes`, `${dir}/dtypes.zip`],
        ["cp", `${F}/dtypes/lt_i4`, `${dir}/lt_i4.zarr`, "--format", "3"],
      ]);
      expectCode(raw, 0, "cp verbatim");
      assert.match(
        raw.stdout,
        /^all done: \d+ copied, 0 skipped, [\d,]+ bytes copied \(keys copied verbatim\)\n$/,
      );
      assert.match(raw.stderr, /\] 100% +\d+\/\d+ keys/);
      expectCode(v3, 0, "cp --format 3");
      assert.match(
        v3.stdout,
        /^all done: 6 copied, 0 skipped, 56 bytes copied \(converted to Zarr format 3\)/,
      );
      expectCode(zip, 0, "cp into zip");
      expectCode(arr3, 0, "cp array --format 3");

      const [treeCopy, treeV3, getZip, getArr3, info3, cons, consH3] = await zarrCliAll([
        ["tree", `${dir}/copy.zarr/hierarchy`],
        ["tree", `${dir}/h3.zarr`],
        ["get", `${dir}/dtypes.zip/lt_i4`, "--json"],
        ["get", `${dir}/lt_i4.zarr`, "--json"],
        ["info", `${dir}/lt_i4.zarr`, "--quick"],
        ["consolidate", `${dir}/copy.zarr/hierarchy`],
        ["consolidate", `${dir}/h3.zarr`],
      ]);
      const want = "├── a\n│   ├── b\n│   │   └── c\n│   │       └── leaf (3, 4) int16\n" +
        "│   └── sibling (4,) float64\n└── empty_group\n";
      assert.equal(treeCopy.stdout, "/hierarchy\n" + want);
      assert.equal(treeV3.stdout, "/\n" + want);
      const src = await zarr.openArray({ store: F, path: "dtypes/lt_i4", mode: "r" });
      const values = Array.from((await src.getitem(null)).data as Int32Array);
      assert.deepEqual(JSON.parse(getZip.stdout).flat(), values);
      assert.deepEqual(JSON.parse(getArr3.stdout).flat(), values);
      assert.match(info3.stdout, /^Type {15}: Array\nZarr format {8}: 3\n/);
      expectCode(cons, 0, "consolidate v2 copy");
      assert.equal(
        cons.stdout,
        "consolidated 6 nodes below group 'hierarchy' into hierarchy/.zmetadata (Zarr format 2)\n",
      );
      expectCode(consH3, 0, "consolidate v3 copy");
      assert.equal(consH3.stderr, "");
      const g2 = await zarr.openConsolidated(`${dir}/copy.zarr`, { path: "hierarchy", mode: "r" });
      assert.equal(Object.keys(g2.metadata.consolidatedMetadata!.metadata).length, 6);
      const g3 = await zarr.openConsolidated(`${dir}/h3.zarr`, { mode: "r" });
      assert.deepEqual(await g3.keys(), ["a", "empty_group"]);
    });
  },
});

// ---------------------------------------------------------------------------------------------
// data written here (no fixtures needed)
// ---------------------------------------------------------------------------------------------

async function writeSample(path: string, zarrFormat: 2 | 3): Promise<void> {
  const root = await zarr.group({ store: path, zarrFormat, attributes: { title: "sample" } });
  const a = await root.createArray("ints", {
    shape: [6, 5],
    chunks: [4, 4],
    dtype: "int16",
    attributes: { units: "m" },
  });
  await a.setitem(null, zarr.ndarray(new Int16Array(30).map((_, i) => i * 3 - 40), [6, 5]));
  const sub = await root.createGroup("sub");
  const f = await sub.createArray("floats", { shape: [4], chunks: [3], dtype: "float32" });
  await f.setitem(null, new Float32Array([0.5, NaN, -1.25, 1e3]));
  await root.store.close();
}

Deno.test("cli: commands on v2 and v3 arrays written here", async () => {
  await withTempDir(async (dir) => {
    await writeSample(`${dir}/v2.zarr`, 2);
    await writeSample(`${dir}/v3.zarr`, 3);
    // an array whose codec is not registered
    await Deno.mkdir(`${dir}/odd.zarr`);
    await Deno.writeTextFile(
      `${dir}/odd.zarr/zarr.json`,
      JSON.stringify({
        zarr_format: 3,
        node_type: "array",
        shape: [2],
        data_type: "int8",
        chunk_grid: { name: "regular", configuration: { chunk_shape: [2] } },
        chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
        fill_value: 0,
        codecs: [{ name: "bytes" }, { name: "no_such_codec_here" }],
      }),
    );
    await Deno.mkdir(`${dir}/odd.zarr/c`);
    await Deno.writeFile(`${dir}/odd.zarr/c/0`, new Uint8Array([1, 2]));

    const runs: string[][] = [];
    for (const v of ["v2", "v3"]) {
      runs.push(
        ["tree", `${dir}/${v}.zarr`],
        ["ls", `${dir}/${v}.zarr`],
        ["info", `${dir}/${v}.zarr/ints`],
        ["get", `${dir}/${v}.zarr/ints`, "1:3, ::2"],
        ["get", `${dir}/${v}.zarr/sub/floats`, "--csv"],
        ["info", `${dir}/${v}.zarr`],
      );
    }
    runs.push(["get", `${dir}/odd.zarr`], ["ls", `${dir}/v3.zarr/nothing/here`]);
    const r = await zarrCliAll(runs);
    for (let i = 0; i < 12; i++) expectCode(r[i], 0, runs[i].join(" "));
    for (const k of [0, 6]) {
      assert.equal(
        r[k].stdout,
        "/\n├── ints (6, 5) int16\n└── sub\n    └── floats (4,) float32\n",
      );
      assert.equal(r[k].stderr, "");
      assert.match(r[k + 1].stdout, /^array +ints +\(6, 5\) +int16 +\(4, 4\)\ngroup +sub\/\n$/);
      assert.match(r[k + 2].stdout, /\nAttributes {9}:\n {2}\{\n {4}"units": "m"\n {2}\}\n$/);
      assert.equal(
        r[k + 3].stdout,
        "array([[-25, -19, -13],\n       [-10,  -4,   2]], dtype=int16)\n",
      );
      assert.equal(r[k + 4].stdout, "0.5\nnan\n-1.25\n1000\n");
      assert.match(r[k + 5].stdout, /No. members : 3\nNo. arrays {2}: 2\nNo. groups {2}: 1\n/);
    }
    assert.match(r[2].stdout, /^Type {15}: Array\nZarr format {8}: 2\n/);
    assert.match(r[8].stdout, /^Type {15}: Array\nZarr format {8}: 3\n/);
    expectCode(r[12], 1, "unknown codec");
    assert.match(r[12].stderr, /^zarr get: UnknownCodecError: .*no_such_codec_here/);
    noStack(r[12]);
    expectCode(r[13], 1, "missing path");
    assert.match(r[13].stderr, /no array or group at 'nothing\/here'/);
  });
});

Deno.test("cli: cp converts v2 <-> v3, into zips, with --if-exists; consolidate", async () => {
  await withTempDir(async (dir) => {
    await writeSample(`${dir}/v2.zarr`, 2);
    await writeSample(`${dir}/v3.zarr`, 3);
    const cp = await zarrCliAll([
      ["cp", `${dir}/v2.zarr`, `${dir}/to3.zarr`, "--format", "3", "--progress"],
      ["cp", `${dir}/v3.zarr`, `${dir}/to2.zarr`, "--format", "2"],
      ["cp", `${dir}/v3.zarr`, `${dir}/copy.zip`],
      ["cp", `${dir}/v2.zarr/ints`, `${dir}/ints3.zarr`, "--format", "3"],
    ]);
    // a node copied elsewhere in its own store (after the copies of that store above)
    cp.push(await zarrCli(["cp", `${dir}/v3.zarr/sub`, `${dir}/v3.zarr/sub2/nested`]));
    cp.forEach((r, i) => expectCode(r, 0, `cp #${i}`));
    assert.match(
      cp[0].stdout,
      /^all done: 3 copied, 0 skipped, [\d,]+ bytes copied \(converted to Zarr format 3\)\n$/,
    );
    assert.match(cp[0].stderr, /\] 100% +3\/3 nodes/);
    assert.equal(cp[1].stderr, "", "no progress bar without a TTY or --progress");

    const want = await zarrCliAll([
      ["get", `${dir}/v2.zarr/ints`, "--json"],
      ["get", `${dir}/v2.zarr/sub/floats`, "--json"],
    ]);
    const check = await zarrCliAll([
      ["get", `${dir}/to3.zarr/ints`, "--json"],
      ["get", `${dir}/to3.zarr/sub/floats`, "--json"],
      ["get", `${dir}/to2.zarr/ints`, "--json"],
      ["get", `${dir}/copy.zip/sub/floats`, "--json"],
      ["get", `${dir}/ints3.zarr`, "--json"],
      ["info", `${dir}/to3.zarr`, "--quick"],
      ["info", `${dir}/to2.zarr/ints`, "--quick"],
      ["tree", `${dir}/v3.zarr`],
      ["cp", `${dir}/v2.zarr`, `${dir}/to3.zarr`, "--format", "3"],
      ["cp", `${dir}/v2.zarr`, `${dir}/to3.zarr`, "--format", "3", "--if-exists", "skip"],
      ["cp", `${dir}/v2.zarr/ints`, `${dir}/to3.zarr/x`, "--format", "2"],
      ["cp", `${dir}/v2.zarr`, `${dir}/v2.zarr/inside`],
      ["cp", `${dir}/v2.zarr`, `${dir}/v2.zarr`, "--if-exists", "replace"],
    ]);
    for (let i = 0; i < 8; i++) expectCode(check[i], 0, `check #${i}`);
    for (const i of [0, 2, 4]) assert.equal(check[i].stdout, want[0].stdout);
    for (const i of [1, 3]) assert.equal(check[i].stdout, want[1].stdout);
    assert.equal(want[1].stdout, '[0.5, "NaN", -1.25, 1000]\n');
    assert.match(check[5].stdout, /Zarr format : 3/);
    assert.match(check[5].stdout, /"title": "sample"/);
    assert.match(check[6].stdout, /Zarr format {8}: 2/);
    assert.equal(
      check[7].stdout,
      "/\n├── ints (6, 5) int16\n├── sub\n│   └── floats (4,) float32\n└── sub2\n" +
        "    └── nested\n        └── floats (4,) float32\n",
    );
    expectCode(check[8], 1, "cp onto an existing copy");
    assert.match(check[8].stderr, /CopyError: an object 'ints' already exists/);
    expectCode(check[9], 0, "cp --if-exists skip");
    assert.match(check[9].stdout, /^all done: 1 copied, 2 skipped, 0 bytes copied/);
    expectCode(check[10], 1, "a v2 copy into a v3 hierarchy");
    assert.match(check[10].stderr, /the destination hierarchy is Zarr format 3/);
    for (const i of [11, 12]) {
      expectCode(check[i], 1, "overlap");
      assert.match(check[i].stderr, /overlap in the same store/);
    }

    const cons = await zarrCliAll([
      ["consolidate", `${dir}/v2.zarr`],
      ["consolidate", `${dir}/to3.zarr`],
      ["consolidate", `${dir}/copy.zip`],
      ["consolidate", `${dir}/v2.zarr/ints`],
    ]);
    for (let i = 0; i < 3; i++) expectCode(cons[i], 0, `consolidate #${i}`);
    assert.equal(
      cons[0].stdout,
      "consolidated 3 nodes below group '/' into .zmetadata (Zarr format 2)\n",
    );
    assert.equal(
      cons[1].stdout,
      "consolidated 3 nodes below group '/' into zarr.json (Zarr format 3)\n",
    );
    expectCode(cons[3], 1, "consolidate an array");
    for (const s of [`${dir}/v2.zarr`, `${dir}/to3.zarr`, `${dir}/copy.zip`]) {
      const g = await zarr.openConsolidated(s, { mode: "r" });
      assert.deepEqual(
        Object.keys(g.metadata.consolidatedMetadata!.metadata).sort(),
        ["ints", "sub", "sub/floats"],
      );
      await g.store.close();
    }
    // reading through consolidated metadata
    const [tree] = await zarrCliAll([["tree", `${dir}/copy.zip`]]);
    assert.equal(tree.stdout, "/\n├── ints (6, 5) int16\n└── sub\n    └── floats (4,) float32\n");

    // without --format, a copy into an existing hierarchy takes the hierarchy's format
    const auto = await zarrCli(["cp", `${dir}/v3.zarr/ints`, `${dir}/to2.zarr/auto`]);
    expectCode(auto, 0, "cp into a v2 hierarchy");
    assert.match(auto.stdout, /\(converted to Zarr format 2\)/);
    const [autoGet, autoInfo] = await zarrCliAll([
      ["get", `${dir}/to2.zarr/auto`, "--json"],
      ["info", `${dir}/to2.zarr/auto`, "--quick"],
    ]);
    assert.equal(autoGet.stdout, want[0].stdout);
    assert.match(autoInfo.stdout, /Zarr format {8}: 2/);
  });
});
