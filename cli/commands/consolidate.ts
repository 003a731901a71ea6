/**
 * `zarr consolidate STORE[/PATH]`: write the consolidated metadata of a group (v2
 * `.zmetadata`, v3 inline in `zarr.json`) with `consolidateMetadata`.
 *
 * @example
 * ```ts
 * import { consolidateCommand } from "./consolidate.ts";
 * console.log(consolidateCommand.spec.name); // consolidate
 * ```
 * @module
 */
import * as zarr from "../../mod.ts";
import type { ParsedCommandLine } from "../args.ts";
import { printOut, warnCli } from "../io.ts";
import { showPath, splitLocation } from "../location.ts";
import { type Command, PATH_OPTION, STORE_HELP } from "./common.ts";

async function run(args: ParsedCommandLine): Promise<number> {
  const location = await splitLocation(
    args.positionals[0],
    args.options.path as string | undefined,
  );
  const store = await zarr.resolveStore(location.store, { mode: "r+" });
  try {
    const [group, warnings] = await zarr.captureWarnings(() =>
      zarr.consolidateMetadata(store, { path: location.path })
    );
    for (const w of warnings) {
      // asking for consolidation is asking for this v3 extension: no need to warn about it
      if (!w.message.startsWith("Consolidated metadata is currently not part")) {
        warnCli(`${w.category}: ${w.message}`);
      }
    }
    const cm = group.metadata.consolidatedMetadata?.metadata ?? {};
    const n = Object.keys(cm).length;
    const where = group.zarrFormat === 2
      ? `${location.path === "" ? "" : location.path + "/"}.zmetadata`
      : `${location.path === "" ? "" : location.path + "/"}zarr.json`;
    printOut(
      `consolidated ${n} node${n === 1 ? "" : "s"} below group '${
        showPath(location.path)
      }' into ${where} (Zarr format ${group.zarrFormat})\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** The `consolidate` command. */
export const consolidateCommand: Command = {
  spec: {
    name: "consolidate",
    summary: "Write consolidated metadata for a group (v2 .zmetadata, v3 inline in zarr.json).",
    positionals: [{ name: "STORE[/PATH]", help: "the group (default: the store's root)" }],
    options: [PATH_OPTION],
    description: `Every node below the group must have readable metadata.\n\n${STORE_HELP}`,
    examples: ["zarr consolidate data.zarr", "zarr consolidate archive.zip"],
  },
  run,
};
