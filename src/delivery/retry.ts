/** Retry policy for transient failures: exponential backoff with full jitter, randomness injected. */

export interface RetryPolicy {
  /** Attempts per part before it is marked failed (`MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** Ceiling of the first backoff. */
  baseMs: number;
  /** No backoff is longer than this. */
  maxMs: number;
  /** Uniform in [0, 1); `Math.random` in production, a fixed sequence in tests. */
  random: () => number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'maxAttempts' | 'random'> = { baseMs: 2_000, maxMs: 10 * 60_000 };

/**
 * How long to wait after failed attempt number `attempt` (1-based): uniform in
 * [0, min(maxMs, baseMs·2^(attempt−1))) — "full jitter", so many chats failing together
 * (a platform outage) do not come back in lockstep.
 */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(policy.random() * ceiling);
}
