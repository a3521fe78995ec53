import { describe, expect, it } from 'vitest';
import type { FieldMeta } from '../../src/chat/site.js';
import { oneTypoAway } from '../../src/chat/typo-values.js';
import { fakeSite } from './site-helpers.js';

const GROUP: FieldMeta = { fieldname: 'customer_group', fieldtype: 'Link', options: 'Customer Group' };
const TERRITORY: FieldMeta = { fieldname: 'territory', fieldtype: 'Link', options: 'Territory' };
const OWN: FieldMeta = { fieldname: 'name', fieldtype: 'Link', options: 'Customer' };

describe('a value one typo away', () => {
  it('looks records up by the first letters, on link fields only, within the budget', async () => {
    const site = fakeSite({ records: { 'Customer Group': ['Government'], Territory: ['Goa'] } });
    const r = await oneTypoAway('goverment', [OWN, GROUP, TERRITORY], site, 1);
    expect(r).toEqual({ pick: { field: GROUP, value: 'Government' }, budget: 0 });
    expect(site.calls).toEqual([['Customer Group', 'gov']]);
  });

  it('makes no call without budget or for a short word', async () => {
    const site = fakeSite({ records: { 'Customer Group': ['Goa'] } });
    expect(await oneTypoAway('goverment', [GROUP], site, 0)).toEqual({ budget: 0 });
    expect(await oneTypoAway('gova', [GROUP], site, 2)).toEqual({ budget: 2 });
    expect(site.calls).toEqual([]);
  });

  it('picks nothing when two records are one typo away', async () => {
    const site = fakeSite({ records: { 'Customer Group': ['Retail'], Territory: ['Retain'] } });
    expect((await oneTypoAway('retaij', [GROUP, TERRITORY], site, 2)).pick).toBeUndefined();
  });
});
