import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan, type Plan } from '../../src/chat/planner.js';
import type { SiteLookups } from '../../src/chat/site.js';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { connectMcp, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { clearCaches, mcpLookups } from './site-helpers.js';
import { UNSEEN_ASKS, type DateRange, type Expect, type UnseenAsk, type Want } from './unseen-asks.js';

/** Monday 2026-11-30, as in the corpus. */
const today = new Date('2026-11-30T10:00:00Z');
const RANGES: Record<DateRange, [string, string]> = {
  today: ['2026-11-30', '2026-11-30'],
  yesterday: ['2026-11-29', '2026-11-29'],
  'this week': ['2026-11-30', '2026-12-06'],
  'last week': ['2026-11-23', '2026-11-29'],
  'this month': ['2026-11-01', '2026-11-30'],
  'last month': ['2026-10-01', '2026-10-31'],
  'this year': ['2026-01-01', '2026-12-31'],
  q1: ['2026-01-01', '2026-03-31'],
};
/** Nine in ten, issue #14's bar for asks the planner has never seen. */
const MIN_RATE = 0.9;

type Filter = [string, string, unknown];
const oneOf = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const same = (a: unknown, b: unknown): boolean =>
  typeof a === 'string' && typeof b === 'string'
    ? a.toLowerCase() === b.toLowerCase()
    : JSON.stringify(a) === JSON.stringify(b);

function dateFilterMatches(f: Filter, fields: string[], range: DateRange): boolean {
  const [from, to] = RANGES[range];
  if (!fields.includes(f[0])) return false;
  if (from === to) return (f[1] === '=' && f[2] === from) || (f[1] === 'between' && same(f[2], [from, to]));
  return f[1] === 'between' && same(f[2], [from, to]);
}

/** Every wanted filter is there, and nothing else (but docstatus = 1 on an aggregate of submitted documents). */
function filtersProblem(
  actual: Filter[],
  wants: Want[],
  dates: { field: string | string[]; range: DateRange } | undefined,
  allowSubmitted: boolean,
): string | undefined {
  // `in` with one value is `=`: the same filter, as Frappe runs it.
  const left = actual.map((f): Filter =>
    f[1] === 'in' && Array.isArray(f[2]) && f[2].length === 1 ? [f[0], '=', f[2][0]] : f,
  );
  const take = (ok: (f: Filter) => boolean): boolean => {
    const i = left.findIndex(ok);
    if (i >= 0) left.splice(i, 1);
    return i >= 0;
  };
  for (const w of wants) {
    const options = Array.isArray(w) ? [w] : w.any;
    if (!take((f) => options.some((o) => o[0] === f[0] && o[1] === f[1] && same(o[2], f[2]))))
      return `missing filter ${JSON.stringify(w)}`;
  }
  if (dates && !take((f) => dateFilterMatches(f, oneOf(dates.field), dates.range)))
    return `missing date filter ${oneOf(dates.field).join('|')} ${dates.range}`;
  const extra = left.filter((f) => !(allowSubmitted && f[0] === 'docstatus' && f[1] === '=' && f[2] === 1));
  return extra.length ? `unexpected filters ${JSON.stringify(extra)}` : undefined;
}

/** Why the plan is not the expected answer, or undefined when it is. */
export function problem(p: Plan, e: Expect): string | undefined {
  if ('refuse' in e) return p.kind === 'refusal' ? undefined : `expected a refusal, got ${p.kind}`;
  if ('clarify' in e) return p.kind === 'ask' ? undefined : `expected a question, got ${p.kind}`;
  if ('unplaced' in e) {
    const said = p.kind === 'tool' ? p.notes.join(' ') : p.kind === 'ask' ? '' : p.message;
    return new RegExp(`could not place “${e.unplaced}”`, 'i').test(said) &&
      (p.kind !== 'tool' || !p.call.arguments.filters)
      ? undefined
      : `expected “${e.unplaced}” named as not placed, got ${JSON.stringify(p).slice(0, 200)}`;
  }
  if (p.kind !== 'tool') return `expected a tool call, got ${p.kind}: ${'message' in p ? p.message.slice(0, 120) : ''}`;
  const args = p.call.arguments;
  const filters = (args.filters ?? []) as Filter[];
  if (e.call === 'aggregate') {
    if (p.call.name !== 'aggregate_documents') return `expected aggregate_documents, got ${p.call.name}`;
    if (!oneOf(e.doctype).includes(args.doctype as string)) return `doctype ${String(args.doctype)}`;
    if (e.parent && !oneOf(e.parent).includes(args.parent_doctype as string))
      return `parent ${String(args.parent_doctype)}`;
    if (args.function !== e.fn) return `function ${String(args.function)}`;
    if (!oneOf(e.field).includes(args.field as string)) return `field ${String(args.field)}`;
    if (args.group_by !== e.group_by) return `group_by ${String(args.group_by)}`;
    if (e.limit !== undefined && args.limit !== e.limit) return `limit ${String(args.limit)}`;
    return filtersProblem(filters, e.filters ?? [], e.dates, true);
  }
  const tool = e.call === 'list' ? 'list_documents' : 'count_documents';
  if (p.call.name !== tool) return `expected ${tool}, got ${p.call.name} on ${String(args.doctype)}`;
  if (args.doctype !== e.doctype) return `doctype ${String(args.doctype)}`;
  if (e.limit !== undefined && args.limit !== e.limit) return `limit ${String(args.limit)}`;
  if (e.order) {
    const [field = '', dir = 'asc'] = (typeof args.order_by === 'string' ? args.order_by : '').split(/\s+/);
    if (!oneOf(e.order.field).includes(field) || (e.order.dir && dir !== e.order.dir))
      return `order_by ${String(args.order_by)}`;
  }
  return filtersProblem(filters, e.filters ?? [], e.dates, false);
}

let stack: Stack;
let admin: Client;
let site: SiteLookups;

beforeAll(async () => {
  clearCaches();
  stack = await startStack();
  admin = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret));
  site = mcpLookups(admin, stack.standin.url, 'Administrator');
});
afterAll(async () => {
  await admin.close();
  await stack.close();
});

describe('asks written blind, never seen by the planner (issue #14: nine in ten)', () => {
  it(`handles at least ${MIN_RATE * 100}% of them as expected, against the stand-in`, async () => {
    const misses: Array<{ a: UnseenAsk; why: string }> = [];
    for (const a of UNSEEN_ASKS) {
      const p = await plan({ message: a.ask, user: 'Administrator', today }, site);
      const why = problem(p, a.expect);
      if (why) misses.push({ a, why });
    }
    const passed = UNSEEN_ASKS.length - misses.length;
    const report = misses.map((m) => `  [${m.a.cls}] “${m.a.ask}”: ${m.why}`).join('\n');
    expect(
      passed / UNSEEN_ASKS.length,
      `${passed}/${UNSEEN_ASKS.length} handled; misses:\n${report}`,
    ).toBeGreaterThanOrEqual(MIN_RATE);
  });
});
