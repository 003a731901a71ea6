import assert from "node:assert/strict";
import { ZarrTypeError, ZarrValueError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";
import {
  defaultCodecsV3,
  defaultSerializerV3,
  deriveV2Codecs,
  evolveCodecsV3,
  objectCodecId,
  v2EncodingFromCodecs,
} from "../../src/metadata/codec_chain.ts";

const dt = parseDataType;
const BYTES_LE = { name: "bytes", configuration: { endian: "little" } };

Deno.test("bytes drops endian for endian-less types (test_array_metadata_roundtrip)", () => {
  for (const t of ["bool", "int8", "uint8", "S3", "V2"]) {
    assert.deepEqual(evolveCodecsV3([BYTES_LE], dt(t)), [{ name: "bytes" }]);
  }
  for (const t of ["int16", "float64", "complex64", "U2", "M8[ns]"]) {
    assert.deepEqual(evolveCodecsV3([BYTES_LE], dt(t)), [BYTES_LE]);
  }
  assert.throws(() => evolveCodecsV3([{ name: "bytes" }], dt("int32")), /endian/);
  assert.throws(
    () => evolveCodecsV3([{ name: "bytes", configuration: { endian: "middle" } }], dt("int32")),
    ZarrValueError,
  );
});

Deno.test("defaults are written out in zarr-python's to_dict form", () => {
  assert.deepEqual(evolveCodecsV3(["bytes", "zstd"], dt("uint8")), [
    { name: "bytes" },
    { name: "zstd", configuration: { level: 0, checksum: false } },
  ]);
  assert.deepEqual(evolveCodecsV3([BYTES_LE, { name: "gzip" }], dt("int32"))[1], {
    name: "gzip",
    configuration: { level: 5 },
  });
  assert.deepEqual(
    evolveCodecsV3([BYTES_LE, { name: "crc32c", configuration: {} }], dt("int32"))[1],
    {
      name: "crc32c",
    },
  );
  assert.deepEqual(evolveCodecsV3([{ name: "vlen-utf8" }], dt("string")), [
    { name: "vlen-utf8", configuration: {} },
  ]);
  const keys = Object.keys(
    evolveCodecsV3([BYTES_LE, { name: "blosc", configuration: { cname: "lz4" } }], dt("int32"))[1]
      .configuration!,
  );
  assert.deepEqual(keys, ["typesize", "cname", "clevel", "shuffle", "blocksize"]);
});

Deno.test("blosc typesize / shuffle tuned from the item size when unset", () => {
  const b = (t: string, cfg: Record<string, unknown> = {}) =>
    evolveCodecsV3([defaultSerializerV3(dt(t)), { name: "blosc", configuration: cfg }], dt(t))[1]
      .configuration;
  assert.deepEqual(b("float64"), {
    typesize: 8,
    cname: "zstd",
    clevel: 5,
    shuffle: "shuffle",
    blocksize: 0,
  });
  assert.equal(b("uint8")!.shuffle, "bitshuffle");
  assert.equal(b("string")!.typesize, 1);
  assert.deepEqual(b("float64", { typesize: 4, shuffle: "noshuffle" })!.typesize, 4);
  assert.equal(b("float64", { typesize: 4, shuffle: "noshuffle" })!.shuffle, "noshuffle");
});

Deno.test("sharding is canonicalized and evolved recursively", () => {
  const [s] = evolveCodecsV3(
    [{ name: "sharding_indexed", configuration: { chunk_shape: [5], codecs: [BYTES_LE] } }],
    dt("uint8"),
    { chunkShape: [10] },
  );
  assert.deepEqual(s, {
    name: "sharding_indexed",
    configuration: {
      chunk_shape: [5],
      codecs: [{ name: "bytes" }],
      index_codecs: [BYTES_LE, { name: "crc32c" }],
      index_location: "end",
    },
  });
  assert.throws(
    () =>
      evolveCodecsV3(
        [{ name: "sharding_indexed", configuration: { chunk_shape: [3] } }],
        dt("uint8"),
        {
          chunkShape: [10],
        },
      ),
    /divisible/,
  );
  assert.throws(
    () =>
      evolveCodecsV3(
        [{ name: "sharding_indexed", configuration: { chunk_shape: [5], codecs: [BYTES_LE] } }],
        dt("string"),
        { chunkShape: [10] },
      ),
    /VLenUTF8Codec/,
  );
});

Deno.test("chain validation", () => {
  assert.throws(() => evolveCodecsV3([], dt("int32")), /At least one ArrayBytesCodec/);
  assert.throws(() => evolveCodecsV3([BYTES_LE, BYTES_LE], dt("int32")), /Only one/);
  assert.throws(() => evolveCodecsV3([{ name: "zstd" }, BYTES_LE], dt("int32")), ZarrTypeError);
  assert.throws(() => evolveCodecsV3([BYTES_LE], dt("string")), /VLenUTF8Codec/);
  assert.throws(() => evolveCodecsV3("bytes", dt("int32")), ZarrTypeError);
  assert.throws(() => evolveCodecsV3([{ configuration: {} }], dt("int32")), ZarrValueError);
  assert.throws(
    () =>
      evolveCodecsV3(
        [{ name: "transpose", configuration: { order: [0, 0] } }, BYTES_LE],
        dt("int32"),
      ),
    /duplicates/,
  );
  assert.throws(
    () =>
      evolveCodecsV3(
        [{ name: "transpose", configuration: { order: [0] } }, BYTES_LE],
        dt("int32"),
        {
          chunkShape: [2, 2],
        },
      ),
    /as many entries/,
  );
  // unknown codecs are kept as given and not validated
  assert.deepEqual(
    evolveCodecsV3(
      [{ name: "my.codec", configuration: { a: 1 }, must_understand: false }],
      dt("int32"),
    ),
    [
      { name: "my.codec", configuration: { a: 1 }, must_understand: false },
    ],
  );
});

Deno.test("default chains", () => {
  assert.deepEqual(defaultCodecsV3(dt("int32")), [
    BYTES_LE,
    { name: "zstd", configuration: { level: 0, checksum: false } },
  ]);
  assert.deepEqual(defaultCodecsV3(dt("bool"))[0], { name: "bytes" });
  assert.deepEqual(defaultSerializerV3(dt("variable_length_bytes")), {
    name: "vlen-bytes",
    configuration: {},
  });
});

Deno.test("deriveV2Codecs: order, filters, serializer, compressor", () => {
  const base = { dataType: dt("int32"), endian: "little" as const, order: "C" as const, ndim: 2 };
  assert.deepEqual(deriveV2Codecs({ ...base, filters: null, compressor: null }), [BYTES_LE]);
  assert.deepEqual(
    deriveV2Codecs({
      ...base,
      order: "F",
      endian: "big",
      filters: [{ id: "delta", dtype: "<i4" }],
      compressor: { id: "zstd", level: 3 },
    }),
    [
      { name: "transpose", configuration: { order: [1, 0] } },
      { name: "numcodecs.delta", configuration: { dtype: "<i4" } },
      { name: "bytes", configuration: { endian: "big" } },
      { name: "zstd", configuration: { level: 3, checksum: false } },
    ],
  );
  assert.deepEqual(
    deriveV2Codecs({ ...base, ndim: 3, order: "F", filters: null, compressor: { id: "gzip" } }),
    [
      { name: "transpose", configuration: { order: [2, 1, 0] } },
      BYTES_LE,
      { name: "gzip", configuration: { level: 1 } },
    ],
  );
  // 1-d "F" is the identity: no transpose
  assert.deepEqual(
    deriveV2Codecs({ ...base, ndim: 1, order: "F", filters: null, compressor: null }),
    [
      BYTES_LE,
    ],
  );
  assert.deepEqual(
    deriveV2Codecs({
      dataType: dt("string"),
      endian: null,
      order: "C",
      ndim: 1,
      filters: [{ id: "vlen-utf8" }],
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
    }),
    [
      { name: "vlen-utf8" },
      {
        name: "numcodecs.blosc",
        configuration: { cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
      },
    ],
  );
  assert.deepEqual(
    deriveV2Codecs({
      dataType: dt("uint8"),
      endian: null,
      order: "C",
      ndim: 1,
      filters: null,
      compressor: { id: "zlib", level: 1 },
    }),
    [{ name: "bytes" }, { name: "numcodecs.zlib", configuration: { level: 1 } }],
  );
});

Deno.test("objectCodecId", () => {
  assert.equal(objectCodecId([{ id: "delta" }, { id: "vlen-bytes" }], null), "vlen-bytes");
  assert.equal(objectCodecId(null, { id: "vlen-utf8" }), "vlen-utf8");
  assert.equal(objectCodecId(null, { id: "zstd" }), undefined);
});

Deno.test("v2EncodingFromCodecs inverts deriveV2Codecs", () => {
  const cases = [
    {
      dataType: dt("int32"),
      endian: "big" as const,
      order: "F" as const,
      ndim: 2,
      filters: [{ id: "delta", dtype: "<i4" }],
      compressor: { id: "zstd", level: 3, checksum: false },
    },
    {
      dataType: dt("uint8"),
      endian: null,
      order: "C" as const,
      ndim: 1,
      filters: null,
      compressor: { id: "gzip", level: 1 },
    },
    {
      dataType: dt("string"),
      endian: null,
      order: "C" as const,
      ndim: 1,
      filters: [{ id: "vlen-utf8" }],
      compressor: null,
    },
  ];
  for (const c of cases) {
    const enc = v2EncodingFromCodecs(deriveV2Codecs(c), c.dataType, c.ndim);
    assert.deepEqual(enc, {
      filters: c.filters,
      compressor: c.compressor,
      order: c.order,
      endian: c.endian,
    });
  }
  assert.deepEqual(
    v2EncodingFromCodecs(
      [BYTES_LE, {
        name: "blosc",
        configuration: {
          typesize: 4,
          cname: "lz4",
          clevel: 5,
          shuffle: "bitshuffle",
          blocksize: 0,
        },
      }],
      dt("int32"),
      1,
    ).compressor,
    { id: "blosc", cname: "lz4", clevel: 5, shuffle: 2, blocksize: 0 },
  );
  assert.throws(
    () => v2EncodingFromCodecs([{ name: "sharding_indexed", configuration: {} }], dt("int32"), 1),
    /cannot be expressed/,
  );
  assert.throws(
    () => v2EncodingFromCodecs([BYTES_LE, { name: "zstd" }, { name: "crc32c" }], dt("int32"), 1),
    /more than one/,
  );
});
