/**
 * The planner's own time per ask, beyond its tool calls: every ask of the test corpus planned many
 * times over, with the site's vocabulary, metadata and record look-ups answered from memory (as the
 * caches answer them after the first ask).   npx tsx scripts/bench/planner.ts [--rounds 200]
 */
import { parseArgs } from 'node:util';
import { plan } from '../../src/chat/planner.js';
import type { DoctypeMeta, LinkLookup, SiteLookups } from '../../src/chat/site.js';
import { Vocabulary } from '../../src/chat/vocabulary.js';
import { allMetas } from '../../src/standin/meta.js';
import { CORPUS } from '../../test/chat/corpus.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const today = new Date('2026-11-30T10:00:00Z');

// The stand-in's DocTypes and fields, and a few records per link target, held in memory.
const vocabulary = new Vocabulary(
  allMetas()
    .filter((m) => !m.istable)
    .map((m) => ({ name: m.name, module: m.module })),
);
const metas = new Map<string, DoctypeMeta>(
  allMetas().map((m) => [
    m.name,
    {
      name: m.name,
      submittable: m.is_submittable === 1,
      ...(m.title_field ? { titleField: m.title_field } : {}),
      fields: m.fields.map((f) => ({
        fieldname: f.fieldname,
        fieldtype: f.fieldtype,
        label: f.label,
        ...(f.options ? { options: f.options } : {}),
      })),
    },
  ]),
);
const records: Record<string, string[]> = {
  'Customer Group': ['Commercial', 'Government', 'Individual', 'Non Profit', 'Retail'],
  Territory: ['India', 'Rest Of The World', 'United States'],
  Country: ['China', 'Germany', 'India', 'United Kingdom', 'United States'],
  'Supplier Group': ['Electrical', 'Hardware', 'Local', 'Raw Material', 'Services'],
  'Item Group': ['Consumable', 'Products', 'Raw Material', 'Services', 'Sub Assemblies'],
};
const site: SiteLookups = {
  vocabulary: () => Promise.resolve(vocabulary),
  fullList: () => Promise.resolve(true),
  meta: (doctype) => Promise.resolve(metas.get(doctype)),
  searchLink: (doctype, txt): Promise<LinkLookup> =>
    Promise.resolve({
      values: (records[doctype] ?? []).filter((v) => v.toLowerCase().includes(txt)).map((value) => ({ value })),
    }),
};

const asks = CORPUS.map((c) => c.ask);
const ask = (message: string) => plan({ message, user: 'sales@example.com', today }, site);
for (const a of asks) await ask(a); // warm-up
const times: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const a of asks) {
    const t0 = performance.now();
    await ask(a);
    times.push(performance.now() - t0);
  }
}
times.sort((a, b) => a - b);
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
console.log(
  `${asks.length} asks × ${rounds} rounds: mean ${us(times.reduce((a, b) => a + b, 0) / times.length)}, ` +
    `p50 ${us(times[Math.floor(times.length / 2)]!)}, p99 ${us(times[Math.floor(times.length * 0.99)]!)} per ask`,
);
