/**
 * JSON reading and writing that keeps 64-bit integers exact and writes floats the way Python's
 * `json.dumps` does, so metadata documents are byte-identical to zarr-python's.
 *
 * @example
 * ```ts
 * import { parseJSON, pyFloat, stringifyJSON } from "./json.ts";
 * const v = parseJSON('{"f": 18446744073709551615}') as { f: bigint };
 * console.log(stringifyJSON({ f: v.f, g: pyFloat(0) }, 2)); // {"f": 18446744073709551615, "g": 0.0}
 * ```
 * @module
 */
import { MetadataValidationError } from "../errors.ts";

const SPECIAL: Record<string, number> = {
  "\u0000NaN": NaN,
  "\u0000Infinity": Infinity,
  "\u0000-Infinity": -Infinity,
};

/** Rewrites Python's bare `NaN` / `Infinity` / `-Infinity` tokens (outside strings) to markers. */
function markSpecialFloats(text: string): string {
  return text.replace(
    /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g,
    (m, tok) => (tok ? `"\\u0000${tok}"` : m),
  );
}

/**
 * Parses JSON, turning integers beyond 2^53 into `bigint` and accepting Python's bare `NaN`,
 * `Infinity` and `-Infinity` (as `json.dumps` writes them into attributes).
 */
export function parseJSON(text: string, where = "document"): unknown {
  if (/NaN|Infinity/.test(text)) text = markSpecialFloats(text);
  try {
    return JSON.parse(
      text,
      // deno-lint-ignore no-explicit-any
      (_k, v, ctx?: any) => {
        if (typeof v === "string" && v.charCodeAt(0) === 0 && v in SPECIAL) return SPECIAL[v];
        if (
          typeof v === "number" && !Number.isSafeInteger(v) && ctx &&
          typeof ctx.source === "string" &&
          /^-?\d+$/.test(ctx.source)
        ) return BigInt(ctx.source);
        return v;
      },
    );
  } catch (e) {
    throw new MetadataValidationError(`invalid JSON in ${where}: ${(e as Error).message}`);
  }
}

/** Decodes UTF-8 bytes and parses them with {@link parseJSON}. */
export function parseJSONBytes(bytes: Uint8Array, where = "document"): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new MetadataValidationError(`${where} is not valid UTF-8`);
  }
  return parseJSON(text, where);
}

/** Python's `repr(float)`: shortest round-trip digits, `.0` for integers, exponent outside 1e-4..1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const ax = Math.abs(x);
  if (ax >= 1e16 || ax < 1e-4) {
    // exponent form: mantissa digits then e+XX / e-XX with at least two exponent digits
    const [m, e] = x.toExponential().split("e");
    const exp = parseInt(e, 10);
    const sign = exp < 0 ? "-" : "+";
    const digits = String(Math.abs(exp)).padStart(2, "0");
    return `${m}e${sign}${digits}`;
  }
  const s = String(x);
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

/** Marks a number to be written as a Python float (`0.0`, `1e-05`). */
export function pyFloat(x: number): unknown {
  // deno-lint-ignore no-explicit-any
  return (JSON as any).rawJSON(pyFloatRepr(x));
}

function escapeNonAscii(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[^\x00-\x7f]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * Serializes like Python's `json.dumps(obj, indent=indent)`: bigints written exactly, non-ASCII
 * escaped (`ensure_ascii`), `indent=null` gives Python's compact-with-spaces form `{"a": 1}`.
 */
export function stringifyJSON(value: unknown, indent: number | null = 2): string {
  const replacer = (_k: string, v: unknown) => {
    // deno-lint-ignore no-explicit-any
    if (typeof v === "bigint") return (JSON as any).rawJSON(v.toString());
    if (v instanceof Uint8Array) return Array.from(v);
    return v;
  };
  if (indent === null) {
    // Python default separators: ", " and ": "
    return escapeNonAscii(pythonCompact(value, replacer));
  }
  return escapeNonAscii(JSON.stringify(value, replacer, indent));
}

function pythonCompact(value: unknown, replacer: (k: string, v: unknown) => unknown): string {
  const walk = (k: string, v: unknown): string | undefined => {
    v = replacer(k, v);
    if (v !== null && typeof v === "object" && !isRaw(v)) {
      // deno-lint-ignore no-explicit-any
      const toJSON = (v as any).toJSON;
      if (typeof toJSON === "function") v = toJSON.call(v, k);
    }
    if (v === null || typeof v !== "object" || isRaw(v)) return JSON.stringify(v);
    if (Array.isArray(v)) {
      return "[" + v.map((x, i) => walk(String(i), x) ?? "null").join(", ") + "]";
    }
    const parts: string[] = [];
    for (const [kk, vv] of Object.entries(v as Record<string, unknown>)) {
      const s = walk(kk, vv);
      if (s !== undefined) parts.push(JSON.stringify(kk) + ": " + s);
    }
    return "{" + parts.join(", ") + "}";
  };
  return walk("", value) ?? "null";
}

function isRaw(v: unknown): boolean {
  // deno-lint-ignore no-explicit-any
  return (JSON as any).isRawJSON?.(v) ?? false;
}

/** Encodes a JSON document to UTF-8 bytes with {@link stringifyJSON}. */
export function jsonBytes(value: unknown, indent: number | null = 2): Uint8Array {
  return new TextEncoder().encode(stringifyJSON(value, indent));
}
