import type { Principal } from '../auth/types.js';
import type { FrappeClient } from '../frappe/client.js';
import { FrappeError } from '../frappe/errors.js';

/**
 * Full name and roles, asked of Frappe as the caller. Identity checks skip this (one cheap call
 * confirms a credential); whoami pays for it only when asked. A refusal leaves a field empty, while
 * a dead credential still surfaces as an error.
 */
export async function loadProfile(
  frappe: FrappeClient,
  principal: Principal,
  signal?: AbortSignal,
): Promise<{ fullName?: string; roles?: string[] }> {
  const soft = <T>(p: Promise<T>): Promise<T | undefined> =>
    p.catch((err: unknown) => {
      if (err instanceof FrappeError && (err.credentialRejected || err.isOutage)) throw err;
      return undefined;
    });
  const [roles, fullName] = await Promise.all([
    soft(frappe.call<unknown>('frappe.core.doctype.user.user.get_roles', { uid: principal.user }, { signal })),
    principal.fullName
      ? Promise.resolve(principal.fullName)
      : soft(
          frappe.call<unknown>(
            'frappe.client.get_value',
            { doctype: 'User', filters: JSON.stringify({ name: principal.user }), fieldname: 'full_name' },
            { signal },
          ),
        ),
  ]);
  const name =
    typeof fullName === 'string'
      ? fullName
      : fullName && typeof fullName === 'object'
        ? (fullName as { full_name?: unknown }).full_name
        : undefined;
  return {
    ...(typeof name === 'string' && name ? { fullName: name } : {}),
    ...(Array.isArray(roles) ? { roles: roles.filter((r): r is string => typeof r === 'string') } : {}),
  };
}
