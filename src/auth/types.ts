import type { IncomingHttpHeaders } from 'node:http';
import type { Credential, CredentialKind } from '../frappe/credential.js';
import type { FrappeSite } from '../frappe/client.js';

/** Who Frappe says the caller is. Holds no secret. */
export interface Principal {
  user: string;
  fullName?: string;
  /**
   * Filled when known (OAuth userinfo, or the chat's role check, which caches them here). Only used to
   * admit a caller to the chat (chat.allowed_roles); every data permission stays Frappe's decision.
   */
  roles?: string[];
  kind: CredentialKind;
  /** True when no credential was sent and the configured service account stands in. */
  serviceAccount?: boolean;
  /** The Frappe site origin. */
  site: string;
  /** Epoch ms until which the gateway trusts this identity without asking Frappe again. */
  validUntil: number;
  /**
   * OAuth scopes granted to a token the gateway minted (e.g. frappe:read, frappe:write). Undefined for
   * credentials Frappe alone limits (sid, API key, a Frappe bearer): see hasWriteScope in src/oauth.
   */
  scopes?: string[];
  /** The OAuth client a minted token was issued to. */
  oauthClientId?: string;
}

/** What verify learned from Frappe. */
export interface VerifiedIdentity {
  user: string;
  fullName?: string;
  roles?: string[];
  /** The credential's own end of life, when Frappe tells it (bearer tokens). */
  expiresAt?: number;
}

/** A credential that was presented but cannot be used, found without asking Frappe. */
export interface MalformedCredential {
  kind: CredentialKind;
  malformed: string;
}

export interface AuthStrategy {
  readonly kind: CredentialKind;
  /** This strategy's credential in the request, a description of why it is unusable, or null when absent. No I/O. */
  extract(headers: IncomingHttpHeaders): Credential | MalformedCredential | null;
  /**
   * Asks Frappe who this is. Throws FrappeError: `credentialRejected` or a 403 means Frappe said no;
   * `isOutage` means Frappe could not answer.
   */
  verify(credential: Credential, site: FrappeSite, signal?: AbortSignal): Promise<VerifiedIdentity>;
}

export function isMalformed(v: Credential | MalformedCredential): v is MalformedCredential {
  return 'malformed' in v;
}

/** What a token the gateway minted stands for: the user and their CURRENT Frappe credential. */
export interface MintedIdentity {
  user: string;
  clientId: string;
  scopes: string[];
  /** Always a Frappe bearer; the caller's own token is never forwarded. */
  credential: Credential;
  /** Epoch ms when the minted token expires. */
  expiresAt: number;
}

/** The OAuth facade's side of the bearer strategy (src/oauth). */
export interface MintedTokens {
  /** True when the gateway issued this token; no I/O (a prefix). */
  recognises(token: string): boolean;
  /** The token's grant, the Frappe token refreshed when due (or when forced); null when unknown, expired or revoked. */
  resolve(token: string, forceRefresh?: boolean): Promise<MintedIdentity | null>;
  /** Frappe refused the forwarded credential during a call: refresh it before the next use. */
  upstreamRejected(token: string): void;
}
