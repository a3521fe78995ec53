// A stub of the parts of the Frappe desk that the app's desk bundle touches, with the v15 contract
// described in /work/shared/frappe/AWESOME-BAR.md §1.1, and a loader that evaluates the real bundle
// (public/js/frappe_mcp_gateway.bundle.js, built as bench builds it) against it.
import { vi } from 'vitest';
import { deskBundle } from './bundle.js';
import { REPO_ROOT } from './paths.js';

export { REPO_ROOT };

export interface AwesomeBarItem {
  label?: string;
  value: string;
  index?: number;
  type?: string;
  description?: string;
  match?: unknown;
  route?: string[] | string;
  route_options?: Record<string, unknown>;
  onclick?: (match: unknown) => void;
}

export interface Block {
  type: string;
  [key: string]: unknown;
}

export type ChatEventHandler = (name: string, data: unknown) => void;

export interface Session {
  dialog: FakeDialog;
  ask(message: string, confirm?: string, interactive?: boolean): Promise<void>;
  abort(): void;
  pending?: Promise<void>;
}

export interface Column {
  fieldname: string;
  label?: string;
  fieldtype?: string;
  options?: string;
}

/** What the bundle exports as frappe.mcp_gateway. */
export interface AskAiApi {
  install_result: 'awesomebar' | 'command' | 'installed' | 'none';
  install(): AskAiApi['install_result'];
  parse_query(txt: unknown): string | null;
  make_items(txt: string): AwesomeBarItem[] | null;
  get_config(): {
    enabled: boolean;
    allowed: boolean;
    mode: 'proxy' | 'relay' | 'cross-site';
    path: string | null;
    url: string | null;
  };
  desk_base(): '/app' | '/desk';
  normalize_url(url: unknown): string | null;
  format_value(value: unknown, column?: Column | null, row?: Record<string, unknown>): string;
  form_link(link: unknown): string | null;
  describe_failure(status: number, payload: unknown, where?: string): { message: string; detail: string };
  redirect_uri(): string;
  get_context(): { route?: string[]; doctype?: string; docname?: string };
  normalize_path(path: unknown): string | null;
  create_sse_parser(onEvent: (e: { event: string; data: string; id: string }) => void): {
    push(chunk: string): void;
    end(): void;
  };
  read_sse(
    stream: ReadableStream<Uint8Array | string>,
    onEvent: (e: { event: string; data: string; id: string }) => void,
  ): Promise<void>;
  run_chat(
    req: { message: string; context?: object; confirm?: string; signal?: AbortSignal; interactive?: boolean },
    onEvent: ChatEventHandler,
  ): Promise<void>;
  render_block(block: unknown, opts?: { on_confirm?: (token: string) => void }): HTMLElement | null;
  open_dialog(question: string, opts?: { context?: object }): Session | null;
  open_later(question: string): void;
}

const DOCTYPES = ['Customer', 'Customer Group', 'Sales Order', 'Sales Invoice', 'Item'];

/** frappe.search.AwesomeBar as in v15: only the methods and fields the hook and the input handler use. */
export class FakeAwesomeBar {
  options: AwesomeBarItem[] = [];

  add_defaults(txt: string): void {
    this.options.push({ label: `Search for <b>${txt}</b>`, value: `Search for ${txt}`, index: 100, match: txt });
    if (/^[\d(=]/.test(txt)) this.options.push({ label: `${txt} = ?`, value: `${txt} = ?`, index: 80 });
  }

  build_options(txt: string): AwesomeBarItem[] {
    const needle = txt.toLowerCase();
    const found = DOCTYPES.filter((d) => d.toLowerCase().includes(needle)).map((d): AwesomeBarItem => ({
      label: `${d} List`,
      value: `${d} List`,
      route: ['List', d],
      type: 'DocType',
      index: 5,
    }));
    return this.deduplicate(found).sort((a, b) => (b.index ?? 0) - (a.index ?? 0));
  }

  set_specifics(txt: string, endTxt: string): void {
    for (const r of this.build_options(txt)) {
      if (r.type && r.type.toLowerCase().startsWith(endTxt.toLowerCase())) this.options.push(r);
    }
  }

  add_help(): void {
    this.options.push({ value: 'Help on Search', index: -10, onclick: () => undefined });
  }

  deduplicate(options: AwesomeBarItem[]): AwesomeBarItem[] {
    const out: AwesomeBarItem[] = [];
    const routes: string[] = [];
    for (const o of options) {
      const key = o.route ? (typeof o.route === 'string' ? o.route : o.route.join('/')) : '';
      if (key && routes.includes(key)) continue;
      out.push(o);
      routes.push(key);
    }
    return out;
  }

  /** The debounced `input` handler of awesome_bar.js, minus the debounce; returns awesomplete.list. */
  search(value: string): AwesomeBarItem[] {
    const txt = value.trim().replace(/\s\s+/g, ' ');
    const lastSpace = txt.lastIndexOf(' ');
    this.options = [];
    if (txt.length > 1) {
      if (lastSpace !== -1) this.set_specifics(txt.slice(0, lastSpace), txt.slice(lastSpace + 1));
      this.add_defaults(txt);
      this.options = this.options.concat(this.build_options(txt));
    }
    this.add_help();
    return this.deduplicate(this.options).sort((a, b) => (b.index ?? 0) - (a.index ?? 0));
  }

  /** The `awesomplete-select` handler: onclick wins over route (an item with neither would throw). */
  select(item: AwesomeBarItem, frappe: FrappeStub): void {
    if (item.route_options) frappe.route_options = item.route_options;
    if (item.onclick) item.onclick(item.match);
    else frappe.set_route(item.route);
  }
}

interface DialogField {
  fieldtype: string;
  fieldname: string;
  label?: string;
  default?: string;
}

interface DialogOptions {
  title: string;
  size?: string;
  minimizable?: boolean;
  fields: DialogField[];
  primary_action_label?: string;
  primary_action?: (values: Record<string, string>) => void;
}

/** frappe.ui.Dialog: fields_dict[name].wrapper, get_values, show/hide, onhide. */
export class FakeDialog {
  static instances: FakeDialog[] = [];
  readonly element: HTMLElement;
  readonly fields_dict: Record<string, { wrapper: HTMLElement; df: DialogField; input?: HTMLTextAreaElement }> = {};
  shown = false;
  onhide?: () => void;

  constructor(readonly opts: DialogOptions) {
    FakeDialog.instances.push(this);
    this.element = document.createElement('div');
    this.element.className = 'modal';
    for (const df of opts.fields) {
      const wrapper = this.element.appendChild(document.createElement('div'));
      const field: (typeof this.fields_dict)[string] = { wrapper, df };
      if (df.fieldtype !== 'HTML') {
        field.input = wrapper.appendChild(document.createElement('textarea'));
        field.input.value = df.default ?? '';
      }
      this.fields_dict[df.fieldname] = field;
    }
    document.body.append(this.element);
  }

  show(): void {
    this.shown = true;
    this.element.classList.add('show');
  }

  hide(): void {
    this.shown = false;
    this.element.classList.remove('show');
    this.onhide?.();
  }

  get_values(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, f] of Object.entries(this.fields_dict)) if (f.input) out[name] = f.input.value;
    return out;
  }

  /** Press the primary button. */
  primary(): void {
    this.opts.primary_action?.(this.get_values());
  }

  /** The answer area's visible text. */
  get answer(): HTMLElement {
    return this.fields_dict.answer!.wrapper;
  }
}

export interface FrappeStub {
  boot: { mcp_gateway?: Record<string, unknown> };
  csrf_token: string;
  route_options?: Record<string, unknown>;
  set_route: ReturnType<typeof vi.fn>;
  get_route: () => string[];
  search: {
    AwesomeBar: typeof FakeAwesomeBar;
    utils: { make_function_searchable: ReturnType<typeof vi.fn> };
  };
  ui: { Dialog: typeof FakeDialog };
  utils: {
    escape_html(txt: string): string;
    get_form_link?: (doctype: string, name: string) => string;
  };
  format?: (value: unknown, df: Column, options: object, doc: Record<string, unknown>) => string;
  mcp_gateway: AskAiApi;
}

/** v15's frappe.utils.escape_html. */
export function escapeHtml(txt: string): string {
  const map: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '/': '&#x2F;',
    '`': '&#x60;',
    '=': '&#x3D;',
  };
  return String(txt).replace(/[&<>"'`=/]/g, (c) => map[c]!);
}

export interface LoadOptions {
  boot?: Record<string, unknown> | null;
  route?: string[];
  /** Replace the stub before ask_ai.js runs (e.g. remove methods to test the fallback). */
  prepare?: (frappe: FrappeStub) => void;
}

/** A fresh stub `frappe` on window, then the real desk bundle evaluated against it. */
export function loadAskAi(options: LoadOptions = {}): FrappeStub {
  FakeDialog.instances = [];
  document.body.replaceChildren();
  document.getElementById('mcp-ai-style')?.remove();
  const boot = options.boot === undefined ? { enabled: true, allowed: true, mode: 'proxy', path: '' } : options.boot;
  const frappe = {
    boot: boot === null ? {} : { mcp_gateway: boot },
    csrf_token: 'csrf-123',
    set_route: vi.fn(),
    get_route: () => options.route ?? ['List', 'Customer', 'List'],
    search: { AwesomeBar: FakeAwesomeBar, utils: { make_function_searchable: vi.fn() } },
    ui: { Dialog: FakeDialog },
    utils: {
      escape_html: escapeHtml,
      get_form_link: (doctype: string, name: string) =>
        `/app/${doctype.toLowerCase().replace(/ /g, '-')}/${encodeURIComponent(name)}`,
    },
  } as unknown as FrappeStub;
  options.prepare?.(frappe);
  const w = window as unknown as Record<string, unknown>;
  w.frappe = frappe;
  w.__ = (txt: string, args?: (string | number)[]) =>
    txt.replace(/\{(\d+)\}/g, (m, i: string) => String(args?.[Number(i)] ?? m));
  // Indirect eval: the bundle runs as a classic script in the global scope, as in the desk.
  (0, eval)(deskBundle());
  return frappe;
}

/** A fetch Response streaming `chunks` as text/event-stream. */
export function sseResponse(chunks: string[], status = 200): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'content-type': 'text/event-stream' } });
}

export function jsonResponse(payload: unknown, status = 200): Response {
  return new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });
}

/** One SSE event as the gateway writes it. */
export function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Stub window.fetch; returns the mock so tests can inspect calls. */
export function stubFetch(...responses: Response[]): ReturnType<typeof vi.fn> {
  const fetch = vi.fn<(url: string, init: RequestInit) => Promise<Response>>();
  for (const r of responses) fetch.mockResolvedValueOnce(r);
  (window as unknown as { fetch: unknown }).fetch = fetch;
  return fetch;
}
