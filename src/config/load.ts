import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type RawConfig } from './schema.js';

/** The validated, frozen configuration. `frappe.url` is absent in demo mode. */
export type Config = Readonly<RawConfig & { configFile: string | undefined }>;

/** Thrown once with every problem found, so an operator fixes all of them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

/** Environment variable → config path, and how to read its text. */
export const ENV_OVERRIDES: ReadonlyArray<[string, string[], (v: string) => unknown]> = [
  ['FRAPPE_URL', ['frappe', 'url'], String],
  ['FRAPPE_SITE_NAME', ['frappe', 'site_name'], String],
  ['FRAPPE_TIMEOUT_MS', ['frappe', 'timeout_ms'], Number],
  ['FRAPPE_VERSION', ['frappe', 'version'], String],
  ['FRAPPE_MAX_IN_FLIGHT', ['frappe', 'max_in_flight'], Number],
  ['FRAPPE_MAX_QUEUED', ['frappe', 'max_queued'], Number],
  ['READY_CACHE_SECONDS', ['frappe', 'ready_cache_seconds'], Number],
  ['FRAPPE_DNS_CACHE_SECONDS', ['frappe', 'dns_cache_seconds'], Number],
  ['HOST', ['server', 'host'], String],
  ['PORT', ['server', 'port'], Number],
  ['PUBLIC_URL', ['server', 'public_url'], String],
  ['ALLOWED_HOSTS', ['server', 'allowed_hosts'], csv],
  ['ALLOWED_ORIGINS', ['server', 'allowed_origins'], csv],
  ['TRUST_PROXY', ['server', 'trust_proxy'], bool],
  ['METRICS', ['server', 'metrics'], bool],
  ['RATE_LIMIT_PER_USER_PER_MINUTE', ['server', 'rate_limit_per_user_per_minute'], Number],
  ['SHUTDOWN_TIMEOUT_SECONDS', ['server', 'shutdown_timeout_seconds'], Number],
  ['DEMO_FRAPPE_PORT', ['demo', 'frappe_port'], Number],
  ['AUTH_STRATEGIES', ['auth', 'strategies'], csv],
  ['SERVICE_ACCOUNT_ENABLED', ['auth', 'service_account', 'enabled'], bool],
  ['READ_ONLY', ['mcp', 'read_only'], bool],
  ['TOOLSETS', ['mcp', 'toolsets'], csv],
  ['OAUTH_MODE', ['oauth', 'mode'], String],
  ['OAUTH_DATA_DIR', ['oauth', 'data_dir'], String],
  ['OAUTH_UNUSED_CLIENT_TTL_HOURS', ['oauth', 'unused_client_ttl_hours'], Number],
  ['OAUTH_PENDING_PER_IP', ['oauth', 'pending_per_ip'], Number],
  ['OAUTH_PUBLIC_CLIENT_ORIGINS', ['oauth', 'public_client_origins'], csv],
  ['OAUTH_FRAPPE_CLIENT_ID', ['oauth', 'frappe_client', 'client_id'], String],
  ['OAUTH_FRAPPE_BROWSER_URL', ['oauth', 'frappe_client', 'browser_url'], String],
  ['OAUTH_DIRECT_AUTHORIZATION_SERVER', ['oauth', 'direct', 'authorization_server'], String],
  ['CHAT_MODE', ['chat', 'mode'], String],
  ['CHAT_CONFIRM_TTL_SECONDS', ['chat', 'confirm_ttl_seconds'], Number],
  ['CHAT_ALLOWED_ROLES', ['chat', 'allowed_roles'], csv],
  ['LLM_PROVIDER', ['chat', 'llm', 'provider'], String],
  ['LLM_BASE_URL', ['chat', 'llm', 'base_url'], String],
  ['LLM_MODEL', ['chat', 'llm', 'model'], String],
  ['LLM_TIMEOUT_MS', ['chat', 'llm', 'timeout_ms'], Number],
  ['LLM_RETRIES', ['chat', 'llm', 'retries'], Number],
  ['LLM_MAX_STEPS', ['chat', 'llm', 'max_steps'], Number],
  ['LLM_MAX_TOKENS', ['chat', 'llm', 'max_tokens'], Number],
  ['LLM_MAX_TOTAL_TOKENS', ['chat', 'llm', 'max_total_tokens'], Number],
  ['LLM_MAX_WALL_MS', ['chat', 'llm', 'max_wall_ms'], Number],
  ['AUDIT_ENABLED', ['audit', 'enabled'], bool],
  ['AUDIT_FILE', ['audit', 'file'], String],
  ['LOG_LEVEL', ['log', 'level'], String],
  ['LOG_FORMAT', ['log', 'format'], String],
];

/** Secrets come only from the environment or from a file named by `<NAME>_FILE`, never from config.yaml. */
export const SECRET_ENV: ReadonlyArray<[string, string[]]> = [
  ['SERVICE_ACCOUNT_API_KEY', ['auth', 'service_account', 'api_key']],
  ['SERVICE_ACCOUNT_API_SECRET', ['auth', 'service_account', 'api_secret']],
  ['OAUTH_ENCRYPTION_KEY', ['oauth', 'encryption_key']],
  ['REDIS_URL', ['oauth', 'redis_url']],
  ['OAUTH_FRAPPE_CLIENT_SECRET', ['oauth', 'frappe_client', 'client_secret']],
  ['OAUTH_FRAPPE_ADMIN_API_KEY', ['oauth', 'frappe_client', 'admin_api_key']],
  ['OAUTH_FRAPPE_ADMIN_API_SECRET', ['oauth', 'frappe_client', 'admin_api_secret']],
  ['LLM_API_KEY', ['chat', 'llm', 'api_key']],
  ['CHAT_CONFIRM_KEY', ['chat', 'confirm_key']],
];

function csv(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function bool(v: string): unknown {
  const t = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  return v; // left as text so zod reports "expected boolean" with the variable's path
}

function setPath(obj: Json, path: string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = next && typeof next === 'object' && !Array.isArray(next) ? (next as Json) : (node[key] = {});
  }
  node[path[path.length - 1]!] = value;
}

function getPath(obj: Json, path: string[]): unknown {
  let node: unknown = obj;
  for (const key of path) node = node && typeof node === 'object' ? (node as Json)[key] : undefined;
  return node;
}

function readYaml(file: string, problems: string[]): Json {
  try {
    const doc: unknown = parseYaml(readFileSync(file, 'utf8'));
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push(`${file}: the top level must be a mapping of sections (frappe, server, auth, mcp, log)`);
      return {};
    }
    return doc as Json;
  } catch (err) {
    problems.push(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    return {};
  }
}

function readSecret(env: Env, name: string, problems: string[]): string | undefined {
  const fileName = env[`${name}_FILE`];
  if (fileName) {
    try {
      return readFileSync(fileName, 'utf8').trim();
    } catch {
      problems.push(`${name}_FILE: cannot read ${fileName}`);
      return undefined;
    }
  }
  return env[name] || undefined;
}

/** Each site's OAuth secrets: SITE_<NAME>_OAUTH_FRAPPE_CLIENT_SECRET etc. (or _FILE), never config.yaml. */
const SITE_SECRETS = ['client_secret', 'admin_api_key', 'admin_api_secret'] as const;

function readSiteSecrets(raw: Json, env: Env, file: string, problems: string[]): void {
  const sites = raw.sites;
  if (!Array.isArray(sites)) return;
  for (const site of sites as Json[]) {
    if (!site || typeof site !== 'object' || typeof site.name !== 'string') continue;
    const prefix = `SITE_${site.name.toUpperCase().replace(/-/g, '_')}_OAUTH_FRAPPE_`;
    for (const key of SITE_SECRETS) {
      const name = prefix + key.toUpperCase();
      if (getPath(site, ['oauth', key]) !== undefined)
        problems.push(
          `sites.${site.name}.oauth.${key}: secrets are not read from ${file}; set ${name} or ${name}_FILE instead`,
        );
      const v = readSecret(env, name, problems);
      if (v !== undefined) setPath(site, ['oauth', key], v);
    }
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  const envName = ENV_OVERRIDES.find(([, p]) => p.join('.') === issue.path.join('.'))?.[0];
  return `${where}${envName ? ` (env ${envName})` : ''}: ${issue.message}`;
}

/**
 * Reads config.yaml (or CONFIG_FILE), applies environment overrides and secrets, and validates the result.
 * The only reader of process.env in the project. Throws ConfigError listing every problem.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const explicit = env.CONFIG_FILE;
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, 'config.yaml');
  if (explicit && !existsSync(file)) problems.push(`CONFIG_FILE: ${file} does not exist`);
  const raw: Json = existsSync(file) ? readYaml(file, problems) : {};

  for (const [name, path] of SECRET_ENV) {
    if (getPath(raw, path) !== undefined) {
      problems.push(`${path.join('.')}: secrets are not read from ${file}; set ${name} or ${name}_FILE instead`);
    }
  }
  for (const [name, path, read] of ENV_OVERRIDES) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(raw, path, read(v));
  }
  for (const [name, path] of SECRET_ENV) {
    const v = readSecret(env, name, problems);
    if (v !== undefined) setPath(raw, path, v);
  }

  readSiteSecrets(raw, env, file, problems);
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.map(describeIssue));
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const configFile = existsSync(file) ? file : undefined;
  return Object.freeze({ ...withAbsolutePaths(parsed.data, configFile), configFile });
}

/** The folder the gateway is installed in (this file is <root>/src/config or <root>/dist/config). */
const INSTALL_DIR = fileURLToPath(new URL('../..', import.meta.url));

/**
 * THE place relative paths are resolved: against the folder of the config file, or the gateway's
 * install folder when there is none; never the working directory, so a gateway started from
 * another folder finds the same OAuth store and key.
 */
function withAbsolutePaths(c: RawConfig, configFile: string | undefined): RawConfig {
  const base = configFile ? dirname(configFile) : INSTALL_DIR;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return {
    ...c,
    oauth: { ...c.oauth, data_dir: abs(c.oauth.data_dir) },
    audit: { ...c.audit, ...(c.audit.file ? { file: abs(c.audit.file) } : {}) },
  };
}
