import type { DoctypeInfo } from './catalog.js';
import type { Attempt, Plan } from './plan.js';
import type { Condition } from './query.js';
import { conditionWords, firstLine, pluralTitle } from './summary.js';

/** One way to rank a party: a total over submitted documents, per party. */
export interface Measure {
  doctype: string;
  /** For a child table (items): the DocType whose documents hold the rows, whose permission Frappe applies. */
  parent?: string;
  field: string;
  groupBy: string;
  /** The date the range applies to, on the ranked rows; absent when they carry none (Sales Invoice Item). */
  dateField?: string;
  /** In words, for the answer ("submitted Sales Invoices, grand total"). */
  words: string;
  valueLabel: string;
}

/**
 * "Top customers" means the best ones, not the last modified: what they bought, from submitted Sales
 * Invoices, or from submitted Sales Orders for users who may not read invoices (a plain Sales User).
 * Suppliers by what was bought from them. Tried in order; the first the caller may read answers.
 */
export const RANKINGS: Record<string, Measure[]> = {
  Customer: [
    {
      doctype: 'Sales Invoice',
      field: 'grand_total',
      groupBy: 'customer',
      dateField: 'posting_date',
      words: 'submitted Sales Invoices (grand total)',
      valueLabel: 'Invoiced (grand total)',
    },
    {
      doctype: 'Sales Order',
      field: 'grand_total',
      groupBy: 'customer',
      dateField: 'transaction_date',
      words: 'submitted Sales Orders (grand total)',
      valueLabel: 'Ordered (grand total)',
    },
  ],
  Supplier: [
    {
      doctype: 'Purchase Invoice',
      field: 'grand_total',
      groupBy: 'supplier',
      dateField: 'posting_date',
      words: 'submitted Purchase Invoices (grand total)',
      valueLabel: 'Invoiced (grand total)',
    },
    {
      doctype: 'Purchase Order',
      field: 'grand_total',
      groupBy: 'supplier',
      dateField: 'transaction_date',
      words: 'submitted Purchase Orders (grand total)',
      valueLabel: 'Ordered (grand total)',
    },
  ],
  // Items by quantity sold: child rows of submitted documents (a child row shares its parent's docstatus).
  Item: [
    {
      doctype: 'Sales Invoice Item',
      parent: 'Sales Invoice',
      field: 'qty',
      groupBy: 'item_code',
      words: 'quantity sold on submitted Sales Invoices',
      valueLabel: 'Quantity sold',
    },
    {
      doctype: 'Sales Order Item',
      parent: 'Sales Order',
      field: 'qty',
      groupBy: 'item_code',
      // ERPNext copies the order's date onto each of its rows (Sales Order Item.transaction_date), so a range
      // is a filter on the rows themselves. A filter naming the parent would not do: Frappe 15 joins any
      // second table of a list as a child of the first, so from child rows it never matches.
      dateField: 'transaction_date',
      words: 'quantity ordered on submitted Sales Orders',
      valueLabel: 'Quantity ordered',
    },
  ],
};

/** "top customers by outstanding": the invoice measures, adding up what is still owed (orders owe nothing). */
export function owedMeasures(measures: Measure[]): Measure[] {
  const owed = measures
    .filter((m) => m.doctype.endsWith(' Invoice'))
    .map((m) => ({
      ...m,
      field: 'outstanding_amount',
      words: `outstanding amount of submitted ${m.doctype}s`,
      valueLabel: 'Outstanding',
    }));
  return owed.length ? owed : measures;
}

/** Words of a ranking by sales ("top selling items", "most sold"), understood with the ranking. */
export const SOLD_WORDS =
  /\b(?:best[- ]?selling|top[- ]?selling|fast(?:est)?[- ]?moving|most sold|most ordered|sold the most|bestsellers?|best sellers?)\b/i;

/** "total quantity sold per item", "item wise qty sold": the items ranked by quantity sold. */
const SOLD_PER_ITEM =
  /\b(?:(?:total\s+)?(?:quantity|quantities|units?)\s+(?:sold|ordered)\s+(?:per|by|for each)\s+items?|items?[- ]?wise\s+(?:total\s+)?(?:quantity|quantities|units?)\s+(?:sold|ordered)|(?:quantity|quantities|units?)\s+sold\s+of\s+(?:each\s+)?items?)\b/i;

/** The ask with a quantity-sold-per-item phrase read as "best selling items", which the ranking understands. */
export function soldPerItem(text: string): string {
  return text.replace(SOLD_PER_ITEM, ' best selling items ');
}

/**
 * A ranking from the bottom: "least selling items", "slowest moving", "worst customers", "bottom 5 suppliers",
 * "bought the least". Only for a ranked DocType; "lowest"/"smallest" alone stay a sort on a field.
 */
export const LEAST_WORDS =
  /\b(?:(?:least|lowest|worst|poorest|slowest|slow)[- ]?(?:selling|sellers?|sold|moving|movers?|ordered|performing)(?![- ](?:rates?|prices?|amounts?|values?)\b)|(?:sold|ordered|moved|sells|sell)\s+(?:the\s+)?least|least\s+(?:sold|ordered|popular|bought|purchased|valuable)|worst|bottom|(?:buy|buys|bought|purchase|purchases|purchased|spend|spends|spent|order|orders|ordered)\s+(?:the\s+)?least)\b/i;

/**
 * "who bought the most", "who buys the least from us": customers. "who do we buy the most from", "who sold us
 * the most": suppliers. Only read this way when the ask names no DocType.
 */
const WHO_BUYS =
  /\bwho\s+(?:(?:is|are)\s+(?:the\s+)?(?:one|ones)\s+(?:that|who)\s+)?(?:buys?|bought|purchases?|purchased|spends?|spent|orders?|ordered)\s+(?:the\s+)?(most|least)(?:\s+(?:from|with)\s+(?:us|me))?\b/i;
const WE_BUY =
  /\b(?:(?:from\s+)?who(?:m)?\s+(?:do|did|have|does)\s+(?:we|i|the company)\s+(?:buy|bought|purchase|purchased|order|ordered|spend|spent)\s+(?:the\s+)?(most|least)(?:\s+(?:from|with))?|who\s+(?:sold|sells|supplied|supplies)\s+(?:to\s+)?us\s+(?:the\s+)?(most|least))\b/i;

/** "slow movers", "what do we sell the most", "best sellers": items, by quantity sold. */
const WHAT_SELLS =
  /\b(?:(slow(?:est)?|fast(?:est)?)[- ]?(?:movers|moving)|what\s+(?:do|did|does)\s+(?:we|i)\s+sell\s+(?:the\s+)?(most|least)|what\s+(?:sells|sold)\s+(?:the\s+)?(most|least)|(best|worst|top)[- ]?sellers?|bestsellers?)\b/i;

/**
 * The ask with a "who bought the most" phrase read as "top customer", "who do we buy the least from" as
 * "bottom supplier", "slow movers" as "bottom item"; undefined when there is none.
 */
export function whoRanked(text: string): string | undefined {
  for (const [re, party] of [
    [WE_BUY, 'supplier'],
    [WHO_BUYS, 'customer'],
    [WHAT_SELLS, 'items'],
  ] as const) {
    const m = re.exec(text);
    if (!m) continue;
    const word = m.slice(1).find(Boolean)?.toLowerCase() ?? 'top';
    const end = /^(?:least|slow|slowest|worst)$/.test(word) ? 'bottom' : 'top';
    return `${text.slice(0, m.index)} ${end} ${party} ${text.slice(m.index + m[0].length)}`;
  }
  return undefined;
}

/** "top 5 customers", "best suppliers", "our biggest customers", "top customers by sales". */
export const RANK_WORDS =
  /\b(?:top|best|biggest|largest|most valuable|leading|key|highest[- ]paying|most important|major|(?:buy|buys|bought|purchase|purchased|spend|spends|spent|order|orders|ordered)\s+(?:the\s+)?most)\b/;
/** "by sales", "by value"; for items also "by quantity" (what the item ranking measures). */
export const MEASURE_WORDS =
  /\bby\s+(?:total\s+)?(?:sales|revenue|value|amount|turnover|spend|spending|purchases|purchase value|billing|business|quantity|quantities|qty|units|volume|outstanding|dues|receivables?|payables?)\b/;

/** The aggregate_documents arguments for one measure. */
export function rankingCall(m: Measure, limit: number, range?: Condition, least = false): Record<string, unknown> {
  const filters: Condition[] = [['docstatus', '=', 1]];
  if (range && m.dateField) filters.unshift([m.dateField, range[1], range[2]]);
  return {
    doctype: m.doctype,
    ...(m.parent ? { parent_doctype: m.parent } : {}),
    function: 'sum',
    field: m.field,
    group_by: m.groupBy,
    filters,
    ...(least ? { order: 'asc' } : {}),
    limit,
  };
}

/** Who drops out of a ranking from the bottom: a total only has the parties that have a document. */
const NEVER: Record<string, string> = {
  Customer: 'a customer who bought nothing',
  Supplier: 'a supplier we bought nothing from',
  Item: 'an item never sold',
};

function leastCaveat(doctype: string, range: Condition | undefined): string {
  const none = NEVER[doctype] ?? `a ${doctype} with none`;
  const when = range ? ' in these dates' : '';
  return `This ranking only covers ${pluralTitle(doctype)} with at least one submitted document${when}: ${none}${when ? ' then' : ''} does not appear.`;
}

export interface RankOptions {
  /** How many to show. */
  n: number;
  /** From the bottom ("least selling items"): lowest first. */
  least?: boolean;
}

/** "top 5 customers": by what they bought, with each fallback the caller may need, ending in a plain list. */
export function rankedPlan(
  measures: Measure[],
  doctype: string,
  { n, least = false }: RankOptions,
  range: Condition | undefined,
  info: DoctypeInfo,
  notes: string[],
): Plan {
  // A date range needs a date on the ranked rows; measures without one (child rows) are skipped rather than
  // answering for all time while the first line claims the range.
  const usable = range ? measures.filter((m) => m.dateField) : measures;
  const skipped = measures.filter((m) => !usable.includes(m));
  if (skipped.length && usable.length)
    notes.push(
      `Within dates, ${pluralTitle(doctype)} are ranked by ${usable[0]!.words}: the rows of ${skipped.map((m) => `${m.parent ?? m.doctype}s`).join(' and ')} carry no date.`,
    );
  else if (skipped.length)
    notes.push(`${pluralTitle(doctype)} cannot be ranked within dates: the rows they are counted on carry no date.`);
  const attempts: Attempt[] = usable.map((m) => {
    const args = rankingCall(m, n, range, least);
    const end = least ? 'Bottom' : 'Top';
    return {
      doctype,
      columns: ['group', 'value'],
      aggregate: { groupLabel: doctype, valueLabel: m.valueLabel, link: doctype },
      call: { name: 'aggregate_documents', arguments: args },
      summary: firstLine({
        what: n === 1 ? `${end} ${doctype} by ${m.words}` : `${end} ${n} ${pluralTitle(doctype)} by ${m.words}`,
        conditions: range && m.dateField ? [conditionWords([m.dateField, range[1], range[2]], info)] : [],
        ...(least ? { order: 'lowest first' } : {}),
      }),
      ...(least ? { caveat: leastCaveat(doctype, range) } : {}),
    };
  });
  attempts.push({
    doctype,
    columns: info.columns,
    call: {
      name: 'list_documents',
      arguments: { doctype, fields: info.columns, order_by: 'modified desc', limit: n, include_total: true },
    },
    summary: firstLine({ what: pluralTitle(doctype), order: 'last modified first, not ranked', rows: n }),
  });
  const [first, ...fallbacks] = attempts;
  return { kind: 'tool', ...first!, fallbacks, notes };
}
