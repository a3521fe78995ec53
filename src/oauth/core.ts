import { safeEqual, sha256, randomToken } from './crypto.js';
import { isCimdClientId } from './cimd.js';
import { OAuthError } from './errors.js';
import type { AccessRecord, ClientRecord, FrappeTokens, Grant, RefreshRecord, TokenResponse } from './types.js';
import type { CimdResolver } from './cimd.js';
import type { KvStore } from './kv.js';
import type { Logger } from '../log/logger.js';
import type { Sealer } from './crypto.js';
import type { FrappeUpstream } from './upstream.js';

/** Prefixes of what the gateway mints; a bearer token starting with ACCESS_PREFIX is ours, known without I/O. */
export const ACCESS_PREFIX = 'fmcp_at_';
export const REFRESH_PREFIX = 'fmcp_rt_';
export const CODE_PREFIX = 'fmcp_ac_';

/** An /authorize request waits this long for the Frappe sign-in; nobody has signed in yet, so it is kept short. */
export const PENDING_SECONDS = 10 * 60;

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
  /** A registration whose client never completes a sign-in is forgotten after this long. */
  unusedClientTtlSeconds: number;
  /** At most this many sign-ins started from one address may wait for the Frappe login at once. */
  pendingPerIp: number;
  approvalTtlDays: number;
  extraRedirects: readonly string[];
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

export type Params = Record<string, string | undefined>;
export type BasicCredentials = { id: string; secret: string };

/**
 * What every step of the facade shares: its options and store, client lookup and authentication,
 * redirects back to the client, resource matching, minting and revoking.
 */
export class FacadeCore {
  constructor(readonly o: FacadeOptions) {}

  get refreshTtl(): number {
    return this.o.refreshTtlDays * 86_400;
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
  async touchClient(client: ClientRecord): Promise<void> {
    if (!client.cimd) await this.o.kv.set(`client:${client.client_id}`, client, this.o.clientTtlDays * 86_400);
  }

  /** Client authentication at /token and /revoke (RFC 6749 §2.3). */
  async authenticateClient(params: Params, basic?: BasicCredentials): Promise<ClientRecord> {
    const clientId = basic?.id ?? params.client_id;
    if (!clientId) throw new OAuthError('invalid_client', 'client_id is required.', 401);
    if (basic && params.client_id && params.client_id !== basic.id)
      throw new OAuthError('invalid_request', 'client_id differs from the Authorization header.');
    const client = await this.client(clientId).catch((e: unknown) => {
      if (e instanceof OAuthError) throw new OAuthError('invalid_client', e.description, 401);
      throw e;
    });
    if (!client) throw new OAuthError('invalid_client', 'Unknown client; register again.', 401);
    // The method the client registered is the only one it may use (RFC 7591 §2).
    const method = client.token_endpoint_auth_method;
    if (method === 'client_secret_basic' && (!basic || params.client_secret !== undefined))
      throw new OAuthError(
        'invalid_client',
        'This client registered client_secret_basic: send its credentials in the Authorization header only.',
        401,
      );
    if (method === 'client_secret_post' && basic)
      throw new OAuthError(
        'invalid_client',
        'This client registered client_secret_post: send client_id and client_secret in the form, not in an Authorization header.',
        401,
      );
    if (client.secret_hash) {
      const presented = basic?.secret ?? params.client_secret;
      if (!presented || !safeEqual(sha256(presented), client.secret_hash))
        throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    }
    return client;
  }

  /** The client's redirect URI with our parameters added, including RFC 9207 `iss`. */
  clientRedirect(redirectUri: string, params: Params): string {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    u.searchParams.set('iss', this.o.issuer);
    return u.href;
  }

  /**
   * A resource indicator names this grant's resource: the MCP URL, or the gateway's base URL, which
   * the root protected-resource document names (RFC 9728 §3.3) and which holds nothing else.
   */
  resourceMatches(given: string, bound: string): boolean {
    const c = canonicalResource(given);
    return c !== undefined && (c === canonicalResource(bound) || c === canonicalResource(this.o.issuer));
  }

  checkResource(resource: string | undefined, bound: string): void {
    if (resource !== undefined && !this.resourceMatches(resource, bound))
      throw new OAuthError('invalid_target', `This grant is for ${bound}, not ${resource}.`);
  }

  async mint(grant: Grant, scopes: string[]): Promise<TokenResponse> {
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

  frappeOf(grant: Grant): FrappeTokens {
    return JSON.parse(this.o.sealer.open(grant.frappe, `grant:${grant.id}`)) as FrappeTokens;
  }

  approvalKey(user: string, clientId: string): string {
    return `approval:${sha256(`${user}\0${clientId}`)}`;
  }
}
