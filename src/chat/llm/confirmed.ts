import type { RegisteredTool } from '../../tools/define.js';
import type { Block } from '../blocks.js';
import { callTool, type ChatAnswer, type ChatContext } from '../engine.js';
import type { PendingCall } from './confirm.js';

/** One line naming a proposed change, e.g. "Update a document: Customer CUST-0001". */
export function describeCall(tool: RegisteredTool | undefined, name: string, args: Record<string, unknown>): string {
  const doctype = typeof args.doctype === 'string' ? args.doctype : undefined;
  const docname = typeof args.name === 'string' ? args.name : undefined;
  const target = doctype ? `: ${doctype}${docname ? ` ${docname}` : ''}` : '';
  return `${tool?.def.title ?? name}${target}`;
}

/**
 * Runs a call the user confirmed (the token was already redeemed), as the caller, through the same
 * wrapper as every tool call, and answers with its outcome. The model is not asked again.
 */
export async function runConfirmed(call: PendingCall, ctx: ChatContext): Promise<ChatAnswer> {
  const summary = describeCall(ctx.registry.tools.get(call.tool), call.tool, call.arguments);
  ctx.emit({ event: 'status', data: { message: `${summary}…` } });
  const result = await callTool(ctx, call.tool, call.arguments);
  let text: string;
  if (result.isError) {
    text = `The change was not made. ${result.content.map((c) => c.text).join(' ')}`;
  } else {
    const doc = result.structuredContent?.doc as { name?: unknown } | undefined;
    text = `Done: ${summary}${typeof doc?.name === 'string' && !summary.endsWith(doc.name) ? ` (${doc.name})` : ''}.`;
  }
  const block: Block = { type: 'text', text };
  ctx.emit({ event: 'content', data: { block } });
  return { answer: text, blocks: [block], tool_calls: [{ name: call.tool, arguments: call.arguments }] };
}
