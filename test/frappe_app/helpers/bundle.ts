// The desk asset the app ships, built as `bench build` builds it: Frappe's esbuild bundles every
// public/js/*.bundle.js into one browser script (an IIFE), and app_include_js loads it after the desk.
// esbuild runs as its command-line tool: its JS API refuses to start inside jsdom (another TextEncoder).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './paths.js';

export const PUBLIC_JS = resolve(REPO_ROOT, 'frappe_app/frappe_mcp_gateway/public/js');
export const BUNDLE_ENTRY = resolve(PUBLIC_JS, 'frappe_mcp_gateway.bundle.js');
const ESBUILD = resolve(REPO_ROOT, 'node_modules/.bin/esbuild');

let built: string | undefined;

/** The bundle's code (built once per test file). */
export function deskBundle(): string {
  built ??= execFileSync(
    ESBUILD,
    [BUNDLE_ENTRY, '--bundle', '--format=iife', '--target=es2017', '--platform=browser', '--log-level=error'],
    { encoding: 'utf8', cwd: REPO_ROOT },
  );
  return built;
}
