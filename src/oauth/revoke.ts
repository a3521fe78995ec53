import { sha256 } from './crypto.js';
import { OAuthError } from './errors.js';
import type { AccessRecord, RefreshRecord } from './types.js';
import type { BasicCredentials, FacadeCore, Params } from './core.js';

/** RFC 7009: revoking either token ends the whole authorization (and the Frappe token behind it). */
export async function revokeToken(c: FacadeCore, p: Params, basic?: BasicCredentials): Promise<void> {
  if (!p.token) throw new OAuthError('invalid_request', 'token is required.');
  const client = await c.authenticateClient(p, basic);
  const hash = sha256(p.token);
  const rec = (await c.o.kv.get<AccessRecord>(`at:${hash}`)) ?? (await c.o.kv.get<RefreshRecord>(`rt:${hash}`));
  if (!rec || rec.clientId !== client.client_id) return;
  await c.revokeGrant(rec.grantId, 'revoked by the client');
}
