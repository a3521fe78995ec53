import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, startStandin, type Standin } from '../../src/standin/index.js';
import { call } from './helpers.js';

/** The buying side, groups and the custom DocType added for the chat planner (src/standin/meta-buying.ts). */
describe('stand-in buying data', () => {
  let s: Standin;
  let admin: string;
  let sales: string;
  beforeAll(async () => {
    s = await startStandin();
    admin = await s.login(DEMO_USERS.admin.user, DEMO_USERS.admin.password);
    sales = await s.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  });
  afterAll(() => s.close());

  it('lists suppliers with their group and country to a privileged user, and refuses a Sales User', async () => {
    const res = await call(s, '/api/resource/Supplier?fields=["name","country"]&filters=[["country","=","India"]]', {
      sid: admin,
    });
    expect(res.body.data.map((d: { name: string }) => d.name).sort()).toEqual([
      'Bharat Electricals',
      'Sunrise Services',
      'Tech Source India',
    ]);
    expect((await call(s, '/api/resource/Supplier', { sid: sales })).status).toBe(403);
    expect((await call(s, '/api/resource/Purchase Invoice', { sid: sales })).status).toBe(403);
  });

  it('lets anyone search DocType names, as Frappe’s search_link ignores permissions for DocType', async () => {
    const res = await call(s, '/api/method/frappe.desk.search.search_link?doctype=DocType&txt=sales%20visit', {
      sid: sales,
    });
    expect(res.status).toBe(200);
    expect(res.body.message.map((r: { value: string }) => r.value)).toEqual(['Sales Visit']);
  });

  it('marks the custom DocType as custom in the DocType list', async () => {
    const res = await call(
      s,
      '/api/method/frappe.client.get_list?doctype=DocType&fields=["name","custom"]&filters=[["name","in",["Sales Visit","Customer"]]]',
      { sid: admin },
    );
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        { name: 'Sales Visit', custom: 1 },
        { name: 'Customer', custom: 0 },
      ]),
    );
  });

  it('sends the active Workflow with the Purchase Order metadata', async () => {
    const res = await call(s, '/api/method/frappe.desk.form.load.getdoctype?doctype=Purchase%20Order', { sid: sales });
    const main = res.body.docs[0];
    expect(main.__workflow_docs[0]).toMatchObject({
      name: 'Purchase Order Approval',
      workflow_state_field: 'workflow_state',
    });
    const so = await call(s, '/api/method/frappe.desk.form.load.getdoctype?doctype=Sales%20Order', { sid: sales });
    expect(so.body.docs[0].__workflow_docs).toBeNull();
  });
});
