import type { Logger } from '../log/logger.js';
import type { FrappeClient, FrappeSite } from './client.js';

/**
 * The one place that knows which Frappe version a site runs. Code that differs by version asks for a
 * `Behaviour` (named for what differs), never for the number. See ../shared/frappe/transcripts-v16/README.md.
 */

/** Supported majors; a newer site is treated like the newest one known, an older like the oldest. */
export type FrappeMajor = 15 | 16;

export interface SiteVersion {
  major: FrappeMajor;
  /** Frappe's own version string (e.g. "16.9.0") when the site told it; absent when learned from traits. */
  version?: string;
  /** config: pinned by `frappe.version`; get_versions: asked as a caller; traits: read from guest answers. */
  source: 'config' | 'get_versions' | 'traits';
}

export interface Behaviour {
  /** The desk page that prints `frappe.csrf_token` for a session (15: /app; 16: /desk, /app only redirects). */
  csrfPage: '/app' | '/desk';
  /**
   * How aggregates are written in `fields`: 15 takes only strings (`"sum(x) as y"`, a dict is a 500), 16 refuses
   * SQL functions as strings (417) and takes dicts (`{"SUM": "x", "as": "y"}`).
   */
  aggregateFieldForm: 'string' | 'dict';
  /**
   * Frappe runs an OAuth authorization server clients can discover and register with (16). Its registration takes
   * only https redirect URIs (unless developer mode), one redirect URI per client, and refuses client_secret_basic.
   */
  ownOAuthServer: boolean;
}

const BEHAVIOURS: Record<FrappeMajor, Behaviour> = {
  15: { csrfPage: '/app', aggregateFieldForm: 'string', ownOAuthServer: false },
  16: { csrfPage: '/desk', aggregateFieldForm: 'dict', ownOAuthServer: true },
};

export function behaviourOf(major: FrappeMajor): Behaviour {
  return BEHAVIOURS[major];
}

function majorOf(version: string): FrappeMajor | undefined {
  const n = Number.parseInt(version, 10);
  if (!Number.isFinite(n)) return undefined;
  return n >= 16 ? 16 : 15;
}

/** `frappe.version` from config: 'auto' learns, '15' / '16' pins. */
export type VersionSetting = 'auto' | '15' | '16';

/** What one site's version is, learned once and shared by every caller of that site. */
export class VersionKnowledge {
  private known: SiteVersion | undefined;
  private pending: Promise<SiteVersion | undefined> | undefined;

  constructor(
    private readonly site: FrappeSite,
    setting: VersionSetting = 'auto',
    private readonly logger?: Logger,
  ) {
    if (setting !== 'auto') this.known = { major: Number(setting) as FrappeMajor, source: 'config' };
  }

  /** What is known now, without asking Frappe (health output). */
  get current(): SiteVersion | undefined {
    return this.known;
  }

  /**
   * Learns the version once: as `caller` through frappe.utils.change_log.get_versions when one is at hand, else
   * from guest answers (no credential). Concurrent calls share one attempt; a failed attempt is not remembered.
   */
  learn(caller?: FrappeClient): Promise<SiteVersion | undefined> {
    if (this.known) return Promise.resolve(this.known);
    this.pending ??= this.attempt(caller).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** How the site behaves; until the version is known (Frappe unreachable), as 15 does. */
  async behaviour(caller?: FrappeClient): Promise<Behaviour> {
    const known = await this.learn(caller);
    return behaviourOf(known?.major ?? 15);
  }

  private async attempt(caller?: FrappeClient): Promise<SiteVersion | undefined> {
    const learned = (caller && (await this.fromGetVersions(caller))) ?? (await this.fromTraits());
    if (learned) {
      this.known = learned;
      this.logger?.info(
        { frappe: { version: learned.version, major: learned.major, source: learned.source } },
        'frappe version',
      );
    }
    return learned;
  }

  private async fromGetVersions(caller: FrappeClient): Promise<SiteVersion | undefined> {
    try {
      const apps = await caller.call<Record<string, { version?: unknown }>>('frappe.utils.change_log.get_versions');
      const version = apps?.frappe?.version;
      const major = typeof version === 'string' ? majorOf(version) : undefined;
      return major && typeof version === 'string' ? { major, version, source: 'get_versions' } : undefined;
    } catch {
      // Not readable for this caller (or Frappe failed): the guest traits still tell the major.
      return undefined;
    }
  }

  /**
   * Guest answers that differ: 16 moved the desk (`/app` → 301 `/desk`; 15 sends a guest to /login), and it
   * challenges every 401/403 with WWW-Authenticate (unless its OAuth Settings hide the resource metadata).
   */
  private async fromTraits(): Promise<SiteVersion | undefined> {
    try {
      const app = await this.site.send({ method: 'GET', path: '/app' }, {}, 'text/html');
      const location = String(app.headers.location ?? '');
      if (app.status >= 300 && app.status < 400 && location) {
        const path = new URL(location, this.site.origin).pathname;
        if (path === '/desk' || path.startsWith('/desk/')) return { major: 16, source: 'traits' };
      }
      const guest = await this.site.send({ method: 'GET', path: '/api/method/frappe.auth.get_logged_user' }, {});
      if (guest.status === 401 || guest.status === 403) {
        return { major: guest.headers['www-authenticate'] ? 16 : 15, source: 'traits' };
      }
      return undefined;
    } catch {
      return undefined;
    }
  }
}

const sites = new WeakMap<FrappeSite, VersionKnowledge>();

/**
 * The version knowledge of a site (one per FrappeSite). The first call may pin it from config; later calls
 * return the same object.
 */
export function siteVersion(site: FrappeSite, setting?: VersionSetting, logger?: Logger): VersionKnowledge {
  let k = sites.get(site);
  if (!k) {
    k = new VersionKnowledge(site, setting, logger ?? site.options.logger);
    sites.set(site, k);
  }
  return k;
}

/** The site's version as known now (undefined until learned), for health and readiness output. */
export function frappeVersionOf(site: FrappeSite): SiteVersion | undefined {
  return sites.get(site)?.current;
}

/**
 * The version for /healthz: `{version: "16.9.0" | null, major: 16 | null, learned_from}`. While unknown it starts
 * learning in the background (guest answers only), so a later check shows it.
 */
export function versionReport(site: FrappeSite): {
  version: string | null;
  major: FrappeMajor | null;
  learned_from: SiteVersion['source'] | null;
} {
  const known = frappeVersionOf(site);
  if (!known) void siteVersion(site).learn();
  return { version: known?.version ?? null, major: known?.major ?? null, learned_from: known?.source ?? null };
}
