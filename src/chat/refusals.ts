import { normalize } from './text.js';

/** Verbs that change data. The planner only reads, so an ask led by one of these is refused. */
export const WRITE_VERBS = [
  'delete',
  'remove',
  'erase',
  'purge',
  'cancel',
  'submit',
  'create',
  'add',
  'insert',
  'make a new',
  'new',
  'update',
  'change',
  'modify',
  'edit',
  'set',
  'rename',
  'approve',
  'reject',
  'amend',
  'close',
  'reopen',
  'assign',
  'mark',
  'disable',
  'enable',
  'merge',
  'send',
  'email',
  'post',
  'pay',
  'convert',
  'duplicate',
  'copy',
] as const;

/** Words that may come before the main verb: politeness and "can you" (mis)spellings. */
const LEAD_IN = String.raw`(?:(?:hey|hi|ok|okay|so|now|then|also|quickly|just|pls|plz|please|kindly|can|could|would|will|you|u|ya|i|we|want|wanna|need|needs|to|would like|like|help|me|us|lets|let's|let|go ahead and|try|and)\s+)*`;

const VERB_RE = new RegExp(
  String.raw`^${LEAD_IN}(${WRITE_VERBS.map((v) => v.replace(/ /g, String.raw`\s+`)).join('|')})\b(.*)$`,
  'i',
);
/** "show the drafts and delete them": a write verb after "and/then" aimed at what was shown. */
const TRAILING_RE = new RegExp(
  String.raw`\b(?:and|then|&)\s+(?:then\s+)?(${WRITE_VERBS.join('|')})\s+(?:them|it|those|these|all|every|each|the)\b`,
  'i',
);

export interface WriteAsk {
  verb: string;
  /** What the ask is about once the verb is gone ("all orders"), to offer as a read. */
  rest: string;
}

/** The write an ask would make, if its main verb changes data. */
export function detectWrite(message: string): WriteAsk | undefined {
  const text = normalize(message).replace(/[?!.]+$/, '');
  const m = VERB_RE.exec(text);
  if (m) {
    const verb = m[1]!.toLowerCase().replace(/\s+/g, ' ');
    // "new customers this month" reads; "new customer Acme" would create one.
    if (
      verb === 'new' &&
      !/^\s*(?:customer|supplier|item|lead|order|invoice|task|todo|record|entry)\b(?!s)/.test(m[2]!)
    ) {
      return undefined;
    }
    // "set of", "post office", "copy of": nouns, not verbs.
    if (/^(?:set|post|copy|mark|close|email|pay)$/.test(verb) && /^\s*(?:of|by|to|-|s\b)/.test(m[2]!)) return undefined;
    return { verb, rest: m[2]!.replace(/^\s*(?:all|every|each|the|my|our|these|those|any)\s+/g, ' ').trim() };
  }
  const t = TRAILING_RE.exec(text);
  if (t)
    return {
      verb: t[1]!.toLowerCase(),
      rest: text
        .slice(0, t.index)
        .replace(/^(?:show|list|find|get)\s+(?:me\s+)?/, '')
        .trim(),
    };
  return undefined;
}

/** The polite answer to a write: what the planner does instead, and the read it can offer. */
export function refusalMessage(write: WriteAsk, offer?: { ask: string; what: string }): string {
  const first = `I only read data here, so I will not ${write.verb} anything.`;
  if (!offer) {
    return `${first} Ask me to show records instead, e.g. “show open sales orders”; to make changes, use the desk or an assistant with an AI model configured.`;
  }
  return `${first} I can show you the ${offer.what} instead: ask “${offer.ask}”. To make changes, use the desk or an assistant with an AI model configured.`;
}
