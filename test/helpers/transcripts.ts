import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Transcript {
  name: string;
  description: string;
  request: {
    method: string;
    path: string;
    query: Record<string, unknown> | null;
    headers: Record<string, string>;
    body: Record<string, unknown> | string | null;
  };
  response: {
    status: number;
    headers: Record<string, string | string[]>;
    body: unknown;
  };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared transcripts folder: env FRAPPE_TRANSCRIPTS_DIR, else `<repo root>/../shared/frappe/transcripts`. */
export function transcriptsDir(): string {
  return process.env.FRAPPE_TRANSCRIPTS_DIR ?? path.resolve(repoRoot, '../shared/frappe/transcripts');
}

export function transcriptNames(): string[] {
  const dir = transcriptsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadTranscript(name: string): Transcript {
  return JSON.parse(readFileSync(path.join(transcriptsDir(), `${name}.json`), 'utf8')) as Transcript;
}

/** Every recorded exchange, found by listing the folder, so new recordings are picked up without code changes. */
export function loadTranscripts(): Transcript[] {
  const names = transcriptNames();
  if (!names.length) throw new Error(`No transcripts at ${transcriptsDir()}; set FRAPPE_TRANSCRIPTS_DIR`);
  return names.map(loadTranscript);
}
