import { describe, expect, it } from 'vitest';
import { dirWith, problemsOf } from '../../helpers/config.js';
import { loadConfig } from '../../../src/config/load.js';

describe('chat config', () => {
  it('defaults to the planner with bounded llm settings', () => {
    const { chat } = loadConfig({}, dirWith());
    expect(chat).toMatchObject({ mode: 'planner', confirm_ttl_seconds: 600 });
    expect(chat.llm).toMatchObject({ provider: 'openai', max_steps: 6, max_tokens: 1024, max_wall_ms: 90_000 });
    expect(chat.llm.api_key).toBeUndefined();
  });

  it('reads llm mode from the environment, the key only as a secret', () => {
    const { chat } = loadConfig(
      {
        CHAT_MODE: 'llm',
        LLM_PROVIDER: 'anthropic',
        LLM_BASE_URL: 'http://127.0.0.1:9999',
        LLM_MODEL: 'claude-x',
        LLM_API_KEY: 'sk-secret',
        LLM_MAX_STEPS: '4',
      },
      dirWith(),
    );
    expect(chat.llm).toMatchObject({ provider: 'anthropic', model: 'claude-x', api_key: 'sk-secret', max_steps: 4 });
    expect(problemsOf(() => loadConfig({}, dirWith('chat:\n  llm:\n    api_key: sk-in-file\n')))[0]).toContain(
      'set LLM_API_KEY',
    );
  });

  it('refuses llm mode without a model, naming the variable', () => {
    expect(problemsOf(() => loadConfig({ CHAT_MODE: 'llm' }, dirWith()))).toEqual([
      expect.stringContaining('chat.llm.model'),
    ]);
    expect(problemsOf(() => loadConfig({ CHAT_MODE: 'llm' }, dirWith()))[0]).toContain('LLM_MODEL');
  });
});
