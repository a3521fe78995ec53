/**
 * Fixed demo credentials of the stand-in. Docs, `npm start` demo mode and tests rely on these exact values,
 * so change them only together with the docs.
 */
export const DEMO_HOST = '127.0.0.1';
export const DEMO_PORT = 8000;

export const DEMO_USERS = {
  admin: { user: 'Administrator', password: 'admin' },
  sales: { user: 'sales@example.com', password: 'Sales#Pass2024' },
  limited: { user: 'limited@example.com', password: 'Limited#Pass2024' },
} as const;

export const DEMO_API_KEYS = {
  admin: { user: 'Administrator', key: 'demo-admin-key', secret: 'demo-admin-secret-2024' },
  sales: { user: 'sales@example.com', key: 'demo-sales-key', secret: 'demo-sales-secret-2024' },
  limited: { user: 'limited@example.com', key: 'demo-limited-key', secret: 'demo-limited-secret-2024' },
} as const;

export interface DemoOAuthClient {
  clientId: string;
  clientSecret: string;
  appName: string;
  skipAuthorization: boolean;
  scopes: readonly string[];
  redirectUris: readonly string[];
}

export const DEMO_OAUTH_CLIENTS: readonly DemoOAuthClient[] = [
  {
    clientId: 'demo-mcp-client',
    clientSecret: 'demo-mcp-secret',
    appName: 'MCP Test Client',
    skipAuthorization: true,
    scopes: ['all', 'openid'],
    redirectUris: ['http://127.0.0.1:8765/callback', 'http://localhost:8765/callback'],
  },
  {
    clientId: 'demo-consent-client',
    clientSecret: 'demo-consent-secret',
    appName: 'MCP Test Client (consent)',
    skipAuthorization: false,
    scopes: ['all', 'openid'],
    redirectUris: ['http://127.0.0.1:8765/callback'],
  },
];
