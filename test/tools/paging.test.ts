import { describe, expect, it } from 'vitest';
import type { ToolContext } from '../../src/tools/define.js';
import { fitRows } from '../../src/tools/budget.js';
import { listPage } from '../../src/tools/paging.js';

const rows = Array.from({ length: 50 }, (_, i) => ({
  name: `row-${String(i).padStart(2, '0')}`,
  text: 'x'.repeat(100),
}));

function fakeCtx(maxResultBytes: number): { ctx: ToolContext; listed: unknown[] } {
  const listed: unknown[] = [];
  const frappe = {
    list: (_d: string, p: { limit_start: number; limit_page_length: number }) => {
      listed.push(p);
      return Promise.resolve(rows.slice(p.limit_start, p.limit_start + p.limit_page_length));
    },
    call: () => Promise.resolve(rows.length),
  };
  const ctx = {
    frappe,
    limits: { pageSize: 20, maxPageSize: 30, maxResultBytes, methodAllowlist: [] },
  } as unknown as ToolContext;
  return { ctx, listed };
}

describe('listPage', () => {
  it('stops under the byte budget with a cursor and a hint, and the cursor continues exactly there', async () => {
    const { ctx } = fakeCtx(2000);
    const q = { doctype: 'X', fields: ['name', 'text'], orderBy: 'name asc', withTotal: true };
    const first = await listPage(q, ctx);
    expect(first.truncated).toBe(true);
    expect(first.hint).toMatch(/next_cursor/);
    expect(first.rows.length).toBeLessThan(20);
    expect(JSON.stringify(first).length).toBeLessThan(2000);
    const second = await listPage({ ...q, cursor: first.next_cursor }, ctx);
    expect(second.rows[0]).toEqual(rows[first.rows.length]);
  });

  it('caps the page size at maxPageSize and asks for one extra row to know about more', async () => {
    const { ctx, listed } = fakeCtx(1_000_000);
    const page = await listPage(
      { doctype: 'X', fields: ['name'], orderBy: 'name asc', limit: 500, withTotal: false },
      ctx,
    );
    expect(page.rows).toHaveLength(30);
    expect(listed[0]).toMatchObject({ limit_start: 0, limit_page_length: 31 });
    expect(page.total).toBeUndefined();
    expect(page.next_cursor).toBeDefined();
  });

  it('returns no cursor on the last page', async () => {
    const { ctx } = fakeCtx(1_000_000);
    const q = { doctype: 'X', fields: ['name'], orderBy: 'name asc', limit: 30, withTotal: true };
    const first = await listPage(q, ctx);
    const last = await listPage({ ...q, cursor: first.next_cursor }, ctx);
    expect(last.rows).toHaveLength(20);
    expect(last.next_cursor).toBeUndefined();
    expect(last.total).toBe(50);
  });
});

describe('fitRows', () => {
  it('keeps at least one row so paging always progresses', () => {
    expect(fitRows([{ big: 'y'.repeat(5000) }, { b: 1 }], 1024)).toEqual({
      rows: [{ big: 'y'.repeat(5000) }],
      cut: true,
    });
  });
});
