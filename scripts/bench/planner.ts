/**
 * The planner's own time per ask, beyond its tool calls: every ask of the test corpus planned many
 * times over.   npx tsx scripts/bench/planner.ts [--rounds 200]
 */
import { parseArgs } from 'node:util';
import { plan } from '../../src/chat/planner.js';
import { CORPUS } from '../../test/chat/corpus.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const today = new Date('2026-11-30T10:00:00Z');
const asks = CORPUS.map((c) => c.ask);
for (const ask of asks) plan({ message: ask, user: 'sales@example.com', today }); // warm-up
const times: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const ask of asks) {
    const t0 = performance.now();
    plan({ message: ask, user: 'sales@example.com', today });
    times.push(performance.now() - t0);
  }
}
times.sort((a, b) => a - b);
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
console.log(
  `${asks.length} asks × ${rounds} rounds: mean ${us(times.reduce((a, b) => a + b, 0) / times.length)}, ` +
    `p50 ${us(times[Math.floor(times.length / 2)]!)}, p99 ${us(times[Math.floor(times.length * 0.99)]!)} per ask`,
);
