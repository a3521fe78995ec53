import { sha256 } from './crypto.js';
import { OAuthError } from './errors.js';
import { parseScope } from './scopes.js';
import type { Grant, RefreshRecord, TokenResponse } from './types.js';
import type { BasicCredentials, FacadeCore, Params } from './core.js';

/** refresh_token grant: rotation with reuse detection (RFC 6749 §6, OAuth 2.1 §4.3.1). */
export async function refreshGrant(c: FacadeCore, p: Params, basic?: BasicCredentials): Promise<TokenResponse> {
  if (!p.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
  const client = await c.authenticateClient(p, basic);
  const hash = sha256(p.refresh_token);
  const unknown = async (): Promise<never> => {
    const used = await c.o.kv.get<{ grantId: string }>(`rtused:${hash}`);
    if (used) {
      await c.revokeGrant(used.grantId, 'refresh token reused');
      throw new OAuthError(
        'invalid_grant',
        'This refresh token was already used; as a precaution the whole authorization is revoked. Sign in again.',
      );
    }
    throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');
  };
  const rec = await c.o.kv.get<RefreshRecord>(`rt:${hash}`);
  if (!rec) return unknown();
  if (rec.clientId !== client.client_id) {
    await c.o.kv.delete(`rt:${hash}`);
    await c.revokeGrant(rec.grantId, 'refresh token presented by another client');
    throw new OAuthError('invalid_grant', 'The refresh token was issued to another client.');
  }
  // A request that is refused for what it asks (resource, scope) leaves the token unspent, so the
  // client can retry properly without its retry looking like reuse (which revokes everything).
  c.checkResource(p.resource, rec.resource);
  const asked = parseScope(p.scope);
  if (asked.some((s) => !rec.scopes.includes(s)))
    throw new OAuthError('invalid_scope', 'A refresh cannot add scopes that were not granted.');
  // Spent atomically only now: of two concurrent refreshes with one token, the second is reuse.
  if (!(await c.o.kv.take<RefreshRecord>(`rt:${hash}`))) return unknown();
  await c.o.kv.set(`rtused:${hash}`, { grantId: rec.grantId }, c.refreshTtl);
  const grant = await c.o.kv.get<Grant>(`grant:${rec.grantId}`);
  if (!grant) throw new OAuthError('invalid_grant', 'The authorization was revoked. Sign in again.');
  await c.o.kv.set(`grant:${grant.id}`, grant, c.refreshTtl);
  await c.touchClient(client);
  return c.mint(grant, asked.length ? asked : rec.scopes);
}
