import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SALES, startOAuthStack, type OAuthStack } from './helpers.js';

/**
 * The Python MCP SDK client (PyPI `mcp` 1.x, which mcpo builds on) through the whole OAuth flow:
 * PRM discovery from the 401, AS metadata, DCR without a token_endpoint_auth_method, PKCE, Frappe login,
 * our consent page with its CSRF cookie, code → token, then tools/list and tools/call as the user.
 */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'oauth_flow.py');
const INSTALL = "python3 -m pip install 'mcp<2'";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function python(args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run python3 (${err.message}); install Python 3.10+ and then: ${INSTALL}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails (never skips) with the install line when the Python SDK is missing or too old/new. */
async function requirePythonMcp(): Promise<string> {
  const probe = await python(
    [
      '-c',
      "import importlib.metadata as m; import mcp.client.auth, mcp.client.streamable_http; print(m.version('mcp'))",
    ],
    30_000,
  );
  if (probe.code !== 0)
    throw new Error(
      `The Python MCP SDK is not installed for python3 (needed to test the mcpo client path). Install it with: ${INSTALL}\n${probe.stderr}`,
    );
  const version = probe.stdout.trim();
  if (!/^1\./.test(version))
    throw new Error(
      `python3 has mcp ${version}; this test needs the 1.x line that mcpo uses. Install it with: ${INSTALL}`,
    );
  return version;
}

let stack: OAuthStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('OAuth facade: the Python MCP SDK client (mcpo)', () => {
  it('signs in through DCR, Frappe login and our consent page, then calls whoami as the user', async () => {
    const version = await requirePythonMcp();
    stack = await startOAuthStack();
    const s = stack;
    s.standin.resetRequests();
    const run = await python([SCRIPT, s.url, s.standin.url], 100_000);
    const last = run.stdout.trim().split('\n').pop() ?? '';
    let out: Record<string, unknown>;
    try {
      out = JSON.parse(last) as Record<string, unknown>;
    } catch {
      throw new Error(`oauth_flow.py (mcp ${version}) printed no JSON; exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    }
    if (run.code !== 0 || out.ok !== true)
      throw new Error(
        `oauth_flow.py (mcp ${version}) failed with exit ${run.code}: ${String(out.error)}\n${run.stderr}\n--- gateway log tail ---\n${s.logs.slice(-15).join('\n')}`,
      );

    // The user, signed in with a bearer credential.
    const who = out.whoami as { structuredContent?: Record<string, unknown>; content: { text?: string }[] };
    const structured = who.structuredContent ?? (JSON.parse(who.content[0]!.text!) as Record<string, unknown>);
    expect(structured).toMatchObject({ user: SALES.user, credential: 'bearer', service_account: false });
    expect(out.tools).toContain('whoami');

    // DCR as mcpo does it: no auth method sent, "none" echoed, no secret; the redirect back carries iss.
    expect(out.client_info).toMatchObject({
      token_endpoint_auth_method: 'none',
      has_secret: false,
      redirect_uris: ['http://localhost:3030/callback'],
    });
    expect(out.authorization_request).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: 'http://localhost:3030/callback',
      resource: s.mcpUrl.href,
    });
    expect((out.callback as Record<string, string>).iss).toBe(s.url);
    expect(out.code_prefix).toBe('fmcp_ac_');
    expect(out.consent_page_has_user).toBe(true);
    const tokens = out.tokens as {
      access_token: string;
      scope: string;
      token_type: string;
      has_refresh_token: boolean;
    };
    expect(tokens.access_token).toMatch(/^fmcp_at_/);
    expect(tokens.has_refresh_token).toBe(true);
    expect(tokens.scope).toBe('frappe:read frappe:write');

    // Frappe saw the user's own Frappe bearer, never the token the Python client holds.
    const bearers = s.standin.requests
      .map((r) => String(r.headers.authorization ?? ''))
      .filter((h) => h.startsWith('Bearer '))
      .map((h) => h.slice(7));
    expect(bearers.length).toBeGreaterThan(0);
    for (const t of bearers) {
      expect(t.startsWith('fmcp_')).toBe(false);
      expect(s.standin.state.oauth.bearerUser(t)).toBe(SALES.user);
    }
    expect(JSON.stringify(s.standin.requests)).not.toContain(tokens.access_token);
  }, 120_000);
});
