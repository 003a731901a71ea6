"""Benchmark peer: zarr-python 2.13 (Debian), driven line by line over stdin/stdout.

Each request is one JSON line; each reply is one JSON line with the elapsed seconds of the
operation alone (process start and imports are not timed).
"""
import json
import sys
import time

import numcodecs
import numpy as np
import zarr

# reads and writes use numcodecs' default blosc threading (one thread per core, up to 8), as a
# zarr-python user gets it; only the codec floor below is measured on one thread
DEFAULT_BLOSC_THREADS = numcodecs.blosc.get_nthreads()
cache = {}


def handle(req):
    op = req["op"]
    if op == "read":
        a = zarr.open_array(req["path"], mode="r")
        t0 = time.perf_counter()
        sel = req.get("window")
        out = a[tuple(slice(s, e) for s, e in sel)] if sel else a[...]
        return {"seconds": time.perf_counter() - t0, "n": int(out.size)}
    if op == "write":
        key = (req["source"], tuple(req["shape"]))
        if key not in cache:
            cache[key] = np.fromfile(req["source"], dtype="<f4").reshape(req["shape"])
        data = cache[key]
        comp = numcodecs.get_codec(req["compressor"])
        t0 = time.perf_counter()
        a = zarr.open_array(req["path"], mode="w", shape=data.shape, chunks=tuple(req["chunks"]),
                            dtype="<f4", compressor=comp)
        a[...] = data
        return {"seconds": time.perf_counter() - t0}
    if op == "floor":
        # native single-thread decode speed of the codec over a dataset's chunk files
        codec = numcodecs.get_codec(req["codec"])
        blobs = [open(f, "rb").read() for f in req["files"]]
        best = None
        numcodecs.blosc.set_nthreads(1)
        try:
            for _ in range(3):
                t0 = time.perf_counter()
                n = sum(len(codec.decode(b)) for b in blobs)
                dt = time.perf_counter() - t0
                best = dt if best is None or dt < best else best
        finally:
            numcodecs.blosc.set_nthreads(DEFAULT_BLOSC_THREADS)
        return {"seconds": best, "bytes": n}
    if op == "rss":
        import resource
        a = zarr.open_array(req["path"], mode="r")
        out = a[...]
        return {"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "n": int(out.nbytes)}
    if op == "threads":
        return {"blosc": numcodecs.blosc.get_nthreads()}
    raise ValueError("unknown op " + op)


for line in sys.stdin:
    try:
        print(json.dumps(handle(json.loads(line))), flush=True)
    except Exception as e:  # reported to the harness, which marks the row
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)
