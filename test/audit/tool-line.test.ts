import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { createLogger, REDACT_PATHS } from '../../src/log/logger.js';

function capture(): { lines: string[]; audit: AuditLog } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, audit: new AuditLog({ logger: createLogger({ level: 'warn', format: 'json' }, sink) }) };
}

/** The field names the logger blanks: "*.cookie" → cookie, 'headers["x-frappe-csrf-token"]' → x-frappe-csrf-token. */
const leafNames = [...new Set(REDACT_PATHS.map((p) => (/\["([^"]+)"\]$/.exec(p)?.[1] ?? p.split('.').pop())!))];

describe('audit tool-call lines (written without pino path redaction)', () => {
  it('blank every field name the logger redacts, at any depth, as argument names', () => {
    const { lines, audit } = capture();
    const args: Record<string, unknown> = { doctype: 'Customer' };
    leafNames.forEach((name, i) => {
      args[name] = `top-secret-${i}`;
      args[`nested_${i}`] = { [name]: `deep-secret-${i}` };
    });
    audit.toolCall(
      { site: 'https://erp.example.com', user: 'u@example.com', kind: 'sid', validUntil: 0 },
      'r1',
      'update_document',
      args,
      'ok',
      4,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/top-secret|deep-secret/);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ audit: true, service: 'frappe-mcp-gateway', event: 'tool_call', msg: 'audit' });
    expect((line.args as Record<string, unknown>).doctype).toBe('Customer');
  });

  it('carry the same base fields and level as the other audit lines', () => {
    const { lines, audit } = capture();
    audit.toolCall({ site: 's', user: 'u', kind: 'api_key', validUntil: 0 }, 'r2', 'list_documents', {}, 'ok', 1);
    audit.write({ event: 'chat', outcome: 'ok' });
    const [tool, chat] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const shape = (o: Record<string, unknown>) => ({ level: o.level, service: o.service, audit: o.audit, msg: o.msg });
    expect(shape(tool!)).toEqual(shape(chat!));
  });
});
