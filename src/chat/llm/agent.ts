import { hasWriteScope } from '../../oauth/index.js';
import type { Block } from '../blocks.js';
import { answerWithPlanner, callTool, type ChatAnswer, type ChatContext, type ToolCallRecord } from '../engine.js';
import type { Confirmations } from './confirm.js';
import { describeCall } from './confirmed.js';
import { Findings } from './findings.js';
import { systemPrompt, toolSpecs } from './prompt.js';
import { LlmUnavailableError, type LlmProvider, type LlmReply, type LlmToolCall, type LlmTurn } from './provider.js';

/** The model and the bounds of one answer. */
export interface LlmAgent {
  provider: LlmProvider;
  maxSteps: number;
  /** Per model reply. */
  maxTokens: number;
  /** Prompt + reply tokens summed over the whole answer. */
  maxTotalTokens: number;
  maxWallMs: number;
  confirmations: Confirmations;
}

export const LLM_UNAVAILABLE = 'The language model is unavailable; answered with the built-in planner.';

type ToolReply = Extract<LlmTurn, { role: 'tool' }>['results'][number];

/** When the model is unreachable: the planner answers, and the answer says so. */
async function fallback(message: string, ctx: ChatContext, calls: ToolCallRecord[]): Promise<ChatAnswer> {
  ctx.emit({ event: 'status', data: { message: LLM_UNAVAILABLE } });
  const planned = await answerWithPlanner(message, ctx);
  const answer = `${LLM_UNAVAILABLE} ${planned.answer}`;
  return {
    answer,
    blocks: [
      { type: 'text', text: answer },
      ...planned.blocks.filter((b) => !(b.type === 'text' && b.text === planned.answer)),
    ],
    tool_calls: [...calls, ...planned.tool_calls],
  };
}

/**
 * The LLM answer: a bounded loop (steps, tokens, wall time) in which the model calls the gateway's own
 * tools as the caller. Read-only tools run directly through the same wrapper as MCP; a write tool is
 * never run, it becomes a confirm block. Tool results go back to the model as the tools' text only.
 * An unreachable model falls back to the planner.
 */
export async function answerWithLlm(message: string, ctx: ChatContext, agent: LlmAgent): Promise<ChatAnswer> {
  const canWrite = hasWriteScope(ctx.auth);
  const tools = toolSpecs(ctx.registry, canWrite);
  const system = systemPrompt(ctx.auth.principal, ctx.today, canWrite);
  const deadline = AbortSignal.timeout(agent.maxWallMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline]) : deadline;
  const run: ChatContext = { ...ctx, signal };
  const turns: LlmTurn[] = [{ role: 'user', text: message }];
  const calls: ToolCallRecord[] = [];
  const confirms: Block[] = [];
  const found = new Findings();
  let tokens = 0;

  const finish = (text: string): ChatAnswer => {
    ctx.emit({ event: 'content', data: { text } });
    const blocks: Block[] = [{ type: 'text', text }];
    for (const block of [...found.blocks(), ...confirms]) {
      blocks.push(block);
      ctx.emit({ event: 'content', data: { block } });
    }
    return { answer: text, blocks, tool_calls: calls };
  };
  const stopped = (why: string): ChatAnswer =>
    finish(`${why} ${found.any ? 'Here is what I found so far.' : 'Try a more specific question.'}`);

  const handle = async (call: LlmToolCall): Promise<ToolReply> => {
    const reply = (text: string, isError = false): ToolReply => ({ id: call.id, name: call.name, text, isError });
    if (!call.arguments) return reply(`Invalid arguments for ${call.name}: expected a JSON object.`, true);
    const tool = ctx.registry.tools.get(call.name);
    if (tool && tool.listing.annotations.readOnlyHint !== true) {
      if (!canWrite) return reply(`${call.name} changes data; this user may only read here.`, true);
      const token = await agent.confirmations.issue(
        { tool: call.name, arguments: call.arguments },
        { user: ctx.auth.principal.user, kind: ctx.auth.credential.kind },
      );
      const summary = describeCall(tool, call.name, call.arguments);
      confirms.push({ type: 'confirm', summary, tool: call.name, arguments: call.arguments, token });
      return reply('Not run yet: the user has been asked to confirm this change.');
    }
    const result = await callTool(run, call.name, call.arguments);
    if (tool) calls.push({ name: call.name, arguments: call.arguments });
    found.note(call.name, result);
    return reply(result.content.map((c) => c.text).join('\n'), result.isError === true);
  };

  for (let step = 1; step <= agent.maxSteps; step++) {
    ctx.emit({ event: 'status', data: { message: step === 1 ? 'Thinking…' : 'Reading the results…' } });
    let reply: LlmReply;
    try {
      reply = await agent.provider.complete({ system, turns, tools, maxTokens: agent.maxTokens, signal });
    } catch (err) {
      if (ctx.signal?.aborted) return stopped('The question was cancelled.');
      if (deadline.aborted) return stopped('I ran out of time before finishing.');
      if (!(err instanceof LlmUnavailableError)) throw err;
      ctx.log.warn(
        // An API's error text may quote (part of) the key, so only the status is logged when there is one.
        { llm: agent.provider.name, status: err.status, ...(err.status ? {} : { err: err.message }) },
        'llm unavailable; planner fallback',
      );
      return fallback(message, ctx, calls);
    }
    tokens += reply.usage.input + reply.usage.output;
    ctx.log.info({ llm: agent.provider.name, step, tool_calls: reply.toolCalls.length, tokens }, 'llm step');
    if (!reply.toolCalls.length) return finish(reply.text.trim() || 'I have no answer to that.');
    turns.push({ role: 'assistant', text: reply.text, toolCalls: reply.toolCalls });
    const results: ToolReply[] = [];
    for (const call of reply.toolCalls) results.push(await handle(call));
    turns.push({ role: 'tool', results });
    if (confirms.length) return finish(reply.text.trim() || 'Please confirm the change below.');
    if (ctx.signal?.aborted) return stopped('The question was cancelled.');
    if (deadline.aborted) return stopped('I ran out of time before finishing.');
    if (tokens >= agent.maxTotalTokens) return stopped('I used up the token budget for one answer.');
  }
  return stopped(`I stopped after ${agent.maxSteps} steps without a final answer.`);
}
