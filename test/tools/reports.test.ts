import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { expectOnlyAuthorization, expectOnlySid, fails, frappeCalls, ok } from './helpers.js';
import type { Data, Row } from './helpers.js';

let stack: Stack;
let sidSales: string;
let sales: Client;
let admin: Client;
let limited: Client;
const adminAuth = `token ${DEMO_API_KEYS.admin.key}:${DEMO_API_KEYS.admin.secret}`;
const GL = { company: 'Test Company', from_date: '2026-01-01', to_date: '2026-11-22' };

beforeAll(async () => {
  stack = await startStack();
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  sales = await connectMcp(stack.url, sidHeader(sidSales));
  admin = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret), 'modern');
  limited = await connectMcp(stack.url, tokenHeader(DEMO_API_KEYS.limited.key, DEMO_API_KEYS.limited.secret));
});
afterAll(async () => {
  await Promise.all([sales.close(), admin.close(), limited.close()]);
  await stack.close();
});
beforeEach(() => stack.standin.resetRequests());

describe('list_reports', () => {
  it('lists reports by module with a total', async () => {
    const r = await ok(admin, 'list_reports', { module: 'Accounts', limit: 50, include_total: true });
    expect(r.reports.map((x: Row) => x.name)).toContain('General Ledger');
    expect(r.reports.every((x: Row) => x.module === 'Accounts')).toBe(true);
    expect(r.total).toBeGreaterThan(0);
    expectOnlyAuthorization(stack.standin.requests, adminAuth, 'Administrator');
  });

  it('gives limited@example.com Frappe’s refusal', async () => {
    expect(await fails(limited, 'list_reports', {})).toMatch(/403/);
  });
});

describe('describe_report', () => {
  it('shows General Ledger filters with required flags, from the report script', async () => {
    const r = await ok(admin, 'describe_report', { report_name: 'General Ledger' });
    expect(r.required).toEqual(['company', 'from_date', 'to_date']);
    expect(r.filters.find((f: Row) => f.fieldname === 'company')).toMatchObject({
      fieldtype: 'Link',
      options: 'Company',
      reqd: true,
    });
    expect(frappeCalls(stack.standin.requests, 'query_report.get_script')).toHaveLength(1);
  });

  it('passes on Frappe’s 404 for an unknown report', async () => {
    expect(await fails(admin, 'describe_report', { report_name: 'No Such Report' })).toMatch(/404/);
  });
});

describe('run_report', () => {
  it('checks required filters against the describe_report definition before running', async () => {
    const text = await fails(admin, 'run_report', {
      report_name: 'General Ledger',
      filters: { company: 'Test Company' },
    });
    expect(text).toMatch(/from_date/);
    expect(text).toMatch(/to_date/);
    expect(text).not.toMatch(/company \(/);
    expect(frappeCalls(stack.standin.requests, 'query_report.run')).toHaveLength(0);
  });

  it('runs General Ledger with POST and pages through its rows exactly once', async () => {
    const first = await ok(admin, 'run_report', { report_name: 'General Ledger', filters: GL, limit: 2 });
    expect(first.columns.length).toBeGreaterThan(0);
    expect(first.rows).toHaveLength(2);
    expect(first.total_rows).toBeGreaterThan(2);
    const run = frappeCalls(stack.standin.requests, 'query_report.run')[0]!;
    expect(run.method).toBe('POST');
    expectOnlyAuthorization(stack.standin.requests, adminAuth, 'Administrator');
    const seen = [...first.rows];
    let cursor = first.next_cursor;
    while (cursor) {
      const page: Data = await ok(admin, 'run_report', {
        report_name: 'General Ledger',
        filters: GL,
        limit: 2,
        cursor,
      });
      seen.push(...page.rows);
      cursor = page.next_cursor;
    }
    expect(seen).toHaveLength(first.total_rows);
    const whole = await ok(admin, 'run_report', { report_name: 'General Ledger', filters: GL, limit: 200 });
    expect(seen).toEqual(whole.rows);
    expect(
      await fails(admin, 'run_report', {
        report_name: 'General Ledger',
        filters: { ...GL, to_date: '2026-06-30' },
        cursor: first.next_cursor,
      }),
    ).toMatch(/different query/);
  });

  it('explains prepared reports and computes them with ignore_prepared_report', async () => {
    const filters = { company: 'Test Company', from_date: '2026-02-01', to_date: '2026-11-21' };
    const queued = await ok(admin, 'run_report', { report_name: 'Stock Balance', filters });
    expect(queued.prepared_report).toBe(true);
    expect(queued.rows).toEqual([]);
    expect(queued.hint).toMatch(/ignore_prepared_report/);
    const now = await ok(admin, 'run_report', { report_name: 'Stock Balance', filters, ignore_prepared_report: true });
    expect(now.rows.length).toBeGreaterThan(0);
    expect(now.prepared_report).toBeUndefined();
  });

  it('says when rows come from a completed prepared run', async () => {
    const filters = { company: 'Test Company', from_date: '2026-03-01', to_date: '2026-11-20' };
    stack.standin.state.store.put('Prepared Report', {
      name: 'prep-test-1',
      doctype: 'Prepared Report',
      report_name: 'Stock Balance',
      status: 'Completed',
      filters: JSON.stringify(filters),
      report_end_time: '2026-11-20 10:00:00',
    });
    const r = await ok(admin, 'run_report', { report_name: 'Stock Balance', filters });
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.prepared_report).toBe(true);
    expect(r.hint).toMatch(/prepared run finished at 2026-11-20/);
  });

  it('runs a report computed from live data for a sid caller only', async () => {
    const r = await ok(sales, 'run_report', {
      report_name: 'Sales Order Analysis',
      filters: { company: 'Test Company', from_date: '2026-01-01', to_date: '2026-12-31' },
    });
    expect(Array.isArray(r.rows)).toBe(true);
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('passes on Frappe’s refusal for a report the user may not run', async () => {
    expect(await fails(limited, 'run_report', { report_name: 'General Ledger', filters: GL })).toMatch(/403/);
    expect(await fails(admin, 'run_report', { report_name: 'No Such Report' })).toMatch(/404/);
  });
});
