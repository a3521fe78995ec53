import type { Principal } from '../auth/types.js';
import type { FrappeClient } from '../frappe/client.js';
import { FrappeError } from '../frappe/errors.js';

/**
 * Full name and roles, asked of Frappe as the caller. Identity checks skip this (one cheap call
 * confirms a credential); whoami pays for it only once per confirmed identity: the answer is written
 * onto the principal, which is the object the identity cache holds, so it lives and expires with the
 * identity (same TTL, same eviction on a 401) and a warm whoami asks Frappe nothing. A refusal leaves
 * a field empty (and is asked again next time), while a dead credential still surfaces as an error.
 */
export function loadProfile(frappe: FrappeClient, principal: Principal): Promise<Profile> {
  if (principal.roles) return Promise.resolve(known(principal));
  // Concurrent first requests of one identity share one read (no caller signal: the answer is shared).
  let pending = inflight.get(principal);
  if (!pending) {
    pending = readProfile(frappe, principal).finally(() => inflight.delete(principal));
    inflight.set(principal, pending);
  }
  return pending;
}

type Profile = { fullName?: string; roles?: string[] };

const inflight = new WeakMap<Principal, Promise<Profile>>();

function known(principal: Principal): Profile {
  return {
    ...(principal.fullName ? { fullName: principal.fullName } : {}),
    ...(principal.roles ? { roles: principal.roles } : {}),
  };
}

async function readProfile(frappe: FrappeClient, principal: Principal): Promise<Profile> {
  const soft = <T>(p: Promise<T>): Promise<T | undefined> =>
    p.catch((err: unknown) => {
      if (err instanceof FrappeError && (err.credentialRejected || err.isOutage)) throw err;
      return undefined;
    });
  const [roles, fullName] = await Promise.all([
    soft(frappe.call<unknown>('frappe.core.doctype.user.user.get_roles', { uid: principal.user })),
    principal.fullName
      ? Promise.resolve(principal.fullName)
      : soft(
          frappe.call<unknown>('frappe.client.get_value', {
            doctype: 'User',
            filters: JSON.stringify({ name: principal.user }),
            fieldname: 'full_name',
          }),
        ),
  ]);
  const name =
    typeof fullName === 'string'
      ? fullName
      : fullName && typeof fullName === 'object'
        ? (fullName as { full_name?: unknown }).full_name
        : undefined;
  if (typeof name === 'string' && name) principal.fullName = name;
  if (Array.isArray(roles)) principal.roles = roles.filter((r): r is string => typeof r === 'string');
  return known(principal);
}
