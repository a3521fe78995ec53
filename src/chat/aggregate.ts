import { label } from './blocks.js';
import { FIELD_PHRASES, type DoctypeInfo } from './catalog.js';
import type { Condition } from './query.js';
import { escapeRe, plural } from './text.js';

/** How an aggregate answer is shown: what the groups are, what the figure is, where a group links to. */
export interface AggregateView {
  groupLabel: string;
  valueLabel: string;
  /** DocType the group values name (e.g. Customer), for record links. */
  link?: string;
}

/**
 * "by customer", "per territory": one figure per group. Not "sorted by item name" (an order) nor "by item
 * code" (a field); "sales order by status" (SO by status) is a grouping, "order by status" a sort.
 */
export const GROUP_RE =
  /(?<!\b(?:sorted|sort|ordered|(?<!(?:sales|purchase|work|production) )order|arranged|ranked|rank)\s+)\b(?:by|per|for each|grouped by|group by|broken down by|split by)\s+(customer group|supplier group|item group|territory|customer|supplier|group|status|company|department|country|item|project|warehouse|owner)\b(?!\s+(?:name|code|no|number|id|title|type)\b)/i;

/** "customer wise sales", "territory-wise orders": how ERPNext users in India often say "by". */
export const WISE_RE =
  /\b(customer group|supplier group|item group|territory|customer|supplier|status|company|department|country|item|project|warehouse)[- ]?wise\b/i;

/** Link targets of the fields people group by. */
const GROUP_LINKS: Record<string, string> = {
  customer: 'Customer',
  supplier: 'Supplier',
  territory: 'Territory',
  customer_group: 'Customer Group',
  supplier_group: 'Supplier Group',
  item_group: 'Item Group',
  company: 'Company',
  department: 'Department',
  country: 'Country',
  item_code: 'Item',
  project: 'Project',
  warehouse: 'Warehouse',
};

export interface AggregateAsk {
  info: DoctypeInfo;
  groupWord: string;
  /** "by sales": a sum of the amount even without "total". */
  byMeasure: boolean;
  /** The ask's remaining words (lower case), for "average", "total". */
  words: string;
  filters: Condition[];
  limit: number;
  /** The figure to add up instead of the DocType's amount ("outstanding_amount" for "customer wise outstanding"). */
  amount?: string;
}

export interface AggregatePlan {
  args: Record<string, unknown>;
  view: AggregateView;
  /** "Number of Customers by Customer Group". */
  what: string;
  /** Conditions the aggregate added (submitted only), in words. */
  added: string[];
}

/** "how many customers by group", "total sales orders by customer", "average order value by territory". */
export function aggregatePlan(a: AggregateAsk): AggregatePlan {
  const { info } = a;
  const field =
    a.groupWord === 'customer' || a.groupWord === 'supplier'
      ? (info.party?.[a.groupWord] ?? a.groupWord)
      : a.groupWord === 'item'
        ? 'item_code'
        : (FIELD_PHRASES.find((f) => f.phrase === a.groupWord && (!f.doctypes || f.doctypes.includes(info.doctype)))
            ?.field ?? a.groupWord.replace(/ /g, '_'));
  const amount = a.amount ?? info.amountField;
  // "sales" names the measure only when it is not part of the DocType's own name ("sales orders").
  const measureWords = a.words.replace(new RegExp(String.raw`\b${escapeRe(info.doctype.toLowerCase())}s?\b`, 'g'), ' ');
  const fn =
    amount && /\b(average|avg|mean)\b/.test(measureWords)
      ? 'avg'
      : amount && (a.byMeasure || /\b(total|sum|sales|revenue|amount|value|worth)\b/.test(measureWords))
        ? 'sum'
        : 'count';
  const filters = [...a.filters];
  const added: string[] = [];
  // Totals of submittable documents count only submitted ones, unless the ask named a docstatus.
  if (fn !== 'count' && info.submittable && !filters.some((f) => f[0] === 'docstatus')) {
    filters.push(['docstatus', '=', 1]);
    added.push('Document Status = Submitted');
  }
  const valueLabel =
    fn === 'count' ? `Number of ${plural(info.doctype)}` : `${fn === 'avg' ? 'Average ' : ''}${label(amount!)}`;
  const link = GROUP_LINKS[field];
  return {
    args: {
      doctype: info.doctype,
      function: fn,
      ...(fn === 'count' ? {} : { field: amount }),
      group_by: field,
      ...(filters.length ? { filters } : {}),
      limit: a.limit,
    },
    view: { groupLabel: label(field), valueLabel, ...(link ? { link } : {}) },
    what: `${fn === 'count' ? valueLabel : `${valueLabel} of ${plural(info.doctype)}`} by ${label(field)}`,
    added,
  };
}
