import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { Principal } from '../auth/types.js';
import type { Logger } from '../log/logger.js';
import { redactArguments } from './redact.js';

/** What happened, one line each. */
export type AuditEvent = 'tool_call' | 'chat' | 'oauth_grant' | 'oauth_revocation' | 'oauth_refusal';

export interface AuditEntry {
  event: AuditEvent;
  reqId?: string;
  /** The Frappe site (its origin). */
  site?: string;
  /** The Frappe user the request ran as. */
  user?: string;
  /** sid, bearer or api_key. */
  credential?: string;
  /** The OAuth client the gateway token was issued to, if any. */
  client_id?: string;
  tool?: string;
  /** Tool arguments, redacted (see redact.ts). */
  args?: unknown;
  /** ok, invalid_arguments, frappe_<kind>, internal_error; for OAuth: granted, revoked, or the error code. */
  outcome: string;
  frappe_status?: number;
  ms?: number;
  /** Event-specific detail (e.g. grant_type, via: chat). Never a secret. */
  [detail: string]: unknown;
}

export interface AuditOptions {
  /** The gateway's logger: audit lines go to stdout beside the logs, marked "audit": true. */
  logger: Logger;
  /** Write to this file instead (append; reopened on SIGHUP, so logrotate can move it). */
  file?: string;
  /** Extra argument names to redact, besides passwords, tokens, secrets and keys. */
  redactFields?: readonly string[];
}

/**
 * The audit trail: one JSON line per tool call, chat request and OAuth grant, revocation or refusal,
 * saying who (Frappe user, credential kind, OAuth client), what (tool and redacted arguments), on
 * which site, how it ended (outcome, Frappe status) and how long it took. Written whatever the log
 * level. Costs one JSON line per call; when audit is off no AuditLog exists and nothing is done.
 */
export class AuditLog {
  private readonly out: Pino;
  /** Tool-call lines: the same stream and base fields, without pino's path redaction (see toolCall). */
  private readonly toolLines: Pino;
  private readonly destination: (DestinationStream & { reopen?(): void; flushSync?(): void; end?(): void }) | undefined;
  private readonly redactFields: ReadonlySet<string>;
  /**
   * The trail shares stdout with the logs: its tool_call line says everything the "tool call" log line
   * would, so src/tools/run.ts writes only this one (one line per call; issue #12's per-call cost).
   */
  readonly replacesToolLine: boolean;

  constructor(o: AuditOptions) {
    this.redactFields = new Set((o.redactFields ?? []).map((f) => f.toLowerCase()));
    this.replacesToolLine = !o.file;
    if (o.file) {
      this.destination = pino.destination({ dest: o.file, append: true, mkdir: true, sync: false });
      this.out = pino({ base: { audit: true }, messageKey: 'msg' }, this.destination);
    } else {
      // Its own level: LOG_LEVEL=warn must not silence the audit trail.
      this.out = o.logger.child({ audit: true }, { level: 'info' });
    }
    // A tool-call line holds only the gateway's own fields and arguments already passed through
    // redactArguments, whose names cover every path the logger redacts (tokens, secrets, passwords,
    // sid, cookie, authorization). Pino's wildcard redaction on top of that cost ~12 µs of the ~15 µs
    // per line, on the one line every call writes (issue #12), so these lines skip it.
    const stream = (this.out as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]!;
    this.toolLines = pino({ level: 'info', base: this.out.bindings(), messageKey: 'msg' }, stream);
  }

  write(entry: AuditEntry): void {
    this.out.info(entry, 'audit');
  }

  /** One tool call, as run by src/tools/run.ts for MCP and chat alike. */
  toolCall(
    p: Principal,
    reqId: string,
    tool: string,
    args: unknown,
    outcome: string,
    ms: number,
    frappeStatus?: number,
    excType?: string,
  ): void {
    this.toolLines.info(
      {
        event: 'tool_call',
        reqId,
        site: p.site,
        user: p.user,
        credential: p.kind,
        ...(p.oauthClientId ? { client_id: p.oauthClientId } : {}),
        tool,
        args: redactArguments(args, this.redactFields),
        outcome,
        ...(frappeStatus !== undefined ? { frappe_status: frappeStatus } : {}),
        ...(excType ? { exc_type: excType } : {}),
        ms,
      } satisfies AuditEntry,
      'audit',
    );
  }

  /** After logrotate moved the file: write to a fresh one at the configured path. */
  reopen(): void {
    this.destination?.reopen?.();
  }

  close(): void {
    try {
      this.destination?.flushSync?.();
    } catch {
      // Not opened yet (nothing written): nothing to flush.
    }
  }
}
