/**
 * The GPU layer (`zarr.gpu`): a WebGPU buffer prototype for reads and fills on the device, and
 * {@link GPUNDArray}. Nothing under `src/` imports this module; it plugs in through the
 * prototype hooks of `src/api/meta_array.ts`.
 *
 * @example
 * ```ts ignore
 * import * as zarr from "../mod.ts";
 * const gpu = await zarr.gpu.webgpu();
 * const a = await zarr.array([1, 2, 3, 4], { dtype: "int32", chunks: [2] });
 * const g = await a.getitem("1:", { prototype: gpu }); // typed as a GPUNDArray
 * console.log((await g.toHost()).data); // Int32Array [2, 3, 4]
 * ```
 * @module
 */
export { isGPUNDArray, webgpu, WebGPUPrototype } from "./webgpu.ts";
export { GPUNDArray } from "./ndarray.ts";
export { dispatchSize, fillShader, gatherShader } from "./kernels.ts";
export { unshuffleShader } from "./unshuffle.ts";
export { planRead, ReadPlan } from "./plan.ts";
