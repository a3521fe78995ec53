import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CredentialKind } from '../../frappe/credential.js';
import { MemoryKvStore, type KvStore } from '../../oauth/kv.js';

/** A write call waiting for the user's confirmation. */
export interface PendingCall {
  tool: string;
  arguments: Record<string, unknown>;
}

/** Who may confirm: the same Frappe user with the same kind of credential. */
export interface Confirmer {
  user: string;
  kind: CredentialKind;
}

/** Why a confirmation was refused; the HTTP layer answers `status` with `code` and `message`. Nothing ran. */
export class ConfirmationError extends Error {
  constructor(
    readonly status: 400 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfirmationError';
  }
}

export interface ConfirmationsOptions {
  /** HMAC key; a random one per process when absent (tokens then die with the process). */
  key?: string;
  ttlSeconds: number;
  /**
   * Where pending calls wait: the gateway's shared store (Redis when configured, so any replica can
   * take a confirmation), or this process's memory by default.
   */
  store?: KvStore;
  now?: () => number;
}

interface Payload {
  /** Nonce: names the pending call and the used-token entry. */
  n: string;
  t: string;
  /** sha256 of the canonical arguments. */
  h: string;
  /** sha256 of the user, truncated: keeps the token short (the desk relay allows 512 characters). */
  u: string;
  k: CredentialKind;
  /** Expiry, epoch seconds. */
  e: number;
}

const b64 = (buf: Buffer): string => buf.toString('base64url');

/** JSON with object keys sorted, so equal arguments hash equally. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function sha(text: string, bytes = 32): string {
  return b64(createHash('sha256').update(text).digest().subarray(0, bytes));
}

/**
 * Signed, single-use confirmations for write calls. A token is `v1.<payload>.<hmac>` binding the tool,
 * a hash of its arguments, the user, the credential kind and an expiry; the arguments themselves wait
 * in the store, so the token stays small. Redeeming checks everything, then takes the call atomically:
 * of two concurrent confirmations of one token, at most one runs.
 */
export class Confirmations {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private readonly store: KvStore;

  constructor(opts: ConfirmationsOptions) {
    this.key = opts.key ? Buffer.from(opts.key, 'utf8') : randomBytes(32);
    this.ttlSeconds = opts.ttlSeconds;
    this.now = opts.now ?? Date.now;
    this.store = opts.store ?? new MemoryKvStore(this.now);
  }

  /** A token that lets `who` run exactly `call` once, within the TTL. */
  async issue(call: PendingCall, who: Confirmer): Promise<string> {
    const payload: Payload = {
      n: b64(randomBytes(12)),
      t: call.tool,
      h: sha(canonical(call.arguments)),
      u: sha(who.user, 16),
      k: who.kind,
      e: Math.ceil((this.now() + this.ttlSeconds * 1000) / 1000),
    };
    await this.store.set(`chat-confirm:${payload.n}`, call, this.ttlSeconds);
    const body = b64(Buffer.from(JSON.stringify(payload), 'utf8'));
    return `v1.${body}.${this.sign(body)}`;
  }

  /** The call the token stands for, taken once. Throws ConfirmationError (nothing may run) otherwise. */
  async redeem(token: string, who: Confirmer): Promise<PendingCall> {
    const p = this.verify(token);
    if (p.e * 1000 <= this.now()) {
      throw new ConfirmationError(400, 'confirmation_expired', 'This confirmation has expired; ask again.');
    }
    if (p.u !== sha(who.user, 16) || p.k !== who.kind) {
      throw new ConfirmationError(
        403,
        'confirmation_forbidden',
        'This confirmation was issued to another user or sign-in; only they can confirm it.',
      );
    }
    if (await this.store.get(`chat-confirm-used:${p.n}`)) {
      throw new ConfirmationError(400, 'confirmation_used', 'This change was already confirmed once; ask again.');
    }
    const call = await this.store.take<PendingCall>(`chat-confirm:${p.n}`);
    if (!call || call.tool !== p.t || sha(canonical(call.arguments)) !== p.h) {
      throw new ConfirmationError(
        400,
        'confirmation_unknown',
        'This confirmation is no longer known here (the gateway may have restarted); ask again.',
      );
    }
    await this.store.set(`chat-confirm-used:${p.n}`, 1, Math.max(1, p.e - Math.floor(this.now() / 1000)));
    return { tool: call.tool, arguments: call.arguments };
  }

  private sign(body: string): string {
    return b64(createHmac('sha256', this.key).update(`v1.${body}`).digest());
  }

  private verify(token: string): Payload {
    const invalid = new ConfirmationError(
      400,
      'confirmation_invalid',
      'This confirmation is not valid (malformed or altered); nothing was run.',
    );
    const [v, body, sig, ...rest] = token.split('.');
    if (v !== 'v1' || !body || !sig || rest.length) throw invalid;
    const want = Buffer.from(this.sign(body));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw invalid;
    try {
      const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      if (typeof p.n !== 'string' || typeof p.e !== 'number' || typeof p.t !== 'string') throw invalid;
      return p;
    } catch {
      throw invalid;
    }
  }
}
