// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { FakeDialog, jsonResponse, loadAskAi, sse, sseResponse, stubFetch } from './helpers/frappe-stub.js';
import type { FrappeStub, Session } from './helpers/frappe-stub.js';

const TABLE = {
  type: 'table',
  title: 'Top 5 customers',
  columns: [
    { fieldname: 'name', label: 'ID' },
    { fieldname: 'customer_name', label: 'Customer' },
    { fieldname: 'total', label: 'Total' },
  ],
  rows: [
    { name: 'CUST-0001', customer_name: '<b>Acme</b>', total: 1200.5 },
    { name: 'CUST/2', customer_name: 'Beta & Co', total: null },
    { name: 'X', customer_name: 'No link', total: 3 },
  ],
  links: [{ doctype: 'Customer', name: 'CUST-0001' }, { doctype: 'Sales Order', name: 'CUST/2' }, null],
};

/** The error the dialog shows: its sentence and its (collapsed) technical detail. */
function errorOf(s: Session): { message: string; detail: string } {
  const box = s.dialog.answer.querySelector('.mcp-ai-error')!;
  return {
    message: box.querySelector('.mcp-ai-error-message')?.textContent ?? '',
    detail: box.querySelector('details pre')?.textContent ?? '',
  };
}

function texts(root: Element, selector: string): string[] {
  return Array.from(root.querySelectorAll(selector), (n) => n.textContent ?? '');
}

/** Open the dialog on the currently loaded stub and wait for the answer. */
async function asked(question: string): Promise<Session> {
  const s = (window as unknown as { frappe: FrappeStub }).frappe.mcp_gateway.open_dialog(question)!;
  await s.pending;
  return s;
}

/** Wait until `check` holds; the stream is driven by microtasks and real timers. */
function until(check: () => boolean): Promise<void> {
  return vi.waitFor(() => {
    if (!check()) throw new Error('not yet');
  });
}

describe('ask_ai.js block rendering', () => {
  it('renders a table with record links from frappe.utils.get_form_link', () => {
    const api = loadAskAi().mcp_gateway;
    const node = api.render_block(TABLE)!;
    expect(node.querySelector('.mcp-ai-table-title')!.textContent).toBe('Top 5 customers');
    expect(texts(node, 'th')).toEqual(['ID', 'Customer', 'Total']);
    expect(texts(node, 'tbody tr:first-child td')).toEqual(['CUST-0001', '<b>Acme</b>', (1200.5).toLocaleString()]);
    expect(node.querySelector('b')).toBeNull(); // untrusted text stays text
    const links = Array.from(node.querySelectorAll('a'), (a) => [a.getAttribute('href'), a.textContent]);
    expect(links).toEqual([
      ['/app/customer/CUST-0001', 'CUST-0001'],
      ['/app/sales-order/CUST%2F2', 'CUST/2'],
    ]);
    expect(texts(node, 'tbody tr:nth-child(2) td')[2]).toBe('');
  });

  it('links the first column when no cell shows the record name', () => {
    const api = loadAskAi().mcp_gateway;
    const node = api.render_block({
      type: 'table',
      columns: [{ fieldname: 'customer_name', label: 'Customer' }],
      rows: [{ customer_name: 'Acme' }],
      links: [{ doctype: 'Customer', name: 'CUST-0001' }],
    })!;
    expect(node.querySelector('a')!.getAttribute('href')).toBe('/app/customer/CUST-0001');
    expect(node.querySelector('a')!.textContent).toBe('Acme');
  });

  it('never renders a link the desk helper did not make safe', () => {
    const frappe = loadAskAi();
    frappe.utils.get_form_link = () => 'javascript:alert(1)';
    const node = frappe.mcp_gateway.render_block(TABLE)!;
    expect(node.querySelectorAll('a')).toHaveLength(0);
    expect(texts(node, 'tbody tr:first-child td')[0]).toBe('CUST-0001');
  });

  it('renders text and number blocks as text, and skips unknown blocks', () => {
    const api = loadAskAi().mcp_gateway;
    const text = api.render_block({ type: 'text', text: '<script>x</script>\nline 2' })!;
    expect(text.textContent).toBe('<script>x</script>\nline 2');
    expect(text.querySelector('script')).toBeNull();
    const number = api.render_block({ type: 'number', label: 'Open orders', value: 42 })!;
    expect(texts(number, 'div')).toEqual(['Open orders', '42']);
    expect(api.render_block({ type: 'chart', data: [] })).toBeNull();
    expect(api.render_block(null)).toBeNull();
  });

  it("collapses Frappe's own words under a text block, as text", () => {
    const api = loadAskAi().mcp_gateway;
    const node = api.render_block({
      type: 'text',
      text: 'Sorry, you do not have permission to see Sales Invoice records.',
      detail: 'No permission for <b>Sales Invoice</b>',
    })!;
    const details = node.querySelector<HTMLDetailsElement>('details.mcp-ai-detail')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('Details');
    expect(details.querySelector('pre')!.textContent).toBe('No permission for <b>Sales Invoice</b>');
    expect(details.querySelector('b')).toBeNull();
    expect(api.render_block({ type: 'text', text: 'plain' })!.querySelector('details')).toBeNull();
  });
});

describe('ask_ai.js transport', () => {
  it('POSTs to <path>/api/v1/chat on the same origin with the session cookie and CSRF token', async () => {
    const fetch = stubFetch(sseResponse([sse('done', { answer: 'ok', blocks: [], tool_calls: [] })]));
    loadAskAi({ boot: { enabled: true, allowed: true, mode: 'proxy', path: '/mcp-gateway/' } });
    await asked('top customers');
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/mcp-gateway/api/v1/chat');
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
        'X-Frappe-CSRF-Token': 'csrf-123',
      },
    });
    expect(JSON.parse(init.body as string)).toMatchObject({ message: 'top customers' });
  });

  it('uses /api/v1/chat for an empty path and refuses a path to another origin', async () => {
    const fetch = stubFetch(jsonResponse({ answer: 'ok', blocks: [], tool_calls: [] }));
    loadAskAi({ boot: { enabled: true, allowed: true, mode: 'proxy', path: '' } });
    await asked('q');
    expect(fetch.mock.calls[0]![0]).toBe('/api/v1/chat');

    const api = loadAskAi({
      boot: { enabled: true, allowed: true, mode: 'proxy', path: '//evil.example' },
    }).mcp_gateway;
    expect(api.normalize_path('https://evil.example')).toBeNull();
    const s = await asked('q');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(errorOf(s)).toEqual({
      message: 'Ask AI is not set up completely on this site. Tell your administrator (MCP Gateway Settings).',
      detail: 'The AI gateway path in MCP Gateway Settings is invalid.',
    });
  });

  it('calls the relay method in relay mode and shows its JSON answer', async () => {
    const fetch = stubFetch(
      jsonResponse({ message: { answer: 'There are 12 customers.', blocks: [], tool_calls: [] } }),
    );
    loadAskAi({ boot: { enabled: true, allowed: true, mode: 'relay', path: '' } });
    const s = await asked('how many customers?');
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/method/frappe_mcp_gateway.api.ask');
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-Frappe-CSRF-Token': 'csrf-123' },
    });
    expect(s.dialog.answer.querySelector('.mcp-ai-stream')!.textContent).toBe('There are 12 customers.');
  });

  it("shows Frappe's own error message from the relay", async () => {
    stubFetch(
      jsonResponse(
        {
          exc_type: 'PermissionError',
          _server_messages: JSON.stringify([JSON.stringify({ message: 'Not <b>allowed</b>' })]),
        },
        403,
      ),
    );
    loadAskAi({ boot: { enabled: true, allowed: true, mode: 'relay' } });
    const s = await asked('q');
    expect(errorOf(s)).toEqual({
      message: 'Not allowed',
      detail: 'HTTP 403 PermissionError Not allowed (/api/method/frappe_mcp_gateway.api.ask)',
    });
  });

  it('says what went wrong in a sentence, with the technical detail collapsed below', async () => {
    stubFetch(
      jsonResponse(
        { error: { code: 'origin_not_allowed', message: 'Requests from this Origin are not allowed.' } },
        403,
      ),
      new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      new Response('', { status: 401 }),
      jsonResponse({ error: { code: 'role_required', message: 'Your account may not use the AI assistant.' } }, 403),
      new Response('<html>404</html>', { status: 404 }),
    );
    loadAskAi({ boot: { enabled: true, allowed: true, mode: 'proxy', path: '/mcp-gateway' } });
    const error = async () => errorOf(await asked('q'));
    expect(await error()).toEqual({
      message:
        "The AI service does not accept questions from this site's address yet. Tell your administrator: the gateway's ALLOWED_ORIGINS must list it.",
      detail: 'HTTP 403 origin_not_allowed Requests from this Origin are not allowed. (/mcp-gateway/api/v1/chat)',
    });
    expect(await error()).toEqual({
      message: 'The AI service is not reachable right now. Try again in a minute, or tell your administrator.',
      detail: 'HTTP 502 (/mcp-gateway/api/v1/chat)',
    });
    expect((await error()).message).toBe('Your session has expired. Reload the page and sign in again.');
    expect((await error()).message).toBe('Your account may not use the AI assistant.');
    expect((await error()).message).toMatch(/^The AI service was not found at this site\./);
    // The detail is collapsed: a <details> element, closed.
    stubFetch(new Response('', { status: 503 }));
    const s = await asked('q');
    const details = s.dialog.answer.querySelector('.mcp-ai-error details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('Technical details');
  });

  it("reports the relay failing to reach the gateway as a sentence, with Frappe's words as detail", async () => {
    stubFetch(
      jsonResponse(
        {
          exc_type: 'GatewayError',
          _server_messages: JSON.stringify([JSON.stringify({ message: 'The AI gateway is unreachable.' })]),
        },
        502,
      ),
      jsonResponse(
        {
          exc_type: 'RelayBusy',
          _server_messages: JSON.stringify([
            JSON.stringify({ message: 'The AI service is busy right now. Try again in a minute.' }),
          ]),
        },
        503,
      ),
    );
    loadAskAi({ boot: { enabled: true, allowed: true, mode: 'relay' } });
    expect(errorOf(await asked('q'))).toEqual({
      message: 'The AI service is not reachable right now. Try again in a minute, or tell your administrator.',
      detail: 'HTTP 502 GatewayError The AI gateway is unreachable. (/api/method/frappe_mcp_gateway.api.ask)',
    });
    expect(errorOf(await asked('q')).message).toBe('The AI service is busy right now. Try again in a minute.');
  });

  it('reports a network failure and a stream that ends without done', async () => {
    const fetch = stubFetch();
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    fetch.mockResolvedValueOnce(sseResponse([sse('status', { message: 'Looking up…' })]));
    fetch.mockResolvedValueOnce(sseResponse([sse('error', { message: 'Internal error (ref 7).' })]));
    loadAskAi();
    expect(errorOf(await asked('q'))).toEqual({
      message: 'The AI service is not reachable right now. Try again in a minute, or tell your administrator.',
      detail: 'Failed to fetch (/api/v1/chat)',
    });
    expect(errorOf(await asked('q')).message).toBe('The answer was cut off. Please try again.');
    expect(errorOf(await asked('q'))).toEqual({
      message: 'The AI service could not answer. Try again, or tell your administrator.',
      detail: 'Internal error (ref 7).',
    });
  });
});

describe('ask_ai.js answer dialog', () => {
  it('streams status, text and blocks, then shows the final answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(encoder.encode(sse('status', { message: 'Looking up Customer…' })));
        c.enqueue(encoder.encode(sse('tool_call', { name: 'list_documents', arguments: { doctype: 'Customer' } })));
        c.enqueue(encoder.encode(sse('content', { text: 'Here are ' })));
        c.enqueue(encoder.encode(sse('content', { text: 'your customers.' })));
        c.enqueue(encoder.encode(sse('content', { block: TABLE })));
        await gate;
        c.enqueue(
          encoder.encode(
            sse('done', {
              answer: 'Here are your top 5 customers.',
              blocks: [{ type: 'text', text: 'Here are your top 5 customers.' }, TABLE],
              tool_calls: [{ name: 'list_documents', arguments: { doctype: 'Customer' } }],
            }),
          ),
        );
        c.close();
      },
    });
    stubFetch(new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } }));
    const frappe = loadAskAi();
    const s = frappe.mcp_gateway.open_dialog('top customers')!;
    const answer = s.dialog.answer;
    await until(() => answer.querySelectorAll('tbody tr').length === 3);
    expect(answer.querySelector('.mcp-ai-status')!.textContent).toBe('Calling list_documents…');
    expect(answer.querySelector('.mcp-ai-stream')!.textContent).toBe('Here are your customers.');
    release();
    await s.pending;
    expect(answer.querySelector('.mcp-ai-status')!.textContent).toBe('');
    expect(answer.querySelector('.mcp-ai-stream')!.textContent).toBe('Here are your top 5 customers.');
    expect(answer.querySelectorAll('.mcp-ai-text')).toHaveLength(0); // the answer is not repeated
    expect(answer.querySelectorAll('table')).toHaveLength(1);
    expect(answer.querySelector('.mcp-ai-tools summary')!.textContent).toBe('Tools used: list_documents');
  });

  it("shows a refusal's detail though its text is the answer and not repeated", async () => {
    const answer = 'Top 5 customers by sales\nSorry, you do not have permission to see Sales Invoice records.';
    const refusal = { type: 'text', text: answer, detail: 'PermissionError: No permission for Sales Invoice' };
    stubFetch(sseResponse([sse('content', { block: refusal }), sse('done', { answer, blocks: [refusal] })]));
    loadAskAi();
    const s = await asked('top 5 customers');
    const view = s.dialog.answer;
    expect(view.querySelector('.mcp-ai-stream')!.textContent).toBe(answer);
    expect(view.querySelectorAll('.mcp-ai-text')).toHaveLength(0);
    expect(texts(view, '.mcp-ai-blocks details.mcp-ai-detail pre')).toEqual([
      'PermissionError: No permission for Sales Invoice',
    ]);
    expect(texts(view, '.mcp-ai-blocks details.mcp-ai-detail summary')).toEqual(['Details']);
  });

  it('re-POSTs the same message with the confirm token when the user confirms a write', async () => {
    const confirm = {
      type: 'confirm',
      summary: 'Create Customer "Zeta"?',
      tool: 'create_document',
      arguments: { doctype: 'Customer', data: { customer_name: 'Zeta' } },
      token: 'tok-1',
    };
    const fetch = stubFetch(
      sseResponse([sse('done', { answer: '', blocks: [confirm], tool_calls: [] })]),
      sseResponse([sse('done', { answer: 'Created CUST-0009.', blocks: [], tool_calls: [] })]),
    );
    const frappe = loadAskAi();
    const s = frappe.mcp_gateway.open_dialog('create customer Zeta')!;
    await s.pending;
    const box = s.dialog.answer.querySelector('.mcp-ai-confirm')!;
    expect(box.querySelector('.mcp-ai-confirm-summary')!.textContent).toBe('Create Customer "Zeta"?');
    expect(box.querySelector('pre')!.textContent).toContain('"customer_name": "Zeta"');
    (box.querySelector('.mcp-ai-confirm-yes') as HTMLButtonElement).click();
    await until(() => s.dialog.answer.querySelector('.mcp-ai-stream')!.textContent === 'Created CUST-0009.');
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(JSON.parse(fetch.mock.calls[1]![1].body as string)).toMatchObject({
      message: 'create customer Zeta',
      confirm: 'tok-1',
    });
  });

  it('cancelling a confirmation sends nothing', async () => {
    const fetch = stubFetch(
      sseResponse([
        sse('done', {
          answer: '',
          blocks: [{ type: 'confirm', summary: 'Delete?', tool: 'delete_document', arguments: {}, token: 't' }],
        }),
      ]),
    );
    const s = loadAskAi().mcp_gateway.open_dialog('delete it')!;
    await s.pending;
    (s.dialog.answer.querySelector('.mcp-ai-confirm-no') as HTMLButtonElement).click();
    expect((s.dialog.answer.querySelector('.mcp-ai-confirm-yes') as HTMLButtonElement).disabled).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('asks the edited question with the primary action, and aborts the request when closed', async () => {
    const fetch = stubFetch(jsonResponse({ answer: 'first', blocks: [] }));
    let signal: AbortSignal | undefined;
    fetch.mockImplementationOnce((_url: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>((_resolve, reject) =>
        signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    });
    const s = loadAskAi().mcp_gateway.open_dialog('')!;
    expect(fetch).not.toHaveBeenCalled(); // an empty question waits for the user
    s.dialog.fields_dict.question!.input!.value = 'second question';
    s.dialog.primary();
    await until(() => fetch.mock.calls.length === 1);
    await until(() => s.dialog.answer.querySelector('.mcp-ai-stream')!.textContent === 'first');
    s.dialog.primary();
    await until(() => signal !== undefined);
    s.dialog.hide();
    expect(signal!.aborted).toBe(true);
    expect(errorOf(s).message).toBe('');
  });

  it('opening another dialog aborts the previous request', async () => {
    const fetch = stubFetch();
    let first: AbortSignal | undefined;
    fetch.mockImplementationOnce((_url: string, init: RequestInit) => {
      first = init.signal ?? undefined;
      return new Promise<Response>(() => undefined);
    });
    fetch.mockResolvedValueOnce(jsonResponse({ answer: 'b', blocks: [] }));
    const api = loadAskAi().mcp_gateway;
    api.open_dialog('one');
    await until(() => first !== undefined);
    await api.open_dialog('two')!.pending;
    expect(first!.aborted).toBe(true);
    expect(FakeDialog.instances).toHaveLength(2);
  });
});
