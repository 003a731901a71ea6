/**
 * Registers `sharding_indexed` with the codec registry (imported by `builtins.ts`). Sharding has
 * no Zarr v2 form, so no v2 factory is registered.
 *
 * @example
 * ```ts
 * import "./register_sharding.ts";
 * import { registeredCodecs } from "./registry.ts";
 * console.log(registeredCodecs().includes("sharding_indexed")); // true
 * ```
 * @module
 */
import { registerCodec } from "./registry.ts";
import { ShardingCodec } from "./sharding/codec.ts";

registerCodec("sharding_indexed", (m, ctx) => ShardingCodec.fromMetadata(m, ctx));
