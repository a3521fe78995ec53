import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toolsets } from '../../src/tools/index.js';
import { tableInReadme, TABLE_END, TABLE_START, toolTable, withTable } from '../../src/tools/table.js';

describe('README tool table', () => {
  it('matches the generated table (regenerate: npx tsx scripts/gen-tool-table.ts --write)', () => {
    const path = new URL('../../README.md', import.meta.url);
    const readme = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const inReadme = tableInReadme(readme);
    expect(inReadme, `README.md needs ${TABLE_START} … ${TABLE_END} around the tool table`).toBeDefined();
    expect(inReadme).toBe(toolTable(toolsets));
  });

  it('has one row per tool and escapes pipes', () => {
    const table = toolTable(toolsets);
    expect(table.split('\n')).toHaveLength(2 + toolsets.reduce((n, s) => n + s.tools.length, 0));
    expect(withTable(`a\n${TABLE_START}\nold\n${TABLE_END}\nb`, 'new')).toBe(`a\n${TABLE_START}\nnew\n${TABLE_END}\nb`);
    expect(withTable('no markers', 'new')).toBe('no markers');
  });
});
