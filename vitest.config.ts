import { defineConfig } from 'vitest/config';

/**
 * The suites whose answers depend on the Frappe version: auth, CSRF, tools, chat and OAuth. They run a second time
 * against the stand-in in Frappe 16 mode (FRAPPE_VERSION=16, read by test/helpers/frappe-version.ts). Everything
 * else, the demo included, stays on 15. The replay test covers both transcript folders by itself.
 */
const BOTH_VERSIONS = [
  'test/auth/chain.test.ts',
  'test/http/auth.test.ts',
  'test/http/mcp-auth.test.ts',
  'test/http/csrf-write.test.ts',
  'test/http/one-credential.test.ts',
  'test/http/chat.test.ts',
  'test/http/chat-planner.test.ts',
  'test/chat/planner.test.ts',
  'test/chat/unseen.test.ts',
  'test/chat/chat-e2e.test.ts',
  'test/tools/documents.test.ts',
  'test/tools/reports.test.ts',
  'test/tools/search-schema.test.ts',
  'test/tools/methods-workflow.test.ts',
  'test/tools/analytics.test.ts',
  'test/oauth/flow.test.ts',
  'test/oauth/refusals.test.ts',
  'test/oauth/surface.test.ts',
  'test/oauth/modes.test.ts',
  'test/oauth/auto-client.test.ts',
  'test/oauth/parallel-consent.test.ts',
  'test/oauth/python-client.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/reporters/summary-line.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'frappe15', include: ['test/**/*.test.ts'], env: { FRAPPE_VERSION: '15' } } },
      { extends: true, test: { name: 'frappe16', include: BOTH_VERSIONS, env: { FRAPPE_VERSION: '16' } } },
    ],
  },
});
