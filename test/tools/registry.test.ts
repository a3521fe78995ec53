import { describe, expect, it } from 'vitest';
import { toolsets } from '../../src/tools/index.js';
import { selectTools } from '../../src/tools/registry.js';

const all = toolsets.flatMap((s) => s.tools.map((t) => ({ set: s.id, ...t })));

describe('tool registry', () => {
  it('gives every tool all four annotations as booleans, and none is read-only and destructive', () => {
    for (const t of all) {
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof t.annotations[hint], `${t.name}.${hint}`).toBe('boolean');
      }
      expect(t.annotations.readOnlyHint && t.annotations.destructiveHint, t.name).toBe(false);
    }
  });

  it('has unique snake_case verb_noun names, titles, and descriptions written as prompts', () => {
    const names = all.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of all) {
      expect(t.name).toMatch(/^[a-z]+(_[a-z]+)+$|^whoami$/);
      expect(t.title.length, t.name).toBeGreaterThan(3);
      expect(t.description.length, t.name).toBeGreaterThanOrEqual(40);
    }
  });

  it('gives every input field a description for the model', () => {
    const { listings } = selectTools(toolsets, { readOnly: false });
    for (const l of listings) {
      const props = (l.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      for (const [field, schema] of Object.entries(props)) {
        expect(schema.description, `${l.name}.${field}`).toBeTruthy();
      }
      expect(l.outputSchema.type).toBe('object');
    }
  });

  it('offers only read-only tools in read-only mode, whatever else is asked', () => {
    const { listings } = selectTools(toolsets, { readOnly: true, tools: ['delete_document'] });
    expect(listings.length).toBeGreaterThan(5);
    expect(listings.every((l) => l.annotations.readOnlyHint)).toBe(true);
    expect(listings.map((l) => l.name)).not.toContain('delete_document');
  });

  it('lists exactly the tools of this build', () => {
    expect(all.map((t) => `${t.set}/${t.name}`)).toMatchInlineSnapshot(`
      [
        "identity/whoami",
        "documents/list_documents",
        "documents/get_document",
        "documents/count_documents",
        "documents/create_document",
        "documents/update_document",
        "documents/delete_document",
        "documents/submit_document",
        "documents/cancel_document",
        "documents/amend_document",
        "analytics/aggregate_documents",
        "search/search_link",
        "search/global_search",
        "schema/list_doctypes",
        "schema/describe_doctype",
        "reports/list_reports",
        "reports/describe_report",
        "reports/run_report",
        "workflow/get_workflow_actions",
        "workflow/apply_workflow_action",
        "methods/call_method",
      ]
    `);
  });
});
