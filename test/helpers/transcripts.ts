import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Transcript {
  name: string;
  description: string;
  request: {
    method: string;
    path: string;
    query: Record<string, string> | null;
    headers: Record<string, string>;
    body: unknown;
  };
  response: { status: number; headers: Record<string, unknown>; body: unknown };
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** ../shared/frappe/transcripts beside the checkout (CI clones next to shared/), or FRAPPE_TRANSCRIPTS_DIR. */
export const TRANSCRIPTS_DIR = process.env.FRAPPE_TRANSCRIPTS_DIR ?? resolve(repoRoot, '../shared/frappe/transcripts');

/** Every recorded exchange, found by listing the folder, so new recordings are picked up without code changes. */
export function loadTranscripts(): Transcript[] {
  if (!existsSync(TRANSCRIPTS_DIR)) throw new Error(`No transcripts at ${TRANSCRIPTS_DIR}; set FRAPPE_TRANSCRIPTS_DIR`);
  return readdirSync(TRANSCRIPTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(TRANSCRIPTS_DIR, f), 'utf8')) as Transcript);
}
