/**
 * `AsyncGroup`: a Zarr group (v2 or v3) with zarr-python 3's async API: children, attributes,
 * consolidated metadata, members, tree.
 *
 * @example
 * ```ts
 * import * as zarr from "../../mod.ts";
 * const g = await zarr.group();
 * await g.createArray("x", { shape: [3], dtype: "int8" });
 * console.log(await g.keys()); // ["x"]
 * ```
 * @module
 */
import type { Store } from "../stores/types.ts";
import type {
  ArrayMetadata,
  ConsolidatedMetadata,
  GroupMetadata,
  NodeMetadata,
} from "../metadata/model.ts";
import { baseName, joinPath, nodeName, normalizePath } from "../path.ts";
import {
  ArrayNotFoundError,
  ContainsArrayError,
  ContainsGroupError,
  GroupNotFoundError,
  KeyError,
  NotImplementedError,
  ReadOnlyError,
  warn,
  ZarrTypeError,
  ZarrValueError,
} from "../errors.ts";
import {
  deleteNode,
  ensureParents,
  prepareOverwrite,
  readNodeMetadata,
  writeNodeMetadata,
} from "../node/io.ts";
import { AsyncArray } from "../array/array.ts";
import type { ArrayCreateOptions } from "../array/create.ts";
import { config } from "../config.ts";
import { buildTree, type TreeNode, type TreeRepr } from "./tree.ts";
import { formatGroupInfo } from "./info.ts";
import { parseDataType } from "../metadata/dtype.ts";
import { forEachConcurrent } from "../node/locks.ts";
import { createArrayAt, saveArrayInto } from "../array/from_data.ts";

/** A node of a hierarchy. */
export type Node = AsyncArray | AsyncGroup;

/** Options of {@link AsyncGroup.createArray}. */
export interface GroupCreateArrayOptions extends ArrayCreateOptions {
  /** Data to write (exclusive with shape and dtype). */
  data?: unknown;
}

/** A Zarr group. Open or create one with the api functions (`zarr.group`, `zarr.openGroup`). */
export class AsyncGroup {
  /** Normalized metadata. */
  metadata: GroupMetadata;
  /** The store. */
  readonly store: Store;
  /** Normalized path ("" for the root). */
  readonly path: string;

  constructor(metadata: GroupMetadata, store: Store, path: string) {
    this.metadata = metadata;
    this.store = store;
    this.path = path;
  }

  /** Opens the group at `path`; GroupNotFoundError when there is none, ContainsArrayError for an array. */
  static async open(
    store: Store,
    path = "",
    opts: { zarrFormat?: 2 | 3; useConsolidated?: boolean | string } = {},
  ): Promise<AsyncGroup> {
    if (opts.useConsolidated === true && !store.supportsConsolidatedMetadata) {
      throw new ZarrValueError(
        `The store ${store.typeName} does not support consolidated metadata.`,
      );
    }
    const meta = await readNodeMetadata(store, path, opts);
    if (!meta) {
      throw new GroupNotFoundError(
        `No group found in store ${store.typeName} at path '${nodeName(path)}'`,
      );
    }
    if (meta.nodeType === "array") {
      throw new ContainsArrayError(
        `An array exists in store ${store.typeName} at path '${nodeName(path)}'.`,
      );
    }
    return new AsyncGroup(meta, store, path);
  }

  /** Creates a group (zarr-python's `AsyncGroup.from_store`). */
  static async fromStore(
    store: Store,
    path = "",
    opts: { zarrFormat?: 2 | 3; overwrite?: boolean; attributes?: Record<string, unknown> } = {},
  ): Promise<AsyncGroup> {
    const zarrFormat = opts.zarrFormat ?? config.get<2 | 3>("default_zarr_format");
    if (store.readOnly) throw new ReadOnlyError(`cannot create a group in a read-only store`);
    await prepareOverwrite(store, path, zarrFormat, opts.overwrite ?? false);
    await ensureParents(store, path, zarrFormat);
    const meta: GroupMetadata = {
      zarrFormat,
      nodeType: "group",
      attributes: { ...(opts.attributes ?? {}) },
      consolidatedMetadata: null,
    };
    await writeNodeMetadata(store, path, meta);
    return new AsyncGroup(meta, store, path);
  }

  /** User attributes. */
  get attrs(): Record<string, unknown> {
    return this.metadata.attributes;
  }
  /** `"/" + path`. */
  get name(): string {
    return nodeName(this.path);
  }
  /** Last path segment. */
  get basename(): string {
    return baseName(this.path);
  }
  /** 2 or 3. */
  get zarrFormat(): 2 | 3 {
    return this.metadata.zarrFormat;
  }
  /** Whether the store is read-only. */
  get readOnly(): boolean {
    return this.store.readOnly;
  }

  #child(key: string): string {
    const k = normalizePath(key);
    if (k === "") throw new KeyError(`'${key}' is not a valid member name`);
    return joinPath(this.path, k);
  }

  /** Builds the node object for metadata found at an absolute path. */
  #nodeFrom(meta: NodeMetadata, path: string): Node {
    if (meta.nodeType === "array") return new AsyncArray(meta, this.store, path);
    return new AsyncGroup(meta, this.store, path);
  }

  /** Consolidated metadata restricted to the subtree at relative path `rel` (keys re-rooted). */
  #consolidatedSubtree(rel: string): ConsolidatedMetadata {
    const cm = this.metadata.consolidatedMetadata!;
    const out: Record<string, ArrayMetadata | GroupMetadata> = {};
    const prefix = rel + "/";
    for (const [k, v] of Object.entries(cm.metadata)) {
      if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    }
    return { kind: "inline", mustUnderstand: false, metadata: out };
  }

  /** The member at `key` (nested keys like "a/b" allowed); KeyError when missing. */
  async getitem(key: string): Promise<Node> {
    const path = this.#child(key);
    const rel = normalizePath(key);
    const cm = this.metadata.consolidatedMetadata;
    if (cm) {
      const m = cm.metadata[rel];
      if (!m) throw new KeyError(`'${rel}' not found in consolidated metadata.`);
      if (m.nodeType === "group") {
        const g: GroupMetadata = { ...m, consolidatedMetadata: this.#consolidatedSubtree(rel) };
        return new AsyncGroup(g, this.store, path);
      }
      return new AsyncArray(m, this.store, path);
    }
    const meta = await readNodeMetadata(this.store, path, { zarrFormat: this.zarrFormat });
    if (!meta) throw new KeyError(`'${rel}'`);
    return this.#nodeFrom(meta, path);
  }

  /** The member at `key`, or `fallback` when missing. */
  async get<T = undefined>(key: string, fallback?: T): Promise<Node | T> {
    try {
      return await this.getitem(key);
    } catch (e) {
      if (e instanceof KeyError) return fallback as T;
      throw e;
    }
  }

  /** The array at `path`: ArrayNotFoundError when missing, ContainsGroupError for a group. */
  async getArray(path: string): Promise<AsyncArray> {
    const n = await this.get(path);
    const where = `in store ${this.store.typeName} at path '${
      joinPath(this.path, normalizePath(path))
    }'`;
    if (n === undefined) throw new ArrayNotFoundError(`No array found ${where}`);
    if (n instanceof AsyncGroup) throw new ContainsGroupError(`A group exists ${where}.`);
    return n;
  }

  /** The group at `path`: GroupNotFoundError when missing, ContainsArrayError for an array. */
  async getGroup(path: string): Promise<AsyncGroup> {
    const n = await this.get(path);
    const where = `in store ${this.store.typeName} at path '${
      joinPath(this.path, normalizePath(path))
    }'`;
    if (n === undefined) throw new GroupNotFoundError(`No group found ${where}`);
    if (n instanceof AsyncArray) throw new ContainsArrayError(`An array exists ${where}.`);
    return n;
  }

  /** Whether a member exists at `key`. */
  async contains(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  /** Deletes the member at `key` (and updates consolidated metadata if present). */
  async delitem(key: string): Promise<void> {
    this.#assertWritable();
    const path = this.#child(key);
    const rel = normalizePath(key);
    await deleteNode(this.store, path);
    const cm = this.metadata.consolidatedMetadata;
    if (cm) {
      if (!(rel in cm.metadata)) throw new KeyError(`'${rel}' not found in consolidated metadata.`);
      const md = { ...cm.metadata };
      for (const k of Object.keys(md)) if (k === rel || k.startsWith(rel + "/")) delete md[k];
      this.metadata = { ...this.metadata, consolidatedMetadata: { ...cm, metadata: md } };
      await this.#saveWithConsolidated();
    }
  }

  async #saveWithConsolidated(): Promise<void> {
    // v3: inline in zarr.json; v2: .zgroup/.zattrs plus the compact .zmetadata
    await writeNodeMetadata(this.store, this.path, this.metadata);
  }

  /** Saves an array at `key`, replacing what is there (zarr-python's `group[key] = value`). */
  async setitem(key: string, value: unknown): Promise<AsyncArray> {
    return await saveArrayInto(this.store, this.#child(key), value, {
      zarrFormat: this.zarrFormat,
      overwrite: true,
    });
  }

  /** Creates a child group. */
  async createGroup(
    name: string,
    opts: { overwrite?: boolean; attributes?: Record<string, unknown> } = {},
  ): Promise<AsyncGroup> {
    this.#assertWritable();
    return await AsyncGroup.fromStore(this.store, this.#child(name), {
      ...opts,
      zarrFormat: this.zarrFormat,
    });
  }

  /** Opens the child group `name`, creating it when missing; TypeError when an array is there. */
  async requireGroup(name: string, opts: { overwrite?: boolean } = {}): Promise<AsyncGroup> {
    if (opts.overwrite) return await this.createGroup(name, { overwrite: true });
    const n = await this.get(name);
    if (n === undefined) return await this.createGroup(name);
    if (!(n instanceof AsyncGroup)) {
      throw new ZarrTypeError(`Incompatible object (${n.constructor.name}) already exists`);
    }
    return n;
  }

  /** Opens or creates several child groups. */
  async requireGroups(...names: string[]): Promise<AsyncGroup[]> {
    return await Promise.all(names.map((n) => this.requireGroup(n)));
  }

  /** Creates a child array (v2 children use zarr-python's group defaults). */
  async createArray(name: string, opts: GroupCreateArrayOptions): Promise<AsyncArray> {
    this.#assertWritable();
    return await createArrayAt(this.store, this.#child(name), {
      ...opts,
      zarrFormat: this.zarrFormat,
      fromGroup: true,
    });
  }

  /**
   * Opens the array `name` if it exists with a compatible shape and dtype, otherwise creates it.
   * TypeError for a group, a different shape, or an incompatible dtype (`exact`: equal dtypes).
   */
  async requireArray(
    name: string,
    opts: GroupCreateArrayOptions & { exact?: boolean },
  ): Promise<AsyncArray> {
    const n = await this.get(name);
    if (n === undefined) return await this.createArray(name, opts);
    if (!(n instanceof AsyncArray)) {
      throw new ZarrTypeError(`Incompatible object (${n.constructor.name}) already exists`);
    }
    const shape = typeof opts.shape === "number" ? [opts.shape] : opts.shape ?? n.shape;
    if (shape.length !== n.shape.length || shape.some((s, i) => s !== n.shape[i])) {
      throw new ZarrTypeError(`Incompatible shape (${n.shape} vs ${shape})`);
    }
    const want = parseDataType(opts.dtype ?? "float64");
    if (opts.exact) {
      if (want.str !== n.dtype) {
        throw new ZarrTypeError(`Incompatible dtype (${n.dtype} vs ${want.str})`);
      }
    } else if (!canCast(n.dataType.str, want.str)) {
      throw new ZarrTypeError(`Incompatible dtype (${n.dtype} vs ${want.str})`);
    }
    return n;
  }

  /** Array creation shortcuts with `name` first. */
  async zeros(name: string, opts: GroupCreateArrayOptions): Promise<AsyncArray> {
    return await this.createArray(name, { ...opts, fillValue: 0 });
  }
  /** Creates an array filled with ones. */
  async ones(name: string, opts: GroupCreateArrayOptions): Promise<AsyncArray> {
    return await this.createArray(name, { ...opts, fillValue: 1 });
  }
  /** Creates an array with the default fill value. */
  async empty(name: string, opts: GroupCreateArrayOptions): Promise<AsyncArray> {
    return await this.createArray(name, opts);
  }
  /** Creates an array filled with `fillValue`. */
  async full(name: string, fillValue: unknown, opts: GroupCreateArrayOptions): Promise<AsyncArray> {
    return await this.createArray(name, { ...opts, fillValue });
  }

  /**
   * Members as `[relativePath, node]` pairs: `maxDepth` 0 (default) gives immediate children,
   * `null` everything. Order is sorted by path here (zarr-python's order is unspecified).
   */
  async *members(
    opts: { maxDepth?: number | null; useConsolidatedForChildren?: boolean } = {},
  ): AsyncGenerator<[string, Node]> {
    const maxDepth = opts.maxDepth === undefined ? 0 : opts.maxDepth;
    if (maxDepth !== null && maxDepth < 0) {
      throw new ZarrValueError(`max_depth must be None or >= 0. Got '${maxDepth}' instead`);
    }
    const cm = this.metadata.consolidatedMetadata;
    if (cm) {
      const keys = Object.keys(cm.metadata).filter((k) => {
        const depth = k.split("/").length - 1;
        return maxDepth === null || depth <= maxDepth;
      });
      for (const k of keys) yield [k, await this.getitem(k)];
      return;
    }
    if (!this.store.supportsListing) {
      throw new ZarrValueError(
        `The store associated with this group (${this.store.typeName}) does not support listing.`,
      );
    }
    yield* this.#walk(this, "", 0, maxDepth, opts.useConsolidatedForChildren ?? true);
  }

  async *#walk(
    group: AsyncGroup,
    prefix: string,
    depth: number,
    maxDepth: number | null,
    useCons: boolean,
  ): AsyncGenerator<[string, Node]> {
    const names: string[] = [];
    for await (const n of group.store.listDir(group.path)) {
      if (
        n === "zarr.json" || n === ".zarray" || n === ".zattrs" || n === ".zgroup" ||
        n === ".zmetadata"
      ) continue;
      names.push(n);
    }
    names.sort();
    const found: [string, Node][] = new Array(names.length);
    await forEachConcurrent(names.keys(), config.get<number>("async.concurrency"), async (i) => {
      const p = joinPath(group.path, names[i]);
      const meta = await readNodeMetadata(group.store, p, {
        zarrFormat: group.zarrFormat,
        useConsolidated: useCons ? undefined : false,
      });
      if (!meta) {
        warn(
          "ZarrUserWarning",
          `Object at ${names[i]} is not recognized as a component of a Zarr hierarchy.`,
        );
        return;
      }
      found[i] = [joinPath(prefix, names[i]), group.#nodeFrom(meta, p)];
    });
    for (const entry of found) {
      if (!entry) continue;
      yield entry;
      const [rel, node] = entry;
      if (node instanceof AsyncGroup && (maxDepth === null || depth < maxDepth)) {
        if (node.metadata.consolidatedMetadata && useCons) {
          for (const [k, m] of Object.entries(node.metadata.consolidatedMetadata.metadata)) {
            const d = depth + 1 + k.split("/").length - 1;
            if (maxDepth !== null && d > maxDepth) continue;
            yield [joinPath(rel, k), node.#nodeFrom(m, joinPath(node.path, k))];
          }
        } else {
          yield* this.#walk(node, rel, depth + 1, maxDepth, useCons);
        }
      }
    }
  }

  /** Immediate member names, sorted. */
  async keys(): Promise<string[]> {
    const out: string[] = [];
    for await (const [k] of this.members()) out.push(k);
    return out;
  }
  /** Immediate child arrays. */
  async arrays(): Promise<[string, AsyncArray][]> {
    const out: [string, AsyncArray][] = [];
    for await (const [k, v] of this.members()) if (v instanceof AsyncArray) out.push([k, v]);
    return out;
  }
  /** Immediate child groups. */
  async groups(): Promise<[string, AsyncGroup][]> {
    const out: [string, AsyncGroup][] = [];
    for await (const [k, v] of this.members()) if (v instanceof AsyncGroup) out.push([k, v]);
    return out;
  }
  /** Names of child arrays. */
  async arrayKeys(): Promise<string[]> {
    return (await this.arrays()).map(([k]) => k);
  }
  /** Names of child groups. */
  async groupKeys(): Promise<string[]> {
    return (await this.groups()).map(([k]) => k);
  }
  /** Number of members down to `maxDepth` (default 0: immediate children). */
  async nmembers(maxDepth: number | null = 0): Promise<number> {
    if (maxDepth !== null && maxDepth < 0) {
      throw new ZarrValueError(`max_depth must be None or >= 0. Got '${maxDepth}' instead`);
    }
    const cm = this.metadata.consolidatedMetadata;
    if (cm) {
      return Object.keys(cm.metadata).filter((k) =>
        maxDepth === null || k.split("/").length - 1 <= maxDepth
      ).length;
    }
    let n = 0;
    for await (const _ of this.members({ maxDepth })) n++;
    return n;
  }

  /** Merges `attrs` into the attributes and saves; returns this group. */
  async updateAttributes(attrs: Record<string, unknown>): Promise<AsyncGroup> {
    this.#assertWritable();
    this.metadata = { ...this.metadata, attributes: { ...this.metadata.attributes, ...attrs } };
    await writeNodeMetadata(this.store, this.path, this.metadata);
    return this;
  }

  /**
   * The hierarchy as a {@link TreeRepr}: `level` limits depth (0 = immediate children),
   * `maxNodes` truncates (default 500).
   */
  async tree(
    opts: { level?: number | null; maxNodes?: number; expand?: unknown; plain?: boolean } = {},
  ): Promise<TreeRepr> {
    if (opts.expand !== undefined && opts.expand !== null) {
      throw new NotImplementedError("'expand' is not yet implemented.");
    }
    const maxNodes = opts.maxNodes ?? 500;
    const nodes: TreeNode[] = [];
    let truncated = false;
    for await (const [k, v] of this.members({ maxDepth: opts.level ?? null })) {
      if (nodes.length >= maxNodes) {
        truncated = true;
        break;
      }
      nodes.push(
        v instanceof AsyncArray
          ? {
            path: k,
            kind: "array",
            shape: v.shape,
            dtype: v.dtype,
            zarrFormat: v.zarrFormat,
            chunks: v.chunks,
            attrs: v.attrs,
          }
          : { path: k, kind: "group", zarrFormat: v.zarrFormat, attrs: v.attrs },
      );
    }
    // the root's own attributes (a "" node is not a member: it does not count against maxNodes)
    nodes.unshift({ path: "", kind: "group", zarrFormat: this.zarrFormat, attrs: this.attrs });
    let bold = false;
    try {
      bold = !opts.plain && Deno.stdout.isTerminal();
    } catch {
      bold = false;
    }
    return buildTree(this.name, nodes, { maxNodes, truncated, bold, plain: opts.plain });
  }

  /** zarr-python's `info` text (member counts only when consolidated). */
  info(): string {
    const cm = this.metadata.consolidatedMetadata;
    const fields: Parameters<typeof formatGroupInfo>[0] = {
      name: this.path,
      zarrFormat: this.zarrFormat,
      readOnly: this.readOnly,
      storeType: this.store.typeName,
    };
    if (cm) {
      const vals = Object.values(cm.metadata);
      fields.nMembers = vals.length;
      fields.nArrays = vals.filter((m) => m.nodeType === "array").length;
      fields.nGroups = vals.filter((m) => m.nodeType === "group").length;
    }
    return formatGroupInfo(fields);
  }

  /** zarr-python's `info_complete()`: counts every member. */
  async infoComplete(): Promise<string> {
    let nArrays = 0, nGroups = 0;
    for await (const [, v] of this.members({ maxDepth: null })) {
      if (v instanceof AsyncArray) nArrays++;
      else nGroups++;
    }
    return formatGroupInfo({
      name: this.path,
      zarrFormat: this.zarrFormat,
      readOnly: this.readOnly,
      storeType: this.store.typeName,
      nMembers: nArrays + nGroups,
      nArrays,
      nGroups,
    });
  }

  #assertWritable(): void {
    if (this.store.readOnly) throw new ReadOnlyError(`group ${this.name} is read-only`);
  }

  toString(): string {
    return `<AsyncGroup ${this.store.typeName}://${this.path}>`;
  }
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
  /** Jupyter display: the tree of this group (async: the kernel awaits it). */
  async [Symbol.for("Jupyter.display")](): Promise<Record<string, unknown>> {
    const t = await this.tree({ plain: true });
    return t.jupyterDisplay();
  }
}

/** numpy's `can_cast(from, to)` with safe casting, for the numeric types; equality otherwise. */
export function canCast(from: string, to: string): boolean {
  if (from === to) return true;
  const a = parseDataType(from), b = parseDataType(to);
  const rank: Record<string, number> = { bool: 0, uint: 1, int: 1, float: 2, complex: 3 };
  if (!(a.kind in rank) || !(b.kind in rank)) return false;
  if (a.kind === "bool") return true;
  if (rank[b.kind] < rank[a.kind] || b.kind === "bool") return false;
  // the exact capacity of b's integer or mantissa part, in bytes of a's kind
  const real = b.kind === "complex" ? b.itemsize / 2 : b.itemsize;
  if (a.kind === "int" || a.kind === "uint") {
    if (b.kind === "uint") return a.kind === "uint" && real >= a.itemsize;
    if (b.kind === "int") return a.kind === "int" ? real >= a.itemsize : real > a.itemsize;
    return real >= 2 * a.itemsize || (a.itemsize === 8 && real === 8);
  }
  return real >= (a.kind === "complex" ? a.itemsize / 2 : a.itemsize);
}
