import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/index.js';
import type { FrappeMajor } from '../../src/standin/version.js';
import { TRANSCRIPTS_NOT_REPLAYED } from '../fixtures/transcripts-not-replayed.js';
import { compareResponse } from './replay/compare.js';
import { encodeQuery, send } from './replay/http.js';
import { IGNORED_PATHS, SETUPS } from './replay/setups.js';
import { loadTranscript, transcriptNames, transcriptsDir } from '../helpers/transcripts.js';
import { World } from './replay/world.js';

/** Placeholders whose values are fixed for the stand-in, so a response may be checked against them. */
const STATIC = ['CLIENT_ID', 'CLIENT_SECRET', 'CLIENT_ID_CONSENT', 'API_KEY', 'API_SECRET', 'API_KEY_SALES'];
/** The Host each site was recorded at: URLs in the answers (OAuth metadata, challenges) are built from it. */
const RECORDED_HOST: Record<FrappeMajor, string> = { 15: '127.0.0.1:8000', 16: '127.0.0.1:8100' };

async function replay(s: Standin, version: FrappeMajor, name: string): Promise<string[]> {
  const t = loadTranscript(name, version);
  s.reset();
  const world = new World(s, name);
  for (const k of STATIC) await world.resolve(k);
  await SETUPS[version][name]?.(s, t, world);
  const req = t.request;
  const headers: Record<string, string> = { Host: RECORDED_HOST[version] };
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
  return compareResponse(t.response, res, {
    vars: world.vars,
    ignore: IGNORED_PATHS[version][name],
    valuesOf: version === 16 ? 'outcome' : 'all',
  });
}

// Each folder replays against the stand-in in its own version's mode.
describe.each([15, 16] as const)('Frappe stand-in in %i mode replays the recorded transcripts', (version) => {
  const names = transcriptNames(version);
  const notReplayed = TRANSCRIPTS_NOT_REPLAYED[version];
  let s: Standin;
  beforeAll(async () => {
    s = await startStandin({ version });
  });
  afterAll(async () => {
    await s.close();
  });

  it('finds the transcripts folder', () => {
    expect(names.length, `no transcripts in ${transcriptsDir(version)}`).toBeGreaterThan(0);
  });

  it('lists only existing transcripts as not replayed', () => {
    const missing = Object.keys(notReplayed).filter((n) => !names.includes(n));
    expect(missing).toEqual([]);
  });

  it('replays all but the few listed, each with its reason', () => {
    const replayed = names.filter((n) => !notReplayed[n]);
    expect(replayed.length / names.length).toBeGreaterThan(0.95);
    for (const reason of Object.values(notReplayed)) expect(reason.length).toBeGreaterThan(20);
  });

  // Deliberately not replayed transcripts get no test at all (their reasons live in the fixture).
  for (const name of names.filter((n) => !notReplayed[n])) {
    it(name, async () => {
      const problems = await replay(s, version, name);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});
