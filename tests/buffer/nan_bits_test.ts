import { deepStrictEqual as assertEquals } from "node:assert";
import * as zarr from "../../mod.ts";

const SNAN32 = 0x7f800001; // a signalling NaN: widening it to a JS number would set bit 22
const hex = (d: ArrayBufferView, n: number) =>
  [...new Uint32Array(d.buffer, d.byteOffset, n)].map((x) => x.toString(16));

Deno.test("nan bits: strided float32 and complex64 reads and writes keep signalling NaN payloads", async () => {
  const f = new Float32Array(8);
  new Uint32Array(f.buffer).fill(SNAN32);
  const a = await zarr.array(f, { chunks: [3], dtype: "float32" });
  const r = await a.getitem("::-2");
  assertEquals(hex(r.data as Float32Array, 4), Array(4).fill("7f800001"));
  const c = await zarr.zeros([4], { chunks: [3], dtype: "complex64" });
  await c.setitem("::2", { data: f.subarray(0, 4), shape: [2], stride: [1], dtype: "complex64" });
  const rc = await c.getitem("::-1");
  assertEquals(hex(rc.data as Float32Array, 8), [
    "0",
    "0",
    "7f800001",
    "7f800001",
    "0",
    "0",
    "7f800001",
    "7f800001",
  ]);
});

Deno.test("nan bits: strided float16 reads keep signalling NaN payloads", async () => {
  const h = new Float16Array(6);
  new Uint16Array(h.buffer).fill(0x7c01);
  const a = await zarr.array(h, { chunks: [4], dtype: "float16" });
  const r = await a.getitem("::-1");
  const d = r.data as Float16Array;
  assertEquals([...new Uint16Array(d.buffer, d.byteOffset, 6)], Array(6).fill(0x7c01));
});
