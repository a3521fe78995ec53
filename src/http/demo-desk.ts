import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { DEMO_USERS } from '../standin/demo.js';
import type { Gateway } from '../gateway.js';
import { sendError } from './errors.js';

/** The checkout's root, from src/http or dist/http alike. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Demo mode only: a desk-like page with the Frappe app's real "@ai" script, and a sign-in that logs a
 * demo user into the stand-in and hands the browser that session's sid cookie and CSRF token, as the
 * real desk would after a login.
 */
export function demoDesk(gw: Gateway): Router {
  const root = repoRoot();
  const router = express.Router();
  // Express matches '/desk' for '/desk/' too (non-strict routing): redirect only the slash-less form,
  // or the page would redirect to itself.
  const toDesk: express.RequestHandler = (req, res, next) => {
    const path = req.originalUrl.split('?')[0] ?? '';
    if (path.endsWith('/') && path !== '/demo/') return next();
    res.redirect(302, '/demo/desk/');
  };
  router.get('/', toDesk);
  router.get('/desk', toDesk);
  // The Frappe app's desk scripts, as ES modules (the bundle entry imports ./ask_ai/*.js).
  router.use(
    '/desk/js',
    (req, res, next) => (req.path.endsWith('.js') ? next() : sendError(res, 404, 'not_found', 'Not a desk script.')),
    express.static(resolve(root, 'frappe_app/frappe_mcp_gateway/public/js'), {
      dotfiles: 'deny',
      index: false,
      redirect: false,
    }),
  );
  router.use('/desk', express.static(resolve(root, 'src/demo/desk'), { index: 'index.html', dotfiles: 'deny' }));
  router.post('/login', express.json({ limit: '2kb' }), (req, res, next) => {
    const user = (req.body as { user?: unknown } | undefined)?.user;
    const demo = Object.values(DEMO_USERS).find((u) => u.user === user);
    if (!demo)
      return sendError(
        res,
        400,
        'unknown_demo_user',
        `Pick one of: ${Object.values(DEMO_USERS)
          .map((u) => u.user)
          .join(', ')}.`,
      );
    void (async () => {
      const login = await fetch(`${gw.frappeUrl}/api/method/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ usr: demo.user, pwd: demo.password }),
      });
      const sid = /(?:^|;\s*)sid=([^;]+)/.exec(
        login.headers.getSetCookie().find((c) => c.startsWith('sid=')) ?? '',
      )?.[1];
      if (!login.ok || !sid) return sendError(res, 502, 'demo_login_failed', 'The demo stand-in refused the login.');
      // As the desk does: loading /app gives the session its CSRF token.
      const app = await fetch(`${gw.frappeUrl}/app`, { headers: { Cookie: `sid=${sid}` }, redirect: 'manual' });
      const csrf = /frappe\.csrf_token\s*=\s*"([^"]+)"/.exec(await app.text())?.[1] ?? '';
      res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax', path: '/' });
      res.json({ user: demo.user, csrf_token: csrf });
    })().catch(next);
  });
  return router;
}
