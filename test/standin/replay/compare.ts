import type { RawResponse } from './http.js';
import { text } from '../../../src/standin/text.js';

/** Values that differ on every run (timestamps, generated ids, timings) are compared by presence only. */
const VOLATILE = new Set([
  'creation',
  'modified',
  'execution_time',
  'exp',
  'iat',
  '__frappe_exc_id',
  'job_id',
  'queued_at',
  'report_end_time',
  'at_hash',
  'migration_hash',
  'peak_memory_usage',
]);
const RECORDER_KEYS = new Set(['_trimmed', '_keys', '_keys_present', '_filters_extracted_from_script']);
const HASH_NAME = /^[a-z0-9]{10}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PLACEHOLDER = /<([A-Z0-9_]+(?:\([^)]*\))?)>/g;

export interface Expectation {
  /** Placeholder → value for everything this run knows; others match any text. */
  vars: Map<string, string>;
  /** JSON paths (dot-joined) whose values are not compared for this transcript. */
  ignore?: readonly string[];
  /**
   * `all` (default): every value must match (the stand-in's seed is the site the transcripts were recorded on).
   * `outcome`: the recording came from a site with other data (the v16 site: 64 customers, other names and
   * dates), so data values are not compared; status, headers, cookies, body shape and the values that say what
   * happened (exception class, error, message text, paging flags) still are.
   */
  valuesOf?: 'all' | 'outcome';
}

/** Keys whose values say what happened rather than which data the site held (compared in `outcome` mode). */
const OUTCOME_KEYS = new Set([
  'exc_type',
  'type',
  'error',
  'home_page',
  'token_type',
  'has_next_page',
  'session_expired',
  'as_table',
  'indicator',
  'raise_exception',
  'title',
  'token_endpoint_auth_method',
  'grant_types_supported',
  'response_types_supported',
  'code_challenge_methods_supported',
  'token_endpoint_auth_methods_supported',
  'bearer_methods_supported',
  'issuer',
  'resource',
  'authorization_servers',
  'registration_endpoint',
]);

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function patternOf(text: string, vars: Map<string, string>): RegExp {
  let re = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    re += escapeRe(text.slice(last, m.index));
    const known = vars.get(m[1]!);
    re += known === undefined ? '[^&"\\s;]+' : escapeRe(known);
    last = m.index + m[0].length;
  }
  re += escapeRe(text.slice(last));
  return new RegExp(`^${re}$`, 's');
}

/** Message text without HTML, links, digits and case, for loose comparison of `_server_messages`. */
export function normaliseMessage(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/https?:\/\/[^\s"']+/g, 'URL')
    .replace(/\d/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function decodeServerMessages(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  return (JSON.parse(raw) as string[]).map((m) => text((JSON.parse(m) as { message?: unknown }).message ?? ''));
}

function messagesMatch(exp: string, act: string): boolean {
  const e = normaliseMessage(exp);
  const a = normaliseMessage(act);
  return e === a || a.includes(e) || e.includes(a);
}

class Diff {
  readonly problems: string[] = [];
  add(path: string, msg: string): void {
    if (this.problems.length < 25) this.problems.push(`${path || '(body)'}: ${msg}`);
  }
}

function isTrimMarker(v: unknown): boolean {
  return typeof v === 'string' && /^\.\.\.\d+ more/.test(v);
}

function compareValue(exp: unknown, act: unknown, path: string, e: Expectation, d: Diff, trimmed: boolean): void {
  const key = path.split('.').at(-1) ?? '';
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  if (e.ignore?.some((p) => dotted === p || dotted.startsWith(`${p}.`))) return;
  if (VOLATILE.has(key)) return;
  if (typeof exp === 'string') {
    if (exp.match(PLACEHOLDER)) {
      if (!patternOf(exp, e.vars).test(String(act))) d.add(path, `expected ${exp}, got ${JSON.stringify(act)}`);
      return;
    }
    if (key === 'name' && HASH_NAME.test(exp) && typeof act === 'string' && HASH_NAME.test(act)) return;
    if (key.endsWith('date') && DATE.test(exp) && typeof act === 'string' && DATE.test(act)) return;
    // A trimmed body may describe a nested value in words ("105 fields", "6 DocPerm dicts").
    if (trimmed && Array.isArray(act) && /^\d+ /.test(exp)) return;
    if (key === '_server_messages') return compareMessages(exp, act, path, d);
    // v2 `errors[].message` carries the same texts: compared as loosely as `_server_messages`.
    if (
      key === 'message' &&
      /(errors|messages)\[\d+\]\.message$/.test(path) &&
      typeof act === 'string' &&
      messagesMatch(exp, act)
    )
      return;
    // The recorder replaced long sources by their length ("<4949 characters of the report's JavaScript ...>").
    if (/^<\d+ characters of /.test(exp)) return;
  }
  if (Array.isArray(exp)) return compareArray(exp as unknown[], act, path, e, d, trimmed);
  if (exp && typeof exp === 'object')
    return compareObject(exp as Record<string, unknown>, act, path, e, d, trimmed, false);
  if (e.valuesOf === 'outcome' && !outcomeKey(path)) return;
  if (exp !== act && !(typeof exp === 'number' && typeof act === 'number' && Math.abs(exp - act) < 1e-9)) {
    d.add(path, `expected ${JSON.stringify(exp)}, got ${JSON.stringify(act)}`);
  }
}

/** In `outcome` mode: whether the value at `path` is one of the compared ones (array items take their key). */
function outcomeKey(path: string): boolean {
  const key =
    path
      .replace(/(\[\d+\])+$/, '')
      .split('.')
      .at(-1) ?? '';
  return OUTCOME_KEYS.has(key);
}

function compareMessages(exp: string, act: unknown, path: string, d: Diff): void {
  const em = decodeServerMessages(exp);
  const am = decodeServerMessages(act);
  if (em.length !== am.length)
    return d.add(path, `expected ${em.length} messages ${JSON.stringify(em)}, got ${JSON.stringify(am)}`);
  em.forEach((m, i) => {
    if (!messagesMatch(m, am[i] ?? '')) d.add(`${path}[${i}]`, `expected "${m}", got "${am[i]}"`);
  });
}

function compareArray(exp: unknown[], act: unknown, path: string, e: Expectation, d: Diff, trimmed: boolean): void {
  if (!Array.isArray(act)) return d.add(path, `expected an array, got ${JSON.stringify(act)?.slice(0, 80)}`);
  const all = exp.filter((x) => !isTrimMarker(x));
  const cut = trimmed || all.length !== exp.length;
  const outcome = e.valuesOf === 'outcome' && !outcomeKey(path);
  // Another site's data: its lists have other lengths; the items both have are compared by shape.
  const items = outcome ? all.slice(0, act.length) : all;
  if (outcome && all.length > 0 && act.length === 0) d.add(path, `expected items, got none`);
  if (!cut && !outcome && items.length !== act.length) d.add(path, `expected ${items.length} items, got ${act.length}`);
  items.forEach((item, i) => {
    let target: unknown = act[i];
    const obj =
      item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    const idKey = obj && typeof obj.fieldname === 'string' ? 'fieldname' : 'name';
    const id = obj?.[idKey];
    if (cut && typeof id === 'string' && !(idKey === 'name' && HASH_NAME.test(id))) {
      target = act.find((a) => a && typeof a === 'object' && (a as Record<string, unknown>)[idKey] === id);
    }
    compareValue(item, target, `${path}[${i}]`, e, d, cut);
  });
}

function compareObject(
  exp: Record<string, unknown>,
  act: unknown,
  path: string,
  e: Expectation,
  d: Diff,
  trimmed: boolean,
  root: boolean,
): void {
  if (!act || typeof act !== 'object' || Array.isArray(act))
    return d.add(path, `expected an object, got ${JSON.stringify(act)?.slice(0, 80)}`);
  const a = act as Record<string, unknown>;
  const cut = trimmed || '_trimmed' in exp;
  // Recorder annotations (`_trimmed`, `_keys`, `_keys_present`, `_filters_extracted_from_script`) are not body keys.
  const keys = Object.keys(exp).filter((k) => !RECORDER_KEYS.has(k));
  if (root) {
    const want = [...keys].sort().join(',');
    const got = Object.keys(a).sort().join(',');
    if (want !== got) d.add(path, `top-level keys: expected [${want}], got [${got}]`);
  }
  for (const k of (exp._keys as string[] | undefined) ?? []) {
    const dotted = `${path}.${k}`.replace(/\[(\d+)\]/g, '.$1');
    if (!(k in a) && !e.ignore?.includes(dotted)) d.add(`${path}.${k}`, 'missing (listed in _keys)');
  }
  for (const k of keys) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in a)) {
      const dotted = p.replace(/\[(\d+)\]/g, '.$1');
      if (!root && !e.ignore?.some((x) => dotted === x || dotted.startsWith(`${x}.`))) d.add(p, 'missing');
      continue;
    }
    compareValue(exp[k], a[k], p, e, d, cut);
  }
}

/** Differences between a recorded response and the stand-in's; empty when they agree. */
export function compareResponse(
  recorded: { status: number; headers: Record<string, string | string[]>; body: unknown },
  actual: RawResponse,
  e: Expectation,
): string[] {
  const d = new Diff();
  if (recorded.status !== actual.status) d.add('status', `expected ${recorded.status}, got ${actual.status}`);
  const mime = (v: unknown): string =>
    text(v ?? '')
      .split(';')[0]!
      .trim();
  if (mime(recorded.headers['content-type']) !== mime(actual.headers['content-type'])) {
    d.add(
      'content-type',
      `expected ${String(recorded.headers['content-type'])}, got ${String(actual.headers['content-type'])}`,
    );
  }
  if (!e.ignore?.includes('set-cookie'))
    compareCookies(recorded.headers['set-cookie'], actual.headers['set-cookie'], e, d);
  const challenge = recorded.headers['www-authenticate'];
  const sentChallenge = actual.headers['www-authenticate'];
  if (typeof challenge === 'string' ? !patternOf(challenge, e.vars).test(String(sentChallenge ?? '')) : sentChallenge)
    d.add('www-authenticate', `expected ${String(challenge)}, got ${String(sentChallenge)}`);
  const loc = recorded.headers.location;
  if (typeof loc === 'string' && !patternOf(loc, e.vars).test(String(actual.headers.location ?? ''))) {
    d.add('location', `expected ${loc}, got ${String(actual.headers.location)}`);
  }
  const body = recorded.body;
  if (body && typeof body === 'object' && '_html_excerpt' in body) {
    for (const line of (body as { _html_excerpt: string[] })._html_excerpt) {
      const re = new RegExp(patternOf(line.trim(), e.vars).source.slice(1, -1), 's');
      if (!re.test(actual.body)) d.add('html', `missing line ${line}`);
    }
    return d.problems;
  }
  if (typeof body === 'string') {
    if (body !== actual.body)
      d.add('body', `expected ${JSON.stringify(body)}, got ${JSON.stringify(actual.body.slice(0, 200))}`);
    return d.problems;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(actual.body);
  } catch {
    d.add('body', `not JSON: ${actual.body.slice(0, 120)}`);
    return d.problems;
  }
  if (body && typeof body === 'object' && !Array.isArray(body))
    compareObject(body as Record<string, unknown>, parsed, '', e, d, false, true);
  else compareValue(body, parsed, '', e, d, false);
  return d.problems;
}

function cookieShape(c: string, outcome: boolean): string {
  const [pair = ''] = c.split(';');
  const [name = '', value = ''] = pair.split('=');
  const expires = /Expires=/.test(c) && !/Max-Age/.test(c) ? ' (expiring)' : '';
  if (name === 'sid') return `sid=${value === 'Guest' || value === '' ? value : 'session'}${expires}`;
  // Another site's data: users' full names differ (the v16 site calls limited@ "Lim").
  if (outcome && name === 'full_name' && value !== 'Guest' && value !== '') return `full_name=x${expires}`;
  return `${name}=${value.match(PLACEHOLDER) ? 'x' : value}${expires}`;
}

function compareCookies(
  exp: string | string[] | undefined,
  act: string | string[] | undefined,
  e: Expectation,
  d: Diff,
): void {
  const outcome = e.valuesOf === 'outcome';
  const want = ([] as string[]).concat(exp ?? []).map((c) => cookieShape(c, outcome));
  const got = ([] as string[]).concat(act ?? []).map((c) => cookieShape(c, outcome));
  if (want.join(' | ') !== got.join(' | '))
    d.add('set-cookie', `expected [${want.join(' | ')}], got [${got.join(' | ')}]`);
  const sid = ([] as string[]).concat(exp ?? []).find((c) => c.startsWith('sid=<'));
  if (sid) {
    const actualSid = ([] as string[]).concat(act ?? []).find((c) => c.startsWith('sid='));
    if (!actualSid || !patternOf(sid.split(';')[0]!, e.vars).test(actualSid.split(';')[0]!))
      d.add('set-cookie sid', `expected ${sid.split(';')[0]}, got ${actualSid?.split(';')[0]}`);
  }
}
