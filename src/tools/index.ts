import { analytics } from './analytics.js';
import type { Toolset } from './define.js';
import { documents } from './documents.js';
import { identity } from './identity.js';
import { methods } from './methods.js';
import { reports } from './reports.js';
import { schema } from './schema.js';
import { search } from './search.js';
import { workflow } from './workflow.js';

export { analytics, documents, identity, methods, reports, schema, search, workflow };

/** Every toolset the gateway knows, in the order tools/list shows them. */
export const toolsets: readonly Toolset[] = [
  identity,
  documents,
  analytics,
  search,
  schema,
  reports,
  workflow,
  methods,
];
