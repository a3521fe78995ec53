/** Why a request got no identity; the HTTP layer turns it into 401, 403 or 503. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code:
      'no_credentials' | 'invalid_credentials' | 'origin_not_allowed' | 'frappe_unavailable' | 'store_unavailable',
    message: string,
    /** A token was presented (so the challenge says error="invalid_token"). */
    readonly tokenPresented = false,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
