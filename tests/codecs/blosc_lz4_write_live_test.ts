/**
 * Live check of the blosc write path against c-blosc (Debian numcodecs 0.11, `/usr/bin/python3`):
 * a large noisy float32 chunk (the benchmark's 512x512 field) encoded by our blosc lz4 + shuffle
 * decodes in c-blosc to exactly the same bytes, with `bloscCompress` and with
 * `bloscCompressInto` writing into a `SharedArrayBuffer`; our encoded size stays within 2% of
 * c-blosc's for the same settings (both sizes printed). Skips when numcodecs is missing (fails
 * under CI=true).
 */
import assert from "node:assert/strict";
import { PYTHON, pythonAvailable } from "../python.ts";
import {
  bloscCompress,
  bloscCompressInto,
  bloscDecompress,
  bloscMaxCompressedSize,
} from "../../src/codecs/blosc/mod.ts";

const ignore = !pythonAvailable(
  "blosc lz4 write live",
  "import numcodecs; from numcodecs import blosc",
);

/** The benchmark's field (sin x cos plus noise) over a 512x512 float32 chunk. */
function benchChunk(): Float32Array {
  const n = 512;
  const d = new Float32Array(n * n);
  let s = 12345;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      s = (s * 1103515245 + 12345) >>> 0;
      d[r * n + c] = Math.sin(r / 97) * Math.cos(c / 131) * 100 + (s / 2 ** 32 - 0.5) * 0.01;
    }
  }
  return d;
}

const SCRIPT = `
import json, sys
import numpy as np
from numcodecs import blosc
d = sys.argv[1]
raw = open(d + "/raw", "rb").read()
out = {}
for name in ["ours", "into"]:
    try:
        out[name] = bytes(blosc.decompress(open(d + "/" + name, "rb").read())) == raw
    except Exception as e:
        out[name] = repr(e)
arr = np.frombuffer(raw, dtype="<f4")
out["theirs"] = len(blosc.compress(arr, b"lz4", 5, 1, 0))
print(json.dumps(out))
`;

Deno.test({
  name: "blosc lz4 write live: c-blosc decodes our large noisy float32 chunk exactly",
  ignore,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-blosc-w-" });
    try {
      const raw = new Uint8Array(benchChunk().buffer);
      const opts = { cname: "lz4" as const, clevel: 5, shuffle: 1 as const, typesize: 4 };
      const ours = bloscCompress(raw, opts);
      const shared = new Uint8Array(
        new SharedArrayBuffer(bloscMaxCompressedSize(raw.length) + 8),
        8,
      );
      const n = bloscCompressInto(raw, opts, shared);
      assert.deepEqual(shared.slice(0, n), ours, "same bytes into a shared buffer");
      assert.deepEqual(bloscDecompress(ours), raw);
      await Deno.writeFile(`${dir}/raw`, raw);
      await Deno.writeFile(`${dir}/ours`, ours);
      await Deno.writeFile(`${dir}/into`, shared.slice(0, n));
      const r = await new Deno.Command(PYTHON, { args: ["-c", SCRIPT, dir] }).output();
      assert.ok(r.success, new TextDecoder().decode(r.stderr));
      const res = JSON.parse(new TextDecoder().decode(r.stdout));
      assert.equal(res.ours, true, `c-blosc decoding ours: ${res.ours}`);
      assert.equal(res.into, true, `c-blosc decoding ours (shared): ${res.into}`);
      const theirs = res.theirs as number;
      console.log(
        `blosc lz4 clevel 5 shuffle, 1 MiB chunk: ours ${ours.length} B, c-blosc ${theirs} B`,
      );
      assert.ok(ours.length <= theirs * 1.02, `ours ${ours.length} vs c-blosc ${theirs}`);
      assert.ok(ours.length < raw.length * 0.8, "it compresses");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
