import { isWellFormedKeyPart } from '../../frappe/credential.js';
import type { AuthStrategy } from '../types.js';
import { authorizationParts } from './authorization.js';
import { loggedUser } from './logged-user.js';

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/** `Authorization: token key:secret`, or the same pair as HTTP Basic. */
export const apiKeyStrategy: AuthStrategy = {
  kind: 'api_key',
  extract(headers) {
    const parts = authorizationParts(headers);
    if (!parts || (parts.scheme !== 'token' && parts.scheme !== 'basic')) return null;
    let pair = parts.value;
    if (parts.scheme === 'basic') {
      if (!BASE64_RE.test(pair)) return { kind: 'api_key', malformed: 'the Basic credential is not base64' };
      pair = Buffer.from(pair, 'base64').toString('utf8');
    }
    const i = pair.indexOf(':');
    const key = pair.slice(0, i);
    const secret = pair.slice(i + 1);
    if (i < 1 || !isWellFormedKeyPart(key) || !isWellFormedKeyPart(secret)) {
      return { kind: 'api_key', malformed: 'the API key must be key:secret' };
    }
    return { kind: 'api_key', key, secret };
  },
  verify: loggedUser,
};
