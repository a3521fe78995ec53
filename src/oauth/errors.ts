/** An OAuth error response (RFC 6749 §5.2 / RFC 7591 §3.2.2 / RFC 8707 §2). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toJSON(): Record<string, string> {
    return { error: this.error, error_description: this.description };
  }
}
