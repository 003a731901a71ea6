/**
 * Child process of the crash and concurrency tests (not a test itself).
 *
 *   crash <root> <seed> <gen0>     loop forever over setitem / resize / append /
 *                                  consolidateMetadata / copy; prints "ready" first
 *   rows <root> <row0> <rows> <gen0> <rounds>
 *                                  writes rows [row0, row0+rows) of "main" `rounds` times,
 *                                  each chunk uniformly one generation's value
 * @module
 */
import * as zarr from "../../mod.ts";
import { Rng } from "./_helpers.ts";

const [mode, root, ...rest] = Deno.args;
const store = new zarr.LocalStore(root);
const CH = 10;

if (mode === "crash") {
  const rng = new Rng(Number(rest[0]));
  let gen = Number(rest[1]);
  const main = await zarr.openArray({ store, path: "main", mode: "r+" });
  const log = await zarr.openArray({ store, path: "log", mode: "r+" });
  const src = await zarr.openArray({ store, path: "static", mode: "r" });
  const g = await zarr.openGroup(store, { mode: "r+" });
  console.log("ready");
  for (;;) {
    gen++;
    switch (rng.int(5)) {
      case 0: { // setitem of a chunk-aligned block inside rows [0, 40)
        const r0 = rng.int(4) * CH;
        const c0 = rng.int(4) * CH;
        const nr = (1 + rng.int(4 - r0 / CH)) * CH;
        const nc = (1 + rng.int(4 - c0 / CH)) * CH;
        await main.setitem([zarr.slice(r0, r0 + nr), zarr.slice(c0, c0 + nc)], gen);
        break;
      }
      case 1: // resize between 40 and 60 rows (rows >= 40 are the resizable tail)
        await main.resize([rng.pick([40, 50, 60]), 40]);
        if (main.shape[0] > 40) {
          await main.setitem([zarr.slice(40, main.shape[0]), null], gen);
        }
        break;
      case 2: // append one chunk of `gen`
        if (log.shape[0] >= 200) await log.resize([0]);
        await log.append(new Int32Array(CH).fill(gen));
        break;
      case 3:
        await zarr.consolidateMetadata(store);
        break;
      case 4:
        await zarr.copy(src, g, { name: `copy${rng.int(3)}`, ifExists: "replace" });
        break;
    }
  }
} else if (mode === "rows") {
  const [row0, rows, gen0, rounds] = rest.map(Number);
  const main = await zarr.openArray({ store, path: "main", mode: "r+" });
  for (let i = 0; i < rounds; i++) {
    await main.setitem([zarr.slice(row0, row0 + rows), null], gen0 + i);
  }
  console.log("done");
}
