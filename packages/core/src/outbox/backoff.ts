/** How retries are spaced. */
export interface BackoffOptions {
  /** Delay before the second attempt, in milliseconds; default 1000. */
  readonly baseDelayMs?: number
  /** The cap on any delay; default 15 minutes. */
  readonly maxDelayMs?: number
  /** Share of the delay that is randomised, 0 to 1; default 0.5. */
  readonly jitter?: number
}

/**
 * The delay before the next attempt after `attempt` failed: exponential
 * (`base * 2^(attempt-1)`), capped, with the top `jitter` share randomised so
 * that many rows failing together (a receiver down) do not retry in lockstep.
 *
 * @example
 * retryDelay(1, {}, () => 1) // 1000
 * retryDelay(3, {}, () => 0) // 2000 (half of 4000, jitter 0.5)
 * retryDelay(30, {}, () => 1) // 900000 (the cap)
 */
export function retryDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseDelayMs ?? 1000
  const cap = options.maxDelayMs ?? 15 * 60_000
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5))
  const exp = Math.min(cap, base * 2 ** Math.min(60, Math.max(0, attempt - 1)))
  return Math.round(exp * (1 - jitter) + exp * jitter * random())
}
