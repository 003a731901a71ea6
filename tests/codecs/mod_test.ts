import assert from "node:assert/strict";
import * as codecs from "../../src/codecs/mod.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";

Deno.test("codecs/mod: re-exports the public codec API", async () => {
  for (
    const name of [
      "BytesCodec",
      "byteswap",
      "TransposeCodec",
      "permute",
      "inversePermutation",
      "isPermutation",
      "GzipCodec",
      "ZlibCodec",
      "ZstdCodec",
      "inspectZstdFrames",
      "Crc32cCodec",
      "crc32c",
      "VLenUTF8Codec",
      "VLenBytesCodec",
      "scanVlen",
      "writeVlen",
      "codecFromMetadata",
      "codecFromV2",
      "registerCodec",
      "registerV2Codec",
      "registeredCodecs",
      "hasV2Form",
      "buildPipeline",
      "CodecPipeline",
      "defaultCodecsV3",
    ]
  ) {
    assert.equal(typeof (codecs as Record<string, unknown>)[name], "function", name);
  }
  const dt = parseDataType("int16");
  const p = codecs.buildPipeline(codecs.defaultCodecsV3(dt), "m", { dtype: dt, shape: [3] });
  const spec = { shape: [3], dtype: dt, fillValue: 0 };
  const bytes = await p.encode({ data: new Int16Array([1, -2, 3]), shape: [3] }, spec);
  assert.deepEqual((await p.decode(bytes, spec)).data, new Int16Array([1, -2, 3]));
});
