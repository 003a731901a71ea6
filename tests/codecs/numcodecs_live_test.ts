/**
 * Live interop with numcodecs (Debian's python3-numcodecs, run with /usr/bin/python3): buffers we
 * encode decode in numcodecs and buffers numcodecs encodes decode here, for zlib, gzip, zstd
 * (with and without checksum), vlen-utf8 and vlen-bytes. Skips when numcodecs is missing (fails
 * under CI=true).
 */
import "../../src/codecs/builtins.ts";
import { PYTHON, pythonAvailable } from "../python.ts";
import assert from "node:assert/strict";
import { codecFromV2, hasV2Form } from "../../src/codecs/registry.ts";
import type { ArrayBytesCodec, BytesBytesCodec, V2CodecConfig } from "../../src/codecs/types.ts";
import { parseDataType } from "../../src/metadata/dtype.ts";

const PY = PYTHON;

const ignore = !pythonAvailable("numcodecs live interop", "import numcodecs");

const SCRIPT = `
import json, sys, numcodecs, numpy as np
d = sys.argv[1]
cases = json.load(open(d + "/cases.json"))
out = {}
for i, c in enumerate(cases):
    codec = numcodecs.get_codec(dict(c["config"]))
    ours = open(f"{d}/ours{i}", "rb").read()
    if c["kind"] == "bytes":
        raw = open(f"{d}/raw{i}", "rb").read()
        ok = bytes(codec.decode(ours)) == raw
        theirs = codec.encode(np.frombuffer(raw, dtype="u1"))
    elif c["kind"] == "utf8":
        items = c["items"]
        ok = list(codec.decode(ours)) == items
        theirs = codec.encode(np.array(items, dtype=object))
    else:
        items = [bytes.fromhex(h) for h in c["items"]]
        ok = list(codec.decode(ours)) == items
        theirs = codec.encode(np.array(items, dtype=object))
    open(f"{d}/theirs{i}", "wb").write(bytes(theirs))
    out[i] = ok
print(json.dumps(out))
`;

function sample(n: number): Uint8Array {
  const d = new Uint8Array(n);
  let s = 99;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = i % 4 === 0 ? s >>> 24 : (i >> 3) & 0xff;
  }
  return d;
}

Deno.test({
  name: "numcodecs live: our zlib/gzip/zstd/vlen buffers decode in numcodecs and vice versa",
  ignore,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "zarr-codecs-" });
    try {
      const raw = sample(200_000);
      const strings = ["", "a", "bc", "世界", "🚀🎉", "x".repeat(300)];
      const blobs = [
        new Uint8Array(0),
        new Uint8Array([0]),
        new Uint8Array([1, 2, 255]),
        sample(1000),
      ];
      const configs: V2CodecConfig[] = [
        { id: "zlib", level: 1 },
        { id: "zlib", level: 9 },
        { id: "gzip", level: 5 },
        { id: "zstd", level: 0 },
        { id: "zstd", level: 19 },
        { id: "zstd", level: 3, checksum: true },
        { id: "zstd", level: -3 },
      ];
      type Case = { config: V2CodecConfig; kind: "bytes" | "utf8" | "vbytes"; items?: unknown[] };
      const cases: Case[] = [];
      const ours: Uint8Array[] = [];
      for (const config of configs) {
        const codec = codecFromV2(config) as BytesBytesCodec;
        assert.ok(hasV2Form(codec));
        // numcodecs 0.11 does not know the zstd checksum parameter
        const pyConfig = { ...codec.toV2JSON() };
        delete pyConfig.checksum;
        cases.push({ config: pyConfig, kind: "bytes" });
        ours.push(await codec.encode(raw));
        await Deno.writeFile(`${dir}/raw${cases.length - 1}`, raw);
      }
      const utf8 = codecFromV2({ id: "vlen-utf8" }) as ArrayBytesCodec;
      cases.push({ config: { id: "vlen-utf8" }, kind: "utf8", items: strings });
      ours.push(
        await utf8.encode({ data: strings, shape: [strings.length] }, {
          shape: [strings.length],
          dtype: parseDataType("string"),
          fillValue: "",
        }),
      );
      const vb = codecFromV2({ id: "vlen-bytes" }) as ArrayBytesCodec;
      const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
      cases.push({ config: { id: "vlen-bytes" }, kind: "vbytes", items: blobs.map(hex) });
      ours.push(
        await vb.encode({ data: blobs, shape: [blobs.length] }, {
          shape: [blobs.length],
          dtype: parseDataType("bytes"),
          fillValue: new Uint8Array(),
        }),
      );
      for (let i = 0; i < ours.length; i++) await Deno.writeFile(`${dir}/ours${i}`, ours[i]);
      await Deno.writeTextFile(`${dir}/cases.json`, JSON.stringify(cases));
      const r = await new Deno.Command(PY, { args: ["-c", SCRIPT, dir] }).output();
      assert.ok(r.success, new TextDecoder().decode(r.stderr));
      const verdict = JSON.parse(new TextDecoder().decode(r.stdout));
      for (let i = 0; i < cases.length; i++) {
        assert.equal(
          verdict[i],
          true,
          `numcodecs could not read our ${JSON.stringify(cases[i].config)}`,
        );
      }
      // and the other direction
      for (let i = 0; i < configs.length; i++) {
        const codec = codecFromV2(configs[i]) as BytesBytesCodec;
        const theirs = await Deno.readFile(`${dir}/theirs${i}`);
        assert.deepEqual(await codec.decode(theirs), raw, JSON.stringify(configs[i]));
      }
      const n = configs.length;
      const s1 = await utf8.decode(await Deno.readFile(`${dir}/theirs${n}`), {
        shape: [strings.length],
        dtype: parseDataType("string"),
        fillValue: "",
      });
      assert.deepEqual(s1.data, strings);
      const s2 = await vb.decode(await Deno.readFile(`${dir}/theirs${n + 1}`), {
        shape: [blobs.length],
        dtype: parseDataType("bytes"),
        fillValue: new Uint8Array(),
      });
      assert.deepEqual(s2.data, blobs);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
