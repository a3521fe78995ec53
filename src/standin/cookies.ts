import { getFullName } from './users.js';

function httpDate(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, 'GMT');
}

/**
 * The cookies Frappe sets on every answer: the session's sid (sliding Max-Age) plus user cookies; `clear` appends the
 * expiring copies Frappe queues when it drops a session or rejects an Authorization header (order as recorded).
 */
export function sessionCookies(opts: {
  sid: string;
  user: string;
  now: number;
  maxAge: number;
  clear: boolean;
  /** Frappe 16: `user_lang=en` instead of `user_image=`, and cookies the request already holds are not set again. */
  langCookie: boolean;
  sent: Record<string, string>;
}): string[] {
  const { sid, user, now, maxAge, langCookie } = opts;
  const guest = user === 'Guest';
  const values: Array<[string, string]> = [
    ['system_user', guest ? 'no' : 'yes'],
    ['full_name', encodeURIComponent(guest ? 'Guest' : getFullName(user))],
    ['user_id', encodeURIComponent(user)],
    langCookie ? ['user_lang', 'en'] : ['user_image', ''],
  ];
  const cookies = [
    `sid=${sid}; Expires=${httpDate(now + maxAge * 1000)}; Max-Age=${maxAge}; HttpOnly; Path=/; SameSite=Lax`,
    ...values
      .filter(
        ([name, value]) =>
          !langCookie || opts.sent[name] === undefined || encodeURIComponent(opts.sent[name]) !== value,
      )
      .map(([name, value]) => `${name}=${value}; Path=/; SameSite=Lax`),
  ];
  if (opts.clear) {
    const past = httpDate(now - 86_400_000);
    const order = langCookie
      ? ['sid', 'user_image', 'system_user', 'user_lang', 'user_id', 'full_name']
      : ['system_user', 'user_id', 'user_image', 'sid', 'full_name'];
    for (const name of order) cookies.push(`${name}=; Expires=${past}; Path=/`);
  }
  return cookies;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}
