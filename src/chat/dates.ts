/** Date phrases → an inclusive [from, to] range of ISO dates, relative to `today`. */
export interface DateRange {
  from: string;
  to: string;
  /** The words matched, to remove from the question. */
  matched: string;
  label: string;
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function utc(y: number, m: number, d: number): Date {
  return new Date(Date.UTC(y, m, d));
}

function addDays(d: Date, n: number): Date {
  return utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n);
}

/** Monday-based weeks, as ERPNext's default. */
function startOfWeek(d: Date): Date {
  return addDays(d, -((d.getUTCDay() + 6) % 7));
}

const UNITS: Record<string, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  quarter: 'quarter',
  quarters: 'quarter',
  year: 'year',
  years: 'year',
};

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
/** Month names and their usual short forms ("sept", "nov."). */
const MONTH_RE = new RegExp(
  String.raw`\b(in |during |for |of |from )?(?:the month of )?(${MONTHS.map((n) => (n.length > 3 ? `${n}|${n.slice(0, 3)}` : n)).join('|')}|sept)\.?(?: (20\d\d))?\b`,
);
/** Short forms that are also everyday words: months only after "in"/"for"… or before a year ("may 2026"). */
const AMBIGUOUS_MONTHS = new Set(['may', 'mar', 'jun', 'dec', 'jan', 'aug', 'oct', 'sep', 'apr']);

const QUARTERS: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
};

function period(unit: 'week' | 'month' | 'quarter' | 'year', today: Date, offset: number): [Date, Date] {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  switch (unit) {
    case 'week': {
      const start = addDays(startOfWeek(today), 7 * offset);
      return [start, addDays(start, 6)];
    }
    case 'month':
      return [utc(y, m + offset, 1), utc(y, m + offset + 1, 0)];
    case 'quarter': {
      const q = Math.floor(m / 3) + offset;
      return [utc(y, q * 3, 1), utc(y, q * 3 + 3, 0)];
    }
    case 'year':
      return [utc(y + offset, 0, 1), utc(y + offset, 11, 31)];
  }
}

/** A day as people write it: "1 nov", "15th november 2025", "nov 15", "2026-11-01". */
const DAY = String.raw`(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(MONTH)\b\.?(?:,?\s+(20\d\d))?|(MONTH)\.?\s+(\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(20\d\d))?|(20\d\d)-(\d\d)-(\d\d))(?![\d-])`;

/** The ISO date of DAY's groups (from `at`), or undefined when it is no real date. A day still to come this year without a year is last year's. */
function dayOf(g: Array<string | undefined>, at: number, today: Date): string | undefined {
  let y: number;
  let mo: number;
  let d: number;
  if (g[at + 6]) {
    [y, mo, d] = [Number(g[at + 6]), Number(g[at + 7]) - 1, Number(g[at + 8])];
  } else {
    const name = (g[at + 1] ?? g[at + 3])!;
    mo = MONTHS.findIndex((n) => name.startsWith(n.slice(0, 3)));
    d = Number(g[at] ?? g[at + 4]);
    const year = g[at + 2] ?? g[at + 5];
    y = year ? Number(year) : today.getUTCFullYear();
    if (!year && utc(y, mo, d) > today) y -= 1;
  }
  const date = utc(y, mo, d);
  return date.getUTCMonth() === mo && date.getUTCDate() === d ? iso(date) : undefined;
}

const MONTH_NAMES = String.raw`january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec`;
const DAY_RE = DAY.replace(/MONTH/g, MONTH_NAMES);
/** "between 1 nov and 15 nov", "from 2026-10-01 to 2026-10-15". */
const SPAN_RE = new RegExp(String.raw`\b(?:between|from)\s+${DAY_RE}\s+(?:and|to|till|until|-)\s+${DAY_RE}`);
/** "since 1st october", "from 1 oct", "after 2026-10-01": up to today. */
const SINCE_RE = new RegExp(String.raw`\b(since|from|after)\s+${DAY_RE}`);
/** "on 15 nov", "nov 15": one day. */
const ON_RE = new RegExp(String.raw`\b(?:on\s+)?${DAY_RE}`);

/** Explicit days: a span, "since" a day, or one day. */
function explicitDays(text: string, t: Date): DateRange | undefined {
  let m = SPAN_RE.exec(text);
  if (m) {
    const from = dayOf([...m], 1, t);
    const to = dayOf([...m], 10, t);
    if (from && to) return { from, to, matched: m[0], label: `from ${from} to ${to}` };
  }
  m = SINCE_RE.exec(text);
  if (m) {
    const day = dayOf([...m], 2, t);
    if (day) {
      const from = m[1] === 'after' ? iso(addDays(new Date(`${day}T00:00:00Z`), 1)) : day;
      return { from, to: iso(t), matched: m[0], label: `since ${from}` };
    }
  }
  m = ON_RE.exec(text);
  // "show 5 may orders": "may" is a day's month only with "on", an ordinal or a year ("on 5 may", "5th may").
  if (m && /\bmay\b/.test(m[0]) && !/^on\b|\d(?:st|nd|rd|th)|20\d\d/.test(m[0])) m = null;
  if (m) {
    const day = dayOf([...m], 1, t);
    if (day) return { from: day, to: day, matched: m[0], label: `on ${day}` };
  }
  return undefined;
}

/** Finds the first date phrase in `text` (lower case). */
export function parseDateRange(text: string, today: Date): DateRange | undefined {
  const t = today;
  const days = explicitDays(text, t);
  if (days) return days;
  let m = /\b(today)\b/.exec(text);
  if (m) return { from: iso(t), to: iso(t), matched: m[0], label: 'today' };
  m = /\b(ytd|year to date|mtd|month to date)\b/.exec(text);
  if (m) {
    const year = m[1] === 'ytd' || m[1] === 'year to date';
    const from = year ? utc(t.getUTCFullYear(), 0, 1) : utc(t.getUTCFullYear(), t.getUTCMonth(), 1);
    return { from: iso(from), to: iso(t), matched: m[0], label: year ? 'this year to date' : 'this month to date' };
  }
  m = /\b(yesterday)\b/.exec(text);
  if (m) {
    const y = addDays(t, -1);
    return { from: iso(y), to: iso(y), matched: m[0], label: 'yesterday' };
  }
  m = /\b(?:in the |over the |during the )?(?:last|past|previous) (\d{1,4}) (days?|weeks?|months?|years?)\b/.exec(text);
  if (m) {
    const n = Number(m[1]);
    const unit = UNITS[m[2]!]!;
    const from =
      unit === 'day'
        ? addDays(t, -(n - 1))
        : unit === 'week'
          ? addDays(t, -(7 * n - 1))
          : unit === 'month'
            ? utc(t.getUTCFullYear(), t.getUTCMonth() - n, t.getUTCDate() + 1)
            : utc(t.getUTCFullYear() - n, t.getUTCMonth(), t.getUTCDate() + 1);
    return { from: iso(from), to: iso(t), matched: m[0], label: `the last ${n} ${m[2]}` };
  }
  m = /\b(this|current|last|previous|next) (week|month|quarter|year)\b/.exec(text);
  if (m) {
    const offset = m[1] === 'this' || m[1] === 'current' ? 0 : m[1] === 'next' ? 1 : -1;
    const [from, to] = period(m[2] as 'week', t, offset);
    return { from: iso(from), to: iso(to), matched: m[0], label: `${m[1]} ${m[2]}` };
  }
  // "Q1", "q3 2025", "second quarter": calendar quarters of this year unless a year is named.
  m =
    /\b(?:in |during )?(?:the )?(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter)(?: of)?(?: (20\d\d))?\b/.exec(
      text,
    );
  if (m) {
    const q = m[1] ? Number(m[1]) : QUARTERS[m[2]!]!;
    const y = m[3] ? Number(m[3]) : t.getUTCFullYear();
    return { from: iso(utc(y, q * 3 - 3, 1)), to: iso(utc(y, q * 3, 0)), matched: m[0], label: `Q${q} ${y}` };
  }
  m = MONTH_RE.exec(text);
  if (m && (m[1] || m[3] || !AMBIGUOUS_MONTHS.has(m[2]!))) {
    const month = MONTHS.findIndex((name) => m![2]!.startsWith(name.slice(0, 3)));
    // "invoices in november", asked in December, is this year's; asked in January, last year's.
    const y = m[3] ? Number(m[3]) : month > t.getUTCMonth() ? t.getUTCFullYear() - 1 : t.getUTCFullYear();
    const label = `${MONTHS[month]!.replace(/^./, (c) => c.toUpperCase())} ${y}`;
    return { from: iso(utc(y, month, 1)), to: iso(utc(y, month + 1, 0)), matched: m[0], label: `in ${label}` };
  }
  m = /\b(?:in |during )?(20\d\d)\b/.exec(text);
  if (m) {
    const y = Number(m[1]);
    return { from: `${y}-01-01`, to: `${y}-12-31`, matched: m[0], label: `in ${y}` };
  }
  return undefined;
}
