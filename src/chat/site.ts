import type { ToolResult } from '../tools/run.js';
import { CATALOG_VOCABULARY, Vocabulary, type SiteDoctype } from './vocabulary.js';

/** A field as describe_doctype reports it. */
export interface FieldMeta {
  fieldname: string;
  label?: string;
  fieldtype: string;
  options?: string;
  in_list_view?: boolean;
}

/** The DocType's active Workflow: its state field and the states that wait for someone's approval. */
export interface WorkflowMeta {
  name: string;
  stateField: string;
  waiting: string[];
}

/** What the planner needs of a DocType's metadata. */
export interface DoctypeMeta {
  name: string;
  fields: FieldMeta[];
  titleField?: string;
  submittable: boolean;
  workflow?: WorkflowMeta;
}

/** search_link's answer: record names, or Frappe's refusal. */
export type LinkLookup = { values: Array<{ value: string; label?: string }> } | { denied: true };

/**
 * What the planner asks the site, always through the gateway's own tools and as the caller.
 * Implemented over the tool registry (siteLookups below) and, in unit tests, over fixed data.
 */
export interface SiteLookups {
  /** The DocTypes the caller's site lists (catalog only when the caller may not list DocTypes). */
  vocabulary(): Promise<Vocabulary>;
  /** True when the vocabulary holds the site's full DocType list; otherwise unknown names are searched. */
  fullList(): Promise<boolean>;
  meta(doctype: string): Promise<DoctypeMeta | undefined>;
  searchLink(doctype: string, txt: string): Promise<LinkLookup>;
}

/** A small map whose entries expire and whose oldest entries go first when it is full. */
export class TtlCache<V> {
  private readonly map = new Map<string, { at: number; value: V }>();
  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string, now = Date.now()): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (now - hit.at > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, now = Date.now()): void {
    this.map.delete(key);
    this.map.set(key, { at: now, value });
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

/**
 * Shared caches. The vocabulary and metadata are the same for everyone with the same roles on a site, so
 * they are kept per site and role set; record look-ups depend on the user's own permissions (user
 * permissions can hide records), so they are kept per user, briefly.
 */
export const CACHES = {
  vocabulary: new TtlCache<Promise<{ vocabulary: Vocabulary; full: boolean }>>(50, 10 * 60_000),
  meta: new TtlCache<Promise<DoctypeMeta | undefined>>(2000, 10 * 60_000),
  link: new TtlCache<Promise<LinkLookup>>(5000, 60_000),
};

export interface LookupIdentity {
  site: string;
  user: string;
  /** The caller's roles when known; without them caches are kept per user. */
  roles?: readonly string[];
}

type RunTool = (name: string, args: Record<string, unknown>) => Promise<ToolResult>;

/** Pages of list_doctypes read at most, so one vocabulary costs a bounded number of calls. */
const MAX_DOCTYPE_PAGES = 10;

function isDenied(r: ToolResult): boolean {
  return r.content.some((c) => /\(40[34]\b|PermissionError|not permitted|No permission/i.test(c.text));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** Turns describe_doctype's answer into what the planner reads. */
export function metaFrom(data: Record<string, unknown>): DoctypeMeta | undefined {
  if (typeof data.name !== 'string') return undefined;
  const fields = Array.isArray(data.fields) ? (data.fields as Array<Record<string, unknown>>) : [];
  const wf = data.workflow as Record<string, unknown> | undefined;
  return {
    name: data.name,
    fields: fields
      .filter((f) => typeof f.fieldname === 'string' && typeof f.fieldtype === 'string')
      .map((f) => ({
        fieldname: f.fieldname as string,
        fieldtype: f.fieldtype as string,
        ...(str(f.label) ? { label: f.label as string } : {}),
        ...(str(f.options) ? { options: f.options as string } : {}),
        ...(f.in_list_view === true ? { in_list_view: true } : {}),
      })),
    ...(str(data.title_field) ? { titleField: data.title_field as string } : {}),
    submittable: data.is_submittable === true,
    ...(wf && typeof wf.name === 'string' && typeof wf.state_field === 'string' && Array.isArray(wf.waiting_states)
      ? {
          workflow: {
            name: wf.name,
            stateField: wf.state_field,
            waiting: (wf.waiting_states as unknown[]).filter((s): s is string => typeof s === 'string'),
          },
        }
      : {}),
  };
}

/** The site, as the caller sees it, through the gateway's tools (`run` runs one tool as the caller). */
export function siteLookups(who: LookupIdentity, run: RunTool): SiteLookups {
  const roleKey = who.roles?.length ? [...who.roles].sort().join(',') : `user:${who.user}`;
  const shared = `${who.site}|${roleKey}`;
  const loadVocabulary = (): Promise<{ vocabulary: Vocabulary; full: boolean }> => {
    let hit = CACHES.vocabulary.get(shared);
    if (!hit) {
      const loading = (async () => {
        const site: SiteDoctype[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_DOCTYPE_PAGES; page++) {
          const r = await run('list_doctypes', { limit: 500, ...(cursor ? { cursor } : {}) });
          // Only privileged roles may list DocTypes (recorded); others name DocTypes the catalog or search finds.
          if (r.isError && isDenied(r)) return { vocabulary: CATALOG_VOCABULARY, full: false };
          if (r.isError) throw new Error('list_doctypes failed');
          const data = r.structuredContent ?? {};
          for (const d of (data.doctypes as Array<Record<string, unknown>> | undefined) ?? []) {
            if (typeof d.name === 'string' && d.issingle !== true) {
              site.push({
                name: d.name,
                submittable: d.is_submittable === true,
                ...(str(d.module) ? { module: d.module as string } : {}),
              });
            }
          }
          cursor = str(data.next_cursor);
          if (!cursor) break;
        }
        return { vocabulary: new Vocabulary(site), full: true };
      })();
      // An outage is not remembered: this ask (and any waiting on it) uses the catalog alone; the next tries again.
      hit = loading.catch(() => {
        CACHES.vocabulary.delete(shared);
        return { vocabulary: CATALOG_VOCABULARY, full: false };
      });
      CACHES.vocabulary.set(shared, hit);
    }
    return hit;
  };
  return {
    vocabulary: async () => (await loadVocabulary()).vocabulary,
    fullList: async () => (await loadVocabulary()).full,
    meta(doctype) {
      const key = `${shared}|${doctype}`;
      let hit = CACHES.meta.get(key);
      if (!hit) {
        hit = run('describe_doctype', { doctype, include_child_fields: false }).then((r) => {
          if (r.isError && !isDenied(r) && !/\(404\b|DoesNotExist/.test(r.content.map((c) => c.text).join(' '))) {
            CACHES.meta.delete(key); // an outage: ask again next time
          }
          return r.isError ? undefined : metaFrom(r.structuredContent ?? {});
        });
        CACHES.meta.set(key, hit);
      }
      return hit;
    },
    searchLink(doctype, txt) {
      const key = `${who.site}|${who.user}|${doctype}|${txt.toLowerCase()}`;
      let hit = CACHES.link.get(key);
      if (!hit) {
        hit = run('search_link', { doctype, txt, page_length: 10 }).then((r): LinkLookup => {
          if (r.isError && !isDenied(r)) CACHES.link.delete(key);
          if (r.isError) return isDenied(r) ? { denied: true } : { values: [] };
          const results = (r.structuredContent?.results as Array<Record<string, unknown>> | undefined) ?? [];
          return {
            values: results
              .filter((x) => typeof x.value === 'string')
              .map((x) => ({ value: x.value as string, ...(str(x.label) ? { label: x.label as string } : {}) })),
          };
        });
        CACHES.link.set(key, hit);
      }
      return hit;
    },
  };
}
