import { describe, expect, it } from 'vitest'
import { liveUrl, MAX_BACKOFF_MS, MIN_BACKOFF_MS, openLive, type LiveStatus, type WebSocketLike } from '@/api/live'

class FakeSocket implements WebSocketLike {
  static made: FakeSocket[] = []
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code: number }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  closedWith: number | undefined
  constructor(public url: string) {
    FakeSocket.made.push(this)
  }
  close(code?: number) {
    this.closedWith = code
  }
  receive(data: unknown) {
    this.onmessage?.({ data })
  }
  drop(code = 1006) {
    this.onclose?.({ code })
  }
}

function harness(maxFailures = 5) {
  FakeSocket.made = []
  const timers: { fn: () => void; ms: number }[] = []
  const states: unknown[] = []
  const statuses: LiveStatus[] = []
  const conn = openLive<{ price: number }>('/ws/auctions/AB12', {
    onState: (s) => states.push(s),
    onStatus: (s) => statuses.push(s),
    maxFailures,
    WebSocketImpl: FakeSocket,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    random: () => 1,
    location: { protocol: 'https:', host: 'care.example.cn' },
  })
  const fire = () => timers.shift()!.fn()
  return { conn, timers, states, statuses, fire }
}

describe('live channel client', () => {
  it('builds ws and wss addresses on the page origin', () => {
    expect(liveUrl('/ws/x', { protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/ws/x')
    expect(liveUrl('/ws/x', { protocol: 'https:', host: 'a.cn' })).toBe('wss://a.cn/ws/x')
  })

  it('hands every JSON state to the page and ignores junk', () => {
    const h = harness()
    expect(FakeSocket.made[0].url).toBe('wss://care.example.cn/ws/auctions/AB12')
    FakeSocket.made[0].receive('{"price":100}')
    FakeSocket.made[0].receive('not json')
    FakeSocket.made[0].receive('{"price":110}')
    expect(h.states).toEqual([{ price: 100 }, { price: 110 }])
    expect(h.statuses).toEqual(['connecting', 'live'])
  })

  it('reconnects with doubling backoff, back to the minimum once a state arrives', () => {
    const h = harness()
    FakeSocket.made[0].receive('{"price":100}')
    FakeSocket.made[0].drop(1001)
    expect(h.timers[0].ms).toBe(MIN_BACKOFF_MS)
    h.fire()
    FakeSocket.made[1].drop()
    expect(h.timers[0].ms).toBe(2 * MIN_BACKOFF_MS)
    h.fire()
    FakeSocket.made[2].receive('{"price":120}')
    FakeSocket.made[2].drop()
    expect(h.timers[0].ms).toBe(MIN_BACKOFF_MS)
    expect(h.states).toEqual([{ price: 100 }, { price: 120 }])
  })

  it('caps the backoff and gives up after connections that never delivered', () => {
    const h = harness(20)
    for (let i = 0; i < 10; i++) {
      FakeSocket.made[i].drop()
      expect(h.timers[0].ms).toBeLessThanOrEqual(MAX_BACKOFF_MS)
      h.fire()
    }
    const g = harness(2)
    FakeSocket.made[0].drop()
    g.fire()
    FakeSocket.made[1].drop()
    expect(g.timers).toHaveLength(0)
    expect(g.statuses.at(-1)).toBe('gave_up')
  })

  it('stops for good when closed by the page', () => {
    const h = harness()
    const socket = FakeSocket.made[0]
    h.conn.close()
    expect(socket.closedWith).toBe(1000)
    socket.drop()
    socket.receive('{"price":1}')
    expect(h.timers).toHaveLength(0)
    expect(h.states).toEqual([])
    expect(h.statuses.at(-1)).toBe('closed')
  })
})
