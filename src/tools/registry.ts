import { registerTool, type RegisteredTool, type Toolset } from './define.js';

export interface ToolSelection {
  /** Toolset ids to offer; undefined = all. */
  toolsets?: readonly string[];
  disabledToolsets?: readonly string[];
  /** Single tools added back after the toolset choice. */
  tools?: readonly string[];
  disabledTools?: readonly string[];
  readOnly: boolean;
}

export interface ToolRegistry {
  tools: ReadonlyMap<string, RegisteredTool>;
  /** The tools/list payload, built once. */
  listings: ReadonlyArray<RegisteredTool['listing']>;
}

/**
 * Picks the tools to offer: toolsets → disabled toolsets → single tools added → single tools removed →
 * read-only LAST, dropping every tool that is not read-only, so nothing can bring a write tool back.
 * Throws on unknown names, so a typo in config fails at start-up instead of silently offering less.
 */
export function selectTools(all: readonly Toolset[], sel: ToolSelection): ToolRegistry {
  const byId = new Map(all.map((t) => [t.id, t]));
  const byName = new Map(all.flatMap((t) => t.tools.map((d) => [d.name, d] as const)));
  const unknown = [
    ...[...(sel.toolsets ?? []), ...(sel.disabledToolsets ?? [])]
      .filter((id) => !byId.has(id))
      .map((id) => `toolset ${id}`),
    ...[...(sel.tools ?? []), ...(sel.disabledTools ?? [])].filter((n) => !byName.has(n)).map((n) => `tool ${n}`),
  ];
  if (unknown.length) {
    throw new Error(`Unknown ${unknown.join(', ')}. Known toolsets: ${[...byId.keys()].join(', ')}.`);
  }
  const chosen = new Set<string>();
  for (const t of all) {
    if (sel.toolsets && !sel.toolsets.includes(t.id)) continue;
    if (sel.disabledToolsets?.includes(t.id)) continue;
    for (const d of t.tools) chosen.add(d.name);
  }
  for (const n of sel.tools ?? []) chosen.add(n);
  for (const n of sel.disabledTools ?? []) chosen.delete(n);
  const tools = new Map<string, RegisteredTool>();
  for (const name of chosen) {
    const def = byName.get(name)!;
    if (sel.readOnly && def.annotations.readOnlyHint !== true) continue;
    tools.set(name, registerTool(def));
  }
  return { tools, listings: [...tools.values()].map((t) => t.listing) };
}
