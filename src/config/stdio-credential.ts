/** The caller's own credential for stdio mode, from the environment: an API key pair or a sid. */
export type StdioCredentialHeaders = Record<string, string>;

/**
 * stdio has no HTTP request to carry a credential, so the person who starts the process supplies theirs:
 * FRAPPE_API_KEY + FRAPPE_API_SECRET, or FRAPPE_SID. Returns the headers the auth chain reads, or an
 * explanation of what to set.
 */
export function stdioCredential(
  env: Record<string, string | undefined> = process.env,
): StdioCredentialHeaders | string {
  const key = env.FRAPPE_API_KEY;
  const secret = env.FRAPPE_API_SECRET;
  const sid = env.FRAPPE_SID;
  if (key && secret) return { authorization: `token ${key}:${secret}` };
  if (key || secret) return 'set both FRAPPE_API_KEY and FRAPPE_API_SECRET';
  if (sid) return { cookie: `sid=${sid}` };
  return 'set FRAPPE_API_KEY and FRAPPE_API_SECRET (or FRAPPE_SID) to the Frappe credential this process acts as';
}
