import { sha256 } from '../hash.js';
import type { MintedIdentity, MintedTokens } from '../auth/types.js';
import { StoreUnavailableError } from '../redis/errors.js';

const MAX_REMEMBERED = 10_000;

/**
 * Gateway tokens are resolved in the shared store on every request, so revocation on one replica
 * holds on all of them at once. While that store (Redis) is down, a token this process resolved
 * before keeps working until it expires: it was valid when Redis was last reachable, and nobody can
 * revoke it meanwhile (revocation needs Redis too). Tokens never seen here get 503 with Retry-After.
 */
export function withOutageFallback(minted: MintedTokens, now: () => number = Date.now): MintedTokens {
  const known = new Map<string, MintedIdentity>();
  return {
    recognises: (token) => minted.recognises(token),
    upstreamRejected: (token) => minted.upstreamRejected(token),
    async resolve(token, forceRefresh) {
      const key = sha256(token);
      try {
        const identity = await minted.resolve(token, forceRefresh);
        known.delete(key);
        if (identity) {
          known.set(key, identity);
          if (known.size > MAX_REMEMBERED) known.delete(known.keys().next().value!);
        }
        return identity;
      } catch (err) {
        const last = known.get(key);
        if (err instanceof StoreUnavailableError && !forceRefresh && last && last.expiresAt > now()) return last;
        throw err;
      }
    },
  };
}
