import { z } from 'zod';
import { defineTool, toolset, ToolInputError, type ToolContext } from './define.js';
import { amendmentOf, mergeUpdate, project, type Doc } from './doc-edit.js';
import { DocName, DocTypeName, FieldName, Filters, normalizeFilters, normalizeOrderBy, OrderBy } from './filters.js';
import { countDocuments, listPage, PAGE_INPUT, PAGE_OUTPUT } from './paging.js';

const AnyDoc = z.record(z.string(), z.unknown());
const DocOut = { doc: AnyDoc };
const Fields = z
  .array(FieldName)
  .max(100)
  .describe(
    'Fields to return, e.g. ["name","customer","grand_total","status"]. describe_doctype lists the field names.',
  );
const Limit = z
  .number()
  .int()
  .min(1)
  .describe('Rows per page. The server caps it; large pages are also cut to a byte budget (follow next_cursor).');
const Cursor = z
  .string()
  .max(400)
  .describe('next_cursor from the previous call with the SAME doctype, filters and order_by, to get the next page.');

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const DOCSTATUS = ['draft', 'submitted', 'cancelled'] as const;

function docstatusOf(doc: Doc): number {
  return Number(doc.docstatus ?? 0);
}

async function currentDoc(ctx: ToolContext, doctype: string, name: string): Promise<Doc> {
  return ctx.frappe.getDoc<Doc>(doctype, name, ctx.signal);
}

const listDocuments = defineTool({
  name: 'list_documents',
  title: 'List documents',
  description:
    'List documents of one DocType that you may read, with filters, sort order and paging. Returns rows with the ' +
    'requested fields, has_more and next_cursor when more rows exist (pass it back unchanged with the same ' +
    'filters); the total number of matches only with include_total: true. Use count_documents when you only need ' +
    'the number, get_document for one full document ' +
    '(with child tables), search_link to find a record by a partial name, and run_report for aggregated reports.',
  input: {
    doctype: DocTypeName,
    fields: Fields.optional(),
    filters: Filters.optional(),
    or_filters: Filters.optional().describe('Like filters, but a row matches when ANY of these holds.'),
    order_by: OrderBy.optional(),
    limit: Limit.optional(),
    cursor: Cursor.optional(),
    include_total: PAGE_INPUT.include_total,
  },
  output: { doctype: z.string(), rows: z.array(AnyDoc), ...PAGE_OUTPUT },
  annotations: READ,
  handler: async (args, ctx) => {
    const page = await listPage(
      {
        doctype: args.doctype,
        fields: args.fields?.length ? args.fields : ['name'],
        filters: normalizeFilters(args.filters),
        orFilters: normalizeFilters(args.or_filters, 'or_filters'),
        orderBy: normalizeOrderBy(args.order_by),
        limit: args.limit,
        cursor: args.cursor,
        withTotal: args.include_total ?? false,
      },
      ctx,
    );
    return { doctype: args.doctype, ...page };
  },
});

const getDocument = defineTool({
  name: 'get_document',
  title: 'Get a document',
  description:
    'Fetch one document by DocType and name, including its child tables (e.g. a Sales Order with its items). ' +
    'Pass fields to get only some of them. Use list_documents or search_link first if you do not know the name.',
  input: {
    doctype: DocTypeName,
    name: DocName,
    fields: Fields.optional().describe('Only these top-level fields (child tables are fields too, e.g. "items").'),
  },
  output: DocOut,
  annotations: READ,
  handler: async (args, ctx) => ({ doc: project(await currentDoc(ctx, args.doctype, args.name), args.fields) }),
});

const createDocument = defineTool({
  name: 'create_document',
  title: 'Create a draft document',
  description:
    'Create a new document as a draft (docstatus 0), child tables included. Give child rows as lists of objects, ' +
    'e.g. {"customer":"Initech","delivery_date":"2026-12-01","items":[{"item_code":"WIDGET-001","qty":5}]}. ' +
    'Call describe_doctype first to learn mandatory fields and link targets. To make a submittable document final, ' +
    'call submit_document afterwards; this tool never submits.',
  input: {
    doctype: DocTypeName,
    doc: AnyDoc.describe('Field values of the new document; child tables as arrays of row objects.'),
  },
  output: { ...DocOut, notes: z.array(z.string()).optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: async ({ doctype, doc }, { frappe, signal }) => {
    const status = doc.docstatus === undefined ? 0 : Number(doc.docstatus);
    if (status !== 0) {
      // ERPNext inserts and submits in one step but leaves status "Draft" (recorded); submit separately instead.
      throw new ToolInputError(
        'create_document only creates drafts: remove docstatus, then call submit_document with the new name.',
      );
    }
    const values = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'docstatus' && k !== 'doctype'));
    const created = await frappe.insert<Doc>(doctype, values, signal);
    return { doc: created };
  },
});

const updateDocument = defineTool({
  name: 'update_document',
  title: 'Update a document',
  description:
    'Change some fields of an existing draft (or allow-on-submit fields of a submitted document). Only the fields ' +
    'you give change. Child tables are merged: a row with "name" patches that row, a row without "name" is added, ' +
    'and rows are removed only when listed in remove_child_rows. Fails with a clear message if someone else changed ' +
    'the document meanwhile (re-read it with get_document and retry). Use submit_document / cancel_document to change docstatus.',
  input: {
    doctype: DocTypeName,
    name: DocName,
    values: AnyDoc.describe(
      'Fields to change, e.g. {"delivery_date":"2026-12-05","items":[{"name":"row-id","qty":8}]}.',
    ),
    remove_child_rows: z
      .record(FieldName, z.array(z.string().min(1)))
      .optional()
      .describe('Child rows to delete, by table field and row name, e.g. {"items":["a1b2c3d4e5"]}.'),
  },
  output: DocOut,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (args, ctx) => {
    const current = await currentDoc(ctx, args.doctype, args.name);
    if (docstatusOf(current) === 2) {
      throw new ToolInputError(
        `${args.doctype} ${args.name} is cancelled and cannot be edited; amend_document creates an editable copy.`,
      );
    }
    const body = mergeUpdate(current, args.values, args.remove_child_rows);
    // Sending `modified` makes Frappe refuse the write if the document changed since we read it.
    const updated = await ctx.frappe.update<Doc>(
      args.doctype,
      args.name,
      { ...body, modified: current.modified },
      ctx.signal,
    );
    return { doc: updated };
  },
});

const deleteDocument = defineTool({
  name: 'delete_document',
  title: 'Delete a document',
  description:
    'Permanently delete a draft or cancelled document. Submitted documents must be cancelled first ' +
    '(cancel_document). Requires confirm: true; ask the user before calling it.',
  input: {
    doctype: DocTypeName,
    name: DocName,
    confirm: z.literal(true).describe('Must be true: deletion cannot be undone.'),
  },
  output: { deleted: z.boolean(), doctype: z.string(), name: z.string() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async ({ doctype, name }, { frappe, signal }) => {
    await frappe.remove(doctype, name, signal);
    return { deleted: true, doctype, name };
  },
});

const submitDocument = defineTool({
  name: 'submit_document',
  title: 'Submit a document',
  description:
    'Submit a draft of a submittable DocType (Sales Order, Sales Invoice…), making it final (docstatus 1). ' +
    'Fetches the current version first so the submit never works on stale data. Use update_document before ' +
    'submitting to fix fields; after submitting, only cancel_document (then amend_document) can change it.',
  input: { doctype: DocTypeName, name: DocName },
  output: { ...DocOut, note: z.string().optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async ({ doctype, name }, ctx) => {
    const doc = await currentDoc(ctx, doctype, name);
    const status = docstatusOf(doc);
    if (status === 1) return { doc, note: `${doctype} ${name} is already submitted; nothing changed.` };
    if (status === 2) {
      throw new ToolInputError(
        `${doctype} ${name} is cancelled and cannot be submitted again; amend_document creates a new draft from it.`,
      );
    }
    const submitted = await ctx.frappe.call<Doc>('frappe.client.submit', { doc }, { http: 'POST', signal: ctx.signal });
    return { doc: submitted };
  },
});

const cancelDocument = defineTool({
  name: 'cancel_document',
  title: 'Cancel a submitted document',
  description:
    'Cancel a submitted document (docstatus 1 → 2), reversing its effects such as ledger entries. A cancelled ' +
    'document cannot be edited; amend_document makes a corrected draft from it. Drafts are not cancelled but deleted ' +
    '(delete_document). Ask the user before calling it.',
  input: { doctype: DocTypeName, name: DocName },
  output: DocOut,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async ({ doctype, name }, ctx) => {
    const status = docstatusOf(await currentDoc(ctx, doctype, name));
    if (status !== 1) {
      // Frappe answers a bare 417 ValidationError here; say what is actually wrong.
      throw new ToolInputError(
        status === 2
          ? `${doctype} ${name} is already cancelled.`
          : `${doctype} ${name} is a draft, not submitted: there is nothing to cancel (delete_document removes a draft).`,
      );
    }
    const cancelled = await ctx.frappe.call<Doc>(
      'frappe.client.cancel',
      { doctype, name },
      { http: 'POST', signal: ctx.signal },
    );
    return { doc: cancelled && typeof cancelled === 'object' ? cancelled : await currentDoc(ctx, doctype, name) };
  },
});

const amendDocument = defineTool({
  name: 'amend_document',
  title: 'Amend a cancelled document',
  description:
    'Create a new draft from a cancelled document, linked to it by amended_from (Frappe names it e.g. ' +
    'SAL-ORD-2026-00001-1). Optionally apply changes to the copy. Then submit_document the new draft. ' +
    'Only cancelled documents can be amended; use update_document for drafts.',
  input: {
    doctype: DocTypeName,
    name: DocName.describe('Name of the CANCELLED document to amend.'),
    changes: AnyDoc.optional().describe('Fields to change in the new draft; child tables replace the copied rows.'),
  },
  output: DocOut,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: async ({ doctype, name, changes }, ctx) => {
    const original = await currentDoc(ctx, doctype, name);
    const status = docstatusOf(original);
    if (status !== 2) {
      throw new ToolInputError(
        `${doctype} ${name} is ${DOCSTATUS[status] ?? 'not cancelled'}; only cancelled documents can be amended.` +
          (status === 1 ? ' Cancel it first with cancel_document.' : ' Edit the draft with update_document.'),
      );
    }
    const draft = await ctx.frappe.insert<Doc>(doctype, amendmentOf(original, changes), ctx.signal);
    return { doc: draft };
  },
});

const countDocumentsTool = defineTool({
  name: 'count_documents',
  title: 'Count documents',
  description:
    'Count the documents of a DocType that match filters and that you may read. Use it to answer "how many" ' +
    'questions without listing rows; use list_documents to see them.',
  input: {
    doctype: DocTypeName,
    filters: Filters.optional(),
    or_filters: Filters.optional().describe('Like filters, but a row matches when ANY of these holds.'),
  },
  output: { doctype: z.string(), count: z.number().int() },
  annotations: READ,
  handler: async (args, { frappe, signal }) => ({
    doctype: args.doctype,
    count: await countDocuments(
      frappe,
      args.doctype,
      normalizeFilters(args.filters),
      normalizeFilters(args.or_filters, 'or_filters'),
      signal,
    ),
  }),
});

export const documents = toolset({
  id: 'documents',
  description: 'Read and write documents of any DocType, with child tables and the submit/cancel/amend lifecycle',
  tools: [
    listDocuments,
    getDocument,
    countDocumentsTool,
    createDocument,
    updateDocument,
    deleteDocument,
    submitDocument,
    cancelDocument,
    amendDocument,
  ],
});
