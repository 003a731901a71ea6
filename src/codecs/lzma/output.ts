/**
 * The growable output buffer of the LZMA decoders. It doubles as the LZ dictionary (matches copy
 * from earlier output) and refuses to grow past a caller-given maximum.
 *
 * @example
 * ```ts
 * import { OutputBuffer } from "./output.ts";
 * const o = new OutputBuffer(16, 100);
 * o.reserve(3);
 * o.buf.set([1, 2, 3], o.len);
 * o.len += 3;
 * console.log(o.result()); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";

/**
 * A byte buffer with a hard maximum length.
 *
 * @example
 * ```ts
 * import { OutputBuffer } from "./output.ts";
 * const o = new OutputBuffer(0, 2);
 * try { o.reserve(3); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export class OutputBuffer {
  /** Backing storage (its length is the capacity). */
  buf: Uint8Array;
  /** Bytes written. */
  len = 0;
  /** Largest accepted length. */
  readonly max: number;
  /** Prefix of error messages, e.g. `"lzma"`. */
  readonly label: string;

  /** A buffer with `initial` bytes of capacity (at most `max`) and a maximum length of `max`. */
  constructor(initial: number, max: number, label = "lzma") {
    this.max = max;
    this.label = label;
    // Capacity never exceeds `max`: writers only check the maximum when they grow the buffer.
    this.buf = new Uint8Array(Math.max(0, Math.min(initial, max)));
  }

  /** Makes room for `n` more bytes; raises when the length would exceed the maximum. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need > this.max) {
      throw new CodecError(
        `${this.label}: decompressed data exceeds the expected maximum of ${this.max} bytes`,
      );
    }
    if (need <= this.buf.length) return;
    let cap = Math.max(64, this.buf.length * 2);
    while (cap < need) cap *= 2;
    const next = new Uint8Array(Math.min(cap, this.max));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** The bytes written (copied when the buffer is much larger than its content). */
  result(): Uint8Array {
    if (this.len === this.buf.length) return this.buf;
    if (this.buf.length - this.len > this.buf.length >>> 3) return this.buf.slice(0, this.len);
    return this.buf.subarray(0, this.len);
  }
}

/**
 * An {@link OutputBuffer} sized for a decoder: a known maximum of up to 256 MiB is allocated at
 * once, otherwise the buffer grows from a guess based on the input size.
 *
 * @example
 * ```ts
 * import { outputFor } from "./output.ts";
 * console.log(outputFor(100, 4096).max); // 4096
 * ```
 */
export function outputFor(
  inputLength: number,
  maxOutputLength?: number,
  label = "lzma",
): OutputBuffer {
  const bounded = maxOutputLength !== undefined && Number.isFinite(maxOutputLength);
  const max = bounded ? Math.max(0, Math.floor(maxOutputLength)) : Number.MAX_SAFE_INTEGER;
  return new OutputBuffer(bounded && max <= 1 << 28 ? max : inputLength * 4 + 1024, max, label);
}
