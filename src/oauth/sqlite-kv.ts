import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import type { KvStore } from './kv.js';

export interface SqliteKvOptions {
  now?: () => number;
  /** A JSON file of the former embedded store (`{key: {v, exp}}`), imported once and renamed `.migrated`. */
  migrateFrom?: string;
  /** How often the WAL is checkpointed and expired rows are swept; 0 turns the timer off (tests call `maintain`). */
  maintainEveryMs?: number;
  onMaintenanceError?: (err: Error) => void;
}

/** Rows removed per sweep step: small enough that one step holds the event loop for a few ms at most. */
const SWEEP_BATCH = 200;

/**
 * The embedded default: one SQLite database in WAL mode. Every write touches only its row (no
 * whole-file rewrite) and commits in microseconds: with `synchronous=NORMAL` a commit is appended to
 * the write-ahead log without an fsync, so a killed process (SIGKILL, OOM) keeps every committed
 * row; only a power loss can drop the last commits. The costly parts are kept off request writes:
 * the WAL is checkpointed by a timer (not by whichever write crosses the threshold), and expired rows
 * are swept through the expiry index in small batches, yielding to the event loop between them.
 * One process only: several replicas share Redis instead.
 */
export class SqliteKvStore implements KvStore {
  readonly db: Db;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly q: {
    get: Statement<[string, number], { v: string }>;
    set: Statement<[string, string, number]>;
    take: Statement<[string, number], { v: string }>;
    add: Statement<[string, string, number, number]>;
    del: Statement<[string]>;
    sweep: Statement<[number, number]>;
  };

  /** `file` undefined: an in-memory database (nothing survives the process). */
  constructor(file: string | undefined, opts: SqliteKvOptions = {}) {
    this.now = opts.now ?? Date.now;
    if (file) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      // Created 0600 before SQLite opens it: its -wal and -shm files take the same permissions.
      if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    }
    this.db = new Database(file ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // The timer checkpoints; a write checkpoints only as a safety net when the log reaches ~40 MB.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma(`journal_size_limit = ${64 * 2 ** 20}`);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL, exp INTEGER NOT NULL);' +
        'CREATE INDEX IF NOT EXISTS kv_exp ON kv (exp);',
    );
    this.q = {
      get: this.db.prepare('SELECT v FROM kv WHERE k = ? AND exp > ?'),
      set: this.db.prepare(
        'INSERT INTO kv (k, v, exp) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v, exp = excluded.exp',
      ),
      take: this.db.prepare('DELETE FROM kv WHERE k = ? AND exp > ? RETURNING v'),
      // Inserts, or replaces a row that has expired but not been swept yet; `changes` tells which.
      add: this.db.prepare(
        'INSERT INTO kv (k, v, exp) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v, exp = excluded.exp WHERE kv.exp <= ?',
      ),
      del: this.db.prepare('DELETE FROM kv WHERE k = ?'),
      sweep: this.db.prepare('DELETE FROM kv WHERE k IN (SELECT k FROM kv WHERE exp <= ? LIMIT ?)'),
    };
    if (opts.migrateFrom) this.migrate(opts.migrateFrom);
    const every = opts.maintainEveryMs ?? 10_000;
    if (every > 0) {
      let busy = false;
      this.timer = setInterval(() => {
        if (busy) return;
        busy = true;
        this.maintain()
          .catch((err: unknown) => opts.onMaintenanceError?.(err as Error))
          .finally(() => (busy = false));
      }, every);
      this.timer.unref();
    }
  }

  /**
   * The former JSON store's live entries are copied in once (rows already here win), then the file
   * is renamed so it is neither read again nor left to grow stale beside the database.
   */
  private migrate(jsonFile: string): void {
    if (!existsSync(jsonFile)) return;
    const data = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, { v: unknown; exp: number }>;
    const t = this.now();
    const insert = this.db.prepare('INSERT OR IGNORE INTO kv (k, v, exp) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [k, e] of Object.entries(data))
        if (e && typeof e.exp === 'number' && e.exp > t) insert.run(k, JSON.stringify(e.v), Math.floor(e.exp));
    })();
    renameSync(jsonFile, `${jsonFile}.migrated`);
  }

  /** Checkpoints the WAL, then removes expired rows a batch at a time; the number of rows removed. */
  async maintain(): Promise<number> {
    if (!this.db.open) return 0;
    this.db.pragma('wal_checkpoint(PASSIVE)');
    let total = 0;
    for (;;) {
      if (!this.db.open) return total;
      const n = this.q.sweep.run(this.now(), SWEEP_BATCH).changes;
      total += n;
      if (n < SWEEP_BATCH) return total;
      await new Promise((r) => setImmediate(r));
    }
  }

  private exp(ttlSeconds: number): number {
    return this.now() + Math.round(ttlSeconds * 1000);
  }

  get<T>(key: string): Promise<T | undefined> {
    const row = this.q.get.get(key, this.now());
    return Promise.resolve(row ? (JSON.parse(row.v) as T) : undefined);
  }

  set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.q.set.run(key, JSON.stringify(value), this.exp(ttlSeconds));
    return Promise.resolve();
  }

  take<T>(key: string): Promise<T | undefined> {
    const row = this.q.take.get(key, this.now());
    return Promise.resolve(row ? (JSON.parse(row.v) as T) : undefined);
  }

  add(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const r = this.q.add.run(key, JSON.stringify(value), this.exp(ttlSeconds), this.now());
    return Promise.resolve(r.changes > 0);
  }

  delete(key: string): Promise<void> {
    this.q.del.run(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
