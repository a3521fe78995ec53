import { FrappeError, noDoctypePermission, notFound, roleMessage, thrown, type ServerMessage } from './errors.js';
import { compareValues } from './filters.js';
import { allMetas, getMeta, tableFields, type DocTypeDef } from './meta.js';
import { access, canAccessDoc, maxPermlevel, type Ptype } from './permissions.js';
import { buildDoc, soComputed } from './seed.js';
import type { Doc, Store } from './store.js';
import { text } from './text.js';
import type { Traits } from './version.js';

/** What a document operation needs to know about the request. */
export interface DocContext {
  store: Store;
  user: string;
  /** scheme://host of the request, used in links inside messages. */
  baseUrl: string;
  /** /api/v2 words some refusals more briefly (recorded). */
  v2?: boolean;
  /** How the imitated Frappe version behaves (absent: 15). */
  traits?: Traits;
}

export function requireMeta(ctx: DocContext, doctype: string): DocTypeDef {
  const meta = getMeta(doctype);
  if (meta) return meta;
  // Non-admins fail the permission check on DocType itself before the lookup (recorded).
  if (ctx.user !== 'Administrator') {
    throw new FrappeError('PermissionError', [{ message: roleMessage(ctx.user, 'DocType'), title: 'Message' }], {
      _error_message: 'No permission for DocType',
    });
  }
  throw thrown('DoesNotExistError', `DocType ${doctype} not found`);
}

function docPermissionError(ctx: DocContext, doctype: string, doc: Doc, ptype: Ptype): FrappeError {
  const user = ctx.user;
  // Frappe 16 refuses at the doctype level first, whatever the document or the action.
  if (ctx.traits?.modernMessages) return noDoctypePermission(user, doctype);
  if (doctype === 'User') {
    return new FrappeError('PermissionError', [
      {
        message: `Not allowed via controller permission check<br>${roleMessage(user, 'User')}<br>User <strong>${user}</strong> does not have access to this document: User - ${String(doc.name)}`,
        title: 'Message',
      },
    ]);
  }
  if (access(user, doctype, ptype) === 'none' && ptype === 'read' && ctx.v2) {
    return new FrappeError('PermissionError', [{ message: roleMessage(user, doctype), title: 'Message' }]);
  }
  if (access(user, doctype, ptype) === 'none' && ptype === 'read') {
    return new FrappeError('PermissionError', [
      {
        message: `${roleMessage(user, doctype)}<br>User <strong>${user}</strong> does not have access to this document`,
        title: 'Message',
      },
    ]);
  }
  if (access(user, doctype, ptype) === 'none' && ptype !== 'delete') {
    return new FrappeError('PermissionError', [{ message: roleMessage(user, doctype), title: 'Message' }], {
      _error_message: `No permission for ${doctype}`,
    });
  }
  const label = `${doctype} - ${String(doc.name)}`;
  const messages: ServerMessage[] = [
    { message: `User <strong>${user}</strong> does not have access to this document: ${label}`, title: 'Message' },
  ];
  if (ptype === 'delete') {
    messages.push({
      message: `User not allowed to delete ${doctype}: ${String(doc.name)}`,
      title: 'Message',
      indicator: 'red',
      raise: true,
    });
  }
  return new FrappeError('PermissionError', messages);
}

/** frappe.get_doc + check_permission: 404 first, then the permission check. */
export function loadDoc(ctx: DocContext, doctype: string, name: string, ptype: Ptype = 'read'): Doc {
  const meta = requireMeta(ctx, doctype);
  const doc = meta.istable ? undefined : ctx.store.get(doctype, name);
  if (!doc) throw notFound(doctype, name);
  if (!canAccessDoc(ctx.user, doctype, ptype, doc)) throw docPermissionError(ctx, doctype, doc, ptype);
  return doc;
}

/** The doc as the user may see it: a copy, permlevel-restricted fields dropped, tables emptied; optionally no nulls. */
export function present(ctx: DocContext, doc: Doc, noNulls: boolean): Doc {
  const meta = getMeta(String(doc.doctype));
  const level = maxPermlevel(ctx.user);
  const out: Doc = structuredClone(doc);
  for (const field of meta?.fields ?? []) {
    if ((field.permlevel ?? 0) <= level) continue;
    if (field.fieldtype === 'Table') out[field.fieldname] = [];
    else delete out[field.fieldname];
  }
  // ERPNext 16 added a Customer child table the seed (a 15 site) does not have.
  if (ctx.traits?.richerPayloads && doc.doctype === 'Customer') out.supplier_numbers ??= [];
  return noNulls ? dropNulls(out) : out;
}

function dropNulls(doc: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === null || v === undefined) continue;
    out[k] = Array.isArray(v) ? (v as unknown[]).map((r) => (r && typeof r === 'object' ? dropNulls(r as Doc) : r)) : v;
  }
  return out;
}

function validateValues(ctx: DocContext, meta: DocTypeDef, doc: Doc, only?: Set<string>): void {
  for (const field of meta.fields) {
    if (only && !only.has(field.fieldname)) continue;
    const value = doc[field.fieldname];
    if (value === null || value === undefined || value === '') continue;
    if (
      field.fieldtype === 'Select' &&
      field.options &&
      !field.options.startsWith('CUST') &&
      !field.options.includes('.YYYY.')
    ) {
      const options = field.options.split('\n');
      if (!options.includes(text(value))) {
        const list = options
          .filter(Boolean)
          .map((o) => `"${o}"`)
          .join(', ');
        throw thrown('ValidationError', ` ${field.label} cannot be "${text(value)}". It should be one of ${list}`);
      }
    }
    if (
      field.fieldtype === 'Link' &&
      field.options &&
      getMeta(field.options) &&
      !ctx.store.get(field.options, text(value))
    ) {
      throw thrown('LinkValidationError', `Could not find ${field.label}: ${text(value)}`);
    }
  }
}

function checkMandatory(meta: DocTypeDef, doc: Doc): void {
  const missing = meta.fields.filter(
    (f) =>
      f.reqd &&
      f.fieldtype !== 'Table' &&
      (doc[f.fieldname] === null || doc[f.fieldname] === undefined || doc[f.fieldname] === ''),
  );
  if (missing.length > 0) {
    throw new FrappeError('MandatoryError', [
      { message: `Error: Value missing for ${meta.name}: ${missing.map((f) => f.label).join(', ')}`, title: 'Message' },
    ]);
  }
}

function nextSeriesName(store: Store, doctype: string, prefix: string): string {
  let max = 0;
  for (const d of store.list(doctype)) {
    const name = String(d.name);
    if (!name.startsWith(prefix)) continue;
    const n = Number(name.slice(prefix.length, prefix.length + 5));
    if (Number.isFinite(n)) max = Math.max(max, n);
  }
  return `${prefix}${String(max + 1).padStart(5, '0')}`;
}

function amendedName(store: Store, doctype: string, from: string): string {
  const base = from.replace(/-\d+$/, (m) => (from.split('-').length > 4 ? '' : m));
  let n = 1;
  while (store.get(doctype, `${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

function duplicate(doctype: string, name: string): FrappeError {
  return new FrappeError('DuplicateEntryError', [
    { message: `${doctype} <strong>${name}</strong> already exists`, title: 'Duplicate Name', indicator: 'red' },
  ]);
}

/** Applies Frappe's naming for a new doc; may add a note (Customer renames instead of failing). */
function assignName(ctx: DocContext, meta: DocTypeDef, doc: Doc, notes: ServerMessage[]): void {
  const store = ctx.store;
  if (meta.name === 'Customer') {
    const wanted = String(doc.customer_name);
    let name = wanted;
    for (let n = 1; store.get('Customer', name); n += 1) name = `${wanted} - ${n}`;
    if (name !== wanted) {
      notes.push({
        message: `Changed customer name to '${name}' as '${wanted}' already exists.`,
        title: 'Note',
        indicator: 'yellow',
      });
    }
    doc.name = name;
  } else if (meta.autoname.startsWith('field:')) {
    const name = text(doc[meta.autoname.slice(6)] ?? doc.name ?? '');
    if (store.get(meta.name, name)) throw duplicate(meta.name, name);
    doc.name = name;
  } else if (meta.autoname === 'naming_series:' && typeof doc.amended_from === 'string' && doc.amended_from) {
    doc.name = amendedName(store, meta.name, doc.amended_from);
  } else if (meta.autoname === 'naming_series:') {
    const series = text(doc.naming_series ?? '');
    const date = typeof doc.transaction_date === 'string' ? doc.transaction_date : store.today();
    doc.name = nextSeriesName(store, meta.name, series.replace('.YYYY.', date.slice(0, 4)));
  } else if (typeof doc.name !== 'string' || !doc.name) {
    doc.name = store.hashName();
  }
}

function validateSalesOrder(ctx: DocContext, doc: Doc): void {
  const items = doc.items;
  // ERPNext crashes on an empty table before validating it (recorded 500 TypeError).
  if (!Array.isArray(items) || items.length === 0) throw new FrappeError('TypeError');
  (items as Doc[]).forEach((row, i) => {
    const code = String(row.item_code);
    if (ctx.store.get('Item', code)) return;
    // ERPNext 16 validates the link per row first (417); 15 fails loading the Item (404).
    if (ctx.traits?.modernMessages)
      throw thrown('LinkValidationError', `Could not find Row #${i + 1}: Item Code: ${code}`);
    throw notFound('Item', code);
  });
  if (!doc.delivery_date) throw thrown('ValidationError', 'Please enter Delivery Date');
}

function prepareChildren(ctx: DocContext, meta: DocTypeDef, doc: Doc, stamp: string): void {
  for (const t of tableFields(meta)) {
    const rows = Array.isArray(doc[t.fieldname]) ? (doc[t.fieldname] as Doc[]) : [];
    doc[t.fieldname] = rows.map((r, i) => {
      const row = buildDoc(String(t.options), { ...r, name: r.name ?? ctx.store.hashName() });
      Object.assign(row, {
        owner: doc.owner,
        creation: r.creation ?? stamp,
        modified: stamp,
        modified_by: ctx.user,
        docstatus: doc.docstatus,
        idx: i + 1,
        parent: doc.name,
        parentfield: t.fieldname,
        parenttype: meta.name,
      });
      return row;
    });
  }
}

function computed(ctx: DocContext, doc: Doc): void {
  if (doc.doctype === 'Sales Order') soComputed(ctx.store, doc);
}

export interface InsertResult {
  doc: Doc;
  notes: ServerMessage[];
}

/** doc.insert() (and submit when docstatus 1 is posted: ERPNext then leaves `status` at Draft, as recorded). */
export function insertDoc(ctx: DocContext, doctype: string, values: Doc): InsertResult {
  const meta = requireMeta(ctx, doctype);
  if (access(ctx.user, doctype, 'create') === 'none') {
    throw new FrappeError('PermissionError', [{ message: roleMessage(ctx.user, doctype), title: 'Message' }], {
      _error_message: `No permission for ${doctype}`,
    });
  }
  const clean = Object.fromEntries(
    Object.entries(values).filter(([k]) => !['doctype', 'owner', 'creation', 'modified', 'modified_by'].includes(k)),
  );
  const wantSubmit = Number(clean.docstatus ?? 0) === 1;
  const doc = buildDoc(doctype, { ...clean, name: clean.name ?? null, owner: ctx.user, docstatus: 0 });
  if (doctype === 'Customer' && !doc.customer_type) doc.customer_type = 'Company';
  if (doctype === 'ToDo') doc.date ??= ctx.store.today();
  // ERPNext 16's Customer.autoname strips customer_name before the mandatory check: AttributeError on None.
  if (doctype === 'Customer' && ctx.traits?.modernMessages && (doc.customer_name ?? null) === null)
    throw new FrappeError('AttributeError');
  checkMandatory(meta, { ...doc, naming_series: doc.naming_series ?? 'x', order_type: doc.order_type ?? 'Sales' });
  validateValues(ctx, meta, doc);
  if (doctype === 'Sales Order') validateSalesOrder(ctx, doc);
  const notes: ServerMessage[] = [];
  assignName(ctx, meta, doc, notes);
  const stamp = ctx.store.timestamp();
  Object.assign(doc, { creation: stamp, modified: stamp, modified_by: ctx.user });
  prepareChildren(ctx, meta, doc, stamp);
  computed(ctx, doc);
  if (wantSubmit && meta.is_submittable) setDocstatus(doc, 1);
  ctx.store.put(doctype, doc);
  return { doc, notes };
}

function setDocstatus(doc: Doc, docstatus: number): void {
  doc.docstatus = docstatus;
  for (const value of Object.values(doc)) {
    if (Array.isArray(value))
      for (const row of value as Doc[]) if (row && typeof row === 'object') row.docstatus = docstatus;
  }
}

/** The refusal of a save based on a stale `modified`; 16 names the document in it. */
export function staleDocument(ctx: DocContext, doctype: string, doc: Doc, sent: unknown): FrappeError {
  const what = ctx.traits?.modernMessages ? `${text(doc.name)} (${doctype})` : 'Document';
  return thrown(
    'TimestampMismatchError',
    `Error: ${what} has been modified after you have opened it (${text(doc.modified)}, ${text(sent)}). Please refresh to get the latest document.`,
  );
}

function checkModified(ctx: DocContext, doctype: string, doc: Doc, sent: unknown): void {
  if (sent === undefined || sent === null || sent === '') return;
  if (text(sent) !== text(doc.modified)) throw staleDocument(ctx, doctype, doc, sent);
}

function touch(ctx: DocContext, doc: Doc): void {
  const stamp = ctx.store.timestamp();
  doc.modified = stamp;
  doc.modified_by = ctx.user;
  for (const value of Object.values(doc)) {
    if (Array.isArray(value))
      for (const row of value as Doc[]) if (row && typeof row === 'object') row.modified = stamp;
  }
}

const STATUS_ON_SUBMIT: Record<string, string> = { 'Sales Order': 'To Deliver and Bill', 'Sales Invoice': 'Unpaid' };

export function submitDoc(ctx: DocContext, doc: Doc): Doc {
  const doctype = String(doc.doctype);
  if (!canAccessDoc(ctx.user, doctype, 'submit', doc)) throw docPermissionError(ctx, doctype, doc, 'submit');
  if (Number(doc.docstatus) === 2) throw thrown('ValidationError', 'Cannot edit cancelled document');
  if (Number(doc.docstatus) === 0) {
    setDocstatus(doc, 1);
    const status = STATUS_ON_SUBMIT[doctype];
    if (status) doc.status = status;
  }
  touch(ctx, doc);
  return doc;
}

export function cancelDoc(ctx: DocContext, doc: Doc): Doc {
  const doctype = String(doc.doctype);
  if (!canAccessDoc(ctx.user, doctype, 'cancel', doc)) throw docPermissionError(ctx, doctype, doc, 'cancel');
  // Cancelling anything but a submitted doc is a bare ValidationError (no message), as recorded.
  if (Number(doc.docstatus) !== 1) throw new FrappeError('ValidationError');
  setDocstatus(doc, 2);
  if ('status' in doc) doc.status = 'Cancelled';
  touch(ctx, doc);
  return doc;
}

/** doc.update(values); doc.save(): optimistic lock on `modified`, docstatus transitions, update-after-submit rules. */
export function updateDoc(ctx: DocContext, doctype: string, name: string, values: Doc): Doc {
  const meta = requireMeta(ctx, doctype);
  const doc = meta.istable ? undefined : ctx.store.get(doctype, name);
  if (!doc) throw notFound(doctype, name);
  if (!canAccessDoc(ctx.user, doctype, 'write', doc)) throw docPermissionError(ctx, doctype, doc, 'write');
  checkModified(ctx, doctype, doc, values.modified);
  const changes = Object.fromEntries(
    Object.entries(values).filter(
      ([k]) => !['name', 'doctype', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx'].includes(k),
    ),
  );
  const current = Number(doc.docstatus);
  const target = values.docstatus === undefined ? current : Number(values.docstatus);
  if (current === 2) throw thrown('ValidationError', 'Cannot edit cancelled document');
  if (current === 1) {
    for (const [k, v] of Object.entries(changes)) {
      const field = meta.fields.find((f) => f.fieldname === k);
      if (!field || field.allow_on_submit || field.fieldtype === 'Table') continue;
      if (compareValues(doc[k], v) !== 0) {
        throw thrown(
          'UpdateAfterSubmitError',
          ` Not allowed to change <strong>${field.label}</strong> after submission from <strong>${String(doc[k])}</strong> to <strong>${String(v)}</strong>`,
          'Cannot Update After Submit',
        );
      }
    }
  }
  const draft: Doc = { ...doc, ...changes };
  validateValues(ctx, meta, draft, new Set(Object.keys(changes)));
  if (doctype === 'Sales Order' && 'items' in changes) validateSalesOrder(ctx, draft);
  Object.assign(doc, changes);
  if ('items' in changes || Object.keys(changes).some((k) => tableFields(meta).some((t) => t.fieldname === k))) {
    prepareChildren(ctx, meta, doc, ctx.store.timestamp());
  }
  computed(ctx, doc);
  if (current === 0 && target === 1) return submitDoc(ctx, doc);
  if (current === 1 && target === 2) return cancelDoc(ctx, doc);
  touch(ctx, doc);
  return doc;
}

function linkedDocs(store: Store, doctype: string, name: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const meta of allMetas()) {
    const links = meta.fields.filter((f) => f.fieldtype === 'Link' && f.options === doctype);
    if (links.length === 0 || meta.istable) continue;
    for (const d of store.list(meta.name)) {
      if (Number(d.docstatus) === 2 || d.name === name) continue;
      if (links.some((f) => d[f.fieldname] === name)) found.push([meta.name, String(d.name)]);
    }
  }
  return found;
}

const slug = (doctype: string): string => doctype.toLowerCase().replace(/ /g, '-');

/** frappe.delete_doc: permission, submitted check, link check (LinkExistsError lists the first linked doc). */
export function deleteDoc(ctx: DocContext, doctype: string, name: string): void {
  const meta = requireMeta(ctx, doctype);
  const doc = meta.istable ? undefined : ctx.store.get(doctype, name);
  // A missing doc is a bare 404 on delete (recorded for a re-DELETE).
  if (!doc) throw new FrappeError('DoesNotExistError');
  if (!canAccessDoc(ctx.user, doctype, 'delete', doc)) throw docPermissionError(ctx, doctype, doc, 'delete');
  if (Number(doc.docstatus) === 1) {
    throw thrown(
      'ValidationError',
      `${doctype} ${name}: Submitted Record cannot be deleted. You must <a href='https://docs.erpnext.com//docs/user/manual/en/setting-up/articles/delete-submitted-document' target='_blank'> Cancel </a> it first.`,
    );
  }
  const linked = linkedDocs(ctx.store, doctype, name)[0];
  if (linked) {
    const [ldt, lname] = linked;
    const link = (dt: string, n: string): string =>
      `<a href="${ctx.baseUrl}${ctx.traits?.deskPath ?? '/app'}/${slug(dt)}/${encodeURIComponent(n)}">${n}</a>`;
    const messages: ServerMessage[] = [
      {
        message: `Cannot delete or cancel because ${doctype} ${link(doctype, name)} is linked with ${ldt} ${link(ldt, lname)} `,
        title: 'Message',
        indicator: 'red',
        raise: true,
      },
    ];
    if (doctype === 'Customer') {
      messages.push({
        message: `You can disable this ${doctype} instead of deleting it.`,
        title: 'Message',
        indicator: 'red',
        raise: true,
      });
    }
    throw new FrappeError('LinkExistsError', messages);
  }
  ctx.store.remove(doctype, name);
}
