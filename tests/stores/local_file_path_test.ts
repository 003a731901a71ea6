/**
 * LocalStore.filePath: the path a reader in another thread opens, after the same key validation
 * and symlink confinement as `get`.
 */
import assert from "node:assert/strict";
import { LocalStore } from "../../src/stores/local.ts";
import { InvalidKeyError } from "../../src/errors.ts";

Deno.test("LocalStore.filePath: paths under the root, missing files included", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const store = new LocalStore(dir);
    await store.set("a/c/0", Uint8Array.of(1));
    assert.equal(await store.filePath("a/c/0"), `${dir}/a/c/0`);
    assert.equal(await store.filePath("a/c/9"), `${dir}/a/c/9`);
    assert.equal(await store.filePath("nowhere/x"), `${dir}/nowhere/x`);
    assert.deepEqual(await Deno.readFile(await store.filePath("a/c/0")), Uint8Array.of(1));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalStore.filePath: refuses bad keys and symlinks out of the root", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const root = `${dir}/root`;
    await Deno.mkdir(`${dir}/outside`);
    await Deno.writeTextFile(`${dir}/outside/secret`, "s");
    const store = new LocalStore(root, { create: true });
    for (const bad of ["../x", "/abs", "a/../b", "a\\b", "a//b", "nul\0"]) {
      await assert.rejects(store.filePath(bad), InvalidKeyError, bad);
    }
    await Deno.symlink(`${dir}/outside`, `${root}/linkdir`);
    await Deno.symlink(`${dir}/outside/secret`, `${root}/linkfile`);
    for (const key of ["linkdir/secret", "linkfile", "linkdir/none"]) {
      await assert.rejects(store.filePath(key), (e: Error) => {
        assert.ok(e instanceof InvalidKeyError, `${key}: ${e}`);
        assert.ok(e.message.includes(key), e.message);
        return true;
      });
    }
    await Deno.mkdir(`${root}/in`);
    await Deno.symlink(`${root}/in`, `${root}/inlink`);
    assert.equal(await store.filePath("inlink/k"), `${root}/inlink/k`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
