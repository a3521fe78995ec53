import { randomBytes } from 'node:crypto';

export interface Session {
  sid: string;
  user: string;
  /** Set only once the desk was rendered for this session; CSRF is enforced from then on. */
  csrfToken?: string;
  /** Frappe 16 overwrote this session while a Bearer ran on it: it no longer has a user (recorded). */
  broken?: boolean;
  lastSeen: number;
}

/** Login sessions with Frappe's sliding idle expiry (`session_expiry`, 170 h on the recorded site). */
export class SessionStore {
  private sessions = new Map<string, Session>();

  constructor(
    private readonly clock: () => number,
    readonly idleSeconds: number,
  ) {}

  create(user: string): Session {
    const session: Session = { sid: randomBytes(28).toString('hex'), user, lastSeen: this.clock() };
    this.sessions.set(session.sid, session);
    return session;
  }

  /** The live session for `sid` (sliding its expiry), or undefined when unknown, logged out or idle too long. */
  resume(sid: string): Session | undefined {
    const session = this.sessions.get(sid);
    if (!session) return undefined;
    const now = this.clock();
    if (now - session.lastSeen > this.idleSeconds * 1000) {
      this.sessions.delete(sid);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }

  get(sid: string): Session | undefined {
    return this.sessions.get(sid);
  }

  delete(sid: string): void {
    this.sessions.delete(sid);
  }

  /** Same effect as moving last_updated back past the idle timeout. */
  expire(sid: string): void {
    const session = this.sessions.get(sid);
    if (session) session.lastSeen = Number.NEGATIVE_INFINITY;
  }

  /** frappe.sessions.get_csrf_token: one token per session, created on first use, never rotated. */
  csrfToken(sid: string): string {
    const session = this.sessions.get(sid);
    if (!session) throw new Error(`unknown session ${sid}`);
    session.csrfToken ??= randomBytes(28).toString('hex');
    return session.csrfToken;
  }

  clear(): void {
    this.sessions.clear();
  }
}
