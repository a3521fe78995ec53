import type { Standin } from '../../../src/standin/index.js';
import type { Doc } from '../../../src/standin/store.js';
import { send } from './http.js';
import { loadTranscript, transcriptNames, type Transcript } from '../../helpers/transcripts.js';
import type { FrappeMajor } from '../../../src/standin/version.js';
import type { World } from './world.js';

type Setup = (s: Standin, t: Transcript, w: World) => Promise<void> | void;

const SO = 'Sales Order';

function so(s: Standin, name: string): Doc {
  const doc = s.state.store.get(SO, name);
  if (!doc) throw new Error(`seed lacks ${name}`);
  return doc;
}

function setDocstatus(s: Standin, name: string, docstatus: 0 | 1 | 2): Doc {
  const doc = so(s, name);
  doc.docstatus = docstatus;
  doc.status = ['Draft', 'To Deliver and Bill', 'Cancelled'][docstatus];
  for (const row of doc.items as Doc[]) row.docstatus = docstatus;
  return doc;
}

/** The Sales Order as the request's `doc` JSON says it was when the recording was made. */
function asSent(s: Standin, t: Transcript): void {
  const sent = (t.request.body as { doc: Doc }).doc;
  const doc = setDocstatus(s, String(sent.name), Number(sent.docstatus) as 0 | 1);
  doc.modified = sent.modified;
}

function addCustomer(s: Standin, name: string, modified = '2026-11-22 16:41:56.170984'): void {
  const base = s.state.store.get('Customer', 'Initech')!;
  const owner = 'sales@example.com';
  s.state.store.put('Customer', {
    ...structuredClone(base),
    name,
    customer_name: name,
    owner,
    modified_by: owner,
    modified,
  });
}

/** Recordings made before "Recorder Test Customer - 1" existed (31 customers). */
const noRecorderCustomer: Setup = (s) => void s.state.store.remove('Customer', 'Recorder Test Customer - 1');

/** The fake client IP of a recording (each site's recording used its own). */
const sentFrom = (t: Transcript): string => t.request.headers['X-Forwarded-For'] ?? '127.0.0.1';

async function failLogins(s: Standin, ip: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await send(
      s.url,
      'POST',
      '/api/method/login',
      { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
      JSON.stringify({ usr: 'nobody@example.com', pwd: 'wrong' }),
    );
  }
}

async function exchange(w: World, n: number, verifier: string | undefined): Promise<void> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: await w.resolve(`AUTH_CODE_${n}`),
    redirect_uri: 'http://127.0.0.1:8765/callback',
    client_id: await w.resolve('CLIENT_ID'),
  });
  if (verifier !== undefined) form.set('code_verifier', verifier);
  await send(
    w.s.url,
    'POST',
    '/api/method/frappe.integrations.oauth2.get_token',
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    form.toString(),
  );
}

/**
 * State the recording had at that moment but the seed does not (the seed is the site *after* all recordings).
 * Keyed by transcript name; everything else replays against the plain seed.
 */
const SETUPS_V15: Record<string, Setup> = {
  'rest-submit-sales-order-post': (s) => {
    for (const d of s.state.store.list(SO)) s.state.store.remove(SO, String(d.name));
  },
  'rest-submit-amend-post': (s) => void s.state.store.remove(SO, 'SAL-ORD-2026-00001-1'),
  'rest-submit-put-after-submit': (s) => void setDocstatus(s, 'SAL-ORD-2026-00001', 1),
  'rest-submit-delete-submitted': (s) => void setDocstatus(s, 'SAL-ORD-2026-00001', 1),
  'rest-submit-put-docstatus-1': (s) => void setDocstatus(s, 'SAL-ORD-2026-00003', 0),
  'rest-submit-put-docstatus-2': (s) => void setDocstatus(s, 'SAL-ORD-2026-00003', 1),
  'rest-submit-run_method-submit': (s) => void setDocstatus(s, 'SAL-ORD-2026-00004', 0),
  'method-submit-client-submit': asSent,
  'method-submit-client-submit-again': asSent,
  'method-submit-client-cancel': (s) => void setDocstatus(s, 'SAL-ORD-2026-00001', 1),
  'rest-sales-sid-customer-post-same-name': (s) => {
    s.state.store.remove('Customer', 'Recorder Test Customer - 1');
    addCustomer(s, 'Recorder Test Customer');
  },
  'rest-sales-sid-customer-put': (s) => addCustomer(s, 'Recorder Test Customer'),
  'rest-sales-sid-customer-put-bad-link': (s) => addCustomer(s, 'Recorder Test Customer'),
  'rest-sales-sid-customer-put-stale-modified': (s) => addCustomer(s, 'Recorder Test Customer'),
  'rest-sales-sid-customer-delete-403': (s) => addCustomer(s, 'Recorder Test Customer'),
  'rest-admin-token-customer-delete': (s) => addCustomer(s, 'Recorder Test Customer'),
  'v2-document-patch': (s) => addCustomer(s, 'V2 Test Customer'),
  'v2-document-patch-stale-modified': (s) => addCustomer(s, 'V2 Test Customer', '2026-11-22 16:41:56.367526'),
  'v2-document-delete': (s) => addCustomer(s, 'V2 Test Customer'),
  'v2-document-delete-403': (s) => addCustomer(s, 'V2 Test Customer'),
  'report-run-stock-balance': (s) => void s.state.store.remove('Prepared Report', 'jqcp1m24mo'),
  'auth-login-lockout-locked': (s, t) => failLogins(s, sentFrom(t), 11),
  'auth-login-lockout-correct-password': (s, t) => failLogins(s, sentFrom(t), 11),
  'error-rate-limit-reset_password-429': async (s, t) => {
    for (let i = 0; i < 3; i += 1) {
      await send(
        s.url,
        'POST',
        '/api/method/frappe.core.doctype.user.user.reset_password',
        { 'Content-Type': 'application/json', 'X-Forwarded-For': sentFrom(t) },
        '{"user":"Administrator"}',
      );
    }
  },
  'oauth-token-code-reused': async (_s, _t, w) => exchange(w, 1, await w.resolve('CODE_VERIFIER_1')),
  'oauth-token-pkce-after-bad-verifier': (_s, _t, w) =>
    exchange(w, 2, 'this-is-not-the-verifier-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
  'oauth-token-pkce-after-missing-verifier': (_s, _t, w) => exchange(w, 3, undefined),
  'csrf-post-bearer-only': noRecorderCustomer,
  'csrf-post-sales-sid-no-app': noRecorderCustomer,
  'rest-sales-sid-customer-list-limit-0': noRecorderCustomer,
  'rest-sales-sid-customer-list-group_by-count': noRecorderCustomer,
  'rest-sales-sid-customer-list-filters-list': noRecorderCustomer,
  'rest-sales-sid-customer-list-filters-dict': noRecorderCustomer,
};

/** Values the recording cannot share with a fresh site (document numbers of another instance). */
/** ERPNext side-computations the stand-in does not model on a full Sales Order (stock valuation, amount in words). */
const SO_DERIVED = ['message.in_words', 'message.base_in_words', 'message.payment_schedule', 'message.items.0'];
/** DocField rows are modelled as fieldname/label/type/options/reqd/in_list_view only. */
const META_FIELDS = ['docs.0.fields', 'data.fields'];

const IGNORED_V15: Record<string, readonly string[]> = {
  // Recorded on a second instance: other document numbers, and the sales user was called "Sally" there.
  'rest-submit-post-docstatus-1-leaves-status-draft': ['data.name', 'set-cookie'],
  // Frappe keeps this null column in a v1 GET; the stand-in drops nulls for every DocType.
  'report-prepared-status': ['data.error_message'],
  'v2-document-copy': [
    'data.items.0.valuation_rate',
    'data.items.0.gross_profit',
    'data.items.0.actual_qty',
    'data.items.0.projected_qty',
  ],
  'method-submit-client-cancel': SO_DERIVED,
  'method-submit-client-submit-again': SO_DERIVED,
  'method-submit-client-submit': SO_DERIVED,
  'meta-getdoctype-limited': META_FIELDS,
  'meta-getdoctype-sales-order': META_FIELDS,
  'meta-v2-doctype-meta': META_FIELDS,
  'meta-v2-doctype-meta-limited': META_FIELDS,
  // Ageing buckets depend on the ageing filters; the stand-in serves the rows recorded with the full filter set.
  'report-run-accounts-receivable-missing-company': ['message.result', 'message.chart'],
};

/** The document a request is about: from its path, or its `doc` / `doctype`+`name` arguments. */
function docRef(t: Transcript): [doctype: string, name: string] | undefined {
  const m = /^\/api\/(?:resource|v2\/document)\/([^/]+)\/([^/]+)/.exec(t.request.path);
  if (m) return [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
  const args = { ...(t.request.query ?? {}), ...(typeof t.request.body === 'object' ? t.request.body : {}) };
  const raw = args.doc;
  const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Doc | undefined;
  const doctype = doc?.doctype ?? args.doctype;
  const name = doc?.name ?? args.name;
  return typeof doctype === 'string' && typeof name === 'string' ? [doctype, name] : undefined;
}

/** Gives the seed document the v15 recording used the name the v16 site had for it (its own numbering). */
function renameAsOn16(s: Standin, t15: Transcript, t16: Transcript): void {
  const from = docRef(t15);
  const to = docRef(t16);
  if (!from || !to || from[0] !== to[0] || from[1] === to[1]) return;
  rename(s, from[0], from[1], to[1]);
}

function rename(s: Standin, doctype: string, from: string, to: string): void {
  const doc = s.state.store.get(doctype, from);
  if (!doc || s.state.store.get(doctype, to)) return;
  s.state.store.remove(doctype, from);
  const renamed = { ...doc, name: to };
  for (const value of Object.values(renamed))
    if (Array.isArray(value)) for (const row of value as Doc[]) if (row.parent === from) row.parent = to;
  s.state.store.put(doctype, renamed);
}

/** Setups of the exchanges recorded on 16 only. */
const V16_ONLY: Record<string, Setup> = {
  // The sid was sent together with a valid Bearer of another user just before (auth-sid-and-bearer-get_logged_user).
  'v16-auth-sid-after-sid-and-bearer': async (s, _t, w) => {
    const bearer = s.issueBearer('sales@example.com').access_token;
    await send(s.url, 'GET', '/api/method/frappe.auth.get_logged_user', {
      Cookie: `sid=${await w.resolve('SID_ADMIN')}`,
      Authorization: `Bearer ${bearer}`,
    });
  },
};

/** Documents the v16 recording refers to by its own name where the request does not say which (amendments). */
const V16_NAMES: Record<string, [doctype: string, v15: string, v16: string]> = {
  'rest-submit-amend-post': ['Sales Order', 'SAL-ORD-2026-00001', 'SAL-ORD-2026-00021'],
};

/**
 * The v16 site replayed the v15 requests in the same order, so each exchange starts from the state its v15
 * counterpart did: the same setup, with documents renamed to the v16 site's names.
 */
const SETUPS_V16: Record<string, Setup> = Object.fromEntries(
  transcriptNames(16).map((name): [string, Setup] => [
    name,
    async (s, t16, w) => {
      const t15 = transcriptNames(15).includes(name) ? loadTranscript(name, 15) : undefined;
      const setup = SETUPS_V15[name];
      if (!t15) return V16_ONLY[name]?.(s, t16, w);
      await setup?.(s, setup === asSent ? t15 : t16, w);
      renameAsOn16(s, t15, t16);
      const alias = V16_NAMES[name];
      if (alias) rename(s, ...alias);
      // The submitted doc carries the v16 site's `modified`: the renamed document must have it too.
      if (setup === asSent) asSent(s, t16);
    },
  ]),
);

/** Keys ERPNext 16 added to Sales Order that the stand-in's (15) data model does not have. */
const SO_FIELDS_16 = [
  'transaction_time',
  'is_subcontracted',
  'last_scanned_warehouse',
  'ignore_default_payment_terms_template',
  'advance_payment_status',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'item_wise_tax_details',
].map((k) => `message.${k}`);
/** DocType keys Frappe 16 added to getdoctype / v2 meta answers (not modelled: the tools never read them). */
const META_KEYS_16 = ['__workspaces', 'masked_fields', 'rows_threshold_for_grid_search', 'default_print_format'];

/**
 * On top of v15's: the data model of ERPNext 16 (new fields, report columns) and the v16 site's other data.
 * Status, exception, headers and every other key of these answers are still compared.
 */
const IGNORED_V16: Record<string, readonly string[]> = {
  ...IGNORED_V15,
  'meta-getdoctype-limited': [...META_FIELDS, ...META_KEYS_16.map((k) => `docs.0.${k}`)],
  // The v16 site's Sales Order meta also sends a fourth DocType (a child table added by ERPNext 16).
  'meta-getdoctype-sales-order': [...META_FIELDS, ...META_KEYS_16.map((k) => `docs.0.${k}`), 'docs.3'],
  'meta-v2-doctype-meta': [...META_FIELDS, 'data.rows_threshold_for_grid_search'],
  'meta-v2-doctype-meta-limited': [...META_FIELDS, 'data.rows_threshold_for_grid_search'],
  'method-submit-client-cancel': [...SO_DERIVED, ...SO_FIELDS_16],
  'method-submit-client-submit-again': [...SO_DERIVED, ...SO_FIELDS_16],
  'rest-sales-sid-customer-list-fields-star': ['data.0.first_name', 'data.0.last_name', 'data.0.tax_withholding_group'],
  'v2-document-copy': [
    ...(IGNORED_V15['v2-document-copy'] ?? []),
    'data.items.0.fg_item_qty',
    'data.items.0.subcontracted_qty',
    'data.items.0.requested_qty',
  ],
  // ERPNext 16 report columns (ageing range0, party_name, remarks) and the v16 site's own ledger rows.
  'report-run-accounts-receivable': ['message.result'],
  'report-run-general-ledger': ['message.result'],
  'report-run-sales-order-analysis-sales': ['message.result'],
  // On the v16 site Initech's first link is a Sales Invoice; in the seed it is a Sales Order (same refusal).
  'rest-admin-token-customer-delete-linked': ['_server_messages'],
};

export const SETUPS: Record<FrappeMajor, Record<string, Setup>> = { 15: SETUPS_V15, 16: SETUPS_V16 };
export const IGNORED_PATHS: Record<FrappeMajor, Record<string, readonly string[]>> = {
  15: IGNORED_V15,
  16: IGNORED_V16,
};
