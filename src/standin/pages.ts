import type { Reply, RequestContext } from './context.js';
import type { StandinState } from './state.js';

const page = (title: string, extra = ''): string =>
  `<!DOCTYPE html>\n<html>\n<head>\n<title>${title}</title>\n</head>\n<body>\n${extra}\n</body>\n</html>\n`;

/** Website routes the API clients meet: /app (creates the CSRF token), /login and the OIDC well-known redirect. */
export function websitePage(ctx: RequestContext, state: StandinState, path: string): Reply {
  if (path === '/app' || path.startsWith('/app/')) {
    if (!ctx.session) return { status: 301, location: `/login?redirect-to=${encodeURIComponent(path)}`, html: '' };
    const token = state.sessions.csrfToken(ctx.session.sid);
    return { html: page('Frappe', `<script>\nfrappe.csrf_token = "${token}";\n</script>`) };
  }
  if (path === '/login') {
    if (ctx.session) return { status: 301, location: '/app/home', html: '' };
    return { html: page('Login') };
  }
  if (path === '/.well-known/openid-configuration') {
    return { status: 301, location: '/api/method/frappe.integrations.oauth2.openid_configuration', html: '' };
  }
  return { status: 404, html: page('Not Found', '<p>The resource you are looking for is not available</p>') };
}
