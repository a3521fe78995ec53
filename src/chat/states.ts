import { DOCSTATUS_WORDS, type DoctypeInfo } from './catalog.js';
import type { AskText, Condition } from './query.js';
import type { Understanding } from './plan.js';
import type { DoctypeMeta } from './site.js';
import { escapeRe, withinOneEdit } from './text.js';
import { FILLER } from './values.js';

/** "to approve", "pending", "awaiting approval": documents that wait for someone to act. */
export const WAITING_RE =
  /\b(?:to (?:be )?approved?|pending(?: approval)?|awaiting(?: approval| for approval)?|waiting(?: for)?(?: approval)?|needs? approval|need(?:ing)? approval|for approval|unapproved|not (?:yet )?approved|yet to be approved|open for approval)\b/i;

export interface WaitingState {
  filter: Condition;
  /** In words, for the answer's first line: which rule gave the filter. */
  note: string;
}

/**
 * What "waiting for approval" means on this DocType: the states of its active Workflow that wait for an
 * approval, or, without a Workflow, drafts (docstatus 0) of a submittable DocType. Undefined when the
 * DocType has neither, so the words are tried as a value instead (a Task status "Pending Review").
 */
export function waitingState(meta: DoctypeMeta | undefined, submittable: boolean): WaitingState | undefined {
  const wf = meta?.workflow;
  if (wf?.waiting.length) {
    return {
      filter: [wf.stateField, 'in', wf.waiting],
      note: `waiting for approval in Workflow “${wf.name}” (${wf.waiting.join(', ')})`,
    };
  }
  if (submittable) {
    return { filter: ['docstatus', '=', 0], note: 'drafts not yet submitted (no approval Workflow on this DocType)' };
  }
  return undefined;
}

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

/**
 * The DocType's status word in the ask ("overdue", "unpaid", "draft"), or one typo away from one
 * ("ovrdue", "cancled"), taken out of the ask. Catalog words first, then docstatus words.
 */
/** A negation just before a word. */
const NOT_RE =
  /\b(?:not|non|isn't|aren't|wasn't|weren't|haven't been|hasn't been|never|yet to be)\s*-?\s*(?:yet\s+|been\s+)?$/;

function negate(c: Condition): Condition {
  const opposite: Record<string, string> = { '=': '!=', '!=': '=', in: 'not in', 'not in': 'in', '<': '>=', '>=': '<' };
  return [c[0], opposite[c[1]] ?? c[1], c[2]];
}

export function statusWord(
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
  for (const [re, word, conditions] of words) {
    const m = re.exec(ask.lower);
    if (!m) continue;
    // "not paid", "aren't submitted": the opposite of the status, never the status itself.
    const not = NOT_RE.exec(ask.lower.slice(0, m.index));
    ask.cut(not ? not.index : m.index, m.index + m[0].length - (not ? not.index : m.index));
    return not ? { word: `not ${word}`, conditions: conditions.map(negate) } : { word, conditions };
  }
  for (const typed of ask.lower.split(/\s+/)) {
    if (typed.length < 5 || FILLER.has(typed)) continue;
    const near = words.find(([, w]) => !w.includes(' ') && withinOneEdit(w, typed));
    if (near && ask.remove(` ${typed} `)) return { word: near[1], conditions: near[2], typo: typed };
  }
  return undefined;
}

/**
 * "to approve", "pending", then the DocType's status words ("overdue", "unpaid", "draft", or one typo
 * from one): filters on the ask's Understanding, each said in its notes where it was a guess.
 */
export function applyStates(ask: AskText, u: Understanding, today: Date): void {
  const waiting = ask.take(WAITING_RE);
  if (waiting) {
    const state = waitingState(u.meta, !!u.info.submittable);
    if (state) {
      u.add(state.filter);
      u.notes.push(`“${waiting[0].trim()}” read as ${state.note}.`);
    } else ask.text = `${ask.text}${waiting[0]} `; // left for the DocType's own status values
  }
  const status = statusWord(ask, u.info);
  if (!status) return;
  if (status.typo) u.notes.push(`I read “${status.typo}” as “${status.word}”.`);
  for (const c of status.conditions) u.add([c[0], c[1], c[2] === '@today' ? today.toISOString().slice(0, 10) : c[2]]);
}
