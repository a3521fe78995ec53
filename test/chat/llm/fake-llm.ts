import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** One request the fake received, normalised over both APIs. */
export interface FakeRequest {
  api: 'openai' | 'anthropic';
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  system: string;
  /** Names of the tools offered. */
  tools: string[];
  /** The tool results sent back in this request's last turn (text only). */
  toolResults: Array<{ text: string; isError: boolean }>;
}

/** What the fake answers: final text, tool calls, or an HTTP error. */
export type FakeAnswer =
  | { text?: string; calls?: Array<{ name: string; arguments: Record<string, unknown> }> }
  | { status: number; message: string };

export type Script = (req: FakeRequest, index: number) => FakeAnswer;

export interface FakeLlm {
  url: string;
  requests: FakeRequest[];
  /** Sets the answers: a list (one per request, in order) or a function of the request. */
  script(s: Script | FakeAnswer[]): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return (content as Json[]).map((b) => (typeof b.text === 'string' ? b.text : '')).join('');
  return '';
}

function openaiRequest(body: Json): Omit<FakeRequest, 'api' | 'headers' | 'body'> {
  const messages = (body.messages as Json[]) ?? [];
  const trailing: Json[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role === 'tool'; i--) trailing.unshift(messages[i]!);
  return {
    system: text(messages.find((m) => m.role === 'system')?.content),
    tools: ((body.tools as Json[]) ?? []).map((t) => (t.function as Json).name as string),
    toolResults: trailing.map((m) => ({ text: text(m.content), isError: false })),
  };
}

function anthropicRequest(body: Json): Omit<FakeRequest, 'api' | 'headers' | 'body'> {
  const messages = (body.messages as Json[]) ?? [];
  const last = messages[messages.length - 1];
  const blocks = Array.isArray(last?.content) ? (last.content as Json[]) : [];
  return {
    system: text(body.system),
    tools: ((body.tools as Json[]) ?? []).map((t) => t.name as string),
    toolResults: blocks
      .filter((b) => b.type === 'tool_result')
      .map((b) => ({ text: text(b.content), isError: b.is_error === true })),
  };
}

let ids = 0;

function openaiReply(answer: Exclude<FakeAnswer, { status: number }>, model: string): Json {
  const calls = answer.calls ?? [];
  return {
    id: `chatcmpl-${++ids}`,
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text ?? null,
          ...(calls.length
            ? {
                tool_calls: calls.map((c) => ({
                  id: `call_${++ids}`,
                  type: 'function',
                  function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                })),
              }
            : {}),
        },
        finish_reason: calls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
}

function anthropicReply(answer: Exclude<FakeAnswer, { status: number }>, model: string): Json {
  const calls = answer.calls ?? [];
  return {
    id: `msg_${++ids}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [
      ...(answer.text ? [{ type: 'text', text: answer.text }] : []),
      ...calls.map((c) => ({ type: 'tool_use', id: `toolu_${++ids}`, name: c.name, input: c.arguments })),
    ],
    stop_reason: calls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 20 },
  };
}

/**
 * A scripted language model speaking both OpenAI Chat Completions (POST /v1/chat/completions) and
 * Anthropic Messages (POST /v1/messages), on a random loopback port.
 */
export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: FakeRequest[] = [];
  let script: Script = () => ({ text: 'No script.' });
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  const handle =
    (api: FakeRequest['api']): express.RequestHandler =>
    (req, res) => {
      const body = req.body as Json;
      const parsed = api === 'openai' ? openaiRequest(body) : anthropicRequest(body);
      const request: FakeRequest = { api, headers: req.headers, body, ...parsed };
      requests.push(request);
      const answer = script(request, requests.length - 1);
      if ('status' in answer) {
        res
          .status(answer.status)
          .json(
            api === 'openai'
              ? { error: { message: answer.message, type: 'server_error' } }
              : { type: 'error', error: { type: 'api_error', message: answer.message } },
          );
        return;
      }
      const model = String(body.model);
      res.json(api === 'openai' ? openaiReply(answer, model) : anthropicReply(answer, model));
    };
  app.post('/v1/chat/completions', handle('openai'));
  app.post('/v1/messages', handle('anthropic'));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(s) {
      script = typeof s === 'function' ? s : (_req, i) => s[Math.min(i, s.length - 1)]!;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback URL where nothing listens (connection refused). */
export async function deadUrl(): Promise<string> {
  const server: Server = await new Promise((resolve) => {
    const s = express().listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
