import type { Toolset } from './define.js';
import { FRAPPE_CALLS } from './frappe-calls.js';

export const TABLE_START = '<!-- tools:start -->';
export const TABLE_END = '<!-- tools:end -->';

/** Up to the first full stop that ends a sentence (not the one in "e.g." or "i.e."). */
function firstSentence(text: string): string {
  const m = /^(.+?(?<!\b(?:e\.g|i\.e))\.)(?=\s+[A-Z]|$)/s.exec(text);
  return (m ? m[1]! : text).replace(/\|/g, '\\|');
}

/** The README's tool table: one row per tool, grouped by toolset, marking what read-only mode keeps and what it asks of Frappe. */
export function toolTable(sets: readonly Toolset[]): string {
  const lines = ['| Toolset | Tool | Read-only | What it does | Frappe calls |', '| --- | --- | --- | --- | --- |'];
  for (const set of sets) {
    for (const tool of set.tools) {
      const a = tool.annotations;
      const mode = a.readOnlyHint ? 'yes' : a.destructiveHint ? 'no (destructive)' : 'no';
      const calls = FRAPPE_CALLS[tool.name]?.what.replace(/\|/g, '\\|') ?? '?';
      lines.push(`| ${set.id} | \`${tool.name}\` | ${mode} | ${firstSentence(tool.description)} | ${calls} |`);
    }
  }
  return lines.join('\n');
}

/** The text between the README markers, or undefined when the markers are missing. */
export function tableInReadme(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** The README with the generated table between the markers (unchanged when the markers are missing). */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return readme;
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
