/** Tests of src/group/info.ts against zarr-python's `tests/test_info.py`. */
import { strict as assert } from "node:assert";
import { formatGroupInfo } from "../../src/group/info.ts";

for (const zarrFormat of [2, 3] as const) {
  Deno.test(`test_info: test_group_info_repr (zarr_format=${zarrFormat})`, () => {
    const result = formatGroupInfo({
      name: "a",
      storeType: "MemoryStore",
      readOnly: false,
      zarrFormat,
    });
    assert.equal(
      result,
      "Name        : a\n" +
        "Type        : Group\n" +
        `Zarr format : ${zarrFormat}\n` +
        "Read-only   : False\n" +
        "Store type  : MemoryStore",
    );
  });

  Deno.test(`test_info: test_group_info_complete (zarr_format=${zarrFormat})`, () => {
    const result = formatGroupInfo({
      name: "a",
      storeType: "MemoryStore",
      zarrFormat,
      readOnly: false,
      nArrays: 10,
      nGroups: 4,
      nMembers: 14,
    });
    assert.equal(
      result,
      "Name        : a\n" +
        "Type        : Group\n" +
        `Zarr format : ${zarrFormat}\n` +
        "Read-only   : False\n" +
        "Store type  : MemoryStore\n" +
        "No. members : 14\n" +
        "No. arrays  : 10\n" +
        "No. groups  : 4",
    );
  });
}

Deno.test("formatGroupInfo: root (empty name), read-only, partial counts, zero counts", () => {
  assert.equal(
    formatGroupInfo({ name: "", zarrFormat: 3, readOnly: true, storeType: "LocalStore" }),
    "Name        : \nType        : Group\nZarr format : 3\nRead-only   : True\nStore type  : LocalStore",
  );
  const s = formatGroupInfo({
    name: "a/b",
    zarrFormat: 2,
    readOnly: false,
    storeType: "MemoryStore",
    nMembers: 0,
    nArrays: 0,
    nGroups: 0,
  });
  assert.ok(s.endsWith("No. members : 0\nNo. arrays  : 0\nNo. groups  : 0"));
  const t = formatGroupInfo({
    name: "a",
    zarrFormat: 3,
    readOnly: false,
    storeType: "MemoryStore",
    nGroups: 2,
    nMembers: null,
  });
  assert.ok(t.endsWith("Store type  : MemoryStore\nNo. groups  : 2"));
});
