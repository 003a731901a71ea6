/**
 * Error classes mirroring `zarr.errors` of zarr-python 3, all rooted at {@link ZarrError}.
 *
 * zarr-python raises a mix of Python built-ins (`ValueError`, `TypeError`, `KeyError`,
 * `FileNotFoundError`, `FileExistsError`, `IndexError`) and its own classes. Here every one of
 * them is a `ZarrError` subclass with the Python name, so `catch (e) { e instanceof ZarrError }`
 * catches everything the library raises on bad input.
 *
 * @example
 * ```ts
 * import { ArrayNotFoundError, NodeNotFoundError } from "./errors.ts";
 * const e = new ArrayNotFoundError("No array found at path 'a'");
 * console.log(e instanceof NodeNotFoundError); // true
 * ```
 * @module
 */

/** Root of every error the library raises (zarr-python's `BaseZarrError`). */
export class ZarrError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value had the wrong type (Python `TypeError`). */
export class ZarrTypeError extends ZarrError {}
/** A value was out of its domain (Python `ValueError`). */
export class ZarrValueError extends ZarrError {}
/** A key was missing from a mapping-like object (Python `KeyError`). */
export class KeyError extends ZarrError {}
/** Something exists where the operation required nothing (Python `FileExistsError`). */
export class FileExistsError extends ZarrError {}
/** Something required does not exist (Python `FileNotFoundError`). */
export class FileNotFoundError extends ZarrError {}
/** A feature zarr-python does not implement either (Python `NotImplementedError`). */
export class NotImplementedError extends ZarrError {}
/** A write was attempted on a read-only store or array. */
export class ReadOnlyError extends ZarrValueError {}

/** No node (array or group) at a path. */
export class NodeNotFoundError extends FileNotFoundError {}
/** No array at a path. */
export class ArrayNotFoundError extends NodeNotFoundError {}
/** No group at a path. */
export class GroupNotFoundError extends NodeNotFoundError {}
/** A group exists where it should not. */
export class ContainsGroupError extends ZarrError {}
/** An array exists where it should not. */
export class ContainsArrayError extends ZarrError {}
/** Both an array and a group exist at a path. */
export class ContainsArrayAndGroupError extends ZarrError {}
/** Metadata failed validation. */
export class MetadataValidationError extends ZarrError {}
/** A metadata document describes the wrong kind of node. */
export class NodeTypeValidationError extends MetadataValidationError {}
/** A codec name or id is not known. */
export class UnknownCodecError extends ZarrError {}
/** A chunk is missing and `array.read_missing_chunks` is false. */
export class ChunkNotFoundError extends ZarrError {}
/** Chunk bytes could not be decoded (corrupt, truncated or hostile input). */
export class CodecError extends ZarrError {}
/** A store key is malformed (path traversal, NUL, absolute path...). */
export class InvalidKeyError extends ZarrValueError {}

/** Indexing error (Python `IndexError`). */
export class IndexError extends ZarrError {}
/** An index is out of bounds. */
export class BoundsCheckError extends IndexError {}
/** A slice had a step zarr-python rejects. */
export class NegativeStepError extends IndexError {}
/** A vindex selection was neither coordinate nor mask. */
export class VindexInvalidSelectionError extends IndexError {}
/** An index array was invalid. */
export class ArrayIndexError extends IndexError {}

/** Categories of warnings, named like zarr-python's. */
export type WarningCategory =
  | "ZarrUserWarning"
  | "ZarrRuntimeWarning"
  | "ZarrDeprecationWarning"
  | "UnstableSpecificationWarning";

/** A warning as recorded by {@link captureWarnings}. */
export interface ZarrWarning {
  category: WarningCategory;
  message: string;
}

const captureStack: ZarrWarning[][] = [];

/**
 * Emits a warning: recorded by an active {@link captureWarnings} scope, otherwise printed to
 * stderr (unless `ZARR_SILENCE_WARNINGS` is set).
 *
 * @example
 * ```ts
 * import { warn } from "./errors.ts";
 * warn("ZarrUserWarning", "something odd");
 * ```
 */
export function warn(category: WarningCategory, message: string): void {
  const top = captureStack[captureStack.length - 1];
  if (top) {
    top.push({ category, message });
    return;
  }
  let silent = false;
  try {
    silent = Deno.env.get("ZARR_SILENCE_WARNINGS") !== undefined;
  } catch {
    silent = false;
  }
  if (!silent) console.warn(`${category}: ${message}`);
}

/**
 * Runs `fn` and returns the warnings it emitted, like Python's `warnings.catch_warnings`.
 *
 * @example
 * ```ts
 * import { captureWarnings, warn } from "./errors.ts";
 * const [, ws] = await captureWarnings(async () => warn("ZarrUserWarning", "x"));
 * console.log(ws.length); // 1
 * ```
 */
export async function captureWarnings<T>(fn: () => Promise<T> | T): Promise<[T, ZarrWarning[]]> {
  const list: ZarrWarning[] = [];
  captureStack.push(list);
  try {
    const out = await fn();
    return [out, list];
  } finally {
    const i = captureStack.lastIndexOf(list);
    if (i >= 0) captureStack.splice(i, 1);
  }
}
