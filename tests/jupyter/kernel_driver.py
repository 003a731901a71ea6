"""Drives a Jupyter kernel with jupyter_client: runs cells one by one and prints their outputs
as JSON. Usage: kernel_driver.py KERNEL_NAME CWD CELLS_JSON_FILE

Deno 2.9's kernel publishes some outputs after `status: idle`, so after idle we keep reading
iopub for DRAIN seconds and keep every message whose parent is the cell's request.
"""
import json
import queue
import sys
import time

from jupyter_client.manager import KernelManager

DRAIN = 0.5
TIMEOUT = 120


def run_cell(kc, code):
    msg_id = kc.execute(code, store_history=True)
    outputs = []
    idle_at = None
    deadline = time.monotonic() + TIMEOUT
    while True:
        now = time.monotonic()
        if idle_at is not None and now - idle_at >= DRAIN:
            break
        if now > deadline:
            outputs.append({"msg_type": "driver_timeout"})
            break
        wait = DRAIN - (now - idle_at) if idle_at is not None else 1.0
        try:
            msg = kc.get_iopub_msg(timeout=max(0.05, wait))
        except queue.Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        t = msg["msg_type"]
        c = msg["content"]
        if t == "status":
            if c.get("execution_state") == "idle":
                idle_at = time.monotonic()
            continue
        if t in ("execute_input",):
            continue
        outputs.append({"msg_type": t, "content": c})
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    return {"status": reply["content"].get("status"), "outputs": outputs}


def main():
    name, cwd, cells_file = sys.argv[1:4]
    with open(cells_file) as f:
        cells = json.load(f)
    km = KernelManager(kernel_name=name)
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        results = [run_cell(kc, code) for code in cells]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
