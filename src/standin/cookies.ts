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
}): string[] {
  const { sid, user, now, maxAge } = opts;
  const guest = user === 'Guest';
  const cookies = [
    `sid=${sid}; Expires=${httpDate(now + maxAge * 1000)}; Max-Age=${maxAge}; HttpOnly; Path=/; SameSite=Lax`,
    `system_user=${guest ? 'no' : 'yes'}; Path=/; SameSite=Lax`,
    `full_name=${encodeURIComponent(guest ? 'Guest' : getFullName(user))}; Path=/; SameSite=Lax`,
    `user_id=${encodeURIComponent(user)}; Path=/; SameSite=Lax`,
    'user_image=; Path=/; SameSite=Lax',
  ];
  if (opts.clear) {
    const past = httpDate(now - 86_400_000);
    for (const name of ['system_user', 'user_id', 'user_image', 'sid', 'full_name']) {
      cookies.push(`${name}=; Expires=${past}; Path=/`);
    }
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
