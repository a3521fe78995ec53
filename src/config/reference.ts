import { z } from 'zod';
import { CONFIG_DESCRIPTIONS } from './descriptions.js';
import { ENV_OVERRIDES, SECRET_ENV } from './load.js';
import { ConfigSchema } from './schema.js';

interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

export interface ConfigKey {
  path: string;
  env: string | undefined;
  secret: boolean;
  type: string;
  default: unknown;
  description: string | undefined;
}

/** Every leaf key of the schema, in schema order, with its type, default, environment variable and meaning. */
export function configKeys(): ConfigKey[] {
  const root = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const env = new Map(ENV_OVERRIDES.map(([name, path]) => [path.join('.'), name]));
  const secrets = new Map(SECRET_ENV.map(([name, path]) => [path.join('.'), name]));
  const out: ConfigKey[] = [];
  const walk = (node: JsonSchema, path: string[]): void => {
    if (node.type === 'object' && node.properties) {
      for (const [k, v] of Object.entries(node.properties)) walk(v, [...path, k]);
      return;
    }
    const key = path.join('.');
    out.push({
      path: key,
      env: env.get(key) ?? secrets.get(key),
      secret: secrets.has(key),
      type: typeOf(node),
      default: node.default,
      description: node.description ?? CONFIG_DESCRIPTIONS[key],
    });
  };
  walk(root, []);
  return out;
}

function typeOf(n: JsonSchema): string {
  if (n.enum) return n.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (n.type === 'array') return `list of ${n.items ? typeOf(n.items) : 'values'}`;
  if (n.type === 'integer' || n.type === 'number') {
    const range =
      n.minimum !== undefined && n.maximum !== undefined
        ? ` ${n.minimum}–${n.maximum}`
        : n.minimum !== undefined
          ? ` ≥ ${n.minimum}`
          : '';
    return `${n.type}${range}`;
  }
  if (n.type === 'string' && n.format === 'uri') return 'URL';
  return n.type ?? 'any';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;');

/** docs/configuration.md, generated: regenerate with `npm run docs`. */
export function configReference(): string {
  const keys = configKeys();
  const sections = [...new Set(keys.map((k) => k.path.split('.')[0]!))];
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts and src/config/descriptions.ts by `npm run docs`; do not edit. -->',
    '',
    'Settings come from `config.yaml` (or the file named by `CONFIG_FILE`), then environment variables override them.',
    'Secrets (marked 🔒) are read only from the environment, or from a file named by `<NAME>_FILE`, never from config.yaml.',
    'Relative paths resolve against the folder of the config file (or the install folder when there is none).',
    '',
  ];
  for (const section of sections) {
    lines.push(
      `## ${section}`,
      '',
      '| Key | Environment | Type | Default | Meaning |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const k of keys.filter((x) => x.path.split('.')[0] === section)) {
      const env = k.env ? `\`${k.env}\`${k.secret ? ' 🔒' : ''}` : '—';
      const def = k.default === undefined ? '—' : `\`${JSON.stringify(k.default)}\``;
      lines.push(`| \`${k.path}\` | ${env} | ${cell(k.type)} | ${cell(def)} | ${cell(k.description ?? '')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
