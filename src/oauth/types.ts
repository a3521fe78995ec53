import type { Credential } from '../frappe/credential.js';

export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';

/** A registered (DCR) or metadata-document (CIMD) client, as echoed by /register. Never holds null. */
export interface ClientRecord {
  client_id: string;
  client_name?: string;
  redirect_uris: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: string[];
  response_types: string[];
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  scope?: string;
  application_type?: string;
  client_uri?: string;
  logo_uri?: string;
  software_id?: string;
  software_version?: string;
  /** sha256 of the client secret; never echoed. */
  secret_hash?: string;
  /** True for Client ID Metadata Document clients (never stored). */
  cimd?: boolean;
}

/** The user's Frappe tokens, only ever stored sealed. */
export interface FrappeTokens {
  access: string;
  refresh?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** An /authorize request waiting for the Frappe login. */
export interface PendingAuthorization {
  clientId: string;
  clientName: string;
  redirectUri: string;
  /** The /authorize request named redirect_uri (then /token must repeat it, RFC 6749 §4.1.3). */
  redirectUriSent: boolean;
  state?: string;
  challenge: string;
  scopes: string[];
  resource: string;
  frappeVerifier: string;
  /** The per-address slot this sign-in holds until Frappe sends the browser back. */
  slot?: string;
}

/** After the Frappe login, waiting for the user's decision on our consent page. */
export interface PendingConsent extends PendingAuthorization {
  user: string;
  csrfHash: string;
  /** Sealed FrappeTokens, bound to this consent id. */
  frappe: string;
}

/** One user's authorization of one client: the refresh-token family and the Frappe tokens behind it. */
export interface Grant {
  id: string;
  user: string;
  clientId: string;
  scopes: string[];
  resource: string;
  /** Sealed FrappeTokens, bound to the grant id. */
  frappe: string;
  /** Frappe refused the current access token: refresh before the next use. */
  stale?: boolean;
  createdAt: number;
}

export interface CodeRecord {
  grantId: string;
  clientId: string;
  redirectUri: string;
  /** Absent in codes minted before this field existed: treated as sent. */
  redirectUriSent?: boolean;
  challenge: string;
  resource: string;
  scopes: string[];
}

export interface AccessRecord {
  grantId: string;
  clientId: string;
  scopes: string[];
  resource: string;
  /** Epoch ms. */
  exp: number;
}

export interface RefreshRecord {
  grantId: string;
  clientId: string;
  scopes: string[];
  resource: string;
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
