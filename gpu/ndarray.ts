/**
 * {@link GPUNDArray}, an n-dimensional array in a WebGPU buffer, and the byte layout it shares
 * with the CPU `NDArray` of its dtype: typed kinds as their typed array's bytes (bool one byte,
 * int64 8 bytes, complex interleaved), fixed-size `V<n>` / structured and `S<n>` records packed at
 * `itemsize` bytes each (`S` values NUL-padded on the device, NUL-stripped on the host, as the
 * `bytes` codec does).
 *
 * @example
 * ```ts ignore
 * import * as zarr from "../mod.ts";
 * const gpu = await zarr.gpu.webgpu();
 * const g = gpu.full([4], "float64", 1.5);
 * console.log((await g.toHost()).data); // Float64Array [1.5, 1.5, 1.5, 1.5]
 * g.destroy();
 * ```
 * @module
 */
import { fillRegion } from "../src/buffer/copy.ts";
import { cStrides, type NDArray, product } from "../src/buffer/ndarray.ts";
import {
  allocate,
  type DataContainer,
  type DataType,
  parseDataType,
  type Scalar,
  slotsPerElement,
  typedArrayConstructor,
} from "../src/metadata/dtype.ts";
import { ZarrTypeError } from "../src/errors.ts";
import type { WebGPUPrototype } from "./webgpu.ts";

const MAP_READ = 0x01;
const COPY_DST = 0x08;

/** Whether `dt` is held on the device as packed records (`V<n>`, structured, `S<n>`). */
function isRecordKind(dt: DataType): boolean {
  return (dt.kind === "V" || dt.kind === "S") && dt.itemsize > 0;
}

/**
 * Bytes of one element on the device, or a `ZarrTypeError` for dtypes the GPU path cannot hold
 * (strings, variable-length and object types, fixed-length unicode).
 *
 * @example
 * ```ts
 * import { elementBytes } from "./ndarray.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * console.log(elementBytes(parseDataType("complex64")), elementBytes(parseDataType("V3"))); // 8 3
 * ```
 */
export function elementBytes(dt: DataType): number {
  if (typedArrayConstructor(dt) || isRecordKind(dt)) return dt.itemsize;
  throw new ZarrTypeError(
    `dtype ${dt.str} cannot be read into GPU memory (numeric, bool, datetime, fixed-size bytes ` +
      "and structured types only)",
  );
}

/**
 * The packed bytes of the first `n` elements of a CPU container (a view for typed arrays).
 *
 * @example
 * ```ts
 * import { hostBytes } from "./ndarray.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * console.log(hostBytes(parseDataType("S3"), [Uint8Array.of(65)], 1)); // Uint8Array [65, 0, 0]
 * ```
 */
export function hostBytes(dt: DataType, data: DataContainer, n: number): Uint8Array {
  const B = elementBytes(dt);
  if (!isRecordKind(dt)) {
    const v = data as unknown as ArrayBufferView;
    return new Uint8Array(v.buffer, v.byteOffset, n * B);
  }
  const out = new Uint8Array(n * B);
  const recs = data as unknown as Uint8Array[];
  for (let i = 0; i < n; i++) {
    const r = recs[i];
    out.set(r.length > B ? r.subarray(0, B) : r, i * B);
  }
  return out;
}

/**
 * A CPU container of `n` elements from packed device bytes (copied).
 *
 * @example
 * ```ts
 * import { fromHostBytes } from "./ndarray.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * console.log(fromHostBytes(parseDataType("S3"), Uint8Array.of(65, 0, 0), 1)); // [Uint8Array [65]]
 * ```
 */
export function fromHostBytes(dt: DataType, bytes: Uint8Array, n: number): DataContainer {
  const B = elementBytes(dt);
  if (!isRecordKind(dt)) {
    const out = allocate(dt, n) as DataContainer & ArrayBufferView;
    new Uint8Array(out.buffer, out.byteOffset, n * B).set(bytes.subarray(0, n * B));
    return out;
  }
  const recs = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) {
    let end = (i + 1) * B;
    if (dt.kind === "S") { while (end > i * B && bytes[end - 1] === 0) end--; }
    recs[i] = bytes.slice(i * B, end);
  }
  return recs as unknown as DataContainer;
}

/**
 * The bytes of one element holding a container value (`fillSlots`-style: bigint for 64-bit
 * ints, `[re, im]` for complex, a `Uint8Array` for records).
 *
 * @example
 * ```ts
 * import { patternOf } from "./ndarray.ts";
 * import { parseDataType } from "../src/metadata/dtype.ts";
 * console.log(patternOf(parseDataType("int16"), -2)); // Uint8Array [254, 255]
 * ```
 */
export function patternOf(
  dt: DataType,
  value: Scalar | readonly number[] | number | bigint,
): Uint8Array {
  if (isRecordKind(dt)) return hostBytes(dt, [value as Uint8Array], 1);
  const c = allocate(dt, 1) as DataContainer & ArrayBufferView;
  fillRegion(
    c,
    [1],
    [{ start: 0, step: 1, count: 1 }],
    value as Parameters<typeof fillRegion>[3],
    slotsPerElement(dt),
  );
  return new Uint8Array(c.buffer, c.byteOffset, dt.itemsize).slice();
}

/**
 * An n-dimensional array in a WebGPU buffer, C-contiguous, in the byte layout of the module
 * docs. Reads with a WebGPU prototype return one; `setitem` and the `set*Selection` methods
 * accept one (read back, then encoded).
 *
 * @example
 * ```ts ignore
 * const g = await arr.getitem("0:10", { prototype: gpu }); // GPUNDArray
 * const host = await g.toHost();
 * g.destroy();
 * ```
 */
export class GPUNDArray {
  /** The buffer holding the elements (size rounded up to 4 bytes). */
  readonly buffer: GPUBuffer;
  /** Offset of the first element in `buffer`. */
  readonly byteOffset: number;
  /** Extent per axis. */
  readonly shape: number[];
  /** Element strides per axis. */
  readonly stride: number[];
  /** Public dtype string. */
  readonly dtype: string;
  /** The device owning `buffer`. */
  readonly device: GPUDevice;
  /** The prototype that made it (lets the array serve as a `metaArray` type hint). */
  readonly prototype: WebGPUPrototype;

  /** Wraps a buffer (normally made by the prototype). */
  constructor(
    proto: WebGPUPrototype,
    buffer: GPUBuffer,
    shape: number[],
    dtype: string,
    byteOffset = 0,
  ) {
    this.prototype = proto;
    this.device = proto.device;
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.shape = shape;
    this.stride = cStrides(shape);
    this.dtype = dtype;
  }

  /** Bytes the elements occupy. */
  get byteLength(): number {
    return product(this.shape) * parseDataType(this.dtype).itemsize;
  }

  /**
   * Copies the elements back into a CPU `NDArray` (one queue await).
   *
   * @example
   * ```ts ignore
   * const host = await g.toHost();
   * ```
   */
  async toHost(): Promise<NDArray> {
    const dt = parseDataType(this.dtype);
    const n = product(this.shape);
    const len = this.byteLength;
    let data = fromHostBytes(dt, new Uint8Array(0), 0);
    if (len > 0) {
      const padded = Math.ceil(len / 4) * 4;
      const staging = this.device.createBuffer({ size: padded, usage: MAP_READ | COPY_DST });
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(this.buffer, this.byteOffset, staging, 0, padded);
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(1 /* GPUMapMode.READ */);
      data = fromHostBytes(dt, new Uint8Array(staging.getMappedRange(0, padded), 0, len), n);
      staging.unmap();
      staging.destroy();
    }
    return {
      data,
      shape: [...this.shape],
      stride: cStrides(this.shape),
      dtype: this.dtype,
    };
  }

  /** Frees the device buffer. */
  destroy(): void {
    this.buffer.destroy();
  }
}
