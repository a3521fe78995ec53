import type { Authenticated } from '../auth/chain.js';
import type { Principal } from '../auth/types.js';

/** Reading tools only. */
export const READ_SCOPE = 'frappe:read';
/** Tools that change data (still judged by Frappe's permissions for the user). */
export const WRITE_SCOPE = 'frappe:write';
export const SCOPES_SUPPORTED = [READ_SCOPE, WRITE_SCOPE] as const;

/**
 * May this caller use tools that are not read-only? Credentials that carry no scopes (a Frappe
 * session, an API key, a Frappe bearer) are limited by Frappe alone; a token this gateway minted is
 * limited by the scopes the user granted.
 */
export function hasWriteScope(auth: Authenticated | Principal): boolean {
  const scopes = 'principal' in auth ? auth.principal.scopes : auth.scopes;
  return scopes === undefined || scopes.includes(WRITE_SCOPE);
}

/** Splits a space-delimited scope parameter; duplicates dropped, order kept. */
export function parseScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}
