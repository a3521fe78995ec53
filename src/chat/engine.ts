import type { Authenticated } from '../auth/chain.js';
import type { Logger } from '../log/logger.js';
import type { ToolLimits } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';
import { runTool, type CallOutcome, type ToolResult } from '../tools/run.js';
import { documentTable, type Block } from './blocks.js';
import { columnMeta } from './columns.js';
import { plan } from './planner.js';

export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ChatAnswer {
  answer: string;
  blocks: Block[];
  tool_calls: ToolCallRecord[];
}

/** Progress as it happens; the HTTP layer turns these into SSE events. */
export type ChatEvent =
  | { event: 'status'; data: { message: string } }
  | { event: 'tool_call'; data: ToolCallRecord }
  | { event: 'content'; data: { block: Block } | { text: string } };

export interface ChatContext {
  auth: Authenticated;
  registry: ToolRegistry;
  limits: ToolLimits;
  log: Logger;
  reqId: string;
  outcome: CallOutcome;
  today: Date;
  signal?: AbortSignal;
  emit(e: ChatEvent): void;
}

/** Runs a tool exactly as MCP does: the same registry, the same wrapper, the caller's own Frappe client. */
export async function callTool(ctx: ChatContext, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const tool = ctx.registry.tools.get(name);
  if (!tool) {
    return { content: [{ type: 'text', text: `The ${name} tool is not enabled on this gateway.` }], isError: true };
  }
  ctx.emit({ event: 'tool_call', data: { name, arguments: args } });
  return runTool(
    tool,
    args,
    { frappe: ctx.auth.frappe, principal: ctx.auth.principal, log: ctx.log, limits: ctx.limits, signal: ctx.signal },
    ctx.outcome,
    ctx.reqId,
  );
}

function refusal(result: ToolResult, doctype: string): string {
  const text = result.content.map((c) => c.text).join(' ');
  if (/\(403/.test(text)) {
    return `Sorry, you do not have permission to see ${doctype} records, so I cannot answer that. (${text.split('\n')[0]})`;
  }
  return `Sorry, I could not get that from Frappe: ${text.split('\n')[0]}`;
}

/**
 * How the desk formats an aggregate's figure: a count is an Int; a sum or average has its field's type
 * (a Currency total shows as money). Its currency is the site's default: the groups mix documents.
 */
function aggregateMeta(args: Record<string, unknown>): { fieldtype?: string } {
  if (args.function === 'count') return { fieldtype: 'Int' };
  if (typeof args.doctype !== 'string' || typeof args.field !== 'string') return {};
  const { fieldtype } = columnMeta(args.doctype, args.field);
  return fieldtype ? { fieldtype } : {};
}

/** The LLM-free answer: plan one read-only tool call, run it as the caller, shape the result. */
export async function answerWithPlanner(message: string, ctx: ChatContext): Promise<ChatAnswer> {
  const p = plan({ message, user: ctx.auth.principal.user, today: ctx.today });
  if (p.kind === 'unknown') {
    const block: Block = { type: 'text', text: p.message };
    ctx.emit({ event: 'content', data: { block } });
    return { answer: p.message, blocks: [block], tool_calls: [] };
  }
  ctx.emit({ event: 'status', data: { message: `Looking up ${p.doctype}…` } });
  const call = p.call;
  const result = await callTool(ctx, call.name, call.arguments);
  const calls = [{ name: call.name, arguments: call.arguments }];
  if (result.isError) {
    const text = refusal(result, p.doctype);
    const block: Block = { type: 'text', text };
    ctx.emit({ event: 'content', data: { block } });
    return { answer: text, blocks: [block], tool_calls: calls };
  }
  const data = result.structuredContent ?? {};
  let block: Block;
  let answer: string;
  if (call.name === 'aggregate_documents' && p.aggregate) {
    const view = p.aggregate;
    const rows = (data.rows as Array<{ group?: unknown; value: number | null }> | undefined) ?? [];
    if (!rows.length) {
      answer = `Nothing to show for ${p.explain}.`;
      block = { type: 'text', text: answer };
    } else {
      block = {
        type: 'table',
        title: p.explain,
        columns: [
          {
            fieldname: 'group',
            label: view.groupLabel,
            ...(view.link ? { fieldtype: 'Link', options: view.link } : {}),
          },
          { fieldname: 'value', label: view.valueLabel, ...aggregateMeta(call.arguments) },
        ],
        rows: rows.map((r) => ({ group: r.group ?? null, value: r.value })),
        links: rows.map((r) =>
          view.link && typeof r.group === 'string' && r.group ? { doctype: view.link, name: r.group } : null,
        ),
      };
      answer = `${p.explain}: ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}.`;
    }
  } else if (call.name === 'count_documents') {
    const value = Number(data.count ?? 0);
    block = { type: 'number', label: p.explain, value };
    answer = `${p.explain}: ${value}.`;
  } else {
    const rows = (data.rows as Array<Record<string, unknown>> | undefined) ?? [];
    const total = typeof data.total === 'number' ? data.total : undefined;
    if (!rows.length) {
      answer = `No ${p.explain.replace(/^\d+ /, '')} found.`;
      block = { type: 'text', text: answer };
    } else {
      block = documentTable(p.doctype, p.columns, rows, p.explain);
      answer =
        total !== undefined && total > rows.length
          ? `Showing ${rows.length} of ${total}: ${p.explain}.`
          : `${rows.length} found: ${p.explain}.`;
    }
  }
  ctx.emit({ event: 'content', data: { block } });
  return { answer, blocks: [block], tool_calls: calls };
}
