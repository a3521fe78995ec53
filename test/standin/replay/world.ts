import { createHash, randomBytes } from 'node:crypto';
import { DEMO_API_KEYS, DEMO_OAUTH_CLIENTS, DEMO_USERS, type Standin } from '../../../src/standin/index.js';
import { send } from './http.js';

const PASSWORDS: Record<string, string> = {
  ADMIN: DEMO_USERS.admin.password,
  SALES: DEMO_USERS.sales.password,
  LIMITED: DEMO_USERS.limited.password,
};
const USERS: Record<string, string> = {
  ADMIN: 'Administrator',
  SALES: 'sales@example.com',
  LIMITED: 'limited@example.com',
};
const DCR_REDIRECT = 'https://127.0.0.1:8765/callback';
const s256 = (v: string): string => createHash('sha256').update(v).digest('base64url');

/** Token pairs by recorded number: who they belong to and what state the recording left them in. */
function tokenSpec(n: number, file: string): { user: string; scope: string; expired?: boolean; revoked?: boolean } {
  if (n === 4) return { user: 'Administrator', scope: 'all' };
  if (n === 5) return { user: 'sales@example.com', scope: 'openid all' };
  if (n === 9) return { user: 'Administrator', scope: 'openid all', expired: true };
  if (n === 11) return { user: 'Administrator', scope: 'openid all', revoked: file !== 'oauth-revoke-access-token' };
  // Token 12's refresh token was revoked (with client_id) between these two recordings.
  if (n === 12)
    return {
      user: 'Administrator',
      scope: 'openid all',
      revoked: file !== 'oauth-access-token-after-refresh-token-revoked',
    };
  return { user: 'Administrator', scope: 'openid all' };
}

/**
 * Resolves the placeholders of one transcript to this stand-in's values, creating the state they stand for
 * (sessions, CSRF arming, tokens, authorization codes) on first use.
 */
export class World {
  readonly vars = new Map<string, string>();
  constructor(
    readonly s: Standin,
    readonly file: string,
  ) {}

  private async login(user: string, password: string, xff?: string): Promise<string> {
    if (!xff) return this.s.login(user, password);
    const res = await send(
      this.s.url,
      'POST',
      '/api/method/login',
      { 'Content-Type': 'application/json', 'X-Forwarded-For': xff },
      JSON.stringify({ usr: user, pwd: password }),
    );
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sid='));
    return cookie!.slice(4, cookie!.indexOf(';'));
  }

  async resolve(token: string): Promise<string> {
    const known = this.vars.get(token);
    if (known !== undefined) return known;
    const value = await this.create(token);
    this.vars.set(token, value);
    return value;
  }

  private async create(token: string): Promise<string> {
    let m: RegExpExecArray | null;
    if ((m = /^SID_(ADMIN|SALES|LIMITED)$/.exec(token))) return this.login(USERS[m[1]!]!, PASSWORDS[m[1]!]!);
    if (token === 'SID_ADMIN_CSRF') {
      const sid = await this.login('Administrator', PASSWORDS.ADMIN!);
      if (!this.file.includes('before-app')) this.vars.set('CSRF_TOKEN', this.s.armCsrf(sid));
      return sid;
    }
    if (token === 'CSRF_TOKEN') return this.s.armCsrf(await this.resolve('SID_ADMIN_CSRF'));
    if (token === 'SID_ADMIN_CSRF_2') return this.login('Administrator', PASSWORDS.ADMIN!);
    if ((m = /^SID_(ADMIN|SALES)_LOGGED_OUT$/.exec(token))) {
      const sid = await this.login(USERS[m[1]!]!, PASSWORDS[m[1]!]!);
      if (!this.file.startsWith('auth-logout-'))
        await send(this.s.url, 'POST', '/api/method/logout', { Cookie: `sid=${sid}` });
      return sid;
    }
    if ((m = /^SID_(ADMIN|SALES)_EXPIRED$/.exec(token))) {
      const sid = await this.login(USERS[m[1]!]!, PASSWORDS[m[1]!]!);
      this.s.expireSession(sid);
      return sid;
    }
    if (token === 'SID_SALES_OTHER_IP') return this.login('sales@example.com', PASSWORDS.SALES!, '10.98.0.1');
    if ((m = /^PASSWORD_(ADMIN|SALES|LIMITED)$/.exec(token))) return PASSWORDS[m[1]!]!;
    if (token === 'API_KEY') return DEMO_API_KEYS.admin.key;
    if (token === 'API_SECRET') return DEMO_API_KEYS.admin.secret;
    if (token === 'API_KEY_SALES') return DEMO_API_KEYS.sales.key;
    if (token === 'API_SECRET_SALES') return DEMO_API_KEYS.sales.secret;
    if (token === 'CLIENT_ID') return DEMO_OAUTH_CLIENTS[0]!.clientId;
    if (token === 'CLIENT_SECRET') return DEMO_OAUTH_CLIENTS[0]!.clientSecret;
    if (token === 'CLIENT_ID_CONSENT') return DEMO_OAUTH_CLIENTS[1]!.clientId;
    if (token === 'CLIENT_SECRET_CONSENT') return DEMO_OAUTH_CLIENTS[1]!.clientSecret;
    if ((m = /^BASE64\((.+):(.+)\)$/.exec(token))) {
      const part = async (p: string): Promise<string> => (/^[A-Z_]+$/.test(p) ? this.resolve(p) : p);
      return Buffer.from(`${await part(m[1]!)}:${await part(m[2]!)}`).toString('base64');
    }
    if ((m = /^(ACCESS|REFRESH)_TOKEN_(\d+)$/.exec(token))) {
      const n = Number(m[2]);
      const spec = tokenSpec(n, this.file);
      const pair = this.s.issueBearer(spec.user, {
        scope: spec.scope,
        expiresInSeconds: spec.expired ? -60 : undefined,
      });
      if (spec.revoked) this.s.revokeBearer(pair.access_token);
      this.vars.set(`ACCESS_TOKEN_${n}`, pair.access_token);
      this.vars.set(`REFRESH_TOKEN_${n}`, pair.refresh_token);
      return m[1] === 'ACCESS' ? pair.access_token : pair.refresh_token;
    }
    if ((m = /^CODE_VERIFIER_(\w+)$/.exec(token))) return randomBytes(48).toString('base64url');
    if ((m = /^CODE_CHALLENGE_(\w+)$/.exec(token))) return s256(await this.resolve(`CODE_VERIFIER_${m[1]}`));
    if ((m = /^AUTH_CODE_(\d+)$/.exec(token))) return this.authCode(Number(m[1]));
    // Frappe 16's dynamic client registration (https redirect URIs only).
    if (token === 'DCR_CLIENT_ID') return this.register('DCR_CLIENT', { scope: 'all openid' });
    if (token === 'DCR_CLIENT_SECRET')
      return (await this.resolve('DCR_CLIENT_ID'), this.vars.get('DCR_CLIENT_SECRET')!);
    if (token === 'DCR_PUBLIC_CLIENT_ID')
      return this.register('DCR_PUBLIC_CLIENT', { token_endpoint_auth_method: 'none' });
    if (token === 'DCR_TWO_URIS_CLIENT_ID')
      return this.register('DCR_TWO_URIS_CLIENT', { redirect_uris: [DCR_REDIRECT, 'https://127.0.0.1:8766/callback'] });
    if (token === 'AUTH_CODE_DCR_CONF') return this.dcrCode('DCR_CLIENT_ID', 'DCR_CONF', 'all openid');
    if (token === 'AUTH_CODE_DCR_PUBLIC') return this.dcrCode('DCR_PUBLIC_CLIENT_ID', 'DCR_PUBLIC', 'all');
    throw new Error(`no resolver for placeholder <${token}>`);
  }

  /** Registers a client through register_client; sets `<prefix>_ID` (returned) and `<prefix>_SECRET`. */
  private async register(prefix: string, extra: Record<string, unknown>): Promise<string> {
    const res = await send(
      this.s.url,
      'POST',
      '/api/method/frappe.integrations.oauth2.register_client',
      { 'Content-Type': 'application/json', Host: '127.0.0.1:8100' },
      JSON.stringify({ client_name: prefix, redirect_uris: [DCR_REDIRECT], response_types: ['code'], ...extra }),
    );
    const body = JSON.parse(res.body) as { client_id?: string; client_secret?: string };
    if (res.status !== 201 || !body.client_id) throw new Error(`register_client: ${res.status} ${res.body}`);
    if (body.client_secret) this.vars.set(`${prefix}_SECRET`, body.client_secret);
    return body.client_id;
  }

  /** A code for a registered client, bound to CODE_VERIFIER_<key>, approved by Administrator. */
  private async dcrCode(clientVar: string, key: string, scope: string): Promise<string> {
    const sid = await this.login(USERS.ADMIN!, PASSWORDS.ADMIN!);
    const q = new URLSearchParams({
      client_id: await this.resolve(clientVar),
      response_type: 'code',
      redirect_uri: DCR_REDIRECT,
      scope,
      state: 's',
      code_challenge: await this.resolve(`CODE_CHALLENGE_${key}`),
      code_challenge_method: 'S256',
    });
    const res = await send(this.s.url, 'GET', `/api/method/frappe.integrations.oauth2.approve?${q.toString()}`, {
      Cookie: `sid=${sid}; user_id=Administrator`,
    });
    const code = new URL(String(res.headers.location ?? 'x:')).searchParams.get('code');
    if (!code) throw new Error(`approve did not redirect with a code: ${res.status}`);
    return code;
  }

  /** Runs authorize→approve as the real flow does and returns the code bound to CODE_VERIFIER_n. */
  private async authCode(n: number): Promise<string> {
    const sales = this.file === 'oauth-token-pkce-ok-sales';
    const sid = await this.login(sales ? USERS.SALES! : USERS.ADMIN!, sales ? PASSWORDS.SALES! : PASSWORDS.ADMIN!);
    const challenge = await this.resolve(`CODE_CHALLENGE_${n}`);
    const scope = this.file === 'oauth-token-scope-all-only' ? 'all' : 'openid all';
    const q = new URLSearchParams({
      client_id: DEMO_OAUTH_CLIENTS[0]!.clientId,
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:8765/callback',
      scope,
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const user = sales ? 'sales%40example.com' : 'Administrator';
    const res = await send(
      this.s.url,
      'GET',
      `/api/method/frappe.integrations.oauth2.approve?${q.toString().replace(/\+/g, '%20')}`,
      { Cookie: `sid=${sid}; user_id=${user}` },
    );
    const location = String(res.headers.location ?? '');
    const code = new URL(location).searchParams.get('code');
    if (!code) throw new Error(`approve did not redirect with a code: ${res.status} ${location}`);
    return code;
  }

  /** Replaces every `<PLACEHOLDER>` in a string. */
  async fill(text: string): Promise<string> {
    const tokens = [...text.matchAll(/<([A-Z0-9_]+(?:\([^)]*\))?)>/g)].map((x) => x[1]!);
    let out = text;
    for (const t of tokens) out = out.split(`<${t}>`).join(await this.resolve(t));
    return out;
  }

  async fillDeep(value: unknown): Promise<unknown> {
    if (typeof value === 'string') return this.fill(value);
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.fillDeep(v)));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await this.fillDeep(v);
      return out;
    }
    return value;
  }
}
