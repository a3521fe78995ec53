/** A tool as the model sees it: the registry's listing, schema unchanged. */
export interface LlmToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A tool call the model asked for. `arguments` is null when the model sent text that is not a JSON object. */
export interface LlmToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown> | null;
}

/** The conversation, provider-neutral; each adapter maps it to its own wire format. */
export type LlmTurn =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls: LlmToolCall[] }
  | { role: 'tool'; results: Array<{ id: string; name: string; text: string; isError: boolean }> };

export interface LlmRequest {
  system: string;
  turns: LlmTurn[];
  tools: LlmToolSpec[];
  maxTokens: number;
  signal: AbortSignal;
}

export interface LlmReply {
  text: string;
  toolCalls: LlmToolCall[];
  usage: { input: number; output: number };
}

export interface LlmProvider {
  readonly name: 'openai' | 'anthropic';
  /**
   * One model request. Throws LlmUnavailableError when the model cannot answer (connection refused,
   * timeout, 5xx, auth or any other API error); rethrows an abort as is.
   */
  complete(req: LlmRequest): Promise<LlmReply>;
}

/** What the adapters need from config. */
export interface LlmSettings {
  provider: 'openai' | 'anthropic';
  baseUrl?: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  retries: number;
}

/** The model could not answer; the chat falls back to the planner. `status` is the API's HTTP status, if any. */
export class LlmUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'LlmUnavailableError';
  }
}

/** Parses a tool call's JSON arguments; null unless they are a JSON object. */
export function parseArguments(text: string | undefined): Record<string, unknown> | null {
  if (!text?.trim()) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Maps an SDK failure: an abort (the caller left, or the wall-time bound) is rethrown unchanged,
 * anything else means the model is unavailable.
 */
export function unavailable(err: unknown, isAbort: (e: unknown) => boolean, signal: AbortSignal): unknown {
  if (signal.aborted || isAbort(err)) return err;
  const status = (err as { status?: unknown }).status;
  const message = err instanceof Error ? err.message : String(err);
  return new LlmUnavailableError(message, typeof status === 'number' ? status : undefined, { cause: err });
}
