/**
 * The batched, double-buffered device read. Per batch of chunks (up to the prototype's arena
 * budget): fetch and CPU-decode them concurrently into one host arena, upload it, then one
 * dispatch of the unshuffle stage (when any chunk is shuffled) and one gather (per binding
 * window of the output) cover every chunk of the batch; one submit. While the device runs batch
 * k, the CPU stages batch k+1; the only await per batch is for batch k-1's completion before
 * batch k+1 is submitted, so at most two batches are in flight and the two device arenas
 * alternate.
 *
 * @example
 * ```ts ignore
 * const g = await readToDevice(proto, array, indexer); // a GPUNDArray
 * ```
 * @module
 */
import type { AsyncArray } from "../src/array/array.ts";
import { ioConcurrency } from "../src/array/array.ts";
import type { ChunkProjection, Indexer } from "../src/array/indexing/projection.ts";
import { fillSlots, readIndexer } from "../src/array/read.ts";
import { product } from "../src/buffer/ndarray.ts";
import { forEachConcurrent } from "../src/node/locks.ts";
import { cpu } from "../src/api/meta_array.ts";
import { type ProgressOption, progressReporter } from "../src/display/progress.ts";
import { ChunkNotFoundError, ZarrError } from "../src/errors.ts";
import { dispatchSize, gatherShader, KEEP, MISSING } from "./kernels.ts";
import { type GatherLayout, gatherLayout, outputWords } from "./layout.ts";
import { elementBytes, GPUNDArray, patternOf } from "./ndarray.ts";
import { planRead, type ReadPlan } from "./plan.ts";
import { SLOT_WORDS, unshuffleShader } from "./unshuffle.ts";
import type { WebGPUPrototype } from "./webgpu.ts";

const STORAGE = 0x80;
const COPY_DST = 0x08;

/** What the last device read did (for tests and benches). */
export interface DeviceReadStats {
  /** The device stages of the array's chain (`ReadPlan.describe()`), or `"cpu+upload"`. */
  plan: string;
  /** Batches submitted. */
  batches: number;
  /** Chunks uploaded. */
  chunks: number;
  /** Chunks the unshuffle stage un-shuffled (mode not plain). */
  unshuffled: number;
  /** Missing chunks filled by the gather. */
  missing: number;
  /** Gather dispatches (binding windows over all batches). */
  dispatches: number;
}

/** What the CPU produced for one batch. */
interface StagedBatch {
  /** Chunk table of the batch (arena byte offsets, MISSING, KEEP). */
  ctab: Uint32Array<ArrayBuffer>;
  /** `[mode, typesize, blocksize]` per arena slot. */
  slots: Uint32Array<ArrayBuffer>;
  /** Chunks in the arena. */
  loaded: number;
  /** Chunks in the arena with a shuffle to undo. */
  shuffledChunks: number;
  /** Missing chunks of the batch. */
  absent: number;
  /** Whether any chunk needs the unshuffle stage. */
  shuffled: boolean;
  /** Keys of missing chunks (when `read_missing_chunks` is false). */
  missing: string[];
}

/** Per-read state shared by the batches. */
class DeviceRead {
  readonly #temps: GPUBuffer[] = [];
  readonly #arenas: GPUBuffer[] = [];
  readonly #host: Uint8Array<ArrayBuffer>;
  #unshuffled: GPUBuffer | undefined;
  readonly #padded: number;
  readonly #metaBuf: GPUBuffer;
  readonly #gather: GPUComputePipeline;

  constructor(
    readonly proto: WebGPUPrototype,
    readonly array: AsyncArray,
    readonly plan: ReadPlan,
    readonly layout: GatherLayout,
    readonly out: GPUBuffer,
    readonly perBatch: number,
  ) {
    this.#padded = Math.ceil(plan.chunkBytes / 4) * 4;
    this.#host = new Uint8Array(Math.max(16, perBatch * this.#padded));
    this.#metaBuf = this.#keep(proto.storage(layout.meta));
    const { B, S, bool } = plan;
    this.#gather = proto.pipeline(plan.gatherKey, () => gatherShader(B, S, bool));
  }

  #keep(b: GPUBuffer): GPUBuffer {
    this.#temps.push(b);
    return b;
  }

  #arena(i: number): GPUBuffer {
    while (this.#arenas.length <= i) {
      this.#arenas.push(this.#keep(this.proto.device.createBuffer({
        size: this.#host.byteLength,
        usage: STORAGE | COPY_DST,
      })));
    }
    return this.#arenas[i];
  }

  /** Fetches and CPU-decodes the chunks of one batch into the host arena. */
  async stage(batch: readonly ChunkProjection[]): Promise<StagedBatch> {
    const { array, plan, layout } = this;
    const ctab = new Uint32Array(layout.cells).fill(KEEP);
    const slots = new Uint32Array(Math.max(4, batch.length * SLOT_WORDS));
    const missing: string[] = [];
    let loaded = 0;
    let shuffledChunks = 0;
    let absent = 0;
    await forEachConcurrent(batch, ioConcurrency(), async (p) => {
      const cell = layout.cellOf(p.chunkCoords);
      const key = array.chunkKey(p.chunkCoords);
      const stored = await array.store.get(key);
      if (stored === undefined) {
        if (!array.config.readMissingChunks) {
          missing.push(`${key} (chunk ${JSON.stringify(p.chunkCoords)})`);
        }
        ctab[cell] = MISSING;
        absent++;
        return;
      }
      const st = await plan.stage(stored, key);
      const slot = loaded++;
      this.#host.set(st.bytes, slot * this.#padded);
      ctab[cell] = slot * this.#padded;
      slots.set([st.mode, st.typesize, st.blocksize], slot * SLOT_WORDS);
      if (st.mode !== 0) shuffledChunks++;
    });
    return { ctab, slots, loaded, shuffled: shuffledChunks > 0, shuffledChunks, absent, missing };
  }

  /** Uploads a staged batch and submits its stages; `k` picks the arena. Returns dispatches. */
  submit(k: number, st: StagedBatch, words: [number, number]): number {
    const { proto } = this;
    const dev = proto.device;
    const arena = this.#arena(k % 2);
    const used = st.loaded * this.#padded;
    if (used > 0) dev.queue.writeBuffer(arena, 0, this.#host, 0, used);
    const enc = dev.createCommandEncoder();
    let src = arena;
    if (st.shuffled) {
      this.#unshuffled ??= this.#keep(dev.createBuffer({
        size: this.#host.byteLength,
        usage: STORAGE | COPY_DST,
      }));
      const pipe = proto.pipeline("unshuffle", unshuffleShader);
      const n = used / 4;
      const d = dispatchSize(n);
      const table = this.#keep(proto.storage(st.slots));
      const params = this.#keep(
        proto.uniform([this.#padded / 4, n, this.plan.chunkBytes, d.pitch]),
      );
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(
        0,
        dev.createBindGroup({
          layout: pipe.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: arena, offset: 0, size: used } },
            { binding: 1, resource: { buffer: this.#unshuffled, offset: 0, size: used } },
            { binding: 2, resource: { buffer: table } },
            { binding: 4, resource: { buffer: params } },
          ],
        }),
      );
      pass.dispatchWorkgroups(d.x, d.y);
      pass.end();
      src = this.#unshuffled;
    }
    const ctab = this.#keep(proto.storage(st.ctab));
    const temps = proto.encodeWindowed(
      enc,
      this.#gather,
      [
        { binding: 0, resource: { buffer: src } },
        { binding: 2, resource: { buffer: this.#metaBuf } },
        { binding: 3, resource: { buffer: ctab } },
      ],
      this.out,
      words[0],
      words[1],
    );
    for (const t of temps) this.#keep(t);
    dev.queue.submit([enc.finish()]);
    return temps.length;
  }

  /** Frees the temporary buffers (the device keeps them alive for work already submitted). */
  release(): void {
    for (const t of this.#temps) t.destroy();
  }
}

/**
 * Reads an indexer of an array into a new `GPUNDArray` through the device stages (see the
 * module docs and `plan.ts`). Coordinate and mask selections, chains the device cannot run,
 * chunks larger than one storage binding and axes of 2^31 elements or more take the CPU read
 * path, then one upload. `progress`
 * counts chunks as their batch is submitted.
 */
export async function readToDevice(
  proto: WebGPUPrototype,
  arrayArg: unknown,
  ixArg: unknown,
  opts: { progress?: ProgressOption } = {},
): Promise<GPUNDArray> {
  const array = arrayArg as AsyncArray;
  const ix = ixArg as Indexer;
  const dt = array.metadata.dataType;
  const B = elementBytes(dt);
  const plan = planRead(array);
  const padded = Math.ceil(plan.chunkBytes / 4) * 4;
  // the kernels index array axes in i32 arithmetic: longer axes take the CPU path
  const huge = array.metadata.shape.some((n) => n >= 2 ** 31);
  if (ix.kind === "points" || !plan.onDevice || padded > proto.batchBytes || huge) {
    proto.lastRead = {
      plan: "cpu+upload",
      batches: 0,
      chunks: 0,
      unshuffled: 0,
      missing: 0,
      dispatches: 0,
    };
    return proto.upload(
      await readIndexer(array, ix, { prototype: cpu, progress: opts.progress }),
    );
  }
  const outShape = ix.keepDimsShape;
  const nElems = product(ix.shape);
  const out = proto.outBuffer(nElems * B);
  const result = new GPUNDArray(proto, out, [...ix.shape], dt.str);
  if (nElems === 0) return result;
  const projs = [...ix];
  const layout = gatherLayout(
    projs,
    outShape,
    array.metadata.chunkShape,
    plan.strides,
    patternOf(dt, fillSlots(array)),
  );
  const perBatch = Math.max(1, Math.min(projs.length, Math.floor(proto.batchBytes / padded)));
  const batches: ChunkProjection[][] = [];
  for (let i = 0; i < projs.length; i += perBatch) batches.push(projs.slice(i, i + perBatch));
  const dev = proto.device;
  const run = new DeviceRead(proto, array, plan, layout, out, perBatch);
  const stats: DeviceReadStats = {
    plan: plan.describe(),
    batches: batches.length,
    chunks: 0,
    unshuffled: 0,
    missing: 0,
    dispatches: 0,
  };
  proto.lastRead = stats;
  const prog = progressReporter(opts.progress, `read ${array.name} to GPU`);
  if (opts.progress) prog.start(projs.length);
  dev.pushErrorScope("validation");
  let failure: unknown;
  try {
    let inflight: Promise<void> | undefined;
    for (let k = 0; k < batches.length; k++) {
      const st = await run.stage(batches[k]); // overlaps the device's work on batch k-1
      if (st.missing.length) {
        throw new ChunkNotFoundError(
          `${st.missing.length} chunk(s) of array ${array.name} are missing and ` +
            `read_missing_chunks is false: ${st.missing.slice(0, 10).join(", ")}`,
        );
      }
      if (inflight) await inflight; // batch k-1 done: its arena (k+1) % 2 is free next round
      stats.dispatches += run.submit(k, st, outputWords(batches[k], outShape, B));
      stats.chunks += st.loaded;
      stats.unshuffled += st.shuffledChunks;
      stats.missing += st.absent;
      for (let i = 0; i < batches[k].length; i++) prog.tick();
      inflight = dev.queue.onSubmittedWorkDone();
      if (!proto.doubleBuffer) {
        await inflight;
        inflight = undefined;
      }
    }
  } catch (e) {
    failure = e;
  }
  const err = await dev.popErrorScope();
  run.release();
  if (failure === undefined) prog.finish();
  if (failure !== undefined) {
    out.destroy();
    throw failure;
  }
  if (err) {
    out.destroy();
    throw new ZarrError(`WebGPU read of array ${array.name} failed: ${err.message}`);
  }
  return result;
}
