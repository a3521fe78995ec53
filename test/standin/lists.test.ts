import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, startStandin, type Standin } from '../../src/standin/index.js';
import { call } from './helpers.js';

const token = { Authorization: `token ${DEMO_API_KEYS.admin.key}:${DEMO_API_KEYS.admin.secret}` };
const q = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');

describe('stand-in list queries', () => {
  let s: Standin;
  beforeAll(async () => {
    s = await startStandin();
  });
  afterAll(() => s.close());

  it('pages through 30+ customers with order_by without duplicates or gaps', async () => {
    const all = await call(
      s,
      `/api/resource/Customer?${q({ fields: ['name'], order_by: 'name asc', limit_page_length: 0 })}`,
      { headers: token },
    );
    const names: string[] = all.body.data.map((r: { name: string }) => r.name);
    expect(names.length).toBeGreaterThanOrEqual(30);
    const paged: string[] = [];
    for (let start = 0; start < names.length; start += 7) {
      const page = await call(
        s,
        `/api/resource/Customer?${q({ fields: ['name'], order_by: 'name asc', limit_start: start, limit_page_length: 7 })}`,
        { headers: token },
      );
      paged.push(...page.body.data.map((r: { name: string }) => r.name));
    }
    expect(paged).toEqual(names);
    expect(new Set(paged).size).toBe(paged.length);
  });

  it('applies list and dict filters with operators', async () => {
    const cases: Array<[unknown, number]> = [
      [[['customer_group', '=', 'Commercial']], 14],
      [{ customer_group: ['in', ['Government', 'Non Profit']] }, 10],
      [[['customer_name', 'like', '%corp%']], 3],
      [[['customer_group', 'not in', 'Commercial,Individual']], 10],
      [[['territory', '!=', 'United States']], 10],
      [[['customer_details', 'is', 'not set']], 32],
      [[['creation', 'between', ['2026-01-01', '2026-12-31']]], 32],
    ];
    for (const [filters, count] of cases) {
      const res = await call(s, `/api/method/frappe.client.get_count?${q({ doctype: 'Customer', filters })}`, {
        headers: token,
      });
      expect([filters, res.body.message]).toEqual([filters, count]);
    }
  });

  it('reads a date-only between on a date-time field the way Frappe does: the last day counts whole', async () => {
    const count = async (doctype: string, filters: unknown): Promise<number> => {
      const res = await call(s, `/api/method/frappe.client.get_count?${q({ doctype, filters })}`, { headers: token });
      return res.body.message as number;
    };
    // Every seeded customer was created on the afternoon of 2026-11-22: Acme Corp at 16:21, thirty more from
    // 16:29:43.849361 within a second, the recorder's own at 16:37.
    expect(await count('Customer', [['creation', 'between', ['2026-11-01', '2026-11-22']]])).toBe(32);
    expect(await count('Customer', [['modified', 'between', ['2026-11-22', '2026-11-22']]])).toBe(32);
    expect(await count('Customer', [['creation', 'between', ['2026-11-23', '2026-11-30']]])).toBe(0);
    // A bound with a time is taken as given; a short time means its full form (16:29 = 16:29:00.000000).
    expect(await count('Customer', [['creation', 'between', ['2026-11-01', '2026-11-22 16:29']]])).toBe(1);
    expect(await count('Customer', [['creation', 'between', ['2026-11-22 16:29:43.849361', '2026-11-22 16:30']]])).toBe(
      30,
    );
    // A Datetime docfield (Prepared Report queued_at, 16:41:14 and 16:41:27) is stretched the same way.
    expect(await count('Prepared Report', [['queued_at', 'between', ['2026-11-22', '2026-11-22']]])).toBe(2);
    expect(await count('Prepared Report', [['queued_at', 'between', ['2026-11-22', '2026-11-22 16:41:20']]])).toBe(1);
    // A Date field compares dates: a time on either bound is cut off, so the order dated 2026-11-22 is in.
    const orders = await count('Sales Order', [['transaction_date', '=', '2026-11-22']]);
    expect(orders).toBeGreaterThan(0);
    expect(
      await count('Sales Order', [['transaction_date', 'between', ['2026-11-22 10:00:00', '2026-11-22 09:00:00']]]),
    ).toBe(orders);
    // Any other field compares as given.
    expect(await count('Customer', [['name', 'between', ['Acme Corp', 'Buy n Large']]])).toBe(5);
  });

  it('takes a missing date bound, or a date value that is not a list, as today (the site’s clock)', async () => {
    const late = await startStandin({ now: () => Date.parse('2026-11-24T12:00:00Z') });
    try {
      const count = async (filters: unknown): Promise<number> => {
        const res = await call(late, `/api/method/frappe.client.get_count?${q({ doctype: 'Customer', filters })}`, {
          headers: token,
        });
        return res.body.message as number;
      };
      // From 2026-11-22 to today (the 24th): every seeded customer.
      expect(await count([['creation', 'between', ['2026-11-22']]])).toBe(32);
      // From the 23rd to today: none. A string is not split into bounds: both are today, so none either.
      expect(await count([['creation', 'between', ['2026-11-23']]])).toBe(0);
      expect(await count([['creation', 'between', '2026-11-01,2026-11-30']])).toBe(0);
    } finally {
      await late.close();
    }
  });

  it('groups with count and answers arrays for as_dict=0', async () => {
    const grouped = await call(
      s,
      `/api/resource/Customer?${q({ fields: ['customer_group', 'count(name) as count'], group_by: 'customer_group', order_by: 'count desc' })}`,
      { headers: token },
    );
    expect(grouped.body.data[0]).toEqual({ customer_group: 'Commercial', count: 14 });
    const arrays = await call(
      s,
      `/api/resource/Customer?${q({ fields: ['name', 'territory'], order_by: 'name asc', limit_page_length: 1, as_dict: '0' })}`,
      { headers: token },
    );
    expect(arrays.body.data).toEqual([['Acme Corp', 'United States']]);
  });

  it('rejects unknown fields with DataError 417', async () => {
    const res = await call(s, `/api/resource/Customer?${q({ filters: [['nope', '=', 1]] })}`, { headers: token });
    expect(res.status).toBe(417);
    expect(res.body.exc_type).toBe('DataError');
  });
});
