import Anthropic from '@anthropic-ai/sdk';
import { unavailable, type LlmProvider, type LlmRequest, type LlmSettings } from './provider.js';

type Message = Anthropic.MessageParam;

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

function messages(req: LlmRequest): Message[] {
  return req.turns.map((turn): Message => {
    if (turn.role === 'user') return { role: 'user', content: turn.text };
    if (turn.role === 'assistant') {
      return {
        role: 'assistant',
        content: [
          ...(turn.text ? [{ type: 'text' as const, text: turn.text }] : []),
          ...turn.toolCalls.map((c) => ({
            type: 'tool_use' as const,
            id: c.id,
            name: c.name,
            input: c.arguments ?? {},
          })),
        ],
      };
    }
    return {
      role: 'user',
      content: turn.results.map((r) => ({
        type: 'tool_result' as const,
        tool_use_id: r.id,
        content: r.text,
        ...(r.isError ? { is_error: true } : {}),
      })),
    };
  });
}

/** The Anthropic Messages API with tool_use / tool_result blocks, through the official SDK. */
export function anthropicProvider(s: LlmSettings): LlmProvider {
  const client = new Anthropic({
    // Without a key the SDK would look for credential files; the key comes only from LLM_API_KEY.
    apiKey: s.apiKey ?? 'none',
    baseURL: s.baseUrl ?? DEFAULT_BASE_URL,
    timeout: s.timeoutMs,
    maxRetries: s.retries,
    logLevel: 'off',
  });
  return {
    name: 'anthropic',
    async complete(req) {
      try {
        const res = await client.messages.create(
          {
            model: s.model,
            max_tokens: req.maxTokens,
            system: req.system,
            messages: messages(req),
            ...(req.tools.length
              ? {
                  tools: req.tools.map((t) => ({
                    name: t.name,
                    description: t.description,
                    input_schema: t.parameters as Anthropic.Tool.InputSchema,
                  })),
                }
              : {}),
          },
          { signal: req.signal },
        );
        const text = res.content
          .flatMap((b) => (b.type === 'text' ? [b.text] : []))
          .join('\n')
          .trim();
        const toolCalls = res.content.flatMap((b) =>
          b.type === 'tool_use'
            ? [
                {
                  id: b.id,
                  name: b.name,
                  arguments:
                    b.input && typeof b.input === 'object' && !Array.isArray(b.input)
                      ? (b.input as Record<string, unknown>)
                      : null,
                },
              ]
            : [],
        );
        return { text, toolCalls, usage: { input: res.usage.input_tokens, output: res.usage.output_tokens } };
      } catch (err) {
        throw unavailable(err, (e) => e instanceof Anthropic.APIUserAbortError, req.signal);
      }
    },
  };
}
