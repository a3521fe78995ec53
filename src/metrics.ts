import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of this process. No label ever carries a user, a credential or a document:
 * only routes, tools, credential kinds and outcomes, so the series stay few and nothing leaks.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'fmg_' });

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
