import type { DoctypeInfo } from './catalog.js';
import { fieldsOf } from './fields.js';
import type { AskText, Condition } from './query.js';
import type { DoctypeMeta, FieldMeta, SiteLookups } from './site.js';
import type { Plan, Understanding } from './plan.js';
import { firstLine, pluralTitle, unplacedNote } from './summary.js';
import { escapeRe, normalize, plural, sameWord, words } from './text.js';
import { MAX_TYPO_LOOKUPS, oneTypoAway } from './typo-values.js';
import type { Vocabulary } from './vocabulary.js';

/** Words that carry no value of their own: fillers, pronouns, verbs of asking. */
export const FILLER = new Set(
  (
    'a an the of in on at to for from with by and or all any some every each me my our us we i you u your it its they them their ' +
    'show list display give get fetch find see view tell pull bring lookup look up return need want would like could can ' +
    'pls plz please kindly thanks thx hi hello hey ok okay just only also now currently current ' +
    'what which who whose where when how is are was were be been do does did have has had there here that this these those ' +
    'records record entries data details detail info information rows items? row list listing report ' +
    'many much number count total amount sum average' +
    " whats what's wat r ur da d ya yeah yes no not any? more than less " +
    'new newly created made added entered recorded registered ever so far yet marked labelled tagged flagged set status'
  ).split(/\s+/),
);

/** Small words that can stand inside a record's name. */
// Not "and": "india and germany" are two values; a name with "and" in it is still found by either word.
const NAME_GLUE = new Set(['of', 'the', 'n', '&', 'de', 'la', 'for']);

/** Link targets whose records people name as values, most likely first. */
const VALUE_TARGETS = [
  'Customer Group',
  'Supplier Group',
  'Item Group',
  'Territory',
  'Country',
  'Customer',
  'Supplier',
  'Company',
  'Department',
  'Designation',
  'Warehouse',
  'Brand',
  'Project',
  'Currency',
  'Branch',
  'Item',
];

/** Words that point at a field: "the Education group", "in India (country)". */
const HINTS: Array<[RegExp, RegExp]> = [
  [/\bgroups?\b/, /group/i],
  [/\b(?:territory|territories|region|area)\b/, /territory/i],
  [/\b(?:country|countries|nation)\b/, /country/i],
  [/\b(?:company|companies)\b/, /company/i],
  [/\b(?:department|dept)\b/, /department/i],
  [/\bwarehouse\b/, /warehouse/i],
  [/\bbrand\b/, /brand/i],
  [/\bcurrency\b/, /currency/i],
];

/**
 * A value typed after its field ("in group individual"): the record's exact name when the field is a
 * Link and one record matches it whatever the case (one look-up), else the value as typed.
 */
export async function exactValue(
  fieldname: string,
  value: string,
  info: DoctypeInfo,
  meta: DoctypeMeta | undefined,
  site: SiteLookups,
): Promise<string> {
  const field = fieldsOf(info, meta).find((f) => f.fieldname === fieldname);
  if (field?.fieldtype === 'Select' && field.options) {
    return field.options.split('\n').find((o) => normalize(o) === normalize(value)) ?? value;
  }
  if (field?.fieldtype !== 'Link' || !field.options) return value;
  const found = await site.searchLink(field.options, value);
  if (!('values' in found)) return value;
  const same = found.values.filter((v) => normalize(v.value) === normalize(value));
  return same.length === 1 ? same[0]!.value : value;
}

const MAX_PHRASE = 100;

/** At most this many record look-ups per ask. */
export const MAX_LOOKUPS = 4;

export interface ValueFilter {
  filter: Condition;
  field: FieldMeta;
  value: string;
  /** The field was named with its value ("customer type individual"), so the value is not in doubt. */
  labelled?: boolean;
}

export interface Candidate {
  field: FieldMeta;
  value: string;
}

export interface Values {
  filters: ValueFilter[];
  /** A word that matched several records: the planner asks which one. */
  ambiguous?: { phrase: string; candidates: Candidate[] };
  /** Words that matched nothing. */
  unplaced: string[];
  /** Words read as the one record one typo away: [as typed, record]. */
  corrected: Array<[string, string]>;
  /** The DocTypes whose records were searched, for saying where a word was looked for. */
  searched: string[];
}

function selectFields(info: DoctypeInfo, meta?: DoctypeMeta): FieldMeta[] {
  return fieldsOf(info, meta).filter(
    (f) => f.fieldtype === 'Select' && f.options && f.fieldname !== 'naming_series' && !/[.#{}]/.test(f.options),
  );
}

/**
 * Status and other Select words ("to bill", "company", "individual"): every option of the DocType's
 * Select fields found in the ask, longest first, becomes a filter. No Frappe call: the options are in
 * the metadata. Takes the words out of the ask.
 */
export function selectValues(ask: AskText, info: DoctypeInfo, meta?: DoctypeMeta): ValueFilter[] {
  const found: ValueFilter[] = [];
  // "sales" in "sales orders" names the DocType, not the Order Type "Sales".
  const own = new Set(normalize(info.doctype).split(' '));
  for (const { field, option, re } of selectOptions(info, meta)) {
    if (found.some((f) => f.field.fieldname === field.fieldname) || own.has(normalize(option))) continue;
    const m = re.exec(ask.lower);
    if (!m) continue;
    ask.cut(m.index, m[0].length);
    // "with priority high", "outcome follow up": the field's own name goes with its value.
    const labelled = !!field.label && ask.remove(` ${normalize(field.label)} `);
    found.push({ filter: [field.fieldname, '=', option], field, value: option, ...(labelled ? { labelled } : {}) });
  }
  return found;
}

interface CompiledOption {
  field: FieldMeta;
  option: string;
  re: RegExp;
}
/** Select options compiled once per DocType's metadata (cached with it), longest first, status first. */
const OPTIONS = new WeakMap<object, CompiledOption[]>();

function selectOptions(info: DoctypeInfo, meta?: DoctypeMeta): CompiledOption[] {
  const key: object = meta ?? info;
  let list = OPTIONS.get(key);
  if (list) return list;
  const options: Array<{ field: FieldMeta; option: string; key: string }> = [];
  for (const field of selectFields(info, meta)) {
    for (const option of field.options!.split('\n')) {
      const k = normalize(option);
      if (k.length >= 3 && !FILLER.has(k)) options.push({ field, option: option.trim(), key: k });
    }
  }
  options.sort(
    (a, b) =>
      b.key.length - a.key.length || Number(b.field.fieldname === 'status') - Number(a.field.fieldname === 'status'),
  );
  list = options.map(({ field, option, key: k }) => {
    const forms = [k, `${k}s`, k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}es`].map(escapeRe);
    return { field, option, re: new RegExp(String.raw`(?:^|\s)(?:${forms.join('|')})(?=\s|$)`) };
  });
  OPTIONS.set(key, list);
  return list;
}

/** Runs of words that may be values: everything left but fillers, with the whole span tried first. */
function phrasesOf(text: string): string[] {
  const all = words(text.replace(/'s\b/g, ''));
  const content = all.map((w) => !FILLER.has(w) && !/^\d+$/.test(w) && w.length > 1);
  const first = content.indexOf(true);
  const last = content.lastIndexOf(true);
  if (first < 0) return [];
  const runs: string[] = [];
  let run: string[] = [];
  all.forEach((w, i) => {
    if (content[i]) run.push(w);
    else if (run.length) {
      runs.push(run.join(' '));
      run = [];
    }
  });
  if (run.length) runs.push(run.join(' '));
  // "rest of the world", "buy n large": small words inside a name keep it whole.
  const inner = all.slice(first, last + 1);
  const joined = inner.every((w, i) => content[first + i] || NAME_GLUE.has(w));
  const span = inner.join(' ');
  return joined && span !== runs[0] && inner.length <= 5 ? [span] : runs;
}

function linkFields(info: DoctypeInfo, meta: DoctypeMeta | undefined, hint: RegExp | undefined): FieldMeta[] {
  const links = fieldsOf(info, meta).filter(
    (f) => f.fieldtype === 'Link' && f.options && VALUE_TARGETS.includes(f.options),
  );
  // "customer details for Initech": the DocType's own records, by name, after its links.
  if (!hint) links.push({ fieldname: 'name', fieldtype: 'Link', options: info.doctype, label: 'ID' });
  // A document's party ("orders initech placed") is the likeliest value, before its groups and places.
  const parties = new Set(Object.values(info.party ?? {}));
  const rank = (f: FieldMeta) =>
    (hint && !hint.test(f.options!) && !hint.test(f.label ?? '') ? 100 : 0) +
    (f.fieldname === 'name' ? 50 : parties.has(f.fieldname) ? -1 : VALUE_TARGETS.indexOf(f.options!));
  // One field per target: a Sales Invoice's "customer" before its other Customer links.
  const seen = new Set<string>();
  return links
    .sort((a, b) => rank(a) - rank(b))
    .filter((f) => !seen.has(f.options!) && seen.add(f.options!))
    .filter((f) => !hint || hint.test(f.options!) || hint.test(f.label ?? ''));
}

/**
 * Words left once the DocType, fields and keywords are understood are tried as values of the
 * DocType's Link fields (Customer Group, Territory, Country…), by looking the records up as the caller
 * (search_link, at most MAX_LOOKUPS calls, run together). One match → a filter; several → ambiguous;
 * none → unplaced.
 */
export async function linkValues(
  ask: AskText,
  info: DoctypeInfo,
  meta: DoctypeMeta | undefined,
  site: SiteLookups,
): Promise<Values> {
  let hint: RegExp | undefined;
  let hintWord = '';
  for (const [word, target] of HINTS) {
    const m = word.exec(ask.lower);
    if (m) {
      hint = target;
      hintWord = m[0];
      ask.cut(m.index, m[0].length);
      break;
    }
  }
  const phrases = phrasesOf(ask.lower);
  const out: Values = { filters: [], unplaced: [], searched: [], corrected: [] };
  // "customers with no territory": a field named without a value is not dropped silently.
  if (!phrases.length && hintWord) out.unplaced.push(hintWord);
  if (!phrases.length) return out;
  const fields = linkFields(info, meta, hint);
  let budget = MAX_LOOKUPS;
  let typoBudget = MAX_TYPO_LOOKUPS;
  const queue = [...phrases];
  while (queue.length) {
    const phrase = queue.shift()!;
    // Longer than any record name worth looking up (search_link takes at most 140 characters).
    if (phrase.length > MAX_PHRASE) {
      out.unplaced.push(`${phrase.slice(0, 40)}…`);
      continue;
    }
    const several = phrase.includes(' ');
    // Share the budget so every phrase gets a look-up; a phrase of several words gets at most half,
    // keeping the rest for its words one by one ("retail india" → "retail", "india").
    const share = Math.max(1, Math.floor(budget / (queue.length + 1)));
    let tries = budget > 0 ? fields.slice(0, several ? Math.ceil(share / 2) : share) : [];
    // Names of records are often several words ("Acme Supplies"): those also try the DocType's own records.
    const own = fields.find((f) => f.fieldname === 'name');
    if (several && own && !tries.includes(own) && tries.length < share) tries = [...tries, own];
    budget -= tries.length;
    const answers = await Promise.all(tries.map((f) => site.searchLink(f.options!, phrase)));
    for (const f of tries) if (!out.searched.includes(f.options!)) out.searched.push(f.options!);
    const exact: Candidate[] = [];
    const partial: Candidate[] = [];
    answers.forEach((a, i) => {
      if (!('values' in a)) return;
      for (const v of a.values) {
        const c = { field: tries[i]!, value: v.value };
        // The DocType's own records count when their ID holds the words ("Initech"), not when only their
        // title does: "invoices for globex" means the customer, not the invoice titled Globex Corporation.
        if (c.field.fieldname === 'name' && !normalize(v.value).includes(phrase) && !sameWord(v.value, phrase))
          continue;
        const same = sameWord(v.value, phrase) || (v.label !== undefined && sameWord(v.label, phrase));
        (same ? exact : partial).push(c);
      }
    });
    const pick = exact.length ? exact : partial;
    if (pick.length === 1) {
      const c = pick[0]!;
      out.filters.push({ filter: [c.field.fieldname, '=', c.value], field: c.field, value: c.value });
      // "india and united kingdom": the next words are likeliest values of the same field; look there first.
      fields.sort((a, b) => Number(b === c.field) - Number(a === c.field));
    } else if (pick.length > 1) {
      out.ambiguous ??= { phrase, candidates: pick.slice(0, 8) };
    } else if (several && budget > 0) {
      queue.unshift(...phrase.split(' ').filter((w) => !NAME_GLUE.has(w)));
    } else {
      const near = several ? undefined : await oneTypoAway(phrase, fields, site, typoBudget);
      typoBudget = near?.budget ?? typoBudget;
      if (near?.pick) {
        const c = near.pick;
        out.filters.push({ filter: [c.field.fieldname, '=', c.value], field: c.field, value: c.value });
        if (normalize(c.value) !== phrase) out.corrected.push([phrase, c.value]);
      } else out.unplaced.push(phrase);
    }
  }
  return out;
}

/**
 * "suppliers from india and germany": two values of one field mean either ("in"), since a record has only
 * one; the same value found twice ("johnson and johnson") is one filter.
 */
export function sameFieldAsOne(found: ValueFilter[]): Condition[] {
  const byField = new Map<string, string[]>();
  for (const v of found) {
    const values = byField.get(v.field.fieldname) ?? [];
    if (!values.includes(v.value)) values.push(v.value);
    byField.set(v.field.fieldname, values);
  }
  return [...byField].map(([field, values]) => (values.length === 1 ? [field, '=', values[0]] : [field, 'in', values]));
}

/** The planner's question when a word names several things, naming each with its field. */
function question(u: Understanding, phrase: string, candidates: Candidate[]): Plan {
  const fieldName = (c: Candidate) => c.field.label ?? c.field.fieldname;
  const names = candidates.map((c) => `${fieldName(c)} “${c.value}”`).join(', ');
  const example = `${plural(u.doctype).toLowerCase()} in ${fieldName(candidates[0]!).toLowerCase()} ${candidates[0]!.value}`;
  return {
    kind: 'ask',
    summary: firstLine({ what: pluralTitle(u.doctype), conditions: u.said }),
    message: `“${phrase}” matches several records: ${names}. Which one did you mean? Ask again with the exact name, e.g. “${example}”.`,
  };
}

/**
 * A group record named like a Select option: ERPNext ships Customer Group "Individual" beside Customer
 * Type "Individual", and "individual customers" may mean either. One look-up, for options of fields
 * other than the status (a status word is not also a group's name in practice).
 */
async function sameNamedGroup(
  v: ValueFilter,
  info: DoctypeInfo,
  meta: DoctypeMeta | undefined,
  site: SiteLookups,
): Promise<Candidate | undefined> {
  if (v.field.fieldname === 'status' || v.labelled) return undefined;
  const group = fieldsOf(info, meta).find(
    (f) => f.fieldtype === 'Link' && f.options?.endsWith(' Group') && VALUE_TARGETS.includes(f.options),
  );
  if (!group) return undefined;
  const found = await site.searchLink(group.options!, v.value);
  if (!('values' in found)) return undefined;
  const same = found.values.find((r) => normalize(r.value) === normalize(v.value));
  return same ? { field: group, value: same.value } : undefined;
}

/**
 * Everything left is tried as a value: Select options first (no Frappe call), then linked records. Other
 * record kinds named beside a value ("commercial customers" on sales orders) point at a field, not a
 * value. Returns a question when a word matches several records.
 */
export async function placeValues(
  ask: AskText,
  u: Understanding,
  vocabulary: Vocabulary,
  site: SiteLookups,
): Promise<Plan | undefined> {
  const { info, meta, doctype } = u;
  for (const v of selectValues(ask, info, meta)) {
    const twin = await sameNamedGroup(v, info, meta, site);
    if (twin) return question(u, normalize(v.value), [{ field: v.field, value: v.value }, twin]);
    u.add(v.filter);
  }
  const others: string[] = [];
  let again: string | undefined;
  for (let o = vocabulary.find(ask.lower); o && !o.fuzzy && others.length < 3; o = vocabulary.find(ask.lower)) {
    // "items in products": a second word for the same DocType may be a value (Item Group "Products").
    if (o.info.doctype === doctype) {
      again = o.matched.trim();
      break;
    }
    ask.remove(o.matched);
    others.push(o.matched.trim());
  }
  const values = await linkValues(ask, info, meta, site);
  // …and when it is not, it only named the DocType again ("items whose item name…"): nothing was lost.
  values.unplaced = values.unplaced.filter((w) => w !== again);
  for (const f of sameFieldAsOne(values.filters)) u.add(f);
  if (values.ambiguous) return question(u, values.ambiguous.phrase, values.ambiguous.candidates);
  if (others.length && !values.filters.length && !values.unplaced.length) {
    // "customers with no territory": a field named without a value is said, not dropped.
    u.notes.push(
      `I could not tell which ${others.join(' or ')} you meant, so I did not filter on it; name one, e.g. “${plural(doctype).toLowerCase()} in ${others[0]!} <name>”.`,
    );
  }
  for (const [typed, value] of values.corrected) u.notes.push(`I read “${typed}” as “${value}”.`);
  for (const word of values.unplaced)
    u.notes.push(unplacedNote(word, info, meta, values.searched, vocabulary.find(word)));
  return undefined;
}
