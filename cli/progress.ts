/**
 * A progress bar on stderr: redrawn in place (`\r`) on a terminal at most every 100 ms; when
 * stderr is not a terminal (`--progress` into a file or pipe), one line per 10 % step.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "./progress.ts";
 * const bar = new ProgressBar(3, "keys", { enabled: false });
 * bar.tick("a"); bar.tick("b"); bar.tick("c");
 * bar.finish();
 * ```
 * @module
 */
import { printErr, stderrIsTerminal } from "./io.ts";

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Draw anything at all. */
  enabled: boolean;
  /** Redraw in place (default: whether stderr is a terminal). */
  tty?: boolean;
}

/**
 * Counts done items out of a total and draws `[####------]  12/40 keys  current/item`.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "./progress.ts";
 * const bar = new ProgressBar(10, "nodes", { enabled: true, tty: false });
 * for (let i = 0; i < 10; i++) bar.tick(`n${i}`);
 * bar.finish(); // stderr: one line per 10 %, the last "[####...] 100%  10/10 nodes"
 * ```
 */
export class ProgressBar {
  readonly #label: string;
  readonly #enabled: boolean;
  readonly #tty: boolean;
  #total: number;
  #done = 0;
  #lastDraw = 0;
  #lastStep = -1;
  #drawn = false;

  constructor(total: number, label: string, opts: ProgressOptions) {
    this.#total = Math.max(0, total);
    this.#label = label;
    this.#enabled = opts.enabled;
    this.#tty = opts.tty ?? stderrIsTerminal();
  }

  /** Items done so far. */
  get done(): number {
    return this.#done;
  }

  /** One more item done; `current` names it. */
  tick(current = ""): void {
    this.#done++;
    if (this.#done > this.#total) this.#total = this.#done;
    this.#draw(current, false);
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.#draw("", true);
    if (this.#enabled && this.#tty && this.#drawn) printErr("\n");
  }

  #line(current: string): string {
    const total = this.#total;
    const frac = total === 0 ? 1 : this.#done / total;
    const pct = Math.floor(frac * 100);
    const width = 24;
    const fill = Math.round(frac * width);
    const bar = "[" + "#".repeat(fill) + "-".repeat(width - fill) + "]";
    const count = `${String(this.#done).padStart(String(total).length)}/${total} ${this.#label}`;
    return `${bar} ${String(pct).padStart(3)}%  ${count}${current ? "  " + current : ""}`;
  }

  #draw(current: string, final: boolean): void {
    if (!this.#enabled) return;
    if (this.#tty) {
      const now = Date.now();
      if (!final && now - this.#lastDraw < 100) return;
      this.#lastDraw = now;
      let cols = 80;
      try {
        cols = Deno.consoleSize().columns || 80;
      } catch {
        cols = 80;
      }
      const text = this.#line(current).slice(0, Math.max(10, cols - 1));
      printErr(`\r${text}\x1b[K`);
      this.#drawn = true;
      return;
    }
    const step = this.#total === 0 ? 10 : Math.floor((this.#done / this.#total) * 10);
    if (!final && step === this.#lastStep) return;
    if (final && step === this.#lastStep && this.#drawn) return;
    this.#lastStep = step;
    this.#drawn = true;
    printErr(this.#line(final ? "" : current) + "\n");
  }
}
