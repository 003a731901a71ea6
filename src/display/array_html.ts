/**
 * The rich Jupyter display of an array: an HTML info table (name, shape, dtype, chunks, shards,
 * codecs, fill value, stored and logical size, attributes) with, for numeric 1-D and 2-D
 * arrays, a small preview of a downsampled view (SVG line plot or PNG heatmap).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { arrayDisplay } from "./array_html.ts";
 * const a = await zarr.zeros([4], { dtype: "float32" });
 * const bundle = await arrayDisplay(a);
 * console.log(Object.keys(bundle)); // ["text/plain", "text/html"]
 * ```
 * @module
 */
import type { AsyncArray } from "../array/array.ts";
import { arrayInfoFields } from "../array/stats.ts";
import { humanReadableSize, numpyDtypeName, shapeRepr } from "../array/info.ts";
import { slice } from "../array/indexing/slice.ts";
import { escapeHtml } from "../group/tree.ts";
import {
  MAX_HEATMAP_SIDE,
  MAX_LINE_POINTS,
  pngHeatmap,
  strideFor,
  svgLinePlot,
} from "./preview.ts";

/** Arrays up to this many logical bytes are previewed whole (strided); larger ones by a window. */
export const PREVIEW_WHOLE_MAX_BYTES = 64 * 2 ** 20;
/** How long the display waits for the stored size or the preview before leaving it out (ms). */
export const DISPLAY_IO_TIMEOUT_MS = 3000;
/** The most attributes listed. */
export const MAX_ATTRS_SHOWN = 50;

/** Options of {@link arrayHtml} and {@link arrayDisplay}. */
export interface ArrayDisplayOptions {
  /** Compute a preview picture (default true for numeric 1-D/2-D arrays). */
  preview?: boolean;
  /** Compute the stored size by listing the array's keys (default true). */
  storedSize?: boolean;
}

/** JSON text of a value with BigInt written as numbers, truncated to `max` characters. */
export function safeJson(value: unknown, max = 200): string {
  let s: string;
  try {
    s = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v)) ?? "undefined";
  } catch {
    s = String(value);
  }
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p.catch(() => undefined), t]).finally(() => clearTimeout(timer));
}

function isNumeric(a: AsyncArray): boolean {
  const k = a.dataType.kind;
  return k === "int" || k === "uint" || k === "float" || k === "bool";
}

/**
 * The preview picture of a numeric 1-D or 2-D array (HTML: `<svg>` or `<img>`), or `""` for
 * other arrays. Reads a strided view with at most {@link MAX_LINE_POINTS} points or
 * {@link MAX_HEATMAP_SIDE}² cells; arrays over {@link PREVIEW_WHOLE_MAX_BYTES} are previewed
 * over their first chunk only (said in the caption).
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { arrayPreview } from "./array_html.ts";
 * const a = await zarr.ones([3, 3], { dtype: "int16" });
 * console.log((await arrayPreview(a)).includes("<img")); // true
 * ```
 */
export async function arrayPreview(a: AsyncArray): Promise<string> {
  if (!isNumeric(a) || (a.ndim !== 1 && a.ndim !== 2) || a.size === 0) return "";
  const whole = a.nbytes <= PREVIEW_WHOLE_MAX_BYTES;
  const extent = a.shape.map((n, i) => (whole ? n : Math.min(n, a.chunks[i])));
  const max = a.ndim === 1 ? MAX_LINE_POINTS : MAX_HEATMAP_SIDE;
  const steps = extent.map((n) => strideFor(n, max));
  const sel = extent.map((n, i) => slice(0, n, steps[i]));
  const nd = await a.getitem(sel);
  const data = nd.data as ArrayLike<number | bigint | boolean>;
  const rows = nd.shape[0], cols = nd.shape.length === 2 ? nd.shape[1] : 1;
  const values = new Float64Array(rows * cols);
  const [s0, s1] = [nd.stride[0], nd.stride[1] ?? 0];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) values[r * cols + c] = Number(data[r * s0 + c * s1]);
  }
  const caption = whole
    ? (steps.some((s) => s > 1) ? `every ${steps.join(" × ")} element(s)` : "all elements")
    : `first chunk ${shapeRepr(extent)}, strided ${steps.join(" × ")}`;
  const pic = a.ndim === 1 ? svgLinePlot(values) : pngHeatmap(values, rows, cols);
  return `<figure class="zarr-array-preview">${pic}<figcaption>preview: ${
    escapeHtml(caption)
  }</figcaption></figure>`;
}

const STYLE = `
.zarr-array { font-family: var(--jp-ui-font-family, system-ui, sans-serif); font-size: var(--jp-ui-font-size1, 13px); color: var(--jp-content-font-color1, inherit); display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.zarr-array table { border-collapse: collapse; }
.zarr-array th, .zarr-array td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--jp-border-color2, rgba(128,128,128,0.3)); vertical-align: top; }
.zarr-array th { color: var(--jp-content-font-color2, #666); font-weight: normal; white-space: nowrap; }
.zarr-array td { font-family: var(--jp-code-font-family, Menlo, 'DejaVu Sans Mono', monospace); }
.zarr-array caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
.zarr-array figure { margin: 0; }
.zarr-array figcaption { color: var(--jp-content-font-color2, #888); font-size: 11px; }
.zarr-array details summary { cursor: pointer; }
`;

/**
 * The HTML info table of an array (self-contained: inline style with `--jp-*` variables and
 * fallbacks; every value escaped). `nbytesStored` and `preview` are optional parts computed by
 * the caller.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { arrayHtml } from "./array_html.ts";
 * const a = await zarr.zeros([2, 2], { dtype: "int8" });
 * console.log(arrayHtml(a).includes("<table")); // true
 * ```
 */
export function arrayHtml(
  a: AsyncArray,
  parts: { nbytesStored?: number; preview?: string } = {},
): string {
  const f = arrayInfoFields(a);
  const rows: [string, string][] = [
    ["Name", a.name],
    ["Shape", shapeRepr(a.shape)],
    ["Data type", `${numpyDtypeName(a.dtype)}  (${f.dataTypeRepr})`],
    ["Chunks", shapeRepr(a.chunks)],
  ];
  if (a.shards) rows.push(["Shards", shapeRepr(a.shards)]);
  rows.push(["Zarr format", String(a.zarrFormat)]);
  if (f.filters.length) rows.push(["Filters", f.filters.join(", ")]);
  if (f.serializer) rows.push(["Serializer", f.serializer]);
  rows.push(["Compressors", f.compressors.length ? f.compressors.join(", ") : "none"]);
  rows.push(["Fill value", f.fillValueRepr]);
  rows.push(["Logical size", `${humanReadableSize(a.nbytes)} (${a.nbytes} bytes)`]);
  if (parts.nbytesStored !== undefined) {
    const ratio = parts.nbytesStored > 0 ? (a.nbytes / parts.nbytesStored).toFixed(1) : "–";
    rows.push([
      "Stored size",
      `${humanReadableSize(parts.nbytesStored)} (${parts.nbytesStored} bytes), ratio ${ratio}`,
    ]);
  }
  rows.push(["Store", `${f.storeType}${f.readOnly ? " (read-only)" : ""}`]);
  const body = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  const attrs = Object.entries(a.attrs ?? {});
  if (attrs.length) {
    const shown = attrs.slice(0, MAX_ATTRS_SHOWN).map(([k, v]) =>
      `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(safeJson(v))}</td></tr>`
    );
    if (attrs.length > MAX_ATTRS_SHOWN) {
      shown.push(`<tr><td colspan="2">${attrs.length - MAX_ATTRS_SHOWN} more…</td></tr>`);
    }
    body.push(
      `<tr><th>Attributes</th><td><details><summary>${attrs.length} attribute${
        attrs.length === 1 ? "" : "s"
      }</summary><table>${shown.join("")}</table></details></td></tr>`,
    );
  } else {
    body.push(`<tr><th>Attributes</th><td>none</td></tr>`);
  }
  return `<div class="zarr-array"><style>${STYLE}</style><table><caption>zarr array ${
    escapeHtml(a.name)
  }</caption>${body.join("")}</table>${parts.preview ?? ""}</div>`;
}

/**
 * The mime bundle of an array for the Deno Jupyter kernel: `text/plain` (repr and zarr-python's
 * info text) and `text/html` ({@link arrayHtml} with stored size and preview, each given up
 * after {@link DISPLAY_IO_TIMEOUT_MS}). No BigInt anywhere.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * import { arrayDisplay } from "./array_html.ts";
 * const a = await zarr.ones([8], { dtype: "float64" });
 * console.log((await arrayDisplay(a))["text/html"].includes("<svg")); // true
 * ```
 */
export async function arrayDisplay(
  a: AsyncArray,
  opts: ArrayDisplayOptions = {},
): Promise<Record<string, string>> {
  const [stored, preview] = await Promise.all([
    opts.storedSize === false ? undefined : withTimeout(a.nbytesStored(), DISPLAY_IO_TIMEOUT_MS),
    opts.preview === false ? undefined : withTimeout(arrayPreview(a), DISPLAY_IO_TIMEOUT_MS),
  ]);
  return {
    "text/plain": `${a.toString()}\n${a.info()}`,
    "text/html": arrayHtml(a, { nbytesStored: stored, preview }),
  };
}
