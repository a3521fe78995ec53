import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Block } from '../../../src/chat/blocks.js';
import { DEMO_API_KEYS, DEMO_USERS } from '../../../src/standin/demo.js';
import type { RecordedRequest } from '../../../src/standin/index.js';
import { sidHeader, startStack, tokenHeader, type Stack } from '../../helpers/stack.js';
import { deadUrl, startFakeLlm, type FakeLlm } from './fake-llm.js';

type Provider = 'openai' | 'anthropic';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const LLM_KEY = 'sk-test-llm-key';
const sales = tokenHeader(DEMO_API_KEYS.sales.key, DEMO_API_KEYS.sales.secret);
const salesAuth = `token ${DEMO_API_KEYS.sales.key}:${DEMO_API_KEYS.sales.secret}`;
const limited = tokenHeader(DEMO_API_KEYS.limited.key, DEMO_API_KEYS.limited.secret);
const TOP5 = {
  name: 'list_documents',
  arguments: { doctype: 'Customer', limit: 5, fields: ['name', 'customer_name'] },
};
const TODO = { name: 'create_document', arguments: { doctype: 'ToDo', doc: { description: 'Call Initech back' } } };

let fake: FakeLlm;

function llmEnv(provider: Provider, baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CHAT_MODE: 'llm',
    LLM_PROVIDER: provider,
    LLM_BASE_URL: provider === 'openai' ? `${baseUrl}/v1` : baseUrl,
    LLM_MODEL: 'fake-model',
    LLM_API_KEY: LLM_KEY,
    LLM_RETRIES: '0',
    LLM_MAX_STEPS: '3',
    ...extra,
  };
}

async function ask(
  stack: Stack,
  headers: Record<string, string>,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Json; text: string }> {
  const res = await fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

function block<T extends Block['type']>(blocks: Block[], type: T): Extract<Block, { type: T }> | undefined {
  return blocks.find((b) => b.type === type) as Extract<Block, { type: T }> | undefined;
}

function writes(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/resource/'));
}

beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

describe.each<Provider>(['openai', 'anthropic'])('chat in llm mode with the %s API', (provider) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(llmEnv(provider, fake.url));
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => stack.standin.resetRequests());

  it('answers "show me top 5 customers" with a table, running the tool as the sales user', async () => {
    fake.script([{ calls: [TOP5] }, { text: 'Here are 5 of your customers.' }]);
    const res = await ask(stack, sales, { message: 'show me top 5 customers' });
    expect(res.status).toBe(200);
    expect(res.body.answer).toBe('Here are 5 of your customers.');
    expect(res.body.tool_calls).toEqual([TOP5]);
    const table = block(res.body.blocks, 'table')!;
    expect(table.rows).toHaveLength(5);
    expect(table.columns.map((c) => c.fieldname)).toEqual(['name', 'customer_name']);
    expect(table.links[0]).toEqual({ doctype: 'Customer', name: table.rows[0]!.name });
    // Frappe saw only the caller's own credential.
    expect(stack.standin.requests.length).toBeGreaterThan(0);
    for (const r of stack.standin.requests) {
      expect(r.headers.authorization).toBe(salesAuth);
      expect(r.user).toBe(DEMO_USERS.sales.user);
    }
    // The model got the registry's tools, was told who it acts as, and got the tool's text back.
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect(first!.api).toBe(provider);
    expect(first!.tools).toEqual(expect.arrayContaining(['list_documents', 'count_documents', 'create_document']));
    expect(first!.system).toContain(DEMO_USERS.sales.user);
    // Both official SDKs send the key as a bearer token.
    expect(first!.headers.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(second!.toolResults).toHaveLength(1);
    expect(JSON.parse(second!.toolResults[0]!.text).rows[0].name).toBe(table.rows[0]!.name);
  });

  it('passes Frappe’s refusal to a limited user along, never data', async () => {
    fake.script((req, i) =>
      i === 0
        ? { calls: [TOP5] }
        : { text: `Sorry, Frappe did not let you see customers: ${req.toolResults[0]!.text.split('\n')[0]}` },
    );
    const res = await ask(stack, limited, { message: 'show me top 5 customers' });
    expect(res.status).toBe(200);
    expect(res.body.answer).toMatch(/^Sorry, Frappe did not let you see customers: Frappe refused \(403/);
    expect(fake.requests[1]!.toolResults[0]!.text).toContain('PermissionError');
    expect(res.body.blocks.map((b: Block) => b.type)).toEqual(['text']);
    expect(res.text).not.toContain('Acme Corp');
    for (const r of stack.standin.requests) {
      expect(r.headers.authorization).toBe(`token ${DEMO_API_KEYS.limited.key}:${DEMO_API_KEYS.limited.secret}`);
      expect(r.user).toBe(DEMO_USERS.limited.user);
    }
  });

  it('stops a model that keeps calling tools at the step bound, with what it found', async () => {
    fake.script(() => ({ calls: [TOP5] }));
    const res = await ask(stack, sales, { message: 'show me top 5 customers' });
    expect(res.status).toBe(200);
    expect(fake.requests).toHaveLength(3);
    expect(res.body.tool_calls).toHaveLength(3);
    expect(res.body.answer).toBe('I stopped after 3 steps without a final answer. Here is what I found so far.');
    expect(block(res.body.blocks, 'table')!.rows).toHaveLength(5);
  });

  it.each([500, 401])('falls back to the planner, and says so, when the model API answers %i', async (status) => {
    fake.script(() => ({ status, message: 'model says no' }));
    const res = await ask(stack, sales, { message: 'latest 5 customers' });
    expect(res.status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    expect(res.body.answer).toMatch(/^The language model is unavailable; answered with the built-in planner\. /);
    expect(block(res.body.blocks, 'text')!.text).toBe(res.body.answer);
    expect(block(res.body.blocks, 'table')!.rows).toHaveLength(5);
    expect(res.body.tool_calls.map((c: { name: string }) => c.name)).toEqual(['list_documents']);
    expect(res.text).not.toContain('model says no');
    expect(stack.logs.join('\n')).not.toContain(LLM_KEY);
  });

  it('turns a proposed write into a confirm block, run only once after the same user confirms', async () => {
    fake.script([{ text: 'I can add that ToDo for you.', calls: [TODO] }]);
    const proposed = await ask(stack, sales, { message: 'remind me to call Initech back' });
    expect(proposed.status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    expect(writes(stack.standin.requests)).toHaveLength(0);
    expect(proposed.body.tool_calls).toEqual([]);
    const confirm = block(proposed.body.blocks, 'confirm')!;
    expect(confirm).toMatchObject({ tool: 'create_document', arguments: TODO.arguments });
    expect(confirm.summary).toBe('Create a draft document: ToDo');
    expect(confirm.token.length).toBeLessThanOrEqual(512);

    const done = await ask(stack, sales, { message: 'remind me to call Initech back', confirm: confirm.token });
    expect(done.status).toBe(200);
    expect(done.body.answer).toMatch(/^Done: Create a draft document: ToDo \(.+\)\.$/);
    expect(done.body.tool_calls).toEqual([TODO]);
    const made = writes(stack.standin.requests);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ method: 'POST', path: '/api/resource/ToDo', user: DEMO_USERS.sales.user });
    expect(made[0]!.headers.authorization).toBe(salesAuth);
    expect(fake.requests).toHaveLength(1);

    const again = await ask(stack, sales, { message: 'remind me to call Initech back', confirm: confirm.token });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('confirmation_used');
    expect(writes(stack.standin.requests)).toHaveLength(1);
  });
});

describe('confirmations in llm mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(llmEnv('openai', fake.url));
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => stack.standin.resetRequests());

  async function propose(): Promise<string> {
    fake.script([{ calls: [TODO] }]);
    const res = await ask(stack, sales, { message: 'remind me to call Initech back' });
    return block(res.body.blocks, 'confirm')!.token;
  }

  it('refuses a token confirmed by another user, and runs nothing', async () => {
    const token = await propose();
    const res = await ask(stack, limited, { message: 'yes', confirm: token });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'confirmation_forbidden' });
    expect(res.body.error.message).toContain('another user');
    expect(writes(stack.standin.requests)).toHaveLength(0);
  });

  it('refuses the same user signed in another way (sid instead of API key)', async () => {
    const token = await propose();
    const sid = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
    const res = await ask(stack, sidHeader(sid), { message: 'yes', confirm: token });
    expect(res.status).toBe(403);
    expect(writes(stack.standin.requests)).toHaveLength(0);
    // The refusal did not use the token up: the right caller still can.
    expect((await ask(stack, sales, { message: 'yes', confirm: token })).status).toBe(200);
    expect(writes(stack.standin.requests)).toHaveLength(1);
  });

  it('refuses a tampered or made-up token', async () => {
    const token = await propose();
    const [v, body, sig] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...payload, t: 'delete_document' })).toString('base64url');
    for (const bad of [`${v}.${forged}.${sig}`, `${token}x`, 'v1.e30.AAAA', 'not-a-token']) {
      const res = await ask(stack, sales, { message: 'yes', confirm: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('confirmation_invalid');
    }
    expect(writes(stack.standin.requests)).toHaveLength(0);
  });

  it('answers with Frappe’s refusal when the confirmed write fails', async () => {
    fake.script([
      { calls: [{ name: 'create_document', arguments: { doctype: 'Sales Invoice', doc: { customer: 'Acme Corp' } } }] },
    ]);
    const res = await ask(stack, sales, { message: 'make an invoice' });
    const token = block(res.body.blocks, 'confirm')!.token;
    const done = await ask(stack, sales, { message: 'make an invoice', confirm: token });
    expect(done.status).toBe(200);
    expect(done.body.answer).toMatch(/^The change was not made\. Frappe refused \(403/);
  });
});

describe('chat in llm mode on a read-only gateway', () => {
  let stack: Stack;
  let writable: Stack;
  beforeAll(async () => {
    const key = { CHAT_CONFIRM_KEY: 'a-shared-confirmation-key-0123456789' };
    stack = await startStack(llmEnv('openai', fake.url, { READ_ONLY: 'true', ...key }));
    writable = await startStack(llmEnv('openai', fake.url, key));
  });
  afterAll(async () => {
    await Promise.all([stack.close(), writable.close()]);
  });

  it('offers the model no write tool, and a write it names anyway is refused as not enabled', async () => {
    fake.script((req, i) => (i === 0 ? { calls: [TODO] } : { text: req.toolResults[0]!.text }));
    const res = await ask(stack, sales, { message: 'remind me to call Initech back' });
    expect(fake.requests[0]!.tools).toContain('list_documents');
    expect(fake.requests[0]!.tools).not.toContain('create_document');
    expect(res.body.answer).toBe('The create_document tool is not enabled on this gateway.');
    expect(block(res.body.blocks, 'confirm')).toBeUndefined();
  });

  it('never runs a confirmation, even one signed with the same key', async () => {
    fake.script([{ calls: [TODO] }]);
    const token = block((await ask(writable, sales, { message: 'todo' })).body.blocks, 'confirm')!.token;
    stack.standin.resetRequests();
    const res = await ask(stack, sales, { message: 'todo', confirm: token });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'read_only' });
    expect(res.body.error.message).toContain('read-only');
    expect(stack.standin.requests).toHaveLength(0);
  });
});

describe('chat in llm mode with an unreachable model', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(llmEnv('anthropic', await deadUrl()));
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers with the planner and says the model is unavailable (connection refused)', async () => {
    const res = await ask(stack, sales, { message: 'how many customers' });
    expect(res.status).toBe(200);
    expect(res.body.answer).toMatch(/^The language model is unavailable; answered with the built-in planner\./);
    expect(block(res.body.blocks, 'number')!.value).toBeGreaterThan(0);
    expect(res.body.tool_calls.map((c: { name: string }) => c.name)).toEqual(['count_documents']);
  });
});

describe('chat in llm mode over Server-Sent Events', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(llmEnv('anthropic', fake.url));
  });
  afterAll(async () => {
    await stack.close();
  });

  it('streams status, tool_call, content and done events', async () => {
    fake.script([{ calls: [TOP5] }, { text: 'Here are 5 of your customers.' }]);
    const res = await fetch(`${stack.url}/api/v1/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...sales },
      body: JSON.stringify({ message: 'show me top 5 customers' }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events: Array<{ event: string; data: Json }> = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((chunk) => {
        const [, event] = /^event: (.+)$/m.exec(chunk)!;
        const [, data] = /^data: (.+)$/m.exec(chunk)!;
        return { event: event!, data: JSON.parse(data!) };
      });
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('status');
    expect(names[names.length - 1]).toBe('done');
    expect(events.find((e) => e.event === 'tool_call')!.data).toEqual(TOP5);
    expect(events.filter((e) => e.event === 'content').map((e) => String(e.data.text ?? e.data.block.type))).toEqual([
      'Here are 5 of your customers.',
      'table',
    ]);
    const done = events[events.length - 1]!.data;
    expect(done.answer).toBe('Here are 5 of your customers.');
    expect(block(done.blocks, 'table')!.rows).toHaveLength(5);
  });
});
