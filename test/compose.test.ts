import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_OVERRIDES, loadConfig, SECRET_ENV } from '../src/config/load.js';
import { tempDir } from './helpers/temp.js';

// Docker is not available everywhere the tests run, so the compose file is checked by reading it:
// services, profiles, ports and environment must agree with the gateway's own configuration.
interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: string[] | Record<string, unknown>;
  volumes?: string[];
}
const file = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
const compose = parse(file, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

/** `${NAME:-default}` → default; `${NAME:?message}` → undefined (required); plain text as is. */
function defaultOf(value: string): string | undefined {
  const m = /^\$\{[A-Z_]+(?::-(.*)|:\?.*)?\}$/.exec(value);
  if (!m) return value;
  return m[1]?.replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1');
}

function containerPort(svc: Service): number[] {
  return (svc.ports ?? []).map((p) => Number(p.split(':').at(-1)));
}

describe('docker-compose.yml', () => {
  it('starts only the gateway and its Redis by default; ERPNext is an opt-in profile', () => {
    const always = Object.entries(services)
      .filter(([, s]) => !s.profiles)
      .map(([n]) => n);
    expect(always.sort()).toEqual(['gateway', 'redis']);
    const erpnext = Object.entries(services)
      .filter(([, s]) => s.profiles?.includes('erpnext'))
      .map(([n]) => n);
    for (const name of ['db', 'redis-cache', 'redis-queue', 'configurator', 'backend', 'frontend', 'websocket'])
      expect(erpnext).toContain(name);
    for (const name of ['configurator', 'backend', 'frontend', 'websocket'])
      expect(services[name]!.image).toMatch(/^frappe\/erpnext:/);
    expect(services.db!.image).toMatch(/^mariadb:/);
  });

  it('runs the gateway’s Redis with append-only persistence', () => {
    expect(services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(services.redis!.volumes?.[0]).toMatch(/:\/data$/);
  });

  it('gives the gateway only environment variables it reads, consistent with its config', () => {
    const known = new Set([...ENV_OVERRIDES.map(([n]) => n), ...SECRET_ENV.map(([n]) => n)]);
    const env = services.gateway!.environment!;
    for (const name of Object.keys(env)) expect(known, `${name} is not read by the gateway`).toContain(name);
    // The defaults the file supplies must pass the gateway's own validation.
    const resolved: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) {
      const d = k === 'OAUTH_ENCRYPTION_KEY' ? Buffer.alloc(32, 1).toString('base64') : defaultOf(v);
      if (d) resolved[k] = d;
    }
    const config = loadConfig({ ...resolved, HOST: '0.0.0.0', PORT: '8080' }, tempDir('fmg-compose-'));
    expect(config.oauth.redis_url).toBeDefined();
    expect(config.audit.enabled).toBe(true);
    // Required with Redis: the file insists on it rather than starting a gateway that cannot seal tokens.
    expect(env.OAUTH_ENCRYPTION_KEY).toMatch(/^\$\{OAUTH_ENCRYPTION_KEY:\?/);
  });

  it('wires ports and addresses between services', () => {
    const env = services.gateway!.environment!;
    // The image listens on PORT=8080 (Dockerfile); the published port maps to it.
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/PORT=8080/);
    expect(containerPort(services.gateway!)).toEqual([8080]);
    // REDIS_URL names the redis service on Redis's port.
    const redis = new URL(env.REDIS_URL!);
    expect(services[redis.hostname]).toBeDefined();
    expect(redis.port).toBe('6379');
    // Without FRAPPE_URL, the gateway fronts the ERPNext of the profile, on the port its frontend listens on.
    const frappe = new URL(defaultOf(env.FRAPPE_URL!)!);
    expect(services[frappe.hostname]?.profiles).toContain('erpnext');
    expect(containerPort(services[frappe.hostname]!)).toContain(Number(frappe.port));
    // ERPNext's frontend reaches its backend and websocket services by name.
    const fe = services.frontend!.environment!;
    for (const target of [fe.BACKEND!, fe.SOCKETIO!]) expect(services[target.split(':')[0]!]).toBeDefined();
    // The published ports do not collide.
    const published = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[0]));
    expect(new Set(published).size).toBe(published.length);
  });

  it('declares every named volume it mounts', () => {
    for (const [name, s] of Object.entries(services))
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/'))
          expect(Object.keys(compose.volumes), `${name} mounts ${source}`).toContain(source);
      }
  });

  it('runs the image with the V8 flags npm start uses (the benchmarks measure those)', () => {
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const start = pkg.scripts.start.split(/\s+/);
    expect(cmd[0]).toBe('node');
    expect(cmd.slice(1)).toEqual(start.slice(1));
    // The memory flags of the README's Performance section.
    expect(start).toEqual(
      expect.arrayContaining(['--heap-growing-percent=50', '--single-threaded', '--no-memory-reducer']),
    );
  });
});
