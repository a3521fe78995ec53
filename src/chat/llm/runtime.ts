import type { Config } from '../../config/load.js';
import type { KvStore } from '../../oauth/kv.js';
import type { LlmAgent } from './agent.js';
import { Confirmations } from './confirm.js';
import type { LlmProvider, LlmSettings } from './provider.js';

/** What the chat route needs besides the tools: the mode, the model (llm mode) and the confirmations. */
export interface ChatRuntime {
  mode: 'planner' | 'llm';
  /** Set in llm mode. */
  agent?: LlmAgent;
  confirmations: Confirmations;
  /** mcp.read_only: no confirmation is ever run. */
  readOnly: boolean;
}

/** Built once per app from config; without config (tests of other routes) it is the planner, read-only. */
export function createChatRuntime(config?: Pick<Config, 'chat' | 'mcp'>, store?: KvStore): ChatRuntime {
  if (!config) return { mode: 'planner', confirmations: new Confirmations({ ttlSeconds: 600 }), readOnly: true };
  const { chat } = config;
  const confirmations = new Confirmations({
    ttlSeconds: chat.confirm_ttl_seconds,
    ...(store ? { store } : {}),
    ...(chat.confirm_key ? { key: chat.confirm_key } : {}),
  });
  const runtime: ChatRuntime = { mode: chat.mode, confirmations, readOnly: config.mcp.read_only };
  const l = chat.llm;
  if (chat.mode !== 'llm' || !l.model) return runtime;
  const settings: LlmSettings = {
    provider: l.provider,
    model: l.model,
    timeoutMs: l.timeout_ms,
    retries: l.retries,
    ...(l.base_url ? { baseUrl: l.base_url } : {}),
    ...(l.api_key ? { apiKey: l.api_key } : {}),
  };
  return {
    ...runtime,
    agent: {
      provider: lazyProvider(settings),
      maxSteps: l.max_steps,
      maxTokens: l.max_tokens,
      maxTotalTokens: l.max_total_tokens,
      maxWallMs: l.max_wall_ms,
      confirmations,
    },
  };
}

/**
 * The provider SDKs are loaded on the first question, not at start-up: most gateways never use LLM
 * mode, and the SDKs would otherwise sit in every process's memory.
 */
function lazyProvider(settings: LlmSettings): LlmProvider {
  let loaded: Promise<LlmProvider> | undefined;
  const load = async (): Promise<LlmProvider> =>
    settings.provider === 'anthropic'
      ? (await import('./anthropic.js')).anthropicProvider(settings)
      : (await import('./openai.js')).openaiProvider(settings);
  return {
    name: settings.provider,
    complete: async (req) => (await (loaded ??= load())).complete(req),
  };
}
