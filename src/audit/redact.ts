/** Field names whose values never reach the audit log (case-insensitive, anywhere in the arguments). */
const SENSITIVE = /(pass(word)?|pwd|secret|token|api_?key|authorization|cookie|^sid$|private_?key|otp|credential)/i;

const MAX_DEPTH = 8;
const MAX_STRING = 500;
const MAX_ITEMS = 50;

/**
 * A copy of tool arguments safe to keep: values of sensitive fields (passwords, tokens, `*_secret`,
 * `api_key`… plus the configured names) become "[redacted]", long strings and lists are clipped so
 * one call cannot write megabytes, and deep nesting is cut.
 */
export function redactArguments(value: unknown, extra: ReadonlySet<string>, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactArguments(v, extra, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE.test(k) || extra.has(k.toLowerCase()) ? '[redacted]' : redactArguments(v, extra, depth + 1);
  }
  return out;
}
