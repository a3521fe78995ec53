// Runs once before all test files: checks the system tools some tests need and says, one line each,
// how to install what is missing. As root (CI, containers) it installs them itself, unless
// FMG_NO_INSTALL=1. Tests that need a
// missing tool still fail on their own with the same advice; nothing is skipped.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromiumPresent } from './helpers/chromium.js';

interface Prerequisite {
  name: string;
  present: () => boolean;
  /** Shown to people; `apt`/`pip` are what CI (root) runs. */
  advice: string;
  apt?: string;
  pip?: string;
}

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function pytestPresent(): boolean {
  const r = spawnSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore', timeout: 15_000 });
  return r.status === 0;
}

const PREREQUISITES: Prerequisite[] = [
  {
    name: 'chromium (test/e2e)',
    present: chromiumPresent,
    advice: 'apt-get update && apt-get install -y chromium',
    apt: 'chromium',
  },
  {
    name: 'redis-server (Redis-backed OAuth store tests)',
    present: () => onPath('redis-server'),
    advice: 'apt-get update && apt-get install -y redis-server',
    apt: 'redis-server',
  },
  {
    name: 'Python mcp SDK (test/oauth/python-client)',
    present: () =>
      spawnSync('python3', ['-c', 'import mcp.client.auth, mcp.client.streamable_http'], {
        stdio: 'ignore',
        timeout: 30_000,
      }).status === 0,
    advice: "python3 -m pip install 'mcp>=1.9,<2'",
    pip: 'mcp>=1.9,<2',
  },
  {
    name: 'pytest (Frappe app Python tests)',
    present: pytestPresent,
    advice: 'python3 -m pip install pytest',
    pip: 'pytest',
  },
];

function install(missing: Prerequisite[]): void {
  const apt = missing.flatMap((p) => (p.apt ? [p.apt] : []));
  const pip = missing.flatMap((p) => (p.pip ? [p.pip] : []));
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (apt.length) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...apt], {
      stdio: 'ignore',
      env,
      timeout: 600_000,
    });
  }
  if (pip.length) spawnSync('python3', ['-m', 'pip', 'install', '-q', ...pip], { stdio: 'ignore', timeout: 300_000 });
}

export default function setup(): void {
  let missing = PREREQUISITES.filter((p) => !p.present());
  if (missing.length && process.getuid?.() === 0 && process.env.FMG_NO_INSTALL !== '1') {
    install(missing);
    missing = missing.filter((p) => !p.present());
  }
  for (const p of missing) {
    process.stderr.write(`[prerequisite] missing ${p.name}: install with \`${p.advice}\`\n`);
  }
}
