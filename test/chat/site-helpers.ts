import type { Client } from '@modelcontextprotocol/client';
import { CACHES, siteLookups, type DoctypeMeta, type LinkLookup, type SiteLookups } from '../../src/chat/site.js';
import type { ToolResult } from '../../src/tools/run.js';
import { Vocabulary, type SiteDoctype } from '../../src/chat/vocabulary.js';

/** The planner's look-ups through a real MCP client: the gateway's tools, against the stand-in, as that client's user. */
export function mcpLookups(client: Client, site: string, user: string, calls?: string[]): SiteLookups {
  return siteLookups({ site, user }, async (name, args) => {
    calls?.push(name);
    return (await client.callTool({ name, arguments: args })) as ToolResult;
  });
}

export function clearCaches(): void {
  CACHES.vocabulary.clear();
  CACHES.meta.clear();
  CACHES.link.clear();
}

/** Fixed look-ups for unit tests: a DocType list, metadata and records, each call recorded. */
export function fakeSite(opts: {
  doctypes?: SiteDoctype[];
  full?: boolean;
  metas?: DoctypeMeta[];
  records?: Record<string, string[]>;
  denied?: string[];
}): SiteLookups & { calls: Array<[string, string]> } {
  const vocabulary = new Vocabulary(opts.doctypes ?? []);
  const calls: Array<[string, string]> = [];
  return {
    calls,
    vocabulary: () => Promise.resolve(vocabulary),
    fullList: () => Promise.resolve(opts.full ?? true),
    meta: (doctype) => Promise.resolve(opts.metas?.find((m) => m.name === doctype)),
    searchLink: (doctype, txt): Promise<LinkLookup> => {
      calls.push([doctype, txt]);
      if (opts.denied?.includes(doctype)) return Promise.resolve({ denied: true });
      const all = opts.records?.[doctype] ?? [];
      return Promise.resolve({
        values: all.filter((v) => v.toLowerCase().includes(txt.toLowerCase())).map((value) => ({ value })),
      });
    },
  };
}
