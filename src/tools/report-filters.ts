/**
 * Report filter definitions. Frappe publishes them only as JavaScript source (query_report.get_script →
 * `frappe.query_reports["X"] = { filters: [ {...}, ... ] }`), so this reads that source without running it:
 * a small scanner that respects strings, template literals and comments, and takes literal values only.
 * describe_report and run_report both use it, so what a model is told is required is what run_report checks.
 */

export interface ReportFilter {
  fieldname: string;
  label?: string;
  fieldtype?: string;
  options?: string;
  reqd: boolean;
  /** A literal default from the definition. */
  default?: string | number | boolean;
  /** A computed default the desk would fill in, e.g. `frappe.datetime.get_today()`; shown, never evaluated. */
  default_expression?: string;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** Index just past a string/template/comment starting at i, or i when none starts there. */
function skipNonCode(src: string, i: number): number {
  const c = src[i];
  if (c === '/' && src[i + 1] === '/') {
    const end = src.indexOf('\n', i);
    return end < 0 ? src.length : end + 1;
  }
  if (c === '/' && src[i + 1] === '*') {
    const end = src.indexOf('*/', i + 2);
    return end < 0 ? src.length : end + 2;
  }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '`') {
    let j = i + 1;
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\') j += 2;
      else if (src[j] === '$' && src[j + 1] === '{') j = matchBracket(src, j + 1) + 1;
      else j += 1;
    }
    return j + 1;
  }
  return i;
}

/** Index of the bracket closing the one at `open`, or the end of the source. */
function matchBracket(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length;) {
    const skipped = skipNonCode(src, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = src[i]!;
    if (OPEN.has(c)) depth += 1;
    else if (CLOSE.has(c)) {
      depth -= 1;
      if (depth === 0) return i;
    }
    i += 1;
  }
  return src.length;
}

/** Splits at `sep` characters that are outside brackets, strings and comments. */
function splitTop(src: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < src.length;) {
    const skipped = skipNonCode(src, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = src[i]!;
    if (OPEN.has(c)) depth += 1;
    else if (CLOSE.has(c)) depth -= 1;
    else if (c === sep && depth === 0) {
      parts.push(src.slice(from, i));
      from = i + 1;
    }
    i += 1;
  }
  parts.push(src.slice(from));
  return parts.map((p) => stripComments(p).trim()).filter(Boolean);
}

function stripComments(s: string): string {
  let out = '';
  for (let i = 0; i < s.length;) {
    if (s[i] === '/' && (s[i + 1] === '/' || s[i + 1] === '*')) {
      i = skipNonCode(s, i);
      continue;
    }
    const j = skipNonCode(s, i);
    out += j !== i ? s.slice(i, j) : s[i];
    i = j !== i ? j : i + 1;
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unescape(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.length > 1 && (e[0] === 'u' || e[0] === 'x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? (e === '\n' ? '' : e);
  });
}

/** A string literal's value ('…', "…", `…` without ${}), or __("…") translated text; undefined otherwise. */
function stringValue(expr: string): string | undefined {
  const e = expr.trim();
  const m = /^__\(\s*([\s\S]*)\)$/.exec(e);
  if (m) return stringValue(splitTop(m[1]!, ',')[0] ?? '');
  const q = e[0];
  if ((q === '"' || q === "'" || q === '`') && e.length >= 2 && skipNonCode(e, 0) === e.length) {
    const body = e.slice(1, -1);
    if (q === '`' && body.includes('${')) return undefined;
    return unescape(body);
  }
  return undefined;
}

type Literal = string | number | boolean;

function literal(expr: string): Literal | undefined {
  const s = stringValue(expr);
  if (s !== undefined) return s;
  const e = expr.trim();
  if (e === 'true' || e === 'false') return e === 'true';
  if (/^-?\d+(\.\d+)?$/.test(e)) return Number(e);
  return undefined;
}

function optionsValue(expr: string): string | undefined {
  const s = stringValue(expr);
  if (s !== undefined) return s;
  const e = expr.trim();
  if (!e.startsWith('[') || matchBracket(e, 0) !== e.length - 1) return undefined;
  const items = splitTop(e.slice(1, -1), ',').map((item) => {
    if (item.startsWith('{')) return objectEntries(item).get('value');
    return item;
  });
  const values = items.map((i) => (i === undefined ? undefined : stringValue(i)));
  return values.every((v) => v !== undefined) ? values.join('\n') : undefined;
}

/** key → value source of an object literal `{ a: 1, "b": x }` (methods and spreads are skipped). */
function objectEntries(obj: string): Map<string, string> {
  const out = new Map<string, string>();
  const close = matchBracket(obj, 0);
  for (const prop of splitTop(obj.slice(1, close), ',')) {
    const colon = splitTop(prop, ':');
    if (colon.length < 2) continue;
    const key = stringValue(colon[0]!) ?? colon[0]!.trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) continue;
    out.set(key, prop.slice(prop.indexOf(':', colon[0]!.length) + 1).trim());
  }
  return out;
}

function truthy(v: Literal | undefined): boolean {
  return v === true || v === 1 || v === '1';
}

function fromEntries(e: Map<string, string>): ReportFilter | undefined {
  const fieldname = e.has('fieldname') ? stringValue(e.get('fieldname')!) : undefined;
  if (!fieldname) return undefined;
  const filter: ReportFilter = { fieldname, reqd: truthy(literal(e.get('reqd') ?? '')) };
  const label = e.has('label') ? stringValue(e.get('label')!) : undefined;
  if (label) filter.label = label;
  const fieldtype = e.has('fieldtype') ? stringValue(e.get('fieldtype')!) : undefined;
  if (fieldtype) filter.fieldtype = fieldtype;
  const options = e.has('options') ? optionsValue(e.get('options')!) : undefined;
  if (options) filter.options = options;
  const def = e.get('default');
  if (def !== undefined) {
    const value = literal(def);
    if (value !== undefined) filter.default = value;
    else if (def && def !== 'null' && def !== 'undefined')
      filter.default_expression = def.replace(/\s+/g, ' ').slice(0, 200);
  }
  return filter;
}

const LAYOUT = new Set(['Break', 'Column Break', 'Section Break']);

/** Filter definitions found in a report's JavaScript; [] when it has none or builds them in code. */
export function parseReportFilters(script: string): ReportFilter[] {
  const re = /(?:^|[\s{,])["']?filters["']?\s*:\s*\[/g;
  for (let m = re.exec(script); m; m = re.exec(script)) {
    const open = m.index + m[0].length - 1;
    const close = matchBracket(script, open);
    const found = splitTop(script.slice(open + 1, close), ',')
      .filter((item) => item.startsWith('{'))
      .map((item) => fromEntries(objectEntries(item)))
      .filter((f): f is ReportFilter => !!f && !LAYOUT.has(f.fieldtype ?? ''));
    if (found.length) return found;
  }
  return [];
}

/** Filters given as data (a Report's own JSON filters, as get_script returns them for query/custom reports). */
export function filtersFromData(list: unknown): ReportFilter[] {
  if (!Array.isArray(list)) return [];
  const out: ReportFilter[] = [];
  for (const raw of list as Array<Record<string, unknown>>) {
    if (!raw || typeof raw !== 'object' || typeof raw.fieldname !== 'string') continue;
    const f: ReportFilter = { fieldname: raw.fieldname, reqd: truthy(raw.reqd as Literal) || raw.mandatory === 1 };
    if (typeof raw.label === 'string') f.label = raw.label;
    if (typeof raw.fieldtype === 'string') f.fieldtype = raw.fieldtype;
    if (typeof raw.options === 'string' && raw.options) f.options = raw.options;
    const d = raw.default;
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') f.default = d;
    out.push(f);
  }
  return out;
}
