import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStandin } from '../../src/standin/index.js';

const tsx = resolve('node_modules/.bin/tsx');

/** Runs the gateway until `until` shows up on stderr or it exits; returns what it said. */
function run(
  env: Record<string, string>,
  until?: RegExp,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(tsx, ['src/index.ts'], { env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env } });
    let stderr = '';
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), 15_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (until?.test(stderr)) child.kill('SIGTERM');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stderr, stdout });
    });
  });
}

describe('start-up', () => {
  it('refuses a malformed configuration with one clear message and no stack trace', async () => {
    const r = await run({ FRAPPE_URL: 'ftp://nope', PORT: 'eighty', READ_ONLY: 'perhaps' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^frappe-mcp-gateway: Invalid configuration:/);
    expect(r.stderr).toMatch(/frappe\.url \(env FRAPPE_URL\)/);
    expect(r.stderr).toMatch(/server\.port \(env PORT\)/);
    expect(r.stderr).toMatch(/mcp\.read_only \(env READ_ONLY\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns clearly when FRAPPE_URL is unreachable, and keeps running', async () => {
    const r = await run({ FRAPPE_URL: 'http://127.0.0.1:9', PORT: '0' }, /warning/);
    expect(r.stderr).toMatch(/warning: FRAPPE_URL http:\/\/127\.0\.0\.1:9 is not reachable .*503 until it answers/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns when FRAPPE_URL is not a Frappe site', async () => {
    const standin = await startStandin();
    standin.setFault('html');
    const r = await run({ FRAPPE_URL: standin.url, PORT: '0' }, /warning/);
    await standin.close();
    expect(r.stderr).toMatch(/warning: FRAPPE_URL .* (not JSON|instead of "pong")/);
  });

  it('learns the Frappe version, logs it, and warns that direct OAuth mode on 16 locks out loopback clients', async () => {
    const standin = await startStandin({ version: 16 });
    const r = await run(
      { FRAPPE_URL: standin.url, PORT: '0', OAUTH_MODE: 'direct', LOG_LEVEL: 'info' },
      /warning: OAUTH_MODE=direct/,
    );
    await standin.close();
    expect(r.stderr).toMatch(/warning: OAUTH_MODE=direct on Frappe 16: loopback MCP clients .* https/);
    expect(r.stdout).toMatch(/"major":16,"source":"traits"\},"msg":"frappe version"/);
  });

  it('refuses an unknown command', async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(tsx, ['src/index.ts', 'serve-everything'], { env: { PATH: process.env.PATH ?? '' } });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (c) => done({ code: c, stderr: err }));
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/unknown command "serve-everything"/);
  });
});
