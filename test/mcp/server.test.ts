import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { connectMcp, sidHeader, startStack, tokenHeader, type Era, type Stack } from '../helpers/stack.js';
import { expectOnlySid, ok } from '../tools/helpers.js';
import type { AuditLog } from '../../src/audit/log.js';
import { mcpToolRunner, type McpRequestState } from '../../src/mcp/server.js';
import { registerTool, type ToolContext, type ToolLimits } from '../../src/tools/define.js';
import { captureLogger } from '../helpers/logger.js';
import { hasFastProperties, sameHiddenClass } from '../helpers/v8.js';

let stack: Stack;
let readOnly: Stack;
let sidSales: string;
const clients: Client[] = [];
const adminHeaders = tokenHeader(DEMO_API_KEYS.admin.key, DEMO_API_KEYS.admin.secret);

async function client(s: Stack, headers: Record<string, string>, era: Era = 'legacy'): Promise<Client> {
  const c = await connectMcp(s.url, headers, era);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  [stack, readOnly] = await Promise.all([startStack(), startStack({ READ_ONLY: 'true' })]);
  sidSales = await stack.standin.login(DEMO_USERS.sales.user, DEMO_USERS.sales.password);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([stack.close(), readOnly.close()]);
});
beforeEach(() => stack.standin.resetRequests());

describe('tools/list', () => {
  it('shows every tool with its annotations (snapshot)', async () => {
    const { tools } = await (await client(stack, adminHeaders)).listTools();
    const summary = tools.map((t) => ({
      name: t.name,
      title: t.title,
      annotations: t.annotations,
      input: Object.keys((t.inputSchema.properties ?? {}) as object),
      required: t.inputSchema.required ?? [],
    }));
    expect(summary).toMatchSnapshot();
    for (const t of tools) expect(t.outputSchema?.type).toBe('object');
  });

  it('lists no write tool in read-only mode, and a write tool call is unknown there', async () => {
    const c = await client(readOnly, adminHeaders);
    const { tools } = await c.listTools();
    expect(tools.length).toBeGreaterThan(5);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const names = tools.map((t) => t.name);
    for (const w of ['create_document', 'update_document', 'delete_document', 'submit_document', 'call_method']) {
      expect(names).not.toContain(w);
    }
    const r = await c.callTool({ name: 'delete_document', arguments: { doctype: 'ToDo', name: 'x', confirm: true } });
    expect(r.isError).toBe(true);
    expect(readOnly.standin.requests.some((q) => q.method === 'DELETE')).toBe(false);
  });
});

describe.each(['legacy', 'modern'] as const)('the %s protocol era', (era) => {
  it('lists and calls tools', async () => {
    const c = await client(stack, sidHeader(sidSales), era);
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toContain('list_documents');
    const r = await ok(c, 'count_documents', { doctype: 'Customer' });
    expect(r.count).toBeGreaterThanOrEqual(30);
    const who = await ok(c, 'whoami');
    expect(who.user).toBe('sales@example.com');
  });
});

describe('resources', () => {
  it('offers the doctype and document templates', async () => {
    const c = await client(stack, sidHeader(sidSales), 'modern');
    const { resourceTemplates } = await c.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      'frappe://doctype/{name}',
      'frappe://{doctype}/{name}',
    ]);
  });

  it('reads a DocType schema and a document as the caller only', async () => {
    const c = await client(stack, sidHeader(sidSales));
    const schema = await c.readResource({ uri: 'frappe://doctype/Sales%20Order' });
    const meta = JSON.parse((schema.contents[0] as { text: string }).text);
    expect(meta.name).toBe('Sales Order');
    expect(meta.mandatory).toContain('customer');
    const doc = await c.readResource({ uri: 'frappe://Customer/Initech' });
    expect(JSON.parse((doc.contents[0] as { text: string }).text).name).toBe('Initech');
    expect(doc.contents[0]!.mimeType).toBe('application/json');
    expectOnlySid(stack.standin.requests, sidSales, 'sales@example.com');
  });

  it('answers a JSON-RPC error for unknown URIs and refused documents', async () => {
    const c = await client(stack, tokenHeader(DEMO_API_KEYS.limited.key, DEMO_API_KEYS.limited.secret));
    await expect(c.readResource({ uri: 'https://example.com/x' })).rejects.toThrow(/No resource/);
    await expect(c.readResource({ uri: 'frappe://Customer/Initech' })).rejects.toThrow(/403/);
  });
});

describe('prompts', () => {
  it('lists customer_overview and overdue_invoices and renders them from the tools', async () => {
    const c = await client(stack, sidHeader(sidSales), 'modern');
    const { prompts } = await c.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['customer_overview', 'overdue_invoices']);
    const p = await c.getPrompt({ name: 'customer_overview', arguments: { customer: 'Initech' } });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).toContain('search_link');
    expect(text).toContain('Initech');
    const o = await c.getPrompt({ name: 'overdue_invoices', arguments: { as_of: '2026-12-01' } });
    expect((o.messages[0]!.content as { text: string }).text).toContain('["due_date","<","2026-12-01"]');
    await expect(c.getPrompt({ name: 'customer_overview', arguments: {} })).rejects.toThrow(/customer/);
    await expect(c.getPrompt({ name: 'nope', arguments: {} })).rejects.toThrow(/Unknown prompt/);
  });
});

describe('the tool runner', () => {
  it('gives every tool call a context of one hidden class with fast properties (issue #12)', async () => {
    const seen: ToolContext[] = [];
    const probe = registerTool({
      name: 'probe_context',
      title: 'Probe',
      description: 'Records its context.',
      input: {},
      output: {},
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      handler: (_args, ctx) => {
        seen.push(ctx);
        return Promise.resolve({});
      },
    });
    const registry = { tools: new Map([[probe.def.name, probe]]), listings: [probe.listing] };
    const run = mcpToolRunner(registry, {
      pageSize: 20,
      maxPageSize: 100,
      maxResultBytes: 60_000,
      methodAllowlist: [],
    } satisfies ToolLimits);
    const { logger } = captureLogger();
    const state = (user: string, audit?: AuditLog): McpRequestState => ({
      auth: { principal: { user }, frappe: { user } } as unknown as McpRequestState['auth'],
      log: logger,
      reqId: `r-${user}`,
      outcome: {},
      ...(audit ? { audit } : {}),
    });
    const audit = { toolCall: () => undefined, replacesToolLine: true } as unknown as AuditLog;
    await run(state('a@example.com'), 'probe_context', {}, undefined);
    await run(state('b@example.com', audit), 'probe_context', {}, new AbortController().signal);
    const [a, b] = seen as [ToolContext, ToolContext];
    // An object literal with a getter falls into dictionary mode, and every tool read it through lookups.
    expect(hasFastProperties(a)).toBe(true);
    expect(sameHiddenClass(a, b)).toBe(true);
    // Each call still sees its own caller, log and audit trail.
    expect(a.principal.user).toBe('a@example.com');
    expect(b.principal.user).toBe('b@example.com');
    expect(a.log).toBe(logger);
    expect(a.audit).toBeUndefined();
    expect(b.audit).toBe(audit);
    expect(b.signal?.aborted).toBe(false);
  });
});
