import type { FrappeSite } from '../frappe/client.js';
import { FrappeError } from '../frappe/errors.js';
import type { RedisConnection } from '../redis/connection.js';

export interface PartStatus {
  ok: boolean;
  /** Why it is down, in one sentence; never a credential or an internal address. */
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  frappe: PartStatus & { version: string | null };
  /** Absent when no Redis is configured. */
  redis?: PartStatus;
  /** When the parts were last asked (ISO time). */
  checked_at: string;
}

export interface ReadinessOptions {
  site: FrappeSite;
  redis?: RedisConnection;
  /** How long one answer is reused: however many probes arrive, Frappe and Redis are asked once per interval. */
  cacheMs: number;
  /**
   * The Frappe version the gateway found, when it knows one (src/frappe/version.ts detects it on the
   * first authenticated calls; ping is a guest call and does not say). Null until then.
   */
  frappeVersion?: () => string | undefined;
  now?: () => number;
}

/**
 * What GET /readyz answers: ready only when Frappe answers ping and Redis (where configured) answers
 * PING. The answer is cached for a few seconds and computed by one probe at a time (single flight),
 * so a crowd of load-balancer probes never becomes a crowd of Frappe calls.
 */
export class Readiness {
  private cached: { at: number; report: ReadinessReport } | undefined;
  private inflight: Promise<ReadinessReport> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: ReadinessOptions) {
    this.now = o.now ?? Date.now;
  }

  check(): Promise<ReadinessReport> {
    if (this.cached && this.now() - this.cached.at < this.o.cacheMs) return Promise.resolve(this.cached.report);
    this.inflight ??= this.probe()
      .then((report) => {
        this.cached = { at: this.now(), report };
        return report;
      })
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async probe(): Promise<ReadinessReport> {
    const [frappe, redis] = await Promise.all([this.frappe(), this.o.redis ? this.redis(this.o.redis) : undefined]);
    return {
      ready: frappe.ok && (redis?.ok ?? true),
      frappe: { ...frappe, version: this.o.frappeVersion?.() ?? null },
      ...(redis ? { redis } : {}),
      checked_at: new Date(this.now()).toISOString(),
    };
  }

  private async frappe(): Promise<PartStatus> {
    try {
      const res = await this.o.site.send({ method: 'GET', path: '/api/method/ping' }, {});
      let message: unknown;
      try {
        message = (JSON.parse(res.data) as { message?: unknown }).message;
      } catch {
        message = undefined;
      }
      if (res.status === 200 && message === 'pong') return { ok: true };
      return { ok: false, error: `Frappe answered ping with HTTP ${res.status}, not "pong".` };
    } catch (err) {
      return { ok: false, error: err instanceof FrappeError ? err.message : 'Frappe did not answer ping.' };
    }
  }

  private async redis(redis: RedisConnection): Promise<PartStatus> {
    return (await redis.ping()) ? { ok: true } : { ok: false, error: 'Redis did not answer PING.' };
  }
}
