import type { FrappeSite } from './client.js';
import { FrappeError } from './errors.js';

/**
 * Asks Frappe's guest `ping` once at start-up. Returns a sentence naming what to fix, or undefined
 * when the site answers like Frappe. The gateway starts either way: requests get 503 until Frappe
 * answers, and recover without a restart.
 */
export async function probeFrappe(site: FrappeSite): Promise<string | undefined> {
  const where = `FRAPPE_URL ${site.origin}`;
  try {
    const res = await site.send({ method: 'GET', path: '/api/method/ping' }, {});
    let body: unknown;
    try {
      body = JSON.parse(res.data);
    } catch {
      return `${where} answered ping with something that is not JSON (HTTP ${res.status}); is it a Frappe site, and is the URL right?`;
    }
    if (res.status !== 200 || (body as { message?: unknown }).message !== 'pong') {
      return `${where} answered ping with HTTP ${res.status} instead of "pong"; check the URL and FRAPPE_SITE_NAME.`;
    }
    return undefined;
  } catch (err) {
    const why = (err instanceof FrappeError ? err.message : String(err)).replace(/\.$/, '');
    return `${where} is not reachable (${why}); requests will get 503 until it answers.`;
  }
}
