/**
 * 公益拍卖 in words: countdowns ("距结束 02:03:04", days first when long), lot phases, where I
 * stand, and the auction's notifications. `splitDuration` is pure (unit-tested); the hook adds i18n.
 */
import { useI18n } from 'vue-i18n'
import type { IncrementBand, Lot, LotStatus, SiteNotification } from '@/stores/auction'
import { splitDuration, useFormat } from './useFormat'
import { formatFen } from './useMoney'

export { splitDuration }

/** Whether the soft close has moved the lot's end. */
export function isExtended(lot: Pick<Lot, 'extensions' | 'ends_at_ms' | 'scheduled_end_ms'>): boolean {
  return lot.extensions > 0 || lot.ends_at_ms > lot.scheduled_end_ms
}

export function useAuctionText() {
  const { t } = useI18n()
  const { formatTime } = useFormat()

  function duration(ms: number): string {
    const { days, clock } = splitDuration(ms)
    return days > 0 ? t('auction.dayTime', { d: days, time: clock }) : clock
  }

  /** The line under a lot's price: time to the start or the end, or how it ended. */
  function countdown(lot: Lot, nowMs: number): string {
    switch (lot.status) {
      case 'pending_approval':
      case 'upcoming':
        return nowMs < lot.starts_at_ms ? t('auction.startsIn', { time: duration(lot.starts_at_ms - nowMs) }) : t('auction.status.live')
      case 'live':
        return nowMs < lot.ends_at_ms ? t('auction.endsIn', { time: duration(lot.ends_at_ms - nowMs) }) : t('auction.closing')
      case 'ended':
        return t('auction.closing')
      default:
        return t('auction.endedAt', { time: formatTime(lot.ends_at_ms) })
    }
  }

  function statusLabel(status: LotStatus): string {
    return t(`auction.status.${status}`)
  }

  function incrementRows(increments: readonly IncrementBand[]): string[] {
    return increments.map((b) => t('auction.lot.incrementRow', { from: formatFen(b.from_fen), step: formatFen(b.step_fen) }))
  }

  /** One notification as a sentence (unknown templates: a generic line naming the lot). */
  function noticeText(n: SiteNotification): string {
    const p = n.params
    const title = typeof p.title === 'string' ? p.title : ''
    const price = typeof p.price_fen === 'number' ? formatFen(p.price_fen) : ''
    const deadline = typeof p.pay_by_ms === 'number' ? p.pay_by_ms : typeof p.expires_at_ms === 'number' ? p.expires_at_ms : null
    const time = deadline === null ? '' : formatTime(deadline)
    const known = ['auction_outbid', 'auction_won', 'auction_reserve_not_met', 'auction_second_chance']
    const key = known.includes(n.template) ? n.template : 'other'
    return t(`auction.mine.notice.${key}`, { title, price, time })
  }

  return { duration, countdown, statusLabel, incrementRows, noticeText, formatTime }
}
