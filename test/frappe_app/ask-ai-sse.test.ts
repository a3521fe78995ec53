// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadAskAi } from './helpers/frappe-stub.js';
import type { AskAiApi } from './helpers/frappe-stub.js';

interface SseEvent {
  event: string;
  data: string;
  id: string;
}

let api: AskAiApi;

function parse(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = api.create_sse_parser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  parser.end();
  return events;
}

/** Every way of cutting `text` into two chunks. */
function allSplits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

/** A stream of `parts`, one per read, that then closes or (after the last part was read) fails. */
function byteStream(parts: Uint8Array[], error?: Error): ReadableStream<Uint8Array> {
  const queue = [...parts];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next) controller.enqueue(next);
      else if (error) controller.error(error);
      else controller.close();
    },
  });
}

describe('ask_ai.js SSE parser', () => {
  beforeEach(() => {
    api = loadAskAi().mcp_gateway;
  });

  it('parses the gateway events', () => {
    const events = parse([
      'event: status\ndata: {"message":"Looking up Customer…"}\n\n',
      'event: tool_call\ndata: {"name":"list_documents","arguments":{"doctype":"Customer"}}\n\n',
      'event: content\ndata: {"text":"Top"}\n\n',
      'event: done\ndata: {"answer":"Top 5","blocks":[],"tool_calls":[]}\n\n',
    ]);
    expect(events.map((e) => e.event)).toEqual(['status', 'tool_call', 'content', 'done']);
    expect(JSON.parse(events[3]!.data)).toEqual({ answer: 'Top 5', blocks: [], tool_calls: [] });
  });

  it('gives the same events however the stream is cut, with LF, CRLF or CR line ends', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = [
        ': keep-alive',
        'event: content',
        'data: {"text":"a"}',
        '',
        'event: error',
        'data: {"message":"boom","status":502}',
        '',
        '',
      ].join(eol);
      const whole = parse([text]);
      expect(whole).toEqual([
        { event: 'content', data: '{"text":"a"}', id: '' },
        { event: 'error', data: '{"message":"boom","status":502}', id: '' },
      ]);
      for (const split of allSplits(text)) expect(parse(split)).toEqual(whole);
      expect(parse(text.split(''))).toEqual(whole);
    }
  });

  it('joins multi-line data, defaults the event name, strips one space and a BOM', () => {
    const events = parse(['\uFEFFdata:  two spaces\ndata: second\nid: 7\n\n', 'data\n\n']);
    expect(events).toEqual([
      { event: 'message', data: ' two spaces\nsecond', id: '7' },
      { event: 'message', data: '', id: '7' },
    ]);
  });

  it('ignores events without data and unknown fields', () => {
    expect(parse(['event: status\n\nretry: 1000\nfoo: bar\n\n'])).toEqual([]);
  });

  it('delivers a last event that lacks its blank line when the stream ends', () => {
    expect(parse(['event: done\ndata: {}'])).toEqual([{ event: 'done', data: '{}', id: '' }]);
    expect(parse(['event: done\ndata: {}\r'])).toEqual([{ event: 'done', data: '{}', id: '' }]);
  });

  it('reads a byte stream whose chunks split a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('event: content\ndata: {"text":"Müller €"}\n\n');
    const cut = bytes.indexOf(0xe2) + 1; // inside "€"
    const events: SseEvent[] = [];
    await api.read_sse(byteStream([bytes.slice(0, cut), bytes.slice(cut)]), (e) => events.push(e));
    expect(events).toEqual([{ event: 'content', data: '{"text":"Müller €"}', id: '' }]);
  });

  it('rejects when the stream fails midway, after delivering what arrived', async () => {
    const events: SseEvent[] = [];
    const first = new TextEncoder().encode('event: status\ndata: {"message":"x"}\n\n');
    await expect(api.read_sse(byteStream([first], new Error('network down')), (e) => events.push(e))).rejects.toThrow(
      'network down',
    );
    expect(events.map((e) => e.event)).toEqual(['status']);
  });
});
