import { describe, expect, it } from 'vitest';
import { EXAMPLES, plan } from '../../src/chat/planner.js';
import { CORPUS, NOT_UNDERSTOOD } from './corpus.js';

const today = new Date('2026-11-30T10:00:00Z');
const user = 'sales@example.com';

describe('planner corpus', () => {
  it('holds at least 60 asks', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CORPUS.map((c) => [c.ask, c] as const))('%s', (_ask, c) => {
    const p = plan({ message: c.ask, user, today });
    expect(p.kind).toBe('tool');
    if (p.kind !== 'tool') return;
    expect(p.call.name).toBe(c.tool);
    const args = p.call.arguments;
    expect(args.doctype).toBe(c.doctype);
    expect(args.filters ?? []).toEqual(c.filters ?? []);
    if (c.order_by) expect(args.order_by).toBe(c.order_by);
    if (c.limit !== undefined) expect(args.limit).toBe(c.limit);
    if (c.fn) expect(args.function).toBe(c.fn);
    if (c.group_by) expect(args.group_by).toBe(c.group_by);
    if (c.tool === 'list_documents') {
      expect(Array.isArray(args.fields)).toBe(true);
      expect(args.limit).toBeLessThanOrEqual(100);
    }
  });
});

describe('planner', () => {
  it.each(NOT_UNDERSTOOD)('says plainly when it does not understand “%s”, with phrasings it does', (ask) => {
    const p = plan({ message: ask, user, today });
    expect(p.kind).toBe('unknown');
    if (p.kind === 'unknown') expect(p.message).toContain(EXAMPLES[0]);
  });

  it('understands the site’s own DocTypes by name', () => {
    const p = plan({ message: 'how many Maintenance Visits', user, today, siteDoctypes: ['Maintenance Visit'] });
    expect(p).toMatchObject({
      kind: 'tool',
      call: { name: 'count_documents', arguments: { doctype: 'Maintenance Visit' } },
    });
  });

  it('refuses a party filter the DocType does not have', () => {
    expect(plan({ message: 'items for customer Acme', user, today }).kind).toBe('unknown');
  });

  it('caps the number of rows', () => {
    const p = plan({ message: 'top 999 customers', user, today });
    expect(p.kind === 'tool' && p.call.arguments.limit).toBe(100);
  });
});
