import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of this process. No label ever carries a user, a credential or a document:
 * only routes, tools, credential kinds and outcomes, so the series stay few and nothing leaks.
 */
export const registry = new Registry();

/** How often the event-loop-lag histogram samples: prom-client's default is every 10 ms. */
const EVENT_LOOP_SAMPLE_MS = 100;
let processMetrics = false;

/**
 * Adds Node's process metrics (CPU, memory, GC, event-loop lag) to the registry, once per process,
 * when /metrics is served. Not at import: their event-loop monitor is a timer that wakes the process
 * whether or not anyone scrapes. At prom-client's 10 ms it was nearly all of an idle gateway's CPU
 * (~4 ms/s, and ~0.03 ms per tool call at one client; issue #12). Sampled every 100 ms it still sees
 * any stall long enough to matter across a scrape interval, for a tenth of the wake-ups.
 */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry, prefix: 'fmg_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
}

export const httpRequests = new Histogram({
  name: 'fmg_http_request_duration_seconds',
  help: 'HTTP requests answered by the gateway, by route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const toolCalls = new Counter({
  name: 'fmg_tool_calls_total',
  help: 'MCP and chat tool calls, by tool and outcome (ok, invalid_arguments, frappe_<kind>, internal_error).',
  labelNames: ['tool', 'outcome'] as const,
  registers: [registry],
});

export const frappeCalls = new Histogram({
  name: 'fmg_frappe_request_duration_seconds',
  help: 'Calls the gateway made to Frappe, by status class (2xx, 4xx, 5xx, or the network failure).',
  labelNames: ['status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
  registers: [registry],
});

export const validations = new Counter({
  name: 'fmg_credential_validations_total',
  help: 'Credentials checked with Frappe (cache misses), by kind and result (ok, rejected, outage).',
  labelNames: ['kind', 'result'] as const,
  registers: [registry],
});

export const rateLimited = new Counter({
  name: 'fmg_rate_limited_total',
  help: 'Requests refused with 429 by the gateway, by limiter (user, register, authorize, token).',
  labelNames: ['limiter'] as const,
  registers: [registry],
});

export const frappeInFlight = new Gauge({
  name: 'fmg_frappe_in_flight',
  help: 'Calls to Frappe out right now (at most frappe.max_in_flight).',
  registers: [registry],
});

export const frappeQueued = new Gauge({
  name: 'fmg_frappe_queued',
  help: 'Calls waiting for a free slot towards Frappe (at most frappe.max_queued).',
  registers: [registry],
});

export const frappeShed = new Counter({
  name: 'fmg_frappe_shed_total',
  help: 'Calls refused at once (503 / tool error) because Frappe already had frappe.max_in_flight calls and the queue was full or too slow.',
  registers: [registry],
});

export const redisUp = new Gauge({
  name: 'fmg_redis_up',
  help: '1 while the configured Redis answers, 0 while the gateway runs without it (absent without REDIS_URL).',
  registers: [registry],
});
/**
 * A labelled metric's child for one label set, made once: prom-client hashes the labels on every
 * observe otherwise, and these are updated on every call (issue #12: per-call CPU).
 */
export function boundMetric<T>(make: (key: string) => T): (key: string) => T {
  const children = new Map<string, T>();
  return (key) => {
    let child = children.get(key);
    if (!child) {
      child = make(key);
      // Label sets are few (routes, tools, outcomes); the bound keeps a surprise from growing it.
      if (children.size < 1000) children.set(key, child);
    }
    return child;
  };
}
