import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrappeMajor } from '../../src/standin/version.js';

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

/**
 * The shared transcripts folder of one Frappe version: env FRAPPE_TRANSCRIPTS_DIR (15) or
 * FRAPPE_TRANSCRIPTS_V16_DIR (16), else `<repo root>/../shared/frappe/transcripts[-v16]`.
 */
export function transcriptsDir(version: FrappeMajor = 15): string {
  if (version === 16)
    return process.env.FRAPPE_TRANSCRIPTS_V16_DIR ?? path.resolve(repoRoot, '../shared/frappe/transcripts-v16');
  return process.env.FRAPPE_TRANSCRIPTS_DIR ?? path.resolve(repoRoot, '../shared/frappe/transcripts');
}

export function transcriptNames(version: FrappeMajor = 15): string[] {
  const dir = transcriptsDir(version);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadTranscript(name: string, version: FrappeMajor = 15): Transcript {
  return JSON.parse(readFileSync(path.join(transcriptsDir(version), `${name}.json`), 'utf8')) as Transcript;
}

/** Every recorded exchange, found by listing the folder, so new recordings are picked up without code changes. */
export function loadTranscripts(version: FrappeMajor = 15): Transcript[] {
  const names = transcriptNames(version);
  if (!names.length) throw new Error(`No transcripts at ${transcriptsDir(version)}; set FRAPPE_TRANSCRIPTS_DIR`);
  return names.map((n) => loadTranscript(n, version));
}
