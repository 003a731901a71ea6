/**
 * v3 arrays with the numcodecs filters through the public API: `zarr.createArray` with
 * array->array `filters` and bytes->bytes `compressors`, written, reopened and read back; the
 * `zarr.json` codecs are what zarr-python 3 writes (configuration as given, dtype / elementsize
 * filled in from the array).
 */
import assert from "node:assert/strict";
import * as zarr from "../../../mod.ts";
import type { CodecMetadata } from "../../../src/codecs/types.ts";

interface V3Case {
  dtype: string;
  filters?: CodecMetadata[];
  compressors?: CodecMetadata[];
  input: ArrayLike<unknown>;
  /** What reads back (the filters may be lossy). */
  output: unknown[];
  /** The codecs written to zarr.json. */
  codecs: unknown[];
}

const LE = { name: "bytes", configuration: { endian: "little" } };

const CASES: Record<string, V3Case> = {
  fixedscaleoffset: {
    dtype: "float64",
    filters: [{
      name: "numcodecs.fixedscaleoffset",
      configuration: { offset: 1, scale: 4, astype: "int16" },
    }],
    input: Float64Array.of(1, 1.1, 1.2, 1.375, -3, 2.125),
    output: [1, 1, 1.25, 1.5, -3, 2],
    codecs: [
      {
        name: "numcodecs.fixedscaleoffset",
        configuration: { offset: 1, scale: 4, astype: "int16", dtype: "float64" },
      },
      LE,
    ],
  },
  astype: {
    dtype: "float64",
    filters: [{ name: "numcodecs.astype", configuration: { encode_dtype: "float16" } }],
    input: Float64Array.of(0.1, 1, 65520, -2.5, 1e-8, 3),
    output: Array.from(Float16Array.of(0.1, 1, 65520, -2.5, 1e-8, 3)),
    codecs: [{
      name: "numcodecs.astype",
      configuration: { encode_dtype: "float16", decode_dtype: "float64" },
    }, LE],
  },
  quantize: {
    dtype: "float32",
    filters: [{ name: "numcodecs.quantize", configuration: { digits: 1 } }],
    input: Float32Array.of(0.1111, 0.3333, 1, 2.5, -7.77, 0),
    output: [0.125, 0.3125, 1, 2.5, -7.75, 0],
    codecs: [{ name: "numcodecs.quantize", configuration: { digits: 1, dtype: "float32" } }, LE],
  },
  bitround: {
    dtype: "float32",
    filters: [{ name: "numcodecs.bitround", configuration: { keepbits: 3 } }],
    input: Float32Array.of(1.1, 2.2, 3.3, 4.4, 0, -1.1),
    output: [1.125, 2.25, 3.25, 4.5, 0, -1.125],
    codecs: [{ name: "numcodecs.bitround", configuration: { keepbits: 3 } }, LE],
  },
  packbits: {
    dtype: "bool",
    filters: [{ name: "numcodecs.packbits" }],
    input: Uint8Array.of(1, 0, 0, 1, 1, 1),
    output: [1, 0, 0, 1, 1, 1],
    codecs: [{ name: "numcodecs.packbits", configuration: {} }, { name: "bytes" }],
  },
  categorize: {
    dtype: "U6",
    filters: [{
      name: "numcodecs.categorize",
      configuration: { labels: ["ab", "cd"], dtype: "<U6", astype: "uint8" },
    }],
    input: ["ab", "cd", "x", "", "cd", "ab"],
    output: ["ab", "cd", "", "", "cd", "ab"],
    // zarr-python evolves `bytes` against the array's type (U6 has a byte order)
    codecs: [{
      name: "numcodecs.categorize",
      configuration: { labels: ["ab", "cd"], dtype: "<U6", astype: "uint8" },
    }, LE],
  },
  delta: {
    dtype: "int64",
    filters: [{ name: "numcodecs.delta", configuration: { dtype: "int64", astype: "int8" } }],
    input: BigInt64Array.of(100n, 101n, 99n, 130n, 120n, 125n),
    output: [100n, 101n, 99n, 130n, 120n, 125n],
    codecs: [{ name: "numcodecs.delta", configuration: { dtype: "int64", astype: "int8" } }, LE],
  },
  shuffle: {
    dtype: "int32",
    compressors: [{ name: "numcodecs.shuffle" }, {
      name: "numcodecs.zlib",
      configuration: { level: 1 },
    }],
    input: Int32Array.of(1, -2, 3, 1 << 30, 5, 6),
    output: [1, -2, 3, 1 << 30, 5, 6],
    codecs: [LE, { name: "numcodecs.shuffle", configuration: { elementsize: 4 } }, {
      name: "numcodecs.zlib",
      configuration: { level: 1 },
    }],
  },
  checksums: {
    dtype: "uint16",
    compressors: [
      { name: "numcodecs.adler32", configuration: { location: "end" } },
      { name: "numcodecs.crc32" },
      { name: "numcodecs.fletcher32" },
      { name: "numcodecs.crc32c" },
    ],
    input: Uint16Array.of(1, 2, 3, 65535, 0, 7),
    output: [1, 2, 3, 65535, 0, 7],
    codecs: [
      LE,
      { name: "numcodecs.adler32", configuration: { location: "end" } },
      { name: "numcodecs.crc32", configuration: {} },
      { name: "numcodecs.fletcher32", configuration: {} },
      { name: "numcodecs.crc32c", configuration: {} },
    ],
  },
};

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`v3 numcodecs filters: ${name} writes, reopens and reads back (zarr-python 3 metadata)`, async () => {
    const store = new zarr.MemoryStore();
    const a = await zarr.createArray(store, {
      shape: [2, 3],
      chunks: [2, 2],
      dtype: c.dtype,
      filters: c.filters ?? null,
      compressors: c.compressors ?? null,
    });
    await a.setitem(null, zarr.ndarray(c.input as never, [2, 3], a.dtype));
    const doc = JSON.parse(new TextDecoder().decode((await store.get("zarr.json"))!));
    assert.deepEqual(doc.codecs, c.codecs);
    const b = await zarr.openArray({ store, mode: "r" });
    const nd = await b.getitem(null) as zarr.NDArray;
    assert.deepEqual(Array.from(nd.data as ArrayLike<unknown>), c.output);
    // the pipeline evolves `bytes` against the type reaching it (uint8 codes: no byte order)
    assert.deepEqual(
      b.pipeline.toJSON().slice(0, c.filters?.length ?? 0),
      c.filters ? c.codecs.slice(0, c.filters.length) : [],
    );
  });
}
