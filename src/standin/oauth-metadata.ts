import { randomBytes } from 'node:crypto';
import type { Reply, RequestContext } from './context.js';
import { str } from './context.js';
import { thrown } from './errors.js';
import { openidConfiguration } from './oauth.js';
import type { StandinState } from './state.js';

const M = '/api/method/frappe.integrations.oauth2';

/** The OAuth Settings single of Frappe 16, as recorded (`v16-oauth-settings-doc`); tests may switch parts off. */
export interface OAuthSettings {
  show_auth_server_metadata: 0 | 1;
  show_protected_resource_metadata: 0 | 1;
  enable_dynamic_client_registration: 0 | 1;
}

export const DEFAULT_OAUTH_SETTINGS: Readonly<OAuthSettings> = {
  show_auth_server_metadata: 1,
  show_protected_resource_metadata: 1,
  enable_dynamic_client_registration: 1,
};

/** The OAuth Settings document as GET /api/resource/OAuth Settings/OAuth Settings returns it. */
export function oauthSettingsDoc(settings: OAuthSettings): Record<string, unknown> {
  return {
    name: 'OAuth Settings',
    owner: 'Administrator',
    modified: '2026-12-06 00:19:54.789821',
    modified_by: 'Administrator',
    docstatus: 0,
    idx: '0',
    show_auth_server_metadata: settings.show_auth_server_metadata,
    skip_authorization: 0,
    enable_dynamic_client_registration: settings.enable_dynamic_client_registration,
    show_protected_resource_metadata: settings.show_protected_resource_metadata,
    show_social_login_key_as_authorization_server: 0,
    resource_name: 'Frappe Framework Application',
    resource_documentation: 'https://docs.frappe.io/framework',
    doctype: 'OAuth Settings',
  };
}

function authorizationServer(ctx: RequestContext, settings: OAuthSettings): Record<string, unknown> {
  const base = ctx.baseUrl;
  return {
    authorization_endpoint: `${base}${M}.authorize`,
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    introspection_endpoint: `${base}${M}.introspect_token`,
    issuer: base,
    ...(settings.enable_dynamic_client_registration ? { registration_endpoint: `${base}${M}.register_client` } : {}),
    response_modes_supported: ['query'],
    response_types_supported: ['code'],
    revocation_endpoint: `${base}${M}.revoke_token`,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic'],
    service_documentation:
      'https://docs.frappe.io/framework/user/en/guides/integration/how_to_set_up_oauth#add-a-client-app',
    token_endpoint: `${base}${M}.get_token`,
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
    userinfo_endpoint: `${base}${M}.openid_profile`,
  };
}

/**
 * Frappe 16's well-known documents: OIDC discovery served directly, RFC 8414 metadata and RFC 9728 protected-resource
 * metadata (any path suffix, same body), each hidden when OAuth Settings says so. Undefined: not one of them.
 */
export function wellKnown(ctx: RequestContext, state: StandinState, path: string): Reply | undefined {
  const settings = state.oauthSettings;
  if (path === '/.well-known/openid-configuration') return openidConfiguration(ctx);
  if (path === '/.well-known/oauth-authorization-server' && settings.show_auth_server_metadata)
    return { raw: true, body: authorizationServer(ctx, settings) };
  if (
    (path === '/.well-known/oauth-protected-resource' || path.startsWith('/.well-known/oauth-protected-resource/')) &&
    settings.show_protected_resource_metadata
  ) {
    return {
      raw: true,
      body: {
        authorization_servers: [ctx.baseUrl],
        bearer_methods_supported: ['header'],
        resource: ctx.baseUrl,
        resource_documentation: 'https://docs.frappe.io/framework',
        resource_name: 'Frappe Framework Application',
      },
    };
  }
  return undefined;
}

const invalidMetadata = (description: string): Reply => ({
  status: 400,
  raw: true,
  body: { error: 'invalid_client_metadata', error_description: description },
});

/**
 * POST frappe.integrations.oauth2.register_client (RFC 7591, Guest): https redirect URIs only (the site is not in
 * developer mode), grant types cut to authorization_code, a secret unless `token_endpoint_auth_method: none`.
 * The client's redirect URIs are stored newline-separated, so one with two or more cannot authorize (recorded).
 */
export function registerClient(ctx: RequestContext, state: StandinState): Reply {
  if (!state.oauthSettings.enable_dynamic_client_registration)
    throw thrown('PermissionError', 'Dynamic client registration is disabled');
  const a = ctx.args;
  const uris = Array.isArray(a.redirect_uris) ? a.redirect_uris.map(String) : undefined;
  if (!uris || uris.length === 0) return invalidMetadata('redirect_uris: Field required');
  if (uris.some((u) => !u.startsWith('https://'))) return invalidMetadata('redirect_uris must be https');
  const method = str(a.token_endpoint_auth_method) ?? 'client_secret_basic';
  const clientId = randomBytes(5).toString('hex');
  const secret = method === 'none' ? undefined : randomBytes(5).toString('hex');
  const scope = str(a.scope) ?? 'all';
  const name = str(a.client_name) ?? clientId;
  state.oauth.clients.set(clientId, {
    clientId,
    clientSecret: secret ?? '',
    appName: name,
    skipAuthorization: false,
    scopes: scope.split(' ').filter(Boolean),
    // Stored joined by newlines but checked split on spaces: only a single URI ever matches.
    redirectUris: uris.length === 1 ? uris : [uris.join('\n')],
  });
  const responseTypes = Array.isArray(a.response_types) ? a.response_types.map(String) : ['code'];
  return {
    status: 201,
    raw: true,
    body: {
      client_id: clientId,
      client_id_issued_at: Math.floor(ctx.now / 1000),
      client_name: name,
      ...(secret ? { client_secret: secret } : {}),
      client_secret_expires_at: 0,
      grant_types: ['authorization_code'],
      redirect_uris: uris,
      response_types: responseTypes,
      scope,
    },
  };
}
