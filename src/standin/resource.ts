import type { Reply, RequestContext } from './context.js';
import { intArg, str, truthy } from './context.js';
import { cancelDoc, deleteDoc, insertDoc, loadDoc, present, submitDoc, updateDoc } from './documents.js';
import { FrappeError, encodeServerMessages } from './errors.js';
import { parseJsonParam } from './filters.js';
import { runQuery } from './query.js';
import type { Doc } from './store.js';
import { randomBytes } from 'node:crypto';
import { isSystemManager } from './permissions.js';
import type { StandinState } from './state.js';
import { oauthSettingsDoc } from './oauth-metadata.js';

/** POST data: the JSON body, or a form field `data` holding JSON. */
function bodyDoc(ctx: RequestContext): Doc {
  if (!ctx.jsonBody && typeof ctx.args.data === 'string') return parseJsonParam(ctx.args.data) as Doc;
  const { sid: _sid, csrf_token: _csrf, ...rest } = ctx.args;
  return rest;
}

function list(ctx: RequestContext, doctype: string): Reply {
  const a = ctx.args;
  const res = runQuery(ctx, doctype, {
    fields: a.fields,
    filters: a.filters,
    or_filters: a.or_filters,
    order_by: a.order_by,
    group_by: a.group_by,
    start: intArg(a.limit_start, 0),
    limit: intArg(a.limit_page_length ?? a.limit, 20),
    parent: a.parent,
  });
  const asArrays = a.as_dict !== undefined && !truthy(a.as_dict);
  return { body: { data: asArrays ? res.rows.map((r) => res.keys.map((k) => r[k])) : res.rows } };
}

/** Whitelisted document methods reachable through `run_method` (the controller methods the tools use). */
function runDocMethod(ctx: RequestContext, doctype: string, name: string, method: string): Reply {
  const doc = loadDoc(ctx, doctype, name, ctx.method === 'GET' ? 'read' : 'write');
  if (method === 'submit') return { body: { data: present(ctx, submitDoc(ctx, doc), true) } };
  if (method === 'cancel') return { body: { data: present(ctx, cancelDoc(ctx, doc), true) } };
  throw new FrappeError('PermissionError');
}

/** /api/resource/<DocType>[/<name>] (v1). */
export function resource(ctx: RequestContext, state: StandinState, doctype: string, name: string | undefined): Reply {
  if (name === undefined) {
    if (ctx.method === 'GET') return list(ctx, doctype);
    if (ctx.method === 'POST') {
      const { doc, notes } = insertDoc(ctx, doctype, bodyDoc(ctx));
      const body: Record<string, unknown> = { data: present(ctx, doc, true) };
      if (notes.length > 0) body._server_messages = encodeServerMessages(notes);
      return { body };
    }
    throw new FrappeError('DoesNotExistError');
  }
  if (doctype === 'OAuth Settings' && ctx.traits.oauthServerMetadata && ctx.method === 'GET') {
    if (!isSystemManager(ctx.user)) throw new FrappeError('PermissionError');
    return { body: { data: oauthSettingsDoc(state.oauthSettings) } };
  }
  const runMethod = str(ctx.args.run_method);
  switch (ctx.method) {
    case 'GET':
      if (runMethod) return runDocMethod(ctx, doctype, name, runMethod);
      return { body: { data: present(ctx, loadDoc(ctx, doctype, name), true) } };
    case 'POST':
      return runDocMethod(ctx, doctype, name, runMethod ?? '');
    case 'PUT':
      return { body: { data: present(ctx, updateDoc(ctx, doctype, name, bodyDoc(ctx)), true) } };
    case 'DELETE':
      deleteDoc(ctx, doctype, name);
      return { status: 202, body: { data: 'ok' } };
    default:
      // v1 has no PATCH route: Werkzeug's NotFound surfaces as a bare DoesNotExistError (recorded).
      throw new FrappeError('DoesNotExistError');
  }
}

/**
 * POST /api/resource/OAuth Client as a System Manager, as a gateway does to create its own client:
 * Frappe answers with the new row, including the generated client_id and client_secret.
 */
export function insertOAuthClient(ctx: RequestContext, state: StandinState): Reply {
  if (!isSystemManager(ctx.user)) throw new FrappeError('PermissionError');
  const v = bodyDoc(ctx);
  const words = (x: unknown) => (typeof x === 'string' ? x.split(/\s+/).filter(Boolean) : []);
  const id = () => randomBytes(8).toString('hex').slice(0, 10);
  const client = {
    clientId: id(),
    clientSecret: id(),
    appName: typeof v.app_name === 'string' ? v.app_name : 'OAuth Client',
    skipAuthorization: truthy(v.skip_authorization),
    scopes: words(v.scopes),
    redirectUris: words(v.redirect_uris),
  };
  state.oauth.clients.set(client.clientId, client);
  return {
    body: {
      data: {
        doctype: 'OAuth Client',
        name: client.clientId,
        client_id: client.clientId,
        client_secret: client.clientSecret,
        app_name: client.appName,
        redirect_uris: client.redirectUris.join('\n'),
        default_redirect_uri: v.default_redirect_uri ?? client.redirectUris[0] ?? null,
        scopes: client.scopes.join('\n'),
        skip_authorization: client.skipAuthorization ? 1 : 0,
        grant_type: 'Authorization Code',
        response_type: 'Code',
        owner: ctx.user,
      },
    },
  };
}
