// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeAwesomeBar, FakeDialog, loadAskAi, stubFetch, sseResponse, sse } from './helpers/frappe-stub.js';
import type { AwesomeBarItem, FrappeStub } from './helpers/frappe-stub.js';

function bar(frappe: FrappeStub): FakeAwesomeBar {
  return new frappe.search.AwesomeBar();
}

describe('ask_ai.js Awesome Bar hook', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('subclasses frappe.search.AwesomeBar at load and exports its API', () => {
    const frappe = loadAskAi();
    expect(frappe.mcp_gateway.install_result).toBe('awesomebar');
    expect(frappe.search.AwesomeBar).not.toBe(FakeAwesomeBar);
    expect(bar(frappe)).toBeInstanceOf(FakeAwesomeBar);
    expect(frappe.search.utils.make_function_searchable).not.toHaveBeenCalled();
  });

  it('shows exactly one route-less "Ask AI" item for an @ai query, and no core results', () => {
    const frappe = loadAskAi();
    const list = bar(frappe).search('@ai show me top 5 customers');
    const results = list.filter((i) => i.value !== 'Help on Search'); // v15's input handler appends Help itself
    expect(results).toHaveLength(1);
    const item = results[0]!;
    expect(item).toMatchObject({
      value: 'Ask AI: show me top 5 customers',
      label: 'Ask AI: show me top 5 customers',
      type: 'AI',
      match: 'show me top 5 customers',
    });
    expect(item.route).toBeUndefined();
    expect(typeof item.onclick).toBe('function');
    expect(item.index).toBeGreaterThan(100);
    expect(list[0]).toBe(item); // first, so Enter (autoFirst) picks it
  });

  it('matches @ai case-insensitively but not words that merely start with it', () => {
    const frappe = loadAskAi();
    expect(frappe.mcp_gateway.parse_query('@AI  count customers ')).toBe('count customers');
    expect(frappe.mcp_gateway.parse_query('@ai: why?')).toBe('why?');
    expect(frappe.mcp_gateway.parse_query('@aide')).toBeNull();
    expect(frappe.mcp_gateway.parse_query('customer @ai')).toBeNull();
    expect(
      bar(frappe)
        .search('@aide')
        .map((i) => i.value),
    ).toContain('Search for @aide');
  });

  it('escapes the question in the HTML label', () => {
    const frappe = loadAskAi();
    const [item] = frappe.mcp_gateway.make_items('@ai <img src=x onerror=alert(1)> & "q"')!;
    expect(item!.label).toBe('Ask AI: &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; &quot;q&quot;');
    expect(item!.label).not.toContain('<img');
  });

  it('offers an empty-question item for a bare @ai', () => {
    const frappe = loadAskAi();
    const list = bar(frappe).search('@ai');
    const item = list.find((i) => i.type === 'AI')!;
    expect(item.value).toBe('Ask AI');
    expect(list.filter((i) => i.value !== 'Help on Search')).toHaveLength(1);
  });

  it('leaves other text to the desk, and build_options returns nothing for @ai', () => {
    const frappe = loadAskAi();
    const b = bar(frappe);
    expect(b.search('customer').map((i) => i.value)).toEqual([
      'Search for customer',
      'Customer List',
      'Customer Group List',
      'Help on Search',
    ]);
    expect(b.build_options('@ai customer')).toEqual([]);
    expect(b.build_options('customer')).not.toEqual([]);
  });

  it('changes nothing for users without the allowed role or when disabled', () => {
    for (const boot of [
      { enabled: true, allowed: false, mode: 'proxy', path: '' },
      { enabled: false, allowed: true, mode: 'proxy', path: '' },
      null,
    ]) {
      const frappe = loadAskAi({ boot });
      const values = bar(frappe)
        .search('@ai top customers')
        .map((i: AwesomeBarItem) => i.value);
      expect(values).toEqual(['Search for @ai top customers', 'Help on Search']);
    }
  });

  it('opens the dialog one tick after selection and never routes', async () => {
    const fetch = stubFetch(sseResponse([sse('done', { answer: 'Five.', blocks: [], tool_calls: [] })]));
    const frappe = loadAskAi({ route: ['Form', 'Customer', 'CUST-1'] });
    const b = bar(frappe);
    const item = b.search('@ai show me top 5 customers')[0]!;
    b.select(item, frappe);
    expect(frappe.set_route).not.toHaveBeenCalled();
    expect(FakeDialog.instances).toHaveLength(0); // v16 closes its search modal first
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeDialog.instances).toHaveLength(1);
    const dialog = FakeDialog.instances[0]!;
    expect(dialog.shown).toBe(true);
    expect(dialog.opts).toMatchObject({ title: 'Ask AI', size: 'large', minimizable: true });
    expect(dialog.get_values().question).toBe('show me top 5 customers');
    expect(fetch).toHaveBeenCalledTimes(1);
    const body = JSON.parse(fetch.mock.calls[0]![1].body as string);
    expect(body).toEqual({
      message: 'show me top 5 customers',
      context: { route: ['Form', 'Customer', 'CUST-1'], doctype: 'Customer', docname: 'CUST-1' },
    });
  });

  it("on v16 waits for the search modal's hidden.bs.modal before opening the dialog", async () => {
    stubFetch(sseResponse([sse('done', { answer: 'ok', blocks: [] })]));
    const frappe = loadAskAi();
    document.body.insertAdjacentHTML('beforeend', '<div class="modal show"><input id="navbar-search"></div>');
    const modal = document.querySelector('.modal.show')!;
    const handlers: Record<string, () => void> = {};
    (window as unknown as { jQuery: unknown }).jQuery = (node: Element) => ({
      one: (event: string, fn: () => void) => {
        expect(node).toBe(modal);
        handlers[event] = fn;
      },
    });
    try {
      const b = bar(frappe);
      b.select(b.search('@ai top customers')[0]!, frappe);
      await vi.advanceTimersByTimeAsync(10);
      expect(FakeDialog.instances).toHaveLength(0);
      handlers['hidden.bs.modal']!();
      expect(FakeDialog.instances).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1000); // the safety timeout does not open a second one
      expect(FakeDialog.instances).toHaveLength(1);
    } finally {
      delete (window as unknown as { jQuery?: unknown }).jQuery;
    }
  });

  it('does not patch twice when the script is loaded again', () => {
    const frappe = loadAskAi();
    const patched = frappe.search.AwesomeBar;
    expect(frappe.mcp_gateway.install()).toBe('installed');
    expect(frappe.search.AwesomeBar).toBe(patched);
  });

  it('chains with another app that subclassed the bar before it', () => {
    const frappe = loadAskAi({
      prepare: (f) => {
        f.search.AwesomeBar = class OtherApp extends FakeAwesomeBar {
          override add_defaults(txt: string): void {
            super.add_defaults(txt);
            this.options.push({ value: 'Other app', index: 1 });
          }
        };
      },
    });
    const b = bar(frappe);
    expect(b.search('cust').map((i) => i.value)).toContain('Other app');
    expect(b.search('@ai x').filter((i) => i.value !== 'Help on Search')).toHaveLength(1);
  });

  it('falls back to a searchable "Ask AI" command when the desk lacks add_defaults/build_options', async () => {
    stubFetch();
    const frappe = loadAskAi({
      prepare: (f) => {
        f.search.AwesomeBar = class FutureBar {} as unknown as typeof FakeAwesomeBar;
      },
    });
    expect(frappe.mcp_gateway.install_result).toBe('command');
    const register = frappe.search.utils.make_function_searchable;
    expect(register).toHaveBeenCalledTimes(1);
    expect(register.mock.calls[0]![1]).toBe('Ask AI');
    (register.mock.calls[0]![0] as () => void)();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeDialog.instances).toHaveLength(1);
    expect(FakeDialog.instances[0]!.get_values().question).toBe('');
  });

  it('registers no fallback command for users who may not ask', () => {
    const frappe = loadAskAi({
      boot: { enabled: true, allowed: false },
      prepare: (f) => {
        f.search.AwesomeBar = class FutureBar {} as unknown as typeof FakeAwesomeBar;
      },
    });
    expect(frappe.mcp_gateway.install_result).toBe('none');
    expect(frappe.search.utils.make_function_searchable).not.toHaveBeenCalled();
  });
});
