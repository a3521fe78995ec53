import type { Reply, RequestContext } from './context.js';
import { intArg } from './context.js';
import { deleteDoc, insertDoc, loadDoc, present, requireMeta, updateDoc } from './documents.js';
import { FrappeError } from './errors.js';
import { metaDoc } from './meta-doc.js';
import { callMethod } from './methods.js';
import { countRows, runQuery } from './query.js';
import type { StandinState } from './state.js';
import type { Doc } from './store.js';

const NO_COPY = new Set([
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'amended_from',
  'parent',
  'parentfield',
  'parenttype',
]);

/** frappe.copy_doc as v2 `/copy` returns it: no identity fields, nulls removed, child rows copied as-is. */
function copyDoc(doc: Doc, child = false): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === null || (NO_COPY.has(k) && !(child && k.startsWith('parent')))) continue;
    out[k] = Array.isArray(v) ? (v as Doc[]).map((r) => copyDoc(r, true)) : v;
  }
  return out;
}

const werkzeug404: Reply = {
  status: 404,
  noCookies: true,
  html: '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n',
};

/** /api/v2/...: results under `data`, errors under `errors` (rendered by the app). */
export function v2(ctx: RequestContext, state: StandinState, segments: string[]): Reply {
  const [kind, a, b, c, d] = segments;
  if (kind === 'method' && a) {
    const out = callMethod(ctx, state, a);
    if ('reply' in out) return out.reply;
    return { body: { data: out.value ?? null } };
  }
  if (kind === 'doctype' && a && b === 'meta') return { body: { data: metaDoc(requireMeta(ctx, a), false) } };
  if (kind === 'doctype' && a && b === 'count') return { body: { data: countRows(ctx, a, ctx.args.filters) } };
  if (kind === 'document' && a && b === undefined) {
    if (ctx.method === 'GET') {
      const limit = intArg(ctx.args.limit, 20);
      // 16 reads one row more than asked to say whether another page exists; there limit=0 means no rows.
      const paging = ctx.traits.v2Paging;
      const res = runQuery(ctx, a, {
        fields: ctx.args.fields,
        filters: ctx.args.filters,
        or_filters: ctx.args.or_filters,
        order_by: ctx.args.order_by,
        group_by: ctx.args.group_by,
        // v2 pages with limit_start; a `start` argument is ignored (recorded).
        start: intArg(ctx.args.limit_start, 0),
        limit: paging ? limit + 1 : limit,
        parent: ctx.args.parent,
      });
      if (!paging) return { body: { data: res.rows } };
      return { body: { data: res.rows.slice(0, limit), has_next_page: res.rows.length > limit } };
    }
    if (ctx.method === 'POST') return { body: { data: present(ctx, insertDoc(ctx, a, ctx.args).doc, false) } };
  }
  if (kind === 'document' && a && b !== undefined) {
    if (c === 'copy' && ctx.method === 'GET') return { body: { data: copyDoc(loadDoc(ctx, a, b)) } };
    // No whitelisted controller methods are modelled; 16 sets the session cookies even on this bare 404.
    if (c === 'method' && d) return ctx.traits.richerPayloads ? { ...werkzeug404, noCookies: false } : werkzeug404;
    if (c === undefined) {
      if (ctx.method === 'GET') return { body: { data: present(ctx, loadDoc(ctx, a, b), false) } };
      if (ctx.method === 'PATCH' || ctx.method === 'PUT')
        return { body: { data: present(ctx, updateDoc(ctx, a, b, ctx.args), false) } };
      if (ctx.method === 'DELETE') {
        deleteDoc(ctx, a, b);
        return { status: 202, body: { data: 'ok' } };
      }
    }
  }
  throw new FrappeError('DoesNotExistError');
}
