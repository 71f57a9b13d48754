/** The part of a WebSocket the live feed uses: both the browser's (and Node 22's global) and the `ws` package's have it. */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  // Events typed loosely: each implementation has its own event classes; the feed reads `data`, `code` and `reason`.
  onopen: ((event: any) => void) | null
  onmessage: ((event: any) => void) | null
  onclose: ((event: any) => void) | null
  onerror: ((event: any) => void) | null
}

/**
 * A WebSocket constructor. `ws`'s takes `{ headers }` as its second argument
 * (the token goes in `Authorization`); a browser's cannot set headers (the
 * token goes in `?token=`, see {@link LiveOptions.tokenIn}).
 */
export type WebSocketConstructor = new (url: string, options?: any) => WebSocketLike

/**
 * The constructor to use: the one given, else the global `WebSocket`
 * (browsers, Node 22+), else the `ws` package (an optional peer dependency).
 *
 * @example
 * import WebSocket from "ws"
 * await webSocketConstructor(WebSocket) // WebSocket
 */
export async function webSocketConstructor(given: WebSocketConstructor | undefined): Promise<{ readonly ctor: WebSocketConstructor; readonly canSetHeaders: boolean }> {
  if (given) return { ctor: given, canSetHeaders: true }
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (global) return { ctor: global, canSetHeaders: false }
  try {
    const ws = (await import(/* webpackIgnore: true */ "ws" as string)) as { default: WebSocketConstructor }
    return { ctor: ws.default, canSetHeaders: true }
  } catch {
    throw new TypeError("civicase live feed: no WebSocket here; install the `ws` package or pass `live: { WebSocket }` to createClient")
  }
}

/** The text of a message event, whether the socket gives a string, a Buffer or an ArrayBuffer. */
export function messageText(data: unknown): string {
  if (typeof data === "string") return data
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return new TextDecoder().decode(data as ArrayBuffer)
  return String(data)
}
