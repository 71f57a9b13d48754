import type { LiveEvent, LiveStatus, LiveTarget, LiveTransition } from "./live-messages.js"
import { type LiveSubscription, openSubscription } from "./live-subscription.js"
import { type WebSocketConstructor, webSocketConstructor } from "./websocket.js"

/** The live feed's options (`createClient({ live })`), each also settable per subscription. */
export interface LiveOptions {
  /** The WebSocket constructor: `ws`'s on Node 20 (`import WebSocket from "ws"`). Default: the global one, else `ws` if installed. */
  readonly WebSocket?: WebSocketConstructor
  /**
   * Where the token goes: `header` (`Authorization`, default when `WebSocket`
   * is given or `ws` is used) or `query` (`?token=`, default for the global
   * WebSocket, which cannot set headers; see docs/http-api.md on its trade-off).
   */
  readonly tokenIn?: "header" | "query"
  /**
   * Waits before reconnect number `attempt` (1-based, reset once subscribed
   * again) after the socket closed with `code`. Default: exponential backoff
   * from 250 ms to 30 s with jitter.
   */
  readonly waitBeforeReconnect?: (attempt: number, code: number) => Promise<void>
  /** Told each change of connection state. */
  readonly onStatus?: (status: LiveStatus) => void
  /** Told when the handler throws (default: the error is rethrown outside the feed). */
  readonly onHandlerError?: (error: unknown, event: LiveEvent) => void
}

/** `client.live`. */
export interface LiveFeed {
  /**
   * Follows one case (by id) or every case matching a filter, over its own
   * socket, reconnecting when it drops and resuming each case with `sinceRev`,
   * so the handler sees each transition once, in rev order, none missed.
   *
   * @example
   * const sub = client.live.subscribe(caseId, (e) => {
   *   if (e.type === "transition") console.log(`${e.rev}: ${e.from} → ${e.to} (${e.event})`)
   * })
   * await sub.ready
   * // later
   * await sub.close()
   */
  subscribe(target: LiveTarget, handler: (event: LiveEvent) => void, options?: LiveOptions): LiveSubscription
}

function defaultWait(attempt: number): Promise<void> {
  const ceiling = Math.min(30_000, 250 * 2 ** (attempt - 1))
  return new Promise((resolve) => setTimeout(resolve, ceiling / 2 + (Math.random() * ceiling) / 2))
}

function checkTarget(target: LiveTarget): void {
  if (typeof target === "string") {
    if (target.length === 0 || target.length > 200) throw new TypeError("live.subscribe: a caseId must be 1 to 200 characters")
    return
  }
  if (typeof target !== "object" || target === null) throw new TypeError("live.subscribe: give a caseId or a filter { workflow?, agency? }")
  for (const key of Object.keys(target)) {
    if (key !== "workflow" && key !== "agency") throw new TypeError(`live.subscribe: unknown filter member "${key}" (workflow, agency)`)
  }
}

/** The live feed of a client at `baseUrl`, asking `getToken` before every connection. */
export function liveFeed(deps: {
  readonly baseUrl: URL
  readonly getToken: () => Promise<string>
  /** Reads a case's transitions after a rev over HTTP: how a filter fills what it missed while away. */
  readonly transitionsAfter?: (caseId: string, afterRev: number) => Promise<ReadonlyArray<LiveTransition>>
  readonly options?: LiveOptions
}): LiveFeed {
  const url = `${deps.baseUrl.href.replace(/\/+$/, "")}/v1/live`.replace(/^http/, "ws")
  return {
    subscribe(target, handler, perCall = {}) {
      checkTarget(target)
      if (typeof handler !== "function") throw new TypeError("live.subscribe: the handler must be a function")
      const o = { ...deps.options, ...perCall }
      return openSubscription({
        url,
        target,
        handler,
        getToken: deps.getToken,
        socket: () => webSocketConstructor(o.WebSocket),
        waitBeforeReconnect: o.waitBeforeReconnect ?? defaultWait,
        onStatus: o.onStatus ?? (() => undefined),
        onHandlerError:
          o.onHandlerError ??
          ((error) =>
            queueMicrotask(() => {
              throw error
            })),
        ...(o.tokenIn ? { tokenIn: o.tokenIn } : {}),
        ...(deps.transitionsAfter ? { transitionsAfter: deps.transitionsAfter } : {}),
      })
    },
  }
}
