/**
 * The WebGPU buffer prototype: reads decompress on the CPU, then the decoded (or still
 * big-endian) chunks of a batch go up in one arena with a chunk table, and one dispatch gathers
 * every chunk's selected region into the output buffer, byte-swapping and filling missing chunks
 * in the same pass.
 *
 * @example
 * ```ts ignore
 * import * as zarr from "../mod.ts";
 * const gpu = await zarr.gpu.webgpu();
 * const a = await zarr.full([1000], 7, { dtype: "int16", chunks: [100] });
 * const g = await a.getitem("10:990:3", { prototype: gpu }) as unknown as zarr.gpu.GPUNDArray;
 * console.log((await g.toHost()).data[0]); // 7
 * g.destroy();
 * ```
 * @module
 */
import type { AsyncArray } from "../src/array/array.ts";
import type { Indexer } from "../src/array/indexing/projection.ts";
import type { DimRange } from "../src/buffer/copy.ts";
import { fillRegion } from "../src/buffer/copy.ts";
import { cStrides, type NDArray, product } from "../src/buffer/ndarray.ts";
import {
  allocate,
  type DataContainer,
  type DataType,
  hasEndianness,
  isObjectKind,
  parseDataType,
  type Scalar,
  slotsPerElement,
  toContainerValue,
  typedArrayConstructor,
} from "../src/metadata/dtype.ts";
import { chunkSpecOf, fillSlots, readIndexer } from "../src/array/read.ts";
import { forEachConcurrent } from "../src/node/locks.ts";
import { ioConcurrency } from "../src/array/array.ts";
import { cpu, registerMetaArrayHandler, setDefaultDevicePrototype } from "../src/api/meta_array.ts";
import { ChunkNotFoundError, ZarrError, ZarrTypeError, ZarrValueError } from "../src/errors.ts";
import { dispatchSize, fillShader, gatherShader, HEADER, KEEP, MISSING } from "./kernels.ts";

const STORAGE = 0x80; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const MAP_READ = 0x01;

/** Bytes of one element on the device, or throws for dtypes the GPU path cannot hold. */
function elementBytes(dt: DataType): number {
  if (isObjectKind(dt) || !typedArrayConstructor(dt) || ![1, 2, 4, 8, 16].includes(dt.itemsize)) {
    throw new ZarrTypeError(`dtype ${dt.str} cannot be read into GPU memory`);
  }
  return dt.itemsize;
}

/** Byte-swap unit of a dtype stored big-endian (complex: each half). */
function swapUnit(dt: DataType): number {
  if (!hasEndianness(dt) || dt.itemsize === 1) return 0;
  return dt.kind === "complex" ? dt.itemsize / 2 : dt.itemsize;
}

/** The bytes of one element holding `value` (container slots, as reads produce them). */
function patternOf(dt: DataType, value: Scalar | readonly number[] | number | bigint): Uint8Array {
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

/** 4 u32 words of the fill pattern (B < 4: the element repeated across a word). */
function patternWords(pattern: Uint8Array): Uint32Array {
  const w = new Uint8Array(16);
  if (pattern.length < 4) { for (let i = 0; i < 4; i++) w[i] = pattern[i % pattern.length]; }
  else w.set(pattern);
  return new Uint32Array(w.buffer);
}

/**
 * An n-dimensional array in a WebGPU buffer, C-contiguous, in the same byte layout the CPU
 * `NDArray` of its dtype has (bool one byte, int64 8 bytes, complex interleaved).
 *
 * @example
 * ```ts ignore
 * const g = await proto.full([4], "float64", 1.5);
 * console.log((await g.toHost()).data); // Float64Array [1.5, 1.5, 1.5, 1.5]
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

  /** Wraps a buffer (normally made by {@link WebGPUPrototype}). */
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
    const out = allocate(dt, n) as DataContainer & ArrayBufferView;
    const len = this.byteLength;
    if (len > 0) {
      const padded = Math.ceil(len / 4) * 4;
      const staging = this.device.createBuffer({ size: padded, usage: MAP_READ | COPY_DST });
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(this.buffer, this.byteOffset, staging, 0, padded);
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(1 /* GPUMapMode.READ */);
      new Uint8Array(out.buffer, out.byteOffset, len).set(
        new Uint8Array(staging.getMappedRange(0, padded), 0, len),
      );
      staging.unmap();
      staging.destroy();
    }
    return { data: out, shape: [...this.shape], stride: cStrides(this.shape), dtype: this.dtype };
  }

  /** Frees the device buffer. */
  destroy(): void {
    this.buffer.destroy();
  }
}

interface Loaded {
  cell: number;
  bytes: Uint8Array;
}

/**
 * The WebGPU buffer prototype: pass it as `prototype` to a read, or as `metaArray` when
 * creating or opening an array. Get one with {@link webgpu}.
 */
export class WebGPUPrototype {
  /** Prototype kind. */
  readonly kind = "webgpu" as const;
  /** The device reads land on. */
  readonly device: GPUDevice;
  /** Largest arena (bytes) one batch uploads. */
  arenaBytes: number;
  #pipelines = new Map<string, GPUComputePipeline>();

  /** A prototype on a device (see {@link webgpu}). */
  constructor(device: GPUDevice) {
    this.device = device;
    this.arenaBytes = Math.min(device.limits.maxStorageBufferBindingSize, 1 << 28);
  }

  /** A compute pipeline, cached by stage chain and dtype layout. */
  pipeline(key: string, code: () => string): GPUComputePipeline {
    let p = this.#pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: code() });
      p = this.device.createComputePipeline({ layout: "auto", compute: { module } });
      this.#pipelines.set(key, p);
    }
    return p;
  }

  #outBuffer(bytes: number): GPUBuffer {
    if (bytes > this.device.limits.maxStorageBufferBindingSize) {
      throw new ZarrValueError(
        `a GPU result of ${bytes} bytes exceeds the device's storage binding limit ` +
          `(${this.device.limits.maxStorageBufferBindingSize} bytes); read smaller windows`,
      );
    }
    return this.device.createBuffer({
      size: Math.max(4, Math.ceil(bytes / 4) * 4),
      usage: STORAGE | COPY_SRC | COPY_DST,
    });
  }

  #words(data: Uint32Array<ArrayBuffer>): GPUBuffer {
    const b = this.device.createBuffer({
      size: Math.max(16, data.byteLength),
      usage: STORAGE | COPY_DST,
    });
    this.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  /** Encodes the fill of `buffer` (`nWords` words) with one element's byte pattern. */
  #encodeFill(enc: GPUCommandEncoder, buffer: GPUBuffer, bytes: number, pattern: Uint8Array) {
    if (bytes === 0) return undefined;
    const words = Math.ceil(bytes / 4);
    if (pattern.every((b) => b === 0)) {
      enc.clearBuffer(buffer, 0, words * 4);
      return undefined;
    }
    const pw = patternWords(pattern);
    const period = pattern.length < 4 ? 1 : pattern.length / 4;
    const d = dispatchSize(words);
    const params = this.#words(Uint32Array.of(words, d.pitch, period, pw[0], pw[1], pw[2], pw[3]));
    const pipe = this.pipeline("fill", fillShader);
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(
      0,
      this.device.createBindGroup({
        layout: pipe.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer } }, {
          binding: 1,
          resource: { buffer: params },
        }],
      }),
    );
    pass.dispatchWorkgroups(d.x, d.y);
    pass.end();
    return params;
  }

  /**
   * A new device array of `shape` filled with `value`, on the device (`clearBuffer` when the
   * value's bits are all zero, the fill kernel otherwise).
   *
   * @example
   * ```ts ignore
   * const g = await proto.full([2, 3], "complex64", [1, -1]);
   * ```
   */
  full(
    shape: readonly number[],
    dtype: string,
    value: Scalar | readonly number[] | number | bigint,
  ): GPUNDArray {
    const dt = parseDataType(dtype);
    const B = elementBytes(dt);
    const bytes = product(shape) * B;
    const buf = this.#outBuffer(bytes);
    const v = dt.kind === "complex" ? value : toContainerValue(dt, value as Scalar);
    const enc = this.device.createCommandEncoder();
    const params = this.#encodeFill(enc, buf, bytes, patternOf(dt, v));
    this.device.queue.submit([enc.finish()]);
    params?.destroy();
    return new GPUNDArray(this, buf, [...shape], dt.str);
  }

  /**
   * Uploads a CPU `NDArray` (C-contiguous) into a new device array.
   *
   * @example
   * ```ts ignore
   * const g = proto.upload(await arr.getitem(null));
   * ```
   */
  upload(a: NDArray): GPUNDArray {
    const dt = parseDataType(a.dtype);
    const B = elementBytes(dt);
    const bytes = product(a.shape) * B;
    const buf = this.#outBuffer(bytes);
    const view = a.data as unknown as ArrayBufferView;
    if (bytes > 0) {
      const src = new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, bytes);
      if (bytes % 4 === 0) this.device.queue.writeBuffer(buf, 0, src);
      else {
        const padded = new Uint8Array(Math.ceil(bytes / 4) * 4);
        padded.set(src);
        this.device.queue.writeBuffer(buf, 0, padded);
      }
    }
    return new GPUNDArray(this, buf, [...a.shape], dt.str);
  }

  /**
   * Reads an indexer of an array into a new {@link GPUNDArray}. Basic selections (steps, edge
   * chunks, missing chunks) go through the gather kernel; other indexers read on the CPU and
   * upload once.
   */
  async readIndexer(arrayArg: unknown, ixArg: unknown): Promise<GPUNDArray> {
    const array = arrayArg as AsyncArray;
    const ix = ixArg as Indexer;
    const dt = array.metadata.dataType;
    const B = elementBytes(dt);
    if (ix.kind !== undefined && ix.kind !== "basic") {
      const host = await readIndexer(array, ix, { prototype: cpu });
      return this.upload(host);
    }
    const outShape = ix.keepDimsShape;
    const nElems = product(ix.shape);
    const outBytes = nElems * B;
    const out = this.#outBuffer(outBytes);
    const result = new GPUNDArray(this, out, [...ix.shape], dt.str);
    if (nElems === 0) return result;
    const spec = chunkSpecOf(array);
    const chunkShape = spec.shape;
    const ndim = chunkShape.length;
    const pipe = array.pipeline;
    // big-endian `bytes` without array->array codecs: swap on the device
    const rawPath = pipe.arrayArray.length === 0 && pipe.arrayBytes.name === "bytes";
    const endian = (pipe.arrayBytes as { endian?: string | null }).endian;
    const S = rawPath && endian === "big" ? swapUnit(dt) : 0;
    const chunkBytes = product(chunkShape) * B;

    // grid box of the projections and the per-axis tables
    const projs = [...ix];
    const lo = new Array<number>(ndim).fill(Infinity);
    const hi = new Array<number>(ndim).fill(-Infinity);
    for (const p of projs) {
      for (let d = 0; d < ndim; d++) {
        lo[d] = Math.min(lo[d], p.chunkCoords[d]);
        hi[d] = Math.max(hi[d], p.chunkCoords[d]);
      }
    }
    const gridExt = lo.map((l, d) => hi[d] - l + 1);
    const gridStride = cStrides(gridExt);
    const cells = product(gridExt);
    const tables = outShape.map((n) => new Uint32Array(2 * n));
    const seen = outShape.map(() => new Set<number>());
    for (const p of projs) {
      const cs = p.chunkSelection as readonly DimRange[];
      const os = p.outSelection as readonly DimRange[];
      for (let d = 0; d < ndim; d++) {
        const c = p.chunkCoords[d];
        if (seen[d].has(c)) continue;
        seen[d].add(c);
        for (let k = 0; k < cs[d].count; k++) {
          const o = os[d].start + k * os[d].step;
          tables[d][2 * o] = c - lo[d];
          tables[d][2 * o + 1] = cs[d].start + k * cs[d].step;
        }
      }
    }

    // fetch + CPU decompression (concurrent)
    const loaded: Loaded[] = [];
    const missing: string[] = [];
    await forEachConcurrent(projs, ioConcurrency(), async (p) => {
      const key = array.chunkKey(p.chunkCoords);
      let cell = 0;
      for (let d = 0; d < ndim; d++) cell += (p.chunkCoords[d] - lo[d]) * gridStride[d];
      const stored = await array.store.get(key);
      if (stored === undefined) {
        if (!array.config.readMissingChunks) missing.push(key);
        return;
      }
      let bytes: Uint8Array | undefined;
      if (rawPath) {
        let b = stored;
        for (let i = pipe.bytesBytes.length - 1; i >= 0; i--) {
          b = await pipe.bytesBytes[i].decode(b);
        }
        if (b.byteLength === chunkBytes) bytes = b;
      }
      if (bytes === undefined) {
        // any other chain (or a size mismatch, which raises there): full CPU decode
        const chunk = await pipe.decode(stored, spec, key);
        const v = chunk.data as unknown as ArrayBufferView;
        bytes = new Uint8Array(v.buffer, v.byteOffset, chunkBytes);
        if (S) throw new ZarrError("internal: swap stage on decoded data");
      }
      loaded.push({ cell, bytes });
    });
    if (missing.length) {
      throw new ChunkNotFoundError(
        `${missing.length} chunk(s) of array ${array.name} are missing and read_missing_chunks ` +
          `is false: ${missing.slice(0, 10).join(", ")}`,
      );
    }

    // meta: header, axis records, tables, chunk table
    const tableWords = tables.reduce((s, t) => s + t.length, 0);
    const chunkTableOff = HEADER + 4 * ndim + tableWords;
    const meta = new Uint32Array(chunkTableOff + cells);
    const d0 = dispatchSize(Math.ceil(outBytes / 4));
    const fill = patternWords(patternOf(dt, fillSlots(array)));
    meta.set([Math.ceil(outBytes / 4), nElems, ndim, B, S, d0.pitch]);
    meta.set(fill, 6);
    meta[10] = chunkTableOff;
    const cStride = cStrides(chunkShape);
    let off = HEADER + 4 * ndim;
    for (let d = 0; d < ndim; d++) {
      meta.set([outShape[d], cStride[d], gridStride[d], off], HEADER + 4 * d);
      meta.set(tables[d], off);
      off += tables[d].length;
    }

    // batches of chunks under the arena budget; missing chunks filled in the first pass
    const padded = Math.ceil(chunkBytes / 4) * 4;
    const perBatch = Math.max(1, Math.floor(this.arenaBytes / padded));
    const pipeline = this.pipeline(`gather:${B}:${S}`, () => gatherShader(B, S));
    const enc = this.device.createCommandEncoder();
    const temps: GPUBuffer[] = [];
    this.device.pushErrorScope("validation");
    const nBatches = Math.max(1, Math.ceil(loaded.length / perBatch));
    for (let bi = 0; bi < nBatches; bi++) {
      const batch = loaded.slice(bi * perBatch, (bi + 1) * perBatch);
      const table = meta.subarray(chunkTableOff);
      table.fill(bi === 0 ? MISSING : KEEP);
      for (const other of loaded) table[other.cell] = KEEP;
      const arenaHost = new Uint8Array(Math.max(16, batch.length * padded));
      batch.forEach((c, i) => {
        arenaHost.set(c.bytes, i * padded);
        table[c.cell] = i * padded;
      });
      const arena = this.device.createBuffer({
        size: arenaHost.byteLength,
        usage: STORAGE | COPY_DST,
      });
      this.device.queue.writeBuffer(arena, 0, arenaHost);
      const metaBuf = this.#words(meta);
      temps.push(arena, metaBuf);
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        this.device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: arena } },
            { binding: 1, resource: { buffer: out } },
            { binding: 2, resource: { buffer: metaBuf } },
          ],
        }),
      );
      pass.dispatchWorkgroups(d0.x, d0.y);
      pass.end();
    }
    this.device.queue.submit([enc.finish()]);
    const err = await this.device.popErrorScope();
    for (const t of temps) t.destroy();
    if (err) throw new ZarrError(`WebGPU read of ${array.name} failed: ${err.message}`);
    return result;
  }
}

let handlerRegistered = false;

/**
 * A WebGPU buffer prototype on `device`, or on a new device of the default adapter. Throws a
 * `ZarrError` when WebGPU has no adapter (on Linux without a GPU, install Mesa's llvmpipe:
 * `libegl1 libgl1-mesa-dri mesa-vulkan-drivers`, and pick `DENO_WEBGPU_BACKEND=gl|vulkan`).
 * The newest prototype also becomes the one `zarr.config.enableGpu()` reads into.
 *
 * @example
 * ```ts ignore
 * import * as zarr from "../mod.ts";
 * const gpu = await zarr.gpu.webgpu();
 * const z = await zarr.zeros([100, 100], { chunks: [10, 10], metaArray: gpu });
 * const g = await z.getitem("0:50, ::2"); // a GPUNDArray at runtime
 * ```
 */
export async function webgpu(device?: GPUDevice): Promise<WebGPUPrototype> {
  if (!handlerRegistered) {
    registerMetaArrayHandler((m) => m instanceof WebGPUPrototype || m instanceof GPUNDArray);
    handlerRegistered = true;
  }
  if (!device) {
    const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    if (!adapter) {
      throw new ZarrError(
        "no WebGPU adapter: this runtime has no GPU (on Linux install Mesa's llvmpipe, " +
          "libegl1 libgl1-mesa-dri mesa-vulkan-drivers, and set DENO_WEBGPU_BACKEND=gl or vulkan)",
      );
    }
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
  }
  const proto = new WebGPUPrototype(device);
  setDefaultDevicePrototype(proto);
  return proto;
}

/** True for a {@link GPUNDArray}. */
export function isGPUNDArray(x: unknown): x is GPUNDArray {
  return x instanceof GPUNDArray;
}
