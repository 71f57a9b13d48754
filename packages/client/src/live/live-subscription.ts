import type { LiveEvent, LiveStatus, LiveTarget, LiveTransition, ServerMessage } from "./live-messages.js"
import { type WebSocketConstructor, type WebSocketLike, messageText } from "./websocket.js"

/** A running subscription. */
export interface LiveSubscription {
  /**
   * Resolves once the server confirmed the subscription; rejects when it
   * refused it for good (a case the actor may not see, a malformed request).
   * A connection that fails keeps it pending while the subscription retries.
   */
  readonly ready: Promise<void>
  /** Stops following: closes the socket and never reconnects. */
  close(): Promise<void>
}

/** What {@link openSubscription} needs; `liveFeed` fills it from the client's options. */
export interface SubscriptionDeps {
  readonly url: string
  readonly target: LiveTarget
  readonly handler: (event: LiveEvent) => void
  readonly getToken: () => Promise<string>
  readonly socket: () => Promise<{ readonly ctor: WebSocketConstructor; readonly canSetHeaders: boolean }>
  readonly tokenIn?: "header" | "query"
  readonly waitBeforeReconnect: (attempt: number, code: number) => Promise<void>
  readonly onStatus: (status: LiveStatus) => void
  readonly onHandlerError: (error: unknown, event: LiveEvent) => void
  /** A case's transitions after `afterRev`, read over HTTP, to fill what a filter missed while away. */
  readonly transitionsAfter?: (caseId: string, afterRev: number) => Promise<ReadonlyArray<LiveTransition>>
}

/** Close codes after which reconnecting would only repeat the mistake: the client sent something the server refuses. */
const CLIENT_FAULTS: ReadonlySet<number> = new Set([1003, 1007, 1008, 1009])

/** Errors that end a subscription to one case: it does not exist for this actor. */
const REFUSALS: ReadonlySet<string> = new Set(["CIVICASE_E_CASE_NOT_FOUND", "CIVICASE_E_FORBIDDEN", "CIVICASE_E_VALIDATION"])

/** Our own close, after which the socket's close event must not reconnect. */
const NORMAL = 1000

/**
 * One subscription that survives its socket: it remembers the last rev it
 * handed over for each case, subscribes again with `sinceRev` after every
 * reconnect, and drops anything at or below that rev, so each transition
 * reaches the handler once. A filter cannot be resumed by the protocol: after
 * a reconnect the server sends each matching case again, and for each one
 * that moved on while away the missing transitions are read from its history
 * before anything newer is handed over.
 */
export function openSubscription(deps: SubscriptionDeps): LiveSubscription {
  const lastRev = new Map<string, number>()
  let socket: WebSocketLike | undefined
  let stopped = false
  let confirmed = false
  let attempt = 0
  let connections = 0
  /** While a filter catches up after a reconnect: what arrived meanwhile, handed over once the gaps are filled. */
  let held: ServerMessage[] | undefined
  let resolveReady!: () => void
  let rejectReady!: (e: Error) => void
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  ready.catch(() => undefined)
  let resolveStopped!: () => void
  const stoppedPromise = new Promise<void>((resolve) => (resolveStopped = resolve))

  const deliver = (event: LiveEvent) => {
    try {
      deps.handler(event)
    } catch (e) {
      deps.onHandlerError(e, event)
    }
  }

  const stop = (error?: Error) => {
    if (stopped) return
    stopped = true
    if (error && !confirmed) rejectReady(error)
    deps.onStatus(error ? { state: "stopped", error } : { state: "stopped" })
    if (socket && socket.readyState <= 1) socket.close(NORMAL)
    else resolveStopped()
  }

  const subscribeMessage = () => {
    if (typeof deps.target !== "string") return { op: "subscribe", ...deps.target }
    const since = lastRev.get(deps.target)
    return { op: "subscribe", caseId: deps.target, ...(since === undefined ? {} : { sinceRev: since }) }
  }

  const catchUp = async (ws: WebSocketLike): Promise<void> => {
    const moved = (held ?? []).flatMap((m) => {
      const seen = m.type === "case" ? lastRev.get(m.case.id) : undefined
      return m.type === "case" && seen !== undefined && m.case.rev > seen ? [{ caseId: m.case.id, seen }] : []
    })
    const fills = await Promise.all(
      moved.map(({ caseId, seen }) =>
        deps.transitionsAfter!(caseId, seen).catch((e: unknown) => {
          // Not readable now (gone, or the server is down): the case's snapshot stands in for the gap.
          deliver({ type: "error", code: String((e as { code?: unknown })?.code ?? "CIVICASE_E_INTERNAL"), detail: String((e as Error)?.message ?? e), caseId })
          return []
        }),
      ),
    )
    if (socket !== ws || stopped) return
    const waiting = held ?? []
    held = undefined
    for (const transition of fills.flat()) onMessage(transition)
    for (const m of waiting) onMessage(m)
  }

  const onMessage = (m: ServerMessage) => {
    if (held && (m.type === "case" || m.type === "transition")) {
      held.push(m)
      return
    }
    switch (m.type) {
      case "case": {
        const seen = lastRev.get(m.case.id)
        if (seen !== undefined && m.case.rev <= seen) return
        lastRev.set(m.case.id, m.case.rev)
        return deliver({ type: "case", case: m.case })
      }
      case "transition": {
        const seen = lastRev.get(m.caseId)
        if (seen !== undefined && m.rev <= seen) return
        lastRev.set(m.caseId, m.rev)
        const { type, caseId, rev, from, to, event, at } = m
        return deliver({ type, caseId, rev, from, to, event, at })
      }
      case "subscribed":
        if (held && socket) void catchUp(socket)
        attempt = 0
        if (!confirmed) {
          confirmed = true
          resolveReady()
        }
        return deps.onStatus({ state: "subscribed" })
      case "error": {
        const event = { type: "error" as const, code: m.code, detail: m.detail, ...(m.caseId === undefined ? {} : { caseId: m.caseId }) }
        if (typeof deps.target === "string" && m.caseId === deps.target && REFUSALS.has(m.code)) {
          deliver(event)
          return stop(Object.assign(new Error(`live feed refused case ${deps.target}: ${m.code}`), { code: m.code }))
        }
        deliver(event)
        // The server could not read for a case (database unavailable): come back later and resume with sinceRev.
        if (m.caseId !== undefined) socket?.close(4000, "resume later")
        return
      }
      default:
        return
    }
  }

  const connect = async (): Promise<void> => {
    deps.onStatus({ state: "connecting", attempt })
    let ws: WebSocketLike
    try {
      const [{ ctor, canSetHeaders }, token] = await Promise.all([deps.socket(), deps.getToken()])
      if (stopped) return resolveStopped()
      const inHeader = (deps.tokenIn ?? (canSetHeaders ? "header" : "query")) === "header"
      ws = inHeader ? new ctor(deps.url, { headers: { authorization: `Bearer ${token}` } }) : new ctor(`${deps.url}?token=${encodeURIComponent(token)}`)
    } catch (e) {
      if (e instanceof TypeError && /no WebSocket here/.test(e.message)) return stop(e)
      return reconnect(0, String((e as Error)?.message ?? e))
    }
    socket = ws
    ws.onopen = () => {
      connections++
      held = typeof deps.target !== "string" && connections > 1 && deps.transitionsAfter ? [] : undefined
      ws.send(JSON.stringify(subscribeMessage()))
    }
    ws.onmessage = (event) => {
      let message: ServerMessage
      try {
        message = JSON.parse(messageText(event.data)) as ServerMessage
      } catch {
        return
      }
      onMessage(message)
    }
    ws.onerror = () => undefined
    ws.onclose = (event) => {
      if (socket === ws) socket = undefined
      if (stopped) return resolveStopped()
      if (CLIENT_FAULTS.has(event.code)) return stop(new Error(`live feed closed the socket with ${event.code}: ${event.reason}`))
      void reconnect(event.code, event.reason)
    }
  }

  const reconnect = async (code: number, reason: string): Promise<void> => {
    deps.onStatus({ state: "disconnected", code, reason })
    attempt++
    try {
      await deps.waitBeforeReconnect(attempt, code)
    } catch {
      // A wait that fails is a wait that is over.
    }
    if (stopped) return resolveStopped()
    await connect()
  }

  void connect()
  return {
    ready,
    async close() {
      stop()
      await stoppedPromise
    },
  }
}
