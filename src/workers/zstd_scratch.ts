/**
 * zstd decoding into a reused buffer, for the codec workers' read batches: one native
 * decompressor (`node:zlib`'s zstd engine) is kept and each frame is decoded in one call straight
 * into a scratch buffer, instead of into fresh buffers allocated per chunk (which costs page faults
 * and garbage). Only the simple case takes this path: a single frame that records its content size,
 * decoded to exactly that size with all input consumed. Everything else, and any error, goes to
 * the codec's own `decode`, so results and errors are exactly the codec's.
 *
 * The decompressor is reached through `node:zlib` internals (`_handle.writeSync`); when they are
 * missing or fail a self-test, this module decodes with the codec as usual.
 *
 * @example
 * ```ts
 * import { scratchZstd } from "./zstd_scratch.ts";
 * import { ZstdCodec } from "../codecs/zstd.ts";
 * const codec = new ZstdCodec();
 * const fast = scratchZstd(codec);
 * console.log(await fast.decode(codec.encode(Uint8Array.of(1, 2, 3)))); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */
import zlib from "node:zlib";
import { inspectZstdFrames, ZstdCodec } from "../codecs/zstd.ts";
import type { BytesDecodeOptions } from "../codecs/common.ts";
import type { BytesBytesCodec, CodecMetadata } from "../codecs/types.ts";

interface Handle {
  reset(): void;
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): unknown;
  onerror?: unknown;
}

/** One native zstd decompressor decoding whole frames into caller buffers. */
class Engine {
  #handle!: Handle;
  #state!: Uint32Array;
  #flush = 2;
  #error = false;

  constructor() {
    this.#renew();
  }

  #renew(): void {
    // deno-lint-ignore no-explicit-any
    const s = zlib.createZstdDecompress() as any;
    const h = s?._handle as Handle | undefined;
    const st = s?._writeState;
    if (!h || typeof h.writeSync !== "function" || typeof h.reset !== "function") {
      throw new Error("no zstd handle");
    }
    if (!(st instanceof Uint32Array) || st.length < 2) throw new Error("no zstd write state");
    // errors come back to us, not to the stream (which would destroy the handle later)
    h.onerror = () => {
      this.#error = true;
    };
    this.#handle = h;
    this.#state = st;
    this.#flush = typeof s._finishFlushFlag === "number" ? s._finishFlushFlag : 2;
  }

  /** Bytes decoded into `out` with every input byte consumed, or `undefined` on any error. */
  decodeInto(input: Uint8Array, out: Uint8Array): number | undefined {
    this.#error = false;
    try {
      this.#handle.reset();
      this.#handle.writeSync(this.#flush, input, 0, input.length, out, 0, out.length);
    } catch {
      this.#renew();
      return undefined;
    }
    if (this.#error) {
      this.#renew();
      return undefined;
    }
    if (this.#state[1] !== 0) return undefined; // input left over
    return out.length - this.#state[0];
  }
}

let engine: Engine | null | undefined;
let scratch = new Uint8Array(0);

/** The shared engine, after a self-test; `null` when the internals are not usable. */
function theEngine(): Engine | null {
  if (engine !== undefined) return engine;
  try {
    const e = new Engine();
    const data = new Uint8Array(4096).map((_, i) => (i * 31) ^ (i >> 3));
    const frame = new ZstdCodec({ level: 1 }).encode(data);
    const out = new Uint8Array(data.length + 1);
    const n = e.decodeInto(frame, out);
    engine = n === data.length && out.subarray(0, n).every((v, i) => v === data[i]) ? e : null;
  } catch {
    engine = null;
  }
  return engine;
}

/** A bytes -> bytes codec whose `decode` takes the pipeline's bound on the output size. */
export type BoundedBytesCodec = BytesBytesCodec & {
  decode(bytes: Uint8Array, options?: BytesDecodeOptions): Promise<Uint8Array> | Uint8Array;
};

/** A zstd codec whose simple frames decode into a reused buffer (see the module doc). */
class ScratchZstd implements BoundedBytesCodec {
  readonly kind = "bytes_to_bytes" as const;
  readonly name: string;

  constructor(readonly inner: ZstdCodec) {
    this.name = inner.name;
  }

  encode(bytes: Uint8Array): Uint8Array {
    return this.inner.encode(bytes);
  }

  /**
   * Decodes into the module's scratch buffer (valid until the next decode in this thread) when
   * the frame allows it, else with the codec.
   */
  decode(bytes: Uint8Array, options: BytesDecodeOptions = {}): Uint8Array {
    const e = theEngine();
    if (!e) return this.inner.decode(bytes, options);
    const info = inspectZstdFrames(bytes); // the codec raises the same on malformed frames
    const n = info.contentSize;
    const max = options.maxOutputLength;
    const one = info.spans.length === 1 && info.spans[0][0] === 0 &&
      info.spans[0][1] === bytes.length;
    if (!one || n === undefined || max === undefined || n > max) {
      return this.inner.decode(bytes, options);
    }
    if (scratch.length < n + 1) scratch = new Uint8Array(n + 1);
    // one spare byte: output that does not stop at the declared size shows up there
    if (e.decodeInto(bytes, scratch.subarray(0, n + 1)) !== n) {
      return this.inner.decode(bytes, options);
    }
    return scratch.subarray(0, n);
  }

  toJSON(): CodecMetadata {
    return this.inner.toJSON();
  }
}

/**
 * `codec` itself, or for a {@link ZstdCodec} a stand-in whose `decode` returns a view of a buffer
 * reused by the next decode (copy the result out before decoding again).
 *
 * @example
 * ```ts
 * import { scratchZstd } from "./zstd_scratch.ts";
 * import { ZstdCodec } from "../codecs/zstd.ts";
 * console.log(scratchZstd(new ZstdCodec()).name); // zstd
 * ```
 */
export function scratchZstd(codec: BytesBytesCodec): BoundedBytesCodec {
  return codec instanceof ZstdCodec ? new ScratchZstd(codec) : codec as BoundedBytesCodec;
}

/**
 * Drops the shared decode buffer when it is larger than `keep` bytes (after a batch of large
 * chunks, so an idle worker does not hold on to it).
 *
 * @example
 * ```ts
 * import { releaseZstdScratch } from "./zstd_scratch.ts";
 * releaseZstdScratch(1 << 24);
 * ```
 */
export function releaseZstdScratch(keep: number): void {
  if (scratch.length > keep) scratch = new Uint8Array(0);
}
