import { randomBytes } from 'node:crypto';
import type { Traits } from './version.js';

/** One entry of Frappe's `_server_messages`. `raise` marks a frappe.throw() (adds indicator, raise_exception, exc id). */
export interface ServerMessage {
  message: string;
  title?: string;
  indicator?: string;
  raise?: boolean;
}

/** HTTP status per Frappe exception class, as recorded (frappe/exceptions.py). */
const STATUS: Record<string, number> = {
  AuthenticationError: 401,
  PermissionError: 403,
  DoesNotExistError: 404,
  DuplicateEntryError: 409,
  ValidationError: 417,
  MandatoryError: 417,
  LinkValidationError: 417,
  TimestampMismatchError: 417,
  UpdateAfterSubmitError: 417,
  LinkExistsError: 417,
  DataError: 417,
  CSRFTokenError: 400,
  InvalidAuthorizationToken: 400,
  RateLimitExceededError: 429,
  TooManyRequestsError: 429,
};

/** A Frappe exception: rendered as `{exc_type, _server_messages}` (v1) or `{errors}` (v2). Never carries a traceback. */
export class FrappeError extends Error {
  readonly status: number;
  constructor(
    readonly excType: string,
    readonly messages: ServerMessage[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(messages[0]?.message ?? excType);
    this.status = STATUS[excType] ?? 500;
  }
}

/** frappe.throw(msg, exc): the common "red" message with raise_exception. */
export function thrown(excType: string, message: string, title = 'Message'): FrappeError {
  return new FrappeError(excType, [{ message, title, indicator: 'red', raise: true }]);
}

export function notFound(doctype: string, name: string): FrappeError {
  return thrown('DoesNotExistError', `${doctype} ${name} not found`);
}

/** Doctype-level refusal, as frappe.has_permission prints it (msgprint without raise + `_error_message`). */
export function noDoctypePermission(user: string, doctype: string): FrappeError {
  return new FrappeError('PermissionError', [{ message: roleMessage(user, doctype), title: 'Message' }], {
    _error_message: `No permission for ${doctype}`,
  });
}

export function roleMessage(user: string, doctype: string): string {
  return `User <strong>${user}</strong> does not have doctype access via role permission for document <strong>${doctype}</strong>`;
}

export function notWhitelisted(method: string): FrappeError {
  return thrown(
    'PermissionError',
    `<details><summary>You are not permitted to access this resource. Login to access</summary>Function <strong>${method}</strong> is not whitelisted.</details>`,
    'Method Not Allowed',
  );
}

function excId(): string {
  return randomBytes(28).toString('hex');
}

function encodeMessage(m: ServerMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { message: m.message, title: m.title ?? 'Message' };
  if (m.indicator) out.indicator = m.indicator;
  if (m.raise) {
    out.raise_exception = 1;
    out.__frappe_exc_id = excId();
  }
  return out;
}

/** Frappe's double encoding: a JSON string of an array of JSON strings. */
export function encodeServerMessages(messages: ServerMessage[]): string {
  return JSON.stringify(messages.map((m) => JSON.stringify(encodeMessage(m))));
}

export function v1ErrorBody(err: FrappeError): Record<string, unknown> {
  const body: Record<string, unknown> = { exc_type: err.excType };
  if (err.messages.length > 0) body._server_messages = encodeServerMessages(err.messages);
  return { ...body, ...err.extra };
}

/** v2 puts the raised messages under `errors` and the other printed messages under `messages`. */
export function v2ErrorBody(err: FrappeError): Record<string, unknown> {
  const toEntry = (m: ServerMessage): Record<string, unknown> => {
    const e: Record<string, unknown> = { type: err.excType, message: m.message, title: m.title ?? 'Message' };
    if (m.indicator) e.indicator = m.indicator;
    return e;
  };
  if (err.messages.length === 0) return { errors: [{ type: err.excType }] };
  const raised = err.messages.filter((m) => m.raise);
  if (raised.length === 0) return { errors: err.messages.map(toEntry) };
  const others = err.messages.filter((m) => !m.raise);
  const body: Record<string, unknown> = { errors: raised.map(toEntry) };
  if (others.length > 0) body.messages = others.map((m) => ({ message: m.message, title: m.title ?? 'Message' }));
  return body;
}

const PAGE_TITLES: Record<number, string> = {
  401: 'Session Expired',
  403: 'Not Permitted',
  404: 'Not Found',
  500: 'Server Error',
};

/** What the v16 error page says under its status (`<p>404: …</p>`). */
const PAGE_TEXTS: Record<number, string> = {
  401: 'Your session has expired, please login again to continue.',
  403: 'You do not have enough permissions to complete the action',
  404: 'The resource you are looking for is not available',
  500: 'Uncaught Exception',
};

/**
 * The website error page Frappe renders for browser-like Accept headers: titled by the status on 15; on 16 a
 * small page titled "Error" that names the status in a meta tag and a paragraph.
 */
export function errorPage(status: number, traits: Pick<Traits, 'modernMessages'>): string {
  const title = PAGE_TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Message');
  if (traits.modernMessages) {
    const text = PAGE_TEXTS[status] ?? (status >= 500 ? PAGE_TEXTS[500] : title);
    return `<!DOCTYPE html>\n<html>\n<head>\n<meta name="title" content="${title}">\n<title>Error</title>\n</head>\n<body>\n<p>${status}: ${text}</p>\n</body>\n</html>\n`;
  }
  const detail = status === 404 ? '\n<p>The resource you are looking for is not available</p>' : '';
  return `<!DOCTYPE html>\n<html>\n<head>\n<title>${title}</title>\n</head>\n<body>\n<h1>${title}</h1>${detail}\n</body>\n</html>\n`;
}

/** True when Frappe would answer an error with an HTML page instead of JSON. */
export function wantsHtml(accept: string | undefined, xRequestedWith: string | undefined): boolean {
  if (!accept) return false;
  return accept.startsWith('text') && !accept.includes('application/json') && xRequestedWith !== 'XMLHttpRequest';
}

/** Frappe 16 adds `as_table: false` after the text of every message (v1 `_server_messages`, v2 `errors`). */
export function withAsTable(body: Record<string, unknown>): Record<string, unknown> {
  const mark = (m: Record<string, unknown>): Record<string, unknown> => {
    const { message, ...rest } = m;
    return 'message' in m ? { message, as_table: false, ...rest } : m;
  };
  const out = { ...body };
  if (typeof out._server_messages === 'string') {
    const list = JSON.parse(out._server_messages) as string[];
    out._server_messages = JSON.stringify(
      list.map((m) => JSON.stringify(mark(JSON.parse(m) as Record<string, unknown>))),
    );
  }
  if (Array.isArray(out.errors)) out.errors = (out.errors as Array<Record<string, unknown>>).map(mark);
  return out;
}
