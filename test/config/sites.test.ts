import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dirWith, problemsOf } from '../helpers/config.js';
import { loadConfig } from '../../src/config/load.js';
import { siteConfig } from '../../src/sites.js';

const TWO = `sites:
  - name: acme
    frappe_url: https://acme.erp.example.com
    public_url: https://mcp.acme.example.com
    hosts: [mcp2.acme.example.com]
    oauth: { client_id: acme-client }
  - name: beta-2
    frappe_url: https://erp.example.com
    site_name: beta.example.com
`;

describe('sites in config.yaml', () => {
  it('reads each site, with its OAuth secrets from SITE_<NAME>_… or _FILE', () => {
    const dir = dirWith(TWO);
    const file = join(dir, 'beta-secret');
    writeFileSync(file, 'from-file\n');
    const c = loadConfig(
      {
        SITE_ACME_OAUTH_FRAPPE_CLIENT_SECRET: 'acme-secret',
        SITE_BETA_2_OAUTH_FRAPPE_ADMIN_API_KEY: 'k',
        SITE_BETA_2_OAUTH_FRAPPE_ADMIN_API_SECRET_FILE: file,
        PUBLIC_URL: 'https://gw.example.com',
      },
      dir,
    );
    expect(c.sites?.map((s) => s.name)).toEqual(['acme', 'beta-2']);
    const acme = siteConfig(c, c.sites![0]!, 'https://gw.example.com');
    expect(acme.frappe.url).toBe('https://acme.erp.example.com');
    expect(acme.server.public_url).toBe('https://mcp.acme.example.com');
    expect(acme.oauth.frappe_client).toMatchObject({ client_id: 'acme-client', client_secret: 'acme-secret' });
    const beta = siteConfig(c, c.sites![1]!, 'https://gw.example.com');
    expect(beta.server.public_url).toBe('https://gw.example.com/s/beta-2');
    expect(beta.frappe.site_name).toBe('beta.example.com');
    expect(beta.oauth.frappe_client).toEqual({
      scope: 'all openid',
      admin_api_key: 'k',
      admin_api_secret: 'from-file',
    });
    expect(beta.sites).toBeUndefined();
  });

  it('refuses a site secret written in the file, without echoing it', () => {
    const dir = dirWith(
      `sites:\n  - name: acme\n    frappe_url: https://a.example.com\n    oauth: { client_secret: s3cret }\n`,
    );
    const problems = problemsOf(() => loadConfig({}, dir)).join('\n');
    expect(problems).toMatch(/SITE_ACME_OAUTH_FRAPPE_CLIENT_SECRET/);
    expect(problems).not.toContain('s3cret');
  });

  it('refuses FRAPPE_URL with sites, duplicate names or hosts, a bad name, and a public URL with another path', () => {
    const dir = dirWith(`sites:
  - name: acme
    frappe_url: https://a.example.com
    public_url: https://gw.example.com/s/other
    hosts: [x.example.com]
  - name: acme
    frappe_url: https://b.example.com
    hosts: [X.example.com]
  - name: Bad_Name
    frappe_url: https://c.example.com
`);
    const problems = problemsOf(() => loadConfig({ FRAPPE_URL: 'https://erp.example.com' }, dir)).join('\n');
    expect(problems).toMatch(/frappe\.url.*give each site its frappe_url/);
    expect(problems).toMatch(/same name/);
    expect(problems).toMatch(/same host/);
    expect(problems).toMatch(/sites\.2\.name/);
    expect(problems).toMatch(/sites\.0\.public_url.*\/s\/acme/);
  });
});
