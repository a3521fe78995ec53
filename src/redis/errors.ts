/**
 * The shared store (Redis) cannot be reached right now. Whatever needs it answers 503 with
 * Retry-After; nothing else is affected. The message is safe to show a caller.
 */
export class StoreUnavailableError extends Error {
  readonly retryAfterSeconds = 5;

  constructor() {
    super('The gateway’s shared store (Redis) is unavailable; try again shortly.');
    this.name = 'StoreUnavailableError';
  }
}
