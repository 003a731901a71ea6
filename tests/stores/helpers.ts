/**
 * Helpers for the store tests: fixture location, temporary directories and a runner for
 * Debian's `/usr/bin/python3` (skipped with a printed reason when missing, failing under
 * `CI=true`).
 *
 * @example
 * ```ts
 * import { python } from "./helpers.ts";
 * const out = await python("print(1 + 1)"); // "2\n", or undefined when skipped
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the shared fixtures (`$ZARR_FIXTURES`, default `../shared/fixtures`). */
export const FIXTURES: string = Deno.env.get("ZARR_FIXTURES") ??
  join(fileURLToPath(new URL("../../", import.meta.url)), "../shared/fixtures");

/** A temporary directory removed when `fn` finishes. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "zarr-stores-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const PYTHON = "/usr/bin/python3";

/**
 * Runs a Python snippet with `/usr/bin/python3` and returns its stdout; returns `undefined`
 * (after printing why) when the interpreter is missing, unless `CI=true`, where it throws.
 * A non-zero exit throws with stderr.
 */
export async function python(code: string, args: string[] = []): Promise<string | undefined> {
  try {
    await Deno.stat(PYTHON);
  } catch {
    const reason = `${PYTHON} not found`;
    if (Deno.env.get("CI") === "true") throw new Error(`${reason} (required when CI=true)`);
    console.log(`SKIPPED python check: ${reason}`);
    return undefined;
  }
  const out = await new Deno.Command(PYTHON, { args: ["-c", code, ...args] }).output();
  const dec = new TextDecoder();
  if (!out.success) {
    throw new Error(`python failed (${out.code}): ${dec.decode(out.stderr)}`);
  }
  return dec.decode(out.stdout);
}

/** Hex SHA-256 of bytes. */
export async function sha256(data: Uint8Array): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return [...h].map((b) => b.toString(16).padStart(2, "0")).join("");
}
