import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/index.js';

describe('stand-in fault injection', () => {
  let s: Standin;
  beforeAll(async () => {
    s = await startStandin();
  });
  afterAll(() => s.close());

  it('drops the connection when down', async () => {
    s.setFault('down');
    await expect(fetch(`${s.url}/api/method/ping`)).rejects.toThrow();
    s.setFault(null);
    expect((await fetch(`${s.url}/api/method/ping`)).status).toBe(200);
  });

  it('answers 502 (or the given status) and HTML 500 pages', async () => {
    s.setFault('5xx');
    expect((await fetch(`${s.url}/api/method/ping`)).status).toBe(502);
    s.setFault('5xx', { status: 503 });
    expect((await fetch(`${s.url}/api/method/ping`)).status).toBe(503);
    s.setFault('html');
    const res = await fetch(`${s.url}/api/method/ping`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('text/html');
    s.setFault(null);
  });

  it('delays answers when slow, only on matching paths', async () => {
    s.setFault('slow', { delayMs: 150, paths: /ping/ });
    let t = Date.now();
    await fetch(`${s.url}/api/method/ping`);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    t = Date.now();
    await fetch(`${s.url}/api/method/frappe.realtime.get_user_info`);
    expect(Date.now() - t).toBeLessThan(140);
    s.setFault(null);
  });
});
