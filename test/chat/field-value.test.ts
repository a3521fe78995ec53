import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/chat/catalog.js';
import { namedFieldValues } from '../../src/chat/field-value.js';
import { resolveField } from '../../src/chat/fields.js';
import { Understanding } from '../../src/chat/plan.js';
import { AskText } from '../../src/chat/query.js';
import type { DoctypeMeta } from '../../src/chat/site.js';
import { fakeSite } from './site-helpers.js';

const item = CATALOG.find((c) => c.doctype === 'Item')!;
/** ERPNext's Item, whose labels are not what people type: "Default Unit of Measure" is `stock_uom`. */
const ITEM: DoctypeMeta = {
  name: 'Item',
  submittable: false,
  titleField: 'item_name',
  fields: [
    { fieldname: 'item_name', fieldtype: 'Data', label: 'Item Name' },
    { fieldname: 'item_group', fieldtype: 'Link', label: 'Item Group', options: 'Item Group' },
    { fieldname: 'stock_uom', fieldtype: 'Link', label: 'Default Unit of Measure', options: 'UOM' },
    { fieldname: 'is_stock_item', fieldtype: 'Check', label: 'Maintain Stock' },
    { fieldname: 'standard_rate', fieldtype: 'Currency', label: 'Standard Selling Rate' },
    {
      fieldname: 'valuation_method',
      fieldtype: 'Select',
      label: 'Valuation Method',
      options: '\nFIFO\nMoving Average',
    },
    { fieldname: 'description', fieldtype: 'Text Editor', label: 'Description' },
  ],
};
const site = fakeSite({ metas: [ITEM], records: { UOM: ['Nos', 'Kg', 'Box'], 'Item Group': ['Products'] } });

async function read(text: string) {
  const ask = new AskText(text);
  const filters = await namedFieldValues(ask, new Understanding(item, ITEM), site);
  return { filters, left: ask.text.trim() };
}

describe('a field named by its fieldname, as by its label', () => {
  it.each([
    ['stock uom', 'stock_uom'],
    ['stock_uom', 'stock_uom'],
    ['stock uoms', 'stock_uom'],
    ['valuaton method', 'valuation_method'],
    ['is stoock item', 'is_stock_item'],
    ['default unit of measure', 'stock_uom'],
    ['is stock item', 'is_stock_item'],
    ['maintain stock', 'is_stock_item'],
  ])('“%s” → %s', (phrase, fieldname) => {
    expect(resolveField(phrase, item, ITEM)?.fieldname).toBe(fieldname);
  });

  it('reads the first words of one label as that field, never of several', () => {
    expect(resolveField('valuation', item, ITEM)?.fieldname).toBe('valuation_method');
    expect(resolveField('standard', item, ITEM)?.fieldname).toBe('standard_rate');
    expect(resolveField('item', item, ITEM)).toBeUndefined(); // Item Name or Item Group
    expect(resolveField('def', item, ITEM)).toBeUndefined(); // too short to guess from
  });

  it.each([
    [' where stock uom is nos ', [['stock_uom', '=', 'Nos']]],
    [' with stock uom KG ', [['stock_uom', '=', 'Kg']]],
    [' whose default unit of measure = box ', [['stock_uom', '=', 'Box']]],
    [' where valuation method is fifo ', [['valuation_method', '=', 'FIFO']]],
    [' where is_stock_item = 1 ', [['is_stock_item', '=', 1]]],
    [' with maintain stock yes ', [['is_stock_item', '=', 1]]],
    [' with standard rate 1250 ', [['standard_rate', '=', 1250]]],
    [' where stock uom is not set ', [['stock_uom', 'is', 'not set']]],
    [
      ' where stock uom is nos and item group is products ',
      [
        ['stock_uom', '=', 'Nos'],
        ['item_group', '=', 'Products'],
      ],
    ],
  ])('%s → %j, every word taken', async (text, filters) => {
    expect(await read(text)).toEqual({ filters, left: '' });
  });

  it('keeps the words that follow the value for the later steps', async () => {
    expect(await read(' where stock uom is Nos sorted by item name ')).toEqual({
      filters: [['stock_uom', '=', 'Nos']],
      left: 'sorted by item name',
    });
  });

  it.each([
    ' with standard rate above 100 ',
    ' with the highest standard rate ',
    ' with maintain stock maybe ',
    ' with standard rate cheap ',
    ' where description is long ',
    ' with stock uom ',
    ' with colour red ',
    ' with stock uom in boxes ',
  ])('leaves “%s” alone: a comparison, a sort, a value the field cannot hold, or no field', async (text) => {
    expect(await read(text)).toEqual({ filters: [], left: text.trim() });
  });
});
