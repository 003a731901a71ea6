import "../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import {
  codecFromMetadata,
  codecFromV2,
  hasV2Form,
  registerCodec,
  registeredCodecs,
  registerV2Codec,
} from "../../src/codecs/registry.ts";
import { BytesCodec } from "../../src/codecs/bytes.ts";
import { Crc32cCodec } from "../../src/codecs/crc32c.ts";
import { GzipCodec } from "../../src/codecs/gzip.ts";
import { TransposeCodec } from "../../src/codecs/transpose.ts";
import { VLenBytesCodec } from "../../src/codecs/vlen_bytes.ts";
import { VLenUTF8Codec } from "../../src/codecs/vlen_utf8.ts";
import { ZlibCodec } from "../../src/codecs/zlib.ts";
import { ZstdCodec } from "../../src/codecs/zstd.ts";
import type { BytesBytesCodec, CodecMetadata } from "../../src/codecs/types.ts";
import { MetadataValidationError, UnknownCodecError } from "../../src/errors.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";

Deno.test("registry: v3 names resolve to the built-in codecs and round-trip their JSON", () => {
  const cases: [CodecMetadata, unknown][] = [
    [{ name: "bytes", configuration: { endian: "big" } }, BytesCodec],
    [{ name: "transpose", configuration: { order: [1, 0] } }, TransposeCodec],
    [{ name: "gzip", configuration: { level: 5 } }, GzipCodec],
    [{ name: "numcodecs.gzip", configuration: { level: 1 } }, GzipCodec],
    [{ name: "zstd", configuration: { level: 0, checksum: false } }, ZstdCodec],
    [{ name: "numcodecs.zstd", configuration: { level: 3, checksum: true } }, ZstdCodec],
    [{ name: "numcodecs.zlib", configuration: { level: 8 } }, ZlibCodec],
    [{ name: "crc32c" }, Crc32cCodec],
    [{ name: "vlen-utf8", configuration: {} }, VLenUTF8Codec],
    [{ name: "vlen-bytes", configuration: {} }, VLenBytesCodec],
  ];
  for (const [meta, cls] of cases) {
    const c = codecFromMetadata(meta, "arr");
    assert.ok(c instanceof (cls as new (...a: never[]) => unknown), meta.name);
    assert.equal(JSON.stringify(c.toJSON()), JSON.stringify(meta), meta.name);
  }
  for (
    const n of [
      "bytes",
      "crc32c",
      "gzip",
      "numcodecs.zlib",
      "transpose",
      "vlen-bytes",
      "vlen-utf8",
      "zstd",
    ]
  ) {
    assert.ok(registeredCodecs().includes(n), n);
  }
});

Deno.test("registry: bare name strings, must_understand and dtype context", () => {
  assert.ok(codecFromMetadata("crc32c") instanceof Crc32cCodec);
  assert.ok(codecFromMetadata("vlen-utf8") instanceof VLenUTF8Codec);
  const c = codecFromMetadata({ name: "crc32c", must_understand: false });
  assert.deepEqual(c.toJSON(), { name: "crc32c" });
  const b = codecFromMetadata({ name: "bytes", configuration: { endian: "little" } }, "a", {
    dtype: parseDataType("int8"),
  });
  assert.deepEqual(b.toJSON(), { name: "bytes" });
  assert.throws(
    () => codecFromMetadata({ name: "crc32c", must_understand: "no" }),
    MetadataValidationError,
  );
});

Deno.test("registry: unknown codecs raise UnknownCodecError naming the codec and the array", () => {
  assert.throws(
    () => codecFromMetadata({ name: "frobnicate", configuration: {} }, "group/arr"),
    (e) =>
      e instanceof UnknownCodecError && /'frobnicate'/.test(e.message) &&
      /group\/arr/.test(e.message),
  );
  assert.throws(
    () => codecFromMetadata({ name: "frobnicate", must_understand: false }),
    UnknownCodecError,
  );
  assert.throws(
    () => codecFromV2({ id: "nope", level: 1 }, "x/y"),
    (e) => e instanceof UnknownCodecError && /'nope'/.test(e.message) && /x\/y/.test(e.message),
  );
});

Deno.test("registry: malformed entries and configurations raise MetadataValidationError", () => {
  for (const bad of [null, 3, [], {}, { name: 5 }]) {
    assert.throws(
      () => codecFromMetadata(bad as unknown as CodecMetadata, "p"),
      (e) => e instanceof MetadataValidationError && /\(array 'p'\)/.test(e.message),
    );
  }
  assert.throws(() => codecFromV2({} as never), MetadataValidationError);
  assert.throws(() => codecFromV2(null as never), MetadataValidationError);
  assert.throws(
    () =>
      codecFromMetadata({ name: "gzip", configuration: [] as unknown as Record<string, unknown> }),
    /configuration must be an object/,
  );
  assert.throws(
    () =>
      codecFromMetadata({ name: "zstd", configuration: { level: 0, checksum: false, extra: 1 } }),
    /unexpected configuration key 'extra'/,
  );
});

Deno.test("registry: v2 ids map to the v3 codecs with exact numcodecs configs", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [
      { id: "zlib", level: 1 },
      '{"id":"zlib","level":1}',
      '{"name":"numcodecs.zlib","configuration":{"level":1}}',
    ],
    [
      { id: "gzip", level: 5 },
      '{"id":"gzip","level":5}',
      '{"name":"gzip","configuration":{"level":5}}',
    ],
    [
      { id: "zstd", level: 0 },
      '{"id":"zstd","level":0}',
      '{"name":"zstd","configuration":{"level":0,"checksum":false}}',
    ],
    [
      { id: "zstd", level: 3, checksum: true },
      '{"id":"zstd","level":3,"checksum":true}',
      '{"name":"zstd","configuration":{"level":3,"checksum":true}}',
    ],
    [
      { id: "zstd", level: 3, checksum: false },
      '{"id":"zstd","level":3}',
      '{"name":"zstd","configuration":{"level":3,"checksum":false}}',
    ],
    [{ id: "vlen-utf8" }, '{"id":"vlen-utf8"}', '{"name":"vlen-utf8","configuration":{}}'],
    [{ id: "vlen-bytes" }, '{"id":"vlen-bytes"}', '{"name":"vlen-bytes","configuration":{}}'],
  ];
  for (const [cfg, v2, v3] of cases) {
    const c = codecFromV2(cfg as { id: string });
    assert.ok(hasV2Form(c));
    assert.equal(JSON.stringify(c.toV2JSON()), v2);
    assert.equal(JSON.stringify(c.toJSON()), v3);
  }
  const crc = codecFromV2({ id: "crc32c" });
  assert.ok(crc instanceof Crc32cCodec && hasV2Form(crc));
  assert.equal(JSON.stringify(crc.toV2JSON()), '{"id":"crc32c"}');
  assert.ok(codecFromV2({ id: "crc32c", location: "end" }) instanceof Crc32cCodec);
  assert.throws(() => codecFromV2({ id: "crc32c", location: "start" }), MetadataValidationError);
  // numcodecs' Zstd defaults to level 1 when the config has none
  assert.equal((codecFromV2({ id: "zstd" }) as ZstdCodec).level, 1);
  assert.ok(!hasV2Form(new BytesCodec()));
  assert.ok(!hasV2Form(new TransposeCodec([0])));
});

Deno.test("registry: registerCodec / registerV2Codec plug in new codecs; numcodecs.<id> fallback", () => {
  const make = (name: string): BytesBytesCodec => ({
    kind: "bytes_to_bytes",
    name,
    encode: (b) => b,
    decode: (b) => b,
    toJSON: () => ({ name }),
  });
  registerCodec("test.identity", (meta) => make(meta.name));
  assert.equal(codecFromMetadata({ name: "test.identity" }).name, "test.identity");
  registerCodec("numcodecs.testonly", (meta) => {
    assert.deepEqual(meta.configuration, { a: 1 });
    return make(meta.name);
  });
  assert.equal(codecFromV2({ id: "testonly", a: 1 }).name, "numcodecs.testonly");
  registerV2Codec("testonly2", (cfg, ctx) => {
    assert.equal(ctx.where, "w");
    return make(`v2:${cfg.id}`);
  });
  assert.equal(codecFromV2({ id: "testonly2" }, "w").name, "v2:testonly2");
  // factories throwing plain errors surface as MetadataValidationError
  registerCodec("test.broken", () => {
    throw new TypeError("boom");
  });
  assert.throws(
    () => codecFromMetadata({ name: "test.broken" }, "q"),
    (e) => e instanceof MetadataValidationError && /boom/.test(e.message) && /'q'/.test(e.message),
  );
});
