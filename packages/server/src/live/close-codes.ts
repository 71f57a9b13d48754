/**
 * Close codes the server uses on a live socket. The 4xxx ones are the
 * feed's own and tell a client what to do next.
 *
 * @example
 * socket.close(CLOSE.tokenExpired, "token expired") // the client reconnects with a fresh token
 */
export const CLOSE = {
  goingAway: 1001,
  unsupported: 1003,
  invalidData: 1007,
  /** A malformed message, too many messages, or too many requests waiting. */
  policy: 1008,
  tryAgainLater: 1013,
  /** The token expired: reconnect with a fresh one. */
  tokenExpired: 4001,
  /** The server lost transitions it cannot replay for a filter: resubscribe (with `sinceRev` for cases). */
  resync: 4002,
} as const
