/**
 * The legacy .lzma container (`FORMAT_ALONE` of Python's `lzma`): a 13-byte header (properties
 * byte, 32-bit dictionary size, 64-bit uncompressed size or all ones for "unknown, ends with the
 * end marker") and one LZMA stream. Also raw LZMA1 and LZMA2 streams (`FORMAT_RAW`), whose
 * settings come from the filter chain instead of a header.
 *
 * @example
 * ```ts
 * import { aloneCompress, aloneDecompress } from "./alone.ts";
 * const packed = aloneCompress(new TextEncoder().encode("hello"), 6);
 * console.log(new TextDecoder().decode(aloneDecompress(packed))); // hello
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";
import { LzmaDecoder } from "./decoder.ts";
import { lzma1Encode, lzma2Encode, presetTuning } from "./encoder.ts";
import { deltaDecode, deltaEncode, type FilterSpec } from "./filters.ts";
import { lzma2Decode } from "./lzma2.ts";
import { decodeProps, encodeProps } from "./model.ts";
import { type OutputBuffer, outputFor } from "./output.ts";

/** Options of the decoders. */
export interface LzmaDecompressOptions {
  /** Largest output accepted; more raises a CodecError. */
  maxOutputLength?: number;
}

/**
 * Decompresses one or more concatenated .lzma streams.
 *
 * @example
 * ```ts
 * import { aloneCompress, aloneDecompress } from "./alone.ts";
 * console.log(aloneDecompress(aloneCompress(new Uint8Array(4), 1)).length); // 4
 * ```
 */
export function aloneDecompress(
  input: Uint8Array,
  options: LzmaDecompressOptions = {},
): Uint8Array {
  const out = outputFor(input.length, options.maxOutputLength);
  let pos = 0;
  do {
    pos = decodeAlone(input, pos, out);
  } while (pos < input.length);
  return out.result();
}

function decodeAlone(input: Uint8Array, start: number, out: OutputBuffer): number {
  if (input.length - start < 13) throw new CodecError("lzma: truncated .lzma header");
  const props = decodeProps(input[start]);
  if (props.lp > 4 || props.pb > 4) throw new CodecError("lzma: invalid .lzma properties");
  const dv = new DataView(input.buffer, input.byteOffset + start, 13);
  const dictSize = Math.max(4096, dv.getUint32(1, true));
  const sizeLo = dv.getUint32(5, true);
  const sizeHi = dv.getUint32(9, true);
  const unknown = sizeLo === 0xffffffff && sizeHi === 0xffffffff;
  const size = sizeHi * 2 ** 32 + sizeLo;
  if (!unknown && size > Number.MAX_SAFE_INTEGER) {
    throw new CodecError("lzma: .lzma uncompressed size too large");
  }
  const dec = new LzmaDecoder(props, dictSize);
  dec.initRange(input, start + 13, input.length);
  const outStart = out.len;
  if (!unknown && out.len + size > out.max) {
    throw new CodecError(
      `lzma: decompressed data exceeds the expected maximum of ${out.max} bytes`,
    );
  }
  dec.decode(out, outStart, unknown ? Infinity : outStart + size, unknown ? "required" : "allowed");
  if (!dec.finish()) {
    throw new CodecError("lzma: corrupt .lzma stream (range coder did not finish)");
  }
  return dec.position;
}

/**
 * Compresses into one .lzma stream (unknown size and an end marker, as liblzma writes it).
 *
 * @example
 * ```ts
 * import { aloneCompress } from "./alone.ts";
 * console.log(aloneCompress(new Uint8Array(0), 6)[0]); // 93 (lc=3, lp=0, pb=2)
 * ```
 */
export function aloneCompress(data: Uint8Array, preset: number, filter?: FilterSpec): Uint8Array {
  const lz = filter?.kind === "lzma1" ? filter : undefined;
  const props = { lc: lz?.lc ?? 3, lp: lz?.lp ?? 0, pb: lz?.pb ?? 2 };
  const tuning = presetTuning(lz?.preset ?? preset, data.length);
  const dictSize = lz?.dictSize ?? 2 ** Math.ceil(Math.log2(Math.max(4096, tuning.dictSize)));
  tuning.dictSize = Math.min(tuning.dictSize, dictSize);
  const body = lzma1Encode(data, preset, tuning, props);
  const out = new Uint8Array(13 + body.length);
  out[0] = encodeProps(props);
  new DataView(out.buffer).setUint32(1, dictSize, true);
  out.fill(0xff, 5, 13);
  out.set(body, 13);
  return out;
}

function rawDictSize(f: FilterSpec & { kind: "lzma1" | "lzma2" }): number {
  return f.dictSize ?? presetTuning(f.preset ?? 6, Infinity).dictSize;
}

/**
 * Decompresses a raw stream (no container) with a filter chain: an optional delta filter,
 * then LZMA2 or LZMA1 (LZMA1 must end with the end marker, as liblzma writes raw LZMA1).
 *
 * @example
 * ```ts
 * import { rawCompress, rawDecompress } from "./alone.ts";
 * const chain = [{ kind: "lzma2" as const, lc: 3, lp: 0, pb: 2 }];
 * console.log(rawDecompress(rawCompress(new Uint8Array(3), chain, 6), chain).length); // 3
 * ```
 */
export function rawDecompress(
  input: Uint8Array,
  chain: FilterSpec[],
  options: LzmaDecompressOptions = {},
): Uint8Array {
  const lz = chain[chain.length - 1];
  if (lz.kind === "delta") throw new CodecError("lzma: raw filter chain must end with LZMA");
  const out = outputFor(input.length, options.maxOutputLength);
  let end: number;
  if (lz.kind === "lzma2") {
    end = lzma2Decode(input, 0, input.length, out, rawDictSize(lz));
  } else {
    const dec = new LzmaDecoder({ lc: lz.lc, lp: lz.lp, pb: lz.pb }, rawDictSize(lz));
    dec.initRange(input, 0, input.length);
    dec.decode(out, 0, Infinity, "required");
    if (!dec.finish()) throw new CodecError("lzma: corrupt raw LZMA1 stream");
    end = dec.position;
  }
  if (end !== input.length) throw new CodecError("lzma: unexpected data after the raw stream");
  const result = out.result();
  for (let i = chain.length - 2; i >= 0; i--) {
    const f = chain[i];
    if (f.kind === "delta") deltaDecode(result, f.dist);
  }
  return result;
}

/**
 * Compresses into a raw stream for a filter chain (optional delta, then LZMA2 or LZMA1).
 *
 * @example
 * ```ts
 * import { rawCompress } from "./alone.ts";
 * console.log(rawCompress(new Uint8Array(0), [{ kind: "lzma2", lc: 3, lp: 0, pb: 2 }], 6)); // Uint8Array [0]
 * ```
 */
export function rawCompress(data: Uint8Array, chain: FilterSpec[], preset: number): Uint8Array {
  const lz = chain[chain.length - 1];
  if (lz.kind === "delta") throw new CodecError("lzma: raw filter chain must end with LZMA");
  let filtered = data;
  for (const f of chain) if (f.kind === "delta") filtered = deltaEncode(filtered, f.dist);
  const p = lz.preset ?? preset;
  const tuning = presetTuning(p, data.length);
  tuning.dictSize = Math.min(tuning.dictSize, rawDictSize(lz));
  const props = { lc: lz.lc, lp: lz.lp, pb: lz.pb };
  return lz.kind === "lzma2"
    ? lzma2Encode(filtered, p, tuning, props)
    : lzma1Encode(filtered, p, tuning, props);
}
