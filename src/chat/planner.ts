import { aggregatePlan, GROUP_RE, WISE_RE, type AggregateView } from './aggregate.js';
import { CATALOG, DOCSTATUS_WORDS, FIELD_PHRASES, type DoctypeInfo } from './catalog.js';
import { comparison } from './compare.js';
import { parseDateRange } from './dates.js';
import { fieldLabel, resolveField } from './fields.js';
import { partialFilter, takePartialName } from './names.js';
import { explicitCount, ordering, STOP } from './ordering.js';
import { AskText, type Condition } from './query.js';
import { MEASURE_WORDS, RANK_WORDS, RANKINGS, rankingCall } from './ranking.js';
import { detectWrite, refusalMessage } from './refusals.js';
import type { DoctypeMeta, SiteLookups } from './site.js';
import { waitingState, WAITING_RE } from './states.js';
import { conditionWords, firstLine, pluralTitle } from './summary.js';
import { escapeRe, normalize, plural, singular, withinOneEdit } from './text.js';
import { exactValue, FILLER, linkValues, selectValues } from './values.js';
import { CATALOG_VOCABULARY, type DoctypeHit } from './vocabulary.js';

export type { Condition } from './query.js';
export type { AggregateView } from './aggregate.js';

export interface ToolCallPlan {
  name: 'list_documents' | 'count_documents' | 'aggregate_documents';
  arguments: Record<string, unknown>;
}

/** One tool call that answers the ask, with how to show its result. */
export interface Attempt {
  /** The DocType the rows are (or, for aggregates, the DocType the groups link to). */
  doctype: string;
  call: ToolCallPlan;
  columns: string[];
  /** The query in words: the answer's first line. */
  summary: string;
  aggregate?: AggregateView;
}

export type Plan =
  | ({
      kind: 'tool';
      /** Tried in order when Frappe refuses the one before (ranking by invoices, then by orders, then a list). */
      fallbacks?: Attempt[];
      /** Words it could not place, "did you mean", how a state was read: said after the answer. */
      notes: string[];
    } & Attempt)
  | { kind: 'ask'; summary: string; message: string }
  | { kind: 'refusal'; message: string }
  | { kind: 'unknown'; message: string };

export interface PlannerInput {
  message: string;
  /** The caller's Frappe user, for "my". */
  user: string;
  today: Date;
}

export const EXAMPLES = [
  'show me top 5 customers',
  'how many overdue invoices',
  'sales orders for customer Initech this month',
  'retail customers in India',
  'newest supplier',
];

/** Without a site: the catalog's words only, no metadata, no look-ups. For tests and the benchmark. */
export const OFFLINE: SiteLookups = {
  vocabulary: () => Promise.resolve(CATALOG_VOCABULARY),
  fullList: () => Promise.resolve(true),
  meta: () => Promise.resolve(undefined),
  searchLink: () => Promise.resolve({ values: [] }),
};

/** "for customer Initech", "from supplier Acme": a party named after its kind. */
const PARTY_RE = new RegExp(
  String.raw`\b(?:for|from|of|by|to|with)\s+(?:the\s+)?(customer|client|supplier|vendor|lead)\s+(?!(?:name|group|type|code|id|number|no)\b)["']?(.+?)["']?${STOP}`,
  'i',
);
/** "in territory India", "with status Completed": a field named before its value. */
const FIELD_RE = new RegExp(
  String.raw`\b(?:in|with|of|where|whose|from|having)\s+(?:the\s+)?(${[...new Set(FIELD_PHRASES.map((f) => f.phrase))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|')})\s+(?:is\s+|=\s*|of\s+)?["']?(.+?)["']?${STOP}`,
  'i',
);
const DOCSTATUS_RES = Object.entries(DOCSTATUS_WORDS).map(
  ([w, n]) => [new RegExp(String.raw`\b${w}\b`, 'i'), n] as const,
);
/** Each DocType's status words, longest first, compiled once. */
type StatusWord = [re: RegExp, word: string, conditions: Condition[]];
const STATUS_RES = new WeakMap<DoctypeInfo, StatusWord[]>();
function statusWords(info: DoctypeInfo): StatusWord[] {
  let list = STATUS_RES.get(info);
  if (!list) {
    list = Object.entries(info.status ?? {})
      .sort((a, b) => b[0].length - a[0].length)
      .map(([word, conds]): StatusWord => [new RegExp(String.raw`\b${escapeRe(word)}\b`, 'i'), word, conds]);
    STATUS_RES.set(info, list);
  }
  return list;
}

const COUNT_RE =
  /\b(how many|how much|number of|no of|no\. of|count of|count|total number of|total number|tally of)\b/i;
const MY_RE = /\b(my|mine|i created|i made|assigned to me)\b/i;

function unknown(original: string): Plan {
  return {
    kind: 'unknown',
    message:
      `I could not tell which kind of record “${original}” is about. ` +
      `Try asking like: ${EXAMPLES.map((e) => `“${e}”`).join(', ')}.`,
  };
}

/** A DocType of the site the catalog does not describe: its columns and fields from its metadata. */
function infoFrom(base: DoctypeInfo, meta?: DoctypeMeta): DoctypeInfo {
  if (!meta || CATALOG.includes(base))
    return meta?.submittable && !base.submittable ? { ...base, submittable: true } : base;
  const listed = meta.fields.filter((f) => f.in_list_view && !['Table', 'Table MultiSelect'].includes(f.fieldtype));
  const columns = [
    ...new Set(['name', ...(meta.titleField ? [meta.titleField] : []), ...listed.map((f) => f.fieldname)]),
  ];
  const has = (n: string) => meta.fields.some((f) => f.fieldname === n);
  const amount =
    meta.fields.find((f) => f.fieldname === 'grand_total') ?? meta.fields.find((f) => f.fieldtype === 'Currency');
  return {
    ...base,
    columns: columns.slice(0, 6),
    dateField: ['posting_date', 'transaction_date'].find(has) ?? 'creation',
    ...(amount ? { amountField: amount.fieldname } : {}),
    submittable: meta.submittable,
  };
}

/** For asks naming a DocType the caller's vocabulary lacks: the site's DocTypes with that name, as the caller. */
async function searchDoctype(text: string, site: SiteLookups): Promise<DoctypeHit | undefined> {
  const content = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}&-]+/u)
    .filter((w) => w && !FILLER.has(w) && !/^\d+$/.test(w));
  if (!content.length) return undefined;
  const phrase = content.join(' ');
  const candidates = [phrase, content[content.length - 1]!].filter((p, i, a) => a.indexOf(p) === i).slice(0, 2);
  for (const p of candidates) {
    const words = p.split(' ');
    const one = [...words.slice(0, -1), singular(words[words.length - 1]!)].join(' ');
    const found = await site.searchLink('DocType', one);
    if (!('values' in found)) continue;
    const hit = found.values.find((v) => normalize(v.value) === one || normalize(plural(v.value)) === p);
    if (hit) {
      return {
        info: { doctype: hit.value, words: [one], columns: ['name'], dateField: 'creation' },
        matched: p,
        plural: p !== one,
        fuzzy: false,
        at: 0,
      };
    }
  }
  return undefined;
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

  const write = detectWrite(original);
  if (write) {
    const hit = vocabulary.find(write.rest);
    const named = plural(hit?.info.doctype ?? '').toLowerCase();
    const rest = !write.rest || normalize(write.rest) === hit?.matched ? named : write.rest;
    const offer = hit ? { ask: `show ${rest}`, what: pluralTitle(hit.info.doctype) } : undefined;
    return { kind: 'refusal', message: refusalMessage(write, offer) };
  }

  const ask = new AskText(original.replace(/[’‘]/g, "'").replace(/[“”]/g, '"'));
  ask.text = ask.text.replace(/\b(?:pls|plz|please|kindly|thanks|thank you|thx)\b/gi, ' ');
  const grouping = ask.take(GROUP_RE) ?? ask.take(WISE_RE);
  const byMeasure = ask.take(new RegExp(MEASURE_WORDS.source, 'i'));
  // Phrases that carry names go first, so the names inside them never read as DocTypes.
  const party = ask.take(PARTY_RE);
  const fieldValues: Array<{ phrase: string; value: string }> = [];
  for (let m = ask.take(FIELD_RE); m; m = ask.take(FIELD_RE))
    fieldValues.push({ phrase: m[1]!.toLowerCase(), value: m[2]!.trim() });
  const partial = takePartialName(ask);
  // A document's ID ("ACC-SINV-2026-00001", "SAL-ORD-2026-00004-1"), before its year reads as a date.
  const id = ask.take(/(?<=\s)([A-Za-z]{2,}(?:-[A-Za-z.]+)*-\d{2,}(?:-\d+)*)(?=[\s?.!,]|$)/);
  const range = parseDateRange(ask.lower, input.today);
  if (range) ask.remove(range.matched);

  let hit = vocabulary.find(ask.lower);
  if (!hit && !(await site.fullList())) hit = await searchDoctype(ask.lower, site);
  // "sales by territory", "total sales this month": with no DocType named, sales are submitted Sales Invoices.
  const salesWord = !hit ? /\b(?:total\s+|our\s+)?(?:sales|revenue|turnover)\b/i.exec(ask.text) : null;
  if (salesWord) {
    hit = { info: CATALOG.find((c) => c.doctype === 'Sales Invoice')!, matched: '', plural: true, fuzzy: false, at: 0 };
    ask.cut(salesWord.index, salesWord[0].length);
  }
  if (!hit) return unknown(original);
  if (hit.matched) ask.remove(hit.matched);
  const meta = await site.meta(hit.info.doctype);
  const info = infoFrom(hit.info, meta);
  const doctype = info.doctype;

  const filters: Condition[] = [];
  const said: string[] = [];
  const notes: string[] = [];
  const add = (c: Condition, words?: string): void => {
    filters.push(c);
    said.push(words ?? conditionWords(c, info, meta));
  };
  if (hit.fuzzy) notes.push(`I read “${hit.matched}” as ${pluralTitle(doctype)}.`);

  if (party) {
    const word = party[1]!.toLowerCase().replace('client', 'customer').replace('vendor', 'supplier');
    const field = info.party?.[word] ?? (doctype.toLowerCase() === word ? (meta?.titleField ?? 'name') : undefined);
    if (!field) {
      return {
        kind: 'unknown',
        message: `${doctype} records have no ${word} to filter by. Try “${info.words[1] ?? info.words[0]} for <name>” on invoices or orders.`,
      };
    }
    add([field, 'like', `%${party[2]!.trim()}%`]);
  } else if (info.party) {
    // "invoices for Acme Corp": a capitalised name after "for"/"from" is the party.
    const m = ask.take(
      new RegExp(String.raw`\b(?:for|from|of)\s+([A-Z0-9][\w&.'-]*(?:\s+[A-Z0-9&][\w&.'-]*)*)${STOP}`),
    );
    if (m) add([Object.values(info.party)[0]!, 'like', `%${m[1]}%`]);
  }
  for (const { phrase, value } of fieldValues) {
    const spec = FIELD_PHRASES.find((f) => f.phrase === phrase && (!f.doctypes || f.doctypes.includes(doctype)));
    const field = spec?.field ?? resolveField(phrase, info, meta)?.fieldname;
    if (field) add([field, '=', await exactValue(field, value, info, meta, site)]);
    else notes.push(`${pluralTitle(doctype)} have no ${phrase}, so I ignored “${phrase} ${value}”.`);
  }
  if (partial) add(partialFilter(partial, info, meta));
  if (id) add(['name', '=', id[1]!.toUpperCase()]);

  const compared = comparison(ask, info, meta);
  if (compared) add(compared);
  const counted = ask.take(COUNT_RE);
  // "how much revenue": an amount, not a number of documents.
  const count = !!counted && !(salesWord && /much/i.test(counted[0]));
  const rows = explicitCount(ask.lower);
  const rankAsk = RANK_WORDS.test(ask.lower) && !/\bby\b/.test(ask.lower);
  // Sort clauses go before status words, so "highest outstanding amount" is a field, not "outstanding" invoices.
  const order = count ? undefined : ordering({ text: ask.lower, info, meta, singular: !hit.plural });
  if (order) ask.text = ` ${order.text} `;
  else ask.text = ask.text.replace(/(?:^|\s)\d{1,3}(?=\s|$)/g, ' ');
  const waiting = ask.take(WAITING_RE);
  if (waiting) {
    const state = waitingState(meta, !!info.submittable);
    if (state) {
      filters.push(state.filter);
      said.push(conditionWords(state.filter, info, meta));
      notes.push(`“${waiting[0].trim()}” read as ${state.note}.`);
    } else ask.text = `${ask.text}${waiting[0]} `; // left for the DocType's own status values
  }
  const status = statusWord(ask, info);
  if (status) {
    if (status.typo) notes.push(`I read “${status.typo}” as “${status.word}”.`);
    for (const c of status.conditions) {
      add([c[0], c[1], c[2] === '@today' ? input.today.toISOString().slice(0, 10) : c[2]]);
    }
  }
  if (ask.take(MY_RE)) add([doctype === 'ToDo' ? 'allocated_to' : 'owner', '=', input.user], `yours (${input.user})`);
  if (range) {
    const field = info.dateField ?? 'creation';
    add(
      range.from === range.to ? [field, '=', range.from] : [field, 'between', [range.from, range.to]],
      rangeWords(fieldLabel(field, info, meta), range),
    );
  }

  if (salesWord && !grouping && !count) {
    const filters2: Condition[] = [...filters, ['docstatus', '=', 1]];
    return {
      kind: 'tool',
      doctype,
      columns: ['value'],
      aggregate: { groupLabel: '', valueLabel: 'Grand Total' },
      call: {
        name: 'aggregate_documents',
        arguments: { doctype, function: 'sum', field: 'grand_total', filters: filters2 },
      },
      summary: firstLine({
        what: 'Total of submitted Sales Invoices (grand total)',
        conditions: said,
      }),
      notes,
    };
  }
  if (grouping || byMeasure) {
    const groupWord = grouping?.[1]?.toLowerCase();
    const rankings = RANKINGS[doctype];
    if (byMeasure && rankings && (!groupWord || groupWord === doctype.toLowerCase())) {
      return ranked(rankings, doctype, rows ?? 10, range ? filters.at(-1) : undefined, info, notes);
    }
    if (groupWord) {
      const agg = aggregatePlan({
        info,
        groupWord,
        byMeasure: !!byMeasure || !!salesWord,
        words: ask.lower,
        filters,
        conditionWords: said,
        limit: rows ?? 10,
      });
      return {
        kind: 'tool',
        doctype: agg.view.link ?? doctype,
        columns: ['group', 'value'],
        aggregate: agg.view,
        call: { name: 'aggregate_documents', arguments: agg.args },
        summary: firstLine({ what: agg.what, conditions: [...said, ...agg.added] }),
        notes,
      };
    }
  }

  const rankings = RANKINGS[doctype];
  if (rankings && !count && rankAsk && filters.length === (range ? 1 : 0)) {
    return ranked(rankings, doctype, rows ?? 10, range ? filters[0] : undefined, info, notes);
  }

  for (const v of selectValues(ask, info, meta)) add(v.filter);
  // Other record kinds named beside a value ("commercial customers" on sales orders) point at a field, not a value.
  const others: string[] = [];
  for (
    let other = vocabulary.find(ask.lower);
    other && !other.fuzzy && others.length < 3;
    other = vocabulary.find(ask.lower)
  ) {
    ask.remove(other.matched);
    others.push(other.matched.trim());
  }
  const values = await linkValues(ask, info, meta, site);
  if (others.length && !values.filters.length && !values.unplaced.length && !values.ambiguous) {
    // "customers with no territory": a field named without a value is said, not dropped.
    notes.push(
      `I could not tell which ${others.join(' or ')} you meant, so I did not filter on it; name one, e.g. “${plural(doctype).toLowerCase()} in ${others[0]!} <name>”.`,
    );
  }
  for (const v of values.filters) add(v.filter);
  if (values.ambiguous) {
    const { phrase, candidates } = values.ambiguous;
    const names = candidates.map((c) => `${c.field.label ?? c.field.fieldname} “${c.value}”`).join(', ');
    return {
      kind: 'ask',
      summary: firstLine({ what: pluralTitle(doctype), conditions: said }),
      message: `“${phrase}” matches several records: ${names}. Which one did you mean? Ask again with the exact name, e.g. “${plural(doctype).toLowerCase()} in ${(candidates[0]!.field.label ?? candidates[0]!.field.fieldname).toLowerCase()} ${candidates[0]!.value}”.`,
    };
  }
  for (const word of values.unplaced)
    notes.push(unplacedNote(word, info, meta, values.searched, vocabulary.find(word)));

  if (count) {
    return {
      kind: 'tool',
      doctype,
      columns: [],
      call: { name: 'count_documents', arguments: { doctype, ...(filters.length ? { filters } : {}) } },
      summary: firstLine({ what: `Number of ${pluralTitle(doctype)}`, conditions: said }),
      notes,
    };
  }
  const o = order!.ordering;
  return {
    kind: 'tool',
    doctype,
    columns: info.columns,
    call: {
      name: 'list_documents',
      arguments: {
        doctype,
        fields: info.columns,
        ...(filters.length ? { filters } : {}),
        order_by: o.orderBy,
        limit: o.limit,
        include_total: true,
      },
    },
    summary: firstLine({ what: pluralTitle(doctype), conditions: said, order: o.note || undefined, rows: o.limit }),
    notes,
  };
}

/**
 * The DocType's status word in the ask ("overdue", "unpaid", "draft"), or one typo away from one
 * ("ovrdue", "cancled"), taken out of the ask. Catalog words first, then docstatus words.
 */
function statusWord(
  ask: AskText,
  info: DoctypeInfo,
): { word: string; conditions: Condition[]; typo?: string } | undefined {
  const words: Array<[RegExp, string, Condition[]]> = [
    ...statusWords(info).filter(([, w]) => !(w === 'paid' && /\bunpaid\b|\bpartly paid\b/.test(ask.lower))),
    ...(info.submittable
      ? DOCSTATUS_RES.map(([re, n]): [RegExp, string, Condition[]] => [
          re,
          re.source.slice(2, -2),
          [['docstatus', '=', n]],
        ])
      : []),
  ];
  for (const [re, word, conditions] of words) if (ask.take(re)) return { word, conditions };
  for (const typed of ask.lower.split(/\s+/)) {
    if (typed.length < 5 || FILLER.has(typed)) continue;
    const near = words.find(([, w]) => !w.includes(' ') && withinOneEdit(w, typed));
    if (near && ask.remove(` ${typed} `)) return { word: near[1], conditions: near[2], typo: typed };
  }
  return undefined;
}

/** "Date in this month (2026-11-01 to 2026-11-30)", "Date = today (2026-11-30)". */
function rangeWords(label: string, r: { from: string; to: string; label: string }): string {
  if (r.from === r.to) return `${label} = ${r.label} (${r.from})`;
  return `${label} ${/^in\b/.test(r.label) ? r.label : `in ${r.label}`} (${r.from} to ${r.to})`;
}

/** "I could not place …", with a "did you mean" when the word is one typo from something known. */
function unplacedNote(
  word: string,
  info: DoctypeInfo,
  meta: DoctypeMeta | undefined,
  searched: string[],
  doctypeHit?: DoctypeHit,
): string {
  const known = [
    ...Object.keys(info.status ?? {}),
    ...(info.submittable ? Object.keys(DOCSTATUS_WORDS) : []),
    ...(meta?.fields ?? [])
      .filter((f) => f.fieldtype === 'Select' && f.options)
      .flatMap((f) => f.options!.split('\n'))
      .filter((o) => o.length >= 3),
  ];
  const near = known.find((k) => withinOneEdit(normalize(k), word) && word.length >= 4);
  if (near) return `I could not place “${word}”, so I ignored it. Did you mean “${near}”?`;
  if (doctypeHit && doctypeHit.info.doctype !== info.doctype) {
    return `I could not place “${word}”, so I ignored it. Did you mean ${pluralTitle(doctypeHit.info.doctype)}? Ask about one kind of record at a time.`;
  }
  const where = searched.length
    ? `no ${searched.join(', ')} matches it`
    : `${pluralTitle(info.doctype)} have no field, status or value like it`;
  return `I could not place “${word}” (${where}), so I ignored it.`;
}

/** "top 5 customers": by what they bought, with each fallback the caller may need, ending in a plain list. */
function ranked(
  measures: (typeof RANKINGS)[string],
  doctype: string,
  n: number,
  range: Condition | undefined,
  info: DoctypeInfo,
  notes: string[],
): Plan {
  const attempts: Attempt[] = measures.map((m) => {
    const args = rankingCall(m, n, range);
    return {
      doctype,
      columns: ['group', 'value'],
      aggregate: { groupLabel: doctype, valueLabel: m.valueLabel, link: doctype },
      call: { name: 'aggregate_documents', arguments: args },
      summary: firstLine({
        what: `Top ${n} ${pluralTitle(doctype)} by ${m.words}`,
        conditions: range ? [conditionWords([m.dateField, range[1], range[2]], info)] : [],
      }),
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
