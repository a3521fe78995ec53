import { SEED_USERS } from './seed.js';
import type { Doc } from './store.js';

export type Ptype = 'read' | 'write' | 'create' | 'delete' | 'submit' | 'cancel' | 'amend';

interface Rule {
  role: string;
  perms: readonly Ptype[];
  /** "if_owner": the role only reaches documents the user owns. */
  ifOwner?: boolean;
}

const ALL: readonly Ptype[] = ['read', 'write', 'create', 'delete', 'submit', 'cancel', 'amend'];
const RW: readonly Ptype[] = ['read', 'write', 'create'];

/** Role permissions (DocPerm) for the modelled DocTypes; System Manager and Administrator reach everything. */
const RULES: Record<string, Rule[]> = {
  Customer: [
    { role: 'Sales User', perms: RW },
    { role: 'Sales Manager', perms: ALL },
  ],
  'Customer Group': [{ role: 'Sales User', perms: ['read'] }],
  Territory: [{ role: 'Sales User', perms: ['read'] }],
  Item: [
    { role: 'Sales User', perms: ['read'] },
    { role: 'Stock User', perms: ['read'] },
    { role: 'Item Manager', perms: ALL },
  ],
  'Sales Order': [
    { role: 'Sales User', perms: ALL },
    { role: 'Sales Manager', perms: ALL },
  ],
  'Sales Invoice': [
    { role: 'Accounts User', perms: ALL },
    { role: 'Accounts Manager', perms: ALL },
  ],
  Company: [
    { role: 'Sales User', perms: ['read'] },
    { role: 'Accounts User', perms: ['read'] },
  ],
  ToDo: [{ role: 'All', perms: ['read', 'write', 'create', 'delete'], ifOwner: true }],
  Report: [
    { role: 'Sales User', perms: ['read'] },
    { role: 'Accounts User', perms: ['read'] },
    { role: 'Stock User', perms: ['read'] },
    { role: 'Report Manager', perms: ALL },
  ],
  'Prepared Report': [{ role: 'Prepared Report User', perms: ['read', 'create', 'delete'] }],
  // ERPNext 15 defaults for the buying side and the groups people name (see meta-buying.ts).
  Supplier: [
    { role: 'Purchase User', perms: RW },
    { role: 'Purchase Manager', perms: ALL },
    { role: 'Accounts User', perms: ['read'] },
  ],
  'Supplier Group': [{ role: 'Purchase User', perms: ['read'] }],
  'Item Group': [
    { role: 'Sales User', perms: ['read'] },
    { role: 'Purchase User', perms: ['read'] },
    { role: 'Item Manager', perms: ALL },
  ],
  Country: [{ role: 'All', perms: ['read'] }],
  'Purchase Order': [
    { role: 'Purchase User', perms: ALL },
    { role: 'Purchase Manager', perms: ALL },
  ],
  'Purchase Invoice': [
    { role: 'Accounts User', perms: ALL },
    { role: 'Accounts Manager', perms: ALL },
  ],
  'Sales Visit': [{ role: 'Sales User', perms: RW }],
};

const ROLES = new Map(SEED_USERS.map((u) => [u.name, new Set(u.roles)]));

export function rolesOf(user: string): Set<string> {
  return ROLES.get(user) ?? new Set(user === 'Guest' ? ['Guest'] : ['All', 'Guest']);
}

export function isSystemManager(user: string): boolean {
  return user === 'Administrator' || rolesOf(user).has('System Manager');
}

export type Access = 'all' | 'own' | 'none';

/** How far `user` reaches in `doctype` for `ptype`: every row, only rows they own, or none. */
export function access(user: string, doctype: string, ptype: Ptype): Access {
  if (isSystemManager(user)) return 'all';
  if (doctype === 'User') return ptype === 'read' || ptype === 'write' ? 'own' : 'none';
  const roles = rolesOf(user);
  let result: Access = 'none';
  for (const rule of RULES[doctype] ?? []) {
    if (!roles.has(rule.role) || !rule.perms.includes(ptype)) continue;
    if (!rule.ifOwner) return 'all';
    result = 'own';
  }
  return result;
}

/** Whether the row is within reach (owner check for if_owner roles; User docs are their own "owner"). */
export function canAccessDoc(user: string, doctype: string, ptype: Ptype, doc: Doc): boolean {
  const a = access(user, doctype, ptype);
  if (a === 'all') return true;
  if (a === 'none') return false;
  return doctype === 'User' ? doc.name === user : doc.owner === user;
}

/** Highest permlevel the user may read (System Manager: all; others: level 0 only). */
export function maxPermlevel(user: string): number {
  return isSystemManager(user) ? 9 : 0;
}
