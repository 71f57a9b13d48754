/** What is closed when its token expires (a live client). */
interface Expirable {
  expire(): void
}

/**
 * When each live client's token expires. A timer closes the client on time;
 * the heartbeat asks `expired` too, against `now`, so a test clock or a
 * timer past setTimeout's cap (about 24.8 days) still closes it, up to a
 * heartbeat period late.
 *
 * @example
 * const expiries = new TokenExpiries(() => new Date())
 * expiries.watch(client, request.tokenExpiresAt)
 * socket.on("close", () => expiries.unwatch(client))
 */
export class TokenExpiries<C extends Expirable> {
  private readonly expiries = new Map<C, { at: number; timer?: ReturnType<typeof setTimeout> }>()

  constructor(private readonly now: () => Date) {}

  /** Starts watching a client whose token expires at `expiresAt` (none: it never expires). */
  watch(client: C, expiresAt: Date | undefined): void {
    if (!expiresAt) return
    const at = expiresAt.getTime()
    const delay = Math.max(0, at - this.now().getTime())
    let timer: ReturnType<typeof setTimeout> | undefined
    if (delay < 2 ** 31) {
      timer = setTimeout(() => client.expire(), delay)
      timer.unref()
    }
    this.expiries.set(client, { at, timer })
  }

  expired(client: C): boolean {
    return (this.expiries.get(client)?.at ?? Infinity) <= this.now().getTime()
  }

  unwatch(client: C): void {
    const timer = this.expiries.get(client)?.timer
    if (timer) clearTimeout(timer)
    this.expiries.delete(client)
  }
}
