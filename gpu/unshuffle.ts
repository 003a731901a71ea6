/**
 * The blosc unshuffle stage in WGSL: one dispatch turns every chunk of a batch arena from its
 * shuffled layout (blosc byte shuffle or bit shuffle, any typesize, per block; or the numcodecs
 * `shuffle` filter, one block per chunk) into plain bytes in a second arena, which the gather
 * then reads. Blocks are decompressed on the CPU first (`bloscDecompressRaw`).
 *
 * One invocation per output word; each of its 4 bytes is read from one source byte (byte
 * shuffle) or assembled from 8 bits of 8 bit-rows (bit shuffle): at most 32 loop iterations per
 * invocation, far below Mesa's silent 65535-iteration cap.
 *
 * @example
 * ```ts
 * import { SHUFFLE_MODE, unshuffleShader } from "./unshuffle.ts";
 * console.log(SHUFFLE_MODE.bitshuffle, unshuffleShader().includes("@compute")); // 2 true
 * ```
 * @module
 */
import { WORKGROUP } from "./kernels.ts";

/** The per-chunk mode numbers of the slot table. */
export const SHUFFLE_MODE = { noshuffle: 0, shuffle: 1, bitshuffle: 2 } as const;

/** Words per slot-table record: `[mode, typesize, blocksize]`. */
export const SLOT_WORDS = 3;

/**
 * The unshuffle kernel. Bindings: 0 the shuffled arena, 1 the output arena (same slot layout),
 * 2 the slot table (`[mode, typesize, blocksize]` per chunk slot), 4 the parameters
 * `(slotWords, count, chunkBytes, pitch)`; slot `s` occupies words
 * `[s * slotWords, (s + 1) * slotWords)` of both arenas.
 */
export function unshuffleShader(): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;
@group(0) @binding(2) var<storage, read> st: array<u32>;
@group(0) @binding(4) var<uniform> dp: vec4<u32>;
fn byte_at(p: u32) -> u32 {
  return (src[p / 4u] >> ((p % 4u) * 8u)) & 0xffu;
}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.y * dp.w + gid.x;
  if (i >= dp.y) { return; }
  let slot = i / dp.x;
  let lw = i - slot * dp.x;
  let base = slot * dp.x * 4u;
  let nbytes = dp.z;
  let mode = st[slot * ${SLOT_WORDS}u];
  let ts = st[slot * ${SLOT_WORDS}u + 1u];
  let bs = st[slot * ${SLOT_WORDS}u + 2u];
  var acc = 0u;
  for (var k = 0u; k < 4u; k++) {
    let p = lw * 4u + k;
    if (p >= nbytes) { continue; }
    var v = 0u;
    if (mode == 0u) {
      v = byte_at(base + p);
    } else {
      let j = p / bs;
      let q = p - j * bs;
      let bsize = min(bs, nbytes - j * bs);
      let n = bsize / ts;
      if (q >= n * ts || (mode == 2u && n % 8u != 0u)) {
        // the partial-element tail, or a bit-shuffle block left plain
        v = byte_at(base + p);
      } else {
        let e = q / ts;
        let b = q - e * ts;
        if (mode == 1u) {
          v = byte_at(base + j * bs + b * n + e);
        } else {
          let rb = n / 8u;
          let s0 = base + j * bs + 8u * b * rb + e / 8u;
          let sh = e % 8u;
          for (var t = 0u; t < 8u; t++) {
            v = v | (((byte_at(s0 + t * rb) >> sh) & 1u) << t);
          }
        }
      }
    }
    acc = acc | (v << (k * 8u));
  }
  dst[i] = acc;
}
`;
}
