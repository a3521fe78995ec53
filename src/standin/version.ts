/** The Frappe major versions the stand-in imitates; 15 unless asked otherwise (demo and default tests). */
export type FrappeMajor = 15 | 16;
export const DEFAULT_FRAPPE_MAJOR: FrappeMajor = 15;

/**
 * What the stand-in does differently on each version, named for the behaviour (see
 * ../shared/frappe/transcripts-v16/README.md for the recorded differences). Handlers ask these flags,
 * never the number.
 */
export interface Traits {
  readonly major: FrappeMajor;
  /** What `frappe.utils.change_log.get_versions` reports. */
  readonly versions: { frappe: string; erpnext: string };
  /** The desk page that prints `frappe.csrf_token` (and arms CSRF); the other desk paths redirect to it. */
  readonly deskPath: '/app' | '/desk';
  /** `WWW-Authenticate: Bearer resource_metadata=…` on every 401 and 403. */
  readonly challengeOnRefusal: boolean;
  /** The fifth user cookie: `user_image=` (15) or `user_lang=en` (16). */
  readonly langCookie: boolean;
  /** GET /api/method/logout is refused (403) and the session survives. */
  readonly logoutPostOnly: boolean;
  /** A sid sent together with a valid Bearer destroys that sid's session. */
  readonly sidWithBearerKillsSession: boolean;
  /** frappe.client.get_count checks read permission (15 leaked counts) and refuses unknown arguments (500). */
  readonly strictGetCount: boolean;
  /** /api/v2 lists add `has_next_page`, and `limit=0` means no rows (15: no limit). */
  readonly v2Paging: boolean;
  /** SQL functions written as strings in `fields` are refused (417); dict fields (`{"SUM": "x"}`) are accepted. */
  readonly dictAggregates: boolean;
  /** RFC 8414 / RFC 9728 metadata, dynamic client registration, /.well-known/openid-configuration served directly. */
  readonly oauthServerMetadata: boolean;
  /**
   * Frappe 16's wording: every message carries `as_table: false`; list and count refusals say "Insufficient
   * Permission for X" (raised); document refusals are the doctype-level one plus `_error_message`; HTML error
   * pages are titled "Error" and name the status in a paragraph.
   */
  readonly modernMessages: boolean;
  /** `frappe.realtime.get_user_info` answers {} without the socket secret. */
  readonly userInfoNeedsSocketSecret: boolean;
  /**
   * Frappe/ERPNext 16 answers carry more keys: search_link rows a `label`, global search rows a `title`,
   * generate_keys the `api_key`, Customer the `supplier_numbers` table; Administrator may list child tables.
   */
  readonly richerPayloads: boolean;
  /** The refresh grant also returns an id_token (for `openid` scope). */
  readonly refreshIssuesIdToken: boolean;
}

const V15: Traits = {
  major: 15,
  versions: { frappe: '15.75.0', erpnext: '15.71.1' },
  deskPath: '/app',
  challengeOnRefusal: false,
  langCookie: false,
  logoutPostOnly: false,
  sidWithBearerKillsSession: false,
  strictGetCount: false,
  v2Paging: false,
  dictAggregates: false,
  oauthServerMetadata: false,
  modernMessages: false,
  userInfoNeedsSocketSecret: false,
  richerPayloads: false,
  refreshIssuesIdToken: false,
};

const V16: Traits = {
  major: 16,
  versions: { frappe: '16.9.0', erpnext: '16.9.1' },
  deskPath: '/desk',
  challengeOnRefusal: true,
  langCookie: true,
  logoutPostOnly: true,
  sidWithBearerKillsSession: true,
  strictGetCount: true,
  v2Paging: true,
  dictAggregates: true,
  oauthServerMetadata: true,
  modernMessages: true,
  userInfoNeedsSocketSecret: true,
  richerPayloads: true,
  refreshIssuesIdToken: true,
};

export function traitsOf(major: FrappeMajor): Traits {
  return major === 16 ? V16 : V15;
}

/** `FRAPPE_VERSION` as the stand-in reads it: "15", "16" or a full version ("16.9.0"); anything else is an error. */
export function parseFrappeMajor(raw: string | undefined): FrappeMajor {
  if (raw === undefined || raw.trim() === '') return DEFAULT_FRAPPE_MAJOR;
  const major = Number(raw.trim().split('.')[0]);
  if (major === 15 || major === 16) return major;
  throw new Error(`FRAPPE_VERSION must be 15 or 16 (the stand-in imitates those), got "${raw}"`);
}
