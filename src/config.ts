/**
 * Runtime configuration with zarr-python's dotted keys and defaults, overridable from the
 * environment (`ZARR_ARRAY__ORDER=F`, `__` for nesting) and per call with `config.set`.
 *
 * @example
 * ```ts
 * import { config } from "./config.ts";
 * config.set({ "array.write_empty_chunks": true });
 * console.log(config.get("array.write_empty_chunks")); // true
 * config.reset();
 * ```
 * @module
 */
import { ZarrValueError } from "./errors.ts";

/** The default configuration, as asserted by zarr-python's `test_config_defaults_set`. */
export const DEFAULT_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
  default_zarr_format: 3,
  "array.order": "C",
  "array.write_empty_chunks": false,
  "array.read_missing_chunks": true,
  "array.target_shard_size_bytes": null,
  "array.rectilinear_chunks": false,
  "array.sharding_coalesce_max_gap_bytes": 1048576,
  "array.sharding_coalesce_max_bytes": 16777216,
  "async.concurrency": 10,
  "async.timeout": null,
  "threading.max_workers": null,
  json_indent: 2,
  "codec_pipeline.path": "zarr.core.codec_pipeline.BatchedCodecPipeline",
  "codec_pipeline.batch_size": 1,
  "codec_pipeline.max_workers": null,
  buffer: "zarr.buffer.cpu.Buffer",
  ndbuffer: "zarr.buffer.cpu.NDBuffer",
});

function fromEnv(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let env: Record<string, string> = {};
  try {
    env = Deno.env.toObject();
  } catch {
    return out;
  }
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith("ZARR_") || k === "ZARR_FIXTURES" || k === "ZARR_SILENCE_WARNINGS") continue;
    const key = k.slice(5).toLowerCase().split("__").join(".");
    if (!(key in DEFAULT_CONFIG)) continue;
    let val: unknown = v;
    try {
      val = JSON.parse(v);
    } catch {
      val = v;
    }
    out[key] = val;
  }
  return out;
}

class Config {
  #values: Record<string, unknown> = { ...DEFAULT_CONFIG, ...fromEnv() };

  /** Reads a key (dotted form). Unknown keys throw unless a default is given. */
  get<T = unknown>(key: string, fallback?: T): T {
    if (key in this.#values) return this.#values[key] as T;
    // nested lookup: "array" returns an object of its subkeys
    const prefix = key + ".";
    const sub: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.#values)) {
      if (k.startsWith(prefix)) sub[k.slice(prefix.length)] = v;
    }
    if (Object.keys(sub).length) return sub as T;
    if (arguments.length > 1) return fallback as T;
    throw new ZarrValueError(`unknown config key '${key}'`);
  }

  /**
   * Sets keys; returns a disposable that restores the previous values
   * (`using _ = config.set({...})`).
   */
  set(values: Record<string, unknown>): { [Symbol.dispose](): void; restore(): void } {
    const prev: Record<string, unknown> = {};
    const flat: Record<string, unknown> = {};
    const flatten = (obj: Record<string, unknown>, pre: string) => {
      for (const [k, v] of Object.entries(obj)) {
        const key = pre ? `${pre}.${k}` : k;
        if (v && typeof v === "object" && !Array.isArray(v) && !(key in DEFAULT_CONFIG)) {
          flatten(v as Record<string, unknown>, key);
        } else flat[key] = v;
      }
    };
    flatten(values, "");
    for (const [k, v] of Object.entries(flat)) {
      prev[k] = this.#values[k];
      this.#values[k] = v;
    }
    const restore = () => {
      for (const [k, v] of Object.entries(prev)) {
        if (v === undefined) delete this.#values[k];
        else this.#values[k] = v;
      }
    };
    return { restore, [Symbol.dispose]: restore };
  }

  /** Restores the defaults (and environment overrides). */
  reset(): void {
    this.#values = { ...DEFAULT_CONFIG, ...fromEnv() };
  }

  /** A copy of every key. */
  toJSON(): Record<string, unknown> {
    return { ...this.#values };
  }

  /** Mirrors `zarr.config.enable_gpu()`: reads land in GPU buffers (needs the gpu module). */
  enableGpu(): { [Symbol.dispose](): void; restore(): void } {
    return this.set({ buffer: "webgpu", ndbuffer: "webgpu" });
  }
}

/** The process-wide configuration. */
export const config: Config = new Config();

/** Per-array runtime configuration (zarr-python's `ArrayConfig`). */
export interface ArrayConfig {
  order: "C" | "F";
  writeEmptyChunks: boolean;
  readMissingChunks: boolean;
}

/** Parses a user `config` option (camelCase or zarr-python keys) over the global defaults. */
export function arrayConfigFrom(cfg?: Record<string, unknown>): ArrayConfig {
  const c = cfg ?? {};
  const pick = (a: string, b: string, key: string) => c[a] ?? c[b] ?? config.get(key);
  const order = pick("order", "order", "array.order");
  if (order !== "C" && order !== "F") throw new ZarrValueError(`invalid order '${order}'`);
  return {
    order,
    writeEmptyChunks: Boolean(
      pick("writeEmptyChunks", "write_empty_chunks", "array.write_empty_chunks"),
    ),
    readMissingChunks: Boolean(
      pick("readMissingChunks", "read_missing_chunks", "array.read_missing_chunks"),
    ),
  };
}
