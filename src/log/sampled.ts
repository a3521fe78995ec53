const MAX_KEYS = 10_000;

/**
 * At most one log line per key per interval: a client flooding the gateway gets its refusals
 * counted (metrics) but not one warn line each, which once wrote tens of MB of log per minute.
 */
export class LogSampler {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when a line about `key` may be written now (and records that it was). */
  take(key: string): boolean {
    const t = this.now();
    const prev = this.last.get(key);
    if (prev !== undefined && t - prev < this.intervalMs) return false;
    this.last.delete(key);
    this.last.set(key, t);
    // Oldest first (insertion order): drop whatever has aged out, and never hold more than MAX_KEYS.
    for (const [k, at] of this.last) {
      if (this.last.size <= MAX_KEYS && t - at < this.intervalMs) break;
      this.last.delete(k);
    }
    return true;
  }
}
