import type { WebSocket } from "ws"
import { CLOSE } from "./close-codes.js"
import type { ServerMessage } from "./live-protocol.js"

interface SocketLogger {
  info(obj: object, msg: string): void
}

/**
 * The sending side of one live client. Once closed it sends nothing more;
 * a client that reads too slowly is closed here, on the send that overfills
 * its buffer.
 *
 * @example
 * const out = new ClientSocket(socket, limits.maxBufferedBytes, log, metrics.liveDropped, () => client.dispose())
 * out.send({ type: "pong" })
 * out.close(CLOSE.tokenExpired, "token expired", "expired")
 */
export class ClientSocket {
  closed = false

  constructor(
    private readonly socket: WebSocket,
    private readonly maxBufferedBytes: number,
    private readonly log: SocketLogger,
    private readonly onDrop: (reason: string) => void,
    /** Stops the client's work; called before the close frame is queued. */
    private readonly dispose: () => void,
  ) {}

  send(message: ServerMessage): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(JSON.stringify(message))
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      // A client that does not read must not hold memory or slow the others: nothing more is queued for it.
      // The close frame follows what is already queued, so a client that is merely slow reads 1013 and
      // resumes with sinceRev; one that never reads is cut off by ws's close timeout (30 s).
      this.log.info({ bufferedAmount: this.socket.bufferedAmount }, "dropping a slow live client")
      this.close(CLOSE.tryAgainLater, "reading too slowly; resubscribe with sinceRev", "slow")
    }
  }

  /** Counts the drop under `dropReason`, stops the client's work and closes the socket with `code`. */
  close(code: number, reason: string, dropReason: string): void {
    this.onDrop(dropReason)
    this.dispose()
    this.socket.close(code, truncate(reason, 120))
  }
}

/** Cuts `text` to at most `bytes` of UTF-8 without splitting a character (a close reason is capped at 123 bytes). */
function truncate(text: string, bytes: number): string {
  const buf = Buffer.from(text, "utf8")
  return buf.length <= bytes ? text : buf.subarray(0, bytes).toString("utf8").replace(/\uFFFD$/, "")
}
