import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { TRANSCRIPTS_NOT_REPLAYED } from '../fixtures/transcripts-not-replayed.js';
import { compareResponse } from './replay/compare.js';
import { encodeQuery, send } from './replay/http.js';
import { IGNORED_PATHS, SETUPS } from './replay/setups.js';
import { loadTranscript, transcriptNames, transcriptsDir } from '../helpers/transcripts.js';
import { World } from './replay/world.js';

const names = transcriptNames();
/** Placeholders whose values are fixed for the stand-in, so a response may be checked against them. */
const STATIC = ['CLIENT_ID', 'CLIENT_SECRET', 'CLIENT_ID_CONSENT', 'API_KEY', 'API_SECRET', 'API_KEY_SALES'];

async function replay(s: Standin, name: string): Promise<string[]> {
  const t = loadTranscript(name);
  s.reset();
  const world = new World(s, name);
  for (const k of STATIC) await world.resolve(k);
  await SETUPS[name]?.(s, t, world);
  const req = t.request;
  const headers: Record<string, string> = { Host: '127.0.0.1:8000' };
  for (const [k, v] of Object.entries(req.headers)) headers[k] = await world.fill(v);
  const query = (await world.fillDeep(req.query)) as Record<string, unknown> | null;
  let body: string | undefined;
  if (typeof req.body === 'string') body = await world.fill(req.body);
  else if (req.body) {
    const filled = (await world.fillDeep(req.body)) as Record<string, unknown>;
    const type = headers['Content-Type'] ?? '';
    body = type.includes('json')
      ? JSON.stringify(filled)
      : new URLSearchParams(Object.entries(filled).map(([k, v]) => [k, String(v)])).toString();
  }
  const res = await send(s.url, req.method, `${req.path}${encodeQuery(query)}`, headers, body);
  return compareResponse(t.response, res, { vars: world.vars, ignore: IGNORED_PATHS[name] });
}

describe('Frappe stand-in replays the recorded transcripts', () => {
  let s: Standin;
  beforeAll(async () => {
    s = await startStandin();
  });
  afterAll(async () => {
    await s.close();
  });

  it('finds the transcripts folder', () => {
    expect(names.length, `no transcripts in ${transcriptsDir()}`).toBeGreaterThan(0);
  });

  it('lists only existing transcripts as not replayed', () => {
    const missing = Object.keys(TRANSCRIPTS_NOT_REPLAYED).filter((n) => !names.includes(n));
    expect(missing).toEqual([]);
  });

  it('replays all but the few listed, each with its reason', () => {
    const replayed = names.filter((n) => !TRANSCRIPTS_NOT_REPLAYED[n]);
    expect(replayed.length / names.length).toBeGreaterThan(0.95);
    for (const reason of Object.values(TRANSCRIPTS_NOT_REPLAYED)) expect(reason.length).toBeGreaterThan(20);
  });

  // Deliberately not replayed transcripts get no test at all (their reasons live in the fixture).
  for (const name of names.filter((n) => !TRANSCRIPTS_NOT_REPLAYED[n])) {
    it(name, async () => {
      expect(await replay(s, name)).toEqual([]);
    });
  }
});
