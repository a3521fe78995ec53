import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { startStandin, type Standin } from '../../src/standin/index.js';

let standin: Standin;
const tsx = resolve('node_modules/.bin/tsx');

beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.close();
});

function transport(env: Record<string, string>): { t: StdioClientTransport; stderr: () => string } {
  const t = new StdioClientTransport({
    command: tsx,
    args: ['src/index.ts', 'stdio'],
    env: { PATH: process.env.PATH ?? '', FRAPPE_URL: standin.url, LOG_LEVEL: 'info', ...env },
    stderr: 'pipe',
  });
  let err = '';
  t.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { t, stderr: () => err };
}

describe('frappe-mcp-gateway stdio', () => {
  it('serves tools over stdio as the user whose API key is in the environment', async () => {
    const { sales } = DEMO_API_KEYS;
    const { t, stderr } = transport({ FRAPPE_API_KEY: sales.key, FRAPPE_API_SECRET: sales.secret });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(t);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.structuredContent).toMatchObject({ user: 'sales@example.com', credential: 'api_key' });
    await client.close();
    expect(stderr()).not.toContain(sales.secret);
    const forwarded = standin.requests.filter((r) => r.user === 'sales@example.com');
    expect(forwarded.length).toBeGreaterThan(0);
    expect(forwarded.every((r) => r.auth === 'token')).toBe(true);
  });

  it('refuses to start without a credential, saying what to set', async () => {
    const { t, stderr } = transport({});
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await expect(client.connect(t)).rejects.toThrow();
    expect(stderr()).toMatch(/FRAPPE_API_KEY and FRAPPE_API_SECRET/);
    expect(stderr()).not.toMatch(/\n\s+at /);
  });

  it('refuses to start with a credential Frappe rejects', async () => {
    const { t, stderr } = transport({ FRAPPE_API_KEY: 'demo-sales-key', FRAPPE_API_SECRET: 'wrong-secret' });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await expect(client.connect(t)).rejects.toThrow();
    expect(stderr()).toMatch(/refused the credential/);
    expect(stderr()).not.toContain('wrong-secret');
  });
});
