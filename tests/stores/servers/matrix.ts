/**
 * The fault matrix of the remote-store tests: which fault, injected by the fault proxy into
 * which store operation, gave which outcome, with the requests it took. Printed as a table.
 *
 * @example
 * ```ts
 * import { FaultMatrix } from "./matrix.ts";
 * const m = new FaultMatrix("FetchStore", ["get", "exists"]);
 * m.record("503 x2", "get", "ok 3 req");
 * m.print();
 * ```
 * @module
 */

/** A table of outcomes, faults down, operations across. */
export class FaultMatrix {
  readonly #rows = new Map<string, Map<string, string>>();

  /**
   * @param title store name, printed above the table
   * @param ops the operations (columns), in order
   */
  constructor(readonly title: string, readonly ops: string[]) {}

  /** Records the outcome of `op` under `fault`. */
  record(fault: string, op: string, outcome: string): void {
    let row = this.#rows.get(fault);
    if (row === undefined) this.#rows.set(fault, row = new Map());
    row.set(op, outcome);
  }

  /** The table as text. */
  toString(): string {
    const head = ["fault \\ operation", ...this.ops];
    const body = [...this.#rows].map(([fault, row]) => [
      fault,
      ...this.ops.map((op) => row.get(op) ?? "-"),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
    return [
      `Fault matrix: ${this.title}`,
      line(head),
      widths.map((w) => "-".repeat(w)).join("-|-"),
      ...body.map(line),
    ].join("\n");
  }

  /** Prints the table. */
  print(): void {
    console.log("\n" + this.toString() + "\n");
  }
}
