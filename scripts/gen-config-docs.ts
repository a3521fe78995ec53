// Writes docs/configuration.md from the config schema; with --check, exits 1 when it is stale.
// Usage: npm run docs   (or: npx tsx scripts/gen-config-docs.ts [--check])
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { configKeys, configReference } from '../src/config/reference.js';

const path = new URL('../docs/configuration.md', import.meta.url);
const missing = configKeys().filter((k) => !k.description);
if (missing.length) {
  console.error(
    `No description for: ${missing.map((k) => k.path).join(', ')}. Add them to src/config/descriptions.ts.`,
  );
  process.exit(1);
}
const text = configReference();
if (process.argv.includes('--check')) {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (current !== text) {
    console.error('docs/configuration.md is stale; run `npm run docs`.');
    process.exit(1);
  }
} else {
  mkdirSync(new URL('.', path), { recursive: true });
  writeFileSync(path, text);
}
