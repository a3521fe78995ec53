import { loggedUser } from '../auth/strategies/logged-user.js';
import type { FrappeSite } from '../frappe/client.js';
import { FrappeError } from '../frappe/errors.js';
import type { Logger } from '../log/logger.js';
import type { KvStore } from './kv.js';
import type { Sealer } from './crypto.js';
import type { FrappeTokens } from './types.js';

const M = '/api/method/frappe.integrations.oauth2';

export interface UpstreamOptions {
  site: FrappeSite;
  /** Where the user's browser reaches Frappe (may differ from the gateway's server-side URL). */
  browserUrl: string;
  callbackUrl: string;
  scope: string;
  clientId?: string;
  clientSecret?: string;
  adminApiKey?: string;
  adminApiSecret?: string;
  appName: string;
  kv: KvStore;
  sealer: Sealer;
  logger: Logger;
  now: () => number;
}

/** Frappe refused a grant for good (bad code, dead refresh token): the user must sign in again. */
export class UpstreamRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamRejected';
  }
}

interface FrappeClientInfo {
  clientId: string;
  clientSecret?: string;
}

/**
 * The gateway as an OAuth client of Frappe v15/v16 (one Frappe "OAuth Client" for every user):
 * authorization code + PKCE S256, form-encoded token calls with client_secret_post (Frappe's Basic
 * auth is read as an API key), and refresh (Frappe issues a new refresh token every time).
 */
export class FrappeUpstream {
  private clientPromise?: Promise<FrappeClientInfo>;

  constructor(private readonly o: UpstreamOptions) {}

  /** True when the gateway knows, or can create, its Frappe OAuth client. */
  get configured(): boolean {
    return Boolean(this.o.clientId || (this.o.adminApiKey && this.o.adminApiSecret));
  }

  client(): Promise<FrappeClientInfo> {
    if (this.o.clientId)
      return Promise.resolve({
        clientId: this.o.clientId,
        ...(this.o.clientSecret ? { clientSecret: this.o.clientSecret } : {}),
      });
    this.clientPromise ??= this.ensureClient().catch((err: unknown) => {
      this.clientPromise = undefined;
      throw err;
    });
    return this.clientPromise;
  }

  /** Finds (by app name and callback) or creates the gateway's OAuth Client with the admin API key; remembered sealed. */
  private async ensureClient(): Promise<FrappeClientInfo> {
    const { adminApiKey: key, adminApiSecret: secret, kv, sealer } = this.o;
    if (!key || !secret) throw new Error('no Frappe OAuth client configured (oauth.frappe_client.client_id)');
    const remembered = await kv.get<{ clientId: string; secret?: string; callback: string }>('frappe_client');
    if (remembered && remembered.callback === this.o.callbackUrl) {
      return {
        clientId: remembered.clientId,
        ...(remembered.secret ? { clientSecret: sealer.open(remembered.secret, 'frappe_client') } : {}),
      };
    }
    const admin = this.o.site.as({ kind: 'api_key', key, secret });
    const res = await admin.request<{ data?: { client_id?: string; client_secret?: string } }>({
      method: 'POST',
      path: '/api/resource/OAuth Client',
      json: {
        app_name: this.o.appName,
        redirect_uris: this.o.callbackUrl,
        default_redirect_uri: this.o.callbackUrl,
        scopes: this.o.scope,
        grant_type: 'Authorization Code',
        response_type: 'Code',
        // The gateway shows its own consent page, per client and user.
        skip_authorization: 1,
      },
    });
    const clientId = res.data.data?.client_id;
    const clientSecret = res.data.data?.client_secret;
    if (!clientId) throw new Error('Frappe did not return a client_id for the new OAuth Client');
    await kv.set(
      'frappe_client',
      {
        clientId,
        callback: this.o.callbackUrl,
        ...(clientSecret ? { secret: sealer.seal(clientSecret, 'frappe_client') } : {}),
      },
      10 * 365 * 86_400,
    );
    this.o.logger.info({ clientId }, 'created the gateway OAuth Client in Frappe');
    return { clientId, ...(clientSecret ? { clientSecret } : {}) };
  }

  async authorizeUrl(state: string, challenge: string): Promise<string> {
    const { clientId } = await this.client();
    const q = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: this.o.callbackUrl,
      scope: this.o.scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    // Frappe wants spaces as %20, not '+'.
    const query = Object.entries(q)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return `${this.o.browserUrl.replace(/\/$/, '')}${M}.authorize?${query}`;
  }

  async exchange(code: string, verifier: string): Promise<FrappeTokens> {
    const c = await this.client();
    return this.tokenCall({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.o.callbackUrl,
      code_verifier: verifier,
      client_id: c.clientId,
      ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
    });
  }

  async refresh(refreshToken: string): Promise<FrappeTokens> {
    const c = await this.client();
    return this.tokenCall({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: c.clientId,
      ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
    });
  }

  /** Best effort: revoking the access token kills its refresh token too (one Frappe row). */
  async revoke(tokens: FrappeTokens): Promise<void> {
    try {
      const c = await this.client();
      await this.o.site.send(
        { method: 'POST', path: `${M}.revoke_token`, form: { token: tokens.access, client_id: c.clientId } },
        {},
      );
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'could not revoke the Frappe token');
    }
  }

  /** The Frappe user a fresh access token acts as. */
  async user(access: string): Promise<string> {
    return (await loggedUser({ kind: 'bearer', token: access }, this.o.site)).user;
  }

  private async tokenCall(form: Record<string, string>): Promise<FrappeTokens> {
    // FrappeSite.send throws FrappeError (outage) when Frappe cannot be reached.
    const res = await this.o.site.send({ method: 'POST', path: `${M}.get_token`, form }, {});
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.data) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    if (res.status >= 500) throw new FrappeError({ kind: 'upstream', status: res.status, cause: 'unreadable' });
    if (res.status !== 200 || typeof body.access_token !== 'string') {
      // Frappe answers a dead refresh token with 403 PermissionError, a bad code with 400 invalid_grant.
      throw new UpstreamRejected(
        `Frappe refused the ${form.grant_type} grant (HTTP ${res.status}${typeof body.error === 'string' ? ` ${body.error}` : ''})`,
      );
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    return {
      access: body.access_token,
      ...(typeof body.refresh_token === 'string' ? { refresh: body.refresh_token } : {}),
      expiresAt: this.o.now() + expiresIn * 1000,
    };
  }
}
