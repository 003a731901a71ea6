/**
 * WGSL kernels of the GPU read and fill paths, all moving data as u32 words (WGSL has no
 * u8/i64/f64).
 *
 * - `gather`: one invocation per output word. It maps the word's element(s) to a chunk of the
 *   batch arena through per-axis tables (which also carry the chunk's axis order, so the
 *   `transpose` codec and v2 `order: "F"` cost nothing extra) and a chunk table, optionally
 *   byte-swaps (big-endian `bytes` codec) or normalizes bools, and writes the fill value for
 *   missing chunks in the same pass.
 * - `fill`: one invocation per output word, a periodic pattern (`lcm(itemsize, 4)` bytes).
 *
 * Every kernel writes through a binding window (`dp.z` is the window's first word), so results
 * larger than the device's storage-binding limit take several dispatches. The only loops are over
 * the axes and the 4 bytes of a word, so no invocation comes near Mesa's silent 65535-iteration
 * cap.
 *
 * @example
 * ```ts
 * import { gatherShader } from "./kernels.ts";
 * console.log(gatherShader(4, 4, false).includes("@compute")); // true
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
export const HEADER = 4;
/** Words per axis record of the gather meta. */
export const AXIS_WORDS = 8;

/** Binding-window parameters shared by the kernels: `(firstWord, count, windowBase, pitch)`. */
const windowParams = /* wgsl */ `
@group(0) @binding(4) var<uniform> dp: vec4<u32>;
// index of this invocation's word inside the dispatch, or 0xffffffff past its end
fn invocation(gid: vec3<u32>) -> u32 {
  let i = gid.y * dp.w + gid.x;
  if (i >= dp.y) { return 0xffffffffu; }
  return i;
}
`;

const locateFn = /* wgsl */ `
// element -> (chunk-table entry, element index inside the stored chunk)
fn locate(e: u32) -> vec2<u32> {
  let ndim = mt[1];
  var rem = e;
  var cell = 0u;
  var loc_ = 0u;
  for (var k = 0u; k < ndim; k++) {
    let d = ndim - 1u - k;
    let rec = ${HEADER}u + d * ${AXIS_WORDS}u;
    let ext = mt[rec];
    let o = rem % ext;
    rem = rem / ext;
    if (mt[rec + 4u] == 1u) {
      // affine axis: array index A + o * s, split into chunk rank and local index
      let a = u32(bitcast<i32>(mt[rec + 5u]) + i32(o) * bitcast<i32>(mt[rec + 6u]));
      let ch = mt[rec + 7u];
      let c = a / ch;
      cell += (c - mt[rec + 3u]) * mt[rec + 2u];
      loc_ += (a - c * ch) * mt[rec + 1u];
    } else {
      let t = mt[rec + 3u] + o * 2u;
      cell += mt[t] * mt[rec + 2u];
      loc_ += mt[t + 1u] * mt[rec + 1u];
    }
  }
  return vec2<u32>(ctab[cell], loc_);
}
fn bswap(x: u32) -> u32 {
  return (x >> 24u) | ((x >> 8u) & 0xff00u) | ((x << 8u) & 0xff0000u) | (x << 24u);
}
`;

/**
 * Whether the gather for `B`-byte elements swapped in `S`-byte units runs one word at a time
 * (else byte by byte within each output word).
 *
 * @example
 * ```ts
 * import { wordPath } from "./kernels.ts";
 * console.log(wordPath(8, 4), wordPath(2, 2), wordPath(12, 0)); // true false true
 * ```
 */
export function wordPath(B: number, S: number): boolean {
  return B % 4 === 0 && S % 4 === 0;
}

/**
 * The gather kernel for elements of `B` bytes (any size) whose byte order flips in units of `S`
 * bytes (`S` 0: no swap); `bool` maps every non-zero byte to 1, as the CPU `bytes` decoder does.
 *
 * Bindings: 0 the arena (chunks at byte offsets), 1 the output window, 2 the meta words
 * `[nElems, ndim, fillOffset, 0]`, then per axis `[outExtent, chunkStride, gridStride,
 * tableOffset | minChunk, affine, A, s, chunkExtent]` (affine axes map output index `o` to array
 * index `A + o * s`; the others read `[rank, local]` per output index from their table), the
 * tables, and the fill element's bytes; 3 the chunk table of the batch (arena byte offsets, {@link MISSING} or
 * {@link KEEP}); 4 the window parameters `(firstWord, count, windowBase, pitch)`.
 */
export function gatherShader(B: number, S: number, bool: boolean): string {
  const head = /* wgsl */ `
@group(0) @binding(0) var<storage, read> arena: array<u32>;
@group(0) @binding(1) var<storage, read_write> outw: array<u32>;
@group(0) @binding(2) var<storage, read> mt: array<u32>;
@group(0) @binding(3) var<storage, read> ctab: array<u32>;
${windowParams}${locateFn}`;
  if (wordPath(B, S)) {
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
  let i = invocation(gid);
  if (i == 0xffffffffu) { return; }
  let w = dp.x + i;
  let e = w / ${wpe}u;
  let j = w % ${wpe}u;
  let loc = locate(e);
  let entry = loc.x;
  if (entry == ${KEEP}u) { return; }
  if (entry == ${MISSING}u) { outw[w - dp.z] = mt[mt[2] + j]; return; }
  let base = entry / 4u + loc.y * ${wpe}u;
  let sj = ${src};
  outw[w - dp.z] = ${val};
}
`;
  }
  const byteOf = S > 1 ? `(b / ${S}u) * ${S}u + (${S - 1}u - b % ${S}u)` : "b";
  const norm = bool ? "v = select(0u, 1u, v != 0u);" : "";
  return head + /* wgsl */ `
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = invocation(gid);
  if (i == 0xffffffffu) { return; }
  let w = dp.x + i;
  let old = outw[w - dp.z];
  var acc = 0u;
  var last = 0xffffffffu;
  var loc = vec2<u32>(${KEEP}u, 0u);
  for (var k = 0u; k < 4u; k++) {
    let g = w * 4u + k;
    let e = g / ${B}u;
    let b = g % ${B}u;
    let pos = k * 8u;
    var v = (old >> pos) & 0xffu;
    if (e < mt[0]) {
      if (e != last) {
        loc = locate(e);
        last = e;
      }
      if (loc.x == ${MISSING}u) {
        v = (mt[mt[2] + b / 4u] >> ((b % 4u) * 8u)) & 0xffu;
      } else if (loc.x != ${KEEP}u) {
        let sb = loc.x + loc.y * ${B}u + ${byteOf};
        v = (arena[sb / 4u] >> ((sb % 4u) * 8u)) & 0xffu;
        ${norm}
      }
    }
    acc = acc | (v << pos);
  }
  outw[w - dp.z] = acc;
}
`;
}

/**
 * The fill kernel over a binding window: word `w` gets `pattern[w % period]`. Bindings: 1 the
 * output window, 2 `[period, pattern words...]`, 4 `(firstWord, count, windowBase, pitch)`.
 *
 * @example
 * ```ts
 * import { fillShader } from "./kernels.ts";
 * console.log(fillShader().includes("pat[1u + w % pat[0]]")); // true
 * ```
 */
export function fillShader(): string {
  return /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> outw: array<u32>;
@group(0) @binding(2) var<storage, read> pat: array<u32>;
${windowParams}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = invocation(gid);
  if (i == 0xffffffffu) { return; }
  let w = dp.x + i;
  outw[w - dp.z] = pat[1u + w % pat[0]];
}
`;
}

/**
 * Workgroup counts `[x, y]` and the row pitch (invocations per y row) for `n` invocations
 * (at most 65535 workgroups per dimension).
 *
 * @example
 * ```ts
 * import { dispatchSize } from "./kernels.ts";
 * console.log(dispatchSize(20_000_000)); // { x: 65535, y: 2, pitch: 16776960 }
 * ```
 */
export function dispatchSize(n: number): { x: number; y: number; pitch: number } {
  const groups = Math.max(1, Math.ceil(n / WORKGROUP));
  const x = Math.min(groups, 65535);
  const y = Math.ceil(groups / x);
  return { x, y, pitch: x * WORKGROUP };
}
