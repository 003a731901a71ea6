/**
 * Progress reporting for long operations (`copy*`, `save*`, `consolidateMetadata`): the
 * `progress` option is a callback receiving `{done, total}`, or `true` for an automatic bar
 * (a live bar updated in place in a `deno jupyter` notebook, a bar on stderr when it is a
 * terminal, nothing otherwise).
 *
 * @example
 * ```ts
 * import { progressReporter } from "./progress.ts";
 * const seen: number[] = [];
 * const p = progressReporter((e) => seen.push(e.done), "copy");
 * p.start(2);
 * p.tick();
 * p.tick();
 * p.finish();
 * console.log(seen); // [0, 1, 2]
 * ```
 * @module
 */

/** One progress event: `done` units of `total`. */
export interface ProgressEvent {
  /** Units done so far. */
  done: number;
  /** Units in all. */
  total: number;
}

/** A progress callback. */
export type ProgressCallback = (e: ProgressEvent) => void;

/** The `progress` option: a callback, `true` for an automatic bar, or nothing. */
export type ProgressOption = ProgressCallback | boolean | undefined | null;

/** What an operation calls as it goes. */
export interface ProgressReporter {
  /** Sets the total and reports `done = 0`. */
  start(total: number): void;
  /** Adds `n` (default 1) to `done` and reports. */
  tick(n?: number): void;
  /** Reports `done = total` (once). */
  finish(): void;
}

const NOOP: ProgressReporter = { start() {}, tick() {}, finish() {} };

interface JupyterNs {
  display(obj: unknown, opts: { raw?: boolean; update?: boolean; display_id?: string }): unknown;
}

/** `Deno.jupyter` inside a `deno jupyter` kernel, else `null` (reading it elsewhere throws). */
export function jupyterNamespace(): JupyterNs | null {
  try {
    const j = (Deno as unknown as { jupyter?: JupyterNs }).jupyter;
    return j && typeof j.display === "function" ? j : null;
  } catch {
    return null;
  }
}

/**
 * The text of a progress bar: `label [#####.....] 5/10 50%`.
 *
 * @example
 * ```ts
 * import { barText } from "./progress.ts";
 * console.log(barText("copy", 1, 4, 8)); // copy [##......] 1/4 25%
 * ```
 */
export function barText(label: string, done: number, total: number, width = 30): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const n = Math.round(f * width);
  return `${label} [${"#".repeat(n)}${".".repeat(width - n)}] ${done}/${total} ${
    Math.round(f * 100)
  }%`;
}

/**
 * The HTML of a progress bar (a `<progress>` element and a label), for notebooks.
 *
 * @example
 * ```ts
 * import { barHtml } from "./progress.ts";
 * console.log(barHtml("copy", 1, 2).includes('value="1"')); // true
 * ```
 */
export function barHtml(label: string, done: number, total: number): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const pct = total > 0 ? Math.round((Math.min(done, total) / total) * 100) : 100;
  return `<div class="zarr-progress" style="font-family: var(--jp-ui-font-family, sans-serif); font-size: var(--jp-ui-font-size1, 13px);"><span>${
    esc(label)
  }</span> <progress value="${done}" max="${
    Math.max(total, 1)
  }" style="width: 240px; vertical-align: middle;"></progress> <span>${done}/${total} (${pct}%)</span></div>`;
}

function makeReporter(emit: (done: number, total: number, final: boolean) => void) {
  let done = 0, total = 0, finished = false;
  return {
    start(t: number) {
      total = t;
      done = 0;
      emit(done, total, false);
    },
    tick(n = 1) {
      done += n;
      if (done > total) total = done;
      emit(done, total, false);
    },
    finish() {
      if (finished) return;
      finished = true;
      done = total;
      emit(done, total, true);
    },
  };
}

let displayCounter = 0;

/**
 * A {@link ProgressReporter} for a `progress` option: calls a callback; for `true` draws a bar
 * (Jupyter: `Deno.jupyter.display` with a `display_id`, updated in place at most every 100 ms;
 * terminal: `\r`-redrawn line on stderr when it is a TTY); does nothing otherwise.
 *
 * @example
 * ```ts
 * import { progressReporter } from "./progress.ts";
 * const p = progressReporter(({ done, total }) => console.log(done, total), "save");
 * p.start(1);
 * p.finish(); // logs "0 1" then "1 1"
 * ```
 */
export function progressReporter(opt: ProgressOption, label = "zarr"): ProgressReporter {
  if (typeof opt === "function") {
    let last = "";
    return makeReporter((done, total) => {
      const key = `${done}/${total}`;
      if (key === last) return; // finish() right after the last tick would repeat it
      last = key;
      opt({ done, total });
    });
  }
  if (opt !== true) return NOOP;
  let last = 0;
  const due = (final: boolean) => {
    const now = Date.now();
    if (!final && now - last < 100) return false;
    last = now;
    return true;
  };
  const jupyter = jupyterNamespace();
  if (jupyter) {
    const id = `zarr-progress-${Date.now().toString(36)}-${++displayCounter}`;
    let shown = false;
    return makeReporter((done, total, final) => {
      if (!shown || due(final)) {
        const bundle = {
          "text/plain": barText(label, done, total),
          "text/html": barHtml(label, done, total),
        };
        void Promise.resolve(jupyter.display(bundle, {
          raw: true,
          display_id: id,
          update: shown,
        })).catch(() => {});
        shown = true;
      }
    });
  }
  let tty = false;
  try {
    tty = Deno.stderr.isTerminal();
  } catch {
    tty = false;
  }
  if (!tty) return NOOP;
  const enc = new TextEncoder();
  return makeReporter((done, total, final) => {
    if (!due(final)) return;
    Deno.stderr.writeSync(enc.encode(`\r${barText(label, done, total)}${final ? "\n" : ""}`));
  });
}
