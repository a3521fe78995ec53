import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (jsdom replaces the global URL, so paths are built from strings). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
