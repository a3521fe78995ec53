import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { redactArguments } from '../../src/audit/redact.js';
import { createLogger } from '../../src/log/logger.js';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Stack } from '../helpers/stack.js';
import { tempDir } from '../helpers/temp.js';
import {
  manualCode,
  postForm,
  register,
  SALES,
  startOAuthStack,
  whoamiWithToken,
  type OAuthStack,
} from '../oauth/helpers.js';

const { sales, limited } = DEMO_API_KEYS;

type Line = Record<string, unknown>;
const auditLines = (logs: string[]): Line[] =>
  logs.map((l) => JSON.parse(l) as Line).filter((l) => l.audit === true && l.msg === 'audit');

/** Every secret a test used: none may appear in any audit line. */
const secrets = [sales.secret, limited.secret, ...Object.values(DEMO_USERS).map((u) => u.password), 'Hunter2-Secret!'];
function expectNoSecret(lines: Line[]): void {
  const text = JSON.stringify(lines);
  for (const s of secrets) expect(text).not.toContain(s);
}

describe('audit trail: tool calls and chat', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ LOG_LEVEL: 'warn' });
  });
  afterAll(() => stack.close());

  it('writes one line per MCP tool call with the caller, the tool and redacted arguments, whatever the log level', async () => {
    const client = await connectMcp(stack.url, tokenHeader(sales.key, sales.secret));
    const before = auditLines(stack.logs).length;
    await client.callTool({
      name: 'update_document',
      arguments: { doctype: 'Customer', name: 'Acme Corp', values: { new_password: 'Hunter2-Secret!', api_key: 'k' } },
    });
    await client.close();
    const lines = auditLines(stack.logs).slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: 'tool_call',
      user: sales.user,
      credential: 'api_key',
      site: stack.standin.url,
      tool: 'update_document',
      args: { doctype: 'Customer', name: 'Acme Corp', values: { new_password: '[redacted]', api_key: '[redacted]' } },
      outcome: expect.any(String) as unknown,
    });
    expect(typeof lines[0]!.reqId).toBe('string');
    expect(typeof lines[0]!.ms).toBe('number');
    expectNoSecret(auditLines(stack.logs));
  });

  it('names the user of a sid, and Frappe’s refusal as the outcome with its status', async () => {
    const sid = await stack.standin.login(DEMO_USERS.limited.user, DEMO_USERS.limited.password);
    const client = await connectMcp(stack.url, { ...sidHeader(sid), Origin: stack.standin.url });
    const before = auditLines(stack.logs).length;
    await client.callTool({
      name: 'get_document',
      arguments: { doctype: 'Sales Invoice', name: 'ACC-SINV-2026-00001' },
    });
    await client.close();
    const lines = auditLines(stack.logs).slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ user: DEMO_USERS.limited.user, credential: 'sid', tool: 'get_document' });
    expect(lines[0]!.outcome).toMatch(/^frappe_(permission|not_found)$/);
    expect(lines[0]!.frappe_status).toEqual(expect.any(Number));
    expect(JSON.stringify(auditLines(stack.logs))).not.toContain(sid);
  });

  it('writes one chat line per request (plus one per tool call it ran), with the user', async () => {
    const before = auditLines(stack.logs).length;
    const res = await fetch(`${stack.url}/api/v1/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...tokenHeader(limited.key, limited.secret) },
      body: JSON.stringify({ message: 'how many customers' }),
    });
    expect(res.status).toBe(200);
    await res.text();
    // The line is written when the response closes.
    for (
      let i = 0;
      i < 40 &&
      !auditLines(stack.logs)
        .slice(before)
        .some((l) => l.event === 'chat');
      i++
    )
      await new Promise((r) => setTimeout(r, 25));
    const lines = auditLines(stack.logs).slice(before);
    const chats = lines.filter((l) => l.event === 'chat');
    expect(chats).toHaveLength(1);
    expect(chats[0]).toMatchObject({ user: limited.user, credential: 'api_key', outcome: 'ok', status: 200 });
    expect(chats[0]!.message).toBe('how many customers');
    // The planner's own look-ups (the site's DocTypes, as the caller) are tool calls too, audited alike.
    const calls = lines.filter((l) => l.event === 'tool_call');
    expect(calls.map((l) => l.tool)).toContain('count_documents');
    for (const call of calls) expect(call).toMatchObject({ user: limited.user, credential: 'api_key' });
    expectNoSecret(auditLines(stack.logs));
  });
});

describe('audit trail: OAuth', () => {
  let s: OAuthStack;
  beforeAll(async () => {
    s = await startOAuthStack();
  });
  afterAll(() => s.close());

  it('one line per grant, refusal and revocation, with the client and (for grants) the user; never a token', async () => {
    const reg = await register(s, { redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' });
    const client = { clientId: String(reg.body.client_id), redirect: 'http://127.0.0.1:9/cb' };
    const verifier = randomBytes(32).toString('base64url');
    const code = await manualCode(s, client, verifier);
    const form = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: client.clientId,
      redirect_uri: client.redirect,
    };
    const at = () => auditLines(s.logs).filter((l) => String(l.event).startsWith('oauth_'));

    const t = await postForm(`${s.url}/token`, form);
    expect(t.status).toBe(200);
    for (let i = 0; i < 40 && at().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(at()).toEqual([
      expect.objectContaining({
        event: 'oauth_grant',
        user: SALES.user,
        client_id: client.clientId,
        grant_type: 'authorization_code',
        outcome: 'granted',
      }),
    ]);
    expect((await whoamiWithToken(s, String(t.body.access_token))).status).toBe(200);

    // The same code again: refused (and the grant revoked, as RFC 6749 asks).
    expect((await postForm(`${s.url}/token`, form)).status).toBe(400);
    expect(at().slice(1)).toEqual([
      expect.objectContaining({
        event: 'oauth_refusal',
        client_id: client.clientId,
        outcome: 'invalid_grant',
        status: 400,
      }),
    ]);

    const revoked = await postForm(`${s.url}/revoke`, {
      token: String(t.body.refresh_token),
      client_id: client.clientId,
    });
    expect(revoked.status).toBe(200);
    expect(at().slice(2)).toEqual([
      expect.objectContaining({ event: 'oauth_revocation', client_id: client.clientId, outcome: 'revoked' }),
    ]);
    const text = JSON.stringify(at());
    for (const secret of [String(t.body.access_token), String(t.body.refresh_token), code, verifier, SALES.password])
      expect(text).not.toContain(secret);
  });
});

describe('AuditLog', () => {
  it('writes to a file in append mode and, after rotation, reopens it at the configured path', async () => {
    const dir = tempDir('fmg-audit-');
    const file = join(dir, 'audit.log');
    const audit = new AuditLog({ logger: createLogger({ level: 'silent', format: 'json' }), file });
    const settle = () => new Promise((r) => setTimeout(r, 100));
    audit.write({ event: 'chat', user: 'a@example.com', outcome: 'ok' });
    await settle();
    audit.close();
    renameSync(file, `${file}.1`);
    audit.reopen();
    await settle();
    audit.write({ event: 'chat', user: 'b@example.com', outcome: 'ok' });
    await settle();
    audit.close();
    const rotated = readFileSync(`${file}.1`, 'utf8').trim().split('\n');
    const fresh = readFileSync(file, 'utf8').trim().split('\n');
    expect(rotated.map((l) => (JSON.parse(l) as Line).user)).toEqual(['a@example.com']);
    expect(fresh.map((l) => (JSON.parse(l) as Line).user)).toEqual(['b@example.com']);
    expect(JSON.parse(fresh[0]!)).toMatchObject({ audit: true, event: 'chat', msg: 'audit' });
  });

  it('redacts sensitive and configured fields at any depth, and clips what is too large', () => {
    const out = redactArguments(
      {
        doc: { password: 'p', nested: [{ client_secret: 's', Authorization: 'Bearer x', ok: 1 }], salary: 9000 },
        long: 'x'.repeat(2000),
      },
      new Set(['salary']),
    ) as { doc: Record<string, unknown>; long: string };
    expect(out.doc).toEqual({
      password: '[redacted]',
      nested: [{ client_secret: '[redacted]', Authorization: '[redacted]', ok: 1 }],
      salary: '[redacted]',
    });
    expect(out.long.length).toBeLessThan(600);
  });
});

describe('audit off', () => {
  it('writes no audit line', async () => {
    const stack = await startStack({ AUDIT_ENABLED: 'false' });
    try {
      const client = await connectMcp(stack.url, tokenHeader(sales.key, sales.secret));
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.close();
      expect(auditLines(stack.logs)).toEqual([]);
      expect(stack.gateway.gateway.audit).toBeUndefined();
    } finally {
      await stack.close();
    }
  });
});
