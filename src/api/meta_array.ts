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
import { ZarrTypeError } from "../errors.ts";

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
