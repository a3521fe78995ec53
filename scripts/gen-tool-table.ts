// Prints the README tool table; with --write, replaces the text between the README markers.
// Usage: npx tsx scripts/gen-tool-table.ts [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { toolsets } from '../src/tools/index.js';
import { TABLE_END, TABLE_START, toolTable, withTable } from '../src/tools/table.js';

const table = toolTable(toolsets);
if (process.argv.includes('--write')) {
  const path = new URL('../README.md', import.meta.url);
  const readme = readFileSync(path, 'utf8');
  if (!readme.includes(TABLE_START) || !readme.includes(TABLE_END)) {
    console.error(`README.md has no ${TABLE_START} … ${TABLE_END} markers; add them where the table belongs.`);
    process.exit(1);
  }
  writeFileSync(path, withTable(readme, table));
} else {
  console.log(`${TABLE_START}\n${table}\n${TABLE_END}`);
}
