/** Rows of one table gathered over several pages until a batch is worth a bulk insert. Bounded by the caller. */
import type { TableRows } from '../normalize/types.js';

export class TableBuffer {
  readonly table: string;
  #columns: string[] = [];
  #index = new Map<string, number>();
  #rows: unknown[][] = [];

  constructor(table: string) {
    this.table = table;
  }

  get size(): number {
    return this.#rows.length;
  }

  add(rows: TableRows): void {
    const sameColumns = rows.columns.length === this.#columns.length && rows.columns.every((name, i) => this.#columns[i] === name);
    if (sameColumns || this.#rows.length === 0) {
      if (!sameColumns) this.#setColumns(rows.columns);
      for (const row of rows.rows) this.#rows.push(row);
      return;
    }
    // Column sets differ (schema evolution or sparse records): map into the union, new columns at the end.
    for (const name of rows.columns) {
      if (!this.#index.has(name)) {
        this.#index.set(name, this.#columns.length);
        this.#columns.push(name);
      }
    }
    const positions = rows.columns.map((name) => this.#index.get(name)!);
    for (const row of rows.rows) {
      const mapped: unknown[] = new Array(this.#columns.length).fill(null);
      positions.forEach((position, i) => (mapped[position] = row[i]));
      this.#rows.push(mapped);
    }
  }

  /** Returns the buffered rows and empties the buffer. */
  take(): TableRows {
    const taken: TableRows = { table: this.table, columns: this.#columns, rows: this.#rows };
    this.#columns = [];
    this.#index = new Map();
    this.#rows = [];
    return taken;
  }

  #setColumns(columns: readonly string[]): void {
    this.#columns = [...columns];
    this.#index = new Map(columns.map((name, i) => [name, i]));
  }
}
