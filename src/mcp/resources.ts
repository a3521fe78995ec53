import type { ToolRegistry } from '../tools/registry.js';

/** A resource template as resources/templates/list shows it. */
export interface ResourceTemplateListing {
  uriTemplate: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

/** Which tool answers a resource URI, with what arguments, and which part of its result is the resource. */
export interface ResolvedResource {
  tool: string;
  args: Record<string, unknown>;
  pick?: string;
}

const PREFIX = 'frappe://';

const TEMPLATES: Array<ResourceTemplateListing & { tool: string }> = [
  {
    uriTemplate: 'frappe://doctype/{name}',
    name: 'doctype_schema',
    title: 'DocType schema',
    description:
      'Fields, mandatory fields, link targets and child tables of a DocType (as describe_doctype), e.g. frappe://doctype/Sales%20Order.',
    mimeType: 'application/json',
    tool: 'describe_doctype',
  },
  {
    uriTemplate: 'frappe://{doctype}/{name}',
    name: 'document',
    title: 'Document',
    description:
      'One document with its child tables, read as you (as get_document), e.g. frappe://Customer/Initech. Encode spaces and slashes (%20, %2F).',
    mimeType: 'application/json',
    tool: 'get_document',
  },
];

/** The templates whose tools this server offers (a disabled toolset hides its resources too). Built once. */
export function resourceTemplates(registry: ToolRegistry): ResourceTemplateListing[] {
  return TEMPLATES.filter((t) => registry.tools.has(t.tool)).map(({ tool: _tool, ...listing }) => listing);
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** Maps `frappe://doctype/{name}` and `frappe://{doctype}/{name}` to a tool call; undefined for anything else. */
export function resolveResource(uri: string, registry: ToolRegistry): ResolvedResource | undefined {
  if (!uri.startsWith(PREFIX)) return undefined;
  const parts = uri.slice(PREFIX.length).split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  const [first, second] = parts.map(decode);
  if (!first || !second) return undefined;
  const resolved: ResolvedResource =
    parts[0] === 'doctype'
      ? { tool: 'describe_doctype', args: { doctype: second } }
      : { tool: 'get_document', args: { doctype: first, name: second }, pick: 'doc' };
  return registry.tools.has(resolved.tool) ? resolved : undefined;
}
