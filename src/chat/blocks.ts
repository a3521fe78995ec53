/** What the chat answers with; the desk dialog renders these (frappe_app/.../ask_ai.js). */
export type Block =
  | {
      type: 'table';
      title?: string;
      columns: Array<{ fieldname: string; label: string }>;
      rows: Array<Record<string, unknown>>;
      /** One per row: where the desk opens that record. */
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

/** A table of documents, each row linking to its form. */
export function documentTable(
  doctype: string,
  columns: string[],
  rows: Array<Record<string, unknown>>,
  title?: string,
): Block {
  return {
    type: 'table',
    ...(title ? { title } : {}),
    columns: columns.map((fieldname) => ({ fieldname, label: label(fieldname) })),
    rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))),
    links: rows.map((r) => (typeof r.name === 'string' ? { doctype, name: r.name } : null)),
  };
}

/** The desk route of a record, as the desk builds it (/app/<doctype-slug>/<name>). */
export function deskRoute(doctype: string, name: string): string {
  return `/app/${doctype.toLowerCase().replace(/ /g, '-')}/${encodeURIComponent(name)}`;
}
