import { randomInt } from 'node:crypto';
import { randomToken, s256, sha256 } from './crypto.js';
import { redirectMatches } from './redirect.js';
import { parseScope, SCOPES_SUPPORTED } from './scopes.js';
import type { AuthorizeOutcome, ClientRecord, PendingAuthorization } from './types.js';
import { PENDING_SECONDS, type FacadeCore, type Params } from './core.js';

const MAX_STATE_LENGTH = 1024;

/** `ip` is the browser's address: it bounds how many unsigned sign-ins one address keeps waiting. */
export async function startAuthorization(c: FacadeCore, q: Params, ip: string): Promise<AuthorizeOutcome> {
  const clientId = q.client_id;
  if (!clientId) return { kind: 'error-page', status: 400, message: 'The request names no client_id.' };
  let client: ClientRecord | undefined;
  try {
    client = await c.client(clientId);
  } catch (err) {
    return { kind: 'error-page', status: 400, message: (err as Error).message };
  }
  if (!client)
    return {
      kind: 'error-page',
      status: 400,
      message: 'This client is not registered (or its registration expired).',
    };
  const redirectUri = q.redirect_uri ?? (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
  if (!redirectUri || !redirectMatches(client.redirect_uris, redirectUri))
    return { kind: 'error-page', status: 400, message: 'The redirect_uri is not registered for this client.' };
  const fail = (error: string, description: string): AuthorizeOutcome => ({
    kind: 'redirect',
    location: c.clientRedirect(redirectUri, { error, error_description: description, state: q.state }),
  });
  if (q.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (!q.code_challenge || !/^[A-Za-z0-9\-._~]{43,128}$/.test(q.code_challenge))
    return fail('invalid_request', 'PKCE is required: send code_challenge (S256).');
  if (q.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
  if (q.state !== undefined && q.state.length > MAX_STATE_LENGTH)
    return fail('invalid_request', `state may be at most ${MAX_STATE_LENGTH} characters long.`);
  const requested = parseScope(q.scope);
  const unknown = requested.filter((s) => !(SCOPES_SUPPORTED as readonly string[]).includes(s));
  if (unknown.length) return fail('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
  // A client that registered a scope may ask for no more than it (RFC 7591 §2); asking for nothing means all of it.
  const allowed = client.scope ? parseScope(client.scope) : [...SCOPES_SUPPORTED];
  const beyond = requested.filter((s) => !allowed.includes(s));
  if (beyond.length) return fail('invalid_scope', `This client registered no ${beyond.join(' ')} scope.`);
  const scopes = requested.length ? requested : allowed;
  if (q.resource !== undefined && !c.resourceMatches(q.resource, c.o.resource))
    return fail('invalid_target', `This server only issues tokens for ${c.o.resource}.`);
  if (!c.o.upstream.configured) {
    c.o.logger.warn(
      'oauth sign-in refused: no Frappe OAuth client configured (OAUTH_FRAPPE_CLIENT_ID, or OAUTH_FRAPPE_ADMIN_API_KEY/SECRET to create one)',
    );
    return {
      kind: 'error-page',
      status: 503,
      message:
        'Sign-in is not set up on this gateway: the operator must configure a Frappe OAuth client (oauth.frappe_client.client_id, or an admin API key to create one).',
    };
  }
  const frappeVerifier = randomToken('', 48);
  const pending: PendingAuthorization = {
    clientId: client.client_id,
    clientName: client.client_name ?? client.client_id,
    redirectUri,
    redirectUriSent: q.redirect_uri !== undefined,
    challenge: q.code_challenge,
    scopes,
    resource: c.o.resource,
    frappeVerifier,
    ...(q.state !== undefined ? { state: q.state } : {}),
  };
  const txId = randomToken('', 24);
  const slot = await claimPendingSlot(c, ip, txId);
  if (!slot) {
    c.o.logger.warn({ ip }, 'oauth sign-in refused: too many sign-ins waiting from this address');
    return {
      kind: 'error-page',
      status: 429,
      message: 'Too many sign-ins are waiting from your network. Finish one, or try again in a few minutes.',
    };
  }
  pending.slot = slot;
  await c.o.kv.set(`authz:${txId}`, pending, PENDING_SECONDS);
  try {
    return { kind: 'redirect', location: await c.o.upstream.authorizeUrl(txId, s256(frappeVerifier)) };
  } catch (err) {
    c.o.logger.error({ err: (err as Error).message }, 'cannot start the Frappe login');
    return { kind: 'error-page', status: 503, message: 'The Frappe sign-in could not be started. Try again later.' };
  }
}

/**
 * One of `pendingPerIp` slots per address, each held until its sign-in returns or expires: `add`
 * is atomic in every store, so concurrent requests cannot overfill them.
 */
async function claimPendingSlot(c: FacadeCore, ip: string, txId: string): Promise<string | undefined> {
  const cap = c.o.pendingPerIp;
  const who = sha256(ip).slice(0, 32);
  const start = randomInt(cap);
  for (let i = 0; i < cap; i++) {
    const key = `authzip:${who}:${(start + i) % cap}`;
    if (await c.o.kv.add(key, txId, PENDING_SECONDS)) return key;
  }
  return undefined;
}
