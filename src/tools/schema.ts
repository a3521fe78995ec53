import { z } from 'zod';
import { FrappeError } from '../frappe/errors.js';
import { byteSize } from './budget.js';
import { defineTool, toolset, ToolInputError, type ToolContext } from './define.js';
import { DocTypeName } from './filters.js';
import { PAGE_INPUT, PAGE_OUTPUT, listPage } from './paging.js';
import { loadProfile } from './profile.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
type Raw = Record<string, unknown>;

/** Layout-only field types: they hold no data, so a model never needs them. */
const LAYOUT = new Set(['Section Break', 'Column Break', 'Tab Break', 'HTML', 'Button', 'Fold', 'Heading']);
const TABLES = new Set(['Table', 'Table MultiSelect']);
const PTYPES = ['read', 'write', 'create', 'delete', 'submit', 'cancel', 'amend'] as const;

const FieldOut = z.object({
  fieldname: z.string(),
  label: z.string().optional(),
  fieldtype: z.string(),
  options: z.string().optional().describe('Link/Table: target DocType; Select: choices separated by newlines.'),
  reqd: z.boolean().optional(),
  read_only: z.boolean().optional(),
  default: z.string().optional(),
  allow_on_submit: z.boolean().optional(),
  in_list_view: z.boolean().optional().describe('Shown as a column in the desk list.'),
});
type FieldSummary = z.infer<typeof FieldOut>;

function flag(v: unknown): boolean {
  return v === 1 || v === true || v === '1';
}

function summarizeFields(fields: unknown): FieldSummary[] {
  if (!Array.isArray(fields)) return [];
  const out: FieldSummary[] = [];
  for (const f of fields as Raw[]) {
    if (!f || typeof f !== 'object' || typeof f.fieldname !== 'string' || typeof f.fieldtype !== 'string') continue;
    if (LAYOUT.has(f.fieldtype)) continue;
    const s: FieldSummary = { fieldname: f.fieldname, fieldtype: f.fieldtype };
    if (typeof f.label === 'string' && f.label) s.label = f.label;
    if (typeof f.options === 'string' && f.options) s.options = f.options;
    if (flag(f.reqd)) s.reqd = true;
    if (flag(f.read_only)) s.read_only = true;
    if (typeof f.default === 'string' || typeof f.default === 'number') {
      if (f.default !== '') s.default = String(f.default);
    }
    if (flag(f.allow_on_submit)) s.allow_on_submit = true;
    if (flag(f.in_list_view)) s.in_list_view = true;
    out.push(s);
  }
  return out;
}

const WorkflowOut = z.object({
  name: z.string(),
  state_field: z.string().describe('The field holding the workflow state (filter on it).'),
  states: z.array(z.object({ state: z.string(), doc_status: z.number().int() })),
  waiting_states: z.array(z.string()).describe('States that wait for an approval (an action leads on to submit).'),
});

/**
 * The active Workflow, from getdoctype's `__workflow_docs` (FormMeta.load_workflows). A state "waits
 * for approval" when a transition leaves it towards a submitted state or by an Approve action.
 */
function workflowOf(meta: Raw): z.infer<typeof WorkflowOut> | undefined {
  const docs = Array.isArray(meta.__workflow_docs) ? (meta.__workflow_docs as Raw[]) : [];
  const wf = docs.find((d) => d && d.doctype === 'Workflow');
  if (!wf || typeof wf.name !== 'string' || typeof wf.workflow_state_field !== 'string') return undefined;
  const states = (Array.isArray(wf.states) ? (wf.states as Raw[]) : [])
    .filter((s) => typeof s.state === 'string')
    .map((s) => ({ state: s.state as string, doc_status: Number(s.doc_status ?? 0) || 0 }));
  const docstatus = new Map(states.map((s) => [s.state, s.doc_status]));
  const waiting = new Set<string>();
  for (const t of Array.isArray(wf.transitions) ? (wf.transitions as Raw[]) : []) {
    if (typeof t.state !== 'string' || docstatus.get(t.state) !== 0) continue;
    const next = typeof t.next_state === 'string' ? docstatus.get(t.next_state) : undefined;
    if (next === 1 || (typeof t.action === 'string' && /approv/i.test(t.action))) waiting.add(t.state);
  }
  return { name: wf.name, state_field: wf.workflow_state_field, states, waiting_states: [...waiting] };
}

/** What the caller's roles allow on the DocType, from its DocPerm rows (permlevel 0). Undefined when unknown. */
async function callerAccess(meta: Raw, ctx: ToolContext): Promise<string[] | undefined> {
  const perms = Array.isArray(meta.permissions)
    ? (meta.permissions as Raw[]).filter((p) => p && typeof p === 'object')
    : [];
  if (!perms.length || !perms.some((p) => typeof p.role === 'string')) return undefined;
  if (ctx.principal.user === 'Administrator') return [...PTYPES];
  const roles = ctx.principal.roles ?? (await loadProfile(ctx.frappe, ctx.principal)).roles;
  if (!roles) return undefined;
  const mine = perms.filter((p) => roles.includes(String(p.role)) && Number(p.permlevel ?? 0) === 0);
  return PTYPES.filter((t) => mine.some((p) => flag(p[t])));
}

const describeDoctype = defineTool({
  name: 'describe_doctype',
  title: 'Describe a DocType',
  description:
    'Show the fields of a DocType: names, types, labels, which are mandatory, Select options, Link targets, child ' +
    'tables with their own fields, whether documents are submittable, and what your roles allow. Call it before ' +
    'create_document or update_document, and to learn field names for list_documents filters. Any signed-in user may ' +
    'describe any DocType; use list_doctypes to discover DocType names.',
  input: {
    doctype: DocTypeName,
    include_child_fields: z.boolean().optional().describe('Also list the fields of each child table (default true).'),
  },
  output: {
    name: z.string(),
    module: z.string().optional(),
    is_submittable: z.boolean(),
    istable: z.boolean(),
    issingle: z.boolean(),
    title_field: z.string().optional(),
    autoname: z.string().optional(),
    fields: z.array(FieldOut),
    mandatory: z.array(z.string()),
    links: z.array(z.object({ fieldname: z.string(), doctype: z.string() })),
    child_tables: z.array(
      z.object({
        fieldname: z.string(),
        doctype: z.string(),
        mandatory: z.array(z.string()),
        fields: z.array(FieldOut).optional(),
      }),
    ),
    your_permissions: z.array(z.string()).optional().describe('What your roles allow: read, write, create…'),
    workflow: WorkflowOut.optional().describe('The active Workflow, if any: its states and which wait for approval.'),
    hint: z.string().optional(),
  },
  annotations: READ,
  handler: async ({ doctype, include_child_fields }, ctx) => {
    const body = await ctx.frappe.call<Raw>('frappe.desk.form.load.getdoctype', { doctype }, { signal: ctx.signal });
    const docs = Array.isArray(body?.docs) ? (body.docs as Raw[]) : [];
    const meta = docs.find((d) => d.name === doctype);
    if (!meta) throw new ToolInputError(`Frappe returned no definition for DocType ${doctype}.`);
    const fields = summarizeFields(meta.fields);
    const childMeta = (name: string): Raw | undefined => docs.find((d) => d.name === name);
    const tables = fields.filter((f) => TABLES.has(f.fieldtype) && f.options);
    const child_tables = tables.map((t) => {
      const cf = summarizeFields(childMeta(t.options!)?.fields);
      return {
        fieldname: t.fieldname,
        doctype: t.options!,
        mandatory: cf.filter((f) => f.reqd).map((f) => f.fieldname),
        ...(include_child_fields === false ? {} : { fields: cf }),
      };
    });
    const access = await callerAccess(meta, ctx);
    const workflow = workflowOf(meta);
    const result = {
      name: String(meta.name),
      ...(typeof meta.module === 'string' ? { module: meta.module } : {}),
      is_submittable: flag(meta.is_submittable),
      istable: flag(meta.istable),
      issingle: flag(meta.issingle),
      ...(typeof meta.title_field === 'string' && meta.title_field ? { title_field: meta.title_field } : {}),
      ...(typeof meta.autoname === 'string' && meta.autoname ? { autoname: meta.autoname } : {}),
      fields,
      mandatory: fields.filter((f) => f.reqd).map((f) => f.fieldname),
      links: fields
        .filter((f) => f.fieldtype === 'Link' && f.options)
        .map((f) => ({ fieldname: f.fieldname, doctype: f.options! })),
      child_tables,
      ...(access ? { your_permissions: access } : {}),
      ...(workflow ? { workflow } : {}),
    };
    if (byteSize(result) > ctx.limits.maxResultBytes && include_child_fields !== false) {
      return {
        ...result,
        child_tables: child_tables.map(({ fields: _f, ...t }) => t),
        hint: 'Child-table fields were left out to keep the answer small; describe_doctype each child DocType for them.',
      };
    }
    return result;
  },
});

const listDoctypes = defineTool({
  name: 'list_doctypes',
  title: 'List DocTypes',
  description:
    'List DocType names (the kinds of records on the site), optionally by module (e.g. "Selling", "Accounts", ' +
    '"Stock") or by part of the name. Use it to find the right DocType before describe_doctype or list_documents. ' +
    'Frappe lets only privileged users (e.g. System Manager) list DocTypes; others should ask for a DocType by name ' +
    'with describe_doctype or use global_search.',
  input: {
    module: z.string().max(140).optional().describe('Only DocTypes of this module, e.g. "Selling".'),
    search: z.string().max(140).optional().describe('Part of the DocType name, e.g. "invoice".'),
    include_child_tables: z.boolean().optional().describe('Also list child-table DocTypes (default false).'),
    ...PAGE_INPUT,
  },
  output: {
    doctypes: z.array(
      z.object({
        name: z.string(),
        module: z.string().optional(),
        istable: z.boolean(),
        issingle: z.boolean(),
        is_submittable: z.boolean(),
      }),
    ),
    ...PAGE_OUTPUT,
  },
  annotations: READ,
  handler: async (args, ctx) => {
    const filters: Array<[string, string, unknown]> = [];
    if (args.module) filters.push(['module', '=', args.module]);
    if (args.search) filters.push(['name', 'like', `%${args.search}%`]);
    if (!args.include_child_tables) filters.push(['istable', '=', 0]);
    const page = await listPage(
      {
        doctype: 'DocType',
        fields: ['name', 'module', 'istable', 'issingle', 'is_submittable'],
        filters,
        orderBy: 'name asc',
        limit: args.limit,
        cursor: args.cursor,
        withTotal: args.include_total ?? false,
      },
      ctx,
    ).catch((err: unknown) => {
      if (err instanceof FrappeError && err.kind === 'permission' && !err.credentialRejected) {
        // Re-raised with the way forward; the run wrapper still reports it as Frappe's refusal.
        throw new FrappeError({
          kind: err.kind,
          status: err.status,
          excType: err.excType,
          messages: [
            err.summary,
            'Listing DocTypes needs a privileged role (e.g. System Manager). describe_doctype works for any DocType you name, and global_search finds records without knowing their DocType.',
          ],
        });
      }
      throw err;
    });
    const { rows, ...rest } = page;
    return {
      doctypes: rows.map((r) => ({
        name: String(r.name),
        ...(typeof r.module === 'string' ? { module: r.module } : {}),
        istable: flag(r.istable),
        issingle: flag(r.issingle),
        is_submittable: flag(r.is_submittable),
      })),
      ...rest,
    };
  },
});

export const schema = toolset({
  id: 'schema',
  description: 'Discover DocTypes and their fields',
  tools: [listDoctypes, describeDoctype],
});
