import { expect } from 'vitest';

/** One block of a /api/v1/chat answer, as the tests read it. */
export interface ChatBlock {
  type: string;
  text?: string;
  detail?: string;
  value?: number;
  title?: string;
  rows?: Array<Record<string, unknown>>;
  links?: Array<{ doctype: string; name: string } | null>;
}

export interface ChatBody {
  answer: string;
  blocks: ChatBlock[];
  tool_calls: Array<{ name: string; arguments: Record<string, unknown> }>;
}

/** POSTs one question to the gateway at `url` as the caller in `headers`, expecting a JSON answer. */
export async function askChat(url: string, headers: Record<string, string>, message: string): Promise<ChatBody> {
  const res = await fetch(`${url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ message }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ChatBody;
}
