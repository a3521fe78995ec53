import dns, { type LookupAddress, type LookupOptions } from 'node:dns';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** The shape of dns.lookup that net.connect calls (its `lookup` option). */
export type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

interface Answer {
  until: number;
  address: string | LookupAddress[];
  family: number | undefined;
}

/** Host names one site's connections look up: its own, in each family/hints/all combination net asks for. */
const MAX_ANSWERS = 32;

export interface CachedLookup {
  lookup: Lookup;
  /** Forgets every answer: the next connection asks the system resolver again. */
  clear(): void;
}

/**
 * dns.lookup, each answer kept for `ttlMs`. Frappe's gunicorn closes the connection after every answer,
 * so each call opens a new one, and with a host name in frappe.url each connection asked getaddrinfo on
 * libuv's thread pool first: 0.06–0.14 ms of gateway CPU per tool call at 1 client and ~0.07 ms at 10
 * (scripts/bench/hostname.ts, issue #12). An IP address is never looked up, so this only serves names.
 *
 * The system resolver still answers (hosts file, nsswitch, search domains), only less often: a DNS-first
 * cache (cacheable-lookup) could answer differently from the OS for a name that is also in /etc/hosts.
 * getaddrinfo gives no TTL, so the cache's is fixed and short; failures are never kept, and the client
 * clears the cache when a connection fails, so a site that moved is looked up again at once.
 */
export function cachedLookup(ttlMs: number, now: () => number = Date.now): CachedLookup {
  const answers = new Map<string, Answer>();
  const lookup: Lookup = (hostname, options, callback) => {
    const key = `${hostname} ${options.family ?? 0} ${options.hints ?? 0} ${options.all ? 1 : 0}`;
    const hit = answers.get(key);
    if (hit && hit.until > now()) {
      // net expects the answer asynchronously, as dns.lookup gives it.
      process.nextTick(callback, null, hit.address, hit.family);
      return;
    }
    // dns.lookup read at each call, not bound at import: whoever replaces it (the tests) is the one asked.
    dns.lookup(hostname, options, (err, address, family) => {
      if (err) answers.delete(key);
      else {
        if (answers.size >= MAX_ANSWERS) answers.clear();
        answers.set(key, { until: now() + ttlMs, address, family });
      }
      callback(err, address, family);
    });
  };
  return { lookup, clear: () => answers.clear() };
}
