import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** Host names accepted in the Host header (DNS-rebinding protection). */
export function allowedHostNames(publicUrl: URL, extra: readonly string[], listenHost: string): Set<string> {
  const names = new Set([publicUrl.hostname.toLowerCase(), ...extra.map((h) => h.toLowerCase())]);
  if (LOOPBACK_HOSTS.includes(listenHost) || LOOPBACK_HOSTS.includes(publicUrl.hostname)) {
    for (const h of LOOPBACK_HOSTS) names.add(h);
  }
  return names;
}

export function hostnameOf(host: string): string {
  // Strip the port: "[::1]:8080" → "[::1]", "example.com:443" → "example.com".
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim());
  return (m?.[1] ?? '').toLowerCase();
}

export function hostGuard(allowed: Set<string>): RequestHandler {
  return (req, res, next) => {
    const host = req.headers.host;
    if (!host || !allowed.has(hostnameOf(host))) {
      return sendError(res, 403, 'host_not_allowed', 'The Host header names a host this gateway does not serve.');
    }
    next();
  };
}

/** Origins as the browser writes them: scheme://host[:port], no trailing slash. */
export function normaliseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

/** A request without Origin is not from a browser page; one with Origin must be on the list. */
export function originPolicy(allowed: readonly string[]): (headers: IncomingHttpHeaders) => boolean {
  const set = new Set(allowed.map(normaliseOrigin));
  return (headers) => {
    const origin = headers.origin;
    if (origin === undefined) return true;
    return set.has(normaliseOrigin(origin));
  };
}

/** MCP's transport rule: a present Origin that is not allowed is refused with 403 before anything else. */
export function originGuard(isAllowed: (headers: IncomingHttpHeaders) => boolean): RequestHandler {
  return (req, res, next) => {
    if (!isAllowed(req.headers)) {
      return sendError(res, 403, 'origin_not_allowed', 'Requests from this Origin are not allowed.');
    }
    next();
  };
}
