import { ToolInputError } from './define.js';

export type Doc = Record<string, unknown>;
type Row = Record<string, unknown>;

/** Keys Frappe manages itself; a caller's values for them are dropped. */
const MANAGED = new Set(['doctype', 'owner', 'creation', 'modified', 'modified_by', 'idx']);
const ROW_MANAGED = new Set([...MANAGED, 'parent', 'parentfield', 'parenttype', 'docstatus']);

function isRowList(v: unknown): v is Row[] {
  return Array.isArray(v) && v.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
}

/**
 * The body of a partial update: changed top-level fields as given, and every child table that is touched
 * sent whole (Frappe replaces a table with what a PUT carries), built from the current rows: rows with a
 * `name` are patched, rows without one are added, and rows are dropped only when listed in `remove`.
 */
export function mergeUpdate(current: Doc, values: Doc, remove: Record<string, string[]> = {}): Doc {
  const body: Doc = {};
  for (const [key, value] of Object.entries(values)) {
    if (MANAGED.has(key) || key === 'name') continue;
    if (key === 'docstatus') {
      throw new ToolInputError(
        'docstatus cannot be changed by update_document; use submit_document or cancel_document.',
      );
    }
    if (Array.isArray(current[key]) || Array.isArray(value)) {
      if (!isRowList(value)) throw new ToolInputError(`${key} is a child table: give a list of row objects.`);
      body[key] = mergeRows(key, asRows(current[key]), value, remove[key] ?? []);
    } else {
      body[key] = value;
    }
  }
  for (const [table, names] of Object.entries(remove)) {
    if (table in body) continue;
    if (!Array.isArray(current[table])) throw new ToolInputError(`${table} is not a child table of this document.`);
    body[table] = mergeRows(table, asRows(current[table]), [], names);
  }
  if (Object.keys(body).length === 0) throw new ToolInputError('Nothing to update: values is empty.');
  return body;
}

function asRows(v: unknown): Row[] {
  return isRowList(v) ? v : [];
}

function mergeRows(table: string, current: Row[], patch: Row[], remove: string[]): Row[] {
  const byName = new Map(current.map((r) => [String(r.name), r]));
  for (const name of remove) {
    if (!byName.has(name)) throw new ToolInputError(`${table} has no row named ${name} to remove.`);
  }
  const patched = new Map<string, Row>();
  const added: Row[] = [];
  for (const row of patch) {
    const clean = Object.fromEntries(Object.entries(row).filter(([k]) => !ROW_MANAGED.has(k)));
    if (typeof row.name === 'string' && row.name) {
      const existing = byName.get(row.name);
      if (!existing) {
        throw new ToolInputError(
          `${table} has no row named ${row.name}. Omit "name" to add a row; get_document shows the row names.`,
        );
      }
      if (remove.includes(row.name)) throw new ToolInputError(`Row ${row.name} is both patched and removed.`);
      patched.set(row.name, { ...existing, ...clean });
    } else {
      added.push(clean);
    }
  }
  const kept = current.filter((r) => !remove.includes(String(r.name))).map((r) => patched.get(String(r.name)) ?? r);
  return [...kept, ...added];
}

/** A new draft's values: a cancelled document's fields without its identity, linked back with `amended_from`. */
export function amendmentOf(cancelled: Doc, changes: Doc = {}): Doc {
  const copy: Doc = {};
  for (const [key, value] of Object.entries(cancelled)) {
    if (MANAGED.has(key) || key === 'name' || key === 'docstatus' || key === 'status' || key.startsWith('_')) continue;
    copy[key] = isRowList(value)
      ? value.map((r) =>
          Object.fromEntries(
            Object.entries(r).filter(([k]) => !ROW_MANAGED.has(k) && k !== 'name' && !k.startsWith('_')),
          ),
        )
      : value;
  }
  for (const [key, value] of Object.entries(changes)) {
    if (MANAGED.has(key) || key === 'name' || key === 'docstatus') continue;
    copy[key] = value;
  }
  copy.amended_from = cancelled.name;
  copy.docstatus = 0;
  return copy;
}

/** Keeps `fields` (plus name) of a document; undefined keeps everything. */
export function project(doc: Doc, fields: string[] | undefined): Doc {
  if (!fields?.length) return doc;
  const out: Doc = { name: doc.name };
  for (const f of fields) if (f in doc) out[f] = doc[f];
  return out;
}
