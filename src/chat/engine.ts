import type { Authenticated } from '../auth/chain.js';
import type { AuditLog } from '../audit/log.js';
import type { Logger } from '../log/logger.js';
import type { ToolLimits } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';
import { runTool, type CallOutcome, type ToolResult } from '../tools/run.js';
import { documentTable, type Block } from './blocks.js';
import { columnMeta } from './columns.js';
import { plan, type Attempt } from './planner.js';
import { siteLookups } from './site.js';

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
  audit?: AuditLog;
  emit(e: ChatEvent): void;
}

/** Runs a tool exactly as MCP does: the same registry, the same wrapper, the caller's own Frappe client. */
export async function callTool(ctx: ChatContext, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  if (ctx.registry.tools.has(name)) ctx.emit({ event: 'tool_call', data: { name, arguments: args } });
  return lookupTool(ctx, name, args);
}

/** Runs a tool as the caller without reporting it as a step of the answer: the planner's metadata look-ups. */
function lookupTool(ctx: ChatContext, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const tool = ctx.registry.tools.get(name);
  if (!tool) {
    return Promise.resolve({
      content: [{ type: 'text', text: `The ${name} tool is not enabled on this gateway.` }],
      isError: true,
    });
  }
  return runTool(
    tool,
    args,
    {
      frappe: ctx.auth.frappe,
      principal: ctx.auth.principal,
      log: ctx.log,
      limits: ctx.limits,
      signal: ctx.signal,
      ...(ctx.audit ? { audit: ctx.audit } : {}),
    },
    ctx.outcome,
    ctx.reqId,
  );
}

function errorText(result: ToolResult): string {
  return result.content.map((c) => c.text).join(' ');
}

function isPermission(result: ToolResult): boolean {
  return /\(403\b|PermissionError|No permission/i.test(errorText(result));
}

/** A refusal as a sentence for the user; Frappe's own words go in the block's collapsible detail. */
function refusal(result: ToolResult, doctype: string, outcome: CallOutcome): { text: string; detail: string } {
  const detail = errorText(result).split('\n')[0]!;
  if (isPermission(result)) {
    return { text: `Sorry, you do not have permission to see ${doctype} records, so I cannot answer that.`, detail };
  }
  // Down, slow or busy: the gateway's own sentence (never Frappe's text) says which, and when to try again.
  const failure = outcome.upstreamFailure;
  if (failure) return { text: `Sorry, Frappe could not answer that just now. ${failure.message}`, detail };
  return { text: 'Sorry, Frappe could not answer that just now.', detail };
}

function say(ctx: ChatContext, block: Block): Block {
  ctx.emit({ event: 'content', data: { block } });
  return block;
}

/** The answer's text: the query in words first, then the result, then anything it could not place. */
function answerText(first: string, result: string, notes: string[]): string {
  return [first, result, ...notes].filter(Boolean).join('\n');
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

/** The LLM-free answer: plan read-only tool calls from the site's metadata, run them as the caller, shape the result. */
export async function answerWithPlanner(message: string, ctx: ChatContext): Promise<ChatAnswer> {
  const { principal } = ctx.auth;
  const site = siteLookups({ site: principal.site, user: principal.user, roles: principal.roles }, (name, args) =>
    lookupTool(ctx, name, args),
  );
  const p = await plan({ message, user: principal.user, today: ctx.today }, site);
  if (p.kind !== 'tool') {
    const text = p.kind === 'ask' ? `${p.summary}\n${p.message}` : p.message;
    const block = say(ctx, { type: 'text', text });
    return { answer: text, blocks: [block], tool_calls: [] };
  }
  ctx.emit({ event: 'status', data: { message: `Looking up ${p.doctype}…` } });
  const calls: ToolCallRecord[] = [];
  const refused: string[] = [];
  const failed: string[] = [];
  const attempts = [p, ...(p.fallbacks ?? [])];
  // What the user may or may not read: for child rows that is the parent ("Sales Invoice", not its item table).
  const source = (a: Attempt) => String(a.call.arguments.parent_doctype ?? a.call.arguments.doctype);
  let attempt: Attempt = p;
  let result: ToolResult | undefined;
  for (const a of attempts) {
    attempt = a;
    result = await callTool(ctx, a.call.name, a.call.arguments);
    calls.push({ name: a.call.name, arguments: a.call.arguments });
    // A ranking Frappe refuses (or cannot compute) gives way to the next measure, then to a plain list.
    if (!result.isError || a === attempts.at(-1) || ctx.outcome.credentialRejected) break;
    (isPermission(result) ? refused : failed).push(source(a));
  }
  const notes = [...p.notes, ...(attempt.caveat ? [attempt.caveat] : [])];
  const ranked =
    attempt === attempts.at(-1) && attempts.length > 1
      ? 'these are not ranked'
      : `this ranking uses ${source(attempt)} instead`;
  if (failed.length) notes.unshift(`Frappe could not total ${failed.join(' or ')} just now, so ${ranked}.`);
  if (refused.length) notes.unshift(`You may not read ${refused.join(' or ')}, so ${ranked}.`);
  if (result!.isError) {
    const r = refusal(result!, source(attempt), ctx.outcome);
    const text = answerText(attempt.summary, r.text, []);
    const block = say(ctx, { type: 'text', text, detail: r.detail });
    return { answer: text, blocks: [block], tool_calls: calls };
  }
  const data = result!.structuredContent ?? {};
  let block: Block;
  let line: string;
  const call = attempt.call;
  if (call.name === 'aggregate_documents' && !call.arguments.group_by) {
    // One overall figure ("total sales this month").
    const rows = (data.rows as Array<{ value: number | null }> | undefined) ?? [];
    const value = Number(rows[0]?.value ?? 0);
    block = { type: 'number', label: attempt.summary, value };
    line = `${value}.`;
  } else if (call.name === 'aggregate_documents' && attempt.aggregate) {
    const view = attempt.aggregate;
    const rows = (data.rows as Array<{ group?: unknown; value: number | null }> | undefined) ?? [];
    if (!rows.length) {
      line = 'Nothing to show.';
      block = { type: 'text', text: `${attempt.summary}: nothing to show.` };
    } else {
      block = {
        type: 'table',
        title: attempt.summary,
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
      line = `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}.`;
    }
  } else if (call.name === 'count_documents') {
    const value = Number(data.count ?? 0);
    block = { type: 'number', label: attempt.summary, value };
    line = `${value}.`;
  } else {
    const rows = (data.rows as Array<Record<string, unknown>> | undefined) ?? [];
    const total = typeof data.total === 'number' ? data.total : undefined;
    if (!rows.length) {
      line = 'None found.';
      block = { type: 'text', text: `${attempt.summary}: none found.` };
    } else {
      block = documentTable(attempt.doctype, attempt.columns, rows, attempt.summary);
      line =
        total !== undefined && total > rows.length ? `Showing ${rows.length} of ${total}.` : `${rows.length} found.`;
    }
  }
  // The notes travel in the answer's text, which the desk shows above the blocks.
  return { answer: answerText(attempt.summary, line, notes), blocks: [say(ctx, block)], tool_calls: calls };
}
