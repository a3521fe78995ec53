/**
 * The shorthand ERPNext users type ("SO", "PI", "JV", "govt", "qty", "cust"), spelled out before the
 * planner reads the ask. The document codes are the ones the ERPNext desk and forums use for the
 * DocTypes; each becomes the DocType's name in words, so the site's own vocabulary then finds it.
 */

/**
 * Document codes, written in capitals as the desk shows them. Capitals are required for the codes that
 * are also everyday words or titles in lower case ("so", "mr", "pr"); the others are read in any case.
 */
const DOCUMENT_CODES: Record<string, { words: string; anyCase: boolean }> = {
  so: { words: 'sales order', anyCase: false },
  po: { words: 'purchase order', anyCase: true },
  si: { words: 'sales invoice', anyCase: true },
  pi: { words: 'purchase invoice', anyCase: true },
  dn: { words: 'delivery note', anyCase: true },
  pr: { words: 'purchase receipt', anyCase: false },
  mr: { words: 'material request', anyCase: false },
  je: { words: 'journal entry', anyCase: true },
  jv: { words: 'journal entry', anyCase: true },
  se: { words: 'stock entry', anyCase: false },
  pe: { words: 'payment entry', anyCase: false },
  qtn: { words: 'quotation', anyCase: true },
};

/** Shortened words, any case: "qty", "amt", "govt", "cust", "supp", "uk". */
const SHORT_WORDS: Record<string, string> = {
  qty: 'quantity',
  qtys: 'quantities',
  amt: 'amount',
  amnt: 'amount',
  govt: 'government',
  "gov't": 'government',
  gov: 'government',
  // Singular, so "cust group" stays Customer Group; a bare "cust" lists customers all the same.
  cust: 'customer',
  custs: 'customers',
  customr: 'customer',
  supp: 'supplier',
  supps: 'suppliers',
  supplr: 'supplier',
  inv: 'invoice',
  invs: 'invoices',
  uk: 'united kingdom',
  usa: 'united states',
  uae: 'united arab emirates',
  dept: 'department',
  wh: 'warehouse',
};

/** One token: a word, a code with an optional plural "s" / "'s". */
const TOKEN = /(?<![\p{L}\p{N}'-])([\p{L}']+?)('?s)?(?![\p{L}\p{N}-]|'\p{L})/gu;

function plural(words: string): string {
  return words.endsWith('y') ? `${words.slice(0, -1)}ies` : `${words}s`;
}

/** The ask with shorthand spelled out; anything else unchanged. */
export function expandAbbreviations(text: string): string {
  return text.replace(TOKEN, (whole: string, stem: string, s: string | undefined) => {
    const lower = stem.toLowerCase();
    const code = DOCUMENT_CODES[lower];
    if (code && (code.anyCase || stem === stem.toUpperCase()) && stem.length === lower.length) {
      // "SOs" and "SO's" are several orders; a bare "SO" stays singular ("SO with highest amount").
      return s ? plural(code.words) : code.words;
    }
    const short = SHORT_WORDS[whole.toLowerCase()];
    return short ?? whole;
  });
}
