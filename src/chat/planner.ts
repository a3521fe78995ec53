import { expandAbbreviations } from './abbreviations.js';
import { aggregatePlan, GROUP_RE, WISE_RE } from './aggregate.js';
import { CATALOG } from './catalog.js';
import { comparison } from './compare.js';
import { parseDateRange } from './dates.js';
import { namedFieldValues } from './field-value.js';
import { fieldLabel, fieldsOf, isDatetime, rangeField } from './fields.js';
import { explicitCount, ordering } from './ordering.js';
import { applyNamed, doctypeOfId, takeNamed } from './phrases.js';
import { Understanding, type Plan, type PlannerInput } from './plan.js';
import { AskText, type Condition } from './query.js';
import {
  LEAST_WORDS,
  MEASURE_WORDS,
  owedMeasures,
  RANK_WORDS,
  RANKINGS,
  rankedPlan,
  SOLD_WORDS,
  soldPerItem,
  whoRanked,
} from './ranking.js';
import { detectWrite, refusalMessage } from './refusals.js';
import type { SiteLookups } from './site.js';
import { applyStates } from './states.js';
import { firstLine, pluralTitle, rangeWords } from './summary.js';
import { normalize, plural } from './text.js';
import { unsetField } from './unset.js';
import { placeValues } from './values.js';
import { CATALOG_VOCABULARY, doctypeInfo, searchDoctype, type DoctypeHit, type Vocabulary } from './vocabulary.js';

export type { Attempt, Plan, PlannerInput, ToolCallPlan } from './plan.js';
export type { Condition } from './query.js';
export type { AggregateView } from './aggregate.js';

export const EXAMPLES = [
  'show me top 5 customers',
  'how many overdue invoices',
  'sales orders for customer Initech this month',
  'commercial customers in India',
  'newest supplier',
];

/** Without a site: the catalog's words only, no metadata, no look-ups. For tests and the benchmark. */
export const OFFLINE: SiteLookups = {
  vocabulary: () => Promise.resolve(CATALOG_VOCABULARY),
  fullList: () => Promise.resolve(true),
  meta: () => Promise.resolve(undefined),
  searchLink: () => Promise.resolve({ values: [] }),
};

const POLITE = /\b(?:pls|plz|please|kindly|thanks|thank you|thx)\b/gi;
const COUNT_RE =
  /\b(how many|how much|number of|no of|no\. of|count of|count|total number of|total number|tally of)\b/i;
const MY_RE = /\b(my|mine|i created|i made|assigned to me|(?:created|made|raised|entered|owned) by me)\b/i;
/** "my orders" are the user's own; "my biggest customer" is the business's: a ranking, not an owner filter. */
const MY_RANKED = new RegExp(String.raw`\b(?:my|our)\s+(?=${RANK_WORDS.source})`, 'gi');
/** "sales by territory", "total purchases this year": with no DocType named, money words mean invoices. */
const MONEY: Array<[RegExp, string]> = [
  [/\b(?:total\s+)?(?:outstanding|receivables?)(?:\s+amount)?\b/i, 'Sales Invoice'],
  [/\b(?:total\s+)?payables?(?:\s+amount)?\b/i, 'Purchase Invoice'],
  [/\b(?:total\s+|our\s+)?(?:sales|revenue|turnover|income)\b/i, 'Sales Invoice'],
  [/\b(?:total\s+|our\s+)?(?:purchases?|spend|spending|expenditure|buying)\b/i, 'Purchase Invoice'],
];
const OWED_RE = /\b(?:outstanding|receivables?|payables?|owed|owing|dues|balance due)\b/i;
/** "total of sales orders", "total value of invoices", "average order value": one figure over the DocType. */
const OVERALL_RE =
  /\b(?:(total|sum)\s+(?:value\s+|amount\s+|worth\s+)?of|total\s+(?:value|amount|worth)|(average|avg|mean))\b(?:\s+(?:value|amount|size))?/i;

function unknown(original: string): Plan {
  return {
    kind: 'unknown',
    message:
      `I could not tell which kind of record “${original}” is about. ` +
      `Try asking like: ${EXAMPLES.map((e) => `“${e}”`).join(', ')}.`,
  };
}

/** A write is refused, offering the read of the same records. */
function refusal(original: string, vocabulary: Vocabulary): Plan | undefined {
  const write = detectWrite(original);
  if (!write) return undefined;
  const hit = vocabulary.find(write.rest);
  const rest = !write.rest || normalize(write.rest) === hit?.matched ? plural(hit?.info.doctype ?? '') : write.rest;
  const offer = hit ? { ask: `show ${rest.toLowerCase()}`, what: pluralTitle(hit.info.doctype) } : undefined;
  return { kind: 'refusal', message: refusalMessage(write, offer) };
}

/** The DocType the ask names, from the vocabulary, a DocType search, or "sales" meaning Sales Invoices. */
async function findDoctype(
  ask: AskText,
  vocabulary: Vocabulary,
  site: SiteLookups,
  id?: string,
): Promise<{ hit?: DoctypeHit; sales: boolean }> {
  const hit =
    vocabulary.find(ask.lower) ??
    (id ? doctypeOfId(id, vocabulary) : undefined) ??
    ((await site.fullList()) ? undefined : await searchDoctype(ask.lower, site));
  if (hit) {
    if (hit.matched) ask.remove(hit.matched);
    return { hit, sales: false };
  }
  // "who bought the most", "who do we buy the least from": the party that ranking is about.
  const who = whoRanked(ask.text);
  if (who !== undefined) {
    ask.text = who;
    const party = vocabulary.find(ask.lower);
    if (party) {
      ask.remove(party.matched);
      return { hit: party, sales: false };
    }
  }
  for (const [re, doctype] of MONEY) {
    if (!ask.take(re)) continue;
    const info = CATALOG.find((c) => c.doctype === doctype)!;
    return { hit: { info, matched: '', plural: true, fuzzy: false, at: 0 }, sales: true };
  }
  return { sales: false };
}

/**
 * The LLM-free planner: one everyday ERP ask → read-only tool calls, from the site's own metadata.
 * Each capability lives in its own module; this coordinator runs them in order, each taking the words it
 * understood out of the ask, so whatever is left is tried as a value and never silently dropped.
 */
export async function plan(input: PlannerInput, site: SiteLookups = OFFLINE): Promise<Plan> {
  const original = input.message.trim().replace(/\s+/g, ' ');
  if (!/\p{L}/u.test(original)) return unknown(original);
  const vocabulary = await site.vocabulary();
  // "SO", "PI", "govt", "qty": read as the words they stand for; messages still quote the ask as typed.
  const text = expandAbbreviations(original);
  const refused = refusal(text, vocabulary);
  if (refused) return refused;

  const ask = new AskText(
    soldPerItem(text).replace(MY_RANKED, ' ').replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(POLITE, ' '),
  );
  const grouping = ask.take(GROUP_RE) ?? ask.take(WISE_RE);
  const byMeasure = ask.take(new RegExp(MEASURE_WORDS.source, 'i'));
  const named = takeNamed(ask);
  const range = parseDateRange(ask.lower, input.today);
  if (range) ask.remove(range.matched);
  const { hit, sales } = await findDoctype(ask, vocabulary, site, named.id);
  if (!hit) return unknown(original);
  const meta = await site.meta(hit.info.doctype);
  const u = new Understanding(doctypeInfo(hit.info, meta), meta);
  if (hit.fuzzy) u.notes.push(`I read “${hit.matched}” as ${pluralTitle(u.doctype)}.`);
  const wrong = await applyNamed(named, ask, u, site);
  if (wrong) return wrong;

  // "purchase orders by amount": on a DocType that is not ranked, the measure is a sort field.
  if (byMeasure && !RANKINGS[u.doctype] && !grouping) ask.text = `${ask.text}${byMeasure[0]} `;
  const compared = comparison(ask, u.info, meta);
  if (compared) u.add(compared);
  const unset = unsetField(ask, u.info, meta);
  if (unset) u.add(unset);
  const fieldValues = await namedFieldValues(ask, u, site);
  const counted = ask.take(COUNT_RE);
  // "how much revenue": an amount, not a number of documents.
  const count = !!counted && !(sales && /much/i.test(counted[0]));
  const rows = explicitCount(ask.lower);
  // "best selling items", "most sold products": a ranking, read as "top" so no later step takes the words.
  const sold = SOLD_WORDS.test(ask.lower);
  if (sold) ask.text = ask.text.replace(new RegExp(SOLD_WORDS.source, 'gi'), ' top ');
  // "least selling items", "worst customers": the same ranking from the bottom; "least" if it ends in a list.
  const least = !!RANKINGS[u.doctype] && LEAST_WORDS.test(ask.lower);
  if (least) ask.text = ask.text.replace(new RegExp(LEAST_WORDS.source, 'gi'), ' least ');
  const rankAsk = (sold || least || RANK_WORDS.test(ask.lower)) && !/\bby\b/.test(ask.lower);
  // Sort clauses go before status words, so "highest outstanding amount" is a field, not "outstanding" invoices.
  const order = count ? undefined : ordering({ text: ask.lower, info: u.info, meta, singular: !hit.plural });
  ask.text = order ? ` ${order.text} ` : ask.text.replace(/(?:^|\s)\d{1,3}(?=\s|$)/g, ' ');
  applyStates(ask, u, input.today);
  if (ask.take(MY_RE))
    u.add([u.doctype === 'ToDo' ? 'allocated_to' : 'owner', '=', input.user], `yours (${input.user})`);
  for (const c of fieldValues) u.add(c);
  const dateField = range ? rangeField(ask, u.info, meta) : (u.info.dateField ?? 'creation');
  // One day of a Datetime (creation) is a range too: Frappe stretches "between" dates over whole days there,
  // while "=" would compare with midnight.
  const dateFilter: Condition | undefined = range
    ? range.from === range.to && !isDatetime(dateField, u.info, meta)
      ? [dateField, '=', range.from]
      : [dateField, 'between', [range.from, range.to]]
    : undefined;
  if (range && dateFilter) u.add(dateFilter, rangeWords(fieldLabel(dateField, u.info, meta), range));

  // "total outstanding", "customer wise receivables": what is still owed, not what was billed.
  const owes = OWED_RE.test(text);
  const owedField =
    owes && fieldsOf(u.info, meta).some((f) => f.fieldname === 'outstanding_amount') ? 'outstanding_amount' : undefined;
  // "the grand total of SAL-ORD-2026-00004": that document, shown, not a total over documents.
  const overall = !grouping && !named.id && u.info.amountField ? ask.take(OVERALL_RE) : null;
  if ((sales || overall) && !grouping && !count) {
    const fn = overall?.[2] ? 'avg' : 'sum';
    const amount = owedField ?? u.info.amountField!;
    if (u.info.submittable && !u.filters.some((f) => f[0] === 'docstatus')) u.add(['docstatus', '=', 1]);
    return u.tool(
      {
        name: 'aggregate_documents',
        arguments: { doctype: u.doctype, function: fn, field: amount, filters: u.filters },
      },
      {
        what: `${fn === 'avg' ? 'Average' : 'Total'} of ${pluralTitle(u.doctype)} (${fieldLabel(amount, u.info, meta).toLowerCase()})`,
      },
      { columns: ['value'] },
    );
  }
  const rankings = RANKINGS[u.doctype] && (owes ? owedMeasures(RANKINGS[u.doctype]!) : RANKINGS[u.doctype]);
  const groupWord = grouping?.[1]?.toLowerCase();
  // "top customer", "who is my biggest customer": one, the best; "top customers": ten.
  const ranked = rows ?? (hit.plural ? 10 : 1);
  if (rankings && byMeasure && (!groupWord || groupWord === u.doctype.toLowerCase())) {
    return rankedPlan(rankings, u.doctype, { n: ranked, least }, dateFilter, u.info, u.notes);
  }
  if (groupWord) {
    const words = ask.lower;
    const agg = aggregatePlan({
      info: u.info,
      groupWord,
      byMeasure: !!byMeasure || sales || !!owedField,
      ...(owedField ? { amount: owedField } : {}),
      words,
      filters: u.filters,
      limit: rows ?? 10,
    });
    return {
      kind: 'tool',
      doctype: agg.view.link ?? u.doctype,
      columns: ['group', 'value'],
      aggregate: agg.view,
      call: { name: 'aggregate_documents', arguments: agg.args },
      summary: firstLine({ what: agg.what, conditions: [...u.said, ...agg.added] }),
      notes: u.notes,
    };
  }
  if (rankings && !count && rankAsk && u.filters.length === (dateFilter ? 1 : 0)) {
    return rankedPlan(rankings, u.doctype, { n: ranked, least }, dateFilter, u.info, u.notes);
  }

  const question = await placeValues(ask, u, vocabulary, site);
  if (question) return question;
  if (count) return u.count();
  const o = order!.ordering;
  return u.list(o.orderBy, o.limit, o.note || undefined);
}
