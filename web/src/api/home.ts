/**
 * `GET /api/v1/home`: 首页 in one answer (docs/api.md). Each block holds the first items of its
 * section's own list route, in that route's item shape, so the types are the sections' own. The
 * public part may be up to 5 s old (the server rebuilds it at most that often).
 */
import type { Lot } from './auction'
import type { Application, CaseworkService } from './casework'
import { http } from './client'
import type { CareEvent, MyRegistration } from './events'
import type { JournalEntry } from './fund'
import type { Call } from './grants'
import type { Meeting } from './marketMeeting'
import type { ArticleSummary } from './news'
import type { Product } from './shop'

/** A forum thread as `GET /forum/threads` lists it, with its board's name. */
export interface HomeThread {
  id: number
  board_id: number
  board_name: string
  title: string
  sticky: boolean
  digest: boolean
  views: number
  replies: number
  author: { nickname: string }
  created_at_ms: number
  last_post_at_ms: number
}

/** The Care Fund's totals (`/fund/summary`) and its latest `grant` journal entries. */
export interface HomeFund {
  raised_fen: number
  granted_fen: number
  disbursed_fen: number
  balance_fen: number
  latest_grants: JournalEntry[]
}

/** The caller's own part; absent (null) for a guest. */
export interface HomeMe {
  next_activity: MyRegistration | null
  /** Up to 3. */
  open_applications: Application[]
  /** Unread in-app messages (消息). */
  unread: number
}

export interface Home {
  generated_at_ms: number
  events: CareEvent[]
  fund: HomeFund
  services: CaseworkService[]
  products: Product[]
  lots: Lot[]
  calls: Call[]
  meetings: Meeting[]
  threads: HomeThread[]
  /** The three latest published 通知公告 (docs/api-news.md); absent from a server without news. */
  notices?: ArticleSummary[]
  me: HomeMe | null
}

export function getHome(): Promise<Home> {
  return http.get<Home>('/home')
}
