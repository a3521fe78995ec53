import { isValidVerifier, s256, safeEqual, sha256 } from './crypto.js';
import { OAuthError } from './errors.js';
import type { CodeRecord, Grant, TokenResponse } from './types.js';
import type { BasicCredentials, FacadeCore, Params } from './core.js';

/** authorization_code grant: PKCE S256, one use per code, the client and redirect it was issued for. */
export async function exchangeCode(c: FacadeCore, p: Params, basic?: BasicCredentials): Promise<TokenResponse> {
  if (!p.code) throw new OAuthError('invalid_request', 'code is required.');
  if (!p.code_verifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE).');
  if (!isValidVerifier(p.code_verifier)) throw new OAuthError('invalid_grant', 'The code_verifier is malformed.');
  const client = await c.authenticateClient(p, basic);
  const hash = sha256(p.code);
  const rec = await c.o.kv.take<CodeRecord>(`code:${hash}`);
  if (!rec) {
    // A code presented twice: the tokens issued for it are revoked too (RFC 6749 §4.1.2).
    const used = await c.o.kv.get<{ grantId: string }>(`codeused:${hash}`);
    if (used) {
      await c.revokeGrant(used.grantId, 'authorization code reused');
      throw new OAuthError(
        'invalid_grant',
        'The authorization code was already used; the tokens issued for it are revoked.',
      );
    }
    throw new OAuthError('invalid_grant', 'The authorization code is invalid or expired.');
  }
  await c.o.kv.set(`codeused:${hash}`, { grantId: rec.grantId }, Math.max(c.o.codeTtlSeconds, 600));
  const refuse = async (description: string): Promise<never> => {
    await c.revokeGrant(rec.grantId, description);
    throw new OAuthError('invalid_grant', description);
  };
  if (rec.clientId !== client.client_id) return refuse('The authorization code was issued to another client.');
  // RFC 6749 §4.1.3: required (and must match) only when the authorization request carried it.
  const sent = rec.redirectUriSent !== false;
  if (sent ? p.redirect_uri !== rec.redirectUri : p.redirect_uri !== undefined && p.redirect_uri !== rec.redirectUri)
    return refuse(
      sent && p.redirect_uri === undefined
        ? 'redirect_uri is required: the authorization request carried one.'
        : 'redirect_uri differs from the one in the authorization request.',
    );
  if (!safeEqual(s256(p.code_verifier), rec.challenge))
    return refuse('The code_verifier does not match the code_challenge.');
  if (p.resource !== undefined && !c.resourceMatches(p.resource, rec.resource)) {
    await c.revokeGrant(rec.grantId, 'foreign resource');
    throw new OAuthError('invalid_target', `This grant is for ${rec.resource}, not ${p.resource}.`);
  }
  const grant = await c.o.kv.get<Grant>(`grant:${rec.grantId}`);
  if (!grant) throw new OAuthError('invalid_grant', 'The authorization was revoked.');
  await c.touchClient(client);
  c.o.logger.info({ user: grant.user, clientId: client.client_id }, 'oauth tokens issued');
  return c.mint(grant, rec.scopes);
}
