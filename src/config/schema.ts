import { z } from 'zod';

/** Strategy names as written in config.yaml; order is the order the chain tries them. */
export const StrategyName = z.enum(['sid', 'bearer', 'api_key']);
export type StrategyName = z.infer<typeof StrategyName>;

const seconds = z.number().int().positive();
/** A site's name: the `/s/<name>/` path prefix and the SITE_<NAME>_… secrets' infix. */
export const SITE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const ConfigSchema = z
  .object({
    frappe: z
      .object({
        url: httpUrl.optional(),
        site_name: z.string().min(1).optional(),
        timeout_ms: z.number().int().min(100).max(600_000).default(15_000),
        retries: z.number().int().min(0).max(5).default(2),
        // Frappe major version: auto = learned from the site; 15 or 16 pins it (and picks the demo stand-in's).
        version: z
          .preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(['auto', '15', '16']))
          .default('auto'),
        max_in_flight: z.number().int().min(1).max(10_000).default(16),
        max_queued: z.number().int().min(0).max(100_000).default(256),
        ready_cache_seconds: z.number().int().min(1).max(300).default(5),
        dns_cache_seconds: z.number().int().min(0).max(3600).default(10),
      })
      .strict()
      .prefault({}),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        public_url: httpUrl.optional(),
        allowed_hosts: z.array(z.string().min(1)).default([]),
        allowed_origins: z.array(httpUrl).optional(),
        trust_proxy: z.boolean().default(false),
        body_limit: z.string().default('1mb'),
        metrics: z.boolean().default(true),
        rate_limit_per_user_per_minute: z.number().int().min(0).default(600),
        shutdown_timeout_seconds: z.number().int().min(0).max(600).default(10),
      })
      .strict()
      .prefault({}),
    demo: z
      .object({ frappe_port: z.number().int().min(0).max(65_535).default(8000) })
      .strict()
      .prefault({}),
    auth: z
      .object({
        strategies: z.array(StrategyName).min(1).default(['sid', 'bearer', 'api_key']),
        cache: z
          .object({
            max_entries: z.number().int().positive().default(10_000),
            ttl_seconds: z
              .object({ sid: seconds.default(60), bearer: seconds.default(300), api_key: seconds.default(300) })
              .strict()
              .prefault({}),
            rejection_ttl_seconds: z.number().int().min(0).max(5).default(5),
          })
          .strict()
          .prefault({}),
        service_account: z
          .object({
            enabled: z.boolean().default(false),
            api_key: z.string().min(1).optional(),
            api_secret: z.string().min(1).optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    mcp: z
      .object({
        read_only: z.boolean().default(false),
        toolsets: z.array(z.string()).optional(),
        disabled_toolsets: z.array(z.string()).default([]),
        tools: z.array(z.string()).default([]),
        disabled_tools: z.array(z.string()).default([]),
        method_allowlist: z.array(z.string().min(1)).optional(),
        page_size: z.number().int().positive().max(500).default(20),
        max_page_size: z.number().int().positive().max(5000).default(200),
        max_result_bytes: z.number().int().min(1024).default(60_000),
      })
      .strict()
      .prefault({}),
    oauth: z
      .object({
        mode: z.enum(['facade', 'direct', 'off']).default('facade'),
        data_dir: z.string().min(1).default('./.data'),
        access_token_ttl_seconds: z.number().int().min(60).max(86_400).default(900),
        refresh_token_ttl_days: z.number().int().min(1).max(365).default(30),
        code_ttl_seconds: z.number().int().min(10).max(600).default(60),
        client_ttl_days: z.number().int().min(1).max(365).default(30),
        unused_client_ttl_hours: z.number().int().min(1).max(720).default(24),
        pending_per_ip: z.number().int().min(1).max(1000).default(30),
        approval_ttl_days: z.number().int().min(1).max(365).default(90),
        public_client_origins: z.array(z.string().min(1)).default(['http://localhost:6274', 'http://127.0.0.1:6274']),
        extra_redirect_uris: z.array(z.string().min(1)).default([]),
        rate_limits: z
          .object({
            register_per_hour: z.number().int().positive().default(300),
            authorize_per_minute: z.number().int().positive().default(300),
            token_per_minute: z.number().int().positive().default(600),
          })
          .strict()
          .prefault({}),
        cimd: z
          .object({
            enabled: z.boolean().default(true),
            timeout_ms: z.number().int().min(100).max(30_000).default(5_000),
            max_bytes: z.number().int().min(1024).max(1_048_576).default(65_536),
            cache_seconds: z.number().int().min(0).max(604_800).default(3_600),
          })
          .strict()
          .prefault({}),
        frappe_client: z
          .object({
            client_id: z.string().min(1).optional(),
            client_secret: z.string().min(1).optional(),
            admin_api_key: z.string().min(1).optional(),
            admin_api_secret: z.string().min(1).optional(),
            scope: z.string().min(1).default('all openid'),
            browser_url: httpUrl.optional(),
          })
          .strict()
          .prefault({}),
        direct: z
          .object({
            authorization_server: httpUrl.optional(),
            scopes: z.array(z.string().min(1)).default(['all']),
          })
          .strict()
          .prefault({}),
        encryption_key: z.string().min(1).optional(),
        redis_url: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    chat: z
      .object({
        mode: z.enum(['planner', 'llm']).default('planner'),
        confirm_ttl_seconds: z.number().int().min(30).max(3_600).default(600),
        confirm_key: z.string().min(16).optional(),
        // Frappe roles that may use /api/v1/chat (any one of them); [] = every signed-in user.
        allowed_roles: z.array(z.string().trim().min(1).max(140)).max(50).default(['Desk User']),
        llm: z
          .object({
            provider: z.enum(['openai', 'anthropic']).default('openai'),
            base_url: httpUrl.optional(),
            model: z.string().min(1).optional(),
            api_key: z.string().min(1).optional(),
            timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
            retries: z.number().int().min(0).max(5).default(1),
            max_steps: z.number().int().min(1).max(20).default(6),
            max_tokens: z.number().int().min(64).max(32_000).default(1_024),
            max_total_tokens: z.number().int().min(1_000).max(1_000_000).default(50_000),
            max_wall_ms: z.number().int().min(1_000).max(600_000).default(90_000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({})
      .refine((c) => c.mode !== 'llm' || c.llm.model !== undefined, {
        path: ['llm', 'model'],
        message: 'chat.mode is llm, so name the model (env LLM_MODEL)',
      }),
    // Several Frappe sites behind one gateway; absent: the one site of frappe.url.
    sites: z
      .array(
        z
          .object({
            name: z.string().regex(SITE_NAME, 'lower-case letters, digits and -'),
            frappe_url: httpUrl,
            site_name: z.string().min(1).optional(),
            public_url: httpUrl.optional(),
            hosts: z.array(z.string().min(1)).default([]),
            oauth: z
              .object({
                client_id: z.string().min(1).optional(),
                client_secret: z.string().min(1).optional(),
                admin_api_key: z.string().min(1).optional(),
                admin_api_secret: z.string().min(1).optional(),
                scope: z.string().min(1).optional(),
                browser_url: httpUrl.optional(),
              })
              .strict()
              .prefault({}),
          })
          .strict(),
      )
      .min(1)
      .optional(),
    audit: z
      .object({
        enabled: z.boolean().default(true),
        file: z.string().min(1).optional(),
        redact_fields: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        format: z.enum(['auto', 'json', 'pretty']).default('auto'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.oauth.mode === 'facade' && c.oauth.redis_url && !c.oauth.encryption_key) {
      ctx.addIssue({
        code: 'custom',
        path: ['oauth', 'encryption_key'],
        message: 'REDIS_URL is set, so every replica needs the same OAUTH_ENCRYPTION_KEY (32 bytes, base64 or hex)',
      });
    }
    if (c.sites) {
      if (c.frappe.url)
        ctx.addIssue({
          code: 'custom',
          path: ['frappe', 'url'],
          message: 'sites is set: give each site its frappe_url instead of FRAPPE_URL',
        });
      const names = c.sites.map((s) => s.name);
      const hosts = c.sites.flatMap((s) => s.hosts.map((h) => h.toLowerCase()));
      if (new Set(names).size !== names.length)
        ctx.addIssue({ code: 'custom', path: ['sites'], message: 'two sites have the same name' });
      if (new Set(hosts).size !== hosts.length)
        ctx.addIssue({ code: 'custom', path: ['sites'], message: 'two sites claim the same host name' });
      c.sites.forEach((s, i) => {
        const path = s.public_url ? new URL(s.public_url).pathname.replace(/\/+$/, '') : '';
        if (path && path !== `/s/${s.name}`)
          ctx.addIssue({
            code: 'custom',
            path: ['sites', i, 'public_url'],
            message: `a site's public URL is its own host (no path) or ends in /s/${s.name}`,
          });
      });
      if (c.auth.service_account.enabled)
        ctx.addIssue({
          code: 'custom',
          path: ['auth', 'service_account'],
          message: 'the service account belongs to one Frappe site; it cannot be used with sites',
        });
    }
    const sa = c.auth.service_account;
    if (sa.enabled && (!sa.api_key || !sa.api_secret)) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'service_account'],
        message:
          'enabled, but SERVICE_ACCOUNT_API_KEY and SERVICE_ACCOUNT_API_SECRET (or their _FILE forms) are not set',
      });
    }
  });

export type RawConfig = z.infer<typeof ConfigSchema>;
