import { CATALOG, type DoctypeInfo } from './catalog.js';
import type { DoctypeMeta, SiteLookups } from './site.js';
import { FUZZY_MIN_LENGTH, FuzzyIndex, normalize, plural, singular } from './text.js';
import { FILLER } from './values.js';

/** A DocType as the site lists it to the caller. */
export interface SiteDoctype {
  name: string;
  module?: string;
  submittable?: boolean;
}

/** Where a DocType was named in the ask. */
export interface DoctypeHit {
  info: DoctypeInfo;
  /** The words as they stand in the (normalised) ask, to cut them out. */
  matched: string;
  /** Named in the plural ("invoices"), so the ask is about several. */
  plural: boolean;
  /** Spelled one typo away from the name. */
  fuzzy: boolean;
  at: number;
}

interface Entry {
  info: DoctypeInfo;
  plural: boolean;
  /** 0: the catalog's words (hand-checked), 1: a site DocType named in the plural, 2: in the singular. */
  rank: number;
}

/**
 * True synonyms only: words that are not a DocType's name or plural but mean it ("bills" are
 * Purchase Invoices). Each applies when the site has that DocType (or the catalog knows it).
 */
const SYNONYMS: Record<string, string> = {
  'purchase request': 'Material Request',
  'purchase requests': 'Material Request',
  'material requests': 'Material Request',
  'cost centre': 'Cost Center',
  'cost centres': 'Cost Center',
  'bill of materials': 'BOM',
  'bills of materials': 'BOM',
  'chart of accounts': 'Account',
  accounts: 'Account',
  'gl entries': 'GL Entry',
  'ledger entries': 'GL Entry',
  'purchase receipts': 'Purchase Receipt',
  'goods receipts': 'Purchase Receipt',
  timesheets: 'Timesheet',
  holidays: 'Holiday List',
  'leave applications': 'Leave Application',
  'expense claims': 'Expense Claim',
  'salary slips': 'Salary Slip',
};

/** Words that never name a DocType, even one typo away ("sorted" is not "Sorter"). */
const NOT_NAMES = new Set([
  'show',
  'list',
  'latest',
  'newest',
  'oldest',
  'earliest',
  'recent',
  'sorted',
  'ordered',
  'highest',
  'lowest',
  'biggest',
  'largest',
  'smallest',
  'total',
  'number',
  'please',
  'where',
  'which',
  'whose',
  'there',
  'today',
  'month',
  'quarter',
  'pending',
  'approve',
  'approval',
  'named',
  'starting',
  'ending',
  'contains',
  'containing',
  'status',
  'value',
  'amount',
]);

/** How many words a DocType name or synonym may have. */
const MAX_WORDS = 4;

function plainInfo(doctype: string, words: string[]): DoctypeInfo {
  return { doctype, words, columns: ['name'], dateField: 'creation' };
}

/** Module names as the words people use for them ("hr" for Human Resources). */
function moduleWords(module: string): string[] {
  const m = module.toLowerCase();
  const extra: Record<string, string[]> = { hr: ['hr', 'human resources'], accounts: ['accounts', 'accounting'] };
  return extra[m] ?? [m];
}

/**
 * The DocTypes an ask can name: the catalog's hand-checked words, plus every DocType the site lists to
 * the caller, by name and plural, with true synonyms. Built once per site and role set (see site.ts);
 * finding a DocType in an ask then costs a few map reads per word.
 */
export class Vocabulary {
  private readonly index = new FuzzyIndex<Entry>();
  private readonly modules = new Map<string, string>();
  readonly doctypes: ReadonlySet<string>;

  constructor(site: readonly SiteDoctype[] = []) {
    const known = new Map(CATALOG.map((c) => [c.doctype, c]));
    for (const info of CATALOG) {
      for (const w of info.words) this.index.add(w, { info, plural: singular(w) !== w || w === 'people', rank: 0 });
    }
    const names = new Set(CATALOG.map((c) => c.doctype));
    const infos = new Map<string, DoctypeInfo>();
    for (const d of site) {
      names.add(d.name);
      if (d.module) this.modules.set(d.name, d.module.toLowerCase());
      const lower = normalize(d.name);
      if (lower.split(' ').length > MAX_WORDS) continue;
      const info = known.get(d.name) ?? { ...plainInfo(d.name, [lower, plural(lower)]), submittable: !!d.submittable };
      infos.set(d.name, info);
      this.index.add(lower, { info, plural: false, rank: 2 });
      this.index.add(plural(lower), { info, plural: true, rank: 1 });
    }
    for (const [word, doctype] of Object.entries(SYNONYMS)) {
      if (!names.has(doctype)) continue;
      const info = known.get(doctype) ?? infos.get(doctype) ?? plainInfo(doctype, [normalize(doctype)]);
      this.index.add(word, { info, plural: singular(word) !== word, rank: 0 });
    }
    this.doctypes = names;
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * The DocType an ask is about. A longer name beats the names inside it ("work orders" over "orders");
   * then the catalog's words, then a site name in the plural (the thing listed), then the earliest
   * mention; exact spelling before a typo. A module named in the ask ("hr", "stock") breaks ties.
   */
  find(text: string): DoctypeHit | undefined {
    const toks: Array<{ w: string; at: number }> = [];
    const re = /[\p{L}\p{N}&'-]+/gu;
    const lower = text.toLowerCase();
    for (let m = re.exec(lower); m; m = re.exec(lower)) toks.push({ w: m[0], at: m.index });
    const hits: Array<DoctypeHit & { rank: number; end: number; module: boolean }> = [];
    const mentioned = new Set(toks.map((t) => t.w));
    for (let i = 0; i < toks.length; i++) {
      let phrase = '';
      for (let n = 1; n <= MAX_WORDS && i + n <= toks.length; n++) {
        const last = toks[i + n - 1]!;
        phrase = n === 1 ? last.w : `${phrase} ${last.w}`;
        const at = toks[i]!.at;
        const end = last.at + last.w.length;
        const matched = lower.slice(at, end);
        const add = (e: Entry, fuzzy: boolean): void => {
          const module = this.modules.get(e.info.doctype);
          hits.push({
            info: e.info,
            matched,
            plural: e.plural,
            fuzzy,
            at,
            end,
            rank: e.rank,
            module: module ? moduleWords(module).some((w) => mentioned.has(w)) : false,
          });
        };
        const exact = this.index.get(phrase);
        for (const e of exact) add(e, false);
        // Typos are looked for in names of one or two words, which is where people make them (and cheap).
        if (
          !exact.length &&
          n <= 2 &&
          phrase.length >= FUZZY_MIN_LENGTH &&
          !/\d/.test(phrase) &&
          !phrase.split(' ').some((w) => NOT_NAMES.has(w))
        ) {
          for (const { value } of this.index.fuzzy(phrase)) add(value, true);
        }
      }
    }
    if (!hits.length) return undefined;
    const kept = hits.filter(
      // "purchse invoices" (one typo) is about Purchase Invoices, not the "invoices" inside it.
      (h) => !hits.some((o) => o !== h && o.at <= h.at && o.end >= h.end && o.end - o.at > h.end - h.at),
    );
    kept.sort(
      (a, b) =>
        Number(a.fuzzy) - Number(b.fuzzy) ||
        a.rank - b.rank ||
        Number(b.module) - Number(a.module) ||
        a.at - b.at ||
        b.end - b.at - (a.end - a.at),
    );
    const best = kept[0]!;
    // A typo is read only when it points at one DocType: "sales ordrs" is Sales Order, but a word one
    // letter from two names is not guessed.
    if (
      best.fuzzy &&
      kept.some((h) => h.fuzzy && h.info.doctype !== best.info.doctype && h.at === best.at && h.end === best.end)
    )
      return undefined;
    return { info: best.info, matched: best.matched, plural: best.plural, fuzzy: best.fuzzy, at: best.at };
  }
}

/** The catalog alone: what the planner knows before (or without) the site's own list. */
export const CATALOG_VOCABULARY = new Vocabulary();

/** A DocType of the site the catalog does not describe: its columns and fields from its metadata. */
export function doctypeInfo(base: DoctypeInfo, meta?: DoctypeMeta): DoctypeInfo {
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
export async function searchDoctype(text: string, site: SiteLookups): Promise<DoctypeHit | undefined> {
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
