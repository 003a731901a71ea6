"""Live round trip with zarr-python 2.13 (driven by tests/interop/zarr_python_roundtrip_test.ts).

Usage: python3 roundtrip.py DIR

DIR/cases.json is a list of cases written by the Deno side (see tests/interop/py_roundtrip.ts):
every case is a small hierarchy (arrays + groups, optionally consolidated or inside a zip) with
the input data of each array in DIR/<array input file>. For every case this script

  * writes the same hierarchy with zarr-python 2.13 under DIR/py/<case dir> (direction B),
  * reads it back and stores the values zarr-python sees in DIR/ref/<array input file> (the
    reference both directions are compared with: for lossy filters it is zarr-python's own
    encode/decode result),
  * when DIR/ours/<case dir> exists (the Deno side wrote it), reads it with zarr-python and
    compares the values bit for bit with the reference, plus attributes (direction A),
  * collects the metadata documents of both stores (base64 of their bytes) and, for .zarray,
    .zattrs and .zgroup, the bytes zarr-python 3 would write for python's document.

Results go to DIR/results.json. One process handles every case, so the whole matrix costs one
interpreter start.
"""
import base64
import json
import os
import sys
import traceback
import zipfile

import numcodecs
import numpy as np
import zarr

D = sys.argv[1]
META_NAMES = (".zarray", ".zattrs", ".zgroup", ".zmetadata")
# field order of zarr-python 3's v2 .zarray (core/metadata/v2.py)
PY3_ZARRAY_ORDER = (
    "shape",
    "chunks",
    "dtype",
    "fill_value",
    "order",
    "filters",
    "dimension_separator",
    "compressor",
    "zarr_format",
)


def codec(cfg):
    return None if cfg is None else numcodecs.get_codec(dict(cfg))


def unsupported_codecs(spec):
    cfgs = list(spec.get("filters") or [])
    if spec.get("compressor"):
        cfgs.append(spec["compressor"])
    missing = [c["id"] for c in cfgs if c["id"] not in numcodecs.registry.codec_registry]
    comp = spec.get("compressor")
    if comp and comp["id"] == "blosc" and comp["cname"] not in numcodecs.blosc.list_compressors():
        missing.append("blosc/" + comp["cname"])
    return missing


def load_input(spec):
    dt = np.dtype(spec["dtype"])
    shape = tuple(spec["shape"])
    path = os.path.join(D, "in", spec["input"])
    enc = spec["encoding"]
    if enc == "raw":
        with open(path, "rb") as f:
            raw = f.read()
        return np.frombuffer(raw, dtype=dt.newbyteorder("<")).astype(dt).reshape(shape)
    with open(path) as f:
        items = json.load(f)
    if enc == "b64":
        items = [base64.b64decode(x) for x in items]
    if dt.kind == "O":
        a = np.empty(len(items), dtype=object)
        a[:] = items
        return a.reshape(shape)
    return np.array(items, dtype=dt).reshape(shape)


def save_ref(spec, a):
    path = os.path.join(D, "ref", spec["input"])
    a = np.asarray(a)
    dt = a.dtype
    if spec["encoding"] == "raw":
        le = np.ascontiguousarray(a.astype(dt.newbyteorder("<")))
        if dt.kind in "mM":
            le = le.view("<i8")
        with open(path, "wb") as f:
            f.write(le.tobytes())
        return
    flat = list(a.ravel(order="C"))
    if spec["encoding"] == "b64":
        flat = [base64.b64encode(bytes(x)).decode() for x in flat]
    else:
        flat = [str(x) for x in flat]
    with open(path, "w") as f:
        json.dump(flat, f)


def fill_value(spec):
    f = spec["fill"]
    dt = np.dtype(spec["dtype"])
    if f is None:
        return None
    if dt.kind == "f":
        return float(f)
    if dt.kind == "c":
        return complex(float(f[0]), float(f[1]))
    if dt.kind in "mM":
        return np.array([int(f)], dtype="<i8").view(dt.newbyteorder("<"))[0]
    if dt.kind == "S":
        return base64.b64decode(f)
    if dt.kind == "b":
        return bool(f)
    if dt.kind in "iu":
        return int(f)
    return f


def selection(spec):
    region = spec.get("region")
    if not region:
        return Ellipsis
    return tuple(slice(a, b) for a, b in region)


def equal_exact(got, ref):
    """None when equal bit for bit (NaN payloads and -0.0 included), else a description."""
    got = np.asarray(got)
    ref = np.asarray(ref)
    note = ""
    if got.shape != ref.shape:
        return f"shape {got.shape} != expected {ref.shape}"
    if got.dtype != ref.dtype:
        same = got.dtype.newbyteorder("=") == ref.dtype.newbyteorder("=")
        if not same:
            return f"dtype {got.dtype.str} != expected {ref.dtype.str}"
        note = f" (dtype {got.dtype.str} vs {ref.dtype.str})"
        got = got.astype(ref.dtype)
    if ref.dtype.kind == "O":
        for i, (x, y) in enumerate(zip(got.ravel(), ref.ravel())):
            if type(x) is not type(y) or x != y:
                return f"element {i}: {x!r} != expected {y!r}" + note
        return None
    gb = np.ascontiguousarray(got)
    rb = np.ascontiguousarray(ref)
    if gb.tobytes() == rb.tobytes():
        return None
    w = ref.dtype.itemsize
    g8 = gb.view("u1").reshape(-1, w) if w else None
    r8 = rb.view("u1").reshape(-1, w) if w else None
    for i in range(ref.size):
        if bytes(g8[i]) != bytes(r8[i]):
            return (
                f"element {i}: {gb.ravel()[i]!r} (0x{bytes(g8[i]).hex()}) != expected "
                f"{rb.ravel()[i]!r} (0x{bytes(r8[i]).hex()})" + note
            )
    return "bytes differ" + note


def open_store(path, mode):
    if path.endswith(".zip"):
        return zarr.ZipStore(path, mode=mode)
    return zarr.DirectoryStore(path)


def close_store(store):
    if isinstance(store, zarr.ZipStore):
        store.close()


def write_python(case, root):
    store = open_store(root, "w")
    try:
        for g in case["groups"]:
            grp = zarr.open_group(store, path=g["path"] or None, mode="a")
            if g.get("attrs"):
                grp.attrs.put(g["attrs"])
        for spec in case["arrays"]:
            x = load_input(spec)
            oc = spec.get("objectCodec")
            z = zarr.create(
                shape=tuple(spec["shape"]),
                chunks=tuple(spec["chunks"]),
                dtype=spec["dtype"],
                compressor=codec(spec["compressor"]),
                filters=[codec(f) for f in spec["filters"]] if spec["filters"] else None,
                order=spec["order"],
                dimension_separator=spec["sep"],
                fill_value=fill_value(spec),
                object_codec=codec({"id": oc}) if oc else None,
                store=store,
                path=spec["path"] or None,
                overwrite=True,
            )
            if spec.get("attrs"):
                z.attrs.put(spec["attrs"])
            sel = selection(spec)
            if x.ndim == 0:
                z[...] = x
            else:
                z[sel] = x[sel]
        if case.get("consolidated"):
            zarr.consolidate_metadata(store)
    finally:
        close_store(store)


def read_arrays(case, root):
    """zarr-python's view of every array of a hierarchy: {path: (ndarray, attrs)} + group attrs."""
    store = open_store(root, "r")
    try:
        if case.get("consolidated"):
            top = zarr.open_consolidated(store, mode="r")
            if not isinstance(top.store, zarr.storage.ConsolidatedMetadataStore):
                raise AssertionError("open_consolidated did not use .zmetadata")

            def get_array(p):
                return top[p]

            def get_group(p):
                return top[p] if p else top
        else:

            def get_array(p):
                return zarr.open_array(store, path=p or None, mode="r")

            def get_group(p):
                return zarr.open_group(store, path=p or None, mode="r")

        arrays = {}
        for spec in case["arrays"]:
            z = get_array(spec["path"])
            arrays[spec["path"]] = (np.asarray(z[...]), z.attrs.asdict())
        groups = {g["path"]: get_group(g["path"]).attrs.asdict() for g in case["groups"]}
        return arrays, groups
    finally:
        close_store(store)


def metadata_docs(root):
    """{relative key: bytes} of every metadata document under a directory store or zip."""
    out = {}
    if root.endswith(".zip"):
        with zipfile.ZipFile(root) as zf:
            for name in zf.namelist():
                if name.rsplit("/", 1)[-1] in META_NAMES:
                    out[name] = zf.read(name)
        return out
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name in META_NAMES:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, "rb") as f:
                    out[rel] = f.read()
    return out


def py3_render(case, key, raw):
    """The bytes zarr-python 3 writes for the same node (None if not rendered here).

    .zarray: zarr-python 3's field order, codec configs in get_config() order, 2-space indent;
    the compressor of a 0-d array is the one asked for (2.13 drops it, 3 keeps it).
    .zattrs: the attributes in the order they were given (2.13 sorts keys, 3 does not).
    .zgroup: the same content with a 2-space indent.
    """
    doc = json.loads(raw)
    node, _, name = key.rpartition("/")
    specs = {s["path"]: s for s in case["arrays"]}
    if name == ".zarray":
        spec = specs.get(node)
        out = {}
        for k in PY3_ZARRAY_ORDER:
            if k == "dimension_separator":
                out[k] = doc.get(k, ".")
            elif k == "compressor":
                cfg = spec["compressor"] if spec is not None and spec["shape"] == [] else doc[k]
                out[k] = None if cfg is None else codec(cfg).get_config()
            elif k == "filters":
                out[k] = None if doc[k] is None else [codec(f).get_config() for f in doc[k]]
            else:
                out[k] = doc[k]
        return json.dumps(out, indent=2, allow_nan=True).encode()
    if name == ".zattrs":
        attrs = {g["path"]: g.get("attrs") for g in case["groups"]}
        attrs.update({p: s.get("attrs") for p, s in specs.items()})
        given = attrs.get(node)
        return json.dumps(given if given is not None else doc, indent=2, allow_nan=True).encode()
    if name == ".zgroup":
        return json.dumps(doc, indent=2, allow_nan=True).encode()
    return None


def b64(b):
    return base64.b64encode(b).decode()


def run_case(case):
    res = {"id": case["id"]}
    missing = sorted({m for s in case["arrays"] for m in unsupported_codecs(s)})
    if missing:
        res["pyUnsupported"] = missing
        return res
    py_root = os.path.join(D, "py", case["dir"])
    our_root = os.path.join(D, "ours", case["dir"])
    # direction B: zarr-python writes, then reads back its own reference
    try:
        write_python(case, py_root)
        ref_arrays, ref_groups = read_arrays(case, py_root)
        self_check = {}
        for spec in case["arrays"]:
            ref, _attrs = ref_arrays[spec["path"]]
            save_ref(spec, ref)
            if not spec.get("lossy") and not spec.get("region"):
                diff = equal_exact(ref, load_input(spec))
                if diff:
                    self_check[spec["path"]] = diff
        res["selfCheck"] = self_check
        docs = metadata_docs(py_root)
        res["pyDocs"] = {k: b64(v) for k, v in docs.items()}
        res["py3Docs"] = {
            k: b64(r) for k, v in docs.items() if (r := py3_render(case, k, v)) is not None
        }
    except Exception:
        res["pyError"] = traceback.format_exc(limit=4)
        return res
    # direction A: zarr-python reads what the Deno side wrote
    if os.path.exists(our_root):
        problems = []
        try:
            arrays, groups = read_arrays(case, our_root)
            for spec in case["arrays"]:
                got, attrs = arrays[spec["path"]]
                ref, _ = ref_arrays[spec["path"]]
                diff = equal_exact(got, ref)
                where = spec["path"] or "<root>"
                if diff:
                    problems.append(f"{where}: {diff}")
                if attrs != (spec.get("attrs") or {}):
                    problems.append(f"{where}: attrs {attrs!r} != {spec.get('attrs')!r}")
            for g in case["groups"]:
                if groups[g["path"]] != (g.get("attrs") or {}):
                    problems.append(f"group {g['path']!r}: attrs {groups[g['path']]!r}")
        except Exception as e:
            problems.append(f"zarr-python raised {type(e).__name__}: {e}")
            res["ourTraceback"] = traceback.format_exc(limit=4)
        res["a"] = {"ok": not problems, "detail": "; ".join(problems)}
        try:
            res["ourDocs"] = {k: b64(v) for k, v in metadata_docs(our_root).items()}
        except Exception as e:
            res["ourDocs"] = {}
            res["a"]["detail"] += f"; could not list our metadata: {e}"
    return res


def main():
    with open(os.path.join(D, "cases.json")) as f:
        cases = json.load(f)
    os.makedirs(os.path.join(D, "py"), exist_ok=True)
    os.makedirs(os.path.join(D, "ref"), exist_ok=True)
    results = []
    for case in cases:
        try:
            results.append(run_case(case))
        except Exception:
            results.append({"id": case["id"], "pyError": traceback.format_exc(limit=4)})
    with open(os.path.join(D, "results.json"), "w") as f:
        json.dump(
            {"zarr": zarr.__version__, "numcodecs": numcodecs.__version__, "results": results}, f
        )


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    main()
