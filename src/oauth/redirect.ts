const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Redirect URIs accepted at registration besides https and loopback http (exact match). */
export const KNOWN_APP_REDIRECTS = ['cursor://anysphere.cursor-mcp/oauth/callback'];

export function isLoopbackHttp(u: URL): boolean {
  return u.protocol === 'http:' && LOOPBACK.has(u.hostname);
}

/**
 * Why a redirect URI is refused, or undefined when it is acceptable: https anywhere, http on a
 * loopback host (any port), the known desktop-app callbacks, and the operator's extra list.
 */
export function redirectUriProblem(uri: string, extra: readonly string[]): string | undefined {
  if (KNOWN_APP_REDIRECTS.includes(uri) || extra.includes(uri)) return undefined;
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return `${uri} is not an absolute URL`;
  }
  if (u.hash || uri.includes('#')) return `${uri} must not have a fragment`;
  if (u.username || u.password) return `${uri} must not carry credentials`;
  // Odd spellings (http://127.1/cb, /x/../cb, %-encoded dots) are refused, not kept as typed: the
  // URI registered must be the one a browser will actually be sent to.
  if ((u.protocol === 'https:' || u.protocol === 'http:') && u.href !== uri && u.href !== `${uri}/`)
    return `${uri} is not written in its normal form; register it as ${u.href}`;
  if (u.protocol === 'https:') return undefined;
  if (isLoopbackHttp(u)) return undefined;
  return `${uri} is not allowed: use https, http on localhost/127.0.0.1/[::1], or a known app callback`;
}

/**
 * Exact string match, except that a loopback http URI matches on any port (RFC 8252 §7.3): Claude
 * Code's metadata document lists port-less loopback URIs and listens on a random port.
 */
export function redirectMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  let r: URL;
  try {
    r = new URL(requested);
  } catch {
    return false;
  }
  // Port relaxation only for a plainly written loopback URI: no userinfo (http://evil@127.0.0.1/cb),
  // no other spelling of the host or path.
  if (!isLoopbackHttp(r) || r.username || r.password || r.href !== requested) return false;
  return registered.some((reg) => {
    try {
      const g = new URL(reg);
      return (
        isLoopbackHttp(g) && g.hostname === r.hostname && g.pathname === r.pathname && g.search === r.search && !r.hash
      );
    } catch {
      return false;
    }
  });
}
