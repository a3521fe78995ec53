import type { Client } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import type { RecordedRequest } from '../../src/standin/index.js';

/** A tool's structured result; tests check it with assertions rather than types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Data = any;
export type Row = Record<string, unknown>;

export interface CallResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallResult> {
  return (await client.callTool({ name, arguments: args })) as CallResult;
}

/** The structured result of a successful call; fails the test with the tool's text otherwise. */
export async function ok<T = Data>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const r = await call(client, name, args);
  if (r.isError) throw new Error(`${name} failed: ${r.content[0]?.text}`);
  expect(r.structuredContent).toBeDefined();
  return r.structuredContent as T;
}

/** The error text of a failed call; fails the test if it succeeded. */
export async function fails(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await call(client, name, args);
  expect(r.isError, `${name} should have failed: ${JSON.stringify(r.structuredContent)?.slice(0, 300)}`).toBe(true);
  return r.content[0]?.text ?? '';
}

/** Requests the gateway made to Frappe (the stand-in), excluding none. */
export function frappeCalls(requests: RecordedRequest[], pathPart: string): RecordedRequest[] {
  return requests.filter((r) => r.path.includes(pathPart));
}

/** Every recorded request carried exactly the given credential kind and nothing else. */
export function expectOnlySid(requests: RecordedRequest[], sid: string, user: string): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.headers.cookie).toBe(`sid=${sid}`);
    expect(r.headers.authorization).toBeUndefined();
    expect(r.auth).toBe('sid');
    expect(r.user).toBe(user);
    expect(JSON.stringify(r.query)).not.toContain('sid');
  }
}

export function expectOnlyAuthorization(requests: RecordedRequest[], authorization: string, user: string): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.headers.authorization).toBe(authorization);
    expect(r.headers.cookie).toBeUndefined();
    expect(r.user).toBe(user);
  }
}
