import { displayText } from './display-text.js';
import { randomToken, sha256 } from './crypto.js';
import { OAuthError } from './errors.js';
import { redirectUriProblem } from './redirect.js';
import { parseScope, SCOPES_SUPPORTED } from './scopes.js';
import type { ClientRecord, TokenEndpointAuthMethod } from './types.js';
import type { FacadeCore } from './core.js';

/** Bounds on what an unauthenticated registration may store. */
const MAX_REDIRECT_URIS = 10;
const MAX_REDIRECT_URI_LENGTH = 1024;

/** RFC 7591 registration; the whole set of redirect URIs is accepted or refused together. */
export async function registerClient(c: FacadeCore, body: unknown): Promise<Record<string, unknown>> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new OAuthError('invalid_client_metadata', 'The registration request must be a JSON object.');
  const m = body as Record<string, unknown>;
  const uris = m.redirect_uris;
  if (!Array.isArray(uris) || !uris.length || uris.some((u) => typeof u !== 'string'))
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be a non-empty array of URLs.');
  if (uris.length > MAX_REDIRECT_URIS)
    throw new OAuthError('invalid_redirect_uri', `At most ${MAX_REDIRECT_URIS} redirect_uris may be registered.`);
  if ((uris as string[]).some((u) => u.length > MAX_REDIRECT_URI_LENGTH))
    throw new OAuthError(
      'invalid_redirect_uri',
      `A redirect URI may be at most ${MAX_REDIRECT_URI_LENGTH} characters long.`,
    );
  const problems = (uris as string[]).map((u) => redirectUriProblem(u, c.o.extraRedirects)).filter(Boolean);
  if (problems.length)
    throw new OAuthError(
      'invalid_redirect_uri',
      `The registration was refused as a whole because ${problems.length === 1 ? 'one redirect URI is' : 'some redirect URIs are'} not allowed: ${problems.join('; ')}.`,
    );
  const method = (m.token_endpoint_auth_method ?? 'none') as TokenEndpointAuthMethod;
  if (!['none', 'client_secret_post', 'client_secret_basic'].includes(method))
    throw new OAuthError(
      'invalid_client_metadata',
      'token_endpoint_auth_method must be none, client_secret_post or client_secret_basic.',
    );
  const grantTypes = strings(m.grant_types) ?? ['authorization_code', 'refresh_token'];
  if (grantTypes.some((g) => g !== 'authorization_code' && g !== 'refresh_token'))
    throw new OAuthError('invalid_client_metadata', 'grant_types may hold only authorization_code and refresh_token.');
  const responseTypes = strings(m.response_types) ?? ['code'];
  if (responseTypes.some((r) => r !== 'code'))
    throw new OAuthError('invalid_client_metadata', 'response_types may hold only code.');
  if (m.scope !== undefined && typeof m.scope !== 'string')
    throw new OAuthError('invalid_client_metadata', 'scope must be a string.');
  const now = Math.floor(c.o.now() / 1000);
  const client: ClientRecord = {
    client_id: randomToken('fmcp_c_', 18),
    redirect_uris: uris as string[],
    token_endpoint_auth_method: method,
    grant_types: grantTypes,
    response_types: responseTypes,
    client_id_issued_at: now,
  };
  for (const k of [
    'client_name',
    'client_uri',
    'logo_uri',
    'software_id',
    'software_version',
    'application_type',
  ] as const) {
    const v = m[k];
    const text = typeof v === 'string' ? displayText(v, k === 'client_name' ? 200 : 500) : '';
    if (text) client[k] = text;
  }
  const scope = parseScope(m.scope).filter((s) => (SCOPES_SUPPORTED as readonly string[]).includes(s));
  if (scope.length) client.scope = scope.join(' ');
  let secret: string | undefined;
  if (method !== 'none') {
    secret = randomToken('fmcp_cs_', 32);
    client.secret_hash = sha256(secret);
    client.client_secret_expires_at = 0;
  }
  // Kept for a day until the client completes a sign-in (touchClient then keeps it for clientTtlDays).
  await c.o.kv.set(`client:${client.client_id}`, client, c.o.unusedClientTtlSeconds);
  c.o.logger.info({ clientId: client.client_id, name: client.client_name }, 'oauth client registered');
  const { secret_hash: _h, ...echo } = client;
  return secret ? { ...echo, client_secret: secret } : echo;
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new OAuthError('invalid_client_metadata', 'grant_types and response_types must be arrays of strings.');
  return v as string[];
}
