/**
 * The WebGPU buffer prototype: reads decompress on the CPU, the chunks of a batch go up in one
 * arena, and one dispatch per stage (blosc unshuffle, then the gather with byte swap, transpose
 * and fill folded in) covers every chunk of the batch. Batches are double-buffered: the CPU
 * stages batch k+1 while the device runs batch k (one submit and one await per batch). Results
 * larger than the device's storage-binding limit are written through several binding windows.
 *
 * @example
 * ```ts ignore
 * import * as zarr from "../mod.ts";
 * const gpu = await zarr.gpu.webgpu();
 * const a = await zarr.full([1000], 7, { dtype: "int16", chunks: [100] });
 * const g = await a.getitem("10:990:3", { prototype: gpu }); // a GPUNDArray
 * console.log((await g.toHost()).data[0]); // 7
 * g.destroy();
 * ```
 * @module
 */
import type { NDArray } from "../src/buffer/ndarray.ts";
import { product } from "../src/buffer/ndarray.ts";
import { parseDataType, type Scalar, toContainerValue } from "../src/metadata/dtype.ts";
import { registerMetaArrayHandler, setDefaultDevicePrototype } from "../src/api/meta_array.ts";
import { ZarrError, ZarrValueError } from "../src/errors.ts";
import { dispatchSize, fillShader } from "./kernels.ts";
import { type BindingWindow, bindingWindows } from "./layout.ts";
import { elementBytes, GPUNDArray, hostBytes, patternOf } from "./ndarray.ts";
import { type DeviceReadStats, readToDevice } from "./read.ts";
import type { ProgressOption } from "../src/display/progress.ts";

export { GPUNDArray } from "./ndarray.ts";

const STORAGE = 0x80; // GPUBufferUsage.STORAGE
const UNIFORM = 0x40;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;

/** Default batch (arena) budget: large enough to amortize a submit, small enough to pipeline. */
const DEFAULT_ARENA = 32 << 20;

/** `[period, pattern words...]` for a fill kernel: the element repeated over lcm(B, 4) bytes. */
function periodicPattern(pattern: Uint8Array): Uint32Array<ArrayBuffer> {
  const B = pattern.length;
  let g = 4;
  for (let a = B, b = 4; b;) [a, b] = [b, a % b], g = a;
  const bytes = (B * 4) / g;
  const out = new Uint32Array(1 + bytes / 4);
  out[0] = bytes / 4;
  const u8 = new Uint8Array(out.buffer, 4);
  for (let i = 0; i < bytes; i++) u8[i] = pattern[i % B];
  return out;
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
  /** Largest arena (bytes) one batch uploads; clipped to {@link maxBindingBytes}. */
  arenaBytes: number;
  /**
   * Whether CPU staging of batch k+1 overlaps device work on batch k (default). `false` runs
   * each batch to completion before staging the next (for comparison).
   */
  doubleBuffer = true;
  /** What the last read through this prototype did (batches, chunks, stages). */
  lastRead: DeviceReadStats | undefined;
  #maxBinding: number;
  #pipelines = new Map<string, GPUComputePipeline>();

  /** A prototype on a device (see {@link webgpu}). */
  constructor(device: GPUDevice) {
    this.device = device;
    this.#maxBinding = device.limits.maxStorageBufferBindingSize;
    this.arenaBytes = Math.min(this.#maxBinding, DEFAULT_ARENA);
  }

  /**
   * Largest storage binding (bytes) a dispatch uses: the device limit, or less (set it lower
   * to exercise the split paths cheaply in tests).
   */
  get maxBindingBytes(): number {
    return this.#maxBinding;
  }
  set maxBindingBytes(v: number) {
    const lim = this.device.limits.maxStorageBufferBindingSize;
    if (!Number.isInteger(v) || v < 1024 || v > lim) {
      throw new ZarrValueError(`maxBindingBytes must be an integer in [1024, ${lim}], got ${v}`);
    }
    this.#maxBinding = v;
  }

  /** The batch budget in effect: {@link arenaBytes} within the binding limit. */
  get batchBytes(): number {
    return Math.max(4, Math.min(this.arenaBytes, this.#maxBinding));
  }

  /** Keys of the compiled pipelines (stage and dtype layout). */
  get pipelineKeys(): string[] {
    return [...this.#pipelines.keys()];
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

  /** A zeroed output buffer of `bytes` (rounded up to words); the device's buffer limit holds. */
  outBuffer(bytes: number): GPUBuffer {
    const max = Math.min(this.device.limits.maxBufferSize, 2 ** 32 - 4);
    if (bytes > max) {
      throw new ZarrValueError(
        `a GPU result of ${bytes} bytes exceeds the device's buffer size limit (${max} bytes); ` +
          "read smaller windows",
      );
    }
    return this.device.createBuffer({
      size: Math.max(4, Math.ceil(bytes / 4) * 4),
      usage: STORAGE | COPY_SRC | COPY_DST,
    });
  }

  /** A read-only storage buffer holding `data` (at least 16 bytes). */
  storage(data: Uint32Array<ArrayBuffer>): GPUBuffer {
    const b = this.device.createBuffer({
      size: Math.max(16, data.byteLength),
      usage: STORAGE | COPY_DST,
    });
    this.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  /** A 16-byte uniform buffer of 4 words. */
  uniform(words: readonly number[]): GPUBuffer {
    const b = this.device.createBuffer({ size: 16, usage: UNIFORM | COPY_DST });
    this.device.queue.writeBuffer(b, 0, Uint32Array.from(words));
    return b;
  }

  /**
   * Encodes a windowed kernel over output words `[first, end)` of `out`: one dispatch per
   * binding window, the window bound at binding 1 and `(first, count, base, pitch)` at binding
   * 4. Returns the uniform buffers to free once the work is submitted.
   */
  encodeWindowed(
    enc: GPUCommandEncoder,
    pipeline: GPUComputePipeline,
    entries: GPUBindGroupEntry[],
    out: GPUBuffer,
    first: number,
    end: number,
  ): GPUBuffer[] {
    const temps: GPUBuffer[] = [];
    const align = this.device.limits.minStorageBufferOffsetAlignment;
    const wins: BindingWindow[] = bindingWindows(first, end, this.#maxBinding, align);
    for (const w of wins) {
      const d = dispatchSize(w.count);
      const params = this.uniform([w.first, w.count, w.base, d.pitch]);
      temps.push(params);
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        this.device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            ...entries,
            {
              binding: 1,
              resource: { buffer: out, offset: w.base * 4, size: (w.first + w.count - w.base) * 4 },
            },
            { binding: 4, resource: { buffer: params } },
          ],
        }),
      );
      pass.dispatchWorkgroups(d.x, d.y);
      pass.end();
    }
    return temps;
  }

  /** Encodes filling the first `bytes` of `buffer` with one element's byte pattern. */
  encodeFill(
    enc: GPUCommandEncoder,
    buffer: GPUBuffer,
    bytes: number,
    pattern: Uint8Array,
  ): GPUBuffer[] {
    if (bytes === 0) return [];
    const words = Math.ceil(bytes / 4);
    if (pattern.every((b) => b === 0)) {
      enc.clearBuffer(buffer, 0, words * 4);
      return [];
    }
    const pat = this.storage(periodicPattern(pattern));
    const pipe = this.pipeline("fill", fillShader);
    const temps = this.encodeWindowed(
      enc,
      pipe,
      [{ binding: 2, resource: { buffer: pat } }],
      buffer,
      0,
      words,
    );
    return [pat, ...temps];
  }

  /**
   * A new device array of `shape` filled with `value`, on the device (`clearBuffer` when the
   * value's bits are all zero, the fill kernel otherwise).
   *
   * @example
   * ```ts ignore
   * const g = proto.full([2, 3], "complex64", [1, -1]);
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
    const buf = this.outBuffer(bytes);
    const v = dt.kind === "complex" ? value : toContainerValue(dt, value as Scalar);
    const enc = this.device.createCommandEncoder();
    const temps = this.encodeFill(enc, buf, bytes, patternOf(dt, v));
    this.device.queue.submit([enc.finish()]);
    for (const t of temps) t.destroy();
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
    const n = product(a.shape);
    const bytes = n * elementBytes(dt);
    const buf = this.outBuffer(bytes);
    if (bytes > 0) {
      const src = hostBytes(dt, a.data, n) as Uint8Array<ArrayBuffer>;
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
   * Reads an indexer of an array into a new {@link GPUNDArray}. Basic, block and orthogonal
   * selections decode through the device stages; coordinate and mask selections (and chunks
   * too large for one binding) read on the CPU and upload once. `opts.progress` reports chunks
   * as in CPU reads.
   */
  readIndexer(
    array: unknown,
    indexer: unknown,
    opts?: { progress?: ProgressOption },
  ): Promise<GPUNDArray> {
    return readToDevice(this, array, indexer, opts);
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

/**
 * True for a {@link GPUNDArray}.
 *
 * @example
 * ```ts
 * import { isGPUNDArray } from "./webgpu.ts";
 * console.log(isGPUNDArray(new Float32Array(2))); // false
 * ```
 */
export function isGPUNDArray(x: unknown): x is GPUNDArray {
  return x instanceof GPUNDArray;
}
