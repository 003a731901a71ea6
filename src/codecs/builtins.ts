/**
 * Registers the built-in codecs with the registry. Importing this module (the pipeline and
 * `mod.ts` do) is what makes `bytes`, `zstd`, ... resolvable by name. Codec families live in
 * their own registration modules, imported below.
 *
 * @example
 * ```ts
 * import "./builtins.ts";
 * import { registeredCodecs } from "./registry.ts";
 * console.log(registeredCodecs().includes("bytes")); // true
 * ```
 * @module
 */
import { registerCodec, registerV2Codec } from "./registry.ts";
import { BytesCodec } from "./bytes.ts";
import { Crc32cCodec } from "./crc32c.ts";
import { GzipCodec } from "./gzip.ts";
import { TransposeCodec } from "./transpose.ts";
import { VLenBytesCodec } from "./vlen_bytes.ts";
import { VLenUTF8Codec } from "./vlen_utf8.ts";
import { ZlibCodec } from "./zlib.ts";
import { DeltaCodec } from "./delta.ts";
import { ZstdCodec } from "./zstd.ts";
import "./register_compressors.ts";
import "./register_filters.ts";
import "./register_sharding.ts";

registerCodec("bytes", (m, ctx) => BytesCodec.fromMetadata(m, ctx));
registerCodec("transpose", (m, ctx) => TransposeCodec.fromMetadata(m, ctx));
registerCodec("gzip", (m, ctx) => GzipCodec.fromMetadata(m, ctx));
registerCodec("numcodecs.gzip", (m, ctx) => GzipCodec.fromMetadata(m, ctx));
registerCodec("zstd", (m, ctx) => ZstdCodec.fromMetadata(m, ctx));
registerCodec("numcodecs.zstd", (m, ctx) => ZstdCodec.fromMetadata(m, ctx));
registerCodec("numcodecs.zlib", (m, ctx) => ZlibCodec.fromMetadata(m, ctx));
registerCodec("crc32c", (m, ctx) => Crc32cCodec.fromMetadata(m, ctx));
registerCodec("vlen-utf8", (m, ctx) => VLenUTF8Codec.fromMetadata(m, ctx));
registerCodec("vlen-bytes", (m, ctx) => VLenBytesCodec.fromMetadata(m, ctx));
registerV2Codec("zlib", (c, ctx) => ZlibCodec.fromV2(c, ctx));
registerV2Codec("gzip", (c, ctx) => GzipCodec.fromV2(c, ctx));
registerV2Codec("zstd", (c, ctx) => ZstdCodec.fromV2(c, ctx));
registerV2Codec("vlen-utf8", (c, ctx) => VLenUTF8Codec.fromV2(c, ctx));
registerV2Codec("vlen-bytes", (c, ctx) => VLenBytesCodec.fromV2(c, ctx));
registerV2Codec("crc32c", (c, ctx) => Crc32cCodec.fromV2(c, ctx));
registerCodec("numcodecs.delta", (m, ctx) => DeltaCodec.fromMetadata(m, ctx));
registerV2Codec("delta", (c, ctx) => DeltaCodec.fromV2(c, ctx));
