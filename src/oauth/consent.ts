import { FrappeError } from '../frappe/errors.js';
import { randomToken, safeEqual, sha256 } from './crypto.js';
import type {
  AuthorizeOutcome,
  CallbackOutcome,
  CodeRecord,
  FrappeTokens,
  Grant,
  PendingAuthorization,
  PendingConsent,
} from './types.js';
import { CODE_PREFIX, type FacadeCore, type Params } from './core.js';

const CONSENT_SECONDS = 10 * 60;

/** Back to the client with access_denied (RFC 6749 §4.1.2.1). */
function denied(c: FacadeCore, p: PendingAuthorization, description: string): AuthorizeOutcome {
  return {
    kind: 'redirect',
    location: c.clientRedirect(p.redirectUri, {
      error: 'access_denied',
      error_description: description,
      state: p.state,
    }),
  };
}

/** Frappe sent the browser back: exchange its code, learn the user, then consent (or a remembered approval). */
export async function finishSignIn(c: FacadeCore, q: Params): Promise<CallbackOutcome> {
  const pending = q.state ? await c.o.kv.take<PendingAuthorization>(`authz:${q.state}`) : undefined;
  if (!pending)
    return {
      kind: 'error-page',
      status: 400,
      message: 'This sign-in has expired or was already used. Start again from your MCP client.',
    };
  if (pending.slot) await c.o.kv.delete(pending.slot);
  if (q.error || !q.code) return denied(c, pending, 'The Frappe sign-in was not completed.');
  let frappe: FrappeTokens;
  let user: string;
  try {
    frappe = await c.o.upstream.exchange(q.code, pending.frappeVerifier);
    user = await c.o.upstream.user(frappe.access);
  } catch (err) {
    c.o.logger.warn({ err: (err as Error).message }, 'Frappe sign-in failed at the token exchange');
    if (err instanceof FrappeError && err.isOutage)
      return { kind: 'error-page', status: 503, message: 'Frappe is unavailable. Try again shortly.' };
    return denied(c, pending, 'Frappe did not confirm the sign-in.');
  }
  const approval = await c.o.kv.get<{ scopes: string[] }>(c.approvalKey(user, pending.clientId));
  if (approval && pending.scopes.every((s) => approval.scopes.includes(s))) {
    c.o.logger.info({ user, clientId: pending.clientId }, 'oauth consent remembered');
    return { kind: 'redirect', location: await issueCode(c, pending, user, frappe) };
  }
  const consentId = randomToken('', 24);
  const csrf = randomToken('', 24);
  const consent: PendingConsent = {
    ...pending,
    user,
    csrfHash: sha256(csrf),
    frappe: c.o.sealer.seal(JSON.stringify(frappe), `consent:${consentId}`),
  };
  await c.o.kv.set(`consent:${consentId}`, consent, CONSENT_SECONDS);
  const client = await c.client(pending.clientId).catch(() => undefined);
  return {
    kind: 'consent',
    view: {
      consentId,
      csrf,
      clientName: pending.clientName,
      clientId: pending.clientId,
      cimd: Boolean(client?.cimd),
      redirectUri: pending.redirectUri,
      scopes: pending.scopes,
      user,
    },
  };
}

/** The consent form's answer; `csrfCookie` must equal the form's token, which must match the stored hash. */
export async function decideConsent(
  c: FacadeCore,
  consentId: string,
  csrfForm: string,
  csrfCookie: string | undefined,
  approve: boolean,
): Promise<AuthorizeOutcome> {
  const key = `consent:${consentId}`;
  const consent = await c.o.kv.get<PendingConsent>(key);
  if (!consent)
    return { kind: 'error-page', status: 400, message: 'This consent request has expired or was already answered.' };
  if (!csrfCookie || !safeEqual(csrfForm, csrfCookie) || !safeEqual(sha256(csrfForm), consent.csrfHash))
    return {
      kind: 'error-page',
      status: 403,
      message: 'The consent form could not be verified (CSRF check failed). Start again from your MCP client.',
    };
  if (!(await c.o.kv.take<PendingConsent>(key)))
    return { kind: 'error-page', status: 400, message: 'This consent request was already answered.' };
  const frappe = JSON.parse(c.o.sealer.open(consent.frappe, key)) as FrappeTokens;
  if (!approve) {
    await c.o.upstream.revoke(frappe);
    c.o.logger.info({ user: consent.user, clientId: consent.clientId }, 'oauth consent denied');
    return denied(c, consent, 'The user denied access.');
  }
  await c.o.kv.set(
    c.approvalKey(consent.user, consent.clientId),
    { scopes: consent.scopes },
    c.o.approvalTtlDays * 86_400,
  );
  c.o.logger.info({ user: consent.user, clientId: consent.clientId, scopes: consent.scopes }, 'oauth consent given');
  return { kind: 'redirect', location: await issueCode(c, consent, consent.user, frappe) };
}

async function issueCode(c: FacadeCore, p: PendingAuthorization, user: string, frappe: FrappeTokens): Promise<string> {
  const grantId = randomToken('', 18);
  const grant: Grant = {
    id: grantId,
    user,
    clientId: p.clientId,
    scopes: p.scopes,
    resource: p.resource,
    frappe: c.o.sealer.seal(JSON.stringify(frappe), `grant:${grantId}`),
    createdAt: c.o.now(),
  };
  await c.o.kv.set(`grant:${grantId}`, grant, c.refreshTtl);
  const code = randomToken(CODE_PREFIX, 32);
  const rec: CodeRecord = {
    grantId,
    clientId: p.clientId,
    redirectUri: p.redirectUri,
    redirectUriSent: p.redirectUriSent,
    challenge: p.challenge,
    resource: p.resource,
    scopes: p.scopes,
  };
  await c.o.kv.set(`code:${sha256(code)}`, rec, c.o.codeTtlSeconds);
  return c.clientRedirect(p.redirectUri, { code, state: p.state });
}
