import { CATALOG, DOCSTATUS_WORDS, FIELD_PHRASES, type DoctypeInfo } from './catalog.js';
import { label } from './blocks.js';
import { parseDateRange } from './dates.js';

export type Condition = [string, string, unknown];

export interface ToolCallPlan {
  name: 'list_documents' | 'count_documents' | 'aggregate_documents';
  arguments: Record<string, unknown>;
}

/** How an aggregate answer is shown: what the groups are, what the figure is, where a group links to. */
export interface AggregateView {
  groupLabel: string;
  valueLabel: string;
  /** DocType the group values name (e.g. Customer), for record links. */
  link?: string;
}

export type Plan =
  | { kind: 'tool'; doctype: string; call: ToolCallPlan; explain: string; columns: string[]; aggregate?: AggregateView }
  | { kind: 'unknown'; message: string };

export interface PlannerInput {
  message: string;
  /** The caller's Frappe user, for "my". */
  user: string;
  today: Date;
  /** DocType names of the site, when known, so any of them can be named. */
  siteDoctypes?: readonly string[];
}

export const EXAMPLES = [
  'show me top 5 customers',
  'how many overdue invoices',
  'sales orders for customer Initech this month',
  'unpaid invoices from last quarter',
  'customers in territory United States',
];

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** Words that end a captured name or value. */
const STOP = String.raw`(?=\s+(?:in|from|for|with|this|last|past|next|since|during|today|yesterday|that|which|sorted|ordered|order|by|and|created|where|whose|over)\b|\s*[?.!,;]|\s*$)`;

interface Vocabulary {
  word: string;
  info: DoctypeInfo;
  re: RegExp;
}

function entry(word: string, info: DoctypeInfo): Vocabulary {
  return { word, info, re: new RegExp(String.raw`(?:^|[^\w-])${escapeRe(word)}(?![\w-])`, 'i') };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const byLength = (a: Vocabulary, b: Vocabulary) => b.word.length - a.word.length;
/** The catalog's words, compiled once. */
const CATALOG_VOCABULARY: Vocabulary[] = CATALOG.flatMap((info) => info.words.map((w) => entry(w, info))).sort(
  byLength,
);

/** Catalog words plus the site's own DocType names (and simple plurals), longest first. */
function vocabulary(siteDoctypes: readonly string[] = []): Vocabulary[] {
  if (!siteDoctypes.length) return CATALOG_VOCABULARY;
  const out: Vocabulary[] = [...CATALOG_VOCABULARY];
  const known = new Set(CATALOG.map((c) => c.doctype.toLowerCase()));
  for (const doctype of siteDoctypes) {
    const lower = doctype.toLowerCase();
    if (known.has(lower)) {
      out.push(
        entry(
          lower,
          CATALOG.find((c) => c.doctype.toLowerCase() === lower)!,
        ),
      );
      continue;
    }
    const info: DoctypeInfo = { doctype, words: [lower], columns: ['name'], dateField: 'modified' };
    out.push(entry(lower, info), entry(lower.endsWith('s') ? `${lower}es` : `${lower}s`, info));
  }
  return out.sort(byLength);
}

function findDoctype(text: string, vocab: Vocabulary[]): DoctypeInfo | undefined {
  let best: { at: number; info: DoctypeInfo; len: number } | undefined;
  for (const { word, info, re } of vocab) {
    const m = re.exec(text);
    if (!m) continue;
    const at = m.index;
    // The earliest mention names what is asked for; at the same place the longer phrase wins.
    if (!best || at < best.at || (at === best.at && word.length > best.len)) best = { at, info, len: word.length };
  }
  return best?.info;
}

function cut(text: string, matched: string): string {
  return text.replace(matched, ' ').replace(/\s+/g, ' ');
}

function titleOf(info: DoctypeInfo, n: number): string {
  if (n === 1) return info.doctype;
  return info.doctype.endsWith('y') ? `${info.doctype.slice(0, -1)}ies` : `${info.doctype}s`;
}

const GROUP_RE =
  /\b(?:by|per|for each|grouped by)\s+(customer group|supplier group|item group|territory|customer|supplier|group|status|company|department|country)\b/i;
const MEASURE_RE = /\bby\s+(?:total\s+)?(sales|revenue|value|amount|turnover|spend|spending|purchases)\b/i;

/** Invoices that carry a party's sales or purchases, for "top customers by sales". */
const PARTY_SALES: Record<string, { doctype: string; field: string }> = {
  Customer: { doctype: 'Sales Invoice', field: 'customer' },
  Supplier: { doctype: 'Purchase Invoice', field: 'supplier' },
};

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
};

function aggregatePlan(
  info: DoctypeInfo,
  groupWord: string | undefined,
  byMeasure: boolean,
  words: string,
  filters: Condition[],
  notes: string[],
): Plan | undefined {
  const n = /\b(\d{1,3})\b/.exec(words);
  const limit = n ? Math.min(Math.max(Number(n[1]), 1), MAX_LIMIT) : 10;
  const sales = PARTY_SALES[info.doctype];
  if (byMeasure && sales && (!groupWord || groupWord === info.doctype.toLowerCase())) {
    // "top customers by sales": submitted invoices, totalled per customer.
    return {
      kind: 'tool',
      doctype: sales.doctype,
      columns: ['group', 'value'],
      aggregate: { groupLabel: info.doctype, valueLabel: 'Total (grand total)', link: info.doctype },
      call: {
        name: 'aggregate_documents',
        arguments: {
          doctype: sales.doctype,
          function: 'sum',
          field: 'grand_total',
          group_by: sales.field,
          filters: [...filters.filter((f) => f[0] !== 'docstatus'), ['docstatus', '=', 1]],
          limit,
        },
      },
      explain: `Top ${titleOf(info, limit)} by ${sales.doctype === 'Sales Invoice' ? 'sales' : 'purchases'}${notes.length ? ` (${notes.join(', ')})` : ''}`,
    };
  }
  if (!groupWord) return undefined;
  const field =
    groupWord === 'customer' || groupWord === 'supplier'
      ? (info.party?.[groupWord] ?? groupWord)
      : (FIELD_PHRASES.find((f) => f.phrase === groupWord && (!f.doctypes || f.doctypes.includes(info.doctype)))
          ?.field ?? groupWord.replace(/ /g, '_'));
  const amount = info.amountField;
  // "sales" names the measure only when it is not part of the DocType's own name ("sales orders").
  const measureWords = words.replace(new RegExp(String.raw`\b${escapeRe(info.doctype.toLowerCase())}s?\b`, 'g'), ' ');
  const fn =
    amount && /\b(average|avg|mean)\b/.test(measureWords)
      ? 'avg'
      : amount && (byMeasure || /\b(total|sum|sales|revenue|amount|value|worth)\b/.test(measureWords))
        ? 'sum'
        : 'count';
  // Totals of submittable documents count only submitted ones, unless the ask named a docstatus.
  if (fn !== 'count' && info.submittable && !filters.some((f) => f[0] === 'docstatus')) {
    filters.push(['docstatus', '=', 1]);
    notes.push('submitted');
  }
  const valueLabel =
    fn === 'count' ? `Number of ${titleOf(info, 2)}` : `${fn === 'avg' ? 'Average ' : ''}${label(amount!)}`;
  const link = GROUP_LINKS[field];
  return {
    kind: 'tool',
    doctype: info.doctype,
    columns: ['group', 'value'],
    aggregate: { groupLabel: label(field), valueLabel, ...(link ? { link } : {}) },
    call: {
      name: 'aggregate_documents',
      arguments: {
        doctype: info.doctype,
        function: fn,
        ...(fn === 'count' ? {} : { field: amount }),
        group_by: field,
        ...(filters.length ? { filters } : {}),
        limit,
      },
    },
    explain: `${fn === 'count' ? valueLabel : `${valueLabel} of ${titleOf(info, 2)}`} by ${label(field).toLowerCase()}${notes.length ? ` (${notes.join(', ')})` : ''}`,
  };
}

/**
 * The LLM-free planner: one common ERP ask → one read-only tool call. It understands "top N",
 * "how many", latest/oldest, status words, dates, "my", a linked party and "in <field> <value>".
 */
export function plan(input: PlannerInput): Plan {
  const original = input.message.trim().replace(/\s+/g, ' ');
  let text = ` ${original} `;
  const filters: Condition[] = [];
  const notes: string[] = [];
  const today = input.today.toISOString().slice(0, 10);

  // "by customer", "per territory": one figure per group. "by sales": the measure, not a group.
  const grouping = GROUP_RE.exec(text);
  if (grouping) text = cut(text, grouping[0]);
  const byMeasure = MEASURE_RE.exec(text);
  if (byMeasure) text = cut(text, byMeasure[0]);

  // Phrases that carry names are taken out first, so the names inside them do not read as DocTypes.
  const party = new RegExp(
    String.raw`\b(?:for|from|of|by|to|with)\s+(?:the\s+)?(customer|client|supplier|vendor|lead)\s+["']?(.+?)["']?${STOP}`,
    'i',
  ).exec(text);
  if (party) text = cut(text, party[0]);
  const fieldValues: Array<{ phrase: string; value: string }> = [];
  for (;;) {
    const phrases = [...new Set(FIELD_PHRASES.map((f) => f.phrase))].sort((a, b) => b.length - a.length).map(escapeRe);
    const m = new RegExp(
      String.raw`\b(?:in|with|of|where|whose|from)\s+(?:the\s+)?(${phrases.join('|')})\s+(?:is\s+|=\s*)?["']?(.+?)["']?${STOP}`,
      'i',
    ).exec(text);
    if (!m) break;
    fieldValues.push({ phrase: m[1]!.toLowerCase(), value: m[2]! });
    text = cut(text, m[0]);
  }
  const lower = text.toLowerCase();
  const range = parseDateRange(lower, input.today);
  if (range)
    text = ` ${text.slice(0, lower.indexOf(range.matched))} ${text.slice(lower.indexOf(range.matched) + range.matched.length)} `;

  // "sales by territory": with a grouping but no DocType, sales mean submitted Sales Invoices.
  const info =
    findDoctype(text, vocabulary(input.siteDoctypes)) ??
    (grouping && /\b(sales|revenue|turnover)\b/i.test(text)
      ? CATALOG.find((c) => c.doctype === 'Sales Invoice')
      : undefined);
  if (!info) {
    return {
      kind: 'unknown',
      message:
        `I could not tell which kind of record “${original}” is about. ` +
        `Try asking like: ${EXAMPLES.map((e) => `“${e}”`).join(', ')}.`,
    };
  }

  if (party) {
    const word = party[1]!.toLowerCase().replace('client', 'customer').replace('vendor', 'supplier');
    const field = info.party?.[word] ?? (info.doctype.toLowerCase() === word ? 'name' : undefined);
    if (field) {
      filters.push([field, 'like', `%${party[2]!.trim()}%`]);
      notes.push(`${word} “${party[2]!.trim()}”`);
    } else {
      return {
        kind: 'unknown',
        message: `${info.doctype} records have no ${word} to filter by. Try “${info.words[1] ?? info.words[0]} for <name>” on invoices or orders.`,
      };
    }
  } else if (info.party) {
    // "invoices for Acme Corp": a capitalised name after "for"/"from" is the party.
    const m = new RegExp(String.raw`\b(?:for|from|of)\s+([A-Z0-9][\w&.'-]*(?:\s+[A-Z0-9&][\w&.'-]*)*)${STOP}`).exec(
      text,
    );
    if (m) {
      const field = Object.values(info.party)[0]!;
      filters.push([field, 'like', `%${m[1]}%`]);
      notes.push(`“${m[1]}”`);
      text = cut(text, m[0]);
    }
  }

  for (const { phrase, value } of fieldValues) {
    const spec = FIELD_PHRASES.find((f) => f.phrase === phrase && (!f.doctypes || f.doctypes.includes(info.doctype)));
    if (!spec) continue;
    filters.push([spec.field, '=', value.trim()]);
    notes.push(`${phrase} ${value.trim()}`);
  }

  const words = text.toLowerCase();
  const statusEntries = Object.entries(info.status ?? {}).sort((a, b) => b[0].length - a[0].length);
  let statusFound = false;
  for (const [word, conds] of statusEntries) {
    if (
      new RegExp(String.raw`\b${escapeRe(word)}\b`).test(words) &&
      !(word === 'paid' && /\bunpaid\b|\bpartly paid\b/.test(words))
    ) {
      filters.push(...conds.map((c) => [c[0], c[1], c[2] === '@today' ? today : c[2]] as Condition));
      notes.push(word);
      statusFound = true;
      break;
    }
  }
  if (!statusFound && info.submittable) {
    for (const [word, docstatus] of Object.entries(DOCSTATUS_WORDS)) {
      if (new RegExp(String.raw`\b${word}\b`).test(words)) {
        filters.push(['docstatus', '=', docstatus]);
        notes.push(word.replace(/s$/, ''));
        break;
      }
    }
  }

  if (/\bmy\b|\bmine\b/.test(words)) {
    filters.push([info.doctype === 'ToDo' ? 'allocated_to' : 'owner', '=', input.user]);
    notes.push('yours');
  }

  if (range) {
    const field = info.dateField ?? 'creation';
    filters.push(range.from === range.to ? [field, '=', range.from] : [field, 'between', [range.from, range.to]]);
    notes.push(range.label);
  }

  if (grouping || byMeasure) {
    const agg = aggregatePlan(info, grouping?.[1]?.toLowerCase(), byMeasure !== null, words, filters, notes);
    if (agg) return agg;
  }

  const count = /\b(how many|number of|count|total number|how much)\b/.test(words);
  if (count) {
    return {
      kind: 'tool',
      doctype: info.doctype,
      columns: [],
      call: { name: 'count_documents', arguments: { doctype: info.doctype, ...(filters.length ? { filters } : {}) } },
      explain: `Number of ${titleOf(info, 2)}${notes.length ? ` (${notes.join(', ')})` : ''}`,
    };
  }

  const n = /\b(\d{1,3})\b/.exec(words);
  const limit = n
    ? Math.min(Math.max(Number(n[1]), 1), MAX_LIMIT)
    : /\b(the )?(latest|newest|last|oldest|biggest|largest)\b(?! \d)/.test(words) &&
        /\b(the )?(latest|newest|oldest) (one|record)\b/.test(words)
      ? 1
      : DEFAULT_LIMIT;
  const dateField = info.dateField ?? 'creation';
  let orderBy = 'modified desc';
  let orderNote = '';
  if (/\b(latest|newest|recent|most recent|last)\b/.test(words)) {
    orderBy = `${dateField} desc`;
    orderNote = 'newest first';
  } else if (/\b(oldest|earliest|first)\b/.test(words)) {
    orderBy = `${dateField} asc`;
    orderNote = 'oldest first';
  } else if (/\b(top|biggest|largest|highest|most)\b/.test(words) && info.amountField) {
    orderBy = `${info.amountField} desc`;
    orderNote = `largest ${info.amountField.replace(/_/g, ' ')} first`;
  } else if (/\b(smallest|lowest|least)\b/.test(words) && info.amountField) {
    orderBy = `${info.amountField} asc`;
    orderNote = `smallest ${info.amountField.replace(/_/g, ' ')} first`;
  }
  const detail = [...notes, orderNote].filter(Boolean);
  return {
    kind: 'tool',
    doctype: info.doctype,
    columns: info.columns,
    call: {
      name: 'list_documents',
      arguments: {
        doctype: info.doctype,
        fields: info.columns,
        ...(filters.length ? { filters } : {}),
        order_by: orderBy,
        limit,
        // The answer says "Showing 5 of 32", so this one list pays for the count.
        include_total: true,
      },
    },
    explain: `${titleOf(info, limit)}${detail.length ? ` (${detail.join(', ')})` : ''}`,
  };
}
