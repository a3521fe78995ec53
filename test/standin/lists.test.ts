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
