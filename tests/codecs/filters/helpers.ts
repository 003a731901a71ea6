/**
 * Shared helpers of the filter tests: running the numcodecs vectors of `vectors.ts` through our
 * codecs (encode must give numcodecs' bytes exactly, decode of numcodecs' bytes must give its
 * decoded values exactly), typed arrays from JSON values, hex.
 * @module
 */
import "../../../src/codecs/builtins.ts";
import assert from "node:assert/strict";
import { codecFromV2 } from "../../../src/codecs/registry.ts";
import {
  type DataType,
  type TypedArray,
  typedArrayConstructor,
} from "../../../src/metadata/dtype.ts";
import { dtypeOption } from "../../../src/codecs/filters/options.ts";
import type { ArrayArrayCodec, BytesBytesCodec, ChunkSpec } from "../../../src/codecs/types.ts";
import { type Vector, VECTORS } from "./vectors.ts";

/** Hex of bytes. */
export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Bytes of a hex string; `"ff*5"` is five 0xff bytes, `"ff*5+0102"` appends 01 02. */
export function unhex(s: string): Uint8Array {
  const m = /^([0-9a-f]{2})\*(\d+)(?:\+([0-9a-f]*))?$/.exec(s);
  if (m) {
    const tail = unhex(m[3] ?? "");
    const out = new Uint8Array(Number(m[2]) + tail.length).fill(parseInt(m[1], 16));
    out.set(tail, Number(m[2]));
    return out;
  }
  return new Uint8Array(s.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
}

/** The bytes of a typed array (no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function show(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
}

const WORDS: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** A typed array (or string list) of `dt` from JSON values (64-bit ints as decimal strings). */
export function arrayOf(dt: DataType, values: readonly unknown[]): TypedArray | string[] {
  const C = typedArrayConstructor(dt) as unknown as {
    from(v: unknown[]): TypedArray;
  } | undefined;
  if (!C) return values.map(String);
  if (dt.itemsize === 8 && (dt.kind === "int" || dt.kind === "uint")) {
    return C.from(values.map((x) => BigInt(x as string)));
  }
  return C.from(
    values.map((x) =>
      typeof x === "string" ? WORDS[x] : typeof x === "boolean" ? Number(x) : (x as number)
    ),
  );
}

function swapBytes(b: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = b[i + size - 1 - j];
  }
  return out;
}

/** The vectors of some numcodecs ids. */
export function vectorsOf(...ids: string[]): Vector[] {
  const v = VECTORS.filter((c) => ids.includes(c.config.id));
  assert.ok(v.length > 0, `no vectors for ${ids}`);
  return v;
}

/**
 * Runs one vector: our encode of its input must equal numcodecs' encoded bytes, and our decode of
 * those bytes must equal numcodecs' decoded values.
 */
export async function checkVector(v: Vector): Promise<void> {
  if (v.bytes !== undefined) {
    const codec = codecFromV2(v.config) as BytesBytesCodec;
    assert.equal(codec.kind, "bytes_to_bytes", v.name);
    const raw = unhex(v.bytes);
    assert.equal(hex(await codec.encode(raw)), hex(unhex(v.enc)), `${v.name}: encode`);
    assert.equal(hex(await codec.decode(unhex(v.enc))), hex(raw), `${v.name}: decode`);
    return;
  }
  const kinds = /[UO]/.test(v.dtype!) ? "text" : "numeric";
  const dt = dtypeOption("test", "dtype", v.dtype, kinds).dtype;
  const data = arrayOf(dt, v.input!);
  const spec: ChunkSpec = { shape: [data.length], dtype: dt, fillValue: 0 };
  const codec = codecFromV2(v.config, "vectors", { dtype: dt }) as ArrayArrayCodec;
  assert.equal(codec.kind, "array_to_array", v.name);
  const encSpec = codec.resolveSpec(spec);
  // numcodecs' BitRound returns the integer view of the floats: same bytes, our type stays float
  const eo = dtypeOption("test", "enc_dtype", v.config.id === "bitround" ? v.dtype : v.enc_dtype);
  assert.equal(encSpec.dtype.name, eo.dtype.name, `${v.name}: encoded type`);
  const before = hex(bytesOf(data as ArrayBufferView)) + show(data);
  const enc = await codec.encode({ data, shape: [data.length] }, spec);
  assert.equal(
    hex(bytesOf(data as ArrayBufferView)) + show(data),
    before,
    `${v.name}: input untouched`,
  );
  let encBytes = bytesOf(enc.data as ArrayBufferView);
  if (eo.endian === "big") encBytes = swapBytes(encBytes, eo.dtype.itemsize);
  assert.equal(hex(encBytes), v.enc, `${v.name}: encode`);
  let stored = unhex(v.enc);
  if (eo.endian === "big") stored = swapBytes(stored, eo.dtype.itemsize);
  const C = typedArrayConstructor(encSpec.dtype) as unknown as new (
    b: ArrayBuffer,
    o: number,
    n: number,
  ) => TypedArray;
  const encArr = new C(stored.buffer as ArrayBuffer, 0, stored.length / encSpec.dtype.itemsize);
  const dec = await codec.decode({ data: encArr, shape: encSpec.shape }, spec);
  if (Array.isArray(v.dec)) assert.deepEqual(dec.data, v.dec, `${v.name}: decode`);
  else assert.equal(hex(bytesOf(dec.data as ArrayBufferView)), v.dec, `${v.name}: decode`);
}
