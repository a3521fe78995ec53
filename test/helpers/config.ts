import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/load.js';
import { tempDir } from './temp.js';

/** A fresh folder, with a config.yaml holding `yaml` when given. */
export function dirWith(yaml?: string): string {
  const dir = tempDir('fmg-config-');
  if (yaml !== undefined) writeFileSync(join(dir, 'config.yaml'), yaml);
  return dir;
}

/** The problems a ConfigError lists; fails the test when `fn` does not throw one. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
