/** How the client retries (see {@link ClientOptions.retries}). */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 turns retrying off). */
  readonly max?: number
  /** The first wait when the server names none (default 200 ms), doubled after each attempt, with jitter. */
  readonly minDelayMs?: number
  /** The longest wait between attempts (default 30 s). A `Retry-After` longer than this is not waited for: the answer is thrown. */
  readonly maxDelayMs?: number
}

/** The options with their defaults filled in. */
export interface RetryPolicy {
  readonly max: number
  readonly minDelayMs: number
  readonly maxDelayMs: number
}

/**
 * Reads `retries` (a number or {@link RetryOptions}) into a policy; a bad
 * value is a TypeError naming the option.
 *
 * @example
 * retryPolicy(5) // { max: 5, minDelayMs: 200, maxDelayMs: 30000 }
 */
export function retryPolicy(retries: number | RetryOptions | undefined): RetryPolicy {
  const o = typeof retries === "number" ? { max: retries } : (retries ?? {})
  const policy = { max: o.max ?? 3, minDelayMs: o.minDelayMs ?? 200, maxDelayMs: o.maxDelayMs ?? 30_000 }
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`createClient: retries.${name} must be a whole number ≥ 0, got ${String(value)}`)
  }
  return policy
}

/** The wait before retry number `attempt` (1-based) when the server named none: exponential with full jitter. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
}

/** Resolves after `ms`, or rejects at once with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener("abort", onAbort, { once: true })
  })
}
