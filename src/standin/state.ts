import type { ApiKey } from './auth.js';
import { DEMO_API_KEYS } from './demo.js';
import { DEFAULT_OAUTH_SETTINGS, type OAuthSettings } from './oauth-metadata.js';
import { OAuthStore } from './oauth-store.js';
import { seedStore } from './seed.js';
import { SessionStore } from './sessions.js';
import { Store, type Doc } from './store.js';
import type { Traits } from './version.js';

/** All mutable state of one stand-in instance. */
export class StandinState {
  readonly store: Store;
  readonly sessions: SessionStore;
  readonly oauth: OAuthStore;
  readonly apiKeys = new Map<string, ApiKey>();
  /** Failed logins per client IP (Frappe's login lockout). */
  readonly loginFailures = new Map<string, { count: number; lockedUntil: number }>();
  /** reset_password calls per client IP (3 per hour). */
  readonly resetCalls = new Map<string, number[]>();
  /** Frappe 16's OAuth Settings (metadata and registration switches); unused on 15. */
  oauthSettings: OAuthSettings = { ...DEFAULT_OAUTH_SETTINGS };
  private readonly seed: Map<string, Map<string, Doc>>;

  constructor(
    readonly clock: () => number,
    idleSeconds: number,
    readonly traits: Traits,
  ) {
    this.store = new Store(clock);
    seedStore(this.store);
    this.seed = this.store.snapshot();
    this.sessions = new SessionStore(clock, idleSeconds);
    this.oauth = new OAuthStore(clock);
    for (const k of Object.values(DEMO_API_KEYS)) this.apiKeys.set(k.key, { user: k.user, secret: k.secret });
  }

  /** Back to the seed data; sessions, tokens and counters cleared. API keys are kept. */
  reset(): void {
    this.store.restore(this.seed);
    this.sessions.clear();
    this.oauth.clear();
    this.loginFailures.clear();
    this.resetCalls.clear();
    this.oauthSettings = { ...DEFAULT_OAUTH_SETTINGS };
  }
}
