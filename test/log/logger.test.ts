import { describe, expect, it } from 'vitest';
import { captureLogger } from '../helpers/logger.js';

describe('logger redaction', () => {
  it('blanks credentials wherever they sit in a logged object', () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        req: {
          headers: {
            authorization: 'token k:s3cr3t-1',
            cookie: 'sid=abcdef0123456789',
            'x-frappe-csrf-token': 'csrf-s3cr3t-2',
          },
        },
        oauth: { access_token: 'at-s3cr3t-3', refresh_token: 'rt-s3cr3t-4', client_secret: 'cs-s3cr3t-5' },
        user: { password: 'pw-s3cr3t-6', api_secret: 'as-s3cr3t-7', sid: 'sid-s3cr3t-8', token: 'tok-s3cr3t-9' },
      },
      'hello',
    );
    const out = lines.join('\n');
    expect(out).toContain('hello');
    expect(out).toContain('[redacted]');
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) expect(out).not.toContain(`s3cr3t-${n}`);
  });

  it('puts the child bindings (request id) on every line', () => {
    const { logger, lines } = captureLogger();
    logger.child({ reqId: 'r-1' }).warn('one');
    expect(JSON.parse(lines[0]!)).toMatchObject({ reqId: 'r-1', msg: 'one', level: 40 });
  });
});
