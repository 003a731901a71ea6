/**
 * zarr-python 2.13 as a benchmark peer: one long-lived `/usr/bin/python3` process answering JSON
 * requests, so its runs interleave with ours and only the operation itself is timed.
 *
 * @module
 */
import { TextLineStream } from "./lines.ts";

const SCRIPT = new URL("./python_server.py", import.meta.url).pathname;

/** A running zarr-python peer. */
export class PythonPeer {
  #proc: Deno.ChildProcess;
  #lines: ReadableStreamDefaultReader<string>;
  #writer: WritableStreamDefaultWriter<Uint8Array>;

  private constructor(proc: Deno.ChildProcess) {
    this.#proc = proc;
    this.#lines = proc.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    ).getReader();
    this.#writer = proc.stdin.getWriter();
  }

  /** Starts the peer, or returns the reason it cannot run. */
  static async start(): Promise<PythonPeer | string> {
    try {
      const ok = new Deno.Command("/usr/bin/python3", {
        args: ["-c", "import zarr, numcodecs"],
        stderr: "null",
      }).outputSync().success;
      if (!ok) return "zarr-python 2.13 not installed (apt-get install python3-zarr)";
    } catch {
      return "/usr/bin/python3 not found";
    }
    const proc = new Deno.Command("/usr/bin/python3", {
      args: [SCRIPT],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const peer = new PythonPeer(proc);
    await peer.request({ op: "threads" });
    return peer;
  }

  /** Sends one request and waits for its reply. */
  async request(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(req) + "\n"));
    const { value, done } = await this.#lines.read();
    if (done || value === undefined) throw new Error("zarr-python peer exited");
    const r = JSON.parse(value);
    if (r.error) throw new Error(r.error);
    return r;
  }

  /** Stops the process. */
  async close(): Promise<void> {
    await this.#writer.close();
    await this.#proc.status;
  }
}
