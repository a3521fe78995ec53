// Runs the Frappe app's Python tests (the relay, settings, boot info, app layout; a stubbed `frappe`,
// no bench needed) so that `npm test` covers them.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/frappe-stub.js';

const PYTHON = 'python3';
const TESTS = 'test/frappe_app/python';

function run(args: string[]): { status: number | null; output: string; error?: Error } {
  const result = spawnSync(PYTHON, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 110_000,
    // No .pyc files or .pytest_cache in the working tree.
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`, error: result.error };
}

describe('frappe_app Python tests', () => {
  it('pass under pytest', () => {
    const probe = run(['-c', 'import pytest']);
    if (probe.error || probe.status !== 0) {
      throw new Error(
        `pytest is not available for ${PYTHON} (${probe.error?.message ?? probe.output.trim()}). ` +
          `Install it with: pip install pytest`,
      );
    }
    const result = run(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-rs', TESTS]);
    expect(result.output).toMatch(/\d+ passed/);
    expect(result.output).not.toMatch(/\d+ (failed|errors?|skipped)/);
    expect(result.status, result.output).toBe(0);
  }, 120_000);
});
