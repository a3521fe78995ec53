import type { Standin } from '../../src/standin/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are arbitrary Frappe JSON
type Json = any;

/** GET/POST against the stand-in with a sid cookie; returns status and parsed JSON (or text). */
export async function call(
  s: Standin,
  path: string,
  opts: { sid?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.sid) headers.Cookie = `sid=${opts.sid}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${s.url}${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}
