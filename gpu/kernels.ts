/**
 * WGSL kernels of the GPU read path, all moving data as u32 words (WGSL has no u8/i64/f64).
 *
 * - `gather`: one invocation per output word. It maps the word's element(s) to a chunk of the
 *   batch arena through per-axis tables and a chunk table, optionally byte-swaps (big-endian
 *   `bytes` codec), and writes the fill value for missing chunks in the same pass. The only
 *   loops are over the axes and the <= 4 elements of a word, so no invocation comes near
 *   Mesa's silent 65535-iteration cap.
 * - `fill`: one invocation per output word, a periodic pattern of 1..4 words.
 *
 * @example
 * ```ts
 * import { gatherShader } from "./kernels.ts";
 * console.log(gatherShader(4, 4).includes("@compute")); // true
 * ```
 * @module
 */

/** Invocations per workgroup of every kernel. */
export const WORKGROUP = 256;
/** Chunk-table entry: the chunk is missing, write the fill value. */
export const MISSING = 0xffffffff;
/** Chunk-table entry: the chunk belongs to another batch, leave the output as it is. */
export const KEEP = 0xfffffffe;
/** Header words of the gather kernel's meta buffer before the per-axis records. */
export const HEADER = 16;

const common = /* wgsl */ `
fn bswap(x: u32) -> u32 {
  return (x >> 24u) | ((x >> 8u) & 0xff00u) | ((x << 8u) & 0xff0000u) | (x << 24u);
}
fn word_index(gid: vec3<u32>) -> u32 {
  return gid.y * mt[5] + gid.x;
}
// element -> (chunk-table entry, element index inside the chunk)
fn locate(e: u32) -> vec2<u32> {
  let ndim = mt[2];
  var rem = e;
  var cell = 0u;
  var loc_ = 0u;
  for (var k = 0u; k < ndim; k++) {
    let d = ndim - 1u - k;
    let rec = ${HEADER}u + d * 4u;
    let ext = mt[rec];
    let o = rem % ext;
    rem = rem / ext;
    let t = mt[rec + 3u] + o * 2u;
    cell += mt[t] * mt[rec + 2u];
    loc_ += mt[t + 1u] * mt[rec + 1u];
  }
  return vec2<u32>(mt[mt[10] + cell], loc_);
}
`;

/**
 * The gather/scatter kernel for elements of `B` bytes whose byte order flips in units of `S`
 * bytes (`S` 0: no swap).
 *
 * Meta layout (u32): `[nWords, nElems, ndim, B, S, pitch, fill0..fill3, chunkTableOffset, ...]`,
 * then per axis `[outExtent, chunkStride, gridStride, tableOffset]` from word 16, the per-axis
 * tables (`[gridRel, local]` per output index) and the chunk table (arena byte offsets,
 * {@link MISSING} or {@link KEEP}).
 */
export function gatherShader(B: number, S: number): string {
  const head = /* wgsl */ `
@group(0) @binding(0) var<storage, read> arena: array<u32>;
@group(0) @binding(1) var<storage, read_write> outw: array<u32>;
@group(0) @binding(2) var<storage, read> mt: array<u32>;
${common}`;
  if (B >= 4) {
    const wpe = B / 4;
    let src = "j";
    let val = "arena[base + sj]";
    if (S >= 4) {
      const wpu = S / 4;
      src = `(j / ${wpu}u) * ${wpu}u + (${wpu - 1}u - j % ${wpu}u)`;
      val = "bswap(arena[base + sj])";
    }
    return head + /* wgsl */ `
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let w = word_index(gid);
  if (w >= mt[0]) { return; }
  let e = w / ${wpe}u;
  let j = w % ${wpe}u;
  let loc = locate(e);
  let entry = loc.x;
  if (entry == ${KEEP}u) { return; }
  if (entry == ${MISSING}u) { outw[w] = mt[6u + j]; return; }
  let base = entry / 4u + loc.y * ${wpe}u;
  let sj = ${src};
  outw[w] = ${val};
}
`;
  }
  const per = 4 / B;
  const byteOf = S === 2 ? `${B - 1}u - b` : "b";
  return head + /* wgsl */ `
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let w = word_index(gid);
  if (w >= mt[0]) { return; }
  let old = outw[w];
  var acc = 0u;
  for (var i = 0u; i < ${per}u; i++) {
    let e = w * ${per}u + i;
    for (var b = 0u; b < ${B}u; b++) {
      let pos = (i * ${B}u + b) * 8u;
      var v = (old >> pos) & 0xffu;
      if (e < mt[1]) {
        let loc = locate(e);
        if (loc.x == ${MISSING}u) {
          v = (mt[6] >> (b * 8u)) & 0xffu;
        } else if (loc.x != ${KEEP}u) {
          let sb = loc.x + loc.y * ${B}u + ${byteOf};
          v = (arena[sb / 4u] >> ((sb % 4u) * 8u)) & 0xffu;
        }
      }
      acc = acc | (v << pos);
    }
  }
  outw[w] = acc;
}
`;
}

/** The fill kernel: `out[w] = pattern[w % period]` (params: `[nWords, pitch, period, p0..p3]`). */
export function fillShader(): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> outw: array<u32>;
@group(0) @binding(1) var<storage, read> params: array<u32>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let w = gid.y * params[1] + gid.x;
  if (w >= params[0]) { return; }
  outw[w] = params[3u + w % params[2]];
}
`;
}

/** Workgroup counts `[x, y]` and the row pitch (invocations per y row) for `n` invocations. */
export function dispatchSize(n: number): { x: number; y: number; pitch: number } {
  const groups = Math.max(1, Math.ceil(n / WORKGROUP));
  const x = Math.min(groups, 65535);
  const y = Math.ceil(groups / x);
  return { x, y, pitch: x * WORKGROUP };
}
