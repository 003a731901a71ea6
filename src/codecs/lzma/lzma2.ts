/**
 * LZMA2 chunk decoding. An LZMA2 stream is a sequence of chunks, each either stored
 * (uncompressed, at most 64 KiB) or LZMA-compressed (at most 2 MiB of output from at most 64 KiB
 * of input), whose control byte says whether the dictionary, the state or the properties are
 * reset; a zero byte ends the stream.
 *
 * @example
 * ```ts
 * import { lzma2Decode } from "./lzma2.ts";
 * import { OutputBuffer } from "./output.ts";
 * // one stored chunk "hi" (control 1: dictionary reset), then the end marker
 * const out = new OutputBuffer(16, 16);
 * lzma2Decode(new Uint8Array([1, 0, 1, 0x68, 0x69, 0]), 0, 6, out, 4096);
 * console.log(new TextDecoder().decode(out.result())); // hi
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";
import { LzmaDecoder } from "./decoder.ts";
import { decodeProps } from "./model.ts";
import type { OutputBuffer } from "./output.ts";

/**
 * The dictionary size encoded in the one-byte LZMA2 filter property (0..40).
 *
 * @example
 * ```ts
 * import { lzma2DictSize } from "./lzma2.ts";
 * console.log(lzma2DictSize(22)); // 8388608
 * ```
 */
export function lzma2DictSize(byte: number): number {
  if (byte > 40) throw new CodecError(`lzma: invalid LZMA2 dictionary size byte ${byte}`);
  if (byte === 40) return 0xffffffff;
  return (2 | (byte & 1)) * 2 ** ((byte >>> 1) + 11);
}

/**
 * The smallest LZMA2 dictionary size byte whose size is at least `size`.
 *
 * @example
 * ```ts
 * import { lzma2DictByte } from "./lzma2.ts";
 * console.log(lzma2DictByte(8 << 20)); // 22
 * ```
 */
export function lzma2DictByte(size: number): number {
  for (let b = 0; b < 40; b++) if (lzma2DictSize(b) >= size) return b;
  return 40;
}

/**
 * Decodes the LZMA2 stream at `input[pos..end)` into `out`; returns the position after its end
 * marker. `dictSize` bounds match distances.
 *
 * @example
 * ```ts
 * import { lzma2Decode } from "./lzma2.ts";
 * import { OutputBuffer } from "./output.ts";
 * console.log(lzma2Decode(new Uint8Array([0]), 0, 1, new OutputBuffer(0, 0), 4096)); // 1
 * ```
 */
export function lzma2Decode(
  input: Uint8Array,
  pos: number,
  end: number,
  out: OutputBuffer,
  dictSize: number,
): number {
  let dec: LzmaDecoder | undefined;
  let needDictReset = true;
  let needProps = true;
  let dictStart = out.len;
  const truncated = () => new CodecError("lzma: truncated LZMA2 data");
  for (;;) {
    if (pos >= end) throw truncated();
    const control = input[pos++];
    if (control === 0) return pos;
    if (control > 2 && control < 0x80) {
      throw new CodecError(`lzma: invalid LZMA2 control byte 0x${control.toString(16)}`);
    }
    if (control >= 0xe0 || control === 1) {
      needProps = true;
      needDictReset = false;
      dictStart = out.len;
    } else if (needDictReset) {
      throw new CodecError("lzma: the first LZMA2 chunk does not reset the dictionary");
    }
    if (control >= 0x80) {
      if (end - pos < 4) throw truncated();
      const unpacked = (control & 0x1f) * 65536 + ((input[pos] << 8) | input[pos + 1]) + 1;
      const packed = ((input[pos + 2] << 8) | input[pos + 3]) + 1;
      pos += 4;
      if (control >= 0xc0) {
        if (pos >= end) throw truncated();
        const props = decodeProps(input[pos++]);
        if (props.lc + props.lp > 4) {
          throw new CodecError("lzma: LZMA2 chunk properties with lc + lp > 4");
        }
        if (props.pb > 4) throw new CodecError("lzma: LZMA2 chunk properties with pb > 4");
        needProps = false;
        if (dec === undefined) dec = new LzmaDecoder(props, dictSize);
        else dec.setProps(props);
      } else if (needProps || dec === undefined) {
        throw new CodecError("lzma: LZMA2 chunk without the properties it needs");
      } else if (control >= 0xa0) {
        dec.resetState();
      }
      const chunkEnd = pos + packed;
      if (chunkEnd > end) throw truncated();
      dec.initRange(input, pos, chunkEnd);
      dec.decode(out, dictStart, out.len + unpacked, "forbidden");
      if (!dec.finishedAt(chunkEnd)) {
        throw new CodecError("lzma: LZMA2 chunk does not end where its header says (corrupt data)");
      }
      pos = chunkEnd;
    } else {
      if (end - pos < 2) throw truncated();
      const size = ((input[pos] << 8) | input[pos + 1]) + 1;
      pos += 2;
      if (end - pos < size) throw truncated();
      out.reserve(size);
      out.buf.set(input.subarray(pos, pos + size), out.len);
      out.len += size;
      pos += size;
    }
  }
}
