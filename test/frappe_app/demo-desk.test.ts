// @vitest-environment jsdom
// The demo page (src/demo/desk) with its desk stub and the app's real desk bundle, driven like a user would.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deskBundle } from './helpers/bundle.js';
import { REPO_ROOT, sse, sseResponse, stubFetch } from './helpers/frappe-stub.js';

const DEMO = resolve(REPO_ROOT, 'src/demo/desk');

interface DemoFrappe {
  csrf_token: string;
  boot: { mcp_gateway: Record<string, unknown> };
  demo: { ready?: boolean; routes: unknown[][]; opened: string[] };
  mcp_gateway: { install_result: string };
}

function frappe(): DemoFrappe {
  return (window as unknown as { frappe: DemoFrappe }).frappe;
}

function input(): HTMLInputElement {
  return document.getElementById('navbar-search') as HTMLInputElement;
}

/** The labels (first line) of the open dropdown's items. */
function listItems(): string[] {
  const ul = document.querySelector('.awesomplete ul[role=listbox]') as HTMLUListElement;
  if (ul.hidden) return [];
  return Array.from(ul.querySelectorAll('li > a > span:first-child'), (s) => s.textContent.replace(/\s+/g, ' ').trim());
}

async function type(text: string): Promise<void> {
  input().focus();
  input().value = text;
  input().dispatchEvent(new Event('input'));
  await vi.waitFor(() => expect(listItems().length).toBeGreaterThan(0));
  // The bar is debounced; wait until the list reflects `text`.
  await new Promise((r) => setTimeout(r, 150));
}

function press(key: string): void {
  input().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

async function loadDemo(search = ''): Promise<void> {
  window.history.replaceState(null, '', `/demo/desk/${search}`);
  delete (window as unknown as { frappe?: unknown }).frappe;
  document.documentElement.innerHTML = readFileSync(resolve(DEMO, 'index.html'), 'utf8')
    .replace(/^<!doctype html>\s*/i, '')
    .replace(/<\/?html[^>]*>/g, '');
  // Like app.html: the desk (stub) first, then the app bundle, then startup.
  (0, eval)(readFileSync(resolve(DEMO, 'frappe-stub.js'), 'utf8'));
  (0, eval)(deskBundle());
  await vi.waitFor(() => expect(frappe().demo.ready).toBe(true));
}

describe('demo desk page', () => {
  beforeEach(async () => {
    await loadDemo('?csrf_token=tok-demo');
  });

  it('loads the scripts the page names, in the desk order', () => {
    const html = readFileSync(resolve(DEMO, 'index.html'), 'utf8');
    const scripts = Array.from(html.matchAll(/<script (?:type="module" )?src="([^"]+)"/g), (m) => m[1]);
    expect(scripts).toEqual(['/demo/desk/frappe-stub.js', '/demo/desk/js/frappe_mcp_gateway.bundle.js']);
    expect(frappe().mcp_gateway.install_result).toBe('awesomebar');
    expect(frappe().boot.mcp_gateway).toEqual({ enabled: true, mode: 'proxy', path: '', allowed: true });
    expect(frappe().csrf_token).toBe('tok-demo');
    expect((document.getElementById('demo-csrf-token') as HTMLInputElement).value).toBe('tok-demo');
  });

  it('behaves like a desk search for other text', async () => {
    await type('cust');
    expect(listItems()).toEqual(['Search for cust', 'Customer List', 'Customer Group List', 'Help on Search']);
  });

  it('streams the answer to "@ai show me top 5 customers" into a dialog without leaving the page', async () => {
    const fetch = stubFetch(
      sseResponse([
        sse('status', { message: 'Looking up Customer…' }),
        sse('done', {
          answer: 'Your top 5 customers by revenue:',
          blocks: [
            {
              type: 'table',
              columns: [
                { fieldname: 'name', label: 'Customer' },
                { fieldname: 'total', label: 'Total' },
              ],
              rows: [
                { name: 'Acme Corp', total: 5000 },
                { name: 'Beta Ltd', total: 4000 },
              ],
              links: [
                { doctype: 'Customer', name: 'Acme Corp' },
                { doctype: 'Customer', name: 'Beta Ltd' },
              ],
            },
          ],
          tool_calls: [{ name: 'list_documents', arguments: {} }],
        }),
      ]),
    );
    const path = window.location.pathname;
    await type('@ai show me top 5 customers');
    expect(listItems()).toEqual(['Ask AI: show me top 5 customers', 'Help on Search']);
    expect(document.querySelector('.awesomplete li .text-muted')!.textContent).toBe(
      'Answered by the AI gateway with your permissions',
    );
    press('Enter');
    const modal = await vi.waitFor(() => {
      const m = document.querySelector('.modal.show');
      expect(m).not.toBeNull();
      return m!;
    });
    expect(modal.querySelector('.modal-title')!.textContent).toBe('Ask AI');
    await vi.waitFor(() => expect(modal.querySelectorAll('.mcp-ai-answer tbody tr')).toHaveLength(2));
    expect(modal.querySelector('.mcp-ai-stream')!.textContent).toBe('Your top 5 customers by revenue:');

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/chat');
    expect(init).toMatchObject({ credentials: 'same-origin', headers: { 'X-Frappe-CSRF-Token': 'tok-demo' } });
    expect(JSON.parse(init.body as string)).toEqual({
      message: 'show me top 5 customers',
      context: { route: ['List', 'Customer'], doctype: 'Customer' },
    });

    const link = modal.querySelector('a.mcp-ai-link') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/app/customer/Acme%20Corp');
    link.click();
    expect(frappe().demo.opened).toEqual(['/app/customer/Acme%20Corp']);
    expect(frappe().demo.routes).toEqual([]); // the @ai item never routed
    expect(window.location.pathname).toBe(path);
  });

  it('keeps the question as text in the desk item renderer, which inserts labels as HTML', async () => {
    stubFetch();
    await type('@ai <img src=x onerror=alert(1)>');
    expect(listItems()[0]).toContain('Ask AI: <img src=x onerror=alert(1)>');
    expect(document.querySelector('.awesomplete img')).toBeNull();
  });

  it('uses the relay and a proxy path from the query string', async () => {
    await loadDemo('?mode=relay&path=/mcp-gateway');
    expect(frappe().boot.mcp_gateway).toMatchObject({ mode: 'relay', path: '/mcp-gateway' });
  });
});
