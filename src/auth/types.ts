import type { IncomingHttpHeaders } from 'node:http';
import type { Credential, CredentialKind } from '../frappe/credential.js';
import type { FrappeSite } from '../frappe/client.js';

/** Who Frappe says the caller is. Holds no secret. */
export interface Principal {
  user: string;
  fullName?: string;
  /** Filled when known (e.g. by whoami); never used for permission decisions, Frappe judges those. */
  roles?: string[];
  kind: CredentialKind;
  /** True when no credential was sent and the configured service account stands in. */
  serviceAccount?: boolean;
  /** The Frappe site origin. */
  site: string;
  /** Epoch ms until which the gateway trusts this identity without asking Frappe again. */
  validUntil: number;
}

/** What verify learned from Frappe. */
export interface VerifiedIdentity {
  user: string;
  fullName?: string;
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
