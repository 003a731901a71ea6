/**
 * Registers the numcodecs filters and checksums with the codec registry (imported by
 * `builtins.ts`): array->array `numcodecs.fixedscaleoffset`, `numcodecs.astype`,
 * `numcodecs.quantize`, `numcodecs.bitround`, `numcodecs.packbits`, `numcodecs.categorize`;
 * bytes->bytes `numcodecs.shuffle`, `numcodecs.adler32`, `numcodecs.crc32`, `numcodecs.crc32c`,
 * `numcodecs.fletcher32`; and the v2 ids of the same names.
 *
 * @example
 * ```ts
 * import "./builtins.ts";
 * import { codecFromMetadata, codecFromV2 } from "./registry.ts";
 * console.log(codecFromV2({ id: "shuffle", elementsize: 4 }).kind); // bytes_to_bytes
 * console.log(codecFromMetadata({ name: "numcodecs.packbits" }).kind); // array_to_array
 * ```
 * @module
 */
import { registerCodec, registerV2Codec } from "./registry.ts";
import { AsTypeCodec } from "./filters/astype.ts";
import { BitRoundCodec } from "./filters/bitround.ts";
import { CategorizeCodec } from "./filters/categorize.ts";
import { Checksum32Codec } from "./filters/checksum32.ts";
import { FixedScaleOffsetCodec } from "./filters/fixedscaleoffset.ts";
import { PackBitsCodec } from "./filters/packbits.ts";
import { QuantizeCodec } from "./filters/quantize.ts";
import { ShuffleCodec } from "./filters/shuffle.ts";

registerCodec("numcodecs.fixedscaleoffset", (m, ctx) => FixedScaleOffsetCodec.fromMetadata(m, ctx));
registerV2Codec("fixedscaleoffset", (c, ctx) => FixedScaleOffsetCodec.fromV2(c, ctx));
registerCodec("numcodecs.astype", (m, ctx) => AsTypeCodec.fromMetadata(m, ctx));
registerV2Codec("astype", (c, ctx) => AsTypeCodec.fromV2(c, ctx));
registerCodec("numcodecs.quantize", (m, ctx) => QuantizeCodec.fromMetadata(m, ctx));
registerV2Codec("quantize", (c, ctx) => QuantizeCodec.fromV2(c, ctx));
registerCodec("numcodecs.bitround", (m, ctx) => BitRoundCodec.fromMetadata(m, ctx));
registerV2Codec("bitround", (c, ctx) => BitRoundCodec.fromV2(c, ctx));
registerCodec("numcodecs.packbits", (m, ctx) => PackBitsCodec.fromMetadata(m, ctx));
registerV2Codec("packbits", (c, ctx) => PackBitsCodec.fromV2(c, ctx));
registerCodec("numcodecs.categorize", (m, ctx) => CategorizeCodec.fromMetadata(m, ctx));
registerV2Codec("categorize", (c, ctx) => CategorizeCodec.fromV2(c, ctx));
registerCodec("numcodecs.shuffle", (m, ctx) => ShuffleCodec.fromMetadata(m, ctx));
registerV2Codec("shuffle", (c, ctx) => ShuffleCodec.fromV2(c, ctx));
for (const id of ["adler32", "crc32", "fletcher32"]) {
  registerCodec(`numcodecs.${id}`, (m, ctx) => Checksum32Codec.fromMetadata(m, ctx));
  registerV2Codec(id, (c, ctx) => Checksum32Codec.fromV2(c, ctx));
}
// v2 id "crc32c" stays with the v3 `crc32c` codec (builtins); the v3 name `numcodecs.crc32c`
// (what a v2 crc32c filter or compressor becomes in the chain) is numcodecs' CRC32C codec.
registerCodec("numcodecs.crc32c", (m, ctx) => Checksum32Codec.fromMetadata(m, ctx));
