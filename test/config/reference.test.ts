import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_OVERRIDES, SECRET_ENV } from '../../src/config/load.js';
import { configKeys, configReference } from '../../src/config/reference.js';

describe('docs/configuration.md', () => {
  it('matches the schema (regenerate: npm run docs)', () => {
    const path = new URL('../../docs/configuration.md', import.meta.url);
    expect(existsSync(path) ? readFileSync(path, 'utf8') : '').toBe(configReference());
  });

  it('describes every key, and names each environment variable once', () => {
    const keys = configKeys();
    expect(keys.filter((k) => !k.description).map((k) => k.path)).toEqual([]);
    const paths = new Set(keys.map((k) => k.path));
    // An environment variable that maps to no key would be silently ignored.
    for (const [name, path] of [...ENV_OVERRIDES, ...SECRET_ENV]) expect(paths, name).toContain(path.join('.'));
    expect(keys.find((k) => k.path === 'oauth.redis_url')).toMatchObject({ env: 'REDIS_URL', secret: true });
    expect(keys.find((k) => k.path === 'frappe.max_in_flight')).toMatchObject({ default: 16, type: 'integer 1–10000' });
    expect(configReference()).toContain('about twice your gunicorn workers');
  });
});
