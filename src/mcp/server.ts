import { Server, type AuthInfo, type McpServerFactory } from '@modelcontextprotocol/server';
import type { Authenticated } from '../auth/chain.js';
import type { Logger } from '../log/logger.js';
import type { ToolLimits } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';
import { runTool, type CallOutcome } from '../tools/run.js';

export const SERVER_INFO = { name: 'frappe-mcp-gateway', version: '0.1.0' };

/** What the HTTP layer hands each MCP request: the caller, and a slot for what happened. */
export interface McpRequestState {
  auth: Authenticated;
  log: Logger;
  reqId: string;
  outcome: CallOutcome;
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
  'Use describe_doctype before creating or updating documents, list_documents/count_documents to explore, and run_report for reports.';

/**
 * One low-level Server per HTTP request (stateless, so any replica answers), with tools/list served
 * from the registry built at start-up: per request only the caller's context is new.
 */
export function mcpServerFactory(registry: ToolRegistry, limits: ToolLimits): McpServerFactory {
  const listing = { tools: registry.listings as unknown as Array<Record<string, unknown>> };
  return (ctx) => {
    const state = stateOf(ctx.authInfo);
    const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
    server.setRequestHandler('tools/list', () => listing as never);
    server.setRequestHandler('tools/call', async (request) => {
      const { name, arguments: args } = request.params;
      const tool = registry.tools.get(name);
      if (!tool) {
        return {
          content: [{ type: 'text', text: `Unknown tool ${name}. Call tools/list to see the tools offered.` }],
          isError: true,
        };
      }
      const log = state.log.child({ user: state.auth.principal.user });
      return runTool(
        tool,
        args,
        { frappe: state.auth.frappe, principal: state.auth.principal, log, limits, signal: ctx.requestInfo?.signal },
        state.outcome,
        state.reqId,
      ) as never;
    });
    return server;
  };
}
