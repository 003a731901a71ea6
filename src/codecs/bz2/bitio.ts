/**
 * Most-significant-bit-first bit input and output over byte arrays, as bzip2 packs its fields.
 * The reader never reads past its input: missing bits read as zero and are counted, so callers
 * check {@link BitReader.overrun} at their checkpoints and report truncation.
 *
 * @example
 * ```ts
 * import { BitReader, BitWriter } from "./bitio.ts";
 * const w = new BitWriter();
 * w.bits(3, 5);
 * w.bits(13, 4097);
 * const r = new BitReader(w.finish());
 * console.log(r.bits(3), r.bits(13)); // 5 4097
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";

/**
 * Reads bit fields most significant bit first.
 *
 * @example
 * ```ts
 * import { BitReader } from "./bitio.ts";
 * const r = new BitReader(new Uint8Array([0b10110000]));
 * console.log(r.bits(1), r.bits(3)); // 1 3
 * ```
 */
export class BitReader {
  /** The input. */
  readonly data: Uint8Array;
  /** Holds `count` not yet consumed bits in its low bits (higher bits are stale). */
  buf = 0;
  /** Number of buffered bits (at most 31). */
  count = 0;
  /** Index of the next byte to load. May exceed the input length (zero bits were supplied). */
  pos: number;

  /** A reader positioned at byte `start` of `data`. */
  constructor(data: Uint8Array, start = 0) {
    this.data = data;
    this.pos = start;
  }

  /** Reads an `n`-bit field, `0 <= n <= 24`. */
  bits(n: number): number {
    while (this.count < n) {
      const p = this.pos++;
      this.buf = (this.buf << 8) | (p < this.data.length ? this.data[p] : 0);
      this.count += 8;
    }
    this.count -= n;
    return (this.buf >>> this.count) & ((1 << n) - 1);
  }

  /** Reads a 32-bit field as an unsigned integer. */
  bits32(): number {
    return ((this.bits(16) << 16) | this.bits(16)) >>> 0;
  }

  /** Discards the bits up to the next byte boundary. */
  alignToByte(): void {
    this.count -= this.count & 7;
  }

  /** Bits consumed since the start of the input. */
  get bitPosition(): number {
    return this.pos * 8 - this.count;
  }

  /** True when more bits were consumed than the input holds. */
  get overrun(): boolean {
    return this.bitPosition > this.data.length * 8;
  }

  /** Raises a truncation error naming `what` when the input was overrun. */
  checkOverrun(what: string): void {
    if (this.overrun) {
      throw new CodecError(`bz2: truncated input (ended inside ${what})`);
    }
  }
}

/**
 * Writes bit fields most significant bit first into a growing buffer.
 *
 * @example
 * ```ts
 * import { BitWriter } from "./bitio.ts";
 * const w = new BitWriter();
 * w.bits(8, 0x42);
 * console.log(w.finish()); // Uint8Array [ 66 ]
 * ```
 */
export class BitWriter {
  private out: Uint8Array;
  private len = 0;
  private acc = 0;
  private count = 0;

  /** A writer with an initial capacity of `capacity` bytes. */
  constructor(capacity = 1024) {
    this.out = new Uint8Array(Math.max(16, capacity));
  }

  private grow(): void {
    const next = new Uint8Array(this.out.length * 2);
    next.set(this.out);
    this.out = next;
  }

  /** Writes the low `n` bits of `v`, `0 <= n <= 24`. */
  bits(n: number, v: number): void {
    this.acc = (this.acc << n) | (v & ((1 << n) - 1));
    this.count += n;
    while (this.count >= 8) {
      this.count -= 8;
      if (this.len === this.out.length) this.grow();
      this.out[this.len++] = (this.acc >>> this.count) & 0xff;
    }
  }

  /** Writes a 32-bit field. */
  bits32(v: number): void {
    this.bits(16, v >>> 16);
    this.bits(16, v & 0xffff);
  }

  /** Pads with zero bits to a byte boundary and returns the bytes written. */
  finish(): Uint8Array {
    if (this.count > 0) this.bits(8 - this.count, 0);
    return this.out.slice(0, this.len);
  }
}
