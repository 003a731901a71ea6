/**
 * Cross-implementation fixtures read onto the device, run by `gpu_test.ts` once per WebGPU
 * backend: every array of `v2-zarr-python-2.13` (every numpy dtype LE and BE, blosc x every
 * cname x every shuffle, numcodecs filters, C/F order, fill values, structured and fixed bytes),
 * `zarrita-js/v3` (transpose, blosc, sharding, ragged edges) and `zarrs/v3_zarr_python` (blosc
 * bitshuffle...) whose dtype the GPU can hold reads bit-exact against the CPU path, whole and
 * through a strided window. Arrays of string / object dtypes must be refused with a ZarrTypeError.
 * @module
 */
import * as zarr from "../../mod.ts";
import { ZarrTypeError } from "../../src/errors.ts";
import { FIXTURES, fixturesMissing } from "../interop/helpers.ts";
import { assert, assertSame, counter, gtest, reportCount } from "./helpers.ts";

const SETS = {
  v2: "v2-zarr-python-2.13/data.zarr",
  zarrita: "zarrita-js/v3/data.zarr",
  zarrs: "zarrs/v3_zarr_python",
};
/** Arrays each set must contribute at least (a guard against silently skipping them). */
const AT_LEAST: Record<string, number> = { v2: 80, zarrita: 30, zarrs: 6 };
const missing = fixturesMissing("gpu fixtures", Object.values(SETS));

/** A strided window of an array of `ndim` axes (steps, reversal, an integer on axis 0). */
function window(ndim: number): string | null {
  if (ndim === 0) return null;
  if (ndim === 1) return "::-2";
  const rest = Array.from({ length: ndim - 2 }, () => "::2");
  return ["1", ...rest, "::-1"].join(", ");
}

/** Paths of the arrays under a directory store root (any depth). */
async function arrayPaths(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(`${root}/${prefix}`)) {
    if (!e.isDirectory) continue;
    const p = prefix ? `${prefix}/${e.name}` : e.name;
    const names = [...Deno.readDirSync(`${root}/${p}`)].map((x) => x.name);
    if (names.includes(".zarray")) out.push(p);
    else if (names.includes("zarr.json")) {
      const meta = JSON.parse(Deno.readTextFileSync(`${root}/${p}/zarr.json`));
      if (meta.node_type === "array") out.push(p);
      else out.push(...await arrayPaths(root, p));
    } else out.push(...await arrayPaths(root, p));
  }
  return out.sort();
}

const tally: Record<string, number> = {};

for (const [name, rel] of Object.entries(SETS)) {
  gtest(`gpu fixtures: ${name} arrays read bit-exact vs CPU`, async (p) => {
    if (missing) return;
    const root = `${FIXTURES}/${rel}`;
    const store = new zarr.LocalStore(root, { readOnly: true });
    let arrays = 0;
    let refused = 0;
    for (const path of await arrayPaths(root)) {
      let a: zarr.AsyncArray;
      let want: unknown;
      try {
        // optional or unsupported codecs (zfpy, pcodec, json2...) fail on the CPU too: skipped
        a = await zarr.openArray({ store, path, mode: "r" });
        want = await a.getitem(null);
      } catch {
        continue;
      }
      let plan: string;
      try {
        plan = zarr.gpu.planRead(a).describe();
      } catch (e) {
        assert(e instanceof ZarrTypeError, `${path}: ${e}`);
        assert(want !== undefined);
        refused++;
        continue;
      }
      for (const stage of ["blosc-unshuffle", "unshuffle", "swap", "transpose", "cpu read"]) {
        if (plan.split(" > ").some((s) => s.startsWith(stage))) {
          tally[stage] = (tally[stage] ?? 0) + 1;
        }
      }
      await assertSame(p, a, null, `${name} ${path}`);
      if (a.shape.every((n) => n > 1)) await assertSame(p, a, window(a.ndim), `${name} ${path}`);
      arrays++;
    }
    console.log(
      `FIXTURES ${name}: ${arrays} arrays on the device, ${refused} string/object refused`,
    );
    assert(arrays >= AT_LEAST[name], `${name}: only ${arrays} arrays read`);
  });
}

gtest("gpu fixtures: device stages exercised", () => {
  if (missing) return Promise.resolve();
  console.log(`STAGES ${JSON.stringify(tally)} reads ${counter.reads}`);
  for (const s of ["blosc-unshuffle", "unshuffle", "swap", "transpose", "cpu read"]) {
    assert((tally[s] ?? 0) > 0, `no fixture array used the ${s} stage: ${JSON.stringify(tally)}`);
  }
  return Promise.resolve();
});

reportCount("fixtures");
