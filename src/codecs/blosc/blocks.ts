/**
 * The block walk shared by blosc decoding with and without the unshuffle step: header checks
 * ({@link planBlocks}), the layout of each block ({@link blockLayout}) and the decompression of a
 * block's split streams ({@link decodeBlockStreams}).
 *
 * @example
 * ```ts
 * import { bloscCompress } from "./compress.ts";
 * import { blockLayout, decodeBlockStreams, planBlocks } from "./blocks.ts";
 * const opts = { cname: "lz4" as const, clevel: 5, shuffle: 0 as const, typesize: 1 };
 * const enc = bloscCompress(new Uint8Array(64).fill(7), opts);
 * const plan = planBlocks(enc);
 * if (plan.kind === "blocks") {
 *   const out = new Uint8Array(plan.header.nbytes);
 *   for (let j = 0; j < plan.nblocks; j++) {
 *     const b = blockLayout(plan, j);
 *     decodeBlockStreams(plan, enc, j, b, out, b.start);
 *   }
 *   console.log(out[63]); // 7
 * }
 * ```
 * @module
 */
import { CodecError } from "../../errors.ts";
import { errorMessage } from "../common.ts";
import {
  BLOSC_HEADER_LENGTH,
  BLOSC_MAX_SPLITS,
  BLOSC_MIN_BUFFERSIZE,
  type BloscHeader,
  readBloscHeader,
  readU32,
} from "./header.ts";
import { type BloscFormat, decompressStream, MAX_RATIO } from "./inner.ts";

/** What {@link planBlocks} found: nothing to decode, a stored copy, or compressed blocks. */
export type BlockPlan =
  | { kind: "empty"; header: BloscHeader }
  | { kind: "memcpyed"; header: BloscHeader; data: Uint8Array }
  | {
    kind: "blocks";
    header: BloscHeader;
    format: BloscFormat;
    nblocks: number;
    leftover: number;
  };

/**
 * Reads and checks a blosc header: the declared size against `maxOutputLength` (or, without
 * it, against what the compressed bytes can stand for), the memcpyed size, the inner
 * compressor and the block offset table. Raises {@link CodecError} naming the problem.
 */
export function planBlocks(bytes: Uint8Array, maxOutputLength?: number): BlockPlan {
  const h = readBloscHeader(bytes);
  const { nbytes, blocksize, cbytes } = h;
  if (maxOutputLength !== undefined && nbytes > maxOutputLength) {
    throw new CodecError(
      `blosc: the header declares ${nbytes} decoded bytes, more than the expected maximum of ${maxOutputLength}`,
    );
  }
  if (nbytes === 0) return { kind: "empty", header: h };
  if (h.memcpyed) {
    if (cbytes !== nbytes + BLOSC_HEADER_LENGTH) {
      throw new CodecError(
        `blosc: memcpyed buffer of ${cbytes} bytes cannot hold ${nbytes} decoded bytes`,
      );
    }
    return {
      kind: "memcpyed",
      header: h,
      data: bytes.subarray(BLOSC_HEADER_LENGTH, BLOSC_HEADER_LENGTH + nbytes),
    };
  }
  const format = h.format;
  if (format === undefined) {
    throw new CodecError(`blosc: unknown inner compressor code ${h.flags >>> 5}`);
  }
  if (h.versionlz !== 1) {
    throw new CodecError(`blosc: unsupported ${format} format version ${h.versionlz}`);
  }
  const leftover = nbytes % blocksize;
  const nblocks = (nbytes - leftover) / blocksize + (leftover > 0 ? 1 : 0);
  const tableEnd = BLOSC_HEADER_LENGTH + 4 * nblocks;
  if (tableEnd > cbytes) {
    throw new CodecError(
      `blosc: truncated buffer: ${nblocks} block offsets do not fit in ${cbytes} bytes`,
    );
  }
  if (maxOutputLength === undefined && nbytes > (cbytes - tableEnd) * MAX_RATIO[format]) {
    throw new CodecError(
      `blosc: the header declares ${nbytes} decoded bytes, more than ${cbytes} bytes of ` +
        `${format} data can hold`,
    );
  }
  return { kind: "blocks", header: h, format, nblocks, leftover };
}

/** One block's place and split: `bsize` bytes at `start`, in `nsplits` streams of `neblock`. */
export interface BlockLayout {
  bsize: number;
  start: number;
  leftoverBlock: boolean;
  nsplits: number;
  neblock: number;
}

/** The layout of block `j` (c-blosc's split rule; the last block may be short). */
export function blockLayout(
  plan: Extract<BlockPlan, { kind: "blocks" }>,
  j: number,
): BlockLayout {
  const { header: h, nblocks, leftover } = plan;
  const { blocksize, typesize } = h;
  const leftoverBlock = j === nblocks - 1 && leftover > 0;
  const bsize = leftoverBlock ? leftover : blocksize;
  const nsplits = !h.dontSplit && !leftoverBlock && typesize <= BLOSC_MAX_SPLITS &&
      Math.floor(bsize / typesize) >= BLOSC_MIN_BUFFERSIZE
    ? typesize
    : 1;
  const neblock = Math.floor(bsize / nsplits);
  if (neblock * nsplits !== bsize) {
    throw new CodecError(`blosc: block size ${bsize} is not a multiple of typesize ${typesize}`);
  }
  return { bsize, start: j * blocksize, leftoverBlock, nsplits, neblock };
}

/** Decompresses the split streams of block `j` into `target` from `tp` on (still shuffled). */
export function decodeBlockStreams(
  plan: Extract<BlockPlan, { kind: "blocks" }>,
  bytes: Uint8Array,
  j: number,
  b: BlockLayout,
  target: Uint8Array,
  tp: number,
): void {
  const { cbytes } = plan.header;
  const { nsplits, neblock } = b;
  let sp = readU32(bytes, BLOSC_HEADER_LENGTH + 4 * j);
  for (let s = 0; s < nsplits; s++) {
    if (sp > cbytes - 4) {
      throw new CodecError(`blosc: block ${j}: stream offset ${sp} outside the buffer`);
    }
    const csize = readU32(bytes, sp);
    sp += 4;
    if (csize > cbytes - sp) {
      throw new CodecError(
        `blosc: block ${j}: stream of ${csize} bytes at ${sp} runs past the buffer end`,
      );
    }
    if (csize === neblock) {
      target.set(bytes.subarray(sp, sp + neblock), tp);
    } else {
      try {
        decompressStream(plan.format, bytes, sp, sp + csize, target, tp, tp + neblock);
      } catch (e) {
        throw new CodecError(`blosc: block ${j}: ${errorMessage(e)}`, { cause: e });
      }
    }
    sp += csize;
    tp += neblock;
  }
}
