import type { Reply, RequestContext } from './context.js';
import { intArg, str, truthy } from './context.js';
import { cancelDoc, deleteDoc, insertDoc, loadDoc, present, staleDocument, submitDoc, updateDoc } from './documents.js';
import { FrappeError, notWhitelisted, thrown } from './errors.js';
import { parseFilters, parseJsonParam } from './filters.js';
import { getDoctype } from './meta-doc.js';
import {
  approve,
  authorize,
  getToken,
  introspectToken,
  openidConfiguration,
  openidProfile,
  revokeToken,
} from './oauth.js';
import { registerClient } from './oauth-metadata.js';
import { access, isSystemManager, rolesOf } from './permissions.js';
import { countRows, runQuery } from './query.js';
import { getScript, makePreparedReport, runReport } from './reports.js';
import { search, searchLink, searchWidget } from './search.js';
import type { StandinState } from './state.js';
import type { Doc } from './store.js';
import { findUser } from './users.js';
import { text } from './text.js';

type Handler = (ctx: RequestContext, state: StandinState) => unknown;

interface MethodDef {
  fn: Handler;
  guest?: boolean;
  /** HTTP methods allowed (whitelist(methods=...)); default GET/POST/PUT/DELETE. */
  methods?: readonly string[];
}

/** A missing positional argument is a Python TypeError: bare 500. */
function need(ctx: RequestContext, key: string): string {
  const v = ctx.args[key];
  if (v === undefined || v === null) throw new FrappeError('TypeError');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function docArg(ctx: RequestContext, key = 'doc'): Doc {
  const raw = parseJsonParam(ctx.args[key]);
  if (!raw || typeof raw !== 'object') throw new FrappeError('TypeError');
  return raw as Doc;
}

function getValue(ctx: RequestContext): unknown {
  const doctype = need(ctx, 'doctype');
  if (access(ctx.user, doctype, 'read') === 'none') throw thrown('PermissionError', `No permission for ${doctype}`);
  const fieldname = parseJsonParam(ctx.args.fieldname ?? 'name');
  const fields = Array.isArray(fieldname) ? fieldname.map(String) : [String(fieldname)];
  const filters = parseFilters(ctx.args.filters ?? need(ctx, 'filters'));
  const result = runQuery(ctx, doctype, {
    fields: JSON.stringify(fields),
    filters: filters.map((c) => [c.field, c.op, c.value]),
    limit: 1,
  });
  return result.rows[0] ?? {};
}

function listArgs(ctx: RequestContext): Parameters<typeof runQuery>[2] {
  const a = ctx.args;
  return {
    fields: a.fields,
    filters: a.filters,
    or_filters: a.or_filters,
    order_by: a.order_by,
    group_by: a.group_by,
    start: intArg(a.limit_start ?? a.start, 0),
    limit: intArg(a.limit_page_length ?? a.limit ?? a.page_length, 20),
    parent: a.parent,
  };
}

function reportviewGet(ctx: RequestContext): unknown {
  const doctype = need(ctx, 'doctype');
  const res = runQuery(ctx, doctype, {
    fields: ctx.args.fields,
    filters: ctx.args.filters,
    or_filters: ctx.args.or_filters,
    order_by: ctx.args.order_by,
    group_by: ctx.args.group_by,
    start: intArg(ctx.args.start, 0),
    limit: intArg(ctx.args.page_length, 20),
    defaultOrder: 'modified desc',
  });
  if (res.rows.length === 0) return [];
  const keys = [...res.keys];
  const withComments = truthy(ctx.args.with_comment_count);
  if (withComments) keys.push('_comment_count');
  const values = res.rows.map((r) => [...res.keys.map((k) => r[k] ?? null), ...(withComments ? [0] : [])]);
  return { keys, values, user_info: {} };
}

function generateKeys(ctx: RequestContext, state: StandinState): unknown {
  const user = need(ctx, 'user');
  if (!isSystemManager(ctx.user)) throw thrown('PermissionError', 'Not permitted');
  const secret = Math.random().toString(16).slice(2, 17).padEnd(15, '0');
  let apiKey: string | undefined;
  for (const [key, entry] of state.apiKeys)
    if (entry.user === user) {
      state.apiKeys.set(key, { user, secret });
      apiKey = key;
    }
  return ctx.traits.richerPayloads ? { api_key: apiKey ?? null, api_secret: secret } : { api_secret: secret };
}

/** reset_password is rate limited to 3 calls per hour per client IP (429 RateLimitExceededError). */
function resetPassword(ctx: RequestContext, state: StandinState): unknown {
  const calls = (state.resetCalls.get(ctx.ip) ?? []).filter((t) => ctx.now - t < 3_600_000);
  if (calls.length >= 3)
    throw thrown(
      'RateLimitExceededError',
      'You hit the rate limit because of too many requests. Please try after sometime.',
    );
  calls.push(ctx.now);
  state.resetCalls.set(ctx.ip, calls);
  const user = need(ctx, 'user');
  if (user === 'Administrator') return 'not allowed';
  if (!findUser(user)) return 'not found';
  return undefined;
}

/** frappe.client.get_count(doctype, filters, debug, cache): 15 ignores permissions and extra arguments, 16 checks both. */
function getCount(ctx: RequestContext): unknown {
  const strict = ctx.traits.strictGetCount;
  if (strict && Object.keys(ctx.args).some((k) => !GET_COUNT_ARGS.has(k))) throw new FrappeError('TypeError');
  return countRows(ctx, need(ctx, 'doctype'), ctx.args.filters, !strict);
}
const GET_COUNT_ARGS = new Set(['doctype', 'filters', 'debug', 'cache', 'cmd', 'sid', 'csrf_token']);

const POST = ['POST'] as const;

export const METHODS: Record<string, MethodDef> = {
  ping: { fn: () => 'pong', guest: true },
  'frappe.auth.get_logged_user': { fn: (ctx) => ctx.user },
  // Frappe's get_roles answers for any uid without a permission check (frappe/core/doctype/user/user.py).
  'frappe.core.doctype.user.user.get_roles': {
    fn: (ctx) => {
      const uid = typeof ctx.args.uid === 'string' && ctx.args.uid ? ctx.args.uid : ctx.user;
      return [...new Set([...rolesOf(uid), 'All', 'Guest'])];
    },
  },
  'frappe.realtime.get_user_info': {
    guest: true,
    fn: (ctx) =>
      ctx.traits.userInfoNeedsSocketSecret
        ? {}
        : { user: ctx.user, user_type: ctx.user === 'Guest' ? 'Website User' : 'System User' },
  },
  'frappe.client.get_count': { fn: getCount },
  // Whitelisted for any signed-in user: the apps installed on the site and their versions.
  'frappe.utils.change_log.get_versions': {
    fn: (ctx) => {
      const v = ctx.traits.versions;
      const branch = `version-${ctx.traits.major}`;
      return {
        frappe: { title: 'Frappe Framework', description: 'Full stack web framework', branch, version: v.frappe },
        erpnext: { title: 'ERPNext', description: 'ERP made simple', branch, version: v.erpnext },
      };
    },
  },
  'frappe.client.get_list': {
    fn: (ctx) => {
      const res = runQuery(ctx, need(ctx, 'doctype'), listArgs(ctx));
      return ctx.args.as_dict !== undefined && !truthy(ctx.args.as_dict)
        ? res.rows.map((r) => res.keys.map((k) => r[k]))
        : res.rows;
    },
  },
  'frappe.client.get': {
    fn: (ctx) => {
      const doctype = need(ctx, 'doctype');
      const name = str(ctx.args.name) ?? text(parseFilters(ctx.args.filters)[0]?.value ?? '');
      return present(ctx, loadDoc(ctx, doctype, name), false);
    },
  },
  'frappe.client.get_value': { fn: getValue },
  'frappe.client.set_value': {
    methods: ['POST', 'PUT'],
    fn: (ctx) => {
      const doctype = need(ctx, 'doctype');
      const name = need(ctx, 'name');
      const fieldname = parseJsonParam(need(ctx, 'fieldname'));
      const values =
        typeof fieldname === 'object' && fieldname ? (fieldname as Doc) : { [String(fieldname)]: ctx.args.value };
      return present(ctx, updateDoc(ctx, doctype, name, values), false);
    },
  },
  'frappe.client.insert': { methods: POST, fn: (ctx) => present(ctx, insertFromDoc(ctx), false) },
  'frappe.client.submit': {
    methods: POST,
    fn: (ctx) => {
      const sent = docArg(ctx);
      const doctype = text(sent.doctype ?? '');
      const doc = loadDoc(ctx, doctype, text(sent.name ?? ''), 'submit');
      if (String(sent.modified) !== String(doc.modified)) throw staleDocument(ctx, doctype, doc, sent.modified);
      return present(ctx, submitDoc(ctx, doc), false);
    },
  },
  'frappe.client.cancel': {
    methods: POST,
    fn: (ctx) => present(ctx, cancelDoc(ctx, loadDoc(ctx, need(ctx, 'doctype'), need(ctx, 'name'), 'cancel')), false),
  },
  'frappe.client.delete': {
    methods: ['POST', 'DELETE'],
    fn: (ctx) => {
      deleteDoc(ctx, need(ctx, 'doctype'), need(ctx, 'name'));
      return undefined;
    },
  },
  'frappe.desk.reportview.get': { fn: reportviewGet },
  'frappe.desk.reportview.get_count': {
    fn: (ctx) => {
      const n = countRows(ctx, need(ctx, 'doctype'), ctx.args.filters);
      const limit = intArg(ctx.args.limit, 0);
      return limit > 0 ? Math.min(n, limit) : n;
    },
  },
  'frappe.desk.search.search_link': { fn: searchLink },
  'frappe.desk.search.search_widget': { fn: searchWidget },
  'frappe.utils.global_search.search': { fn: search },
  'frappe.desk.form.load.getdoctype': { fn: (ctx) => ({ __raw: getDoctype(ctx, need(ctx, 'doctype')) }) },
  'frappe.desk.query_report.run': { fn: runReport },
  'frappe.desk.query_report.get_script': { fn: getScript },
  'frappe.core.doctype.prepared_report.prepared_report.make_prepared_report': { fn: makePreparedReport },
  'frappe.core.doctype.user.user.generate_keys': { methods: POST, fn: generateKeys },
  'frappe.core.doctype.user.user.reset_password': { methods: POST, guest: true, fn: resetPassword },
  'frappe.model.workflow.get_transitions': {
    fn: (ctx) => {
      const sent = docArg(ctx);
      loadDoc(ctx, text(sent.doctype ?? ''), text(sent.name ?? ''));
      return []; // no Workflow is active on the seeded site
    },
  },
  'frappe.model.workflow.apply_workflow': {
    methods: POST,
    fn: (ctx) => {
      const sent = docArg(ctx);
      loadDoc(ctx, text(sent.doctype ?? ''), text(sent.name ?? ''));
      throw thrown('ValidationError', `No active Workflow for ${String(sent.doctype)}`);
    },
  },
  'frappe.integrations.oauth2.openid_configuration': {
    guest: true,
    fn: (ctx) => ({ __reply: openidConfiguration(ctx) }),
  },
  'frappe.integrations.oauth2.register_client': {
    guest: true,
    methods: POST,
    fn: (ctx, s) => ({ __reply: registerClient(ctx, s) }),
  },
  'frappe.integrations.oauth2.authorize': { guest: true, fn: (ctx, s) => ({ __reply: authorize(ctx, s) }) },
  'frappe.integrations.oauth2.approve': { guest: true, fn: (ctx, s) => ({ __reply: approve(ctx, s) }) },
  'frappe.integrations.oauth2.get_token': { guest: true, fn: (ctx, s) => ({ __reply: getToken(ctx, s) }) },
  'frappe.integrations.oauth2.revoke_token': {
    guest: true,
    methods: POST,
    fn: (ctx, s) => ({ __reply: revokeToken(ctx, s) }),
  },
  'frappe.integrations.oauth2.introspect_token': {
    guest: true,
    fn: (ctx, s) => ({ __reply: introspectToken(ctx, s) }),
  },
  'frappe.integrations.oauth2.openid_profile': { guest: true, fn: (ctx, s) => ({ __reply: openidProfile(ctx, s) }) },
};

function insertFromDoc(ctx: RequestContext): Doc {
  const doc = docArg(ctx);
  return insertDoc(ctx, text(doc.doctype ?? ''), doc).doc;
}

/** Real but not whitelisted functions, by the name Frappe resolves them to. */
const NOT_WHITELISTED: Record<string, string> = {
  'frappe.utils.now': 'frappe.utils.data.now',
  'frappe.utils.nowdate': 'frappe.utils.data.nowdate',
};
const KNOWN_APPS = new Set(['frappe', 'erpnext']);

function unknownMethod(name: string, v2: boolean): FrappeError {
  const prefix = v2 ? `Failed to get method ${name} with` : `Failed to get method for command ${name} with`;
  const parts = name.split('.');
  const app = parts[0] ?? '';
  const module = parts.slice(0, -1).join('.');
  if (!KNOWN_APPS.has(app)) {
    const reason = `App ${app} is not installed`;
    return new FrappeError('ValidationError', [
      { message: reason, title: 'Message', indicator: 'red', raise: true },
      { message: `${prefix} ${reason}`, title: 'Message', indicator: 'red', raise: true },
    ]);
  }
  const knownModule = Object.keys(METHODS).some((m) => m.startsWith(`${module}.`)) || module === 'frappe.utils';
  const reason = knownModule
    ? `module '${module}' has no attribute '${parts.at(-1) ?? ''}'`
    : `No module named '${module}'`;
  return thrown('ValidationError', `${prefix} ${reason}`);
}

/** Methods that exist on one version only: 16 removed the OIDC method (the well-known URL serves it) and added DCR. */
function removedIn(ctx: RequestContext, name: string): boolean {
  if (name === 'frappe.integrations.oauth2.openid_configuration') return ctx.traits.oauthServerMetadata;
  if (name === 'frappe.integrations.oauth2.register_client') return !ctx.traits.oauthServerMetadata;
  return false;
}

/** /api/method/<name>: whitelist and HTTP-method checks, then the call. Returns the value or a full Reply. */
export function callMethod(
  ctx: RequestContext,
  state: StandinState,
  name: string,
): { value: unknown } | { reply: Reply } {
  const def = METHODS[name] && !removedIn(ctx, name) ? METHODS[name] : undefined;
  if (!def) {
    const resolved = NOT_WHITELISTED[name];
    if (resolved) throw notWhitelisted(resolved);
    throw unknownMethod(name, ctx.v2);
  }
  if (!def.guest && ctx.user === 'Guest') throw notWhitelisted(name);
  const allowed = def.methods ?? ['GET', 'POST', 'PUT', 'DELETE'];
  if (!allowed.includes(ctx.method)) throw thrown('PermissionError', 'Not permitted');
  const value = def.fn(ctx, state);
  if (value && typeof value === 'object' && '__reply' in value) return { reply: (value as { __reply: Reply }).__reply };
  if (value && typeof value === 'object' && '__raw' in value) return { reply: { body: value.__raw, raw: true } };
  return { value };
}
