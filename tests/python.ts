/**
 * The live-interop tests' access to Debian's zarr-python 2.13 / numcodecs 0.11
 * (`/usr/bin/python3`): one availability check for every suite. Without them the suite fails when
 * CI=true (it must run there) and is skipped with a printed reason locally.
 *
 * @example
 * ```ts
 * import { pythonAvailable } from "./python.ts";
 * Deno.test({ name: "live", ignore: !pythonAvailable("my suite"), fn: () => {} });
 * ```
 * @module
 */

/** The interpreter with Debian's python3-zarr (2.13) and python3-numcodecs. */
export const PYTHON = "/usr/bin/python3";

/** The default requirement: zarr 2.x and numcodecs import. */
export const ZARR2_IMPORTS =
  "import zarr, numcodecs; assert zarr.__version__.startswith('2.'), zarr.__version__";

/**
 * Whether `/usr/bin/python3` runs `imports`. When not: with CI=true this throws; otherwise it
 * prints the reason and returns false (skip).
 */
export function pythonAvailable(suite: string, imports = ZARR2_IMPORTS): boolean {
  let reason = "";
  try {
    const r = new Deno.Command(PYTHON, {
      args: ["-c", imports],
      stdout: "null",
      stderr: "piped",
    }).outputSync();
    if (r.success) return true;
    reason = new TextDecoder().decode(r.stderr).trim().split("\n").pop() ?? "import failed";
  } catch (e) {
    reason = `${PYTHON} not runnable: ${(e as Error).message}`;
  }
  const msg = `${suite}: ${PYTHON} with \`${imports}\` is required: ${reason}`;
  if (Deno.env.get("CI") === "true") throw new Error(msg);
  console.log(`SKIP ${msg}`);
  return false;
}
