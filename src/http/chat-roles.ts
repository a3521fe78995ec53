import type { RequestHandler } from 'express';
import type { Authenticated } from '../auth/chain.js';
import { FrappeError } from '../frappe/errors.js';
import { sendAuthError, type ChallengeOptions } from './authenticate.js';
import { AuthError } from '../auth/errors.js';
import { sendError } from './errors.js';

/** Where a caller's roles are kept: beside the confirmed identity in the identity cache. */
export interface RoleStore {
  /** The roles cached with this identity, if known. */
  get(auth: Authenticated): string[] | undefined;
  /** Keep roles with the identity, so they cost one Frappe call per cached identity. */
  set(auth: Authenticated, roles: string[]): void;
  /** One key per cached identity, to share a lookup between concurrent first requests. */
  key(auth: Authenticated): string;
}

/**
 * Admission to /api/v1/chat by Frappe role (config chat.allowed_roles, env CHAT_ALLOWED_ROLES). This
 * only decides who may use the assistant at all; what each answer may read stays Frappe's decision.
 * Roles come with the identity when Frappe gave them (OAuth userinfo); otherwise they are asked once,
 * as the caller (get_roles), and cached with the identity. An empty list, or "*" (an empty environment
 * variable means unset), admits every signed-in user.
 */
export function chatRoleGuard(
  allowed: readonly string[],
  store: RoleStore,
  challenge: ChallengeOptions,
): RequestHandler {
  const inflight = new Map<string, Promise<string[]>>();
  const anyone = allowed.length === 0 || allowed.includes('*');

  const rolesOf = (auth: Authenticated): Promise<string[]> => {
    const known = store.get(auth) ?? auth.principal.roles;
    if (known) return Promise.resolve(known);
    const key = store.key(auth);
    let pending = inflight.get(key);
    if (!pending) {
      pending = auth.frappe
        .call<unknown>('frappe.core.doctype.user.user.get_roles', { uid: auth.principal.user })
        .then((value) => {
          const roles = Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
          store.set(auth, roles);
          return roles;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  };

  return (_req, res, next) => {
    if (anyone) return next();
    const auth = res.locals.auth as Authenticated;
    rolesOf(auth).then(
      (roles) => {
        if (roles.some((r) => allowed.includes(r))) return next();
        sendError(
          res,
          403,
          'role_required',
          `Your account may not use the AI assistant: it needs the role ${allowed
            .map((r) => `"${r}"`)
            .join(' or ')}. Ask your administrator to give you the role.`,
        );
      },
      (err: unknown) => {
        if (err instanceof FrappeError && err.credentialRejected) {
          return sendAuthError(
            res,
            new AuthError(
              401,
              'invalid_credentials',
              'Frappe no longer accepts this credential; sign in again.',
              auth.credential.kind !== 'sid',
            ),
            challenge,
          );
        }
        if (err instanceof FrappeError) {
          return sendError(
            res,
            503,
            'roles_unavailable',
            'Frappe did not say which roles you have, so the assistant cannot let you in yet. Try again shortly.',
          );
        }
        next(err);
      },
    );
  };
}
