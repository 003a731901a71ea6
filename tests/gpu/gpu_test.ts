/**
 * Runs the GPU case files once per WebGPU backend (Mesa llvmpipe under DENO_WEBGPU_BACKEND=gl
 * and vulkan) in a subprocess, since the backend is chosen at process start. The subprocess
 * type-checks the case files too (`typing_cases.ts` holds compile-time assertions). Prints the
 * number of bit-exact GPU-vs-CPU comparisons per backend.
 * @module
 */
import assert from "node:assert/strict";

const here = new URL(".", import.meta.url).pathname;
const CASES = [
  "cases.ts",
  "stages_cases.ts",
  "split_cases.ts",
  "typing_cases.ts",
  "fixture_cases.ts",
].map((f) => here + f);

for (const backend of ["gl", "vulkan"]) {
  Deno.test(`gpu cases under DENO_WEBGPU_BACKEND=${backend}`, async () => {
    const xdg = await Deno.makeTempDir({ prefix: "zarr-gpu-xdg-" });
    await Deno.chmod(xdg, 0o700);
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["test", "-A", ...CASES],
        env: { DENO_WEBGPU_BACKEND: backend, XDG_RUNTIME_DIR: xdg, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      const summary = text.match(/(ok|FAILED) \| \d+ passed.*$/m)?.[0] ?? "";
      const skip = text.match(/^SKIP gpu tests: .*$/m)?.[0];
      const counts = [...text.matchAll(/^BITEXACT (\S+) (\d+)$/gm)];
      const total = counts.reduce((s, m) => s + Number(m[2]), 0);
      const per = counts.map((m) => `${m[1]} ${m[2]}`).join(", ");
      console.log(`[${backend}] ${skip ?? summary}`);
      if (!skip) console.log(`[${backend}] bit-exact GPU vs CPU reads: ${total} (${per})`);
      assert.equal(out.code, 0, `gpu cases failed under ${backend}:\n${text.slice(-6000)}`);
    } finally {
      await Deno.remove(xdg, { recursive: true });
    }
  });
}
