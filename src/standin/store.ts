/** A stored document: Frappe's `as_dict()` shape (columns, `doctype`, child tables as arrays of row dicts). */
export type Doc = Record<string, unknown>;

/** In-memory tables keyed by DocType; each table keeps insertion order, which is what un-ordered lists return. */
export class Store {
  private tables = new Map<string, Map<string, Doc>>();
  private lastMicros = 0;
  private hashSeq = 0;

  constructor(private readonly clock: () => number) {}

  private table(doctype: string): Map<string, Doc> {
    let t = this.tables.get(doctype);
    if (!t) {
      t = new Map();
      this.tables.set(doctype, t);
    }
    return t;
  }

  get(doctype: string, name: string): Doc | undefined {
    return this.tables.get(doctype)?.get(name);
  }

  /** Rows in insertion order. The array is fresh; the rows are the stored objects (clone before handing out). */
  list(doctype: string): Doc[] {
    return [...(this.tables.get(doctype)?.values() ?? [])];
  }

  count(doctype: string): number {
    return this.tables.get(doctype)?.size ?? 0;
  }

  /** Insert, or replace in place (an update keeps the row's position). */
  put(doctype: string, doc: Doc): void {
    this.table(doctype).set(String(doc.name), doc);
  }

  remove(doctype: string, name: string): boolean {
    return this.tables.get(doctype)?.delete(name) ?? false;
  }

  /** A Frappe datetime string, strictly increasing so `modified` checks and ordering stay meaningful. */
  timestamp(): string {
    const micros = Math.max(this.clock() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    const d = new Date(Math.floor(micros / 1000));
    const frac = String(Math.floor(micros % 1_000_000)).padStart(6, '0');
    return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}.${frac}`;
  }

  today(): string {
    return new Date(this.clock()).toISOString().slice(0, 10);
  }

  /** A 10-char name like Frappe's hash autoname; sorts after every seeded hash name. */
  hashName(): string {
    this.hashSeq += 1;
    return `k${this.hashSeq.toString(36).padStart(9, '0')}`;
  }

  snapshot(): Map<string, Map<string, Doc>> {
    return structuredClone(this.tables);
  }

  restore(snapshot: Map<string, Map<string, Doc>>): void {
    this.tables = structuredClone(snapshot);
    this.hashSeq = 0;
  }
}
