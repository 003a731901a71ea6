/**
 * Runs tests/gpu/cases.ts once per WebGPU backend (Mesa llvmpipe under DENO_WEBGPU_BACKEND=gl
 * and vulkan) in a subprocess, since the backend is chosen at process start.
 * @module
 */
import assert from "node:assert/strict";

const cases = new URL("./cases.ts", import.meta.url).pathname;

for (const backend of ["gl", "vulkan"]) {
  Deno.test(`gpu cases under DENO_WEBGPU_BACKEND=${backend}`, async () => {
    const xdg = await Deno.makeTempDir({ prefix: "zarr-gpu-xdg-" });
    await Deno.chmod(xdg, 0o700);
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["test", "-A", "--no-check", cases],
        env: { DENO_WEBGPU_BACKEND: backend, XDG_RUNTIME_DIR: xdg, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      const summary = text.match(/(ok|FAILED) \| \d+ passed.*$/m)?.[0] ?? "";
      const skip = text.match(/^SKIP gpu tests: .*$/m)?.[0];
      console.log(`[${backend}] ${skip ?? summary}`);
      assert.equal(out.code, 0, `gpu cases failed under ${backend}:\n${text.slice(-6000)}`);
    } finally {
      await Deno.remove(xdg, { recursive: true });
    }
  });
}
