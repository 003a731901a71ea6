"""Executes notebooks headlessly with the Deno Jupyter kernel and Debian's nbclient, and checks
their outputs.

Usage: nb_runner.py [--deno PATH] [--out DIR] [--json] [--jobs N] [--drain S] NOTEBOOK...

- The kernel: a kernelspec written into a temporary JUPYTER_PATH (argv: this Deno, `jupyter
  --kernel --conn {connection_file}`), so neither `deno jupyter --install` nor the user's Jupyter
  configuration matter. Each notebook's kernel starts in the notebook's folder.
- Deno 2.9's kernel publishes some outputs after `status: idle`: DrainingClient keeps reading
  iopub until DRAIN seconds (default 0.5) pass without a message for the cell, and runs cells one
  by one (nbclient never pipelines them).
- Failures, each naming the notebook and the cell index: an `error` output or an execute_reply
  with status `error`, anything written to stderr (unless the cell is tagged `allow-stderr`), a
  kernel that dies or a cell over the timeout, and a failed output check.
- Output checks, by cell tag:
  - `expect-tree`: an execute_result with `application/vnd.zarr.tree+json` (valid against
    jupyter-ext/schema/tree.schema.json when python3-jsonschema is there), `text/html` with the
    collapsible tree (`class="zarr-tree"`) and `text/plain`;
  - `expect-array`: an execute_result whose `text/html` is the array info table;
  - `expect-preview`: its HTML holds a preview picture, an inline `<svg>` line plot or an
    `<img>` whose data URL is a PNG with a valid signature and IHDR (width, height > 0);
  - `expect-progress`: a display_data with a `display_id`, at least one update_display_data for
    that id, and a last state at 100%;
  - `expect-output`: at least one output of any kind.
  Another tag starting with `expect-` fails (a misspelt check must not pass silently).
- The report (stdout, JSON with --json, else one line per notebook): per notebook its path,
  status, code cells run, seconds, per cell seconds and output kinds, and how many cells passed
  each check. Exit status 0 when every notebook passed, 1 otherwise, 2 on bad usage or set-up.
- --out DIR writes the executed notebooks there (e.g. tests/artifacts/notebooks).
"""
import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import signal
import struct
import sys
import tempfile
import time
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellTimeoutError, DeadKernelError

KERNEL_NAME = "zarr-nb-runner-deno"
TREE_MIME = "application/vnd.zarr.tree+json"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(ROOT, "jupyter-ext", "schema", "tree.schema.json")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


try:  # Linux: kernels die with the runner (PR_SET_PDEATHSIG), even when it is SIGKILLed
    import ctypes

    _LIBC = ctypes.CDLL(None, use_errno=True)
    _LIBC.prctl  # noqa: B018 (present on Linux only)
except (OSError, AttributeError, ImportError):
    _LIBC = None
_RUNNER_PID = os.getpid()


def _die_with_runner():
    """Runs in each kernel process before exec: SIGKILL when the runner goes away."""
    _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != _RUNNER_PID:  # the runner died before prctl
        os._exit(1)


def _exit_now(signum):
    """SIGTERM/SIGINT: exit at once; the kernels follow (PR_SET_PDEATHSIG)."""
    os._exit(128 + signum)


class NotebookFailure(Exception):
    """A failure inside one notebook: the message names the notebook and the cell."""


class DrainingClient(NotebookClient):
    """nbclient's client, reading iopub on after idle, and logging every message per cell."""

    def __init__(self, nb, drain=0.5, drain_cap=10.0, **kw):
        super().__init__(nb, **kw)
        self.drain = drain
        self.drain_cap = drain_cap
        self.messages = {}  # cell index -> [(msg_type, content)]

    def process_message(self, msg, cell, cell_index):
        self.messages.setdefault(cell_index, []).append((msg["msg_type"], msg["content"]))
        return super().process_message(msg, cell, cell_index)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        while True:
            msg = await self.kc.iopub_channel.get_msg(timeout=None)
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                break
        # idle: keep reading until `drain` seconds pass without a message for this cell
        cap = time.monotonic() + self.drain_cap
        quiet_until = time.monotonic() + self.drain
        while True:
            now = time.monotonic()
            if now >= quiet_until or now >= cap:
                return
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=quiet_until - now)
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            quiet_until = time.monotonic() + self.drain
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass


def plain(text):
    """Text without ANSI colour codes."""
    return ANSI.sub("", text if isinstance(text, str) else "".join(text))


def load_schema_validator():
    """A jsonschema validator for the tree payload, or None without python3-jsonschema."""
    try:
        import jsonschema
    except ImportError:
        return None
    with open(SCHEMA) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def png_size(data):
    """(width, height) of PNG bytes, or raise ValueError."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG (bad signature or no IHDR)")
    return struct.unpack(">II", data[16:24])


def results_of(cell):
    """The execute_result bundles of a cell."""
    return [o.get("data", {}) for o in cell.outputs if o.get("output_type") == "execute_result"]


def check_tree(cell, msgs, validator):
    for data in results_of(cell):
        if TREE_MIME not in data:
            continue
        payload = data[TREE_MIME]
        if validator is not None:
            errs = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
            if errs:
                return f"tree payload fails the schema: {errs[0].message} at {list(errs[0].path)}"
        if payload.get("node_count", 0) < 1:
            return "tree payload has no nodes"
        if 'class="zarr-tree"' not in plain(data.get("text/html", "")):
            return "no collapsible tree HTML (class=\"zarr-tree\") next to the tree payload"
        if not plain(data.get("text/plain", "")).strip():
            return "no text/plain next to the tree payload"
        return None
    return f"no execute_result with {TREE_MIME}"


def array_html(cell):
    for data in results_of(cell):
        html = plain(data.get("text/html", ""))
        if 'class="zarr-array"' in html and "<table" in html:
            return html
    return None


def check_array(cell, msgs, validator):
    return None if array_html(cell) else "no execute_result with the array's HTML info table"


SVG_PLOT = re.compile(r'<figure class="zarr-array-preview"><svg[^>]*>.*?<path d="M[^"]+"', re.S)
PNG_IMG = re.compile(r'<figure class="zarr-array-preview"><img[^>]*src="data:image/png;base64,'
                     r'([A-Za-z0-9+/=]+)"')


def preview_kind(html):
    """("svg" | "png", None) for a valid preview in array HTML, else (None, the problem)."""
    if SVG_PLOT.search(html):
        return "svg", None
    m = PNG_IMG.search(html)
    if not m:
        return None, "no preview picture (<svg> line plot or PNG <img>) in the array HTML"
    try:
        w, h = png_size(base64.b64decode(m.group(1)))
    except ValueError as e:
        return None, f"preview image: {e}"
    return ("png", None) if w > 0 and h > 0 else (None, f"preview PNG is {w}x{h}")


def check_preview(cell, msgs, validator):
    html = array_html(cell)
    if html is None:
        return "no array HTML to hold a preview"
    return preview_kind(html)[1]


def check_progress(cell, msgs, validator):
    first = {}
    updates = {}
    last = {}
    for t, c in msgs:
        did = (c.get("transient") or {}).get("display_id")
        if not did or t not in ("display_data", "update_display_data"):
            continue
        if t == "display_data":
            first.setdefault(did, c)
        elif did in first:
            updates[did] = updates.get(did, 0) + 1
        last[did] = c
    if not first:
        return "no display_data with a display_id"
    for did in first:
        text = plain(last[did].get("data", {}).get("text/plain", ""))
        if updates.get(did, 0) >= 1 and "100%" in text:
            return None
    summary = {d: (updates.get(d, 0), plain(last[d].get("data", {}).get("text/plain", "")))
               for d in first}
    return f"no progress display updated in place to 100%: {summary}"


def check_output(cell, msgs, validator):
    return None if cell.outputs else "no output"


CHECKS = {
    "expect-tree": check_tree,
    "expect-array": check_array,
    "expect-preview": check_preview,
    "expect-progress": check_progress,
    "expect-output": check_output,
}


def cell_errors(cell, reply):
    """Error outputs of an executed cell, as text; [] when it ran cleanly."""
    errs = []
    tags = cell.metadata.get("tags", [])
    for o in cell.outputs:
        if o.get("output_type") == "error":
            head = f"{o.get('ename')}: {plain(o.get('evalue', ''))}"
            tb = plain("\n".join(o.get("traceback", []))).strip()
            errs.append(tb if tb.startswith(head) else f"{head}\n{tb}".strip())
        elif o.get("output_type") == "stream" and o.get("name") == "stderr":
            if "allow-stderr" not in tags:
                errs.append(f"stderr: {plain(o.get('text', '')).strip()}")
    if reply and reply.get("status") == "error" and not errs:
        head = f"{reply.get('ename')}: {plain(reply.get('evalue', ''))}"
        tb = plain("\n".join(reply.get("traceback", []))).strip()
        if not tb and plain(reply.get("evalue", "")) == "Execution failed":
            tb = "(Deno's kernel reports a syntax error in a cell this way: check its syntax)"
        errs.append(f"execute_reply status error: {head}\n{tb}".strip())
    return errs


def snippet(source, n=3):
    lines = source.strip().splitlines()
    more = " ..." if len(lines) > n else ""
    return " | ".join(lines[:n]) + more


async def run_notebook(path, args, validator):
    """Executes one notebook; returns its report (raises nothing)."""
    name = os.path.relpath(path)
    report = {
        "notebook": name,
        "status": "passed",
        "cells": [],
        "checks": {},
        "previews": {},
        "seconds": 0.0,
    }
    t0 = time.monotonic()
    nb = nbformat.read(path, as_version=4)
    client = DrainingClient(
        nb,
        drain=args.drain,
        kernel_name=KERNEL_NAME,
        timeout=args.timeout,
        iopub_timeout=15,
        startup_timeout=args.timeout,
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    launch = {"preexec_fn": _die_with_runner} if _LIBC is not None else {}
    try:
        async with client.async_setup_kernel(**launch):
            # nbclient's own SIGTERM/SIGINT handlers shut down one kernel and go on: replace them
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, _exit_now, sig)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                c0 = time.monotonic()
                replies = []

                def keep(cell, cell_index, execute_reply, replies=replies):
                    replies.append(execute_reply["content"])

                client.on_cell_executed = keep
                try:
                    await client.async_execute_cell(cell, index)
                except CellTimeoutError as e:
                    raise NotebookFailure(f"{name}: cell {index} timed out: {e}") from None
                except DeadKernelError as e:
                    raise NotebookFailure(f"{name}: cell {index}: the kernel died: {e}") from None
                msgs = client.messages.get(index, [])
                kinds = [t for t, _ in msgs if t not in ("status", "execute_input")]
                report["cells"].append({
                    "index": index,
                    "seconds": round(time.monotonic() - c0, 3),
                    "outputs": kinds,
                })
                errs = cell_errors(cell, replies[0] if replies else None)
                if errs:
                    raise NotebookFailure(
                        f"{name}: cell {index} ({snippet(cell.source)}) failed:\n"
                        + "\n".join(errs)
                    )
                for tag in cell.metadata.get("tags", []):
                    if tag not in CHECKS:
                        if tag.startswith("expect-"):
                            raise NotebookFailure(
                                f"{name}: cell {index}: unknown check tag '{tag}' "
                                f"(known: {', '.join(CHECKS)})"
                            )
                        continue
                    problem = CHECKS[tag](cell, msgs, validator)
                    if problem:
                        raise NotebookFailure(
                            f"{name}: cell {index} ({snippet(cell.source)}): {tag}: {problem}"
                        )
                    report["checks"][tag] = report["checks"].get(tag, 0) + 1
                    if tag == "expect-preview":
                        kind = preview_kind(array_html(cell))[0]
                        report["previews"][kind] = report["previews"].get(kind, 0) + 1
    except NotebookFailure as e:
        report["status"] = "failed"
        report["error"] = str(e)
    except Exception as e:  # kernel start-up and the like
        report["status"] = "failed"
        report["error"] = f"{name}: {type(e).__name__}: {e}"
    report["seconds"] = round(time.monotonic() - t0, 3)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        nbformat.write(nb, os.path.join(args.out, os.path.basename(path)))
    return report


def find_deno(given):
    for candidate in (given, os.environ.get("DENO_EXEC_PATH"), shutil.which("deno")):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    return None


def setup_kernelspec(tmp, deno):
    """Points JUPYTER_PATH (and the other Jupyter dirs) at `tmp`, with our kernelspec in it."""
    spec_dir = os.path.join(tmp, "kernels", KERNEL_NAME)
    os.makedirs(spec_dir)
    with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
        json.dump({
            "argv": [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
            "display_name": "Deno (notebook runner)",
            "language": "typescript",
        }, f)
    os.environ["JUPYTER_PATH"] = tmp
    os.environ["JUPYTER_DATA_DIR"] = os.path.join(tmp, "data")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(tmp, "runtime")
    os.environ["JUPYTER_CONFIG_DIR"] = os.path.join(tmp, "config")
    os.environ["NO_COLOR"] = "1"
    fixtures = os.environ.get("ZARR_FIXTURES")
    if fixtures:  # the kernels start elsewhere: make a relative path absolute
        os.environ["ZARR_FIXTURES"] = os.path.abspath(fixtures)


async def run_all(paths, args):
    validator = load_schema_validator()
    sem = asyncio.Semaphore(max(1, args.jobs))

    async def one(p):
        async with sem:
            return await run_notebook(p, args, validator)

    return await asyncio.gather(*(one(p) for p in paths))


def main():
    ap = argparse.ArgumentParser(description="Execute Deno notebooks and check their outputs.")
    ap.add_argument("notebooks", nargs="+", help=".ipynb files")
    ap.add_argument("--deno", help="the deno executable (default: $DENO_EXEC_PATH, PATH)")
    ap.add_argument("--out", help="write the executed notebooks into this folder")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    ap.add_argument("--drain", type=float, default=0.5, help="iopub quiet time after idle (s)")
    ap.add_argument("--timeout", type=int, default=120, help="per-cell timeout (s)")
    args = ap.parse_args()
    deno = find_deno(args.deno)
    if deno is None:
        print("nb_runner: deno not found (use --deno PATH)", file=sys.stderr)
        return 2
    missing = [p for p in args.notebooks if not os.path.isfile(p)]
    if missing:
        print(f"nb_runner: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="zarr-nb-") as tmp:
        setup_kernelspec(tmp, deno)
        reports = asyncio.run(run_all(args.notebooks, args))
    total = round(time.monotonic() - t0, 3)
    if args.json:
        json.dump({"seconds": total, "notebooks": reports}, sys.stdout, indent=1)
        print()
    else:
        for r in reports:
            checks = ", ".join(f"{k} x{v}" for k, v in sorted(r["checks"].items())) or "none"
            print(f"{r['status'].upper():6} {r['notebook']}: {len(r['cells'])} code cells, "
                  f"{r['seconds']:.1f} s, checks: {checks}")
            if "error" in r:
                print("  " + r["error"].replace("\n", "\n  "))
        print(f"{len(reports)} notebooks in {total:.1f} s")
    return 0 if all(r["status"] == "passed" for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
