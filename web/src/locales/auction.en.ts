/** Charity auction strings, English; same keys as `auction.zh-CN.ts` (checked by the type). */
import type auctionZh from './auction.zh-CN'

const auctionEn: typeof auctionZh = {
  title: 'Charity auction',
}

export default auctionEn
