import pg from "pg"
import type { ListenOptions, NotificationHandler } from "@civicase/core"

/** The first pause before reconnecting, doubled after each failed attempt up to {@link MAX_RETRY_MS}. */
const FIRST_RETRY_MS = 100
const MAX_RETRY_MS = 5_000

/**
 * `LISTEN channel` on a connection of its own (a pooled client cannot hold
 * one), kept up for as long as the subscription lives: when the connection is
 * lost, or cannot be had at first (the database is down while the process
 * starts), it reconnects with backoff and then calls `onReconnect`, because
 * notifications sent meanwhile are lost. Every failure is passed to
 * `onError`; none escapes as an `'error'` event or a rejection.
 *
 * @example
 * const stop = await listenWithReconnect({ connectionString }, "civicase_transitions", (payload) => hub.announce(payload), { onReconnect: () => hub.resync() })
 */
export async function listenWithReconnect(
  config: pg.ClientConfig,
  channel: string,
  handler: NotificationHandler,
  options: ListenOptions = {},
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined
  let stopped = false
  let retry: ReturnType<typeof setTimeout> | undefined

  const connect = async (): Promise<void> => {
    const c = new pg.Client(config)
    c.on("notification", (n) => {
      if (n.channel === channel && n.payload !== undefined) handler(n.payload)
    })
    c.on("error", (e) => {
      options.onError?.(e)
      // A client that erred is not queryable any more: close it, and its 'end' reconnects.
      if (client === c) void c.end().catch(() => undefined)
    })
    c.on("end", () => {
      if (client !== c) return
      client = undefined
      if (!stopped) scheduleReconnect(FIRST_RETRY_MS)
    })
    try {
      await c.connect()
      await c.query(`listen ${channel}`)
    } catch (e) {
      // Not awaited: a client that never connected may never report its end.
      void c.end().catch(() => undefined)
      throw e
    }
    if (stopped) await c.end().catch(() => undefined)
    else client = c
  }

  const scheduleReconnect = (delayMs: number) => {
    retry = setTimeout(async () => {
      retry = undefined
      if (stopped) return
      try {
        await connect()
      } catch (e) {
        options.onError?.(e)
        if (!stopped) scheduleReconnect(Math.min(delayMs * 2, MAX_RETRY_MS))
        return
      }
      if (!stopped) options.onReconnect?.()
    }, delayMs)
    retry.unref?.()
  }

  try {
    await connect()
  } catch (e) {
    options.onError?.(e)
    scheduleReconnect(FIRST_RETRY_MS)
  }
  return async () => {
    stopped = true
    if (retry) clearTimeout(retry)
    const c = client
    client = undefined
    await c?.end().catch(() => undefined)
  }
}
