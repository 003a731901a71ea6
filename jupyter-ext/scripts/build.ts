/**
 * `deno task lab:build`: installs the extension's npm packages (`npm install`, which follows
 * package-lock.json; `npm ci` refuses a lock without the optional packages of other platforms,
 * which registries that lack those versions produce) and builds it with node alone
 * (`tsc`, then `@jupyter/builder` against `@jupyterlab/core-meta`) into
 * `jupyter-ext/labextension/`.
 *
 * @example
 * ```sh
 * deno task lab:build && deno task lab:install
 * ```
 * @module
 */
const dir = new URL("..", import.meta.url).pathname;

async function run(cmd: string, args: string[]): Promise<void> {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const st = await new Deno.Command(cmd, {
    args,
    cwd: dir,
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn().status;
  if (!st.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${st.code}) in ${dir}`);
  }
}

await run("npm", ["install", "--no-audit", "--no-fund"]);
await run("npm", ["run", "build"]);
console.log(`built: ${dir}labextension`);
