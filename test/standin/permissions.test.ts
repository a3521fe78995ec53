import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, startStandin, type Standin } from '../../src/standin/index.js';
import { call } from './helpers.js';

describe('stand-in permissions', () => {
  let s: Standin;
  let sales: string;
  let limited: string;
  beforeAll(async () => {
    s = await startStandin();
    sales = await s.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    limited = await s.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
  });
  afterAll(() => s.close());

  it('refuses the Customer list to the limited user with 403 and no session_expired', async () => {
    const res = await call(s, '/api/resource/Customer', { sid: limited });
    expect(res.status).toBe(403);
    expect(res.body.exc_type).toBe('PermissionError');
    expect(res.body._error_message).toBe('No permission for Customer');
    expect(res.body.session_expired).toBeUndefined();
  });

  it('lets sales create a Customer but not delete one', async () => {
    const created = await call(s, '/api/resource/Customer', {
      sid: sales,
      method: 'POST',
      body: { customer_name: 'Perm Test', customer_group: 'Commercial', territory: 'United States' },
    });
    expect(created.status).toBe(200);
    expect(created.body.data.name).toBe('Perm Test');
    const del = await call(s, '/api/resource/Customer/Perm%20Test', { sid: sales, method: 'DELETE' });
    expect(del.status).toBe(403);
    expect(JSON.parse(del.body._server_messages)).toHaveLength(2);
  });

  it('shows the limited user only their own ToDos', async () => {
    const res = await call(s, '/api/resource/ToDo?fields=["name","owner"]&limit_page_length=0', { sid: limited });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((r: { owner: string }) => r.owner === DEMO_USERS.limited.user)).toBe(true);
  });

  it('counts with frappe.client.get_count without checking permissions (recorded)', async () => {
    const res = await call(s, '/api/method/frappe.client.get_count?doctype=Customer', { sid: limited });
    expect(res.status).toBe(200);
    expect(res.body.message).toBeGreaterThanOrEqual(32);
    const checked = await call(s, '/api/method/frappe.desk.reportview.get_count?doctype=Customer', { sid: limited });
    expect(checked.status).toBe(403);
  });
});
