// The official MCP conformance suite (active suite, with conformance-baseline.yml) and the MCP Inspector CLI,
// both run against a real gateway + stand-in on loopback. See ../shared/mcp/AUTH.md §4.
//
// The conformance runner cannot send headers, so this gateway runs with the service account enabled:
// requests without a credential act as the demo admin key. Host/Origin go straight to the gateway,
// so dns-rebinding-protection tests the real guards.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startStack, type Stack } from '../helpers/stack.js';
import { CONFORMANCE, INSPECTOR, NODE22, npx, shq } from './npx.js';
import { tempDir } from '../helpers/temp.js';

const BASELINE = resolve(import.meta.dirname, '../../conformance-baseline.yml');
const MUST_PASS = ['server-initialize', 'ping', 'tools-list', 'tools-call-error', 'dns-rebinding-protection'];
const SALES = 'Authorization: token demo-sales-key:demo-sales-secret-2024';
const LIMITED = 'Authorization: token demo-limited-key:demo-limited-secret-2024';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    LOG_LEVEL: 'warn',
    SERVICE_ACCOUNT_ENABLED: 'true',
    SERVICE_ACCOUNT_API_KEY: 'demo-admin-key',
    SERVICE_ACCOUNT_API_SECRET: 'demo-admin-secret-2024',
  });
});

afterAll(async () => {
  await stack?.close();
});

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO';
  errorMessage?: string;
}

/** scenario → its checks, from `-o dir` (one `server-<scenario>-<timestamp>/checks.json` per scenario). */
function readChecks(dir: string): Map<string, Check[]> {
  const out = new Map<string, Check[]>();
  for (const entry of readdirSync(dir)) {
    const m = /^server-(.+)-\d{4}-\d\d-\d\dT/.exec(entry);
    if (!m) continue;
    out.set(m[1]!, JSON.parse(readFileSync(join(dir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  return out;
}

describe('MCP conformance suite (@modelcontextprotocol/conformance 0.1.16)', () => {
  it('lists only fixture/capability scenarios in the baseline, never the ones an ERP server must pass', () => {
    const baseline = parse(readFileSync(BASELINE, 'utf8')) as { server: string[] };
    expect(baseline.server.length).toBeGreaterThan(0);
    for (const s of MUST_PASS) expect(baseline.server).not.toContain(s);
    expect(new Set(baseline.server).size).toBe(baseline.server.length);
  });

  it('passes the active suite except for the baseline, with the five generic scenarios passing', async () => {
    const out = tempDir('fmg-conformance-');
    const url = `${stack.url}/mcp`;
    const cmd = `conformance server --url ${shq(url)} --expected-failures ${shq(BASELINE)} -o ${shq(out)}`;
    const run = await npx(['-p', NODE22, '-p', CONFORMANCE, '-c', cmd], 180_000);
    // Its own "Total: N passed, M failed" line stays out of the test output (AUTH.md §4.4).
    const report = `exit ${run.code}\n${run.stdout.slice(run.stdout.indexOf('=== SUMMARY ==='))}\n${run.stderr.slice(-2000)}`;
    expect(run.stdout, report).toContain('Baseline check passed');
    expect(run.code, report).toBe(0);

    const checks = readChecks(out);
    expect(checks.size, report).toBeGreaterThanOrEqual(30);
    for (const s of MUST_PASS) {
      const list = checks.get(s);
      expect(list, `${s} did not run\n${report}`).toBeDefined();
      expect(list!.length, `${s} ran no checks`).toBeGreaterThan(0);
      const bad = list!.filter((c) => c.status === 'FAILURE');
      expect(bad, `${s} failed: ${JSON.stringify(bad)}`).toEqual([]);
    }
    rmSync(out, { recursive: true, force: true });
  }, 200_000);
});

describe('MCP Inspector CLI (@modelcontextprotocol/inspector 2.12.0)', () => {
  it('lists the tools and calls them as the caller whose header it sends', async () => {
    const base = ['-p', INSPECTOR, 'mcp-inspector', '--cli', `${stack.url}/mcp`, '--transport', 'http'];
    const json = <T>(stdout: string): T => JSON.parse(stdout) as T;

    const list = await npx([...base, '--header', SALES, '--method', 'tools/list', '--format', 'json'], 90_000);
    expect(list.code, list.stderr).toBe(0);
    const tools = json<{ result: { tools: Array<{ name: string; description?: string; inputSchema: unknown }> } }>(
      list.stdout,
    ).result.tools;
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['whoami', 'list_documents', 'get_document', 'run_report']));
    for (const t of tools) {
      expect(t.description, t.name).toMatch(/\S{3}/);
      expect(t.inputSchema, t.name).toMatchObject({ type: 'object' });
    }

    // The caller's API key wins over the service account: the call runs as sales, not as the admin.
    const who = await npx(
      [...base, '--header', SALES, '--method', 'tools/call', '--tool-name', 'whoami', '--format', 'json'],
      90_000,
    );
    expect(who.code, who.stderr).toBe(0);
    expect(json<{ result: { structuredContent: unknown } }>(who.stdout).result.structuredContent).toMatchObject({
      user: 'sales@example.com',
      credential: 'api_key',
      service_account: false,
    });

    const args = JSON.stringify({ doctype: 'Customer', limit: 2 });
    const rows = await npx(
      [...base, '--header', SALES, '--method', 'tools/call', '--tool-name', 'list_documents'].concat([
        '--tool-args-json',
        args,
        '--format',
        'json',
      ]),
      90_000,
    );
    expect(rows.code, rows.stderr).toBe(0);
    const result = json<{ result: { structuredContent: { doctype: string; rows: unknown[] } } }>(rows.stdout).result;
    expect(result.structuredContent.doctype).toBe('Customer');
    expect(result.structuredContent.rows).toHaveLength(2);

    // A user without Customer read gets a tool error (isError → exit 5), with Frappe's refusal as the text.
    const refused = await npx(
      [...base, '--header', LIMITED, '--method', 'tools/call', '--tool-name', 'list_documents'].concat([
        '--tool-args-json',
        args,
        '--format',
        'json',
      ]),
      90_000,
    );
    expect(refused.code, refused.stdout + refused.stderr).toBe(5);
    expect(refused.stdout + refused.stderr).toMatch(/isError|PermissionError|permission/i);
  }, 300_000);
});
