/**
 * A site's public URL may carry a path prefix (`https://gw.example.com/s/acme`) when several sites
 * share one host. Every URL the gateway publishes is built from these, so the prefix is never lost.
 */

/** Origin plus path prefix, without a trailing slash: the OAuth issuer, and the base of every endpoint. */
export function baseUrl(publicUrl: URL): string {
  return publicUrl.origin + publicUrl.pathname.replace(/\/+$/, '');
}

/** The path-inserted protected-resource metadata URL of `<base>/mcp` (RFC 9728 §3.1). */
export function resourceMetadataUrl(publicUrl: URL): string {
  return `${publicUrl.origin}/.well-known/oauth-protected-resource${publicUrl.pathname.replace(/\/+$/, '')}/mcp`;
}
