/** A `GET /home` answer built from the sections' own fixtures (each block in its list's item shape). */
import type { Home, HomeMe, HomeThread } from '@/api/home'
import { lot } from './auction'
import { application, service } from './casework'
import { careEvent, myRegistration, NOW } from './events'
import { entry } from './fund'
import { call } from './grants'
import { meeting } from './marketMeeting'
import { product } from './shop'
import { shanghai } from './time'

export function thread(extra: Partial<HomeThread> = {}): HomeThread {
  return {
    id: 3,
    board_id: 1,
    board_name: '居民议事',
    title: '夜间停车越来越难，大家有什么好办法？',
    sticky: false,
    digest: false,
    views: 242,
    replies: 8,
    author: { nickname: '叠滘村民17' },
    created_at_ms: NOW - 48 * 3_600_000,
    last_post_at_ms: NOW - 3_600_000,
    ...extra,
  }
}

export function homeMe(extra: Partial<HomeMe> = {}): HomeMe {
  return {
    next_activity: myRegistration({}, { id: 7, title: '义工日', starts_at_ms: shanghai(2026, 11, 5, 9, 0), ends_at_ms: shanghai(2026, 11, 5, 11, 0) }),
    open_applications: [application({ id: 9 }), application({ id: 10, status: 'accepted' })],
    unread: 2,
    ...extra,
  }
}

export function home(extra: Partial<Home> = {}): Home {
  return {
    generated_at_ms: NOW,
    // 2026-12-03 19:30–21:00 in Shanghai: 11:30 UTC, another date in UTC−5.
    events: [careEvent({ id: 1, starts_at_ms: shanghai(2026, 11, 3, 19, 30), ends_at_ms: shanghai(2026, 11, 3, 21, 0) }), careEvent({ id: 2, title: '亲子阅读会', remaining: 0 })],
    fund: {
      raised_fen: 1_345_100_000,
      granted_fen: 947_800_000,
      disbursed_fen: 603_400_000,
      balance_fen: 402_900_000,
      // 2026-12-01 00:30 in Shanghai: still 11-30 in UTC.
      latest_grants: [entry(374, { kind: 'grant', memo: '资助·家庭综合服务中心·家庭暴力预防', amount_fen: 15_000_000, created_at_ms: shanghai(2026, 11, 1, 0, 30), source: null, donor: null })],
    },
    services: [service({ id: 1, name: '长者探访', response_days: 3 })],
    products: [product()],
    lots: [lot()],
    calls: [call()],
    meetings: [meeting()],
    threads: [thread(), thread({ id: 4, title: '千灯湖周末亲子活动推荐', views: 120, replies: 3 })],
    me: null,
    ...extra,
  }
}
