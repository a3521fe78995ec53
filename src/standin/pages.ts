import type { Reply, RequestContext } from './context.js';
import { wellKnown } from './oauth-metadata.js';
import type { StandinState } from './state.js';

const page = (title: string, extra = ''): string =>
  `<!DOCTYPE html>\n<html>\n<head>\n<title>${title}</title>\n</head>\n<body>\n${extra}\n</body>\n</html>\n`;

const isUnder = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);

/**
 * Website routes the API clients meet: the desk (/app on 15, /desk on 16: renders the CSRF token), /login and the
 * OAuth well-known documents (15: a redirect to the OIDC method; 16: served here, plus RFC 8414 and RFC 9728).
 */
export function websitePage(ctx: RequestContext, state: StandinState, path: string): Reply {
  const desk = ctx.traits.deskPath;
  // Frappe 16 moved the desk: /app only redirects (guest or not) and arms nothing.
  if (desk === '/desk' && isUnder(path, '/app')) return { status: 301, location: '/desk', html: '' };
  if (isUnder(path, desk)) {
    if (!ctx.session) return { status: 301, location: `/login?redirect-to=${encodeURIComponent(path)}`, html: '' };
    const token = state.sessions.csrfToken(ctx.session.sid);
    return { html: page('Frappe', `<script>\nfrappe.csrf_token = "${token}";\n</script>`) };
  }
  if (path === '/login') {
    if (ctx.session) return { status: 301, location: desk === '/desk' ? '/desk' : '/app/home', html: '' };
    return { html: page('Login', '<meta name="title" content="Login">') };
  }
  if (ctx.traits.oauthServerMetadata) {
    const doc = wellKnown(ctx, state, path);
    if (doc) return doc;
  }
  if (path === '/.well-known/openid-configuration') {
    return { status: 301, location: '/api/method/frappe.integrations.oauth2.openid_configuration', html: '' };
  }
  return { status: 404, html: page('Not Found', '<p>The resource you are looking for is not available</p>') };
}
