// The desk's cross-site mode end to end at the HTTP level: a page on the Frappe site's origin gets a
// gateway token through the OAuth facade (code + PKCE) and asks /api/v1/chat on the gateway's origin
// with CORS. The Frappe stand-in sits behind a front with 2 sync "workers" (as gunicorn on a small
// bench): while 5 questions wait for the language model, no worker is held and the desk keeps being
// served.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { startFront, type Front } from '../helpers/front.js';
import { Browser, manualCode, register, s256, SALES, startOAuthStack, type OAuthStack } from '../oauth/helpers.js';

/** An OpenAI-compatible model that holds every first turn until released, then lists customers. */
async function startGatedLlm() {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const state = { waiting: 0, url: '', release: () => open(), close: (): Promise<void> => Promise.resolve() };
  let ids = 0;
  const reply = (message: Record<string, unknown>) => ({
    id: `c${++ids}`,
    object: 'chat.completion',
    created: 0,
    model: 'fake-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', ...message },
        finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.post('/v1/chat/completions', (req, res) => {
    const messages = (req.body as { messages: Array<{ role: string }> }).messages;
    if (messages.some((m) => m.role === 'tool')) {
      res.json(reply({ content: 'Here are your top 5 customers.' }));
      return;
    }
    state.waiting++;
    void gate.then(() => {
      state.waiting--;
      res.json(
        reply({
          content: null,
          tool_calls: [
            {
              id: `call_${++ids}`,
              type: 'function',
              function: { name: 'list_documents', arguments: JSON.stringify({ doctype: 'Customer', limit: 5 }) },
            },
          ],
        }),
      );
    });
  });
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}

let standin: Standin;
let front: Front;
let llm: Awaited<ReturnType<typeof startGatedLlm>>;
let stack: OAuthStack;
let token: string;
const CALLBACK_PATH = '/assets/frappe_mcp_gateway/oauth-callback.html';

beforeAll(async () => {
  standin = await startStandin();
  front = await startFront(standin.url, { workers: 2 });
  llm = await startGatedLlm();
  // The gateway sees Frappe only through the 2-worker front; the desk page's origin is the front's.
  const site = Object.create(standin, { url: { value: front.url } }) as Standin;
  stack = await startOAuthStack(
    {
      FRAPPE_URL: front.url,
      ALLOWED_ORIGINS: front.url,
      OAUTH_PUBLIC_CLIENT_ORIGINS: front.url,
      CHAT_MODE: 'llm',
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: `${llm.url}/v1`,
      LLM_MODEL: 'fake-model',
      LLM_API_KEY: 'llm-key-not-real',
      LLM_RETRIES: '0',
      LLM_MAX_STEPS: '3',
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000',
    },
    {},
    { standin: site },
  );

  // What ask_ai/token.js does in the browser: register once (from the site's origin), then code + PKCE.
  const redirect = `${front.url}${CALLBACK_PATH}`;
  const registered = await register(stack, {
    client_name: 'Ask AI on the desk',
    redirect_uris: [redirect],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: 'frappe:read frappe:write',
  });
  expect(registered.status).toBe(201);
  const clientId = registered.body.client_id as string;
  const browser = new Browser();
  await browser.loginFrappe(front.url, SALES.user, SALES.password);
  const verifier = 'v'.repeat(50);
  const code = await manualCode(stack, { clientId, redirect }, verifier, {}, browser);
  const exchanged = await fetch(`${stack.url}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: front.url },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      client_id: clientId,
      code_verifier: verifier,
    }).toString(),
  });
  expect(exchanged.status).toBe(200);
  expect(exchanged.headers.get('access-control-allow-origin')).toBe(front.url);
  token = ((await exchanged.json()) as { access_token: string }).access_token;
  expect(s256(verifier)).toMatch(/^[\w-]{43}$/);
}, 60_000);

afterAll(async () => {
  llm?.release();
  await stack?.close();
  await llm?.close();
  await front?.close();
  await standin?.close();
});

function ask(message: string): Promise<{ status: number; type: string; text: string; cors: string | null }> {
  return fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: {
      Origin: front.url,
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ message }),
  }).then(async (r) => ({
    status: r.status,
    type: r.headers.get('content-type') ?? '',
    cors: r.headers.get('access-control-allow-origin'),
    text: await r.text(),
  }));
}

describe('cross-site mode', () => {
  it('answers a CORS preflight from the site, and only from allowed origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.url}/api/v1/chat`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type',
        },
      });
    const ok = await preflight(front.url);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(front.url);
    expect(ok.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull(); // never with cookies
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const refused = await fetch(`${stack.url}/api/v1/chat`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: 'hi' }),
    });
    expect(refused.status).toBe(403);
  });

  it('answers 5 questions at once while no Frappe worker waits, and the desk stays served', async () => {
    const servedBefore = front.served;
    const questions = Array.from({ length: 5 }, () => ask('show me top 5 customers'));
    // All five are now waiting for the model...
    await expect.poll(() => llm.waiting, { timeout: 20_000 }).toBe(5);
    // ...and none of them holds a Frappe worker: the front is idle, with nothing queued.
    expect(front.busy).toBe(0);
    expect(front.queued).toBe(0);
    // Other desk requests are served at once meanwhile (through the same 2 workers).
    const desk = await Promise.all(
      Array.from({ length: 4 }, () => fetch(`${front.url}/api/method/frappe.auth.get_logged_user`)),
    );
    expect(desk.map((r) => r.status)).toEqual([403, 403, 403, 403]); // Guest: Frappe answered, not a queue timeout
    expect(llm.waiting).toBe(5); // the questions were still running
    expect(front.served).toBeGreaterThanOrEqual(servedBefore + 4);

    llm.release();
    const answers = await Promise.all(questions);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.type).toContain('text/event-stream');
      expect(a.cors).toBe(front.url);
      expect(a.text).toContain('event: done');
      expect(a.text).toContain('Here are your top 5 customers.');
    }
    // The customers were read as the user, through the workers, after the model answered.
    const reads = standin.requests.filter((q) => q.path.startsWith('/api/resource/Customer'));
    expect(reads.length).toBeGreaterThanOrEqual(5);
    expect(new Set(reads.map((q) => q.user))).toEqual(new Set([SALES.user]));
  }, 60_000);
});
