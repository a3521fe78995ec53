import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/chat/catalog.js';
import { AskText } from '../../src/chat/query.js';
import type { DoctypeMeta } from '../../src/chat/site.js';
import { unsetField } from '../../src/chat/unset.js';

const customer = CATALOG.find((c) => c.doctype === 'Customer')!;
const CUSTOMER: DoctypeMeta = {
  name: 'Customer',
  submittable: false,
  fields: [
    { fieldname: 'territory', fieldtype: 'Link', label: 'Territory', options: 'Territory' },
    { fieldname: 'email_id', fieldtype: 'Read Only', label: 'Email Id' },
    { fieldname: 'mobile_no', fieldtype: 'Read Only', label: 'Mobile No' },
  ],
};

describe('a field named as missing', () => {
  it.each([
    [' without territory ', 'territory'],
    [' with no email id ', 'email_id'],
    [' missing the mobile no ', 'mobile_no'],
    [' with an empty territory ', 'territory'],
    [' without email ', 'email_id'],
    [' with no mobile ', 'mobile_no'],
  ])('%s → is not set', (text, fieldname) => {
    const ask = new AskText(text);
    expect(unsetField(ask, customer, CUSTOMER)).toEqual([fieldname, 'is', 'not set']);
    expect(ask.text.trim()).toBe('');
  });

  it('leaves words that name no field for the value look-ups', () => {
    const ask = new AskText(' without orders ');
    expect(unsetField(ask, customer, CUSTOMER)).toBeUndefined();
    expect(ask.text.trim()).toBe('without orders');
  });
});
