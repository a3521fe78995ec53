import type { Condition } from './query.js';
import type { DoctypeMeta } from './site.js';

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
