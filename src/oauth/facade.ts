import type { Credential } from '../frappe/credential.js';
import { FrappeError } from '../frappe/errors.js';
import type { Logger } from '../log/logger.js';
import type { CimdResolver } from './cimd.js';
import { isCimdClientId } from './cimd.js';
import { isValidVerifier, randomToken, s256, safeEqual, sha256, type Sealer } from './crypto.js';
import { OAuthError } from './errors.js';
import type { KvStore } from './kv.js';
import { redirectMatches, redirectUriProblem } from './redirect.js';
import { parseScope, SCOPES_SUPPORTED } from './scopes.js';
import type {
  AccessRecord,
  ClientRecord,
  CodeRecord,
  FrappeTokens,
  Grant,
  PendingAuthorization,
  PendingConsent,
  RefreshRecord,
  TokenEndpointAuthMethod,
} from './types.js';
import { UpstreamRejected, type FrappeUpstream } from './upstream.js';

/** Prefixes of what the gateway mints; a bearer token starting with ACCESS_PREFIX is ours, known without I/O. */
export const ACCESS_PREFIX = 'fmcp_at_';
export const REFRESH_PREFIX = 'fmcp_rt_';
const CODE_PREFIX = 'fmcp_ac_';

const PENDING_SECONDS = 15 * 60;
const CONSENT_SECONDS = 10 * 60;
/** Refresh the Frappe access token when it has less than this left. */
const UPSTREAM_MARGIN_MS = 120_000;

export interface FacadeOptions {
  kv: KvStore;
  sealer: Sealer;
  upstream: FrappeUpstream;
  cimd?: CimdResolver;
  logger: Logger;
  now: () => number;
  issuer: string;
  resource: string;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  codeTtlSeconds: number;
  clientTtlDays: number;
  approvalTtlDays: number;
  extraRedirects: readonly string[];
}

export type AuthorizeOutcome =
  { kind: 'error-page'; status: number; message: string } | { kind: 'redirect'; location: string };

export interface ConsentView {
  consentId: string;
  csrf: string;
  clientName: string;
  clientId: string;
  cimd: boolean;
  redirectUri: string;
  scopes: string[];
  user: string;
}

export type CallbackOutcome = AuthorizeOutcome | { kind: 'consent'; view: ConsentView };

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** What a minted access token stands for, with the user's current Frappe credential. */
export interface ResolvedToken {
  user: string;
  clientId: string;
  scopes: string[];
  credential: Credential;
  /** Epoch ms when our access token expires. */
  expiresAt: number;
}

/** Canonical form for comparing resource indicators: lower-case origin, path without a trailing slash. */
export function canonicalResource(value: string): string | undefined {
  try {
    const u = new URL(value);
    if (u.hash) return undefined;
    return `${u.protocol}//${u.host}`.toLowerCase() + u.pathname.replace(/\/+$/, '') + u.search;
  } catch {
    return undefined;
  }
}

type Params = Record<string, string | undefined>;

/**
 * The authorization-server facade: our clients, consent, codes and tokens on top of a KvStore, and
 * the user's Frappe tokens behind every grant (sealed, refreshed when due, never shown to a client).
 */
export class Facade {
  private readonly refreshing = new Map<string, Promise<Grant | undefined>>();

  constructor(private readonly o: FacadeOptions) {}

  private get refreshTtl(): number {
    return this.o.refreshTtlDays * 86_400;
  }

  // ---------------------------------------------------------------- clients

  /** RFC 7591 registration; the whole set of redirect URIs is accepted or refused together. */
  async register(body: unknown): Promise<Record<string, unknown>> {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new OAuthError('invalid_client_metadata', 'The registration request must be a JSON object.');
    const m = body as Record<string, unknown>;
    const uris = m.redirect_uris;
    if (!Array.isArray(uris) || !uris.length || uris.some((u) => typeof u !== 'string'))
      throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be a non-empty array of URLs.');
    if (uris.length > 10) throw new OAuthError('invalid_redirect_uri', 'At most 10 redirect_uris may be registered.');
    const problems = (uris as string[]).map((u) => redirectUriProblem(u, this.o.extraRedirects)).filter(Boolean);
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
      throw new OAuthError(
        'invalid_client_metadata',
        'grant_types may hold only authorization_code and refresh_token.',
      );
    const responseTypes = strings(m.response_types) ?? ['code'];
    if (responseTypes.some((r) => r !== 'code'))
      throw new OAuthError('invalid_client_metadata', 'response_types may hold only code.');
    if (m.scope !== undefined && typeof m.scope !== 'string')
      throw new OAuthError('invalid_client_metadata', 'scope must be a string.');
    const now = Math.floor(this.o.now() / 1000);
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
      if (typeof v === 'string' && v) client[k] = v.slice(0, 500);
    }
    const scope = parseScope(m.scope).filter((s) => (SCOPES_SUPPORTED as readonly string[]).includes(s));
    if (scope.length) client.scope = scope.join(' ');
    let secret: string | undefined;
    if (method !== 'none') {
      secret = randomToken('fmcp_cs_', 32);
      client.secret_hash = sha256(secret);
      client.client_secret_expires_at = 0;
    }
    await this.o.kv.set(`client:${client.client_id}`, client, this.o.clientTtlDays * 86_400);
    this.o.logger.info({ clientId: client.client_id, name: client.client_name }, 'oauth client registered');
    const { secret_hash: _h, ...echo } = client;
    return secret ? { ...echo, client_secret: secret } : echo;
  }

  /** A registered client or, for an https client_id, its metadata document. Undefined when unknown. */
  async client(clientId: string): Promise<ClientRecord | undefined> {
    if (isCimdClientId(clientId)) {
      if (!this.o.cimd) return undefined;
      return this.o.cimd.resolve(clientId);
    }
    return this.o.kv.get<ClientRecord>(`client:${clientId}`);
  }

  /** Registrations expire when unused: every successful use extends them. */
  private async touchClient(client: ClientRecord): Promise<void> {
    if (!client.cimd) await this.o.kv.set(`client:${client.client_id}`, client, this.o.clientTtlDays * 86_400);
  }

  /** Client authentication at /token and /revoke (RFC 6749 §2.3). */
  private async authenticateClient(params: Params, basic?: { id: string; secret: string }): Promise<ClientRecord> {
    const clientId = basic?.id ?? params.client_id;
    if (!clientId) throw new OAuthError('invalid_client', 'client_id is required.', 401);
    if (basic && params.client_id && params.client_id !== basic.id)
      throw new OAuthError('invalid_request', 'client_id differs from the Authorization header.');
    const client = await this.client(clientId).catch((e: unknown) => {
      if (e instanceof OAuthError) throw new OAuthError('invalid_client', e.description, 401);
      throw e;
    });
    if (!client) throw new OAuthError('invalid_client', 'Unknown client; register again.', 401);
    if (client.secret_hash) {
      const presented = basic?.secret ?? params.client_secret;
      if (!presented || !safeEqual(sha256(presented), client.secret_hash))
        throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    }
    return client;
  }

  // ---------------------------------------------------------------- authorize

  async authorize(q: Params): Promise<AuthorizeOutcome> {
    const clientId = q.client_id;
    if (!clientId) return { kind: 'error-page', status: 400, message: 'The request names no client_id.' };
    let client: ClientRecord | undefined;
    try {
      client = await this.client(clientId);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err; // e.g. the store is down: the router answers 503
      return { kind: 'error-page', status: 400, message: err.description };
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
      location: this.clientRedirect(redirectUri, { error, error_description: description, state: q.state }),
    });
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
    if (!q.code_challenge || !/^[A-Za-z0-9\-._~]{43,128}$/.test(q.code_challenge))
      return fail('invalid_request', 'PKCE is required: send code_challenge (S256).');
    if (q.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
    const requested = parseScope(q.scope);
    const unknown = requested.filter((s) => !(SCOPES_SUPPORTED as readonly string[]).includes(s));
    if (unknown.length) return fail('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
    const scopes = requested.length ? requested : [...SCOPES_SUPPORTED];
    if (q.resource !== undefined && canonicalResource(q.resource) !== canonicalResource(this.o.resource))
      return fail('invalid_target', `This server only issues tokens for ${this.o.resource}.`);
    if (!this.o.upstream.configured) {
      this.o.logger.warn(
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
      challenge: q.code_challenge,
      scopes,
      resource: this.o.resource,
      frappeVerifier,
      ...(q.state !== undefined ? { state: q.state } : {}),
    };
    const txId = randomToken('', 24);
    await this.o.kv.set(`authz:${txId}`, pending, PENDING_SECONDS);
    try {
      return { kind: 'redirect', location: await this.o.upstream.authorizeUrl(txId, s256(frappeVerifier)) };
    } catch (err) {
      this.o.logger.error({ err: (err as Error).message }, 'cannot start the Frappe login');
      return { kind: 'error-page', status: 503, message: 'The Frappe sign-in could not be started. Try again later.' };
    }
  }

  /** Frappe sent the browser back: exchange its code, learn the user, then consent (or a remembered approval). */
  async callback(q: Params): Promise<CallbackOutcome> {
    const pending = q.state ? await this.o.kv.take<PendingAuthorization>(`authz:${q.state}`) : undefined;
    if (!pending)
      return {
        kind: 'error-page',
        status: 400,
        message: 'This sign-in has expired or was already used. Start again from your MCP client.',
      };
    if (q.error || !q.code)
      return {
        kind: 'redirect',
        location: this.clientRedirect(pending.redirectUri, {
          error: 'access_denied',
          error_description: 'The Frappe sign-in was not completed.',
          state: pending.state,
        }),
      };
    let frappe: FrappeTokens;
    let user: string;
    try {
      frappe = await this.o.upstream.exchange(q.code, pending.frappeVerifier);
      user = await this.o.upstream.user(frappe.access);
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'Frappe sign-in failed at the token exchange');
      if (err instanceof FrappeError && err.isOutage)
        return { kind: 'error-page', status: 503, message: 'Frappe is unavailable. Try again shortly.' };
      return {
        kind: 'redirect',
        location: this.clientRedirect(pending.redirectUri, {
          error: 'access_denied',
          error_description: 'Frappe did not confirm the sign-in.',
          state: pending.state,
        }),
      };
    }
    const approval = await this.o.kv.get<{ scopes: string[] }>(this.approvalKey(user, pending.clientId));
    if (approval && pending.scopes.every((s) => approval.scopes.includes(s))) {
      this.o.logger.info({ user, clientId: pending.clientId }, 'oauth consent remembered');
      return { kind: 'redirect', location: await this.issueCode(pending, user, frappe) };
    }
    const consentId = randomToken('', 24);
    const csrf = randomToken('', 24);
    const consent: PendingConsent = {
      ...pending,
      user,
      csrfHash: sha256(csrf),
      frappe: this.o.sealer.seal(JSON.stringify(frappe), `consent:${consentId}`),
    };
    await this.o.kv.set(`consent:${consentId}`, consent, CONSENT_SECONDS);
    const client = await this.client(pending.clientId).catch(() => undefined);
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
  async decide(
    consentId: string,
    csrfForm: string,
    csrfCookie: string | undefined,
    approve: boolean,
  ): Promise<AuthorizeOutcome> {
    const key = `consent:${consentId}`;
    const consent = await this.o.kv.get<PendingConsent>(key);
    if (!consent)
      return { kind: 'error-page', status: 400, message: 'This consent request has expired or was already answered.' };
    if (!csrfCookie || !safeEqual(csrfForm, csrfCookie) || !safeEqual(sha256(csrfForm), consent.csrfHash))
      return {
        kind: 'error-page',
        status: 403,
        message: 'The consent form could not be verified (CSRF check failed). Start again from your MCP client.',
      };
    if (!(await this.o.kv.take<PendingConsent>(key)))
      return { kind: 'error-page', status: 400, message: 'This consent request was already answered.' };
    const frappe = JSON.parse(this.o.sealer.open(consent.frappe, key)) as FrappeTokens;
    if (!approve) {
      await this.o.upstream.revoke(frappe);
      this.o.logger.info({ user: consent.user, clientId: consent.clientId }, 'oauth consent denied');
      return {
        kind: 'redirect',
        location: this.clientRedirect(consent.redirectUri, {
          error: 'access_denied',
          error_description: 'The user denied access.',
          state: consent.state,
        }),
      };
    }
    await this.o.kv.set(
      this.approvalKey(consent.user, consent.clientId),
      { scopes: consent.scopes },
      this.o.approvalTtlDays * 86_400,
    );
    this.o.logger.info(
      { user: consent.user, clientId: consent.clientId, scopes: consent.scopes },
      'oauth consent given',
    );
    return { kind: 'redirect', location: await this.issueCode(consent, consent.user, frappe) };
  }

  private approvalKey(user: string, clientId: string): string {
    return `approval:${sha256(`${user}\0${clientId}`)}`;
  }

  private async issueCode(p: PendingAuthorization, user: string, frappe: FrappeTokens): Promise<string> {
    const grantId = randomToken('', 18);
    const grant: Grant = {
      id: grantId,
      user,
      clientId: p.clientId,
      scopes: p.scopes,
      resource: p.resource,
      frappe: this.o.sealer.seal(JSON.stringify(frappe), `grant:${grantId}`),
      createdAt: this.o.now(),
    };
    await this.o.kv.set(`grant:${grantId}`, grant, this.refreshTtl);
    const code = randomToken(CODE_PREFIX, 32);
    const rec: CodeRecord = {
      grantId,
      clientId: p.clientId,
      redirectUri: p.redirectUri,
      challenge: p.challenge,
      resource: p.resource,
      scopes: p.scopes,
    };
    await this.o.kv.set(`code:${sha256(code)}`, rec, this.o.codeTtlSeconds);
    return this.clientRedirect(p.redirectUri, { code, state: p.state });
  }

  /** The client's redirect URI with our parameters added, including RFC 9207 `iss`. */
  private clientRedirect(redirectUri: string, params: Params): string {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    u.searchParams.set('iss', this.o.issuer);
    return u.href;
  }

  // ---------------------------------------------------------------- token

  async token(p: Params, basic?: { id: string; secret: string }): Promise<TokenResponse> {
    if (p.grant_type === 'authorization_code') return this.exchangeCode(p, basic);
    if (p.grant_type === 'refresh_token') return this.refresh(p, basic);
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
  }

  private checkResource(resource: string | undefined, bound: string): void {
    if (resource !== undefined && canonicalResource(resource) !== canonicalResource(bound))
      throw new OAuthError('invalid_target', `This grant is for ${bound}, not ${resource}.`);
  }

  private async exchangeCode(p: Params, basic?: { id: string; secret: string }): Promise<TokenResponse> {
    if (!p.code) throw new OAuthError('invalid_request', 'code is required.');
    if (!p.code_verifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE).');
    if (!isValidVerifier(p.code_verifier)) throw new OAuthError('invalid_grant', 'The code_verifier is malformed.');
    const client = await this.authenticateClient(p, basic);
    const hash = sha256(p.code);
    const rec = await this.o.kv.take<CodeRecord>(`code:${hash}`);
    if (!rec) {
      // A code presented twice: the tokens issued for it are revoked too (RFC 6749 §4.1.2).
      const used = await this.o.kv.get<{ grantId: string }>(`codeused:${hash}`);
      if (used) {
        await this.revokeGrant(used.grantId, 'authorization code reused');
        throw new OAuthError(
          'invalid_grant',
          'The authorization code was already used; the tokens issued for it are revoked.',
        );
      }
      throw new OAuthError('invalid_grant', 'The authorization code is invalid or expired.');
    }
    await this.o.kv.set(`codeused:${hash}`, { grantId: rec.grantId }, Math.max(this.o.codeTtlSeconds, 600));
    const refuse = async (description: string): Promise<never> => {
      await this.revokeGrant(rec.grantId, description);
      throw new OAuthError('invalid_grant', description);
    };
    if (rec.clientId !== client.client_id) return refuse('The authorization code was issued to another client.');
    if (p.redirect_uri !== rec.redirectUri)
      return refuse('redirect_uri differs from the one in the authorization request.');
    if (!safeEqual(s256(p.code_verifier), rec.challenge))
      return refuse('The code_verifier does not match the code_challenge.');
    if (p.resource !== undefined && canonicalResource(p.resource) !== canonicalResource(rec.resource)) {
      await this.revokeGrant(rec.grantId, 'foreign resource');
      throw new OAuthError('invalid_target', `This grant is for ${rec.resource}, not ${p.resource}.`);
    }
    const grant = await this.o.kv.get<Grant>(`grant:${rec.grantId}`);
    if (!grant) throw new OAuthError('invalid_grant', 'The authorization was revoked.');
    await this.touchClient(client);
    this.o.logger.info({ user: grant.user, clientId: client.client_id }, 'oauth tokens issued');
    return this.mint(grant, rec.scopes);
  }

  private async refresh(p: Params, basic?: { id: string; secret: string }): Promise<TokenResponse> {
    if (!p.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
    const client = await this.authenticateClient(p, basic);
    const hash = sha256(p.refresh_token);
    const rec = await this.o.kv.take<RefreshRecord>(`rt:${hash}`);
    if (!rec) {
      const used = await this.o.kv.get<{ grantId: string }>(`rtused:${hash}`);
      if (used) {
        await this.revokeGrant(used.grantId, 'refresh token reused');
        throw new OAuthError(
          'invalid_grant',
          'This refresh token was already used; as a precaution the whole authorization is revoked. Sign in again.',
        );
      }
      throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');
    }
    await this.o.kv.set(`rtused:${hash}`, { grantId: rec.grantId }, this.refreshTtl);
    if (rec.clientId !== client.client_id) {
      await this.revokeGrant(rec.grantId, 'refresh token presented by another client');
      throw new OAuthError('invalid_grant', 'The refresh token was issued to another client.');
    }
    this.checkResource(p.resource, rec.resource);
    const grant = await this.o.kv.get<Grant>(`grant:${rec.grantId}`);
    if (!grant) throw new OAuthError('invalid_grant', 'The authorization was revoked. Sign in again.');
    const asked = parseScope(p.scope);
    if (asked.some((s) => !rec.scopes.includes(s)))
      throw new OAuthError('invalid_scope', 'A refresh cannot add scopes that were not granted.');
    await this.o.kv.set(`grant:${grant.id}`, grant, this.refreshTtl);
    await this.touchClient(client);
    return this.mint(grant, asked.length ? asked : rec.scopes);
  }

  private async mint(grant: Grant, scopes: string[]): Promise<TokenResponse> {
    const access = randomToken(ACCESS_PREFIX, 32);
    const refresh = randomToken(REFRESH_PREFIX, 32);
    const exp = this.o.now() + this.o.accessTtlSeconds * 1000;
    const a: AccessRecord = { grantId: grant.id, clientId: grant.clientId, scopes, resource: grant.resource, exp };
    const r: RefreshRecord = { grantId: grant.id, clientId: grant.clientId, scopes, resource: grant.resource };
    await this.o.kv.set(`at:${sha256(access)}`, a, this.o.accessTtlSeconds);
    await this.o.kv.set(`rt:${sha256(refresh)}`, r, this.refreshTtl);
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: this.o.accessTtlSeconds,
      refresh_token: refresh,
      scope: scopes.join(' '),
    };
  }

  // ---------------------------------------------------------------- revoke

  /** RFC 7009: revoking either token ends the whole authorization (and the Frappe token behind it). */
  async revoke(p: Params, basic?: { id: string; secret: string }): Promise<void> {
    if (!p.token) throw new OAuthError('invalid_request', 'token is required.');
    const client = await this.authenticateClient(p, basic);
    const hash = sha256(p.token);
    const rec = (await this.o.kv.get<AccessRecord>(`at:${hash}`)) ?? (await this.o.kv.get<RefreshRecord>(`rt:${hash}`));
    if (!rec || rec.clientId !== client.client_id) return;
    await this.revokeGrant(rec.grantId, 'revoked by the client');
  }

  async revokeGrant(grantId: string, why: string): Promise<void> {
    const grant = await this.o.kv.take<Grant>(`grant:${grantId}`);
    if (!grant) return;
    this.o.logger.info({ user: grant.user, clientId: grant.clientId, why }, 'oauth authorization revoked');
    try {
      await this.o.upstream.revoke(JSON.parse(this.o.sealer.open(grant.frappe, `grant:${grantId}`)) as FrappeTokens);
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'could not read the Frappe token to revoke it');
    }
  }

  // ---------------------------------------------------------------- resource server side

  /** Our access token → the user's current Frappe credential; null when unknown, expired or revoked. */
  async resolve(token: string, forceRefresh = false): Promise<ResolvedToken | null> {
    const rec = await this.o.kv.get<AccessRecord>(`at:${sha256(token)}`);
    if (!rec || rec.exp <= this.o.now()) return null;
    if (canonicalResource(rec.resource) !== canonicalResource(this.o.resource)) return null;
    let grant = await this.o.kv.get<Grant>(`grant:${rec.grantId}`);
    if (!grant) return null;
    let frappe = this.frappeOf(grant);
    if (forceRefresh || grant.stale || frappe.expiresAt - this.o.now() < UPSTREAM_MARGIN_MS) {
      grant = await this.refreshUpstream(grant.id);
      if (!grant) return null;
      frappe = this.frappeOf(grant);
    }
    return {
      user: grant.user,
      clientId: rec.clientId,
      scopes: rec.scopes,
      credential: { kind: 'bearer', token: frappe.access },
      expiresAt: rec.exp,
    };
  }

  /** Frappe refused the forwarded token mid-call: refresh it before the next use. */
  async upstreamRejected(token: string): Promise<void> {
    const rec = await this.o.kv.get<AccessRecord>(`at:${sha256(token)}`);
    const grant = rec && (await this.o.kv.get<Grant>(`grant:${rec.grantId}`));
    if (grant && !grant.stale) await this.o.kv.set(`grant:${grant.id}`, { ...grant, stale: true }, this.refreshTtl);
  }

  private frappeOf(grant: Grant): FrappeTokens {
    return JSON.parse(this.o.sealer.open(grant.frappe, `grant:${grant.id}`)) as FrappeTokens;
  }

  /** One refresh per grant at a time in this process; a short store lock keeps other replicas out. */
  private refreshUpstream(grantId: string): Promise<Grant | undefined> {
    let p = this.refreshing.get(grantId);
    if (!p) {
      p = this.doRefreshUpstream(grantId).finally(() => this.refreshing.delete(grantId));
      this.refreshing.set(grantId, p);
    }
    return p;
  }

  private async doRefreshUpstream(grantId: string): Promise<Grant | undefined> {
    const lock = `lock:refresh:${grantId}`;
    const before = await this.o.kv.get<Grant>(`grant:${grantId}`);
    if (!before) return undefined;
    if (!(await this.o.kv.add(lock, 1, 30))) {
      // Another replica is refreshing: wait for its result (Frappe keeps old tokens valid meanwhile).
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const g = await this.o.kv.get<Grant>(`grant:${grantId}`);
        if (!g) return undefined;
        if (g.frappe !== before.frappe) return g;
      }
      return before;
    }
    try {
      const old = this.frappeOf(before);
      if (!old.refresh) throw new UpstreamRejected('no Frappe refresh token');
      const fresh = await this.o.upstream.refresh(old.refresh);
      const tokens: FrappeTokens = { ...fresh, refresh: fresh.refresh ?? old.refresh };
      const current = await this.o.kv.get<Grant>(`grant:${grantId}`);
      if (!current) return undefined; // revoked meanwhile
      const { stale: _s, ...rest } = current;
      const next: Grant = { ...rest, frappe: this.o.sealer.seal(JSON.stringify(tokens), `grant:${grantId}`) };
      await this.o.kv.set(`grant:${grantId}`, next, this.refreshTtl);
      this.o.logger.info({ user: next.user, clientId: next.clientId }, 'Frappe token refreshed');
      return next;
    } catch (err) {
      if (err instanceof UpstreamRejected) {
        this.o.logger.warn({ user: before.user, err: err.message }, 'Frappe refused the refresh: authorization ended');
        await this.o.kv.delete(`grant:${grantId}`);
        return undefined;
      }
      throw err; // outage: the caller answers 503
    } finally {
      await this.o.kv.delete(lock);
    }
  }
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new OAuthError('invalid_client_metadata', 'grant_types and response_types must be arrays of strings.');
  return v as string[];
}
