import type { Config } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import type { FrappeSite } from './client.js';
import { behaviourOf, siteVersion, type SiteVersion } from './version.js';

/**
 * Sentences for an operator whose OAuth setting does not fit the site's version, or undefined when it fits.
 * Direct mode sends MCP clients to Frappe's own authorization server: 15 has none (no discovery, no registration);
 * 16's registration refuses the loopback redirect URIs desktop clients use.
 */
export function oauthModeAdvice(config: Config, version: SiteVersion | undefined): string | undefined {
  if (config.oauth.mode !== 'direct' || !version) return undefined;
  if (!behaviourOf(version.major).ownOAuthServer) {
    return (
      'OAUTH_MODE=direct, but this Frappe 15 site has no OAuth discovery or dynamic client registration: ' +
      'MCP clients cannot sign in by themselves. Use OAUTH_MODE=facade (the default).'
    );
  }
  return (
    'OAUTH_MODE=direct on Frappe 16: loopback MCP clients (Claude Desktop’s bridge, mcp-remote, MCP Inspector, ' +
    'Claude Code) cannot register with Frappe’s dynamic client registration, which takes only https redirect URIs ' +
    'unless the site runs in developer mode; a client with two or more redirect URIs cannot authorize; and the ' +
    'advertised client_secret_basic is refused (401). Use OAUTH_MODE=facade (the default) for those clients.'
  );
}

/**
 * Learns the site's version once at start-up (guest answers only: no credential is at hand yet), logs it, and
 * warns when the OAuth mode does not fit it. Returns the warning, if any, for stderr.
 */
export async function checkVersionAtStartup(
  config: Config,
  site: FrappeSite,
  logger: Logger,
): Promise<string | undefined> {
  const version = await siteVersion(site).learn();
  if (!version) {
    logger.warn('frappe version not learned yet (site unreachable); it is learned on the first request');
    return undefined;
  }
  // A learned version was logged as it was learned; a pinned one is said here.
  if (version.source === 'config')
    logger.info({ frappe: { major: version.major, source: 'config' } }, 'frappe version');
  const advice = oauthModeAdvice(config, version);
  if (advice) logger.warn({ frappe: { major: version.major } }, advice);
  return advice;
}
