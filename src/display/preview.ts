/**
 * Small preview pictures of numeric arrays for Jupyter: an SVG line plot for 1-D data and a
 * PNG heatmap (encoded here with fflate's zlib) for 2-D data. Pure functions on plain numbers;
 * the caller reads a downsampled view of the array.
 *
 * @example
 * ```ts
 * import { svgLinePlot } from "./preview.ts";
 * const svg = svgLinePlot([0, 1, 4, 9]);
 * console.log(svg.startsWith("<svg")); // true
 * ```
 * @module
 */
import { zlibSync } from "fflate";

/** The most points of a line plot. */
export const MAX_LINE_POINTS = 512;
/** The most rows and columns of a heatmap. */
export const MAX_HEATMAP_SIDE = 128;

/**
 * The step that brings `n` samples down to at most `max`: `ceil(n / max)`, at least 1.
 *
 * @example
 * ```ts
 * import { strideFor } from "./preview.ts";
 * console.log(strideFor(1000, 512)); // 2
 * ```
 */
export function strideFor(n: number, max: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, max)));
}

function finiteRange(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? null : [lo, hi];
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

/**
 * An SVG line plot of at most {@link MAX_LINE_POINTS} points (longer inputs are strided);
 * non-finite values break the line. Colors follow JupyterLab's `--jp-*` variables.
 *
 * @example
 * ```ts
 * import { svgLinePlot } from "./preview.ts";
 * console.log(svgLinePlot([1, 2, 3], { width: 200, height: 60 }).includes('width="200"')); // true
 * ```
 */
export function svgLinePlot(
  values: ArrayLike<number>,
  opts: { width?: number; height?: number } = {},
): string {
  const w = opts.width ?? 320, h = opts.height ?? 90, pad = 4;
  const step = strideFor(values.length, MAX_LINE_POINTS);
  const ys: number[] = [];
  for (let i = 0; i < values.length; i += step) ys.push(values[i]);
  const range = finiteRange(ys);
  const [lo, hi] = range ?? [0, 1];
  const span = hi - lo || 1;
  const dx = ys.length > 1 ? (w - 2 * pad) / (ys.length - 1) : 0;
  const parts: string[] = [];
  let seg = "";
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (!Number.isFinite(v)) {
      if (seg) parts.push(seg);
      seg = "";
      continue;
    }
    const x = pad + i * dx;
    const y = h - pad - ((v - lo) / span) * (h - 2 * pad);
    seg += `${seg ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
  }
  if (seg) parts.push(seg);
  const path = parts.join("");
  const labels = range
    ? `<text x="${pad}" y="11" font-size="10" fill="var(--jp-ui-font-color2, #888)">${
      fmt(hi)
    }</text><text x="${pad}" y="${h - 5}" font-size="10" fill="var(--jp-ui-font-color2, #888)">${
      fmt(lo)
    }</text>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="line plot preview"><rect x="0" y="0" width="${w}" height="${h}" fill="none" stroke="var(--jp-border-color2, #ccc)"/><path d="${path}" fill="none" stroke="var(--jp-brand-color1, #1976d2)" stroke-width="1.2"/>${labels}</svg>`;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes 8-bit RGB pixels (`width * height * 3` bytes, row-major) as a PNG file.
 *
 * @example
 * ```ts
 * import { encodePng } from "./preview.ts";
 * const png = encodePng(1, 1, new Uint8Array([255, 0, 0]));
 * console.log(png[1] === 0x50); // true ("PNG" signature)
 * ```
 */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const raw = new Uint8Array(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, RGB, deflate, no filter, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlibSync(raw, { level: 6 })),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// a few stops of the viridis colormap, interpolated linearly
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function colormap(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * A heatmap `<img>` (PNG data URL, viridis colors, non-finite values grey) of a row-major
 * `rows x cols` grid; grids larger than {@link MAX_HEATMAP_SIDE} per side are strided.
 *
 * @example
 * ```ts
 * import { pngHeatmap } from "./preview.ts";
 * console.log(pngHeatmap([0, 1, 2, 3], 2, 2).startsWith("<img")); // true
 * ```
 */
export function pngHeatmap(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: { displayWidth?: number } = {},
): string {
  const sr = strideFor(rows, MAX_HEATMAP_SIDE), sc = strideFor(cols, MAX_HEATMAP_SIDE);
  const h = Math.ceil(rows / sr), w = Math.ceil(cols / sc);
  const grid = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) grid[y * w + x] = values[y * sr * cols + x * sc];
  }
  const range = finiteRange(grid) ?? [0, 1];
  const span = range[1] - range[0] || 1;
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i];
    const c: [number, number, number] = Number.isFinite(v)
      ? colormap((v - range[0]) / span)
      : [128, 128, 128];
    rgb.set(c, i * 3);
  }
  const png = encodePng(w, h, rgb);
  const dw = opts.displayWidth ?? Math.min(256, Math.max(64, w * 4));
  const dh = Math.max(1, Math.round((dw * h) / w));
  return `<img alt="heatmap preview (min ${fmt(range[0])}, max ${
    fmt(range[1])
  })" width="${dw}" height="${dh}" style="image-rendering: pixelated; image-rendering: crisp-edges;" src="data:image/png;base64,${
    base64(png)
  }"/>`;
}
