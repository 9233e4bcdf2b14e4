/**
 * The live channel's client (contract: docs/api.md "WebSockets"): opens `/ws/…` on the page's
 * own origin, hands every message (a whole state, JSON) to `onState`, and reconnects by itself
 * after any close or error — 1 s doubling to 30 s, with jitter, back to 1 s once a connection
 * delivered a state — until `close()`. The first message after a reconnect is the full state,
 * so the caller just replaces what it shows; it should still keep the newest by the state's own
 * version (changes made on different servers may arrive out of order).
 *
 * A refusal before the upgrade (404 unknown id, 403) looks like any failed connection to the
 * browser; after `maxFailures` connections in a row that never delivered a state the client
 * stops and reports `gave_up` (the page then asks the REST route why).
 */

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'gave_up' | 'closed'

export interface LiveOptions<S> {
  onState: (state: S) => void
  onStatus?: (status: LiveStatus) => void
  /** Connections in a row that close before any message; then give up. */
  maxFailures?: number
  /** For tests: the WebSocket constructor, timers, randomness and the page's location. */
  WebSocketImpl?: new (url: string) => WebSocketLike
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  random?: () => number
  location?: { protocol: string; host: string }
}

/** The part of the browser's WebSocket the client uses. */
export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number }) => void) | null
  onerror: ((ev: unknown) => void) | null
  close: (code?: number) => void
}

export interface LiveConnection {
  close: () => void
}

export const MIN_BACKOFF_MS = 1000
export const MAX_BACKOFF_MS = 30000

/** `ws(s)://host/path` for a path on the page's origin. */
export function liveUrl(path: string, location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}${path}`
}

export function openLive<S>(path: string, options: LiveOptions<S>): LiveConnection {
  const Impl = options.WebSocketImpl ?? (globalThis.WebSocket as unknown as new (url: string) => WebSocketLike)
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms))
  const clearTimer = options.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>))
  const random = options.random ?? Math.random
  const location = options.location ?? globalThis.location
  const maxFailures = options.maxFailures ?? 5
  const url = liveUrl(path, location)

  let socket: WebSocketLike | null = null
  let timer: unknown = null
  let closed = false
  let backoff = MIN_BACKOFF_MS
  let failures = 0

  const status = (s: LiveStatus) => options.onStatus?.(s)

  function connect() {
    timer = null
    let delivered = false
    const ws = new Impl(url)
    socket = ws
    ws.onmessage = (ev) => {
      if (closed || typeof ev.data !== 'string') {
        return
      }
      let state: S
      try {
        state = JSON.parse(ev.data) as S
      } catch {
        return
      }
      if (!delivered) {
        delivered = true
        failures = 0
        backoff = MIN_BACKOFF_MS
        status('live')
      }
      options.onState(state)
    }
    ws.onerror = () => {
      // onclose follows and decides.
    }
    ws.onclose = () => {
      if (closed || socket !== ws) {
        return
      }
      socket = null
      if (!delivered) {
        failures += 1
        if (failures >= maxFailures) {
          status('gave_up')
          return
        }
      }
      status('reconnecting')
      // Full jitter on the upper half: watchers of a server that restarted do not all return at once.
      const wait = backoff / 2 + random() * (backoff / 2)
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
      timer = setTimer(connect, wait)
    }
  }

  status('connecting')
  connect()
  return {
    close() {
      closed = true
      if (timer !== null) {
        clearTimer(timer)
        timer = null
      }
      socket?.close(1000)
      socket = null
      status('closed')
    },
  }
}
