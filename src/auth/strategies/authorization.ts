import type { IncomingHttpHeaders } from 'node:http';

/** `Authorization: <scheme> <value>` split once; null when absent or not two parts. */
export function authorizationParts(headers: IncomingHttpHeaders): { scheme: string; value: string } | null {
  const h = headers.authorization;
  if (!h) return null;
  const m = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(h);
  if (!m) return { scheme: '', value: '' };
  return { scheme: m[1]!.toLowerCase(), value: m[2]! };
}
