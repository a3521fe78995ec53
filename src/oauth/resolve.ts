import { sha256 } from './crypto.js';
import type { AccessRecord, FrappeTokens, Grant, ResolvedToken } from './types.js';
import { UpstreamRejected } from './upstream.js';
import { canonicalResource, type FacadeCore } from './core.js';

/** Refresh the Frappe access token when it has less than this left. */
const UPSTREAM_MARGIN_MS = 120_000;

/** The resource-server side: our access token → the user's current Frappe credential, refreshed when due. */
export class TokenResolver {
  private readonly refreshing = new Map<string, Promise<Grant | undefined>>();

  constructor(private readonly c: FacadeCore) {}

  /** Our access token → the user's current Frappe credential; null when unknown, expired or revoked. */
  async resolve(token: string, forceRefresh = false): Promise<ResolvedToken | null> {
    const rec = await this.c.o.kv.get<AccessRecord>(`at:${sha256(token)}`);
    if (!rec || rec.exp <= this.c.o.now()) return null;
    if (canonicalResource(rec.resource) !== canonicalResource(this.c.o.resource)) return null;
    let grant = await this.c.o.kv.get<Grant>(`grant:${rec.grantId}`);
    if (!grant) return null;
    let frappe = this.c.frappeOf(grant);
    if (forceRefresh || grant.stale || frappe.expiresAt - this.c.o.now() < UPSTREAM_MARGIN_MS) {
      grant = await this.refreshUpstream(grant.id);
      if (!grant) return null;
      frappe = this.c.frappeOf(grant);
    }
    return {
      user: grant.user,
      clientId: rec.clientId,
      scopes: rec.scopes,
      credential: { kind: 'bearer', token: frappe.access },
      expiresAt: rec.exp,
    };
  }

  /** Frappe refused the forwarded token mid-call: refresh it before the next use. */
  async upstreamRejected(token: string): Promise<void> {
    const rec = await this.c.o.kv.get<AccessRecord>(`at:${sha256(token)}`);
    const grant = rec && (await this.c.o.kv.get<Grant>(`grant:${rec.grantId}`));
    if (grant && !grant.stale) await this.c.o.kv.set(`grant:${grant.id}`, { ...grant, stale: true }, this.c.refreshTtl);
  }

  /** One refresh per grant at a time in this process; a short store lock keeps other replicas out. */
  private refreshUpstream(grantId: string): Promise<Grant | undefined> {
    let p = this.refreshing.get(grantId);
    if (!p) {
      p = this.doRefreshUpstream(grantId).finally(() => this.refreshing.delete(grantId));
      this.refreshing.set(grantId, p);
    }
    return p;
  }

  private async doRefreshUpstream(grantId: string): Promise<Grant | undefined> {
    const lock = `lock:refresh:${grantId}`;
    const before = await this.c.o.kv.get<Grant>(`grant:${grantId}`);
    if (!before) return undefined;
    if (!(await this.c.o.kv.add(lock, 1, 30))) {
      // Another replica is refreshing: wait for its result (Frappe keeps old tokens valid meanwhile).
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const g = await this.c.o.kv.get<Grant>(`grant:${grantId}`);
        if (!g) return undefined;
        if (g.frappe !== before.frappe) return g;
      }
      return before;
    }
    try {
      const old = this.c.frappeOf(before);
      if (!old.refresh) throw new UpstreamRejected('no Frappe refresh token');
      const fresh = await this.c.o.upstream.refresh(old.refresh);
      const tokens: FrappeTokens = { ...fresh, refresh: fresh.refresh ?? old.refresh };
      const current = await this.c.o.kv.get<Grant>(`grant:${grantId}`);
      if (!current) return undefined; // revoked meanwhile
      const { stale: _s, ...rest } = current;
      const next: Grant = { ...rest, frappe: this.c.o.sealer.seal(JSON.stringify(tokens), `grant:${grantId}`) };
      await this.c.o.kv.set(`grant:${grantId}`, next, this.c.refreshTtl);
      this.c.o.logger.info({ user: next.user, clientId: next.clientId }, 'Frappe token refreshed');
      return next;
    } catch (err) {
      if (err instanceof UpstreamRejected) {
        this.c.o.logger.warn(
          { user: before.user, err: err.message },
          'Frappe refused the refresh: authorization ended',
        );
        await this.c.o.kv.delete(`grant:${grantId}`);
        return undefined;
      }
      throw err; // outage: the caller answers 503
    } finally {
      await this.c.o.kv.delete(lock);
    }
  }
}
