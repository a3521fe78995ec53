import { describe, expect, it } from 'vitest';
import { expandAbbreviations } from '../../src/chat/abbreviations.js';

describe('desk shorthand, spelled out', () => {
  it.each([
    ['show all SOs', 'show all sales orders'],
    ['SO with highest amt', 'sales order with highest amount'],
    ["list SO's pls", 'list sales orders pls'],
    ['unpaid SI', 'unpaid sales invoice'],
    ['pi from acme', 'purchase invoice from acme'],
    ['how many POs', 'how many purchase orders'],
    ['list all DN', 'list all delivery note'],
    ['PR this week', 'purchase receipt this week'],
    ['how many MRs', 'how many material requests'],
    ['JE to approve', 'journal entry to approve'],
    ['draft JVs', 'draft journal entries'],
    ['govt customers', 'government customers'],
    ["gov't customers", 'government customers'],
    ['total qty sold', 'total quantity sold'],
    ['cust in india', 'customer in india'],
    ['supp in germany', 'supplier in germany'],
    ['cust group wise sales', 'customer group wise sales'],
    ['custs', 'customers'],
    ['suppliers in uk', 'suppliers in united kingdom'],
  ])('%s → %s', (ask, expanded) => {
    expect(expandAbbreviations(ask)).toBe(expanded);
  });

  it('leaves lower-case codes that are everyday words or titles alone', () => {
    expect(expandAbbreviations('so far this month')).toBe('so far this month');
    expect(expandAbbreviations('customer mr smith')).toBe('customer mr smith');
    expect(expandAbbreviations('pr for the launch')).toBe('pr for the launch');
  });

  it('only reads whole words: names and IDs that contain a code stay as typed', () => {
    expect(expandAbbreviations('SAL-ORD-2026-00002 for Sion Labs')).toBe('SAL-ORD-2026-00002 for Sion Labs');
    expect(expandAbbreviations('custom fields of supplies')).toBe('custom fields of supplies');
  });
});
