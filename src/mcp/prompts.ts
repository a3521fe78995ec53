import type { ToolRegistry } from '../tools/registry.js';

export interface PromptListing {
  name: string;
  title: string;
  description: string;
  arguments: Array<{ name: string; description: string; required: boolean }>;
}

interface PromptDef extends PromptListing {
  /** Tools the prompt tells the model to use; it is offered only when all are. */
  requires: string[];
  text: (args: Record<string, string>, today: string) => string;
}

const PROMPTS: PromptDef[] = [
  {
    name: 'customer_overview',
    title: 'Customer overview',
    description: 'Summarise one customer: who they are, recent sales orders and unpaid invoices.',
    arguments: [{ name: 'customer', description: 'Customer name, or part of it', required: true }],
    requires: ['search_link', 'get_document', 'list_documents'],
    text: ({ customer = '' }) =>
      [
        `Give me an overview of the customer "${customer}" in our ERPNext.`,
        `1. If "${customer}" may not be the exact name, call search_link with doctype "Customer" and txt "${customer}", and pick the match (ask me if several fit).`,
        '2. Call get_document for the Customer to see its group, territory and contact details.',
        '3. Call list_documents for "Sales Order" with filters [["customer","=",<name>]], fields ["name","transaction_date","status","grand_total"], order_by "transaction_date desc", limit 10.',
        '4. Call list_documents for "Sales Invoice" with filters [["customer","=",<name>],["docstatus","=",1],["outstanding_amount",">",0]], fields ["name","posting_date","due_date","outstanding_amount","status"], order_by "due_date asc".',
        'Then summarise: who they are, order activity (use the totals the tools return), open invoices and what is overdue. Report only what the tools returned; say so if a tool was refused.',
      ].join('\n'),
  },
  {
    name: 'overdue_invoices',
    title: 'Overdue invoices',
    description: 'List submitted sales invoices past their due date with money still owed, grouped by customer.',
    arguments: [
      { name: 'company', description: 'Only this company (optional)', required: false },
      { name: 'as_of', description: 'Date YYYY-MM-DD to judge "overdue" by (default today)', required: false },
    ],
    requires: ['list_documents'],
    text: ({ company, as_of }, today) => {
      const date = as_of || today;
      const filters = [
        ['docstatus', '=', 1],
        ['outstanding_amount', '>', 0],
        ['due_date', '<', date],
        ...(company ? [['company', '=', company]] : []),
      ];
      return [
        `Which sales invoices are overdue as of ${date}${company ? ` for ${company}` : ''}?`,
        `Call list_documents for "Sales Invoice" with filters ${JSON.stringify(filters)}, fields ["name","customer","due_date","outstanding_amount","currency"], order_by "due_date asc". Follow next_cursor until it is absent; the total tells how many there are.`,
        'Then group them by customer with the sum outstanding and the oldest due date, largest first. If list_documents is refused, say so; run_report "Accounts Receivable" (describe_report first) is an alternative when available.',
      ].join('\n');
    },
  },
];

/** The prompts whose tools this server offers. Built once. */
export function promptListings(registry: ToolRegistry): PromptListing[] {
  return PROMPTS.filter((p) => p.requires.every((t) => registry.tools.has(t))).map(
    ({ requires: _r, text: _t, ...listing }) => listing,
  );
}

/** The prompt's text, or a string saying what is wrong (unknown prompt, missing argument). */
export function renderPrompt(
  name: string,
  args: Record<string, string>,
  offered: readonly PromptListing[],
  today: string,
): { text: string; description: string } | { error: string } {
  const def = PROMPTS.find((p) => p.name === name);
  if (!def || !offered.some((p) => p.name === name)) {
    return { error: `Unknown prompt ${name}. prompts/list shows those offered.` };
  }
  const missing = def.arguments.filter((a) => a.required && !args[a.name]?.trim()).map((a) => a.name);
  if (missing.length) return { error: `Prompt ${name} needs: ${missing.join(', ')}.` };
  return { text: def.text(args, today), description: def.description };
}
