import { columnMeta, currencyFields, type ColumnMeta } from './columns.js';

/** A table column; fieldtype/options (when known) let the desk format it as its own fields. */
export interface Column extends ColumnMeta {
  fieldname: string;
  label: string;
}

/** What the chat answers with; the desk dialog renders these (frappe_app/.../public/js/ask_ai/). */
export type Block =
  | {
      type: 'table';
      title?: string;
      /** Rows may also hold fields that are no column, e.g. the "currency" a Currency column names. */
      columns: Column[];
      rows: Array<Record<string, unknown>>;
      /**
       * One per row: the record the desk opens. A record, not a URL: the desk builds the route under /app (v15) or
       * /desk (v16) for the version it runs (ask_ai/format.js), so no answer carries a stale prefix.
       */
      links: Array<{ doctype: string; name: string } | null>;
    }
  /** `detail`: Frappe's own words behind a refusal, for a collapsible part of the dialog. */
  | { type: 'text'; text: string; detail?: string }
  | { type: 'number'; label: string; value: number }
  | { type: 'confirm'; summary: string; tool: string; arguments: Record<string, unknown>; token: string };

export function label(fieldname: string): string {
  if (fieldname === 'name') return 'ID';
  return fieldname
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** A table of documents, each row linking to its form, each column typed as far as it is known. */
export function documentTable(
  doctype: string,
  columns: string[],
  rows: Array<Record<string, unknown>>,
  title?: string,
): Block {
  const described: Column[] = columns.map((fieldname) => ({
    fieldname,
    label: label(fieldname),
    ...(fieldname === 'name' ? { fieldtype: 'Link', options: doctype } : columnMeta(doctype, fieldname)),
  }));
  // Keep a Currency column's currency field when the row has it, so each amount shows in its own currency.
  const extra = currencyFields(described).filter((f) => !columns.includes(f));
  return {
    type: 'table',
    ...(title ? { title } : {}),
    columns: described,
    rows: rows.map((r) => {
      const row: Record<string, unknown> = Object.fromEntries(columns.map((c) => [c, r[c] ?? null]));
      for (const f of extra) if (typeof r[f] === 'string') row[f] = r[f];
      return row;
    }),
    links: rows.map((r) => (typeof r.name === 'string' ? { doctype, name: r.name } : null)),
  };
}
