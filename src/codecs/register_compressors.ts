/**
 * Registers blosc, lz4, bz2, lzma with the codec registry (imported by `builtins.ts`).
 *
 * @module
 */
export {};
import { registerCodec, registerV2Codec } from "./registry.ts";
import { BZ2Codec } from "./bz2/codec.ts";
import { LZMACodec } from "./lzma/codec.ts";
import { BloscCodec } from "./blosc/codec.ts";
import { LZ4Codec } from "./lz4.ts";

registerCodec("numcodecs.bz2", (m, ctx) => BZ2Codec.fromMetadata(m, ctx));
registerV2Codec("bz2", (c, ctx) => BZ2Codec.fromV2(c, ctx));
registerCodec("numcodecs.lzma", (m, ctx) => LZMACodec.fromMetadata(m, ctx));
registerV2Codec("lzma", (c, ctx) => LZMACodec.fromV2(c, ctx));
registerCodec("blosc", (m, ctx) => BloscCodec.fromMetadata(m, ctx));
registerCodec("numcodecs.blosc", (m, ctx) => BloscCodec.fromMetadata(m, ctx));
registerV2Codec("blosc", (c, ctx) => BloscCodec.fromV2(c, ctx));
registerCodec("numcodecs.lz4", (m, ctx) => LZ4Codec.fromMetadata(m, ctx));
registerV2Codec("lz4", (c, ctx) => LZ4Codec.fromV2(c, ctx));
