/** Charity auction (公益拍卖) strings, zh-CN (the schema for `auction.en.ts`); mounted as `auction` in zh-CN.ts. */
const auctionZh = {
  title: '公益拍卖',
}

export default auctionZh
