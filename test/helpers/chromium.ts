import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (npm playwright-core drives it; no browser download). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a closed network: without the background-networking ones Chromium floods refused connections. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function missingChromium(what: string): string {
  return (
    `Chromium is missing at ${CHROMIUM}: ${what} needs it. Install it with ` +
    '`apt-get update && apt-get install -y chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium binary.'
  );
}

export function chromiumPresent(): boolean {
  return existsSync(CHROMIUM);
}

/** `extraArgs`, e.g. --host-resolver-rules to give a loopback server a second host name. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs], timeout: 30_000 });
}
