import OpenAI from 'openai';
import { parseArguments, unavailable, type LlmProvider, type LlmRequest, type LlmSettings } from './provider.js';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function messages(req: LlmRequest): Message[] {
  const out: Message[] = [{ role: 'system', content: req.system }];
  for (const turn of req.turns) {
    if (turn.role === 'user') out.push({ role: 'user', content: turn.text });
    else if (turn.role === 'assistant') {
      out.push({
        role: 'assistant',
        content: turn.text || null,
        ...(turn.toolCalls.length
          ? {
              tool_calls: turn.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) },
              })),
            }
          : {}),
      });
    } else {
      for (const r of turn.results) out.push({ role: 'tool', tool_call_id: r.id, content: r.text });
    }
  }
  return out;
}

/**
 * Chat Completions with tools, through the official SDK: OpenAI itself or any compatible server
 * (Ollama, vLLM, LM Studio, OpenRouter…) named by base_url.
 */
export function openaiProvider(s: LlmSettings): LlmProvider {
  const baseURL = s.baseUrl ?? DEFAULT_BASE_URL;
  const client = new OpenAI({
    // Local servers need no key, but the SDK insists on one.
    apiKey: s.apiKey ?? 'none',
    baseURL,
    organization: null,
    project: null,
    timeout: s.timeoutMs,
    maxRetries: s.retries,
    logLevel: 'off',
  });
  // OpenAI's newer models refuse max_tokens; compatible servers often know only max_tokens.
  const tokensKey = new URL(baseURL).hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  return {
    name: 'openai',
    async complete(req) {
      try {
        const res = await client.chat.completions.create(
          {
            model: s.model,
            messages: messages(req),
            ...(req.tools.length
              ? {
                  tools: req.tools.map((t) => ({
                    type: 'function' as const,
                    function: { name: t.name, description: t.description, parameters: t.parameters },
                  })),
                }
              : {}),
            [tokensKey]: req.maxTokens,
          },
          { signal: req.signal },
        );
        const msg = res.choices[0]?.message;
        return {
          text: msg?.content ?? '',
          toolCalls: (msg?.tool_calls ?? []).flatMap((c) =>
            c.type === 'function'
              ? [{ id: c.id, name: c.function.name, arguments: parseArguments(c.function.arguments) }]
              : [],
          ),
          usage: { input: res.usage?.prompt_tokens ?? 0, output: res.usage?.completion_tokens ?? 0 },
        };
      } catch (err) {
        throw unavailable(err, (e) => e instanceof OpenAI.APIUserAbortError, req.signal);
      }
    },
  };
}
