import type { Engine } from "@civicase/core"
import websocket from "@fastify/websocket"
import type { FastifyInstance } from "fastify"
import type { ServerMetrics } from "../routes/metrics.js"
import { type LiveLimits, defaultLiveLimits } from "./client-limits.js"
import { HttpProblem } from "../http/problem.js"
import { CLOSE } from "./close-codes.js"
import { LiveClient } from "./live-client.js"
import { LiveHub } from "./live-hub.js"
import type { PersonFeed } from "./person-feed.js"
import { TokenExpiries } from "./token-expiry.js"

/** Options of the live feed. */
export interface LiveOptions extends Partial<LiveLimits> {
  /** Milliseconds between pings; a client that missed the previous pong is dropped (default 30 000). */
  readonly heartbeatMs?: number
  /** People notifications for connected people: each client is attached to its person (see `personFeed`). */
  readonly personFeed?: PersonFeed
}

export { defaultLiveLimits } from "./client-limits.js"

/**
 * Registers @fastify/websocket on the root, ahead of the auth hook: its own
 * hook marks upgrade requests first, so a refused upgrade (401, 429) still
 * has its socket closed after the answer.
 */
export async function registerWebsocket(app: FastifyInstance, live: LiveOptions | undefined) {
  await app.register(websocket, { options: { maxPayload: live?.maxPayload ?? defaultLiveLimits.maxPayload } })
}

/**
 * `GET /v1/live`: the websocket feed. The token is checked by the auth hook
 * before the upgrade (header, or `?token=` for browsers); then each client
 * subscribes to cases or filters and receives every committed transition it
 * may see, in rev order. This process's commits are sent without asking the
 * engine again, so visibility is decided by the engine's own `engine.access`.
 */
export async function liveRoutes(
  app: FastifyInstance,
  options: { engine: Engine; metrics: ServerMetrics; live?: LiveOptions; now?: () => Date },
) {
  const limits: LiveLimits = { ...defaultLiveLimits, ...options.live }
  const access = options.engine.access
  const heartbeatMs = options.live?.heartbeatMs ?? 30_000
  const hub = new LiveHub(options.engine, app.log, (workflow) => options.metrics.transition(workflow))
  const clients = new Map<import("ws").WebSocket, LiveClient>()
  const expiries = new TokenExpiries<LiveClient>(options.now ?? (() => new Date()))

  await hub.start()

  const heartbeat = setInterval(() => {
    for (const [socket, client] of clients) {
      if (expiries.expired(client)) {
        client.expire()
        continue
      }
      if (!client.alive) {
        options.metrics.liveDropped("heartbeat")
        socket.terminate()
        continue
      }
      client.alive = false
      socket.ping()
    }
  }, heartbeatMs)
  heartbeat.unref()

  app.addHook("onClose", async () => {
    clearInterval(heartbeat)
    await hub.stop()
  })

  app.route<{ Querystring: { token?: string } }>({
    method: "GET",
    url: "/v1/live",
    config: { tokenInQuery: true },
    schema: {
      // The document describes the feed by hand (build-server.ts): an upgrade is not a JSON route.
      hide: true,
      querystring: {
        type: "object",
        properties: { token: { type: "string", maxLength: 8192, description: "The bearer token, for browsers that cannot set headers on a websocket" } },
        additionalProperties: false,
      },
    },
    // A plain GET (or HEAD) reaches this handler: the feed only speaks websocket.
    handler: async () => {
      throw new HttpProblem("CIVICASE_E_UPGRADE_REQUIRED", "GET /v1/live is a websocket: open it with an upgrade (Connection: Upgrade, Upgrade: websocket)", {
        headers: { upgrade: "websocket" },
      })
    },
    wsHandler: (socket, request) => {
      const log = request.log
      const client = new LiveClient(socket, request.actor, options.engine, access, limits, log, (reason) => options.metrics.liveDropped(reason))
      clients.set(socket, client)
      options.metrics.liveClients = clients.size
      const unsubscribe = hub.add(client)
      const detach = options.live?.personFeed?.attach(request.actor, (n) => client.notification(n))
      expiries.watch(client, request.tokenExpiresAt)
      socket.on("pong", () => {
        client.alive = true
      })
      socket.on("message", (data, isBinary) => client.receive(data, isBinary))
      socket.on("error", (e) => {
        // ws raises here for an oversize message (it then closes with 1009) and protocol errors.
        log.info({ err: e }, "live client error")
        options.metrics.liveDropped("protocol")
      })
      socket.on("close", () => {
        client.dispose()
        expiries.unwatch(client)
        unsubscribe()
        detach?.()
        clients.delete(socket)
        options.metrics.liveClients = clients.size
      })
    },
  })

  app.addHook("preClose", async () => {
    for (const socket of clients.keys()) socket.close(CLOSE.goingAway, "server shutting down")
  })
}
