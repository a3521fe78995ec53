import { CATALOG, FIELD_PHRASES } from './catalog.js';
import { resolveField } from './fields.js';
import { partialFilter, takePartialName, type PartialName } from './names.js';
import { STOP } from './ordering.js';
import type { Plan, Understanding } from './plan.js';
import type { AskText } from './query.js';
import type { SiteLookups } from './site.js';
import { pluralTitle } from './summary.js';
import { escapeRe } from './text.js';
import { exactValue } from './values.js';
import type { DoctypeHit, Vocabulary } from './vocabulary.js';

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
    .join('|')})\s+(?:is\s+|=\s*|of\s+|in\s+)?["']?(.+?)["']?${STOP}`,
  'i',
);
/** A document's ID: "ACC-SINV-2026-00001", "SAL-ORD-2026-00004-1". */
const ID_RE = /(?<=\s)([A-Za-z]{2,}(?:-[A-Za-z.]+)*-\d{2,}(?:-\d+)*)(?=[\s?.!,]|$)/;

/** Phrases that carry names, taken out of the ask before the DocType is looked for. */
export interface Named {
  party?: { kind: string; name: string };
  fields: Array<{ phrase: string; value: string }>;
  partial?: PartialName;
  id?: string;
}

/**
 * Takes out the phrases that carry names ("for customer Initech", "in territory Rest Of The World",
 * "whose name contains Tech", an ID), so the words inside them never read as DocTypes or dates.
 */
export function takeNamed(ask: AskText): Named {
  const party = ask.take(PARTY_RE);
  const fields: Named['fields'] = [];
  for (let m = ask.take(FIELD_RE); m; m = ask.take(FIELD_RE)) {
    fields.push({ phrase: m[1]!.toLowerCase(), value: m[2]!.trim() });
  }
  const partial = takePartialName(ask);
  const id = ask.take(ID_RE);
  return {
    ...(party ? { party: { kind: party[1]!.toLowerCase(), name: party[2]!.trim() } } : {}),
    fields,
    ...(partial ? { partial } : {}),
    ...(id ? { id: id[1]!.toUpperCase() } : {}),
  };
}

/**
 * The named phrases as filters on the DocType now known. A party the DocType cannot have ("items for
 * customer Acme") is a plain answer, not a silently dropped filter.
 */
export async function applyNamed(
  named: Named,
  ask: AskText,
  u: Understanding,
  site: SiteLookups,
): Promise<Plan | undefined> {
  const { info, meta, doctype } = u;
  if (named.party) {
    const word = named.party.kind.replace('client', 'customer').replace('vendor', 'supplier');
    const field = info.party?.[word] ?? (doctype.toLowerCase() === word ? (meta?.titleField ?? 'name') : undefined);
    if (!field) {
      return {
        kind: 'unknown',
        message: `${doctype} records have no ${word} to filter by. Try “${info.words[1] ?? info.words[0]} for <name>” on invoices or orders.`,
      };
    }
    u.add([field, 'like', `%${named.party.name}%`]);
  } else if (info.party) {
    // "invoices for Acme Corp": a capitalised name after "for"/"from" is the party.
    const m = ask.take(
      new RegExp(String.raw`\b(?:for|from|of)\s+([A-Z0-9][\w&.'-]*(?:\s+[A-Z0-9&][\w&.'-]*)*)${STOP}`),
    );
    if (m) u.add([Object.values(info.party)[0]!, 'like', `%${m[1]}%`]);
  }
  for (const { phrase, value } of named.fields) {
    const spec = FIELD_PHRASES.find((f) => f.phrase === phrase && (!f.doctypes || f.doctypes.includes(doctype)));
    const field = spec?.field ?? resolveField(phrase, info, meta)?.fieldname;
    if (field) u.add([field, '=', await exactValue(field, value, info, meta, site)]);
    else u.notes.push(`${pluralTitle(doctype)} have no ${phrase}, so I ignored “${phrase} ${value}”.`);
  }
  if (named.partial) u.add(partialFilter(named.partial, info, meta));
  if (named.id) u.add(['name', '=', named.id]);
  return undefined;
}

/** ERPNext's default naming series, so an ask naming only an ID ("status of SAL-ORD-2026-00004") has a DocType. */
const ID_PREFIXES: Array<[RegExp, string]> = [
  [/^SAL-ORD-/, 'Sales Order'],
  [/^SAL-QTN-/, 'Quotation'],
  [/^ACC-SINV-/, 'Sales Invoice'],
  [/^ACC-PINV-/, 'Purchase Invoice'],
  [/^ACC-PAY-/, 'Payment Entry'],
  [/^ACC-JV-/, 'Journal Entry'],
  [/^PUR-ORD-/, 'Purchase Order'],
  [/^PUR-RFQ-/, 'Request for Quotation'],
  [/^MAT-DN-/, 'Delivery Note'],
  [/^MAT-PRE-/, 'Purchase Receipt'],
  [/^MAT-STE-/, 'Stock Entry'],
  [/^MAT-MR-/, 'Material Request'],
  [/^CRM-LEAD-/, 'Lead'],
  [/^CRM-OPP-/, 'Opportunity'],
  [/^HR-EMP-/, 'Employee'],
];

/** The DocType an ID's naming series belongs to, when the site (or the catalog) has it. */
export function doctypeOfId(id: string, vocabulary: Vocabulary): DoctypeHit | undefined {
  const doctype = ID_PREFIXES.find(([re]) => re.test(id))?.[1];
  if (!doctype || !vocabulary.doctypes.has(doctype)) return undefined;
  const info = CATALOG.find((c) => c.doctype === doctype) ?? {
    doctype,
    words: [doctype.toLowerCase()],
    columns: ['name'],
    dateField: 'creation',
  };
  return { info, matched: '', plural: false, fuzzy: false, at: 0 };
}
