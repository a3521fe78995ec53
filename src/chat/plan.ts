import type { AggregateView } from './aggregate.js';
import type { DoctypeInfo } from './catalog.js';
import type { Condition } from './query.js';
import type { DoctypeMeta } from './site.js';
import { conditionWords, firstLine, pluralTitle, type Understood } from './summary.js';

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
  /** Said after the answer when this attempt is the one that answered (what a ranking from the bottom leaves out). */
  caveat?: string;
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

/** What the planner has understood so far: the DocType, its filters (and each in words), and notes. */
export class Understanding {
  readonly filters: Condition[] = [];
  readonly said: string[] = [];
  readonly notes: string[] = [];
  constructor(
    readonly info: DoctypeInfo,
    readonly meta?: DoctypeMeta,
  ) {}

  get doctype(): string {
    return this.info.doctype;
  }

  add(c: Condition, words?: string): void {
    this.filters.push(c);
    this.said.push(words ?? conditionWords(c, this.info, this.meta));
  }

  /** A plan of one tool call, saying what was understood. */
  tool(call: ToolCallPlan, u: Omit<Understood, 'conditions'>, more: Partial<Attempt> = {}): Plan {
    return {
      kind: 'tool',
      doctype: this.doctype,
      columns: [],
      call,
      summary: firstLine({ ...u, conditions: this.said }),
      notes: this.notes,
      ...more,
    };
  }

  count(): Plan {
    const filters = this.filters.length ? { filters: this.filters } : {};
    return this.tool(
      { name: 'count_documents', arguments: { doctype: this.doctype, ...filters } },
      { what: `Number of ${pluralTitle(this.doctype)}` },
    );
  }

  list(orderBy: string, limit: number, order?: string): Plan {
    const { columns } = this.info;
    return this.tool(
      {
        name: 'list_documents',
        arguments: {
          doctype: this.doctype,
          fields: columns,
          ...(this.filters.length ? { filters: this.filters } : {}),
          order_by: orderBy,
          limit,
          include_total: true,
        },
      },
      { what: pluralTitle(this.doctype), order, rows: limit },
      { columns },
    );
  }
}
