/**
 * `metaArray` handling on the CPU side: `zarr.cpu` (or nothing) selects CPU typed arrays. GPU
 * prototypes plug in from `gpu/` through {@link registerMetaArrayHandler}.
 *
 * @example
 * ```ts
 * import { checkMetaArray, cpu } from "./meta_array.ts";
 * checkMetaArray(cpu); // fine
 * ```
 * @module
 */
import { ZarrError, ZarrTypeError } from "../errors.ts";

/** The CPU buffer prototype: reads land in typed arrays. */
export const cpu: { readonly kind: "cpu" } = Object.freeze({ kind: "cpu" as const });

type Handler = (metaArray: unknown) => boolean;
const handlers: Handler[] = [];

/** Lets another module (the GPU backend) accept its own metaArray values. */
export function registerMetaArrayHandler(h: Handler): void {
  handlers.push(h);
}

/** Validates a metaArray option. */
export function checkMetaArray(metaArray: unknown): void {
  if (metaArray === undefined || metaArray === null || metaArray === cpu) return;
  if ((metaArray as { kind?: unknown }).kind === "cpu") return;
  if (ArrayBuffer.isView(metaArray)) return; // a CPU array used as a type hint
  if (handlers.some((h) => h(metaArray))) return;
  throw new ZarrTypeError(
    "metaArray must be zarr.cpu, a typed array, or a GPU prototype from the gpu module",
  );
}

// --- device prototypes (issue 5): the gpu module plugs its WebGPU prototype in here ---

/**
 * A non-CPU buffer prototype (the gpu module's WebGPU one): it reads an indexer itself into its
 * array type `R` (a `GPUNDArray`).
 */
export interface DevicePrototype<R = unknown> {
  /** Prototype kind (`"webgpu"`). */
  readonly kind: string;
  /** Reads an indexer of an array into device memory (`opts`: the read's `ReadOptions`). */
  readIndexer(array: unknown, indexer: unknown, opts?: { progress?: unknown }): Promise<R>;
}

/**
 * What a per-call `prototype` may be to read onto a device: the device prototype, or a device
 * array (which carries its prototype) as a type hint. Reads given one resolve to `R`.
 *
 * @example
 * ```ts ignore
 * const g = await arr.getitem(null, { prototype: gpu }); // GPUNDArray, no cast
 * const h = await arr.getitem("0:2", { prototype: g }); // GPUNDArray as well
 * ```
 */
export type DeviceTarget<R> = DevicePrototype<R> | { readonly prototype: DevicePrototype<R> };

let defaultDevice: DevicePrototype | undefined;

/** Sets the prototype `zarr.config.enableGpu()` reads into (the last `zarr.gpu.webgpu()`). */
export function setDefaultDevicePrototype(p: DevicePrototype | undefined): void {
  defaultDevice = p;
}

function asDevice(p: unknown): DevicePrototype | undefined {
  if (p === null || typeof p !== "object") return undefined;
  if (typeof (p as DevicePrototype).readIndexer === "function") return p as DevicePrototype;
  // a GPUNDArray used as a type hint carries its prototype
  const inner = (p as { prototype?: unknown }).prototype;
  if (inner && typeof (inner as DevicePrototype).readIndexer === "function") {
    return inner as DevicePrototype;
  }
  return undefined;
}

/**
 * The device prototype a read goes through: the per-call `prototype`, else the array's
 * `metaArray`, else the default one when `config.buffer` is `"webgpu"` (`enableGpu()`); `undefined`
 * means the CPU path.
 *
 * @example
 * ```ts
 * import { cpu, resolveDevicePrototype } from "./meta_array.ts";
 * console.log(resolveDevicePrototype(cpu, undefined, "webgpu")); // undefined
 * ```
 */
export function resolveDevicePrototype(
  perCall: unknown,
  metaArray: unknown,
  configBuffer: unknown,
): DevicePrototype | undefined {
  const p = perCall ?? metaArray;
  if (p !== undefined && p !== null) return asDevice(p);
  if (configBuffer === "webgpu") {
    if (!defaultDevice) {
      throw new ZarrError(
        "config.enableGpu() is on but no GPU prototype exists: call `await zarr.gpu.webgpu()` first",
      );
    }
    return defaultDevice;
  }
  return undefined;
}

/** Records a validated `metaArray` on a new or opened array; returns the array. */
export function withMetaArray<T extends object>(array: T, metaArray: unknown): T {
  if (metaArray !== undefined && metaArray !== null) {
    (array as { metaArray?: unknown }).metaArray = metaArray;
  }
  return array;
}

/** A value for a write: a device array (anything with `toHost()`, e.g. a GPUNDArray) is read back. */
export async function hostValue(value: unknown): Promise<unknown> {
  if (
    value !== null && typeof value === "object" &&
    typeof (value as { toHost?: unknown }).toHost === "function" && "device" in value
  ) {
    return await (value as unknown as { toHost(): Promise<unknown> }).toHost();
  }
  return value;
}
