/**
 * zarr-python's `GroupInfo` text (what `group.info` / `await group.info_complete()` print).
 * Pure, no I/O. Source of truth: zarr-python `src/zarr/core/_info.py` and `tests/test_info.py`.
 *
 * @example
 * ```ts
 * import { formatGroupInfo } from "./info.ts";
 * console.log(formatGroupInfo({ name: "a", zarrFormat: 3, readOnly: false, storeType: "MemoryStore" }));
 * ```
 * @module
 */

/** The fields of zarr-python's `GroupInfo`. */
export interface GroupInfoFields {
  /**
   * `Name`: zarr-python prints the group's store path (`store_path.path`): `""` for the root,
   * `"a/b"` for a nested group.
   */
  name: string;
  /** 2 or 3. */
  zarrFormat: 2 | 3;
  /** Whether the store is read-only. */
  readOnly: boolean;
  /** Store class name, e.g. `MemoryStore`. */
  storeType: string;
  /** `No. members` (printed only when given). */
  nMembers?: number | null;
  /** `No. arrays` (printed only when given). */
  nArrays?: number | null;
  /** `No. groups` (printed only when given). */
  nGroups?: number | null;
}

/**
 * zarr-python's `repr(GroupInfo)`, exactly (no trailing newline):
 *
 * ```text
 * Name        : a
 * Type        : Group
 * Zarr format : 3
 * Read-only   : False
 * Store type  : MemoryStore
 * No. members : 14
 * No. arrays  : 10
 * No. groups  : 4
 * ```
 *
 * The three counts appear only when given (`info` of a non-consolidated group has none).
 *
 * @example
 * ```ts
 * import { formatGroupInfo } from "./info.ts";
 * const s = formatGroupInfo({
 *   name: "a", zarrFormat: 3, readOnly: false, storeType: "MemoryStore",
 *   nMembers: 14, nArrays: 10, nGroups: 4,
 * });
 * console.log(s.split("\n").length); // 8
 * ```
 */
export function formatGroupInfo(fields: GroupInfoFields): string {
  const lines = [
    `Name        : ${fields.name}`,
    `Type        : Group`,
    `Zarr format : ${fields.zarrFormat}`,
    `Read-only   : ${fields.readOnly ? "True" : "False"}`,
    `Store type  : ${fields.storeType}`,
  ];
  const given = (v: number | null | undefined): v is number => v !== undefined && v !== null;
  if (given(fields.nMembers)) lines.push(`No. members : ${fields.nMembers}`);
  if (given(fields.nArrays)) lines.push(`No. arrays  : ${fields.nArrays}`);
  if (given(fields.nGroups)) lines.push(`No. groups  : ${fields.nGroups}`);
  return lines.join("\n");
}
