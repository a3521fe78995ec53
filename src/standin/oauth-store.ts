import { createHash, randomBytes } from 'node:crypto';
import { DEMO_OAUTH_CLIENTS, type DemoOAuthClient } from './demo.js';

export interface TokenRecord {
  access: string;
  refresh: string;
  clientId: string;
  user: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface CodeRecord {
  code: string;
  clientId: string;
  user: string;
  scopes: string[];
  redirectUri: string;
  challenge?: string;
  challengeMethod?: string;
  nonce?: string;
  valid: boolean;
}

const token30 = (): string => randomBytes(23).toString('base64url').slice(0, 30);

/** OAuth Client, OAuth Authorization Code and OAuth Bearer Token rows. */
export class OAuthStore {
  readonly clients = new Map<string, DemoOAuthClient>(DEMO_OAUTH_CLIENTS.map((c) => [c.clientId, c]));
  private codes = new Map<string, CodeRecord>();
  private tokens = new Map<string, TokenRecord>();
  private refreshIndex = new Map<string, TokenRecord>();

  constructor(private readonly clock: () => number) {}

  addCode(rec: Omit<CodeRecord, 'code' | 'valid'>): CodeRecord {
    const code: CodeRecord = { ...rec, code: token30(), valid: true };
    this.codes.set(code.code, code);
    return code;
  }

  code(code: string): CodeRecord | undefined {
    return this.codes.get(code);
  }

  /** A new Bearer row; Frappe never passes token_expires_in, so 3600 s unless a test asks otherwise. */
  issue(user: string, clientId: string, scopes: string[], expiresInSeconds = 3600): TokenRecord {
    const rec: TokenRecord = {
      access: token30(),
      refresh: token30(),
      clientId,
      user,
      scopes,
      expiresAt: this.clock() + expiresInSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(rec.access, rec);
    this.refreshIndex.set(rec.refresh, rec);
    return rec;
  }

  byAccess(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }

  byRefresh(token: string): TokenRecord | undefined {
    return this.refreshIndex.get(token);
  }

  /** The user a Bearer token acts as, or undefined when unknown, revoked or expired. */
  bearerUser(token: string): string | undefined {
    const rec = this.tokens.get(token);
    if (!rec || rec.revoked || this.clock() >= rec.expiresAt) return undefined;
    return rec.user;
  }

  clear(): void {
    for (const id of this.clients.keys())
      if (!DEMO_OAUTH_CLIENTS.some((c) => c.clientId === id)) this.clients.delete(id);
    this.codes.clear();
    this.tokens.clear();
    this.refreshIndex.clear();
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
