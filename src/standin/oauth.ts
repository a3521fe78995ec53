import { createHash, createHmac } from 'node:crypto';
import type { Reply, RequestContext } from './context.js';
import { str } from './context.js';
import { FrappeError, encodeServerMessages, notWhitelisted, roleMessage, thrown } from './errors.js';
import { s256, type TokenRecord } from './oauth-store.js';
import type { StandinState } from './state.js';
import { userinfo } from './users.js';

const M = '/api/method/frappe.integrations.oauth2';
const redirectPage = (to: string): string =>
  `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${to}">${to}</a>. If not, click the link.\n`;

/** Query re-encoded the way Frappe does it (urlencode with quote: spaces as %20). */
function encodeQuery(args: Record<string, unknown>): string {
  return Object.entries(args)
    .filter(([k]) => k !== 'sid' && k !== 'cmd')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

function oauthError(status: number, error: string, description?: string): Reply {
  const body = description === undefined ? { error } : { description, status_code: status, error };
  return { status, body, raw: true };
}

export function openidConfiguration(ctx: RequestContext): Reply {
  const base = ctx.baseUrl;
  return {
    raw: true,
    body: {
      issuer: base,
      authorization_endpoint: `${base}${M}.authorize`,
      token_endpoint: `${base}${M}.get_token`,
      userinfo_endpoint: `${base}${M}.openid_profile`,
      revocation_endpoint: `${base}${M}.revoke_token`,
      introspection_endpoint: `${base}${M}.introspect_token`,
      response_types_supported: ['code', 'token', 'code id_token', 'code token id_token', 'id_token', 'id_token token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['HS256'],
    },
  };
}

function checkAuthorizeRequest(ctx: RequestContext, state: StandinState): Reply | undefined {
  const client = state.oauth.clients.get(str(ctx.args.client_id) ?? '');
  if (!client) return oauthError(400, 'invalid_request', 'Invalid client_id parameter value.');
  const redirect = str(ctx.args.redirect_uri) ?? client.redirectUris[0];
  if (!redirect || !client.redirectUris.includes(redirect))
    return oauthError(400, 'invalid_request', 'Mismatching redirect URI.');
  const scopes = (str(ctx.args.scope) ?? '').split(' ').filter(Boolean);
  if (scopes.some((s) => !client.scopes.includes(s))) return oauthError(400, 'invalid_scope', '');
  return undefined;
}

export function authorize(ctx: RequestContext, state: StandinState): Reply {
  const query = encodeQuery(ctx.args);
  if (ctx.user === 'Guest') {
    // Werkzeug's request.url: the query as sent, with ':' and '/' unquoted.
    const sent = ctx.rawQuery.replace(/%3A/gi, ':').replace(/%2F/gi, '/');
    const self = `${ctx.baseUrl}${M}.authorize?${sent}`;
    const to = `/login?redirect-to=${encodeURIComponent(self)}`;
    return { status: 302, location: to, html: redirectPage(to) };
  }
  const bad = checkAuthorizeRequest(ctx, state);
  if (bad) return bad;
  const client = state.oauth.clients.get(String(ctx.args.client_id))!;
  const approve = `${M}.approve?${query}`;
  if (client.skipAuthorization) return { status: 302, location: approve, html: redirectPage(approve) };
  const redirect = str(ctx.args.redirect_uri) ?? client.redirectUris[0] ?? '';
  const scopes = ['All', 'Full Name', 'Email', 'User Image', 'Roles'];
  // 16 renders the consent page with the site's web template: a meta title, a sentence, one section per scope.
  const intro = ctx.traits.modernMessages
    ? `<meta name="title" content="Confirm Access">\n</head>\n<body>\n<p>${client.appName} wants to access the following details from your account</p>\n${scopes.map((s) => `<div class="portal-section">${s}</div>`).join('\n')}`
    : `</head>\n<body>\n<div class="panel-title h3">${client.appName}</div>\n<ul>\n${scopes.map((s) => `<li>${s}</li>`).join('\n')}\n</ul>`;
  const html = `<!DOCTYPE html>\n<html>\n<head>\n<title>Confirm Access</title>\n${intro}\n<script>\nfunction allow() { window.location.replace("${approve}") }\nfunction deny() { window.location.replace("${redirect}?error=access_denied") }\n</script>\n</body>\n</html>\n`;
  return { html };
}

/** Consent "Allow": the code's user comes from the user_id cookie (recorded quirk), not from the session. */
export function approve(ctx: RequestContext, state: StandinState): Reply {
  const user = ctx.cookies.user_id;
  if (user === undefined) throw new FrappeError('KeyError');
  const bad = checkAuthorizeRequest(ctx, state);
  if (bad) return bad;
  const client = state.oauth.clients.get(String(ctx.args.client_id))!;
  const redirectUri = str(ctx.args.redirect_uri) ?? client.redirectUris[0] ?? '';
  const code = state.oauth.addCode({
    clientId: client.clientId,
    user,
    scopes: (str(ctx.args.scope) ?? 'all').split(' ').filter(Boolean),
    redirectUri,
    challenge: str(ctx.args.code_challenge),
    challengeMethod: str(ctx.args.code_challenge_method),
    nonce: str(ctx.args.nonce),
  });
  const stateParam = str(ctx.args.state);
  const to = `${redirectUri}?code=${code.code}${stateParam === undefined ? '' : `&state=${encodeURIComponent(stateParam)}`}`;
  return { status: 302, location: to, html: redirectPage(to) };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** HS256 id_token signed with the client secret, claims as Frappe/oauthlib build them. */
export function idToken(rec: TokenRecord, secret: string, issuer: string, nowMs: number, nonce?: string): string {
  const iat = Math.floor(nowMs / 1000);
  const digest = createHash('sha256').update(rec.access).digest();
  const payload: Record<string, unknown> = {
    aud: rec.clientId,
    iat,
    at_hash: digest.subarray(0, 16).toString('base64url'),
    exp: iat + 3600,
    iss: issuer,
  };
  if (nonce) payload.nonce = nonce;
  Object.assign(payload, userinfo(rec.user, issuer));
  const head = `${b64url({ alg: 'HS256', typ: 'jwt' })}.${b64url(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function tokenBody(rec: TokenRecord, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_token: rec.access,
    expires_in: 3600,
    token_type: 'Bearer',
    scope: rec.scopes.join(' '),
    refresh_token: rec.refresh,
    ...extra,
  };
}

const guestNoPermission = (doctype: string): FrappeError =>
  new FrappeError('PermissionError', [{ message: roleMessage('Guest', doctype), title: 'Message' }], {
    _error_message: `No permission for ${doctype}`,
  });

export function getToken(ctx: RequestContext, state: StandinState): Reply {
  if (ctx.method === 'GET') return oauthError(400, 'invalid_request', `Unsupported request method ${ctx.method}`);
  // The token endpoint reads request.form only: a JSON body has no grant_type.
  const form = ctx.jsonBody ? {} : ctx.args;
  const grant = str(form.grant_type);
  if (grant !== 'authorization_code' && grant !== 'refresh_token') return oauthError(400, 'unsupported_grant_type');
  const client = state.oauth.clients.get(str(form.client_id) ?? '');
  // authenticate_client compares the session user with the user_id cookie (or Guest); the secret is never checked.
  const cookieUser = ctx.cookies.user_id ?? 'Guest';
  if (!client || (ctx.session?.user ?? 'Guest') !== cookieUser) return oauthError(400, 'invalid_client');
  if (grant === 'refresh_token') {
    const old = state.oauth.byRefresh(str(form.refresh_token) ?? '');
    if (!old || old.revoked) throw guestNoPermission('OAuth Bearer Token');
    const rec = state.oauth.issue(old.user, old.clientId, old.scopes);
    const withId = ctx.traits.refreshIssuesIdToken && rec.scopes.includes('openid');
    return {
      raw: true,
      body: tokenBody(rec, withId ? { id_token: idToken(rec, client.clientSecret, ctx.baseUrl, ctx.now) } : {}),
    };
  }
  const code = state.oauth.code(str(form.code) ?? '');
  if (!code || !code.valid || code.clientId !== client.clientId) return oauthError(400, 'invalid_grant');
  if (str(form.redirect_uri) !== undefined && str(form.redirect_uri) !== code.redirectUri)
    return oauthError(400, 'invalid_grant');
  if (code.challenge) {
    const verifier = str(form.code_verifier);
    if (verifier === undefined) {
      code.valid = false; // recorded: a missing verifier burns the code, a wrong one does not
      return oauthError(400, 'invalid_grant');
    }
    const method = (code.challengeMethod ?? 'plain').toLowerCase();
    const expected = method === 's256' ? s256(verifier) : verifier;
    if (expected !== code.challenge) return oauthError(400, 'invalid_grant');
  }
  code.valid = false;
  const rec = state.oauth.issue(code.user, client.clientId, code.scopes);
  const extra = code.scopes.includes('openid')
    ? { id_token: idToken(rec, client.clientSecret, ctx.baseUrl, ctx.now, code.nonce) }
    : {};
  return { raw: true, body: tokenBody(rec, extra) };
}

export function revokeToken(ctx: RequestContext, state: StandinState): Reply {
  const token = str(ctx.args.token) ?? '';
  const hint = str(ctx.args.token_type_hint);
  const byAccess = hint === 'refresh_token' ? undefined : state.oauth.byAccess(token);
  if (byAccess) {
    byAccess.revoked = true;
    return { raw: true, body: {} };
  }
  // Refresh and unknown tokens go through client authentication, which needs client_id (Guest can't read clients).
  if (!state.oauth.clients.has(str(ctx.args.client_id) ?? '')) throw guestNoPermission('OAuth Client');
  const rec = state.oauth.byRefresh(token) ?? state.oauth.byAccess(token);
  if (rec) rec.revoked = true;
  return { raw: true, body: {} };
}

export function introspectToken(ctx: RequestContext, state: StandinState): Reply {
  const token = str(ctx.args.token) ?? '';
  const rec = state.oauth.byAccess(token) ?? state.oauth.byRefresh(token);
  if (!rec) {
    const msg = `OAuth Bearer Token {'access_token': '${token}'} not found`;
    return {
      raw: true,
      body: {
        active: false,
        _server_messages: encodeServerMessages([{ message: msg, title: 'Message', indicator: 'red', raise: true }]),
      },
    };
  }
  const client = state.oauth.clients.get(rec.clientId);
  // Frappe converts the expiry in the wrong time zone: `exp` is 5 h early (recorded).
  const body: Record<string, unknown> = {
    client_id: rec.clientId,
    trusted_client: client?.skipAuthorization ? 1 : 0,
    active: !rec.revoked,
    exp: Math.floor(rec.expiresAt / 1000) - 5 * 3600,
    scope: rec.scopes.join(' '),
  };
  const claims = userinfo(rec.user, ctx.baseUrl);
  if (rec.scopes.includes('openid') && claims.sub) Object.assign(body, claims);
  return { raw: true, body };
}

export function openidProfile(ctx: RequestContext, state: StandinState): Reply {
  if (ctx.user === 'Guest') throw notWhitelisted('frappe.integrations.oauth2.openid_profile');
  if (ctx.auth !== 'bearer') throw thrown('DoesNotExistError', 'OAuth Bearer Token None not found');
  const header = String(ctx.headers.authorization ?? '').split(' ')[1] ?? '';
  const rec = state.oauth.byAccess(header);
  return { raw: true, body: userinfo(rec?.user ?? ctx.user, ctx.baseUrl) };
}
