import type { RequestContext } from './context.js';
import { intArg, str } from './context.js';
import { listRefusal } from './query.js';
import { getMeta } from './meta.js';
import { access, canAccessDoc } from './permissions.js';
import type { Doc } from './store.js';
import { text } from './text.js';

function candidates(ctx: RequestContext, doctype: string): Doc[] {
  const meta = getMeta(doctype);
  if (!meta || access(ctx.user, doctype, 'read') === 'none') throw listRefusal(ctx, doctype);
  const txt = (str(ctx.args.txt) ?? '').toLowerCase();
  const fields = ['name', meta.title_field, ...meta.search_fields].filter((f): f is string => Boolean(f));
  return ctx.store
    .list(doctype)
    .filter((d) => canAccessDoc(ctx.user, doctype, 'read', d))
    .filter(
      (d) =>
        !txt ||
        fields.some((f) =>
          text(d[f] ?? '')
            .toLowerCase()
            .includes(txt),
        ),
    )
    .sort((a, b) => String(a.name).localeCompare(String(b.name)))
    .slice(0, intArg(ctx.args.page_length, 10) || undefined);
}

/** search_link: `{value, description}` where description joins the title and search fields that have values. */
export function searchLink(ctx: RequestContext): unknown {
  const doctype = text(ctx.args.doctype ?? '');
  const meta = getMeta(doctype);
  return candidates(ctx, doctype).map((d) => {
    const parts = [...new Set([meta?.title_field, ...(meta?.search_fields ?? [])])]
      .filter((f): f is string => Boolean(f) && f !== 'name')
      .map((f) => d[f])
      .filter((v) => v !== null && v !== undefined && v !== '' && v !== d.name);
    const withTitle = meta?.title_field && d[meta.title_field] === d.name ? [d.name, ...parts] : parts;
    const row = { value: d.name, description: withTitle.map(String).join(', ') };
    return ctx.traits.richerPayloads ? { ...row, label: d.name } : row;
  });
}

/** search_widget: rows of [name, title, ...search fields]. */
export function searchWidget(ctx: RequestContext): unknown {
  const doctype = text(ctx.args.doctype ?? '');
  const meta = getMeta(doctype);
  const cols = [meta?.title_field, ...(meta?.search_fields ?? [])].filter((f): f is string => Boolean(f));
  return candidates(ctx, doctype).map((d) => [d.name, ...cols.map((c) => d[c] ?? null)]);
}

/** frappe.utils.global_search.search over Customers and Items the user may read. */
export function search(ctx: RequestContext): unknown {
  const txt = (str(ctx.args.text) ?? '').toLowerCase();
  const limit = intArg(ctx.args.limit, 20);
  const out: unknown[] = [];
  for (const [doctype, label, field] of [
    ['Customer', 'Customer Name', 'customer_name'],
    ['Item', 'Item Name', 'item_name'],
  ] as const) {
    if (access(ctx.user, doctype, 'read') === 'none') continue;
    for (const d of ctx.store.list(doctype)) {
      const title = text(d[field] ?? '');
      if (!title.toLowerCase().includes(txt) && !String(d.name).toLowerCase().includes(txt)) continue;
      out.push({
        doctype,
        name: d.name,
        content: `${label} : ${title} ||| Name : ${String(d.name)}`,
        rank: 1.0,
        image: null,
        ...(ctx.traits.richerPayloads ? { title } : {}),
      });
    }
  }
  return out.slice(0, limit);
}
