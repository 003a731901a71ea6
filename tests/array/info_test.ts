/**
 * Tests of src/array/info.ts against zarr-python's `tests/test_info.py`, the `info` docstring
 * examples of `src/zarr/core/array.py`, and Python/numpy reprs taken from Python 3.11 +
 * numpy 2.4 (float, complex, str, bytes, datetime64 formatting).
 */
import { strict as assert } from "node:assert";
import {
  byteInfo,
  codecRepr,
  datetimeStr,
  dtypeRepr,
  formatArrayInfo,
  formatFillValue,
  humanReadableSize,
  numpyDtypeName,
  numpyDtypeStr,
  pyBytesRepr,
  pyComplexRepr,
  pyFloat,
  pyFloatRepr,
  pyFormatFixed,
  pyRepr,
  pyStrRepr,
  pyTuple,
  shapeRepr,
  timedeltaStr,
} from "../../src/array/info.ts";

/** Like Python's textwrap.dedent for the test fixtures below. */
function dedent(s: string): string {
  const lines = s.split("\n");
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join("\n");
}

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`test_info: test_array_info (zarr_format=${zarrFormat})`, () => {
    const result = formatArrayInfo({
      zarrFormat,
      dataTypeRepr: dtypeRepr("int32"),
      fillValueRepr: formatFillValue(0, "int32"),
      shape: [100, 100],
      chunkShape: [10, 100],
      order: "C",
      readOnly: true,
      storeType: "MemoryStore",
      filters: [],
      serializer: codecRepr({ name: "bytes", configuration: { endian: "little" } }),
      compressors: [],
    });
    assert.equal(
      result,
      dedent(`\
        Type               : Array
        Zarr format        : ${zarrFormat}
        Data type          : Int32(endianness='little')
        Fill value         : 0
        Shape              : (100, 100)
        Chunk shape        : (10, 100)
        Order              : C
        Read-only          : True
        Store type         : MemoryStore
        Filters            : ()
        Serializer         : BytesCodec(endian='little')
        Compressors        : ()`),
    );
  });

  Deno.test(`test_info: test_array_info_complete (zarr_format=${zarrFormat})`, () => {
    const result = formatArrayInfo({
      zarrFormat,
      dataTypeRepr: "Int32(endianness='little')",
      fillValueRepr: "0",
      shape: [100, 100],
      chunkShape: [10, 100],
      order: "C",
      readOnly: true,
      storeType: "MemoryStore",
      filters: [],
      serializer: "BytesCodec(endian='little')",
      compressors: [],
      nbytes: 1_000_000,
      nbytesStored: 500_000,
      chunksInitialized: 5,
    });
    assert.equal(
      result,
      dedent(`\
        Type               : Array
        Zarr format        : ${zarrFormat}
        Data type          : Int32(endianness='little')
        Fill value         : 0
        Shape              : (100, 100)
        Chunk shape        : (10, 100)
        Order              : C
        Read-only          : True
        Store type         : MemoryStore
        Filters            : ()
        Serializer         : BytesCodec(endian='little')
        Compressors        : ()
        No. bytes          : 1000000 (976.6K)
        No. bytes stored   : 500000 (488.3K)
        Storage ratio      : 2.0
        Chunks Initialized : 5`),
    );
  });
}

Deno.test("test_info: test_human_readable_size", () => {
  const cases: [number, string][] = [
    [1, "1"],
    [2 ** 10, "1.0K"],
    [2 ** 20, "1.0M"],
    [2 ** 30, "1.0G"],
    [2 ** 40, "1.0T"],
    [2 ** 50, "1.0P"],
  ];
  for (const [size, expected] of cases) assert.equal(humanReadableSize(size), expected);
  // beyond P stays in P; ties round to even like Python's format(x, ".1f")
  assert.equal(humanReadableSize(2 ** 60), "1024.0P");
  assert.equal(humanReadableSize(1280), "1.2K"); // 1.25 -> 1.2
  assert.equal(humanReadableSize(1792), "1.8K"); // 1.75 -> 1.8
  assert.equal(humanReadableSize(1023), "1023");
  assert.equal(humanReadableSize(2n ** 40n), "1.0T");
});

Deno.test("byteInfo", () => {
  assert.equal(byteInfo(480), "480");
  assert.equal(byteInfo(1023), "1023");
  assert.equal(byteInfo(1024), "1024 (1.0K)");
  assert.equal(byteInfo(1280), "1280 (1.2K)");
  assert.equal(byteInfo(1_000_000), "1000000 (976.6K)");
  assert.equal(byteInfo(2n ** 53n + 2n), "9007199254740994 (8.0P)");
});

Deno.test("AsyncArray.info docstring example (v3 defaults)", () => {
  const result = formatArrayInfo({
    zarrFormat: 3,
    dataTypeRepr: dtypeRepr("float64"),
    fillValueRepr: formatFillValue(0, "float64"),
    shape: [3, 4, 5],
    chunkShape: [2, 2, 2],
    order: "C",
    readOnly: false,
    storeType: "MemoryStore",
    filters: [],
    serializer: codecRepr({ name: "bytes", configuration: { endian: "little" } }),
    compressors: [codecRepr({ name: "zstd", configuration: { level: 0, checksum: false } })],
    nbytes: 480,
  });
  assert.equal(
    result,
    dedent(`\
      Type               : Array
      Zarr format        : 3
      Data type          : Float64(endianness='little')
      Fill value         : 0.0
      Shape              : (3, 4, 5)
      Chunk shape        : (2, 2, 2)
      Order              : C
      Read-only          : False
      Store type         : MemoryStore
      Filters            : ()
      Serializer         : BytesCodec(endian='little')
      Compressors        : (ZstdCodec(level=0, checksum=False),)
      No. bytes          : 480`),
  );
});

Deno.test("Array.info docstring example (float32, 1-d)", () => {
  const result = formatArrayInfo({
    zarrFormat: 3,
    dataTypeRepr: dtypeRepr("float32"),
    fillValueRepr: formatFillValue(0, "float32"),
    shape: [10],
    chunkShape: [2],
    order: "C",
    readOnly: false,
    storeType: "MemoryStore",
    filters: [],
    serializer: "BytesCodec(endian='little')",
    compressors: ["ZstdCodec(level=0, checksum=False)"],
    nbytes: 40,
  });
  assert.ok(result.includes("\nData type          : Float32(endianness='little')\n"));
  assert.ok(result.includes("\nShape              : (10,)\nChunk shape        : (2,)\n"));
  assert.ok(result.endsWith("\nNo. bytes          : 40"));
});

Deno.test("TestInfo.test_info_v2: v2 has no Serializer line, numcodecs compressor", () => {
  const result = formatArrayInfo({
    zarrFormat: 2,
    dataTypeRepr: dtypeRepr("<f8"),
    fillValueRepr: formatFillValue(0, "<f8"),
    shape: [8, 8],
    chunkShape: [2, 2],
    order: "C",
    readOnly: false,
    storeType: "MemoryStore",
    filters: [],
    compressors: [codecRepr({ id: "zstd", level: 0 })],
    nbytes: 512,
  });
  assert.equal(
    result,
    dedent(`\
      Type               : Array
      Zarr format        : 2
      Data type          : Float64(endianness='little')
      Fill value         : 0.0
      Shape              : (8, 8)
      Chunk shape        : (2, 2)
      Order              : C
      Read-only          : False
      Store type         : MemoryStore
      Filters            : ()
      Compressors        : (Zstd(level=0),)
      No. bytes          : 512`),
  );
});

Deno.test("TestInfo.test_info_complete: sharded, with shard shape and Shards Initialized", () => {
  const result = formatArrayInfo({
    zarrFormat: 3,
    dataTypeRepr: dtypeRepr("float64"),
    fillValueRepr: "0.0",
    shape: [8, 8],
    shardShape: [4, 4],
    chunkShape: [2, 2],
    order: "C",
    readOnly: false,
    storeType: "MemoryStore",
    filters: [],
    serializer: "BytesCodec(endian='little')",
    compressors: [],
    nbytes: 512,
    nbytesStored: 982,
    chunksInitialized: 0,
  });
  assert.equal(
    result,
    dedent(`\
      Type               : Array
      Zarr format        : 3
      Data type          : Float64(endianness='little')
      Fill value         : 0.0
      Shape              : (8, 8)
      Shard shape        : (4, 4)
      Chunk shape        : (2, 2)
      Order              : C
      Read-only          : False
      Store type         : MemoryStore
      Filters            : ()
      Serializer         : BytesCodec(endian='little')
      Compressors        : ()
      No. bytes          : 512
      No. bytes stored   : 982
      Storage ratio      : 0.5
      Shards Initialized : 0`),
  );
});

Deno.test("info: unsharded info_complete, zero stored bytes, variable chunks", () => {
  const base = {
    zarrFormat: 3 as const,
    dataTypeRepr: "Float64(endianness='little')",
    fillValueRepr: "0.0",
    shape: [8, 8],
    chunkShape: [2, 2],
    order: "C" as const,
    readOnly: false,
    storeType: "MemoryStore",
    filters: [],
    serializer: "BytesCodec(endian='little')",
    compressors: [],
    nbytes: 512,
  };
  const a = formatArrayInfo({ ...base, nbytesStored: 521, chunksInitialized: 0 });
  assert.ok(a.endsWith(
    "No. bytes          : 512\nNo. bytes stored   : 521\nStorage ratio      : 1.0\nChunks Initialized : 0",
  ));
  const b = formatArrayInfo({ ...base, nbytesStored: 649, chunksInitialized: 4 });
  assert.ok(b.endsWith("Storage ratio      : 0.8\nChunks Initialized : 4"));
  // stored == 0: no ratio line
  const c = formatArrayInfo({ ...base, nbytesStored: 0 });
  assert.ok(c.endsWith("No. bytes          : 512\nNo. bytes stored   : 0"));
  // rectilinear grid
  const d = formatArrayInfo({ ...base, chunkShape: null });
  assert.ok(d.includes("\nChunk shape        : <variable>\n"));
  // 0-d array, no nbytes
  const e = formatArrayInfo({ ...base, shape: [], chunkShape: [], nbytes: undefined });
  assert.ok(e.includes("\nShape              : ()\nChunk shape        : ()\n"));
  assert.ok(e.endsWith("Compressors        : ()"));
  // storage ratio ties round to even: 5 / 4 = 1.25 -> 1.2
  const f = formatArrayInfo({ ...base, nbytes: 5, nbytesStored: 4 });
  assert.ok(f.endsWith("Storage ratio      : 1.2"));
});

Deno.test("dtypeRepr: zarr-python ZDType reprs", () => {
  const cases: [Parameters<typeof dtypeRepr>[0], string][] = [
    ["bool", "Bool()"],
    ["int8", "Int8()"],
    ["uint8", "UInt8()"],
    ["int16", "Int16(endianness='little')"],
    ["uint16", "UInt16(endianness='little')"],
    ["int32", "Int32(endianness='little')"],
    ["uint32", "UInt32(endianness='little')"],
    ["int64", "Int64(endianness='little')"],
    ["uint64", "UInt64(endianness='little')"],
    ["float16", "Float16(endianness='little')"],
    ["float32", "Float32(endianness='little')"],
    ["float64", "Float64(endianness='little')"],
    ["complex64", "Complex64(endianness='little')"],
    ["complex128", "Complex128(endianness='little')"],
    ["string", "VariableLengthUTF8()"],
    ["variable_length_bytes", "VariableLengthBytes()"],
    ["bytes", "VariableLengthBytes()"],
    ["U10", "FixedLengthUTF32(length=10, endianness='little')"],
    ["S5", "NullTerminatedBytes(length=5)"],
    ["V3", "RawBytes(length=3)"],
    ["datetime64[ns]", "DateTime64(endianness='little', scale_factor=1, unit='ns')"],
    ["timedelta64[10s]", "TimeDelta64(endianness='little', scale_factor=10, unit='s')"],
    ["datetime64", "DateTime64(endianness='little', scale_factor=1, unit='generic')"],
    // numpy strings (v2)
    ["<f8", "Float64(endianness='little')"],
    [">i4", "Int32(endianness='big')"],
    ["|b1", "Bool()"],
    ["|u1", "UInt8()"],
    [">U3", "FixedLengthUTF32(length=3, endianness='big')"],
    ["|S7", "NullTerminatedBytes(length=7)"],
    ["<M8[ms]", "DateTime64(endianness='little', scale_factor=1, unit='ms')"],
    [">m8[5D]", "TimeDelta64(endianness='big', scale_factor=5, unit='D')"],
    // v3 JSON objects and normalized data type objects
    [
      { name: "fixed_length_utf32", configuration: { length_bytes: 40 } },
      "FixedLengthUTF32(length=10, endianness='little')",
    ],
    [
      { name: "numpy.datetime64", configuration: { unit: "s", scale_factor: 10 } },
      "DateTime64(endianness='little', scale_factor=10, unit='s')",
    ],
    [{ name: "raw_bytes", configuration: { length_bytes: 2 } }, "RawBytes(length=2)"],
    [{ name: "fixed_length_utf32", length: 4 }, "FixedLengthUTF32(length=4, endianness='little')"],
    [{ name: "null_terminated_bytes", length: 4 }, "NullTerminatedBytes(length=4)"],
    [
      { name: "numpy.timedelta64", unit: "us", scaleFactor: 1 },
      "TimeDelta64(endianness='little', scale_factor=1, unit='us')",
    ],
    [
      { name: "struct", fields: [["a", "int8"], ["b", "float16"]] },
      "Struct(fields=(('a', Int8()), ('b', Float16(endianness='little'))))",
    ],
    [
      { name: "struct", fields: [["a", "int32"]] },
      "Struct(fields=(('a', Int32(endianness='little')),))",
    ],
  ];
  for (const [input, expected] of cases) {
    assert.equal(dtypeRepr(input), expected, JSON.stringify(input));
  }
  // explicit byte order for v2
  assert.equal(dtypeRepr("float64", "big"), "Float64(endianness='big')");
  assert.equal(dtypeRepr("int8", "big"), "Int8()");
});

Deno.test("numpyDtypeStr / numpyDtypeName", () => {
  assert.equal(numpyDtypeStr("int32"), "<i4");
  assert.equal(numpyDtypeStr("i4"), "<i4");
  assert.equal(numpyDtypeStr("u1"), "|u1");
  assert.equal(numpyDtypeStr("bool"), "|b1");
  assert.equal(numpyDtypeStr(">f8"), ">f8");
  assert.equal(numpyDtypeStr("U10"), "<U10");
  assert.equal(numpyDtypeStr("S5"), "|S5");
  assert.equal(numpyDtypeStr("V3"), "|V3");
  assert.equal(numpyDtypeStr("datetime64[ns]"), "<M8[ns]");
  assert.equal(numpyDtypeStr("string"), "|O");
  // str(np.dtype(...)) as numpy 2.4 prints it
  assert.equal(numpyDtypeName("float64"), "float64");
  assert.equal(numpyDtypeName("bool"), "bool");
  assert.equal(numpyDtypeName("complex64"), "complex64");
  assert.equal(numpyDtypeName("U10"), "<U10");
  assert.equal(numpyDtypeName("S5"), "|S5");
  assert.equal(numpyDtypeName("V3"), "|V3");
  assert.equal(numpyDtypeName("datetime64[10s]"), "datetime64[10s]");
  assert.equal(numpyDtypeName("string"), "StringDType()");
  assert.equal(numpyDtypeName("variable_length_bytes"), "object");
  assert.equal(numpyDtypeName(">f8"), ">f8");
  assert.equal(numpyDtypeName("<f8"), "float64");
  assert.equal(
    numpyDtypeName({ name: "struct", fields: [["a", "<i4"], ["b", ">f8"]] }),
    "[('a', '<i4'), ('b', '>f8')]",
  );
  assert.equal(numpyDtypeName("something_else"), "something_else");
});

Deno.test("codecRepr: v3 codecs", () => {
  const cases: [Parameters<typeof codecRepr>[0], string][] = [
    [{ name: "bytes", configuration: { endian: "little" } }, "BytesCodec(endian='little')"],
    [{ name: "bytes", configuration: { endian: "big" } }, "BytesCodec(endian='big')"],
    [{ name: "bytes" }, "BytesCodec(endian=None)"],
    [
      { name: "zstd", configuration: { level: 0, checksum: false } },
      "ZstdCodec(level=0, checksum=False)",
    ],
    [
      { name: "zstd", configuration: { level: 3, checksum: true } },
      "ZstdCodec(level=3, checksum=True)",
    ],
    [{ name: "gzip", configuration: { level: 5 } }, "GzipCodec(level=5)"],
    [{ name: "transpose", configuration: { order: [1, 0] } }, "TransposeCodec(order=(1, 0))"],
    [{ name: "transpose", configuration: { order: [0] } }, "TransposeCodec(order=(0,))"],
    [{ name: "crc32c" }, "Crc32cCodec()"],
    [{ name: "vlen-utf8" }, "VLenUTF8Codec()"],
    [{ name: "vlen-bytes" }, "VLenBytesCodec()"],
    [
      {
        name: "blosc",
        configuration: { typesize: 4, cname: "zstd", clevel: 5, shuffle: "shuffle", blocksize: 0 },
      },
      "BloscCodec(_tunable_attrs=set(), typesize=4, cname='zstd', clevel=5, shuffle='shuffle', blocksize=0)",
    ],
    [
      {
        name: "sharding_indexed",
        configuration: {
          chunk_shape: [2, 2],
          codecs: [{ name: "bytes", configuration: { endian: "little" } }, {
            name: "zstd",
            configuration: { level: 0, checksum: false },
          }],
          index_codecs: [{ name: "bytes", configuration: { endian: "little" } }, {
            name: "crc32c",
          }],
          index_location: "end",
        },
      },
      "ShardingCodec(chunk_shape=(2, 2), codecs=(BytesCodec(endian='little'), ZstdCodec(level=0, checksum=False)), " +
      "index_codecs=(BytesCodec(endian='little'), Crc32cCodec()), index_location='end', subchunk_write_order='morton')",
    ],
    [
      { name: "numcodecs.zstd", configuration: { level: 1 } },
      "Zstd(codec_name='numcodecs.zstd', codec_config={'level': 1})",
    ],
    [
      { name: "numcodecs.delta", configuration: { dtype: "<i4" } },
      "Delta(codec_name='numcodecs.delta', codec_config={'dtype': '<i4'})",
    ],
    [
      { name: "scale_offset", configuration: { offset: 1, scale: 2.5 } },
      "ScaleOffset(offset=1, scale=2.5)",
    ],
  ];
  for (const [input, expected] of cases) assert.equal(codecRepr(input), expected);
  // blosc without typesize/shuffle is tuned from the item size, as zarr-python evolves it
  assert.equal(
    codecRepr({ name: "blosc", configuration: { cname: "lz4", clevel: 1, blocksize: 0 } }, {
      itemsize: 1,
    }),
    "BloscCodec(_tunable_attrs=set(), typesize=1, cname='lz4', clevel=1, shuffle='bitshuffle', blocksize=0)",
  );
});

Deno.test("codecRepr: numcodecs (v2) codecs", () => {
  const cases: [Parameters<typeof codecRepr>[0], string][] = [
    [{ id: "zstd", level: 0 }, "Zstd(level=0)"],
    [{ id: "zstd", level: 3, checksum: true }, "Zstd(level=3)"],
    [{ id: "zstd" }, "Zstd(level=0)"],
    [{ id: "zlib", level: 1 }, "Zlib(level=1)"],
    [{ id: "gzip", level: 5 }, "GZip(level=5)"],
    [{ id: "bz2", level: 9 }, "BZ2(level=9)"],
    [{ id: "lz4", acceleration: 1 }, "LZ4(acceleration=1)"],
    [
      { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
      "Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE, blocksize=0)",
    ],
    [
      { id: "blosc", cname: "zstd", clevel: 3, shuffle: 2, blocksize: 0 },
      "Blosc(cname='zstd', clevel=3, shuffle=BITSHUFFLE, blocksize=0)",
    ],
    [
      { id: "blosc", cname: "zstd", clevel: 3, shuffle: 0, blocksize: 0 },
      "Blosc(cname='zstd', clevel=3, shuffle=NOSHUFFLE, blocksize=0)",
    ],
    [
      { id: "blosc", cname: "zstd", clevel: 3, shuffle: -1, blocksize: 0 },
      "Blosc(cname='zstd', clevel=3, shuffle=AUTOSHUFFLE, blocksize=0)",
    ],
    [
      { id: "lzma", format: 1, check: -1, preset: null, filters: null },
      "LZMA(format=1, check=-1, preset=None, filters=None)",
    ],
    [{ id: "delta", dtype: "<i4" }, "Delta(dtype='<i4')"],
    [{ id: "delta", dtype: "<i4", astype: "<i4" }, "Delta(dtype='<i4')"],
    [{ id: "delta", dtype: "<i8", astype: "<i2" }, "Delta(dtype='<i8', astype='<i2')"],
    [
      { id: "fixedscaleoffset", offset: 1000, scale: 10, dtype: "<f8", astype: "<u1" },
      "FixedScaleOffset(scale=10, offset=1000, dtype='<f8', astype='|u1')",
    ],
    [{ id: "quantize", digits: 1, dtype: "<f8" }, "Quantize(digits=1, dtype='<f8')"],
    [
      { id: "astype", encode_dtype: "<f4", decode_dtype: "<f8" },
      "AsType(encode_dtype='<f4', decode_dtype='<f8')",
    ],
    [
      { id: "categorize", labels: ["a", "b", "c", "d"], dtype: "<U1", astype: "|u1" },
      "Categorize(dtype='<U1', astype='|u1', labels=['a', 'b', 'c', ...])",
    ],
    [
      { id: "categorize", labels: ["x"], dtype: "<U1" },
      "Categorize(dtype='<U1', astype='|u1', labels=['x'])",
    ],
    [{ id: "shuffle", elementsize: 8 }, "Shuffle(elementsize=8)"],
    [{ id: "bitround", keepbits: 10 }, "BitRound(keepbits=10)"],
    [{ id: "packbits" }, "PackBits()"],
    [{ id: "crc32" }, "CRC32()"],
    [{ id: "crc32", location: "end" }, "CRC32(location='end')"],
    [{ id: "adler32" }, "Adler32()"],
    [{ id: "crc32c" }, "CRC32C()"],
    [{ id: "fletcher32" }, "Fletcher32()"],
    [{ id: "jenkins_lookup3" }, "JenkinsLookup3(initval=0, prefix=None)"],
    [{ id: "vlen-utf8" }, "VLenUTF8()"],
    [{ id: "vlen-bytes" }, "VLenBytes()"],
    [{ id: "vlen-array", dtype: "<i4" }, "VLenArray(dtype='<i4')"],
    [{ id: "pickle", protocol: 5 }, "Pickle(protocol=5)"],
    [
      { id: "msgpack2", use_single_float: false, use_bin_type: true, raw: false },
      "MsgPack(raw=False, use_bin_type=True, use_single_float=False)",
    ],
    [{ id: "base64" }, "Base64()"],
    [
      { id: "zfpy", mode: 4, tolerance: -1, rate: -1, precision: -1 },
      "ZFPY(mode=4, tolerance=-1, rate=-1, precision=-1)",
    ],
  ];
  for (const [input, expected] of cases) assert.equal(codecRepr(input), expected);
  // numcodecs JSON wraps at 80 columns (textwrap.fill)
  assert.equal(
    codecRepr({ id: "json2", encoding: "utf-8" }),
    "JSON(encoding='utf-8', allow_nan=True, check_circular=True, ensure_ascii=True,\n" +
      "     indent=None, separators=(',', ':'), skipkeys=False, sort_keys=True,\n" +
      "     strict=True)",
  );
});

Deno.test("formatFillValue: format(numpy scalar, '') for each data type", () => {
  const NAT = -(2n ** 63n);
  const cases: [unknown, Parameters<typeof formatFillValue>[1], string][] = [
    [0, "float64", "0.0"],
    [1.5, "float64", "1.5"],
    [NaN, "float64", "nan"],
    ["NaN", "float64", "nan"],
    [-Infinity, "float64", "-inf"],
    ["Infinity", "float32", "inf"],
    [1e16, "float64", "1e+16"],
    [1e15, "float64", "1000000000000000.0"],
    [1e-4, "float64", "0.0001"],
    [1e-5, "float64", "1e-05"],
    [-0, "float64", "-0.0"],
    [123456789.123, "float64", "123456789.123"],
    [0.1, "float32", "0.10000000149011612"],
    [1e10, "float32", "10000000000.0"],
    [1e16, "float32", "1.0000000272564224e+16"],
    [3.4e38, "float32", "3.3999999521443642e+38"],
    [1e-5, "float32", "9.999999747378752e-06"],
    [0.1, "float16", "0.0999755859375"],
    [65504, "float16", "65504.0"],
    [1e-5, "float16", "1.0013580322265625e-05"],
    [[0, 0], "complex128", "0j"],
    [[1, 2], "complex128", "(1+2j)"],
    [[1.5, -0.5], "complex64", "(1.5-0.5j)"],
    [[NaN, Infinity], "complex128", "(nan+infj)"],
    [[0, -1], "complex128", "-1j"],
    [[-1, 0], "complex128", "(-1+0j)"],
    [true, "bool", "True"],
    [false, "bool", "False"],
    [-3, "int8", "-3"],
    [2n ** 64n - 1n, "uint64", "18446744073709551615"],
    ["", "U3", ""],
    ["ab", "string", "ab"],
    [new Uint8Array(0), "S1", "b''"],
    [new Uint8Array([97, 0, 39, 34]), "S4", "b'a\\x00\\'\"'"],
    [new Uint8Array([97, 0, 0]), "S3", "b'a'"],
    [new Uint8Array([0, 1]), "V2", "b'\\x00\\x01'"],
    [new Uint8Array(0), "variable_length_bytes", "b''"],
    [NAT, "datetime64[ns]", "NaT"],
    [0n, "datetime64[ns]", "1970-01-01T00:00:00.000000000"],
    [0n, "datetime64[s]", "1970-01-01T00:00:00"],
    [0n, "datetime64[D]", "1970-01-01"],
    [0n, "datetime64[10s]", "1970-01-01T00:00:00"],
    [0n, "datetime64[Y]", "1970"],
    [0n, "datetime64[M]", "1970-01"],
    [0n, "datetime64[W]", "1970-01-01"],
    [0n, "datetime64[h]", "1970-01-01T00"],
    [NAT, "datetime64", "NaT"],
    [0n, "timedelta64[s]", "0 seconds"],
    [1n, "timedelta64[s]", "1 seconds"],
    [NAT, "timedelta64[s]", "NaT"],
    [0n, "timedelta64[10s]", "0 seconds"],
    [5n, "timedelta64[ns]", "5 nanoseconds"],
    [0n, "timedelta64", "0 generic time units"],
    [3n, "timedelta64[D]", "3 days"],
    [null, "float64", "None"],
  ];
  for (const [value, dtype, expected] of cases) {
    assert.equal(
      formatFillValue(value, dtype),
      expected,
      `${String(value)} ${JSON.stringify(dtype)}`,
    );
  }
});

Deno.test("datetimeStr / timedeltaStr: numpy str of every unit", () => {
  // from numpy 2.4: str(np.datetime64(1234567, u)), str(np.datetime64(-1234567, u))
  const cases: [string, string, string][] = [
    ["Y", "1236537", "-1232597"],
    ["M", "104850-08", "-100911-06"],
    ["W", "25630-11-28", "-21691-02-04"],
    ["D", "5350-02-17", "-1411-11-14"],
    ["h", "2110-11-03T07", "1829-02-28T17"],
    ["m", "1972-05-07T08:07", "1967-08-27T15:53"],
    ["s", "1970-01-15T06:56:07", "1969-12-17T17:03:53"],
    ["ms", "1970-01-01T00:20:34.567", "1969-12-31T23:39:25.433"],
    ["us", "1970-01-01T00:00:01.234567", "1969-12-31T23:59:58.765433"],
    ["ns", "1970-01-01T00:00:00.001234567", "1969-12-31T23:59:59.998765433"],
    ["ps", "1970-01-01T00:00:00.000001234567", "1969-12-31T23:59:59.999998765433"],
    ["fs", "1970-01-01T00:00:00.000000001234567", "1969-12-31T23:59:59.999999998765433"],
    ["as", "1970-01-01T00:00:00.000000000001234567", "1969-12-31T23:59:59.999999999998765433"],
  ];
  for (const [u, pos, neg] of cases) {
    assert.equal(datetimeStr(1234567n, u), pos, u);
    assert.equal(datetimeStr(-1234567n, u), neg, u);
  }
  // scale factors: format(np.datetime64(1, '5' + u), '')
  assert.equal(datetimeStr(1n, "Y", 5), "1975");
  assert.equal(datetimeStr(1n, "M", 5), "1970-06");
  assert.equal(datetimeStr(1n, "W", 5), "1970-02-05");
  assert.equal(datetimeStr(1n, "D", 5), "1970-01-06");
  assert.equal(datetimeStr(1n, "ns", 5), "1970-01-01T00:00:00.000000005");
  // years: C "%04d"
  const years: [bigint, string][] = [
    [-1975n, "-005"],
    [-1971n, "-001"],
    [-1970n, "0000"],
    [-1000n, "0970"],
    [8029n, "9999"],
    [8030n, "10000"],
  ];
  for (const [v, s] of years) assert.equal(datetimeStr(v, "Y"), s);
  assert.equal(datetimeStr(1_000_000n, "D"), "4707-11-29");
  assert.equal(datetimeStr(-1_000_000n, "D"), "-768-02-04");
  assert.equal(datetimeStr(-719529n, "D"), "-001-12-31");
  assert.equal(datetimeStr(-719528n, "D"), "0000-01-01");
  // timedeltas
  assert.equal(timedeltaStr(2n, "s", 10), "20 seconds");
  assert.equal(timedeltaStr(1n, "Y"), "1 years");
  assert.equal(timedeltaStr(2n, "ms", 10), "20 milliseconds");
  assert.equal(timedeltaStr(1n, "as"), "1 attoseconds");
});

Deno.test("Python reprs: floats, complex, str, bytes, containers", () => {
  assert.equal(pyFloatRepr(0), "0.0");
  assert.equal(pyFloatRepr(-0), "-0.0");
  assert.equal(pyFloatRepr(1.5), "1.5");
  assert.equal(pyFloatRepr(NaN), "nan");
  assert.equal(pyFloatRepr(Infinity), "inf");
  assert.equal(pyFloatRepr(-Infinity), "-inf");
  assert.equal(pyFloatRepr(1e16), "1e+16");
  assert.equal(pyFloatRepr(1.2345678901234568e17), "1.2345678901234568e+17");
  assert.equal(pyFloatRepr(1e100), "1e+100");
  assert.equal(pyFloatRepr(5e-324), "5e-324");
  assert.equal(pyFloatRepr(0.1 + 0.2), "0.30000000000000004");
  assert.equal(pyFloatRepr(-2.5e-7), "-2.5e-07");
  assert.equal(pyFloatRepr(100), "100.0");

  assert.equal(pyComplexRepr(1e16, 1), "(1e+16+1j)");
  assert.equal(pyComplexRepr(-0, 1), "(-0+1j)");
  assert.equal(pyComplexRepr(0, -0), "-0j");
  assert.equal(pyComplexRepr(1.5, NaN), "(1.5+nanj)");
  assert.equal(pyComplexRepr(0, 1e-5), "1e-05j");
  assert.equal(pyComplexRepr(1, -2.5), "(1-2.5j)");

  assert.equal(pyFormatFixed(0.25, 1), "0.2");
  assert.equal(pyFormatFixed(1.25, 1), "1.2");
  assert.equal(pyFormatFixed(0.35, 1), "0.3");
  assert.equal(pyFormatFixed(976.5625, 1), "976.6");
  assert.equal(pyFormatFixed(2.5, 1), "2.5");
  assert.equal(pyFormatFixed(0.05, 1), "0.1");
  assert.equal(pyFormatFixed(-0.25, 1), "-0.2");
  assert.equal(pyFormatFixed(2.5, 0), "2");
  assert.equal(pyFormatFixed(3.5, 0), "4");

  assert.equal(pyStrRepr("a'b"), `"a'b"`);
  assert.equal(pyStrRepr('a"b'), `'a"b'`);
  assert.equal(pyStrRepr(`a'"b`), `'a\\'"b'`);
  assert.equal(
    pyStrRepr("\x00\x7f\x80\xa0\xad\u2028 é\u{1F600}\t\n\\"),
    "'\\x00\\x7f\\x80\\xa0\\xad\\u2028 é\u{1F600}\\t\\n\\\\'",
  );
  assert.equal(
    pyBytesRepr(new Uint8Array([0, 39, 97, 0x7f, 0xff, 34])),
    `b'\\x00\\'a\\x7f\\xff"'`,
  );
  assert.equal(pyBytesRepr(new Uint8Array([39])), `b"'"`);
  assert.equal(pyBytesRepr(new Uint8Array([39, 34])), `b'\\'"'`);

  assert.equal(pyRepr(null), "None");
  assert.equal(pyRepr(undefined), "None");
  assert.equal(pyRepr(true), "True");
  assert.equal(pyRepr(0), "0");
  assert.equal(pyRepr(pyFloat(0)), "0.0");
  assert.equal(pyRepr(1.5), "1.5");
  assert.equal(pyRepr(NaN), "nan");
  assert.equal(pyRepr(2n ** 70n), "1180591620717411303424");
  assert.equal(pyRepr("x"), "'x'");
  assert.equal(pyRepr(new Uint8Array([120])), "b'x'");
  assert.equal(pyRepr(pyTuple([])), "()");
  assert.equal(pyRepr(pyTuple([pyFloat(0.5)])), "(0.5,)");
  assert.equal(pyRepr(pyTuple([1, "a"])), "(1, 'a')");
  assert.equal(pyRepr([1, "x", null, true, 1.5]), "[1, 'x', None, True, 1.5]");
  assert.equal(pyRepr({ a: pyTuple([1, 2]), b: null }), "{'a': (1, 2), 'b': None}");
  assert.equal(pyRepr(new Set()), "set()");
  assert.equal(pyRepr(new Map([[1, "a"]])), "{1: 'a'}");
  assert.equal(pyRepr([0, 1.5, 2]), "[0, 1.5, 2]");
  // with a data type: the fill value as info prints it
  assert.equal(pyRepr(0, "float64"), "0.0");
  assert.equal(pyRepr("", "string"), "");
  assert.equal(pyRepr(null, { name: "fixed_length_utf32", length: 3 }), "None");

  assert.equal(shapeRepr([]), "()");
  assert.equal(shapeRepr([2]), "(2,)");
  assert.equal(shapeRepr([3, 4]), "(3, 4)");
  assert.equal(shapeRepr([2n ** 60n, 1n]), "(1152921504606846976, 1)");
});
