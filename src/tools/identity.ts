import { z } from 'zod';
import { defineTool, toolset } from './define.js';
import { loadProfile } from './profile.js';

export const identity = toolset({
  id: 'identity',
  description: 'Who the caller is in Frappe',
  tools: [
    defineTool({
      name: 'whoami',
      title: 'Who am I',
      description:
        'Return the Frappe user this conversation acts as: user id, full name, roles and how they signed in. ' +
        'Use it when a permission error is surprising, or before acting on "my" records.',
      input: {},
      output: {
        user: z.string(),
        full_name: z.string().optional(),
        roles: z.array(z.string()).optional(),
        credential: z.enum(['sid', 'bearer', 'api_key']),
        service_account: z.boolean(),
        site: z.string(),
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      handler: async (_args, { frappe, principal }) => {
        const profile = await loadProfile(frappe, principal);
        return {
          user: principal.user,
          ...(profile.fullName ? { full_name: profile.fullName } : {}),
          ...(profile.roles ? { roles: profile.roles } : {}),
          credential: principal.kind,
          service_account: principal.serviceAccount ?? false,
          site: principal.site,
        };
      },
    }),
  ],
});
