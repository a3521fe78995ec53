import type { z } from 'zod';
import { FrappeError } from '../frappe/errors.js';
import { boundMetric, toolCalls } from '../metrics.js';
import { ToolInputError, type RegisteredTool, type ToolContext } from './define.js';

/** What a tools/call answers: structured data plus the same as text for older clients. */
export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** What the HTTP layer learns from the tool calls of one request. */
export interface CallOutcome {
  /** Frappe rejected the caller's credential mid-call, so the answer is a 401. */
  credentialRejected?: boolean;
  /** The last tool call failed because Frappe was down, slow or busy: chat answers 503/504, not 200. */
  upstreamFailure?: FrappeError;
  /** A tool line was logged for this request, so the request line is not needed (one line per call). */
  logged?: boolean;
}

const toolCallsBy = boundMetric((key) => {
  const at = key.indexOf('\0');
  return toolCalls.labels({ tool: key.slice(0, at), outcome: key.slice(at + 1) });
});

const NEXT_STEP: Partial<Record<FrappeError['kind'], string>> = {
  permission: 'Your Frappe user lacks this permission; ask an administrator, or try something you are allowed to do.',
  not_found: 'Check the DocType and name (list_documents or search_link can find it).',
  validation: 'Fix the fields named above and try again (describe_doctype lists mandatory fields and options).',
  conflict: 'A record with that name exists; choose another name or update the existing one.',
  rate_limit: 'Wait a moment before retrying.',
  upstream: 'Frappe is unavailable right now; try again shortly.',
  csrf: 'The session needs a CSRF token; reload the desk, or use an API key or OAuth token.',
  auth: 'Sign in again.',
};

function textResult(text: string, isError: boolean): ToolResult {
  return isError ? { content: [{ type: 'text', text }], isError: true } : { content: [{ type: 'text', text }] };
}

function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join('.') : 'arguments'}: ${i.message}`)
    .join('; ');
}

/**
 * THE wrapper every tool call goes through: validates arguments, runs the handler, and turns every
 * failure into an isError result that carries only trusted text (Frappe's own message and what to do
 * next), never a stack trace. Logs one line per call.
 */
export async function runTool(
  tool: RegisteredTool,
  rawArgs: unknown,
  ctx: ToolContext,
  outcome: CallOutcome,
  reqId: string,
): Promise<ToolResult> {
  const started = performance.now();
  const log = (result: string, extra?: { status?: number; excType?: string }): void => {
    const ms = Math.round(performance.now() - started);
    toolCallsBy(`${tool.def.name}\0${result}`).inc();
    outcome.logged = true;
    const { audit } = ctx;
    if (audit) audit.toolCall(ctx.principal, reqId, tool.def.name, rawArgs, result, ms, extra?.status, extra?.excType);
    // The audit line on stdout already is this call's one line; otherwise the log gets its own.
    if (audit?.replacesToolLine) return;
    const line = { tool: tool.def.name, user: ctx.principal.user, ms, outcome: result };
    ctx.log.info(extra ? { ...line, ...extra } : line, 'tool call');
  };
  const parsed = tool.inputSchema.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    log('invalid_arguments');
    return textResult(`Invalid arguments for ${tool.def.name}: ${describeZodIssues(parsed.error)}`, true);
  }
  try {
    const data = await tool.def.handler(parsed.data, ctx);
    delete outcome.upstreamFailure;
    log('ok');
    return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
  } catch (err) {
    if (err instanceof ToolInputError) {
      log('invalid_arguments');
      return textResult(err.message, true);
    }
    if (err instanceof FrappeError) {
      if (err.credentialRejected) outcome.credentialRejected = true;
      if (err.isOutage) outcome.upstreamFailure = err;
      log(`frappe_${err.kind}`, { status: err.status, excType: err.excType });
      const head = err.status
        ? `Frappe refused (${err.status}${err.excType ? ` ${err.excType}` : ''})`
        : 'Frappe failed';
      const next = NEXT_STEP[err.kind];
      return textResult(`${head}: ${err.summary}${next ? `\n${next}` : ''}`, true);
    }
    ctx.log.error({ tool: tool.def.name, err }, 'tool failed');
    log('internal_error');
    return textResult(`Internal error in ${tool.def.name} (ref ${reqId}). The gateway logged the details.`, true);
  }
}
