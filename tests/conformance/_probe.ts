import * as zarr from "../../mod.ts";
const g = await zarr.group();
await (await g.createGroup("A")).createArray("x", { shape: [2], dtype: "int8" });
const h = (await g.tree()).toHTML();
console.log(h.length, /<b>A<\/b>/.test(h), h.includes("<pre"), h.slice(0, 300));
