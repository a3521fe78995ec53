import { sha256 } from '../hash.js';

/**
 * A credential a caller presented, exactly as it will be forwarded to Frappe.
 * `sid` may carry the browser's own CSRF token (X-Frappe-CSRF-Token) when the caller sent one.
 */
export type Credential =
  | { kind: 'sid'; sid: string; csrfToken?: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'api_key'; key: string; secret: string };

export type CredentialKind = Credential['kind'];

/** Frappe session ids are hex; anything that could break a Cookie header is refused before use. */
const SID_RE = /^[A-Za-z0-9]{8,128}$/;
/** RFC 6750 b64token, bounded. */
const TOKEN_RE = /^[A-Za-z0-9\-._~+/]{8,512}=*$/;
const KEY_PART_RE = /^[A-Za-z0-9\-._~]{1,256}$/;
const CSRF_RE = /^[A-Za-z0-9\-_]{8,256}$/;

export function isWellFormedSid(v: string): boolean {
  return SID_RE.test(v) && v !== 'Guest';
}
export function isWellFormedToken(v: string): boolean {
  return TOKEN_RE.test(v);
}
export function isWellFormedKeyPart(v: string): boolean {
  return KEY_PART_RE.test(v);
}
export function isWellFormedCsrfToken(v: string): boolean {
  return CSRF_RE.test(v);
}

/**
 * The ONLY place a credential becomes HTTP headers. Nothing else in the gateway writes Cookie or
 * Authorization towards Frappe, so a credential can only travel where the Frappe client sends it.
 * `csrfToken` is added for sid writes; Frappe checks it only for sessions that own one.
 */
export function credentialHeaders(c: Credential, csrfToken?: string): Record<string, string> {
  switch (c.kind) {
    case 'sid':
      return csrfToken ? { Cookie: `sid=${c.sid}`, 'X-Frappe-CSRF-Token': csrfToken } : { Cookie: `sid=${c.sid}` };
    case 'bearer':
      return { Authorization: `Bearer ${c.token}` };
    case 'api_key':
      return { Authorization: `token ${c.key}:${c.secret}` };
  }
}

/** The secret part of a credential, hashed: the only form in which a credential is used as a key. */
export function credentialFingerprint(c: Credential): string {
  const material = c.kind === 'sid' ? c.sid : c.kind === 'bearer' ? c.token : `${c.key}:${c.secret}`;
  return sha256(`${c.kind}\0${material}`, 'hex');
}
