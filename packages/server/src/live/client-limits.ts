/**
 * Bounds of one live client.
 *
 * @example
 * const limits: LiveLimits = { ...defaultLiveLimits, maxCases: 20 }
 */
export interface LiveLimits {
  /** Largest client message in bytes; larger ones close the socket (1009). */
  readonly maxPayload: number
  /** Bytes waiting to be written past which a slow client is dropped. */
  readonly maxBufferedBytes: number
  /** Cases one socket may subscribe to by id. */
  readonly maxCases: number
  /** Filters one socket may hold. */
  readonly maxFilters: number
  /** Current cases sent when a filter subscription starts. */
  readonly maxInitialCases: number
  /** Client requests (subscribe, unsubscribe) waiting to run; one more closes the socket (1008). */
  readonly maxQueued: number
  /** Messages a client may send per `messageWindowMs`; one more closes the socket (1008). */
  readonly maxMessages: number
  /** The window of `maxMessages`, in milliseconds. */
  readonly messageWindowMs: number
  /** Revs remembered for cases seen only through filters; the oldest are forgotten past this. */
  readonly maxTrackedCases: number
}

/**
 * Defaults of the live feed's bounds.
 *
 * @example
 * buildServer({ engine, live: { ...defaultLiveLimits, maxQueued: 8 } })
 */
export const defaultLiveLimits: LiveLimits = {
  maxPayload: 4096,
  maxBufferedBytes: 1 << 20,
  maxCases: 100,
  maxFilters: 10,
  maxInitialCases: 200,
  maxQueued: 32,
  maxMessages: 120,
  messageWindowMs: 10_000,
  maxTrackedCases: 1000,
}

/**
 * Counts a client's messages in fixed windows of `windowMs`, so a flood is
 * refused before any of it is parsed.
 *
 * @example
 * const rate = new MessageRate(120, 10_000)
 * if (!rate.allow(Date.now())) socket.close(CLOSE.policy)
 */
export class MessageRate {
  private windowStart = 0
  private windowCount = 0

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one message at `now` (ms); false once more than `max` arrived in the current window. */
  allow(now: number): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now
      this.windowCount = 0
    }
    return ++this.windowCount <= this.max
  }
}
