import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  Server,
  type AuthInfo,
  type McpServerFactory,
} from '@modelcontextprotocol/server';
import type { Authenticated } from '../auth/chain.js';
import type { Logger } from '../log/logger.js';
import type { ToolContext, ToolLimits } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';
import { runTool, type CallOutcome, type ToolResult } from '../tools/run.js';
import { hasWriteScope } from '../oauth/index.js';
import { promptListings, renderPrompt } from './prompts.js';
import { resolveResource, resourceTemplates } from './resources.js';
import type { AuditLog } from '../audit/log.js';

export const SERVER_INFO = { name: 'frappe-mcp-gateway', version: '0.1.0' };

/** What the HTTP layer hands each MCP request: the caller, and a slot for what happened. */
export interface McpRequestState {
  auth: Authenticated;
  log: Logger;
  reqId: string;
  outcome: CallOutcome;
  audit?: AuditLog;
}

export function authInfoFor(state: McpRequestState): AuthInfo {
  // The SDK requires a token string; ours is never needed there, so none is given.
  return { token: '', clientId: state.auth.principal.kind, scopes: [], extra: { state } };
}

function stateOf(authInfo: AuthInfo | undefined): McpRequestState {
  const state = authInfo?.extra?.state as McpRequestState | undefined;
  if (!state) throw new Error('MCP request without an authenticated caller');
  return state;
}

const INSTRUCTIONS =
  "This server reads and writes a Frappe/ERPNext site as the signed-in user; Frappe enforces that user's permissions. " +
  'Use describe_doctype before creating or updating documents, list_documents/count_documents to explore, and run_report for reports. ' +
  'Create documents as drafts, then submit_document; ask the user before delete_document or cancel_document.';

/** Runs one tool for one MCP caller: the read-only scope check, the unknown-tool answer, then runTool. */
export type McpToolRunner = (
  state: McpRequestState,
  name: string,
  args: unknown,
  signal: AbortSignal | undefined,
) => Promise<ToolResult>;

/**
 * A tool call's context. A class, not an object literal with a getter and a conditional spread: V8 turned
 * that literal into a dictionary-mode object on every call, and every tool read it through slow lookups
 * (issue #12). The log is read from the request state only when something logs, so the request's child
 * logger is made only then.
 */
class CallContext implements ToolContext {
  readonly frappe: ToolContext['frappe'];
  readonly principal: ToolContext['principal'];
  readonly audit: ToolContext['audit'];
  readonly #state: McpRequestState;

  constructor(
    state: McpRequestState,
    readonly limits: ToolLimits,
    readonly signal: AbortSignal | undefined,
  ) {
    this.#state = state;
    this.frappe = state.auth.frappe;
    this.principal = state.auth.principal;
    this.audit = state.audit;
  }

  get log(): ToolContext['log'] {
    return this.#state.log;
  }
}

/** Built once: every tools/call (through the SDK or the HTTP fast path) runs through this one function. */
export function mcpToolRunner(registry: ToolRegistry, limits: ToolLimits): McpToolRunner {
  return (state, name, args, signal) => {
    const tool = registry.tools.get(name);
    if (tool && tool.def.annotations.readOnlyHint !== true && !hasWriteScope(state.auth)) {
      return Promise.resolve({
        content: [{ type: 'text', text: `The tool ${name} changes data; this token was granted read access only.` }],
        isError: true,
      });
    }
    if (!tool) {
      return Promise.resolve({
        content: [{ type: 'text', text: `Unknown tool ${name}. Call tools/list to see the tools offered.` }],
        isError: true,
      });
    }
    return runTool(tool, args, new CallContext(state, limits, signal), state.outcome, state.reqId);
  };
}

/**
 * One low-level Server per HTTP request (stateless, so any replica answers). Everything listed
 * (tools, resource templates, prompts) is built once here; per request only the caller's context is new.
 */
export function mcpServerFactory(registry: ToolRegistry, runner: McpToolRunner): McpServerFactory {
  const tools = { tools: registry.listings as unknown as Array<Record<string, unknown>> };
  // Tokens granted read access only see (and can call) only read-only tools.
  const readTools = {
    tools: tools.tools.filter((t) => (t.annotations as { readOnlyHint?: boolean }).readOnlyHint === true),
  };
  const templates = resourceTemplates(registry);
  const prompts = promptListings(registry);
  const capabilities = {
    tools: {},
    ...(templates.length ? { resources: {} } : {}),
    ...(prompts.length ? { prompts: {} } : {}),
  };
  return (ctx) => {
    const state = stateOf(ctx.authInfo);
    const server = new Server(SERVER_INFO, { capabilities, instructions: INSTRUCTIONS });
    const canWrite = hasWriteScope(state.auth);
    const run = (name: string, args: unknown): Promise<ToolResult> =>
      runner(state, name, args, ctx.requestInfo?.signal);

    server.setRequestHandler('tools/list', () => (canWrite ? tools : readTools) as never);
    server.setRequestHandler('tools/call', (request) => run(request.params.name, request.params.arguments) as never);

    if (templates.length) {
      server.setRequestHandler('resources/list', () => ({ resources: [] }));
      server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: templates }));
      server.setRequestHandler('resources/read', async (request) => {
        const uri = request.params.uri;
        const target = resolveResource(uri, registry);
        if (!target)
          throw new ResourceNotFoundError(
            uri,
            `No resource ${uri}. Use frappe://doctype/{name} or frappe://{doctype}/{name}.`,
          );
        const result = await run(target.tool, target.args);
        if (result.isError)
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, result.content[0]?.text ?? 'Failed');
        const data = target.pick ? result.structuredContent?.[target.pick] : result.structuredContent;
        return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(data) }] };
      });
    }

    if (prompts.length) {
      server.setRequestHandler('prompts/list', () => ({ prompts }));
      server.setRequestHandler('prompts/get', (request) => {
        const args = (request.params.arguments ?? {}) as Record<string, string>;
        const today = new Date().toISOString().slice(0, 10);
        const rendered = renderPrompt(request.params.name, args, prompts, today);
        if ('error' in rendered) throw new ProtocolError(ProtocolErrorCode.InvalidParams, rendered.error);
        return {
          description: rendered.description,
          messages: [{ role: 'user', content: { type: 'text', text: rendered.text } }],
        } as never;
      });
    }
    return server;
  };
}
