import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dirWith, problemsOf } from '../helpers/config.js';
import { loadConfig } from '../../src/config/load.js';

describe('loadConfig', () => {
  it('gives documented defaults with no file and no environment (demo mode)', () => {
    const c = loadConfig({}, dirWith());
    expect(c.frappe.url).toBeUndefined();
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080, trust_proxy: false });
    expect(c.demo.frappe_port).toBe(8000);
    expect(c.auth.strategies).toEqual(['sid', 'bearer', 'api_key']);
    expect(c.auth.cache.ttl_seconds).toEqual({ sid: 60, bearer: 300, api_key: 300 });
    expect(c.auth.service_account.enabled).toBe(false);
    expect(c.mcp.read_only).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads the shipped config.yaml without complaint', () => {
    const c = loadConfig({}, process.cwd());
    expect(c.configFile).toMatch(/config\.yaml$/);
    expect(c.server.port).toBe(8080);
  });

  it('lets the environment override the file', () => {
    const dir = dirWith('server:\n  port: 9000\nmcp:\n  read_only: false\n');
    const c = loadConfig(
      {
        PORT: '9100',
        READ_ONLY: 'true',
        FRAPPE_URL: 'https://erp.example.com',
        ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      },
      dir,
    );
    expect(c.server.port).toBe(9100);
    expect(c.mcp.read_only).toBe(true);
    expect(c.frappe.url).toBe('https://erp.example.com');
    expect(c.server.allowed_origins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reports every bad key at once, naming the environment variable', () => {
    const dir = dirWith('server:\n  port: "eighty"\n  bogus: 1\nlog:\n  level: loud\n');
    const problems = problemsOf(() => loadConfig({ FRAPPE_URL: 'not a url', READ_ONLY: 'maybe' }, dir));
    expect(problems.join('\n')).toMatch(/frappe\.url \(env FRAPPE_URL\)/);
    expect(problems.join('\n')).toMatch(/server\.port \(env PORT\)/);
    expect(problems.join('\n')).toMatch(/bogus/);
    expect(problems.join('\n')).toMatch(/log\.level/);
    expect(problems.join('\n')).toMatch(/mcp\.read_only \(env READ_ONLY\)/);
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses a non-http FRAPPE_URL', () => {
    expect(problemsOf(() => loadConfig({ FRAPPE_URL: 'file:///etc/passwd' }, dirWith()))[0]).toMatch(/frappe\.url/);
  });

  it('says so when the YAML itself is broken', () => {
    expect(problemsOf(() => loadConfig({}, dirWith('server: [unclosed')))[0]).toMatch(/not valid YAML/);
  });

  it('never reads secrets from the file', () => {
    const dir = dirWith('auth:\n  service_account:\n    enabled: true\n    api_secret: s3cret\n');
    const problems = problemsOf(() => loadConfig({}, dir));
    expect(problems.join('\n')).toMatch(/secrets are not read from .*SERVICE_ACCOUNT_API_SECRET/);
    expect(problems.join('\n')).not.toContain('s3cret');
  });

  it('reads secrets from the environment or from *_FILE', () => {
    const dir = dirWith();
    const secretFile = join(dir, 'secret.txt');
    writeFileSync(secretFile, 'file-secret\n');
    const c = loadConfig(
      { SERVICE_ACCOUNT_ENABLED: 'true', SERVICE_ACCOUNT_API_KEY: 'k', SERVICE_ACCOUNT_API_SECRET_FILE: secretFile },
      dir,
    );
    expect(c.auth.service_account).toEqual({ enabled: true, api_key: 'k', api_secret: 'file-secret' });
  });

  it('refuses an enabled service account without its key', () => {
    expect(problemsOf(() => loadConfig({ SERVICE_ACCOUNT_ENABLED: 'yes' }, dirWith()))[0]).toMatch(
      /auth\.service_account/,
    );
  });

  it('refuses unknown strategies', () => {
    expect(problemsOf(() => loadConfig({ AUTH_STRATEGIES: 'sid,password' }, dirWith()))[0]).toMatch(/auth\.strategies/);
  });
});
